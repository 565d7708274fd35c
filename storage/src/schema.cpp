#include "backchannel/storage/schema.h"

#include <string>

namespace bc::storage {

namespace {

struct Migration {
  int version;
  const char* sql;
  Status (*then)(Database&) = nullptr;  // runs after `sql`, in the same transaction
};

// A CHECK (x IN (...)) with more than two constants makes SQLite build a temporary B-tree of the
// list each time it checks a row: every note insert built and dropped one (about a tenth of an
// archive import's CPU time, measured with and without this migration). The same constraints
// spelled with = and OR are checked by comparisons. They accept and refuse exactly the same
// values (for NULL too: both give NULL, which a CHECK lets through, and the NOT NULL columns
// refuse it first), so only the stored CREATE TABLE text changes, which SQLite allows without
// rebuilding a table ("ALTER TABLE", section 7 of its documentation: writable_schema, then a new
// schema_version, in one transaction).
struct CheckRewrite {
  const char* table;
  const char* from;
  const char* to;
};
constexpr CheckRewrite kCheckRewrites[] = {
    {"series", "CHECK (rule IN ('chatham-house', 'off-the-record', 'on-background'))",
     "CHECK (rule = 'chatham-house' OR rule = 'off-the-record' OR rule = 'on-background')"},
    {"meetings", "CHECK (rule IS NULL OR rule IN ('chatham-house', 'off-the-record', 'on-background'))",
     "CHECK (rule IS NULL OR rule = 'chatham-house' OR rule = 'off-the-record' OR rule = 'on-background')"},
    {"disclosure", "CHECK (level IN ('named', 'role', 'pseudonym', 'anonymous', 'hidden'))",
     "CHECK (level = 'named' OR level = 'role' OR level = 'pseudonym' OR level = 'anonymous' OR level = 'hidden')"},
    {"notes",
     "CHECK (kind IN ('statement', 'question', 'proposal', 'agreement',\n"
     "                                            'disagreement', 'action', 'observation'))",
     "CHECK (kind = 'statement' OR kind = 'question' OR kind = 'proposal' OR kind = 'agreement' OR\n"
     "                                            kind = 'disagreement' OR kind = 'action' OR kind = 'observation')"},
};

Status rewrite_in_list_checks(Database& db) {
  BC_ASSIGN(std::int64_t cookie, db.query_int("PRAGMA schema_version"));
  BC_TRY(db.exec("PRAGMA writable_schema = ON"));
  Status done = [&]() -> Status {
    for (const auto& r : kCheckRewrites) {
      BC_ASSIGN(Statement get, db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?"));
      get.bind(1, std::string_view(r.table));
      BC_ASSIGN(bool row, get.step());
      if (!row) return fail(ErrorCode::integrity, std::string("the vault has no table ") + r.table);
      std::string sql = get.column_string(0);
      const auto at = sql.find(r.from);
      // A table whose text differs keeps its constraint as it is: slower, never weaker.
      if (at == std::string::npos || sql.find(r.from, at + 1) != std::string::npos) continue;
      sql.replace(at, std::string_view(r.from).size(), r.to);
      BC_ASSIGN(Statement put, db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?"));
      BC_TRY(put.bind(1, sql).bind(2, std::string_view(r.table)).run());
    }
    // Other connections (and this one) read the schema again when they see the new version.
    return db.exec("PRAGMA schema_version = " + std::to_string(cookie + 1));
  }();
  BC_TRY(db.exec("PRAGMA writable_schema = OFF"));
  BC_TRY(done);
  // Reading the schema again parses every rewritten table: a mistake fails here, inside the
  // migration's transaction, which then rolls back.
  BC_TRY(db.query_int("SELECT count(*) FROM notes WHERE 0"));
  return {};
}

// Append-only: a released migration is never edited, only followed by a new one.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE vault_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE vault_identity (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  x25519_public   BLOB NOT NULL CHECK (length(x25519_public) = 32),
  ed25519_public  BLOB NOT NULL CHECK (length(ed25519_public) = 32),
  wrap_nonce      BLOB NOT NULL,
  wrapped_secrets BLOB NOT NULL,
  created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE series (
  id         INTEGER PRIMARY KEY,
  uid        TEXT NOT NULL UNIQUE,
  title      TEXT NOT NULL UNIQUE,
  rule       TEXT NOT NULL CHECK (rule IN ('chatham-house', 'off-the-record', 'on-background')),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE meetings (
  id              INTEGER PRIMARY KEY,
  uid             TEXT NOT NULL UNIQUE,
  series_id       INTEGER NOT NULL REFERENCES series(id),
  title           TEXT NOT NULL,
  starts_at       TEXT NOT NULL,
  location        TEXT,
  location_participants TEXT NOT NULL DEFAULT 'hidden' CHECK (location_participants IN ('named', 'hidden')),
  location_public       TEXT NOT NULL DEFAULT 'hidden' CHECK (location_public IN ('named', 'hidden')),
  rule            TEXT CHECK (rule IS NULL OR rule IN ('chatham-house', 'off-the-record', 'on-background')),
  public_terms    TEXT NOT NULL DEFAULT '[]',
  created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX meetings_series ON meetings(series_id, starts_at);

CREATE TABLE participants (
  id          INTEGER PRIMARY KEY,
  uid         TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  affiliation TEXT,
  delegation  TEXT,
  descriptor  TEXT,
  recipient   TEXT,
  signing_key BLOB,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE participant_aliases (
  participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  alias          TEXT NOT NULL,
  PRIMARY KEY (participant_id, position)
) STRICT;

CREATE TABLE attendance (
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  key            TEXT NOT NULL,
  position       INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, participant_id),
  UNIQUE (meeting_id, key)
) STRICT;

CREATE TABLE disclosure (
  meeting_id     INTEGER NOT NULL,
  participant_id INTEGER NOT NULL,
  audience       TEXT NOT NULL CHECK (audience IN ('participants', 'public')),
  level          TEXT NOT NULL CHECK (level IN ('named', 'role', 'pseudonym', 'anonymous', 'hidden')),
  PRIMARY KEY (meeting_id, participant_id, audience),
  FOREIGN KEY (meeting_id, participant_id) REFERENCES attendance(meeting_id, participant_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE notes (
  id          INTEGER PRIMARY KEY,
  uid         TEXT NOT NULL UNIQUE,
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
  speaker_id  INTEGER REFERENCES participants(id),
  kind        TEXT NOT NULL CHECK (kind IN ('statement', 'question', 'proposal', 'agreement',
                                            'disagreement', 'action', 'observation')),
  at          TEXT,
  visibility  TEXT NOT NULL CHECK (visibility IN ('summary', 'organizers')),
  text        TEXT NOT NULL,
  search_text TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT
) STRICT;
CREATE INDEX notes_meeting ON notes(meeting_id, id);

CREATE TABLE note_revisions (
  id         INTEGER PRIMARY KEY,
  uid        TEXT NOT NULL UNIQUE,
  note_id    INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  revision   INTEGER NOT NULL,
  text       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (note_id, revision)
) STRICT;

CREATE VIRTUAL TABLE notes_fts USING fts5(
  search_text, content = 'notes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF search_text ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
  INSERT INTO notes_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE audit_log (
  seq      INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  action   TEXT NOT NULL,
  subject  TEXT NOT NULL,
  prev_mac BLOB NOT NULL,
  mac      BLOB NOT NULL
) STRICT;
)sql"},
    {2, R"sql(
-- Pseudonym letters that stay the same across a series (summary --stable-pseudonyms).
-- `person` is a keyed hash of the participant's normalized name, not the name itself.
CREATE TABLE series_pseudonyms (
  series_id    INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  person       BLOB NOT NULL,
  letter_index INTEGER NOT NULL,
  PRIMARY KEY (series_id, person),
  UNIQUE (series_id, letter_index)
) STRICT;

-- Listing a meeting's notes in order, and counting its live notes, without reading the table.
CREATE INDEX notes_meeting_order ON notes(meeting_id, at, id);
CREATE INDEX notes_live ON notes(meeting_id) WHERE deleted_at IS NULL;
)sql"},
    {3, R"sql(
-- Keys whose signatures this vault accepts on archives and packages (besides its own).
CREATE TABLE trusted_signers (
  ed25519_public BLOB PRIMARY KEY CHECK (length(ed25519_public) = 32),
  label          TEXT,
  added_at       TEXT NOT NULL
) STRICT;

-- Organizer side: summary packages sent, and the participants' answers.
CREATE TABLE packages_sent (
  package_uid      TEXT PRIMARY KEY,
  meeting_id       INTEGER NOT NULL REFERENCES meetings(id),
  participant_id   INTEGER NOT NULL REFERENCES participants(id),
  recipient        TEXT NOT NULL,
  reply_token_hash BLOB NOT NULL,
  sent_at          TEXT NOT NULL
) STRICT;
CREATE TABLE responses (
  id           INTEGER PRIMARY KEY,
  response_uid TEXT NOT NULL UNIQUE,
  package_uid  TEXT NOT NULL REFERENCES packages_sent(package_uid),
  signer       BLOB NOT NULL,
  comment      TEXT,
  received_at  TEXT NOT NULL
) STRICT;
CREATE TABLE response_items (
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  note_uid    TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('approve', 'correct')),
  text        TEXT,
  PRIMARY KEY (response_id, note_uid)
) STRICT;

-- Participant side: summaries received, and the review being prepared.
CREATE TABLE inbox (
  id                 INTEGER PRIMARY KEY,
  package_uid        TEXT NOT NULL UNIQUE,
  sender_signing_key BLOB NOT NULL,
  sender_recipient   TEXT NOT NULL,
  meeting_uid        TEXT NOT NULL,
  content            TEXT NOT NULL,
  reply_token        BLOB NOT NULL,
  received_at        TEXT NOT NULL
) STRICT;
CREATE TABLE review_items (
  inbox_id   INTEGER NOT NULL REFERENCES inbox(id) ON DELETE CASCADE,
  note_uid   TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('approve', 'correct')),
  text       TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (inbox_id, note_uid)
) STRICT;
CREATE TABLE review_comments (
  inbox_id   INTEGER PRIMARY KEY REFERENCES inbox(id) ON DELETE CASCADE,
  text       TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
)sql"},
    {4, "", rewrite_in_list_checks},
    // Tombstones: the uid of every note deleted or purged here, so that an older copy (an
    // archive, later a team member's device) cannot bring it back. A uid is random and says
    // nothing about the note. Notes purged before this schema left no trace to record.
    {5, R"sql(
CREATE TABLE note_tombstones (
  uid  TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind = 'deleted' OR kind = 'purged'),
  at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO note_tombstones(uid, kind, at) SELECT uid, 'deleted', deleted_at FROM notes WHERE deleted_at IS NOT NULL;
)sql"},
    // Per-language descriptors and the organizer's rulings on short forms (issue 15, items 15-17).
    {6, R"sql(
-- The descriptor in Persian, used where the text around a replaced name is in Arabic script.
ALTER TABLE participants ADD COLUMN descriptor_fa TEXT;

-- The organizer's rulings on short forms of a participant's name or affiliation: `alone` (it
-- stands for them on its own, everywhere; for an affiliation: it is one of its short forms),
-- `not-alone` (on its own it does not). Forms without a ruling follow the derived rule.
CREATE TABLE participant_short_forms (
  participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  source         TEXT NOT NULL CHECK (source = 'name' OR source = 'affiliation'),
  form           TEXT NOT NULL,
  usage          TEXT NOT NULL CHECK (usage = 'alone' OR usage = 'not-alone'),
  PRIMARY KEY (participant_id, position)
) STRICT;
)sql"},
    // Trust scoped by purpose, with the key's X25519 half so that the list shows fingerprints.
    // Keys trusted before carry the purpose their label recorded (an archive or a package signer);
    // their X25519 half was not kept, so the trust list shows their signing key instead of a
    // fingerprint. Responses: the signed creation time and per-responder sequence number by
    // which they are ordered; the participant side counts the responses it wrote per package.
    {7, R"sql(
CREATE TABLE trusted_keys (
  ed25519_public BLOB NOT NULL CHECK (length(ed25519_public) = 32),
  x25519_public  BLOB CHECK (x25519_public IS NULL OR length(x25519_public) = 32),
  purpose        TEXT NOT NULL CHECK (purpose = 'archives' OR purpose = 'packages'),
  label          TEXT,
  added_at       TEXT NOT NULL,
  PRIMARY KEY (ed25519_public, purpose)
) STRICT, WITHOUT ROWID;
INSERT INTO trusted_keys(ed25519_public, x25519_public, purpose, label, added_at)
  SELECT ed25519_public, NULL, CASE WHEN label = 'package signer' THEN 'packages' ELSE 'archives' END, label, added_at
  FROM trusted_signers;
DROP TABLE trusted_signers;
ALTER TABLE responses ADD COLUMN created_at TEXT;
ALTER TABLE responses ADD COLUMN sequence INTEGER;
ALTER TABLE inbox ADD COLUMN responses_written INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Team sync (docs/sync.md): who is in each shared series, which bundles this vault has
    // published and applied, the change log not yet published, and the versions the merge rules
    // need. Series records themselves stay in their own tables; these only describe them.
    {8, R"sql(
CREATE TABLE sync_self (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  device     TEXT NOT NULL,
  hlc        INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE sync_former_devices (
  device     TEXT PRIMARY KEY,
  retired_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_teams (
  series_uid   TEXT PRIMARY KEY,
  convenor_key BLOB NOT NULL CHECK (length(convenor_key) = 32),
  epoch        INTEGER NOT NULL CHECK (epoch >= 1),
  snapshot_due INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL
) STRICT;
CREATE TABLE sync_members (
  series_uid    TEXT NOT NULL REFERENCES sync_teams(series_uid) ON DELETE CASCADE,
  fingerprint   TEXT NOT NULL,
  recipient     TEXT NOT NULL,
  signing_key   BLOB NOT NULL CHECK (length(signing_key) = 32),
  role          TEXT NOT NULL CHECK (role = 'convenor' OR role = 'organizer'),
  added_epoch   INTEGER NOT NULL,
  removed_epoch INTEGER,
  final         TEXT,
  PRIMARY KEY (series_uid, fingerprint)
) STRICT;
CREATE TABLE sync_trust (
  signing_key BLOB PRIMARY KEY CHECK (length(signing_key) = 32),
  fingerprint TEXT NOT NULL,
  added_at    TEXT NOT NULL
) STRICT;
CREATE TABLE sync_signers_seen (
  fingerprint TEXT PRIMARY KEY,
  signing_key BLOB NOT NULL CHECK (length(signing_key) = 32),
  recipient   TEXT NOT NULL,
  series_uid  TEXT NOT NULL,
  first_seen  TEXT NOT NULL
) STRICT;

CREATE TABLE sync_chains (
  series_uid TEXT NOT NULL,
  device     TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  hash       BLOB NOT NULL CHECK (length(hash) = 32),
  signer     BLOB CHECK (signer IS NULL OR length(signer) = 32),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (series_uid, device)
) STRICT;
CREATE TABLE sync_published (
  series_uid TEXT NOT NULL,
  device     TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  file_hash  BLOB NOT NULL CHECK (length(file_hash) = 32),
  plain_hash BLOB NOT NULL CHECK (length(plain_hash) = 32),
  snapshot   INTEGER NOT NULL,
  bytes      BLOB,
  PRIMARY KEY (series_uid, device, seq)
) STRICT;
CREATE TABLE sync_changes (
  id         INTEGER PRIMARY KEY,
  series_uid TEXT NOT NULL,
  note_uid   TEXT,
  record     TEXT NOT NULL
) STRICT;
CREATE INDEX sync_changes_note ON sync_changes(note_uid) WHERE note_uid IS NOT NULL;

CREATE TABLE sync_writes (
  change       TEXT PRIMARY KEY,
  series_uid   TEXT NOT NULL,
  target       TEXT NOT NULL,
  field        TEXT NOT NULL,
  value        TEXT NOT NULL,
  hlc          INTEGER NOT NULL,
  device       TEXT NOT NULL,
  author       TEXT NOT NULL,
  dot_device   TEXT,
  dot_seq      INTEGER,
  base         TEXT NOT NULL,
  lowering     INTEGER NOT NULL,
  confirmed_by TEXT,
  live         INTEGER NOT NULL,
  made_at      TEXT NOT NULL
) STRICT;
CREATE INDEX sync_writes_field ON sync_writes(series_uid, target, field, live);
CREATE TABLE sync_revisions (
  uid        TEXT PRIMARY KEY,
  note_uid   TEXT NOT NULL,
  series_uid TEXT NOT NULL,
  hlc        INTEGER NOT NULL,
  device     TEXT NOT NULL,
  parents    TEXT NOT NULL
) STRICT;
CREATE INDEX sync_revisions_note ON sync_revisions(note_uid);
CREATE TABLE sync_announced (
  series_uid      TEXT NOT NULL,
  participant_uid TEXT NOT NULL,
  PRIMARY KEY (series_uid, participant_uid)
) STRICT, WITHOUT ROWID;
CREATE TABLE sync_tombstones (
  note_uid   TEXT PRIMARY KEY,
  series_uid TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql"},
    // Team epochs (docs/sync.md, "Applying"): the first bundle seen at each epoch of a team. A
    // bundle of an older epoch written by someone who had seen that bundle (its deps or its own
    // chain reach it) was written after the removal that began the epoch, and is refused.
    {9, R"sql(
CREATE TABLE sync_epochs (
  series_uid TEXT NOT NULL,
  epoch      INTEGER NOT NULL CHECK (epoch >= 2),
  device     TEXT NOT NULL,
  seq        INTEGER NOT NULL CHECK (seq >= 1),
  PRIMARY KEY (series_uid, epoch)
) STRICT, WITHOUT ROWID;
)sql"},
};

}  // namespace

int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int> schema_version(Database& db) {
  BC_ASSIGN(std::int64_t v, db.query_int("PRAGMA user_version"));
  return static_cast<int>(v);
}

Status migrate(Database& db) { return migrate_to(db, latest_schema_version()); }

Status migrate_to(Database& db, int target) {
  BC_ASSIGN(int current, schema_version(db));
  const int latest = latest_schema_version();
  if (target < 1 || target > latest) return fail(ErrorCode::internal, "there is no vault schema " + std::to_string(target));
  if (current > latest) {
    return fail(ErrorCode::unsupported,
                "this vault was written by a newer version of Backchannel (vault schema " + std::to_string(current) +
                    ", this program understands up to " + std::to_string(latest) +
                    "); upgrade Backchannel to open it. The vault was not changed.");
  }
  for (const auto& m : kMigrations) {
    if (m.version <= current || m.version > target) continue;
    BC_ASSIGN(Transaction tx, Transaction::begin(db));
    // Another process may have migrated while we waited for the write lock.
    BC_ASSIGN(int now, schema_version(db));
    if (now >= m.version) continue;
    BC_TRY(db.exec(m.sql));
    if (m.then != nullptr) BC_TRY(m.then(db));
    BC_TRY(db.exec("PRAGMA user_version = " + std::to_string(m.version)));
    BC_TRY(tx.commit());
  }
  return {};
}

}  // namespace bc::storage

namespace bc::storage {

Result<NoteBulkLoad> NoteBulkLoad::begin(Database& db) {
  if (!db.in_transaction()) return fail(ErrorCode::internal, "a bulk load of notes needs a transaction");
  BC_ASSIGN(std::string sql, db.query_text("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'notes_fts_insert'"));
  BC_ASSIGN(std::int64_t last, db.query_int("SELECT coalesce(max(id), 0) FROM notes"));
  BC_TRY(db.exec("DROP TRIGGER notes_fts_insert"));
  return NoteBulkLoad(db, last, std::move(sql));
}

NoteBulkLoad::NoteBulkLoad(NoteBulkLoad&& other) noexcept
    : db_(other.db_), last_id_(other.last_id_), trigger_sql_(std::move(other.trigger_sql_)) {
  other.db_ = nullptr;
}

NoteBulkLoad::~NoteBulkLoad() {
  if (db_ != nullptr) (void)finish();
}

Status NoteBulkLoad::finish() {
  if (db_ == nullptr) return fail(ErrorCode::internal, "the bulk load of notes is already finished");
  Database& db = *db_;
  db_ = nullptr;
  // Notes get ids above the largest one (INTEGER PRIMARY KEY), so these are exactly the new ones.
  BC_TRY(db.exec("INSERT INTO notes_fts(rowid, search_text) SELECT id, search_text FROM notes WHERE id > " +
                 std::to_string(last_id_) + " ORDER BY id"));
  return db.exec(trigger_sql_);
}

}  // namespace bc::storage
