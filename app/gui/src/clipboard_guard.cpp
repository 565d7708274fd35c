#include "backchannel/gui/clipboard_guard.h"

#include <imgui.h>

#include <functional>
#include <string>

#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {
std::uint64_t hash_of(std::string_view s) {
  // Salted so that the hash kept for 30 seconds cannot be looked up in a table of likely texts.
  static const std::uint64_t salt = std::hash<const void*>{}(&salt) ^ 0x5bd1e9955bd1e995ull;
  return std::hash<std::string_view>{}(s) ^ salt;
}
}  // namespace

void ClipboardGuard::copy(std::string_view text, double now) {
  std::string s(text);
  ImGui::SetClipboardText(s.c_str());
  hash_ = hash_of(s);
  wipe_string(s);
  copied_at_ = now;
  armed_ = true;
}

bool ClipboardGuard::still_ours() const {
  const char* current = ImGui::GetClipboardText();
  return current != nullptr && hash_of(current) == hash_;
}

void ClipboardGuard::tick(double now) {
  if (!armed_ || now - copied_at_ < kClearAfterSeconds) return;
  clear_now();
}

void ClipboardGuard::clear_now() {
  if (!armed_) return;
  if (still_ours()) ImGui::SetClipboardText("");
  armed_ = false;
  hash_ = 0;
}

std::optional<double> ClipboardGuard::deadline() const {
  if (!armed_) return std::nullopt;
  return copied_at_ + kClearAfterSeconds;
}

}  // namespace bc::gui
