// Unit: crypto/random — random_fill, random_bytes, random_secret, random_uniform.
// Randomness cannot be proven by a unit test; these check sizes, that output is not constant,
// and ranges. Each "differs" check fails by chance with probability 2^-256 or less.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>

#include "backchannel/crypto/random.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

bool all_zero(std::span<const std::uint8_t> s) {
  return std::all_of(s.begin(), s.end(), [](std::uint8_t v) { return v == 0; });
}

TEST(Random, BytesHaveRequestedSizeAndDiffer) {
  const auto a = random_bytes(32);
  const auto b = random_bytes(32);
  ASSERT_EQ(a.size(), 32u);
  ASSERT_EQ(b.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_FALSE(all_zero(a));
  EXPECT_TRUE(random_bytes(0).empty());
  EXPECT_EQ(random_bytes(1000).size(), 1000u);
}

TEST(Random, FillOverwritesWholeSpan) {
  std::array<std::uint8_t, 64> buf{};
  random_fill(buf);
  // Both halves are written (each all zero with probability 2^-256).
  EXPECT_FALSE(all_zero(std::span(buf).first(32)));
  EXPECT_FALSE(all_zero(std::span(buf).last(32)));
  random_fill(std::span<std::uint8_t>());  // empty span is a no-op
}

TEST(Random, FillWritesEveryPosition) {
  // OR-ing several fills: a position never written stays zero; a written one stays zero after
  // eight fills with probability 2^-64.
  std::array<std::uint8_t, 33> acc{};
  for (int round = 0; round < 8; ++round) {
    std::array<std::uint8_t, 33> buf{};
    random_fill(buf);
    for (std::size_t i = 0; i < buf.size(); ++i) acc[i] |= buf[i];
  }
  for (std::size_t i = 0; i < acc.size(); ++i) EXPECT_NE(acc[i], 0) << "byte " << i << " never written";
}

TEST(Random, FillRespectsSpanBounds) {
  std::array<std::uint8_t, 48> buf{};
  random_fill(std::span(buf).subspan(8, 32));
  EXPECT_TRUE(all_zero(std::span(buf).first(8)));
  EXPECT_TRUE(all_zero(std::span(buf).last(8)));
  EXPECT_FALSE(all_zero(std::span(buf).subspan(8, 32)));
}

TEST(Random, SecretIsSecureBufferOfRequestedSize) {
  SecureBuffer a = random_secret(32);
  SecureBuffer b = random_secret(32);
  ASSERT_EQ(a.size(), 32u);
  ASSERT_EQ(a.capacity(), 32u);
  EXPECT_FALSE(all_zero(a.span()));
  EXPECT_FALSE(equal_ct(a.span(), b.span()));
  EXPECT_TRUE(random_secret(0).empty());
}

TEST(Random, UniformStaysInRangeAndCoversIt) {
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::uint32_t v = random_uniform(10);
    ASSERT_LT(v, 10u);
    seen.insert(v);
  }
  // Missing one of 10 values in 2000 draws has probability below 10 * 0.9^2000 ~ 1e-90.
  EXPECT_EQ(seen.size(), 10u);
}

TEST(Random, UniformDegenerateBounds) {
  // libsodium defines randombytes_uniform(0) and (1) as 0.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(random_uniform(1), 0u);
    EXPECT_EQ(random_uniform(0), 0u);
  }
}

TEST(Random, UniformLargeUpperBound) {
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 64; ++i) {
    const std::uint32_t v = random_uniform(0xFFFFFFFFu);
    EXPECT_LT(v, 0xFFFFFFFFu);
    seen.insert(v);
  }
  EXPECT_GT(seen.size(), 60u);  // 64 draws from 2^32 values almost never collide
}

}  // namespace
}  // namespace bc::crypto
