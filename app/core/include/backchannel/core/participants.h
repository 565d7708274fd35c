// Participants of a meeting and their disclosure levels.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// The participants of a meeting, in attendance order.
Result<std::vector<Participant>> list_participants(Vault& vault, std::int64_t meeting_id);
/// One participant of a meeting by key; ErrorCode::not_found if absent.
Result<Participant> find_participant(Vault& vault, std::int64_t meeting_id, std::string_view key);

/// A new participant of a meeting.
struct NewParticipant {
  std::string key;
  std::string name;
  std::optional<std::string> affiliation;
  std::optional<std::string> delegation;
  std::optional<std::string> descriptor;
  std::vector<std::string> aliases;
  std::array<DisclosureLevel, 2> disclosure{DisclosureLevel::anonymous, DisclosureLevel::anonymous};
  std::optional<std::string> descriptor_fa;  ///< the descriptor in Persian
  std::vector<ShortFormRule> short_forms;    ///< the organizer's rulings on short forms
};
/// Adds a participant to a meeting; returns the participant id.
Result<std::int64_t> add_participant(Vault& vault, std::int64_t meeting_id, const NewParticipant& p);

/// A change to a participant of a meeting; unset fields stay as they are.
struct ParticipantUpdate {
  std::optional<std::string> name;
  std::optional<std::string> affiliation;
  std::optional<std::string> delegation;
  std::optional<std::string> descriptor;
  std::optional<std::vector<std::string>> aliases;  ///< replaces the whole list
  std::optional<DisclosureLevel> disclosure[2];
  std::optional<std::string> recipient;  ///< an age1... recipient
  std::optional<std::string> descriptor_fa;  ///< empty: clears it
  std::optional<std::vector<ShortFormRule>> short_forms;  ///< replaces the whole list
};
Status update_participant(Vault& vault, std::int64_t meeting_id, std::string_view key, const ParticipantUpdate& u);

/// `rules` with `changes` applied in order: a change replaces the ruling on the same form (same
/// kind, same text after normalization) or is added after the others; a change with no `use`
/// removes the ruling (the derived rule applies again).
struct ShortFormChange {
  ShortFormOf of = ShortFormOf::name;
  std::string form;
  std::optional<ShortFormUse> use;
};
std::vector<ShortFormRule> apply_short_form_changes(std::vector<ShortFormRule> rules,
                                                    const std::vector<ShortFormChange>& changes);

/// Checks a list of rulings: each form valid short text, at most Limits::kMaxShortForms, no form
/// ruled twice (same kind and same text after normalization).
Status validate_short_forms(std::string_view path, const std::vector<ShortFormRule>& rules);

}  // namespace bc::core
