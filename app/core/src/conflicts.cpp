#include "backchannel/core/conflicts.h"

#include <map>

#include "backchannel/core/audit_log.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/message_text.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "sync_log.h"
#include "sync_records.h"
#include "sync_state.h"
#include "vault_store_access.h"

namespace bc::core {

using json = nlohmann::json;
using storage::CachedStatement;
using namespace sync;

namespace {

storage::Database& db_of(Vault& v) { return vault_store(v).db(); }

std::string conflict_id(const std::string& series, const std::string& target, const std::string& field) {
  const auto h = crypto::sha256(crypto::bytes_of("backchannel conflict\n" + series + "\n" + target + "\n" + field));
  return crypto::to_hex(h).substr(0, 12);
}

std::string display(const json& v) { return display_value(v); }

// An RFC 3339 time from a hybrid clock's milliseconds.
std::string time_of(std::int64_t hlc) {
  const std::time_t secs = static_cast<std::time_t>(ms_of_hlc(hlc) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status field_conflicts(Vault& vault, const std::string& series, std::int64_t series_id, std::vector<Conflict>& out) {
  BC_ASSIGN(std::vector<Write> writes, standing_in_series(vault, series));
  std::map<std::pair<std::string, std::string>, int> count;
  for (const auto& w : writes) ++count[{w.target, w.field}];
  for (const auto& [key, n] : count) {
    if (n < 2) continue;
    const auto& [target, field] = key;
    BC_ASSIGN(FieldState state, field_state(vault, series, target, field));
    if (!state.conflict) continue;
    BC_ASSIGN(std::optional<TargetIds> ids, resolve_target(vault, target));
    if (!ids) continue;
    Conflict c;
    c.id = conflict_id(series, target, field);
    c.series_id = series_id;
    c.kind = "field";
    c.meeting_id = ids->meeting_id;
    c.participant_id = ids->participant_id;
    c.field = field;
    c.current = display(state.value);
    if (ids->record == "attendance") {
      BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT key FROM attendance WHERE meeting_id = ? AND participant_id = ?"));
      st->bind(1, ids->meeting_id).bind(2, ids->participant_id);
      BC_ASSIGN(bool row, st->step());
      if (row) c.participant_key = st->column_string(0);
    }
    for (const auto& w : state.standing)
      if (w.active()) c.sides.push_back({display(w.value), w.change, w.author, time_of(w.hlc)});
    out.push_back(std::move(c));
  }
  return {};
}

Status note_conflicts(Vault& vault, const std::string& series, std::int64_t series_id, std::vector<Conflict>& out) {
  std::vector<std::string> notes;
  {
    BC_ASSIGN(storage::Statement st, db_of(vault).prepare("SELECT note_uid FROM sync_revisions WHERE series_uid = ? "
                                                          "GROUP BY note_uid HAVING count(*) > 1 ORDER BY note_uid"));
    st.bind(1, series);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      notes.push_back(st.column_string(0));
    }
  }
  for (const auto& note_uid : notes) {
    BC_ASSIGN(std::vector<RevisionMeta> metas, revisions_of(vault, note_uid));
    const auto hs = heads(metas);
    if (hs.size() < 2) continue;
    Conflict c;
    {
      BC_ASSIGN(CachedStatement n, db_of(vault).cached("SELECT id, meeting_id, text FROM notes WHERE uid = ? AND deleted_at IS NULL"));
      n->bind(1, note_uid);
      BC_ASSIGN(bool row, n->step());
      if (!row) continue;
      c.note_id = n->column_int64(0);
      c.meeting_id = n->column_int64(1);
      c.current = n->column_string(2);
    }
    c.id = conflict_id(series, "note:" + note_uid, "");
    c.series_id = series_id;
    c.kind = "note";
    for (const auto* h : hs) {
      BC_ASSIGN(CachedStatement rv, db_of(vault).cached("SELECT text FROM note_revisions WHERE uid = ?"));
      rv->bind(1, h->uid);
      BC_ASSIGN(bool found, rv->step());
      c.sides.push_back({found ? rv->column_string(0) : std::string(), h->uid, std::string(), time_of(h->hlc)});
    }
    out.push_back(std::move(c));
  }
  return {};
}

}  // namespace

Result<std::vector<Conflict>> list_conflicts(Vault& vault) {
  BC_ASSIGN(std::vector<std::string> all, team_series(vault));
  std::vector<Conflict> out;
  for (const auto& series : all) {
    BC_ASSIGN(auto id, local_id(vault, "series", series));
    if (!id) continue;
    BC_TRY(field_conflicts(vault, series, *id, out));
    BC_TRY(note_conflicts(vault, series, *id, out));
  }
  return out;
}

Status resolve_conflict(Vault& vault, std::string_view id, std::string_view keep) {
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(std::vector<Conflict> all, list_conflicts(vault));
  const Conflict* c = nullptr;
  for (const auto& x : all)
    if (x.id == id) c = &x;
  if (!c) return fail(ErrorCode::not_found, "there is no open conflict " + quote_for_message(id) + " (`conflicts` lists them)");
  if (c->kind == "field") {
    const ConflictSide* side = nullptr;
    for (const auto& s : c->sides)
      if (s.value == keep) side = &s;
    if (!side && keep.size() >= 8)  // or the change that wrote it, as `conflicts --json` names it
      for (const auto& s : c->sides)
        if (s.change.compare(0, keep.size(), keep) == 0) side = &s;
    // Values may be names: the message never repeats them.
    if (!side) return fail(ErrorCode::bad_input, "the value given is not one of the sides of conflict " + c->id + " (`conflicts` shows them)");
    BC_ASSIGN(std::optional<Write> w, find_write(vault, side->change));
    if (!w) return fail(ErrorCode::internal, "a side of a conflict has no write");
    BC_ASSIGN(std::optional<TargetIds> ids, resolve_target(vault, w->target));
    if (!ids) return fail(ErrorCode::internal, "a conflict's record is gone");
    // Written as any local change is: the change log records it as replacing every side.
    BC_TRY(write_value(vault, *ids, w->field, w->value));
  } else {
    const ConflictSide* side = nullptr;
    if (keep.size() >= 8)
      for (const auto& s : c->sides)
        if (s.change.compare(0, keep.size(), keep) == 0) side = &s;
    if (!side) return fail(ErrorCode::bad_input, "give the uid (or its first 8 digits) of one of the revisions of conflict " + c->id);
    BC_ASSIGN(std::string note_uid, db.query_text("SELECT uid FROM notes WHERE id = " + std::to_string(c->note_id)));
    BC_ASSIGN(std::string series, db.query_text("SELECT series_uid FROM sync_revisions WHERE uid = '" + side->change + "'"));
    const std::string revision_uid = new_uid();
    {
      // Logged below as following every side, not as an edit of the current text.
      UnreportedWrites quiet(vault);
      BC_TRY(RecordWriter(vault).add_revision(c->note_id, {revision_uid, side->value, storage::utc_now_rfc3339()}));
    }
    std::vector<std::string> parents;
    for (const auto& s : c->sides) parents.push_back(s.change);
    BC_TRY(log_revision(vault, series, note_uid, revision_uid, parents));
  }
  BC_TRY(append_audit(vault, "conflict.resolve", "conflict " + c->id));
  return tx.commit();
}

}  // namespace bc::core
