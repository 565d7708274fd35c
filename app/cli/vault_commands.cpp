// init, passwd, recover, rekey, recovery-code, demo, audit verify, check.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/demo_vault.h"
#include "backchannel/core/passphrase_strength.h"
#include "backchannel/core/vault.h"
#include "cli_context.h"
#include "secret_input.h"

namespace bc::cli {

namespace {

// The recovery code file is created (empty, 0600, must not exist) before the vault (or the new
// key slots) so that a code is never put into effect that could not be saved. It is kept only
// once the code is in effect (keep()).
struct RecoveryCodeFile {
  std::string path;
  int fd = -1;
  bool created = false;  // by us: only then may the destructor remove it
  bool keep = false;
  ~RecoveryCodeFile() {
    if (fd >= 0) ::close(fd);
    if (created && !keep) ::unlink(path.c_str());
  }
  Status open() {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      const int err = errno;
      if (err == EEXIST) return fail(ErrorCode::conflict, path + " already exists; choose a new file for the recovery code");
      return fail(ErrorCode::io, "cannot create " + path + ": " + std::strerror(err));
    }
    created = true;
    return {};
  }
  Status write(const crypto::SecureBuffer& code) {
    const ssize_t n = ::write(fd, code.data(), code.size());
    const ssize_t m = ::write(fd, "\n", 1);
    if (n != static_cast<ssize_t>(code.size()) || m != 1 || ::fsync(fd) != 0)
      return fail(ErrorCode::io, "cannot write the recovery code to " + path + ": " + std::strerror(errno));
    return {};
  }
};

// The passphrase strength rule (core::require_strong_passphrase), with its loud override.
Status check_strength(const crypto::SecureBuffer& passphrase, bool allow_weak) {
  if (!allow_weak) return core::require_strong_passphrase(passphrase);
  const core::PassphraseStrength s = core::estimate_passphrase_strength(passphrase.view());
  std::fprintf(stderr, "warning: --allow-weak-passphrase: the passphrase strength rule is off (this passphrase: about "
                       "2^%d guesses%s); use it for tests and scripts only\n",
               static_cast<int>(s.bits), s.strong_enough() ? ", strong enough anyway" : ", too weak");
  return {};
}

void add_allow_weak(CLI::App* cmd, bool& flag) {
  cmd->add_flag("--allow-weak-passphrase", flag,
                "Accept a passphrase that the strength rule refuses (prints a warning; for tests and scripts only)");
}

void print_recovery_code(const crypto::SecureBuffer& code) {
  std::printf("\nRecovery code (shown only this once; write it down and keep it away from this computer):\n\n    ");
  std::fwrite(code.data(), 1, code.size(), stdout);
  std::printf("\n\nAnyone with this code can open the vault. Without it, a forgotten passphrase means the vault is lost.\n");
}

Result<core::KdfProfile> profile_of(const std::string& name) { return crypto::parse_kdf_profile(name); }

struct InitOptions {
  std::optional<std::string> recovery_code_file;
  std::string kdf = "moderate";
  bool allow_weak = false;
};

struct PasswdOptions {
  std::optional<std::string> new_file;
  std::optional<std::string> kdf;
  bool allow_weak = false;
};

struct RecoverOptions {
  std::optional<std::string> code_file;
  std::optional<std::string> new_file;
  bool allow_weak = false;
};

struct RekeyCommandOptions {
  std::optional<std::string> recovery_code_file;
  std::optional<std::string> new_file;
  bool ask_new = false;
  bool allow_weak = false;
};

struct RecoveryCodeOptions {
  bool make_new = false;
  std::optional<std::string> recovery_code_file;
};

// Where a new recovery code goes: printed once, or into the file given (created before anything
// is changed).
Status announce_recovery_code(RecoveryCodeFile& file, const crypto::SecureBuffer& code, bool to_file) {
  if (to_file) {
    std::printf("The new recovery code was written to %s (readable only by you). Move it somewhere safe, away from this computer.\n",
                file.path.c_str());
    return {};
  }
  print_recovery_code(code);
  return {};
}

Status run_init(Context& ctx, const InitOptions& o) {
  BC_ASSIGN(std::string dir, ctx.vault_path());
  BC_ASSIGN(core::KdfProfile profile, profile_of(o.kdf));
  RecoveryCodeFile code_file;
  if (o.recovery_code_file) {
    code_file.path = *o.recovery_code_file;
    BC_TRY(code_file.open());
  }
  BC_ASSIGN(crypto::SecureBuffer pass, read_secret({ctx.passphrase_file, "BACKCHANNEL_PASSPHRASE",
                                                     "New vault passphrase: ", true, "passphrase"}));
  BC_TRY(check_strength(pass, o.allow_weak));
  BC_ASSIGN(core::Vault::Created created, core::Vault::create(dir, pass, profile));
  std::printf("Vault created in %s.\n", dir.c_str());
  if (o.recovery_code_file) {
    BC_TRY(code_file.write(created.recovery_code));
    code_file.keep = true;
    std::printf("The recovery code was written to %s (readable only by you). Move it somewhere safe, away from this computer.\n",
                code_file.path.c_str());
  } else {
    print_recovery_code(created.recovery_code);
  }
  return {};
}

Status run_passwd(Context& ctx, const PasswdOptions& o) {
  std::optional<core::KdfProfile> cost;
  if (o.kdf) {
    BC_ASSIGN(core::KdfProfile p, profile_of(*o.kdf));
    cost = p;
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(crypto::SecureBuffer next, read_secret({o.new_file, "BACKCHANNEL_NEW_PASSPHRASE", "New passphrase: ", true,
                                                     "new passphrase", "--new-passphrase-file"}));
  BC_TRY(check_strength(next, o.allow_weak));
  BC_TRY(vault.change_passphrase(next, cost));
  if (cost) {
    BC_ASSIGN(core::KdfCost c, vault.passphrase_cost());
    std::printf("Passphrase changed; its Argon2id cost is now %s (%llu MiB, %llu passes). The recovery code is unchanged.\n",
                o.kdf->c_str(), static_cast<unsigned long long>(c.memlimit >> 20),
                static_cast<unsigned long long>(c.opslimit));
  } else {
    std::printf("Passphrase changed. The recovery code is unchanged.\n");
  }
  return {};
}

Status run_recover(Context& ctx, const RecoverOptions& o) {
  BC_ASSIGN(std::string dir, ctx.vault_path());
  BC_ASSIGN(crypto::SecureBuffer code, read_secret({o.code_file, "BACKCHANNEL_RECOVERY_CODE", "Recovery code: ", false,
                                                     "recovery code", "--recovery-code-file"}));
  BC_ASSIGN(crypto::SecureBuffer next, read_secret({o.new_file, "BACKCHANNEL_NEW_PASSPHRASE", "New passphrase: ", true,
                                                     "new passphrase", "--new-passphrase-file"}));
  BC_TRY(check_strength(next, o.allow_weak));
  BC_ASSIGN(core::Vault vault, core::Vault::recover(dir, code.view(), next));
  std::printf("The passphrase was reset with the recovery code; the recovery code stays valid.\n");
  return {};
}

Status run_rekey(Context& ctx, const RekeyCommandOptions& o) {
  BC_ASSIGN(std::string dir, ctx.vault_path());
  RecoveryCodeFile code_file;
  if (o.recovery_code_file) {
    code_file.path = *o.recovery_code_file;
    BC_TRY(code_file.open());
  }
  BC_ASSIGN(crypto::SecureBuffer pass,
            read_secret({ctx.passphrase_file, "BACKCHANNEL_PASSPHRASE", "Vault passphrase: ", false, "passphrase"}));
  std::optional<crypto::SecureBuffer> next;
  if (o.new_file || o.ask_new) {
    BC_ASSIGN(crypto::SecureBuffer n, read_secret({o.new_file, "BACKCHANNEL_NEW_PASSPHRASE", "New passphrase: ", true,
                                                   "new passphrase", "--new-passphrase-file"}));
    next = std::move(n);
  }
  // The rule applies to the passphrase the new slot will hold, kept or new.
  BC_TRY(check_strength(next ? *next : pass, o.allow_weak));
  core::RekeyOptions options;
  options.new_passphrase = next ? &*next : nullptr;
  if (o.recovery_code_file)
    options.before_commit = [&code_file](const crypto::SecureBuffer& code) { return code_file.write(code); };
  core::RekeyOutcome outcome;
  auto vault = core::Vault::rekey(dir, pass, options, outcome);
  if (outcome.committed) {
    // From the commit on, the new code is the only one, whatever failed afterwards.
    code_file.keep = true;
    std::printf("Vault re-keyed: a new master key, the database re-encrypted under it, new key slots. %s\n"
                "The old recovery code no longer works. Old copies of vault.keys no longer open this vault, but they "
                "still hold its identity secret keys.\n",
                next ? "The passphrase was changed." : "The passphrase is unchanged.");
    BC_TRY(announce_recovery_code(code_file, outcome.recovery_code, o.recovery_code_file.has_value()));
  }
  if (!vault) return std::move(vault).error();
  return {};
}

Status run_recovery_code(Context& ctx, const RecoveryCodeOptions& o) {
  if (!o.make_new)
    return fail(ErrorCode::usage, "recovery-code needs --new: the current code is never shown again, only replaced");
  RecoveryCodeFile code_file;
  if (o.recovery_code_file) {
    code_file.path = *o.recovery_code_file;
    BC_TRY(code_file.open());
  }
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  std::function<Status(const crypto::SecureBuffer&)> save;
  if (o.recovery_code_file) save = [&code_file](const crypto::SecureBuffer& code) { return code_file.write(code); };
  BC_ASSIGN(crypto::SecureBuffer code, vault.new_recovery_code(save));
  code_file.keep = true;
  std::printf("New recovery code made; the old code no longer works (old copies of vault.keys still accept it: "
              "`backchannel-cli rekey` makes those useless).\n");
  return announce_recovery_code(code_file, code, o.recovery_code_file.has_value());
}

Status run_demo(Context& ctx, const std::string& dir, const std::string& kdf, bool allow_weak) {
  BC_ASSIGN(core::KdfProfile profile, profile_of(kdf));
  BC_ASSIGN(crypto::SecureBuffer pass, read_secret({ctx.passphrase_file, "BACKCHANNEL_PASSPHRASE",
                                                     "New passphrase for the demo vault: ", true, "passphrase"}));
  BC_TRY(check_strength(pass, allow_weak));
  BC_ASSIGN(core::Vault::Created created, core::Vault::create(dir, pass, profile));
  BC_ASSIGN(core::DemoSummary s, core::populate_demo(created.vault));
  std::printf("Demo vault created in %s: the fictional \"Caspian Futures Dialogue\", %zu meetings, %zu participants, %zu notes.\n",
              dir.c_str(), s.meetings, s.participants, s.notes);
  print_recovery_code(created.recovery_code);
  return {};
}

Status run_audit_verify(Context& ctx) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::AuditReport r, core::verify_audit_log(vault));
  std::printf("audit log intact: %lld entries, every MAC and link verified\n", static_cast<long long>(r.entries));
  return {};
}

Status run_check(Context& ctx) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::VaultCheck r, core::check_vault(vault));
  std::printf("vault OK: SQLite integrity check, search index, SQLCipher page authentication, audit chain (%lld entries)\n",
              static_cast<long long>(r.audit_entries));
  return {};
}

}  // namespace

void add_vault_commands(CLI::App& app, Context& ctx) {
  {
    // Option storage is shared with the callback, which the app keeps alive.
    auto o = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Create a new vault in --vault DIR and print its recovery code once");
    cmd->add_option("--recovery-code-file", o->recovery_code_file,
                    "Write the recovery code to FILE (created with mode 0600; must not exist) instead of printing it");
    cmd->add_option("--kdf", o->kdf, "Argon2id cost: interactive (64 MiB), moderate (256 MiB, default) or sensitive (1 GiB)")
        ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
    add_allow_weak(cmd, o->allow_weak);
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_init(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<PasswdOptions>();
    auto* cmd = app.add_subcommand("passwd", "Change the vault passphrase (rewrites only vault.keys, atomically)");
    cmd->add_option("--new-passphrase-file", o->new_file,
                    "Read the new passphrase from FILE (else BACKCHANNEL_NEW_PASSPHRASE, else a prompt)");
    cmd->add_option("--kdf", o->kdf,
                    "Also set the Argon2id cost of the passphrase slot: interactive, moderate or sensitive "
                    "(give the current passphrase as the new one to change only the cost)")
        ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
    add_allow_weak(cmd, o->allow_weak);
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_passwd(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<RecoverOptions>();
    auto* cmd = app.add_subcommand("recover", "Set a new passphrase with the recovery code");
    cmd->add_option("--recovery-code-file", o->code_file,
                    "Read the recovery code from FILE (else BACKCHANNEL_RECOVERY_CODE, else a prompt)");
    cmd->add_option("--new-passphrase-file", o->new_file,
                    "Read the new passphrase from FILE (else BACKCHANNEL_NEW_PASSPHRASE, else a prompt)");
    add_allow_weak(cmd, o->allow_weak);
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_recover(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<RekeyCommandOptions>();
    auto* cmd = app.add_subcommand(
        "rekey", "Replace the master key: re-encrypt the database, new key slots and a new recovery code (shown once)");
    cmd->add_option("--recovery-code-file", o->recovery_code_file,
                    "Write the new recovery code to FILE (created with mode 0600; must not exist) instead of printing it");
    cmd->add_option("--new-passphrase-file", o->new_file, "Also change the passphrase: read the new one from FILE");
    cmd->add_flag("--new-passphrase", o->ask_new,
                  "Also change the passphrase: from BACKCHANNEL_NEW_PASSPHRASE, else a prompt");
    add_allow_weak(cmd, o->allow_weak);
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_rekey(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<RecoveryCodeOptions>();
    auto* cmd = app.add_subcommand("recovery-code", "Replace the recovery code (the old one stops working)");
    cmd->add_flag("--new", o->make_new, "Make a new recovery code and show it once (required)");
    cmd->add_option("--recovery-code-file", o->recovery_code_file,
                    "Write the new code to FILE (created with mode 0600; must not exist) instead of printing it");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_recovery_code(ctx, *o); }; });
  }
  {
    auto dir = std::make_shared<std::string>();
    auto kdf = std::make_shared<std::string>("moderate");
    auto allow_weak = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("demo", "Create a demo vault in DIR with a fictional dialogue series");
    cmd->add_option("DIR", *dir, "Folder for the new demo vault (must not exist or be empty)")->required();
    cmd->add_option("--kdf", *kdf, "Argon2id cost: interactive, moderate (default) or sensitive")
        ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
    add_allow_weak(cmd, *allow_weak);
    cmd->callback([&ctx, dir, kdf, allow_weak] {
      ctx.action = [&ctx, dir, kdf, allow_weak] { return run_demo(ctx, *dir, *kdf, *allow_weak); };
    });
  }
  {
    auto* audit = app.add_subcommand("audit", "The vault's hash-chained audit log");
    audit->require_subcommand(1);
    auto* verify = audit->add_subcommand("verify", "Check every entry's MAC and the chain");
    verify->callback([&ctx] { ctx.action = [&ctx] { return run_audit_verify(ctx); }; });
  }
  {
    auto* cmd = app.add_subcommand("check", "Full integrity check: SQLite, the search index, SQLCipher page MACs and the audit chain");
    cmd->callback([&ctx] { ctx.action = [&ctx] { return run_check(ctx); }; });
  }
}

}  // namespace bc::cli
