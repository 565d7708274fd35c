// Database, Statement, Transaction over real SQLCipher files.
#include "backchannel/storage/database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "backchannel/crypto/random.h"
#include "backchannel/crypto/sodium_init.h"
#include "test_support.h"

namespace bc::storage {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::initialize().ok()); }
  test::TempDir dir;
  crypto::SecureBuffer key = crypto::random_secret(32);
};

TEST_F(DatabaseTest, SqlcipherVersionIsAtLeastFour) {
  auto v = check_sqlcipher_version();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_GE(std::stoi(*v), 4);
}

TEST_F(DatabaseTest, CreateWriteReopenRead) {
  {
    auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_TRUE(db->exec("CREATE TABLE t(x TEXT) STRICT").ok());
    auto st = db->prepare("INSERT INTO t VALUES (?)");
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(st->bind(1, "hello vault").run().ok());
  }
  auto db = Database::open(dir / "a.db", key, OpenMode::open_existing);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto text = db->query_text("SELECT x FROM t");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "hello vault");
  EXPECT_EQ(*db->query_text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*db->query_int("PRAGMA synchronous"), 2);    // FULL
  EXPECT_EQ(*db->query_int("PRAGMA secure_delete"), 1);
  EXPECT_EQ(*db->query_int("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*db->query_int("PRAGMA temp_store"), 2);     // MEMORY
}

TEST_F(DatabaseTest, FileIsEncryptedAndOwnerOnly) {
  {
    auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t(x TEXT); INSERT INTO t VALUES ('PLAINTEXT-CANARY-91');").ok());
  }
  const std::string bytes = test::read_file(dir / "a.db");
  EXPECT_EQ(bytes.find("PLAINTEXT-CANARY-91"), std::string::npos);
  EXPECT_EQ(bytes.find("SQLite format 3"), std::string::npos);
  struct stat st;
  ASSERT_EQ(::stat((dir / "a.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(DatabaseTest, WrongKeyFailsWithIntegrityAndChangesNothing) {
  {
    auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t(x)").ok());
  }
  const auto before = test::snapshot(dir.path());
  auto other = crypto::random_secret(32);
  auto db = Database::open(dir / "a.db", other, OpenMode::open_existing);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::integrity);
  EXPECT_EQ(test::snapshot(dir.path()), before);
}

TEST_F(DatabaseTest, OpenMissingAndCreateExisting) {
  auto missing = Database::open(dir / "none.db", key, OpenMode::open_existing);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir / "none.db"));
  test::write_file(dir / "x.db", "");
  auto exists = Database::open(dir / "x.db", key, OpenMode::create_new);
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().code, ErrorCode::conflict);
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(x INTEGER)").ok());
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(*db->query_int("SELECT count(*) FROM t"), 0);
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(*db->query_int("SELECT count(*) FROM t"), 1);
  EXPECT_FALSE(db->in_transaction());
}

TEST_F(DatabaseTest, NestedTransactionIsASavepoint) {
  auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(x INTEGER)").ok());
  auto outer = Transaction::begin(*db);
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1)").ok());
  {
    auto inner = Transaction::begin(*db);
    ASSERT_TRUE(inner.ok());
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (2)").ok());
  }  // inner rolled back only
  {
    auto inner = Transaction::begin(*db);
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (3)").ok());
    ASSERT_TRUE(inner->commit().ok());
  }
  ASSERT_TRUE(outer->commit().ok());
  EXPECT_EQ(*db->query_int("SELECT sum(x) FROM t"), 4);
}

TEST_F(DatabaseTest, StatementBindsAndReadsEveryType) {
  auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n TEXT) STRICT").ok());
  auto ins = db->prepare("INSERT INTO t VALUES (?,?,?,?,?)");
  ASSERT_TRUE(ins.ok());
  const std::vector<std::uint8_t> blob{0, 1, 2, 255};
  ASSERT_TRUE(ins->bind(1, std::int64_t{-42}).bind(2, 2.5).bind(3, "علی").bind_blob(4, blob)
                  .bind(5, std::optional<std::string>()).run().ok());
  auto sel = db->prepare("SELECT i, r, s, b, n FROM t");
  ASSERT_TRUE(sel.ok());
  ASSERT_TRUE(*sel->step());
  EXPECT_EQ(sel->column_int64(0), -42);
  EXPECT_DOUBLE_EQ(sel->column_double(1), 2.5);
  EXPECT_EQ(sel->column_text(2), "علی");
  EXPECT_EQ(sel->column_blob(3), blob);
  EXPECT_TRUE(sel->is_null(4));
  EXPECT_FALSE(sel->column_optional_string(4).has_value());
  EXPECT_FALSE(*sel->step());
}

TEST_F(DatabaseTest, StrictTableRejectsWrongType) {
  auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(i INTEGER) STRICT").ok());
  auto st = db->exec("INSERT INTO t VALUES ('not a number')");
  EXPECT_FALSE(st.ok());
}

TEST_F(DatabaseTest, IntegrityCheckPassesOnAHealthyDatabase) {
  auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(x TEXT); INSERT INTO t VALUES ('a');").ok());
  auto st = db->check_integrity();
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(DatabaseTest, FlippedByteInALaterPageIsDetected) {
  {
    auto db = Database::open(dir / "a.db", key, OpenMode::create_new);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t(x TEXT)").ok());
    auto ins = db->prepare("INSERT INTO t VALUES (?)");
    for (int i = 0; i < 200; ++i) {
      ins->reset();
      ASSERT_TRUE(ins->bind(1, std::string(200, static_cast<char>('a' + i % 26))).run().ok());
    }
    ASSERT_TRUE(db->checkpoint_truncate().ok());
  }
  const auto size = std::filesystem::file_size(dir / "a.db");
  ASSERT_GT(size, 4096u * 4);
  test::flip_byte(dir / "a.db", 4096 * 3 + 100);
  const auto before = test::snapshot(dir.path());
  auto db = Database::open(dir / "a.db", key, OpenMode::open_existing);
  ASSERT_TRUE(db.ok());  // page 1 is intact
  auto count = db->query_int("SELECT count(*) FROM t WHERE length(x) > 0");
  auto check = db->check_integrity();
  EXPECT_TRUE(!count.ok() || !check.ok());
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.error().code, ErrorCode::integrity);
  db->close();
  EXPECT_EQ(test::snapshot(dir.path()), before);
}

TEST_F(DatabaseTest, PlainDatabaseIsReadableAsSqlite) {
  auto db = Database::open_plain(dir / "plain.db", OpenMode::create_new);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(x)").ok());
  db->close();
  EXPECT_EQ(test::read_file(dir / "plain.db").substr(0, 15), "SQLite format 3");
}

}  // namespace
}  // namespace bc::storage
