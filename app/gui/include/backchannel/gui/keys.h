// Key codes for io.KeysDown. Dear ImGui 1.86 indexes KeysDown by the platform's key codes; GLFW's
// codes for letters and digits are their ASCII upper-case characters ('A', '1'), so the views
// can name them without including GLFW, and the headless tests press them the same way.
#pragma once

#include <imgui.h>

namespace bc::gui::keys {

/// GLFW's codes for keys ImGui 1.86 has no ImGuiKey_ for (also set in the headless tests'
/// io.KeyMap for the named ImGuiKey_ values).
inline constexpr int kUp = 265, kDown = 264, kLeft = 263, kRight = 262, kEnter = 257, kKeypadEnter = 335, kEscape = 256,
                     kTab = 258, kBackspace = 259, kDelete = 261, kHome = 268, kEnd = 269, kPageUp = 266,
                     kPageDown = 267, kSpace = 32, kF1 = 290;
/// GLFW's modifier keys (io.KeyCtrl and the others follow them).
inline constexpr int kLeftShift = 340, kLeftCtrl = 341, kLeftAlt = 342, kLeftSuper = 343, kRightShift = 344,
                     kRightCtrl = 345, kRightAlt = 346, kRightSuper = 347;

/// A letter or digit key, pressed this frame (no auto-repeat).
inline bool pressed(char key) { return ImGui::IsKeyPressed(static_cast<unsigned char>(key), false); }
/// Ctrl (or Cmd) held with no Alt.
inline bool ctrl() { return ImGui::GetIO().KeyCtrl && !ImGui::GetIO().KeyAlt; }
inline bool alt() { return ImGui::GetIO().KeyAlt && !ImGui::GetIO().KeyCtrl; }
/// Ctrl+key pressed this frame.
inline bool ctrl_pressed(char key) { return ctrl() && !ImGui::GetIO().KeyShift && pressed(key); }
/// A named key (ImGuiKey_Enter, ...) pressed this frame.
inline bool named(ImGuiKey key, bool repeat = false) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), repeat); }
/// Fills io.KeyMap with GLFW's codes (the GLFW backend does the same; the tests call this).
void install_key_map(ImGuiIO& io);

}  // namespace bc::gui::keys
