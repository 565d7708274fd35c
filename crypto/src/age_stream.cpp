// The age payload: ChaCha20-Poly1305 STREAM in 64 KiB chunks, nonce = 11-byte big-endian chunk
// counter || last-chunk flag. Encryption holds a ring of three 16-chunk batches, decryption one
// batch plus one byte of look-ahead, so memory does not depend on the size of the file.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
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

Error payload_fail(std::string detail) { return age_fail(FailureClass::payload, std::move(detail)); }

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

// Encryption is a pipeline, so that reading the input and writing the output overlap with
// sealing: the calling thread reads batches into a ring of kSlots slots and writes sealed batches
// out in order, while a team of worker threads seals chunks as they arrive. A chunk is the last
// one exactly when nothing follows it, which is only known once the next read returns nothing:
// the final chunk of a full batch waits for that read, every other chunk is sealed at once.
// Memory stays bounded by the ring (3 MiB of plaintext, 3 MiB of ciphertext).
namespace {

constexpr std::size_t kSlots = 3;
constexpr std::size_t kBatchBytes = kBatch * kChunkSize;

struct SealJob {
  std::uint64_t batch;  // the batch's index in the file; its slot is batch % kSlots
  std::size_t index;    // the chunk's index in the batch
  bool last;            // the final chunk of the file
};

// ChaCha20 passes a chunk's last partial 64-byte block (and the keystream) through a buffer on
// the stack of the thread that runs it; sodium_stackzero wipes that much stack below the caller
// after each chunk, so no plaintext stays on a worker's stack (a thread's stack outlives it in
// glibc's cache).
constexpr std::size_t kCipherStack = 8192;

class SealTeam {
 public:
  SealTeam(const SecureBuffer& key, const SecureBuffer& plain, std::vector<std::uint8_t>& sealed)
      : key_(key), plain_(plain), sealed_(sealed) {
    const unsigned n = worker_count();
    for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
  }
  SealTeam(const SealTeam&) = delete;
  SealTeam& operator=(const SealTeam&) = delete;
  ~SealTeam() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    jobs_ready_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // A newly read batch of `bytes` plaintext bytes in slot `batch % kSlots`, of which `chunks`
  // chunks will be submitted.
  void begin_batch(std::uint64_t batch, std::size_t bytes, std::size_t chunks) {
    std::lock_guard lock(mutex_);
    Slot& s = slots_[batch % kSlots];
    s.bytes = bytes;
    s.chunks = chunks;
    s.pending = chunks;
  }
  // One lock and one wake-up per batch rather than per chunk: waking a worker is a system call.
  void submit(std::span<const SealJob> jobs) {
    if (jobs.empty()) return;
    {
      std::lock_guard lock(mutex_);
      jobs_.insert(jobs_.end(), jobs.begin(), jobs.end());
    }
    if (jobs.size() == 1) {
      jobs_ready_.notify_one();
    } else {
      jobs_ready_.notify_all();
    }
  }
  // Waits until every chunk of the batch is sealed; returns the sealed length of each.
  std::array<std::size_t, kBatch> wait_sealed(std::uint64_t batch, std::size_t& chunks) {
    std::unique_lock lock(mutex_);
    Slot& s = slots_[batch % kSlots];
    batch_done_.wait(lock, [&] { return s.pending == 0; });
    chunks = s.chunks;
    return s.sealed_len;
  }

 private:
  struct Slot {
    std::size_t bytes = 0, chunks = 0, pending = 0;
    std::array<std::size_t, kBatch> sealed_len{};
  };

  void work() {
    while (true) {
      SealJob job{};
      std::size_t bytes = 0;
      {
        std::unique_lock lock(mutex_);
        jobs_ready_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
        if (stop_) return;
        job = jobs_.front();
        jobs_.pop_front();
        bytes = slots_[job.batch % kSlots].bytes;
      }
      const std::size_t slot = job.batch % kSlots;
      const std::size_t offset = job.index * kChunkSize;
      const std::size_t len = std::min(kChunkSize, bytes - offset);
      const Nonce nonce = chunk_nonce(job.batch * kBatch + job.index, job.last);
      unsigned long long out_len = 0;
      crypto_aead_chacha20poly1305_ietf_encrypt(sealed_.data() + (slot * kBatch + job.index) * kEncChunkSize, &out_len,
                                                plain_.data() + slot * kBatchBytes + offset, len, nullptr, 0, nullptr,
                                                nonce.data(), key_.data());
      sodium_stackzero(kCipherStack);
      bool batch_complete = false;
      {
        std::lock_guard lock(mutex_);
        Slot& s = slots_[slot];
        s.sealed_len[job.index] = static_cast<std::size_t>(out_len);
        batch_complete = --s.pending == 0;
      }
      if (batch_complete) batch_done_.notify_all();
    }
  }

  const SecureBuffer& key_;
  const SecureBuffer& plain_;
  std::vector<std::uint8_t>& sealed_;
  std::mutex mutex_;
  std::condition_variable jobs_ready_, batch_done_;
  std::deque<SealJob> jobs_;
  std::array<Slot, kSlots> slots_{};
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

Status encrypt_payload(const SecureBuffer& key, const ReadFn& read, const WriteFn& write, const ProgressFn& progress) {
  SecureBuffer plain(kSlots * kBatchBytes);
  std::vector<std::uint8_t> sealed(kSlots * kBatch * kEncChunkSize);
  // Declared after the buffers, so that the workers stop before the buffers go away, also on
  // an early return.
  SealTeam team(key, plain, sealed);
  std::uint64_t next_read = 0, next_write = 0, done = 0;
  bool reading = true;
  std::optional<SealJob> held;  // the final chunk of the newest full batch, until we know more
  while (true) {
    if (reading && next_read - next_write < kSlots) {
      const std::span<std::uint8_t> into = plain.span().subspan((next_read % kSlots) * kBatchBytes, kBatchBytes);
      std::size_t have = 0;
      bool eof = false;
      while (!eof && have < kBatchBytes) {
        BC_ASSIGN(std::size_t n, read(into.subspan(have)));
        if (n > kBatchBytes - have) return fail(ErrorCode::internal, "the input reader returned an impossible length");
        if (n == 0) eof = true;
        have += n;
      }
      std::vector<SealJob> jobs;
      if (held) {
        // Its fate is known now: final when nothing followed it.
        held->last = have == 0;
        jobs.push_back(*held);
        held.reset();
      }
      if (have == 0) {
        reading = false;
        if (next_read == 0) {
          // An empty file is one empty final chunk.
          team.begin_batch(0, 0, 1);
          jobs.push_back({0, 0, true});
          next_read = 1;
        }
        team.submit(jobs);
        continue;
      }
      const std::size_t chunks = (have + kChunkSize - 1) / kChunkSize;
      team.begin_batch(next_read, have, chunks);
      for (std::size_t i = 0; i + 1 < chunks; ++i) jobs.push_back({next_read, i, false});
      if (have == kBatchBytes) {
        held = SealJob{next_read, chunks - 1, false};
      } else {
        jobs.push_back({next_read, chunks - 1, true});  // a short batch ends the file
        reading = false;
      }
      team.submit(jobs);
      ++next_read;
      continue;
    }
    if (next_write == next_read) return {};
    std::size_t chunks = 0;
    const std::array<std::size_t, kBatch> lens = team.wait_sealed(next_write, chunks);
    const std::size_t slot = next_write % kSlots;
    for (std::size_t i = 0; i < chunks; ++i) {
      BC_TRY(write(std::span<const std::uint8_t>(sealed.data() + (slot * kBatch + i) * kEncChunkSize, lens[i])));
      done += lens[i] - kTagSize;
      if (progress) progress(done);
    }
    ++next_write;
  }
}

Status decrypt_payload(const SecureBuffer& key, BufferedReader& in, const WriteFn& write, const ProgressFn& progress) {
  // A batch of sealed chunks plus one byte of look-ahead, for the same reason as above.
  std::vector<std::uint8_t> sealed(kBatch * kEncChunkSize + 1);
  SecureBuffer plain(kBatch * kChunkSize);
  std::size_t have = 0;
  std::uint64_t counter = 0, done = 0;

  auto release = [&](std::size_t index, std::size_t len) -> Status {
    Status st = write(std::span<const std::uint8_t>(plain.data() + index * kChunkSize, len));
    if (!st.ok()) return age_fail(FailureClass::system, "cannot write the output: " + st.error().message);
    done += len;
    if (progress) progress(done);
    return {};
  };
  auto open_at = [&](std::size_t index, bool last, std::span<const std::uint8_t> ct) {
    if (ct.size() < kTagSize) return false;
    const Nonce nonce = chunk_nonce(counter + index, last);
    unsigned long long len = 0;
    const bool ok = crypto_aead_chacha20poly1305_ietf_decrypt(plain.data() + index * kChunkSize, &len, nullptr, ct.data(),
                                                              ct.size(), nullptr, 0, nonce.data(), key.data()) == 0;
    sodium_stackzero(kCipherStack);
    return ok;
  };

  while (true) {
    Result<std::size_t> n = in.read_full(std::span(sealed).subspan(have));
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
        if (Status o = release(i, kChunkSize); !o.ok()) return o;
        continue;
      }
      // A full-size final chunk followed by more data: the chunk is genuine, the rest is not.
      if (open_at(i, true, chunk)) {
        if (Status o = release(i, kChunkSize); !o.ok()) return o;
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
      if (Status o = release(i, kChunkSize); !o.ok()) return o;
      return payload_fail("the file is truncated after " + chunk_name(counter + i));
    }
    return payload_fail(chunk_name(counter + i) + " does not authenticate (the file is truncated or modified)");
  }
}

}  // namespace bc::crypto::age::detail
