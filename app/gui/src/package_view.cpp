#include "backchannel/gui/package_view.h"

#include <imgui.h>

#include "backchannel/gui/error_text.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/core/review.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"

namespace bc::gui {

void PackageView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::packages);
  if (!open || !ctx.meeting) {
    if (!open && meeting_ != 0) Clear();
    return;
  }
  const auto& people = ctx.model().participants();
  if (meeting_ != ctx.model().id()) {
    chosen_.clear();
    written_.clear();
    meeting_ = ctx.model().id();
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 32, ImGui::GetFontSize() * 30));
  if (ctx.take_focus(Window::packages)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Send summary packages", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::PushTextWrapPos(0);
    ui::Muted("Each chosen participant gets their own copy of the summary, with their own statements marked, encrypted "
              "to them only and signed by this vault. They review it in their Backchannel and send back a response.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    ImGui::TextUnformatted("Audience");
    ImGui::SameLine();
    ImGui::RadioButton("Other participants", &audience_, 0);
    ImGui::SameLine();
    ImGui::RadioButton("The public", &audience_, 1);
    ImGui::TextUnformatted("Recipients");
    ImGui::BeginChild("##people", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 8), true);
    for (const auto& p : people) {
      ImGui::PushID(static_cast<int>(p.id));
      const bool has_key = p.recipient.has_value();
      bool on = chosen_.count(p.key) > 0;
      ImGui::BeginDisabled(!has_key);
      if (ImGui::Checkbox("##on", &on)) {
        if (on) chosen_.insert(p.key);
        else chosen_.erase(p.key);
      }
      ImGui::EndDisabled();
      ImGui::SameLine();
      ui::Shaped(ctx.shaper, p.name);
      if (!has_key) {
        ImGui::SameLine();
        ImGui::TextDisabled("no key yet: add their age1… recipient under Participants");
      }
      ImGui::PopID();
    }
    if (people.empty()) ui::Muted("This meeting has no participants.");
    ImGui::EndChild();
    ImGui::TextUnformatted("Folder for the packages");
    PathField("dir", dir_, picker_, FilePicker::Mode::folder, "Choose a folder for the packages", "e.g. ~/outbox");
    ui::ErrorText(error_);
    for (const auto& w : written_) ImGui::TextColored(palette::ok, "%s", w.c_str());
    if (running_) {
      ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
      ImGui::SameLine();
      ui::Muted("Building, checking and encrypting each copy…");
    } else if (ui::PrimaryButton("Create packages", !chosen_.empty() && !dir_.empty(), "Choose recipients and a folder")) {
      start(ctx);
    }
  }
  ImGui::End();
}

void PackageView::start(UiContext& ctx) {
  error_.clear();
  written_.clear();
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    error_ = describe(conn.error());
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  std::vector<core::PackageTarget> targets;
  for (const auto& k : chosen_) targets.push_back({k, std::nullopt});
  const auto audience = static_cast<core::Audience>(audience_);
  const std::string dir = dir_;
  const std::int64_t meeting = meeting_;
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("packages", [this, &ctx, vault, targets, audience, dir, meeting, session](TaskProgress&) -> TaskRunner::Continuation {
    auto r = std::make_shared<Result<std::vector<core::PackageFile>>>(core::package_summaries(*vault, meeting, audience, targets, dir));
    vault->lock();
    return [this, &ctx, r, session] {
      running_ = false;
      if (session != ctx.session) return;
      if (!r->ok()) {
        error_ = describe(r->error());
        return;
      }
      for (const auto& f : r->value()) written_.push_back(f.key + " → " + f.path.filename().string());
      ctx.toast("Wrote " + std::to_string(r->value().size()) + " packages, each encrypted to its participant only.");
      ctx.post(Event::Kind::responses_changed, meeting_);
    };
  });
}

void PackageView::Clear() {
  chosen_.clear();
  written_.clear();
  dir_.clear();
  picker_.clear();
  error_.clear();
  meeting_ = 0;
}

bool PackageView::DebugContains(std::string_view needle) const {
  for (const auto& k : chosen_)
    if (holds(k, needle)) return true;
  return holds(error_, needle) || holds(written_, needle);
}

}  // namespace bc::gui
