#include "backchannel/crypto/random.h"

#include <sodium.h>

namespace bc::crypto {

void random_fill(std::span<std::uint8_t> out) {
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  random_fill(v);
  return v;
}

SecureBuffer random_secret(std::size_t n) {
  SecureBuffer b(n);
  random_fill(b.span());
  return b;
}

std::uint32_t random_uniform(std::uint32_t upper) { return randombytes_uniform(upper); }

}  // namespace bc::crypto
