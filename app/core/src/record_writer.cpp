#include "record_writer.h"

#include <nlohmann/json.hpp>

#include "backchannel/core/text_normalizer.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/storage/clock.h"
#include "vault_store_access.h"

namespace bc::core {

using storage::CachedStatement;

void set_change_observer(Vault& vault, ChangeObserver observer) {
  vault_state(vault).change_observer = std::move(observer);
}

UnreportedWrites::UnreportedWrites(Vault& vault) : depth_(vault_state(vault).unreported_writes) { ++depth_; }
UnreportedWrites::~UnreportedWrites() { --depth_; }

RecordWriter::RecordWriter(Vault& vault)
    : vault_(vault),
      db_(vault_store(vault).db()),
      observer_(&vault_state(vault).change_observer),
      unreported_(&vault_state(vault).unreported_writes) {}

std::string RecordWriter::uid_of(const char* table, std::int64_t id) {
  auto st = db_.cached(std::string("SELECT uid FROM ") + table + " WHERE id = ?");
  if (!st) return {};
  (*st)->bind(1, id);
  auto row = (*st)->step();
  return row && *row ? (*st)->column_string(0) : std::string();
}

bool RecordWriter::reporting() const { return *observer_ && *unreported_ == 0; }

Status RecordWriter::report(RecordKind kind, ChangeOp op, std::string uid, std::int64_t id, std::int64_t meeting_id,
                            std::string field, std::int64_t paper_id) {
  if (!reporting()) return {};
  return (*observer_)(vault_, RecordChange{kind, op, std::move(uid), id, meeting_id, std::move(field), paper_id});
}

// ---- series and meetings ----

Result<std::int64_t> RecordWriter::insert_series(const SeriesRow& row) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO series(uid, title, rule, created_at) VALUES (?,?,?,?)"));
  BC_TRY(ins->bind(1, row.uid).bind(2, row.title).bind(3, to_string(row.rule)).bind(4, row.created_at).run());
  const std::int64_t id = db_.last_insert_rowid();
  BC_TRY(report(RecordKind::series, ChangeOp::created, row.uid, id));
  return id;
}

Result<std::int64_t> RecordWriter::insert_meeting(const MeetingRow& row) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO meetings(uid, series_id, title, starts_at, location, location_participants, "
                                            "location_public, rule, public_terms, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  ins->bind(1, row.uid).bind(2, row.series_id).bind(3, row.title).bind(4, row.starts_at).bind(5, row.location);
  ins->bind(6, to_string(row.location_disclosure[0])).bind(7, to_string(row.location_disclosure[1]));
  if (row.rule) ins->bind(8, to_string(*row.rule)); else ins->bind_null(8);
  BC_TRY(ins->bind(9, nlohmann::json(row.public_terms).dump()).bind(10, row.created_at).run());
  const std::int64_t id = db_.last_insert_rowid();
  BC_TRY(report(RecordKind::meeting, ChangeOp::created, row.uid, id, id));
  return id;
}

Status RecordWriter::update_meeting(std::int64_t meeting_id, const MeetingUpdate& u) {
  auto set = [&](const char* column, const std::optional<std::string>& value) -> Status {
    BC_ASSIGN(CachedStatement st, db_.cached(std::string("UPDATE meetings SET ") + column + " = ? WHERE id = ?"));
    BC_TRY(st->bind(1, value).bind(2, meeting_id).run());
    if (!reporting()) return {};
    return report(RecordKind::meeting, ChangeOp::updated, uid_of("meetings", meeting_id), meeting_id, meeting_id, column);
  };
  if (u.location) BC_TRY(set("location", u.location->empty() ? std::nullopt : u.location));
  if (u.location_disclosure[0]) BC_TRY(set("location_participants", std::string(to_string(*u.location_disclosure[0]))));
  if (u.location_disclosure[1]) BC_TRY(set("location_public", std::string(to_string(*u.location_disclosure[1]))));
  if (u.rule) BC_TRY(set("rule", std::string(to_string(*u.rule))));
  if (u.public_terms) BC_TRY(set("public_terms", nlohmann::json(*u.public_terms).dump()));
  return {};
}

// ---- participants, attendance, disclosure ----

Status RecordWriter::write_aliases(std::int64_t participant_id, const std::vector<std::string>& aliases) {
  BC_ASSIGN(CachedStatement del, db_.cached("DELETE FROM participant_aliases WHERE participant_id = ?"));
  BC_TRY(del->bind(1, participant_id).run());
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO participant_aliases(participant_id, position, alias) VALUES (?,?,?)"));
  for (std::size_t i = 0; i < aliases.size(); ++i) {
    ins->reset();
    BC_TRY(ins->bind(1, participant_id).bind(2, static_cast<std::int64_t>(i)).bind(3, aliases[i]).run());
  }
  return {};
}

Status RecordWriter::write_short_forms(std::int64_t participant_id, const std::vector<ShortFormRule>& rules) {
  BC_ASSIGN(CachedStatement del, db_.cached("DELETE FROM participant_short_forms WHERE participant_id = ?"));
  BC_TRY(del->bind(1, participant_id).run());
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO participant_short_forms(participant_id, position, source, form, usage) "
                                            "VALUES (?,?,?,?,?)"));
  for (std::size_t i = 0; i < rules.size(); ++i) {
    ins->reset();
    BC_TRY(ins->bind(1, participant_id).bind(2, static_cast<std::int64_t>(i)).bind(3, to_string(rules[i].of))
               .bind(4, rules[i].form).bind(5, to_string(rules[i].use)).run());
  }
  return {};
}

Result<std::int64_t> RecordWriter::insert_participant(const ParticipantRow& row) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO participants(uid, name, affiliation, delegation, descriptor, recipient, "
                                            "signing_key, created_at, descriptor_fa) VALUES (?,?,?,?,?,?,?,?,?)"));
  ins->bind(1, row.uid).bind(2, row.name).bind(3, row.affiliation).bind(4, row.delegation).bind(5, row.descriptor);
  ins->bind(6, row.recipient);
  if (row.signing_key) ins->bind_blob(7, *row.signing_key); else ins->bind_null(7);
  BC_TRY(ins->bind(8, row.created_at).bind(9, row.descriptor_fa).run());
  const std::int64_t id = db_.last_insert_rowid();
  if (!row.aliases.empty()) BC_TRY(write_aliases(id, row.aliases));
  if (!row.short_forms.empty()) BC_TRY(write_short_forms(id, row.short_forms));
  BC_TRY(report(RecordKind::participant, ChangeOp::created, row.uid, id));
  return id;
}

Status RecordWriter::update_participant(std::int64_t participant_id, const ParticipantUpdate& u) {
  auto changed = [&](const char* field) -> Status {
    if (!reporting()) return {};
    return report(RecordKind::participant, ChangeOp::updated, uid_of("participants", participant_id), participant_id, 0, field);
  };
  // An empty affiliation, delegation or descriptor clears the field.
  auto set = [&](const char* column, const std::optional<std::string>& v) -> Status {
    if (!v) return {};
    BC_ASSIGN(CachedStatement st, db_.cached(std::string("UPDATE participants SET ") + column + " = ? WHERE id = ?"));
    if (v->empty()) st->bind_null(1); else st->bind(1, *v);
    BC_TRY(st->bind(2, participant_id).run());
    return changed(column);
  };
  BC_TRY(set("name", u.name));
  BC_TRY(set("affiliation", u.affiliation));
  BC_TRY(set("delegation", u.delegation));
  BC_TRY(set("descriptor", u.descriptor));
  BC_TRY(set("descriptor_fa", u.descriptor_fa));
  BC_TRY(set("recipient", u.recipient));
  if (u.aliases) {
    BC_TRY(write_aliases(participant_id, *u.aliases));
    BC_TRY(changed("aliases"));
  }
  if (u.short_forms) {
    BC_TRY(write_short_forms(participant_id, *u.short_forms));
    BC_TRY(changed("short_forms"));
  }
  return {};
}

Result<bool> RecordWriter::pin_signing_key(std::int64_t participant_id, const std::array<std::uint8_t, 32>& key) {
  BC_ASSIGN(CachedStatement st, db_.cached("UPDATE participants SET signing_key = ? WHERE id = ? AND signing_key IS NULL"));
  BC_TRY(st->bind_blob(1, key).bind(2, participant_id).run());
  if (db_.changes() == 0) return false;
  if (reporting())
    BC_TRY(report(RecordKind::participant, ChangeOp::updated, uid_of("participants", participant_id), participant_id, 0, "signing_key"));
  return true;
}

Result<std::size_t> RecordWriter::unpin_signing_key(const std::array<std::uint8_t, 32>& key) {
  std::vector<std::int64_t> ids;
  {
    BC_ASSIGN(CachedStatement q, db_.cached("SELECT id FROM participants WHERE signing_key = ?"));
    q->bind_blob(1, key);
    while (true) {
      BC_ASSIGN(bool row, q->step());
      if (!row) break;
      ids.push_back(q->column_int64(0));
    }
  }
  for (const std::int64_t id : ids) {
    BC_TRY(set_signing_key(id, std::nullopt));
  }
  return ids.size();
}

Status RecordWriter::set_signing_key(std::int64_t participant_id, const std::optional<std::array<std::uint8_t, 32>>& key) {
  {
    BC_ASSIGN(CachedStatement st, db_.cached("UPDATE participants SET signing_key = ? WHERE id = ?"));
    if (key) st->bind_blob(1, *key); else st->bind_null(1);
    BC_TRY(st->bind(2, participant_id).run());
  }
  if (!reporting()) return {};
  return report(RecordKind::participant, ChangeOp::updated, uid_of("participants", participant_id), participant_id, 0, "signing_key");
}

Status RecordWriter::insert_attendance(const AttendanceRow& row) {
  if (row.position) {
    BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO attendance(meeting_id, participant_id, key, position) VALUES (?,?,?,?)"));
    BC_TRY(ins->bind(1, row.meeting_id).bind(2, row.participant_id).bind(3, row.key).bind(4, static_cast<std::int64_t>(*row.position)).run());
  } else {
    BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO attendance(meeting_id, participant_id, key, position) VALUES "
                                              "(?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM attendance WHERE meeting_id = ?))"));
    BC_TRY(ins->bind(1, row.meeting_id).bind(2, row.participant_id).bind(3, row.key).bind(4, row.meeting_id).run());
  }
  BC_ASSIGN(CachedStatement disc, db_.cached("INSERT INTO disclosure(meeting_id, participant_id, audience, level) VALUES (?,?,?,?)"));
  for (Audience a : kAudiences) {
    disc->reset();
    BC_TRY(disc->bind(1, row.meeting_id).bind(2, row.participant_id).bind(3, to_string(a))
               .bind(4, to_string(row.disclosure[static_cast<int>(a)])).run());
  }
  if (!reporting()) return {};
  return report(RecordKind::attendance, ChangeOp::created, uid_of("participants", row.participant_id), row.participant_id,
                row.meeting_id);
}

Status RecordWriter::set_disclosure(std::int64_t meeting_id, std::int64_t participant_id, Audience audience,
                                    DisclosureLevel level) {
  {
    BC_ASSIGN(CachedStatement st, db_.cached("INSERT INTO disclosure(meeting_id, participant_id, audience, level) VALUES (?,?,?,?) "
                                             "ON CONFLICT(meeting_id, participant_id, audience) DO UPDATE SET level = excluded.level"));
    BC_TRY(st->bind(1, meeting_id).bind(2, participant_id).bind(3, to_string(audience)).bind(4, to_string(level)).run());
  }
  // The observer may write this level again (team sync putting back a lowering that waits for a
  // second member), so the statement above is released first.
  if (!reporting()) return {};
  return report(RecordKind::disclosure, ChangeOp::updated, uid_of("participants", participant_id), participant_id, meeting_id,
                std::string(to_string(audience)));
}

Status RecordWriter::set_attendance_key(std::int64_t meeting_id, std::int64_t participant_id, const std::string& key) {
  {
    BC_ASSIGN(CachedStatement st, db_.cached("UPDATE attendance SET key = ? WHERE meeting_id = ? AND participant_id = ?"));
    BC_TRY(st->bind(1, key).bind(2, meeting_id).bind(3, participant_id).run());
  }
  if (!reporting()) return {};
  return report(RecordKind::attendance, ChangeOp::updated, uid_of("participants", participant_id), participant_id, meeting_id, "key");
}

// ---- notes ----

Status RecordWriter::write_revisions(std::int64_t note_id, const std::vector<RevisionRow>& revisions, int first_number) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO note_revisions(uid, note_id, revision, text, created_at) VALUES (?,?,?,?,?)"));
  int number = first_number;
  for (const auto& r : revisions) {
    ins->reset();
    BC_TRY(ins->bind(1, r.uid).bind(2, note_id).bind(3, number++).bind(4, r.text).bind(5, r.created_at).run());
    BC_TRY(report(RecordKind::note_revision, ChangeOp::created, r.uid, note_id));
  }
  return {};
}

namespace {

// Binds the note's search text (its text normalized as the anonymizer normalizes) and wipes the
// folded copy once SQLite has its own, which its allocator wipes.
Status run_with_search_text(CachedStatement& st, int column, std::string_view text) {
  std::string search_text = normalize(text);
  st->bind(column, search_text);
  const Status ran = st->run();
  crypto::wipe(search_text.data(), search_text.size());
  return ran;
}

}  // namespace

Result<bool> RecordWriter::is_tombstoned(const std::string& note_uid) {
  BC_ASSIGN(CachedStatement st, db_.cached("SELECT 1 FROM note_tombstones WHERE uid = ?"));
  st->bind(1, note_uid);
  BC_ASSIGN(bool row, st->step());
  st->reset();
  return row;
}

Result<std::optional<std::int64_t>> RecordWriter::insert_note(const NoteRow& row) {
  if (row.revisions.empty()) return fail(ErrorCode::internal, "a note needs at least one revision");
  BC_ASSIGN(bool tombstoned, is_tombstoned(row.uid));
  if (tombstoned) return std::optional<std::int64_t>();
  const std::string& text = row.revisions.back().text;
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO notes(uid, meeting_id, speaker_id, kind, at, visibility, text, search_text, "
                                            "revision, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(uid) DO NOTHING"));
  ins->bind(1, row.uid).bind(2, row.meeting_id).bind(3, row.speaker_id).bind(4, to_string(row.kind)).bind(5, row.at);
  ins->bind(6, to_string(row.visibility)).bind(7, text).bind(9, static_cast<std::int64_t>(row.revisions.size()));
  ins->bind(10, row.created_at).bind(11, row.updated_at);
  BC_TRY(run_with_search_text(ins, 8, text));
  if (db_.changes() == 0) return std::optional<std::int64_t>();
  const std::int64_t id = db_.last_insert_rowid();
  BC_TRY(report(RecordKind::note, ChangeOp::created, row.uid, id, row.meeting_id));
  BC_TRY(write_revisions(id, row.revisions, 1));
  return std::optional<std::int64_t>(id);
}

Status RecordWriter::add_revision(std::int64_t note_id, const RevisionRow& revision) {
  BC_ASSIGN(CachedStatement up, db_.cached("UPDATE notes SET text = ?, search_text = ?, revision = revision + 1, updated_at = ? "
                                           "WHERE id = ? RETURNING revision"));
  up->bind(1, revision.text).bind(3, revision.created_at).bind(4, note_id);
  std::string search_text = normalize(revision.text);
  up->bind(2, search_text);
  auto row = up->step();
  crypto::wipe(search_text.data(), search_text.size());
  if (!row) return std::move(row).error();
  if (!*row) return fail(ErrorCode::not_found, "there is no note " + std::to_string(note_id));
  const int number = static_cast<int>(up->column_int64(0));
  up->reset();
  BC_TRY(write_revisions(note_id, {revision}, number));
  if (!reporting()) return {};
  return report(RecordKind::note, ChangeOp::updated, uid_of("notes", note_id), note_id, 0, "text");
}

Result<std::size_t> RecordWriter::merge_revisions(std::int64_t note_id, const std::vector<RevisionRow>& incoming,
                                                  const std::vector<std::string>& order, const std::string& updated_at) {
  BC_ASSIGN(std::int64_t max_rev,
            db_.query_int("SELECT coalesce(max(revision), 0) FROM note_revisions WHERE note_id = " + std::to_string(note_id)));
  BC_TRY(write_revisions(note_id, incoming, static_cast<int>(max_rev) + 1));
  // Renumber 1..n in `order`, through negative numbers so that UNIQUE(note_id, revision) holds
  // at every step.
  BC_ASSIGN(CachedStatement renumber, db_.cached("UPDATE note_revisions SET revision = ? WHERE note_id = ? AND uid = ?"));
  for (std::size_t i = 0; i < order.size(); ++i) {
    renumber->reset();
    BC_TRY(renumber->bind(1, -static_cast<std::int64_t>(i + 1)).bind(2, note_id).bind(3, order[i]).run());
  }
  BC_TRY(db_.exec("UPDATE note_revisions SET revision = -revision WHERE note_id = " + std::to_string(note_id)));
  // The current text is always the last revision.
  BC_ASSIGN(CachedStatement cur, db_.cached("SELECT text FROM note_revisions WHERE note_id = ? AND revision = ?"));
  cur->bind(1, note_id).bind(2, static_cast<std::int64_t>(order.size()));
  BC_ASSIGN(bool found, cur->step());
  if (!found) return fail(ErrorCode::internal, "a merged note lost its current revision");
  const std::string text = cur->column_string(0);
  cur->reset();
  BC_ASSIGN(CachedStatement up, db_.cached("UPDATE notes SET text = ?, search_text = ?, revision = ?, "
                                           "updated_at = max(updated_at, ?) WHERE id = ?"));
  up->bind(1, text).bind(3, static_cast<std::int64_t>(order.size())).bind(4, updated_at).bind(5, note_id);
  BC_TRY(run_with_search_text(up, 2, text));
  if (reporting()) BC_TRY(report(RecordKind::note, ChangeOp::updated, uid_of("notes", note_id), note_id, 0, "revisions"));
  return incoming.size();
}

Status RecordWriter::mark_deleted(std::int64_t note_id, const std::string& at) {
  BC_ASSIGN(CachedStatement st, db_.cached("UPDATE notes SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL"));
  BC_TRY(st->bind(1, at).bind(2, note_id).run());
  if (db_.changes() == 0) return {};
  BC_ASSIGN(CachedStatement tomb, db_.cached("INSERT INTO note_tombstones(uid, kind, at) SELECT uid, 'deleted', ? FROM notes "
                                             "WHERE id = ? ON CONFLICT(uid) DO NOTHING"));
  BC_TRY(tomb->bind(1, at).bind(2, note_id).run());
  if (!reporting()) return {};
  return report(RecordKind::note, ChangeOp::deleted, uid_of("notes", note_id), note_id);
}

Status RecordWriter::add_tombstone(const std::string& note_uid, bool purged, const std::string& at) {
  BC_ASSIGN(CachedStatement st, db_.cached(purged ? "INSERT INTO note_tombstones(uid, kind, at) VALUES (?, 'purged', ?) "
                                                    "ON CONFLICT(uid) DO UPDATE SET kind = 'purged'"
                                                  : "INSERT INTO note_tombstones(uid, kind, at) VALUES (?, 'deleted', ?) "
                                                    "ON CONFLICT(uid) DO NOTHING"));
  return st->bind(1, note_uid).bind(2, at).run();
}

// Erases the notes selected by `where_sql` (a condition on `notes`): reported as purged, their
// tombstones made purge tombstones, their rows (and revisions, by cascade) deleted, and the search
// index rewritten as one segment so that their words are gone from it too, not merely marked
// deleted.
Status RecordWriter::erase_notes(const std::string& where_sql) {
  if (reporting()) {
    BC_ASSIGN(storage::Statement st, db_.prepare("SELECT id, uid, meeting_id FROM notes WHERE " + where_sql));
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      BC_TRY(report(RecordKind::note, ChangeOp::purged, st.column_string(1), st.column_int64(0), st.column_int64(2)));
    }
  }
  BC_TRY(db_.exec("INSERT INTO note_tombstones(uid, kind, at) SELECT uid, 'purged', strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                  "FROM notes WHERE " + where_sql + " ON CONFLICT(uid) DO UPDATE SET kind = 'purged', at = excluded.at"));
  BC_ASSIGN(storage::Statement del, db_.prepare("DELETE FROM notes WHERE " + where_sql));
  BC_TRY(del.run());
  return db_.exec("INSERT INTO notes_fts(notes_fts) VALUES ('optimize')");
}

Result<std::int64_t> RecordWriter::purge_deleted_notes() {
  BC_ASSIGN(std::int64_t purged, db_.query_int("SELECT count(*) FROM notes WHERE deleted_at IS NOT NULL"));
  BC_TRY(erase_notes("deleted_at IS NOT NULL"));
  return purged;
}

Result<std::int64_t> RecordWriter::purge_notes(const std::vector<std::string>& note_uids) {
  std::string list;
  for (const auto& uid : note_uids) {
    // Uids are 32 hex digits (checked by every reader); anything else cannot be spliced in.
    if (uid.size() != 32 || uid.find_first_not_of("0123456789abcdef") != std::string::npos)
      return fail(ErrorCode::internal, "purge_notes: not a note uid");
    list += (list.empty() ? "'" : ",'") + uid + "'";
  }
  if (list.empty()) return std::int64_t{0};
  BC_ASSIGN(std::int64_t present, db_.query_int("SELECT count(*) FROM notes WHERE uid IN (" + list + ")"));
  BC_TRY(erase_notes("uid IN (" + list + ")"));
  for (const auto& uid : note_uids) BC_TRY(add_tombstone(uid, true, storage::utc_now_rfc3339()));
  return present;
}

// ---- threads ----

Result<std::optional<std::int64_t>> RecordWriter::insert_thread(const ThreadRow& row) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO threads(uid, series_id, title, search_text, created_at) VALUES (?,?,?,?,?) "
                                            "ON CONFLICT(uid) DO NOTHING"));
  ins->bind(1, row.uid).bind(2, row.series_id).bind(3, row.title).bind(5, row.created_at);
  BC_TRY(run_with_search_text(ins, 4, row.title));
  if (db_.changes() == 0) return std::optional<std::int64_t>();
  const std::int64_t id = db_.last_insert_rowid();
  BC_TRY(report(RecordKind::thread, ChangeOp::created, row.uid, id));
  return std::optional<std::int64_t>(id);
}

Result<bool> RecordWriter::link_thread_note(std::int64_t thread_id, std::int64_t note_id, const std::string& linked_at) {
  {
    BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO thread_notes(thread_id, note_id, linked_at) VALUES (?,?,?) "
                                              "ON CONFLICT DO NOTHING"));
    BC_TRY(ins->bind(1, thread_id).bind(2, note_id).bind(3, linked_at).run());
  }
  if (db_.changes() == 0) return false;
  if (reporting()) BC_TRY(report(RecordKind::thread_link, ChangeOp::created, uid_of("notes", note_id), thread_id));
  return true;
}

Result<bool> RecordWriter::insert_thread_status(const ThreadStatusRow& row) {
  {
    BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO thread_status(uid, thread_id, status, meeting_id, decided_by, decided_at) "
                                              "VALUES (?,?,?,?,?,?) ON CONFLICT(uid) DO NOTHING"));
    BC_TRY(ins->bind(1, row.uid).bind(2, row.thread_id).bind(3, row.status).bind(4, row.meeting_id).bind(5, row.decided_by)
               .bind(6, row.decided_at).run());
  }
  if (db_.changes() == 0) return false;
  BC_TRY(report(RecordKind::thread_status, ChangeOp::created, row.uid, db_.last_insert_rowid(), row.meeting_id));
  return true;
}

// ---- papers ----

Result<std::int64_t> RecordWriter::insert_paper(const PaperRow& row, const crypto::SecureBuffer& tracing_key,
                                                const std::string& author_fingerprint) {
  if (tracing_key.size() != 32) return fail(ErrorCode::internal, "a paper's tracing key is 32 bytes");
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO papers(uid, series_id, title, version, tracing_key, created_at, updated_at) "
                                            "VALUES (?,?,?,1,?,?,?)"));
  BC_TRY(ins->bind(1, row.uid).bind(2, row.series_id).bind(3, row.title).bind_blob(4, tracing_key.span())
             .bind(5, row.created_at).bind(6, row.created_at).run());
  const std::int64_t id = db_.last_insert_rowid();
  BC_TRY(report(RecordKind::paper, ChangeOp::created, row.uid, id, 0, {}, id));
  BC_TRY(add_paper_author(id, author_fingerprint, row.created_at));
  return id;
}

Status RecordWriter::add_paper_author(std::int64_t paper_id, const std::string& fingerprint, const std::string& at) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO paper_authors(paper_id, fingerprint, added_at) VALUES (?,?,?) "
                                            "ON CONFLICT DO NOTHING"));
  BC_TRY(ins->bind(1, paper_id).bind(2, fingerprint).bind(3, at).run());
  if (db_.changes() == 0) return {};
  return report(RecordKind::paper_author, ChangeOp::created, fingerprint, paper_id, 0, {}, paper_id);
}

Result<std::int64_t> RecordWriter::next_paper_version(std::int64_t paper_id, const std::string& at) {
  BC_ASSIGN(CachedStatement up, db_.cached("UPDATE papers SET version = version + 1, updated_at = ? WHERE id = ? RETURNING version"));
  up->bind(1, at).bind(2, paper_id);
  BC_ASSIGN(bool row, up->step());
  if (!row) return fail(ErrorCode::not_found, "there is no paper " + std::to_string(paper_id));
  const std::int64_t version = up->column_int64(0);
  up->reset();
  BC_TRY(report(RecordKind::paper, ChangeOp::updated, uid_of("papers", paper_id), paper_id, 0, "version", paper_id));
  return version;
}

Result<std::int64_t> RecordWriter::insert_paper_section(std::int64_t paper_id, const std::string& uid, std::int64_t version) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO paper_sections(uid, paper_id, position, created_version) "
                                            "SELECT ?, ?, coalesce(max(position), 0) + 1, ? FROM paper_sections WHERE paper_id = ?"));
  BC_TRY(ins->bind(1, uid).bind(2, paper_id).bind(3, version).bind(4, paper_id).run());
  const std::int64_t id = db_.last_insert_rowid();
  BC_TRY(report(RecordKind::paper_section, ChangeOp::created, uid, id, 0, {}, paper_id));
  return id;
}

Status RecordWriter::add_paper_text(const PaperTextRow& row, std::int64_t version) {
  BC_ASSIGN(CachedStatement ins, db_.cached(
      "INSERT INTO paper_section_revisions(uid, section_id, language, revision, paper_version, text, created_at) "
      "SELECT ?, ?, ?, coalesce(max(revision), 0) + 1, ?, ?, ? FROM paper_section_revisions WHERE section_id = ? AND language = ?"));
  BC_TRY(ins->bind(1, row.uid).bind(2, row.section_id).bind(3, row.language).bind(4, version).bind(5, row.text)
             .bind(6, row.created_at).bind(7, row.section_id).bind(8, row.language).run());
  if (!reporting()) return {};
  BC_ASSIGN(CachedStatement paper, db_.cached("SELECT paper_id FROM paper_sections WHERE id = ?"));
  paper->bind(1, row.section_id);
  BC_ASSIGN(bool found, paper->step());
  const std::int64_t paper_id = found ? paper->column_int64(0) : 0;
  paper->reset();
  return report(RecordKind::paper_text, ChangeOp::created, row.uid, db_.last_insert_rowid(), 0, row.language, paper_id);
}

Status RecordWriter::add_paper_citation(std::int64_t section_id, const std::string& kind, const std::string& target_uid,
                                        const std::string& at) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO paper_citations(section_id, kind, target_uid, added_at) VALUES (?,?,?,?) "
                                            "ON CONFLICT DO NOTHING"));
  BC_TRY(ins->bind(1, section_id).bind(2, kind).bind(3, target_uid).bind(4, at).run());
  if (db_.changes() == 0) return {};
  return report(RecordKind::paper_citation, ChangeOp::created, target_uid, section_id, 0, kind);
}

Status RecordWriter::add_paper_approval(std::int64_t paper_id, std::int64_t version, const std::string& fingerprint,
                                        const std::string& at) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO paper_approvals(paper_id, version, fingerprint, approved_at) "
                                            "VALUES (?,?,?,?) ON CONFLICT DO NOTHING"));
  BC_TRY(ins->bind(1, paper_id).bind(2, version).bind(3, fingerprint).bind(4, at).run());
  if (db_.changes() == 0) return {};
  return report(RecordKind::paper_approval, ChangeOp::created, fingerprint, version, 0, {}, paper_id);
}

Result<std::int64_t> RecordWriter::insert_paper_copy(const PaperCopyRow& row) {
  BC_ASSIGN(CachedStatement ins, db_.cached("INSERT INTO paper_copies(uid, paper_id, label, version, channel, recipient, audience, "
                                            "format, choices, fingerprint, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  BC_TRY(ins->bind(1, row.uid).bind(2, row.paper_id).bind(3, row.label).bind(4, row.version).bind(5, row.channel)
             .bind(6, row.recipient).bind(7, row.audience).bind(8, row.format).bind(9, row.choices).bind(10, row.fingerprint)
             .bind(11, row.created_at).run());
  const std::int64_t id = db_.last_insert_rowid();
  BC_TRY(report(RecordKind::paper_copy, ChangeOp::created, row.uid, id, 0, {}, row.paper_id));
  return id;
}

}  // namespace bc::core
