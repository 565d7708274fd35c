#include "backchannel/gui/trust_view.h"

#include <imgui.h>

#include <algorithm>

#include "backchannel/gui/error_text.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"

namespace bc::gui {

namespace {

const char* purpose_text(const std::string& purpose) {
  if (purpose == "archives") return "archives";
  if (purpose == "packages") return "summary packages";
  if (purpose == "responses") return "responses";
  if (purpose == "team") return "team bundles";
  return "?";
}

// What the list shows for a key: its fingerprint, or (trusted before fingerprints were kept)
// its signing key.
const std::string& shown(const core::TrustedKey& k) { return k.fingerprint.empty() ? k.signing_key : k.fingerprint; }

}  // namespace

void TrustView::reload(UiContext& ctx) {
  auto keys = core::list_trusted_keys(*ctx.vault);
  if (!keys) {
    error_ = describe(keys.error());
    keys_.clear();
  } else {
    keys_ = std::move(*keys);
  }
  loaded_ = true;
  confirm_.reset();
}

void TrustView::remove(UiContext& ctx, const std::string& key) {
  auto removed = core::remove_trusted_key(*ctx.vault, key);
  if (!removed) {
    error_ = describe(removed.error());
  } else {
    error_.clear();
    ctx.toast("Trust removed: files signed by this key are refused until you trust it again.");
  }
  reload(ctx);
}

void TrustView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::trust);
  if (!open || !ctx.vault) {
    if (loaded_) Clear();
    return;
  }
  if (!loaded_) reload(ctx);
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 46, ImGui::GetFontSize() * 24));
  if (ctx.take_focus(Window::trust)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Trusted keys", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ui::ErrorText(error_);
    ImGui::PushTextWrapPos(0);
    ui::Muted("The keys whose files this vault accepts besides its own, and for what. Trust is given when you import a "
              "file after comparing its signer's fingerprint in person.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    if (keys_.empty()) {
      ImGui::TextUnformatted("No trusted keys: this vault accepts only files it signed itself.");
    } else if (ImGui::BeginTable("##trusted", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
      // The fingerprint is what the organizer compares in person: never clipped.
      float fingerprint_width = 0;
      ImGui::PushFont(ctx.fonts->mono);
      for (const auto& k : keys_) fingerprint_width = std::max(fingerprint_width, ImGui::CalcTextSize(shown(k).c_str()).x);
      ImGui::PopFont();
      ImGui::TableSetupColumn("Fingerprint", ImGuiTableColumnFlags_WidthFixed, fingerprint_width);
      ImGui::TableSetupColumn("Trusted for");
      ImGui::TableSetupColumn("Label");
      ImGui::TableSetupColumn("Added");
      ImGui::TableSetupColumn("##remove", ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableHeadersRow();
      for (std::size_t i = 0; i < keys_.size(); ++i) {
        const auto& k = keys_[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushFont(ctx.fonts->mono);
        ImGui::TextUnformatted(shown(k).c_str());
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(purpose_text(k.purpose));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.label.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.added_at.empty() ? "-" : k.added_at.c_str());
        ImGui::TableNextColumn();
        if (ImGui::SmallButton("Remove…")) confirm_ = i;
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
    if (confirm_ && *confirm_ < keys_.size()) {
      const auto& k = keys_[*confirm_];
      ImGui::Separator();
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(palette::warn, "Stop trusting %s for every purpose?", shown(k).c_str());
      ui::Muted("Archives, summary packages, responses and team bundles it signs are refused until you trust it again "
                "(a participant's next response is a first contact again).");
      ImGui::PopTextWrapPos();
      if (ImGui::Button("Remove trust")) remove(ctx, shown(k));
      ImGui::SameLine();
      if (ImGui::Button("Cancel")) confirm_.reset();
    }
  }
  ImGui::End();
}

void TrustView::Clear() {
  keys_.clear();
  loaded_ = false;
  confirm_.reset();
  error_.clear();
}

bool TrustView::DebugContains(std::string_view needle) const {
  if (holds(error_, needle)) return true;
  for (const auto& k : keys_)
    if (holds(k.label, needle)) return true;
  return false;
}

}  // namespace bc::gui
