// trust list, trust remove: the keys whose files this vault accepts, and for what.
#include <nlohmann/json.hpp>

#include <memory>

#include "backchannel/core/identity.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

Status run_trust_list(Context& ctx, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::TrustedKey> keys, core::list_trusted_keys(vault));
  if (as_json) {
    json out = json::array();
    for (const auto& k : keys)
      out.push_back({{"fingerprint", k.fingerprint.empty() ? json(nullptr) : json(k.fingerprint)},
                     {"signing_key", k.signing_key},
                     {"purpose", k.purpose},
                     {"label", k.label},
                     {"added_at", k.added_at.empty() ? json(nullptr) : json(k.added_at)}});
    print_json(out);
    return {};
  }
  if (keys.empty()) print_line("No trusted keys: this vault accepts only files it signed itself.");
  for (const auto& k : keys)
    print_line(pad(k.fingerprint.empty() ? k.signing_key : k.fingerprint, 25) + pad(k.purpose, 11) + k.label);
  return {};
}

Status run_trust_remove(Context& ctx, const std::string& fingerprint) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::size_t removed, core::remove_trusted_key(vault, fingerprint));
  print_line("removed " + std::to_string(removed) + (removed == 1 ? " entry" : " entries") +
             "; files signed by this key are refused until it is trusted again");
  return {};
}

}  // namespace

void add_trust_commands(CLI::App& app, Context& ctx) {
  auto* trust = app.add_subcommand("trust", "The keys whose archives, packages and responses this vault accepts");
  trust->require_subcommand(1);
  {
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = trust->add_subcommand("list", "List trusted keys with their fingerprint and purpose");
    cmd->add_flag("--json", *as_json, "Print JSON");
    cmd->callback([&ctx, as_json] { ctx.action = [&ctx, as_json] { return run_trust_list(ctx, *as_json); }; });
  }
  {
    auto fp = std::make_shared<std::string>();
    auto* cmd = trust->add_subcommand("remove", "Stop trusting a key, for every purpose");
    cmd->add_option("FINGERPRINT", *fp, "Its fingerprint (or ed25519:... signing key, as `trust list` shows it)")->required();
    cmd->callback([&ctx, fp] { ctx.action = [&ctx, fp] { return run_trust_remove(ctx, *fp); }; });
  }
}

}  // namespace bc::cli
