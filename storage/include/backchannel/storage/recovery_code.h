// The recovery code: 128 random bits written for humans (Crockford Base32, groups of five,
// with a check so that a typo is caught before the slow key derivation).
#pragma once

#include <string_view>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::storage {

/// A new recovery code as text, e.g. "7K2QF-M9XTA-...-R4C8W" (six groups of five), in secure memory.
crypto::SecureBuffer generate_recovery_code();

/// Canonicalises what a person typed (any case, spaces or dashes anywhere, O for 0, I/L for 1)
/// and checks it. Returns the canonical text (the secret that the recovery slot is derived from).
Result<crypto::SecureBuffer> parse_recovery_code(std::string_view typed);

}  // namespace bc::storage
