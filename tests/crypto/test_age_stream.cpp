// Unit: crypto/age — round trips, the file layout, keys, and every way of breaking a file: a
// flipped byte anywhere, truncation at and around chunk boundaries, dropped, duplicated and
// swapped chunks, a second final chunk, trailing data, the wrong identity or passphrase, and an
// absurd scrypt work factor. Each must give the right failure class and release nothing beyond
// the chunks that verified. Finally, 256 MiB through the streaming API in constant memory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "backchannel/crypto/age.h"
#include "backchannel/crypto/hmac.h"
#include "crypto_test_support.h"

namespace bc::crypto::age {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::hex_of;

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kSealed = kChunk + 16;

Bytes pattern(std::size_t n, std::uint32_t seed = 1) {
  Bytes out(n);
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::uint8_t>(x);
  }
  return out;
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t to) {
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(to));
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Recipients and identities are move-only (passphrases live in SecureBuffer): no initializer lists.
template <class... T>
std::vector<Recipient> recipients_of(T&&... r) {
  std::vector<Recipient> v;
  (v.emplace_back(std::forward<T>(r)), ...);
  return v;
}
template <class... T>
std::vector<Identity> identities_of(T&&... i) {
  std::vector<Identity> v;
  (v.emplace_back(std::forward<T>(i)), ...);
  return v;
}

struct Keys {
  X25519Identity identity = X25519Identity::generate();
  std::vector<Recipient> recipients() const { return recipients_of(identity.recipient()); }
  std::vector<Identity> identities() const { return identities_of(X25519Identity{identity.secret_key.clone()}); }
};

ScryptPassphrase passphrase(const std::string& text, int work_factor = 10, int max_work_factor = 22) {
  ScryptPassphrase p;
  p.passphrase = SecureBuffer::copy_of(text);
  p.work_factor = work_factor;
  p.max_work_factor = max_work_factor;
  return p;
}

Bytes encrypt_ok(const std::vector<Recipient>& recipients, const Bytes& plain, bool armor = false) {
  Result<Bytes> r = encrypt_to_memory(recipients, plain, armor);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Bytes();
}

/// What decrypt() did: the class (nullopt = success) and everything it released.
struct Decrypted {
  std::optional<FailureClass> cls;
  std::string detail;
  Bytes released;
};

Decrypted decrypt_bytes(const std::vector<Identity>& identities, const Bytes& file) {
  Decrypted d;
  auto r = decrypt_from_memory(identities, file, &d.released);
  if (!r.ok()) {
    d.cls = failure_class(r.error());
    d.detail = r.error().message;
  } else {
    d.released = *r;
  }
  return d;
}

std::string describe(const Decrypted& d) {
  return (d.cls ? d.detail : std::string("success")) + ", released " +
         std::to_string(d.released.size()) + " bytes";
}

/// Where the payload starts: just after the "--- MAC" line.
std::size_t header_size(const Bytes& file) {
  const std::string s(file.begin(), file.end());
  const std::size_t mac = s.find("\n--- ");
  EXPECT_NE(mac, std::string::npos);
  return s.find('\n', mac + 1) + 1;
}

/// A binary file split into its parts: header, nonce, sealed chunks.
struct Parts {
  Bytes header, nonce;
  std::vector<Bytes> chunks;
  Bytes join() const {
    Bytes out = concat({header, nonce});
    for (const Bytes& c : chunks) out.insert(out.end(), c.begin(), c.end());
    return out;
  }
};

Parts split(const Bytes& file) {
  Parts p;
  const std::size_t h = header_size(file);
  p.header = slice(file, 0, h);
  p.nonce = slice(file, h, h + 16);
  for (std::size_t off = h + 16; off < file.size(); off += kSealed)
    p.chunks.push_back(slice(file, off, std::min(file.size(), off + kSealed)));
  return p;
}

// --- Round trips and layout -----------------------------------------------------------------

TEST(AgeRoundTrip, X25519BinaryAndArmoredAtChunkBoundaries) {
  Keys k;
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{47}, std::size_t{48}, kChunk - 1, kChunk,
                        kChunk + 1, 2 * kChunk, 3 * kChunk + 5}) {
    const Bytes plain = pattern(n, static_cast<std::uint32_t>(n));
    for (bool armor : {false, true}) {
      const Bytes file = encrypt_ok(k.recipients(), plain, armor);
      const Decrypted d = decrypt_bytes(k.identities(), file);
      EXPECT_FALSE(d.cls) << n << (armor ? " armored: " : ": ") << describe(d);
      EXPECT_TRUE(d.released == plain) << n << (armor ? " armored" : "");
    }
  }
}

TEST(AgeRoundTrip, PayloadLayoutIsOneSealedChunkPer64KiBAndNeverAnEmptyFinalChunk) {
  Keys k;
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, kChunk, kChunk + 1, 3 * kChunk}) {
    const Bytes file = encrypt_ok(k.recipients(), pattern(n));
    const std::size_t chunks = n == 0 ? 1 : (n + kChunk - 1) / kChunk;
    EXPECT_EQ(file.size(), header_size(file) + 16 + n + 16 * chunks) << n;
  }
}

TEST(AgeRoundTrip, HeaderHasTheVersionLineOneX25519StanzaPerRecipientAndTheMacLine) {
  Keys a, b;
  const Bytes file = encrypt_ok(recipients_of(a.identity.recipient(), b.identity.recipient()), pattern(10));
  const std::string header(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(header_size(file)));
  EXPECT_EQ(header.rfind("age-encryption.org/v1\n-> X25519 ", 0), 0u) << header;
  std::size_t stanzas = 0;
  for (std::size_t p = header.find("\n-> X25519 "); p != std::string::npos; p = header.find("\n-> X25519 ", p + 1)) ++stanzas;
  EXPECT_EQ(stanzas, 2u);
  const std::size_t mac = header.find("\n--- ");
  EXPECT_EQ(header.size() - mac, 1 + 4 + 43 + 1u) << "MAC line is \"--- \" and 43 base64 characters";
  for (const Keys* k : {&a, &b}) {
    const Decrypted d = decrypt_bytes(k->identities(), file);
    EXPECT_FALSE(d.cls) << describe(d);
  }
}

TEST(AgeRoundTrip, ScryptWithTheRightPassphrase) {
  const Bytes plain = pattern(kChunk + 3);
  const Bytes file = encrypt_ok(recipients_of(passphrase("correct horse")), plain);
  const std::string header(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(header_size(file)));
  EXPECT_NE(header.find("\n-> scrypt "), std::string::npos);
  EXPECT_NE(header.find(" 10\n"), std::string::npos) << "work factor 10 as a decimal argument";
  std::vector<Identity> ids;
  ids.emplace_back(passphrase("correct horse"));
  const Decrypted d = decrypt_bytes(ids, file);
  EXPECT_FALSE(d.cls) << describe(d);
  EXPECT_TRUE(d.released == plain);
}

TEST(AgeRoundTrip, ArmorIsPemWith64ColumnLines) {
  Keys k;
  const Bytes file = encrypt_ok(k.recipients(), pattern(1000), true);
  const std::string s(file.begin(), file.end());
  ASSERT_EQ(s.rfind("-----BEGIN AGE ENCRYPTED FILE-----\n", 0), 0u);
  ASSERT_GE(s.size(), 33u);
  EXPECT_EQ(s.substr(s.size() - 33), "-----END AGE ENCRYPTED FILE-----\n");
  std::vector<std::string> lines;
  for (std::size_t p = 35; p < s.size() - 33;) {
    const std::size_t e = s.find('\n', p);
    lines.push_back(s.substr(p, e - p));
    p = e + 1;
  }
  ASSERT_FALSE(lines.empty());
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_EQ(lines[i].size(), 64u) << "line " << i;
  EXPECT_LE(lines.back().size(), 64u);
  EXPECT_EQ(lines.back().size() % 4, 0u) << "the last line is padded";
}

TEST(AgeRoundTrip, ProgressIsReportedPerChunkUpToTheTotal) {
  Keys k;
  const Bytes plain = pattern(3 * kChunk + 10);
  std::vector<std::uint64_t> seen;
  std::size_t pos = 0;
  Bytes file;
  EncryptOptions eo;
  eo.progress = [&](std::uint64_t done) { seen.push_back(done); };
  const Status st = encrypt(
      k.recipients(),
      [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
        const std::size_t n = std::min(buf.size(), plain.size() - pos);
        std::memcpy(buf.data(), plain.data() + pos, n);
        pos += n;
        return n;
      },
      [&](std::span<const std::uint8_t> b) -> Status {
        file.insert(file.end(), b.begin(), b.end());
        return {};
      },
      eo);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{kChunk, 2 * kChunk, 3 * kChunk, 3 * kChunk + 10}));

  seen.clear();
  pos = 0;
  DecryptOptions dopt;
  dopt.progress = [&](std::uint64_t done) { seen.push_back(done); };
  const auto err = decrypt(
      k.identities(),
      [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
        const std::size_t n = std::min(buf.size(), file.size() - pos);
        std::memcpy(buf.data(), file.data() + pos, n);
        pos += n;
        return n;
      },
      [](std::span<const std::uint8_t>) -> Status { return {}; }, dopt);
  ASSERT_TRUE(err.ok()) << err.error().message;
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{kChunk, 2 * kChunk, 3 * kChunk, 3 * kChunk + 10}));
}

TEST(AgeRoundTrip, ReadsAndWritesInAnyPieceSizes) {
  Keys k;
  const Bytes plain = pattern(2 * kChunk + 77);
  for (bool armor : {false, true}) {
    const Bytes file = encrypt_ok(k.recipients(), plain, armor);
    for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{100000}}) {
      std::size_t pos = 0;
      Bytes out;
      const auto err = decrypt(
          k.identities(),
          [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
            const std::size_t n = std::min({buf.size(), piece, file.size() - pos});
            std::memcpy(buf.data(), file.data() + pos, n);
            pos += n;
            return n;
          },
          [&](std::span<const std::uint8_t> b) -> Status {
            out.insert(out.end(), b.begin(), b.end());
            return {};
          });
      EXPECT_TRUE(err.ok()) << piece << ": " << err.error().message;
      EXPECT_TRUE(out == plain) << piece;
    }
  }
}

// Encryption seals batches of 16 chunks on worker threads while the caller's thread reads the
// next batch into a ring of three: the sizes around a batch, around the ring, and a reader that
// hands out odd pieces must all give the single valid encoding.
TEST(AgeRoundTrip, EncryptionPipelineAtBatchAndRingBoundaries) {
  Keys k;
  constexpr std::size_t kBatchOf = 16 * kChunk;
  for (std::size_t n : {kBatchOf - 1, kBatchOf, kBatchOf + 1, 2 * kBatchOf, 3 * kBatchOf, 3 * kBatchOf + 1,
                        4 * kBatchOf + kChunk, 7 * kBatchOf + 3}) {
    const Bytes plain = pattern(n, static_cast<std::uint32_t>(n));
    for (std::size_t piece : {std::size_t{0}, std::size_t{70001}}) {  // 0: as much as asked
      std::size_t pos = 0;
      Bytes file;
      const Status st = encrypt(
          k.recipients(),
          [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
            std::size_t m = std::min(buf.size(), plain.size() - pos);
            if (piece != 0) m = std::min(m, piece);
            std::memcpy(buf.data(), plain.data() + pos, m);
            pos += m;
            return m;
          },
          [&](std::span<const std::uint8_t> b) -> Status {
            file.insert(file.end(), b.begin(), b.end());
            return {};
          });
      ASSERT_TRUE(st.ok()) << n << ": " << st.error().message;
      const std::size_t chunks = (n + kChunk - 1) / kChunk;
      EXPECT_EQ(file.size(), header_size(file) + 16 + n + 16 * chunks) << n;
      const Decrypted d = decrypt_bytes(k.identities(), file);
      EXPECT_FALSE(d.cls) << n << " piece " << piece << ": " << describe(d);
      EXPECT_TRUE(d.released == plain) << n << " piece " << piece;
    }
  }
}

// A reader or writer that fails part-way stops the pipeline with that error (no hang, no crash)
// and nothing more is written after a failed write.
TEST(AgeRoundTrip, EncryptionStopsCleanlyWhenTheReaderOrWriterFails) {
  Keys k;
  const std::size_t total = 5 * 16 * kChunk + 123;
  for (std::size_t fail_at : {std::size_t{0}, kChunk, 16 * kChunk, 40 * kChunk + 9, total - 1}) {
    std::size_t pos = 0;
    const Status st = encrypt(
        k.recipients(),
        [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
          if (pos >= fail_at) return fail(ErrorCode::io, "disk on fire");
          const std::size_t m = std::min({buf.size(), total - pos, fail_at - pos});
          std::memset(buf.data(), 7, m);
          pos += m;
          return m;
        },
        [](std::span<const std::uint8_t>) -> Status { return {}; });
    ASSERT_FALSE(st.ok()) << "reader failing at " << fail_at;
    EXPECT_NE(st.error().message.find("disk on fire"), std::string::npos) << st.error().message;
  }
  for (std::size_t writes_allowed : {std::size_t{0}, std::size_t{1}, std::size_t{17}, std::size_t{50}}) {
    const Bytes plain = pattern(5 * 16 * kChunk + 5);
    std::size_t pos = 0, writes = 0, after_failure = 0;
    bool failed = false;
    const Status st = encrypt(
        k.recipients(),
        [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
          const std::size_t m = std::min(buf.size(), plain.size() - pos);
          std::memcpy(buf.data(), plain.data() + pos, m);
          pos += m;
          return m;
        },
        [&](std::span<const std::uint8_t>) -> Status {
          if (failed) ++after_failure;
          if (writes++ == writes_allowed) {
            failed = true;
            return fail(ErrorCode::io, "no space left");
          }
          return {};
        });
    ASSERT_FALSE(st.ok()) << "writer failing after " << writes_allowed;
    EXPECT_NE(st.error().message.find("no space left"), std::string::npos) << st.error().message;
    EXPECT_EQ(after_failure, 0u);
  }
}

// --- Keys -----------------------------------------------------------------------------------

TEST(AgeKeys, SpecificationExampleIdentityAndRecipient) {
  // The example pair from the age specification (C2SP age.md, "The X25519 recipient type").
  Result<X25519Identity> id = X25519Identity::parse("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX");
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->recipient().to_string(), "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj");
  EXPECT_EQ(id->to_string().view(), "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX");
}

TEST(AgeKeys, GeneratedKeysRoundTripThroughTheirEncodings) {
  const X25519Identity id = X25519Identity::generate();
  Result<X25519Identity> back = X25519Identity::parse(id.to_string().view());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(equal_ct(back->secret_key.span(), id.secret_key.span()));
  Result<X25519Recipient> r = X25519Recipient::parse(id.recipient().to_string());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->public_key, id.recipient().public_key);
}

TEST(AgeKeys, BrokenEncodingsAreRefused) {
  const std::string rec = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
  const std::string sec = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
  std::string upper = rec;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string lower = sec;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string bad_checksum = rec;
  bad_checksum.back() = bad_checksum.back() == 'j' ? 'k' : 'j';
  for (const std::string& s : {upper, bad_checksum, std::string("age1"), sec, std::string()})
    EXPECT_FALSE(X25519Recipient::parse(s).ok()) << s;
  for (const std::string& s : {lower, rec, sec.substr(0, sec.size() - 1), std::string("AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG")})
    EXPECT_FALSE(X25519Identity::parse(s).ok()) << s;
}

TEST(AgeEncrypt, RefusesWhatTheSpecificationForbids) {
  Keys k;
  EXPECT_FALSE(encrypt_to_memory({}, pattern(1)).ok()) << "no recipients";
  EXPECT_FALSE(encrypt_to_memory(recipients_of(passphrase("a"), k.identity.recipient()), pattern(1)).ok()) << "scrypt not alone";
  EXPECT_FALSE(encrypt_to_memory(recipients_of(passphrase("a"), passphrase("b")), pattern(1)).ok()) << "two scrypt stanzas";
  EXPECT_FALSE(encrypt_to_memory(recipients_of(passphrase("")), pattern(1)).ok()) << "empty passphrase";
  EXPECT_FALSE(encrypt_to_memory(recipients_of(passphrase("a", 0)), pattern(1)).ok()) << "work factor 0";
  EXPECT_FALSE(encrypt_to_memory(recipients_of(X25519Recipient{}), pattern(1)).ok()) << "all-zero (low-order) recipient";
}

// --- Tampering ------------------------------------------------------------------------------

TEST(AgeTamper, EveryFlippedHeaderByteFailsBeforeAnyPlaintext) {
  Keys k;
  const Bytes plain = pattern(100);
  const Bytes file = encrypt_ok(k.recipients(), plain);
  const std::size_t h = header_size(file);
  const std::set<FailureClass> allowed = {FailureClass::header, FailureClass::hmac, FailureClass::no_match};
  for (std::size_t i = 0; i < h; ++i) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x20}, std::uint8_t{0x80}}) {
      Bytes f = file;
      f[i] ^= mask;
      const Decrypted d = decrypt_bytes(k.identities(), f);
      ASSERT_TRUE(d.cls) << "flip at " << i;
      EXPECT_TRUE(allowed.count(*d.cls)) << "flip at " << i << ": " << describe(d);
      EXPECT_TRUE(d.released.empty()) << "flip at " << i;
    }
  }
}

TEST(AgeTamper, FlippedMacIsAnHmacFailure) {
  Keys k;
  const Bytes file = encrypt_ok(k.recipients(), pattern(100));
  const std::size_t mac_start = header_size(file) - 1 - 43;
  for (std::size_t i = mac_start; i < mac_start + 42; ++i) {  // the 43rd carries padding bits
    Bytes f = file;
    f[i] = f[i] == 'A' ? 'B' : 'A';
    const Decrypted d = decrypt_bytes(k.identities(), f);
    EXPECT_EQ(d.cls, FailureClass::hmac) << i << ": " << describe(d);
  }
}

TEST(AgeTamper, FlippedPayloadByteReleasesOnlyTheChunksBeforeIt) {
  Keys k;
  const Bytes plain = pattern(3 * kChunk + 1000);
  const Bytes file = encrypt_ok(k.recipients(), plain);
  const std::size_t h = header_size(file);
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < 16; ++i) offsets.push_back(h + i);  // the nonce
  for (std::size_t c = 0; c < 4; ++c) {
    const std::size_t start = h + 16 + c * kSealed;
    const std::size_t len = std::min(kSealed, file.size() - start);
    for (std::size_t off : {std::size_t{0}, std::size_t{1}, len / 2, len - 17, len - 16, len - 8, len - 1})
      offsets.push_back(start + off);
  }
  for (std::size_t off : offsets) {
    Bytes f = file;
    f[off] ^= 0x40;
    const Decrypted d = decrypt_bytes(k.identities(), f);
    EXPECT_EQ(d.cls, FailureClass::payload) << off << ": " << describe(d);
    const std::size_t chunk = off < h + 16 ? 0 : (off - h - 16) / kSealed;
    EXPECT_TRUE(d.released == slice(plain, 0, chunk * kChunk)) << off << ": " << describe(d);
  }
}

TEST(AgeTamper, TruncationAtAndAroundEveryChunkBoundary) {
  Keys k;
  for (std::size_t n : {3 * kChunk, 3 * kChunk + 1000}) {
    const Bytes plain = pattern(n);
    const Bytes file = encrypt_ok(k.recipients(), plain);
    const std::size_t payload = header_size(file) + 16;
    for (std::size_t c = 0; c <= 4; ++c) {
      for (long d : {-17L, -16L, -15L, -1L, 0L, 1L, 15L, 16L, 17L}) {
        const long cut_l = static_cast<long>(payload + c * kSealed) + d;
        if (cut_l < static_cast<long>(payload) || cut_l >= static_cast<long>(file.size())) continue;
        const std::size_t cut = static_cast<std::size_t>(cut_l);
        const Decrypted r = decrypt_bytes(k.identities(), slice(file, 0, cut));
        EXPECT_EQ(r.cls, FailureClass::payload) << n << " cut at " << cut << ": " << describe(r);
        const std::size_t whole = (cut - payload) / kSealed;  // complete chunks left
        EXPECT_TRUE(r.released == slice(plain, 0, whole * kChunk)) << n << " cut at " << cut << ": " << describe(r);
      }
    }
    // Inside the header and the nonce: a header failure, nothing released.
    for (std::size_t cut : {std::size_t{0}, std::size_t{10}, payload - 17, payload - 16, payload - 1}) {
      const Decrypted r = decrypt_bytes(k.identities(), slice(file, 0, cut));
      EXPECT_EQ(r.cls, FailureClass::header) << "cut at " << cut << ": " << describe(r);
      EXPECT_TRUE(r.released.empty());
    }
  }
}

TEST(AgeTamper, DroppedDuplicatedAndSwappedChunks) {
  Keys k;
  const Bytes plain = pattern(4 * kChunk + 500);  // 5 chunks, the last one short
  const Parts p = split(encrypt_ok(k.recipients(), plain));
  ASSERT_EQ(p.chunks.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    Parts dropped = p;
    dropped.chunks.erase(dropped.chunks.begin() + static_cast<std::ptrdiff_t>(i));
    Decrypted d = decrypt_bytes(k.identities(), dropped.join());
    EXPECT_EQ(d.cls, FailureClass::payload) << "drop " << i << ": " << describe(d);
    EXPECT_TRUE(d.released == slice(plain, 0, i * kChunk)) << "drop " << i << ": " << describe(d);

    Parts duplicated = p;
    duplicated.chunks.insert(duplicated.chunks.begin() + static_cast<std::ptrdiff_t>(i), p.chunks[i]);
    d = decrypt_bytes(k.identities(), duplicated.join());
    EXPECT_EQ(d.cls, FailureClass::payload) << "duplicate " << i << ": " << describe(d);
    const std::size_t good = i == 4 ? 4 : i + 1;  // a duplicated final chunk merges with its copy
    EXPECT_TRUE(d.released == slice(plain, 0, good * kChunk)) << "duplicate " << i << ": " << describe(d);

    if (i + 1 < 5) {
      Parts swapped = p;
      std::swap(swapped.chunks[i], swapped.chunks[i + 1]);
      d = decrypt_bytes(k.identities(), swapped.join());
      EXPECT_EQ(d.cls, FailureClass::payload) << "swap " << i << ": " << describe(d);
      EXPECT_TRUE(d.released == slice(plain, 0, i * kChunk)) << "swap " << i << ": " << describe(d);
    }
  }
  // A chunk from another file with the same recipient does not fit.
  const Parts other = split(encrypt_ok(k.recipients(), plain));
  Parts mixed = p;
  mixed.chunks[2] = other.chunks[2];
  const Decrypted d = decrypt_bytes(k.identities(), mixed.join());
  EXPECT_EQ(d.cls, FailureClass::payload) << describe(d);
  EXPECT_TRUE(d.released == slice(plain, 0, 2 * kChunk));
}

TEST(AgeTamper, SecondFinalChunkAndTrailingData) {
  Keys k;
  // A short final chunk followed by more bytes: the final chunk no longer ends the file.
  {
    const Bytes plain = pattern(2 * kChunk + 300);
    const Parts p = split(encrypt_ok(k.recipients(), plain));
    for (const Bytes& extra : {p.chunks.back(), Bytes{0}, pattern(17), pattern(kSealed), pattern(kSealed + 1)}) {
      Parts q = p;
      q.chunks.push_back(extra);
      const Decrypted d = decrypt_bytes(k.identities(), q.join());
      EXPECT_EQ(d.cls, FailureClass::payload) << extra.size() << ": " << describe(d);
      // The short final chunk never verifies once anything follows it.
      EXPECT_TRUE(d.released == slice(plain, 0, 2 * kChunk)) << extra.size() << ": " << describe(d);
    }
  }
  // A full-size final chunk followed by more bytes: it verifies as a final chunk, is released
  // (as the CCTV kit expects: stream_two_final_chunks_full, stream_trailing_garbage_long), and
  // the data after it is refused.
  {
    const Bytes plain = pattern(2 * kChunk);
    const Parts p = split(encrypt_ok(k.recipients(), plain));
    for (const Bytes& extra : {p.chunks.back(), Bytes{0}, pattern(16), pattern(kSealed + 1)}) {
      Parts q = p;
      q.chunks.push_back(extra);
      const Decrypted d = decrypt_bytes(k.identities(), q.join());
      EXPECT_EQ(d.cls, FailureClass::payload) << extra.size() << ": " << describe(d);
      EXPECT_TRUE(d.released == plain) << extra.size() << ": " << describe(d);
    }
  }
  // An empty file's single empty final chunk, doubled.
  {
    const Parts p = split(encrypt_ok(k.recipients(), {}));
    Parts q = p;
    q.chunks.push_back(p.chunks.back());
    const Decrypted d = decrypt_bytes(k.identities(), q.join());
    EXPECT_EQ(d.cls, FailureClass::payload) << describe(d);
    EXPECT_TRUE(d.released.empty());
  }
}

TEST(AgeTamper, ArmoredFilesFailAsArmorOrAsTheirContent) {
  Keys k;
  const Bytes plain = pattern(2 * kChunk + 5);
  const Bytes file = encrypt_ok(k.recipients(), plain, true);
  const std::string s(file.begin(), file.end());
  auto run = [&](const std::string& text) {
    return decrypt_bytes(k.identities(), Bytes(text.begin(), text.end()));
  };
  EXPECT_FALSE(run(s).cls);
  EXPECT_FALSE(run("\n \t\r\n" + s + "\r\n\n").cls) << "whitespace around the armor is allowed";
  EXPECT_EQ(run(s + "x").cls, FailureClass::armor);
  EXPECT_EQ(run("x" + s).cls, FailureClass::armor);
  EXPECT_EQ(run(s.substr(0, s.size() - 1) + " \n").cls, FailureClass::armor);
  EXPECT_EQ(run(s + std::string(2000, ' ')).cls, FailureClass::armor) << "too much trailing whitespace";
  std::string crlf;
  for (char c : s) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  EXPECT_FALSE(run(crlf).cls) << "CRLF line endings are allowed";
  // A changed base64 character inside the payload: the armor is still valid, the chunk is not.
  // Decoded offset 100 bytes into the second sealed chunk -> its character in the armor.
  const std::size_t decoded = header_size(encrypt_ok(k.recipients(), {})) + 16 + kSealed + 100;
  const std::size_t at = 35 + decoded / 48 * 65 + decoded % 48 / 3 * 4;
  std::string modified = s;
  modified[at] = modified[at] == 'A' ? 'B' : 'A';
  Decrypted d = run(modified);
  EXPECT_EQ(d.cls, FailureClass::payload) << describe(d);
  EXPECT_TRUE(d.released == slice(plain, 0, kChunk)) << describe(d);
  // The END line missing: the final chunk is never released (and the armor error may surface
  // while a chunk before it is being read).
  d = run(s.substr(0, s.find("-----END")));
  EXPECT_EQ(d.cls, FailureClass::armor) << describe(d);
  EXPECT_EQ(d.released.size() % kChunk, 0u) << describe(d);
  EXPECT_LE(d.released.size(), 2 * kChunk) << describe(d);
  EXPECT_TRUE(d.released == slice(plain, 0, d.released.size())) << describe(d);
}

// --- Identities and passphrases -------------------------------------------------------------

TEST(AgeIdentities, WrongIdentityOrPassphraseIsNoMatch) {
  Keys k, other;
  const Bytes plain = pattern(1000);
  Decrypted d = decrypt_bytes(other.identities(), encrypt_ok(k.recipients(), plain));
  EXPECT_EQ(d.cls, FailureClass::no_match) << describe(d);
  d = decrypt_bytes({}, encrypt_ok(k.recipients(), plain));
  EXPECT_EQ(d.cls, FailureClass::no_match) << describe(d);

  const Bytes scrypt_file = encrypt_ok(recipients_of(passphrase("right")), plain);
  std::vector<Identity> wrong;
  wrong.emplace_back(passphrase("wrong"));
  d = decrypt_bytes(wrong, scrypt_file);
  EXPECT_EQ(d.cls, FailureClass::no_match) << describe(d);
  EXPECT_TRUE(d.released.empty());
  // An X25519 identity does not open a passphrase file, nor a passphrase an X25519 file.
  EXPECT_EQ(decrypt_bytes(k.identities(), scrypt_file).cls, FailureClass::no_match);
  EXPECT_EQ(decrypt_bytes(wrong, encrypt_ok(k.recipients(), plain)).cls, FailureClass::no_match);
  // Several identities: any one that matches is enough.
  std::vector<Identity> several;
  several.emplace_back(passphrase("wrong"));
  several.emplace_back(X25519Identity{other.identity.secret_key.clone()});
  several.emplace_back(passphrase("right"));
  d = decrypt_bytes(several, scrypt_file);
  EXPECT_FALSE(d.cls) << describe(d);
  several.emplace_back(X25519Identity{k.identity.secret_key.clone()});
  d = decrypt_bytes(several, encrypt_ok(k.recipients(), plain));
  EXPECT_FALSE(d.cls) << describe(d);
}

TEST(AgeIdentities, ScryptWorkFactorAboveTheLimitIsRefusedWithoutDoingTheWork) {
  const Bytes file = encrypt_ok(recipients_of(passphrase("pw")), pattern(10));
  std::string s(file.begin(), file.end());
  const std::size_t wf = s.find(" 10\n");
  ASSERT_NE(wf, std::string::npos);
  std::vector<Identity> ids;
  ids.emplace_back(passphrase("pw"));
  for (const std::string& factor : {std::string("23"), std::string("30"), std::string("62"), std::string("99")}) {
    std::string t = s;
    t.replace(wf + 1, 2, factor);
    const auto start = std::chrono::steady_clock::now();
    const Decrypted d = decrypt_bytes(ids, Bytes(t.begin(), t.end()));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(d.cls, FailureClass::header) << factor << ": " << describe(d);
    EXPECT_LT(took, std::chrono::milliseconds(500)) << "work factor " << factor << " must be refused, not computed";
  }
  // The limit is the identity's: 10 is too much for a limit of 9.
  std::vector<Identity> strict;
  strict.emplace_back(passphrase("pw", 10, 9));
  EXPECT_EQ(decrypt_bytes(strict, file).cls, FailureClass::header);
  // A longer number is refused outright.
  std::string t = s;
  t.replace(wf + 1, 2, "123");
  EXPECT_EQ(decrypt_bytes(ids, Bytes(t.begin(), t.end())).cls, FailureClass::header);
}

TEST(AgeIdentities, ScryptWorkFactorMustBeAPlainDecimal) {
  // The kit's scrypt_work_factor_trailing_garbage is byte-identical to its leading_garbage
  // vector ("aaaa10"), so trailing garbage is checked here, with a few more forms.
  const Bytes file = encrypt_ok(recipients_of(passphrase("pw")), pattern(10));
  const std::string s(file.begin(), file.end());
  const std::size_t wf = s.find(" 10\n");
  ASSERT_NE(wf, std::string::npos);
  for (const char* bad : {"10aaaa", "10 ", "1O", "0x0a", "+10", "010", "-10", "1.0", "1e1", "0", "00", "10\t"}) {
    std::string t = s;
    t.replace(wf + 1, 2, bad);
    const Decrypted d = decrypt_bytes(identities_of(passphrase("pw")), Bytes(t.begin(), t.end()));
    EXPECT_EQ(d.cls, FailureClass::header) << "\"" << bad << "\": " << describe(d);
  }
}

TEST(AgeIdentities, ErrorDetailsNeverContainKeysOrPlaintext) {
  Keys k;
  const std::string secret_text = "attaché's draft: the hotline proposal";
  const Bytes plain(secret_text.begin(), secret_text.end());
  const Bytes file = encrypt_ok(k.recipients(), plain);
  const std::string id_text(k.identity.to_string().view());
  std::vector<Bytes> broken;
  Bytes f = file;
  f[header_size(file) + 20] ^= 1;
  broken.push_back(f);
  f = file;
  f[header_size(file) - 5] ^= 1;
  broken.push_back(f);
  broken.push_back(slice(file, 0, file.size() - 3));
  for (const Bytes& b : broken) {
    for (const auto& ids : {k.identities(), Keys().identities()}) {
      const Decrypted d = decrypt_bytes(ids, b);
      ASSERT_TRUE(d.cls);
      EXPECT_EQ(d.detail.find("hotline"), std::string::npos);
      EXPECT_EQ(d.detail.find(id_text), std::string::npos);
      EXPECT_EQ(d.detail.find(id_text.substr(16, 20)), std::string::npos);
      EXPECT_LT(d.detail.size(), 120u) << d.detail;
    }
  }
}

// --- The caller's reader and writer ---------------------------------------------------------

TEST(AgeCallbacks, ReaderAndWriterFailuresAreSystemFailures) {
  Keys k;
  const Bytes file = encrypt_ok(k.recipients(), pattern(3 * kChunk));
  std::size_t pos = 0;
  auto err = decrypt(
      k.identities(),
      [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
        if (pos > kChunk) return fail(ErrorCode::io, "disk on fire");
        const std::size_t n = std::min(buf.size(), file.size() - pos);
        std::memcpy(buf.data(), file.data() + pos, n);
        pos += n;
        return n;
      },
      [](std::span<const std::uint8_t>) -> Status { return {}; });
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(failure_class(err.error()), FailureClass::system);
  EXPECT_EQ(err.error().code, ErrorCode::io);
  EXPECT_NE(err.error().message.find("disk on fire"), std::string::npos);

  pos = 0;
  err = decrypt(
      k.identities(),
      [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
        const std::size_t n = std::min(buf.size(), file.size() - pos);
        std::memcpy(buf.data(), file.data() + pos, n);
        pos += n;
        return n;
      },
      [](std::span<const std::uint8_t>) -> Status { return fail(ErrorCode::io, "no space left"); });
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(failure_class(err.error()), FailureClass::system);

  const Status st = encrypt(
      k.recipients(), [](std::span<std::uint8_t>) -> Result<std::size_t> { return fail(ErrorCode::io, "unreadable"); },
      [](std::span<const std::uint8_t>) -> Status { return {}; });
  EXPECT_FALSE(st.ok());
}

// --- Constant memory ------------------------------------------------------------------------

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  return -1;
}

/// Encrypts `total` generated bytes on one thread and decrypts them through a pipe on this one;
/// returns the peak RSS growth in KiB (or -1 when it cannot be measured).
long stream_through_pipe(std::uint64_t total, bool armor) {
  Keys k;
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  std::signal(SIGPIPE, SIG_IGN);  // a write after the reader stopped must fail, not kill the test
  {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";  // resets VmHWM to the current RSS
  }
  const long base = status_kib("VmRSS:");
  Sha256 sent, got;
  Status enc_status;
  std::thread producer([&] {
    std::uint64_t made = 0;
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    EncryptOptions eo;
    eo.armor = armor;
    enc_status = encrypt(
        k.recipients(),
        [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
          const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), total - made));
          for (std::size_t i = 0; i < n; ++i) {
            if (i % 8 == 0) x = x * 6364136223846793005ull + 1442695040888963407ull;
            buf[i] = static_cast<std::uint8_t>(x >> (8 * (i % 8)));
          }
          sent.update(buf.first(n));
          made += n;
          return n;
        },
        [&](std::span<const std::uint8_t> b) -> Status {
          for (std::size_t off = 0; off < b.size();) {
            const ssize_t w = ::write(fds[1], b.data() + off, b.size() - off);
            if (w <= 0) return fail(ErrorCode::io, "pipe write failed");
            off += static_cast<std::size_t>(w);
          }
          return {};
        },
        eo);
    ::close(fds[1]);
  });
  std::uint64_t received = 0;
  const auto err = decrypt(
      k.identities(),
      [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
        const ssize_t r = ::read(fds[0], buf.data(), buf.size());
        if (r < 0) return fail(ErrorCode::io, "pipe read failed");
        return static_cast<std::size_t>(r);
      },
      [&](std::span<const std::uint8_t> b) -> Status {
        got.update(b);
        received += b.size();
        return {};
      });
  // Closing the read end first unblocks the producer if decrypt() stopped early.
  ::close(fds[0]);
  producer.join();
  EXPECT_TRUE(enc_status.ok()) << enc_status.error().message;
  EXPECT_TRUE(err.ok()) << err.error().message;
  EXPECT_EQ(received, total);
  EXPECT_EQ(hex_of(sent.finish()), hex_of(got.finish()));
  const long peak = status_kib("VmHWM:");
  return base < 0 || peak < 0 ? -1 : peak - base;
}

long peak_growth_of(const std::function<void()>& work) {
  {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
  }
  const long base = status_kib("VmRSS:");
  work();
  const long peak = status_kib("VmHWM:");
  return base < 0 || peak < 0 ? -1 : peak - base;
}

TEST(AgeMemory, TheMeasurementSeesA32MiBBuffer) {
  // Without this, a broken VmHWM reset would make the next test pass vacuously.
  const long growth = peak_growth_of([] {
    std::vector<std::uint8_t> big(32u << 20);
    for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = 1;
    volatile std::uint8_t sink = big[big.size() / 2];
    (void)sink;
  });
  EXPECT_GE(growth, 30 * 1024);
}

TEST(AgeMemory, Stream256MiBInConstantMemory) {
  constexpr std::uint64_t kTotal = 256ull << 20;
  for (bool armor : {false, true}) {
    const long growth = stream_through_pipe(kTotal, armor);
    ASSERT_GE(growth, 0) << "cannot read VmRSS/VmHWM from /proc/self/status";
    std::cout << "256 MiB " << (armor ? "armored" : "binary") << " encrypt+decrypt: peak RSS growth " << growth
              << " KiB\n";
    EXPECT_LT(growth, 16 * 1024) << (armor ? "armored" : "binary");
  }
}

}  // namespace
}  // namespace bc::crypto::age
