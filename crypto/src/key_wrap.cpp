#include "backchannel/crypto/key_wrap.h"

#include <sodium.h>

#include <cassert>

#include "backchannel/crypto/random.h"

namespace bc::crypto {

WrappedKey wrap_key(const SecureBuffer& kek, std::span<const std::uint8_t> secret,
                    std::span<const std::uint8_t> associated_data) {
  assert(kek.size() == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  WrappedKey w;
  w.nonce = random_bytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  w.ciphertext.resize(secret.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(w.ciphertext.data(), &clen, secret.data(), secret.size(),
                                             associated_data.data(), associated_data.size(), nullptr,
                                             w.nonce.data(), kek.data());
  w.ciphertext.resize(clen);
  return w;
}

Result<SecureBuffer> unwrap_key(const SecureBuffer& kek, const WrappedKey& wrapped,
                                std::span<const std::uint8_t> associated_data) {
  if (kek.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES ||
      wrapped.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      wrapped.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return fail(ErrorCode::auth_failed, "wrapped key does not verify");
  }
  SecureBuffer out(wrapped.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &mlen, nullptr, wrapped.ciphertext.data(),
                                                 wrapped.ciphertext.size(), associated_data.data(),
                                                 associated_data.size(), wrapped.nonce.data(),
                                                 kek.data()) != 0) {
    return fail(ErrorCode::auth_failed, "wrapped key does not verify");
  }
  out.resize(static_cast<std::size_t>(mlen));
  return out;
}

}  // namespace bc::crypto
