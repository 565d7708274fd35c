// identity, export, import-archive, package summary, inbox, review, responses.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "backchannel/core/archive.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/review.h"
#include "cli_context.h"
#include "file_streams.h"
#include "secret_input.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

// Progress on a terminal only; pipes and logs stay clean.
crypto::age::ProgressFn progress_printer(const char* what) {
  if (!::isatty(STDERR_FILENO)) return nullptr;
  return [what](std::uint64_t done) {
    std::fprintf(stderr, "\r%s %.1f MB", what, static_cast<double>(done) / 1e6);
    std::fflush(stderr);
  };
}
void end_progress() {
  if (::isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
}

Result<crypto::age::ScryptPassphrase> archive_passphrase(const std::string& file, bool confirm) {
  BC_ASSIGN(crypto::SecureBuffer p, read_secret({file, nullptr, "Archive passphrase: ", confirm, "archive passphrase"}));
  crypto::age::ScryptPassphrase s;
  s.passphrase = std::move(p);
  return s;
}

Status run_identity(Context& ctx, bool recipient_only) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::VaultIdentity id, core::vault_identity(vault));
  if (recipient_only) {
    print_line(id.recipient);
    return {};
  }
  print_line("recipient:   " + id.recipient);
  print_line("signing key: " + id.signing_key);
  print_line("fingerprint: " + id.fingerprint);
  return {};
}

struct ExportCommand {
  std::vector<std::int64_t> meetings;
  bool all = false;
  std::vector<std::string> recipients;
  std::optional<std::string> passphrase_file;
  bool armor = false;
  std::string output;
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
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(OutputFile out, OutputFile::create(o.output));
  opts.progress = progress_printer("exporting");
  auto report = core::export_archive(vault, opts, out.writer());
  end_progress();
  if (!report) return std::move(report).error();
  BC_TRY(out.commit());
  std::fprintf(stderr, "exported %zu meetings, %zu participants, %zu notes (%zu revisions) to %s\n", report->meetings,
               report->participants, report->notes, report->revisions, o.output.c_str());
  return {};
}

struct ImportCommand {
  std::string file;
  std::optional<std::string> passphrase_file;
  bool trust = false;
};

Status run_import_archive(Context& ctx, const ImportCommand& o) {
  core::ImportOptions opts;
  opts.trust_signer = o.trust;
  if (o.passphrase_file) {
    BC_ASSIGN(crypto::age::ScryptPassphrase p, archive_passphrase(*o.passphrase_file, false));
    opts.identities.emplace_back(std::move(p));
  }
  BC_ASSIGN(InputFile in, InputFile::open(o.file));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  opts.progress = progress_printer("importing");
  auto r = core::import_archive(vault, in.reader(), opts);
  end_progress();
  if (!r) return std::move(r).error();
  if (r->signer_newly_trusted) print_line("trusted the signer with fingerprint " + r->signer_fingerprint + " from now on");
  if (!r->changed()) {
    print_line("nothing to import: this vault already has everything in the archive");
  } else {
    print_line("imported: " + std::to_string(r->series_added) + " series, " + std::to_string(r->meetings_added) + " meetings, " +
               std::to_string(r->participants_added) + " participants, " + std::to_string(r->notes_added) + " notes, " +
               std::to_string(r->revisions_added) + " revisions");
  }
  for (auto id : r->conflicting_notes)
    print_line("conflict: note " + std::to_string(id) + " was edited in both vaults; both revisions are kept and this vault's "
               "text stays current (`note history " + std::to_string(id) + "`)");
  for (const auto& d : r->differences) print_line("note: " + d);
  return {};
}

struct PackageCommand {
  std::int64_t meeting = 0;
  std::string audience = "participants";
  std::vector<std::string> to;
  std::string dir;
};

Status run_package(Context& ctx, const PackageCommand& o) {
  std::vector<core::PackageTarget> targets;
  for (const auto& t : o.to) {
    const auto eq = t.find('=');
    core::PackageTarget target;
    target.key = t.substr(0, eq);
    if (eq != std::string::npos) target.recipient = t.substr(eq + 1);
    targets.push_back(std::move(target));
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::PackageFile> files,
            core::package_summaries(vault, o.meeting, *core::parse_audience(o.audience), targets, o.dir));
  for (const auto& f : files) print_line(f.key + "\t" + f.path.string());
  std::fprintf(stderr, "wrote %zu packages; each is encrypted to its participant only\n", files.size());
  return {};
}

Status run_inbox_import(Context& ctx, const std::string& file, bool trust) {
  BC_ASSIGN(InputFile in, InputFile::open(file));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::ImportedPackage p, core::import_package(vault, in.reader(), trust));
  if (p.already_present) print_line("already in the inbox as " + std::to_string(p.inbox_id));
  else print_line("inbox " + std::to_string(p.inbox_id) + " (from the organizer with fingerprint " + p.sender_fingerprint + ")");
  return {};
}

Status run_inbox_list(Context& ctx, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::InboxEntry> entries, core::list_inbox(vault));
  if (as_json) {
    json out = json::array();
    for (const auto& e : entries)
      out.push_back({{"id", e.id}, {"series", e.series}, {"meeting", e.meeting}, {"date", e.date},
                     {"sender_fingerprint", e.sender_fingerprint}, {"received_at", e.received_at},
                     {"statements", e.statements}, {"reviewed", e.reviewed}});
    print_line(out.dump(2));
    return {};
  }
  if (entries.empty()) print_line("The inbox is empty. Import a summary package with `backchannel-cli inbox import FILE`.");
  for (const auto& e : entries)
    print_line(pad(std::to_string(e.id), 5) + pad(clip(e.series + ": " + e.meeting, 50), 52) + pad(e.date, 12) +
               std::to_string(e.reviewed) + "/" + std::to_string(e.statements) + " reviewed");
  return {};
}

Status run_inbox_show(Context& ctx, std::int64_t id, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::InboxItem item, core::get_inbox_item(vault, id));
  if (as_json) {
    json out{{"id", id}, {"summary", json::parse(item.summary_json)}};
    json review = json::array();
    for (const auto& s : item.statements)
      if (s.action) review.push_back({{"statement", s.number}, {"note", s.note_uid}, {"action", *s.action},
                                      {"text", s.correction ? json(*s.correction) : json(nullptr)}});
    out["review"] = review;
    out["comment"] = item.comment ? json(*item.comment) : json(nullptr);
    print_line(out.dump(2));
    return {};
  }
  print_line(item.entry.series + ": " + item.entry.meeting + " (" + item.entry.date + ")");
  print_line("from the organizer with fingerprint " + item.entry.sender_fingerprint);
  print_line("");
  for (const auto& s : item.statements) {
    std::string line = "[" + std::to_string(s.number) + "]" + (s.own ? " (yours)" : "") + " " + s.attribution + ": " + s.text;
    if (s.action && *s.action == "approve") line += "\n      approved";
    if (s.action && *s.action == "correct") line += "\n      correction: " + s.correction.value_or("");
    print_line(line);
  }
  if (item.comment) print_line("\ncomment: " + *item.comment);
  return {};
}

struct ReviewCommand {
  std::int64_t id = 0;
  std::vector<std::string> approve;
  std::vector<std::string> correct;  // pairs: NOTE TEXT
  std::optional<std::string> comment;
};

Status run_review(Context& ctx, const ReviewCommand& o) {
  core::ReviewChanges c;
  c.approve = o.approve;
  if (o.correct.size() % 2 != 0) return fail(ErrorCode::usage, "--correct takes two values: NOTE TEXT");
  for (std::size_t i = 0; i < o.correct.size(); i += 2) c.correct.push_back({o.correct[i], o.correct[i + 1]});
  c.comment = o.comment;
  if (c.approve.empty() && c.correct.empty() && !c.comment)
    return fail(ErrorCode::usage, "nothing to record: give --approve NOTE, --correct NOTE TEXT or --comment TEXT");
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::record_review(vault, o.id, c));
  BC_ASSIGN(core::InboxItem item, core::get_inbox_item(vault, o.id));
  print_line("review of inbox " + std::to_string(o.id) + ": " + std::to_string(item.entry.reviewed) + " of " +
             std::to_string(item.entry.statements) + " statements reviewed");
  return {};
}

Status run_review_export(Context& ctx, std::int64_t id, const std::string& output, bool armor) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(OutputFile out, OutputFile::create(output));
  BC_TRY(core::export_review(vault, id, out.writer(), armor));
  BC_TRY(out.commit());
  std::fprintf(stderr, "review written to %s, encrypted to the organizer and signed by this vault\n", output.c_str());
  return {};
}

Status run_responses_import(Context& ctx, const std::string& file) {
  BC_ASSIGN(InputFile in, InputFile::open(file));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::ResponseImport r, core::import_response(vault, in.reader()));
  if (r.already_present) print_line("this response was already imported");
  else print_line("response from participant " + r.participant_key + " for meeting " + std::to_string(r.meeting_id));
  return {};
}

Status run_responses(Context& ctx, std::int64_t meeting, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::ParticipantResponse> rs, core::meeting_responses(vault, meeting));
  if (as_json) {
    json out = json::array();
    for (const auto& r : rs) {
      json corrections = json::array();
      for (const auto& [note, text] : r.corrections) corrections.push_back({{"note", note}, {"text", text}});
      out.push_back({{"key", r.key}, {"package_sent", r.package_sent}, {"responded", r.responded}, {"approved", r.approved},
                     {"corrections", corrections}, {"comment", r.comment ? json(*r.comment) : json(nullptr)}});
    }
    print_line(out.dump(2));
    return {};
  }
  for (const auto& r : rs) {
    std::string status = !r.package_sent ? "no package sent" : !r.responded ? "no response yet"
                         : "responded: " + std::to_string(r.approved.size()) + " approved, " +
                               std::to_string(r.corrections.size()) + " corrected";
    print_line(pad(r.key, 14) + status);
    for (const auto& [note, text] : r.corrections) print_line("    note " + std::to_string(note) + " corrected: " + text);
    if (r.comment) print_line("    comment: " + *r.comment);
  }
  return {};
}

}  // namespace

void add_archive_commands(CLI::App& app, Context& ctx) {
  {
    auto recipient_only = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("identity", "Show this vault's age recipient, signing key and fingerprint");
    cmd->add_flag("--recipient", *recipient_only, "Print only the age1... recipient line");
    cmd->callback([&ctx, recipient_only] { ctx.action = [&ctx, recipient_only] { return run_identity(ctx, *recipient_only); }; });
  }
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
    cmd->add_option("-o,--output", o->output, "The archive file (must not exist)")->required();
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_export(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<ImportCommand>();
    auto* cmd = app.add_subcommand("import-archive",
                                   "Verify and merge an archive into this vault in one transaction (re-importing changes nothing)");
    cmd->add_option("FILE", o->file, "The archive (.age)")->required();
    cmd->add_option("--passphrase-file", o->passphrase_file, "The archive's passphrase, if it was exported with one");
    cmd->add_flag("--trust", o->trust, "Accept (and from now on trust) a signer this vault does not know yet");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_import_archive(ctx, *o); }; });
  }
  {
    auto* package = app.add_subcommand("package", "Prepare encrypted packages for participants");
    package->require_subcommand(1);
    auto o = std::make_shared<PackageCommand>();
    auto* cmd = package->add_subcommand("summary", "One summary package per participant, encrypted to them only, signed by "
                                                    "this vault; blocked (exit 3) if the leak scanner objects to any copy");
    cmd->add_option("--meeting", o->meeting, "Meeting id")->required();
    cmd->add_option("--audience", o->audience, "participants (default) or public")
        ->check(CLI::IsMember({"participants", "public"}));
    cmd->add_option("--to", o->to, "KEY=RECIPIENT (age1...), or KEY to use the participant's stored recipient; repeat")->required();
    cmd->add_option("-o,--output", o->dir, "Folder for the packages")->required();
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_package(ctx, *o); }; });
  }
  {
    auto* inbox = app.add_subcommand("inbox", "Summaries sent to you for review");
    inbox->require_subcommand(1);
    {
      auto file = std::make_shared<std::string>();
      auto trust = std::make_shared<bool>(false);
      auto* cmd = inbox->add_subcommand("import", "Verify and store a summary package");
      cmd->add_option("FILE", *file, "The package (.age)")->required();
      cmd->add_flag("--trust", *trust, "Accept (and from now on trust) an organizer this vault does not know yet");
      cmd->callback([&ctx, file, trust] { ctx.action = [&ctx, file, trust] { return run_inbox_import(ctx, *file, *trust); }; });
    }
    {
      auto as_json = std::make_shared<bool>(false);
      auto* cmd = inbox->add_subcommand("list", "List received summaries");
      cmd->add_flag("--json", *as_json, "Print JSON");
      cmd->callback([&ctx, as_json] { ctx.action = [&ctx, as_json] { return run_inbox_list(ctx, *as_json); }; });
    }
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto as_json = std::make_shared<bool>(false);
      auto* cmd = inbox->add_subcommand("show", "Show a received summary with numbered statements and your review so far");
      cmd->add_option("ID", *id, "Inbox id")->required();
      cmd->add_flag("--json", *as_json, "Print JSON");
      cmd->callback([&ctx, id, as_json] { ctx.action = [&ctx, id, as_json] { return run_inbox_show(ctx, *id, *as_json); }; });
    }
  }
  {
    auto o = std::make_shared<ReviewCommand>();
    auto* review = app.add_subcommand("review", "Record your review of a received summary, or export it for the organizer");
    review->add_option("ID", o->id, "Inbox id");
    review->add_option("--approve", o->approve, "Approve statement NOTE (its number in `inbox show`, or its id); repeat");
    review->add_option("--correct", o->correct, "Correct statement NOTE with TEXT; repeat")->expected(2)->allow_extra_args(false);
    review->add_option("--comment", o->comment, "A comment on the whole summary");
    review->callback([&ctx, o, review] {
      if (review->get_subcommands().empty()) ctx.action = [&ctx, o] {
        if (o->id == 0) return Status(fail(ErrorCode::usage, "review needs the inbox ID"));
        return run_review(ctx, *o);
      };
    });
    auto id = std::make_shared<std::int64_t>(0);
    auto output = std::make_shared<std::string>();
    auto armor = std::make_shared<bool>(false);
    auto* cmd = review->add_subcommand("export", "Write your review, encrypted to the organizer and signed by this vault");
    cmd->add_option("ID", *id, "Inbox id")->required();
    cmd->add_option("-o,--output", *output, "The response file (must not exist)")->required();
    cmd->add_flag("-a,--armor", *armor, "Write ASCII-armored age");
    cmd->callback([&ctx, id, output, armor] {
      ctx.action = [&ctx, id, output, armor] { return run_review_export(ctx, *id, *output, *armor); };
    });
  }
  {
    auto meeting = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* responses = app.add_subcommand("responses", "Participants' answers to summary packages");
    responses->add_option("--meeting", *meeting, "Show who approved and what was corrected in this meeting");
    responses->add_flag("--json", *as_json, "Print JSON");
    responses->callback([&ctx, meeting, as_json, responses] {
      if (responses->get_subcommands().empty()) ctx.action = [&ctx, meeting, as_json] {
        if (*meeting == 0) return Status(fail(ErrorCode::usage, "responses needs --meeting ID (or the import subcommand)"));
        return run_responses(ctx, *meeting, *as_json);
      };
    });
    auto file = std::make_shared<std::string>();
    auto* cmd = responses->add_subcommand("import", "Verify and store a participant's response");
    cmd->add_option("FILE", *file, "The response (.age)")->required();
    cmd->callback([&ctx, file] { ctx.action = [&ctx, file] { return run_responses_import(ctx, *file); }; });
  }
}

}  // namespace bc::cli
