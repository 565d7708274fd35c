#include "backchannel/gui/speakers_panel.h"

#include <imgui.h>

#include "backchannel/core/participants.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

const char* level_label(core::DisclosureLevel l) {
  switch (l) {
    case core::DisclosureLevel::named: return "named";
    case core::DisclosureLevel::role: return "role";
    case core::DisclosureLevel::pseudonym: return "pseudonym";
    case core::DisclosureLevel::anonymous: return "anonymous";
    case core::DisclosureLevel::hidden: return "hidden";
  }
  return "";
}

const ImVec4& level_color(core::DisclosureLevel l) {
  static const ImVec4 colors[] = {palette::warn, ImVec4(0.80f, 0.72f, 0.45f, 1.0f), palette::accent,
                                  ImVec4(0.55f, 0.68f, 0.88f, 1.0f), palette::muted};
  return colors[static_cast<int>(l)];
}

void SpeakersPanel::reload(UiContext& ctx) {
  Clear();
  revision_ = ctx.revision;
  meeting_ = ctx.meeting.value_or(0);
  if (!ctx.vault || !ctx.meeting) return;
  if (auto ps = core::list_participants(*ctx.vault, *ctx.meeting)) people_ = std::move(*ps);
}

void SpeakersPanel::Draw(UiContext& ctx) {
  bool dirty = ctx.meeting.value_or(0) != meeting_;
  for (const Event& e : ctx.events())
    if (e.kind == Event::Kind::participants_changed || e.kind == Event::Kind::meeting_selected ||
        e.kind == Event::Kind::meetings_changed)
      dirty = true;
  if (dirty) reload(ctx);

  ImGui::PushFont(ctx.fonts->bold);
  ImGui::TextUnformatted("Participants");
  ImGui::PopFont();
  if (!ctx.meeting) {
    ui::Muted("Select a meeting.");
    return;
  }
  ui::SameLineAtRight(ui::SmallButtonWidth("Edit"));
  if (ImGui::SmallButton("Edit")) ctx.show_panel(Panel::participants);
  ImGui::Spacing();
  if (people_.empty()) {
    ImGui::PushTextWrapPos(0);
    ui::Muted("Nobody yet. Add the participants and how each may be identified.");
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Add participants", ImVec2(-1, 0))) ctx.show_panel(Panel::participants);
    return;
  }
  ImGui::TextDisabled("0  Organizers");
  for (const auto& p : people_) {
    ImGui::PushID(static_cast<int>(p.id));
    ImGui::TextDisabled("%d", p.position);
    ImGui::SameLine(ImGui::GetFontSize() * 1.4f + ImGui::GetStyle().WindowPadding.x);
    ImGui::BeginGroup();
    ui::Shaped(ctx.shaper, p.name);
    ImGui::PushStyleColor(ImGuiCol_Text, level_color(p.level_for(core::Audience::participants)));
    ImGui::TextUnformatted(level_label(p.level_for(core::Audience::participants)));
    ImGui::PopStyleColor();
    ImGui::SameLine(0, 4);
    ImGui::TextDisabled("/");
    ImGui::SameLine(0, 4);
    ImGui::PushStyleColor(ImGuiCol_Text, level_color(p.level_for(core::Audience::public_)));
    ImGui::TextUnformatted(level_label(p.level_for(core::Audience::public_)));
    ImGui::PopStyleColor();
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::Text("Ctrl+%d makes them the speaker.", p.position);
      if (p.delegation) ImGui::TextDisabled("Delegation: %s", ctx.shaper.label(*p.delegation));
      ImGui::TextDisabled("Levels: to participants / to the public");
      ImGui::EndTooltip();
    }
    ImGui::PopID();
  }
}

void SpeakersPanel::Clear() {
  for (auto& p : people_) {
    wipe_string(p.name);
    if (p.affiliation) wipe_string(*p.affiliation);
    if (p.descriptor) wipe_string(*p.descriptor);
    if (p.delegation) wipe_string(*p.delegation);
    wipe_strings(p.aliases);
  }
  people_.clear();
  meeting_ = 0;
}

bool SpeakersPanel::DebugContains(std::string_view needle) const {
  for (const auto& p : people_)
    if (holds(p.name, needle) || holds(p.aliases, needle) || (p.affiliation && holds(*p.affiliation, needle)) ||
        (p.descriptor && holds(*p.descriptor, needle)))
      return true;
  return false;
}

}  // namespace bc::gui
