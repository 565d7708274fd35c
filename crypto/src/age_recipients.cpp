// The native X25519 and scrypt recipient types: key encodings, wrapping the file key into a
// stanza, and unwrapping it with identities.
#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "age_internal.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/random.h"

namespace bc::crypto::age {

namespace {

constexpr std::string_view kRecipientHrp = "age";
constexpr std::string_view kIdentityHrp = "AGE-SECRET-KEY-";
constexpr std::string_view kX25519Info = "age-encryption.org/v1/X25519";
constexpr std::string_view kScryptLabel = "age-encryption.org/v1/scrypt";
constexpr std::size_t kScryptSaltSize = 16;

}  // namespace

Result<X25519Recipient> X25519Recipient::parse(std::string_view text) {
  for (char c : text)
    if (c >= 'A' && c <= 'Z') return fail(ErrorCode::bad_input, "an age recipient is written in lower case");
  Result<Bech32Decoded> d = bech32_decode(text);
  if (!d.ok()) return fail(ErrorCode::bad_input, "not an age recipient: " + d.error().message);
  if (d->hrp != kRecipientHrp) return fail(ErrorCode::bad_input, "not an age X25519 recipient (it must start with age1)");
  if (d->data.size() != crypto_scalarmult_BYTES) return fail(ErrorCode::bad_input, "an age recipient must hold 32 bytes");
  X25519Recipient r;
  std::memcpy(r.public_key.data(), d->data.data(), r.public_key.size());
  return r;
}

std::string X25519Recipient::to_string() const { return bech32_encode(kRecipientHrp, public_key); }

X25519Identity X25519Identity::generate() {
  X25519Identity id;
  id.secret_key = random_secret(crypto_scalarmult_SCALARBYTES);
  return id;
}

Result<X25519Identity> X25519Identity::parse(std::string_view text) {
  for (char c : text)
    if (c >= 'a' && c <= 'z') return fail(ErrorCode::bad_input, "an age identity is written in upper case");
  Result<SecureBuffer> key = bech32_decode_secret(text, kIdentityHrp);
  if (!key.ok()) return fail(ErrorCode::bad_input, "not an age X25519 identity: " + key.error().message);
  if (key->size() != crypto_scalarmult_SCALARBYTES) return fail(ErrorCode::bad_input, "an age identity must hold 32 bytes");
  X25519Identity id;
  id.secret_key = std::move(key.value());
  return id;
}

X25519Recipient X25519Identity::recipient() const { return X25519Recipient{x25519_public_of(secret_key)}; }

SecureBuffer X25519Identity::to_string() const { return bech32_encode_secret(kIdentityHrp, secret_key, true); }

namespace detail {

namespace {

constexpr std::uint8_t kZeroNonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {};

Error header_fail(std::string detail) { return age_fail(FailureClass::header, std::move(detail)); }

SecureBuffer x25519_wrap_key(const SecureBuffer& shared, std::span<const std::uint8_t> share,
                             std::span<const std::uint8_t> recipient) {
  std::array<std::uint8_t, 64> salt{};
  std::memcpy(salt.data(), share.data(), 32);
  std::memcpy(salt.data() + 32, recipient.data(), 32);
  return hkdf_sha256(shared.span(), salt, bytes_of(kX25519Info), kKeySize);
}

std::vector<std::uint8_t> seal_file_key(const SecureBuffer& wrap_key, const SecureBuffer& file_key) {
  std::vector<std::uint8_t> body(file_key.size() + crypto_aead_chacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(body.data(), &len, file_key.data(), file_key.size(), nullptr, 0, nullptr,
                                            kZeroNonce, wrap_key.data());
  return body;
}

// Opens a 32-byte stanza body into a 16-byte file key; nullopt when the tag does not verify.
std::optional<SecureBuffer> open_file_key(const SecureBuffer& wrap_key, std::span<const std::uint8_t> body) {
  SecureBuffer file_key(kFileKeySize);
  unsigned long long len = 0;
  if (body.size() != kFileKeySize + kTagSize ||
      crypto_aead_chacha20poly1305_ietf_decrypt(file_key.data(), &len, nullptr, body.data(), body.size(), nullptr, 0,
                                                kZeroNonce, wrap_key.data()) != 0) {
    return {};
  }
  return file_key;
}

Result<SecureBuffer> scrypt_wrap_key(const SecureBuffer& passphrase, std::span<const std::uint8_t> salt, int work_factor) {
  std::array<std::uint8_t, kScryptLabel.size() + kScryptSaltSize> full_salt{};
  std::memcpy(full_salt.data(), kScryptLabel.data(), kScryptLabel.size());
  std::memcpy(full_salt.data() + kScryptLabel.size(), salt.data(), kScryptSaltSize);
  SecureBuffer key(kKeySize);
  if (crypto_pwhash_scryptsalsa208sha256_ll(passphrase.data(), passphrase.size(), full_salt.data(), full_salt.size(),
                                            std::uint64_t{1} << work_factor, 8, 1, key.data(), key.size()) != 0) {
    return fail(ErrorCode::internal, "scrypt failed (not enough memory for work factor " +
                                         std::to_string(work_factor) + "?)");
  }
  return key;
}

struct X25519Stanza {
  std::array<std::uint8_t, 32> share{};
  std::span<const std::uint8_t> body;
};

struct ScryptStanza {
  std::array<std::uint8_t, kScryptSaltSize> salt{};
  int work_factor = 0;
  std::span<const std::uint8_t> body;
};

Result<std::vector<X25519Stanza>> parse_x25519_stanzas(const Header& h) {
  std::vector<X25519Stanza> out;
  for (const Stanza& s : h.stanzas) {
    if (s.args[0] != "X25519") continue;
    if (s.args.size() != 2) return header_fail("an X25519 stanza must have exactly two arguments");
    Result<std::vector<std::uint8_t>> share = from_base64(s.args[1], false);
    if (!share.ok() || share->size() != 32)
      return header_fail("an X25519 stanza's share is not canonical base64 of 32 bytes");
    // Checked before any decryption so that the body length cannot serve as an oracle.
    if (s.body.size() != kFileKeySize + kTagSize) return header_fail("an X25519 stanza's body is not 32 bytes");
    X25519Stanza x;
    std::memcpy(x.share.data(), share->data(), 32);
    x.body = s.body;
    out.push_back(x);
  }
  return out;
}

Result<std::optional<ScryptStanza>> parse_scrypt_stanza(const Header& h) {
  if (h.stanzas.size() != 1 || h.stanzas[0].args[0] != "scrypt") return std::optional<ScryptStanza>();
  const Stanza& s = h.stanzas[0];
  if (s.args.size() != 3) return header_fail("an scrypt stanza must have exactly three arguments");
  Result<std::vector<std::uint8_t>> salt = from_base64(s.args[1], false);
  if (!salt.ok() || salt->size() != kScryptSaltSize)
    return header_fail("an scrypt stanza's salt is not canonical base64 of 16 bytes");
  const std::string& wf = s.args[2];
  // ^[1-9][0-9]*$, and short enough that it cannot overflow.
  bool digits = !wf.empty() && wf[0] >= '1' && wf[0] <= '9';
  for (char c : wf) digits = digits && c >= '0' && c <= '9';
  if (!digits) return header_fail("an scrypt stanza's work factor is not a decimal number without leading zeros");
  if (wf.size() > 2) return header_fail("an scrypt stanza asks for an absurd work factor");
  if (s.body.size() != kFileKeySize + kTagSize) return header_fail("an scrypt stanza's body is not 32 bytes");
  ScryptStanza out;
  std::memcpy(out.salt.data(), salt->data(), kScryptSaltSize);
  out.work_factor = std::stoi(wf);
  out.body = s.body;
  return std::optional<ScryptStanza>(out);
}

}  // namespace

Result<Stanza> wrap_x25519(const X25519Recipient& recipient, const SecureBuffer& file_key) {
  const SecureBuffer ephemeral = random_secret(crypto_scalarmult_SCALARBYTES);
  const X25519Public share = x25519_public_of(ephemeral);
  Result<SecureBuffer> shared = x25519(ephemeral, recipient.public_key);
  if (!shared.ok()) return fail(ErrorCode::bad_input, "the recipient is not a usable X25519 public key");
  const SecureBuffer wrap_key = x25519_wrap_key(*shared, share, recipient.public_key);
  Stanza s;
  s.args = {"X25519", to_base64(share, false)};
  s.body = seal_file_key(wrap_key, file_key);
  return s;
}

Result<Stanza> wrap_scrypt(const ScryptPassphrase& passphrase, const SecureBuffer& file_key) {
  if (passphrase.work_factor < kMinWorkFactor || passphrase.work_factor > kMaxEncryptWorkFactor)
    return fail(ErrorCode::usage, "the scrypt work factor must be between 1 and 30");
  if (passphrase.passphrase.empty()) return fail(ErrorCode::usage, "the passphrase must not be empty");
  const std::vector<std::uint8_t> salt = random_bytes(kScryptSaltSize);
  BC_ASSIGN(SecureBuffer wrap_key, scrypt_wrap_key(passphrase.passphrase, salt, passphrase.work_factor));
  Stanza s;
  s.args = {"scrypt", to_base64(salt, false), std::to_string(passphrase.work_factor)};
  s.body = seal_file_key(wrap_key, file_key);
  return s;
}

Result<SecureBuffer> unwrap_file_key(const Header& header, const std::vector<Identity>& identities) {
  // The specification makes this a property of the header, whichever identities are tried: a
  // passphrase-encrypted file must not also be openable by someone else.
  for (const Stanza& s : header.stanzas)
    if (s.args[0] == "scrypt" && header.stanzas.size() != 1)
      return header_fail("an scrypt stanza must be the only stanza in the header");

  bool have_x25519 = false, have_scrypt = false;
  for (const Identity& id : identities) (id.index() == 0 ? have_x25519 : have_scrypt) = true;

  // Every stanza of a type we handle is validated before any is tried, so that a malformed one
  // is refused wherever it sits in the header.
  std::vector<X25519Stanza> x_stanzas;
  if (have_x25519) {
    Result<std::vector<X25519Stanza>> parsed = parse_x25519_stanzas(header);
    if (!parsed.ok()) return std::move(parsed.error());
    x_stanzas = std::move(parsed.value());
  }
  std::optional<ScryptStanza> s_stanza;
  if (have_scrypt) {
    Result<std::optional<ScryptStanza>> parsed = parse_scrypt_stanza(header);
    if (!parsed.ok()) return std::move(parsed.error());
    s_stanza = parsed.value();
  }

  for (const Identity& id : identities) {
    if (const auto* x = std::get_if<X25519Identity>(&id)) {
      if (x->secret_key.size() != crypto_scalarmult_SCALARBYTES)
        return age_fail(FailureClass::no_match, "an X25519 identity has the wrong length");
      const X25519Public ours = x25519_public_of(x->secret_key);
      for (const X25519Stanza& st : x_stanzas) {
        Result<SecureBuffer> shared = x25519(x->secret_key, st.share);
        if (!shared.ok()) return header_fail("an X25519 stanza's share is a low-order point");
        const SecureBuffer wrap_key = x25519_wrap_key(*shared, st.share, ours);
        if (std::optional<SecureBuffer> fk = open_file_key(wrap_key, st.body)) return std::move(*fk);
      }
    } else if (const auto* p = std::get_if<ScryptPassphrase>(&id)) {
      if (!s_stanza) continue;
      // Refused before doing any of the work the file asks for (62: 2^N must fit in 64 bits).
      const int limit = std::min(p->max_work_factor, 62);
      if (s_stanza->work_factor > limit) {
        return header_fail("the scrypt work factor " + std::to_string(s_stanza->work_factor) + " is above the limit of " +
                           std::to_string(limit));
      }
      Result<SecureBuffer> wrap_key = scrypt_wrap_key(p->passphrase, s_stanza->salt, s_stanza->work_factor);
      if (!wrap_key.ok()) return age_fail(FailureClass::system, wrap_key.error().message);
      if (std::optional<SecureBuffer> fk = open_file_key(*wrap_key, s_stanza->body)) return std::move(*fk);
    }
  }
  return age_fail(FailureClass::no_match, "none of the identities opens any recipient stanza of this file");
}

}  // namespace detail

}  // namespace bc::crypto::age
