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

/// The schema version stored in the database.
Result<int> schema_version(Database& db);

}  // namespace bc::storage
