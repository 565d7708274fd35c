// Fuzz target: the age STREAM payload. Every input is a small program that builds a payload
// behind a fixed valid header (the CCTV kit's "x25519" file, whose file key the kit publishes):
// genuine chunks sealed here with libsodium (final or not, short or full, in or out of order,
// damaged or cut), raw bytes, or the rest of the input verbatim. The result of decrypt() is
// compared with a model of the specification built on libsodium alone: success exactly when
// the payload is valid, and the plaintext released is exactly the chunks that verified before
// the first problem - never a byte of a chunk that does not verify.
#include <sodium.h>

#include <array>
#include <optional>
#include <string>

#include "backchannel/crypto/hmac.h"
#include "fuzz_support.h"

namespace {

using namespace bc;

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kTag = crypto_aead_chacha20poly1305_ietf_ABYTES;
constexpr std::size_t kSealed = kChunk + kTag;
constexpr std::size_t kMaxPayload = 4 * kSealed + 512;

// The kit's "x25519" file up to its payload: header, MAC line, 16-byte payload nonce.
constexpr std::string_view kHeader =
    "age-encryption.org/v1\n"
    "-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n"
    "hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE\n"
    "--- WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg\n";
constexpr std::array<std::uint8_t, 16> kNonce = {0xee, 0xcf, 0x62, 0xc7, 0xce, 0x91, 0xb4, 0x33,
                                                 0x27, 0x4e, 0x68, 0xd4, 0xf2, 0xf9, 0x13, 0x4c};
constexpr std::string_view kFileKey = "YELLOW SUBMARINE";  // the kit's file key, 59454c4c...

using Nonce = std::array<std::uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES>;

Nonce chunk_nonce(std::uint64_t counter, bool last) {
  Nonce n{};
  for (int i = 0; i < 8; ++i) n[static_cast<std::size_t>(10 - i)] = static_cast<std::uint8_t>(counter >> (8 * i));
  n[11] = last ? 1 : 0;
  return n;
}

const crypto::SecureBuffer& payload_key() {
  static const crypto::SecureBuffer key =
      crypto::hkdf_sha256(crypto::bytes_of(kFileKey), kNonce, crypto::bytes_of("payload"), 32);
  return key;
}

std::vector<std::uint8_t> seal(std::span<const std::uint8_t> plain, std::uint64_t counter, bool last) {
  std::vector<std::uint8_t> out(plain.size() + kTag);
  unsigned long long len = 0;
  const Nonce n = chunk_nonce(counter, last);
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &len, plain.data(), plain.size(), nullptr, 0, nullptr, n.data(),
                                            payload_key().data());
  return out;
}

std::optional<std::vector<std::uint8_t>> open(std::span<const std::uint8_t> sealed, std::uint64_t counter, bool last) {
  if (sealed.size() < kTag) return std::nullopt;
  std::vector<std::uint8_t> out(sealed.size() - kTag);
  unsigned long long len = 0;
  const Nonce n = chunk_nonce(counter, last);
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &len, nullptr, sealed.data(), sealed.size(), nullptr, 0,
                                                n.data(), payload_key().data()) != 0)
    return std::nullopt;
  return out;
}

// Reads the input as a program that writes a payload.
class Builder {
 public:
  Builder(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}

  std::vector<std::uint8_t> build() {
    while (p_ < end_ && out_.size() < kMaxPayload) {
      const std::uint8_t op = byte();
      switch (op % 4) {
        case 0:
        case 1: sealed_chunk(op); break;
        case 2: {
          const std::size_t n = byte();
          append(take(n));
          break;
        }
        default:
          append(take(static_cast<std::size_t>(end_ - p_)));
          break;
      }
    }
    if (out_.size() > kMaxPayload) out_.resize(kMaxPayload);
    return std::move(out_);
  }

 private:
  std::uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  std::span<const std::uint8_t> take(std::size_t n) {
    n = std::min(n, static_cast<std::size_t>(end_ - p_));
    std::span<const std::uint8_t> s(p_, n);
    p_ += n;
    return s;
  }
  void append(std::span<const std::uint8_t> s) { out_.insert(out_.end(), s.begin(), s.end()); }

  // op bit 0: cut the sealed chunk short; 2: final flag; 3: full 64 KiB of one filler byte;
  // 4: skip a counter value; 5: flip one bit.
  void sealed_chunk(std::uint8_t op) {
    const bool cut = (op & 1) != 0, last = (op & 4) != 0, full = (op & 8) != 0, skip = (op & 16) != 0,
               flip = (op & 32) != 0;
    std::vector<std::uint8_t> plain;
    if (full) {
      plain.assign(kChunk, byte());
    } else {
      const auto s = take(byte());
      plain.assign(s.begin(), s.end());
    }
    if (skip) ++counter_;
    std::vector<std::uint8_t> sealed = seal(plain, counter_++, last);
    if (flip) {
      const std::size_t at = (std::size_t{byte()} * 257 + byte()) % sealed.size();
      sealed[at] ^= static_cast<std::uint8_t>(1u << (byte() % 8));
    }
    if (cut) sealed.resize(sealed.size() - std::min<std::size_t>(sealed.size(), 1 + byte()));
    append(sealed);
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  std::vector<std::uint8_t> out_;
  std::uint64_t counter_ = 0;
};

// The specification's reading of a payload: what must be released, and whether it is valid.
struct Expected {
  bool valid = false;
  std::vector<std::uint8_t> released;
};

Expected model(const std::vector<std::uint8_t>& payload) {
  Expected e;
  const std::size_t n = payload.empty() ? 0 : (payload.size() + kSealed - 1) / kSealed;
  for (std::size_t i = 0; i < n; ++i) {
    const std::span<const std::uint8_t> piece =
        std::span(payload).subspan(i * kSealed, std::min(kSealed, payload.size() - i * kSealed));
    const bool at_end = i + 1 == n;
    auto release = [&](const std::vector<std::uint8_t>& p) { e.released.insert(e.released.end(), p.begin(), p.end()); };
    if (!at_end) {
      if (auto p = open(piece, i, false)) {
        release(*p);
        continue;
      }
      if (auto p = open(piece, i, true)) release(*p);  // a final chunk with data after it
      return e;
    }
    if (piece.size() == kTag && i != 0) return e;  // an empty final chunk after other chunks
    if (auto p = open(piece, i, true)) {
      release(*p);
      e.valid = true;
      return e;
    }
    if (piece.size() == kSealed)
      if (auto p = open(piece, i, false)) release(*p);  // genuine, but the file is cut after it
    return e;
  }
  return e;  // no chunks at all
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<crypto::age::Identity> ids = [] {
    std::vector<crypto::age::Identity> v;
    auto x = crypto::age::X25519Identity::parse(fuzz::kKitIdentity);
    BC_FUZZ_CHECK(x.ok(), "the kit identity does not parse");
    v.emplace_back(std::move(*x));
    return v;
  }();
  const std::vector<std::uint8_t> payload = Builder(data, size).build();
  std::vector<std::uint8_t> file(kHeader.begin(), kHeader.end());
  file.insert(file.end(), kNonce.begin(), kNonce.end());
  file.insert(file.end(), payload.begin(), payload.end());

  std::vector<std::uint8_t> released;
  const crypto::age::WriteFn write = [&](std::span<const std::uint8_t> b) -> Status {
    released.insert(released.end(), b.begin(), b.end());
    return {};
  };
  const std::size_t piece = size % 2 == 0 ? file.size() : 1 + size % 9973;
  const Status st = crypto::age::decrypt(ids, fuzz::reader_of(file, piece), write);
  const Expected want = model(payload);
  if (!st) BC_FUZZ_CHECK(crypto::age::failure_class(st.error()) == crypto::age::FailureClass::payload, st.error().message);
  BC_FUZZ_CHECK(st.ok() == want.valid,
                !st ? "a valid payload was refused: " + st.error().message : "an invalid payload was accepted");
  BC_FUZZ_CHECK(released == want.released,
                "released " + std::to_string(released.size()) + " bytes, the verified chunks before the first problem hold " +
                    std::to_string(want.released.size()));
  return 0;
}
