#include "backchannel/gui/secret_field.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace bc::gui {

SecretField::SecretField(std::size_t capacity) : buf_(capacity) {}

bool SecretField::Draw(const char* id, float width, const char* hint, bool reveal) {
  if (focus_) {
    ImGui::SetKeyboardFocusHere();
    focus_ = false;
  }
  ImGui::SetNextItemWidth(width > 0 ? width : -1.0f);
  ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_NoUndoRedo;
  if (!reveal) flags |= ImGuiInputTextFlags_Password;
  char* data = reinterpret_cast<char*>(buf_.data());
  const bool enter = hint ? ImGui::InputTextWithHint(id, hint, data, buf_.capacity(), flags)
                          : ImGui::InputText(id, data, buf_.capacity(), flags);
  edited_ = ImGui::IsItemEdited();
  const bool active = ImGui::IsItemActive();
  // Leaving the field (or pressing Enter, which deactivates it): wipe ImGui's copy now rather
  // than when another field happens to reuse it.
  if ((was_active_ && !active) || enter) scrub_imgui_text_state();
  was_active_ = active;
  return enter;
}

crypto::SecureBuffer SecretField::copy() const { return crypto::SecureBuffer::copy_of(view()); }

std::string_view SecretField::view() const {
  if (buf_.capacity() == 0) return {};
  const char* p = reinterpret_cast<const char*>(buf_.data());
  return {p, ::strnlen(p, buf_.capacity())};
}

void SecretField::clear() {
  if (buf_.capacity() > 0) crypto::wipe(buf_.data(), buf_.capacity());
  if (was_active_) scrub_imgui_text_state();
  was_active_ = false;
}

void SecretField::assign(std::string_view text) {
  clear();
  const std::size_t n = std::min(text.size(), buf_.capacity() - 1);
  std::memcpy(buf_.data(), text.data(), n);
  edited_ = true;
}

bool SecretField::equals(const SecretField& other) const {
  const auto a = view(), b = other.view();
  return crypto::equal_ct({reinterpret_cast<const std::uint8_t*>(a.data()), a.size()},
                          {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()});
}

void scrub_imgui_text_state() {
  if (ImGui::GetCurrentContext() == nullptr) return;
  ImGuiContext& g = *ImGui::GetCurrentContext();
  ImGuiInputTextState& st = g.InputTextState;
  if (g.ActiveId != 0 && g.ActiveId == st.ID) ImGui::ClearActiveID();
  if (!st.TextW.empty()) crypto::wipe(st.TextW.Data, static_cast<std::size_t>(st.TextW.Capacity) * sizeof(ImWchar));
  if (!st.TextA.empty()) crypto::wipe(st.TextA.Data, static_cast<std::size_t>(st.TextA.Capacity));
  if (!st.InitialTextA.empty()) crypto::wipe(st.InitialTextA.Data, static_cast<std::size_t>(st.InitialTextA.Capacity));
  st.ClearFreeMemory();
  crypto::wipe(&st.Stb, sizeof(st.Stb));
  st.ID = 0;
  st.CurLenW = st.CurLenA = 0;
  st.TextAIsValid = false;
  // Text(fmt, ...) formats into this buffer; it keeps the last formatted string.
  crypto::wipe(g.TempBuffer, sizeof g.TempBuffer);
}

bool imgui_text_state_contains(std::string_view needle) {
  if (ImGui::GetCurrentContext() == nullptr || needle.empty()) return false;
  const ImGuiInputTextState& st = ImGui::GetCurrentContext()->InputTextState;
  auto in = [&](const ImVector<char>& v) {
    return v.Size > 0 && std::string_view(v.Data, static_cast<std::size_t>(v.Size)).find(needle) != std::string_view::npos;
  };
  if (in(st.TextA) || in(st.InitialTextA)) return true;
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  if (std::string_view(g.TempBuffer, sizeof g.TempBuffer).find(needle) != std::string_view::npos) return true;
  // The UTF-16 buffer: compare its ASCII characters (the canaries the tests use are ASCII).
  std::string narrow;
  for (int i = 0; i < st.TextW.Size; ++i) narrow.push_back(st.TextW.Data[i] < 0x80 ? static_cast<char>(st.TextW.Data[i]) : '?');
  return narrow.find(needle) != std::string::npos;
}

}  // namespace bc::gui
