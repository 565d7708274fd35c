// Vault: an unlocked Backchannel vault, the entry point of the domain API.
#pragma once

#include <filesystem>
#include <string_view>

#include "backchannel/crypto/password_kdf.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"
#include "backchannel/storage/vault_store.h"

namespace bc::core {

/// Disables core dumps, makes the process undumpable and sets a private umask. Called first
/// thing by both programs.
Status harden_process();

/// An open vault. The domain operations (meetings.h, notes.h, participants.h, search.h, ...)
/// take a Vault&. lock() closes the database and wipes every key; a locked Vault refuses all
/// operations.
class Vault {
 public:
  struct Created;

  /// Initialises the crypto library (with its self-test) and checks SQLCipher; every entry point
  /// below calls it.
  static Status initialize_libraries();

  static Result<Created> create(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase,
                                crypto::KdfProfile profile = crypto::KdfProfile::moderate);
  static Result<Vault> open(const std::filesystem::path& dir, const crypto::SecureBuffer& passphrase);
  static Result<Vault> recover(const std::filesystem::path& dir, std::string_view recovery_code,
                               const crypto::SecureBuffer& new_passphrase);

  Vault() = default;
  Vault(Vault&&) noexcept = default;
  Vault& operator=(Vault&&) noexcept = default;

  Status change_passphrase(const crypto::SecureBuffer& new_passphrase);
  /// A second connection to this open vault, for background work on another thread. Each
  /// Vault must be used by one thread at a time.
  Result<Vault> another_connection() const;
  void lock() { store_.lock(); }
  bool is_open() const { return store_.is_open(); }

  /// The storage layer (database, keys). Domain code only.
  storage::VaultStore& store() { return store_; }
  const std::filesystem::path& dir() const { return store_.dir(); }

 private:
  explicit Vault(storage::VaultStore store) : store_(std::move(store)) {}
  storage::VaultStore store_;
};

struct Vault::Created {
  Vault vault;
  crypto::SecureBuffer recovery_code;  ///< show once, then let it be wiped
};

}  // namespace bc::core
