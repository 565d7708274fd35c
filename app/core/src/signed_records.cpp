#include "signed_records.h"

#include <cstring>
#include <optional>

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

Status read_signed_stream(const std::vector<crypto::age::Identity>& identities, const crypto::age::ReadFn& in,
                          const SignedStreamHandlers& handlers, const crypto::age::ProgressFn& progress) {
  crypto::StreamSignature signature;
  std::string buffer;
  bool have_header = false, have_signature = false;
  crypto::Ed25519Public signer{};
  std::size_t line_no = 0;
  std::optional<Error> failure;

  auto handle_line = [&](std::string_view line) -> Status {
    ++line_no;
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
      return handlers.on_header(j, signer);
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
    return handlers.on_record(j);
  };

  const crypto::age::WriteFn sink = [&](std::span<const std::uint8_t> data) -> Status {
    if (failure) return *failure;
    buffer.append(reinterpret_cast<const char*>(data.data()), data.size());
    std::size_t start = 0;
    while (true) {
      const auto nl = buffer.find('\n', start);
      if (nl == std::string::npos) break;
      auto st = handle_line(std::string_view(buffer).substr(start, nl - start));
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
    return {};
  };
  crypto::age::DecryptOptions opts;
  opts.progress = progress;
  auto decrypted = crypto::age::decrypt(identities, in, sink, opts);
  if (failure) return *failure;
  if (!decrypted) return age_error(std::move(decrypted).error());
  if (!buffer.empty()) return fail(ErrorCode::integrity, "the file ends in the middle of a record");
  if (!have_header) return fail(ErrorCode::bad_input, "the file is empty");
  if (!have_signature) return fail(ErrorCode::integrity, "the file has no signature (it was cut short or tampered with)");
  return {};
}

}  // namespace bc::core
