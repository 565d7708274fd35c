// The age payload: ChaCha20-Poly1305 STREAM in 64 KiB chunks, nonce = 11-byte big-endian chunk
// counter || last-chunk flag. Both directions hold one batch of 16 chunks (plus one byte of
// look-ahead) at a time, so memory does not depend on the size of the file.
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "age_internal.h"
#include "backchannel/crypto/hmac.h"

namespace bc::crypto::age::detail {

namespace {

using Nonce = std::array<std::uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES>;

Nonce chunk_nonce(std::uint64_t counter, bool last) {
  // The counter is 88 bits; 64 are more than any file can use (2^64 chunks of 64 KiB).
  Nonce n{};
  for (int i = 0; i < 8; ++i) n[10 - i] = static_cast<std::uint8_t>(counter >> (8 * i));
  n[11] = last ? 1 : 0;
  return n;
}

AgeError payload_fail(std::string detail) { return age_fail(FailureClass::payload, std::move(detail)); }

std::string chunk_name(std::uint64_t counter) { return "chunk " + std::to_string(counter + 1); }

}  // namespace

SecureBuffer payload_key(const SecureBuffer& file_key, std::span<const std::uint8_t> nonce) {
  return hkdf_sha256(file_key.span(), nonce, bytes_of("payload"), kKeySize);
}

namespace {

// Chunks are independent (each has its own nonce), so a batch of them is sealed or opened on
// several cores at once; memory stays bounded by the batch size (16 chunks, 1 MiB).
constexpr std::size_t kBatch = 16;

unsigned worker_count() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : std::min(hw, 4u);
}

// Runs fn(i) for i in [0, n) on up to worker_count() threads.
template <class Fn>
void parallel_for(std::size_t n, const Fn& fn) {
  const std::size_t workers = std::min<std::size_t>(worker_count(), n);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w)
    threads.emplace_back([&, w] {
      for (std::size_t i = w; i < n; i += workers) fn(i);
    });
  for (std::size_t i = 0; i < n; i += workers) fn(i);
  for (auto& t : threads) t.join();
}

}  // namespace

Status encrypt_payload(const SecureBuffer& key, const ReadFn& read, const WriteFn& write, const ProgressFn& progress) {
  // A batch of chunks plus one byte: a chunk is the last one exactly when nothing follows it,
  // which is only known after trying to read past it.
  SecureBuffer plain(kBatch * kChunkSize + 1);
  std::vector<std::uint8_t> sealed(kBatch * kEncChunkSize);
  std::size_t have = 0;
  bool eof = false;
  std::uint64_t counter = 0, done = 0;
  while (true) {
    while (!eof && have < plain.size()) {
      BC_ASSIGN(std::size_t n, read(plain.span().subspan(have)));
      if (n > plain.size() - have) return fail(ErrorCode::internal, "the input reader returned an impossible length");
      if (n == 0) eof = true;
      have += n;
    }
    // Without EOF the batch is full and one byte follows it; with EOF the batch ends the file
    // (an empty file is one empty final chunk).
    const bool ends = eof && have <= kBatch * kChunkSize;
    const std::size_t chunks = ends ? std::max<std::size_t>(1, (have + kChunkSize - 1) / kChunkSize) : kBatch;
    std::vector<std::size_t> sealed_len(chunks);
    parallel_for(chunks, [&](std::size_t i) {
      const bool last = ends && i + 1 == chunks;
      const std::size_t len = last ? have - i * kChunkSize : kChunkSize;
      const Nonce nonce = chunk_nonce(counter + i, last);
      unsigned long long out_len = 0;
      crypto_aead_chacha20poly1305_ietf_encrypt(sealed.data() + i * kEncChunkSize, &out_len, plain.data() + i * kChunkSize,
                                                len, nullptr, 0, nullptr, nonce.data(), key.data());
      sealed_len[i] = static_cast<std::size_t>(out_len);
    });
    for (std::size_t i = 0; i < chunks; ++i) {
      BC_TRY(write(std::span<const std::uint8_t>(sealed.data() + i * kEncChunkSize, sealed_len[i])));
      done += sealed_len[i] - kTagSize;
      if (progress) progress(done);
    }
    if (ends) return {};
    std::memmove(plain.data(), plain.data() + kBatch * kChunkSize, have - kBatch * kChunkSize);
    have -= kBatch * kChunkSize;
    counter += kBatch;
  }
}

Outcome decrypt_payload(const SecureBuffer& key, BufferedReader& in, const WriteFn& write, const ProgressFn& progress) {
  // A batch of sealed chunks plus one byte of look-ahead, for the same reason as above.
  std::vector<std::uint8_t> sealed(kBatch * kEncChunkSize + 1);
  SecureBuffer plain(kBatch * kChunkSize);
  std::size_t have = 0;
  std::uint64_t counter = 0, done = 0;

  auto release = [&](std::size_t index, std::size_t len) -> Outcome {
    Status st = write(std::span<const std::uint8_t>(plain.data() + index * kChunkSize, len));
    if (!st.ok()) return age_fail(FailureClass::system, "cannot write the output: " + st.error().message);
    done += len;
    if (progress) progress(done);
    return std::nullopt;
  };
  auto open_at = [&](std::size_t index, bool last, std::span<const std::uint8_t> ct) {
    if (ct.size() < kTagSize) return false;
    const Nonce nonce = chunk_nonce(counter + index, last);
    unsigned long long len = 0;
    return crypto_aead_chacha20poly1305_ietf_decrypt(plain.data() + index * kChunkSize, &len, nullptr, ct.data(),
                                                     ct.size(), nullptr, 0, nonce.data(), key.data()) == 0;
  };

  while (true) {
    Expected<std::size_t> n = in.read_full(std::span(sealed).subspan(have));
    if (!n.ok()) return std::move(n.error());
    have += n.value();
    if (have == 0) {
      return payload_fail(counter == 0 ? "the payload has no chunks"
                                       : "the file is truncated: it ends without a final chunk");
    }
    const bool at_end = have <= kBatch * kEncChunkSize;
    const std::size_t chunks = at_end ? (have + kEncChunkSize - 1) / kEncChunkSize : kBatch;
    // Every chunk but the one that ends the data is a full middle chunk: open those at once,
    // then release them in order, stopping at the first that fails.
    const std::size_t middle = at_end ? chunks - 1 : chunks;
    std::vector<char> opened(middle, 0);
    parallel_for(middle, [&](std::size_t i) {
      opened[i] = open_at(i, false, std::span<const std::uint8_t>(sealed.data() + i * kEncChunkSize, kEncChunkSize)) ? 1 : 0;
    });
    for (std::size_t i = 0; i < middle; ++i) {
      const std::span<const std::uint8_t> chunk(sealed.data() + i * kEncChunkSize, kEncChunkSize);
      if (opened[i]) {
        if (Outcome o = release(i, kChunkSize)) return o;
        continue;
      }
      // A full-size final chunk followed by more data: the chunk is genuine, the rest is not.
      if (open_at(i, true, chunk)) {
        if (Outcome o = release(i, kChunkSize)) return o;
        return payload_fail("there is data after the final chunk");
      }
      return payload_fail(chunk_name(counter + i) + " does not authenticate (the file is truncated or modified)");
    }
    if (!at_end) {
      sealed[0] = sealed[kBatch * kEncChunkSize];
      have = 1;
      counter += kBatch;
      continue;
    }
    const std::size_t i = chunks - 1;
    const std::span<const std::uint8_t> chunk(sealed.data() + i * kEncChunkSize, have - i * kEncChunkSize);
    // The specification allows an empty final chunk only as the single chunk of an empty
    // file, so that every payload has exactly one encoding.
    if (chunk.size() == kTagSize && counter + i != 0) return payload_fail("the final chunk is empty");
    if (open_at(i, true, chunk)) return release(i, chunk.size() - kTagSize);
    // A full chunk that opens as a non-final one is genuine: release it, then report that the
    // chunks after it are missing.
    if (chunk.size() == kEncChunkSize && open_at(i, false, chunk)) {
      if (Outcome o = release(i, kChunkSize)) return o;
      return payload_fail("the file is truncated after " + chunk_name(counter + i));
    }
    return payload_fail(chunk_name(counter + i) + " does not authenticate (the file is truncated or modified)");
  }
}

}  // namespace bc::crypto::age::detail
