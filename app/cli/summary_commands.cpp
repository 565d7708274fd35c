// summary, participant set|add, meeting set.
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/summary.h"
#include "backchannel/storage/atomic_file.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

struct SummaryCommandOptions {
  std::int64_t meeting = 0;
  std::string audience = "participants";
  std::string format = "markdown";
  std::optional<std::string> output;
  bool stable_pseudonyms = false;
};

Status run_summary(Context& ctx, const SummaryCommandOptions& o) {
  core::SummaryOptions opts;
  opts.audience = *core::parse_audience(o.audience);
  opts.stable_pseudonyms = o.stable_pseudonyms;
  if (o.output) {
    // Refuse before any work if the target exists: a summary never replaces a file.
    struct stat st;
    if (::stat(o.output->c_str(), &st) == 0)
      return fail(ErrorCode::conflict, *o.output + " already exists; choose another name or remove it");
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::RenderedSummary r, core::produce_summary(vault, o.meeting, opts, *core::parse_summary_format(o.format)));
  // Warnings first, so that they are seen even when the summary goes to stdout.
  for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.message.c_str());
  if (o.output) {
    BC_ASSIGN(storage::AtomicFileWriter w, storage::AtomicFileWriter::create(*o.output, false));
    BC_TRY(w.write({reinterpret_cast<const std::uint8_t*>(r.text.data()), r.text.size()}));
    BC_TRY(w.commit());
    std::fprintf(stderr, "summary written to %s (plaintext: keep it as carefully as the vault)\n", o.output->c_str());
  } else {
    std::fwrite(r.text.data(), 1, r.text.size(), stdout);
  }
  return {};
}

// "AUDIENCE=LEVEL" for participants; levels checked by the core.
Status parse_assignment(const std::string& s, core::Audience& audience, std::string& value) {
  const auto eq = s.find('=');
  if (eq == std::string::npos) return fail(ErrorCode::usage, "expected AUDIENCE=LEVEL, e.g. public=anonymous, not \"" + s + "\"");
  auto a = core::parse_audience(s.substr(0, eq));
  if (!a) return fail(ErrorCode::usage, "unknown audience \"" + s.substr(0, eq) + "\" (use participants or public)");
  audience = *a;
  value = s.substr(eq + 1);
  return {};
}

struct ParticipantOptions {
  std::int64_t meeting = 0;
  std::string key;
  std::optional<std::string> name, affiliation, delegation, descriptor, recipient;
  std::vector<std::string> aliases;
  bool clear_aliases = false;
  std::vector<std::string> disclosure;
};

Status run_participant_set(Context& ctx, const ParticipantOptions& o) {
  core::ParticipantUpdate u;
  u.name = o.name;
  u.affiliation = o.affiliation;
  u.delegation = o.delegation;
  u.descriptor = o.descriptor;
  u.recipient = o.recipient;
  if (!o.aliases.empty() || o.clear_aliases) u.aliases = o.aliases;
  for (const auto& d : o.disclosure) {
    core::Audience a;
    std::string level;
    BC_TRY(parse_assignment(d, a, level));
    auto l = core::parse_disclosure_level(level);
    if (!l) return fail(ErrorCode::usage, "unknown level \"" + level + "\" (use named, role, pseudonym, anonymous or hidden)");
    u.disclosure[static_cast<int>(a)] = *l;
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::update_participant(vault, o.meeting, o.key, u));
  BC_ASSIGN(core::Participant p, core::find_participant(vault, o.meeting, o.key));
  print_line("participant " + p.key + ": participants=" + std::string(core::to_string(p.disclosure[0])) +
             " public=" + std::string(core::to_string(p.disclosure[1])));
  return {};
}

Status run_participant_add(Context& ctx, const ParticipantOptions& o) {
  if (!o.name) return fail(ErrorCode::usage, "participant add needs --name");
  core::NewParticipant n;
  n.key = o.key;
  n.name = *o.name;
  n.affiliation = o.affiliation;
  n.delegation = o.delegation;
  n.descriptor = o.descriptor;
  n.aliases = o.aliases;
  for (const auto& d : o.disclosure) {
    core::Audience a;
    std::string level;
    BC_TRY(parse_assignment(d, a, level));
    auto l = core::parse_disclosure_level(level);
    if (!l) return fail(ErrorCode::usage, "unknown level \"" + level + "\" (use named, role, pseudonym, anonymous or hidden)");
    n.disclosure[static_cast<int>(a)] = *l;
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::add_participant(vault, o.meeting, n));
  print_line("participant " + n.key + " added to meeting " + std::to_string(o.meeting));
  return {};
}

struct MeetingSetOptions {
  std::int64_t meeting = 0;
  std::vector<std::string> location_disclosure;
  std::optional<std::string> location;
  std::optional<std::string> rule;
  std::vector<std::string> public_terms;
  bool clear_public_terms = false;
};

Status run_meeting_set(Context& ctx, const MeetingSetOptions& o) {
  core::MeetingUpdate u;
  u.location = o.location;
  for (const auto& d : o.location_disclosure) {
    core::Audience a;
    std::string level;
    BC_TRY(parse_assignment(d, a, level));
    if (level != "named" && level != "hidden")
      return fail(ErrorCode::usage, "a location is either named or hidden, not \"" + level + "\"");
    u.location_disclosure[static_cast<int>(a)] = *core::parse_disclosure_level(level);
  }
  if (o.rule) u.rule = core::parse_rule(*o.rule);
  if (!o.public_terms.empty() || o.clear_public_terms) u.public_terms = o.public_terms;
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::update_meeting(vault, o.meeting, u));
  print_line("meeting " + std::to_string(o.meeting) + " updated");
  return {};
}

void participant_fields(CLI::App* cmd, ParticipantOptions& o) {
  cmd->add_option("--meeting", o.meeting, "Meeting id")->required();
  cmd->add_option("--key", o.key, "The participant's key in this meeting")->required();
  cmd->add_option("--name", o.name, "Full name (any script)");
  cmd->add_option("--affiliation", o.affiliation, "Affiliation (an empty value clears it)");
  cmd->add_option("--delegation", o.delegation, "Delegation (an empty value clears it)");
  cmd->add_option("--descriptor", o.descriptor, "How they appear at the role level, e.g. \"a former senior U.S. diplomat\"");
  cmd->add_option("--alias", o.aliases, "An alias in any script (repeat for several; replaces the list)");
  cmd->add_option("--disclosure", o.disclosure,
                  "AUDIENCE=LEVEL, e.g. --disclosure participants=pseudonym --disclosure public=anonymous "
                  "(levels: named, role, pseudonym, anonymous, hidden)");
}

}  // namespace

void add_summary_commands(CLI::App& app, Context& ctx) {
  {
    auto o = std::make_shared<SummaryCommandOptions>();
    auto* cmd = app.add_subcommand("summary",
                                   "Write a meeting's summary for an audience, anonymized as each participant allows; "
                                   "exit 3 (and nothing written) if the leak scanner finds a protected name");
    cmd->add_option("--meeting", o->meeting, "Meeting id")->required();
    cmd->add_option("--audience", o->audience, "participants (default) or public")
        ->check(CLI::IsMember({"participants", "public"}));
    cmd->add_option("--format", o->format, "markdown (default), html or json")->check(CLI::IsMember({"markdown", "html", "json"}));
    cmd->add_option("-o,--output", o->output, "Write to FILE (must not exist) instead of standard output");
    cmd->add_flag("--stable-pseudonyms", o->stable_pseudonyms,
                  "Keep pseudonym letters the same across the series (participants audience)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_summary(ctx, *o); }; });
  }
  {
    auto* participant = app.add_subcommand("participant", "Add or change a meeting's participants and their disclosure");
    participant->require_subcommand(1);
    {
      auto o = std::make_shared<ParticipantOptions>();
      auto* cmd = participant->add_subcommand("set", "Change a participant's details or disclosure levels");
      participant_fields(cmd, *o);
      cmd->add_flag("--clear-aliases", o->clear_aliases, "Remove every alias");
      cmd->add_option("--recipient", o->recipient, "The participant's age1... recipient (for summary packages)");
      cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_participant_set(ctx, *o); }; });
    }
    {
      auto o = std::make_shared<ParticipantOptions>();
      auto* cmd = participant->add_subcommand("add", "Add a participant to a meeting (unset levels are anonymous)");
      participant_fields(cmd, *o);
      cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_participant_add(ctx, *o); }; });
    }
  }
  {
    auto* meeting = app.add_subcommand("meeting", "Change a meeting's location, its disclosure, rule or public terms");
    meeting->require_subcommand(1);
    auto o = std::make_shared<MeetingSetOptions>();
    auto* cmd = meeting->add_subcommand("set", "Change a meeting");
    cmd->add_option("--meeting", o->meeting, "Meeting id")->required();
    cmd->add_option("--location", o->location, "The location");
    cmd->add_option("--location-disclosure", o->location_disclosure, "AUDIENCE=named|hidden (repeatable)");
    cmd->add_option("--rule", o->rule, "chatham-house, off-the-record or on-background")
        ->check(CLI::IsMember({"chatham-house", "off-the-record", "on-background"}));
    cmd->add_option("--public-term", o->public_terms, "A term never redacted (repeat; replaces the list)");
    cmd->add_flag("--clear-public-terms", o->clear_public_terms, "Remove every public term");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_meeting_set(ctx, *o); }; });
  }
}

}  // namespace bc::cli
