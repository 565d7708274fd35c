// Vault: an unlocked Backchannel vault, the entry point of the domain API.
#pragma once

#include <filesystem>
#include <memory>
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

  Vault();
  Vault(Vault&&) noexcept;
  Vault& operator=(Vault&&) noexcept;
  ~Vault();

  Status change_passphrase(const crypto::SecureBuffer& new_passphrase);
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
