// The vault database schema and its numbered migrations.
#pragma once

#include "backchannel/result.h"
#include "backchannel/storage/database.h"

namespace bc::storage {

/// The newest schema this build knows. Stored in `PRAGMA user_version`.
int latest_schema_version();

/// Brings the database to the latest schema, one numbered migration per transaction (each sets
/// user_version as it commits). A database from a newer version is refused with
/// ErrorCode::unsupported and left untouched.
Status migrate(Database& db);

/// migrate() stopping at schema `version` (tests of upgrades from an older vault).
Status migrate_to(Database& db, int version);

/// The schema version stored in the database.
Result<int> schema_version(Database& db);

/// Loading many notes in one transaction (archive and meeting imports). The notes_fts_insert
/// trigger indexes each inserted note inside its own FTS5 savepoint, and FTS5 flushes its pending
/// index data at every savepoint: 100,000 single-row inserts took 2.9 s through the trigger and
/// 0.5 s with the index filled by one INSERT ... SELECT at the end (sqlite3 shell, same schema).
/// So, inside the caller's transaction, begin() drops that trigger and finish() indexes every
/// note inserted since in one statement, then re-creates the trigger from its stored SQL. Both
/// are part of the transaction: a rollback restores the trigger. If finish() was not called
/// (an error path), the destructor does the same, so a commit can never leave the trigger out.
class NoteBulkLoad {
 public:
  static Result<NoteBulkLoad> begin(Database& db);
  NoteBulkLoad(NoteBulkLoad&& other) noexcept;
  NoteBulkLoad& operator=(NoteBulkLoad&&) = delete;
  NoteBulkLoad(const NoteBulkLoad&) = delete;
  NoteBulkLoad& operator=(const NoteBulkLoad&) = delete;
  ~NoteBulkLoad();
  Status finish();

 private:
  NoteBulkLoad(Database& db, std::int64_t last_id, std::string trigger_sql)
      : db_(&db), last_id_(last_id), trigger_sql_(std::move(trigger_sql)) {}
  Database* db_ = nullptr;
  std::int64_t last_id_ = 0;  // notes with a larger id were inserted while the trigger was off
  std::string trigger_sql_;
};

}  // namespace bc::storage
