#include "backchannel/gui/audit_view.h"

#include <imgui.h>

#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void AuditView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::audit);
  if (!open || !ctx.vault) return;
  if (revision_ != ctx.revision) {
    entries_.clear();
    if (auto e = core::recent_audit_entries(*ctx.vault, 500)) entries_ = std::move(*e);
    revision_ = ctx.revision;
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 34, ImGui::GetFontSize() * 28));
  if (ctx.take_focus(Window::audit)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Audit log", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::PushTextWrapPos(0);
    ui::Muted("Every change to the vault, hash-chained under the vault's key: removing, reordering or editing an "
              "entry is detected. Entries name actions and record ids only.");
    ImGui::PopTextWrapPos();
    if (running_) {
      ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
      ImGui::SameLine();
      ui::Muted("Checking…");
    } else {
      if (ui::PrimaryButton("Verify the chain")) start_check(ctx, false);
      ImGui::SameLine();
      if (ImGui::Button("Full integrity check")) start_check(ctx, true);
    }
    if (!verdict_.empty()) ImGui::TextColored(verdict_ok_ ? palette::ok : palette::danger, "%s", verdict_.c_str());
    ImGui::Spacing();
    if (ImGui::BeginTable("##audit", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH,
                          ImVec2(0, 0))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3.5f);
      ImGui::TableSetupColumn("When (UTC)", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 11);
      ImGui::TableSetupColumn("Action", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 10);
      ImGui::TableSetupColumn("Subject", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableHeadersRow();
      ImGuiListClipper clipper;
      clipper.Begin(static_cast<int>(entries_.size()));
      while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
          const auto& e = entries_[static_cast<std::size_t>(i)];
          ImGui::TableNextRow();
          ImGui::TableSetColumnIndex(0);
          ImGui::TextDisabled("%lld", static_cast<long long>(e.seq));
          ImGui::TableSetColumnIndex(1);
          ImGui::TextUnformatted(e.at.substr(0, 19).c_str());
          ImGui::TableSetColumnIndex(2);
          ImGui::TextColored(palette::accent, "%s", e.action.c_str());
          ImGui::TableSetColumnIndex(3);
          ImGui::TextUnformatted(e.subject.c_str());
        }
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

void AuditView::start_check(UiContext& ctx, bool full) {
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    verdict_ = describe(conn.error());
    verdict_ok_ = false;
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  const std::uint64_t session = ctx.session;
  running_ = true;
  verdict_.clear();
  ctx.tasks.run("audit", [this, &ctx, vault, full, session](TaskProgress&) -> TaskRunner::Continuation {
    std::string verdict;
    bool ok = true;
    if (full) {
      auto r = core::check_vault(*vault);
      ok = r.ok();
      verdict = !r ? describe(r.error())
                   : "Vault OK: SQLite integrity check, search index, SQLCipher page authentication, and the audit chain (" +
                         std::to_string(r->audit_entries) + " entries).";
    } else {
      auto r = core::verify_audit_log(*vault);
      ok = r.ok();
      verdict = !r ? describe(r.error())
                   : "Audit log intact: " + std::to_string(r->entries) + " entries, every MAC and link verified.";
    }
    vault->lock();
    return [this, &ctx, verdict, ok, session] {
      running_ = false;
      if (session != ctx.session) return;
      verdict_ = verdict;
      verdict_ok_ = ok;
    };
  });
}

void AuditView::Clear() {
  entries_.clear();
  verdict_.clear();
  revision_ = 0;
}

bool AuditView::DebugContains(std::string_view needle) const {
  for (const auto& e : entries_)
    if (holds(e.subject, needle)) return true;
  return false;
}

}  // namespace bc::gui
