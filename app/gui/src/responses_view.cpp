#include "backchannel/gui/responses_view.h"

#include <imgui.h>

#include <cstdlib>

#include "backchannel/gui/file_io.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

void ResponsesView::Draw(UiContext& ctx) {
  if (!ctx.meeting || !ctx.vault) return;
  if (meeting_ != *ctx.meeting || revision_ != ctx.revision) {
    Clear();
    meeting_ = *ctx.meeting;
    revision_ = ctx.revision;
    auto r = core::meeting_responses(*ctx.vault, meeting_);
    if (r) responses_ = std::move(*r);
    else error_ = describe(r.error());
  }
  if (ui::PrimaryButton("Send summary packages…")) ctx.show(Window::packages);
  ImGui::SameLine();
  if (running_) ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
  else if (ImGui::Button("Import a response…"))
    picker_.open(FilePicker::Mode::open_file, "Choose a participant's response",
                 std::filesystem::path(std::getenv("HOME") ? std::getenv("HOME") : "."));
  if (picker_.Draw()) start_import(ctx, picker_.chosen());
  ui::ErrorText(error_);
  if (!unknown_signer_.empty() && !running_) {
    ImGui::TextWrapped("First response from this participant. Compare the fingerprint %s with them in person.",
                       unknown_signer_.c_str());
    if (ImGui::Button("It matches: pin this participant's key and import")) start_import(ctx, unpinned_path_, unknown_signer_);
  }
  ImGui::Spacing();
  const bool any_sent = std::any_of(responses_.begin(), responses_.end(), [](const auto& r) { return r.package_sent; });
  if (!any_sent) {
    ui::EmptyState("No packages sent yet",
                   "Send each participant their copy of the summary; their approvals and corrections appear here.");
    return;
  }
  ImGui::BeginChild("##responses");
  for (const auto& r : responses_) {
    ImGui::PushID(r.key.c_str());
    ImGui::PushFont(ctx.fonts->bold);
    ImGui::TextUnformatted(r.key.c_str());
    ImGui::PopFont();
    ImGui::SameLine(ImGui::GetFontSize() * 8);
    if (!r.package_sent) ImGui::TextDisabled("no package sent");
    else if (!r.responded) ImGui::TextColored(palette::muted, "no response yet");
    else
      ImGui::TextColored(palette::ok, "responded: %zu approved, %zu corrected", r.approved.size(), r.corrections.size());
    const float w = ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 2;
    for (const auto& [note, text] : r.corrections) {
      ImGui::Indent();
      ImGui::TextDisabled("note %lld, corrected to:", static_cast<long long>(note));
      ui::Paragraph(ctx.shaper, text, w, {}, ctx.settings.privacy_veil);
      ImGui::Unindent();
    }
    if (r.comment) {
      ImGui::Indent();
      ImGui::TextDisabled("comment:");
      ui::Paragraph(ctx.shaper, *r.comment, w, {}, ctx.settings.privacy_veil);
      ImGui::Unindent();
    }
    ImGui::Separator();
    ImGui::PopID();
  }
  ImGui::EndChild();
}

void ResponsesView::start_import(UiContext& ctx, const std::filesystem::path& path, const std::optional<std::string>& trust) {
  error_.clear();
  auto src = files::InputFile::open(path);
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
  ctx.tasks.run("response import", [this, &ctx, vault, in, session, path, trust](TaskProgress& progress) -> TaskRunner::Continuation {
    auto r = std::make_shared<Result<core::ResponseImport>>(core::import_response(*vault, progress_reader(*in, progress), trust));
    vault->lock();
    return [this, &ctx, r, session, path] {
      running_ = false;
      if (session != ctx.session) return;
      unknown_signer_.clear();
      if (!r->ok()) {
        error_ = describe(r->error());
        if (r->error().remedy == Remedy::trust_signer) {
          unknown_signer_ = r->error().subject;
          unpinned_path_ = path;
        }
        return;
      }
      ctx.toast(r->value().already_present ? "This response was already imported."
                                            : "Response from participant " + r->value().participant_key + " imported.");
      ctx.post(Event::Kind::responses_changed, r->value().meeting_id);
    };
  });
}

void ResponsesView::Clear() {
  for (auto& r : responses_) {
    for (auto& [n, t] : r.corrections) wipe_string(t);
    if (r.comment) wipe_string(*r.comment);
  }
  responses_.clear();
  picker_.clear();
  error_.clear();
  unknown_signer_.clear();
  unpinned_path_.clear();
  meeting_ = 0;
  revision_ = 0;
}

bool ResponsesView::DebugContains(std::string_view needle) const {
  for (const auto& r : responses_) {
    for (const auto& [n, t] : r.corrections)
      if (holds(t, needle)) return true;
    if (r.comment && holds(*r.comment, needle)) return true;
  }
  return holds(error_, needle);
}

}  // namespace bc::gui
