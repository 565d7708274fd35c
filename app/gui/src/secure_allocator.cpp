#include "backchannel/gui/secure_allocator.h"

#include <imgui.h>

#include <cstddef>
#include <cstdlib>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::gui {

namespace {

// Each block starts with its size, so that free can wipe it.
constexpr std::size_t kHeader = alignof(std::max_align_t);

void* wiping_alloc(std::size_t size, void*) {
  auto* p = static_cast<unsigned char*>(std::malloc(size + kHeader));
  if (p == nullptr) return nullptr;
  *reinterpret_cast<std::size_t*>(p) = size;
  return p + kHeader;
}

void wiping_free(void* ptr, void*) {
  if (ptr == nullptr) return;
  auto* p = static_cast<unsigned char*>(ptr) - kHeader;
  crypto::wipe(ptr, *reinterpret_cast<std::size_t*>(p));
  std::free(p);
}

}  // namespace

void install_wiping_imgui_allocator() { ImGui::SetAllocatorFunctions(wiping_alloc, wiping_free, nullptr); }

}  // namespace bc::gui
