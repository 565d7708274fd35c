#include "backchannel/gui/conflicts_view.h"

#include <imgui.h>

#include "backchannel/gui/error_text.h"
#include "backchannel/gui/sync_service.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {

void wipe_conflicts(std::vector<core::Conflict>& all) {
  for (auto& c : all) {
    wipe_string(c.current);
    for (auto& s : c.sides) wipe_string(s.value);
  }
  all.clear();
}

}  // namespace

void ConflictsView::reload(UiContext& ctx) {
  // Read on the frame, like the meeting model: a few rows per open conflict.
  wipe_conflicts(conflicts_);
  error_.clear();
  auto all = core::list_conflicts(*ctx.vault);
  if (all) conflicts_ = std::move(*all);
  else error_ = describe(all.error());
  loaded_ = true;
  loaded_revision_ = ctx.revision;
  loaded_rounds_ = ctx.sync ? ctx.sync->rounds() : 0;
}

void ConflictsView::keep(UiContext& ctx, const core::Conflict& c, const core::ConflictSide& side) {
  // A field keeps a value; a note keeps a revision (by its uid).
  const std::string value = c.kind == "note" ? side.change : side.value;
  const std::string id = c.id;
  const std::int64_t meeting = c.meeting_id;
  const std::uint64_t session = ctx.session;
  ctx.write([this, &ctx, session, id, value, meeting](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<bc::Status>(core::resolve_conflict(v, id, value));
    return [this, &ctx, session, st, meeting] {
      if (session != ctx.session) return;
      if (!st->ok()) {
        error_ = describe(st->error());
        return;
      }
      ctx.toast("Conflict resolved. The choice travels with the next sync.");
      ctx.post(Event::Kind::meetings_changed);
      if (meeting != 0) {
        ctx.post(Event::Kind::notes_reloaded, meeting);
        ctx.post(Event::Kind::participants_changed, meeting);
      }
    };
  });
}

void ConflictsView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::conflicts);
  if (!open || !ctx.vault) {
    if (!open && loaded_) Clear();
    return;
  }
  const std::uint64_t rounds = ctx.sync ? ctx.sync->rounds() : 0;
  if (!loaded_ || loaded_revision_ != ctx.revision || loaded_rounds_ != rounds) reload(ctx);
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 44, ImGui::GetFontSize() * 32));
  if (ctx.take_focus(Window::conflicts)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Conflicts", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ui::ErrorText(error_);
    if (conflicts_.empty()) {
      ui::EmptyState("No open conflicts", "When two members change the same thing without seeing each other's change, "
                                          "both sides show here until someone keeps one.");
    }
    const float wrap = ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 8;
    for (const auto& c : conflicts_) {
      ImGui::PushID(c.id.c_str());
      ImGui::Separator();
      std::string where = c.kind == "note" ? "Note " + std::to_string(c.note_id) + " of meeting " + std::to_string(c.meeting_id)
                                           : "Meeting " + std::to_string(c.meeting_id) +
                                                 (c.participant_key.empty() ? "" : ", participant " + c.participant_key) +
                                                 ": " + c.field;
      ImGui::TextColored(palette::warn, "%s", where.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("%s", c.id.substr(0, 8).c_str());
      if (c.kind == "field") {
        ImGui::TextDisabled("Standing meanwhile:");
        ImGui::SameLine();
        ui::Shaped(ctx.shaper, c.current.empty() ? std::string_view("(none)") : std::string_view(c.current));
      }
      int n = 0;
      for (const auto& side : c.sides) {
        ImGui::PushID(n++);
        ImGui::Indent();
        ImGui::TextDisabled("Side %d · %s%s%s", n, side.at.c_str(), side.author_fingerprint.empty() ? "" : " · by ",
                            side.author_fingerprint.c_str());
        if (c.kind == "note") ui::Paragraph(ctx.shaper, side.value, wrap, {}, ctx.settings.privacy_veil);
        else ui::Shaped(ctx.shaper, side.value.empty() ? std::string_view("(none)") : std::string_view(side.value));
        if (ui::Button("Keep this")) keep(ctx, c, side);
        ImGui::Unindent();
        ImGui::PopID();
      }
      ImGui::PopID();
    }
  }
  ImGui::End();
}

void ConflictsView::Clear() {
  wipe_conflicts(conflicts_);
  loaded_ = false;
  loaded_revision_ = loaded_rounds_ = 0;
  error_.clear();
}

bool ConflictsView::DebugContains(std::string_view needle) const {
  for (const auto& c : conflicts_) {
    if (holds(c.current, needle)) return true;
    for (const auto& s : c.sides)
      if (holds(s.value, needle)) return true;
  }
  return holds(error_, needle);
}

}  // namespace bc::gui
