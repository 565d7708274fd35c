// Numbered migrations and the refusal of a newer schema.
#include "backchannel/storage/schema.h"

#include <gtest/gtest.h>

#include "backchannel/crypto/random.h"
#include "backchannel/crypto/sodium_init.h"
#include "test_support.h"

namespace bc::storage {
namespace {

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize().ok());
    auto d = Database::open(dir / "v.db", key, OpenMode::create_new);
    ASSERT_TRUE(d.ok());
    db = std::move(*d);
  }
  test::TempDir dir;
  crypto::SecureBuffer key = crypto::random_secret(32);
  Database db;
};

TEST_F(SchemaTest, MigrateBringsAnEmptyDatabaseToTheLatestVersion) {
  EXPECT_EQ(*schema_version(db), 0);
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_EQ(*schema_version(db), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 1);
  // The tables the vault needs exist and are STRICT.
  for (const char* table : {"series", "meetings", "participants", "participant_aliases", "attendance", "disclosure",
                            "notes", "note_revisions", "audit_log", "vault_identity", "vault_meta"}) {
    auto sql = db.query_text(std::string("SELECT sql FROM sqlite_master WHERE name = '") + table + "'");
    ASSERT_TRUE(sql.ok());
    EXPECT_NE(sql->find("STRICT"), std::string::npos) << table;
  }
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'notes_fts'"), 1);
}

TEST_F(SchemaTest, MigrateIsIdempotent) {
  ASSERT_TRUE(migrate(db).ok());
  ASSERT_TRUE(db.exec("INSERT INTO vault_meta VALUES ('k', 'v')").ok());
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_EQ(*db.query_text("SELECT value FROM vault_meta WHERE key = 'k'"), "v");
}

TEST_F(SchemaTest, NewerSchemaIsRefusedAndLeftUntouched) {
  ASSERT_TRUE(migrate(db).ok());
  ASSERT_TRUE(db.exec("PRAGMA user_version = 999").ok());
  ASSERT_TRUE(db.checkpoint_truncate().ok());
  db.close();
  const auto before = test::snapshot(dir.path());
  auto reopened = Database::open(dir / "v.db", key, OpenMode::open_existing);
  ASSERT_TRUE(reopened.ok());
  auto st = migrate(*reopened);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::unsupported);
  EXPECT_NE(st.error().message.find("newer version"), std::string::npos);
  EXPECT_EQ(*schema_version(*reopened), 999);
  reopened->close();
  EXPECT_EQ(test::snapshot(dir.path()), before);
}

TEST_F(SchemaTest, ChecksRejectInvalidValues) {
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_FALSE(db.exec("INSERT INTO series(uid, title, rule, created_at) VALUES ('u', 't', 'anything-goes', 'x')").ok());
  ASSERT_TRUE(db.exec("INSERT INTO series(uid, title, rule, created_at) VALUES ('u', 't', 'chatham-house', 'x')").ok());
  ASSERT_TRUE(db.exec("INSERT INTO meetings(uid, series_id, title, starts_at, created_at) VALUES ('m', 1, 't', 's', 'x')").ok());
  EXPECT_FALSE(db.exec("INSERT INTO notes(uid, meeting_id, kind, visibility, text, search_text, revision, created_at, "
                       "updated_at) VALUES ('n', 1, 'rumour', 'summary', 't', 't', 1, 'x', 'x')").ok());
  EXPECT_FALSE(db.exec("INSERT INTO notes(uid, meeting_id, kind, visibility, text, search_text, revision, created_at, "
                       "updated_at) VALUES ('n', 99, 'statement', 'summary', 't', 't', 1, 'x', 'x')").ok())
      << "foreign keys are enforced";
}

}  // namespace
}  // namespace bc::storage
