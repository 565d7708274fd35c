// Teams: the organizers who share one dialogue series (docs/sync.md, "Teams"). The vault that
// creates a team is its convenor and the only one that adds and removes members; every member
// is an organizer. Members are vault identities (age recipient plus Ed25519 signing key),
// added only when the fingerprint recomputed from the two keys equals the one compared in
// person. A member's vault accepts the convenor's signing key for team bundles (and nothing
// else) with accept_team_signer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/vault.h"

namespace bc::core {

/// Another vault's public identity, as `identity --json` prints it.
struct MemberIdentity {
  std::string recipient;    ///< age1...
  std::string signing_key;  ///< ed25519:...
  std::string fingerprint;  ///< as the file states it
};
/// Parses `identity --json` output. ErrorCode::bad_input when it is not one.
Result<MemberIdentity> parse_member_identity(std::string_view json_text);

struct TeamMember {
  std::string fingerprint, recipient, signing_key;
  std::string role;  ///< "convenor" or "organizer"
  std::int64_t added_epoch = 1;
  std::optional<std::int64_t> removed_epoch;
  bool is_self = false;
};

struct TeamInfo {
  std::int64_t series_id = 0;
  std::string series_uid, series_title;
  std::int64_t epoch = 1;
  std::string convenor_fingerprint;
  bool self_is_convenor = false;
  std::vector<TeamMember> members;
};

/// Shares a series: this vault becomes the convenor and only member, and its next sync publishes
/// the whole series as a snapshot. ErrorCode::conflict if the series has a team already.
Status create_team(Vault& vault, std::int64_t series_id);

/// Adds a member (convenor only). `expected_fingerprint` is what the new member read out in
/// person; the fingerprint is recomputed from the two keys and both must equal it, or nothing
/// is added (ErrorCode::auth_failed). The next sync publishes a snapshot they can read.
Status add_team_member(Vault& vault, std::int64_t series_id, const MemberIdentity& identity,
                       std::string_view expected_fingerprint);

/// Removes a member (convenor only) and starts a new epoch: later bundles are no longer
/// encrypted to them. What they already received stays with them.
Status remove_team_member(Vault& vault, std::int64_t series_id, std::string_view fingerprint);

/// Trusts the signing key with this fingerprint for team bundles only. The key must have been
/// seen on a bundle addressed to this vault (sync lists them); ErrorCode::not_found otherwise.
Status accept_team_signer(Vault& vault, std::string_view fingerprint);

/// Every team this vault is part of.
Result<std::vector<TeamInfo>> list_teams(Vault& vault);

/// A change that makes someone more identifiable, waiting for a second member.
struct PendingConfirmation {
  std::string change;
  std::int64_t series_id = 0;
  std::int64_t meeting_id = 0;         ///< 0 for a participant's own field
  std::string participant_key;         ///< "" for a meeting field
  std::string field;                   ///< e.g. "disclosure.public", "location_public"
  std::string from, to;                ///< the level that stands and the one asked for
  std::string author_fingerprint;
  bool confirmable_here = false;       ///< this vault is another member than its author
};
Result<std::vector<PendingConfirmation>> pending_confirmations(Vault& vault);

/// A second member's confirmation of a lowering (the change id, or a unique prefix of at least
/// 8 digits). It takes effect here at once and travels with the next sync. ErrorCode::conflict
/// when this vault made the change itself.
Status confirm_change(Vault& vault, std::string_view change);

}  // namespace bc::core
