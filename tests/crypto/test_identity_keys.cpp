// Unit: crypto/identity_keys — X25519 and Ed25519 key pairs.
// Every vector below was also re-checked against the `cryptography` package (OpenSSL) when it
// was written.
#include <gtest/gtest.h>

#include "backchannel/crypto/identity_keys.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

using test::hex;
using test::hex_of;

SecureBuffer secret_from_hex(std::string_view h) {
  const auto b = hex(h);
  return SecureBuffer::copy_of(std::span<const std::uint8_t>(b));
}

// --- X25519 (RFC 7748, section 6.1) --------------------------------------------------------

constexpr std::string_view kAliceSecret = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
constexpr std::string_view kAlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
constexpr std::string_view kBobSecret = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
constexpr std::string_view kBobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
constexpr std::string_view kShared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

TEST(X25519, Rfc7748PublicKeys) {
  EXPECT_EQ(hex_of(x25519_public_of(secret_from_hex(kAliceSecret))), kAlicePublic);
  EXPECT_EQ(hex_of(x25519_public_of(secret_from_hex(kBobSecret))), kBobPublic);
}

TEST(X25519, Rfc7748SharedSecretBothWays) {
  auto ab = x25519(secret_from_hex(kAliceSecret), hex(kBobPublic));
  auto ba = x25519(secret_from_hex(kBobSecret), hex(kAlicePublic));
  ASSERT_TRUE(ab.ok()) << ab.error().message;
  ASSERT_TRUE(ba.ok()) << ba.error().message;
  EXPECT_EQ(hex_of(ab->span()), kShared);
  EXPECT_EQ(hex_of(ba->span()), kShared);
}

TEST(X25519, RejectsLowOrderPoints) {
  // Points whose product with any clamped scalar is the all-zero output, which age requires
  // rejecting: u = 0, u = 1, and the two points of order 8 from the small-order blacklist in
  // libsodium's x25519_ref10.c (checked when written: OpenSSL's X25519 also refuses all four).
  const SecureBuffer alice = secret_from_hex(kAliceSecret);
  for (std::string_view p : {"0000000000000000000000000000000000000000000000000000000000000000",
                             "0100000000000000000000000000000000000000000000000000000000000000",
                             "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                             "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"}) {
    auto r = x25519(alice, hex(p));
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, ErrorCode::auth_failed) << p;
  }
  // A random key pair gets the same treatment.
  auto r = x25519(generate_x25519().secret_key, hex(std::string(64, '0')));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
}

TEST(X25519, RejectsWrongLengths) {
  const SecureBuffer alice = secret_from_hex(kAliceSecret);
  const auto bob_public = hex(kBobPublic);
  auto short_peer = x25519(alice, std::span(bob_public).first(31));
  ASSERT_FALSE(short_peer.ok());
  EXPECT_EQ(short_peer.error().code, ErrorCode::bad_input);
  auto long_peer_bytes = hex(kBobPublic);
  long_peer_bytes.push_back(0);
  auto long_peer = x25519(alice, long_peer_bytes);
  ASSERT_FALSE(long_peer.ok());
  EXPECT_EQ(long_peer.error().code, ErrorCode::bad_input);
  auto short_secret = x25519(secret_from_hex(kAliceSecret.substr(0, 62)), hex(kBobPublic));
  ASSERT_FALSE(short_secret.ok());
  EXPECT_EQ(short_secret.error().code, ErrorCode::bad_input);
}

TEST(X25519, GeneratedPairsAgree) {
  const X25519KeyPair a = generate_x25519();
  const X25519KeyPair b = generate_x25519();
  ASSERT_EQ(a.secret_key.size(), 32u);
  EXPECT_EQ(a.public_key, x25519_public_of(a.secret_key));
  EXPECT_NE(a.public_key, b.public_key);
  auto ab = x25519(a.secret_key, b.public_key);
  auto ba = x25519(b.secret_key, a.public_key);
  ASSERT_TRUE(ab.ok());
  ASSERT_TRUE(ba.ok());
  EXPECT_TRUE(equal_ct(ab->span(), ba->span()));
}

// --- Ed25519 (RFC 8032, section 7.1) -------------------------------------------------------

struct Ed25519Vector {
  const char* name;
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

constexpr Ed25519Vector kEdVectors[] = {
    {"RFC 8032 7.1 TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"RFC 8032 7.1 TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"RFC 8032 7.1 TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST(Ed25519, Rfc8032SignAndVerify) {
  for (const auto& v : kEdVectors) {
    SCOPED_TRACE(v.name);
    auto kp = ed25519_from_secret(secret_from_hex(v.seed));
    ASSERT_TRUE(kp.ok()) << kp.error().message;
    EXPECT_EQ(hex_of(kp->public_key), v.public_key);
    ASSERT_EQ(kp->secret_key.size(), 64u);
    // libsodium's secret key is seed || public key.
    EXPECT_EQ(hex_of(kp->secret_key.span().first(32)), v.seed);
    EXPECT_EQ(hex_of(kp->secret_key.span().last(32)), v.public_key);

    const auto msg = hex(v.message);
    const Ed25519Signature sig = ed25519_sign(kp->secret_key, msg);
    EXPECT_EQ(hex_of(sig), v.signature);
    EXPECT_TRUE(ed25519_verify(kp->public_key, msg, hex(v.signature)));
  }
}

TEST(Ed25519, Rfc8032VerifyFailsOnAnyFlippedBit) {
  for (const auto& v : kEdVectors) {
    SCOPED_TRACE(v.name);
    Ed25519Public pk{};
    const auto pkb = hex(v.public_key);
    std::copy(pkb.begin(), pkb.end(), pk.begin());
    const auto msg = hex(v.message);
    const auto sig = hex(v.signature);
    ASSERT_TRUE(ed25519_verify(pk, msg, sig));
    for (std::size_t i = 0; i < sig.size(); ++i) {
      auto bad = sig;
      bad[i] ^= 0x01;
      EXPECT_FALSE(ed25519_verify(pk, msg, bad)) << "signature byte " << i;
    }
    for (std::size_t i = 0; i < msg.size(); ++i) {
      auto bad = msg;
      bad[i] ^= 0x80;
      EXPECT_FALSE(ed25519_verify(pk, bad, sig)) << "message byte " << i;
    }
    auto longer = msg;
    longer.push_back(0);
    EXPECT_FALSE(ed25519_verify(pk, longer, sig)) << "message with an extra byte";
    Ed25519Public bad_pk = pk;
    bad_pk[0] ^= 0x01;
    EXPECT_FALSE(ed25519_verify(bad_pk, msg, sig)) << "flipped public key bit";
  }
}

TEST(Ed25519, VerifyRejectsWrongSignatureLength) {
  const auto& v = kEdVectors[0];
  Ed25519Public pk{};
  const auto pkb = hex(v.public_key);
  std::copy(pkb.begin(), pkb.end(), pk.begin());
  auto sig = hex(v.signature);
  sig.push_back(0);
  EXPECT_FALSE(ed25519_verify(pk, {}, sig));
  sig.resize(63);
  EXPECT_FALSE(ed25519_verify(pk, {}, sig));
  EXPECT_FALSE(ed25519_verify(pk, {}, {}));
}

TEST(Ed25519, FromSixtyFourByteSecret) {
  const auto& v = kEdVectors[1];
  const SecureBuffer full = secret_from_hex(std::string(v.seed) + v.public_key);
  auto kp = ed25519_from_secret(full);
  ASSERT_TRUE(kp.ok()) << kp.error().message;
  EXPECT_EQ(hex_of(kp->public_key), v.public_key);
  EXPECT_TRUE(equal_ct(kp->secret_key.span(), full.span()));
}

TEST(Ed25519, FromSecretWithAlteredPublicHalfIsIntegrityError) {
  const auto& v = kEdVectors[1];
  SecureBuffer full = secret_from_hex(std::string(v.seed) + v.public_key);
  full.data()[63] ^= 0x01;
  auto kp = ed25519_from_secret(full);
  ASSERT_FALSE(kp.ok());
  EXPECT_EQ(kp.error().code, ErrorCode::integrity);
}

TEST(Ed25519, FromSecretWrongLengthIsBadInput) {
  for (std::size_t n : {0u, 31u, 33u, 63u, 65u}) {
    auto kp = ed25519_from_secret(SecureBuffer(n));
    ASSERT_FALSE(kp.ok()) << n;
    EXPECT_EQ(kp.error().code, ErrorCode::bad_input) << n;
  }
}

TEST(Ed25519, GeneratedPairSignsAndVerifies) {
  const Ed25519KeyPair kp = generate_ed25519();
  ASSERT_EQ(kp.secret_key.size(), 64u);
  const auto msg = test::bytes("meeting notes, signed");
  const Ed25519Signature sig = ed25519_sign(kp.secret_key, msg);
  EXPECT_TRUE(ed25519_verify(kp.public_key, msg, sig));
  const Ed25519KeyPair other = generate_ed25519();
  EXPECT_NE(kp.public_key, other.public_key);
  EXPECT_FALSE(ed25519_verify(other.public_key, msg, sig));
  // Rebuilding from the stored secret gives the same pair.
  auto again = ed25519_from_secret(kp.secret_key);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key, kp.public_key);
}

}  // namespace
}  // namespace bc::crypto
