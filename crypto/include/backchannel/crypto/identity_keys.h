// X25519 (encryption) and Ed25519 (signature) key pairs.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::crypto {

using X25519Public = std::array<std::uint8_t, 32>;
using Ed25519Public = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

/// An X25519 key pair; the secret half is 32 bytes of secure memory.
struct X25519KeyPair {
  X25519Public public_key{};
  SecureBuffer secret_key;
};

/// An Ed25519 key pair; the secret half is libsodium's 64-byte form (seed || public key).
struct Ed25519KeyPair {
  Ed25519Public public_key{};
  SecureBuffer secret_key;
};

X25519KeyPair generate_x25519();
/// The public key of a 32-byte X25519 secret.
X25519Public x25519_public_of(const SecureBuffer& secret);
/// X25519(secret, peer). Fails with ErrorCode::auth_failed when the result is all zeros
/// (a low-order peer point), as age requires.
Result<SecureBuffer> x25519(const SecureBuffer& secret, std::span<const std::uint8_t> peer_public);

Ed25519KeyPair generate_ed25519();
/// The key pair for a 64-byte libsodium secret key, or for a 32-byte seed.
Result<Ed25519KeyPair> ed25519_from_secret(const SecureBuffer& secret_or_seed);
Ed25519Signature ed25519_sign(const SecureBuffer& secret_key, std::span<const std::uint8_t> message);
bool ed25519_verify(const Ed25519Public& public_key, std::span<const std::uint8_t> message,
                    std::span<const std::uint8_t> signature);

}  // namespace bc::crypto
