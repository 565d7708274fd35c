#include "backchannel/crypto/signature_stream.h"

#include <sodium.h>

namespace bc::crypto {

struct StreamSignature::State {
  crypto_sign_state st;
};

StreamSignature::StreamSignature() : state_(std::make_unique<State>()) { crypto_sign_init(&state_->st); }
StreamSignature::~StreamSignature() {
  if (state_) sodium_memzero(&state_->st, sizeof state_->st);
}
StreamSignature::StreamSignature(StreamSignature&&) noexcept = default;
StreamSignature& StreamSignature::operator=(StreamSignature&&) noexcept = default;

void StreamSignature::update(std::span<const std::uint8_t> data) {
  crypto_sign_update(&state_->st, data.data(), data.size());
}

Ed25519Signature StreamSignature::sign(const SecureBuffer& secret_key) {
  Ed25519Signature sig{};
  crypto_sign_final_create(&state_->st, sig.data(), nullptr, secret_key.data());
  return sig;
}

bool StreamSignature::verify(const Ed25519Public& public_key, std::span<const std::uint8_t> signature) {
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_final_verify(&state_->st, signature.data(), public_key.data()) == 0;
}

}  // namespace bc::crypto
