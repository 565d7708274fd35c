#include "backchannel/storage/recovery_code.h"

#include <sodium.h>

#include <cstring>

#include "backchannel/crypto/random.h"

namespace bc::storage {

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford Base32
constexpr std::size_t kEntropyBytes = 16;                          // 128 bits
constexpr std::size_t kDataChars = 26;                             // ceil(128 / 5)
constexpr std::size_t kCheckChars = 4;                             // 20 bits of BLAKE2b
constexpr std::size_t kChars = kDataChars + kCheckChars;           // 30 = six groups of five

// The check characters: the first 20 bits of BLAKE2b("backchannel recovery" || data chars).
void check_chars(const std::uint8_t* data_chars, std::uint8_t out[kCheckChars]) {
  std::uint8_t h[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, sizeof h);
  crypto_generichash_update(&st, reinterpret_cast<const std::uint8_t*>("backchannel recovery"), 20);
  crypto_generichash_update(&st, data_chars, kDataChars);
  crypto_generichash_final(&st, h, sizeof h);
  const std::uint32_t bits = (std::uint32_t{h[0]} << 12) | (std::uint32_t{h[1]} << 4) | (h[2] >> 4);
  for (std::size_t i = 0; i < kCheckChars; ++i)
    out[i] = static_cast<std::uint8_t>(kAlphabet[(bits >> (5 * (kCheckChars - 1 - i))) & 31]);
  sodium_memzero(h, sizeof h);
  sodium_memzero(&st, sizeof st);
}

// Writes the 30 canonical characters with dashes: XXXXX-XXXXX-...
crypto::SecureBuffer grouped(const std::uint8_t* chars) {
  crypto::SecureBuffer out(kChars + kChars / 5 - 1);
  std::size_t o = 0;
  for (std::size_t i = 0; i < kChars; ++i) {
    if (i > 0 && i % 5 == 0) out.data()[o++] = '-';
    out.data()[o++] = chars[i];
  }
  return out;
}

}  // namespace

crypto::SecureBuffer generate_recovery_code() {
  crypto::SecureBuffer entropy = crypto::random_secret(kEntropyBytes);
  crypto::SecureBuffer chars(kChars);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < kEntropyBytes; ++i) {
    acc = (acc << 8) | entropy.data()[i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      chars.data()[n++] = static_cast<std::uint8_t>(kAlphabet[(acc >> bits) & 31]);
    }
  }
  if (bits > 0) chars.data()[n++] = static_cast<std::uint8_t>(kAlphabet[(acc << (5 - bits)) & 31]);
  acc = 0;
  check_chars(chars.data(), chars.data() + kDataChars);
  return grouped(chars.data());
}

Result<crypto::SecureBuffer> parse_recovery_code(std::string_view typed) {
  crypto::SecureBuffer chars(kChars);
  std::size_t n = 0;
  for (char c : typed) {
    if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'U' || std::strchr(kAlphabet, c) == nullptr || c == '\0')
      return fail(ErrorCode::auth_failed, "the recovery code contains a character that is not in recovery codes");
    if (n == kChars) return fail(ErrorCode::auth_failed, "the recovery code is too long (it has 30 characters)");
    chars.data()[n++] = static_cast<std::uint8_t>(c);
  }
  if (n != kChars) return fail(ErrorCode::auth_failed, "the recovery code is too short (it has 30 characters)");
  std::uint8_t check[kCheckChars];
  check_chars(chars.data(), check);
  if (sodium_memcmp(check, chars.data() + kDataChars, kCheckChars) != 0)
    return fail(ErrorCode::auth_failed, "the recovery code has a typo (its check characters do not match)");
  return grouped(chars.data());
}

}  // namespace bc::storage
