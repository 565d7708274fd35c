// Threads (threads.h): creation, links, status history across meetings, who decided, the
// suggestion from a note's text, and the series-wide rules of the series summary.
#include "backchannel/core/threads.h"

#include <gtest/gtest.h>

#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/series_summary.h"
#include "vault_fixture.h"

namespace bc::test {
namespace {

class ThreadsTest : public VaultTest {
 protected:
  void SetUp() override {
    VaultTest::SetUp();
    first = import_sample();
    ASSERT_GT(first, 0);
    auto m1 = core::get_meeting(vault, first);
    ASSERT_TRUE(m1.ok());
    series = m1->series_id;
    core::NewMeeting m{series, "Session 4: groundwater", "2008-10-02T09:00:00Z", {}, {}, {}, {}};
    auto id = core::create_meeting(vault, m);
    ASSERT_TRUE(id.ok()) << id.error().message;
    second = *id;
  }
  std::int64_t note(std::int64_t meeting, const std::string& text) {
    core::NewNote n;
    n.meeting_id = meeting;
    n.kind = core::NoteKind::proposal;
    n.text = text;
    auto id = core::add_note(vault, n);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : 0;
  }
  std::int64_t first = 0, second = 0, series = 0;
};

TEST_F(ThreadsTest, StatusesAreSpelledAsTheCommandLineSpellsThem) {
  for (auto s : core::kThreadStatuses) EXPECT_EQ(core::parse_thread_status(core::to_string(s)), s);
  EXPECT_EQ(core::to_string(core::ThreadStatus::taken_up), "taken-up");
  EXPECT_FALSE(core::parse_thread_status("taken_up").has_value());
  EXPECT_FALSE(core::parse_thread_status("").has_value());
}

TEST_F(ThreadsTest, AThreadKeepsEveryStatusChangeWithItsMeetingAndWhoDecided) {
  auto id = core::add_thread(vault, series, "Joint monitoring of the Helmand basin");
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto fresh = core::get_thread(vault, *id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->status, core::ThreadStatus::raised) << "nothing decided yet";
  EXPECT_TRUE(fresh->history.empty());

  // Decided out of order: the history follows the meetings, not the order of entry.
  ASSERT_TRUE(core::set_thread_status(vault, *id, core::ThreadStatus::agreed, second).ok());
  ASSERT_TRUE(core::set_thread_status(vault, *id, core::ThreadStatus::raised, first).ok());
  ASSERT_TRUE(core::set_thread_status(vault, *id, core::ThreadStatus::discussed, first).ok());
  auto t = core::get_thread(vault, *id);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->history.size(), 3u);
  EXPECT_EQ(t->history[0].meeting_id, first);
  EXPECT_EQ(t->history[0].status, core::ThreadStatus::raised);
  EXPECT_EQ(t->history[1].status, core::ThreadStatus::discussed);
  EXPECT_EQ(t->history[2].meeting_id, second);
  EXPECT_EQ(t->status, core::ThreadStatus::agreed) << "the latest meeting's decision stands";
  const auto me = core::vault_identity(vault);
  ASSERT_TRUE(me.ok());
  for (const auto& c : t->history) {
    EXPECT_EQ(c.decided_by, me->fingerprint);
    EXPECT_EQ(c.decided_at.size(), 20u) << c.decided_at;
  }
  EXPECT_EQ(count("thread_status"), 3);
}

TEST_F(ThreadsTest, LinksAndStatusesStayInsideTheThreadsSeries) {
  auto id = core::add_thread(vault, series, "Data sharing");
  ASSERT_TRUE(id.ok());
  auto other_series = core::ensure_series(vault, "Another dialogue", core::Rule::chatham_house);
  ASSERT_TRUE(other_series.ok());
  auto elsewhere = core::create_meeting(vault, {*other_series, "Elsewhere", "2009-01-01T10:00:00Z", {}, {}, {}, {}});
  ASSERT_TRUE(elsewhere.ok());
  const std::int64_t foreign = note(*elsewhere, "Not this series");
  EXPECT_EQ(core::link_note(vault, *id, foreign).error().code, ErrorCode::bad_input);
  EXPECT_EQ(core::set_thread_status(vault, *id, core::ThreadStatus::agreed, *elsewhere).error().code, ErrorCode::bad_input);
  EXPECT_EQ(core::link_note(vault, 999, foreign).error().code, ErrorCode::not_found);
  EXPECT_EQ(core::link_note(vault, *id, 999).error().code, ErrorCode::not_found);
  EXPECT_EQ(core::add_thread(vault, 999, "x").error().code, ErrorCode::not_found);
  EXPECT_EQ(core::add_thread(vault, series, "").error().code, ErrorCode::bad_input);
  EXPECT_EQ(core::add_thread(vault, series, "two\nlines").error().code, ErrorCode::bad_input);

  const std::int64_t mine = note(second, "Share the gauge data monthly");
  ASSERT_TRUE(core::link_note(vault, *id, mine).ok());
  ASSERT_TRUE(core::link_note(vault, *id, mine).ok()) << "linking twice changes nothing";
  EXPECT_EQ(count("thread_notes"), 1);
  // A deleted note leaves the thread's list; a purged one leaves no link behind.
  ASSERT_TRUE(core::delete_note(vault, mine).ok());
  EXPECT_TRUE(core::get_thread(vault, *id)->note_ids.empty());
  ASSERT_TRUE(core::purge_deleted_notes(vault).ok());
  EXPECT_EQ(count("thread_notes"), 0);
}

TEST_F(ThreadsTest, ANotesTextSuggestsTheThreadWhoseTitleOrNotesShareItsWords) {
  auto dust = core::add_thread(vault, series, "Dust storm early warning");
  auto gauges = core::add_thread(vault, series, "Shared river gauges");
  ASSERT_TRUE(dust.ok() && gauges.ok());
  const std::int64_t linked = note(first, "A joint satellite feed for the Sistan wetlands");
  ASSERT_TRUE(core::link_note(vault, *gauges, linked).ok());

  // By the title's words (any case, any diacritics).
  const std::int64_t about_dust = note(second, "Could the DUST forecasts reach farmers before the storms?");
  auto s = core::suggest_threads(vault, about_dust);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_FALSE(s->empty());
  EXPECT_EQ(s->front().thread_id, *dust);
  EXPECT_EQ(s->front().title, "Dust storm early warning");

  // By the words of the notes already in a thread.
  const std::int64_t about_feed = note(second, "The satellite feed should also cover the wetlands in summer");
  s = core::suggest_threads(vault, about_feed);
  ASSERT_TRUE(s.ok());
  ASSERT_FALSE(s->empty());
  EXPECT_EQ(s->front().thread_id, *gauges);

  // Once linked, a thread is no longer suggested for that note; unrelated text suggests nothing.
  ASSERT_TRUE(core::link_note(vault, *gauges, about_feed).ok());
  s = core::suggest_threads(vault, about_feed);
  ASSERT_TRUE(s.ok());
  for (const auto& x : *s) EXPECT_NE(x.thread_id, *gauges);
  auto none = core::suggest_threads_for_text(vault, series, "Lunch was served at noon.");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  // Text that looks like FTS5 syntax is only words.
  auto syntax = core::suggest_threads_for_text(vault, series, "dust\" OR NEAR(x y) * storm:");
  ASSERT_TRUE(syntax.ok()) << syntax.error().message;
  EXPECT_FALSE(syntax->empty());
}

// Helen Brooks (sample key e) is named to the participants in the sample meeting; in the second
// meeting she attends anonymously. A thread title spans both: she is protected in it, while the
// first meeting's notes still show her name as that meeting allows.
TEST_F(ThreadsTest, ANameAllowedInOneMeetingButProtectedInAnotherIsProtectedInAThreadTitle) {
  core::NewParticipant helen;
  helen.key = "h";
  helen.name = "Helen Brooks";
  helen.affiliation = "UNEP";
  helen.disclosure = {core::DisclosureLevel::anonymous, core::DisclosureLevel::hidden};
  ASSERT_TRUE(core::add_participant(vault, second, helen).ok());
  auto id = core::add_thread(vault, series, "Helen Brooks's proposal on satellite data");
  ASSERT_TRUE(id.ok());
  core::NewNote n;
  n.meeting_id = first;
  n.speaker_key = "e";
  n.kind = core::NoteKind::proposal;
  n.text = "Helen Brooks offered to host the satellite archive.";
  auto nid = core::add_note(vault, n);
  ASSERT_TRUE(nid.ok());
  ASSERT_TRUE(core::link_note(vault, *id, *nid).ok());
  ASSERT_TRUE(core::set_thread_status(vault, *id, core::ThreadStatus::agreed, second).ok());

  auto r = core::produce_series_summary(vault, series, core::Audience::participants, core::SummaryFormat::markdown);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("## A participant's proposal on satellite data"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("Helen Brooks offered to host"), std::string::npos) << "the first meeting names her\n" << r->text;
  EXPECT_NE(r->text.find("Now agreed."), std::string::npos) << r->text;
}

}  // namespace
}  // namespace bc::test
