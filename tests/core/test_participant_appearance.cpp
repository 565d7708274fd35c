// participant_appearance.h: the disclosure preview must say exactly what the summary says.
#include "backchannel/core/participant_appearance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "backchannel/core/demo_vault.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/summary.h"
#include "vault_fixture.h"

namespace bc::core {
namespace {

class ParticipantAppearanceTest : public test::VaultTest {};

TEST_F(ParticipantAppearanceTest, AgreesWithTheSummaryForEveryMeetingAndAudience) {
  ASSERT_TRUE(populate_demo(vault).ok());
  auto meetings = list_meetings(vault);
  ASSERT_TRUE(meetings.ok());
  std::size_t compared = 0;
  for (const auto& m : *meetings) {
    for (Audience audience : kAudiences) {
      auto a = participant_appearances(vault, m.id, audience);
      ASSERT_TRUE(a.ok()) << a.error().message;
      SummaryOptions o;
      o.audience = audience;
      auto s = build_summary(vault, m.id, o);
      if (a->no_summary) {
        EXPECT_FALSE(s.ok());
        continue;
      }
      ASSERT_TRUE(s.ok()) << s.error().message;
      std::map<std::int64_t, std::string> by_id;
      for (const auto& p : a->participants) by_id[p.participant_id] = p.attribution;
      auto notes = list_notes(vault, m.id);
      ASSERT_TRUE(notes.ok());
      std::map<std::int64_t, std::optional<std::int64_t>> speaker_of;
      for (const auto& n : *notes) speaker_of[n.id] = n.speaker_id;
      for (const auto& st : s->statements) {
        const auto speaker = speaker_of.at(st.note_id);
        if (!speaker) continue;
        EXPECT_EQ(st.attribution.label, by_id.at(*speaker)) << "meeting " << m.id << " note " << st.note_id;
        ++compared;
      }
      // The attendance lists the same people.
      std::vector<std::string> named, roles, pseudonyms;
      std::size_t counted = 0;
      for (const auto& p : a->participants) {
        if (p.level == DisclosureLevel::named) named.push_back(p.attendance);
        else if (p.level == DisclosureLevel::pseudonym) pseudonyms.push_back(p.attendance);
        else if (p.level == DisclosureLevel::role && p.attendance.rfind("counted", 0) != 0) roles.push_back(p.attendance);
        else if (p.level != DisclosureLevel::hidden) ++counted;
      }
      std::vector<std::string> expected_pseudonyms = s->attendance.pseudonyms;
      std::sort(pseudonyms.begin(), pseudonyms.end());
      std::sort(expected_pseudonyms.begin(), expected_pseudonyms.end());
      EXPECT_EQ(named, s->attendance.named);
      EXPECT_EQ(roles, s->attendance.roles);
      EXPECT_EQ(pseudonyms, expected_pseudonyms);
      EXPECT_EQ(counted, s->attendance.anonymous_count);
    }
  }
  EXPECT_GT(compared, 50u);
}

TEST_F(ParticipantAppearanceTest, FollowsALevelChange) {
  const std::int64_t meeting = import_sample();
  auto ps = list_participants(vault, meeting);
  ASSERT_TRUE(ps.ok());
  ASSERT_FALSE(ps->empty());
  const Participant& p = ps->front();
  for (DisclosureLevel level : {DisclosureLevel::named, DisclosureLevel::pseudonym, DisclosureLevel::hidden}) {
    ParticipantUpdate u;
    u.disclosure[0] = level;
    ASSERT_TRUE(update_participant(vault, meeting, p.key, u).ok());
    auto a = participant_appearances(vault, meeting, Audience::participants);
    ASSERT_TRUE(a.ok());
    const auto& mine = a->participants.front();
    EXPECT_EQ(mine.key, p.key);
    EXPECT_EQ(mine.level, level);
    switch (level) {
      case DisclosureLevel::named: EXPECT_EQ(mine.attribution, p.name); break;
      case DisclosureLevel::pseudonym: EXPECT_EQ(mine.attribution.rfind("Participant ", 0), 0u); break;
      default: EXPECT_EQ(mine.attribution, "A participant"); EXPECT_EQ(mine.attendance, "not mentioned");
    }
  }
}

TEST_F(ParticipantAppearanceTest, OffTheRecordHasNoPublicSummary) {
  const std::int64_t meeting = import_sample();
  MeetingUpdate u;
  u.rule = Rule::off_the_record;
  ASSERT_TRUE(update_meeting(vault, meeting, u).ok());
  auto a = participant_appearances(vault, meeting, Audience::public_);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->no_summary.has_value());
  auto b = participant_appearances(vault, meeting, Audience::participants);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->no_summary.has_value());
}

TEST_F(ParticipantAppearanceTest, UnknownMeetingIsNotFound) {
  auto a = participant_appearances(vault, 999, Audience::participants);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace bc::core
