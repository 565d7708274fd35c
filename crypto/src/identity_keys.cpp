#include "backchannel/crypto/identity_keys.h"

#include <sodium.h>

#include <cstring>

namespace bc::crypto {

X25519KeyPair generate_x25519() {
  X25519KeyPair kp;
  kp.secret_key = SecureBuffer(crypto_scalarmult_BYTES);
  randombytes_buf(kp.secret_key.data(), kp.secret_key.size());
  crypto_scalarmult_base(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

X25519Public x25519_public_of(const SecureBuffer& secret) {
  X25519Public pub{};
  crypto_scalarmult_base(pub.data(), secret.data());
  return pub;
}

Result<SecureBuffer> x25519(const SecureBuffer& secret, std::span<const std::uint8_t> peer_public) {
  if (secret.size() != crypto_scalarmult_SCALARBYTES || peer_public.size() != crypto_scalarmult_BYTES)
    return fail(ErrorCode::bad_input, "X25519 key has the wrong length");
  SecureBuffer shared(crypto_scalarmult_BYTES);
  // libsodium returns -1 when the result is the all-zero point (low-order input).
  if (crypto_scalarmult(shared.data(), secret.data(), peer_public.data()) != 0)
    return fail(ErrorCode::auth_failed, "X25519 produced the all-zero shared secret");
  return shared;
}

Ed25519KeyPair generate_ed25519() {
  Ed25519KeyPair kp;
  kp.secret_key = SecureBuffer(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

Result<Ed25519KeyPair> ed25519_from_secret(const SecureBuffer& secret_or_seed) {
  Ed25519KeyPair kp;
  kp.secret_key = SecureBuffer(crypto_sign_SECRETKEYBYTES);
  if (secret_or_seed.size() == crypto_sign_SEEDBYTES) {
    crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), secret_or_seed.data());
    return kp;
  }
  if (secret_or_seed.size() != crypto_sign_SECRETKEYBYTES)
    return fail(ErrorCode::bad_input, "Ed25519 secret key has the wrong length");
  // Rebuild from the seed so that a stored secret whose public half was altered is caught.
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), secret_or_seed.data());
  if (sodium_memcmp(kp.public_key.data(), secret_or_seed.data() + crypto_sign_SEEDBYTES, 32) != 0)
    return fail(ErrorCode::integrity, "Ed25519 secret key is inconsistent with its public key");
  return kp;
}

Ed25519Signature ed25519_sign(const SecureBuffer& secret_key, std::span<const std::uint8_t> message) {
  Ed25519Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key.data());
  return sig;
}

bool ed25519_verify(const Ed25519Public& public_key, std::span<const std::uint8_t> message,
                    std::span<const std::uint8_t> signature) {
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
}

}  // namespace bc::crypto
