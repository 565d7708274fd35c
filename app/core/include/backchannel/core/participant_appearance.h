// How each participant of a meeting appears in a summary for one audience, without building the
// summary: what the disclosure matrix previews while the organizer changes levels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// One participant as a summary for one audience shows them.
struct ParticipantAppearance {
  std::int64_t participant_id = 0;
  std::string key;
  /// The level that applies after the meeting's rule (an on-background meeting never names
  /// anyone to the public).
  DisclosureLevel level = DisclosureLevel::anonymous;
  /// How their statements are attributed, exactly as build_summary writes it:
  /// "Katherine Holloway", "A former senior U.S. diplomat", "Participant C", "A participant".
  std::string attribution;
  /// How the attendance lists them: "Name (Affiliation)", the descriptor, "Participant C",
  /// "counted as one of the other participants", or "not mentioned" (hidden).
  std::string attendance;
};

/// Every participant of a meeting for one audience, in attendance order.
struct AudienceAppearance {
  Audience audience = Audience::participants;
  /// Set when the rule allows no summary for this audience (off the record, public): why.
  std::optional<std::string> no_summary;
  std::vector<ParticipantAppearance> participants;
};

/// Computes the appearances with the same levels and pseudonym letters as a summary of the meeting
/// for `audience` (per-summary letters; stable series letters are assigned only when a summary is
/// made). Reads the meeting and its participants only, not the notes: cheap enough to run on
/// every change.
Result<AudienceAppearance> participant_appearances(Vault& vault, std::int64_t meeting_id, Audience audience);

}  // namespace bc::core
