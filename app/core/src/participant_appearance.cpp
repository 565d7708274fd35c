#include "backchannel/core/participant_appearance.h"

#include "backchannel/core/disclosure_policy.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/pseudonyms.h"

namespace bc::core {

namespace {

constexpr const char* kPersianParticipant = "یکی از شرکت‌کنندگان";

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 32);
  return s;
}

}  // namespace

AppearanceText appearance_text(const Participant& p, DisclosureLevel level, const std::string& letter) {
  AppearanceText t;
  switch (level) {
    case DisclosureLevel::named:
      t.label = t.persian_label = p.name;
      t.attendance_entry = p.affiliation ? p.name + " (" + *p.affiliation + ")" : p.name;
      break;
    case DisclosureLevel::role:
      t.label = p.descriptor.value_or("a participant");
      // In Persian text: the Persian descriptor, else the generic form every other level uses
      // there (an English descriptor inside a Persian sentence reads badly).
      t.persian_label = p.descriptor_fa.value_or(kPersianParticipant);
      t.attendance_entry = p.descriptor;
      t.counted = !p.descriptor;
      break;
    case DisclosureLevel::pseudonym:
      t.label = "Participant " + letter;
      t.persian_label = "شرکت‌کننده " + letter;
      t.attendance_entry = t.label;
      break;
    case DisclosureLevel::anonymous:
      t.label = "a participant";
      t.persian_label = kPersianParticipant;
      t.counted = true;
      break;
    case DisclosureLevel::hidden:
      t.label = "a participant";
      t.persian_label = kPersianParticipant;
      break;
  }
  t.attribution = capitalized(t.label);
  return t;
}

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
    const auto it = letters.find(p.id);
    const AppearanceText text = appearance_text(p, a.level, it == letters.end() ? std::string() : it->second);
    a.attribution = text.attribution;
    if (text.attendance_entry) a.attendance = *text.attendance_entry;
    else if (a.level == DisclosureLevel::role) a.attendance = "counted as one of the other participants (no descriptor)";
    else if (text.counted) a.attendance = "counted as one of the other participants";
    else a.attendance = "not mentioned";
    out.participants.push_back(std::move(a));
  }
  return out;
}

}  // namespace bc::core
