#include "backchannel/gui/identity_view.h"

#include <cmath>
#include <imgui.h>

#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void IdentityView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::identity);
  if (!open || !ctx.vault) {
    if (!open && !recipient_.empty()) Clear();
    return;
  }
  auto rebuild_qr = [&] {
    auto q = make_qr(qr_of_ == 0 ? recipient_ : "backchannel-fingerprint:" + fingerprint_);
    if (q) qr_ = std::move(*q);
    else error_ = describe(q.error());
  };
  if (recipient_.empty()) {
    auto id = core::vault_identity(*ctx.vault);
    if (!id) {
      error_ = describe(id.error());
    } else {
      recipient_ = id->recipient;
      signing_key_ = id->signing_key;
      fingerprint_ = id->fingerprint;
      rebuild_qr();
    }
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 34, ImGui::GetFontSize() * 34));
  if (ctx.take_focus(Window::identity)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Identity", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ui::ErrorText(error_);
    ImGui::PushTextWrapPos(0);
    ui::Muted("Give your recipient to organizers who send you summaries, or to whoever imports your archives. Before "
              "trusting each other's files, compare fingerprints in person.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    ImGui::TextUnformatted("Fingerprint");
    ImGui::PushFont(ctx.fonts->heading);
    ImGui::TextColored(palette::accent, "%s", fingerprint_.c_str());
    ImGui::PopFont();
    ImGui::Spacing();
    ImGui::TextUnformatted("Recipient (age)");
    ImGui::PushFont(ctx.fonts->mono);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(recipient_.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    if (ImGui::SmallButton("Copy recipient")) {
      ctx.clipboard.copy(recipient_, ctx.now);
      ctx.toast("Recipient copied. The clipboard is cleared in 30 seconds.");
    }
    ImGui::TextUnformatted("Signing key");
    ImGui::PushFont(ctx.fonts->mono);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", signing_key_.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ImGui::Spacing();
    ImGui::TextUnformatted("QR code of the");
    ImGui::SameLine();
    if (ImGui::RadioButton("recipient", &qr_of_, 0)) rebuild_qr();
    ImGui::SameLine();
    if (ImGui::RadioButton("fingerprint", &qr_of_, 1)) rebuild_qr();
    if (qr_.size > 0) {
      const float avail = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetContentRegionAvail().y);
      const float module = std::max(2.0f, std::floor(avail / static_cast<float>(qr_.size + 8)));
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - module * static_cast<float>(qr_.size + 8)) * 0.5f);
      ui::Qr(qr_, module);
    }
  }
  ImGui::End();
}

void IdentityView::Clear() {
  recipient_.clear();
  signing_key_.clear();
  fingerprint_.clear();
  qr_ = {};
  error_.clear();
}

bool IdentityView::DebugContains(std::string_view needle) const { return holds(error_, needle); }

}  // namespace bc::gui
