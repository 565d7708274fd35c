#include "backchannel/gui/archive_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/gui/file_io.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

namespace {
std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::string line;
  for (char c : s + "\n") {
    if (c == '\n' || c == ' ' || c == ',') {
      if (!line.empty()) out.push_back(line);
      line.clear();
    } else if (c != '\r') {
      line.push_back(c);
    }
  }
  return out;
}
}  // namespace

void ArchiveView::Draw(UiContext& ctx) {
  bool& ex = ctx.open(Window::archive_export);
  bool& im = ctx.open(Window::archive_import);
  if (!ex && !im) {
    if (!running_) {
      pass_.clear();
      pass_again_.clear();
      in_pass_.clear();
    }
    return;
  }
  if (ex) {
    ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 32, ImGui::GetFontSize() * 30));
    if (ctx.take_focus(Window::archive_export)) ImGui::SetNextWindowFocus();
    if (ImGui::Begin("Export an archive", &ex, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
      close_on_escape(ex);
      draw_export(ctx);
    }
    ImGui::End();
  }
  if (im) {
    ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 30, ImGui::GetFontSize() * 20));
    if (ctx.take_focus(Window::archive_import)) ImGui::SetNextWindowFocus();
    if (ImGui::Begin("Import an archive", &im, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
      close_on_escape(im);
      draw_import(ctx);
    }
    ImGui::End();
  }
}

void ArchiveView::draw_export(UiContext& ctx) {
  if (loaded_revision_ != ctx.revision && ctx.vault) {
    for (auto& [id, t] : meetings_) wipe_string(t);
    meetings_.clear();
    if (auto ms = core::list_meetings(*ctx.vault))
      for (auto& m : *ms) meetings_.emplace_back(m.id, m.starts_at.substr(0, 10) + "  " + m.title);
    loaded_revision_ = ctx.revision;
  }
  ImGui::PushTextWrapPos(0);
  ui::Muted("A signed, encrypted copy of meetings with their participants, policies, notes and every revision, "
            "for backup or handover. Anyone with the standard age tool and a matching key can open it.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  ImGui::Checkbox("Every meeting", &all_);
  if (!all_) {
    ImGui::BeginChild("##meetings", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 5), true);
    for (const auto& [id, title] : meetings_) {
      bool on = chosen_.count(id) > 0;
      ImGui::PushID(static_cast<int>(id));
      if (ImGui::Checkbox(ctx.shaper.label(title), &on)) {
        if (on) chosen_.insert(id);
        else chosen_.erase(id);
      }
      ImGui::PopID();
    }
    ImGui::EndChild();
  }
  ImGui::Spacing();
  ImGui::TextUnformatted("Encrypt to");
  int mode = use_passphrase_ ? 1 : 0;
  ImGui::RadioButton("Keys", &mode, 0);
  ImGui::SameLine();
  ImGui::RadioButton("A passphrase", &mode, 1);
  use_passphrase_ = mode == 1;
  if (!use_passphrase_) {
    ImGui::Checkbox("This vault's own key (so this vault can import it)", &to_self_);
    ImGui::TextUnformatted("Other recipients (age1…, one per line)");
    ImGui::InputTextMultiline("##recipients", &recipients_, ImVec2(-1, ImGui::GetTextLineHeight() * 3.2f));
  } else {
    ImGui::TextUnformatted("Archive passphrase");
    pass_.Draw("##apass", -1);
    ImGui::TextUnformatted("Repeat it");
    pass_again_.Draw("##apass2", -1);
    if (!pass_again_.empty() && !pass_.equals(pass_again_)) ImGui::TextColored(palette::danger, "The two passphrases differ.");
  }
  ImGui::Checkbox("ASCII armor (text instead of binary)", &armor_);
  ImGui::TextUnformatted("Save as");
  PathField("out", out_path_, out_picker_, FilePicker::Mode::save_file, "Save the archive", "e.g. ~/round7.age");
  ui::ErrorText(error_);
  if (!result_.empty()) ImGui::TextColored(palette::ok, "%s", result_.c_str());
  if (running_ && progress_) {
    ui::Progress(*progress_, "Exporting");
    if (ImGui::Button("Cancel")) progress_->cancelled = true;
  } else {
    const bool keys_ok = use_passphrase_ ? (!pass_.empty() && pass_.equals(pass_again_)) : (to_self_ || !recipients_.empty());
    const bool ready = !out_path_.empty() && keys_ok && (all_ || !chosen_.empty());
    if (ui::PrimaryButton("Export", ready, "Choose the meetings, who can open it, and a file")) start_export(ctx);
  }
}

void ArchiveView::draw_import(UiContext& ctx) {
  (void)ctx;
  ImGui::PushTextWrapPos(0);
  ui::Muted("The archive is decrypted and its signature verified before anything is merged, in one transaction. "
            "Importing the same archive twice changes nothing.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  ImGui::TextUnformatted("Archive file");
  PathField("in", in_path_, in_picker_, FilePicker::Mode::open_file, "Choose the archive", "an .age file");
  ImGui::TextUnformatted("Archive passphrase (only if it was exported with one)");
  in_pass_.Draw("##ipass", -1);
  ui::ErrorText(error_);
  if (!unknown_signer_.empty() && !running_) {
    ImGui::TextWrapped("This vault does not trust the signer for archives. Compare the fingerprint %s in person with its "
                       "sender (Vault ▸ Identity on their computer).",
                       unknown_signer_.c_str());
    if (ImGui::Button("It matches: trust this signer for archives and import")) start_import(ctx, unknown_signer_);
  }
  if (!result_.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(palette::ok, "%s", result_.c_str());
    ImGui::PopTextWrapPos();
  }
  if (running_ && progress_) {
    ui::Progress(*progress_, "Importing");
    if (ImGui::Button("Cancel")) progress_->cancelled = true;
  } else if (ui::PrimaryButton("Import", !in_path_.empty(), "Choose an archive file")) {
    start_import(ctx);
  }
}

void ArchiveView::start_export(UiContext& ctx) {
  error_.clear();
  result_.clear();
  if (!ctx.vault || running_) return;
  core::ExportOptions opts;
  if (!all_) opts.meeting_ids.assign(chosen_.begin(), chosen_.end());
  opts.armor = armor_;
  if (use_passphrase_) {
    crypto::age::ScryptPassphrase p;
    p.passphrase = pass_.copy();
    opts.recipients.emplace_back(std::move(p));
  } else {
    if (to_self_) {
      auto id = core::vault_identity(*ctx.vault);
      if (!id) {
        error_ = describe(id.error());
        return;
      }
      opts.recipients.emplace_back(crypto::age::X25519Recipient{id->x25519});
    }
    for (const auto& r : lines_of(recipients_)) {
      auto rec = crypto::age::X25519Recipient::parse(r);
      if (!rec) {
        error_ = "Not an age recipient (age1…): " + r;
        return;
      }
      opts.recipients.emplace_back(*rec);
    }
  }
  auto sink = files::OutputFile::create(out_path_, out_picker_.replace_confirmed(out_path_) ? files::Overwrite::replace : files::Overwrite::refuse);
  if (!sink) {
    error_ = describe(sink.error());
    return;
  }
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    error_ = describe(conn.error());
    return;
  }
  pass_.clear();
  pass_again_.clear();
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  auto options = std::make_shared<core::ExportOptions>(std::move(opts));
  auto out = std::make_shared<files::OutputFile>(std::move(*sink));
  const std::uint64_t session = ctx.session;
  const std::string name = std::filesystem::path(out_path_).filename().string();
  running_ = true;
  progress_ = ctx.tasks.run("export", [this, &ctx, vault, options, out, session, name](TaskProgress& progress) -> TaskRunner::Continuation {
    options->progress = [&progress](std::uint64_t done) { progress.done = done; };
    auto report = core::export_archive(*vault, *options, cancellable_writer(*out, progress));
    Status st = report ? out->commit() : Status(report.error());
    vault->lock();
    options->recipients.clear();  // wipes a passphrase
    auto r = std::make_shared<Result<core::ExportReport>>(std::move(report));
    auto s = std::make_shared<Status>(std::move(st));
    return [this, &ctx, r, s, session, name] {
      running_ = false;
      if (session != ctx.session) return;
      if (!s->ok()) {
        error_ = progress_ && progress_->cancelled ? "Cancelled; no file was written." : describe(s->error());
        return;
      }
      const auto& rep = r->value();
      result_ = "Exported " + std::to_string(rep.meetings) + " meetings, " + std::to_string(rep.participants) +
                " participants, " + std::to_string(rep.notes) + " notes (" + std::to_string(rep.revisions) +
                " revisions) to " + name + ".";
    };
  });
}

void ArchiveView::start_import(UiContext& ctx, const std::optional<std::string>& trust) {
  error_.clear();
  result_.clear();
  if (!ctx.vault || running_) return;
  auto src = files::InputFile::open(in_path_);
  if (!src) {
    error_ = describe(src.error());
    return;
  }
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    error_ = describe(conn.error());
    return;
  }
  auto options = std::make_shared<core::ImportOptions>();
  options->trust_fingerprint = trust;
  if (!in_pass_.empty()) {
    crypto::age::ScryptPassphrase p;
    p.passphrase = in_pass_.copy();
    options->identities.emplace_back(std::move(p));
  }
  in_pass_.clear();
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  auto in = std::make_shared<files::InputFile>(std::move(*src));
  const std::uint64_t session = ctx.session;
  running_ = true;
  progress_ = ctx.tasks.run("import", [this, &ctx, vault, options, in, session](TaskProgress& progress) -> TaskRunner::Continuation {
    auto report = std::make_shared<Result<core::ImportReport>>(core::import_archive(*vault, progress_reader(*in, progress), *options));
    vault->lock();
    options->identities.clear();
    return [this, &ctx, report, session] {
      running_ = false;
      if (session != ctx.session) return;
      unknown_signer_.clear();
      if (!report->ok()) {
        error_ = progress_ && progress_->cancelled ? "Cancelled; nothing was imported." : describe(report->error());
        if (report->error().remedy == Remedy::trust_signer) unknown_signer_ = report->error().subject;
        return;
      }
      const auto& r = report->value();
      if (!r.changed()) {
        result_ = "Nothing to import: this vault already has everything in the archive.";
      } else {
        result_ = "Imported " + std::to_string(r.series_added) + " series, " + std::to_string(r.meetings_added) +
                  " meetings, " + std::to_string(r.participants_added) + " participants, " + std::to_string(r.notes_added) +
                  " notes, " + std::to_string(r.revisions_added) + " revisions.";
      }
      if (r.unaddressed_own_backup)
        result_ += " Warning: this archive names no recipients (an older version wrote it); it was accepted because this "
                   "vault signed it itself.";
      if (r.signer_newly_trusted) result_ += " The signer (" + r.signer_fingerprint + ") is trusted from now on.";
      if (!r.conflicting_notes.empty())
        result_ += " " + std::to_string(r.conflicting_notes.size()) +
                   " notes were edited in both vaults: both revisions are kept and this vault's text stays current.";
      if (r.notes_deleted_here > 0)
        result_ += " " + std::to_string(r.notes_deleted_here) +
                   " notes of the archive were deleted or purged in this vault and stay deleted.";
      for (const auto& d : r.differences) result_ += "\n" + d;
      ctx.post(Event::Kind::meetings_changed);
      if (ctx.meeting) ctx.post(Event::Kind::notes_reloaded, *ctx.meeting);
      if (ctx.meeting) ctx.post(Event::Kind::participants_changed, *ctx.meeting);
    };
  });
}

void ArchiveView::Clear() {
  for (auto& [id, t] : meetings_) wipe_string(t);
  meetings_.clear();
  chosen_.clear();
  wipe_string(recipients_);
  pass_.clear();
  pass_again_.clear();
  in_pass_.clear();
  out_path_.clear();
  in_path_.clear();
  out_picker_.clear();
  in_picker_.clear();
  result_.clear();
  error_.clear();
  loaded_revision_ = 0;
  progress_.reset();
}

bool ArchiveView::DebugContains(std::string_view needle) const {
  for (const auto& [id, t] : meetings_)
    if (holds(t, needle)) return true;
  return holds(result_, needle) || holds(error_, needle);
}

}  // namespace bc::gui
