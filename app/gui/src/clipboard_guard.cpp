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
  install();
  now_ = now;
  ImGui::SetClipboardText(s.c_str());  // through set_clipboard_text below, which arms the timer
  wipe_string(s);
}

ClipboardGuard::~ClipboardGuard() {
  if (ImGui::GetCurrentContext() == nullptr) return;
  ImGuiIO& io = ImGui::GetIO();
  if (io.ClipboardUserData != this) return;
  io.SetClipboardTextFn = platform_set_;
  io.GetClipboardTextFn = platform_get_;
  io.ClipboardUserData = platform_data_;
}

void ClipboardGuard::install() {
  ImGuiIO& io = ImGui::GetIO();
  if (io.SetClipboardTextFn == &ClipboardGuard::set_clipboard_text && io.ClipboardUserData == this) return;
  platform_set_ = io.SetClipboardTextFn;
  platform_get_ = io.GetClipboardTextFn;
  platform_data_ = io.ClipboardUserData;
  io.SetClipboardTextFn = &ClipboardGuard::set_clipboard_text;
  io.GetClipboardTextFn = &ClipboardGuard::get_clipboard_text;
  io.ClipboardUserData = this;
}

void ClipboardGuard::set_clipboard_text(void* user_data, const char* text) {
  auto* self = static_cast<ClipboardGuard*>(user_data);
  self->set_platform_text(text);
  if (text != nullptr && *text != '\0') self->arm(text, self->now_);
}

const char* ClipboardGuard::get_clipboard_text(void* user_data) {
  const auto* self = static_cast<const ClipboardGuard*>(user_data);
  return self->platform_get_ != nullptr ? self->platform_get_(self->platform_data_) : nullptr;
}

void ClipboardGuard::set_platform_text(const char* text) const {
  if (platform_set_ != nullptr) platform_set_(platform_data_, text);
}

void ClipboardGuard::arm(std::string_view text, double now) {
  hash_ = hash_of(text);
  copied_at_ = now;
  armed_ = true;
}

bool ClipboardGuard::still_ours() const {
  const char* current = platform_get_ != nullptr ? platform_get_(platform_data_) : nullptr;
  return current != nullptr && hash_of(current) == hash_;
}

void ClipboardGuard::tick(double now) {
  now_ = now;
  if (!armed_ || now - copied_at_ < kClearAfterSeconds) return;
  clear_now();
}

void ClipboardGuard::clear_now() {
  if (!armed_) return;
  if (still_ours()) set_platform_text("");
  armed_ = false;
  hash_ = 0;
}

std::optional<double> ClipboardGuard::deadline() const {
  if (!armed_) return std::nullopt;
  return copied_at_ + kClearAfterSeconds;
}

}  // namespace bc::gui
