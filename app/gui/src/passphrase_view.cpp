#include "backchannel/gui/passphrase_view.h"

#include <imgui.h>

#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void PassphraseView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::passphrase);
  if (!open) {
    if (!running_ && (!current_.empty() || !next_.empty() || !again_.empty())) Clear();
    return;
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 28, ImGui::GetFontSize() * 20));
  if (ctx.take_focus(Window::passphrase)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Change passphrase", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::BeginDisabled(running_);
    ImGui::TextUnformatted("Current passphrase");
    current_.Draw("##current", -1);
    ImGui::TextUnformatted("New passphrase");
    next_.Draw("##next", -1);
    if (next_.edited() || next_.empty()) strength_ = estimate_strength(next_.c_str());
    if (!next_.empty()) {
      ImGui::TextColored(strength_.score >= 2 ? palette::ok : palette::danger, "%s", strength_.label);
      ImGui::SameLine();
      ui::Muted(strength_.advice);
    }
    ImGui::TextUnformatted("Repeat the new passphrase");
    again_.Draw("##again", -1);
    ImGui::EndDisabled();
    const bool match = next_.equals(again_);
    if (!again_.empty() && !match) ImGui::TextColored(palette::danger, "The two passphrases differ.");
    ui::ErrorText(error_);
    ImGui::Spacing();
    if (running_) {
      ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
      ImGui::SameLine();
      ui::Muted("Checking and rewriting the key slot…");
    } else if (ui::PrimaryButton("Change passphrase",
                                 !current_.empty() && !next_.empty() && match && strength_.bits >= kMinimumPassphraseBits,
                                 "Type the current passphrase and a strong new one twice")) {
      start(ctx);
    }
  }
  ImGui::End();
}

void PassphraseView::start(UiContext& ctx) {
  error_.clear();
  auto current = std::make_shared<crypto::SecureBuffer>(current_.copy());
  auto next = std::make_shared<crypto::SecureBuffer>(next_.copy());
  Clear();
  const std::filesystem::path dir = ctx.vault_dir;
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("passphrase", [this, &ctx, current, next, dir, session](TaskProgress&) -> TaskRunner::Continuation {
    // Opening with the current passphrase proves it; the change goes through that connection.
    auto v = core::Vault::open(dir, *current);
    current->clear();
    Status st = v ? v->change_passphrase(*next) : Status(v.error());
    next->clear();
    if (v) v->lock();
    auto s = std::make_shared<Status>(std::move(st));
    return [this, &ctx, s, session] {
      running_ = false;
      if (session != ctx.session) return;
      if (!s->ok()) {
        error_ = s->error().code == ErrorCode::auth_failed ? "The current passphrase is wrong." : describe(s->error());
        return;
      }
      ctx.toast("Passphrase changed. The recovery code is unchanged.");
      ctx.open(Window::passphrase) = false;
    };
  });
}

void PassphraseView::Clear() {
  current_.clear();
  next_.clear();
  again_.clear();
  strength_ = {};
}

}  // namespace bc::gui
