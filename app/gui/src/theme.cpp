#include "backchannel/gui/theme.h"

namespace bc::gui {

void apply_theme(ImGuiStyle& style, float scale) {
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(9, 5);
  style.ItemSpacing = ImVec2(9, 7);
  style.ItemInnerSpacing = ImVec2(7, 5);
  style.CellPadding = ImVec2(7, 4);
  style.ScrollbarSize = 12;
  style.GrabMinSize = 10;
  style.WindowRounding = 6;
  style.ChildRounding = 5;
  style.FrameRounding = 4;
  style.PopupRounding = 5;
  style.ScrollbarRounding = 6;
  style.GrabRounding = 4;
  style.TabRounding = 4;
  style.WindowBorderSize = 1;
  style.ChildBorderSize = 0;
  style.PopupBorderSize = 1;
  style.FrameBorderSize = 0;
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
  style.SelectableTextAlign = ImVec2(0.0f, 0.5f);

  ImVec4* c = style.Colors;
  const ImVec4 bg = palette::background;
  const ImVec4 panel = palette::panel;
  const ImVec4 frame{0.17f, 0.19f, 0.215f, 1.0f};
  const ImVec4 frame_hover{0.21f, 0.235f, 0.265f, 1.0f};
  const ImVec4 frame_active{0.24f, 0.27f, 0.30f, 1.0f};
  const ImVec4 accent = palette::accent;
  c[ImGuiCol_Text] = palette::text;
  c[ImGuiCol_TextDisabled] = palette::faint;
  c[ImGuiCol_WindowBg] = bg;
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = ImVec4(0.14f, 0.155f, 0.175f, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.22f, 0.24f, 0.27f, 1.0f);
  c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_FrameBg] = frame;
  c[ImGuiCol_FrameBgHovered] = frame_hover;
  c[ImGuiCol_FrameBgActive] = frame_active;
  c[ImGuiCol_TitleBg] = panel;
  c[ImGuiCol_TitleBgActive] = ImVec4(0.16f, 0.18f, 0.205f, 1.0f);
  c[ImGuiCol_TitleBgCollapsed] = panel;
  c[ImGuiCol_MenuBarBg] = panel;
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = ImVec4(0.24f, 0.26f, 0.30f, 1.0f);
  c[ImGuiCol_ScrollbarGrabHovered] = ImVec4(0.30f, 0.33f, 0.37f, 1.0f);
  c[ImGuiCol_ScrollbarGrabActive] = ImVec4(0.34f, 0.37f, 0.42f, 1.0f);
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = palette::accent_dim;
  c[ImGuiCol_SliderGrabActive] = accent;
  c[ImGuiCol_Button] = ImVec4(0.20f, 0.225f, 0.255f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.25f, 0.28f, 0.31f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.29f, 0.33f, 0.36f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.30f, 0.30f, 0.70f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.22f, 0.33f, 0.33f, 0.80f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.25f, 0.38f, 0.37f, 1.0f);
  c[ImGuiCol_Separator] = ImVec4(0.22f, 0.24f, 0.27f, 1.0f);
  c[ImGuiCol_SeparatorHovered] = palette::accent_dim;
  c[ImGuiCol_SeparatorActive] = accent;
  c[ImGuiCol_ResizeGrip] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ResizeGripHovered] = palette::accent_dim;
  c[ImGuiCol_ResizeGripActive] = accent;
  c[ImGuiCol_Tab] = panel;
  c[ImGuiCol_TabHovered] = ImVec4(0.22f, 0.31f, 0.31f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.19f, 0.27f, 0.27f, 1.0f);
  c[ImGuiCol_TabUnfocused] = panel;
  c[ImGuiCol_TabUnfocusedActive] = ImVec4(0.17f, 0.22f, 0.23f, 1.0f);
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.15f, 0.165f, 0.19f, 1.0f);
  c[ImGuiCol_TableBorderStrong] = ImVec4(0.22f, 0.24f, 0.27f, 1.0f);
  c[ImGuiCol_TableBorderLight] = ImVec4(0.18f, 0.20f, 0.22f, 1.0f);
  c[ImGuiCol_TableRowBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.02f);
  c[ImGuiCol_TextSelectedBg] = ImVec4(0.30f, 0.48f, 0.46f, 0.55f);
  c[ImGuiCol_NavHighlight] = accent;
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.05f, 0.05f, 0.06f, 0.60f);
  c[ImGuiCol_PlotHistogram] = accent;
  style.ScaleAllSizes(scale);
}

}  // namespace bc::gui
