// backchannel-cli: the headless interface to a Backchannel vault.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "backchannel/core/library_info.h"
#include "backchannel/core/vault.h"
#include "backchannel/message_text.h"
#include "cli_context.h"
#include "secret_input.h"

namespace bc::cli {

int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::usage: return kUsage;
    case ErrorCode::auth_failed:
    case ErrorCode::integrity: return kAuthOrIntegrity;
    case ErrorCode::blocked: return kBlocked;
    case ErrorCode::bad_input:
    case ErrorCode::not_found:
    case ErrorCode::conflict:
    case ErrorCode::unsupported: return kBadInput;
    case ErrorCode::io:
    case ErrorCode::internal: return kEnvironment;
  }
  return kEnvironment;
}

Result<std::string> Context::vault_path() const {
  if (vault_dir.empty())
    return fail(ErrorCode::usage, "no vault: use --vault DIR or set BACKCHANNEL_VAULT");
  return vault_dir;
}

std::string remedy_hint(const Error& e) {
  const std::string& s = e.subject;
  switch (e.remedy) {
    case Remedy::none: return {};
    case Remedy::list_meetings: return " (`backchannel-cli meetings` lists them)";
    case Remedy::list_participants: return " (`backchannel-cli participants --meeting " + s + "` lists them)";
    case Remedy::list_inbox: return " (`backchannel-cli inbox list` lists them)";
    case Remedy::number_statements: return " (`backchannel-cli inbox show " + s + "` numbers them)";
    case Remedy::give_recipient:
      return ": give --to " + s + "=age1... or store one with `backchannel-cli participant set --key " + s +
             " --recipient age1...`";
    case Remedy::add_public_term: return " (`backchannel-cli meeting set --meeting " + s + " --public-term TERM`)";
    case Remedy::check_vault: return "; `backchannel-cli check` verifies the vault";
    case Remedy::create_vault: return "; create one with `backchannel-cli init`";
    case Remedy::replace_output: return "; choose another name, or give --force to replace it";
    case Remedy::trust_signer: return " (compare it in person, then add --trust " + s + ")";
    case Remedy::allow_weak_passphrase: return " (--allow-weak-passphrase overrides this, for tests and scripts only)";
  }
  return {};
}

Result<core::Vault> Context::open_vault() {
  BC_ASSIGN(std::string dir, vault_path());
  BC_ASSIGN(crypto::SecureBuffer pass,
            read_secret({passphrase_file, "BACKCHANNEL_PASSPHRASE", "Vault passphrase: ", false, "passphrase"}));
  return core::Vault::open(dir, pass);
}

}  // namespace bc::cli

int main(int argc, char** argv) {
  using namespace bc;
  using namespace bc::cli;
  if (auto st = core::harden_process(); !st) {
    std::fprintf(stderr, "error: %s\n", printable_line(st.error().message).c_str());
    return kEnvironment;
  }
  if (auto st = core::Vault::initialize_libraries(); !st) {
    std::fprintf(stderr, "error: %s\n", printable_line(st.error().message).c_str());
    return kEnvironment;
  }

  CLI::App app{"backchannel-cli: keep confidential dialogue notes in an encrypted vault.\n"
               "Exit codes: 0 ok, 1 usage, 2 authentication or integrity failure, 3 blocked by a safety check,\n"
               "4 bad input (or not found, or conflict), 5 the system refused (disk full, I/O error).",
               "backchannel-cli"};
  app.set_version_flag("--version", std::string("backchannel-cli ") + core::library_versions());
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx;
  app.add_option("--vault", ctx.vault_dir, "Vault folder")->envname("BACKCHANNEL_VAULT");
  app.add_option("--passphrase-file", ctx.passphrase_file,
                 "Read the vault passphrase from FILE (else BACKCHANNEL_PASSPHRASE, else a prompt)");
  add_vault_commands(app, ctx);
  add_meeting_commands(app, ctx);
  add_participant_commands(app, ctx);
  add_note_commands(app, ctx);
  add_summary_commands(app, ctx);
  add_identity_commands(app, ctx);
  add_archive_commands(app, ctx);
  add_package_commands(app, ctx);
  add_inbox_commands(app, ctx);
  add_age_commands(app, ctx);
  add_team_commands(app, ctx);
  add_sync_commands(app, ctx);
  add_trust_commands(app, ctx);
  add_thread_commands(app, ctx);
  add_paper_commands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s\nRun `backchannel-cli --help` (or `backchannel-cli COMMAND --help`) for usage.\n",
                 printable_line(e.what()).c_str());
    return kUsage;
  }
  if (!ctx.action) {
    std::fprintf(stderr, "error: no command given\n");
    return kUsage;
  }
  Status st = ctx.action();
  std::fflush(stdout);
  if (!st) {
    // One line, whatever reached the message.
    const std::string line = printable_line(st.error().message + remedy_hint(st.error()));
    std::fprintf(stderr, "error: %s\n", line.c_str());
    return exit_code_for(st.error().code);
  }
  return kOk;
}
