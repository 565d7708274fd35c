// Choosing the thread a note belongs to: the suggestions found by searching earlier threads for
// the note's words (core::suggest_threads), every thread of the series, and a field to start a
// new one. Opened from the composer (Ctrl+T) for the text being typed, or for a saved note from
// the composer (empty, Ctrl+T: the last note) and the note log's menu. Each view that offers it
// owns one picker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/threads.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class ThreadPicker {
 public:
  /// For a saved note: choosing links it (a durable write) and says so in the status bar.
  void open_for_note(UiContext& ctx, std::int64_t series_id, std::int64_t note_id);
  /// For text not yet saved: choosing hands the thread back through Draw (the caller links the
  /// note once the vault has it).
  void open_for_text(UiContext& ctx, std::int64_t series_id, std::string_view text);
  /// Draws the picker while it is open. Returns the thread chosen for text this frame, if any.
  std::optional<std::int64_t> Draw(UiContext& ctx);
  void close();
  void Clear();
  bool DebugContains(std::string_view needle) const;

  bool is_open() const { return open_; }
  std::optional<std::int64_t> note() const { return note_; }
  const std::vector<core::ThreadSuggestion>& suggestions() const { return suggestions_; }
  const std::vector<core::Thread>& threads() const { return threads_; }
  /// What Enter or a click does: the thread for the note or the text.
  void choose(UiContext& ctx, std::int64_t thread_id);
  /// Starts a thread with `title` in the series and chooses it.
  void create(UiContext& ctx, const std::string& title);

 private:
  void load(UiContext& ctx, std::string_view text);
  void wipe();

  bool open_ = false;
  bool focus_ = false;
  std::int64_t series_ = 0;
  std::optional<std::int64_t> note_;
  std::vector<core::ThreadSuggestion> suggestions_;
  std::vector<core::Thread> threads_;
  std::string new_title_;
  std::string error_;
  int selected_ = 0;
  std::optional<std::int64_t> chosen_;  ///< for text: handed back by the next Draw
};

}  // namespace bc::gui
