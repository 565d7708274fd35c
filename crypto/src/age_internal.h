// Internal pieces of the age implementation shared by the age_*.cpp files: limits, a result type
// that carries an age failure, buffered input, the header model, armor, STREAM and the recipient
// types. Nothing here is part of the public API.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "backchannel/crypto/age.h"
#include "backchannel/crypto/secure_buffer.h"

namespace bc::crypto::age::detail {

inline constexpr std::size_t kChunkSize = 64 * 1024;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kEncChunkSize = kChunkSize + kTagSize;
inline constexpr std::size_t kFileKeySize = 16;
inline constexpr std::size_t kPayloadNonceSize = 16;
inline constexpr std::size_t kKeySize = 32;

/// Limits that keep a hostile header from making us allocate without bound.
inline constexpr std::size_t kMaxHeaderSize = 256 * 1024;
inline constexpr std::size_t kMaxHeaderLine = 32 * 1024;
/// Leading and trailing whitespace allowed around an armored file.
inline constexpr std::size_t kMaxArmorWhitespace = 1024;
/// Work factors we agree to encrypt with.
inline constexpr int kMinWorkFactor = 1;
inline constexpr int kMaxEncryptWorkFactor = 30;

inline constexpr std::string_view kVersionLine = "age-encryption.org/v1";
inline constexpr std::string_view kIntro = "age-encryption.org/";
inline constexpr std::string_view kArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
inline constexpr std::string_view kArmorEnd = "-----END AGE ENCRYPTED FILE-----";

inline Error age_fail(FailureClass cls, std::string detail) { return age_failure(cls, std::move(detail)); }

// --- Input ----------------------------------------------------------------------------------

/// A stream of bytes that can fail with an age failure (an I/O error, or an armor error when the
/// bytes come out of the armor decoder).
class Source {
 public:
  virtual ~Source() = default;
  /// Reads up to out.size() bytes; 0 means the end of the input.
  virtual Result<std::size_t> read(std::span<std::uint8_t> out) = 0;
};

/// The caller's ReadFn as a Source; its failures become FailureClass::system.
class FnSource final : public Source {
 public:
  explicit FnSource(const ReadFn& fn) : fn_(fn) {}
  Result<std::size_t> read(std::span<std::uint8_t> out) override;

 private:
  const ReadFn& fn_;
};

/// A line handed out by BufferedReader: valid until the next call on the reader.
struct LineView {
  std::string_view text;    ///< without the '\n'
  bool terminated = false;  ///< ended with '\n' (false: the input ended first)
  bool too_long = false;    ///< no '\n' within the allowed length; text is empty
};

/// Buffered reading with look-ahead over a Source.
class BufferedReader {
 public:
  explicit BufferedReader(Source& src, std::size_t capacity = 64 * 1024);
  /// Makes up to n bytes (n <= capacity) available and returns them; fewer only at the end.
  Result<std::span<const std::uint8_t>> peek(std::size_t n);
  /// The next line of at most max_len bytes before its '\n' (max_len < capacity).
  Result<LineView> next_line(std::size_t max_len);
  /// Reads until `out` is full or the input ends; returns the number of bytes read.
  Result<std::size_t> read_full(std::span<std::uint8_t> out);

 private:
  Result<bool> fill();  // false at the end of the input
  Source& src_;
  std::vector<std::uint8_t> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
};

// --- Header ---------------------------------------------------------------------------------

/// One recipient stanza: its arguments (the first is the type) and its decoded body.
struct Stanza {
  std::vector<std::string> args;
  std::vector<std::uint8_t> body;
};

/// A parsed v1 header.
struct Header {
  std::vector<Stanza> stanzas;
  std::string mac_input;  ///< every header byte up to and including "---"
  std::array<std::uint8_t, 32> mac{};
};

/// Reads and strictly parses the header (header failure on any deviation from the grammar).
Result<Header> read_header(BufferedReader& in);
/// The header text up to and including "---" (what the MAC covers).
std::string serialize_header_for_mac(const std::vector<Stanza>& stanzas);
/// HMAC-SHA-256 of `mac_input` under HKDF(file key, "", "header").
std::array<std::uint8_t, 32> header_mac(const SecureBuffer& file_key, std::string_view mac_input);
/// True when `c` is in the standard base64 alphabet (no padding).
bool is_base64_char(char c);

// --- Recipients -----------------------------------------------------------------------------

/// The X25519 stanza wrapping `file_key` to `recipient`.
Result<Stanza> wrap_x25519(const X25519Recipient& recipient, const SecureBuffer& file_key);
/// The scrypt stanza wrapping `file_key` under the passphrase.
Result<Stanza> wrap_scrypt(const ScryptPassphrase& passphrase, const SecureBuffer& file_key);
/// Finds the file key with one of the identities. Header failure for malformed stanzas of the
/// types the identities handle, no match when none of them opens a stanza.
Result<SecureBuffer> unwrap_file_key(const Header& header, const std::vector<Identity>& identities);

// --- Payload --------------------------------------------------------------------------------

/// HKDF(file key, nonce, "payload").
SecureBuffer payload_key(const SecureBuffer& file_key, std::span<const std::uint8_t> nonce);
/// Encrypts everything `read` gives in 64 KiB chunks to `write`.
Status encrypt_payload(const SecureBuffer& key, const ReadFn& read, const WriteFn& write, const ProgressFn& progress);
/// Decrypts chunks from `in`, writing each one only after its tag verifies.
Status decrypt_payload(const SecureBuffer& key, BufferedReader& in, const WriteFn& write, const ProgressFn& progress);

// --- Armor ----------------------------------------------------------------------------------

/// Streaming armor encoder: BEGIN line, 64-column padded base64, END line.
class ArmorWriter {
 public:
  explicit ArmorWriter(const WriteFn& out);
  Status write(std::span<const std::uint8_t> bytes);
  /// Writes the last line and the END line.
  Status finish();

 private:
  Status flush_lines();
  const WriteFn& out_;
  std::array<std::uint8_t, 48> pending_{};
  std::size_t npending_ = 0;
  std::string lines_;  // encoded lines waiting to be written in one call
  bool started_ = false;
};

/// Streaming, strict armor decoder. Any deviation is an armor failure; whitespace is allowed
/// only as whole lines before the BEGIN line and after the END line.
class ArmorSource final : public Source {
 public:
  explicit ArmorSource(BufferedReader& in) : in_(in) {}
  Result<std::size_t> read(std::span<std::uint8_t> out) override;

 private:
  Status begin();
  /// Decodes the next line into `out` (which must hold 48 bytes); sets done_ at the END line.
  Result<std::size_t> next_line(std::uint8_t* out);
  Status check_trailer(bool end_line_terminated);
  BufferedReader& in_;
  bool started_ = false, last_line_seen_ = false, done_ = false;
  std::array<std::uint8_t, 48> line_{};
  std::size_t line_pos_ = 0, line_len_ = 0;
};

/// Decodes padded base64 of at most 64 characters into `out` (48 bytes); false unless it is the
/// canonical encoding.
bool decode_armor_line(std::string_view text, std::uint8_t* out, std::size_t& out_len);

}  // namespace bc::crypto::age::detail
