// SecureBuffer: the only place a secret lives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace bc::crypto {

/// A fixed-capacity, move-only block of memory from sodium_malloc: locked against swapping,
/// surrounded by guard pages, and wiped by sodium_free when destroyed. It also keeps a logical
/// size (<= capacity) so that a passphrase read byte by byte can live in it.
/// Allocation failure (for example RLIMIT_MEMLOCK exhausted) aborts: running on with a secret in
/// ordinary memory would be worse.
class SecureBuffer {
 public:
  SecureBuffer() = default;
  /// Allocates `capacity` bytes, zeroed; size() == capacity.
  explicit SecureBuffer(std::size_t capacity);
  /// Copies `bytes` into a new buffer.
  static SecureBuffer copy_of(std::span<const std::uint8_t> bytes);
  /// Copies the characters of `text` (which the caller then wipes) into a new buffer.
  static SecureBuffer copy_of(std::string_view text);
  ~SecureBuffer();

  SecureBuffer(SecureBuffer&& other) noexcept;
  SecureBuffer& operator=(SecureBuffer&& other) noexcept;
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::span<std::uint8_t> span() { return {data_, size_}; }
  std::span<const std::uint8_t> span() const { return {data_, size_}; }
  /// The bytes viewed as characters (for passphrases handed to a KDF). Never copy it into a
  /// std::string.
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }

  /// Sets the logical size (<= capacity); bytes past it are wiped.
  void resize(std::size_t size);
  /// Appends one byte; returns false when the buffer is full.
  bool push_back(std::uint8_t byte);
  /// Wipes the contents and sets size() to 0; capacity stays.
  void clear();
  /// A new buffer with the same contents.
  SecureBuffer clone() const;

 private:
  void release();
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// Constant-time equality of two byte ranges of the same length (false when lengths differ;
/// the length itself is not secret).
bool equal_ct(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

/// Wipes memory the compiler may not optimise the write away from.
void wipe(void* p, std::size_t n);

/// Wipes `n` bytes of the calling thread's stack below the caller's frame: what the functions it
/// called (parsers, serializers, ciphers) left in their stack buffers.
void wipe_stack(std::size_t n);

/// Calls wipe_stack(n) when it goes out of scope: declared first in a function that handles
/// decrypted text, it wipes what every callee left on the stack.
class StackWipe {
 public:
  explicit StackWipe(std::size_t n = 64 * 1024) : n_(n) {}
  ~StackWipe() { wipe_stack(n_); }
  StackWipe(const StackWipe&) = delete;
  StackWipe& operator=(const StackWipe&) = delete;

 private:
  std::size_t n_;
};

}  // namespace bc::crypto
