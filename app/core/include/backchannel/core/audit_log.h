// The audit log: an append-only list of what was done to the vault, hash-chained under the
// vault's audit MAC key so that removing, reordering or editing an entry is detected.
// Entries name actions and record ids only, never names or note text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/vault.h"

namespace bc::core {

/// One entry.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string action;   ///< e.g. "note.add"
  std::string subject;  ///< e.g. "note 42"
};

/// Appends an entry. Call inside the transaction that makes the change it records.
Status append_audit(Vault& vault, std::string_view action, std::string_view subject);

/// The last `limit` entries, newest first.
Result<std::vector<AuditEntry>> recent_audit_entries(Vault& vault, std::size_t limit);

/// The result of checking the whole chain.
struct AuditReport {
  std::int64_t entries = 0;
};
/// Verifies every entry's MAC and the chain; a break is ErrorCode::integrity naming the entry.
Result<AuditReport> verify_audit_log(Vault& vault);

}  // namespace bc::core
