#include "backchannel/gui/note_history_view.h"

#include <imgui.h>

#include "backchannel/core/notes.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void NoteHistoryView::Draw(UiContext& ctx) {
  for (const Event& e : ctx.events())
    if (e.kind == Event::Kind::show_note) ctx.focused_note = e.note_id;
  bool& open = ctx.open(Window::note_history);
  if (!open || !ctx.vault) {
    if (!open && !revisions_.empty()) Clear();
    return;
  }
  if (note_ != ctx.focused_note || revision_ != ctx.revision) {
    Clear();
    note_ = ctx.focused_note;
    revision_ = ctx.revision;
    auto r = core::note_revisions(*ctx.vault, note_);
    if (r) revisions_ = std::move(*r);
    else error_ = describe(r.error());
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 32, ImGui::GetFontSize() * 22));
  if (ctx.take_focus(Window::note_history)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Note history", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ui::ErrorText(error_);
    const float w = ImGui::GetContentRegionAvail().x;
    for (auto it = revisions_.rbegin(); it != revisions_.rend(); ++it) {
      ImGui::TextColored(it == revisions_.rbegin() ? palette::accent : palette::muted, "Revision %d", it->revision);
      ImGui::SameLine();
      ImGui::TextDisabled("%s", it->created_at.c_str());
      ui::Paragraph(ctx.shaper, it->text, w, {}, ctx.settings.privacy_veil);
      ImGui::Separator();
    }
  }
  ImGui::End();
}

void NoteHistoryView::Clear() {
  for (auto& r : revisions_) wipe_string(r.text);
  revisions_.clear();
  error_.clear();
  note_ = 0;
  revision_ = 0;
}

bool NoteHistoryView::DebugContains(std::string_view needle) const {
  for (const auto& r : revisions_)
    if (holds(r.text, needle)) return true;
  return false;
}

}  // namespace bc::gui
