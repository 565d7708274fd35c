// Unit: crypto/encoding — hex, Base64 (RFC 4648) and Bech32 (BIP 173), including age's key forms.
#include <gtest/gtest.h>

#include <string>

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/identity_keys.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

using test::bytes;
using test::hex;
using test::hex_of;

// --- Hex -----------------------------------------------------------------------------------

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(to_hex(hex("deadbeef00ff")), "deadbeef00ff");
  EXPECT_EQ(to_hex(bytes("\x01\x23\x45\x67\x89\xab\xcd\xef")), "0123456789abcdef");
  EXPECT_EQ(to_hex({}), "");
}

TEST(Hex, RoundTripsEveryByteValue) {
  std::vector<std::uint8_t> all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  const std::string h = to_hex(all);
  ASSERT_EQ(h.size(), 512u);
  EXPECT_EQ(h.substr(0, 8), "00010203");
  EXPECT_EQ(h.substr(504), "fcfdfeff");
  auto back = from_hex(h);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, all);
}

TEST(Hex, DecodesEmpty) {
  auto r = from_hex("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(Hex, RejectsMalformed) {
  for (std::string_view bad : std::initializer_list<std::string_view>{"a", "abc", "zz", "0g", "g0", "12 34", " 1234", "1234 ", "12:34", "0x12", "12\n",
                               "de-ad", std::string_view("12\0" "34", 5)}) {
    auto r = from_hex(bad);
    ASSERT_FALSE(r.ok()) << '"' << bad << '"';
    EXPECT_EQ(r.error().code, ErrorCode::bad_input) << '"' << bad << '"';
  }
}

// --- Base64 (RFC 4648, section 10 test vectors) ---------------------------------------------

struct B64Vector {
  const char* plain;
  const char* padded;
  const char* unpadded;
};
// RFC 4648 section 10; the unpadded forms drop the trailing '=' (section 3.2).
constexpr B64Vector kB64[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

TEST(Base64, Rfc4648Section10Padded) {
  for (const auto& v : kB64) {
    EXPECT_EQ(to_base64(bytes(v.plain), true), v.padded) << v.plain;
    auto r = from_base64(v.padded, true);
    ASSERT_TRUE(r.ok()) << v.padded << ": " << r.error().message;
    EXPECT_EQ(*r, bytes(v.plain)) << v.padded;
  }
}

TEST(Base64, Rfc4648Section10Unpadded) {
  for (const auto& v : kB64) {
    EXPECT_EQ(to_base64(bytes(v.plain), false), v.unpadded) << v.plain;
    auto r = from_base64(v.unpadded, false);
    ASSERT_TRUE(r.ok()) << v.unpadded << ": " << r.error().message;
    EXPECT_EQ(*r, bytes(v.plain)) << v.unpadded;
  }
}

TEST(Base64, DefaultIsPadded) { EXPECT_EQ(to_base64(bytes("f")), "Zg=="); }

TEST(Base64, RoundTripsBinary) {
  std::vector<std::uint8_t> all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(255 - i));
  for (bool padded : {true, false}) {
    for (std::size_t n = 0; n <= 40; ++n) {
      const std::span<const std::uint8_t> part(all.data(), n);
      auto r = from_base64(to_base64(part, padded), padded);
      ASSERT_TRUE(r.ok()) << n;
      EXPECT_EQ(*r, std::vector<std::uint8_t>(part.begin(), part.end())) << n;
    }
  }
  // The standard alphabet (not URL-safe): bytes fb ff bf encode to "+/+/".
  EXPECT_EQ(to_base64(hex("fbffbf")), "+/+/");
}

void expect_b64_rejected(std::string_view text, bool padded) {
  auto r = from_base64(text, padded);
  ASSERT_FALSE(r.ok()) << '"' << text << "\" padded=" << padded;
  EXPECT_EQ(r.error().code, ErrorCode::bad_input) << '"' << text << '"';
}

TEST(Base64, PaddedRejectsNonCanonical) {
  for (std::string_view bad : {
           "Zg=",      // incomplete padding
           "Zg",       // padding missing
           "Zg===",    // too much padding
           "Zm9v=",    // padding after a full group
           "Zh==",     // non-zero trailing bits ("f" is Zg==)
           "Zm9=",     // non-zero trailing bits ("fo" is Zm8=)
           "Z===",     // a lone 6-bit group
           "Z",        //
           " Zg==",    // whitespace anywhere
           "Zg== ",    //
           "Zg==\n",   //
           "Zm9v\nYmFy",
           "Zm9v YmFy",
           "Zm9vYmFy\r\n",
           "Zm9vYmFy=",
           "Zm-_",     // URL-safe alphabet
           "Zm9v*mFy", // not Base64 at all
           "Zg==Zg==", // data after padding
       }) {
    expect_b64_rejected(bad, true);
  }
}

TEST(Base64, UnpaddedRejectsNonCanonical) {
  for (std::string_view bad : {
           "Zg==",     // padding is not allowed in the unpadded form (age)
           "Zm8=",
           "Zh",       // non-zero trailing bits
           "Zm9",      //
           "Z",        // a lone 6-bit group
           "Zg ",      // whitespace
           "\tZg",
           "Zm9vYmFy\n",
           "Zm-_",
       }) {
    expect_b64_rejected(bad, false);
  }
}

// --- Bech32 (BIP 173) ----------------------------------------------------------------------

// BIP 173, "Test vectors": the valid Bech32 strings, with the hrp and the data they carry.
// The data hex was computed with the BIP's reference Python code (segwit_addr.py bech32_decode
// + convertbits(data, 5, 8, False)).
struct Bech32Vector {
  const char* text;
  const char* hrp;
  const char* data_hex;
};
constexpr Bech32Vector kBech32Valid[] = {
    {"A12UEL5L", "a", ""},
    {"a12uel5l", "a", ""},
    {"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
     "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio", ""},
    {"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef", "00443214c74254b635cf84653a56d7c675be77df"},
    {"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j", "1",
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "split",
     "c5f38b70305f519bf66d85fb6cf03058f3dde463ecd7918f2dc743918f2d"},
    {"?1ezyfcl", "?", ""},
};

TEST(Bech32, Bip173ValidStringsDecode) {
  for (const auto& v : kBech32Valid) {
    auto r = bech32_decode(v.text);
    ASSERT_TRUE(r.ok()) << v.text << ": " << r.error().message;
    EXPECT_EQ(r->hrp, v.hrp) << v.text;
    EXPECT_EQ(hex_of(r->data), v.data_hex) << v.text;
  }
}

TEST(Bech32, Bip173ValidStringsReencode) {
  for (const auto& v : kBech32Valid) {
    auto r = bech32_decode(v.text);
    ASSERT_TRUE(r.ok()) << v.text;
    std::string lower(v.text);
    for (char& c : lower) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
    // Re-encoding the decoded bytes gives the original string (lower case) whenever the 8-to-5
    // bit regrouping is the identity, which holds for all of these vectors.
    EXPECT_EQ(bech32_encode(r->hrp, r->data), lower) << v.text;
  }
}

TEST(Bech32, Bip173InvalidStringsAreRejected) {
  struct Invalid {
    std::string_view text;
    const char* why;
  };
  const Invalid cases[] = {
      // BIP 173, invalid Bech32 strings.
      {std::string_view("\x20" "1nwldj5"), "HRP character out of range (0x20)"},
      {std::string_view("\x7f" "1axkwrx"), "HRP character out of range (0x7f)"},
      {std::string_view("\x80" "1eym55h"), "HRP character out of range (0x80)"},
      {"pzry9x0s0muk", "no separator character"},
      {"1pzry9x0s0muk", "empty HRP"},
      {"x1b4n0q5v", "invalid data character"},
      {"li1dgmt3", "too short checksum"},
      {std::string_view("de1lg7wt" "\xff"), "invalid character in checksum"},
      {"A1G7SGD8", "checksum calculated with upper-case form of HRP"},
      {"10a06t8", "empty HRP"},
      {"1qzzfhee", "empty HRP"},
      // BIP 173, invalid segwit addresses that are invalid at the Bech32 level.
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "mixed case"},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "invalid checksum"},
      // Our own: a BIP 173 valid string with one data character changed.
      {"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx", "checksum character changed"},
      {"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqx", "checksum truncated"},
      {"", "empty string"},
  };
  for (const auto& c : cases) {
    auto r = bech32_decode(c.text);
    ASSERT_FALSE(r.ok()) << c.why;
    EXPECT_EQ(r.error().code, ErrorCode::bad_input) << c.why;
  }
}

TEST(Bech32, MixedCaseOfValidStringRejected) {
  // The same string all lower case decodes (BIP 173 valid testnet address), so only the case
  // mix makes it invalid.
  EXPECT_TRUE(bech32_decode("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7").ok());
  EXPECT_FALSE(bech32_decode("A12uEL5L").ok());
}

TEST(Bech32, RejectsNonZeroOrOverlongPadding) {
  // Checksum-valid strings (made with the BIP 173 reference encoder) whose 5-bit groups do not
  // regroup cleanly into bytes: groups [0, 1] leave two non-zero bits; groups [0, 0, 0] leave
  // 15 bits, more than a group's worth of padding.
  for (std::string_view bad : {"a1qpamnt9j", "a1qqqd87cpp"}) {
    auto r = bech32_decode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::bad_input) << bad;
  }
}

TEST(Bech32, EncodeLowercasesHrpAndRoundTrips) {
  const auto data = hex("00112233445566778899aabbccddeeff0102");
  const std::string s = bech32_encode("Test", data);
  EXPECT_EQ(s.substr(0, 5), "test1");
  auto r = bech32_decode(s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hrp, "test");
  EXPECT_EQ(r->data, data);
  // Upper-case form of the same string decodes to the same thing.
  std::string upper = s;
  for (char& c : upper) c = static_cast<char>((c >= 'a' && c <= 'z') ? c - 32 : c);
  auto ru = bech32_decode(upper);
  ASSERT_TRUE(ru.ok());
  EXPECT_EQ(ru->data, data);
}

TEST(Bech32, NoNinetyCharacterLimit) {
  // age identities and post-quantum recipients exceed BIP 173's 90 characters.
  const std::vector<std::uint8_t> data(100, 0xa5);
  const std::string s = bech32_encode("long", data);
  EXPECT_GT(s.size(), 90u);
  auto r = bech32_decode(s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data, data);
}

// --- age keys --------------------------------------------------------------------------------

// The X25519 identity used throughout the C2SP CCTV age test vectors
// (tests/data/age-cctv/testdata/x25519, header line "identity: ...", CCTV commit 1e3d2860d46e).
constexpr std::string_view kAgeIdentity =
    "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
// Its recipient, from the reference implementation: `echo <identity> | age-keygen -y`
// (Debian's age package); also reproduced with Python (BIP 173 reference code + `cryptography`
// X25519).
constexpr std::string_view kAgeRecipient = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef";
// The 32-byte secret it carries (BIP 173 reference decoder).
constexpr std::string_view kAgeSecretHex = "ca1626252c53cf1a4dc46695e7fcc46594cb4ccadedb6712dfda0753f3ae355e";

TEST(AgeKeys, IdentityDecodesToThirtyTwoBytes) {
  auto sk = bech32_decode_secret(kAgeIdentity, "AGE-SECRET-KEY-");
  ASSERT_TRUE(sk.ok()) << sk.error().message;
  ASSERT_EQ(sk->size(), 32u);
  EXPECT_EQ(hex_of(sk->span()), kAgeSecretHex);
  // The hrp comparison is case-insensitive.
  EXPECT_TRUE(bech32_decode_secret(kAgeIdentity, "age-secret-key-").ok());
}

TEST(AgeKeys, IdentityReencodesExactly) {
  auto sk = bech32_decode_secret(kAgeIdentity, "AGE-SECRET-KEY-");
  ASSERT_TRUE(sk.ok());
  const SecureBuffer upper = bech32_encode_secret("AGE-SECRET-KEY-", *sk, true);
  EXPECT_EQ(upper.view(), kAgeIdentity);
  std::string lower(kAgeIdentity);
  for (char& c : lower) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  const SecureBuffer low = bech32_encode_secret("AGE-SECRET-KEY-", *sk, false);
  EXPECT_EQ(low.view(), lower);
  // The secret encoder agrees with the public one.
  EXPECT_EQ(low.view(), bech32_encode("age-secret-key-", sk->span()));
}

TEST(AgeKeys, RecipientFromIdentity) {
  auto sk = bech32_decode_secret(kAgeIdentity, "AGE-SECRET-KEY-");
  ASSERT_TRUE(sk.ok());
  const X25519Public pub = x25519_public_of(*sk);
  const std::string recipient = bech32_encode("age", pub);
  EXPECT_EQ(recipient.substr(0, 4), "age1");
  EXPECT_EQ(recipient, kAgeRecipient);
  auto back = bech32_decode(recipient);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->hrp, "age");
  EXPECT_EQ(back->data, std::vector<std::uint8_t>(pub.begin(), pub.end()));
}

TEST(AgeKeys, GeneratedKeyRoundTrips) {
  const X25519KeyPair kp = generate_x25519();
  const SecureBuffer id = bech32_encode_secret("AGE-SECRET-KEY-", kp.secret_key, true);
  EXPECT_EQ(id.view().substr(0, 16), "AGE-SECRET-KEY-1");
  auto sk = bech32_decode_secret(id.view(), "AGE-SECRET-KEY-");
  ASSERT_TRUE(sk.ok());
  EXPECT_TRUE(equal_ct(sk->span(), kp.secret_key.span()));
  const std::string recipient = bech32_encode("age", kp.public_key);
  auto pub = bech32_decode(recipient);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->data, std::vector<std::uint8_t>(kp.public_key.begin(), kp.public_key.end()));
}

TEST(AgeKeys, DecodeSecretRejectsWrongTypeAndDamage) {
  // A recipient is not an identity.
  auto wrong = bech32_decode_secret(kAgeRecipient, "AGE-SECRET-KEY-");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::bad_input);
  // The post-quantum identity type from the same test kit has a different hrp.
  auto pq = bech32_decode_secret(
      "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG", "AGE-SECRET-KEY-");
  ASSERT_FALSE(pq.ok());
  EXPECT_EQ(pq.error().code, ErrorCode::bad_input);
  // One character changed.
  std::string damaged(kAgeIdentity);
  damaged[20] = damaged[20] == 'Q' ? 'P' : 'Q';
  auto d = bech32_decode_secret(damaged, "AGE-SECRET-KEY-");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::bad_input);
  // Mixed case.
  std::string mixed(kAgeIdentity);
  mixed[0] = 'a';
  EXPECT_FALSE(bech32_decode_secret(mixed, "AGE-SECRET-KEY-").ok());
  // Bad padding, with a matching hrp: groups [0, 1] under "a".
  EXPECT_FALSE(bech32_decode_secret("a1qpamnt9j", "a").ok());
}

}  // namespace
}  // namespace bc::crypto
