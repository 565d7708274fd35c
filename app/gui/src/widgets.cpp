#include "backchannel/gui/widgets.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

#include "backchannel/gui/keys.h"
#include "backchannel/gui/qr_code.h"
#include "backchannel/gui/task_runner.h"
#include "backchannel/gui/theme.h"

namespace bc::gui {

void keys::install_key_map(ImGuiIO& io) {
  io.KeyMap[ImGuiKey_Tab] = kTab;
  io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
  io.KeyMap[ImGuiKey_RightArrow] = kRight;
  io.KeyMap[ImGuiKey_UpArrow] = kUp;
  io.KeyMap[ImGuiKey_DownArrow] = kDown;
  io.KeyMap[ImGuiKey_PageUp] = kPageUp;
  io.KeyMap[ImGuiKey_PageDown] = kPageDown;
  io.KeyMap[ImGuiKey_Home] = kHome;
  io.KeyMap[ImGuiKey_End] = kEnd;
  io.KeyMap[ImGuiKey_Delete] = kDelete;
  io.KeyMap[ImGuiKey_Backspace] = kBackspace;
  io.KeyMap[ImGuiKey_Space] = kSpace;
  io.KeyMap[ImGuiKey_Enter] = kEnter;
  io.KeyMap[ImGuiKey_Escape] = kEscape;
  io.KeyMap[ImGuiKey_KeyPadEnter] = kKeypadEnter;
  io.KeyMap[ImGuiKey_A] = 'A';
  io.KeyMap[ImGuiKey_C] = 'C';
  io.KeyMap[ImGuiKey_V] = 'V';
  io.KeyMap[ImGuiKey_X] = 'X';
  io.KeyMap[ImGuiKey_Y] = 'Y';
  io.KeyMap[ImGuiKey_Z] = 'Z';
}

namespace ui {

void Shaped(TextShaper& shaper, std::string_view text) {
  const std::string_view s = shaper.line(text);
  ImGui::TextUnformatted(s.data(), s.data() + s.size());
}

void ShapedColored(TextShaper& shaper, std::string_view text, const ImVec4& color) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  Shaped(shaper, text);
  ImGui::PopStyleColor();
}

float ShapedWidth(TextShaper& shaper, std::string_view text) {
  const std::string_view s = shaper.line(text);
  return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x;
}

namespace {

// Advances through one UTF-8 code point; returns it.
unsigned int next_cp(const char*& p, const char* end) {
  unsigned int c = 0;
  const int n = ImTextCharFromUtf8(&c, p, end);
  p += n > 0 ? n : 1;
  return c;
}

bool in_spans(std::span<const Span> spans, std::size_t offset) {
  for (const auto& s : spans)
    if (offset >= s.begin && offset < s.end) return true;
  return false;
}

}  // namespace

float Paragraph(TextShaper& shaper, std::string_view text, float width, std::span<const Span> highlight, bool veil,
                const ImVec4* color) {
  ImFont* font = ImGui::GetFont();
  const float line_h = ImGui::GetTextLineHeight();
  const ShapedText& t = shaper.layout(text, font, width);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float height = line_h * static_cast<float>(std::max<std::size_t>(t.lines.size(), 1));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const bool hovered = veil && ImGui::IsMouseHoveringRect(origin, ImVec2(origin.x + width, origin.y + height)) &&
                       ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
  const ImU32 text_col = ImGui::GetColorU32(color ? *color : ImGui::GetStyleColorVec4(ImGuiCol_Text));
  const ImU32 hl_col = ImGui::GetColorU32(palette::highlight);
  const ImU32 veil_col = ImGui::GetColorU32(palette::veil);
  const ImVec2 clip_min = ImGui::GetWindowDrawList()->GetClipRectMin();
  const ImVec2 clip_max = ImGui::GetWindowDrawList()->GetClipRectMax();
  for (std::size_t i = 0; i < t.lines.size(); ++i) {
    const ShapedLine& line = t.lines[i];
    const float y = origin.y + line_h * static_cast<float>(i);
    if (y > clip_max.y || y + line_h < clip_min.y) continue;
    const float x0 = origin.x + (line.rtl ? std::max(0.0f, width - line.width) : 0.0f);
    if (veil && !hovered) {
      if (line.width > 0)
        dl->AddRectFilled(ImVec2(x0, y + line_h * 0.28f), ImVec2(x0 + line.width, y + line_h * 0.78f), veil_col,
                          line_h * 0.2f);
      continue;
    }
    if (!highlight.empty() && !line.source_offsets.empty()) {
      const char* p = line.text.data();
      const char* end = p + line.text.size();
      float x = x0;
      std::size_t k = 0;
      while (p < end && k < line.source_offsets.size()) {
        const unsigned int c = next_cp(p, end);
        const float adv = font->GetCharAdvance(static_cast<ImWchar>(c));
        if (in_spans(highlight, line.source_offsets[k]))
          dl->AddRectFilled(ImVec2(x - 0.5f, y), ImVec2(x + adv + 0.5f, y + line_h), hl_col, 0.0f);
        x += adv;
        ++k;
      }
    }
    dl->AddText(font, font->FontSize, ImVec2(x0, y), text_col, line.text.data(), line.text.data() + line.text.size());
  }
  ImGui::Dummy(ImVec2(width, height));
  return height;
}

float ParagraphHeight(std::string_view text, float width) {
  const ShapedText t = shape_text(text, ImGui::GetFont(), width, false);
  return ImGui::GetTextLineHeight() * static_cast<float>(std::max<std::size_t>(t.lines.size(), 1));
}

void Spinner(float radius, const ImVec4& color) {
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float thickness = std::max(2.0f, radius * 0.18f);
  ImGui::Dummy(ImVec2(radius * 2, radius * 2));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float t = static_cast<float>(ImGui::GetTime());
  const ImVec2 c(pos.x + radius, pos.y + radius);
  const float start = t * 5.0f;
  const int segments = 24;
  dl->PathClear();
  for (int i = 0; i <= segments; ++i) {
    const float a = start + static_cast<float>(i) / static_cast<float>(segments) * 4.2f;
    dl->PathLineTo(ImVec2(c.x + std::cos(a) * (radius - thickness), c.y + std::sin(a) * (radius - thickness)));
  }
  dl->PathStroke(ImGui::GetColorU32(color), 0, thickness);
}

void Badge(const char* text, const ImVec4& color) {
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 pad(6, 1);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec4 bg = color;
  bg.w = 0.18f;
  dl->AddRectFilled(pos, ImVec2(pos.x + size.x + pad.x * 2, pos.y + size.y + pad.y * 2), ImGui::GetColorU32(bg),
                    size.y * 0.5f);
  dl->AddText(ImVec2(pos.x + pad.x, pos.y + pad.y), ImGui::GetColorU32(color), text);
  ImGui::Dummy(ImVec2(size.x + pad.x * 2, size.y + pad.y * 2));
}

void SameLineAtRight(float width) {
  // After the previous item the cursor is at the start of the next line: from there, the
  // content region's right edge in window coordinates (GetContentRegionAvail leaves out the
  // padding and the scrollbar; SameLine's offset counts from the window's left edge).
  const float right = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
  const float after_previous =
      ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetScrollX() + ImGui::GetStyle().ItemSpacing.x;
  ImGui::SameLine(std::max(right - width, after_previous));
}

float SmallButtonWidth(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}

void Muted(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, palette::muted);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

void HelpMarker(const char* text) {
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void EmptyState(const char* title, const char* hint) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float wrap = std::min(avail.x * 0.8f, ImGui::GetFontSize() * 28.0f);
  const ImVec2 title_size = ImGui::CalcTextSize(title, nullptr, false, wrap);
  const ImVec2 hint_size = ImGui::CalcTextSize(hint, nullptr, false, wrap);
  const float total = title_size.y + hint_size.y + ImGui::GetStyle().ItemSpacing.y;
  const ImVec2 start = ImGui::GetCursorPos();
  ImGui::SetCursorPos(ImVec2(start.x + (avail.x - title_size.x) * 0.5f, start.y + std::max(0.0f, (avail.y - total) * 0.4f)));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextUnformatted(title);
  ImGui::PopTextWrapPos();
  ImGui::SetCursorPosX(start.x + (avail.x - hint_size.x) * 0.5f);
  ImGui::PushStyleColor(ImGuiCol_Text, palette::muted);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextUnformatted(hint);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void ErrorText(const std::string& message) {
  if (message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, palette::danger);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(message.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

namespace {
bool styled_button(const char* label, bool enabled, const char* why, ImVec2 size, bool primary) {
  if (primary) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.22f, 0.40f, 0.39f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.26f, 0.47f, 0.45f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.30f, 0.53f, 0.51f, 1.0f));
  }
  if (!enabled) {
    ImGui::PushItemFlag(ImGuiItemFlags_Disabled, true);
    ImGui::PushStyleVar(ImGuiStyleVar_Alpha, ImGui::GetStyle().Alpha * 0.45f);
  }
  const bool pressed = ImGui::Button(label, size);
  if (!enabled) {
    ImGui::PopStyleVar();
    ImGui::PopItemFlag();
    if (why != nullptr && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", why);
  }
  if (primary) ImGui::PopStyleColor(3);
  return pressed && enabled;
}
}  // namespace

bool PrimaryButton(const char* label, bool enabled, const char* why, ImVec2 size) {
  return styled_button(label, enabled, why, size, true);
}

bool Button(const char* label, bool enabled, const char* why, ImVec2 size) {
  return styled_button(label, enabled, why, size, false);
}

void Progress(const TaskProgress& progress, const char* what) {
  const float f = progress.fraction();
  char overlay[96];
  if (f >= 0) {
    std::snprintf(overlay, sizeof overlay, "%s %.0f%%", what, static_cast<double>(f) * 100.0);
    ImGui::ProgressBar(std::min(f, 1.0f), ImVec2(-1, 0), overlay);
  } else {
    std::snprintf(overlay, sizeof overlay, "%s %.1f MB", what, static_cast<double>(progress.done.load()) / 1e6);
    // An indeterminate bar: a slice that moves.
    const float t = static_cast<float>(ImGui::GetTime());
    const float phase = t - std::floor(t);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = ImGui::GetFrameHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), ImGui::GetColorU32(ImGuiCol_FrameBg), ImGui::GetStyle().FrameRounding);
    const float x = pos.x + (w * 1.25f) * phase - w * 0.25f;
    dl->AddRectFilled(ImVec2(std::max(pos.x, x), pos.y), ImVec2(std::min(pos.x + w, x + w * 0.25f), pos.y + h),
                      ImGui::GetColorU32(palette::accent_dim), ImGui::GetStyle().FrameRounding);
    const ImVec2 ts = ImGui::CalcTextSize(overlay);
    dl->AddText(ImVec2(pos.x + (w - ts.x) * 0.5f, pos.y + (h - ts.y) * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), overlay);
    ImGui::Dummy(ImVec2(w, h));
  }
}

void Qr(const QrCode& code, float module) {
  const float quiet = module * 4;
  const float side = static_cast<float>(code.size) * module + quiet * 2;
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(pos, ImVec2(pos.x + side, pos.y + side), IM_COL32(245, 245, 240, 255), 4.0f);
  for (int y = 0; y < code.size; ++y)
    for (int x = 0; x < code.size; ++x)
      if (code.dark(x, y)) {
        const ImVec2 a(pos.x + quiet + static_cast<float>(x) * module, pos.y + quiet + static_cast<float>(y) * module);
        dl->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32(20, 22, 26, 255));
      }
  ImGui::Dummy(ImVec2(side, side));
}

void CenterNextWindow(ImVec2 size) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(size, ImGuiCond_Appearing);
}

}  // namespace ui
}  // namespace bc::gui
