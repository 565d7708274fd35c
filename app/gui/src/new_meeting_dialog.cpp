#include "backchannel/gui/new_meeting_dialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <ctime>

#include "backchannel/core/meetings.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

namespace {
const char* kRules[] = {"Chatham House Rule", "Off the record", "On background"};

std::string now_local_rfc3339() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:00%z", &tm);
  std::string s = buf;  // +0100 -> +01:00
  if (s.size() >= 5) s.insert(s.size() - 2, ":");
  return s;
}
}  // namespace

void NewMeetingDialog::reset(UiContext& ctx) {
  Clear();
  if (ctx.vault) {
    if (auto s = core::list_series(*ctx.vault)) series_ = std::move(*s);
  }
  series_index_ = series_.empty() ? -1 : static_cast<int>(series_.size()) - 1;
  starts_at_ = now_local_rfc3339();
  focus_ = true;
}

void NewMeetingDialog::create(UiContext& ctx) {
  error_.clear();
  if (!ctx.vault || saving_) return;
  std::int64_t series_id = 0;
  if (series_index_ >= 0 && series_index_ < static_cast<int>(series_.size())) {
    series_id = series_[static_cast<std::size_t>(series_index_)].id;
  } else if (new_series_.empty()) {
    error_ = "Name the new series.";
    return;
  }
  auto ts = core::normalize_timestamp(starts_at_);
  if (!ts) {
    error_ = "The start time must look like 2025-03-14T09:30:00+01:00.";
    return;
  }
  // What the writer stores, wiped when the write and its answer are done.
  struct Request {
    core::NewMeeting meeting;
    std::string new_series;  ///< when meeting.series_id is 0
    core::Rule series_rule = core::Rule::chatham_house;
  };
  auto r = std::shared_ptr<Request>(new Request, [](Request* p) {
    wipe_string(p->meeting.title);
    if (p->meeting.location) wipe_string(*p->meeting.location);
    wipe_string(p->new_series);
    delete p;
  });
  r->meeting.series_id = series_id;
  r->meeting.title = title_;
  r->meeting.starts_at = *ts;
  if (!location_.empty()) r->meeting.location = location_;
  for (int a = 0; a < 2; ++a)
    r->meeting.location_disclosure[static_cast<std::size_t>(a)] =
        location_named_[a] ? core::DisclosureLevel::named : core::DisclosureLevel::hidden;
  if (rule_ > 0) r->meeting.rule = static_cast<core::Rule>(rule_ - 1);
  if (series_id == 0) {
    r->new_series = new_series_;
    r->series_rule = static_cast<core::Rule>(series_rule_);
  }
  const std::uint64_t session = ctx.session;
  saving_ = true;
  ctx.write([this, &ctx, r, session](core::Vault& v) -> TaskRunner::Continuation {
    auto create_in_vault = [&]() -> Result<std::int64_t> {
      if (r->meeting.series_id == 0) {
        BC_ASSIGN(r->meeting.series_id, core::ensure_series(v, r->new_series, r->series_rule));
      }
      return core::create_meeting(v, r->meeting);
    };
    auto id = std::make_shared<Result<std::int64_t>>(create_in_vault());
    return [this, &ctx, id, session] {
      if (session != ctx.session) return;
      saving_ = false;
      ctx.post(Event::Kind::meetings_changed);  // a new series may be stored even if the meeting is not
      if (!id->ok()) {
        error_ = describe(id->error());
        return;
      }
      ctx.select_meeting(id->value());
      ctx.show_panel(Panel::participants);
      ctx.toast("Meeting created. Add its participants, then take notes.");
      ctx.open(Window::new_meeting) = false;
    };
  });
}

void NewMeetingDialog::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::new_meeting);
  if (!open) {
    if (was_open_) Clear();
    was_open_ = false;
    return;
  }
  if (!was_open_) reset(ctx);
  was_open_ = true;
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 30, ImGui::GetFontSize() * 26));
  if (ctx.take_focus(Window::new_meeting)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("New meeting", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::PushItemWidth(-1);
    ImGui::TextUnformatted("Series");
    const char* preview = series_index_ >= 0 ? ctx.shaper.label(series_[static_cast<std::size_t>(series_index_)].title) : "A new series…";
    if (ImGui::BeginCombo("##series", preview)) {
      for (int i = 0; i < static_cast<int>(series_.size()); ++i) {
        ImGui::PushID(i);
        if (ImGui::Selectable(ctx.shaper.label(series_[static_cast<std::size_t>(i)].title), i == series_index_)) series_index_ = i;
        ImGui::PopID();
      }
      if (ImGui::Selectable("A new series…", series_index_ < 0)) series_index_ = -1;
      ImGui::EndCombo();
    }
    if (series_index_ < 0) {
      ImGui::InputTextWithHint("##new-series", "Name of the new series", &new_series_);
      ImGui::Combo("##series-rule", &series_rule_, kRules, 3);
    }
    ImGui::Spacing();
    ImGui::TextUnformatted("Meeting title");
    if (focus_) {
      ImGui::SetKeyboardFocusHere();
      focus_ = false;
    }
    const bool enter = ImGui::InputTextWithHint("##title", "e.g. Round 8: maritime incidents", &title_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    if (has_rtl(title_)) ui::Shaped(ctx.shaper, title_);
    ImGui::TextUnformatted("Starts at");
    ImGui::InputText("##starts", &starts_at_);
    ImGui::TextUnformatted("Location (optional)");
    ImGui::InputTextWithHint("##location", "e.g. Stockholm", &location_);
    ImGui::Checkbox("Participants may see the location", &location_named_[0]);
    ImGui::Checkbox("The public may see the location", &location_named_[1]);
    ImGui::TextUnformatted("Rule");
    const char* rules[] = {"As the series", "Chatham House Rule", "Off the record", "On background"};
    ImGui::Combo("##rule", &rule_, rules, 4);
    ImGui::PopItemWidth();
    ui::ErrorText(error_);
    ImGui::Spacing();
    if (ui::PrimaryButton("Create meeting", !title_.empty() && !saving_, saving_ ? "Saving…" : "Give the meeting a title") ||
        (enter && !title_.empty()))
      create(ctx);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) open = false;
    if (saving_) {
      ImGui::SameLine();
      ui::Muted("Saving…");
    }
  }
  ImGui::End();
}

void NewMeetingDialog::Clear() {
  for (auto& s : series_) wipe_string(s.title);
  series_.clear();
  wipe_string(new_series_);
  wipe_string(title_);
  wipe_string(location_);
  starts_at_.clear();
  error_.clear();
  series_index_ = -1;
  rule_ = 0;
  location_named_[0] = location_named_[1] = false;
  saving_ = false;
}

bool NewMeetingDialog::DebugContains(std::string_view needle) const {
  for (const auto& s : series_)
    if (holds(s.title, needle)) return true;
  return holds(new_series_, needle) || holds(title_, needle) || holds(location_, needle) || holds(error_, needle);
}

}  // namespace bc::gui
