// init, passwd, recover, demo, audit verify, check.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/demo_vault.h"
#include "backchannel/core/vault.h"
#include "cli_context.h"
#include "secret_input.h"

namespace bc::cli {

namespace {

// The recovery code file is created (empty, 0600, must not exist) before the vault so that a
// vault never exists whose code could not be saved.
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
    keep = true;
    return {};
  }
};

void print_recovery_code(const crypto::SecureBuffer& code) {
  std::printf("\nRecovery code (shown only this once; write it down and keep it away from this computer):\n\n    ");
  std::fwrite(code.data(), 1, code.size(), stdout);
  std::printf("\n\nAnyone with this code can open the vault. Without it, a forgotten passphrase means the vault is lost.\n");
}

Result<core::KdfProfile> profile_of(const std::string& name) { return crypto::parse_kdf_profile(name); }

struct InitOptions {
  std::optional<std::string> recovery_code_file;
  std::string kdf = "moderate";
};

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
  BC_ASSIGN(core::Vault::Created created, core::Vault::create(dir, pass, profile));
  std::printf("Vault created in %s.\n", dir.c_str());
  if (o.recovery_code_file) {
    BC_TRY(code_file.write(created.recovery_code));
    std::printf("The recovery code was written to %s (readable only by you). Move it somewhere safe, away from this computer.\n",
                code_file.path.c_str());
  } else {
    print_recovery_code(created.recovery_code);
  }
  return {};
}

Status run_passwd(Context& ctx, const std::optional<std::string>& new_file) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(crypto::SecureBuffer next, read_secret({new_file, "BACKCHANNEL_NEW_PASSPHRASE", "New passphrase: ", true,
                                                     "new passphrase", "--new-passphrase-file"}));
  BC_TRY(vault.change_passphrase(next));
  std::printf("Passphrase changed. The recovery code is unchanged.\n");
  return {};
}

Status run_recover(Context& ctx, const std::optional<std::string>& code_file, const std::optional<std::string>& new_file) {
  BC_ASSIGN(std::string dir, ctx.vault_path());
  BC_ASSIGN(crypto::SecureBuffer code, read_secret({code_file, "BACKCHANNEL_RECOVERY_CODE", "Recovery code: ", false,
                                                     "recovery code", "--recovery-code-file"}));
  BC_ASSIGN(crypto::SecureBuffer next, read_secret({new_file, "BACKCHANNEL_NEW_PASSPHRASE", "New passphrase: ", true,
                                                     "new passphrase", "--new-passphrase-file"}));
  BC_ASSIGN(core::Vault vault, core::Vault::recover(dir, code.view(), next));
  std::printf("The passphrase was reset with the recovery code; the recovery code stays valid.\n");
  return {};
}

Status run_demo(Context& ctx, const std::string& dir, const std::string& kdf) {
  BC_ASSIGN(core::KdfProfile profile, profile_of(kdf));
  BC_ASSIGN(crypto::SecureBuffer pass, read_secret({ctx.passphrase_file, "BACKCHANNEL_PASSPHRASE",
                                                     "New passphrase for the demo vault: ", true, "passphrase"}));
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
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_init(ctx, *o); }; });
  }
  {
    auto new_file = std::make_shared<std::optional<std::string>>();
    auto* cmd = app.add_subcommand("passwd", "Change the vault passphrase (rewrites only vault.keys, atomically)");
    cmd->add_option("--new-passphrase-file", *new_file,
                    "Read the new passphrase from FILE (else BACKCHANNEL_NEW_PASSPHRASE, else a prompt)");
    cmd->callback([&ctx, new_file] { ctx.action = [&ctx, new_file] { return run_passwd(ctx, *new_file); }; });
  }
  {
    auto code_file = std::make_shared<std::optional<std::string>>();
    auto new_file = std::make_shared<std::optional<std::string>>();
    auto* cmd = app.add_subcommand("recover", "Set a new passphrase with the recovery code");
    cmd->add_option("--recovery-code-file", *code_file,
                    "Read the recovery code from FILE (else BACKCHANNEL_RECOVERY_CODE, else a prompt)");
    cmd->add_option("--new-passphrase-file", *new_file,
                    "Read the new passphrase from FILE (else BACKCHANNEL_NEW_PASSPHRASE, else a prompt)");
    cmd->callback([&ctx, code_file, new_file] {
      ctx.action = [&ctx, code_file, new_file] { return run_recover(ctx, *code_file, *new_file); };
    });
  }
  {
    auto dir = std::make_shared<std::string>();
    auto kdf = std::make_shared<std::string>("moderate");
    auto* cmd = app.add_subcommand("demo", "Create a demo vault in DIR with a fictional dialogue series");
    cmd->add_option("DIR", *dir, "Folder for the new demo vault (must not exist or be empty)")->required();
    cmd->add_option("--kdf", *kdf, "Argon2id cost: interactive, moderate (default) or sensitive")
        ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
    cmd->callback([&ctx, dir, kdf] { ctx.action = [&ctx, dir, kdf] { return run_demo(ctx, *dir, *kdf); }; });
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
