// identity.
#include <memory>

#include "backchannel/core/identity.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

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

}  // namespace

void add_identity_commands(CLI::App& app, Context& ctx) {
  {
    auto recipient_only = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("identity", "Show this vault's age recipient, signing key and fingerprint");
    cmd->add_flag("--recipient", *recipient_only, "Print only the age1... recipient line");
    cmd->callback([&ctx, recipient_only] { ctx.action = [&ctx, recipient_only] { return run_identity(ctx, *recipient_only); }; });
  }
}

}  // namespace bc::cli
