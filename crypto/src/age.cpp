// age v1 encryption and decryption: the order of the steps, armor detection, and the in-memory
// helpers.
#include "backchannel/crypto/age.h"

#include <algorithm>
#include <cstring>

#include "age_internal.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/random.h"

namespace bc::crypto::age {

using namespace detail;

std::string_view to_string(FailureClass c) {
  switch (c) {
    case FailureClass::no_match: return "no match";
    case FailureClass::hmac: return "HMAC failure";
    case FailureClass::header: return "header failure";
    case FailureClass::payload: return "payload failure";
    case FailureClass::armor: return "armor failure";
    case FailureClass::system: return "system failure";
  }
  return "header failure";
}

Error age_failure(FailureClass cls, std::string detail) {
  const ErrorCode code = cls == FailureClass::no_match ? ErrorCode::auth_failed
                         : cls == FailureClass::system ? ErrorCode::io
                                                       : ErrorCode::integrity;
  return Error{code, std::string(to_string(cls)) + ": " + detail, Remedy::none, {}, static_cast<int>(cls)};
}

FailureClass failure_class(const Error& error) {
  if (error.detail < 0 || error.detail > static_cast<int>(FailureClass::system)) return FailureClass::system;
  return static_cast<FailureClass>(error.detail);
}

Status encrypt(const std::vector<Recipient>& recipients, const ReadFn& read, const WriteFn& write,
               const EncryptOptions& options) {
  if (recipients.empty()) return fail(ErrorCode::usage, "no recipients to encrypt to");
  for (const Recipient& r : recipients)
    if (r.index() == 1 && recipients.size() != 1)
      return fail(ErrorCode::usage, "a passphrase must be the only recipient of a file");

  const SecureBuffer file_key = random_secret(kFileKeySize);
  std::vector<Stanza> stanzas;
  for (const Recipient& r : recipients) {
    Result<Stanza> s = r.index() == 0 ? wrap_x25519(std::get<X25519Recipient>(r), file_key)
                                      : wrap_scrypt(std::get<ScryptPassphrase>(r), file_key);
    if (!s.ok()) return std::move(s).error();
    stanzas.push_back(std::move(s.value()));
  }
  std::string header = serialize_header_for_mac(stanzas);
  const std::string mac = to_base64(header_mac(file_key, header), false);
  header.append(" ").append(mac).push_back('\n');
  const std::vector<std::uint8_t> nonce = random_bytes(kPayloadNonceSize);
  const SecureBuffer key = payload_key(file_key, nonce);

  std::optional<ArmorWriter> armor;
  if (options.armor) armor.emplace(write);
  const WriteFn sink = [&](std::span<const std::uint8_t> bytes) -> Status {
    return armor ? armor->write(bytes) : write(bytes);
  };
  BC_TRY(sink(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(header.data()), header.size())));
  BC_TRY(sink(nonce));
  BC_TRY(encrypt_payload(key, read, sink, options.progress));
  if (armor) BC_TRY(armor->finish());
  return {};
}

namespace {

Status decrypt_binary(const std::vector<Identity>& identities, BufferedReader& in, const WriteFn& write,
                      const DecryptOptions& options) {
  Result<Header> header = read_header(in);
  if (!header.ok()) return std::move(header.error());
  Result<SecureBuffer> file_key = unwrap_file_key(header.value(), identities);
  if (!file_key.ok()) return std::move(file_key.error());
  const auto mac = header_mac(file_key.value(), header.value().mac_input);
  if (!equal_ct(mac, header.value().mac))
    return age_fail(FailureClass::hmac, "the header MAC does not verify (the header was modified)");

  std::array<std::uint8_t, kPayloadNonceSize> nonce{};
  Result<std::size_t> got = in.read_full(nonce);
  if (!got.ok()) return std::move(got.error());
  if (got.value() != nonce.size()) return age_fail(FailureClass::header, "the payload nonce is missing or truncated");
  const SecureBuffer key = payload_key(file_key.value(), nonce);
  return decrypt_payload(key, in, write, options.progress);
}

// A binary file starts with the version line's intro. Anything else that starts with a dash
// after whitespace, or has the BEGIN line near its start, is taken as armor, whose strict parser
// then explains what is wrong with it; the rest gets the header parser's "not an age file".
bool looks_armored(BufferedReader& in) {
  Result<std::span<const std::uint8_t>> start = in.peek(2 * kMaxArmorWhitespace);
  if (!start.ok()) return false;  // the header parser meets the same error and reports it
  const std::string_view s(reinterpret_cast<const char*>(start.value().data()), start.value().size());
  if (s.substr(0, kIntro.size()) == kIntro.substr(0, std::min(s.size(), kIntro.size()))) return false;
  const std::size_t first = s.find_first_not_of(" \t\r\n\v\f");
  return (first != std::string_view::npos && s[first] == '-') || s.find(kArmorBegin) != std::string_view::npos;
}

}  // namespace

Status decrypt(const std::vector<Identity>& identities, const ReadFn& read, const WriteFn& write,
               const DecryptOptions& options) {
  FnSource raw(read);
  BufferedReader in(raw);
  if (!looks_armored(in)) return decrypt_binary(identities, in, write, options);
  ArmorSource armor(in);
  BufferedReader decoded(armor);
  return decrypt_binary(identities, decoded, write, options);
}

Result<std::vector<std::uint8_t>> encrypt_to_memory(const std::vector<Recipient>& recipients,
                                                    std::span<const std::uint8_t> plaintext, bool armor) {
  std::vector<std::uint8_t> out;
  std::size_t pos = 0;
  const ReadFn read = [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    const std::size_t n = std::min(buf.size(), plaintext.size() - pos);
    if (n > 0) std::memcpy(buf.data(), plaintext.data() + pos, n);
    pos += n;
    return n;
  };
  const WriteFn write = [&](std::span<const std::uint8_t> bytes) -> Status {
    out.insert(out.end(), bytes.begin(), bytes.end());
    return {};
  };
  EncryptOptions options;
  options.armor = armor;
  BC_TRY(encrypt(recipients, read, write, options));
  return out;
}

Result<std::vector<std::uint8_t>> decrypt_from_memory(const std::vector<Identity>& identities,
                                                      std::span<const std::uint8_t> file,
                                                      std::vector<std::uint8_t>* released) {
  std::vector<std::uint8_t> out;
  std::size_t pos = 0;
  const ReadFn read = [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    const std::size_t n = std::min(buf.size(), file.size() - pos);
    if (n > 0) std::memcpy(buf.data(), file.data() + pos, n);
    pos += n;
    return n;
  };
  const WriteFn write = [&](std::span<const std::uint8_t> bytes) -> Status {
    out.insert(out.end(), bytes.begin(), bytes.end());
    return {};
  };
  Status st = decrypt(identities, read, write);
  if (!st.ok()) {
    if (released != nullptr) *released = std::move(out);
    else wipe(out.data(), out.size());
    return std::move(st).error();
  }
  return out;
}

}  // namespace bc::crypto::age
