// Small drawing helpers shared by the views: shaped text, wrapped paragraphs with highlighted
// spans and the privacy veil, spinners, badges, empty states, the QR code.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "backchannel/core/domain.h"
#include "backchannel/gui/text_shaper.h"

namespace bc::gui {

struct QrCode;
struct TaskProgress;

/// The colour of a note kind's label.
const ImVec4& kind_color(core::NoteKind k);

namespace ui {

/// A byte range of a source text.
struct Span {
  std::size_t begin = 0, end = 0;
};

/// One line of user text (names, titles), shaped when it is Persian or Arabic.
void Shaped(TextShaper& shaper, std::string_view text);
void ShapedColored(TextShaper& shaper, std::string_view text, const ImVec4& color);
/// Width of `text` on one line once shaped.
float ShapedWidth(TextShaper& shaper, std::string_view text);

/// Draws `text` wrapped to `width`, right-to-left paragraphs aligned right. Byte ranges in
/// `highlight` get a background. With `veil`, bars stand in for the letters unless the mouse is
/// over the paragraph (the privacy setting). Returns the height used.
float Paragraph(TextShaper& shaper, std::string_view text, float width, std::span<const Span> highlight = {},
                bool veil = false, const ImVec4* color = nullptr);
/// The height Paragraph() will use, without caching the layout (for list heights).
float ParagraphHeight(std::string_view text, float width);

/// A turning arc, `radius` pixels, at the cursor.
void Spinner(float radius, const ImVec4& color);
/// A small rounded label.
void Badge(const char* text, const ImVec4& color);
/// Muted text.
void Muted(const char* text);
/// "(?)" with a tooltip.
void HelpMarker(const char* text);
/// A centred title and hint for a panel with nothing in it yet.
void EmptyState(const char* title, const char* hint);
/// A message in the danger colour, wrapped.
void ErrorText(const std::string& message);
/// An accented button (the main action of a form). Disabled buttons are drawn dimmed and
/// return false; `why` explains on hover.
bool PrimaryButton(const char* label, bool enabled = true, const char* why = nullptr, ImVec2 size = ImVec2(0, 0));
bool Button(const char* label, bool enabled = true, const char* why = nullptr, ImVec2 size = ImVec2(0, 0));
/// A progress bar for a task: a fraction when the total is known, else a moving bar.
void Progress(const TaskProgress& progress, const char* what);
/// Draws a QR code with `module` pixels per module and a quiet zone, on a light background.
void Qr(const QrCode& code, float module);
/// Puts the next item on the line of the previous one, right-aligned: its right edge `width`
/// pixels further on touches the right edge of the content region (inside the window padding
/// and the scrollbar, if any), but never over the previous item.
void SameLineAtRight(float width);
/// The width ImGui::SmallButton(label) takes.
float SmallButtonWidth(const char* label);
/// Centres the next window on the main viewport at `size` (the first time it appears).
void CenterNextWindow(ImVec2 size);

}  // namespace ui
}  // namespace bc::gui
