// Argon2id key derivation for key slots, with its parameters kept next to the salt.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::crypto {

/// Argon2id (version 0x13) parameters as stored in a key slot.
struct Argon2idParams {
  std::uint64_t opslimit = 0;  ///< passes over memory
  std::uint64_t memlimit = 0;  ///< bytes of memory
  std::vector<std::uint8_t> salt;  ///< 16 bytes
};

/// Named cost profiles. `interactive` is libsodium's INTERACTIVE (64 MiB, 2 passes);
/// `moderate` (256 MiB, 3 passes) is the default for new vaults; `sensitive` is 1 GiB, 4 passes.
enum class KdfProfile { interactive, moderate, sensitive };

/// Fresh parameters with a random salt for a profile.
Argon2idParams argon2id_params(KdfProfile profile);
/// Parses "interactive", "moderate" or "sensitive".
Result<KdfProfile> parse_kdf_profile(std::string_view name);

/// Checks that stored parameters are within what this build accepts (a tampered or absurd
/// slot must not make us allocate terabytes or derive with a trivial cost).
Status validate(const Argon2idParams& params);

/// Derives a 32-byte key from a passphrase. Fails with ErrorCode::io when the memory cannot be
/// allocated.
Result<SecureBuffer> argon2id_derive(std::span<const std::uint8_t> passphrase, const Argon2idParams& params);

}  // namespace bc::crypto
