// participants, participant add|set.
#include <nlohmann/json.hpp>

#include <memory>

#include "backchannel/core/conflicts.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/short_forms.h"
#include "backchannel/message_text.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

std::string_view reach_name(core::ShortFormReach r) {
  switch (r) {
    case core::ShortFormReach::everywhere: return "alone";
    case core::ShortFormReach::given_name: return "given-name";
    case core::ShortFormReach::none: return "not-alone";
  }
  return "?";
}

// The short forms of a participant's name and affiliation, each with where it is found and
// whether an organizer ruled on it.
json short_forms_json(const core::Participant& p, const std::vector<std::string>& public_terms) {
  json out = json::array();
  for (const auto& f : core::short_forms(p, public_terms))
    out.push_back({{"of", core::to_string(f.of)}, {"form", f.form}, {"use", reach_name(f.reach)}, {"derived", f.derived},
                   {"ruling", f.ruling ? json(core::to_string(*f.ruling)) : json(nullptr)}});
  return out;
}

// "TEXT=alone|not-alone|default" (the last "=" separates: the text may hold one).
Status parse_short_form_change(const std::string& s, core::ShortFormOf of, std::vector<core::ShortFormChange>& out) {
  const auto eq = s.rfind('=');
  if (eq == std::string::npos || eq == 0)
    return fail(ErrorCode::usage, "expected TEXT=alone, TEXT=not-alone or TEXT=default, not " + quote_for_message(s));
  const std::string use = s.substr(eq + 1);
  core::ShortFormChange c{of, s.substr(0, eq), std::nullopt};
  if (use != "default") {
    c.use = core::parse_short_form_use(use);
    if (!c.use) return fail(ErrorCode::usage, "unknown use " + quote_for_message(use) + " (use alone, not-alone or default)");
  }
  out.push_back(std::move(c));
  return {};
}

Status run_participants(Context& ctx, std::int64_t meeting, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::Meeting m, core::get_meeting(vault, meeting));
  BC_ASSIGN(std::vector<core::Participant> ps, core::list_participants(vault, meeting));
  if (as_json) {
    // In a shared series, a disclosure level two organizers set concurrently shows the effective
    // (more protective) level and "conflict": true until a person resolves it.
    BC_ASSIGN(std::vector<core::Conflict> conflicts, core::list_conflicts(vault));
    auto level_conflict = [&](const std::string& key) {
      for (const auto& c : conflicts)
        if (c.kind == "field" && c.meeting_id == meeting && c.participant_key == key && c.field.rfind("disclosure.", 0) == 0) return true;
      return false;
    };
    json out = json::array();
    for (const auto& p : ps) {
      out.push_back({{"key", p.key}, {"uid", p.uid}, {"name", p.name}, {"affiliation", optional_json(p.affiliation)},
                     {"delegation", optional_json(p.delegation)}, {"descriptor", optional_json(p.descriptor)},
                     {"aliases", p.aliases},
                     {"disclosure", {{"participants", core::to_string(p.disclosure[0])},
                                     {"public", core::to_string(p.disclosure[1])}}},
                     {"recipient", optional_json(p.recipient)}, {"descriptor_fa", optional_json(p.descriptor_fa)},
                     {"short_forms", short_forms_json(p, m.public_terms)}});
      if (level_conflict(p.key)) out.back()["conflict"] = true;
    }
    print_json(out);
    return {};
  }
  print_line(pad("KEY", 12) + pad("NAME", 24) + pad("AFFILIATION", 34) + pad("PARTICIPANTS", 14) + "PUBLIC");
  for (const auto& p : ps)
    print_line(pad(clip(p.key, 11), 12) + pad(clip(p.name, 22), 24) + pad(clip(p.affiliation.value_or("-"), 32), 34) +
               pad(std::string(core::to_string(p.disclosure[0])), 14) + std::string(core::to_string(p.disclosure[1])));
  return {};
}

struct ParticipantOptions {
  std::int64_t meeting = 0;
  std::string key;
  std::optional<std::string> name, affiliation, delegation, descriptor, descriptor_fa, recipient;
  std::vector<std::string> aliases;
  std::vector<std::string> short_forms, affiliation_short_forms;
  bool clear_aliases = false;
  std::vector<std::string> disclosure;
};

Result<std::vector<core::ShortFormChange>> short_form_changes(const ParticipantOptions& o) {
  std::vector<core::ShortFormChange> changes;
  for (const auto& s : o.short_forms) BC_TRY(parse_short_form_change(s, core::ShortFormOf::name, changes));
  for (const auto& s : o.affiliation_short_forms) BC_TRY(parse_short_form_change(s, core::ShortFormOf::affiliation, changes));
  return changes;
}

Status run_participant_set(Context& ctx, const ParticipantOptions& o) {
  BC_ASSIGN(const auto changes, short_form_changes(o));
  core::ParticipantUpdate u;
  u.name = o.name;
  u.affiliation = o.affiliation;
  u.delegation = o.delegation;
  u.descriptor = o.descriptor;
  u.descriptor_fa = o.descriptor_fa;
  u.recipient = o.recipient;
  if (!o.aliases.empty() || o.clear_aliases) u.aliases = o.aliases;
  for (const auto& d : o.disclosure) {
    core::Audience a;
    std::string level;
    BC_TRY(parse_audience_assignment(d, a, level));
    auto l = core::parse_disclosure_level(level);
    if (!l) return fail(ErrorCode::usage, "unknown level \"" + level + "\" (use named, role, pseudonym, anonymous or hidden)");
    u.disclosure[static_cast<int>(a)] = *l;
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  if (!changes.empty()) {
    BC_ASSIGN(core::Participant before, core::find_participant(vault, o.meeting, o.key));
    u.short_forms = core::apply_short_form_changes(before.short_forms, changes);
  }
  BC_TRY(core::update_participant(vault, o.meeting, o.key, u));
  BC_ASSIGN(core::Participant p, core::find_participant(vault, o.meeting, o.key));
  print_line("participant " + p.key + ": participants=" + std::string(core::to_string(p.disclosure[0])) +
             " public=" + std::string(core::to_string(p.disclosure[1])));
  return {};
}

Status run_participant_add(Context& ctx, const ParticipantOptions& o) {
  if (!o.name) return fail(ErrorCode::usage, "participant add needs --name");
  BC_ASSIGN(const auto changes, short_form_changes(o));
  core::NewParticipant n;
  n.key = o.key;
  n.name = *o.name;
  n.affiliation = o.affiliation;
  n.delegation = o.delegation;
  n.descriptor = o.descriptor;
  n.descriptor_fa = o.descriptor_fa;
  n.aliases = o.aliases;
  n.short_forms = core::apply_short_form_changes({}, changes);
  for (const auto& d : o.disclosure) {
    core::Audience a;
    std::string level;
    BC_TRY(parse_audience_assignment(d, a, level));
    auto l = core::parse_disclosure_level(level);
    if (!l) return fail(ErrorCode::usage, "unknown level \"" + level + "\" (use named, role, pseudonym, anonymous or hidden)");
    n.disclosure[static_cast<int>(a)] = *l;
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::add_participant(vault, o.meeting, n));
  print_line("participant " + n.key + " added to meeting " + std::to_string(o.meeting));
  return {};
}

void participant_fields(CLI::App* cmd, ParticipantOptions& o) {
  cmd->add_option("--meeting", o.meeting, "Meeting id")->required();
  cmd->add_option("--key", o.key, "The participant's key in this meeting")->required();
  cmd->add_option("--name", o.name, "Full name (any script)");
  cmd->add_option("--affiliation", o.affiliation, "Affiliation (an empty value clears it)");
  cmd->add_option("--delegation", o.delegation, "Delegation (an empty value clears it)");
  cmd->add_option("--descriptor", o.descriptor, "How they appear at the role level, e.g. \"a former senior U.S. diplomat\"");
  cmd->add_option("--descriptor-fa", o.descriptor_fa,
                  "The descriptor in Persian, used in sentences written in Arabic script (an empty value clears it)");
  cmd->add_option("--alias", o.aliases, "An alias in any script (repeat for several; replaces the list)");
  cmd->add_option("--short-form", o.short_forms,
                  "TEXT=alone|not-alone|default: whether a short form of the name (\"Abbas\" of \"Haj Abbas\") stands for "
                  "them on its own everywhere, not at all, or as the rule derives (repeat for several)");
  cmd->add_option("--affiliation-short-form", o.affiliation_short_forms,
                  "TEXT=alone|not-alone|default: make TEXT a short form of the affiliation, not one, or as derived "
                  "(repeat for several)");
  cmd->add_option("--disclosure", o.disclosure,
                  "AUDIENCE=LEVEL, e.g. --disclosure participants=pseudonym --disclosure public=anonymous "
                  "(levels: named, role, pseudonym, anonymous, hidden)");
}

}  // namespace

void add_participant_commands(CLI::App& app, Context& ctx) {
  {
    auto meeting = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("participants", "List a meeting's participants and their disclosure levels");
    cmd->add_option("--meeting", *meeting, "Meeting id")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    cmd->callback([&ctx, meeting, as_json] {
      ctx.action = [&ctx, meeting, as_json] { return run_participants(ctx, *meeting, *as_json); };
    });
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
}

}  // namespace bc::cli
