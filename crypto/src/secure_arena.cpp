#include "backchannel/crypto/secure_arena.h"

#include <sodium.h>

#include <array>
#include <bit>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::crypto {

namespace {
constexpr std::size_t kMinBlock = 16;
constexpr std::size_t kClasses = 17;  // 16 B .. 1 MiB
constexpr std::size_t kMaxBlock = kMinBlock << (kClasses - 1);
// A multiple of the page size, so that sodium_malloc's pointer (placed against the guard page
// after it) is page-aligned and every block in the chunk is aligned to its size class.
constexpr std::size_t kChunk = 4 * kMaxBlock;

std::size_t class_of(std::size_t n) {
  const std::size_t rounded = std::bit_ceil(std::max(n, kMinBlock));
  return static_cast<std::size_t>(std::countr_zero(rounded) - std::countr_zero(kMinBlock));
}
}  // namespace

struct SecureArena::State {
  mutable std::mutex mutex;
  std::vector<SecureBuffer> chunks;
  std::size_t bump = kChunk;  // offset in chunks.back(); kChunk: no room
  std::array<void*, kClasses> free_lists{};  // each free block holds the next one's address
  std::unordered_map<void*, SecureBuffer> large;
  std::size_t in_use = 0;
};

SecureArena& SecureArena::instance() {
  static SecureArena arena;
  return arena;
}

SecureArena::State& SecureArena::state() const {
  // Never destroyed: strings in static objects may be freed after main returns.
  static State* s = new State;
  return *s;
}

void* SecureArena::allocate(std::size_t n) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (n > kMaxBlock) {
    SecureBuffer b((n + 15) & ~std::size_t{15});
    void* p = b.data();
    s.large.emplace(p, std::move(b));
    ++s.in_use;
    return p;
  }
  const std::size_t c = class_of(n);
  const std::size_t size = kMinBlock << c;
  void* p = s.free_lists[c];
  if (p != nullptr) {
    s.free_lists[c] = *static_cast<void**>(p);
    *static_cast<void**>(p) = nullptr;
  } else {
    // Blocks are carved in order of request; a block of size S starts at a multiple of S
    // because the offset is rounded up to it (the skipped bytes are not reused).
    std::size_t at = (s.bump + size - 1) & ~(size - 1);
    if (at + size > kChunk) {
      s.chunks.emplace_back(kChunk);
      at = 0;
    }
    p = s.chunks.back().data() + at;
    s.bump = at + size;
  }
  ++s.in_use;
  return p;
}

void SecureArena::deallocate(void* p, std::size_t n) noexcept {
  if (p == nullptr) return;
  State& s = state();
  std::lock_guard lock(s.mutex);
  --s.in_use;
  if (n > kMaxBlock) {
    s.large.erase(p);  // sodium_free wipes it
    return;
  }
  const std::size_t c = class_of(n);
  sodium_memzero(p, kMinBlock << c);
  *static_cast<void**>(p) = s.free_lists[c];
  s.free_lists[c] = p;
}

bool SecureArena::trim() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (s.in_use != 0) return false;
  s.chunks.clear();
  s.free_lists.fill(nullptr);
  s.bump = kChunk;
  return true;
}

SecureArena::Stats SecureArena::stats() const {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return {s.chunks.size(), s.large.size(), s.in_use};
}

}  // namespace bc::crypto
