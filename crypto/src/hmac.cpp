#include "backchannel/crypto/hmac.h"

#include <sodium.h>

#include <cassert>
#include <cstdlib>
#include <cstring>

namespace bc::crypto {

static_assert(sizeof(crypto_hash_sha256_state) <= 128, "Sha256 state buffer too small");

Sha256Digest sha256(std::span<const std::uint8_t> data) {
  Sha256Digest d;
  crypto_hash_sha256(d.data(), data.data(), data.size());
  return d;
}

Sha256::Sha256() { crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_)); }

void Sha256::update(std::span<const std::uint8_t> data) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_), data.data(), data.size());
}

Sha256Digest Sha256::finish() {
  Sha256Digest d;
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), d.data());
  return d;
}

Sha256Digest hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message) {
  // crypto_auth_hmacsha256_init accepts keys of any length (long keys are hashed first, as
  // RFC 2104 says).
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  crypto_auth_hmacsha256_update(&st, message.data(), message.size());
  Sha256Digest mac;
  crypto_auth_hmacsha256_final(&st, mac.data());
  sodium_memzero(&st, sizeof st);
  return mac;
}

SecureBuffer hkdf_sha256(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> salt,
                         std::span<const std::uint8_t> info, std::size_t length) {
  // RFC 5869 caps the output at 255 blocks; past that the counter would wrap and repeat key
  // material, so this is checked in every build, not only with assertions on.
  if (length > 255 * 32) std::abort();
  // Extract: PRK = HMAC(salt, IKM), salt defaulting to HashLen zero bytes.
  static constexpr std::uint8_t kZeroSalt[32] = {};
  std::span<const std::uint8_t> s = salt.empty() ? std::span<const std::uint8_t>(kZeroSalt) : salt;
  SecureBuffer prk(32);
  {
    Sha256Digest d = hmac_sha256(s, ikm);
    std::memcpy(prk.data(), d.data(), 32);
    sodium_memzero(d.data(), d.size());
  }
  // Expand: T(i) = HMAC(PRK, T(i-1) || info || i).
  SecureBuffer out(length);
  SecureBuffer t(32);
  std::size_t t_len = 0, done = 0;
  for (std::uint8_t i = 1; done < length; ++i) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, prk.data(), prk.size());
    crypto_auth_hmacsha256_update(&st, t.data(), t_len);
    crypto_auth_hmacsha256_update(&st, info.data(), info.size());
    crypto_auth_hmacsha256_update(&st, &i, 1);
    crypto_auth_hmacsha256_final(&st, t.data());
    sodium_memzero(&st, sizeof st);
    t_len = 32;
    std::size_t n = std::min<std::size_t>(32, length - done);
    std::memcpy(out.data() + done, t.data(), n);
    done += n;
  }
  return out;
}

}  // namespace bc::crypto
