// VaultStore: a vault folder (vault.db + vault.keys) opened with its keys.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "backchannel/crypto/identity_keys.h"
#include "backchannel/crypto/password_kdf.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"
#include "backchannel/storage/database.h"
#include "backchannel/storage/folder_lock.h"
#include "backchannel/storage/key_file.h"

namespace bc::storage {

/// File names inside a vault folder.
inline constexpr const char* kDatabaseFile = "vault.db";
inline constexpr const char* kKeysFile = "vault.keys";
/// The re-encrypted copy of vault.db while a rekey runs (and after a rekey killed between its
/// commit and the rename that ends it; the next open finishes it).
inline constexpr const char* kNextDatabaseFile = "vault.db.next";

/// The steps of VaultStore::rekey, reported as each completes.
enum class RekeyStep {
  unlocked,         ///< the passphrase opened the vault; the folder is locked exclusively
  database_copied,  ///< vault.db.next holds every row, encrypted under the new database key
  database_ready,   ///< identity re-wrapped, audit chain re-MACed, the copy checked
  slots_made,       ///< the new passphrase and recovery slots are derived (Argon2id)
  ready_to_commit,  ///< the old database is closed and the recovery code was handed over
  committed,        ///< vault.keys names the new database: from here on the rekey has happened
  finished,         ///< vault.db.next was renamed to vault.db
};

/// What a rekey does besides replacing the keys.
struct RekeyPlan {
  /// The passphrase of the new slot; null keeps the current one.
  const crypto::SecureBuffer* new_passphrase = nullptr;
  /// Runs on the new database inside its rewrite transaction, with the old and new audit MAC keys
  /// (core re-MACs the audit chain there and adds its entry).
  std::function<Status(Database& next, const crypto::SecureBuffer& old_audit_key,
                       const crypto::SecureBuffer& new_audit_key)>
      rewrite;
  /// Receives the new recovery code before the commit (to save it); an error aborts the rekey.
  std::function<Status(const crypto::SecureBuffer& recovery_code)> before_commit;
  /// Told of each step as it completes.
  std::function<void(RekeyStep)> progress;
};

/// What a rekey got to, also when it fails: after `committed` the vault has its new keys even if
/// a later step failed (the next open finishes the rename), and the recovery code is the only one.
struct RekeyOutcome {
  bool committed = false;
  crypto::SecureBuffer recovery_code;
};

/// The public half of the vault identity.
struct VaultIdentityPublic {
  crypto::X25519Public x25519{};
  crypto::Ed25519Public ed25519{};
};

/// An unlocked vault: the master key, its sub-keys and the open database. Everything secret is
/// wiped by lock() or destruction.
class VaultStore {
 public:
  /// The result of creating a vault: the store and the recovery code to show once.
  struct Created;

  /// Creates a new vault in `dir` (which must not exist, or be an empty folder).
  static Result<Created> create(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase,
                                crypto::KdfProfile profile);
  /// Opens with the passphrase. Wrong passphrase, tampered keys and tampered database all fail
  /// with ErrorCode::auth_failed or ErrorCode::integrity, and no file is modified.
  static Result<VaultStore> open(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase);
  /// Opens with the recovery code (as typed) and replaces the passphrase slot with a new
  /// passphrase; the recovery slot stays valid.
  static Result<VaultStore> recover(const std::filesystem::path& dir, std::string_view recovery_code,
                                    const crypto::SecureBuffer& new_passphrase);
  /// Re-keys the vault in `dir`: a new random master key (so new sub-keys), vault.db copied into
  /// vault.db.next under the new database key, the identity keys re-wrapped, a new passphrase
  /// slot (same passphrase unless `plan.new_passphrase`) and a new recovery slot; the old slots
  /// are gone. The commit point is the atomic rewrite of vault.keys, which names the new
  /// database by its salt; the rename of vault.db.next to vault.db follows. Needs the folder to
  /// itself (no other open vault). Returns the vault opened under its new keys.
  static Result<VaultStore> rekey(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase,
                                  const RekeyPlan& plan, RekeyOutcome& outcome);

  VaultStore() = default;
  VaultStore(VaultStore&&) noexcept = default;
  VaultStore& operator=(VaultStore&&) noexcept = default;
  ~VaultStore() { lock(); }

  /// A second, independent connection to the same open vault (for work on another thread, such
  /// as an export while the GUI keeps drawing). Holds its own copies of the keys.
  Result<VaultStore> another_connection() const;

  /// Rewrites vault.keys (only) with a new passphrase slot, atomically; `cost` changes its
  /// Argon2id cost (default: the current slot's).
  Status change_passphrase(const crypto::SecureBuffer& new_passphrase,
                           std::optional<crypto::KdfProfile> cost = std::nullopt);
  /// A new passphrase slot for this vault (the slow Argon2id), not yet written.
  Result<KeySlot> make_passphrase_slot(const crypto::SecureBuffer& new_passphrase,
                                       std::optional<crypto::KdfProfile> cost = std::nullopt) const;
  /// A new recovery code and its slot (at the passphrase slot's cost), not yet written.
  Result<std::pair<KeySlot, crypto::SecureBuffer>> make_recovery_slot() const;
  /// Replaces the slot of the same type in vault.keys, atomically (temporary file, fsync, rename).
  Status install_slot(KeySlot slot);
  /// The Argon2id cost of the passphrase slot.
  crypto::Argon2idParams passphrase_cost() const;

  /// Closes the database and wipes every key.
  void lock();
  bool is_open() const { return db_.is_open(); }

  Database& db() { return db_; }
  const std::filesystem::path& dir() const { return dir_; }
  const VaultId& vault_id() const { return keys_.vault_id; }
  const crypto::SecureBuffer& audit_key() const { return audit_key_; }
  const crypto::SecureBuffer& pseudonym_key() const { return pseudonym_key_; }
  const crypto::SecureBuffer& identity_key() const { return identity_key_; }

  /// The public half of the vault identity.
  Result<VaultIdentityPublic> identity_public();
  /// The vault identity's secret keys, unwrapped into secure memory for one use.
  Result<crypto::X25519KeyPair> identity_x25519();
  Result<crypto::Ed25519KeyPair> identity_ed25519();

 private:
  /// Removes temporary key files left by an interrupted passphrase change.
  void remove_stale_key_temporaries() const;
  /// Opens vault.db with `master`. With `settle`, first finishes or discards what an
  /// interrupted rekey left (see rekey()).
  static Result<VaultStore> open_with_master(const std::filesystem::path& dir, KeyFile keys,
                                             crypto::SecureBuffer master, FolderLock lock, bool settle);
  /// Locks `dir` shared and reads its key file under the lock.
  static Result<std::pair<FolderLock, KeyFile>> lock_and_load(const std::filesystem::path& dir, LockMode mode);
  std::filesystem::path dir_;
  FolderLock lock_;
  KeyFile keys_;
  crypto::SecureBuffer master_;
  crypto::SecureBuffer audit_key_;
  crypto::SecureBuffer pseudonym_key_;
  crypto::SecureBuffer identity_key_;
  Database db_;
};

struct VaultStore::Created {
  VaultStore store;
  crypto::SecureBuffer recovery_code;
};

}  // namespace bc::storage
