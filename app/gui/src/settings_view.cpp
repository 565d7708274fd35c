#include "backchannel/gui/settings_view.h"

#include <imgui.h>

#include "backchannel/gui/sync_service.h"

#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"

namespace bc::gui {

void SettingsView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::settings);
  if (!open) return;
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 30, ImGui::GetFontSize() * 28));
  if (ctx.take_focus(Window::settings)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Settings", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    Settings& s = ctx.settings;
    bool changed = false;
    ImGui::TextUnformatted("Lock after this many minutes without activity");
    ImGui::SetNextItemWidth(-1);
    changed |= ImGui::SliderInt("##autolock", &s.auto_lock_minutes, 1, 120, "%d min");
    ui::Muted("Ctrl+L locks at once. Locking closes the vault, wipes its keys and clears every view.");
    ImGui::Spacing();
    changed |= ImGui::Checkbox("Privacy veil: note text shows as bars until the mouse is over it", &s.privacy_veil);
    ImGui::Spacing();
    bool remember = s.remember_recent;
    if (ImGui::Checkbox("Remember the folders of vaults I open", &remember)) {
      if (remember) s.remember_recent = true;
      else s.forget_vaults();
      changed = true;
    }
    ImGui::SameLine();
    ui::HelpMarker("Only the folder paths are kept, in ~/.config/backchannel/settings.json. Turning this off forgets them.");
    if (!s.recent_vaults.empty() && ImGui::Button("Forget the remembered folders")) {
      s.recent_vaults.clear();
      changed = true;
    }
    ImGui::Spacing();
    ImGui::TextUnformatted("Interface size");
    ImGui::SetNextItemWidth(-1);
    float scale = s.ui_scale;
    if (ImGui::SliderFloat("##scale", &scale, 0.75f, 2.0f, "%.2fx")) s.ui_scale = scale;
    if (ImGui::IsItemDeactivatedAfterEdit()) {
      changed = true;
      if (rescale_) rescale_();
    }
    ui::Muted("On top of the monitor's own scale.");
    if (changed && ctx.save_settings) ctx.save_settings();
    draw_sync_folder(ctx);
  }
  ImGui::End();
}

void SettingsView::draw_sync_folder(UiContext& ctx) {
  if (!ctx.vault || !ctx.sync) return;
  const std::string current = ctx.sync->folder() ? ctx.sync->folder()->string() : std::string();
  if (current != folder_shown_) {
    sync_folder_ = current;
    folder_shown_ = current;
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextUnformatted("Team sync folder of this vault");
  PathField("sync-folder", sync_folder_, picker_, FilePicker::Mode::folder, "Choose the team sync folder",
            "a folder your sync engine replicates");
  if (ui::PrimaryButton("Use this folder", !sync_folder_.empty() && sync_folder_ != current, "Choose a folder"))
    ctx.sync->set_folder(ctx, sync_folder_);
  if (!current.empty()) {
    ImGui::SameLine();
    if (ImGui::Button("Stop syncing")) ctx.sync->set_folder(ctx, {});
  }
  ImGui::PushTextWrapPos(0);
  ui::Muted("Kept inside this vault. While it is unlocked, Backchannel watches the folder and publishes each change; "
            "Syncthing, Nextcloud, rclone or a USB stick carries the encrypted bundles between the team's machines.");
  ImGui::PopTextWrapPos();
}

void SettingsView::Clear() {
  sync_folder_.clear();
  folder_shown_.clear();
  picker_.clear();
}

}  // namespace bc::gui
