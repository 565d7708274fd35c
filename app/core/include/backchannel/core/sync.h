// Team sync over a folder (docs/sync.md): `sync_once` publishes this vault's changes to shared
// series as bundles in the folder and applies the bundles other devices left there. Any engine
// that replicates a folder carries them (Syncthing, Nextcloud, rclone, a USB stick); sync needs
// no server and trusts no machine that carries the files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/team.h"
#include "backchannel/core/vault.h"

namespace bc::core {

struct SyncOptions {
  /// Milliseconds since 1970; the system clock when unset. A bundle whose clock is more than a
  /// day ahead of it is held.
  std::function<std::int64_t()> clock;
  /// Once this device has this many bundles of a series in the folder, it writes a snapshot and
  /// deletes its older ones.
  std::size_t compact_after = 64;
};

struct SyncReport {
  std::size_t published = 0;  ///< bundles written
  std::size_t applied = 0;    ///< bundles applied
  std::size_t pending = 0;    ///< verified bundles waiting: for an earlier bundle, a signer to accept, a clock to catch up
  std::size_t refused = 0;    ///< bundles that will never be applied
  std::size_t conflicts = 0;  ///< open conflicts after this sync
  /// A bundle failed to decrypt, parse or verify, or was moved, replayed or re-encrypted.
  bool integrity_failure = false;
  std::vector<std::string> refusals;  ///< "SERIES/DEVICE/SEQ.age: why", names shortened to 8 digits
  std::vector<std::string> notices;   ///< held bundles, signers to accept, re-enrolment
  std::vector<std::string> signers_to_accept;  ///< fingerprints of signers whose bundles wait for `team accept`
};

/// One round: re-enrols the device if this vault was copied, publishes, applies, publishes again
/// where applying asked for it (a purge, a new member). Each bundle is applied in its own
/// transaction, once. ErrorCode::bad_input when `folder` is not a folder.
Result<SyncReport> sync_once(Vault& vault, const std::filesystem::path& folder, const SyncOptions& options = {});

/// Whether any change to a shared series waits to be published.
Result<bool> has_unpublished_changes(Vault& vault);

struct DeviceStatus {
  std::string device;
  std::string member_fingerprint;  ///< "" while none of its bundles was applied
  std::int64_t applied = 0;        ///< the last bundle applied here (this vault: published)
  std::int64_t in_folder = 0;      ///< the last bundle in the folder
  bool own = false;
};

struct SeriesSyncStatus {
  std::int64_t series_id = 0;
  std::string series_uid, series_title;
  std::string digest;  ///< 64 hex digits: equal in two vaults that hold the same series
  TeamInfo team;
  std::vector<DeviceStatus> devices;
  std::size_t unpublished_changes = 0;
  std::size_t conflicts = 0;
  std::vector<PendingConfirmation> pending_confirmations;
};

/// Every shared series with its digest, members, devices (with how far behind the folder this
/// vault is), unpublished changes and conflicts. The folder is only read.
Result<std::vector<SeriesSyncStatus>> sync_status(Vault& vault, const std::filesystem::path& folder);

/// The convergence digest of a shared series: SHA-256 over its records as they stand (uids, not
/// local ids), its live notes with their revisions in order, its tombstones, its members and the
/// writes standing on each field.
Result<std::string> series_digest(Vault& vault, const std::string& series_uid);

}  // namespace bc::core
