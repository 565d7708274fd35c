// Unit: crypto/hmac — SHA-256, incremental Sha256, HMAC-SHA-256 and HKDF-SHA-256.
// Every vector below was also re-checked against Python's hashlib / hmac and the `cryptography`
// package's HKDF (OpenSSL) when it was written.
#include <gtest/gtest.h>

#include <string>

#include "backchannel/crypto/hmac.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

using test::bytes;
using test::hex;
using test::hex_of;

// --- SHA-256 -------------------------------------------------------------------------------

// FIPS 180-2, appendix B.1 (one-block message "abc").
constexpr std::string_view kAbc = "abc";
constexpr std::string_view kAbcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
// FIPS 180-2, appendix B.2 (448-bit, two-block message).
constexpr std::string_view k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view k448Digest = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

TEST(Sha256, Fips180_2_B1_Abc) { EXPECT_EQ(hex_of(sha256(bytes_of(kAbc))), kAbcDigest); }

TEST(Sha256, Fips180_2_B2_448Bit) {
  ASSERT_EQ(k448.size() * 8, 448u);
  EXPECT_EQ(hex_of(sha256(bytes_of(k448))), k448Digest);
}

TEST(Sha256, EmptyMessage) {
  // SHA-256 of the empty string: python3 -c 'import hashlib; print(hashlib.sha256(b"").hexdigest())'.
  EXPECT_EQ(hex_of(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Incremental, EverySplitOfAbcAnd448BitMessage) {
  for (auto [msg, digest] : {std::pair{kAbc, kAbcDigest}, std::pair{k448, k448Digest}}) {
    const auto m = bytes_of(msg);
    for (std::size_t cut = 0; cut <= m.size(); ++cut) {
      Sha256 h;
      h.update(m.first(cut));
      h.update(m.subspan(cut));
      EXPECT_EQ(hex_of(h.finish()), digest) << "split at " << cut;
    }
    // And byte by byte.
    Sha256 h;
    for (std::size_t i = 0; i < m.size(); ++i) h.update(m.subspan(i, 1));
    EXPECT_EQ(hex_of(h.finish()), digest);
  }
}

TEST(Sha256Incremental, Fips180_2_B3_MillionAs) {
  // FIPS 180-2, appendix B.3: one million repetitions of 'a', fed in uneven chunks.
  const std::string chunk(997, 'a');
  Sha256 h;
  std::size_t fed = 0;
  while (fed < 1000000) {
    const std::size_t n = std::min<std::size_t>(chunk.size(), 1000000 - fed);
    h.update(bytes_of(std::string_view(chunk).substr(0, n)));
    fed += n;
  }
  EXPECT_EQ(hex_of(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Incremental, NoUpdateIsEmptyDigest) {
  Sha256 h;
  EXPECT_EQ(h.finish(), sha256({}));
}

// --- HMAC-SHA-256 (RFC 4231, section 4) ----------------------------------------------------

TEST(HmacSha256, Rfc4231Case1) {
  // RFC 4231 4.2, test case 1.
  const std::vector<std::uint8_t> key(20, 0x0b);
  EXPECT_EQ(hex_of(hmac_sha256(key, bytes_of("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, Rfc4231Case2) {
  // RFC 4231 4.3, test case 2 (key shorter than the output).
  EXPECT_EQ(hex_of(hmac_sha256(bytes_of("Jefe"), bytes_of("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, Rfc4231Case3) {
  // RFC 4231 4.4, test case 3.
  const std::vector<std::uint8_t> key(20, 0xaa), data(50, 0xdd);
  EXPECT_EQ(hex_of(hmac_sha256(key, data)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

TEST(HmacSha256, Rfc4231Case4) {
  // RFC 4231 4.5, test case 4.
  const auto key = hex("0102030405060708090a0b0c0d0e0f10111213141516171819");
  const std::vector<std::uint8_t> data(50, 0xcd);
  EXPECT_EQ(hex_of(hmac_sha256(key, data)), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256, Rfc4231Case6LongKey) {
  // RFC 4231 4.7, test case 6: a 131-byte key, hashed first.
  const std::vector<std::uint8_t> key(131, 0xaa);
  EXPECT_EQ(hex_of(hmac_sha256(key, bytes_of("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, Rfc4231Case7LongKeyAndData) {
  // RFC 4231 4.8, test case 7.
  const std::vector<std::uint8_t> key(131, 0xaa);
  const std::string_view data =
      "This is a test using a larger than block-size key and a larger than block-size data. The key needs "
      "to be hashed before being used by the HMAC algorithm.";
  EXPECT_EQ(hex_of(hmac_sha256(key, bytes_of(data))),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HmacSha256, KeyAndMessageMatter) {
  const auto m = bytes_of("message");
  const auto a = hmac_sha256(bytes_of("key"), m);
  EXPECT_NE(a, hmac_sha256(bytes_of("kez"), m));
  EXPECT_NE(a, hmac_sha256(bytes_of("key"), bytes_of("messagf")));
  EXPECT_NE(a, sha256(m));
}

// --- HKDF-SHA-256 (RFC 5869, appendix A) ---------------------------------------------------

TEST(HkdfSha256, Rfc5869A1Basic) {
  // RFC 5869 A.1, test case 1.
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  const auto salt = hex("000102030405060708090a0b0c");
  const auto info = hex("f0f1f2f3f4f5f6f7f8f9");
  const SecureBuffer okm = hkdf_sha256(ikm, salt, info, 42);
  ASSERT_EQ(okm.size(), 42u);
  EXPECT_EQ(hex_of(okm.span()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(HkdfSha256, Rfc5869A2LongInputs) {
  // RFC 5869 A.2, test case 2: 80-byte IKM, salt and info; 82 bytes of output (three blocks).
  std::vector<std::uint8_t> ikm, salt, info;
  for (int i = 0x00; i <= 0x4f; ++i) ikm.push_back(static_cast<std::uint8_t>(i));
  for (int i = 0x60; i <= 0xaf; ++i) salt.push_back(static_cast<std::uint8_t>(i));
  for (int i = 0xb0; i <= 0xff; ++i) info.push_back(static_cast<std::uint8_t>(i));
  const SecureBuffer okm = hkdf_sha256(ikm, salt, info, 82);
  ASSERT_EQ(okm.size(), 82u);
  EXPECT_EQ(hex_of(okm.span()),
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            "cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

TEST(HkdfSha256, Rfc5869A3EmptySaltAndInfo) {
  // RFC 5869 A.3, test case 3: zero-length salt (treated as 32 zero bytes) and info.
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  const SecureBuffer okm = hkdf_sha256(ikm, {}, {}, 42);
  ASSERT_EQ(okm.size(), 42u);
  EXPECT_EQ(hex_of(okm.span()),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  // Explicit 32 zero bytes of salt are the same thing.
  const std::vector<std::uint8_t> zeros(32, 0);
  EXPECT_EQ(hex_of(hkdf_sha256(ikm, zeros, {}, 42).span()), hex_of(okm.span()));
}

TEST(HkdfSha256, ShorterOutputIsPrefixAndMaximumLengthWorks) {
  // Expand output of length L is the first L bytes of any longer output (RFC 5869 section 2.3).
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  const auto salt = hex("000102030405060708090a0b0c");
  const auto info = hex("f0f1f2f3f4f5f6f7f8f9");
  const std::string a1 = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
  EXPECT_EQ(hex_of(hkdf_sha256(ikm, salt, info, 10).span()), a1.substr(0, 20));
  EXPECT_EQ(hex_of(hkdf_sha256(ikm, salt, info, 32).span()), a1.substr(0, 64));
  const SecureBuffer max = hkdf_sha256(ikm, salt, info, 255 * 32);
  ASSERT_EQ(max.size(), 255u * 32);
  EXPECT_EQ(hex_of(max.span().first(42)), a1);
  // The last block (counter 255) differs from the first.
  EXPECT_NE(hex_of(max.span().first(32)), hex_of(max.span().last(32)));
  EXPECT_TRUE(hkdf_sha256(ikm, salt, info, 0).empty());
}

}  // namespace
}  // namespace bc::crypto
