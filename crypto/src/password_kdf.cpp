#include "backchannel/crypto/password_kdf.h"

#include <sodium.h>

#include <string>

#include "backchannel/crypto/random.h"

namespace bc::crypto {

namespace {
// Bounds for parameters read from a key slot. The lower bounds stop a tampered slot from
// quietly weakening the derivation; the upper bounds stop it from exhausting memory or time.
constexpr std::uint64_t kMinOps = 2;
constexpr std::uint64_t kMaxOps = 64;
constexpr std::uint64_t kMinMem = 64ull << 20;
constexpr std::uint64_t kMaxMem = 4ull << 30;
}  // namespace

Argon2idParams argon2id_params(KdfProfile profile) {
  Argon2idParams p;
  switch (profile) {
    case KdfProfile::interactive:
      p.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      p.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    case KdfProfile::moderate:
      p.opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
      p.memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case KdfProfile::sensitive:
      p.opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
      p.memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
      break;
  }
  p.salt = random_bytes(crypto_pwhash_SALTBYTES);
  return p;
}

Result<KdfProfile> parse_kdf_profile(std::string_view name) {
  if (name == "interactive") return KdfProfile::interactive;
  if (name == "moderate") return KdfProfile::moderate;
  if (name == "sensitive") return KdfProfile::sensitive;
  return fail(ErrorCode::usage, "unknown key-derivation profile \"" + std::string(name) +
                                    "\" (use interactive, moderate or sensitive)");
}

Status validate(const Argon2idParams& params) {
  if (params.salt.size() != crypto_pwhash_SALTBYTES)
    return fail(ErrorCode::integrity, "key slot salt has the wrong length");
  if (params.opslimit < kMinOps || params.opslimit > kMaxOps)
    return fail(ErrorCode::integrity, "key slot Argon2id pass count is out of range");
  if (params.memlimit < kMinMem || params.memlimit > kMaxMem)
    return fail(ErrorCode::integrity, "key slot Argon2id memory size is out of range");
  return {};
}

Result<SecureBuffer> argon2id_derive(std::span<const std::uint8_t> passphrase, const Argon2idParams& params) {
  BC_TRY(validate(params));
  SecureBuffer key(32);
  if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), params.salt.data(), params.opslimit,
                    static_cast<std::size_t>(params.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(ErrorCode::io, "not enough memory for the Argon2id key derivation (" +
                                   std::to_string(params.memlimit >> 20) + " MiB)");
  }
  return key;
}

}  // namespace bc::crypto
