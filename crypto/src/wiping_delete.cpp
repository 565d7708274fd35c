// Every C++ deallocation in a Backchannel program wipes the block before giving it back: the
// strings and containers that note text, names and decrypted records pass through (ours, the
// standard library's, nlohmann's parser scratch) leave nothing in freed heap for a core dump, a
// swap file or a later bug to find (docs/security.md, "Memory"). Operator new stays the
// library's (malloc); malloc_usable_size gives the whole block, whatever size the caller knew.
// Address and memory sanitizers bring their own allocator, which this must not bypass.
#include <malloc.h>
#include <sodium.h>

#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define BC_SANITIZER_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define BC_SANITIZER_ALLOCATOR 1
#endif

#ifndef BC_SANITIZER_ALLOCATOR

namespace {
void wipe_and_free(void* p) noexcept {
  if (p == nullptr) return;
  sodium_memzero(p, malloc_usable_size(p));
  std::free(p);
}
}  // namespace

void operator delete(void* p) noexcept { wipe_and_free(p); }
void operator delete[](void* p) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::size_t) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::size_t) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { wipe_and_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { wipe_and_free(p); }

#endif
