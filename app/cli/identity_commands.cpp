// identity.
#include <nlohmann/json.hpp>

#include <memory>

#include "backchannel/core/identity.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

struct IdentityOptions {
  bool recipient_only = false;
  bool fingerprint_only = false;
  bool as_json = false;
};

Status run_identity(Context& ctx, const IdentityOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::VaultIdentity id, core::vault_identity(vault));
  if (o.recipient_only) {
    print_line(id.recipient);
    return {};
  }
  if (o.fingerprint_only) {
    print_line(id.fingerprint);
    return {};
  }
  if (o.as_json) {
    // What another vault's `team add --identity FILE` reads: public keys only.
    nlohmann::ordered_json j{{"recipient", id.recipient}, {"signing_key", id.signing_key}, {"fingerprint", id.fingerprint}};
    print_json(j);
    return {};
  }
  print_line("recipient:   " + id.recipient);
  print_line("signing key: " + id.signing_key);
  print_line("fingerprint: " + id.fingerprint);
  return {};
}

}  // namespace

void add_identity_commands(CLI::App& app, Context& ctx) {
  {
    auto o = std::make_shared<IdentityOptions>();
    auto* cmd = app.add_subcommand("identity", "Show this vault's age recipient, signing key and fingerprint");
    auto* r = cmd->add_flag("--recipient", o->recipient_only, "Print only the age1... recipient line");
    auto* f = cmd->add_flag("--fingerprint", o->fingerprint_only, "Print only the fingerprint");
    auto* j = cmd->add_flag("--json", o->as_json,
                            "Print a JSON object with recipient, signing_key and fingerprint (public keys only: what "
                            "another organizer gives to `team add --identity`)");
    r->excludes(f)->excludes(j);
    f->excludes(j);
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_identity(ctx, *o); }; });
  }
}

}  // namespace bc::cli
