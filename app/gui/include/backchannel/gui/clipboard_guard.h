// Copying to the clipboard, discreetly: what Backchannel copied is cleared 30 seconds later if the
// clipboard still holds it (and at once when the vault locks). Only a hash of the copied text is
// kept to recognise it. Every copy goes through the guard, also Ctrl+C in ImGui's own text
// fields: install() puts it between ImGui and the platform's clipboard functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bc::gui {

class ClipboardGuard {
 public:
  static constexpr double kClearAfterSeconds = 30.0;

  ClipboardGuard() = default;
  ~ClipboardGuard();  ///< gives ImGui its platform functions back
  ClipboardGuard(const ClipboardGuard&) = delete;
  ClipboardGuard& operator=(const ClipboardGuard&) = delete;

  /// Puts `text` on the clipboard (through ImGui's platform hooks) and arms the timer.
  void copy(std::string_view text, double now);
  /// Routes ImGui's clipboard writes (Ctrl+C, Ctrl+X in text fields) through the guard, keeping
  /// the platform's functions underneath. Idempotent; called each frame, since the platform
  /// backend may set its functions after the App was made.
  void install();
  /// Clears the clipboard when the timer ran out and it still holds what was copied; also the
  /// time that a copy from an ImGui field is stamped with.
  void tick(double now);
  /// On lock: clears the clipboard now if it still holds what was copied.
  void clear_now();
  /// When tick() next needs to run, if a copy is pending.
  std::optional<double> deadline() const;
  /// Whether a copy is waiting to be cleared.
  bool armed() const { return armed_; }

 private:
  bool still_ours() const;
  void set_platform_text(const char* text) const;
  void arm(std::string_view text, double now);
  static void set_clipboard_text(void* user_data, const char* text);
  static const char* get_clipboard_text(void* user_data);
  void (*platform_set_)(void*, const char*) = nullptr;
  const char* (*platform_get_)(void*) = nullptr;
  void* platform_data_ = nullptr;
  double now_ = 0;
  bool armed_ = false;
  double copied_at_ = 0;
  std::uint64_t hash_ = 0;
};

}  // namespace bc::gui
