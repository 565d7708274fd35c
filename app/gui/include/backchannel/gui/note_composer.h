// Taking notes live: a speaker picker driven by the keyboard (type a few letters, or the
// participant's number), the kind by shortcut, Enter to commit with a timestamp, Up (in an
// empty composer) to edit the last note, keeping its revisions. Enter hands the note to the
// vault's writer and empties the composer at once; the log shows the note as saving until it is
// committed, and a note the vault refuses comes back into the composer with the reason.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/thread_picker.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class NoteComposer : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;
  /// The height Draw() takes, for the layout above it.
  float height(const UiContext& ctx) const;

  // For the headless tests.
  const std::string& text() const { return text_; }
  core::NoteKind kind() const { return kind_; }
  std::optional<std::int64_t> editing() const { return editing_; }
  const std::string& error() const { return error_; }
  /// The thread the note being typed will be added to once saved (Ctrl+T).
  std::optional<std::int64_t> thread() const { return thread_; }
  ThreadPicker& thread_picker() { return picker_; }
  /// What Ctrl+T does: the picker for the text being typed, or (composer empty) for the last note.
  void pick_thread(UiContext& ctx);

 private:
  /// Picks the speaker by attendance number (0: organizers). Returns false if there is none.
  bool pick_speaker_number(const MeetingModel& model, int number);
  /// Sends the text to the writer as a new note (or the edit).
  void commit(UiContext& ctx);
  /// A note on its way to the vault: what comes back into the composer if the write fails.
  struct Draft {
    std::shared_ptr<std::string> text;  ///< wiped when the write and its continuation are done
    std::optional<std::int64_t> editing;
    std::optional<std::int64_t> speaker;
    core::NoteKind kind = core::NoteKind::statement;
    core::Visibility visibility = core::Visibility::summary;
    std::optional<std::int64_t> thread;
  };
  void restore(const Draft& draft, std::string why);
  /// Loads the meeting's last note for editing (what Up does). Returns false when there is none.
  bool edit_last(UiContext& ctx);
  void load_for_edit(UiContext& ctx, std::int64_t note_id);
  /// The participants whose number is `query`, or whose name, key or alias has a word starting
  /// with it (all of them for an empty query).
  std::vector<const core::Participant*> matches(const MeetingModel& model, std::string_view query) const;
  const core::Participant* speaker(const MeetingModel& model) const;
  void handle_shortcuts(UiContext& ctx);

  std::int64_t meeting_ = 0;
  std::optional<std::int64_t> speaker_;  ///< participant id; none: organizers
  core::NoteKind kind_ = core::NoteKind::statement;
  core::Visibility visibility_ = core::Visibility::summary;
  std::string text_;
  std::string query_;
  bool picking_ = false;
  bool focus_picker_ = false;
  bool focus_text_ = false;
  bool text_active_ = false;  ///< the text field had the keyboard last frame
  int highlighted_ = 0;
  std::optional<std::int64_t> editing_;
  std::string error_;
  ThreadPicker picker_;
  std::optional<std::int64_t> thread_;
  std::string thread_title_;
};

}  // namespace bc::gui
