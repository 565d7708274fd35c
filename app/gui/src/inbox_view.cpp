#include "backchannel/gui/inbox_view.h"

#include <imgui.h>

#include "backchannel/gui/file_io.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void InboxView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::inbox);
  if (!open) return;
  if (revision_ != ctx.revision && ctx.vault) {
    for (auto& e : entries_) {
      wipe_string(e.meeting);
      wipe_string(e.series);
    }
    entries_.clear();
    if (auto es = core::list_inbox(*ctx.vault)) entries_ = std::move(*es);
    revision_ = ctx.revision;
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 36, ImGui::GetFontSize() * 24));
  if (ctx.take_focus(Window::inbox)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Inbox", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::PushTextWrapPos(0);
    ui::Muted("Summaries that organizers sent to you for review. Approve or correct each statement, then export your "
              "response: it is encrypted to the organizer and signed by this vault.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    if (entries_.empty()) {
      ui::Muted("The inbox is empty.");
    } else if (ImGui::BeginTable("##inbox", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
      ImGui::TableSetupColumn("Meeting", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("Date", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
      ImGui::TableSetupColumn("From (fingerprint)", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 12);
      ImGui::TableSetupColumn("Reviewed", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 5);
      ImGui::TableHeadersRow();
      for (const auto& e : entries_) {
        ImGui::PushID(static_cast<int>(e.id));
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        const std::string label = std::string(ctx.shaper.line(e.series)) + ": " + std::string(ctx.shaper.line(e.meeting));
        if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
          ctx.review_item = e.id;
          ctx.show(Window::review);
        }
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(e.date.c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::PushFont(ctx.fonts->mono);
        ImGui::TextUnformatted(e.sender_fingerprint.c_str());
        ImGui::PopFont();
        ImGui::TableSetColumnIndex(3);
        ImGui::TextColored(e.reviewed == e.statements ? palette::ok : palette::muted, "%zu / %zu", e.reviewed, e.statements);
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Import a package");
    PathField("pkg", path_, picker_, FilePicker::Mode::open_file, "Choose the summary package", "an .age file");
    ui::ErrorText(error_);
    if (!unknown_signer_.empty() && !running_) {
      ImGui::TextWrapped("First package from this organizer. Compare the fingerprint %s with them in person.",
                         unknown_signer_.c_str());
      if (ImGui::Button("It matches: trust this organizer for summary packages and import")) start_import(ctx, unknown_signer_);
    }
    if (running_) {
      ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
    } else if (ui::PrimaryButton("Import package", !path_.empty(), "Choose a file")) {
      start_import(ctx);
    }
  }
  ImGui::End();
}

void InboxView::start_import(UiContext& ctx, const std::optional<std::string>& trust) {
  error_.clear();
  auto src = files::InputFile::open(path_);
  if (!src) {
    error_ = describe(src.error());
    return;
  }
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    error_ = describe(conn.error());
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  auto in = std::make_shared<files::InputFile>(std::move(*src));
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("inbox import", [this, &ctx, vault, in, trust, session](TaskProgress& progress) -> TaskRunner::Continuation {
    auto r = std::make_shared<Result<core::ImportedPackage>>(core::import_package(*vault, progress_reader(*in, progress), trust));
    vault->lock();
    return [this, &ctx, r, session] {
      running_ = false;
      if (session != ctx.session) return;
      unknown_signer_.clear();
      if (!r->ok()) {
        error_ = describe(r->error());
        if (r->error().remedy == Remedy::trust_signer) unknown_signer_ = r->error().subject;
        return;
      }
      ctx.toast(r->value().already_present ? "This package is already in the inbox."
                                            : "Package imported (organizer " + r->value().sender_fingerprint + ").");
      path_.clear();
      ctx.post(Event::Kind::inbox_changed);
      ctx.review_item = r->value().inbox_id;
      ctx.show(Window::review);
    };
  });
}

void InboxView::Clear() {
  for (auto& e : entries_) {
    wipe_string(e.meeting);
    wipe_string(e.series);
  }
  entries_.clear();
  path_.clear();
  picker_.clear();
  error_.clear();
  unknown_signer_.clear();
  revision_ = 0;
}

bool InboxView::DebugContains(std::string_view needle) const {
  for (const auto& e : entries_)
    if (holds(e.meeting, needle) || holds(e.series, needle)) return true;
  return holds(error_, needle);
}

}  // namespace bc::gui
