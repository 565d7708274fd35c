#include "backchannel/gui/meeting_list_view.h"

#include <imgui.h>

#include <algorithm>

#include "backchannel/core/meetings.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

const char* rule_label(core::Rule r) {
  switch (r) {
    case core::Rule::chatham_house: return "Chatham House Rule";
    case core::Rule::off_the_record: return "Off the record";
    case core::Rule::on_background: return "On background";
  }
  return "";
}

void MeetingListView::reload(UiContext& ctx) {
  Clear();
  revision_ = ctx.revision;
  if (!ctx.vault) return;
  auto s = core::list_series(*ctx.vault);
  auto m = core::list_meetings(*ctx.vault);
  if (!s || !m) {
    error_ = !s ? describe(s.error()) : describe(m.error());
    return;
  }
  series_ = std::move(*s);
  meetings_ = std::move(*m);
}

const core::Meeting* MeetingListView::selected(const UiContext& ctx) const {
  if (!ctx.meeting) return nullptr;
  for (const auto& m : meetings_)
    if (m.id == *ctx.meeting) return &m;
  return nullptr;
}

void MeetingListView::Draw(UiContext& ctx) {
  bool dirty = revision_ != ctx.revision && ctx.vault;
  for (const Event& e : ctx.events()) {
    if (e.kind == Event::Kind::note_added || e.kind == Event::Kind::note_changed) {
      // Only the count moved: no need to read every meeting again.
      for (auto& m : meetings_)
        if (m.id == e.meeting_id && e.kind == Event::Kind::note_added) ++m.note_count;
      revision_ = ctx.revision;
      dirty = false;
    } else if (e.kind == Event::Kind::meetings_changed || e.kind == Event::Kind::notes_reloaded) {
      dirty = true;
    }
  }
  if (dirty) reload(ctx);

  ImGui::PushFont(ctx.fonts->bold);
  ImGui::TextUnformatted("Meetings");
  ImGui::PopFont();
  ui::SameLineAtRight(ui::SmallButtonWidth("+"));
  if (ImGui::SmallButton("+")) ctx.show(Window::new_meeting);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("New meeting (Ctrl+Shift+N)");
  ImGui::Spacing();
  if (!error_.empty()) ui::ErrorText(error_);
  if (meetings_.empty()) {
    ImGui::PushTextWrapPos(0);
    ui::Muted("No meetings yet.");
    ImGui::PopTextWrapPos();
    if (ImGui::Button("New meeting…", ImVec2(-1, 0))) ctx.show(Window::new_meeting);
    if (ImGui::Button("Import a meeting file…", ImVec2(-1, 0))) ctx.show(Window::import_meeting);
    if (ImGui::Button("Import an archive…", ImVec2(-1, 0))) ctx.show(Window::archive_import);
  }
  for (const auto& s : series_) {
    std::vector<const core::Meeting*> ms;
    for (const auto& m : meetings_)
      if (m.series_id == s.id) ms.push_back(&m);
    if (ms.empty()) continue;
    // Newest first: the meeting in progress is usually the latest.
    std::sort(ms.begin(), ms.end(), [](const core::Meeting* a, const core::Meeting* b) { return a->starts_at > b->starts_at; });
    ImGui::PushID(static_cast<int>(s.id));
    ImGui::SetNextItemOpen(true, ImGuiCond_Once);
    ImGui::PushStyleColor(ImGuiCol_Text, palette::muted);
    const bool open = ImGui::TreeNodeEx("##series", ImGuiTreeNodeFlags_SpanAvailWidth | ImGuiTreeNodeFlags_NoTreePushOnOpen,
                                        "%s", ctx.shaper.label(s.title));
    ImGui::PopStyleColor();
    if (open) {
      for (const core::Meeting* m : ms) {
        ImGui::PushID(static_cast<int>(m->id));
        const bool sel = ctx.meeting && *ctx.meeting == m->id;
        const float line = ImGui::GetTextLineHeight();
        const ImVec2 pos = ImGui::GetCursorPos();
        if (ImGui::Selectable("##m", sel, 0, ImVec2(0, line * 2 + 2)) && !sel) ctx.select_meeting(m->id);
        ImGui::SetCursorPos(ImVec2(pos.x + 8, pos.y));
        ui::Shaped(ctx.shaper, m->title);
        ImGui::SetCursorPos(ImVec2(pos.x + 8, pos.y + line + 1));
        ImGui::TextDisabled("%s · %lld notes", m->starts_at.substr(0, 10).c_str(), static_cast<long long>(m->note_count));
        ImGui::PopID();
      }
    }
    ImGui::Spacing();
    ImGui::PopID();
  }
}

void MeetingListView::DrawHeader(UiContext& ctx) {
  const core::Meeting* m = selected(ctx);
  if (!m) return;
  ImGui::PushFont(ctx.fonts->heading);
  ui::Shaped(ctx.shaper, m->title);
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, palette::muted);
  ui::Shaped(ctx.shaper, m->series_title);
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::TextDisabled("· %s", m->starts_at.substr(0, 10).c_str());
  if (m->location) {
    ImGui::SameLine();
    ImGui::TextDisabled("·");
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ui::Shaped(ctx.shaper, *m->location);
    ImGui::PopStyleColor();
  }
  ImGui::SameLine();
  const core::Rule r = m->effective_rule();
  ui::Badge(rule_label(r), r == core::Rule::off_the_record ? palette::warn : palette::accent);
}

void MeetingListView::Clear() {
  for (auto& s : series_) wipe_string(s.title);
  for (auto& m : meetings_) {
    wipe_string(m.title);
    wipe_string(m.series_title);
    if (m.location) wipe_string(*m.location);
    wipe_strings(m.public_terms);
  }
  series_.clear();
  meetings_.clear();
  error_.clear();
  revision_ = 0;
}

bool MeetingListView::DebugContains(std::string_view needle) const {
  for (const auto& s : series_)
    if (holds(s.title, needle)) return true;
  for (const auto& m : meetings_)
    if (holds(m.title, needle) || holds(m.series_title, needle) || (m.location && holds(*m.location, needle)) ||
        holds(m.public_terms, needle))
      return true;
  return holds(error_, needle);
}

}  // namespace bc::gui
