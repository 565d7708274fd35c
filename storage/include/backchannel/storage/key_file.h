// vault.keys: the key slots that wrap the vault master key (see docs/vault-format.md).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "backchannel/crypto/key_wrap.h"
#include "backchannel/crypto/password_kdf.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::storage {

using VaultId = std::array<std::uint8_t, 16>;
/// The random salt in the first 16 bytes of a SQLCipher database file: it names one database
/// file (one generation of vault.db) without any key.
using DatabaseSalt = std::array<std::uint8_t, 16>;

/// The key file format this build writes (`backchannel.keys/2`); version 1 is still read.
inline constexpr int kKeyFileVersion = 2;

/// What unlocks a slot.
enum class SlotType { passphrase, recovery };

/// One way to unwrap the master key: Argon2id of a secret, then XChaCha20-Poly1305.
struct KeySlot {
  SlotType type = SlotType::passphrase;
  crypto::Argon2idParams kdf;
  crypto::WrappedKey wrapped;
};

/// The parsed contents of vault.keys.
struct KeyFile {
  int version = kKeyFileVersion;  ///< 1 or 2: the format, and so the associated data of its slots
  VaultId vault_id{};
  /// Version 2: the salt of the database file these slots open (the commit point of a rekey).
  DatabaseSalt database_salt{};
  std::vector<KeySlot> slots;

  /// The slot of a type, or nullptr.
  const KeySlot* find(SlotType type) const;
};

/// Builds a slot of `file` (whose version, vault id and database salt it is bound to) that wraps
/// `master_key` under `secret` (a passphrase or recovery code), with the Argon2id cost of `cost`
/// and a fresh salt.
Result<KeySlot> make_slot(SlotType type, const KeyFile& file, std::span<const std::uint8_t> secret,
                          const crypto::SecureBuffer& master_key, const crypto::Argon2idParams& cost);

/// Unwraps the master key from a slot of `file`. A wrong secret and a tampered slot are the same
/// ErrorCode::auth_failed.
Result<crypto::SecureBuffer> open_slot(const KeySlot& slot, const KeyFile& file, std::span<const std::uint8_t> secret);

/// Serialises to the vault.keys text format.
std::string serialize(const KeyFile& file);
/// Parses vault.keys text; structural damage is ErrorCode::integrity.
Result<KeyFile> parse_key_file(std::string_view text);

/// Reads and parses `path`.
Result<KeyFile> load_key_file(const std::filesystem::path& path);
/// Writes `path` atomically.
Status save_key_file(const std::filesystem::path& path, const KeyFile& file);

}  // namespace bc::storage
