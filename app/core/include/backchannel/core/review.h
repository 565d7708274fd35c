// The participant review loop: summary packages sent to participants (each encrypted to one
// participant and signed by the organizer), the participant's inbox and review, and the
// organizer's view of the responses (docs/archive-format.md, "Packages and responses").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"
#include "backchannel/crypto/age.h"

namespace bc::core {

// ---- organizer: packages ----

/// One participant to send a summary to.
struct PackageTarget {
  std::string key;                       ///< participant key in the meeting
  std::optional<std::string> recipient;  ///< age1...; defaults to the participant's stored recipient
};

struct PackageFile {
  std::string key;
  std::filesystem::path path;
};

/// Builds each target's own copy of the summary (their statements marked), checks every copy
/// with the leak scanner before writing any file, then writes one age file per participant into
/// `dir`, encrypted to that participant only and signed by this vault. File names carry no names.
Result<std::vector<PackageFile>> package_summaries(Vault& vault, std::int64_t meeting_id, Audience audience,
                                                   const std::vector<PackageTarget>& targets,
                                                   const std::filesystem::path& dir);

// ---- participant: inbox and review ----

struct InboxEntry {
  std::int64_t id = 0;
  std::string series;
  std::string meeting;
  std::string date;
  std::string sender_fingerprint;
  std::string received_at;
  std::size_t statements = 0;
  std::size_t reviewed = 0;  ///< statements approved or corrected so far
};

struct ImportedPackage {
  std::int64_t inbox_id = 0;
  bool already_present = false;
  std::string sender_fingerprint;
};

/// Decrypts a package with this vault's identity and verifies the organizer's signature. A signer
/// this vault does not trust for packages is refused with its fingerprint, unless that verified
/// fingerprint is `trust_fingerprint` (then it is trusted for packages, and for nothing else).
Result<ImportedPackage> import_package(Vault& vault, const crypto::age::ReadFn& in,
                                       const std::optional<std::string>& trust_fingerprint);
Result<std::vector<InboxEntry>> list_inbox(Vault& vault);

/// A statement of a received summary with this vault's review of it.
struct ReviewStatement {
  std::size_t number = 0;  ///< 1-based, as `inbox show` prints it
  std::string note_uid;
  std::string section;     ///< key_points, discussion, next_steps
  std::string kind;
  std::string attribution;
  std::string text;
  bool own = false;
  std::optional<std::string> action;      ///< "approve" or "correct"
  std::optional<std::string> correction;  ///< the corrected text
};

struct InboxItem {
  InboxEntry entry;
  std::string summary_json;  ///< the summary as received (backchannel.summary/1)
  std::vector<ReviewStatement> statements;
  std::optional<std::string> comment;
};
Result<InboxItem> get_inbox_item(Vault& vault, std::int64_t inbox_id);

/// Statement references: the number shown by `inbox show`, or a note uid.
struct ReviewChanges {
  std::vector<std::string> approve;
  std::vector<std::pair<std::string, std::string>> correct;  ///< reference, corrected text
  std::optional<std::string> comment;
};
Status record_review(Vault& vault, std::int64_t inbox_id, const ReviewChanges& changes);

/// Writes the review as an age file encrypted to the organizer and signed by this vault.
Status export_review(Vault& vault, std::int64_t inbox_id, const crypto::age::WriteFn& out, bool armor = false);

// ---- organizer: responses ----

struct ResponseImport {
  std::string participant_key;
  std::int64_t meeting_id = 0;
  bool already_present = false;
};

/// Decrypts a response, checks that it answers a package this vault sent (the response carries
/// the package's reply token, which only its recipient could read) and that its signer is the
/// participant's pinned key, then stores it. A participant's first response is refused with the
/// signer's fingerprint unless that is `trust_fingerprint`, which then pins the key.
Result<ResponseImport> import_response(Vault& vault, const crypto::age::ReadFn& in,
                                       const std::optional<std::string>& trust_fingerprint = std::nullopt);

struct ParticipantResponse {
  std::string key;
  bool package_sent = false;
  bool responded = false;
  std::vector<std::int64_t> approved;                            ///< note ids
  std::vector<std::pair<std::int64_t, std::string>> corrections;  ///< note id, corrected text
  std::optional<std::string> comment;
};
Result<std::vector<ParticipantResponse>> meeting_responses(Vault& vault, std::int64_t meeting_id);

}  // namespace bc::core
