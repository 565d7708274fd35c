#include "backchannel/core/note_origin.h"

#include "vault_store_access.h"

namespace bc::core {

Result<std::unordered_map<std::int64_t, NoteOrigin>> notes_from_other_devices(Vault& vault, std::int64_t meeting_id) {
  // The revision without parents is the note's first; its device wrote the note. The member is
  // found through the key that signed that device's chain in this series.
  BC_ASSIGN(storage::CachedStatement st,
            vault_store(vault).db().cached(
                "SELECT n.id, r.device, "
                "  (SELECT m.fingerprint FROM sync_chains c JOIN sync_members m "
                "     ON m.series_uid = c.series_uid AND m.signing_key = c.signer "
                "   WHERE c.series_uid = r.series_uid AND c.device = r.device) "
                "FROM notes n JOIN sync_revisions r ON r.note_uid = n.uid "
                "WHERE n.meeting_id = ? AND n.deleted_at IS NULL AND r.parents = '[]' "
                "  AND r.device NOT IN (SELECT device FROM sync_self UNION SELECT device FROM sync_former_devices)"));
  st->bind(1, meeting_id);
  std::unordered_map<std::int64_t, NoteOrigin> out;
  while (true) {
    BC_ASSIGN(bool row, st->step());
    if (!row) break;
    out[st->column_int64(0)] = NoteOrigin{st->column_string(1), st->column_optional_string(2).value_or("")};
  }
  return out;
}

}  // namespace bc::core
