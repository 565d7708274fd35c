#include "sync_log.h"

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "sync_records.h"
#include "sync_state.h"
#include "vault_store_access.h"

namespace bc::core::sync {

using json = nlohmann::json;
using storage::CachedStatement;

namespace {

storage::Database& db_of(Vault& v) { return vault_store(v).db(); }

Result<std::string> uid_of(Vault& vault, const char* table, std::int64_t id) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached(std::string("SELECT uid FROM ") + table + " WHERE id = ?"));
  st->bind(1, id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::internal, std::string("the change log found no row in ") + table);
  return st->column_string(0);
}

// The writes a creation record makes: one per field, replacing nothing.
Status initial_writes(Vault& vault, const std::string& series, const std::string& target, const json& record, const Self& me) {
  const std::string change = record["change"].get<std::string>();
  for (const auto& [field, value] : record["fields"].items()) {
    Write w;
    w.change = initial_write_id(change, field);
    w.series = series;
    w.target = target;
    w.field = field;
    w.value = value;
    w.hlc = record["hlc"].get<std::int64_t>();
    w.device = me.device;
    w.author = me.fingerprint;
    w.made_at = storage::utc_now_rfc3339();
    BC_TRY(insert_write(vault, w));
  }
  return {};
}

Result<json> stamped(Vault& vault, json record) {
  BC_ASSIGN(std::int64_t hlc, tick(vault));
  record["change"] = new_uid();
  record["hlc"] = hlc;
  return record;
}

Status meeting_created(Vault& vault, const std::string& series, std::int64_t meeting_id) {
  BC_ASSIGN(Self me, self(vault));
  BC_ASSIGN(json rec, meeting_record(vault, meeting_id));
  BC_ASSIGN(rec, stamped(vault, std::move(rec)));
  BC_TRY(initial_writes(vault, series, meeting_target(rec["uid"]), rec, me));
  return log_change(vault, series, rec);
}

Status attendance_created(Vault& vault, const std::string& series, std::int64_t meeting_id, std::int64_t participant_id,
                          const std::string& participant_uid) {
  BC_ASSIGN(Self me, self(vault));
  auto& db = db_of(vault);
  {
    BC_ASSIGN(CachedStatement ann, db.cached("INSERT INTO sync_announced(series_uid, participant_uid) VALUES (?, ?) "
                                             "ON CONFLICT DO NOTHING"));
    BC_TRY(ann->bind(1, series).bind(2, participant_uid).run());
  }
  if (db.changes() > 0) {
    BC_ASSIGN(json p, participant_record(vault, participant_id));
    BC_ASSIGN(p, stamped(vault, std::move(p)));
    BC_TRY(initial_writes(vault, series, participant_target(participant_uid), p, me));
    BC_TRY(log_change(vault, series, p));
  }
  BC_ASSIGN(json a, attendance_record(vault, meeting_id, participant_id));
  BC_ASSIGN(a, stamped(vault, std::move(a)));
  BC_TRY(initial_writes(vault, series, attendance_target(a["meeting"], participant_uid), a, me));
  return log_change(vault, series, a);
}

Status field_changed(Vault& vault, const std::string& series, const std::string& target, const std::string& field) {
  BC_ASSIGN(std::optional<TargetIds> ids, resolve_target(vault, target));
  if (!ids) return fail(ErrorCode::internal, "the change log cannot find the record it was told of");
  BC_ASSIGN(Self me, self(vault));
  BC_ASSIGN(FieldState before, field_state(vault, series, target, field));
  BC_ASSIGN(json value, table_value(vault, *ids, field));
  Write w;
  w.change = new_uid();
  w.series = series;
  w.target = target;
  w.field = field;
  w.value = value;
  BC_ASSIGN(w.hlc, tick(vault));
  w.device = me.device;
  w.author = me.fingerprint;
  for (const auto& s : before.standing) w.base.push_back(s.change);
  if (is_lowering(before.rule, before.value, value, before.conflict)) {
    // Two people to lower protection, when there are two.
    BC_ASSIGN(std::optional<Team> team, load_team(vault, series));
    w.lowering = team && team->current().size() >= 2;
  }
  w.made_at = storage::utc_now_rfc3339();
  BC_TRY(insert_write(vault, w));
  if (w.active()) BC_TRY(retire(vault, w));
  BC_TRY(log_change(vault, series, json{{"type", "set"}, {"change", w.change}, {"hlc", w.hlc}, {"target", target}, {"field", field},
                                        {"value", value}, {"base", string_list(w.base)}, {"lowering", w.lowering}}));
  // A lowering waiting for confirmation: the level that stood goes back now.
  if (w.lowering) BC_TRY(refresh(vault, series, target, field));
  return {};
}

// The pending (unpublished) note record of a note created in this vault, if any.
Result<std::optional<std::pair<std::int64_t, json>>> pending_note(Vault& vault, const std::string& note_uid) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT id, record FROM sync_changes WHERE note_uid = ? ORDER BY id"));
  st->bind(1, note_uid);
  while (true) {
    BC_ASSIGN(bool row, st->step());
    if (!row) break;
    json j = json::parse(st->column_text(1), nullptr, false);
    if (j.is_object() && j.value("type", "") == "note") return std::optional<std::pair<std::int64_t, json>>({st->column_int64(0), j});
  }
  return std::optional<std::pair<std::int64_t, json>>();
}

Status revision_created(Vault& vault, const std::string& series, std::int64_t note_id, const std::string& revision_uid) {
  BC_ASSIGN(std::string note_uid, uid_of(vault, "notes", note_id));
  BC_ASSIGN(auto pending, pending_note(vault, note_uid));
  std::vector<std::string> parents;
  if (pending) {
    const json& revs = pending->second["revisions"];
    if (!revs.empty()) parents.push_back(revs.back()["uid"].get<std::string>());
  } else {
    BC_ASSIGN(std::vector<RevisionMeta> metas, revisions_of(vault, note_uid));
    if (!metas.empty()) parents.push_back(metas.back().uid);  // the current text
  }
  return log_revision(vault, series, note_uid, revision_uid, parents);
}

Status note_purged(Vault& vault, const std::string& series, const std::string& note_uid) {
  auto& db = db_of(vault);
  // Its text must never leave this vault now, nor stay in the log.
  {
    BC_ASSIGN(CachedStatement st, db.cached("DELETE FROM sync_changes WHERE note_uid = ?"));
    BC_TRY(st->bind(1, note_uid).run());
  }
  {
    BC_ASSIGN(CachedStatement st, db.cached("DELETE FROM sync_revisions WHERE note_uid = ?"));
    BC_TRY(st->bind(1, note_uid).run());
  }
  BC_TRY(remember_tombstone(vault, note_uid, series));
  BC_ASSIGN(std::int64_t hlc, tick(vault));
  BC_TRY(log_change(vault, series, json{{"type", "purge"}, {"note", note_uid}, {"at", storage::utc_now_rfc3339()}, {"hlc", hlc}}));
  // This device's bundles that held the text are rewritten (a snapshot replaces them).
  return set_snapshot_due(vault, series, true);
}

Status observe(Vault& vault, const RecordChange& c) {
  switch (c.kind) {
    case RecordKind::series: return {};  // a series joins a team with `team create`
    case RecordKind::meeting: {
      BC_ASSIGN(auto series, team_of_meeting(vault, c.id));
      if (!series) return {};
      if (c.op == ChangeOp::created) return meeting_created(vault, *series, c.id);
      return field_changed(vault, *series, meeting_target(c.uid), c.field);
    }
    case RecordKind::participant: {
      // A participant enters a team series with their first attendance there.
      if (c.op != ChangeOp::updated) return {};
      std::vector<std::string> series;
      {
        BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT series_uid FROM sync_announced WHERE participant_uid = ?"));
        st->bind(1, c.uid);
        while (true) {
          BC_ASSIGN(bool row, st->step());
          if (!row) break;
          series.push_back(st->column_string(0));
        }
      }
      for (const auto& s : series) BC_TRY(field_changed(vault, s, participant_target(c.uid), c.field));
      return {};
    }
    case RecordKind::attendance: {
      if (c.op != ChangeOp::created) return {};  // keys change only when sync settles a clash
      BC_ASSIGN(auto series, team_of_meeting(vault, c.meeting_id));
      if (!series) return {};
      return attendance_created(vault, *series, c.meeting_id, c.id, c.uid);
    }
    case RecordKind::disclosure: {
      BC_ASSIGN(auto series, team_of_meeting(vault, c.meeting_id));
      if (!series) return {};
      BC_ASSIGN(std::string meeting_uid, uid_of(vault, "meetings", c.meeting_id));
      return field_changed(vault, *series, attendance_target(meeting_uid, c.uid), "disclosure." + c.field);
    }
    case RecordKind::note: {
      BC_ASSIGN(auto series, team_of_note(vault, c.id));
      if (!series) return {};
      switch (c.op) {
        case ChangeOp::created: {
          BC_ASSIGN(json rec, note_record(vault, c.id));
          return log_change(vault, *series, rec, c.uid);
        }
        case ChangeOp::updated: return {};  // its revisions are logged one by one
        case ChangeOp::deleted: {
          BC_TRY(remember_tombstone(vault, c.uid, *series));
          BC_ASSIGN(std::int64_t hlc, tick(vault));
          return log_change(vault, *series, json{{"type", "delete"}, {"note", c.uid}, {"at", storage::utc_now_rfc3339()}, {"hlc", hlc}});
        }
        case ChangeOp::purged: return note_purged(vault, *series, c.uid);
      }
      return {};
    }
    case RecordKind::note_revision: {
      BC_ASSIGN(auto series, team_of_note(vault, c.id));
      if (!series) return {};
      return revision_created(vault, *series, c.id, c.uid);
    }
  }
  return {};
}

}  // namespace

std::string initial_write_id(const std::string& change, const std::string& field) {
  const auto h = crypto::sha256(crypto::bytes_of("backchannel.team initial write\n" + change + "\n" + field));
  return crypto::to_hex(h).substr(0, 32);
}

void install_change_log(Vault& vault) { set_change_observer(vault, observe); }

Status adopt_series(Vault& vault, const std::string& series_uid) {
  auto& db = db_of(vault);
  BC_ASSIGN(Self me, self(vault));
  auto list = [&](const std::string& sql) -> Result<std::vector<std::pair<std::int64_t, std::int64_t>>> {
    BC_ASSIGN(storage::Statement st, db.prepare(sql));
    st.bind(1, series_uid);
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      out.push_back({st.column_int64(0), st.column_int64(1)});
    }
    return out;
  };
  BC_ASSIGN(auto meetings, list("SELECT m.id, 0 FROM meetings m JOIN series s ON s.id = m.series_id WHERE s.uid = ? ORDER BY m.id"));
  for (const auto& [id, unused] : meetings) {
    BC_ASSIGN(json rec, meeting_record(vault, id));
    BC_ASSIGN(rec, stamped(vault, std::move(rec)));
    BC_TRY(initial_writes(vault, series_uid, meeting_target(rec["uid"]), rec, me));
  }
  BC_ASSIGN(auto attendance, list("SELECT a.meeting_id, a.participant_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
                                  "JOIN series s ON s.id = m.series_id WHERE s.uid = ? ORDER BY a.meeting_id, a.position"));
  for (const auto& [meeting_id, participant_id] : attendance) {
    BC_ASSIGN(std::string participant_uid, uid_of(vault, "participants", participant_id));
    {
      BC_ASSIGN(CachedStatement ann, db.cached("INSERT INTO sync_announced(series_uid, participant_uid) VALUES (?, ?) "
                                               "ON CONFLICT DO NOTHING"));
      BC_TRY(ann->bind(1, series_uid).bind(2, participant_uid).run());
    }
    if (db.changes() > 0) {
      BC_ASSIGN(json p, participant_record(vault, participant_id));
      BC_ASSIGN(p, stamped(vault, std::move(p)));
      BC_TRY(initial_writes(vault, series_uid, participant_target(participant_uid), p, me));
    }
    BC_ASSIGN(json a, attendance_record(vault, meeting_id, participant_id));
    BC_ASSIGN(a, stamped(vault, std::move(a)));
    BC_TRY(initial_writes(vault, series_uid, attendance_target(a["meeting"], participant_uid), a, me));
  }
  BC_ASSIGN(auto notes, list("SELECT n.id, n.deleted_at IS NOT NULL FROM notes n JOIN meetings m ON m.id = n.meeting_id "
                             "JOIN series s ON s.id = m.series_id WHERE s.uid = ? ORDER BY n.id"));
  for (const auto& [note_id, deleted] : notes) {
    BC_ASSIGN(std::string note_uid, uid_of(vault, "notes", note_id));
    if (deleted) {
      BC_TRY(remember_tombstone(vault, note_uid, series_uid));
      continue;
    }
    BC_ASSIGN(storage::Statement rv, db.prepare("SELECT uid FROM note_revisions WHERE note_id = ? ORDER BY revision"));
    rv.bind(1, note_id);
    std::vector<std::string> parents;
    while (true) {
      BC_ASSIGN(bool row, rv.step());
      if (!row) break;
      BC_ASSIGN(std::int64_t hlc, tick(vault));
      const std::string uid = rv.column_string(0);
      BC_TRY(insert_revision_meta(vault, {uid, note_uid, series_uid, hlc, me.device, parents}));
      parents = {uid};
    }
  }
  return {};
}

Status log_change(Vault& vault, const std::string& series_uid, const json& record, const std::optional<std::string>& note_uid) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("INSERT INTO sync_changes(series_uid, note_uid, record) VALUES (?,?,?)"));
  return st->bind(1, series_uid).bind(2, note_uid).bind(3, record.dump()).run();
}

Status log_revision(Vault& vault, const std::string& series, const std::string& note_uid, const std::string& revision_uid,
                    const std::vector<std::string>& parents) {
  BC_ASSIGN(std::string device, device_id(vault));
  BC_ASSIGN(std::int64_t hlc, tick(vault));
  json entry;
  {
    BC_ASSIGN(CachedStatement rv, db_of(vault).cached("SELECT text, created_at FROM note_revisions WHERE uid = ?"));
    rv->bind(1, revision_uid);
    BC_ASSIGN(bool row, rv->step());
    if (!row) return fail(ErrorCode::internal, "the change log found no revision it was told of");
    entry = json{{"uid", revision_uid}, {"text", rv->column_string(0)}, {"created_at", rv->column_string(1)}, {"hlc", hlc},
                 {"parents", string_list(parents)}};
  }
  BC_TRY(insert_revision_meta(vault, {revision_uid, note_uid, series, hlc, device, parents}));
  BC_ASSIGN(auto pending, pending_note(vault, note_uid));
  if (pending) {
    json rec = pending->second;
    rec["revisions"].push_back(entry);
    BC_ASSIGN(CachedStatement up, db_of(vault).cached("UPDATE sync_changes SET record = ? WHERE id = ?"));
    return up->bind(1, rec.dump()).bind(2, pending->first).run();
  }
  entry["type"] = "revision";
  entry["note"] = note_uid;
  return log_change(vault, series, entry, note_uid);
}

}  // namespace bc::core::sync
