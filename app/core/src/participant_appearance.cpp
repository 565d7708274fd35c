#include "backchannel/core/participant_appearance.h"

#include "backchannel/core/disclosure_policy.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/pseudonyms.h"

namespace bc::core {

namespace {

// As the summary builder capitalizes an attribution at the start of a statement.
std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 32);
  return s;
}

}  // namespace

Result<AudienceAppearance> participant_appearances(Vault& vault, std::int64_t meeting_id, Audience audience) {
  AudienceAppearance out;
  out.audience = audience;
  BC_ASSIGN(Meeting meeting, get_meeting(vault, meeting_id));
  BC_ASSIGN(std::vector<Participant> participants, list_participants(vault, meeting_id));
  if (auto allowed = summary_allowed(meeting, audience); !allowed) out.no_summary = allowed.error().message;

  std::vector<DisclosureLevel> levels;
  std::vector<const Participant*> pseudonymous;
  for (const auto& p : participants) {
    levels.push_back(effective_level(meeting, p, audience));
    if (levels.back() == DisclosureLevel::pseudonym) pseudonymous.push_back(&p);
  }
  const auto letters = summary_pseudonyms(vault, meeting, audience, pseudonymous);

  for (std::size_t i = 0; i < participants.size(); ++i) {
    const Participant& p = participants[i];
    ParticipantAppearance a;
    a.participant_id = p.id;
    a.key = p.key;
    a.level = levels[i];
    // The same table as the summary builder (docs/anonymization.md, "Levels, per audience");
    // tests/core/test_participant_appearance.cpp checks the two agree.
    switch (a.level) {
      case DisclosureLevel::named:
        a.attribution = p.name;
        a.attendance = p.affiliation ? p.name + " (" + *p.affiliation + ")" : p.name;
        break;
      case DisclosureLevel::role:
        a.attribution = capitalized(p.descriptor.value_or("a participant"));
        a.attendance = p.descriptor ? *p.descriptor : "counted as one of the other participants (no descriptor)";
        break;
      case DisclosureLevel::pseudonym:
        a.attribution = "Participant " + letters.at(p.id);
        a.attendance = a.attribution;
        break;
      case DisclosureLevel::anonymous:
        a.attribution = "A participant";
        a.attendance = "counted as one of the other participants";
        break;
      case DisclosureLevel::hidden:
        a.attribution = "A participant";
        a.attendance = "not mentioned";
        break;
    }
    out.participants.push_back(std::move(a));
  }
  return out;
}

}  // namespace bc::core
