// package summary, responses, responses import: the organizer's side of the review loop.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "backchannel/core/review.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

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
  for (const auto& f : files) print_fields({f.key, f.path.string()});
  std::fprintf(stderr, "wrote %zu packages; each is encrypted to its participant only\n", files.size());
  return {};
}

Status run_responses_import(Context& ctx, const std::string& file, const std::optional<std::string>& trust) {
  BC_ASSIGN(files::InputFile in, files::InputFile::open(file));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::ResponseImport r, core::import_response(vault, in.reader(), trust));
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
    print_json(out);
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

void add_package_commands(CLI::App& app, Context& ctx) {
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
    cmd->add_option("-o,--output", o->dir,
                    "Folder for the packages (created if missing; each package gets a new random file name, so no "
                    "file is ever replaced)")
        ->required();
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_package(ctx, *o); }; });
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
    auto trust = std::make_shared<std::optional<std::string>>();
    auto* cmd = responses->add_subcommand("import", "Verify and store a participant's response");
    cmd->add_option("FILE", *file, "The response (.age)")->required();
    cmd->add_option("--trust", *trust,
                    "A participant's first response: pin their key if its fingerprint is FINGERPRINT (compare it in "
                    "person first); later responses must carry the same key");
    cmd->callback([&ctx, file, trust] { ctx.action = [&ctx, file, trust] { return run_responses_import(ctx, *file, *trust); }; });
  }
}

}  // namespace bc::cli
