// Unit: crypto/secure_arena — SecureArena, WipingAllocator, SecureString.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "backchannel/crypto/secure_arena.h"

namespace bc::crypto {
namespace {

SecureArena& arena() { return SecureArena::instance(); }

TEST(SecureArena, BlocksAreAlignedAndReused) {
  std::vector<void*> blocks;
  for (std::size_t n : {1u, 15u, 16u, 17u, 100u, 4096u, 70000u}) {
    void* p = arena().allocate(n);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 16, 0u) << n;
    blocks.push_back(p);
  }
  void* a = arena().allocate(48);
  arena().deallocate(a, 48);
  EXPECT_EQ(arena().allocate(40), a) << "a freed block of the same size class is reused";
  arena().deallocate(a, 40);
  std::size_t i = 0;
  for (std::size_t n : {1u, 15u, 16u, 17u, 100u, 4096u, 70000u}) arena().deallocate(blocks[i++], n);
  EXPECT_TRUE(arena().trim());
}

TEST(SecureArena, AFreedBlockIsWipedAtOnce) {
  void* keep = arena().allocate(32);  // keeps the chunk mapped, so the freed block can be read
  auto* p = static_cast<unsigned char*>(arena().allocate(200));
  std::memset(p, 'x', 200);
  arena().deallocate(p, 200);
  // The first bytes now link the free list; the rest must be zero.
  for (std::size_t i = sizeof(void*); i < 200; ++i) ASSERT_EQ(p[i], 0) << i;
  arena().deallocate(keep, 32);
}

TEST(SecureArena, ManyStringsShareAFewMappingsAndAreGivenBackTogether) {
  ASSERT_TRUE(arena().trim());
  {
    std::vector<SecureString> notes;
    notes.reserve(100000);
    for (int i = 0; i < 100000; ++i) notes.emplace_back(100, static_cast<char>('a' + i % 26));
    const auto s = arena().stats();
    EXPECT_EQ(s.blocks_in_use, 100000u);
    // 100,000 blocks of 128 bytes: 12.8 MB in 4 MiB chunks, not 100,000 mappings.
    EXPECT_LE(s.chunks, 4u);
    EXPECT_EQ(s.large, 0u);
    EXPECT_FALSE(arena().trim()) << "blocks in use keep their chunks";
  }
  EXPECT_EQ(arena().stats().blocks_in_use, 0u);
  EXPECT_TRUE(arena().trim());
  EXPECT_EQ(arena().stats().chunks, 0u);
}

TEST(SecureArena, LargeBlocksGetTheirOwnMapping) {
  {
    SecureString big(3u << 20, 'z');
    EXPECT_EQ(arena().stats().large, 1u);
    big += "more";  // grows into a new block; the old one is wiped and unmapped
    EXPECT_EQ(arena().stats().large, 1u);
  }
  EXPECT_EQ(arena().stats().large, 0u);
}

TEST(SecureArena, SecureStringBehavesLikeAString) {
  SecureString s = "Katherine";
  s += " Holloway";
  EXPECT_EQ(std::string_view(s), "Katherine Holloway");
  SecureString copy = s;
  EXPECT_EQ(copy, s);
  EXPECT_TRUE(WipingAllocator<char>() == WipingAllocator<int>());
}

}  // namespace
}  // namespace bc::crypto
