// Purge: a deleted and purged note's text is in no page of the database, no frame of the WAL
// (raw or decrypted), no FTS5 term, and no page of a plaintext export.
//
// The test decrypts pages itself, independently of SQLCipher's reader, so that free pages (which
// no SQL query shows) are covered too. SQLCipher 4 page layout with a raw 32-byte key: AES-256-CBC
// under the key as given; each 4096-byte page ends with 80 reserved bytes (16-byte IV, 64-byte
// HMAC-SHA512); page 1 begins with the 16-byte salt, which is not encrypted. A WAL frame is a
// 24-byte header (page number first, big-endian) and one such page.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/search.h"
#include "backchannel/core/vault.h"
#include "backchannel/crypto/subkey.h"
#include "backchannel/storage/key_file.h"
#include "test_support.h"
#include "vault_store_access.h"

namespace fs = std::filesystem;
using namespace bc;
using namespace bc::test;

namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kReserve = 80;
const std::string kPassphrase = "purge test passphrase";
const std::string kLatin = "PURGECANARYzq7Latin";
const std::string kLatinFolded = "purgecanaryzq7latin";
const std::string kPersian = "قناریپاکشده";             // "purged canary"
const std::string kEdited = "EDITCANARYzq7Revision";  // only in the edited revision
const std::string kEditedFolded = "editcanaryzq7revision";

std::vector<std::string> needles() { return {kLatin, kLatinFolded, kPersian, kEdited, kEditedFolded}; }

/// Decrypts one SQLCipher page (page 1 keeps its salt in the first 16 bytes, zeroed here).
std::string decrypt_page(const std::string& page, std::uint32_t pgno, const crypto::SecureBuffer& key) {
  const std::size_t offset = pgno == 1 ? 16 : 0;
  const auto* iv = reinterpret_cast<const unsigned char*>(page.data() + kPage - kReserve);
  std::string out(kPage, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n1 = 0, n2 = 0;
  const bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key.data(), iv) == 1 &&
                  EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
                  EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data() + offset), &n1,
                                    reinterpret_cast<const unsigned char*>(page.data() + offset),
                                    static_cast<int>(kPage - kReserve - offset)) == 1 &&
                  EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data() + offset + n1), &n2) == 1;
  EVP_CIPHER_CTX_free(ctx);
  EXPECT_TRUE(ok);
  return out;
}

/// Every page of a database file, decrypted.
std::vector<std::string> decrypt_db(const fs::path& file, const crypto::SecureBuffer& key) {
  const std::string bytes = read_file(file);
  std::vector<std::string> pages;
  for (std::size_t off = 0; off + kPage <= bytes.size(); off += kPage)
    pages.push_back(decrypt_page(bytes.substr(off, kPage), static_cast<std::uint32_t>(off / kPage + 1), key));
  return pages;
}

/// Every frame of a WAL file, decrypted.
std::vector<std::string> decrypt_wal(const fs::path& file, const crypto::SecureBuffer& key) {
  const std::string bytes = read_file(file);
  std::vector<std::string> pages;
  for (std::size_t off = 32; off + 24 + kPage <= bytes.size(); off += 24 + kPage) {
    const auto* h = reinterpret_cast<const unsigned char*>(bytes.data() + off);
    const std::uint32_t pgno = (std::uint32_t{h[0]} << 24) | (std::uint32_t{h[1]} << 16) | (std::uint32_t{h[2]} << 8) | h[3];
    pages.push_back(decrypt_page(bytes.substr(off + 24, kPage), pgno, key));
  }
  return pages;
}

/// How many of `pages` contain `needle`.
int pages_with(const std::vector<std::string>& pages, const std::string& needle) {
  int n = 0;
  for (const auto& p : pages) n += p.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

class SecretsPurge : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = core::Vault::create(dir / "vault", secret(kPassphrase), crypto::KdfProfile::interactive);
    ASSERT_TRUE(c.ok()) << c.error().message;
    vault = std::move(c->vault);
    // The database key, recomputed from vault.keys as the product does.
    auto keys = storage::load_key_file(dir / "vault" / "vault.keys");
    ASSERT_TRUE(keys.ok());
    auto master = storage::open_slot(*keys->find(storage::SlotType::passphrase), *keys,
                                     secret(kPassphrase).span());
    ASSERT_TRUE(master.ok());
    db_key = crypto::derive_subkey(*master, crypto::SubkeyPurpose::database);
    auto series = core::ensure_series(vault, "Purge series", core::Rule::chatham_house);
    ASSERT_TRUE(series.ok());
    core::NewMeeting m;
    m.series_id = *series;
    m.title = "Purge meeting";
    m.starts_at = "2026-11-29T10:00:00Z";
    auto id = core::create_meeting(vault, m);
    ASSERT_TRUE(id.ok());
    meeting = *id;
  }
  std::int64_t add(const std::string& text) {
    core::NewNote n;
    n.meeting_id = meeting;
    n.text = text;
    auto id = core::add_note(vault, n);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return id.ok() ? *id : 0;
  }
  fs::path db() const { return dir / "vault" / "vault.db"; }
  fs::path wal() const { return dir / "vault" / "vault.db-wal"; }
  /// Pages (database and WAL, decrypted) that contain `needle`.
  int decrypted_hits(const std::string& needle) {
    return pages_with(decrypt_db(db(), db_key), needle) + pages_with(decrypt_wal(wal(), db_key), needle);
  }

  TempDir dir;
  core::Vault vault;
  crypto::SecureBuffer db_key;
  std::int64_t meeting = 0;
};

}  // namespace

TEST_F(SecretsPurge, PurgedNoteIsInNoPageNoWalFrameAndNoIndexTerm) {
  // Many notes around it, so that the canary shares pages with text that stays.
  for (int i = 0; i < 40; ++i) add("filler note number " + std::to_string(i) + " about water sharing and rivers");
  const auto gone = add("Secret remark " + kLatin + " and " + kPersian + " about the hotline");
  ASSERT_TRUE(core::edit_note(vault, gone, "Secret remark " + kLatin + " " + kEdited + " " + kPersian).ok());
  for (int i = 40; i < 60; ++i) add("filler note number " + std::to_string(i) + " about dust storms");

  // Positive control: the decryption works (page 1 has SQLite's header fields) and the canary
  // is found in the decrypted pages before the purge.
  {
    const auto pages = decrypt_db(db(), db_key);
    ASSERT_FALSE(pages.empty());
    EXPECT_EQ(static_cast<unsigned char>(pages[0][21]), 64u) << "page 1 did not decrypt to a SQLite header";
    EXPECT_EQ(static_cast<unsigned char>(pages[0][22]), 32u);
    EXPECT_EQ(static_cast<unsigned char>(pages[0][23]), 32u);
  }
  for (const auto& n : needles()) {
    const int hits = decrypted_hits(n);
    std::printf("before purge: %s in %d decrypted pages/frames\n", n.c_str(), hits);
    EXPECT_GE(hits, 1) << "control: " << n << " not found before purge";
  }

  ASSERT_TRUE(core::delete_note(vault, gone).ok());
  auto purged = core::purge_deleted_notes(vault);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(*purged, 1);

  // SQL view: the rows, the revisions and the FTS5 vocabulary.
  auto& sql = bc::core::vault_store(vault).db();
  EXPECT_EQ(*sql.query_int("SELECT count(*) FROM notes WHERE text LIKE '%CANARY%' OR search_text LIKE '%canary%'"), 0);
  EXPECT_EQ(*sql.query_int("SELECT count(*) FROM note_revisions WHERE text LIKE '%CANARY%'"), 0);
  ASSERT_TRUE(sql.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, notes_fts, 'row')").ok());
  EXPECT_EQ(*sql.query_int("SELECT count(*) FROM temp.vocab WHERE term LIKE '%canary%' OR term LIKE '%قناری%'"), 0);
  EXPECT_GT(*sql.query_int("SELECT count(*) FROM temp.vocab WHERE term = 'filler'"), 0) << "fts5vocab works";
  EXPECT_EQ(core::search_notes(vault, kLatin)->size(), 0u);

  // Raw files: the WAL was checkpointed and truncated by the purge; nothing in the clear anywhere.
  std::printf("after purge: vault.db %zu pages, WAL %ju bytes\n", decrypt_db(db(), db_key).size(),
              static_cast<std::uintmax_t>(fs::file_size(wal())));
  EXPECT_EQ(fs::file_size(wal()), 0u);
  for (const auto& n : needles()) {
    EXPECT_FALSE(any_file_contains(dir / "vault", n)) << n << " in a raw vault file";
    EXPECT_EQ(decrypted_hits(n), 0) << n << " in a decrypted page of vault.db or vault.db-wal after purge";
  }

  // Later writes go through the WAL again: decrypt those frames before the next checkpoint.
  for (int i = 60; i < 70; ++i) add("after the purge " + std::to_string(i));
  EXPECT_GT(fs::file_size(wal()), 0u);
  for (const auto& n : needles())
    EXPECT_EQ(pages_with(decrypt_wal(wal(), db_key), n), 0) << n << " in a decrypted WAL frame written after purge";

  // A plaintext copy made by SQLCipher itself (sqlcipher_export) holds no trace either.
  const fs::path plain = dir / "plain.db";
  write_file(plain, "");  // the vault connection opens files without SQLITE_OPEN_CREATE
  for (const std::string& step : {"ATTACH DATABASE '" + plain.string() + "' AS plain KEY ''",
                                 std::string("SELECT sqlcipher_export('plain')"), std::string("DETACH DATABASE plain")}) {
    auto st = sql.exec(step);
    ASSERT_TRUE(st.ok()) << step << ": " << st.error().message;
  }
  const std::string plain_bytes = read_file(plain);
  EXPECT_NE(plain_bytes.find("filler note number 7"), std::string::npos) << "control: export is readable";
  for (const auto& n : needles()) EXPECT_EQ(plain_bytes.find(n), std::string::npos) << n << " in sqlcipher_export";

  // After lock (close checkpoints again) the files are still clean.
  vault.lock();
  for (const auto& n : needles()) {
    EXPECT_EQ(pages_with(decrypt_db(db(), db_key), n), 0) << n << " after lock";
    EXPECT_FALSE(any_file_contains(dir / "vault", n)) << n;
  }
}
