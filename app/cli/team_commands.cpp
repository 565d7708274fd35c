// team create|add|accept|remove|list|confirm.
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <sstream>

#include "backchannel/core/team.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

struct TeamOptions {
  std::int64_t series = 0;
  std::string identity_file, fingerprint, change;
  bool as_json = false;
};

Result<std::string> read_identity_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::not_found, "cannot read the identity file");
  std::string text(64 * 1024 + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > 64 * 1024) return fail(ErrorCode::bad_input, "the identity file is too large to be `identity --json` output");
  return text;
}

Status run_team_create(Context& ctx, const TeamOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::create_team(vault, o.series));
  print_line("team created for series " + std::to_string(o.series));
  return {};
}

Status run_team_add(Context& ctx, const TeamOptions& o) {
  BC_ASSIGN(std::string text, read_identity_file(o.identity_file));
  BC_ASSIGN(core::MemberIdentity id, core::parse_member_identity(text));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::add_team_member(vault, o.series, id, o.fingerprint));
  print_line("member added: " + o.fingerprint);
  return {};
}

Status run_team_accept(Context& ctx, const TeamOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::accept_team_signer(vault, o.fingerprint));
  print_line("accepted signer " + o.fingerprint + " for team bundles");
  return {};
}

Status run_team_remove(Context& ctx, const TeamOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::remove_team_member(vault, o.series, o.fingerprint));
  print_line("member removed: " + o.fingerprint + " (they keep what they already received)");
  return {};
}

Status run_team_confirm(Context& ctx, const TeamOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::confirm_change(vault, o.change));
  print_line("confirmed " + o.change);
  return {};
}

Status run_team_list(Context& ctx, const TeamOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::TeamInfo> teams, core::list_teams(vault));
  if (o.as_json) {
    json out = json::array();
    for (const auto& t : teams) {
      json members = json::array();
      for (const auto& m : t.members)
        members.push_back({{"fingerprint", m.fingerprint}, {"recipient", m.recipient}, {"signing_key", m.signing_key},
                           {"role", m.role}, {"added_epoch", m.added_epoch},
                           {"removed_epoch", m.removed_epoch ? json(*m.removed_epoch) : json(nullptr)}, {"self", m.is_self}});
      out.push_back({{"series", t.series_id}, {"series_uid", t.series_uid}, {"title", t.series_title}, {"epoch", t.epoch},
                     {"convenor", t.convenor_fingerprint}, {"self_is_convenor", t.self_is_convenor}, {"members", members}});
    }
    print_json(out);
    return {};
  }
  for (const auto& t : teams) {
    print_line("series " + std::to_string(t.series_id) + " " + t.series_uid + " epoch " + std::to_string(t.epoch) +
               (t.self_is_convenor ? " (this vault convenes)" : ""));
    for (const auto& m : t.members)
      print_line("  " + pad(m.role, 10) + m.fingerprint + (m.removed_epoch ? " removed" : "") + (m.is_self ? " (this vault)" : ""));
  }
  return {};
}

}  // namespace

void add_team_commands(CLI::App& app, Context& ctx) {
  auto* team = app.add_subcommand("team", "Share a series with other organizers (docs/sync.md)");
  team->require_subcommand(1);
  auto o = std::make_shared<TeamOptions>();
  auto bind = [&ctx, o](CLI::App* cmd, Status (*run)(Context&, const TeamOptions&)) {
    cmd->callback([&ctx, o, run] { ctx.action = [&ctx, o, run] { return run(ctx, *o); }; });
  };
  {
    auto* cmd = team->add_subcommand("create", "Share a series: this vault becomes its convenor");
    cmd->add_option("--series", o->series, "Series id (see `series`)")->required();
    bind(cmd, run_team_create);
  }
  {
    auto* cmd = team->add_subcommand("add", "Add a member by their `identity --json` file, checked against the fingerprint they read out");
    cmd->add_option("--series", o->series, "Series id")->required();
    cmd->add_option("--identity", o->identity_file, "The member's `identity --json` output")->required();
    cmd->add_option("--fingerprint", o->fingerprint, "The fingerprint the member read out in person")->required();
    bind(cmd, run_team_add);
  }
  {
    auto* cmd = team->add_subcommand("accept", "Trust a convenor's signing key for team bundles (and nothing else)");
    cmd->add_option("--fingerprint", o->fingerprint, "The convenor's fingerprint, as compared in person")->required();
    bind(cmd, run_team_accept);
  }
  {
    auto* cmd = team->add_subcommand("remove", "Remove a member; later bundles are not encrypted to them");
    cmd->add_option("--series", o->series, "Series id")->required();
    cmd->add_option("--fingerprint", o->fingerprint, "The member's fingerprint")->required();
    bind(cmd, run_team_remove);
  }
  {
    auto* cmd = team->add_subcommand("list", "List the teams this vault belongs to");
    cmd->add_flag("--json", o->as_json, "Print JSON");
    bind(cmd, run_team_list);
  }
  {
    auto* cmd = team->add_subcommand("confirm", "Confirm, as a second member, a change that makes someone more identifiable");
    cmd->add_option("CHANGE_ID", o->change, "The change id (see `sync status`)")->required();
    bind(cmd, run_team_confirm);
  }
}

}  // namespace bc::cli
