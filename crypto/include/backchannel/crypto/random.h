// Random bytes from the operating system's CSPRNG (libsodium randombytes).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::crypto {

/// Fills `out` with random bytes.
void random_fill(std::span<std::uint8_t> out);
/// `n` random bytes in ordinary memory (nonces, salts, ids: not secret).
std::vector<std::uint8_t> random_bytes(std::size_t n);
/// `n` random bytes in secure memory (keys).
SecureBuffer random_secret(std::size_t n);
/// A uniformly random integer in [0, upper).
std::uint32_t random_uniform(std::uint32_t upper);

}  // namespace bc::crypto
