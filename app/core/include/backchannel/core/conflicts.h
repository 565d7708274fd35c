// Conflicts in shared series (docs/sync.md, "Conflicts"): two members changed the same field,
// or edited the same note, without seeing each other's change. Both sides are kept; the merged
// value stands meanwhile (the later write, or for a disclosure level the more protective one),
// until a person keeps one side.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/vault.h"

namespace bc::core {

struct ConflictSide {
  std::string value;   ///< a field's value ("" for none), or a revision's text
  std::string change;  ///< the write's change id, or the revision uid
  std::string author_fingerprint;  ///< fields only
  std::string at;      ///< when it was made, by its hybrid clock (RFC 3339)
};

struct Conflict {
  std::string id;                ///< stable: the same in every vault of the team
  std::int64_t series_id = 0;
  std::string kind;              ///< "field" or "note"
  std::int64_t meeting_id = 0;   ///< the meeting (fields of meetings and attendance, notes)
  std::int64_t participant_id = 0;
  std::string participant_key;   ///< attendance fields: the key in that meeting
  std::int64_t note_id = 0;
  std::string field;             ///< fields: e.g. "disclosure.public", "location", "name"
  std::string current;           ///< what stands meanwhile
  std::vector<ConflictSide> sides;
};

Result<std::vector<Conflict>> list_conflicts(Vault& vault);

/// Keeps one side: `keep` is one of the sides' values (fields) or revision uids (notes, at least
/// 8 digits). A field kept at a less protective level than the one standing is a lowering and,
/// in a team of two or more, waits for a second member's confirmation.
Status resolve_conflict(Vault& vault, std::string_view id, std::string_view keep);

}  // namespace bc::core
