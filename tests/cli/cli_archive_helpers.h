// Helpers shared by the archive and review end-to-end tests: the real `age` tool and age-keygen
// keys, `identity` output, and an independent reader of the signed record stream
// (docs/archive-format.md) that checks every line and the Ed25519ph signature with libsodium
// itself, not with Backchannel's code.
#pragma once

#include <sodium.h>

#include <set>
#include <string>
#include <vector>

#include "cli_test_helpers.h"
#include "tty_runner.h"

namespace bc::test::cli {

inline std::string age_bin() { return find_on_path("age"); }
inline std::string age_keygen_bin() { return find_on_path("age-keygen"); }

inline std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

/// The lines of `s` without their line feeds.
inline std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// Files in `dir` (names), for "nothing was left behind" checks.
inline std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

/// An identity made by the real age-keygen, and its recipient.
struct AgeKey {
  fs::path file;
  std::string recipient;
};
inline AgeKey make_age_key(const fs::path& file) {
  AgeKey k{file, {}};
  const RunResult gen = run_program(age_keygen_bin(), {"-o", file.string()});
  EXPECT_EQ(gen.exit_code, 0) << gen.err;
  const RunResult pub = run_program(age_keygen_bin(), {"-y", file.string()});
  EXPECT_EQ(pub.exit_code, 0) << pub.err;
  k.recipient = first_line(pub.out);
  return k;
}

/// The real `age -d -i KEY FILE`.
inline RunResult age_decrypt(const AgeKey& key, const fs::path& file) {
  return run_program(age_bin(), {"-d", "-i", key.file.string(), file.string()});
}

/// What `identity` prints.
struct VaultId {
  std::string recipient, signing_key, fingerprint;
};

/// Runs `identity` on `vault` and checks its three lines.
inline VaultId identity_of(const Sandbox& sb, const fs::path& vault) {
  VaultId id;
  const RunResult r = sb.run_on(vault, {"identity"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  static const std::regex kShape(
      "recipient:   (age1[02-9ac-hj-np-z]{58})\n"
      "signing key: (ed25519:[A-Za-z0-9+/]{43}=)\n"
      "fingerprint: ([0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5})\n");
  std::smatch m;
  if (!std::regex_match(r.out, m, kShape)) {
    ADD_FAILURE() << "identity does not print recipient, signing key and fingerprint\n" << describe(r);
    return id;
  }
  id.recipient = m[1].str();
  id.signing_key = m[2].str();
  id.fingerprint = m[3].str();
  return id;
}

/// Standard Base64 (with padding) to bytes; empty on error.
inline std::vector<std::uint8_t> base64_bytes(const std::string& text) {
  std::vector<std::uint8_t> out(text.size());
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return {};
  out.resize(len);
  return out;
}

/// The 32 bytes of an age1... recipient (Bech32 data without its checksum; the checksum itself is
/// for the real `age` to check).
inline std::vector<std::uint8_t> recipient_bytes(const std::string& recipient) {
  static const std::string kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  const std::size_t sep = recipient.rfind('1');
  if (sep == std::string::npos || recipient.size() < sep + 7) return {};
  std::vector<std::uint8_t> out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = sep + 1; i < recipient.size() - 6; ++i) {
    const auto v = kCharset.find(recipient[i]);
    if (v == std::string::npos) return {};
    acc = (acc << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  return out;
}

/// The fingerprint as docs/archive-format.md defines it: the first 100 bits of
/// SHA-256("backchannel fingerprint v1" || Ed25519 key || X25519 key of the recipient) in
/// Crockford Base32, four groups of five.
inline std::string expected_fingerprint(const VaultId& id) {
  if (sodium_init() < 0) return {};
  const auto ed = base64_bytes(id.signing_key.substr(std::string("ed25519:").size()));
  const auto x = recipient_bytes(id.recipient);
  if (ed.size() != 32 || x.size() != 32) return {};
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const std::string label = "backchannel fingerprint v1";
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(label.data()), label.size());
  crypto_hash_sha256_update(&st, ed.data(), ed.size());
  crypto_hash_sha256_update(&st, x.data(), x.size());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  static const char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string chars;
  for (int i = 0; i < 20; ++i) {
    int v = 0;
    for (int b = 0; b < 5; ++b) {
      const int bit = i * 5 + b;
      v = (v << 1) | ((digest[bit / 8] >> (7 - bit % 8)) & 1);
    }
    chars += kAlphabet[v];
  }
  return chars.substr(0, 5) + "-" + chars.substr(5, 5) + "-" + chars.substr(10, 5) + "-" + chars.substr(15, 5);
}

/// A decrypted signed record stream: header, records, and whether the signature verified.
struct SignedStream {
  json header;
  std::vector<json> records;
  std::string signer;  ///< the header's "ed25519:..." key
};

/// Reads `plain` as docs/archive-format.md describes it: lines ending with LF, each a JSON object;
/// the first a header with `format` and `signer`; the last {"signature": Base64 of 64 bytes}, an
/// Ed25519ph signature by `signer` over every byte before it. Checked with libsodium directly.
inline ::testing::AssertionResult read_signed_stream(const std::string& plain, SignedStream& out) {
  if (sodium_init() < 0) return ::testing::AssertionFailure() << "libsodium";
  if (plain.empty() || plain.back() != '\n') return ::testing::AssertionFailure() << "the stream does not end with a line feed";
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < plain.size();) {
    const std::size_t nl = plain.find('\n', start);
    lines.push_back(plain.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.size() < 3) return ::testing::AssertionFailure() << "fewer than three lines";
  std::vector<json> parsed;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    json j = json::parse(lines[i], nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object())
      return ::testing::AssertionFailure() << "line " << i + 1 << " is not a JSON object: " << lines[i].substr(0, 200);
    parsed.push_back(std::move(j));
  }
  out.header = parsed.front();
  if (!out.header.contains("format") || !out.header["format"].is_string())
    return ::testing::AssertionFailure() << "the header has no format: " << lines.front();
  if (!out.header.contains("signer") || !out.header["signer"].is_string())
    return ::testing::AssertionFailure() << "the header has no signer: " << lines.front();
  out.signer = out.header["signer"].get<std::string>();
  const json& last = parsed.back();
  if (last.size() != 1 || !last.contains("signature") || !last["signature"].is_string())
    return ::testing::AssertionFailure() << "the last line is not {\"signature\":...}: " << lines.back();
  const auto sig = base64_bytes(last["signature"].get<std::string>());
  if (sig.size() != crypto_sign_BYTES) return ::testing::AssertionFailure() << "the signature is not 64 bytes of Base64";
  if (out.signer.rfind("ed25519:", 0) != 0) return ::testing::AssertionFailure() << "signer: " << out.signer;
  const auto key = base64_bytes(out.signer.substr(8));
  if (key.size() != crypto_sign_PUBLICKEYBYTES) return ::testing::AssertionFailure() << "signer: " << out.signer;
  const std::size_t signed_len = plain.size() - lines.back().size() - 1;
  crypto_sign_state st;
  crypto_sign_init(&st);
  crypto_sign_update(&st, reinterpret_cast<const unsigned char*>(plain.data()), signed_len);
  if (crypto_sign_final_verify(&st, sig.data(), key.data()) != 0)
    return ::testing::AssertionFailure() << "the Ed25519ph signature does not verify";
  out.records.assign(parsed.begin() + 1, parsed.end() - 1);
  return ::testing::AssertionSuccess();
}

/// RFC 3339 in UTC, as the format requires for created_at.
inline bool is_utc_timestamp(const json& j) {
  static const std::regex kTime("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z");
  return j.is_string() && std::regex_match(j.get<std::string>(), kTime);
}

/// 32 lower-case hexadecimal digits.
inline bool is_record_uid(const json& j) {
  static const std::regex kUid("[0-9a-f]{32}");
  return j.is_string() && std::regex_match(j.get<std::string>(), kUid);
}

/// A JSON array with every element's "id" removed (ids are local to a vault; uids travel).
inline json without_ids(json a) {
  for (auto& e : a)
    if (e.is_object()) e.erase("id");
  return a;
}

}  // namespace bc::test::cli
