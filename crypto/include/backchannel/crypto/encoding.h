// Hex, Base64 (RFC 4648) and Bech32 (BIP 173) encodings. The Base64 and Bech32 decoders are
// strict: they reject anything that is not the canonical encoding. Hex is read in either case.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::crypto {

std::string to_hex(std::span<const std::uint8_t> bytes);
Result<std::vector<std::uint8_t>> from_hex(std::string_view hex);

/// Standard alphabet; `padded` selects '=' padding (age uses unpadded).
std::string to_base64(std::span<const std::uint8_t> bytes, bool padded = true);
/// Strict decoding: canonical padding (or none when !padded), no whitespace, zero trailing bits.
Result<std::vector<std::uint8_t>> from_base64(std::string_view text, bool padded = true);

/// Crockford Base32 (0-9 A-Z without I L O U), most significant bits first, for codes people
/// read aloud or type: the first `chars` characters of the encoding of `bytes`.
std::string to_crockford_base32(std::span<const std::uint8_t> bytes, std::size_t chars);

/// Bech32 with human-readable part `hrp` (lower case output). No 90-character limit, as age
/// identities need.
std::string bech32_encode(std::string_view hrp, std::span<const std::uint8_t> data);
struct Bech32Decoded {
  std::string hrp;  ///< lower case
  std::vector<std::uint8_t> data;
};
/// Decodes a Bech32 string (all upper or all lower case); checks the checksum and padding.
Result<Bech32Decoded> bech32_decode(std::string_view text);
/// The same, writing the data into secure memory (for secret keys).
Result<SecureBuffer> bech32_decode_secret(std::string_view text, std::string_view expected_hrp);
/// Bech32 encoding of a secret (upper case when `upper`) into secure memory as text.
SecureBuffer bech32_encode_secret(std::string_view hrp, const SecureBuffer& data, bool upper);

}  // namespace bc::crypto
