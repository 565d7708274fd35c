// The meeting's note log: every note in order with its time, speaker, kind and text, wrapped,
// Persian and Arabic shaped and right-aligned. Smooth with 10,000 notes: the notes are cached and
// refreshed only when the meeting or its notes change, and only the visible rows are drawn.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/gui/ui_context.h"
#include "backchannel/gui/virtual_list.h"

namespace bc::gui {

class NoteLogView : public View {
 public:
  void Draw(UiContext& ctx, float height);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  std::size_t row_count() const { return rows_.size(); }
  /// Rows drawn in the last frame (the virtualization at work).
  std::size_t rows_drawn() const { return drawn_; }

 private:
  struct Row {
    core::Note note;
    std::string time;     ///< "14:05" local time
    std::string speaker;  ///< "2 · Katherine Holloway", or "Organizers"
  };
  void reload(UiContext& ctx);
  void reload_note(UiContext& ctx, std::int64_t note_id);
  void measure(float width);
  Row make_row(core::Note note) const;
  void draw_row(UiContext& ctx, std::size_t i, float width);

  std::int64_t meeting_ = 0;
  std::vector<Row> rows_;
  std::map<std::int64_t, std::pair<int, std::string>> speakers_;  ///< participant id -> (number, name)
  VirtualList list_;
  float measured_width_ = -1;
  std::size_t drawn_ = 0;
  bool stick_to_bottom_ = true;
  std::optional<std::int64_t> scroll_to_note_;
  std::optional<std::int64_t> selected_;
  std::string error_;
};

}  // namespace bc::gui
