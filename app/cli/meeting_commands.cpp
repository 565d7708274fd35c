// import-meeting, series, meetings, meeting set.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/meetings.h"
#include "backchannel/files/atomic_file.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

Status run_import(Context& ctx, const std::string& file) {
  auto text = files::read_small_file(file, core::Limits::kMaxImportFile);
  if (!text) {
    auto e = std::move(text).error();
    if (e.code == ErrorCode::not_found) e.code = ErrorCode::bad_input;
    return e;
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  auto imported = core::import_meeting(vault, *text);
  if (!imported) {
    auto e = std::move(imported).error();
    if (e.code == ErrorCode::bad_input) e.message = file + ": " + e.message + " (nothing was imported)";
    return e;
  }
  print_line(std::to_string(imported->meeting_id));
  std::fprintf(stderr, "imported meeting %lld: %zu participants, %zu notes\n", static_cast<long long>(imported->meeting_id),
               imported->participants, imported->notes);
  return {};
}

Status run_series(Context& ctx, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::Series> all, core::list_series(vault));
  if (as_json) {
    json out = json::array();
    for (const auto& s : all)
      out.push_back({{"id", s.id}, {"uid", s.uid}, {"title", s.title}, {"rule", core::to_string(s.rule)}});
    print_json(out);
    return {};
  }
  if (all.empty()) print_line("No series yet. A series is created with its first meeting (`backchannel-cli import-meeting FILE`).");
  else print_line(pad("ID", 5) + "SERIES");
  for (const auto& s : all) print_line(pad(std::to_string(s.id), 5) + s.title);
  return {};
}

Status run_meetings(Context& ctx, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::Meeting> ms, core::list_meetings(vault));
  if (as_json) {
    json out = json::array();
    for (const auto& m : ms) {
      json terms = m.public_terms;
      out.push_back({{"id", m.id}, {"uid", m.uid}, {"series", m.series_title}, {"title", m.title},
                     {"starts_at", m.starts_at}, {"location", optional_json(m.location)},
                     {"location_disclosure", {{"participants", core::to_string(m.location_disclosure[0])},
                                              {"public", core::to_string(m.location_disclosure[1])}}},
                     {"rule", core::to_string(m.effective_rule())}, {"public_terms", terms}, {"notes", m.note_count}});
    }
    print_json(out);
    return {};
  }
  if (ms.empty()) {
    print_line("No meetings yet. Add one with `backchannel-cli import-meeting FILE`.");
    return {};
  }
  print_line(pad("ID", 5) + pad("SERIES", 28) + pad("MEETING", 34) + pad("STARTS", 18) + "NOTES");
  for (const auto& m : ms)
    print_line(pad(std::to_string(m.id), 5) + pad(clip(m.series_title, 26), 28) + pad(clip(m.title, 32), 34) +
               pad(m.starts_at.substr(0, 16), 18) + std::to_string(m.note_count));
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
    BC_TRY(parse_audience_assignment(d, a, level));
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

}  // namespace

void add_meeting_commands(CLI::App& app, Context& ctx) {
  {
    auto file = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("import-meeting",
                                   "Import one meeting from a backchannel.meeting/1 JSON file (all or nothing); prints its id");
    cmd->add_option("FILE", *file, "The meeting file (docs/meeting-import-v1.md)")->required();
    cmd->callback([&ctx, file] { ctx.action = [&ctx, file] { return run_import(ctx, *file); }; });
  }
  {
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("series", "List the dialogue series in the vault");
    cmd->add_flag("--json", *as_json, "Print a JSON array of objects with id, uid, title and rule");
    cmd->callback([&ctx, as_json] { ctx.action = [&ctx, as_json] { return run_series(ctx, *as_json); }; });
  }
  {
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("meetings", "List the meetings in the vault");
    cmd->add_flag("--json", *as_json, "Print JSON");
    cmd->callback([&ctx, as_json] { ctx.action = [&ctx, as_json] { return run_meetings(ctx, *as_json); }; });
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
