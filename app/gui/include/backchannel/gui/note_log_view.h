// The meeting's note log: every note in order with its time, speaker, kind and text, wrapped,
// Persian and Arabic shaped and right-aligned, "saving…" on a note until the vault has it, and a
// "from the team" mark on notes another device wrote (its device and member in a tooltip).
// Smooth with 10,000 notes: the notes come from the meeting model, row heights are measured once
// per note and width, and only the visible rows are drawn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/note_origin.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/thread_picker.h"
#include "backchannel/gui/ui_context.h"
#include "backchannel/gui/virtual_list.h"

namespace bc::gui {

class NoteLogView : public View {
 public:
  void Draw(UiContext& ctx, float height);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  std::size_t row_count() const { return list_.size(); }
  /// Rows drawn in the last frame (the virtualization at work).
  std::size_t rows_drawn() const { return drawn_; }
  /// The notes of the meeting shown that another device wrote (read when the notes change).
  const std::unordered_map<std::int64_t, core::NoteOrigin>& origins() const { return origins_; }
  /// "Add to thread…" from a note's menu: the picker for that note.
  void add_to_thread(UiContext& ctx, std::int64_t note_id);
  ThreadPicker& thread_picker() { return picker_; }

 private:
  /// What a row's height depends on besides the width: the note and the state of its write.
  struct RowKey {
    std::int64_t id;
    int revision;
    std::uint64_t ticket;
    bool operator==(const RowKey&) const = default;
  };
  struct RowKeyHash {
    std::size_t operator()(const RowKey& k) const;
  };
  void measure(const MeetingModel& model, float width);
  void draw_row(UiContext& ctx, const MeetingModel& model, std::size_t i, float width);
  /// Hands the deletion of a note to the writer (the row says "deleting…" until it is done).
  void remove(UiContext& ctx, std::int64_t note_id);

  std::int64_t meeting_ = 0;
  std::uint64_t measured_version_ = 0;
  float measured_width_ = -1;
  /// Row heights by note, so that a new note costs one measurement, not one per note.
  std::unordered_map<RowKey, float, RowKeyHash> heights_;
  VirtualList list_;
  std::size_t drawn_ = 0;
  bool stick_to_bottom_ = true;
  bool was_at_bottom_ = true;
  std::uint64_t last_add_ = 0;  ///< the ticket of the newest note being added, seen last frame
  std::optional<std::int64_t> scroll_to_note_;
  std::optional<std::int64_t> selected_;
  std::unordered_map<std::int64_t, core::NoteOrigin> origins_;
  std::uint64_t origins_version_ = 0;  ///< the notes_version() they were read for
  std::int64_t origins_meeting_ = 0;
  ThreadPicker picker_;
};

}  // namespace bc::gui
