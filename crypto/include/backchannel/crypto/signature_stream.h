// Ed25519ph (RFC 8032, pre-hashed with SHA-512) over a stream of bytes: a signature over data
// too large to hold in memory, such as an archive, checked as the data is read.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "backchannel/crypto/identity_keys.h"
#include "backchannel/crypto/secure_buffer.h"

namespace bc::crypto {

/// Accumulates bytes, then signs or verifies them.
class StreamSignature {
 public:
  StreamSignature();
  ~StreamSignature();
  StreamSignature(StreamSignature&&) noexcept;
  StreamSignature& operator=(StreamSignature&&) noexcept;

  void update(std::span<const std::uint8_t> data);
  /// Signs everything given so far with a 64-byte libsodium secret key. The state is spent.
  Ed25519Signature sign(const SecureBuffer& secret_key);
  /// Verifies everything given so far. The state is spent.
  bool verify(const Ed25519Public& public_key, std::span<const std::uint8_t> signature);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace bc::crypto
