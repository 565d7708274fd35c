#include "backchannel/gui/help_view.h"

#include <imgui.h>

#include <algorithm>

#include "backchannel/core/library_info.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"

namespace bc::gui {

const Shortcut kShortcuts[] = {
    {"Ctrl+K", "pick the speaker: type a few letters of a name or alias, or the number; Enter"},
    {"Ctrl+1 … Ctrl+9", "make participant 1 … 9 the speaker"},
    {"Ctrl+0", "the organizers are speaking (no participant)"},
    {"Alt+1 … Alt+7", "kind: statement, question, proposal, agreement, disagreement, action, observation"},
    {"Alt+O", "organizers only: the note never enters a summary"},
    {"Enter", "save the note (with the time)"},
    {"Ctrl+Enter", "new line inside a note"},
    {"Up", "in an empty composer: edit the last note (the old text stays as a revision)"},
    {"Ctrl+T", "in the composer: the thread for the note being typed (empty composer: add the last note to a thread)"},
    {"Esc", "cancel an edit; close the focused window"},
    {"Ctrl+N", "back to the notes, cursor in the composer"},
    {"Ctrl+P", "participants and disclosure"},
    {"Ctrl+E", "summary"},
    {"Ctrl+R", "responses"},
    {"Ctrl+G", "series: every thread across the rounds"},
    {"Up/Down · 1 … 6", "in the series: the previous or next thread; its new status (raised … dropped)"},
    {"Left/Right · Enter", "in the series: the round it was decided in; record it, decided by this vault"},
    {"Ctrl+F", "search every note"},
    {"Ctrl+I", "inbox"},
    {"Ctrl+Shift+N", "new meeting"},
    {"Ctrl+Shift+V", "privacy veil on or off"},
    {"Ctrl+Shift+T", "team of this series: members, devices, fingerprints and QR codes"},
    {"Ctrl+Shift+C", "sync conflicts: both sides, keep one"},
    {"Ctrl+Shift+S", "sync now through the vault's sync folder"},
    {"Ctrl+L", "lock now"},
    {"Ctrl+Q", "quit"},
    {"F1", "this list"},
};
const int kShortcutCount = static_cast<int>(sizeof(kShortcuts) / sizeof(kShortcuts[0]));

void HelpView::Draw(UiContext& ctx) {
  bool& shortcuts = ctx.open(Window::shortcuts);
  if (shortcuts) {
    // Tall enough for the whole list on a laptop screen; it scrolls on a smaller one.
    ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 34,
                                std::min(ImGui::GetFontSize() * 46, ImGui::GetMainViewport()->WorkSize.y * 0.92f)));
    if (ctx.take_focus(Window::shortcuts)) ImGui::SetNextWindowFocus();
    if (ImGui::Begin("Keyboard shortcuts", &shortcuts, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
      close_on_escape(shortcuts);
      if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg)) {
        ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8);
        ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
        for (int i = 0; i < kShortcutCount; ++i) {
          ImGui::TableNextRow();
          ImGui::TableSetColumnIndex(0);
          ImGui::TextColored(palette::accent, "%s", kShortcuts[i].keys);
          ImGui::TableSetColumnIndex(1);
          ImGui::PushTextWrapPos(0);
          ImGui::TextUnformatted(kShortcuts[i].what);
          ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
      }
    }
    ImGui::End();
  }
  bool& about = ctx.open(Window::about);
  if (about) {
    ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 28, ImGui::GetFontSize() * 14));
    if (ctx.take_focus(Window::about)) ImGui::SetNextWindowFocus();
    if (ImGui::Begin("About Backchannel", &about, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
      close_on_escape(about);
      ImGui::PushFont(ctx.fonts->heading);
      ImGui::TextUnformatted("Backchannel");
      ImGui::PopFont();
      ImGui::PushTextWrapPos(0);
      ui::Muted("An encrypted notebook for confidential dialogues.");
      ImGui::TextUnformatted(core::library_versions().c_str());
      ImGui::Text("Dear ImGui %s", IMGUI_VERSION);
      ImGui::PopTextWrapPos();
    }
    ImGui::End();
  }
}

}  // namespace bc::gui
