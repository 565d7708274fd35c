#include "backchannel/gui/ui_context.h"

#include <imgui.h>

#include "backchannel/gui/keys.h"
#include "backchannel/gui/meeting_model.h"

namespace bc::gui {

bool UiContext::write(Write w) {
  if (!writer) return false;
  tasks.run_in_order([vault = writer, w = std::move(w)](TaskProgress&) { return w(*vault); });
  return true;
}

MeetingModel& UiContext::model() {
  model_.follow(*this);
  return model_;
}

void UiContext::toast(std::string message, bool error) {
  toast_.message = std::move(message);
  toast_.error = error;
  toast_.until = now + (error ? 8.0 : 4.0);
}

bool holds(std::string_view haystack, std::string_view needle) {
  return !needle.empty() && haystack.find(needle) != std::string_view::npos;
}

bool holds(const std::vector<std::string>& v, std::string_view needle) {
  for (const auto& s : v)
    if (holds(s, needle)) return true;
  return false;
}

void close_on_escape(bool& open) {
  if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopup) &&
      keys::named(ImGuiKey_Escape))
    open = false;
}

}  // namespace bc::gui
