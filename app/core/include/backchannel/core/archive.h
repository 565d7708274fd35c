// Encrypted archives: a signed export of meetings (with their series, participants, policies,
// notes and every revision) in an age file, and their merge into another vault by record uid
// (docs/archive-format.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/vault.h"
#include "backchannel/crypto/age.h"

namespace bc::core {

struct ExportOptions {
  /// The meetings to export; empty means every meeting.
  std::vector<std::int64_t> meeting_ids;
  std::vector<crypto::age::Recipient> recipients;
  bool armor = false;
  crypto::age::ProgressFn progress;
};

struct ExportReport {
  std::size_t series = 0, meetings = 0, participants = 0, notes = 0, revisions = 0;
};

/// Writes the archive to `out`. The caller writes it to a temporary file and keeps it only on
/// success.
Result<ExportReport> export_archive(Vault& vault, const ExportOptions& options, const crypto::age::WriteFn& out);

struct ImportOptions {
  /// Besides the vault's own identity (e.g. the passphrase of a passphrase archive).
  std::vector<crypto::age::Identity> identities;
  /// Accept a signer this vault does not trust for archives yet when its verified fingerprint is
  /// this one (compared in person), and trust it for archives from now on.
  std::optional<std::string> trust_fingerprint;
  crypto::age::ProgressFn progress;
};

struct ImportReport {
  std::string signer_fingerprint;
  bool signer_newly_trusted = false;
  std::size_t series_added = 0, meetings_added = 0, participants_added = 0, notes_added = 0, revisions_added = 0;
  /// Notes edited both here and in the archive's vault: both revisions are kept, the local
  /// text stays current. Local note ids.
  std::vector<std::int64_t> conflicting_notes;
  /// Meetings and participants whose details differ between the two vaults (local kept).
  std::vector<std::string> differences;
  /// Notes of the archive that were deleted or purged in this vault: the deletion wins over the
  /// older copy, so they were not brought back (nor their revisions merged).
  std::size_t notes_deleted_here = 0;
  /// The archive names no recipients (written before archives did) and this vault signed it: one
  /// of its own older backups, accepted with a warning (docs/archive-format.md, "Older files").
  bool unaddressed_own_backup = false;
  bool changed() const {
    return series_added + meetings_added + participants_added + notes_added + revisions_added > 0 || signer_newly_trusted;
  }
};

/// Decrypts, reads and merges an archive in one transaction, committed only when the whole file
/// was read and its signature verified. Importing the same archive twice changes nothing.
Result<ImportReport> import_archive(Vault& vault, const crypto::age::ReadFn& in, const ImportOptions& options);

}  // namespace bc::core
