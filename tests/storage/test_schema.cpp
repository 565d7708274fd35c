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
  EXPECT_FALSE(db.exec("INSERT INTO meetings(uid, series_id, title, starts_at, rule, created_at) VALUES ('m2', 1, 't', 's', 'loose', 'x')").ok());
  ASSERT_TRUE(db.exec("INSERT INTO participants(id, uid, name, created_at) VALUES (1, 'p', 'P', 'x');"
                      "INSERT INTO attendance(meeting_id, participant_id, key, position) VALUES (1, 1, 'P', 1)").ok());
  EXPECT_FALSE(db.exec("INSERT INTO disclosure VALUES (1, 1, 'public', 'whispered')").ok());
  EXPECT_FALSE(db.exec("INSERT INTO disclosure VALUES (1, 1, 'press', 'named')").ok());
  EXPECT_TRUE(db.exec("INSERT INTO disclosure VALUES (1, 1, 'public', 'anonymous')").ok());
}

// The rows an organizer writes most, as the vault's own code writes them.
constexpr const char* kInserts[] = {
    "INSERT INTO series(uid, title, rule, created_at) VALUES (?,?,?,?)",
    "INSERT INTO meetings(uid, series_id, title, starts_at, rule, created_at) VALUES (?,?,?,?,?,?)",
    "INSERT INTO disclosure(meeting_id, participant_id, audience, level) VALUES (?,?,?,?)",
    "INSERT INTO notes(uid, meeting_id, speaker_id, kind, at, visibility, text, search_text, revision, created_at, "
    "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(uid) DO NOTHING",
};

// Whether SQLite's program for `sql` builds a temporary B-tree (an IN list of constants in a CHECK
// does, on every row).
bool builds_a_temporary_table(Database& db, const std::string& sql) {
  auto st = db.prepare("EXPLAIN " + sql);
  EXPECT_TRUE(st.ok()) << sql;
  if (!st.ok()) return true;
  while (true) {
    auto row = st->step();
    EXPECT_TRUE(row.ok());
    if (!row.ok() || !*row) return false;
    if (st->column_string(1) == "OpenEphemeral") return true;
  }
}

TEST_F(SchemaTest, InsertsCheckTheirValuesWithoutATemporaryTable) {
  ASSERT_TRUE(migrate(db).ok());
  for (const char* sql : kInserts) EXPECT_FALSE(builds_a_temporary_table(db, sql)) << sql;
}

TEST_F(SchemaTest, AVaultFromSchema3IsUpgradedWithItsRowsAndItsChecksIntact) {
  ASSERT_TRUE(migrate_to(db, 3).ok());
  ASSERT_EQ(*schema_version(db), 3);
  EXPECT_TRUE(builds_a_temporary_table(db, kInserts[3])) << "schema 3 checks kind with an IN list";
  ASSERT_TRUE(db.exec("INSERT INTO series(id, uid, title, rule, created_at) VALUES (1, 's', 'S', 'off-the-record', 't');"
                      "INSERT INTO meetings(id, uid, series_id, title, starts_at, rule, created_at) VALUES (1, 'm', 1, 'M', 't', NULL, 't');"
                      "INSERT INTO participants(id, uid, name, created_at) VALUES (1, 'p', 'Parisa', 't');"
                      "INSERT INTO attendance(meeting_id, participant_id, key, position) VALUES (1, 1, 'P', 1);"
                      "INSERT INTO disclosure VALUES (1, 1, 'public', 'pseudonym');"
                      "INSERT INTO notes(uid, meeting_id, speaker_id, kind, visibility, text, search_text, revision, created_at, "
                      "updated_at) VALUES ('n', 1, 1, 'disagreement', 'summary', 'shipping lanes', 'shipping lanes', 1, 't', 't')")
                  .ok());
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_EQ(*schema_version(db), latest_schema_version());
  // Another connection reads the new schema from the file.
  db.close();
  auto reopened = Database::open(dir / "v.db", key, OpenMode::open_existing);
  ASSERT_TRUE(reopened.ok());
  Database& v = *reopened;
  for (const char* sql : kInserts) EXPECT_FALSE(builds_a_temporary_table(v, sql)) << sql;
  EXPECT_EQ(*v.query_text("SELECT kind FROM notes WHERE uid = 'n'"), "disagreement");
  EXPECT_EQ(*v.query_int("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'shipping'"), 1);
  EXPECT_EQ(*v.query_text("SELECT level FROM disclosure"), "pseudonym");
  EXPECT_TRUE(v.check_integrity().ok());
  // The rewritten constraints refuse what they refused before and accept what they accepted.
  EXPECT_FALSE(v.exec("UPDATE notes SET kind = 'rumour'").ok());
  EXPECT_FALSE(v.exec("UPDATE notes SET kind = 'Statement'").ok()) << "still case-sensitive";
  EXPECT_TRUE(v.exec("UPDATE notes SET kind = 'observation'").ok());
  EXPECT_FALSE(v.exec("UPDATE disclosure SET level = 'secret'").ok());
  EXPECT_TRUE(v.exec("UPDATE disclosure SET level = 'hidden'").ok());
  EXPECT_FALSE(v.exec("UPDATE meetings SET rule = 'anything-goes'").ok());
  EXPECT_TRUE(v.exec("UPDATE meetings SET rule = 'on-background'").ok());
  EXPECT_TRUE(v.exec("UPDATE meetings SET rule = NULL").ok());
  EXPECT_FALSE(v.exec("UPDATE series SET rule = 'anything-goes'").ok());
  EXPECT_TRUE(v.exec("UPDATE series SET rule = 'chatham-house'").ok());
  EXPECT_TRUE(migrate(v).ok()) << "and migrating again changes nothing";
}

TEST_F(SchemaTest, AVaultFromSchema4KeepsItsDeletedNotesAsTombstones) {
  ASSERT_TRUE(migrate_to(db, 4).ok());
  ASSERT_TRUE(db.exec("INSERT INTO series(id, uid, title, rule, created_at) VALUES (1, 's', 'S', 'chatham-house', 't');"
                      "INSERT INTO meetings(id, uid, series_id, title, starts_at, created_at) VALUES (1, 'm', 1, 'M', 't', 't');"
                      "INSERT INTO notes(uid, meeting_id, kind, visibility, text, search_text, revision, created_at, updated_at, "
                      "deleted_at) VALUES ('gone', 1, 'statement', 'summary', 'x', 'x', 1, 't', 't', '2026-01-02T03:04:05Z');"
                      "INSERT INTO notes(uid, meeting_id, kind, visibility, text, search_text, revision, created_at, updated_at) "
                      "VALUES ('kept', 1, 'statement', 'summary', 'y', 'y', 1, 't', 't')")
                  .ok());
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_EQ(*schema_version(db), latest_schema_version());
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM note_tombstones"), 1);
  EXPECT_EQ(*db.query_text("SELECT kind || ' ' || at FROM note_tombstones WHERE uid = 'gone'"), "deleted 2026-01-02T03:04:05Z");
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM notes"), 2) << "the notes themselves are untouched";
  EXPECT_FALSE(db.exec("INSERT INTO note_tombstones VALUES ('z', 'lost', 't')").ok());
  EXPECT_TRUE(db.check_integrity().ok());
}

TEST_F(SchemaTest, AVaultFromSchema5GainsAPersianDescriptorAndShortFormRulings) {
  ASSERT_TRUE(migrate_to(db, 5).ok());
  ASSERT_EQ(*schema_version(db), 5);
  EXPECT_FALSE(db.exec("SELECT descriptor_fa FROM participants").ok()) << "schema 5 has no Persian descriptor";
  ASSERT_TRUE(db.exec("INSERT INTO series(id, uid, title, rule, created_at) VALUES (1, 's', 'S', 'chatham-house', 't');"
                      "INSERT INTO meetings(id, uid, series_id, title, starts_at, created_at) VALUES (1, 'm', 1, 'M', 't', 't');"
                      "INSERT INTO participants(id, uid, name, affiliation, descriptor, created_at) "
                      "VALUES (1, 'p', 'Abbas Rostami', 'Stimson Center', 'an Iranian engineer', 't');"
                      "INSERT INTO participant_aliases VALUES (1, 0, 'Haj Abbas');"
                      "INSERT INTO attendance(meeting_id, participant_id, key, position) VALUES (1, 1, 'P', 1);"
                      "INSERT INTO disclosure VALUES (1, 1, 'public', 'role');"
                      // As schema 5 writes it: a deleted note and its tombstone, a purged note's tombstone.
                      "INSERT INTO notes(uid, meeting_id, kind, visibility, text, search_text, revision, created_at, updated_at, "
                      "deleted_at) VALUES ('gone', 1, 'statement', 'summary', 'x', 'x', 1, 't', 't', '2026-01-02T03:04:05Z');"
                      "INSERT INTO note_tombstones VALUES ('gone', 'deleted', '2026-01-02T03:04:05Z');"
                      "INSERT INTO note_tombstones VALUES ('purged-uid', 'purged', '2026-01-03T00:00:00Z')")
                  .ok());
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_EQ(*schema_version(db), latest_schema_version());
  db.close();
  auto reopened = Database::open(dir / "v.db", key, OpenMode::open_existing);
  ASSERT_TRUE(reopened.ok());
  Database& v = *reopened;
  // The participant is as it was, with no Persian descriptor and no rulings.
  EXPECT_EQ(*v.query_text("SELECT descriptor FROM participants WHERE id = 1"), "an Iranian engineer");
  EXPECT_EQ(*v.query_int("SELECT count(*) FROM participants WHERE descriptor_fa IS NULL"), 1);
  EXPECT_EQ(*v.query_text("SELECT alias FROM participant_aliases"), "Haj Abbas");
  EXPECT_EQ(*v.query_int("SELECT count(*) FROM participant_short_forms"), 0);
  // The tombstones schema 5 kept are still there, unchanged.
  EXPECT_EQ(*v.query_text("SELECT group_concat(uid || ' ' || kind || ' ' || at, ';') FROM (SELECT * FROM note_tombstones ORDER BY uid)"),
            "gone deleted 2026-01-02T03:04:05Z;purged-uid purged 2026-01-03T00:00:00Z");
  EXPECT_EQ(*v.query_int("SELECT count(*) FROM notes WHERE deleted_at IS NOT NULL"), 1);
  // The new column and table take what they should and refuse what they should not.
  EXPECT_TRUE(v.exec("UPDATE participants SET descriptor_fa = 'یک مهندس ایرانی'").ok());
  EXPECT_FALSE(v.exec("UPDATE participants SET descriptor_fa = x'00'").ok()) << "STRICT: text only";
  EXPECT_TRUE(v.exec("INSERT INTO participant_short_forms VALUES (1, 0, 'name', 'Abbas', 'not-alone');"
                     "INSERT INTO participant_short_forms VALUES (1, 1, 'affiliation', 'Stimson', 'alone')").ok());
  EXPECT_FALSE(v.exec("INSERT INTO participant_short_forms VALUES (1, 2, 'delegation', 'Iran', 'alone')").ok());
  EXPECT_FALSE(v.exec("INSERT INTO participant_short_forms VALUES (1, 2, 'name', 'Haj', 'sometimes')").ok());
  EXPECT_FALSE(v.exec("INSERT INTO participant_short_forms VALUES (1, 1, 'name', 'Haj', 'alone')").ok()) << "one row per position";
  EXPECT_FALSE(v.exec("INSERT INTO participant_short_forms VALUES (9, 2, 'name', 'Haj', 'alone')").ok()) << "foreign keys";
  EXPECT_TRUE(v.check_integrity().ok());
  EXPECT_TRUE(migrate(v).ok()) << "and migrating again changes nothing";
  EXPECT_EQ(*v.query_int("SELECT count(*) FROM participant_short_forms"), 2);
}

// Schema 7 (issue 15): trust by purpose, and responses ordered by their signed time and number.
TEST_F(SchemaTest, AVaultFromSchema6KeepsItsTrustedSignersWithTheirPurpose) {
  ASSERT_TRUE(migrate_to(db, 6).ok());
  ASSERT_TRUE(db.exec("INSERT INTO trusted_signers VALUES (zeroblob(32), 'archive signer', '2026-01-01T00:00:00Z');"
                      "INSERT INTO trusted_signers VALUES (x'" + std::string(64, '1') + "', 'package signer', '2026-01-02T00:00:00Z');"
                      "INSERT INTO inbox(package_uid, sender_signing_key, sender_recipient, meeting_uid, content, reply_token, "
                      "received_at) VALUES ('p', zeroblob(32), 'age1x', 'm', '{}', zeroblob(32), 't')")
                  .ok());
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_EQ(*schema_version(db), latest_schema_version());
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'trusted_signers'"), 0);
  EXPECT_EQ(*db.query_text("SELECT group_concat(purpose || ':' || label, ',') FROM (SELECT * FROM trusted_keys ORDER BY added_at)"),
            "archives:archive signer,packages:package signer");
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM trusted_keys WHERE x25519_public IS NULL"), 2);
  EXPECT_EQ(*db.query_int("SELECT responses_written FROM inbox"), 0);
  EXPECT_TRUE(db.exec("SELECT created_at, sequence FROM responses").ok());
  EXPECT_FALSE(db.exec("INSERT INTO trusted_keys VALUES (zeroblob(32), NULL, 'everything', NULL, 't')").ok());
  EXPECT_TRUE(db.check_integrity().ok());
  EXPECT_TRUE(migrate(db).ok()) << "and migrating again changes nothing";
}

// Schema 8 (issue 16): team sync.
TEST_F(SchemaTest, AVaultFromSchema7GainsEmptySyncTablesAtSchema8AndKeepsItsRecords) {
  ASSERT_TRUE(migrate_to(db, 7).ok());
  ASSERT_EQ(*schema_version(db), 7);
  ASSERT_TRUE(db.exec("INSERT INTO series(id, uid, title, rule, created_at) VALUES (1, 's', 'S', 'chatham-house', 't');"
                      "INSERT INTO meetings(id, uid, series_id, title, starts_at, created_at) VALUES (1, 'm', 1, 'M', 't', 't');"
                      "INSERT INTO notes(uid, meeting_id, kind, visibility, text, search_text, revision, created_at, updated_at) "
                      "VALUES ('n', 1, 'statement', 'summary', 'ferry', 'ferry', 1, 't', 't');"
                      "INSERT INTO note_tombstones VALUES ('gone', 'purged', 't');"
                      // What schemas 6 and 7 added: a participant with a Persian descriptor and a
                      // ruling, a key trusted for archives.
                      "INSERT INTO participants(id, uid, name, descriptor_fa, created_at) VALUES (1, 'p', 'P', 'یک مهندس', 't');"
                      "INSERT INTO participant_short_forms VALUES (1, 0, 'name', 'P', 'alone');"
                      "INSERT INTO trusted_keys VALUES (zeroblob(32), NULL, 'archives', NULL, 't')")
                  .ok());
  EXPECT_FALSE(db.query_int("SELECT count(*) FROM sync_teams").ok()) << "schema 7 has no sync tables";
  ASSERT_TRUE(migrate_to(db, 8).ok());
  EXPECT_EQ(*schema_version(db), 8);
  for (const char* table : {"sync_self", "sync_former_devices", "sync_teams", "sync_members", "sync_trust", "sync_signers_seen",
                            "sync_chains", "sync_published", "sync_changes", "sync_writes", "sync_revisions", "sync_announced",
                            "sync_tombstones"}) {
    auto n = db.query_int(std::string("SELECT count(*) FROM ") + table);
    ASSERT_TRUE(n.ok()) << table;
    EXPECT_EQ(*n, 0) << table << " starts empty: no series is shared until `team create`";
    EXPECT_NE(db.query_text(std::string("SELECT sql FROM sqlite_master WHERE name = '") + table + "'")->find("STRICT"),
              std::string::npos) << table;
  }
  EXPECT_EQ(*db.query_text("SELECT text FROM notes WHERE uid = 'n'"), "ferry");
  EXPECT_EQ(*db.query_text("SELECT kind FROM note_tombstones WHERE uid = 'gone'"), "purged");
  EXPECT_EQ(*db.query_text("SELECT descriptor_fa FROM participants WHERE id = 1"), "یک مهندس");
  EXPECT_EQ(*db.query_text("SELECT usage FROM participant_short_forms"), "alone");
  EXPECT_EQ(*db.query_text("SELECT purpose FROM trusted_keys"), "archives");
  EXPECT_FALSE(db.exec("INSERT INTO sync_teams(series_uid, convenor_key, epoch, created_at) VALUES ('s', x'00', 1, 't')").ok())
      << "a convenor key is 32 bytes";
  EXPECT_FALSE(db.exec("INSERT INTO sync_self(id, device, hlc, created_at) VALUES (2, 'd', 0, 't')").ok()) << "one device row";
  EXPECT_TRUE(db.check_integrity().ok());
  EXPECT_TRUE(migrate(db).ok()) << "and migrating again changes nothing";
}

// Schema 9: where each team epoch began, for refusing bundles written at an old epoch after it.
TEST_F(SchemaTest, AVaultFromSchema8KeepsItsTeamAndGainsAnEmptyEpochTable) {
  ASSERT_TRUE(migrate_to(db, 8).ok());
  ASSERT_EQ(*schema_version(db), 8);
  ASSERT_TRUE(db.exec("INSERT INTO sync_self VALUES (1, 'dev', 42, 't');"
                      "INSERT INTO sync_teams(series_uid, convenor_key, epoch, created_at) VALUES ('s', zeroblob(32), 2, 't');"
                      "INSERT INTO sync_chains VALUES ('s', 'dev', 3, zeroblob(32), NULL, 't');"
                      "INSERT INTO sync_writes VALUES ('c', 's', 'participant:p', 'short_forms', '[]', 5, 'dev', 'fp', NULL, NULL, "
                      "'[]', 0, NULL, 1, 't')")
                  .ok());
  EXPECT_FALSE(db.query_int("SELECT count(*) FROM sync_epochs").ok()) << "schema 8 has no epoch table";
  ASSERT_TRUE(migrate(db).ok());
  EXPECT_EQ(*schema_version(db), 9);
  EXPECT_EQ(latest_schema_version(), 9);
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM sync_epochs"), 0);
  EXPECT_EQ(*db.query_int("SELECT epoch FROM sync_teams WHERE series_uid = 's'"), 2);
  EXPECT_EQ(*db.query_int("SELECT seq FROM sync_chains WHERE device = 'dev'"), 3);
  EXPECT_EQ(*db.query_text("SELECT field FROM sync_writes WHERE change = 'c'"), "short_forms");
  EXPECT_EQ(*db.query_int("SELECT hlc FROM sync_self"), 42);
  EXPECT_TRUE(db.exec("INSERT INTO sync_epochs VALUES ('s', 2, 'dev', 3)").ok());
  EXPECT_FALSE(db.exec("INSERT INTO sync_epochs VALUES ('s', 1, 'dev', 3)").ok()) << "epoch 1 begins with the team";
  EXPECT_FALSE(db.exec("INSERT INTO sync_epochs VALUES ('s', 2, 'other', 4)").ok()) << "one beginning per epoch";
  EXPECT_TRUE(db.check_integrity().ok());
  EXPECT_TRUE(migrate(db).ok()) << "and migrating again changes nothing";
}

// Bulk loading notes: the per-row FTS trigger is off while loading, every loaded note is in the
// search index afterwards, the trigger is back (same SQL) whether the load finished, was left
// unfinished, or its transaction rolled back, and the index passes FTS5's integrity check.
class NoteBulkLoadTest : public SchemaTest {
 protected:
  void SetUp() override {
    SchemaTest::SetUp();
    ASSERT_TRUE(migrate(db).ok());
    ASSERT_TRUE(db.exec("INSERT INTO series(id, uid, title, rule, created_at) VALUES (1, 's1', 'S', 'chatham-house', 't');"
                        "INSERT INTO meetings(id, uid, series_id, title, starts_at, created_at) VALUES (1, 'm1', 1, 'M', 't', 't')")
                    .ok());
    trigger_sql = *db.query_text("SELECT sql FROM sqlite_schema WHERE name = 'notes_fts_insert'");
    ASSERT_FALSE(trigger_sql.empty());
    ASSERT_TRUE(add("before", "harbour pilots").ok());
  }
  Status add(const std::string& uid, const std::string& text) {
    return db.exec("INSERT INTO notes(uid, meeting_id, kind, visibility, text, search_text, revision, created_at, updated_at) "
                   "VALUES ('" + uid + "', 1, 'statement', 'summary', '" + text + "', '" + text + "', 1, 't', 't')");
  }
  std::int64_t hits(const std::string& word) {
    return *db.query_int("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH '" + word + "'");
  }
  std::string trigger_now() {
    auto t = db.query_text("SELECT sql FROM sqlite_schema WHERE name = 'notes_fts_insert'");
    return t.ok() ? *t : std::string();
  }
  bool index_is_sound() {
    return db.exec("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)").ok();
  }
  std::string trigger_sql;
};

TEST_F(NoteBulkLoadTest, LoadedNotesAreIndexedAndTheTriggerComesBack) {
  {
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx.ok());
    auto bulk = NoteBulkLoad::begin(db);
    ASSERT_TRUE(bulk.ok()) << bulk.error().message;
    EXPECT_EQ(trigger_now(), "") << "the per-row trigger is off while loading";
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(add("n" + std::to_string(i), "lighthouse keeper " + std::to_string(i)).ok());
    EXPECT_EQ(hits("lighthouse"), 0) << "not indexed one by one";
    ASSERT_TRUE(bulk->finish().ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(trigger_now(), trigger_sql);
  EXPECT_EQ(hits("lighthouse"), 500);
  EXPECT_EQ(hits("harbour"), 1);
  ASSERT_TRUE(add("after", "lighthouse again").ok());
  EXPECT_EQ(hits("lighthouse"), 501) << "notes added later are indexed by the trigger again";
  EXPECT_TRUE(index_is_sound());
}

TEST_F(NoteBulkLoadTest, AnUnfinishedLoadStillIndexesAndRestoresTheTrigger) {
  {
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx.ok());
    {
      auto bulk = NoteBulkLoad::begin(db);
      ASSERT_TRUE(bulk.ok());
      ASSERT_TRUE(add("n1", "lighthouse").ok());
    }  // no finish(): the destructor does it
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(trigger_now(), trigger_sql);
  EXPECT_EQ(hits("lighthouse"), 1);
  EXPECT_TRUE(index_is_sound());
}

TEST_F(NoteBulkLoadTest, ARolledBackLoadLeavesEverythingAsBefore) {
  {
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx.ok());
    auto bulk = NoteBulkLoad::begin(db);
    ASSERT_TRUE(bulk.ok());
    ASSERT_TRUE(add("n1", "lighthouse").ok());
    ASSERT_TRUE(bulk->finish().ok());
  }  // rolled back
  EXPECT_EQ(trigger_now(), trigger_sql);
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM notes"), 1);
  EXPECT_EQ(hits("lighthouse"), 0);
  EXPECT_TRUE(index_is_sound());
}

TEST_F(NoteBulkLoadTest, TheIntegrityCheckLooksInsideTheSearchIndex) {
  ASSERT_TRUE(db.check_integrity().ok());
  // A note whose indexed text no longer matches its row (the update trigger bypassed).
  ASSERT_TRUE(db.exec("DROP TRIGGER notes_fts_update; UPDATE notes SET search_text = 'tugboat' WHERE uid = 'before'").ok());
  auto st = db.check_integrity();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::integrity);
  EXPECT_NE(st.error().message.find("search index"), std::string::npos) << st.error().message;
}

TEST_F(NoteBulkLoadTest, NeedsATransaction) {
  auto bulk = NoteBulkLoad::begin(db);
  ASSERT_FALSE(bulk.ok());
  EXPECT_EQ(bulk.error().code, ErrorCode::internal);
  EXPECT_EQ(trigger_now(), trigger_sql);
}

}  // namespace
}  // namespace bc::storage
