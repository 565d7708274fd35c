#include "backchannel/gui/import_meeting_view.h"

#include <imgui.h>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/domain.h"
#include "backchannel/files/atomic_file.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void ImportMeetingView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::import_meeting);
  if (!open) return;
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 30, ImGui::GetFontSize() * 13));
  if (ctx.take_focus(Window::import_meeting)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Import a meeting file", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::PushTextWrapPos(0);
    ui::Muted("A backchannel.meeting/1 JSON file: a series, a meeting, its participants with their disclosure levels, "
              "and notes. It is checked whole first; nothing is imported unless all of it is valid.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    PathField("file", path_, picker_, FilePicker::Mode::open_file, "Choose the meeting file", "a .json file");
    ui::ErrorText(error_);
    if (running_) {
      ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
      ImGui::SameLine();
      ui::Muted("Importing…");
    } else if (ui::PrimaryButton("Import", !path_.empty(), "Choose a file")) {
      start(ctx);
    }
  }
  ImGui::End();
}

void ImportMeetingView::start(UiContext& ctx) {
  error_.clear();
  if (!ctx.vault || running_) return;
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    error_ = describe(conn.error());
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  const std::string path = path_;
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("import meeting", [this, &ctx, vault, path, session](TaskProgress&) -> TaskRunner::Continuation {
    auto text = files::read_small_file(path, core::Limits::kMaxImportFile);
    std::shared_ptr<Result<core::ImportedMeeting>> r;
    if (!text) r = std::make_shared<Result<core::ImportedMeeting>>(std::move(text).error());
    else {
      r = std::make_shared<Result<core::ImportedMeeting>>(core::import_meeting(*vault, *text));
      wipe_string(*text);
    }
    vault->lock();
    return [this, &ctx, r, session] {
      running_ = false;
      if (session != ctx.session) return;
      if (!r->ok()) {
        error_ = describe(r->error()) + " (nothing was imported)";
        return;
      }
      ctx.post(Event::Kind::meetings_changed);
      ctx.select_meeting(r->value().meeting_id);
      ctx.toast("Imported a meeting with " + std::to_string(r->value().participants) + " participants and " +
                std::to_string(r->value().notes) + " notes.");
      ctx.open(Window::import_meeting) = false;
      path_.clear();
    };
  });
}

void ImportMeetingView::Clear() {
  path_.clear();
  picker_.clear();
  error_.clear();
}

bool ImportMeetingView::DebugContains(std::string_view needle) const { return holds(error_, needle); }

}  // namespace bc::gui
