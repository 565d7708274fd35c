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

/// How one participant appears at an effective disclosure level: the one table behind both the
/// summaries and the disclosure preview (docs/anonymization.md, "Levels, per audience").
struct AppearanceText {
  /// In running text, as the summary writes it in place of their name: "Daniel Okonkwo",
  /// "a former senior U.S. diplomat", "Participant C", "a participant".
  std::string label;
  /// The same inside a sentence in Arabic script: "شرکت‌کننده C", "یکی از شرکت‌کنندگان", the
  /// Persian descriptor at the role level (without one, "یکی از شرکت‌کنندگان"), names as written.
  std::string persian_label;
  /// At the head of one of their statements: the label with a capital initial.
  std::string attribution;
  /// How the attendance lists them ("Name (Affiliation)", the descriptor, "Participant C"), or
  /// nothing when they are only counted among the other participants or not mentioned at all.
  std::optional<std::string> attendance_entry;
  /// Counted among the unnamed participants (anonymous, or a role with no descriptor).
  bool counted = false;
};
/// `pseudonym_letter` is used at the pseudonym level only.
AppearanceText appearance_text(const Participant& participant, DisclosureLevel level, const std::string& pseudonym_letter);

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
