#include "sync_apply.h"

#include <optional>
#include <set>

#include "backchannel/core/identity.h"
#include "backchannel/core/threads.h"
#include "backchannel/message_text.h"
#include "backchannel/storage/clock.h"
#include "backchannel/storage/schema.h"
#include "record_fields.h"
#include "record_writer.h"
#include "sync_log.h"
#include "sync_records.h"
#include "sync_state.h"
#include "vault_store_access.h"

namespace bc::core::sync {

using json = nlohmann::json;
using storage::CachedStatement;

namespace {

constexpr std::size_t kMaxBase = 10000;
constexpr std::size_t kMaxRevisions = 10000;

storage::Database& db_of(Vault& v) { return vault_store(v).db(); }

bool covered(const std::map<std::string, ChainLink>& v, const std::optional<std::string>& device, std::int64_t seq) {
  if (!device) return false;
  auto it = v.find(*device);
  return it != v.end() && it->second.seq >= seq;
}

struct Revision {
  std::string uid, text, created_at, device;
  std::int64_t hlc = 0;
  std::vector<std::string> parents;
};

class Applier {
 public:
  Applier(Vault& vault, ApplyContext& ctx) : v_(vault), ctx_(ctx) {}

  // A snapshot inserts every note of a series: the search index is filled once at the end, as
  // archive import fills it (storage::NoteBulkLoad), instead of by a trigger per note.
  Status start() {
    if (!ctx_.snapshot) return {};
    BC_ASSIGN(storage::NoteBulkLoad bulk, storage::NoteBulkLoad::begin(db_of(v_)));
    bulk_.emplace(std::move(bulk));
    return {};
  }

  Status record(const json& j) {
    ++n_;
    auto t = j.find("type");
    if (!j.is_object() || t == j.end() || !t->is_string()) return bad("", "a record has no type");
    const std::string type = t->get<std::string>();
    Fields f(j, where(type));
    if (type == "team") return team(f);
    if (type == "member") return member(f);
    if (type == "series") return series(f);
    if (type == "meeting") return meeting(f);
    if (type == "participant") return participant(f);
    if (type == "attendance") return attendance(f);
    if (type == "note") return note(f);
    if (type == "delete") return erase(f, false);
    if (type == "purge") return erase(f, true);
    if (type == "thread") return thread(f);
    if (type == "thread_link") return thread_link(f);
    if (type == "thread_status") return thread_status(f);
    if (ctx_.snapshot && type == "tombstone") {
      auto k = j.find("kind");
      const std::string kind = k != j.end() && k->is_string() ? k->get<std::string>() : std::string();
      if (kind != "deleted" && kind != "purged") return bad(f.where(), "kind has an unknown value");
      return erase(f, kind == "purged");
    }
    if (!ctx_.snapshot) {
      if (type == "set") return set(f);
      if (type == "revision") return revision(f);
      if (type == "confirm") return confirm(f);
    } else if (type == "write") {
      BC_ASSIGN(Write w, parse_write(f));
      snapshot_writes_.push_back(std::move(w));
      return {};
    }
    return bad(f.where(), "unknown record type " + quote_for_message(type));
  }

  // A snapshot's writes are merged once every record is in.
  Status finish() {
    if (!ctx_.snapshot) return {};
    BC_TRY(end_bulk());
    std::map<std::string, ChainLink> theirs = ctx_.covers;
    theirs[ctx_.device] = {ctx_.seq, {}};
    std::map<std::pair<std::string, std::string>, std::vector<const Write*>> incoming;
    for (const auto& w : snapshot_writes_) incoming[{w.target, w.field}].push_back(&w);
    std::set<std::pair<std::string, std::string>> fields;
    for (const auto& [k, ws] : incoming) fields.insert(k);
    BC_ASSIGN(std::vector<Write> mine, standing_in_series(v_, ctx_.series));
    for (const auto& w : mine) fields.insert({w.target, w.field});
    for (const auto& [target, field] : fields) {
      BC_ASSIGN(std::vector<Write> here, standing(v_, ctx_.series, target, field));
      std::map<std::string, const Write*> there;
      for (const auto* w : incoming[{target, field}]) there[w->change] = w;
      std::set<std::string> kept;
      for (const auto& r : here) {
        auto it = there.find(r.change);
        if (it != there.end()) {
          kept.insert(r.change);
          if (it->second->confirmed_by && !r.confirmed_by) BC_TRY(set_confirmed(v_, r.change, *it->second->confirmed_by));
        } else if (covered(theirs, r.dot_device, r.dot_seq)) {
          BC_TRY(set_live(v_, r.change, false));  // they saw it and replaced it
        }
      }
      for (const auto& [change, s] : there) {
        if (kept.count(change)) continue;
        BC_ASSIGN(std::optional<Write> known, find_write(v_, change));
        if (known) continue;                                      // replaced here already
        if (covered(ctx_.applied, s->dot_device, s->dot_seq)) continue;  // seen here and replaced since
        BC_TRY(insert_write(v_, *s));
      }
      BC_ASSIGN(std::vector<Write> now, standing(v_, ctx_.series, target, field));
      for (const auto& w : now)
        if (w.active()) BC_TRY(retire(v_, w));
      BC_TRY(refresh(v_, ctx_.series, target, field));
    }
    return {};
  }

 private:
  std::string where(const std::string& type) const {
    return "bundle " + ctx_.device.substr(0, 8) + "/" + std::to_string(ctx_.seq) + " record " + std::to_string(n_) + " (" +
           quote_for_message(type) + ")";
  }
  Status end_bulk() {
    if (!bulk_) return {};
    Status st = bulk_->finish();
    bulk_.reset();
    bulk_notes_.clear();
    return st;
  }
  // The search-index triggers of an update or delete expect the note to be indexed: a note this
  // bundle inserted is indexed before it is touched again (never in a snapshot written by us).
  Status index_if_new(const std::string& note_uid) {
    if (!bulk_notes_.count(note_uid)) return {};
    BC_TRY(end_bulk());
    return start();
  }

  static Error bad(const std::string& where, const std::string& what) {
    return fail(ErrorCode::bad_input, where.empty() ? what : where + ": " + what);
  }

  Result<std::int64_t> hlc_of(const Fields& f) const { return f.count("hlc"); }

  // ---- the series a record belongs to ----

  Result<std::optional<std::string>> series_of_meeting(const std::string& meeting_uid) {
    BC_ASSIGN(CachedStatement st, db_of(v_).cached("SELECT s.uid FROM meetings m JOIN series s ON s.id = m.series_id WHERE m.uid = ?"));
    st->bind(1, meeting_uid);
    BC_ASSIGN(bool row, st->step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st->column_string(0));
  }
  Status meeting_here(const Fields& f, const std::string& meeting_uid) {
    BC_ASSIGN(auto s, series_of_meeting(meeting_uid));
    if (!s) return bad(f.where(), "refers to a meeting that is not here");
    if (*s != ctx_.series) return bad(f.where(), "refers to a meeting of another series");
    return {};
  }
  Result<bool> announced(const std::string& participant_uid) {
    BC_ASSIGN(CachedStatement st, db_of(v_).cached("SELECT 1 FROM sync_announced WHERE series_uid = ? AND participant_uid = ?"));
    st->bind(1, ctx_.series).bind(2, participant_uid);
    return st->step();
  }
  Status announce(const std::string& participant_uid) {
    BC_ASSIGN(CachedStatement st, db_of(v_).cached("INSERT INTO sync_announced(series_uid, participant_uid) VALUES (?, ?) "
                                                   "ON CONFLICT DO NOTHING"));
    return st->bind(1, ctx_.series).bind(2, participant_uid).run();
  }
  Status target_here(const Fields& f, const std::string& target) {
    const std::string record = target_record(target);
    if (record == "meeting") return meeting_here(f, target.substr(8));
    if (record == "attendance") return meeting_here(f, target.substr(11, 32));
    if (record == "participant") {
      BC_ASSIGN(bool yes, announced(target.substr(12)));
      if (!yes) return bad(f.where(), "refers to a participant who is not in this series");
      return {};
    }
    return bad(f.where(), "target is not valid");
  }
  // A note's local id and whether it belongs to this series; none when it is not here.
  Result<std::optional<std::int64_t>> note_here(const Fields& f, const std::string& note_uid) {
    BC_ASSIGN(CachedStatement st, db_of(v_).cached("SELECT n.id, s.uid FROM notes n JOIN meetings m ON m.id = n.meeting_id "
                                                   "JOIN series s ON s.id = m.series_id WHERE n.uid = ?"));
    st->bind(1, note_uid);
    BC_ASSIGN(bool row, st->step());
    if (!row) return std::optional<std::int64_t>();
    if (st->column_string(1) != ctx_.series) return bad(f.where(), "refers to a note of another series");
    return std::optional<std::int64_t>(st->column_int64(0));
  }

  // ---- team ----

  Status team(const Fields& f) {
    BC_ASSIGN(std::string convenor_text, f.text("convenor"));
    BC_ASSIGN(crypto::Ed25519Public convenor, parse_signing_key(convenor_text));
    BC_ASSIGN(std::int64_t epoch, f.count("epoch"));
    if (epoch < 1) return bad(f.where(), "epoch must be at least 1");
    BC_ASSIGN(std::optional<Team> t, load_team(v_, ctx_.series));
    if (t && t->convenor != convenor) return bad(f.where(), "names another convenor than this team's");
    if (convenor != ctx_.signer) {
      // Another member's snapshot repeats the team as that member knows it; only the convenor's
      // own bundles found a team or change its epoch.
      if (ctx_.snapshot && t) return {};
      return bad(f.where(), "a team record must be signed by its convenor");
    }
    BC_ASSIGN(CachedStatement st, db_of(v_).cached(
        "INSERT INTO sync_teams(series_uid, convenor_key, epoch, created_at) VALUES (?,?,?,?) "
        "ON CONFLICT(series_uid) DO UPDATE SET epoch = max(epoch, excluded.epoch)"));
    return st->bind(1, ctx_.series).bind_blob(2, convenor).bind(3, epoch).bind(4, storage::utc_now_rfc3339()).run();
  }

  Status member(const Fields& f) {
    BC_ASSIGN(std::optional<Team> t, load_team(v_, ctx_.series));
    if (!t) return bad(f.where(), "comes before its team");
    if (t->convenor != ctx_.signer) {
      if (ctx_.snapshot) return {};  // a copy of the convenor's decisions, which this vault has from the convenor
      return bad(f.where(), "only the convenor changes the members of a team");
    }
    Member m;
    BC_ASSIGN(m.fingerprint, f.text("fingerprint"));
    BC_ASSIGN(m.recipient, f.text("recipient"));
    BC_ASSIGN(std::string key_text, f.text("signing_key"));
    BC_ASSIGN(m.signing_key, parse_signing_key(key_text));
    auto rec = crypto::age::X25519Recipient::parse(m.recipient);
    if (!rec) return bad(f.where(), "recipient is not an age1 recipient");
    if (identity_fingerprint(m.signing_key, rec->public_key) != m.fingerprint)
      return bad(f.where(), "the fingerprint does not match the keys");
    BC_ASSIGN(m.role, f.text("role"));
    if (m.role != "convenor" && m.role != "organizer") return bad(f.where(), "role has an unknown value");
    if (m.role == "convenor" && m.signing_key != t->convenor) return bad(f.where(), "names a second convenor");
    BC_ASSIGN(m.added_epoch, f.count("added_epoch"));
    if (auto r = f.raw().find("removed_epoch"); r != f.raw().end() && !r->is_null()) {
      BC_ASSIGN(std::int64_t removed, f.count("removed_epoch"));
      m.removed_epoch = removed;
      auto fin = f.raw().find("final");
      if (fin != f.raw().end() && fin->is_object())
        for (const auto& [d, s] : fin->items()) {
          if (!is_uid(d) || !s.is_number_integer() || s.get<std::int64_t>() < 0) return bad(f.where(), "final is not valid");
          m.final[d] = s.get<std::int64_t>();
        }
    }
    const Member* known = t->member_by_fingerprint(m.fingerprint);
    if (known && known->removed_epoch && !m.removed_epoch) return {};  // a removal stands
    if (!known && !m.removed_epoch && m.fingerprint != ctx_.own_fingerprint) ctx_.members_added = true;
    return save_member(v_, ctx_.series, m);
  }

  // ---- series records ----

  Status series(const Fields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    if (uid != ctx_.series) return bad(f.where(), "is another series than the bundle's");
    BC_TRY(insert_series(v_, f));
    return {};
  }

  // The writes a creation record makes, one per field (a changes bundle only).
  Status initial_writes(const Fields& f, const std::string& target) {
    if (ctx_.snapshot) return {};
    BC_ASSIGN(std::string change, f.uid("change"));
    BC_ASSIGN(std::int64_t hlc, hlc_of(f));
    auto fields = f.raw().find("fields");
    if (fields == f.raw().end() || !fields->is_object()) return bad(f.where(), "fields are required");
    const std::string record = target_record(target);
    for (const auto& [field, value] : fields->items()) {
      BC_TRY(check_value(record, field, value, f.where()));
      Write w;
      w.change = initial_write_id(change, field);
      w.series = ctx_.series;
      w.target = target;
      w.field = field;
      w.value = value;
      w.hlc = hlc;
      w.device = ctx_.device;
      w.author = ctx_.author;
      w.dot_device = ctx_.device;
      w.dot_seq = ctx_.seq;
      w.made_at = storage::utc_now_rfc3339();
      BC_TRY(apply_write(v_, w));
    }
    return {};
  }

  Status meeting(const Fields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_ASSIGN(std::string series_uid, f.uid("series"));
    if (series_uid != ctx_.series) return bad(f.where(), "belongs to another series than the bundle's");
    BC_TRY(insert_meeting(v_, f));
    return initial_writes(f, meeting_target(uid));
  }

  Status participant(const Fields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_TRY(insert_participant(v_, f));
    BC_TRY(announce(uid));
    return initial_writes(f, participant_target(uid));
  }

  Status attendance(const Fields& f) {
    BC_ASSIGN(std::string m, f.uid("meeting"));
    BC_ASSIGN(std::string p, f.uid("participant"));
    BC_TRY(meeting_here(f, m));
    BC_ASSIGN(bool yes, announced(p));
    if (!yes) return bad(f.where(), "refers to a participant who is not in this series");
    BC_TRY(insert_attendance(v_, f));
    return initial_writes(f, attendance_target(m, p));
  }

  // ---- writes ----

  Result<Write> parse_write(const Fields& f) {
    Write w;
    w.series = ctx_.series;
    BC_ASSIGN(w.change, f.uid("change"));
    BC_ASSIGN(w.hlc, hlc_of(f));
    BC_ASSIGN(w.target, f.text("target"));
    BC_ASSIGN(w.field, f.text("field"));
    const std::string record = target_record(w.target);
    if (record.empty()) return bad(f.where(), "target is not valid");
    auto value = f.raw().find("value");
    if (value == f.raw().end()) return bad(f.where(), "value is required");
    BC_TRY(check_value(record, w.field, *value, f.where()));
    w.value = *value;
    auto base = f.raw().find("base");
    if (base == f.raw().end() || !base->is_array() || base->size() > kMaxBase) return bad(f.where(), "base must be a list");
    for (const auto& b : *base) {
      if (!b.is_string() || !is_uid(b.get<std::string>())) return bad(f.where(), "base names something that is not a change");
      w.base.push_back(b.get<std::string>());
    }
    auto lowering = f.raw().find("lowering");
    if (lowering == f.raw().end() || !lowering->is_boolean()) return bad(f.where(), "lowering must be true or false");
    w.lowering = lowering->get<bool>();
    BC_TRY(target_here(f, w.target));
    w.made_at = storage::utc_now_rfc3339();
    if (!ctx_.snapshot) {
      w.device = ctx_.device;
      w.author = ctx_.author;
      w.dot_device = ctx_.device;
      w.dot_seq = ctx_.seq;
      return w;
    }
    BC_ASSIGN(w.device, f.uid("device"));
    BC_ASSIGN(w.author, f.text("author"));
    BC_ASSIGN(w.confirmed_by, f.optional_text("confirmed_by"));
    auto dot = f.raw().find("dot");
    if (dot != f.raw().end() && !dot->is_null()) {
      Fields d(*dot, f.where() + ": dot");
      BC_ASSIGN(std::string dd, d.uid("device"));
      BC_ASSIGN(std::int64_t ds, d.count("seq"));
      w.dot_device = dd;
      w.dot_seq = ds;
    }
    return w;
  }

  Status set(const Fields& f) {
    BC_ASSIGN(Write w, parse_write(f));
    return apply_write(v_, w);
  }

  Status confirm(const Fields& f) {
    BC_ASSIGN(std::string change, f.uid("change"));
    BC_ASSIGN(std::optional<Write> w, find_write(v_, change));
    if (!w || w->change != change || w->series != ctx_.series) return bad(f.where(), "confirms a change that is not in this series");
    if (!w->lowering || w->confirmed_by) return {};
    if (w->author == ctx_.author) {
      ctx_.notices.push_back("change " + change.substr(0, 12) + " was confirmed by the member who made it; it still waits for a second member");
      return {};
    }
    BC_TRY(set_confirmed(v_, change, ctx_.author));
    w->confirmed_by = ctx_.author;
    if (!w->live) return {};
    BC_TRY(retire(v_, *w));
    return refresh(v_, w->series, w->target, w->field);
  }

  // ---- notes ----

  Result<std::vector<Revision>> parse_revisions(const Fields& f, const json& list) {
    if (!list.is_array() || list.empty() || list.size() > kMaxRevisions) return bad(f.where(), "revisions must be a non-empty list");
    std::vector<Revision> out;
    std::set<std::string> seen;
    for (const auto& r : list) {
      if (!r.is_object()) return bad(f.where(), "bad revision");
      Fields rf(r, f.where() + ": revision");
      Revision rev;
      BC_ASSIGN(rev.uid, rf.uid("uid"));
      BC_ASSIGN(rev.text, rf.text("text", TextField::note_text));
      BC_ASSIGN(rev.created_at, rf.timestamp("created_at"));
      BC_ASSIGN(rev.hlc, rf.count("hlc"));
      if (ctx_.snapshot) {
        BC_ASSIGN(rev.device, rf.uid("device"));
      } else {
        rev.device = ctx_.device;
      }
      auto parents = r.find("parents");
      if (parents == r.end() || !parents->is_array() || parents->size() > kMaxBase) return bad(f.where(), "parents must be a list");
      for (const auto& p : *parents) {
        if (!p.is_string() || !is_uid(p.get<std::string>())) return bad(f.where(), "parents names something that is not a revision");
        rev.parents.push_back(p.get<std::string>());
      }
      if (!seen.insert(rev.uid).second) return bad(f.where(), "a revision appears twice");
      out.push_back(std::move(rev));
    }
    return out;
  }

  // Adds the revisions this vault lacks to a note that is here, in the shared order.
  Status merge_into(std::int64_t note_id, const std::string& note_uid, const std::vector<Revision>& incoming) {
    BC_ASSIGN(std::vector<RevisionMeta> metas, revisions_of(v_, note_uid));
    std::set<std::string> local;
    std::vector<std::string> unsynced;  // revisions here without a clock: they keep their place first
    {
      BC_ASSIGN(CachedStatement st, db_of(v_).cached("SELECT uid FROM note_revisions WHERE note_id = ? ORDER BY revision"));
      st->bind(1, note_id);
      std::set<std::string> with_meta;
      for (const auto& m : metas) with_meta.insert(m.uid);
      while (true) {
        BC_ASSIGN(bool row, st->step());
        if (!row) break;
        local.insert(st->column_string(0));
        if (!with_meta.count(st->column_string(0))) unsynced.push_back(st->column_string(0));
      }
    }
    std::vector<RevisionRow> missing;
    std::string updated;
    for (const auto& r : incoming) {
      if (local.count(r.uid)) continue;
      missing.push_back({r.uid, r.text, r.created_at});
      updated = std::max(updated, r.created_at);
      RevisionMeta m{r.uid, note_uid, ctx_.series, r.hlc, r.device, r.parents};
      BC_TRY(insert_revision_meta(v_, m));
      metas.push_back(std::move(m));
    }
    if (missing.empty()) return {};
    sort_revisions(metas);
    std::vector<std::string> order = unsynced;
    for (const auto& m : metas)
      if (local.count(m.uid) || std::any_of(missing.begin(), missing.end(), [&](const RevisionRow& r) { return r.uid == m.uid; }))
        order.push_back(m.uid);
    BC_TRY(RecordWriter(v_).merge_revisions(note_id, missing, order, updated));
    return {};
  }

  Status note(const Fields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_ASSIGN(std::string meeting_uid, f.uid("meeting"));
    BC_ASSIGN(std::optional<std::string> speaker_uid, f.optional_uid("speaker"));
    BC_ASSIGN(std::string kind, f.enumerated("kind", is_kind));
    BC_ASSIGN(std::string visibility, f.enumerated("visibility", is_visibility));
    std::optional<std::string> at;
    if (auto a = f.raw().find("at"); a != f.raw().end() && !a->is_null()) {
      BC_ASSIGN(std::string t, f.timestamp("at"));
      at = std::move(t);
    }
    BC_ASSIGN(std::string created, f.timestamp("created_at"));
    auto list = f.raw().find("revisions");
    if (list == f.raw().end()) return bad(f.where(), "revisions are required");
    BC_ASSIGN(std::vector<Revision> revisions, parse_revisions(f, *list));
    BC_TRY(meeting_here(f, meeting_uid));
    RecordWriter writer(v_);
    BC_ASSIGN(bool tombstoned, writer.is_tombstoned(uid));
    if (tombstoned) return {};  // deleted or purged here: the tombstone wins
    BC_ASSIGN(std::optional<std::int64_t> id, note_here(f, uid));
    if (id) {
      BC_TRY(index_if_new(uid));
      return merge_into(*id, uid, revisions);
    }
    BC_ASSIGN(auto meeting_id, local_id(v_, "meetings", meeting_uid));
    std::optional<std::int64_t> speaker;
    if (speaker_uid) {
      BC_ASSIGN(auto sp, local_id(v_, "participants", *speaker_uid));
      if (!sp) return bad(f.where(), "its speaker is not here");
      speaker = *sp;
    }
    std::vector<RevisionMeta> metas;
    for (const auto& r : revisions) metas.push_back({r.uid, uid, ctx_.series, r.hlc, r.device, r.parents});
    sort_revisions(metas);
    NoteRow row{uid, *meeting_id, speaker, *parse_note_kind(kind), at, *parse_visibility(visibility), {}, created, created};
    for (const auto& m : metas) {
      const auto& r = *std::find_if(revisions.begin(), revisions.end(), [&](const Revision& x) { return x.uid == m.uid; });
      row.revisions.push_back({r.uid, r.text, r.created_at});
      row.updated_at = std::max(row.updated_at, r.created_at);
    }
    BC_ASSIGN(std::optional<std::int64_t> inserted, writer.insert_note(row));
    if (!inserted) return bad(f.where(), "a revision of it is already a revision of another note");
    if (bulk_) bulk_notes_.insert(uid);
    for (const auto& m : metas) BC_TRY(insert_revision_meta(v_, m));
    return {};
  }

  Status revision(const Fields& f) {
    BC_ASSIGN(std::string note_uid, f.uid("note"));
    BC_ASSIGN(std::vector<Revision> parsed, parse_revisions(f, json::array({f.raw()})));
    RecordWriter writer(v_);
    BC_ASSIGN(bool tombstoned, writer.is_tombstoned(note_uid));
    if (tombstoned) return {};
    BC_ASSIGN(std::optional<std::int64_t> id, note_here(f, note_uid));
    if (!id) return bad(f.where(), "is a revision of a note that is not here");
    BC_TRY(index_if_new(note_uid));
    return merge_into(*id, note_uid, parsed);
  }

  Status erase(const Fields& f, bool purge) {
    BC_ASSIGN(std::string note_uid, f.uid("note"));
    BC_ASSIGN(std::optional<std::int64_t> id, note_here(f, note_uid));
    BC_TRY(index_if_new(note_uid));
    RecordWriter writer(v_);
    BC_TRY(remember_tombstone(v_, note_uid, ctx_.series));
    if (purge) {
      BC_TRY(writer.purge_notes({note_uid}));
      auto& db = db_of(v_);
      BC_ASSIGN(CachedStatement changes, db.cached("DELETE FROM sync_changes WHERE note_uid = ?"));
      BC_TRY(changes->bind(1, note_uid).run());
      BC_ASSIGN(CachedStatement metas, db.cached("DELETE FROM sync_revisions WHERE note_uid = ?"));
      BC_TRY(metas->bind(1, note_uid).run());
      ctx_.purged = true;
      return {};
    }
    std::string when = storage::utc_now_rfc3339();
    if (auto a = f.raw().find("at"); a != f.raw().end() && !a->is_null()) {
      BC_ASSIGN(when, f.timestamp("at"));
    }
    if (id) return writer.mark_deleted(*id, when);
    return writer.add_tombstone(note_uid, false, when);
  }

  // ---- threads ----

  Result<std::int64_t> thread_here(const Fields& f, const std::string& thread_uid) {
    BC_ASSIGN(CachedStatement st, db_of(v_).cached("SELECT t.id, s.uid FROM threads t JOIN series s ON s.id = t.series_id WHERE t.uid = ?"));
    st->bind(1, thread_uid);
    BC_ASSIGN(bool row, st->step());
    if (!row) return bad(f.where(), "refers to a thread that is not here");
    if (st->column_string(1) != ctx_.series) return bad(f.where(), "refers to a thread of another series");
    return st->column_int64(0);
  }

  Status thread(const Fields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_ASSIGN(std::string series_uid, f.uid("series"));
    BC_ASSIGN(std::string title, f.text("title"));
    BC_ASSIGN(std::string created, f.timestamp("created_at"));
    if (series_uid != ctx_.series) return bad(f.where(), "belongs to another series");
    BC_ASSIGN(auto series_id, local_id(v_, "series", series_uid));
    if (!series_id) return bad(f.where(), "refers to a series that is not here");
    BC_ASSIGN(auto existing, local_id(v_, "threads", uid));
    if (existing) {
      BC_ASSIGN(std::int64_t id, thread_here(f, uid));
      (void)id;
      return {};
    }
    BC_ASSIGN(auto id, RecordWriter(v_).insert_thread({uid, *series_id, title, created}));
    (void)id;
    return {};
  }

  Status thread_link(const Fields& f) {
    BC_ASSIGN(std::string thread_uid, f.uid("thread"));
    BC_ASSIGN(std::string note_uid, f.uid("note"));
    BC_ASSIGN(std::string linked, f.timestamp("linked_at"));
    BC_ASSIGN(std::int64_t thread_id, thread_here(f, thread_uid));
    RecordWriter writer(v_);
    BC_ASSIGN(bool tombstoned, writer.is_tombstoned(note_uid));
    if (tombstoned) return {};  // the note was deleted or purged: nothing to link
    BC_ASSIGN(std::optional<std::int64_t> note_id, note_here(f, note_uid));
    if (!note_id) return bad(f.where(), "links a note that is not here");
    BC_ASSIGN(bool added, writer.link_thread_note(thread_id, *note_id, linked));
    (void)added;
    return {};
  }

  static bool is_status(const std::string& s) { return parse_thread_status(s).has_value(); }

  Status thread_status(const Fields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_ASSIGN(std::string thread_uid, f.uid("thread"));
    BC_ASSIGN(std::string status, f.enumerated("status", is_status));
    BC_ASSIGN(std::string meeting_uid, f.uid("meeting"));
    BC_ASSIGN(std::string decided_by, f.text("decided_by"));
    BC_ASSIGN(std::string decided_at, f.timestamp("decided_at"));
    BC_ASSIGN(std::int64_t thread_id, thread_here(f, thread_uid));
    BC_TRY(meeting_here(f, meeting_uid));
    // Who decided is who signed: a change names its own signer; a snapshot passes on the
    // decisions of members of the team, and of nobody else.
    if (!ctx_.snapshot) {
      if (decided_by != ctx_.author) return bad(f.where(), "names another organizer than the bundle's signer");
    } else {
      BC_ASSIGN(std::optional<Team> team, load_team(v_, ctx_.series));
      if (!team || team->member_by_fingerprint(decided_by) == nullptr)
        return bad(f.where(), "names an organizer who is not a member of the team");
    }
    BC_ASSIGN(auto meeting_id, local_id(v_, "meetings", meeting_uid));
    BC_ASSIGN(bool added, RecordWriter(v_).insert_thread_status({uid, thread_id, status, *meeting_id, decided_by, decided_at}));
    (void)added;
    return {};
  }

  Vault& v_;
  ApplyContext& ctx_;
  std::size_t n_ = 1;  // the header is record 1
  std::vector<Write> snapshot_writes_;
  std::optional<storage::NoteBulkLoad> bulk_;
  std::set<std::string> bulk_notes_;  // notes inserted while the bulk load is on
};

}  // namespace

Status apply_records(Vault& vault, const std::vector<json>& records, ApplyContext& ctx) {
  Applier a(vault, ctx);
  BC_TRY(a.start());
  for (const auto& r : records) BC_TRY(a.record(r));
  return a.finish();
}

Result<std::vector<json>> snapshot_records(Vault& vault, const std::string& series_uid) {
  auto& db = db_of(vault);
  std::vector<json> out;
  BC_ASSIGN(std::optional<Team> team, load_team(vault, series_uid));
  if (!team) return fail(ErrorCode::internal, "a snapshot of a series without a team");
  out.push_back({{"type", "team"}, {"convenor", signing_key_text(team->convenor)}, {"epoch", team->epoch}});
  for (const auto& m : team->members) out.push_back(member_record(m));
  BC_ASSIGN(auto series_id, local_id(vault, "series", series_uid));
  if (!series_id) return fail(ErrorCode::internal, "a team without its series");
  BC_ASSIGN(json s, series_record(vault, *series_id));
  out.push_back(std::move(s));

  auto ids = [&](const std::string& sql) -> Result<std::vector<std::pair<std::int64_t, std::int64_t>>> {
    BC_ASSIGN(storage::Statement st, db.prepare(sql));
    st.bind(1, *series_id);
    std::vector<std::pair<std::int64_t, std::int64_t>> r;
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      r.push_back({st.column_int64(0), st.column_int64(1)});
    }
    return r;
  };
  BC_ASSIGN(auto meetings, ids("SELECT id, 0 FROM meetings WHERE series_id = ? ORDER BY id"));
  for (const auto& [id, unused] : meetings) {
    BC_ASSIGN(json m, meeting_record(vault, id));
    out.push_back(std::move(m));
  }
  BC_ASSIGN(auto people, ids("SELECT DISTINCT a.participant_id, 0 FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
                             "WHERE m.series_id = ? ORDER BY a.participant_id"));
  for (const auto& [id, unused] : people) {
    BC_ASSIGN(json p, participant_record(vault, id));
    out.push_back(std::move(p));
  }
  BC_ASSIGN(auto attendance, ids("SELECT a.meeting_id, a.participant_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
                                 "WHERE m.series_id = ? ORDER BY a.meeting_id, a.position, a.participant_id"));
  for (const auto& [m, p] : attendance) {
    BC_ASSIGN(json a, attendance_record(vault, m, p));
    out.push_back(std::move(a));
  }
  BC_ASSIGN(std::vector<Write> writes, standing_in_series(vault, series_uid));
  for (const auto& w : writes)
    out.push_back({{"type", "write"},
                   {"change", w.change},
                   {"hlc", w.hlc},
                   {"target", w.target},
                   {"field", w.field},
                   {"value", w.value},
                   {"base", string_list(w.base)},
                   {"lowering", w.lowering},
                   {"confirmed_by", w.confirmed_by ? json(*w.confirmed_by) : json(nullptr)},
                   {"device", w.device},
                   {"author", w.author},
                   {"dot", w.dot_device ? json{{"device", *w.dot_device}, {"seq", w.dot_seq}} : json(nullptr)}});
  BC_ASSIGN(auto notes, ids("SELECT n.id, 0 FROM notes n JOIN meetings m ON m.id = n.meeting_id "
                            "WHERE m.series_id = ? AND n.deleted_at IS NULL ORDER BY n.id"));
  for (const auto& [id, unused] : notes) {
    BC_ASSIGN(json n, note_record(vault, id));
    BC_ASSIGN(std::vector<RevisionMeta> metas, revisions_of(vault, n["uid"].get<std::string>()));
    std::map<std::string, const RevisionMeta*> by_uid;
    for (const auto& m : metas) by_uid[m.uid] = &m;
    BC_ASSIGN(CachedStatement rv, db.cached("SELECT uid, text, created_at FROM note_revisions WHERE note_id = ? ORDER BY revision"));
    rv->bind(1, id);
    while (true) {
      BC_ASSIGN(bool row, rv->step());
      if (!row) break;
      auto m = by_uid.find(rv->column_string(0));
      if (m == by_uid.end()) return fail(ErrorCode::internal, "a shared note has a revision without its clock");
      n["revisions"].push_back({{"uid", rv->column_string(0)},
                                {"text", rv->column_string(1)},
                                {"created_at", rv->column_string(2)},
                                {"hlc", m->second->hlc},
                                {"device", m->second->device},
                                {"parents", string_list(m->second->parents)}});
    }
    out.push_back(std::move(n));
  }
  BC_ASSIGN(auto threads, ids("SELECT id, 0 FROM threads WHERE series_id = ? ORDER BY id"));
  for (const auto& [id, unused] : threads) {
    BC_ASSIGN(json t, thread_record(vault, id));
    out.push_back(std::move(t));
  }
  BC_ASSIGN(auto links, ids("SELECT l.thread_id, l.note_id FROM thread_notes l JOIN threads t ON t.id = l.thread_id "
                            "JOIN notes n ON n.id = l.note_id WHERE t.series_id = ? AND n.deleted_at IS NULL "
                            "ORDER BY l.thread_id, l.note_id"));
  for (const auto& [thread, note] : links) {
    BC_ASSIGN(json l, thread_link_record(vault, thread, note));
    out.push_back(std::move(l));
  }
  BC_ASSIGN(auto decisions, ids("SELECT c.id, 0 FROM thread_status c JOIN threads t ON t.id = c.thread_id WHERE t.series_id = ? "
                                "ORDER BY c.id"));
  for (const auto& [id, unused] : decisions) {
    BC_ASSIGN(json c, thread_status_record(vault, id));
    out.push_back(std::move(c));
  }
  BC_ASSIGN(storage::Statement tomb, db.prepare("SELECT t.note_uid, n.kind, n.at FROM sync_tombstones t JOIN note_tombstones n "
                                                "ON n.uid = t.note_uid WHERE t.series_uid = ? ORDER BY t.note_uid"));
  tomb.bind(1, series_uid);
  while (true) {
    BC_ASSIGN(bool row, tomb.step());
    if (!row) break;
    out.push_back({{"type", "tombstone"}, {"note", tomb.column_string(0)}, {"kind", tomb.column_string(1)}, {"at", tomb.column_string(2)}});
  }
  return out;
}

}  // namespace bc::core::sync
