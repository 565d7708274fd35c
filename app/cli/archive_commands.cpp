// export, import-archive.
#include <cstdio>
#include <memory>

#include "backchannel/core/archive.h"
#include "cli_context.h"
#include "secret_input.h"

namespace bc::cli {

namespace {

Result<crypto::age::ScryptPassphrase> archive_passphrase(const std::string& file, bool confirm) {
  BC_ASSIGN(crypto::SecureBuffer p, read_secret({file, nullptr, "Archive passphrase: ", confirm, "archive passphrase"}));
  crypto::age::ScryptPassphrase s;
  s.passphrase = std::move(p);
  return s;
}

struct ExportCommand {
  std::vector<std::int64_t> meetings;
  bool all = false;
  std::vector<std::string> recipients;
  std::optional<std::string> passphrase_file;
  bool armor = false;
  std::optional<std::string> output;
  bool force = false;
};

Status run_export(Context& ctx, const ExportCommand& o) {
  if (o.meetings.empty() == !o.all) return fail(ErrorCode::usage, "give either --meeting ID (one or more) or --all");
  if (o.recipients.empty() == !o.passphrase_file)
    return fail(ErrorCode::usage, "give either -r RECIPIENT (one or more) or --passphrase-file FILE");
  core::ExportOptions opts;
  opts.meeting_ids = o.meetings;
  opts.armor = o.armor;
  for (const auto& r : o.recipients) {
    auto rec = crypto::age::X25519Recipient::parse(r);
    if (!rec) return fail(ErrorCode::usage, "not an age recipient (age1...): " + r);
    opts.recipients.emplace_back(*rec);
  }
  if (o.passphrase_file) {
    BC_ASSIGN(crypto::age::ScryptPassphrase p, archive_passphrase(*o.passphrase_file, false));
    opts.recipients.emplace_back(std::move(p));
  }
  BC_ASSIGN(files::OutputFile out, open_output(o.output, o.force));
  if (!o.armor) BC_TRY(refuse_binary_on_terminal(out, "a binary archive", "-a (armor) or -o FILE"));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  opts.progress = progress_printer("exporting");
  auto report = core::export_archive(vault, opts, out.writer());
  end_progress();
  if (!report) return std::move(report).error();
  BC_TRY(out.commit());
  std::fprintf(stderr, "exported %zu meetings, %zu participants, %zu notes (%zu revisions) to %s\n", report->meetings,
               report->participants, report->notes, report->revisions, out.name().c_str());
  return {};
}

struct ImportCommand {
  std::string file;
  std::optional<std::string> passphrase_file;
  std::optional<std::string> trust;
};

Status run_import_archive(Context& ctx, const ImportCommand& o) {
  core::ImportOptions opts;
  opts.trust_fingerprint = o.trust;
  if (o.passphrase_file) {
    BC_ASSIGN(crypto::age::ScryptPassphrase p, archive_passphrase(*o.passphrase_file, false));
    opts.identities.emplace_back(std::move(p));
  }
  BC_ASSIGN(files::InputFile in, files::InputFile::open(o.file));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  opts.progress = progress_printer("importing");
  auto r = core::import_archive(vault, in.reader(), opts);
  end_progress();
  if (!r) return std::move(r).error();
  if (r->unaddressed_own_backup)
    std::fprintf(stderr, "warning: this archive names no recipients (an older version of Backchannel wrote it); it was "
                         "accepted because this vault signed it itself\n");
  if (r->signer_newly_trusted)
    print_line("trusted the signer with fingerprint " + r->signer_fingerprint + " for archives from now on");
  if (!r->changed()) {
    print_line("nothing to import: this vault already has everything in the archive");
  } else {
    print_line("imported: " + std::to_string(r->series_added) + " series, " + std::to_string(r->meetings_added) + " meetings, " +
               std::to_string(r->participants_added) + " participants, " + std::to_string(r->notes_added) + " notes, " +
               std::to_string(r->revisions_added) + " revisions");
  }
  if (r->notes_deleted_here > 0)
    print_line("kept deleted: " + std::to_string(r->notes_deleted_here) +
               " notes of the archive were deleted or purged in this vault; the deletion wins over the older copy");
  for (auto id : r->conflicting_notes)
    print_line("conflict: note " + std::to_string(id) + " was edited in both vaults; both revisions are kept and this vault's "
               "text stays current (`note history " + std::to_string(id) + "`)");
  for (const auto& d : r->differences) print_line("note: " + d);
  return {};
}

}  // namespace

void add_archive_commands(CLI::App& app, Context& ctx) {
  {
    auto o = std::make_shared<ExportCommand>();
    auto* cmd = app.add_subcommand("export", "Export meetings to an encrypted, signed archive (an age file)");
    cmd->add_option("--meeting", o->meetings, "A meeting id (repeat for several)");
    cmd->add_flag("--all", o->all, "Every meeting");
    cmd->add_option("-r,--recipient", o->recipients, "Encrypt to this age1... recipient (repeat for several)");
    cmd->add_option("--passphrase-file", o->passphrase_file,
                    "Encrypt with the passphrase in FILE instead (age scrypt); the vault passphrase then comes from "
                    "BACKCHANNEL_PASSPHRASE or --passphrase-file before the command name");
    cmd->add_flag("-a,--armor", o->armor, "Write ASCII-armored age");
    add_output_options(cmd, o->output, o->force, "the archive", true);
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_export(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<ImportCommand>();
    auto* cmd = app.add_subcommand("import-archive",
                                   "Verify and merge an archive into this vault in one transaction (re-importing changes nothing)");
    cmd->add_option("FILE", o->file, "The archive (.age)")->required();
    cmd->add_option("--passphrase-file", o->passphrase_file, "The archive's passphrase, if it was exported with one");
    cmd->add_option("--trust", o->trust,
                    "Accept a signer this vault does not trust for archives yet if its fingerprint is FINGERPRINT "
                    "(compare it in person first), and trust it for archives from now on");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_import_archive(ctx, *o); }; });
  }
}

}  // namespace bc::cli
