#include "backchannel/core/team.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/identity.h"
#include "backchannel/crypto/age.h"
#include "backchannel/message_text.h"
#include "backchannel/storage/clock.h"
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

// Fingerprints as people type them: any case, dashes where they like.
std::string canonical_fingerprint(std::string_view text) {
  std::string chars;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c))) chars += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (chars.size() != 20) return std::string(text);
  return chars.substr(0, 5) + "-" + chars.substr(5, 5) + "-" + chars.substr(10, 5) + "-" + chars.substr(15, 5);
}

struct SeriesRef {
  std::string uid, title;
};

Result<SeriesRef> series_by_id(Vault& vault, std::int64_t series_id) {
  BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT uid, title FROM series WHERE id = ?"));
  st->bind(1, series_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no series " + std::to_string(series_id));
  return SeriesRef{st->column_string(0), st->column_string(1)};
}

// The team of a series that this vault convenes.
Result<Team> convened_team(Vault& vault, const std::string& series_uid, std::int64_t series_id) {
  BC_ASSIGN(std::optional<Team> team, load_team(vault, series_uid));
  if (!team) return fail(ErrorCode::not_found, "series " + std::to_string(series_id) + " has no team (create one first)");
  BC_ASSIGN(Self me, self(vault));
  if (team->convenor != me.signing_key) {
    std::string convenor;
    for (const auto& m : team->members)
      if (m.role == "convenor") convenor = m.fingerprint;
    return fail(ErrorCode::conflict, "only the team's convenor (" + convenor + ") adds and removes members");
  }
  return std::move(*team);
}

Result<std::string> describe_target(Vault& vault, const std::string& target, std::int64_t& meeting_id, std::string& key) {
  BC_ASSIGN(std::optional<TargetIds> ids, resolve_target(vault, target));
  if (!ids) return std::string();
  meeting_id = ids->meeting_id;
  if (ids->record == "attendance") {
    BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT key FROM attendance WHERE meeting_id = ? AND participant_id = ?"));
    st->bind(1, ids->meeting_id).bind(2, ids->participant_id);
    BC_ASSIGN(bool row, st->step());
    if (row) key = st->column_string(0);
  }
  return ids->record;
}

}  // namespace

Result<MemberIdentity> parse_member_identity(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  auto str = [&](const char* k) -> std::string {
    auto it = j.is_object() ? j.find(k) : j.end();
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  MemberIdentity id{str("recipient"), str("signing_key"), str("fingerprint")};
  if (j.is_discarded() || id.recipient.empty() || id.signing_key.empty() || id.fingerprint.empty())
    return fail(ErrorCode::bad_input, "not an identity file: expected the JSON object that `identity --json` prints "
                                      "(recipient, signing_key, fingerprint)");
  return id;
}

Status create_team(Vault& vault, std::int64_t series_id) {
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(SeriesRef series, series_by_id(vault, series_id));
  BC_ASSIGN(std::optional<Team> existing, load_team(vault, series.uid));
  if (existing) return fail(ErrorCode::conflict, "series " + std::to_string(series_id) + " already has a team");
  BC_ASSIGN(Self me, self(vault));
  {
    BC_ASSIGN(CachedStatement st, db.cached("INSERT INTO sync_teams(series_uid, convenor_key, epoch, snapshot_due, created_at) "
                                            "VALUES (?, ?, 1, 1, ?)"));
    BC_TRY(st->bind(1, series.uid).bind_blob(2, me.signing_key).bind(3, storage::utc_now_rfc3339()).run());
  }
  Member m;
  m.fingerprint = me.fingerprint;
  m.recipient = me.recipient;
  m.signing_key = me.signing_key;
  m.role = "convenor";
  BC_TRY(save_member(vault, series.uid, m));
  BC_TRY(adopt_series(vault, series.uid));
  BC_TRY(append_audit(vault, "team.create", "series " + std::to_string(series_id)));
  return tx.commit();
}

Status add_team_member(Vault& vault, std::int64_t series_id, const MemberIdentity& identity, std::string_view expected) {
  BC_ASSIGN(crypto::Ed25519Public key, parse_signing_key(identity.signing_key));
  auto recipient = crypto::age::X25519Recipient::parse(identity.recipient);
  if (!recipient) return fail(ErrorCode::bad_input, "the identity's recipient is not an age1 recipient");
  const std::string computed = identity_fingerprint(key, recipient->public_key);
  const std::string wanted = canonical_fingerprint(expected);
  if (computed != wanted || canonical_fingerprint(identity.fingerprint) != wanted)
    return fail(ErrorCode::auth_failed, "the identity's keys have fingerprint " + computed + ", not " + quote_for_message(wanted) +
                                            "; nothing was added. Compare the fingerprint with its owner in person again");
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(SeriesRef series, series_by_id(vault, series_id));
  BC_ASSIGN(Team team, convened_team(vault, series.uid, series_id));
  if (const Member* known = team.member_by_fingerprint(computed)) {
    if (known->removed_epoch) return fail(ErrorCode::conflict, computed + " was removed from this team; a removal is final");
    return fail(ErrorCode::conflict, computed + " is already a member of this team");
  }
  Member m;
  m.fingerprint = computed;
  m.recipient = identity.recipient;
  m.signing_key = key;
  m.role = "organizer";
  m.added_epoch = team.epoch;
  BC_TRY(save_member(vault, series.uid, m));
  BC_TRY(log_change(vault, series.uid, member_record(m)));
  // The newcomer cannot read the bundles before them: the next one is the whole series.
  BC_TRY(set_snapshot_due(vault, series.uid, true));
  BC_TRY(append_audit(vault, "team.add", "series " + std::to_string(series_id) + " member " + computed));
  return tx.commit();
}

Status remove_team_member(Vault& vault, std::int64_t series_id, std::string_view fingerprint) {
  const std::string fp = canonical_fingerprint(fingerprint);
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(SeriesRef series, series_by_id(vault, series_id));
  BC_ASSIGN(Team team, convened_team(vault, series.uid, series_id));
  const Member* found = team.member_by_fingerprint(fp);
  if (!found || found->removed_epoch) return fail(ErrorCode::not_found, quote_for_message(fp) + " is not a member of this team");
  if (found->role == "convenor") return fail(ErrorCode::conflict, "the convenor cannot be removed");
  Member m = *found;
  m.removed_epoch = team.epoch + 1;
  // Their bundles up to here are accepted wherever they arrive; none after.
  {
    BC_ASSIGN(storage::Statement st, db.prepare("SELECT device, seq FROM sync_chains WHERE series_uid = ? AND signer = ?"));
    st.bind(1, series.uid).bind_blob(2, m.signing_key);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      m.final[st.column_string(0)] = st.column_int64(1);
    }
  }
  {
    BC_ASSIGN(CachedStatement st, db.cached("UPDATE sync_teams SET epoch = ? WHERE series_uid = ?"));
    BC_TRY(st->bind(1, *m.removed_epoch).bind(2, series.uid).run());
  }
  BC_TRY(save_member(vault, series.uid, m));
  BC_TRY(log_change(vault, series.uid, json{{"type", "team"}, {"convenor", signing_key_text(team.convenor)}, {"epoch", *m.removed_epoch}}));
  BC_TRY(log_change(vault, series.uid, member_record(m)));
  BC_TRY(append_audit(vault, "team.remove", "series " + std::to_string(series_id) + " member " + fp));
  return tx.commit();
}

Status accept_team_signer(Vault& vault, std::string_view fingerprint) {
  const std::string fp = canonical_fingerprint(fingerprint);
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(CachedStatement seen, db.cached("SELECT signing_key FROM sync_signers_seen WHERE fingerprint = ?"));
  seen->bind(1, fp);
  BC_ASSIGN(bool row, seen->step());
  if (!row)
    return fail(ErrorCode::not_found, "no team bundle signed by " + quote_for_message(fp) +
                                          " has reached this vault; run sync with the team's folder first, then accept it");
  const auto key = seen->column_blob(0);
  BC_ASSIGN(CachedStatement st, db.cached("INSERT INTO sync_trust(signing_key, fingerprint, added_at) VALUES (?,?,?) "
                                          "ON CONFLICT(signing_key) DO NOTHING"));
  BC_TRY(st->bind_blob(1, key).bind(2, fp).bind(3, storage::utc_now_rfc3339()).run());
  if (db.changes() > 0) BC_TRY(append_audit(vault, "team.accept", "signer " + fp));
  return tx.commit();
}

Result<std::vector<TeamInfo>> list_teams(Vault& vault) {
  BC_ASSIGN(std::vector<std::string> all, team_series(vault));
  BC_ASSIGN(Self me, self(vault));
  std::vector<TeamInfo> out;
  for (const auto& uid : all) {
    BC_ASSIGN(std::optional<Team> team, load_team(vault, uid));
    BC_ASSIGN(auto id, local_id(vault, "series", uid));
    if (!team || !id) continue;
    TeamInfo info;
    info.series_id = *id;
    info.series_uid = uid;
    {
      BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT title FROM series WHERE id = ?"));
      st->bind(1, *id);
      BC_ASSIGN(bool row, st->step());
      if (row) info.series_title = st->column_string(0);
    }
    info.epoch = team->epoch;
    info.self_is_convenor = team->convenor == me.signing_key;
    for (const auto& m : team->members) {
      if (m.role == "convenor") info.convenor_fingerprint = m.fingerprint;
      info.members.push_back({m.fingerprint, m.recipient, signing_key_text(m.signing_key), m.role, m.added_epoch, m.removed_epoch,
                              m.signing_key == me.signing_key});
    }
    out.push_back(std::move(info));
  }
  return out;
}

Result<std::vector<PendingConfirmation>> pending_confirmations(Vault& vault) {
  BC_ASSIGN(Self me, self(vault));
  std::vector<std::string> changes;
  {
    BC_ASSIGN(storage::Statement st, db_of(vault).prepare(
        "SELECT change FROM sync_writes WHERE lowering = 1 AND confirmed_by IS NULL AND live = 1 ORDER BY hlc, change"));
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      changes.push_back(st.column_string(0));
    }
  }
  std::vector<PendingConfirmation> out;
  for (const auto& c : changes) {
    BC_ASSIGN(std::optional<Write> w, find_write(vault, c));
    if (!w) continue;
    PendingConfirmation p;
    p.change = w->change;
    BC_ASSIGN(auto sid, local_id(vault, "series", w->series));
    p.series_id = sid.value_or(0);
    BC_ASSIGN(std::string record, describe_target(vault, w->target, p.meeting_id, p.participant_key));
    p.field = w->field;
    BC_ASSIGN(FieldState state, field_state(vault, w->series, w->target, w->field));
    p.from = display_value(state.value);
    p.to = display_value(w->value);
    p.author_fingerprint = w->author;
    p.confirmable_here = w->author != me.fingerprint;
    out.push_back(std::move(p));
  }
  return out;
}

Status confirm_change(Vault& vault, std::string_view change) {
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(std::optional<Write> w, find_write(vault, std::string(change)));
  if (!w) return fail(ErrorCode::not_found, "there is no change " + quote_for_message(change) + " (`sync status` lists those waiting)");
  if (!w->lowering) return fail(ErrorCode::conflict, "change " + w->change + " does not wait for a confirmation");
  if (w->confirmed_by) return fail(ErrorCode::conflict, "change " + w->change + " is confirmed already");
  if (!w->live) return fail(ErrorCode::conflict, "change " + w->change + " was replaced by a later change; there is nothing to confirm");
  BC_ASSIGN(Self me, self(vault));
  if (w->author == me.fingerprint)
    return fail(ErrorCode::conflict, "change " + w->change + " was made by this vault; a second member must confirm it");
  BC_ASSIGN(std::optional<Team> team, load_team(vault, w->series));
  const Member* mine = team ? team->member_by_key(me.signing_key) : nullptr;
  if (!mine || mine->removed_epoch) return fail(ErrorCode::conflict, "this vault is not a member of the change's team");
  BC_TRY(set_confirmed(vault, w->change, me.fingerprint));
  BC_TRY(retire(vault, *w));
  BC_TRY(refresh(vault, w->series, w->target, w->field));
  BC_ASSIGN(std::int64_t hlc, tick(vault));
  BC_TRY(log_change(vault, w->series, json{{"type", "confirm"}, {"change", w->change}, {"hlc", hlc}}));
  BC_TRY(append_audit(vault, "team.confirm", "change " + w->change));
  return tx.commit();
}

}  // namespace bc::core
