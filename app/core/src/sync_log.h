// Team sync's change log (docs/sync.md, "Change log"): the change observer that every vault
// connection gets when it is opened. For a write to a series that has a team, it appends a change
// record to `sync_changes` inside the same transaction as the write (an error fails the write),
// and records the write's version (sync_state.h) so that the merge rules can tell what it
// replaced. A lowering of a disclosure level in a team of two or more is recorded as waiting
// for a second member, and the level that stood is put back at once.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/vault.h"

namespace bc::core::sync {

/// Makes this connection's record writes go to the change log. Called by Vault::open, create and
/// another_connection.
void install_change_log(Vault& vault);

/// Appends a change record for publication. `note_uid`: the note whose text the record holds
/// (so that a purge can drop it before it is ever published).
Status log_change(Vault& vault, const std::string& series_uid, const nlohmann::json& record,
                  const std::optional<std::string>& note_uid = std::nullopt);

/// Brings an existing series under the log when its team is created: every field of its
/// meetings, participants and attendance gets a first write, and every revision of its notes a
/// clock, in their present order. Nothing is logged: the team's first bundle is a snapshot.
Status adopt_series(Vault& vault, const std::string& series_uid);

/// The id of the write a creation record makes for one of its fields (the same in every vault).
std::string initial_write_id(const std::string& change, const std::string& field);

/// Logs a new local revision of a shared note that follows `parents` (a conflict resolution
/// follows every head; an edit follows the current revision, which the observer does itself).
Status log_revision(Vault& vault, const std::string& series_uid, const std::string& note_uid, const std::string& revision_uid,
                    const std::vector<std::string>& parents);

}  // namespace bc::core::sync
