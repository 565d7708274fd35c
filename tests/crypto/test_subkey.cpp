// Unit: crypto/subkey — derive_subkey (crypto_kdf_derive_from_key, BLAKE2b, context "bcvault1").
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "backchannel/crypto/subkey.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

using test::hex_of;

SecureBuffer master_00_to_1f() {
  SecureBuffer m(32);
  for (std::size_t i = 0; i < 32; ++i) m.data()[i] = static_cast<std::uint8_t>(i);
  return m;
}

// Expected values computed independently of libsodium with Python's hashlib (BLAKE2b keyed,
// with salt and personalisation), master key = bytes 00..1f:
//   hashlib.blake2b(key=bytes(range(32)), digest_size=32,
//                   salt=purpose.to_bytes(8, 'little') + bytes(8),
//                   person=b"bcvault1" + bytes(8)).hexdigest()
// This is how libsodium defines crypto_kdf_derive_from_key (crypto_kdf/blake2b/kdf_blake2b.c).
struct SubkeyVector {
  SubkeyPurpose purpose;
  const char* expected;
};
constexpr SubkeyVector kVectors[] = {
    {SubkeyPurpose::database, "360a22211085e8f8defae529dc08ea9b27d7bfeacb5744e2b45c019bd175e118"},
    {SubkeyPurpose::audit_mac, "1561269e22e4d989fd06353894918ec77401a101aadebde57d94ac49a9a28995"},
    {SubkeyPurpose::pseudonym, "cdfd9cbad83a0ecca6f867404bfb263fe89ed8f5ab17d9ff2cb331209a6968f9"},
    {SubkeyPurpose::identity, "87a31f407eb7f637532de575bd465d51c00cb63b15039947f18474fdf0333954"},
};

TEST(DeriveSubkey, MatchesIndependentBlake2bComputation) {
  const SecureBuffer master = master_00_to_1f();
  for (const auto& v : kVectors) {
    const SecureBuffer sub = derive_subkey(master, v.purpose);
    ASSERT_EQ(sub.size(), 32u);
    EXPECT_EQ(hex_of(sub.span()), v.expected) << "purpose " << static_cast<std::uint64_t>(v.purpose);
  }
}

TEST(DeriveSubkey, PurposeNumbersAreFixed) {
  // Part of the vault format: renumbering would silently change every derived key.
  EXPECT_EQ(static_cast<std::uint64_t>(SubkeyPurpose::database), 1u);
  EXPECT_EQ(static_cast<std::uint64_t>(SubkeyPurpose::audit_mac), 2u);
  EXPECT_EQ(static_cast<std::uint64_t>(SubkeyPurpose::pseudonym), 3u);
  EXPECT_EQ(static_cast<std::uint64_t>(SubkeyPurpose::identity), 4u);
}

TEST(DeriveSubkey, DifferentPurposesGiveDifferentKeys) {
  const SecureBuffer master = master_00_to_1f();
  std::set<std::string> seen;
  for (const auto& v : kVectors) seen.insert(hex_of(derive_subkey(master, v.purpose).span()));
  EXPECT_EQ(seen.size(), 4u);
  // No sub-key equals the master key.
  EXPECT_EQ(seen.count(hex_of(master.span())), 0u);
}

TEST(DeriveSubkey, DeterministicAndDependsOnMaster) {
  const SecureBuffer master = master_00_to_1f();
  const SecureBuffer a = derive_subkey(master, SubkeyPurpose::database);
  const SecureBuffer b = derive_subkey(master, SubkeyPurpose::database);
  EXPECT_TRUE(equal_ct(a.span(), b.span()));
  SecureBuffer other = master.clone();
  other.data()[31] ^= 0x01;
  const SecureBuffer c = derive_subkey(other, SubkeyPurpose::database);
  EXPECT_FALSE(equal_ct(a.span(), c.span()));
}

}  // namespace
}  // namespace bc::crypto
