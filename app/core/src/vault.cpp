#include "backchannel/core/vault.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cassert>
#include <cerrno>
#include <cstring>

#include "audit_chain.h"
#include "backchannel/core/audit_log.h"
#include "backchannel/crypto/sodium_init.h"
#include "backchannel/storage/database.h"
#include "sync_log.h"
#include "vault_store_access.h"

namespace bc::core {

Status harden_process() {
  ::umask(077);
  struct rlimit none {0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0)
    return fail(ErrorCode::internal, std::string("cannot disable core dumps: ") + std::strerror(errno));
  // Not dumpable: no core file even if a limit is raised later, and other processes of the same
  // user cannot ptrace us or read /proc/<pid>/mem.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return fail(ErrorCode::internal, std::string("cannot mark the process undumpable: ") + std::strerror(errno));
  return {};
}

Status Vault::initialize_libraries() {
  BC_TRY(crypto::initialize());
  auto v = storage::check_sqlcipher_version();
  if (!v) return std::move(v).error();
  return {};
}

Result<Vault::Created> Vault::create(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase,
                                     KdfProfile profile) {
  BC_TRY(initialize_libraries());
  BC_ASSIGN(storage::VaultStore::Created c, storage::VaultStore::create(dir, passphrase, profile));
  Created out{Vault(std::move(c.store)), std::move(c.recovery_code)};
  {
    BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(vault_store(out.vault).db()));
    BC_TRY(append_audit(out.vault, "vault.create", "vault"));
    BC_TRY(tx.commit());
  }
  return out;
}

Result<Vault> Vault::open(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase) {
  BC_TRY(initialize_libraries());
  BC_ASSIGN(storage::VaultStore s, storage::VaultStore::open(dir, passphrase));
  return Vault(std::move(s));
}

Result<Vault> Vault::recover(const std::filesystem::path& dir, std::string_view recovery_code,
                             const crypto::SecureBuffer& new_passphrase) {
  BC_TRY(initialize_libraries());
  BC_ASSIGN(storage::VaultStore s, storage::VaultStore::recover(dir, recovery_code, new_passphrase));
  Vault v(std::move(s));
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(vault_store(v).db()));
  BC_TRY(append_audit(v, "vault.recover", "vault"));
  BC_TRY(tx.commit());
  return v;
}

Result<Vault> Vault::rekey(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase,
                           const RekeyOptions& options, RekeyOutcome& outcome) {
  BC_TRY(initialize_libraries());
  static_assert(static_cast<int>(storage::RekeyStep::finished) == static_cast<int>(RekeyStep::finished));
  storage::RekeyPlan plan;
  plan.new_passphrase = options.new_passphrase;
  plan.rewrite = [](storage::Database& next, const crypto::SecureBuffer& old_key,
                    const crypto::SecureBuffer& new_key) -> Status {
    BC_TRY(reseal_audit_chain(next, old_key, new_key));
    return append_audit_entry(next, new_key, "vault.rekey", "vault");
  };
  plan.before_commit = options.before_commit;
  if (options.progress)
    plan.progress = [progress = options.progress](storage::RekeyStep s) { progress(static_cast<RekeyStep>(s)); };
  storage::RekeyOutcome done;
  auto store = storage::VaultStore::rekey(dir, passphrase, plan, done);
  outcome.committed = done.committed;
  outcome.recovery_code = std::move(done.recovery_code);
  if (!store) return std::move(store).error();
  return Vault(std::move(*store));
}

Vault::Vault() = default;
// Every connection records changes to shared series in the change log (sync_log.h): there is no
// way to write a series record that the log does not see.
Vault::Vault(storage::VaultStore store) : state_(std::make_unique<VaultState>(VaultState{std::move(store), {}, 0})) {
  sync::install_change_log(*this);
}
Vault::Vault(Vault&&) noexcept = default;
Vault& Vault::operator=(Vault&&) noexcept = default;
Vault::~Vault() = default;

VaultState& vault_state(Vault& vault) {
  assert(vault.state_);
  return *vault.state_;
}

void Vault::lock() {
  if (state_) state_->store.lock();
}

bool Vault::is_open() const { return state_ && state_->store.is_open(); }

const std::filesystem::path& Vault::dir() const {
  static const std::filesystem::path none;
  return state_ ? state_->store.dir() : none;
}

Result<Vault> Vault::another_connection() const {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  BC_ASSIGN(storage::VaultStore s, state_->store.another_connection());
  return Vault(std::move(s));
}

namespace {

// Rewrites vault.keys with `slot` and records `action`. The entry commits only once the key file
// is in place, so a failed rewrite leaves neither; if the commit itself fails after the rewrite,
// the error says that the change was made.
Status install_audited(storage::VaultStore& store, storage::KeySlot slot, std::string_view action, const char* done) {
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(store.db()));
  BC_TRY(append_audit_entry(store.db(), store.audit_key(), action, "vault"));
  BC_TRY(store.install_slot(std::move(slot)));
  if (auto st = tx.commit(); !st)
    return fail(st.error().code, std::string(done) + ", but its audit entry could not be written: " + st.error().message);
  return {};
}

}  // namespace

Status Vault::change_passphrase(const crypto::SecureBuffer& new_passphrase, std::optional<KdfProfile> cost) {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  storage::VaultStore& store = state_->store;
  BC_ASSIGN(storage::KeySlot slot, store.make_passphrase_slot(new_passphrase, cost));
  return install_audited(store, std::move(slot), "vault.passwd", "the passphrase was changed");
}

Result<crypto::SecureBuffer> Vault::new_recovery_code(const std::function<Status(const crypto::SecureBuffer&)>& before_commit) {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  storage::VaultStore& store = state_->store;
  BC_ASSIGN(auto made, store.make_recovery_slot());
  if (before_commit) BC_TRY(before_commit(made.second));
  BC_TRY(install_audited(store, std::move(made.first), "vault.recovery_code", "the recovery code was replaced"));
  return std::move(made.second);
}

Result<KdfCost> Vault::passphrase_cost() const {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  const crypto::Argon2idParams p = state_->store.passphrase_cost();
  KdfCost c{p.opslimit, p.memlimit, std::nullopt};
  for (KdfProfile profile : {KdfProfile::interactive, KdfProfile::moderate, KdfProfile::sensitive}) {
    const crypto::Argon2idParams named = crypto::argon2id_params(profile);
    if (named.opslimit == p.opslimit && named.memlimit == p.memlimit) c.profile = profile;
  }
  return c;
}

Result<VaultCheck> check_vault(Vault& vault) {
  if (!vault.is_open()) return fail(ErrorCode::usage, "the vault is locked");
  BC_TRY(vault_store(vault).db().check_integrity());
  BC_ASSIGN(AuditReport r, verify_audit_log(vault));
  return VaultCheck{r.entries};
}

}  // namespace bc::core
