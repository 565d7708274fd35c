// SHA-256, HMAC-SHA-256 and HKDF-SHA-256 (RFC 5869) on libsodium.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `data`.
Sha256Digest sha256(std::span<const std::uint8_t> data);

/// Incremental SHA-256 for streams.
class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::uint8_t> data);
  Sha256Digest finish();

 private:
  alignas(64) std::uint8_t state_[128];
};

/// HMAC-SHA-256 of `message` under `key` (any length).
Sha256Digest hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message);

/// HKDF-SHA-256 (RFC 5869): extract with `salt` (empty = 32 zero bytes), then expand to
/// `length` bytes (at most 255 * 32) with `info`. Output is secret, so it is a SecureBuffer.
SecureBuffer hkdf_sha256(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> salt,
                         std::span<const std::uint8_t> info, std::size_t length);

/// Views text as bytes (labels, info strings).
inline std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace bc::crypto
