// Sub-keys of the vault master key (crypto_kdf_derive_from_key, BLAKE2b).
#pragma once

#include <cstdint>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::crypto {

/// What a sub-key is for. The numbers are part of the vault format: never reuse or renumber.
enum class SubkeyPurpose : std::uint64_t {
  database = 1,   ///< the SQLCipher raw key
  audit_mac = 2,  ///< the MAC key of the audit hash chain
  pseudonym = 3,  ///< the key of the pseudonym permutation
  identity = 4,   ///< wraps the vault identity's secret keys inside the database
};

/// Derives the 32-byte sub-key for `purpose` from a 32-byte master key (context "bcvault1").
SecureBuffer derive_subkey(const SecureBuffer& master_key, SubkeyPurpose purpose);

}  // namespace bc::crypto
