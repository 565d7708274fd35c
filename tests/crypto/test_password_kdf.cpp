// Unit: crypto/password_kdf — Argon2id parameters, their validation, and derivation.
#include <gtest/gtest.h>

#include "backchannel/crypto/password_kdf.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

using test::bytes;
using test::hex_of;

constexpr std::uint64_t kMiB = 1ull << 20;

Argon2idParams valid_params() {
  Argon2idParams p;
  p.opslimit = 2;
  p.memlimit = 64 * kMiB;
  p.salt = bytes("somesaltsomesalt");
  return p;
}

// --- Known answers -------------------------------------------------------------------------
// Both vectors come from the Argon2 reference implementation (Debian package `argon2`,
// 0~20171227-0.3+deb12u1), independent of libsodium. -k is in KiB, so 65536 = 64 MiB, the
// smallest memory validate() accepts.

TEST(Argon2idDerive, ReferenceVectorPasswordSomesalt) {
  // echo -n password | argon2 somesaltsomesalt -id -t 2 -k 65536 -p 1 -l 32 -r
  Argon2idParams p;
  p.opslimit = 2;
  p.memlimit = 65536 * 1024ull;
  p.salt = bytes("somesaltsomesalt");
  auto key = argon2id_derive(bytes("password"), p);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(hex_of(key->span()), "fc33b78139231d34b71626bd6245c1d72efa190ad605c3d8166a72adcedfa2c2");
}

TEST(Argon2idDerive, ReferenceVectorCorrectHorse) {
  // echo -n "correct horse battery staple" | argon2 'backchannelsalt!' -id -t 3 -k 65536 -p 1 -l 32 -r
  Argon2idParams p;
  p.opslimit = 3;
  p.memlimit = 65536 * 1024ull;
  p.salt = bytes("backchannelsalt!");
  auto key = argon2id_derive(bytes("correct horse battery staple"), p);
  ASSERT_TRUE(key.ok()) << key.error().message;
  ASSERT_EQ(key->size(), 32u);
  EXPECT_EQ(hex_of(key->span()), "e598043a9f6bd960386193a73d23bf3516b5d833ef97dfcee910d4a046838ab9");
}

TEST(Argon2idDerive, EachInputChangesTheKey) {
  const Argon2idParams base = valid_params();
  auto k0 = argon2id_derive(bytes("password"), base);
  ASSERT_TRUE(k0.ok());

  auto k_pass = argon2id_derive(bytes("passwore"), base);
  Argon2idParams salt2 = base;
  salt2.salt[15] ^= 1;
  auto k_salt = argon2id_derive(bytes("password"), salt2);
  Argon2idParams ops3 = base;
  ops3.opslimit = 3;
  auto k_ops = argon2id_derive(bytes("password"), ops3);
  ASSERT_TRUE(k_pass.ok());
  ASSERT_TRUE(k_salt.ok());
  ASSERT_TRUE(k_ops.ok());
  EXPECT_FALSE(equal_ct(k0->span(), k_pass->span()));
  EXPECT_FALSE(equal_ct(k0->span(), k_salt->span()));
  EXPECT_FALSE(equal_ct(k0->span(), k_ops->span()));
}

TEST(Argon2idDerive, RefusesInvalidParamsWithoutDeriving) {
  Argon2idParams p = valid_params();
  p.memlimit = 1ull << 40;  // 1 TiB: must be refused before any allocation is attempted
  auto r = argon2id_derive(bytes("password"), p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::integrity);

  // The self-test vector of sodium_init.cpp uses 64 KiB, which is below what a key slot may use.
  Argon2idParams small = valid_params();
  small.memlimit = 64 * 1024;
  auto s = argon2id_derive(bytes("password"), small);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::integrity);
}

// --- validate() ----------------------------------------------------------------------------

TEST(Argon2idValidate, AcceptsInRangeParams) {
  EXPECT_TRUE(validate(valid_params()).ok());
  Argon2idParams hi = valid_params();
  hi.opslimit = 64;
  hi.memlimit = 4096 * kMiB;
  EXPECT_TRUE(validate(hi).ok());
}

TEST(Argon2idValidate, RejectsOpslimitOutOfRange) {
  for (std::uint64_t ops : {0ull, 1ull, 65ull, 1000000ull}) {
    Argon2idParams p = valid_params();
    p.opslimit = ops;
    const Status st = validate(p);
    ASSERT_FALSE(st.ok()) << "opslimit " << ops;
    EXPECT_EQ(st.error().code, ErrorCode::integrity) << "opslimit " << ops;
  }
}

TEST(Argon2idValidate, RejectsMemlimitOutOfRange) {
  for (std::uint64_t mem : std::initializer_list<std::uint64_t>{0, 8 * 1024, 64 * kMiB - 1024, 4096 * kMiB + 1, 1ull << 40}) {
    Argon2idParams p = valid_params();
    p.memlimit = mem;
    const Status st = validate(p);
    ASSERT_FALSE(st.ok()) << "memlimit " << mem;
    EXPECT_EQ(st.error().code, ErrorCode::integrity) << "memlimit " << mem;
  }
}

TEST(Argon2idValidate, RejectsWrongSaltLength) {
  for (std::size_t len : {0u, 8u, 15u, 17u, 32u}) {
    Argon2idParams p = valid_params();
    p.salt.assign(len, 0x5a);
    const Status st = validate(p);
    ASSERT_FALSE(st.ok()) << "salt length " << len;
    EXPECT_EQ(st.error().code, ErrorCode::integrity) << "salt length " << len;
  }
}

// --- Profiles ------------------------------------------------------------------------------

TEST(Argon2idParamsTest, ProfilesHaveDocumentedCosts) {
  const Argon2idParams i = argon2id_params(KdfProfile::interactive);
  EXPECT_EQ(i.opslimit, 2u);
  EXPECT_EQ(i.memlimit, 64 * kMiB);
  const Argon2idParams m = argon2id_params(KdfProfile::moderate);
  EXPECT_EQ(m.opslimit, 3u);
  EXPECT_EQ(m.memlimit, 256 * kMiB);
  const Argon2idParams s = argon2id_params(KdfProfile::sensitive);
  EXPECT_EQ(s.opslimit, 4u);
  EXPECT_EQ(s.memlimit, 1024 * kMiB);
  for (const auto* p : {&i, &m, &s}) {
    EXPECT_TRUE(validate(*p).ok());
  }
}

TEST(Argon2idParamsTest, SaltsAreSixteenRandomBytesThatDiffer) {
  const Argon2idParams a = argon2id_params(KdfProfile::moderate);
  const Argon2idParams b = argon2id_params(KdfProfile::moderate);
  const Argon2idParams c = argon2id_params(KdfProfile::interactive);
  ASSERT_EQ(a.salt.size(), 16u);
  ASSERT_EQ(b.salt.size(), 16u);
  ASSERT_EQ(c.salt.size(), 16u);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(a.salt, c.salt);
  EXPECT_NE(a.salt, std::vector<std::uint8_t>(16, 0));
}

TEST(ParseKdfProfile, KnownNames) {
  auto i = parse_kdf_profile("interactive");
  auto m = parse_kdf_profile("moderate");
  auto s = parse_kdf_profile("sensitive");
  ASSERT_TRUE(i.ok());
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*i, KdfProfile::interactive);
  EXPECT_EQ(*m, KdfProfile::moderate);
  EXPECT_EQ(*s, KdfProfile::sensitive);
}

TEST(ParseKdfProfile, UnknownNamesAreUsageErrors) {
  for (std::string_view name : {"", "fast", "Moderate", "moderate ", "paranoid"}) {
    auto r = parse_kdf_profile(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().code, ErrorCode::usage) << name;
  }
}

}  // namespace
}  // namespace bc::crypto
