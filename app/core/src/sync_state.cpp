#include "sync_state.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "sync_records.h"
#include "vault_store_access.h"

namespace bc::core::sync {

using json = nlohmann::json;
using storage::CachedStatement;

json string_list(const std::vector<std::string>& v) { return json(v); }

std::vector<std::string> string_list(const json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& x : v)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

storage::Database& db_of(Vault& v) { return vault_store(v).db(); }

crypto::Ed25519Public key_of(std::vector<std::uint8_t> b) {
  crypto::Ed25519Public k{};
  if (b.size() == k.size()) std::copy(b.begin(), b.end(), k.begin());
  return k;
}

Status ensure_self(Vault& vault) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("INSERT INTO sync_self(id, device, hlc, created_at) VALUES (1, ?, 0, ?) "
                                                    "ON CONFLICT(id) DO NOTHING"));
  return st->bind(1, new_uid()).bind(2, storage::utc_now_rfc3339()).run();
}

}  // namespace

Result<std::string> device_id(Vault& vault) {
  BC_TRY(ensure_self(vault));
  return db_of(vault).query_text("SELECT device FROM sync_self WHERE id = 1");
}

Result<std::int64_t> tick(Vault& vault) {
  BC_TRY(ensure_self(vault));
  BC_ASSIGN(std::int64_t last, db_of(vault).query_int("SELECT hlc FROM sync_self WHERE id = 1"));
  const std::int64_t next = std::max(last + 1, hlc_of_ms(wall_ms()));
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("UPDATE sync_self SET hlc = ? WHERE id = 1"));
  BC_TRY(st->bind(1, next).run());
  return next;
}

Status observe_clock(Vault& vault, std::int64_t hlc) {
  BC_TRY(ensure_self(vault));
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("UPDATE sync_self SET hlc = max(hlc, ?) WHERE id = 1"));
  return st->bind(1, hlc).run();
}

Result<Self> self(Vault& vault) {
  Self s;
  BC_ASSIGN(s.device, device_id(vault));
  BC_ASSIGN(VaultIdentity id, vault_identity(vault));
  s.signing_key = id.ed25519;
  s.recipient = id.recipient;
  s.fingerprint = id.fingerprint;
  return s;
}

// ---- teams ----

const Member* Team::member_by_key(const crypto::Ed25519Public& key) const {
  for (const auto& m : members)
    if (m.signing_key == key) return &m;
  return nullptr;
}

const Member* Team::member_by_fingerprint(const std::string& fp) const {
  for (const auto& m : members)
    if (m.fingerprint == fp) return &m;
  return nullptr;
}

std::vector<const Member*> Team::current() const {
  std::vector<const Member*> out;
  for (const auto& m : members)
    if (!m.removed_epoch) out.push_back(&m);
  return out;
}

json member_record(const Member& m) {
  json final = json::object();
  for (const auto& [d, s] : m.final) final[d] = s;
  return {{"type", "member"},
          {"fingerprint", m.fingerprint},
          {"recipient", m.recipient},
          {"signing_key", signing_key_text(m.signing_key)},
          {"role", m.role},
          {"added_epoch", m.added_epoch},
          {"removed_epoch", m.removed_epoch ? json(*m.removed_epoch) : json(nullptr)},
          {"final", final}};
}

Result<std::optional<Team>> load_team(Vault& vault, const std::string& series_uid) {
  auto& db = db_of(vault);
  Team t;
  {
    BC_ASSIGN(CachedStatement st, db.cached("SELECT convenor_key, epoch, snapshot_due FROM sync_teams WHERE series_uid = ?"));
    st->bind(1, series_uid);
    BC_ASSIGN(bool row, st->step());
    if (!row) return std::optional<Team>();
    t.series_uid = series_uid;
    t.convenor = key_of(st->column_blob(0));
    t.epoch = st->column_int64(1);
    t.snapshot_due = st->column_int64(2) != 0;
  }
  BC_ASSIGN(CachedStatement st, db.cached("SELECT fingerprint, recipient, signing_key, role, added_epoch, removed_epoch, final "
                                          "FROM sync_members WHERE series_uid = ? ORDER BY role = 'organizer', fingerprint"));
  st->bind(1, series_uid);
  while (true) {
    BC_ASSIGN(bool row, st->step());
    if (!row) break;
    Member m;
    m.fingerprint = st->column_string(0);
    m.recipient = st->column_string(1);
    m.signing_key = key_of(st->column_blob(2));
    m.role = st->column_string(3);
    m.added_epoch = st->column_int64(4);
    m.removed_epoch = st->column_optional_int64(5);
    if (auto f = st->column_optional_string(6)) {
      json j = json::parse(*f, nullptr, false);
      if (j.is_object())
        for (const auto& [d, s] : j.items())
          if (s.is_number_integer()) m.final[d] = s.get<std::int64_t>();
    }
    t.members.push_back(std::move(m));
  }
  return std::optional<Team>(std::move(t));
}

Result<std::vector<std::string>> team_series(Vault& vault) {
  BC_ASSIGN(storage::Statement st, db_of(vault).prepare("SELECT series_uid FROM sync_teams ORDER BY series_uid"));
  std::vector<std::string> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(st.column_string(0));
  }
  return out;
}

Status save_member(Vault& vault, const std::string& series_uid, const Member& m) {
  json final = json::object();
  for (const auto& [d, s] : m.final) final[d] = s;
  BC_ASSIGN(CachedStatement st, db_of(vault).cached(
      "INSERT INTO sync_members(series_uid, fingerprint, recipient, signing_key, role, added_epoch, removed_epoch, final) "
      "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(series_uid, fingerprint) DO UPDATE SET recipient = excluded.recipient, "
      "signing_key = excluded.signing_key, role = excluded.role, added_epoch = excluded.added_epoch, "
      "removed_epoch = excluded.removed_epoch, final = excluded.final"));
  st->bind(1, series_uid).bind(2, m.fingerprint).bind(3, m.recipient).bind_blob(4, m.signing_key).bind(5, m.role);
  st->bind(6, m.added_epoch).bind(7, m.removed_epoch);
  if (m.removed_epoch) st->bind(8, final.dump()); else st->bind_null(8);
  return st->run();
}

Status set_snapshot_due(Vault& vault, const std::string& series_uid, bool due) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("UPDATE sync_teams SET snapshot_due = ? WHERE series_uid = ?"));
  return st->bind(1, due ? 1 : 0).bind(2, series_uid).run();
}

namespace {
Result<std::optional<std::string>> one_text(Vault& vault, const std::string& sql, std::int64_t id) {
  // Vaults without any team (most) answer without a join.
  BC_ASSIGN(CachedStatement any, db_of(vault).cached("SELECT EXISTS (SELECT 1 FROM sync_teams)"));
  BC_ASSIGN(bool row, any->step());
  if (!row || any->column_int64(0) == 0) return std::optional<std::string>();
  BC_ASSIGN(CachedStatement st, db_of(vault).cached(sql));
  st->bind(1, id);
  BC_ASSIGN(bool found, st->step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(st->column_string(0));
}
}  // namespace

Result<std::optional<std::string>> team_of_meeting(Vault& vault, std::int64_t meeting_id) {
  return one_text(vault, "SELECT t.series_uid FROM meetings m JOIN series s ON s.id = m.series_id "
                         "JOIN sync_teams t ON t.series_uid = s.uid WHERE m.id = ?", meeting_id);
}

Result<std::optional<std::string>> team_of_note(Vault& vault, std::int64_t note_id) {
  return one_text(vault, "SELECT t.series_uid FROM notes n JOIN meetings m ON m.id = n.meeting_id JOIN series s ON s.id = m.series_id "
                         "JOIN sync_teams t ON t.series_uid = s.uid WHERE n.id = ?", note_id);
}

// ---- chains ----

Result<std::map<std::string, ChainLink>> chains(Vault& vault, const std::string& series_uid) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT device, seq, hash FROM sync_chains WHERE series_uid = ?"));
  st->bind(1, series_uid);
  std::map<std::string, ChainLink> out;
  while (true) {
    BC_ASSIGN(bool row, st->step());
    if (!row) break;
    ChainLink l;
    l.seq = st->column_int64(1);
    const auto h = st->column_blob(2);
    if (h.size() == l.hash.size()) std::copy(h.begin(), h.end(), l.hash.begin());
    out[st->column_string(0)] = l;
  }
  return out;
}

Result<std::optional<crypto::Ed25519Public>> chain_signer(Vault& vault, const std::string& series_uid, const std::string& device) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT signer FROM sync_chains WHERE series_uid = ? AND device = ?"));
  st->bind(1, series_uid).bind(2, device);
  BC_ASSIGN(bool row, st->step());
  if (!row || st->is_null(0)) return std::optional<crypto::Ed25519Public>();
  return std::optional<crypto::Ed25519Public>(key_of(st->column_blob(0)));
}

Status set_chain(Vault& vault, const std::string& series_uid, const std::string& device, const ChainLink& link,
                 const std::optional<crypto::Ed25519Public>& signer) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached(
      "INSERT INTO sync_chains(series_uid, device, seq, hash, signer, updated_at) VALUES (?,?,?,?,?,?) "
      "ON CONFLICT(series_uid, device) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
      "signer = coalesce(excluded.signer, sync_chains.signer), updated_at = excluded.updated_at"));
  st->bind(1, series_uid).bind(2, device).bind(3, link.seq).bind_blob(4, link.hash);
  if (signer) st->bind_blob(5, *signer); else st->bind_null(5);
  return st->bind(6, storage::utc_now_rfc3339()).run();
}

// ---- epochs ----

Status note_epoch_start(Vault& vault, const std::string& series_uid, std::int64_t epoch, const std::string& device, std::int64_t seq) {
  if (epoch < 2) return {};
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("INSERT INTO sync_epochs(series_uid, epoch, device, seq) VALUES (?,?,?,?) "
                                                    "ON CONFLICT DO NOTHING"));
  return st->bind(1, series_uid).bind(2, epoch).bind(3, device).bind(4, seq).run();
}

Result<std::map<std::int64_t, EpochStart>> epoch_starts(Vault& vault, const std::string& series_uid) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT epoch, device, seq FROM sync_epochs WHERE series_uid = ?"));
  st->bind(1, series_uid);
  std::map<std::int64_t, EpochStart> out;
  while (true) {
    BC_ASSIGN(bool row, st->step());
    if (!row) break;
    out[st->column_int64(0)] = {st->column_string(1), st->column_int64(2)};
  }
  return out;
}

// ---- writes ----

namespace {

constexpr const char* kWriteColumns =
    "SELECT change, series_uid, target, field, value, hlc, device, author, dot_device, dot_seq, base, lowering, confirmed_by, "
    "live, made_at FROM sync_writes ";

Write read_write(const storage::Statement& st) {
  Write w;
  w.change = st.column_string(0);
  w.series = st.column_string(1);
  w.target = st.column_string(2);
  w.field = st.column_string(3);
  w.value = json::parse(st.column_text(4), nullptr, false);
  if (w.value.is_discarded()) w.value = nullptr;
  w.hlc = st.column_int64(5);
  w.device = st.column_string(6);
  w.author = st.column_string(7);
  w.dot_device = st.column_optional_string(8);
  w.dot_seq = st.is_null(9) ? 0 : st.column_int64(9);
  w.base = string_list(json::parse(st.column_text(10), nullptr, false));
  w.lowering = st.column_int64(11) != 0;
  w.confirmed_by = st.column_optional_string(12);
  w.live = st.column_int64(13) != 0;
  w.made_at = st.column_string(14);
  return w;
}

}  // namespace

Result<std::vector<Write>> standing(Vault& vault, const std::string& series, const std::string& target, const std::string& field) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached(std::string(kWriteColumns) +
                                                    "WHERE series_uid = ? AND target = ? AND field = ? AND live = 1 ORDER BY change"));
  st->bind(1, series).bind(2, target).bind(3, field);
  std::vector<Write> out;
  while (true) {
    BC_ASSIGN(bool row, st->step());
    if (!row) break;
    out.push_back(read_write(*st));
  }
  return out;
}

Result<std::vector<Write>> standing_in_series(Vault& vault, const std::string& series) {
  BC_ASSIGN(storage::Statement st, db_of(vault).prepare(std::string(kWriteColumns) +
                                                        "WHERE series_uid = ? AND live = 1 ORDER BY target, field, change"));
  st.bind(1, series);
  std::vector<Write> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(read_write(st));
  }
  return out;
}

Result<std::optional<Write>> find_write(Vault& vault, const std::string& change) {
  if (change.size() < 8 || change.size() > 32 || change.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::optional<Write>();
  BC_ASSIGN(storage::Statement st, db_of(vault).prepare(std::string(kWriteColumns) + "WHERE change >= ? AND change < ? LIMIT 2"));
  st.bind(1, change).bind(2, change + "g");
  std::vector<Write> found;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    found.push_back(read_write(st));
  }
  if (found.size() != 1) return std::optional<Write>();
  return std::optional<Write>(std::move(found.front()));
}

Result<bool> insert_write(Vault& vault, const Write& w) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached(
      "INSERT INTO sync_writes(change, series_uid, target, field, value, hlc, device, author, dot_device, dot_seq, base, lowering, "
      "confirmed_by, live, made_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(change) DO NOTHING"));
  st->bind(1, w.change).bind(2, w.series).bind(3, w.target).bind(4, w.field).bind(5, w.value.dump()).bind(6, w.hlc);
  st->bind(7, w.device).bind(8, w.author).bind(9, w.dot_device);
  if (w.dot_device) st->bind(10, w.dot_seq); else st->bind_null(10);
  st->bind(11, string_list(w.base).dump()).bind(12, w.lowering ? 1 : 0).bind(13, w.confirmed_by).bind(14, w.live ? 1 : 0);
  BC_TRY(st->bind(15, w.made_at).run());
  return db_of(vault).changes() > 0;
}

Status retire(Vault& vault, const Write& by) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached(
      "UPDATE sync_writes SET live = 0 WHERE change = ? AND series_uid = ? AND target = ? AND field = ? AND change <> ?"));
  for (const auto& id : by.base) {
    st->reset();
    BC_TRY(st->bind(1, id).bind(2, by.series).bind(3, by.target).bind(4, by.field).bind(5, by.change).run());
  }
  return {};
}

Status set_live(Vault& vault, const std::string& change, bool live) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("UPDATE sync_writes SET live = ? WHERE change = ?"));
  return st->bind(1, live ? 1 : 0).bind(2, change).run();
}

Status set_confirmed(Vault& vault, const std::string& change, const std::string& by) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("UPDATE sync_writes SET confirmed_by = ? WHERE change = ? AND confirmed_by IS NULL"));
  return st->bind(1, by).bind(2, change).run();
}

Status set_dot(Vault& vault, const std::string& change, const std::string& device, std::int64_t seq) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("UPDATE sync_writes SET dot_device = ?, dot_seq = ? WHERE change = ?"));
  return st->bind(1, device).bind(2, seq).bind(3, change).run();
}

Result<FieldState> field_state(Vault& vault, const std::string& series, const std::string& target, const std::string& field) {
  FieldState s;
  FieldInfo info;
  if (!field_info(target_record(target), field, info)) return fail(ErrorCode::internal, "unknown field " + field);
  s.rule = info.rule;
  BC_ASSIGN(s.standing, standing(vault, series, target, field));
  std::vector<FieldWrite> ws;
  for (const auto& w : s.standing) ws.push_back(w.for_merge());
  s.value = effective_value(s.rule, ws);
  s.conflict = in_conflict(s.rule, ws);
  return s;
}

Status refresh(Vault& vault, const std::string& series, const std::string& target, const std::string& field) {
  BC_ASSIGN(std::optional<TargetIds> ids, resolve_target(vault, target));
  if (!ids) return {};
  BC_ASSIGN(FieldState s, field_state(vault, series, target, field));
  bool any_active = false;
  for (const auto& w : s.standing) any_active = any_active || w.active();
  if (!any_active) return {};
  BC_ASSIGN(json now, table_value(vault, *ids, field));
  if (now == s.value) return {};
  UnreportedWrites quiet(vault);
  return write_value(vault, *ids, field, s.value);
}

Status apply_write(Vault& vault, const Write& w) {
  BC_ASSIGN(bool added, insert_write(vault, w));
  if (!added) return {};
  if (w.active()) BC_TRY(retire(vault, w));
  return refresh(vault, w.series, w.target, w.field);
}

// ---- revisions ----

Result<std::vector<RevisionMeta>> revisions_of(Vault& vault, const std::string& note_uid) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT uid, series_uid, hlc, device, parents FROM sync_revisions WHERE note_uid = ?"));
  st->bind(1, note_uid);
  std::vector<RevisionMeta> out;
  while (true) {
    BC_ASSIGN(bool row, st->step());
    if (!row) break;
    out.push_back({st->column_string(0), note_uid, st->column_string(1), st->column_int64(2), st->column_string(3),
                   string_list(json::parse(st->column_text(4), nullptr, false))});
  }
  sort_revisions(out);
  return out;
}

Status insert_revision_meta(Vault& vault, const RevisionMeta& r) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("INSERT INTO sync_revisions(uid, note_uid, series_uid, hlc, device, parents) "
                                                    "VALUES (?,?,?,?,?,?) ON CONFLICT(uid) DO NOTHING"));
  return st->bind(1, r.uid).bind(2, r.note_uid).bind(3, r.series).bind(4, r.hlc).bind(5, r.device)
      .bind(6, string_list(r.parents).dump()).run();
}

std::vector<const RevisionMeta*> heads(const std::vector<RevisionMeta>& revisions) {
  std::set<std::string> followed;
  for (const auto& r : revisions)
    for (const auto& p : r.parents) followed.insert(p);
  std::vector<const RevisionMeta*> out;
  for (const auto& r : revisions)
    if (!followed.count(r.uid)) out.push_back(&r);
  return out;
}

Status remember_tombstone(Vault& vault, const std::string& note_uid, const std::string& series) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("INSERT INTO sync_tombstones(note_uid, series_uid) VALUES (?, ?) "
                                                    "ON CONFLICT(note_uid) DO NOTHING"));
  return st->bind(1, note_uid).bind(2, series).run();
}

void sort_revisions(std::vector<RevisionMeta>& revisions) {
  std::sort(revisions.begin(), revisions.end(), [](const RevisionMeta& a, const RevisionMeta& b) {
    return std::tie(a.hlc, a.device, a.uid) < std::tie(b.hlc, b.device, b.uid);
  });
}

}  // namespace bc::core::sync
