// Inside core only: the audit chain on a database and a MAC key, for the steps that are not
// done through an open Vault (re-keying writes the chain of the new database under the new key).
#pragma once

#include <string_view>

#include "backchannel/core/audit_log.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/storage/database.h"

namespace bc::core {

/// Appends an entry to the chain in `db` under `key`. Call inside the transaction of the change.
Status append_audit_entry(storage::Database& db, const crypto::SecureBuffer& key, std::string_view action,
                          std::string_view subject);
/// Verifies every MAC and link of the chain in `db` under `key`.
Result<AuditReport> verify_audit_chain(storage::Database& db, const crypto::SecureBuffer& key);
/// Verifies the chain under `old_key`, then recomputes every link and MAC under `new_key`
/// (entries keep their sequence, time, action and subject). A broken chain is refused, not
/// re-sealed.
Status reseal_audit_chain(storage::Database& db, const crypto::SecureBuffer& old_key,
                          const crypto::SecureBuffer& new_key);

}  // namespace bc::core
