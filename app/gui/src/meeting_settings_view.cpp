#include "backchannel/gui/meeting_settings_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "backchannel/core/meetings.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void MeetingSettingsView::load(UiContext& ctx) {
  Clear();
  if (!ctx.vault || !ctx.meeting) return;
  auto m = core::get_meeting(*ctx.vault, *ctx.meeting);
  if (!m) {
    error_ = describe(m.error());
    return;
  }
  meeting_ = m->id;
  location_ = m->location.value_or("");
  for (int a = 0; a < 2; ++a) location_named_[a] = m->location_disclosure[static_cast<std::size_t>(a)] == core::DisclosureLevel::named;
  rule_ = m->rule ? static_cast<int>(*m->rule) + 1 : 0;
  for (const auto& t : m->public_terms) public_terms_ += t + "\n";
  wipe_string(m->title);
}

void MeetingSettingsView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::meeting_settings);
  if (!open || !ctx.meeting) {
    if (was_open_) Clear();
    was_open_ = false;
    return;
  }
  if (!was_open_ || meeting_ != *ctx.meeting) load(ctx);
  was_open_ = true;
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 30, ImGui::GetFontSize() * 27));
  if (ctx.take_focus(Window::meeting_settings)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Meeting settings", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::PushItemWidth(-1);
    ImGui::TextUnformatted("Location");
    ImGui::InputTextWithHint("##location", "none", &location_);
    ImGui::Checkbox("Participants may see the location", &location_named_[0]);
    ImGui::Checkbox("The public may see the location", &location_named_[1]);
    ImGui::SameLine();
    ui::HelpMarker("A hidden location is also replaced by [location withheld] inside note text.");
    ImGui::TextUnformatted("Rule");
    const char* rules[] = {"As the series", "Chatham House Rule", "Off the record", "On background"};
    ImGui::Combo("##rule", &rule_, rules, 4);
    ui::Muted(rule_ == 2 ? "Off the record: no public summary at all."
              : rule_ == 3 ? "On background: nobody is named to the public (named becomes role)."
                           : "");
    ImGui::TextUnformatted("Public terms (one per line)");
    ImGui::SameLine();
    ui::HelpMarker("Words never redacted even when they equal a protected affiliation, e.g. \"Ministry of Foreign Affairs\" "
                   "when it is the subject of the talks.");
    ImGui::InputTextMultiline("##terms", &public_terms_, ImVec2(-1, ImGui::GetTextLineHeight() * 5));
    ImGui::PopItemWidth();
    ui::ErrorText(error_);
    if (ui::PrimaryButton("Save", !saving_, "Saving…")) save(ctx);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) open = false;
    if (saving_) {
      ImGui::SameLine();
      ui::Muted("Saving…");
    }
  }
  ImGui::End();
}

void MeetingSettingsView::save(UiContext& ctx) {
  error_.clear();
  // The update lives with the write and is wiped when the write and its answer are done.
  auto u = std::shared_ptr<core::MeetingUpdate>(new core::MeetingUpdate, [](core::MeetingUpdate* p) {
    if (p->location) wipe_string(*p->location);
    if (p->public_terms) wipe_strings(*p->public_terms);
    delete p;
  });
  u->location = location_;
  for (int a = 0; a < 2; ++a)
    u->location_disclosure[a] = location_named_[a] ? core::DisclosureLevel::named : core::DisclosureLevel::hidden;
  if (rule_ > 0) u->rule = static_cast<core::Rule>(rule_ - 1);
  std::vector<std::string> terms;
  std::string line;
  for (char c : public_terms_) {
    if (c == '\n') {
      if (!line.empty()) terms.push_back(line);
      wipe_string(line);
    } else {
      line.push_back(c);
    }
  }
  if (!line.empty()) terms.push_back(line);
  wipe_string(line);
  u->public_terms = std::move(terms);
  const std::int64_t meeting = meeting_;
  const std::uint64_t session = ctx.session;
  saving_ = true;
  ctx.write([this, &ctx, u, meeting, session](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<Status>(core::update_meeting(v, meeting, *u));
    return [this, &ctx, meeting, session, st] {
      if (session != ctx.session) return;
      saving_ = false;
      if (!st->ok()) {
        error_ = describe(st->error());
        return;
      }
      ctx.post(Event::Kind::meetings_changed);
      ctx.post(Event::Kind::participants_changed, meeting);
      ctx.toast("Meeting settings saved.");
      if (meeting == meeting_) ctx.open(Window::meeting_settings) = false;
    };
  });
}

void MeetingSettingsView::Clear() {
  wipe_string(location_);
  wipe_string(public_terms_);
  error_.clear();
  meeting_ = 0;
  saving_ = false;
}

bool MeetingSettingsView::DebugContains(std::string_view needle) const {
  return holds(location_, needle) || holds(public_terms_, needle) || holds(error_, needle);
}

}  // namespace bc::gui
