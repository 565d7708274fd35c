// The age file format, version 1 (C2SP age specification, https://age-encryption.org/v1),
// on libsodium: X25519 and scrypt recipients, header MAC, ChaCha20-Poly1305 STREAM in 64 KiB
// chunks, ASCII armor. Streaming in both directions with constant memory.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "backchannel/crypto/identity_keys.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::crypto::age {

/// The result classes of the age test kit (CCTV), used as the first word of every error, plus
/// `system` for failures that say nothing about the file: the ReadFn or WriteFn failed, or scrypt
/// could not get its memory.
enum class FailureClass { no_match, hmac, header, payload, armor, system };

/// "no match", "HMAC failure", "header failure", "payload failure", "armor failure",
/// "system failure".
std::string_view to_string(FailureClass c);

/// Every age failure is a bc::Error: its message starts with the class name ("HMAC failure: the
/// header MAC does not verify"), its `detail` holds the FailureClass, and its code is
/// ErrorCode::auth_failed for no match, ErrorCode::io for a system failure and
/// ErrorCode::integrity for the others. Details never contain key material.
Error age_failure(FailureClass cls, std::string detail);
/// The class of an error made by age_failure.
FailureClass failure_class(const Error& error);

/// An X25519 recipient ("age1...").
struct X25519Recipient {
  X25519Public public_key{};
  /// Parses a Bech32 "age1..." recipient (lower case only, as age writes it).
  static Result<X25519Recipient> parse(std::string_view text);
  std::string to_string() const;
};

/// An X25519 identity ("AGE-SECRET-KEY-1...").
struct X25519Identity {
  SecureBuffer secret_key;  ///< 32 bytes
  static X25519Identity generate();
  static Result<X25519Identity> parse(std::string_view text);
  X25519Recipient recipient() const;
  /// "AGE-SECRET-KEY-1..." in secure memory.
  SecureBuffer to_string() const;
};

/// A passphrase recipient/identity (the scrypt stanza).
struct ScryptPassphrase {
  SecureBuffer passphrase;
  /// Encryption: log2 of the scrypt work factor (age's default is 18).
  int work_factor = 18;
  /// Decryption: the largest work factor accepted (a file asking for more is refused before any
  /// work is done).
  int max_work_factor = 22;
};

using Recipient = std::variant<X25519Recipient, ScryptPassphrase>;
using Identity = std::variant<X25519Identity, ScryptPassphrase>;

/// Reads input in pieces. Returns the number of bytes read; 0 means end of input.
using ReadFn = std::function<Result<std::size_t>(std::span<std::uint8_t>)>;
/// Takes output in pieces.
using WriteFn = std::function<Status(std::span<const std::uint8_t>)>;
/// Called now and then with the plaintext bytes processed so far.
using ProgressFn = std::function<void(std::uint64_t bytes_done)>;

struct EncryptOptions {
  bool armor = false;
  ProgressFn progress;
};

/// Encrypts everything `read` gives to `recipients`. A scrypt recipient must be the only one
/// (as the specification requires). Memory use does not depend on the input size.
Status encrypt(const std::vector<Recipient>& recipients, const ReadFn& read, const WriteFn& write,
               const EncryptOptions& options = {});

struct DecryptOptions {
  ProgressFn progress;
};

/// Decrypts with any of `identities`, detecting armor. Plaintext is written chunk by chunk, each
/// only after its tag verifies; on a payload failure the chunks before the bad one have been
/// written (callers that must not keep partial output write to a temporary file and discard
/// it on failure). Fails with an age_failure.
Status decrypt(const std::vector<Identity>& identities, const ReadFn& read, const WriteFn& write,
               const DecryptOptions& options = {});

/// Helpers for in-memory use (tests, small payloads).
Result<std::vector<std::uint8_t>> encrypt_to_memory(const std::vector<Recipient>& recipients,
                                                    std::span<const std::uint8_t> plaintext, bool armor = false);
/// On failure, `released` (if given) receives what decrypt() released before failing.
Result<std::vector<std::uint8_t>> decrypt_from_memory(const std::vector<Identity>& identities,
                                                      std::span<const std::uint8_t> file,
                                                      std::vector<std::uint8_t>* released = nullptr);

}  // namespace bc::crypto::age
