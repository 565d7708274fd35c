// Vault: an unlocked Backchannel vault, the entry point of the domain API.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "backchannel/crypto/password_kdf.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::storage {
class VaultStore;
}

namespace bc::core {

struct VaultState;

/// How costly the vault's Argon2id is: `interactive` for tests, `moderate` for real vaults.
using KdfProfile = crypto::KdfProfile;

/// The steps of Vault::rekey, reported as each completes (progress for the desktop client).
enum class RekeyStep {
  unlocked,         ///< the passphrase opened the vault, which is now held exclusively
  database_copied,  ///< the database is copied into vault.db.next under the new key
  database_ready,   ///< identity re-wrapped, audit chain re-sealed, the copy checked
  slots_made,       ///< the new key slots are derived
  ready_to_commit,  ///< the old database is closed, the new recovery code handed over
  committed,        ///< vault.keys names the new database: the rekey has happened
  finished,         ///< the new database is vault.db
};

/// How to re-key a vault.
struct RekeyOptions {
  /// The passphrase of the new key slot; null keeps the current passphrase.
  const crypto::SecureBuffer* new_passphrase = nullptr;
  /// Receives the new recovery code before the commit (to save it somewhere); an error aborts
  /// the rekey with nothing changed.
  std::function<Status(const crypto::SecureBuffer& recovery_code)> before_commit;
  /// Told of each step (from the thread that runs the rekey).
  std::function<void(RekeyStep)> progress;
};

/// How far a rekey got, also when it returned an error: once `committed`, the vault has its new
/// keys and `recovery_code` is its only recovery code, whatever failed afterwards.
struct RekeyOutcome {
  bool committed = false;
  crypto::SecureBuffer recovery_code;
};

/// The Argon2id cost of the passphrase slot.
struct KdfCost {
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;               ///< bytes
  std::optional<KdfProfile> profile;        ///< the named profile it equals, if any
};

/// Disables core dumps, makes the process undumpable and sets a private umask. Called first
/// thing by both programs.
Status harden_process();

/// An open vault. The domain operations (meetings.h, notes.h, participants.h, search.h, ...)
/// take a Vault&. lock() closes the database and wipes every key; a locked Vault refuses all
/// operations. How the vault is stored (SQLCipher, key slots) stays inside core.
class Vault {
 public:
  struct Created;

  /// Initialises the crypto library (with its self-test) and checks SQLCipher; every entry point
  /// below calls it.
  static Status initialize_libraries();

  static Result<Created> create(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase,
                                KdfProfile profile = KdfProfile::moderate);
  static Result<Vault> open(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase);
  static Result<Vault> recover(const std::filesystem::path& dir, std::string_view recovery_code,
                               const crypto::SecureBuffer& new_passphrase);
  /// Re-keys the closed vault in `dir` (docs/vault-format.md, "Re-keying"): a new master key and
  /// sub-keys, the database re-encrypted into a new file, the identity keys kept (re-wrapped),
  /// the audit chain re-sealed under the new audit key with a `vault.rekey` entry, new passphrase
  /// and recovery slots, the old slots gone. No other connection to the vault may be open, in
  /// this process or another. Returns the vault opened under its new keys; the new recovery
  /// code is in `outcome`.
  static Result<Vault> rekey(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase,
                             const RekeyOptions& options, RekeyOutcome& outcome);

  Vault();
  Vault(Vault&&) noexcept;
  Vault& operator=(Vault&&) noexcept;
  ~Vault();

  /// Replaces the passphrase slot (only vault.keys is rewritten, atomically) and records
  /// `vault.passwd` in the audit log; `cost` sets a new Argon2id cost (default: unchanged).
  Status change_passphrase(const crypto::SecureBuffer& new_passphrase, std::optional<KdfProfile> cost = std::nullopt);
  /// Replaces the recovery slot with one for a new code (the old code stops working), recorded
  /// as `vault.recovery_code`. `before_commit` receives the code before vault.keys is rewritten
  /// (an error there changes nothing). Returns the new code.
  Result<crypto::SecureBuffer> new_recovery_code(
      const std::function<Status(const crypto::SecureBuffer&)>& before_commit = {});
  /// The Argon2id cost of the passphrase slot.
  Result<KdfCost> passphrase_cost() const;
  /// A second connection to this open vault, for background work on another thread. Each
  /// Vault must be used by one thread at a time.
  Result<Vault> another_connection() const;
  void lock();
  bool is_open() const;
  const std::filesystem::path& dir() const;

 private:
  explicit Vault(storage::VaultStore store);
  friend VaultState& vault_state(Vault& vault);
  std::unique_ptr<VaultState> state_;
};

struct Vault::Created {
  Vault vault;
  crypto::SecureBuffer recovery_code;  ///< show once, then let it be wiped
};

/// What `check_vault` verified.
struct VaultCheck {
  std::int64_t audit_entries = 0;
};

/// Verifies the whole vault: SQLite's integrity check, every full-text index against its rows,
/// SQLCipher's page authentication (every page is read), and the audit chain. A failure is
/// ErrorCode::integrity naming what failed.
Result<VaultCheck> check_vault(Vault& vault);

}  // namespace bc::core
