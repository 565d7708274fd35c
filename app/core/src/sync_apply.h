// Applying the records of a verified bundle to a vault (docs/sync.md, "Applying"), and the
// records of a snapshot of a series. A changes bundle is applied record by record, each write
// retiring the writes it names; a snapshot is merged as state: a standing write that the other
// side had seen (its bundle is covered) and no longer has was replaced there, and goes here too.
// Every record must belong to the bundle's series. The caller holds the transaction and keeps
// the writes unreported.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "backchannel/core/vault.h"
#include "backchannel/crypto/identity_keys.h"
#include "sync_bundle.h"

namespace bc::core::sync {

struct ApplyContext {
  std::string series;
  std::string device;  ///< the bundle's device
  std::int64_t seq = 0;
  crypto::Ed25519Public signer{};
  std::string author;  ///< the signer's fingerprint
  bool snapshot = false;
  std::map<std::string, ChainLink> covers;   ///< snapshot: what its state includes (its own device at seq)
  std::map<std::string, ChainLink> applied;  ///< this vault's chains before the bundle
  std::string own_fingerprint;
  // What happened, for the engine:
  bool purged = false;         ///< notes were purged (their text must leave this vault's bundles too)
  bool members_added = false;  ///< someone joined (this vault's next bundle is a snapshot they can read)
  std::vector<std::string> notices;
};

/// Applies every record in order. A record that breaks the format or reaches outside the series
/// fails the whole bundle (the caller rolls back).
Status apply_records(Vault& vault, const std::vector<nlohmann::json>& records, ApplyContext& ctx);

/// The state of a series as snapshot records: team and members, the series, its meetings, their
/// participants and attendance, every standing write, the live notes with all revisions, and the
/// tombstones of its deleted and purged notes (never their text).
Result<std::vector<nlohmann::json>> snapshot_records(Vault& vault, const std::string& series_uid);

}  // namespace bc::core::sync
