// The age payload: ChaCha20-Poly1305 STREAM in 64 KiB chunks, nonce = 11-byte big-endian chunk
// counter || last-chunk flag. Both directions hold one chunk (plus one byte of look-ahead) at a
// time, so memory does not depend on the size of the file.
#include <sodium.h>

#include <cstring>

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

bool open_chunk(const SecureBuffer& key, std::uint64_t counter, bool last, std::span<const std::uint8_t> ct,
                SecureBuffer& pt) {
  if (ct.size() < kTagSize) return false;
  const Nonce nonce = chunk_nonce(counter, last);
  unsigned long long len = 0;
  return crypto_aead_chacha20poly1305_ietf_decrypt(pt.data(), &len, nullptr, ct.data(), ct.size(), nullptr, 0,
                                                   nonce.data(), key.data()) == 0;
}

AgeError payload_fail(std::string detail) { return age_fail(FailureClass::payload, std::move(detail)); }

std::string chunk_name(std::uint64_t counter) { return "chunk " + std::to_string(counter + 1); }

}  // namespace

SecureBuffer payload_key(const SecureBuffer& file_key, std::span<const std::uint8_t> nonce) {
  return hkdf_sha256(file_key.span(), nonce, bytes_of("payload"), kKeySize);
}

Status encrypt_payload(const SecureBuffer& key, const ReadFn& read, const WriteFn& write, const ProgressFn& progress) {
  // One chunk plus one byte: a chunk is the last one exactly when nothing follows it, which is
  // only known after trying to read past it.
  SecureBuffer plain(kChunkSize + 1);
  std::vector<std::uint8_t> sealed(kEncChunkSize);
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
    const bool last = have <= kChunkSize;
    const std::size_t len = last ? have : kChunkSize;
    const Nonce nonce = chunk_nonce(counter, last);
    unsigned long long sealed_len = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(sealed.data(), &sealed_len, plain.data(), len, nullptr, 0, nullptr,
                                              nonce.data(), key.data());
    BC_TRY(write(std::span<const std::uint8_t>(sealed.data(), static_cast<std::size_t>(sealed_len))));
    done += len;
    if (progress) progress(done);
    if (last) return {};
    std::memmove(plain.data(), plain.data() + kChunkSize, have - kChunkSize);
    have -= kChunkSize;
    ++counter;
  }
}

Outcome decrypt_payload(const SecureBuffer& key, BufferedReader& in, const WriteFn& write, const ProgressFn& progress) {
  // One sealed chunk plus one byte of look-ahead, for the same reason as above.
  std::vector<std::uint8_t> sealed(kEncChunkSize + 1);
  SecureBuffer plain(kChunkSize);
  std::size_t have = 0;
  std::uint64_t counter = 0, done = 0;

  auto release = [&](std::size_t len) -> Outcome {
    Status st = write(std::span<const std::uint8_t>(plain.data(), len));
    if (!st.ok()) return age_fail(FailureClass::system, "cannot write the output: " + st.error().message);
    done += len;
    if (progress) progress(done);
    return std::nullopt;
  };

  while (true) {
    Expected<std::size_t> n = in.read_full(std::span(sealed).subspan(have));
    if (!n.ok()) return std::move(n.error());
    have += n.value();
    if (have == 0) {
      return payload_fail(counter == 0 ? "the payload has no chunks"
                                       : "the file is truncated: it ends without a final chunk");
    }
    const bool at_end = have <= kEncChunkSize;
    const std::span<const std::uint8_t> chunk(sealed.data(), at_end ? have : kEncChunkSize);

    if (at_end) {
      // The specification allows an empty final chunk only as the single chunk of an empty
      // file, so that every payload has exactly one encoding.
      if (chunk.size() == kTagSize && counter != 0) return payload_fail("the final chunk is empty");
      if (open_chunk(key, counter, true, chunk, plain)) return release(chunk.size() - kTagSize);
      // A full chunk that opens as a non-final one is genuine: release it, then report that
      // the chunks after it are missing.
      if (chunk.size() == kEncChunkSize && open_chunk(key, counter, false, chunk, plain)) {
        if (Outcome o = release(kChunkSize)) return o;
        return payload_fail("the file is truncated after " + chunk_name(counter));
      }
      return payload_fail(chunk_name(counter) + " does not authenticate (the file is truncated or modified)");
    }

    if (open_chunk(key, counter, false, chunk, plain)) {
      if (Outcome o = release(kChunkSize)) return o;
      sealed[0] = sealed[kEncChunkSize];
      have = 1;
      ++counter;
      continue;
    }
    // A full-size final chunk followed by more data: the chunk is genuine, the rest is not.
    if (open_chunk(key, counter, true, chunk, plain)) {
      if (Outcome o = release(kChunkSize)) return o;
      return payload_fail("there is data after the final chunk");
    }
    return payload_fail(chunk_name(counter) + " does not authenticate (the file is truncated or modified)");
  }
}

}  // namespace bc::crypto::age::detail
