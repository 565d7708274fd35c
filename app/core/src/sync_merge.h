// Team sync's merge rules for the fields of meetings, participants and attendance
// (docs/sync.md, "Merge rules"), as pure functions of the writes a vault holds for one field:
// last writer wins by the hybrid clock; disclosure levels fail safe (the most protective wins), and
// so do short-form rulings (per form) and the Persian descriptor (the generic form while writes
// disagree); aliases merge as a union; public terms as an intersection. Which writes are concurrent is
// decided elsewhere, from causal context (each write names the writes it replaced); these
// functions only combine the writes that are still standing.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bc::core::sync {

/// How concurrent writes of one field combine.
enum class FieldRule {
  last_writer,   ///< the write with the greatest (hlc, device, change) wins; the others are a conflict
  protective,    ///< the most protective level wins, whatever the clocks; the others are a conflict
  union_set,     ///< every value of every write (aliases: no name escapes redaction)
  intersection,  ///< only values in every write (public terms: nothing becomes public by a merge)
  rulings,       ///< short-form rulings: per form, the most protective ruling ("alone" over none over "not-alone")
  withheld,      ///< a descriptor: while writes disagree, none (the generic form); the others are a conflict
};

/// What a field is: the kind of record it belongs to ("meeting", "participant", "attendance")
/// and its rule. Unknown fields are refused by the readers.
struct FieldInfo {
  std::string_view record;
  FieldRule rule;
};
/// The rule of `field` of a record of kind `record`; false when there is no such field.
bool field_info(std::string_view record, std::string_view field, FieldInfo& out);

/// One write of a field, as far as merging needs it.
struct FieldWrite {
  std::string change;  ///< its id
  nlohmann::json value;
  std::int64_t hlc = 0;
  std::string device;
  bool active = true;  ///< false: a lowering still waiting for a second member's confirmation
};

/// The order of last-writer-wins: by hybrid clock, then device id, then change id (all vaults
/// order the same writes the same way).
bool write_before(const FieldWrite& a, const FieldWrite& b);

/// How protective a disclosure level is: named 0, role 1, pseudonym 2, anonymous 3, hidden 4
/// (location levels: named 0, hidden 4). -1 for anything else.
int protection(std::string_view level);

/// The value a field takes from the writes still standing (inactive ones are ignored). With no
/// active write, null.
nlohmann::json effective_value(FieldRule rule, const std::vector<FieldWrite>& standing);

/// Whether the active standing writes disagree in a way a person must settle (last writer and
/// protective fields with two or more different values; unions and intersections never).
bool in_conflict(FieldRule rule, const std::vector<FieldWrite>& standing);

/// Whether setting a field from `from` (its value now) to `to` makes someone more identifiable,
/// which takes a second member's confirmation: a lower disclosure level, always; while the field
/// is in conflict (resolving it, or writing it while it is open), also a short-form ruling less
/// protective than the merged one ("alone" dropped or turned into "not-alone", a new
/// "not-alone") and a Persian descriptor where the generic form stands.
bool is_lowering(FieldRule rule, const nlohmann::json& from, const nlohmann::json& to, bool in_conflict);

/// A field's value as a person reads and types it (`conflicts`, `conflicts resolve --keep`,
/// pending confirmations): a text as it is, none as the empty text, a list as canonical JSON.
std::string display_value(const nlohmann::json& v);

}  // namespace bc::core::sync
