#include "backchannel/crypto/encoding.h"

#include <sodium.h>

#include <cstring>

namespace bc::crypto {

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

Result<std::vector<std::uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return fail(ErrorCode::bad_input, "hex string has an odd length");
  // sodium_hex2bin's output pointer is declared nonnull; an empty vector's data() is null.
  if (hex.empty()) return std::vector<std::uint8_t>{};
  std::vector<std::uint8_t> out(hex.size() / 2);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      len != out.size() || end != hex.data() + hex.size()) {
    return fail(ErrorCode::bad_input, "not a hex string");
  }
  return out;
}

std::string to_base64(std::span<const std::uint8_t> bytes, bool padded) {
  const int variant = padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::vector<std::uint8_t>> from_base64(std::string_view text, bool padded) {
  // libsodium accepts non-canonical trailing bits; re-encoding and comparing makes the decoder
  // strict, which age requires (and which stops two encodings of one value from both passing).
  const int variant = padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return fail(ErrorCode::bad_input, "not valid Base64");
  }
  out.resize(len);
  if (to_base64(out, padded) != text) return fail(ErrorCode::bad_input, "not canonical Base64");
  return out;
}

std::string to_crockford_base32(std::span<const std::uint8_t> bytes, std::size_t chars) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t b : bytes) {
    // Stop once `chars` are out: reading on would pile up more bits than `acc` holds (and make
    // the mask below shift by 32 or more, which is undefined).
    if (out.size() == chars) break;
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.size() < chars) {
      bits -= 5;
      out += kAlphabet[(acc >> bits) & 31];
    }
    acc &= (1u << bits) - 1;
  }
  if (bits > 0 && out.size() < chars) out += kAlphabet[(acc << (5 - bits)) & 31];
  return out;
}

namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::uint32_t polymod_step(std::uint32_t chk, std::uint8_t v) {
  static constexpr std::uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  const std::uint32_t b = chk >> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ v;
  for (int i = 0; i < 5; ++i)
    if ((b >> i) & 1) chk ^= kGen[i];
  return chk;
}

std::uint32_t hrp_checksum_start(std::string_view hrp) {
  std::uint32_t chk = 1;
  for (char c : hrp) chk = polymod_step(chk, static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  chk = polymod_step(chk, 0);
  for (char c : hrp) chk = polymod_step(chk, static_cast<std::uint8_t>(c & 31));
  return chk;
}

int charset_index(char c) {
  const char* p = std::strchr(kCharset, c);
  return (p == nullptr || c == '\0') ? -1 : static_cast<int>(p - kCharset);
}

// Regroups bits; `pad` adds zero bits at the end (encoding), otherwise leftover bits must be
// fewer than `from` and zero (decoding).
template <class Out>
bool convert_bits(std::span<const std::uint8_t> in, int from, int to, bool pad, Out&& emit) {
  std::uint32_t acc = 0;
  int bits = 0;
  const std::uint32_t maxv = (1u << to) - 1;
  for (std::uint8_t v : in) {
    if ((v >> from) != 0) return false;
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) {
      bits -= to;
      emit(static_cast<std::uint8_t>((acc >> bits) & maxv));
    }
  }
  if (pad) {
    if (bits > 0) emit(static_cast<std::uint8_t>((acc << (to - bits)) & maxv));
  } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
    return false;
  }
  return true;
}

// Shared decoder: validates case, hrp, charset and checksum; returns the 5-bit groups.
Status decode_groups(std::string_view text, std::string& hrp, std::vector<std::uint8_t>& groups) {
  bool lower = false, upper = false;
  for (char c : text) {
    if (c < 33 || c > 126) return fail(ErrorCode::bad_input, "Bech32 string has an invalid character");
    if (c >= 'a' && c <= 'z') lower = true;
    if (c >= 'A' && c <= 'Z') upper = true;
  }
  if (lower && upper) return fail(ErrorCode::bad_input, "Bech32 string mixes upper and lower case");
  const auto sep = text.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || sep + 7 > text.size())
    return fail(ErrorCode::bad_input, "not a Bech32 string");
  hrp.assign(text.substr(0, sep));
  for (char& c : hrp) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  std::uint32_t chk = hrp_checksum_start(hrp);
  groups.clear();
  groups.reserve(text.size() - sep - 1);
  for (std::size_t i = sep + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    const int v = charset_index(c);
    if (v < 0) return fail(ErrorCode::bad_input, "Bech32 string has an invalid character");
    chk = polymod_step(chk, static_cast<std::uint8_t>(v));
    groups.push_back(static_cast<std::uint8_t>(v));
  }
  if (chk != 1) return fail(ErrorCode::bad_input, "Bech32 checksum is wrong");
  groups.resize(groups.size() - 6);
  return {};
}

}  // namespace

std::string bech32_encode(std::string_view hrp, std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> groups;
  convert_bits(data, 8, 5, true, [&](std::uint8_t g) { groups.push_back(g); });
  std::string lower_hrp(hrp);
  for (char& c : lower_hrp) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  std::uint32_t chk = hrp_checksum_start(lower_hrp);
  for (std::uint8_t g : groups) chk = polymod_step(chk, g);
  for (int i = 0; i < 6; ++i) chk = polymod_step(chk, 0);
  chk ^= 1;
  std::string out = lower_hrp + '1';
  for (std::uint8_t g : groups) out += kCharset[g];
  for (int i = 0; i < 6; ++i) out += kCharset[(chk >> (5 * (5 - i))) & 31];
  return out;
}

Result<Bech32Decoded> bech32_decode(std::string_view text) {
  Bech32Decoded d;
  std::vector<std::uint8_t> groups;
  BC_TRY(decode_groups(text, d.hrp, groups));
  if (!convert_bits(groups, 5, 8, false, [&](std::uint8_t b) { d.data.push_back(b); }))
    return fail(ErrorCode::bad_input, "Bech32 data has invalid padding");
  return d;
}

Result<SecureBuffer> bech32_decode_secret(std::string_view text, std::string_view expected_hrp) {
  std::string hrp;
  std::vector<std::uint8_t> groups;
  BC_TRY(decode_groups(text, hrp, groups));
  std::string want(expected_hrp);
  for (char& c : want) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  if (hrp != want) {
    wipe(groups.data(), groups.size());
    return fail(ErrorCode::bad_input, "Bech32 key has the wrong type");
  }
  SecureBuffer out(groups.size() * 5 / 8);
  std::size_t n = 0;
  const bool ok = convert_bits(groups, 5, 8, false, [&](std::uint8_t b) {
    if (n < out.capacity()) out.data()[n] = b;
    ++n;
  });
  wipe(groups.data(), groups.size());
  if (!ok || n != out.capacity()) return fail(ErrorCode::bad_input, "Bech32 data has invalid padding");
  return out;
}

SecureBuffer bech32_encode_secret(std::string_view hrp, const SecureBuffer& data, bool upper) {
  // Groups of 5 bits of a secret are themselves secret: keep them in secure memory.
  const std::size_t ngroups = (data.size() * 8 + 4) / 5;
  SecureBuffer groups(ngroups);
  std::size_t gi = 0;
  convert_bits(data.span(), 8, 5, true, [&](std::uint8_t g) { groups.data()[gi++] = g; });
  std::string lower_hrp(hrp);
  for (char& c : lower_hrp) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  std::uint32_t chk = hrp_checksum_start(lower_hrp);
  for (std::size_t i = 0; i < ngroups; ++i) chk = polymod_step(chk, groups.data()[i]);
  for (int i = 0; i < 6; ++i) chk = polymod_step(chk, 0);
  chk ^= 1;
  SecureBuffer out(lower_hrp.size() + 1 + ngroups + 6);
  std::size_t o = 0;
  auto put = [&](char c) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    out.data()[o++] = static_cast<std::uint8_t>(c);
  };
  for (char c : lower_hrp) put(c);
  put('1');
  for (std::size_t i = 0; i < ngroups; ++i) put(kCharset[groups.data()[i]]);
  for (int i = 0; i < 6; ++i) put(kCharset[(chk >> (5 * (5 - i))) & 31]);
  return out;
}

}  // namespace bc::crypto
