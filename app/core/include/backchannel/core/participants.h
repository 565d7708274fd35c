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
};
Status update_participant(Vault& vault, std::int64_t meeting_id, std::string_view key, const ParticipantUpdate& u);

}  // namespace bc::core
