// XChaCha20-Poly1305 key wrapping: a secret sealed under a key-encryption key.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::crypto {

/// A wrapped secret: a random 24-byte nonce and the ciphertext with its 16-byte tag.
struct WrappedKey {
  std::vector<std::uint8_t> nonce;
  std::vector<std::uint8_t> ciphertext;
};

/// Seals `secret` under the 32-byte `kek`, binding `associated_data` (which is authenticated,
/// not encrypted).
WrappedKey wrap_key(const SecureBuffer& kek, std::span<const std::uint8_t> secret,
                    std::span<const std::uint8_t> associated_data);

/// Opens a wrapped secret. Any change to the nonce, ciphertext, key or associated data gives
/// ErrorCode::auth_failed, and nothing else.
Result<SecureBuffer> unwrap_key(const SecureBuffer& kek, const WrappedKey& wrapped,
                                std::span<const std::uint8_t> associated_data);

}  // namespace bc::crypto
