// VaultStore: a vault folder (vault.db + vault.keys) opened with its keys.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "backchannel/crypto/identity_keys.h"
#include "backchannel/crypto/password_kdf.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"
#include "backchannel/storage/database.h"
#include "backchannel/storage/key_file.h"

namespace bc::storage {

/// File names inside a vault folder.
inline constexpr const char* kDatabaseFile = "vault.db";
inline constexpr const char* kKeysFile = "vault.keys";

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

  VaultStore() = default;
  VaultStore(VaultStore&&) noexcept = default;
  VaultStore& operator=(VaultStore&&) noexcept = default;
  ~VaultStore() { lock(); }

  /// A second, independent connection to the same open vault (for work on another thread, such
  /// as an export while the GUI keeps drawing). Holds its own copies of the keys.
  Result<VaultStore> another_connection() const;

  /// Rewrites vault.keys (only) with a new passphrase slot, atomically.
  Status change_passphrase(const crypto::SecureBuffer& new_passphrase);

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
  static Result<VaultStore> open_with_master(const std::filesystem::path& dir, KeyFile keys,
                                             crypto::SecureBuffer master);
  std::filesystem::path dir_;
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
