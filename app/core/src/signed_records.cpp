#include "signed_records.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <variant>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/signature_stream.h"

namespace bc::core {

namespace {
constexpr std::size_t kMaxLine = 64u << 20;  // one record; refuse longer lines before buffering them
}

Error age_error(Error e) {
  switch (crypto::age::failure_class(e)) {
    case crypto::age::FailureClass::system: break;
    case crypto::age::FailureClass::no_match:
      e.message += " (the file is not encrypted to this vault, or the passphrase is wrong)";
      break;
    default: e.message += " (the file is damaged or was tampered with)";
  }
  return e;
}

nlohmann::json recipients_field(const std::vector<crypto::age::Recipient>& recipients) {
  auto out = nlohmann::json::array();
  for (const auto& r : recipients) {
    if (const auto* x = std::get_if<crypto::age::X25519Recipient>(&r)) out.push_back(x->to_string());
    else out.push_back("passphrase");
  }
  return out;
}

Result<Addressee> addressee(const SecureJson& header, const std::vector<std::string>& own_recipients,
                            bool opened_with_passphrase) {
  auto it = header.find("recipients");
  if (it == header.end()) return Addressee::unnamed;
  const auto malformed = [] { return fail(ErrorCode::integrity, "the header's recipients are not valid"); };
  if (!it->is_array() || it->empty() || it->size() > 1000) return malformed();
  bool names_us = false, passphrase = false;
  for (const auto& r : *it) {
    if (!r.is_string()) return malformed();
    const auto& text = r.get_ref<const crypto::SecureString&>();
    if (text == "passphrase") {
      passphrase = true;
      continue;
    }
    if (!crypto::age::X25519Recipient::parse(std::string(text))) return malformed();
    for (const auto& own : own_recipients) names_us = names_us || std::string_view(text) == own;
  }
  // age allows a passphrase only as the only recipient.
  if (passphrase && it->size() != 1) return malformed();
  if (names_us || (passphrase && opened_with_passphrase)) return Addressee::this_vault;
  return Addressee::another;
}

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

// The decrypted plaintext, held in one growing locked and wiped allocation (not one per line:
// each sodium_malloc is its own mapping with guard pages). Doubling keeps copies linear.
class PlaintextSpool {
 public:
  Status append(std::span<const std::uint8_t> data) {
    if (data.size() > kMaxPlaintext - buffer_.size())
      return fail(ErrorCode::bad_input, "the file is larger than Backchannel reads (4 GiB of plaintext)");
    if (buffer_.size() + data.size() > buffer_.capacity()) {
      std::size_t capacity = std::max<std::size_t>(buffer_.capacity(), 1u << 16);
      while (capacity < buffer_.size() + data.size()) capacity *= 2;
      crypto::SecureBuffer bigger(std::min(capacity, kMaxPlaintext));
      bigger.resize(buffer_.size());
      if (!buffer_.empty()) std::memcpy(bigger.data(), buffer_.data(), buffer_.size());
      buffer_ = std::move(bigger);  // the old allocation is wiped as it is freed
    }
    const std::size_t at = buffer_.size();
    buffer_.resize(at + data.size());
    std::memcpy(buffer_.data() + at, data.data(), data.size());
    return {};
  }
  std::string_view text() const { return buffer_.view(); }

 private:
  static constexpr std::size_t kMaxPlaintext = std::size_t{4} << 30;
  crypto::SecureBuffer buffer_;
};

bool is_signature_line(const SecureJson& j) { return j.size() == 1 && j.contains("signature"); }

std::span<const std::uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace

Status read_signed_stream(const std::vector<crypto::age::Identity>& identities, const crypto::age::ReadFn& in,
                          const SignedStreamHandlers& handlers, const crypto::age::ProgressFn& progress) {
  // First the whole file is decrypted and its signature verified; only then do the handlers see
  // any of it, so no merge code ever runs on unauthenticated input.
  // Declared first, so it runs last: once the records are gone, the arena's chunks are unmapped
  // (if the caller keeps none of them).
  struct TrimArena {
    ~TrimArena() { crypto::SecureArena::instance().trim(); }
  } trim_arena;
  PlaintextSpool spool;
  std::optional<Error> failure;
  const crypto::age::WriteFn sink = [&](std::span<const std::uint8_t> data) -> Status {
    auto st = spool.append(data);
    if (!st) failure = st.error();
    return st;
  };
  crypto::age::DecryptOptions opts;
  opts.progress = progress;
  auto decrypted = crypto::age::decrypt(identities, in, sink, opts);
  if (failure) return *failure;
  if (!decrypted) return age_error(std::move(decrypted).error());

  const std::string_view text = spool.text();
  if (text.empty()) return fail(ErrorCode::bad_input, "the file is empty");
  if (text.back() != '\n') return fail(ErrorCode::integrity, "the file ends in the middle of a record");
  const std::size_t last_start = text.size() == 1 ? 0 : text.rfind('\n', text.size() - 2) + 1;  // npos + 1 == 0
  const std::string_view signed_part = text.substr(0, last_start);
  const std::string_view last = text.substr(last_start, text.size() - 1 - last_start);
  const auto last_json = SecureJson::parse(last, nullptr, false);
  if (last_json.is_discarded() || !last_json.is_object() || !is_signature_line(last_json) || signed_part.empty())
    return fail(ErrorCode::integrity, "the file has no signature (it was cut short or tampered with)");
  const std::string_view header_line = signed_part.substr(0, signed_part.find('\n'));
  if (header_line.size() > kMaxLine) return fail(ErrorCode::bad_input, "a record is larger than 64 MiB");
  auto header = SecureJson::parse(header_line, nullptr, false);
  if (header.is_discarded() || !header.is_object()) return fail(ErrorCode::bad_input, "record 1 is not a JSON object");
  auto s = header.find("signer");
  if (s == header.end() || !s->is_string()) return fail(ErrorCode::bad_input, "the header names no signer");
  BC_ASSIGN(crypto::Ed25519Public signer, parse_signing_key(s->get_ref<const crypto::SecureString&>()));
  const auto& v = last_json["signature"];
  auto sig = v.is_string() ? crypto::from_base64(v.get_ref<const crypto::SecureString&>())
                           : Result<std::vector<std::uint8_t>>(fail(ErrorCode::bad_input, "bad signature"));
  crypto::StreamSignature signature;
  signature.update(bytes_of(signed_part));
  if (!sig || !signature.verify(signer, *sig))
    return fail(ErrorCode::auth_failed, "the signature does not verify: the file was altered after it was signed");

  // Verified: hand the lines over, in order.
  BC_TRY(handlers.on_header(header, signer));
  std::size_t line_no = 1, start = header_line.size() + 1;
  while (start < signed_part.size()) {
    const std::size_t nl = signed_part.find('\n', start);
    const std::string_view line = signed_part.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (line.size() > kMaxLine) return fail(ErrorCode::bad_input, "a record is larger than 64 MiB");
    auto j = SecureJson::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return fail(ErrorCode::bad_input, "record " + std::to_string(line_no) + " is not a JSON object");
    if (is_signature_line(j)) return fail(ErrorCode::integrity, "data follows the signature (the file was tampered with)");
    BC_TRY(handlers.on_record(j));
  }
  return {};
}

}  // namespace bc::core
