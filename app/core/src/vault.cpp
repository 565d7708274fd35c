#include "backchannel/core/vault.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cassert>
#include <cerrno>
#include <cstring>

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

Status Vault::change_passphrase(const crypto::SecureBuffer& new_passphrase) {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  return state_->store.change_passphrase(new_passphrase);
}

Result<VaultCheck> check_vault(Vault& vault) {
  if (!vault.is_open()) return fail(ErrorCode::usage, "the vault is locked");
  BC_TRY(vault_store(vault).db().check_integrity());
  BC_ASSIGN(AuditReport r, verify_audit_log(vault));
  return VaultCheck{r.entries};
}

}  // namespace bc::core
