// Buffered input for the age decoder: line reading for the header and the armor, and large
// reads for STREAM chunks.
#include <algorithm>
#include <cassert>
#include <cstring>

#include "age_internal.h"

namespace bc::crypto::age::detail {

Result<std::size_t> FnSource::read(std::span<std::uint8_t> out) {
  Result<std::size_t> r = fn_(out);
  if (!r.ok()) return age_fail(FailureClass::system, "cannot read the input: " + r.error().message);
  // A reader claiming more than it was given room for is a bug in the caller; refusing is safer
  // than trusting the count.
  if (*r > out.size()) return age_fail(FailureClass::system, "the input reader returned an impossible length");
  return *r;
}

BufferedReader::BufferedReader(Source& src, std::size_t capacity) : src_(src), buf_(capacity) {}

Result<bool> BufferedReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) return true;
  Result<std::size_t> n = src_.read(std::span(buf_).subspan(end_));
  if (!n.ok()) return std::move(n.error());
  if (n.value() == 0) {
    eof_ = true;
    return false;
  }
  end_ += n.value();
  return true;
}

Result<std::span<const std::uint8_t>> BufferedReader::peek(std::size_t n) {
  assert(n <= buf_.size());
  while (end_ - pos_ < n) {
    Result<bool> more = fill();
    if (!more.ok()) return std::move(more.error());
    if (!more.value()) break;
  }
  return std::span<const std::uint8_t>(buf_.data() + pos_, std::min(n, end_ - pos_));
}

Result<LineView> BufferedReader::next_line(std::size_t max_len) {
  assert(max_len < buf_.size());
  std::size_t scanned = 0;
  while (true) {
    const std::size_t avail = end_ - pos_;
    const std::size_t limit = std::min(avail, max_len + 1);
    const void* nl = scanned < limit ? std::memchr(buf_.data() + pos_ + scanned, '\n', limit - scanned) : nullptr;
    if (nl != nullptr) {
      const std::size_t len = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nl) - (buf_.data() + pos_));
      LineView line{std::string_view(reinterpret_cast<const char*>(buf_.data() + pos_), len), true, false};
      pos_ += len + 1;
      return line;
    }
    scanned = limit;
    if (avail > max_len) return LineView{{}, false, true};
    Result<bool> more = fill();
    if (!more.ok()) return std::move(more.error());
    if (!more.value()) {
      LineView line{std::string_view(reinterpret_cast<const char*>(buf_.data() + pos_), end_ - pos_), false, false};
      pos_ = end_;
      return line;
    }
  }
}

Result<std::size_t> BufferedReader::read_full(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (pos_ < end_) {
      const std::size_t n = std::min(end_ - pos_, out.size() - done);
      std::memcpy(out.data() + done, buf_.data() + pos_, n);
      pos_ += n;
      done += n;
      continue;
    }
    if (eof_) break;
    // Large reads bypass the buffer: one copy less for every STREAM chunk.
    if (out.size() - done >= buf_.size()) {
      Result<std::size_t> n = src_.read(out.subspan(done));
      if (!n.ok()) return std::move(n.error());
      if (n.value() == 0) {
        eof_ = true;
        break;
      }
      done += n.value();
      continue;
    }
    Result<bool> more = fill();
    if (!more.ok()) return std::move(more.error());
    if (!more.value()) break;
  }
  return done;
}

}  // namespace bc::crypto::age::detail
