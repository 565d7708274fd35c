// Taking notes live: a speaker picker driven by the keyboard (type a few letters, or the
// participant's number), the kind by shortcut, Enter to commit with a timestamp, Up (in an
// empty composer) to edit the last note, keeping its revisions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class NoteComposer : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;
  /// The height Draw() takes, for the layout above it.
  float height(const UiContext& ctx) const;

  // For the headless tests and the shortcuts.
  std::string& text() { return text_; }
  /// Picks the speaker by attendance number (0: organizers). Returns false if there is none.
  bool pick_speaker_number(int number);
  std::optional<std::string> speaker_key() const;
  core::NoteKind& kind() { return kind_; }
  /// Commits the text as a new note (or the edit). Returns the note id.
  std::optional<std::int64_t> commit(UiContext& ctx);
  /// Loads the meeting's last note for editing (what Up does). Returns false when there is none.
  bool edit_last(UiContext& ctx);
  std::optional<std::int64_t> editing() const { return editing_; }
  const std::string& error() const { return error_; }

 private:
  void reload_participants(UiContext& ctx);
  void load_for_edit(UiContext& ctx, std::int64_t note_id);
  std::vector<int> matches(std::string_view query) const;
  void handle_shortcuts(UiContext& ctx);

  struct Speaker {
    std::int64_t id = 0;
    int number = 0;
    std::string key;
    std::string name;
    std::vector<std::string> search;  ///< lower-cased words of name, key, aliases
  };
  std::int64_t meeting_ = 0;
  std::vector<Speaker> speakers_;
  int speaker_ = -1;  ///< index in speakers_, -1: organizers
  core::NoteKind kind_ = core::NoteKind::statement;
  core::Visibility visibility_ = core::Visibility::summary;
  std::string text_;
  std::string query_;
  bool picking_ = false;
  bool focus_picker_ = false;
  bool focus_text_ = false;
  int highlighted_ = 0;
  std::optional<std::int64_t> editing_;
  std::optional<std::int64_t> last_note_;  ///< the last note committed here, for Up
  std::string error_;
};

}  // namespace bc::gui
