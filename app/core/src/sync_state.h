// What team sync keeps about a shared series besides the series itself (docs/sync.md,
// "State"): this vault's device id and hybrid clock, each team and its members, how far each
// device's chain has been applied, and every write of a field with the writes it replaced. The
// field merge works here: a write retires the writes it names as its base, and what is still
// standing gives the field its value (sync_merge.h), which is written into the series' own
// tables through the RecordWriter.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/vault.h"
#include "backchannel/crypto/identity_keys.h"
#include "sync_bundle.h"
#include "sync_merge.h"

namespace bc::core::sync {

/// Milliseconds since 1970 by the system clock.
std::int64_t wall_ms();
/// A hybrid logical clock value: milliseconds in the high bits, a counter in the low 16.
inline constexpr std::int64_t hlc_of_ms(std::int64_t ms) { return ms << 16; }
inline constexpr std::int64_t ms_of_hlc(std::int64_t hlc) { return hlc >> 16; }

/// This vault's device id, made on first use.
Result<std::string> device_id(Vault& vault);
/// The clock for a new local change: later than every clock this vault has seen.
Result<std::int64_t> tick(Vault& vault);
/// Takes in a clock seen in an applied bundle.
Status observe_clock(Vault& vault, std::int64_t hlc);

/// This vault as a member: its device, keys and fingerprint.
struct Self {
  std::string device;
  crypto::Ed25519Public signing_key{};
  std::string recipient;
  std::string fingerprint;
};
Result<Self> self(Vault& vault);

struct Member {
  std::string fingerprint;
  std::string recipient;
  crypto::Ed25519Public signing_key{};
  std::string role;  ///< "convenor" or "organizer"
  std::int64_t added_epoch = 1;
  std::optional<std::int64_t> removed_epoch;
  std::map<std::string, std::int64_t> final;  ///< removed: the last bundle accepted per device
};

struct Team {
  std::string series_uid;
  crypto::Ed25519Public convenor{};
  std::int64_t epoch = 1;
  bool snapshot_due = false;
  std::vector<Member> members;
  const Member* member_by_key(const crypto::Ed25519Public& key) const;
  const Member* member_by_fingerprint(const std::string& fingerprint) const;
  /// Members not removed.
  std::vector<const Member*> current() const;
};

/// A member as a `member` record of a bundle.
nlohmann::json member_record(const Member& m);

Result<std::optional<Team>> load_team(Vault& vault, const std::string& series_uid);
/// Every series with a team, by uid.
Result<std::vector<std::string>> team_series(Vault& vault);
Status save_member(Vault& vault, const std::string& series_uid, const Member& m);
Status set_snapshot_due(Vault& vault, const std::string& series_uid, bool due);

/// The series uid of a meeting or note when that series has a team.
Result<std::optional<std::string>> team_of_meeting(Vault& vault, std::int64_t meeting_id);
Result<std::optional<std::string>> team_of_note(Vault& vault, std::int64_t note_id);

/// How far each device's chain has been applied here (this vault's own device included).
Result<std::map<std::string, ChainLink>> chains(Vault& vault, const std::string& series_uid);
/// The signer a device's bundles are bound to, once one was applied.
Result<std::optional<crypto::Ed25519Public>> chain_signer(Vault& vault, const std::string& series_uid, const std::string& device);
Status set_chain(Vault& vault, const std::string& series_uid, const std::string& device, const ChainLink& link,
                 const std::optional<crypto::Ed25519Public>& signer);

/// Where an epoch of a team began here: the first bundle this vault saw (or wrote) at it.
struct EpochStart {
  std::string device;
  std::int64_t seq = 0;
};
/// Remembers the first bundle seen at `epoch` (2 or more); a later call for the same epoch does nothing.
Status note_epoch_start(Vault& vault, const std::string& series_uid, std::int64_t epoch, const std::string& device, std::int64_t seq);
/// Every epoch begun after the first, by number.
Result<std::map<std::int64_t, EpochStart>> epoch_starts(Vault& vault, const std::string& series_uid);

/// One write of a field.
struct Write {
  std::string change;
  std::string series;
  std::string target, field;
  nlohmann::json value;
  std::int64_t hlc = 0;
  std::string device, author;  ///< the device that made it and its member's fingerprint
  std::optional<std::string> dot_device;  ///< the bundle that carried it first (none: not yet published)
  std::int64_t dot_seq = 0;
  std::vector<std::string> base;  ///< the writes it replaced
  bool lowering = false;          ///< made someone more identifiable: waits for a second member
  std::optional<std::string> confirmed_by;
  bool live = true;  ///< not replaced (standing)
  std::string made_at;
  /// A lowering not yet confirmed does not count.
  bool active() const { return !lowering || confirmed_by.has_value(); }
  FieldWrite for_merge() const { return {change, value, hlc, device, active()}; }
};

/// The writes of one field still standing.
Result<std::vector<Write>> standing(Vault& vault, const std::string& series, const std::string& target, const std::string& field);
/// Every standing write of a series (snapshots).
Result<std::vector<Write>> standing_in_series(Vault& vault, const std::string& series);
/// A write by id, or by a unique prefix of at least 8 digits.
Result<std::optional<Write>> find_write(Vault& vault, const std::string& change);
/// Records a write that is not here yet (by change id); returns whether it was new.
Result<bool> insert_write(Vault& vault, const Write& w);
/// Marks these writes of the field as replaced.
Status retire(Vault& vault, const Write& by);
Status set_live(Vault& vault, const std::string& change, bool live);
Status set_confirmed(Vault& vault, const std::string& change, const std::string& by);
Status set_dot(Vault& vault, const std::string& change, const std::string& device, std::int64_t seq);

/// The merged value of a field and whether it is in conflict.
struct FieldState {
  FieldRule rule = FieldRule::last_writer;
  std::vector<Write> standing;
  nlohmann::json value;
  bool conflict = false;
};
Result<FieldState> field_state(Vault& vault, const std::string& series, const std::string& target, const std::string& field);
/// Writes the merged value into the series' tables (unreported: it is not a new change). Does
/// nothing while the record is not here.
Status refresh(Vault& vault, const std::string& series, const std::string& target, const std::string& field);
/// Applies a write made elsewhere: records it, and unless it is a lowering still waiting for
/// confirmation, retires its base; then refreshes the field. Idempotent.
Status apply_write(Vault& vault, const Write& w);

/// A revision of a shared note: its clock, the device that made it, the revisions it follows.
struct RevisionMeta {
  std::string uid, note_uid, series;
  std::int64_t hlc = 0;
  std::string device;
  std::vector<std::string> parents;
};
Result<std::vector<RevisionMeta>> revisions_of(Vault& vault, const std::string& note_uid);
Status insert_revision_meta(Vault& vault, const RevisionMeta& r);
/// Revisions of a note that no other revision follows (more than one: a conflict).
std::vector<const RevisionMeta*> heads(const std::vector<RevisionMeta>& revisions);
/// The order a shared note's revisions are numbered in: by clock, device, uid (the last is the
/// current text, and causal order is kept because a later revision has a later clock).
void sort_revisions(std::vector<RevisionMeta>& revisions);

/// Remembers which series a deleted or purged note belonged to (a purge leaves nothing else to
/// tell), so that snapshots of the series carry its tombstone.
Status remember_tombstone(Vault& vault, const std::string& note_uid, const std::string& series);

/// JSON helpers for string lists.
nlohmann::json string_list(const std::vector<std::string>& v);
std::vector<std::string> string_list(const nlohmann::json& v);

}  // namespace bc::core::sync
