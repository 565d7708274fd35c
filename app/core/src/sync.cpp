#include "backchannel/core/sync.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/conflicts.h"
#include "backchannel/core/identity.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/files/atomic_file.h"
#include "backchannel/message_text.h"
#include "backchannel/storage/clock.h"
#include "record_fields.h"
#include "record_ids.h"
#include "record_writer.h"
#include "signed_records.h"
#include "sync_apply.h"
#include "sync_bundle.h"
#include "sync_records.h"
#include "sync_state.h"
#include "vault_store_access.h"

namespace bc::core {

namespace fs = std::filesystem;
using json = nlohmann::json;
using storage::CachedStatement;
using namespace sync;

namespace {

constexpr std::int64_t kDayMs = 24 * 60 * 60 * 1000;

storage::Database& db_of(Vault& v) { return vault_store(v).db(); }

// "<seq>.age" with a positive decimal seq and nothing else.
bool parse_bundle_name(const std::string& name, std::int64_t& seq) {
  if (name.size() < 5 || name.size() > 22 || name.compare(name.size() - 4, 4, ".age") != 0) return false;
  const std::string digits = name.substr(0, name.size() - 4);
  if (digits.empty() || digits[0] == '0' || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  seq = std::stoll(digits);
  return true;
}

std::string short_name(const std::string& series, const std::string& device, std::int64_t seq) {
  return series.substr(0, 8) + "/" + device.substr(0, 8) + "/" + std::to_string(seq) + ".age";
}

fs::path bundle_path(const fs::path& folder, const std::string& series, const std::string& device, std::int64_t seq) {
  return folder / series / device / (std::to_string(seq) + ".age");
}

// Sub-folders of `dir` named like uids (the engine's own files and anything else are ignored).
std::vector<std::string> uid_dirs(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_uid(name) && it->is_directory(ec)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Bundle files of one device folder by seq; `conflict_copy` is set when an engine left a copy
// of one of them (Syncthing's "*.sync-conflict-*", and the like).
std::map<std::int64_t, fs::path> bundle_files(const fs::path& dir, bool* conflict_copy = nullptr) {
  std::map<std::int64_t, fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (conflict_copy && (name.find(".sync-conflict-") != std::string::npos || name.find("(conflicted copy") != std::string::npos ||
                          name.find("_conflict-") != std::string::npos))
      *conflict_copy = true;
    std::int64_t seq = 0;
    if (parse_bundle_name(name, seq) && it->is_regular_file(ec)) out[seq] = it->path();
  }
  return out;
}

Result<std::vector<std::uint8_t>> read_bytes(const fs::path& p) {
  BC_ASSIGN(std::string s, files::read_small_file(p, kMaxBundleBytes));
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

Hash file_hash(std::span<const std::uint8_t> bytes) { return crypto::sha256(bytes); }

Hash blob_hash(const std::vector<std::uint8_t>& b) {
  Hash h{};
  if (b.size() == h.size()) std::copy(b.begin(), b.end(), h.begin());
  return h;
}

std::string series_label(Vault& vault, const std::string& uid) {
  auto id = local_id(vault, "series", uid);
  if (id && *id) return "series " + std::to_string(**id);
  return "series " + uid.substr(0, 8);
}

class Engine {
 public:
  Engine(Vault& vault, fs::path folder, SyncOptions options) : v_(vault), folder_(std::move(folder)), opts_(std::move(options)) {}

  Result<SyncReport> run() {
    std::error_code ec;
    if (!fs::is_directory(folder_, ec)) return fail(ErrorCode::bad_input, quote_for_message(folder_.string()) + " is not a folder");
    BC_ASSIGN(me_, self(v_));
    BC_ASSIGN(signer_, vault_store(v_).identity_ed25519());
    BC_ASSIGN(crypto::X25519KeyPair own, vault_store(v_).identity_x25519());
    identities_.push_back(crypto::age::X25519Identity{std::move(own.secret_key)});

    BC_ASSIGN(bool copied, flush_outbox());
    BC_ASSIGN(std::vector<std::string> teams, team_series(v_));
    for (const auto& s : teams) {
      if (copied) break;
      BC_ASSIGN(copied, looks_copied(s));
    }
    if (copied) BC_TRY(reenroll());
    for (const auto& s : teams) BC_TRY(publish(s));
    BC_TRY(apply_all());
    // Applying may ask for a snapshot (a purge, a newcomer): publish it in the same round.
    BC_ASSIGN(teams, team_series(v_));
    for (const auto& s : teams) BC_TRY(publish(s, true));
    BC_ASSIGN(std::vector<Conflict> conflicts, list_conflicts(v_));
    report_.conflicts = conflicts.size();
    return report_;
  }

 private:
  std::int64_t now_ms() const { return opts_.clock ? opts_.clock() : wall_ms(); }

  // ---- publishing ----

  // Writes bundles committed to the vault but not yet to the folder (a crash between the two).
  // True when the folder holds another file under one of this device's names.
  Result<bool> flush_outbox() {
    auto& db = db_of(v_);
    struct Row {
      std::string series, device;
      std::int64_t seq;
      Hash hash;
      std::vector<std::uint8_t> bytes;
    };
    std::vector<Row> rows;
    {
      BC_ASSIGN(storage::Statement st, db.prepare("SELECT series_uid, device, seq, file_hash, bytes FROM sync_published WHERE bytes IS NOT NULL"));
      while (true) {
        BC_ASSIGN(bool row, st.step());
        if (!row) break;
        rows.push_back({st.column_string(0), st.column_string(1), st.column_int64(2), blob_hash(st.column_blob(3)), st.column_blob(4)});
      }
    }
    bool copied = false;
    for (const auto& r : rows) {
      const fs::path p = bundle_path(folder_, r.series, r.device, r.seq);
      std::error_code ec;
      if (fs::exists(p, ec)) {
        auto on_disk = read_bytes(p);
        if (!on_disk || file_hash(*on_disk) != r.hash) {
          copied = true;
          continue;
        }
      } else {
        BC_TRY(write_bundle_file(p, r.bytes));
      }
      BC_ASSIGN(CachedStatement st, db.cached("UPDATE sync_published SET bytes = NULL WHERE series_uid = ? AND device = ? AND seq = ?"));
      BC_TRY(st->bind(1, r.series).bind(2, r.device).bind(3, r.seq).run());
    }
    return copied;
  }

  Status write_bundle_file(const fs::path& p, std::span<const std::uint8_t> bytes) {
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return fail(ErrorCode::io, "cannot create the folder " + quote_for_message(p.parent_path().string()) + ": " + ec.message());
    return files::write_file_atomically(p, bytes);
  }

  // Another vault writes under this device's id: a later bundle than this vault published, an
  // engine's conflict copy of one of its bundles, or its last bundle replaced.
  Result<bool> looks_copied(const std::string& series) {
    BC_ASSIGN(auto chain, chains(v_, series));
    const std::int64_t own = chain.count(me_.device) ? chain[me_.device].seq : 0;
    bool conflict_copy = false;
    const auto files = bundle_files(folder_ / series / me_.device, &conflict_copy);
    if (conflict_copy) return true;
    if (!files.empty() && files.rbegin()->first > own) return true;
    if (own > 0) {
      BC_ASSIGN(CachedStatement st, db_of(v_).cached("SELECT file_hash FROM sync_published WHERE series_uid = ? AND device = ? AND seq = ?"));
      st->bind(1, series).bind(2, me_.device).bind(3, own);
      BC_ASSIGN(bool row, st->step());
      auto it = files.find(own);
      if (row && it != files.end()) {
        auto on_disk = read_bytes(it->second);
        if (on_disk && file_hash(*on_disk) != blob_hash(st->column_blob(0))) return true;
      }
    }
    return false;
  }

  // This vault becomes a new device. Its old device id is treated as another device's from now
  // on, known up to the last bundle that the folder still holds as this vault wrote it; whatever
  // it published after that is published again (a snapshot) under the new id.
  Status reenroll() {
    auto& db = db_of(v_);
    const std::string old = me_.device;
    const std::string fresh = new_uid();
    BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
    BC_ASSIGN(std::vector<std::string> teams, team_series(v_));
    for (const auto& s : teams) {
      BC_ASSIGN(auto chain, chains(v_, s));
      if (!chain.count(old)) continue;
      const auto files = bundle_files(folder_ / s / old);
      std::vector<std::pair<std::int64_t, std::pair<Hash, Hash>>> mine;
      {
        BC_ASSIGN(storage::Statement st, db.prepare("SELECT seq, file_hash, plain_hash FROM sync_published WHERE series_uid = ? AND device = ? "
                                                    "ORDER BY seq"));
        st.bind(1, s).bind(2, old);
        while (true) {
          BC_ASSIGN(bool row, st.step());
          if (!row) break;
          mine.push_back({st.column_int64(0), {blob_hash(st.column_blob(1)), blob_hash(st.column_blob(2))}});
        }
      }
      ChainLink kept{};
      for (const auto& [seq, hashes] : mine) {
        auto it = files.find(seq);
        if (it == files.end()) break;
        auto on_disk = read_bytes(it->second);
        if (!on_disk || file_hash(*on_disk) != hashes.first) break;
        kept = {seq, hashes.second};
      }
      if (kept.seq < chain[old].seq) {
        // What it published after `kept` may be lost from the folder: publish it again.
        BC_ASSIGN(CachedStatement st, db.cached("UPDATE sync_writes SET dot_device = NULL, dot_seq = NULL "
                                                "WHERE series_uid = ? AND dot_device = ? AND dot_seq > ?"));
        BC_TRY(st->bind(1, s).bind(2, old).bind(3, kept.seq).run());
        BC_TRY(set_snapshot_due(v_, s, true));
      }
      BC_ASSIGN(CachedStatement del, db.cached("DELETE FROM sync_chains WHERE series_uid = ? AND device = ?"));
      BC_TRY(del->bind(1, s).bind(2, old).run());
      if (kept.seq > 0) BC_TRY(set_chain(v_, s, old, kept, me_.signing_key));
      BC_ASSIGN(CachedStatement pub, db.cached("DELETE FROM sync_published WHERE series_uid = ? AND device = ?"));
      BC_TRY(pub->bind(1, s).bind(2, old).run());
    }
    {
      BC_ASSIGN(CachedStatement st, db.cached("INSERT INTO sync_former_devices(device, retired_at) VALUES (?, ?) ON CONFLICT DO NOTHING"));
      BC_TRY(st->bind(1, old).bind(2, storage::utc_now_rfc3339()).run());
      BC_ASSIGN(CachedStatement up, db.cached("UPDATE sync_self SET device = ? WHERE id = 1"));
      BC_TRY(up->bind(1, fresh).run());
    }
    BC_TRY(append_audit(v_, "sync.reenroll", "device " + fresh.substr(0, 8)));
    BC_TRY(tx.commit());
    me_.device = fresh;
    report_.notices.push_back("this vault was copied or restored from a backup (another vault publishes as device " + old.substr(0, 8) +
                              "); it now publishes as device " + fresh.substr(0, 8) + ", and nothing it holds was lost");
    return {};
  }

  Status publish(const std::string& series, bool only_if_due = false) {
    auto& db = db_of(v_);
    BC_ASSIGN(std::optional<Team> team, load_team(v_, series));
    if (!team) return {};
    const Member* mine = team->member_by_key(me_.signing_key);
    if (!mine || mine->removed_epoch) return {};
    if (only_if_due && !team->snapshot_due) return {};
    std::vector<std::pair<std::int64_t, json>> pending;
    {
      BC_ASSIGN(storage::Statement st, db.prepare("SELECT id, record FROM sync_changes WHERE series_uid = ? ORDER BY id"));
      st.bind(1, series);
      while (true) {
        BC_ASSIGN(bool row, st.step());
        if (!row) break;
        json j = json::parse(st.column_text(1), nullptr, false);
        if (!j.is_object()) return fail(ErrorCode::integrity, "the change log holds a damaged record", Remedy::check_vault);
        pending.push_back({st.column_int64(0), std::move(j)});
      }
    }
    const auto own_files = bundle_files(folder_ / series / me_.device);
    const bool snapshot = team->snapshot_due || own_files.size() >= opts_.compact_after;
    if (!snapshot && pending.empty()) return {};

    std::optional<storage::ScopedCacheSize> cache;  // a snapshot reads the whole series
    if (snapshot) cache.emplace(db, 64 << 20);
    BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
    BC_ASSIGN(auto chain, chains(v_, series));
    const ChainLink own = chain.count(me_.device) ? chain[me_.device] : ChainLink{};
    const std::int64_t seq = own.seq + 1;
    {
      BC_ASSIGN(CachedStatement st, db.cached("UPDATE sync_writes SET dot_device = ?, dot_seq = ? WHERE series_uid = ? AND dot_device IS NULL"));
      BC_TRY(st->bind(1, me_.device).bind(2, seq).bind(3, series).run());
    }
    BundleHeader h;
    h.series = series;
    h.device = me_.device;
    h.seq = seq;
    h.epoch = team->epoch;
    h.prev = own.hash;
    h.snapshot = snapshot;
    h.created_at = storage::utc_now_rfc3339();
    BC_ASSIGN(h.hlc, db.query_int("SELECT hlc FROM sync_self WHERE id = 1"));
    std::vector<crypto::age::X25519Recipient> to;
    for (const auto* m : team->current()) {
      auto r = crypto::age::X25519Recipient::parse(m->recipient);
      if (!r) return fail(ErrorCode::integrity, "a team member's recipient is damaged", Remedy::check_vault);
      to.push_back(*r);
    }
    // Named in the signed header as archives and packages name theirs (signed_records.h).
    for (const auto& r : recipients_field(std::vector<crypto::age::Recipient>(to.begin(), to.end())))
      h.recipients.push_back(r.get<std::string>());
    std::vector<json> records;
    if (snapshot) {
      BC_ASSIGN(records, snapshot_records(v_, series));
      h.covers = chain;
    } else {
      for (auto& [id, r] : pending) records.push_back(std::move(r));
      for (const auto& [d, link] : chain)
        if (d != me_.device && link.seq > 0) h.deps[d] = link.seq;
    }
    BC_ASSIGN(WrittenBundle b, write_bundle(h, records, signer_, me_.recipient, to));
    const Hash fh = file_hash(b.bytes);
    {
      BC_ASSIGN(CachedStatement st, db.cached("INSERT INTO sync_published(series_uid, device, seq, file_hash, plain_hash, snapshot, bytes) "
                                              "VALUES (?,?,?,?,?,?,?)"));
      BC_TRY(st->bind(1, series).bind(2, me_.device).bind(3, seq).bind_blob(4, fh).bind_blob(5, b.hash).bind(6, snapshot ? 1 : 0)
                 .bind_blob(7, b.bytes).run());
    }
    BC_TRY(set_chain(v_, series, me_.device, {seq, b.hash}, me_.signing_key));
    if (team->convenor == me_.signing_key) BC_TRY(note_epoch_start(v_, series, h.epoch, me_.device, seq));
    if (!pending.empty()) {
      BC_ASSIGN(CachedStatement st, db.cached("DELETE FROM sync_changes WHERE series_uid = ? AND id <= ?"));
      BC_TRY(st->bind(1, series).bind(2, pending.back().first).run());
    }
    if (snapshot) BC_TRY(set_snapshot_due(v_, series, false));
    BC_TRY(append_audit(v_, "sync.publish", series_label(v_, series) + " bundle " + std::to_string(seq)));
    BC_TRY(tx.commit());

    const fs::path p = bundle_path(folder_, series, me_.device, seq);
    BC_TRY(write_bundle_file(p, b.bytes));
    {
      BC_ASSIGN(CachedStatement st, db.cached("UPDATE sync_published SET bytes = NULL WHERE series_uid = ? AND device = ? AND seq = ?"));
      BC_TRY(st->bind(1, series).bind(2, me_.device).bind(3, seq).run());
    }
    if (snapshot) {
      // The snapshot holds everything the older bundles did (minus what was purged): they go.
      for (const auto& [old_seq, path] : own_files) {
        if (old_seq >= seq) continue;
        std::error_code ec;
        fs::remove(path, ec);
      }
      BC_ASSIGN(CachedStatement st, db.cached("DELETE FROM sync_published WHERE series_uid = ? AND device = ? AND seq < ?"));
      BC_TRY(st->bind(1, series).bind(2, me_.device).bind(3, seq).run());
    }
    ++report_.published;
    return {};
  }

  // ---- applying ----

  struct Candidate {
    std::string series, device;
    std::int64_t seq = 0;
    Bundle bundle;
  };

  void refuse(const std::string& name, const std::string& why, bool integrity) {
    ++report_.refused;
    report_.refusals.push_back(name + ": " + why);
    if (integrity) report_.integrity_failure = true;
  }

  Status apply_all() {
    std::map<std::string, std::map<std::string, std::map<std::int64_t, Candidate>>> verified;
    for (const auto& series : uid_dirs(folder_)) {
      BC_ASSIGN(auto chain, chains(v_, series));
      for (const auto& device : uid_dirs(folder_ / series)) {
        if (device == me_.device) continue;
        const std::int64_t applied = chain.count(device) ? chain[device].seq : 0;
        for (const auto& [seq, path] : bundle_files(folder_ / series / device)) {
          if (seq <= applied) continue;
          const std::string name = short_name(series, device, seq);
          auto bytes = read_bytes(path);
          if (!bytes) {
            report_.notices.push_back(name + " could not be read (" + bytes.error().message + "); it is left for the next sync");
            continue;
          }
          auto b = read_bundle(identities_, *bytes);
          if (!b) {
            const Error& e = b.error();
            if (e.code == ErrorCode::auth_failed && crypto::age::failure_class(e) == crypto::age::FailureClass::no_match)
              continue;  // written for other members (before this vault joined, or after it left)
            refuse(name, e.message, true);
            continue;
          }
          const BundleHeader& hd = b->header;
          if (hd.series != series || hd.device != device || hd.seq != seq) {
            refuse(name, "its header says it is " + short_name(hd.series, hd.device, hd.seq) +
                             ": it was moved, renamed or replayed, and is not applied", true);
            continue;
          }
          if (std::find(hd.recipients.begin(), hd.recipients.end(), me_.recipient) == hd.recipients.end()) {
            refuse(name, "it was encrypted to this vault, but its signed header does not name this vault as a recipient: "
                         "someone re-encrypted it, and it is not applied", true);
            continue;
          }
          verified[series][device][seq] = Candidate{series, device, seq, std::move(*b)};
        }
      }
    }

    std::map<std::string, std::string> waiting;  // name -> why
    bool progress = true;
    while (progress) {
      progress = false;
      for (auto& [series, devices] : verified) {
        for (auto& [device, bundles] : devices) {
          while (!bundles.empty()) {
            BC_ASSIGN(auto chain, chains(v_, series));
            const ChainLink applied = chain.count(device) ? chain[device] : ChainLink{};
            while (!bundles.empty() && bundles.begin()->first <= applied.seq) bundles.erase(bundles.begin());
            if (bundles.empty()) break;
            auto pick = bundles.end();
            for (auto it = bundles.begin(); it != bundles.end(); ++it)
              if (it->second.bundle.header.snapshot) pick = it;
            if (pick == bundles.end() && bundles.begin()->first == applied.seq + 1) pick = bundles.begin();
            if (pick == bundles.end()) {
              waiting[short_name(series, device, bundles.begin()->first)] = "waits for bundle " + std::to_string(applied.seq + 1) +
                                                                            " of its device";
              break;
            }
            const std::string name = short_name(series, device, pick->first);
            std::string why;
            BC_ASSIGN(Decision d, decide(pick->second, applied, chain, why));
            if (d == Decision::wait) {
              waiting[name] = why;
              break;
            }
            if (d == Decision::refuse_integrity || d == Decision::refuse_policy) {
              refuse(name, why, d == Decision::refuse_integrity);
              waiting.erase(name);
              bundles.erase(pick);
              break;  // the rest of this chain cannot follow a refused bundle
            }
            Status st = apply(pick->second, chain);
            if (!st) {
              refuse(name, "its content is not valid: " + st.error().message, true);
              bundles.erase(pick);
              break;
            }
            waiting.erase(name);
            ++report_.applied;
            progress = true;
            bundles.erase(pick);
          }
        }
      }
    }
    for (const auto& [series, devices] : verified)
      for (const auto& [device, bundles] : devices)
        for (const auto& [seq, c] : bundles) {
          ++report_.pending;
          const std::string name = short_name(series, device, seq);
          auto it = waiting.find(name);
          if (it != waiting.end()) report_.notices.push_back(name + " " + it->second);
        }
    if (purged_) BC_TRY(db_of(v_).checkpoint_truncate());
    return {};
  }

  enum class Decision { apply, wait, refuse_integrity, refuse_policy };

  Result<bool> trusted(const crypto::Ed25519Public& key) {
    BC_ASSIGN(CachedStatement st, db_of(v_).cached("SELECT 1 FROM sync_trust WHERE signing_key = ?"));
    st->bind_blob(1, key);
    return st->step();
  }

  Status remember_signer(const Candidate& c) {
    const Bundle& b = c.bundle;
    BC_ASSIGN(CachedStatement st, db_of(v_).cached("INSERT INTO sync_signers_seen(fingerprint, signing_key, recipient, series_uid, first_seen) "
                                                   "VALUES (?,?,?,?,?) ON CONFLICT(fingerprint) DO NOTHING"));
    BC_TRY(st->bind(1, b.signer_fingerprint).bind_blob(2, b.signer).bind(3, crypto::age::X25519Recipient{b.signer_x25519}.to_string())
               .bind(4, c.series).bind(5, storage::utc_now_rfc3339()).run());
    if (std::find(report_.signers_to_accept.begin(), report_.signers_to_accept.end(), b.signer_fingerprint) ==
        report_.signers_to_accept.end())
      report_.signers_to_accept.push_back(b.signer_fingerprint);
    return {};
  }

  // Whether a snapshot from a signer this vault accepted starts the series' team here, with this
  // vault among its members.
  static bool founds_team(const Bundle& b, const std::string& own_fingerprint) {
    if (!b.header.snapshot) return false;
    bool team = false, me = false;
    for (const auto& r : b.records) {
      const auto t = r.find("type");
      if (t == r.end() || !t->is_string()) continue;
      if (*t == "team") {
        auto c = r.find("convenor");
        auto key = c != r.end() && c->is_string() ? parse_signing_key(c->get<std::string>()) : Result<crypto::Ed25519Public>(
                                                                                                   fail(ErrorCode::bad_input, ""));
        team = key && *key == b.signer;
      }
      if (*t == "member") {
        auto f = r.find("fingerprint");
        auto rm = r.find("removed_epoch");
        me = me || (f != r.end() && f->is_string() && *f == own_fingerprint && (rm == r.end() || rm->is_null()));
      }
    }
    return team && me;
  }

  Result<Decision> decide(Candidate& c, const ChainLink& applied, std::map<std::string, ChainLink>& chain, std::string& why) {
    const Bundle& b = c.bundle;
    const BundleHeader& h = b.header;
    BC_ASSIGN(std::optional<Team> team, load_team(v_, c.series));
    if (!team) {
      BC_ASSIGN(bool ok, trusted(b.signer));
      if (!ok) {
        BC_TRY(remember_signer(c));
        why = "is signed by " + b.signer_fingerprint + ", whom this vault has not accepted (compare the fingerprint in person, "
              "then `team accept --fingerprint " + b.signer_fingerprint + "`)";
        return Decision::wait;
      }
      if (!founds_team(b, me_.fingerprint)) {
        why = "waits for the convenor's snapshot of the series";
        return Decision::wait;
      }
    } else if (b.signer != me_.signing_key) {
      const Member* m = team->member_by_key(b.signer);
      if (!m) {
        BC_TRY(remember_signer(c));
        why = "is signed by " + b.signer_fingerprint + ", who is not a member of this team (yet)";
        return Decision::wait;
      }
      if (m->removed_epoch) {
        auto f = m->final.find(c.device);
        if (f == m->final.end() || c.seq > f->second) {
          why = "is signed by " + b.signer_fingerprint + ", who was removed from the team before writing it";
          return Decision::refuse_policy;
        }
      }
    }
    if (team) {
      BC_TRY(check_epoch(c, *team, why));
      if (!why.empty()) return Decision::refuse_policy;
    }
    BC_ASSIGN(auto bound, chain_signer(v_, c.series, c.device));
    if (bound && *bound != b.signer) {
      why = "is signed by another member than the earlier bundles of its device";
      return Decision::refuse_integrity;
    }
    if (!h.snapshot) {
      if (c.seq != applied.seq + 1) {
        why = "waits for bundle " + std::to_string(applied.seq + 1) + " of its device";
        return Decision::wait;
      }
      if (h.prev != applied.hash) {
        why = "does not follow the bundle before it in its device's chain (a replayed, reordered or forked bundle); not applied";
        return Decision::refuse_integrity;
      }
      for (const auto& [d, s] : h.deps) {
        const std::int64_t have = chain.count(d) ? chain[d].seq : 0;
        if (have < s) {
          why = "waits for bundle " + std::to_string(s) + " of device " + d.substr(0, 8);
          return Decision::wait;
        }
      }
    }
    if (ms_of_hlc(h.hlc) > now_ms() + kDayMs) {
      why = "is dated more than a day ahead of this computer's clock; it is held until then (check the clocks of both computers)";
      return Decision::wait;
    }
    return Decision::apply;
  }

  // A removal begins a new epoch, and later bundles are not encrypted to the removed member.
  // Refused (why set): a bundle encrypted to a member removed at or before its epoch, and a
  // bundle of an older epoch than one its writer had already seen begin (its deps, its covers or
  // its own chain reach the convenor's first bundle of that epoch, which it applied since the
  // convenor's chain is never skipped): written after the removal, it may be readable by the
  // removed member. A bundle written before its writer heard of the removal is
  // concurrent with it, and is applied.
  Status check_epoch(const Candidate& c, const Team& team, std::string& why) {
    const BundleHeader& h = c.bundle.header;
    for (const auto& m : team.members)
      if (m.removed_epoch && *m.removed_epoch <= h.epoch &&
          std::find(h.recipients.begin(), h.recipients.end(), m.recipient) != h.recipients.end()) {
        why = "is encrypted to " + m.fingerprint + ", who was removed from the team before its epoch " + std::to_string(h.epoch) +
              "; not applied";
        return {};
      }
    BC_ASSIGN(auto starts, epoch_starts(v_, c.series));
    for (const auto& [epoch, at] : starts) {
      if (epoch <= h.epoch) continue;
      std::int64_t seen = 0;
      if (h.snapshot) {
        auto it = h.covers.find(at.device);
        if (it != h.covers.end()) seen = it->second.seq;
      } else if (auto it = h.deps.find(at.device); it != h.deps.end()) {
        seen = it->second;
      }
      if ((c.device == at.device && c.seq > at.seq) || seen >= at.seq) {
        why = "was written at team epoch " + std::to_string(h.epoch) + " after its writer had seen epoch " + std::to_string(epoch) +
              " begin (a member was removed): it may be readable by the removed member, and is not applied";
        return {};
      }
    }
    return {};
  }

  Status apply(Candidate& c, const std::map<std::string, ChainLink>& chain) {
    auto& db = db_of(v_);
    const Bundle& b = c.bundle;
    // A snapshot writes a whole series: a bigger page cache keeps SQLCipher from spilling,
    // re-encrypting and re-reading pages, as for archive import (64 MiB, given back afterwards).
    std::optional<storage::ScopedCacheSize> cache;
    if (b.header.snapshot) cache.emplace(db, 64 << 20);
    BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
    ApplyContext ctx;
    ctx.series = c.series;
    ctx.device = c.device;
    ctx.seq = c.seq;
    ctx.signer = b.signer;
    ctx.author = b.signer_fingerprint;
    ctx.snapshot = b.header.snapshot;
    ctx.covers = b.header.covers;
    ctx.applied = chain;
    ctx.own_fingerprint = me_.fingerprint;
    {
      UnreportedWrites quiet(v_);
      BC_TRY(apply_records(v_, b.records, ctx));
    }
    BC_TRY(set_chain(v_, c.series, c.device, {c.seq, b.hash}, b.signer));
    BC_ASSIGN(std::optional<Team> team, load_team(v_, c.series));
    if (!team) return fail(ErrorCode::bad_input, "it names no team");
    if (b.header.snapshot)
      for (const auto& [d, link] : b.header.covers) {
        if (d == me_.device || d == c.device) continue;
        // The convenor's bundles carry the team's decisions (members, epochs), which another
        // member's snapshot does not: they are applied, never skipped over.
        BC_ASSIGN(auto signer, chain_signer(v_, c.series, d));
        if (signer && *signer == team->convenor && b.signer != team->convenor) continue;
        auto it = chain.find(d);
        if (it == chain.end() || it->second.seq < link.seq) BC_TRY(set_chain(v_, c.series, d, link, std::nullopt));
      }
    BC_TRY(observe_clock(v_, b.header.hlc));
    // Epochs begin in the convenor's bundles; one who applied such a bundle knows its epoch.
    if (b.signer == team->convenor) BC_TRY(note_epoch_start(v_, c.series, b.header.epoch, c.device, c.seq));
    const Member* mine = team->member_by_key(me_.signing_key);
    const bool member = mine && !mine->removed_epoch;
    const bool published_here = chain.count(me_.device) && chain.at(me_.device).seq > 0;
    // A newcomer cannot read this vault's earlier bundles; a purged text must leave them.
    if (member && (ctx.members_added || (ctx.purged && published_here))) BC_TRY(set_snapshot_due(v_, c.series, true));
    purged_ = purged_ || ctx.purged;
    for (auto& n : ctx.notices) report_.notices.push_back(short_name(c.series, c.device, c.seq) + ": " + n);
    BC_TRY(append_audit(v_, "sync.apply", series_label(v_, c.series) + " bundle " + c.device.substr(0, 8) + "/" + std::to_string(c.seq)));
    return tx.commit();
  }

  Vault& v_;
  fs::path folder_;
  SyncOptions opts_;
  SyncReport report_;
  Self me_;
  crypto::Ed25519KeyPair signer_;
  std::vector<crypto::age::Identity> identities_;
  bool purged_ = false;
};

}  // namespace

Result<SyncReport> sync_once(Vault& vault, const fs::path& folder, const SyncOptions& options) {
  if (!vault.is_open()) return fail(ErrorCode::usage, "the vault is locked");
  Engine e(vault, folder, options);
  return e.run();
}

Result<bool> has_unpublished_changes(Vault& vault) {
  BC_ASSIGN(std::int64_t n, db_of(vault).query_int("SELECT EXISTS (SELECT 1 FROM sync_changes) OR EXISTS "
                                                   "(SELECT 1 FROM sync_teams WHERE snapshot_due = 1)"));
  return n != 0;
}

Result<std::string> series_digest(Vault& vault, const std::string& series_uid) {
  auto& db = db_of(vault);
  BC_ASSIGN(auto series_id, local_id(vault, "series", series_uid));
  if (!series_id) return fail(ErrorCode::not_found, "there is no series " + quote_for_message(series_uid));
  std::vector<std::string> lines;
  auto rows = [&](const std::string& sql, auto bind, auto line) -> Status {
    BC_ASSIGN(storage::Statement st, db.prepare(sql));
    bind(st);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      lines.push_back(line(st).dump());
    }
    return {};
  };
  auto by_id = [&](storage::Statement& st) { st.bind(1, *series_id); };
  auto by_uid = [&](storage::Statement& st) { st.bind(1, series_uid); };
  auto opt = [](const storage::Statement& st, int c) { return st.is_null(c) ? json(nullptr) : json(st.column_string(c)); };
  BC_TRY(rows("SELECT uid, title, rule FROM series WHERE id = ?", by_id, [&](const storage::Statement& st) {
    return json{"series", st.column_string(0), st.column_string(1), st.column_string(2)};
  }));
  BC_TRY(rows("SELECT uid, title, starts_at, location, location_participants, location_public, rule, public_terms FROM meetings "
              "WHERE series_id = ?", by_id, [&](const storage::Statement& st) {
    return json{"meeting", st.column_string(0), st.column_string(1), st.column_string(2), opt(st, 3), st.column_string(4),
                st.column_string(5), opt(st, 6), st.column_string(7)};
  }));
  BC_TRY(rows("SELECT DISTINCT p.id, p.uid, p.name, p.affiliation, p.delegation, p.descriptor, p.recipient, hex(p.signing_key), "
              "(SELECT json_group_array(alias) FROM (SELECT alias FROM participant_aliases WHERE participant_id = p.id ORDER BY position)), "
              "p.descriptor_fa, "
              "(SELECT json_group_array(json_array(source, form, usage)) FROM "
              "(SELECT source, form, usage FROM participant_short_forms WHERE participant_id = p.id ORDER BY position)) "
              "FROM participants p JOIN attendance a ON a.participant_id = p.id JOIN meetings m ON m.id = a.meeting_id "
              "WHERE m.series_id = ?", by_id, [&](const storage::Statement& st) {
    return json{"participant", st.column_string(1), st.column_string(2), opt(st, 3), opt(st, 4), opt(st, 5), opt(st, 6),
                st.column_string(7), st.column_string(8), opt(st, 9), st.column_string(10)};
  }));
  BC_TRY(rows("SELECT m.uid, p.uid, a.key, a.position, "
              "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = a.participant_id AND d.audience = 'participants'), "
              "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = a.participant_id AND d.audience = 'public') "
              "FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN participants p ON p.id = a.participant_id WHERE m.series_id = ?",
              by_id, [&](const storage::Statement& st) {
    return json{"attendance", st.column_string(0), st.column_string(1), st.column_string(2), st.column_int64(3), opt(st, 4), opt(st, 5)};
  }));
  BC_TRY(rows("SELECT n.uid, m.uid, (SELECT uid FROM participants WHERE id = n.speaker_id), n.kind, n.at, n.visibility, n.text, "
              "(SELECT json_group_array(uid) FROM (SELECT uid FROM note_revisions WHERE note_id = n.id ORDER BY revision)) "
              "FROM notes n JOIN meetings m ON m.id = n.meeting_id WHERE m.series_id = ? AND n.deleted_at IS NULL",
              by_id, [&](const storage::Statement& st) {
    return json{"note", st.column_string(0), st.column_string(1), opt(st, 2), st.column_string(3), opt(st, 4), st.column_string(5),
                st.column_string(6), st.column_string(7)};
  }));
  BC_TRY(rows("SELECT uid, title FROM threads WHERE series_id = ?", by_id, [&](const storage::Statement& st) {
    return json{"thread", st.column_string(0), st.column_string(1)};
  }));
  BC_TRY(rows("SELECT t.uid, n.uid FROM thread_notes l JOIN threads t ON t.id = l.thread_id JOIN notes n ON n.id = l.note_id "
              "WHERE t.series_id = ?", by_id, [&](const storage::Statement& st) {
    return json{"thread_link", st.column_string(0), st.column_string(1)};
  }));
  BC_TRY(rows("SELECT c.uid, t.uid, c.status, m.uid, c.decided_by, c.decided_at FROM thread_status c JOIN threads t ON t.id = c.thread_id "
              "JOIN meetings m ON m.id = c.meeting_id WHERE t.series_id = ?", by_id, [&](const storage::Statement& st) {
    return json{"thread_status", st.column_string(0), st.column_string(1), st.column_string(2), st.column_string(3),
                st.column_string(4), st.column_string(5)};
  }));
  BC_TRY(rows("SELECT t.note_uid, n.kind FROM sync_tombstones t JOIN note_tombstones n ON n.uid = t.note_uid WHERE t.series_uid = ?",
              by_uid, [&](const storage::Statement& st) { return json{"tombstone", st.column_string(0), st.column_string(1)}; }));
  BC_TRY(rows("SELECT epoch, hex(convenor_key) FROM sync_teams WHERE series_uid = ?", by_uid, [&](const storage::Statement& st) {
    return json{"team", st.column_int64(0), st.column_string(1)};
  }));
  BC_TRY(rows("SELECT fingerprint, role, added_epoch, removed_epoch FROM sync_members WHERE series_uid = ?", by_uid,
              [&](const storage::Statement& st) {
    return json{"member", st.column_string(0), st.column_string(1), st.column_int64(2),
                st.is_null(3) ? json(nullptr) : json(st.column_int64(3))};
  }));
  BC_TRY(rows("SELECT change, target, field, lowering, confirmed_by IS NOT NULL FROM sync_writes WHERE series_uid = ? AND live = 1",
              by_uid, [&](const storage::Statement& st) {
    return json{"write", st.column_string(0), st.column_string(1), st.column_string(2), st.column_int64(3), st.column_int64(4)};
  }));
  std::sort(lines.begin(), lines.end());
  crypto::Sha256 h;
  h.update(crypto::bytes_of("backchannel.series-digest/1\n"));
  for (const auto& l : lines) {
    h.update(crypto::bytes_of(l));
    h.update(crypto::bytes_of("\n"));
  }
  return crypto::to_hex(h.finish());
}

Result<std::vector<SeriesSyncStatus>> sync_status(Vault& vault, const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return fail(ErrorCode::bad_input, quote_for_message(folder.string()) + " is not a folder");
  BC_ASSIGN(std::vector<TeamInfo> teams, list_teams(vault));
  BC_ASSIGN(std::vector<Conflict> conflicts, list_conflicts(vault));
  BC_ASSIGN(std::vector<PendingConfirmation> pending, pending_confirmations(vault));
  BC_ASSIGN(std::string own_device, device_id(vault));
  std::vector<SeriesSyncStatus> out;
  for (auto& t : teams) {
    SeriesSyncStatus s;
    s.series_id = t.series_id;
    s.series_uid = t.series_uid;
    s.series_title = t.series_title;
    BC_ASSIGN(s.digest, series_digest(vault, t.series_uid));
    BC_ASSIGN(auto chain, chains(vault, t.series_uid));
    std::map<std::string, DeviceStatus> devices;
    for (const auto& [d, link] : chain) {
      DeviceStatus ds;
      ds.device = d;
      ds.applied = link.seq;
      ds.own = d == own_device;
      BC_ASSIGN(auto signer, chain_signer(vault, t.series_uid, d));
      if (signer)
        for (const auto& m : t.members)
          if (m.signing_key == signing_key_text(*signer)) ds.member_fingerprint = m.fingerprint;
      devices[d] = ds;
    }
    for (const auto& d : uid_dirs(folder / t.series_uid)) {
      const auto files = bundle_files(folder / t.series_uid / d);
      auto& ds = devices[d];
      ds.device = d;
      ds.own = d == own_device;
      if (!files.empty()) ds.in_folder = files.rbegin()->first;
    }
    for (auto& [d, ds] : devices) s.devices.push_back(ds);
    BC_ASSIGN(CachedStatement st, db_of(vault).cached("SELECT count(*) FROM sync_changes WHERE series_uid = ?"));
    st->bind(1, t.series_uid);
    BC_ASSIGN(bool row, st->step());
    s.unpublished_changes = row ? static_cast<std::size_t>(st->column_int64(0)) : 0;
    for (const auto& c : conflicts)
      if (c.series_id == t.series_id) ++s.conflicts;
    for (const auto& p : pending)
      if (p.series_id == t.series_id) s.pending_confirmations.push_back(p);
    s.team = std::move(t);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace bc::core
