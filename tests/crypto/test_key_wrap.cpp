// Unit: crypto/key_wrap — XChaCha20-Poly1305 wrapping of secrets.
#include <gtest/gtest.h>

#include "backchannel/crypto/key_wrap.h"
#include "backchannel/crypto/random.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

using test::bytes;
using test::hex;
using test::hex_of;

void expect_auth_failed(const Result<SecureBuffer>& r, const std::string& what) {
  ASSERT_FALSE(r.ok()) << what << " was accepted";
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed) << what;
}

class KeyWrap : public ::testing::Test {
 protected:
  SecureBuffer kek = random_secret(32);
  SecureBuffer secret = random_secret(32);
  std::vector<std::uint8_t> ad = bytes("backchannel keyslot v1 #0");
};

TEST_F(KeyWrap, RoundTrip) {
  const WrappedKey w = wrap_key(kek, secret.span(), ad);
  EXPECT_EQ(w.nonce.size(), 24u);
  EXPECT_EQ(w.ciphertext.size(), secret.size() + 16);
  // The ciphertext is not the plaintext.
  EXPECT_FALSE(equal_ct(std::span(w.ciphertext).first(32), secret.span()));
  auto r = unwrap_key(kek, w, ad);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size(), 32u);
  EXPECT_TRUE(equal_ct(r->span(), secret.span()));
}

TEST_F(KeyWrap, RoundTripOtherSizesAndEmptyAd) {
  for (std::size_t n : {0u, 1u, 16u, 64u, 100u}) {
    SecureBuffer s = random_secret(n);
    const WrappedKey w = wrap_key(kek, s.span(), {});
    ASSERT_EQ(w.ciphertext.size(), n + 16);
    auto r = unwrap_key(kek, w, {});
    ASSERT_TRUE(r.ok()) << "size " << n;
    EXPECT_EQ(r->size(), n);
    EXPECT_TRUE(equal_ct(r->span(), s.span())) << "size " << n;
  }
}

TEST_F(KeyWrap, FreshNonceEachTime) {
  const WrappedKey a = wrap_key(kek, secret.span(), ad);
  const WrappedKey b = wrap_key(kek, secret.span(), ad);
  EXPECT_NE(a.nonce, b.nonce);
  EXPECT_NE(a.ciphertext, b.ciphertext);
}

TEST_F(KeyWrap, EveryNonceBitFlipFails) {
  const WrappedKey w = wrap_key(kek, secret.span(), ad);
  for (std::size_t i = 0; i < w.nonce.size(); ++i) {
    for (int bit : {0, 7}) {
      WrappedKey t = w;
      t.nonce[i] ^= static_cast<std::uint8_t>(1u << bit);
      expect_auth_failed(unwrap_key(kek, t, ad), "nonce byte " + std::to_string(i) + " bit " + std::to_string(bit));
    }
  }
}

TEST_F(KeyWrap, EveryCiphertextBitFlipFails) {
  const WrappedKey w = wrap_key(kek, secret.span(), ad);
  // Covers the encrypted secret (bytes 0..31) and the Poly1305 tag (bytes 32..47).
  for (std::size_t i = 0; i < w.ciphertext.size(); ++i) {
    for (int bit : {0, 7}) {
      WrappedKey t = w;
      t.ciphertext[i] ^= static_cast<std::uint8_t>(1u << bit);
      expect_auth_failed(unwrap_key(kek, t, ad), "ciphertext byte " + std::to_string(i) + " bit " + std::to_string(bit));
    }
  }
}

TEST_F(KeyWrap, ChangedAssociatedDataFails) {
  const WrappedKey w = wrap_key(kek, secret.span(), ad);
  for (std::size_t i = 0; i < ad.size(); ++i) {
    auto t = ad;
    t[i] ^= 0x01;
    expect_auth_failed(unwrap_key(kek, w, t), "AD byte " + std::to_string(i));
  }
  auto longer = ad;
  longer.push_back(0);
  expect_auth_failed(unwrap_key(kek, w, longer), "AD with an extra byte");
  expect_auth_failed(unwrap_key(kek, w, std::span(ad).first(ad.size() - 1)), "truncated AD");
  expect_auth_failed(unwrap_key(kek, w, {}), "empty AD");
}

TEST_F(KeyWrap, WrongKeyFails) {
  const WrappedKey w = wrap_key(kek, secret.span(), ad);
  SecureBuffer other = kek.clone();
  other.data()[0] ^= 0x01;
  expect_auth_failed(unwrap_key(other, w, ad), "a key differing in one bit");
  expect_auth_failed(unwrap_key(random_secret(32), w, ad), "a random key");
  expect_auth_failed(unwrap_key(random_secret(16), w, ad), "a 16-byte key");
}

TEST_F(KeyWrap, MalformedWrappedKeyFails) {
  const WrappedKey w = wrap_key(kek, secret.span(), ad);
  WrappedKey t = w;
  t.ciphertext.pop_back();
  expect_auth_failed(unwrap_key(kek, t, ad), "truncated ciphertext");
  t = w;
  t.ciphertext.push_back(0);
  expect_auth_failed(unwrap_key(kek, t, ad), "extended ciphertext");
  t = w;
  t.ciphertext.resize(15);
  expect_auth_failed(unwrap_key(kek, t, ad), "ciphertext shorter than the tag");
  t = w;
  t.ciphertext.clear();
  expect_auth_failed(unwrap_key(kek, t, ad), "empty ciphertext");
  t = w;
  t.nonce.resize(12);
  expect_auth_failed(unwrap_key(kek, t, ad), "12-byte nonce");
  t = w;
  t.nonce.push_back(0);
  expect_auth_failed(unwrap_key(kek, t, ad), "25-byte nonce");
}

// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305 test vector): key, nonce,
// AD and plaintext from the draft; the ciphertext || tag below is the draft's. It was re-checked
// with an independent computation (Python: HChaCha20 written from the draft's section 2.2, then
// `cryptography`'s ChaCha20Poly1305 with the derived subkey and nonce 00000000 || nonce[16:24]).
TEST(KeyWrapKnownAnswer, UnwrapsDraftXChaChaVector) {
  const SecureBuffer key = SecureBuffer::copy_of(
      std::span<const std::uint8_t>(hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")));
  WrappedKey w;
  w.nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
  w.ciphertext = hex(
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
      "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
      "21f9664c97637da9768812f615c68b13b52e"
      "c0875924c1c7987947deafd8780acf49");
  const auto aad = hex("50515253c0c1c2c3c4c5c6c7");
  auto r = unwrap_key(key, w, aad);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->view(),
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
            "sunscreen would be it.");
  w.ciphertext.back() ^= 0x01;
  expect_auth_failed(unwrap_key(key, w, aad), "vector with a flipped tag bit");
}

}  // namespace
}  // namespace bc::crypto
