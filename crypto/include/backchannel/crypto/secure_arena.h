// SecureArena: locked, wiped memory for the many small buffers a reader of decrypted files makes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace bc::crypto {

/// One process-wide pool of locked memory (sodium_malloc'd chunks of 4 MiB, so a reader that
/// makes 100,000 strings needs a few mappings, not 100,000) for the parsed records of decrypted
/// files and the strings taken from them. Blocks come in power-of-two sizes from 16 bytes to
/// 1 MiB and are reused; a block is wiped the moment it is freed. Larger requests get their own
/// sodium_malloc. Thread-safe. Running out of locked memory aborts, as SecureBuffer does.
class SecureArena {
 public:
  static SecureArena& instance();
  /// `n` bytes aligned to 16.
  void* allocate(std::size_t n);
  /// Wipes the `n` bytes at `p` (given by allocate(n)) and keeps the block for reuse.
  void deallocate(void* p, std::size_t n) noexcept;
  /// When no block is in use, unmaps every chunk (sodium_free wipes it). Returns whether it did.
  bool trim();

  struct Stats {
    std::size_t chunks = 0;       ///< 4 MiB chunks mapped
    std::size_t large = 0;        ///< blocks over 1 MiB, each its own mapping
    std::size_t blocks_in_use = 0;
  };
  Stats stats() const;

 private:
  SecureArena() = default;
  struct State;
  State& state() const;
};

/// A standard allocator over SecureArena::instance(): for containers and strings that hold
/// decrypted text. Stateless, so every instance compares equal.
template <class T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() noexcept = default;
  template <class U>
  WipingAllocator(const WipingAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(SecureArena::instance().allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { SecureArena::instance().deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const WipingAllocator<U>&) const noexcept {
    return true;
  }
};

/// A string whose characters live in the arena: wiped when freed or reallocated.
using SecureString = std::basic_string<char, std::char_traits<char>, WipingAllocator<char>>;

}  // namespace bc::crypto
