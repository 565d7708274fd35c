// Unit: crypto/secure_buffer — SecureBuffer, equal_ct, wipe.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <utility>

#include "backchannel/crypto/secure_buffer.h"
#include "crypto_test_support.h"

namespace bc::crypto {
namespace {

using test::bytes;

SecureBuffer filled(std::size_t n, std::uint8_t first) {
  SecureBuffer b(n);
  for (std::size_t i = 0; i < n; ++i) b.data()[i] = static_cast<std::uint8_t>(first + i);
  return b;
}

TEST(SecureBuffer, DefaultIsEmpty) {
  SecureBuffer b;
  EXPECT_EQ(b.data(), nullptr);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.capacity(), 0u);
  EXPECT_TRUE(b.empty());
  EXPECT_FALSE(b.push_back(1));
}

TEST(SecureBuffer, ConstructorZeroesAndSizesToCapacity) {
  SecureBuffer b(48);
  ASSERT_NE(b.data(), nullptr);
  EXPECT_EQ(b.size(), 48u);
  EXPECT_EQ(b.capacity(), 48u);
  EXPECT_FALSE(b.empty());
  for (std::uint8_t v : b.span()) EXPECT_EQ(v, 0);
}

TEST(SecureBuffer, ZeroCapacityIsUsable) {
  SecureBuffer b(0);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.capacity(), 0u);
  EXPECT_TRUE(b.empty());
  EXPECT_FALSE(b.push_back(7));
  SecureBuffer c = b.clone();
  EXPECT_EQ(c.size(), 0u);
}

TEST(SecureBuffer, CopyOfBytesAndText) {
  const auto src = bytes("secret passphrase");
  SecureBuffer a = SecureBuffer::copy_of(std::span<const std::uint8_t>(src));
  ASSERT_EQ(a.size(), src.size());
  EXPECT_EQ(std::memcmp(a.data(), src.data(), src.size()), 0);

  SecureBuffer t = SecureBuffer::copy_of(std::string_view("hunter2"));
  EXPECT_EQ(t.view(), "hunter2");
  EXPECT_EQ(t.size(), 7u);

  SecureBuffer e = SecureBuffer::copy_of(std::string_view());
  EXPECT_TRUE(e.empty());
}

TEST(SecureBuffer, MoveConstructorTransfersOwnership) {
  SecureBuffer a = filled(16, 1);
  const std::uint8_t* p = a.data();
  SecureBuffer b(std::move(a));
  EXPECT_EQ(b.data(), p);
  EXPECT_EQ(b.size(), 16u);
  EXPECT_EQ(b.capacity(), 16u);
  EXPECT_EQ(b.data()[15], 16);
  // The moved-from buffer owns nothing.
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.capacity(), 0u);
}

TEST(SecureBuffer, MoveAssignmentTransfersOwnership) {
  SecureBuffer a = filled(8, 10);
  SecureBuffer b = filled(32, 100);
  const std::uint8_t* p = a.data();
  b = std::move(a);
  EXPECT_EQ(b.data(), p);
  EXPECT_EQ(b.size(), 8u);
  EXPECT_EQ(b.capacity(), 8u);
  EXPECT_EQ(b.data()[0], 10);
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.capacity(), 0u);
}

TEST(SecureBuffer, SelfMoveAssignmentKeepsContents) {
  SecureBuffer a = filled(4, 42);
  SecureBuffer& alias = a;
  a = std::move(alias);
  ASSERT_NE(a.data(), nullptr);
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a.data()[3], 45);
}

TEST(SecureBuffer, ResizeShrinkWipesTail) {
  SecureBuffer b(8);
  std::memset(b.data(), 0xAA, 8);
  b.resize(3);
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(b.capacity(), 8u);
  // The bytes past the new size were wiped; growing again exposes them as zeros.
  b.resize(8);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(b.data()[i], 0xAA) << i;
  for (std::size_t i = 3; i < 8; ++i) EXPECT_EQ(b.data()[i], 0x00) << i;
}

TEST(SecureBuffer, PushBackUpToCapacity) {
  SecureBuffer b(4);
  b.resize(0);
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(b.push_back('a'));
  EXPECT_TRUE(b.push_back('b'));
  EXPECT_TRUE(b.push_back('c'));
  EXPECT_TRUE(b.push_back('d'));
  EXPECT_EQ(b.size(), 4u);
  EXPECT_FALSE(b.push_back('e'));  // full
  EXPECT_EQ(b.size(), 4u);
  EXPECT_EQ(b.capacity(), 4u);
  EXPECT_EQ(b.view(), "abcd");
}

TEST(SecureBuffer, PushBackOnFreshBufferIsFull) {
  SecureBuffer b(2);  // size() == capacity() from the start
  EXPECT_FALSE(b.push_back(1));
}

TEST(SecureBuffer, ClearWipesEverythingAndKeepsCapacity) {
  SecureBuffer b = filled(6, 1);
  b.clear();
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.capacity(), 6u);
  b.resize(6);
  for (std::uint8_t v : b.span()) EXPECT_EQ(v, 0);
  EXPECT_EQ(b.size(), 6u);
}

TEST(SecureBuffer, CloneIsAnIndependentCopy) {
  SecureBuffer a(10);
  a.resize(0);
  for (std::uint8_t c : bytes("abcdef")) ASSERT_TRUE(a.push_back(c));
  SecureBuffer b = a.clone();
  EXPECT_NE(b.data(), a.data());
  EXPECT_EQ(b.size(), 6u);
  EXPECT_EQ(b.capacity(), 10u);
  EXPECT_EQ(b.view(), "abcdef");
  b.data()[0] = 'X';
  EXPECT_EQ(a.view(), "abcdef");
  EXPECT_EQ(b.view(), "Xbcdef");
  // The clone keeps the spare capacity usable.
  EXPECT_TRUE(b.push_back('g'));
  EXPECT_EQ(b.view(), "Xbcdefg");
}

TEST(SecureBuffer, SpanAndViewCoverLogicalSizeOnly) {
  SecureBuffer b = filled(8, 'a');
  b.resize(5);
  EXPECT_EQ(b.span().size(), 5u);
  EXPECT_EQ(b.view(), "abcde");
  const SecureBuffer& cb = b;
  EXPECT_EQ(cb.span().data(), b.data());
  EXPECT_EQ(cb.span().size(), 5u);
}

TEST(SecureBufferDeathTest, ResizeBeyondCapacityAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        SecureBuffer b(4);
        b.resize(5);
      },
      "");
}

TEST(EqualCt, EqualAndUnequal) {
  const auto a = bytes("0123456789abcdef");
  auto b = a;
  EXPECT_TRUE(equal_ct(a, b));
  for (std::size_t i = 0; i < b.size(); ++i) {
    auto c = a;
    c[i] ^= 0x01;
    EXPECT_FALSE(equal_ct(a, c)) << "difference at byte " << i;
  }
}

TEST(EqualCt, LengthsDiffer) {
  const auto a = bytes("abc");
  const auto b = bytes("abcd");
  EXPECT_FALSE(equal_ct(a, b));
  EXPECT_FALSE(equal_ct(b, a));
  EXPECT_FALSE(equal_ct(a, std::span<const std::uint8_t>()));
}

TEST(EqualCt, BothEmpty) { EXPECT_TRUE(equal_ct({}, {})); }

TEST(EqualCt, WorksOnSecureBuffers) {
  SecureBuffer a = filled(32, 7);
  SecureBuffer b = a.clone();
  EXPECT_TRUE(equal_ct(a.span(), b.span()));
  b.data()[31] ^= 0x80;
  EXPECT_FALSE(equal_ct(a.span(), b.span()));
}

TEST(Wipe, ZeroesMemory) {
  std::array<std::uint8_t, 16> buf{};
  buf.fill(0xFF);
  wipe(buf.data(), 10);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(buf[i], 0) << i;
  for (std::size_t i = 10; i < 16; ++i) EXPECT_EQ(buf[i], 0xFF) << i;
  wipe(nullptr, 5);    // tolerated
  wipe(buf.data(), 0); // no-op
  EXPECT_EQ(buf[10], 0xFF);
}

}  // namespace
}  // namespace bc::crypto
