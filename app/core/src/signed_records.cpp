#include "signed_records.h"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/signature_stream.h"

namespace bc::core {

namespace {
constexpr std::size_t kMaxLine = 64u << 20;  // one record; refuse longer lines before buffering them
}

Error age_error(const crypto::age::AgeError& e) {
  if (e.cls == crypto::age::FailureClass::system) return fail(ErrorCode::io, e.message());
  if (e.cls == crypto::age::FailureClass::no_match)
    return fail(ErrorCode::auth_failed, e.message() + " (the file is not encrypted to this vault, or the passphrase is wrong)");
  return fail(ErrorCode::integrity, e.message() + " (the file is damaged or was tampered with)");
}

namespace {

// A queue from one producing thread to one consuming thread, holding at most `max_items` items
// and, past the first, at most `max_bytes` of their declared size: the producer waits for room.
// close(): the producer is done; pop() hands out what is left, then nothing. abandon(): the
// consumer is gone; what waits is dropped and push() returns false from then on.
template <class T>
class BoundedQueue {
 public:
  BoundedQueue(std::size_t max_items, std::size_t max_bytes) : max_items_(max_items), max_bytes_(max_bytes) {}

  bool push(T item, std::size_t bytes = 0) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return items_.empty() || (items_.size() < max_items_ && bytes_ < max_bytes_) || abandoned_; });
    if (abandoned_) return false;
    items_.push_back({std::move(item), bytes});
    bytes_ += bytes;
    ready_.notify_one();
    return true;
  }
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    Entry e = std::move(items_.front());
    items_.pop_front();
    bytes_ -= e.bytes;
    space_.notify_one();
    return std::move(e.item);
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  void abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    items_.clear();
    bytes_ = 0;
    space_.notify_all();
  }

 private:
  struct Entry {
    T item;
    std::size_t bytes;
  };
  const std::size_t max_items_, max_bytes_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<Entry> items_;
  std::size_t bytes_ = 0;
  bool closed_ = false, abandoned_ = false;
};


}  // namespace

Status write_signed_stream(const std::vector<crypto::age::Recipient>& recipients, const crypto::Ed25519KeyPair& signer,
                           const NextLine& next, const crypto::age::WriteFn& out, bool armor,
                           const crypto::age::ProgressFn& progress) {
  crypto::StreamSignature signature;
  std::string pending;
  std::size_t pos = 0;
  bool finished = false;
  std::optional<Error> producer_error;
  // age pulls plaintext: refill from the producer as it is consumed.
  const crypto::age::ReadFn read = [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    std::size_t written = 0;
    while (written < buf.size()) {
      if (pos == pending.size()) {
        if (finished) break;
        pending.clear();
        pos = 0;
        auto line = next();
        if (!line) {
          producer_error = line.error();
          return std::move(line).error();
        }
        if (*line) {
          pending = std::move(**line);
          pending += '\n';
          signature.update({reinterpret_cast<const std::uint8_t*>(pending.data()), pending.size()});
        } else {
          const auto sig = signature.sign(signer.secret_key);
          pending = "{\"signature\":\"" + crypto::to_base64(sig) + "\"}\n";
          finished = true;
        }
      }
      const std::size_t n = std::min(buf.size() - written, pending.size() - pos);
      std::memcpy(buf.data() + written, pending.data() + pos, n);
      pos += n;
      written += n;
    }
    return written;
  };
  crypto::age::EncryptOptions opts;
  opts.armor = armor;
  opts.progress = progress;
  auto st = crypto::age::encrypt(recipients, read, out, opts);
  if (producer_error) return *producer_error;
  return st;
}

namespace {

// One record handed from the reading thread to the caller's: the header (with its signer), a
// record, or the end of the stream with how reading it ended.
struct StreamItem {
  enum class Kind { header, record, end } kind;
  nlohmann::json json;
  crypto::Ed25519Public signer{};
  Status end_status;
  std::any prepared;  // what SignedStreamHandlers::prepare made of the record, if anything
};

// Items pass in groups (one per decrypted piece, at most kGroupRecords records). Groups wait
// while fewer than kMaxGroups and fewer than kMaxQueuedBytes of record text are queued, so the
// reading thread stays a bounded distance ahead of the caller however large the records are
// (one group is always let through).
constexpr std::size_t kGroupRecords = 256;
constexpr std::size_t kMaxGroups = 8;
constexpr std::size_t kMaxQueuedBytes = 8u << 20;

using StreamQueue = BoundedQueue<std::vector<StreamItem>>;

// Decrypts, splits into lines, parses and checks the signature; hands every record on to `queue`
// and ends with an end item carrying the outcome. Runs on its own thread.
void read_records(const std::vector<crypto::age::Identity>& identities, const crypto::age::ReadFn& in,
                  const crypto::age::ProgressFn& progress, const SignedStreamHandlers& handlers, StreamQueue& queue) {
  crypto::StreamSignature signature;
  std::string buffer;
  bool have_header = false, have_signature = false;
  crypto::Ed25519Public signer{};
  std::size_t line_no = 0;
  std::optional<Error> failure;
  std::vector<StreamItem> group;
  std::size_t group_bytes = 0;

  auto handle_line = [&](std::string_view line) -> Status {
    ++line_no;
    group_bytes += line.size();
    if (have_signature) return fail(ErrorCode::integrity, "data follows the signature (the file was tampered with)");
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return fail(ErrorCode::bad_input, "record " + std::to_string(line_no) + " is not a JSON object");
    if (!have_header) {
      auto s = j.find("signer");
      if (s == j.end() || !s->is_string()) return fail(ErrorCode::bad_input, "the header names no signer");
      BC_ASSIGN(signer, parse_signing_key(s->get<std::string>()));
      have_header = true;
      signature.update({reinterpret_cast<const std::uint8_t*>(line.data()), line.size()});
      signature.update({reinterpret_cast<const std::uint8_t*>("\n"), 1});
      group.push_back({StreamItem::Kind::header, std::move(j), signer, {}, {}});
      return {};
    }
    if (j.size() == 1 && j.contains("signature")) {
      const auto& v = j["signature"];
      auto sig = v.is_string() ? crypto::from_base64(v.get<std::string>()) : Result<std::vector<std::uint8_t>>(
                                                                                 fail(ErrorCode::bad_input, "bad signature"));
      if (!sig || !signature.verify(signer, *sig))
        return fail(ErrorCode::auth_failed, "the signature does not verify: the file was altered after it was signed");
      have_signature = true;
      return {};
    }
    signature.update({reinterpret_cast<const std::uint8_t*>(line.data()), line.size()});
    signature.update({reinterpret_cast<const std::uint8_t*>("\n"), 1});
    StreamItem item{StreamItem::Kind::record, {}, {}, {}, {}};
    if (handlers.prepare) BC_TRY(handlers.prepare(j, line_no, item.prepared));
    if (!item.prepared.has_value()) item.json = std::move(j);
    group.push_back(std::move(item));
    return {};
  };
  auto send = [&]() -> Status {
    if (group.empty()) return {};
    if (!queue.push(std::move(group), group_bytes)) return fail(ErrorCode::io, "stopped");  // the caller failed; its error counts
    group.clear();
    group_bytes = 0;
    return {};
  };

  const crypto::age::WriteFn sink = [&](std::span<const std::uint8_t> data) -> Status {
    if (failure) return *failure;
    buffer.append(reinterpret_cast<const char*>(data.data()), data.size());
    std::size_t start = 0;
    while (true) {
      const auto nl = buffer.find('\n', start);
      if (nl == std::string::npos) break;
      auto st = handle_line(std::string_view(buffer).substr(start, nl - start));
      if (st && group.size() >= kGroupRecords) st = send();
      if (!st) {
        failure = st.error();
        return st;
      }
      start = nl + 1;
    }
    buffer.erase(0, start);
    if (buffer.size() > kMaxLine) {
      failure = fail(ErrorCode::bad_input, "a record is larger than 64 MiB");
      return *failure;
    }
    return send();
  };
  Status outcome;
  try {
    crypto::age::DecryptOptions opts;
    opts.progress = progress;
    auto err = crypto::age::decrypt(identities, in, sink, opts);
    if (failure) outcome = *failure;
    else if (err) outcome = age_error(*err);
    else if (!buffer.empty()) outcome = fail(ErrorCode::integrity, "the file ends in the middle of a record");
    else if (!have_header) outcome = fail(ErrorCode::bad_input, "the file is empty");
    else if (!have_signature) outcome = fail(ErrorCode::integrity, "the file has no signature (it was cut short or tampered with)");
  } catch (const std::bad_alloc&) {
    outcome = fail(ErrorCode::io, "out of memory while reading the file");
  } catch (const std::exception& e) {  // nothing may escape a thread
    outcome = fail(ErrorCode::internal, std::string("reading the file failed: ") + e.what());
  }
  // Records read before a failure still go first, as they would have been handled first.
  group.push_back({StreamItem::Kind::end, {}, {}, std::move(outcome), {}});
  (void)queue.push(std::move(group), group_bytes);
  queue.close();
}

}  // namespace

Status read_signed_stream(const std::vector<crypto::age::Identity>& identities, const crypto::age::ReadFn& in,
                          const SignedStreamHandlers& handlers, const crypto::age::ProgressFn& progress) {
  // Reading (decrypting, parsing, hashing) runs on a thread of its own, a bounded distance ahead;
  // the handlers run here, on the calling thread, in order: they write to the vault, whose
  // connection belongs to this thread.
  StreamQueue queue(kMaxGroups, kMaxQueuedBytes);
  std::thread reader([&] { read_records(identities, in, progress, handlers, queue); });
  auto handle_all = [&]() -> Status {
    while (true) {
      std::optional<std::vector<StreamItem>> group = queue.pop();
      if (!group) return fail(ErrorCode::internal, "the reading thread ended without saying how");
      for (auto& item : *group) {
        if (item.kind == StreamItem::Kind::end) return std::move(item.end_status);
        if (item.kind == StreamItem::Kind::header) BC_TRY(handlers.on_header(item.json, item.signer));
        else if (item.prepared.has_value()) BC_TRY(handlers.on_prepared(item.prepared));
        else BC_TRY(handlers.on_record(item.json));
      }
    }
  };
  Status result;
  try {
    result = handle_all();
  } catch (...) {
    queue.abandon();
    reader.join();
    throw;
  }
  queue.abandon();  // a reader still going stops at its next piece
  reader.join();
  return result;
}

}  // namespace bc::core
