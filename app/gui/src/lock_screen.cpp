#include "backchannel/gui/lock_screen.h"

#include <imgui.h>

#include <cmath>

#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void LockScreen::Draw(UiContext& ctx) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("##locked", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  const float w = std::min(ImGui::GetFontSize() * 24.0f, vp->WorkSize.x - 40.0f);
  ImGui::SetCursorPos(ImVec2((vp->WorkSize.x - w) * 0.5f, vp->WorkSize.y * 0.28f));
  ImGui::BeginGroup();
  ImGui::PushFont(ctx.fonts->heading);
  ImGui::TextUnformatted("Locked");
  ImGui::PopFont();
  ui::Muted(reason_.empty() ? "The vault is closed and its keys are wiped." : reason_.c_str());
  ImGui::Dummy(ImVec2(w, ImGui::GetFontSize() * 0.5f));
  // Only the folder's last component: enough to recognise it, nothing from inside the vault.
  const std::string folder = ctx.vault_dir.filename().string();
  ImGui::TextDisabled("Vault: %s", folder.c_str());
  const double t = ctx.now - shake_started_;
  const float shake = t >= 0 && t < 0.45 ? static_cast<float>(std::sin(t * 55.0) * 9.0 * (1.0 - t / 0.45)) : 0.0f;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + shake);
  ImGui::BeginDisabled(working_);
  const bool enter = pass_.Draw("##pass", w, "Passphrase");
  ImGui::EndDisabled();
  if (!error_.empty()) ui::ErrorText(error_);
  ImGui::Spacing();
  if (working_) {
    ui::Spinner(ImGui::GetFontSize() * 0.6f, palette::accent);
    ImGui::SameLine();
    ui::Muted("Unlocking…");
  } else {
    if (ui::PrimaryButton("Unlock", !pass_.empty(), nullptr, ImVec2(ImGui::GetFontSize() * 7, 0)) || (enter && !pass_.empty()))
      submit(ctx);
    ImGui::SameLine();
    if (ImGui::Button("Open another vault")) {
      pass_.clear();
      switch_ = true;
    }
  }
  ImGui::EndGroup();
  ImGui::End();
}

void LockScreen::submit(UiContext& ctx) {
  if (working_ || pass_.empty()) return;
  working_ = true;
  error_.clear();
  auto pass = std::make_shared<crypto::SecureBuffer>(pass_.copy());
  pass_.clear();
  const std::filesystem::path dir = ctx.vault_dir;
  const std::uint64_t session = ctx.session;
  ctx.tasks.run("unlock", [this, &ctx, pass, dir, session](TaskProgress&) -> TaskRunner::Continuation {
    auto opened = std::make_shared<Result<core::Vault>>(core::Vault::open(dir, *pass));
    pass->clear();
    return [this, &ctx, opened, dir, session] {
      working_ = false;
      if (session != ctx.session) return;
      if (!opened->ok()) {
        error_ = opened->error().code == ErrorCode::auth_failed ? "Wrong passphrase." : describe(opened->error());
        shake_started_ = ctx.now;
        pass_.focus();
        return;
      }
      reason_.clear();
      ctx.adopt_vault(std::make_shared<core::Vault>(std::move(opened->value())), dir);
    };
  });
}

void LockScreen::Clear() {
  pass_.clear();
  error_.clear();
}

bool LockScreen::DebugContains(std::string_view needle) const { return holds(error_, needle); }

}  // namespace bc::gui
