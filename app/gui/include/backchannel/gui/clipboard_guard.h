// Copying to the clipboard, discreetly: what Backchannel copied is cleared 30 seconds later if the
// clipboard still holds it (and at once when the vault locks). Only a hash of the copied text is
// kept to recognise it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bc::gui {

class ClipboardGuard {
 public:
  static constexpr double kClearAfterSeconds = 30.0;

  /// Puts `text` on the clipboard (through ImGui's platform hooks) and arms the timer.
  void copy(std::string_view text, double now);
  /// Clears the clipboard when the timer ran out and it still holds what was copied.
  void tick(double now);
  /// On lock: clears the clipboard now if it still holds what was copied.
  void clear_now();
  /// When tick() next needs to run, if a copy is pending.
  std::optional<double> deadline() const;
  /// Whether a copy is waiting to be cleared.
  bool armed() const { return armed_; }

 private:
  bool still_ours() const;
  bool armed_ = false;
  double copied_at_ = 0;
  std::uint64_t hash_ = 0;
};

}  // namespace bc::gui
