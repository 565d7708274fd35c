#include "backchannel/core/notes.h"

#include "backchannel/core/audit_log.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/message_text.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "vault_store_access.h"

namespace bc::core {

using storage::Statement;

namespace {

constexpr const char* kNoteColumns =
    "SELECT id, uid, meeting_id, speaker_id, kind, at, visibility, text, revision, created_at, updated_at FROM notes ";

Note read_note(const Statement& st) {
  Note n;
  n.id = st.column_int64(0);
  n.uid = st.column_string(1);
  n.meeting_id = st.column_int64(2);
  n.speaker_id = st.column_optional_int64(3);
  n.kind = parse_note_kind(st.column_text(4)).value_or(NoteKind::statement);
  n.at = st.column_optional_string(5);
  n.visibility = parse_visibility(st.column_text(6)).value_or(Visibility::organizers);
  n.text = st.column_string(7);
  n.revision = static_cast<int>(st.column_int64(8));
  n.created_at = st.column_string(9);
  n.updated_at = st.column_string(10);
  return n;
}

Error no_such_note(std::int64_t id) {
  return fail(ErrorCode::not_found, "there is no note " + std::to_string(id));
}

}  // namespace

Result<std::int64_t> add_note(Vault& vault, const NewNote& note) {
  BC_TRY(validate_text("text", note.text, TextField::note_text));
  std::string at;
  if (note.at) {
    auto t = normalize_timestamp(*note.at);
    if (!t) return fail(ErrorCode::bad_input, "at: " + t.error().message);
    at = *t;
  } else {
    at = storage::utc_now_rfc3339();
  }
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_TRY(require_meeting(vault, note.meeting_id));
  std::optional<std::int64_t> speaker;
  if (note.speaker_key) {
    BC_ASSIGN(Statement sp, db.prepare("SELECT participant_id FROM attendance WHERE meeting_id = ? AND key = ?"));
    sp.bind(1, note.meeting_id).bind(2, *note.speaker_key);
    BC_ASSIGN(bool row, sp.step());
    if (!row)
      return fail(ErrorCode::not_found,
                  "meeting " + std::to_string(note.meeting_id) + " has no participant with key " + quote_for_message(*note.speaker_key),
                  Remedy::list_participants, std::to_string(note.meeting_id));
    speaker = sp.column_int64(0);
  }
  const std::string now = storage::utc_now_rfc3339();
  NoteRow row{new_uid(), note.meeting_id, speaker, note.kind, at, note.visibility, {{new_uid(), note.text, now}}, now, now};
  BC_ASSIGN(std::optional<std::int64_t> id, RecordWriter(vault).insert_note(row));
  if (!id) return fail(ErrorCode::internal, "a new note uid was already taken");
  BC_TRY(append_audit(vault, "note.add", "note " + std::to_string(*id)));
  BC_TRY(tx.commit());
  return *id;
}

Status edit_note(Vault& vault, std::int64_t note_id, std::string_view text) {
  BC_TRY(validate_text("text", text, TextField::note_text));
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(Note current, get_note(vault, note_id));
  if (current.text == text) return {};
  BC_TRY(RecordWriter(vault).add_revision(note_id, {new_uid(), std::string(text), storage::utc_now_rfc3339()}));
  BC_TRY(append_audit(vault, "note.edit", "note " + std::to_string(note_id)));
  return tx.commit();
}

Status delete_note(Vault& vault, std::int64_t note_id) {
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_TRY(get_note(vault, note_id));
  BC_TRY(RecordWriter(vault).mark_deleted(note_id, storage::utc_now_rfc3339()));
  BC_TRY(append_audit(vault, "note.delete", "note " + std::to_string(note_id)));
  return tx.commit();
}

Result<std::int64_t> purge_deleted_notes(Vault& vault) {
  auto& db = vault_store(vault).db();
  std::int64_t purged = 0;
  {
    BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
    BC_ASSIGN(purged, RecordWriter(vault).purge_deleted_notes());
    BC_TRY(append_audit(vault, "note.purge", std::to_string(purged) + " notes"));
    BC_TRY(tx.commit());
  }
  // secure_delete zeroed the freed pages; moving the journal into the database and truncating
  // it removes the last copies of the old pages.
  BC_TRY(db.checkpoint_truncate());
  return purged;
}

Result<std::vector<Note>> list_notes(Vault& vault, std::int64_t meeting_id) {
  BC_TRY(require_meeting(vault, meeting_id));
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare(std::string(kNoteColumns) +
                                                     "WHERE meeting_id = ? AND deleted_at IS NULL ORDER BY at, id"));
  st.bind(1, meeting_id);
  std::vector<Note> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(read_note(st));
  }
  return out;
}

Result<Note> get_note(Vault& vault, std::int64_t note_id) {
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare(std::string(kNoteColumns) + "WHERE id = ? AND deleted_at IS NULL"));
  st.bind(1, note_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return no_such_note(note_id);
  return read_note(st);
}

Result<std::vector<NoteRevision>> note_revisions(Vault& vault, std::int64_t note_id) {
  BC_TRY(get_note(vault, note_id));
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare(
                              "SELECT uid, revision, text, created_at FROM note_revisions WHERE note_id = ? ORDER BY revision"));
  st.bind(1, note_id);
  std::vector<NoteRevision> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back({st.column_string(0), static_cast<int>(st.column_int64(1)), st.column_string(2), st.column_string(3)});
  }
  return out;
}

}  // namespace bc::core
