#include "backchannel/gui/speakers_panel.h"

#include <imgui.h>

#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"

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

void SpeakersPanel::Draw(UiContext& ctx) {
  const auto& people = ctx.model().participants();
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
  if (people.empty()) {
    ImGui::PushTextWrapPos(0);
    ui::Muted("Nobody yet. Add the participants and how each may be identified.");
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Add participants", ImVec2(-1, 0))) ctx.show_panel(Panel::participants);
    return;
  }
  ImGui::TextDisabled("0  Organizers");
  for (const auto& p : people) {
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

void SpeakersPanel::Clear() {}  // the participants are the meeting model's

bool SpeakersPanel::DebugContains(std::string_view) const { return false; }

}  // namespace bc::gui
