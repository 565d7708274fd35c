#include "backchannel/gui/search_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "backchannel/gui/keys.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void SearchView::run(UiContext& ctx) {
  for (auto& h : hits_) {
    wipe_string(h.snippet);
    wipe_string(h.speaker);
    wipe_string(h.meeting_title);
  }
  hits_.clear();
  error_.clear();
  wipe_string(ran_);
  ran_ = query_;
  selected_ = 0;
  if (!ctx.vault || query_.find_first_not_of(' ') == std::string::npos) return;
  auto r = core::search_notes(*ctx.vault, query_, 100);
  if (!r) error_ = describe(r.error());
  else hits_ = std::move(*r);
}

void SearchView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::search);
  if (!open) {
    if (was_open_) Clear();
    was_open_ = false;
    return;
  }
  if (!was_open_ || ctx.take_focus(Window::search)) {
    focus_ = true;
    ImGui::SetNextWindowFocus();
  }
  was_open_ = true;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.12f),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 38, ImGui::GetFontSize() * 26), ImGuiCond_Appearing);
  if (ImGui::Begin("Search", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    if (focus_) {
      ImGui::SetKeyboardFocusHere();
      focus_ = false;
    }
    ImGui::SetNextItemWidth(-1);
    const bool enter = ImGui::InputTextWithHint("##q", "Search every note (any script; Enter opens the first result)", &query_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemEdited()) edited_at_ = ctx.now;
    if (has_rtl(query_)) ui::ShapedColored(ctx.shaper, query_, palette::muted);
    // Search once typing pauses (the query runs inside the encrypted database in a few ms).
    if (query_ != ran_ && edited_at_ >= 0) {
      if (ctx.now - edited_at_ > 0.15) run(ctx);
      else ctx.wake_at(edited_at_ + 0.16);
    }
    if (ImGui::IsItemActive() && !hits_.empty()) {
      if (keys::named(ImGuiKey_DownArrow, true)) selected_ = std::min(selected_ + 1, static_cast<int>(hits_.size()) - 1);
      if (keys::named(ImGuiKey_UpArrow, true)) selected_ = std::max(selected_ - 1, 0);
    }
    auto open_hit = [&](const core::SearchHit& h) {
      ctx.select_meeting(h.meeting_id);
      ctx.post(Event::Kind::show_note, h.meeting_id, h.note_id);
      ctx.show_panel(Panel::notes);
      open = false;
    };
    if (enter) {
      if (query_ != ran_) run(ctx);
      if (!hits_.empty()) open_hit(hits_[static_cast<std::size_t>(selected_)]);
    }
    ui::ErrorText(error_);
    if (!ran_.empty() && hits_.empty() && error_.empty()) ui::Muted("No notes match.");
    ImGui::BeginChild("##hits");
    const float w = ImGui::GetContentRegionAvail().x;
    for (int i = 0; i < static_cast<int>(hits_.size()); ++i) {
      const auto& h = hits_[static_cast<std::size_t>(i)];
      ImGui::PushID(i);
      const ImVec2 start = ImGui::GetCursorPos();
      ImGui::PushStyleColor(ImGuiCol_Text, palette::muted);
      ui::Shaped(ctx.shaper, h.meeting_title);
      ImGui::PopStyleColor();
      ImGui::SameLine();
      ImGui::PushFont(ctx.fonts->bold);
      ui::ShapedColored(ctx.shaper, h.speaker.empty() ? std::string("Organizers") : h.speaker, palette::accent);
      ImGui::PopFont();
      ui::Paragraph(ctx.shaper, h.snippet, w, {}, ctx.settings.privacy_veil);
      const ImVec2 end = ImGui::GetCursorPos();
      ImGui::SetCursorPos(start);
      if (ImGui::Selectable("##hit", i == selected_, ImGuiSelectableFlags_AllowItemOverlap, ImVec2(w, end.y - start.y - 2)))
        open_hit(h);
      ImGui::SetCursorPos(end);
      ImGui::PopID();
    }
    ImGui::EndChild();
  }
  ImGui::End();
}

void SearchView::Clear() {
  for (auto& h : hits_) {
    wipe_string(h.snippet);
    wipe_string(h.speaker);
    wipe_string(h.meeting_title);
  }
  hits_.clear();
  wipe_string(query_);
  wipe_string(ran_);
  error_.clear();
  edited_at_ = -1;
}

bool SearchView::DebugContains(std::string_view needle) const {
  for (const auto& h : hits_)
    if (holds(h.snippet, needle) || holds(h.speaker, needle) || holds(h.meeting_title, needle)) return true;
  return holds(query_, needle) || holds(ran_, needle);
}

}  // namespace bc::gui
