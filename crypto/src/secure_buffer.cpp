#include "backchannel/crypto/secure_buffer.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <cstdio>

namespace bc::crypto {

SecureBuffer::SecureBuffer(std::size_t capacity) : size_(capacity), capacity_(capacity) {
  // sodium_malloc needs the library initialised (page size, canary); sodium_init is idempotent.
  if (sodium_init() < 0) std::abort();
  // sodium_malloc(0) is legal but returns a pointer we must not touch; keep one byte.
  data_ = static_cast<std::uint8_t*>(sodium_malloc(capacity == 0 ? 1 : capacity));
  if (data_ == nullptr) {
    std::fputs("fatal: cannot allocate locked memory for a secret\n", stderr);
    std::abort();
  }
  sodium_memzero(data_, capacity == 0 ? 1 : capacity);
}

SecureBuffer SecureBuffer::copy_of(std::span<const std::uint8_t> bytes) {
  SecureBuffer b(bytes.size());
  if (!bytes.empty()) std::memcpy(b.data_, bytes.data(), bytes.size());
  return b;
}

SecureBuffer SecureBuffer::copy_of(std::string_view text) {
  return copy_of(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

SecureBuffer::~SecureBuffer() { release(); }

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
  other.data_ = nullptr;
  other.size_ = other.capacity_ = 0;
}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    release();
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = nullptr;
    other.size_ = other.capacity_ = 0;
  }
  return *this;
}

void SecureBuffer::release() {
  if (data_ != nullptr) sodium_free(data_);  // wipes before unmapping
  data_ = nullptr;
  size_ = capacity_ = 0;
}

void SecureBuffer::resize(std::size_t size) {
  if (size > capacity_) std::abort();
  if (size < size_) sodium_memzero(data_ + size, size_ - size);
  size_ = size;
}

bool SecureBuffer::push_back(std::uint8_t byte) {
  if (size_ >= capacity_) return false;
  data_[size_++] = byte;
  return true;
}

void SecureBuffer::clear() {
  if (data_ != nullptr) sodium_memzero(data_, capacity_ == 0 ? 1 : capacity_);
  size_ = 0;
}

SecureBuffer SecureBuffer::clone() const {
  SecureBuffer b(capacity_);
  if (capacity_ != 0) std::memcpy(b.data_, data_, capacity_);
  b.size_ = size_;
  return b;
}

bool equal_ct(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(void* p, std::size_t n) {
  if (p != nullptr && n != 0) sodium_memzero(p, n);
}

void wipe_stack(std::size_t n) { sodium_stackzero(n); }

}  // namespace bc::crypto
