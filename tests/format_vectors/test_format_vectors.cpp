// The format test vectors of docs/archive-format.md (tests/data/format-vectors, written by
// make_format_vectors): each age file decrypts, with its listed identity, to exactly the listed
// plaintext, both with our age code and with the real `age -d`; its header names the listed
// signer, whose fingerprint is the listed one; its signature verifies with the listed key, both
// through the core's signed-stream reader and computed here from the plaintext. Then the negative
// side: a flipped ciphertext byte, a changed record under a fresh encryption, and another signer's
// key are each refused.
#include "signed_records.h"
#include "sync_bundle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/age.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/signature_stream.h"
#include "test_support.h"
#include "tty_runner.h"

namespace bc::core {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

fs::path vector_dir() { return test::data_dir() / "format-vectors"; }

// One block of vectors.txt: "key: value" lines.
using Card = std::map<std::string, std::string>;

std::vector<Card> cards() {
  std::vector<Card> out;
  std::istringstream in(test::read_file(vector_dir() / "vectors.txt"));
  Card card;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') {
      if (!card.empty()) out.push_back(std::move(card));
      card.clear();
      continue;
    }
    const auto colon = line.find(": ");
    if (colon != std::string::npos) card[line.substr(0, colon)] = line.substr(colon + 2);
  }
  if (!card.empty()) out.push_back(std::move(card));
  return out;
}

std::span<const std::uint8_t> bytes_of(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

crypto::age::X25519Identity identity_of(const Card& c) {
  // The identity file: '#' comments and one AGE-SECRET-KEY-1 line.
  std::istringstream in(test::read_file(vector_dir() / c.at("identity file")));
  for (std::string line; std::getline(in, line);)
    if (line.rfind("AGE-SECRET-KEY-1", 0) == 0) {
      auto id = crypto::age::X25519Identity::parse(line);
      EXPECT_TRUE(id.ok()) << c.at("file");
      if (id.ok()) return std::move(id).value();
    }
  ADD_FAILURE() << c.at("identity file") << " holds no identity";
  return crypto::age::X25519Identity::generate();
}

// Decrypts with our age code: the plaintext, or the failure as "error: ...".
std::string decrypt(const Card& c, const std::string& file) {
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(identity_of(c));
  auto r = crypto::age::decrypt_from_memory(ids, bytes_of(file));
  if (!r) return "error: " + r.error().message;
  const auto& b = *r;
  return std::string(b.begin(), b.end());
}

// Reads `file` through the core's signed-stream reader, as every import does.
struct StreamRead {
  Status status;
  json header;
  crypto::Ed25519Public signer{};
  std::vector<json> records;
};
StreamRead read_stream(const Card& c, const std::string& file) {
  StreamRead out;
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(identity_of(c));
  std::size_t pos = 0;
  const crypto::age::ReadFn in = [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    const std::size_t n = std::min(buf.size(), file.size() - pos);
    std::copy_n(file.data() + pos, n, reinterpret_cast<char*>(buf.data()));
    pos += n;
    return n;
  };
  SignedStreamHandlers h;
  h.on_header = [&](const SecureJson& header, const crypto::Ed25519Public& key) -> Status {
    out.header = json(header);
    out.signer = key;
    return {};
  };
  h.on_record = [&](const SecureJson& record) -> Status {
    out.records.emplace_back(record);
    return {};
  };
  out.status = read_signed_stream(ids, in, h, nullptr);
  return out;
}

// The plaintext's lines, each without its line feed.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    out.push_back(text.substr(pos, nl - pos));
    pos = nl == std::string::npos ? text.size() : nl + 1;
  }
  return out;
}

// Verifies the signature line of `plaintext` over every byte before it, with `key`.
bool signature_verifies(const std::string& plaintext, const crypto::Ed25519Public& key) {
  const std::size_t last = plaintext.rfind('\n', plaintext.size() - 2);
  if (last == std::string::npos) return false;
  const json sig = json::parse(plaintext.substr(last + 1));
  auto raw = crypto::from_base64(sig.at("signature").get<std::string>());
  if (!raw || raw->size() != 64) return false;
  crypto::StreamSignature s;
  s.update(bytes_of(plaintext.substr(0, last + 1)));
  return s.verify(key, *raw);
}

class FormatVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Vault::initialize_libraries().ok());
    all = cards();
    ASSERT_EQ(all.size(), 3u) << "vectors.txt lists an archive, a package and a response";
  }
  std::string file(const Card& c) { return test::read_file(vector_dir() / c.at("file")); }
  std::string plaintext(const Card& c) { return test::read_file(vector_dir() / c.at("plaintext file")); }
  std::vector<Card> all;
};

TEST_F(FormatVectors, TheCardsDescribeOneOfEachKindAndTheirFilesExist) {
  std::set<std::string> formats;
  for (const auto& c : all) {
    formats.insert(c.at("format"));
    for (const char* key : {"file", "identity file", "plaintext file"})
      EXPECT_TRUE(fs::is_regular_file(vector_dir() / c.at(key))) << c.at(key);
    const std::string text = plaintext(c);
    crypto::Sha256 h;
    h.update(bytes_of(text));
    EXPECT_EQ(crypto::to_hex(h.finish()), c.at("plaintext sha256")) << c.at("file");
    EXPECT_EQ(std::to_string(lines_of(text).size() - 2), c.at("records")) << c.at("file");
  }
  EXPECT_EQ(formats, (std::set<std::string>{"backchannel.archive/1", "backchannel.package/1", "backchannel.response/1"}));
}

TEST_F(FormatVectors, OurAgeCodeDecryptsEachToItsExpectedPlaintext) {
  for (const auto& c : all) {
    EXPECT_EQ(identity_of(c).recipient().to_string(), c.at("recipient")) << c.at("file");
    EXPECT_EQ(decrypt(c, file(c)), plaintext(c)) << c.at("file");
    EXPECT_EQ(file(c).rfind("-----BEGIN AGE ENCRYPTED FILE-----", 0) == 0, c.at("armored") == "yes") << c.at("file");
  }
}

TEST_F(FormatVectors, TheAgeToolDecryptsEachToItsExpectedPlaintext) {
  const std::string age = test::find_on_path("age");
  ASSERT_FALSE(age.empty()) << "the age tool is not installed (scripts/setup-deps --test)";
  for (const auto& c : all) {
    const auto r = test::run_program(age, {"-d", "-i", (vector_dir() / c.at("identity file")).string(),
                                           (vector_dir() / c.at("file")).string()});
    EXPECT_EQ(r.exit_code, 0) << c.at("file") << ": " << r.err;
    EXPECT_EQ(r.out, plaintext(c)) << c.at("file");
  }
}

TEST_F(FormatVectors, EachHeaderNamesTheListedSignerAndTheSignatureVerifiesWithIt) {
  for (const auto& c : all) {
    const std::string text = plaintext(c);
    const auto lines = lines_of(text);
    ASSERT_GE(lines.size(), 3u) << c.at("file");
    const json header = json::parse(lines.front());
    EXPECT_EQ(header.at("format"), c.at("format")) << c.at("file");
    EXPECT_EQ(header.at("signer"), c.at("signer")) << c.at("file");
    EXPECT_EQ(header.at("signer_recipient"), c.at("signer recipient")) << c.at("file");
    EXPECT_TRUE(header.contains("created_at")) << c.at("file");
    // The signed recipients are exactly the one the vector is encrypted to (issue 15, item 1).
    EXPECT_EQ(header.value("recipients", json()), json::array({c.at("recipient")})) << c.at("file");
    auto key = parse_signing_key(c.at("signer"));
    ASSERT_TRUE(key.ok()) << c.at("file");
    auto recipient = crypto::age::X25519Recipient::parse(c.at("signer recipient"));
    ASSERT_TRUE(recipient.ok()) << c.at("file");
    EXPECT_EQ(identity_fingerprint(*key, recipient->public_key), c.at("fingerprint")) << c.at("file");
    EXPECT_EQ(json::parse(lines.back()).size(), 1u) << "the last line holds only the signature";
    EXPECT_TRUE(signature_verifies(text, *key)) << c.at("file");

    // The core's reader: the same header and records, and the signature verified.
    const StreamRead read = read_stream(c, file(c));
    ASSERT_TRUE(read.status.ok()) << c.at("file") << ": " << read.status.error().message;
    EXPECT_EQ(read.signer, *key) << c.at("file");
    EXPECT_EQ(read.header, header) << c.at("file");
    ASSERT_EQ(read.records.size() + 2, lines.size()) << c.at("file");
    for (std::size_t i = 0; i < read.records.size(); ++i)
      EXPECT_EQ(read.records[i], json::parse(lines[i + 1])) << c.at("file") << " record " << i + 1;
    EXPECT_EQ(read.records.back().at("type"), "end") << c.at("file");
  }
}

TEST_F(FormatVectors, AFlippedCiphertextByteIsRefusedByOurCodeAndByAge) {
  const std::string age = test::find_on_path("age");
  ASSERT_FALSE(age.empty()) << "the age tool is not installed (scripts/setup-deps --test)";
  test::TempDir tmp;
  for (const auto& c : all) {
    std::string damaged = file(c);
    if (c.at("armored") == "yes") {
      // A Base64 character of the second body line, exchanged for another: the bytes it
      // encodes change, whatever part of the file they belong to.
      const std::size_t line2 = damaged.find('\n', damaged.find('\n') + 1) + 1;
      char& ch = damaged[line2 + 10];
      ch = ch == 'A' ? 'B' : 'A';
    } else {
      damaged[damaged.size() - 5] ^= 0x01;  // inside the last chunk's tag
    }
    EXPECT_EQ(decrypt(c, damaged).rfind("error: ", 0), 0u) << c.at("file");
    EXPECT_FALSE(read_stream(c, damaged).status.ok()) << c.at("file");
    const fs::path path = tmp / c.at("file");
    test::write_file(path, damaged);
    const auto r = test::run_program(age, {"-d", "-i", (vector_dir() / c.at("identity file")).string(), path.string()});
    EXPECT_NE(r.exit_code, 0) << c.at("file");
    EXPECT_NE(r.out, plaintext(c)) << c.at("file");
  }
}

TEST_F(FormatVectors, AChangedRecordFailsTheSignatureEvenWhenFreshlyEncrypted) {
  for (const auto& c : all) {
    const std::string text = plaintext(c);
    // A space before the first record's closing brace: still the same JSON, other bytes.
    std::string changed = text;
    const std::size_t end_of_record = changed.find('\n', changed.find('\n') + 1);
    changed.insert(end_of_record - 1, " ");
    EXPECT_EQ(json::parse(lines_of(changed)[1]), json::parse(lines_of(text)[1]));
    auto key = parse_signing_key(c.at("signer"));
    ASSERT_TRUE(key.ok());
    EXPECT_FALSE(signature_verifies(changed, *key)) << c.at("file");

    std::vector<crypto::age::Recipient> to;
    to.emplace_back(identity_of(c).recipient());
    auto reencrypted = crypto::age::encrypt_to_memory(to, bytes_of(changed));
    ASSERT_TRUE(reencrypted.ok());
    const std::string file2(reencrypted->begin(), reencrypted->end());
    EXPECT_EQ(decrypt(c, file2), changed) << "the age layer is intact";
    const StreamRead read = read_stream(c, file2);
    ASSERT_FALSE(read.status.ok()) << c.at("file") << ": the changed record passed the signature check";
    EXPECT_EQ(read.status.error().code, ErrorCode::auth_failed) << read.status.error().message;

    // The unchanged plaintext, freshly encrypted, still reads: the refusal above is the change's.
    auto same = crypto::age::encrypt_to_memory(to, bytes_of(text));
    ASSERT_TRUE(same.ok());
    EXPECT_TRUE(read_stream(c, std::string(same->begin(), same->end())).status.ok()) << c.at("file");
  }
}

TEST_F(FormatVectors, AnotherSignersKeyDoesNotVerify) {
  const Card* response = nullptr;
  for (const auto& c : all)
    if (c.at("format") == "backchannel.response/1") response = &c;
  ASSERT_NE(response, nullptr);
  for (const auto& c : all) {
    if (c.at("signer") == response->at("signer")) continue;
    auto other = parse_signing_key(response->at("signer"));
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(signature_verifies(plaintext(c), *other)) << c.at("file");
    auto own = parse_signing_key(c.at("signer"));
    EXPECT_FALSE(signature_verifies(plaintext(*response), *own)) << response->at("file");
  }
}


// ---- the team bundle vector of docs/sync.md ("Test vector") ----

// The `key: value` lines of the fenced block after "## Test vector" in docs/sync.md.
std::map<std::string, std::string> team_bundle_card() {
  const std::string doc = test::read_file(test::sample_meeting_file().parent_path().parent_path() / "sync.md");
  std::map<std::string, std::string> out;
  const std::size_t section = doc.find("\n## Test vector\n");
  if (section == std::string::npos) return out;
  const std::size_t open = doc.find("\n```text\n", section);
  const std::size_t close = doc.find("\n```\n", open + 1);
  if (open == std::string::npos || close == std::string::npos) return out;
  std::istringstream in(doc.substr(open + 9, close - open - 9));
  for (std::string line; std::getline(in, line);) {
    const std::size_t colon = line.find(": ");
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 2);
    value.erase(0, value.find_first_not_of(' '));
    out[line.substr(0, colon)] = value;
  }
  return out;
}

crypto::SecureBuffer secret_of_hex(const std::string& hex) {
  auto raw = crypto::from_hex(hex);
  EXPECT_TRUE(raw.ok()) << hex;
  return crypto::SecureBuffer::copy_of(std::span<const std::uint8_t>(raw->data(), raw->size()));
}

class TeamBundleVector : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Vault::initialize_libraries().ok());
    card = team_bundle_card();
    for (const char* key : {"signer seed", "signer", "age secret key bytes", "age secret key", "age recipient", "header", "record 1",
                            "end", "signature", "plaintext bytes", "plaintext sha256", "content hash"})
      ASSERT_TRUE(card.count(key)) << "docs/sync.md's test vector has no '" << key << "'";
    auto kp = crypto::ed25519_from_secret(secret_of_hex(card.at("signer seed")));
    ASSERT_TRUE(kp.ok());
    signer = std::move(*kp);
    identity.secret_key = secret_of_hex(card.at("age secret key bytes"));
  }

  // The bundle the card describes, written by the product's writer and decrypted again.
  std::pair<std::vector<std::uint8_t>, std::string> build() {
    const json header = json::parse(card.at("header"));
    sync::BundleHeader h;
    h.series = header.at("series");
    h.device = header.at("device");
    h.seq = header.at("seq");
    h.epoch = header.at("epoch");
    EXPECT_TRUE(sync::parse_hash(header.at("prev").get<std::string>(), h.prev));
    h.recipients = header.at("recipients").get<std::vector<std::string>>();
    h.deps = header.at("deps").get<std::map<std::string, std::int64_t>>();
    h.hlc = header.at("hlc");
    h.created_at = header.at("created_at");
    auto b = sync::write_bundle(h, {json::parse(card.at("record 1"))}, signer, header.at("signer_recipient"),
                                {identity.recipient()});
    EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
    if (!b.ok()) return {};
    std::vector<crypto::age::Identity> ids;
    ids.emplace_back(crypto::age::X25519Identity{identity.secret_key.clone()});
    auto plain = crypto::age::decrypt_from_memory(ids, b->bytes);
    EXPECT_TRUE(plain.ok());
    if (!plain.ok()) return {};
    EXPECT_EQ(sync::hash_hex(b->hash), card.at("content hash")) << "the content hash the next bundle names in prev";
    return {b->bytes, std::string(plain->begin(), plain->end())};
  }

  std::map<std::string, std::string> card;
  crypto::Ed25519KeyPair signer;
  crypto::age::X25519Identity identity;
};

TEST_F(TeamBundleVector, TheKeysInTheDocsAreTheOnesItNames) {
  EXPECT_EQ(signing_key_text(signer.public_key), card.at("signer"));
  EXPECT_EQ(identity.recipient().to_string(), card.at("age recipient"));
  EXPECT_EQ(std::string(identity.to_string().view()), card.at("age secret key"));
}

TEST_F(TeamBundleVector, OurWriterProducesExactlyThePlaintextInTheDocs) {
  const auto [file, text] = build();
  ASSERT_FALSE(text.empty());
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 5u) << "header, one record, pad, end, signature";
  EXPECT_EQ(lines[0], card.at("header"));
  EXPECT_EQ(lines[1], card.at("record 1"));
  EXPECT_EQ(json::parse(lines[2]).at("type"), "pad");
  EXPECT_EQ(lines[3], card.at("end"));
  EXPECT_EQ(lines[4], card.at("signature"));
  EXPECT_EQ(std::to_string(text.size()), card.at("plaintext bytes"));
  EXPECT_EQ(crypto::to_hex(crypto::sha256(bytes_of(text))), card.at("plaintext sha256"));
  auto key = parse_signing_key(card.at("signer"));
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(signature_verifies(text, *key)) << "checked here, independently of the reader";
}

TEST_F(TeamBundleVector, TheAgeToolDecryptsItAndOurReaderAcceptsItAndRefusesAChangedRecord) {
  const auto [file, text] = build();
  ASSERT_FALSE(file.empty());
  test::TempDir dir;
  test::write_file(dir / "bundle.age", std::string(file.begin(), file.end()));
  test::write_file(dir / "bundle.key", std::string(identity.to_string().view()) + "\n");
  const auto r = test::run_program(test::find_on_path("age"), {"-d", "-i", (dir / "bundle.key").string(), (dir / "bundle.age").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, text);
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(crypto::age::X25519Identity{identity.secret_key.clone()});
  auto read = sync::read_bundle(ids, file);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->header.seq, json::parse(card.at("header")).at("seq").get<std::int64_t>());
  EXPECT_EQ(sync::hash_hex(read->hash), card.at("content hash"));
  ASSERT_EQ(read->records.size(), 1u);
  EXPECT_EQ(read->records[0], json::parse(card.at("record 1")));
  // The same plaintext with one record byte changed, freshly encrypted: the signature fails.
  std::string changed = text;
  changed[lines_of(text)[0].size() + 10] ^= 0x01;
  std::vector<crypto::age::Recipient> to;
  to.emplace_back(identity.recipient());
  auto again = crypto::age::encrypt_to_memory(to, bytes_of(changed));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(sync::read_bundle(ids, *again).ok());
}

}  // namespace
}  // namespace bc::core
