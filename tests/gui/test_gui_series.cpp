// Threads in the desktop client, headless: the composer's Ctrl+T with the suggestion from the
// text, "Add to thread…" in the note log's menu, and the series view (tab "Series", Ctrl+G) with
// its timeline and the attendance each audience may see, and a status recorded from it by keyboard
// and by mouse (refused in a team series this vault may not decide for), checked against what was
// drawn and against the vault through the core API.
#include <gtest/gtest.h>

#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/team.h"
#include "backchannel/core/threads.h"
#include "backchannel/core/vault.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/note_composer.h"
#include "backchannel/gui/note_log_view.h"
#include "backchannel/gui/series_view.h"
#include "backchannel/gui/start_view.h"
#include "gui_harness.h"
#include "gui_sample.h"
#include "sync_state.h"
#include "test_support.h"

namespace bc::test {
namespace {

namespace keys = gui::keys;
constexpr const char* kPass = "Kestrel lantern quartz 4417";

// The sample meeting ("Round Three") and a fourth round; two threads, one agreed in round four.
class GuiSeriesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(core::Vault::initialize_libraries().ok()); }
  void SetUp() override {
    vault_dir = (dir / "vault").string();
    auto c = core::Vault::create(vault_dir, secret(kPass), crypto::KdfProfile::interactive);
    ASSERT_TRUE(c.ok()) << c.error().message;
    core::Vault& v = c->vault;
    ASSERT_NO_FATAL_FAILURE(add_sample_meeting(v, meeting));
    series = core::get_meeting(v, meeting)->series_id;
    auto m4 = core::create_meeting(v, {series, "Round Four", "2024-11-12T09:00:00Z", {}, {}, {}, {}});
    ASSERT_TRUE(m4.ok());
    round4 = *m4;
    core::NewParticipant p;
    p.key = "q";
    p.name = "Quintus Arlow";
    p.disclosure = {core::DisclosureLevel::named, core::DisclosureLevel::hidden};
    ASSERT_TRUE(core::add_participant(v, round4, p).ok());
    auto hotline = core::add_thread(v, series, "Coast guard hotline");
    auto fishing = core::add_thread(v, series, "Fishing quota exchange");
    ASSERT_TRUE(hotline.ok() && fishing.ok());
    hotline_ = *hotline;
    fishing_ = *fishing;
    ASSERT_TRUE(core::set_thread_status(v, hotline_, core::ThreadStatus::raised, meeting).ok());
    ASSERT_TRUE(core::set_thread_status(v, hotline_, core::ThreadStatus::agreed, round4).ok());
    core::NewNote n;
    n.meeting_id = meeting;
    n.text = "The hotline should connect both coast guard headquarters.";
    auto id = core::add_note(v, n);
    ASSERT_TRUE(id.ok());
    first_note = *id;
    ASSERT_TRUE(core::link_note(v, hotline_, first_note).ok());
  }
  void unlock_ok(GuiHarness& h) {
    ASSERT_NO_FATAL_FAILURE(submit_passphrase(h, kPass));
    ASSERT_TRUE(h.app().unlocked()) << h.app().start_view().error();
    h.frames(4);
  }
  /// Unlocks, selects round three and opens the series view with Ctrl+G.
  void open_series(GuiHarness& h) {
    ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
    h.ctx().select_meeting(meeting);
    h.frames(2);
    h.ctrl('G');
    h.frames(4);
    ASSERT_TRUE(h.app().series_view().timeline().has_value()) << h.screen_text();
  }
  core::Vault& vault(GuiHarness& h) { return *h.ctx().vault; }
  std::vector<std::int64_t> thread_notes(GuiHarness& h, std::int64_t thread) {
    auto t = core::get_thread(vault(h), thread);
    EXPECT_TRUE(t.ok());
    return t.ok() ? t->note_ids : std::vector<std::int64_t>{};
  }

  TempDir dir;
  std::string vault_dir;
  std::int64_t meeting = 0, round4 = 0, series = 0, hotline_ = 0, fishing_ = 0, first_note = 0;
};

TEST_F(GuiSeriesTest, CtrlTInTheComposerSuggestsTheThreadFromTheTextAndLinksTheSavedNote) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  h.ctx().select_meeting(round4);
  h.frames(2);
  h.ctx().post(gui::Event::Kind::focus_composer);
  h.frames(3);
  h.type("Who staffs the hotline at night?");
  h.ctrl('T');
  h.frames(3);
  ASSERT_TRUE(h.app().composer().thread_picker().is_open());
  ASSERT_FALSE(h.app().composer().thread_picker().suggestions().empty());
  EXPECT_EQ(h.app().composer().thread_picker().suggestions().front().thread_id, hotline_);
  EXPECT_TRUE(h.shows("Suggested from the note's words:")) << h.screen_text();
  EXPECT_TRUE(h.shows("Coast guard hotline")) << h.screen_text();
  // Enter takes the first suggestion; the composer shows it and gets the keyboard back.
  h.press(keys::kEnter);
  h.frames(3);
  EXPECT_FALSE(h.app().composer().thread_picker().is_open());
  EXPECT_EQ(h.app().composer().thread(), hotline_);
  EXPECT_TRUE(h.shows("Thread:")) << h.screen_text();
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(2);
  auto notes = core::list_notes(vault(h), round4);
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 1u) << h.app().composer().error();
  EXPECT_EQ((*notes)[0].text, "Who staffs the hotline at night?");
  const auto linked = thread_notes(h, hotline_);
  EXPECT_NE(std::find(linked.begin(), linked.end(), (*notes)[0].id), linked.end()) << "the saved note is in the thread";
  EXPECT_FALSE(h.app().composer().thread().has_value()) << "the thread was for that note only";

  // In an empty composer, Ctrl+T is for the last note: a new thread typed into the picker.
  h.ctrl('T');
  h.frames(3);
  ASSERT_TRUE(h.app().composer().thread_picker().is_open());
  EXPECT_EQ(h.app().composer().thread_picker().note(), (*notes)[0].id);
  h.type("Night shifts");
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(2);
  auto all = core::list_threads(vault(h), series);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->back().title, "Night shifts");
  EXPECT_EQ(all->back().note_ids, std::vector<std::int64_t>{(*notes)[0].id});
}

TEST_F(GuiSeriesTest, AddToThreadFromTheNoteLogsMenu) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  h.ctx().select_meeting(meeting);
  h.frames(4);
  auto note = h.find("both coast guard headquarters");
  ASSERT_TRUE(note) << h.screen_text();
  h.click(note->center(), 1);  // right click: the note's menu
  h.frames(2);
  ASSERT_TRUE(h.click_text("Add to thread…")) << h.screen_text();
  h.frames(3);
  ASSERT_TRUE(h.app().note_log().thread_picker().is_open());
  EXPECT_EQ(h.app().note_log().thread_picker().note(), first_note);
  // Already in the hotline thread: not suggested again; the other thread is listed to click.
  for (const auto& s : h.app().note_log().thread_picker().suggestions()) EXPECT_NE(s.thread_id, hotline_);
  ASSERT_TRUE(h.click_text("Fishing quota exchange")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(2);
  EXPECT_EQ(thread_notes(h, fishing_), std::vector<std::int64_t>{first_note});
  EXPECT_TRUE(h.shows("The note was added to the thread.")) << h.screen_text();
}

TEST_F(GuiSeriesTest, TheSeriesViewShowsEachThreadAcrossTheRoundsAndTheAttendanceEachAudienceSees) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(open_series(h));
  gui::SeriesView& view = h.app().series_view();
  const core::SeriesTimeline& tl = *view.timeline();
  ASSERT_EQ(tl.rounds.size(), 2u);
  ASSERT_EQ(tl.rows.size(), 2u);
  EXPECT_TRUE(h.shows("Northern Sea Dialogue")) << h.screen_text();
  EXPECT_TRUE(h.shows("Coast guard hotline")) << h.screen_text();
  EXPECT_TRUE(h.shows("Fishing quota exchange")) << h.screen_text();
  EXPECT_TRUE(h.shows("Raised · agreed · conveyed")) << h.screen_text();
  EXPECT_EQ(view.rows_drawn(), 2);
  // The hotline: raised in round three, agreed in round four; the fishing thread not yet raised.
  EXPECT_EQ(tl.rows[0].cells[0].status, core::ThreadStatus::raised);
  EXPECT_TRUE(tl.rows[0].cells[0].decided_here);
  EXPECT_EQ(tl.rows[0].cells[0].notes, 1);
  EXPECT_EQ(tl.rows[0].cells[1].status, core::ThreadStatus::agreed);
  EXPECT_FALSE(tl.rows[1].cells[0].status.has_value());
  EXPECT_EQ(tl.rounds[0].raised, 1);
  EXPECT_EQ(tl.rounds[1].agreed, 1);
  // The participants see p1 by role and p2 and Quintus named.
  EXPECT_EQ(tl.rounds[0].attendance.named, 1);
  EXPECT_EQ(tl.rounds[0].attendance.role, 1);
  EXPECT_EQ(tl.rounds[1].attendance.named, 1);
  // The public: p1 anonymous, p2 a pseudonym, Quintus hidden (neither listed nor counted).
  ASSERT_TRUE(h.click_text("As the participants see it")) << h.screen_text();
  h.frames(2);
  ASSERT_TRUE(h.click_text("As the public sees it")) << h.screen_text();
  h.frames(3);
  ASSERT_TRUE(view.timeline().has_value());
  EXPECT_EQ(view.audience(), core::Audience::public_);
  const core::SeriesTimeline& pub = *view.timeline();
  EXPECT_EQ(pub.rounds[0].attendance.named, 0);
  EXPECT_EQ(pub.rounds[0].attendance.pseudonym, 1);
  EXPECT_EQ(pub.rounds[0].attendance.anonymous, 1);
  EXPECT_EQ(pub.rounds[1].attendance.named + pub.rounds[1].attendance.anonymous, 0) << "hidden is not counted";
  for (const auto& e : pub.rounds[0].attendance.entries) EXPECT_EQ(e.find(kSampleName2), std::string::npos) << e;

  // Clicking a thread shows its history with the meeting and who decided.
  ASSERT_TRUE(h.click_text("Coast guard hotline")) << h.screen_text();
  h.frames(3);
  EXPECT_EQ(view.selected_thread(), hotline_);
  EXPECT_TRUE(h.shows("decided by")) << h.screen_text();
  EXPECT_TRUE(h.shows("Round Four")) << h.screen_text();

  // A status set elsewhere shows up after the change is announced; locking forgets it all.
  ASSERT_TRUE(core::set_thread_status(vault(h), fishing_, core::ThreadStatus::raised, round4).ok());
  h.ctx().post(gui::Event::Kind::threads_changed);
  h.frames(3);
  EXPECT_EQ(view.timeline()->rows[1].cells[1].status, core::ThreadStatus::raised);
  h.app().lock();
  h.frames(2);
  EXPECT_FALSE(h.app().debug_contains("Coast guard hotline"));
  EXPECT_FALSE(view.timeline().has_value());
}

TEST_F(GuiSeriesTest, AStatusIsRecordedFromTheSeriesViewByKeyboardInTheChosenRoundWithWhoDecided) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(open_series(h));
  gui::SeriesView& view = h.app().series_view();
  // Down picks the first thread, again the second; Up goes back, Down forward again.
  h.press(keys::kDown);
  h.frames(2);
  EXPECT_EQ(view.selected_thread(), hotline_);
  h.press(keys::kDown);
  h.frames(2);
  EXPECT_EQ(view.selected_thread(), fishing_);
  h.press(keys::kUp);
  h.frames(2);
  EXPECT_EQ(view.selected_thread(), hotline_);
  h.press(keys::kDown);
  h.frames(2);
  EXPECT_EQ(view.selected_thread(), fishing_);
  EXPECT_TRUE(h.shows("Set status")) << h.screen_text();
  EXPECT_EQ(view.chosen_meeting(), meeting) << "the form starts in the selected meeting";
  // 4 is "conveyed"; Right moves to round four; Enter records.
  h.press('4');
  h.frames(1);
  EXPECT_EQ(view.chosen_status(), core::ThreadStatus::conveyed);
  h.press(keys::kRight);
  h.frames(1);
  EXPECT_EQ(view.chosen_meeting(), round4);
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(3);
  EXPECT_TRUE(view.status_error().empty()) << view.status_error();
  auto t = core::get_thread(vault(h), fishing_);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->history.size(), 1u);
  EXPECT_EQ(t->history[0].status, core::ThreadStatus::conveyed);
  EXPECT_EQ(t->history[0].meeting_id, round4);
  const auto me = core::vault_identity(vault(h));
  ASSERT_TRUE(me.ok());
  EXPECT_EQ(t->history[0].decided_by, me->fingerprint);
  EXPECT_EQ(t->status, core::ThreadStatus::conveyed);
  // The timeline and the history show it without being asked.
  EXPECT_EQ(view.timeline()->rows[1].cells[1].status, core::ThreadStatus::conveyed);
  EXPECT_TRUE(view.timeline()->rows[1].cells[1].decided_here);
  EXPECT_TRUE(h.shows("Status recorded: conveyed.")) << h.screen_text();
  EXPECT_TRUE(h.shows("decided by")) << h.screen_text();

  // By mouse: the hotline, "dropped" from the status list, in round three, "Record status".
  ASSERT_TRUE(h.click_text("Coast guard hotline")) << h.screen_text();
  h.frames(2);
  EXPECT_EQ(view.selected_thread(), hotline_);
  EXPECT_EQ(view.chosen_status(), core::ThreadStatus::agreed) << "the form starts at the thread's status";
  const auto label = h.find("Set status", true);
  ASSERT_TRUE(label) << h.screen_text();
  ASSERT_TRUE(h.click_field_right_of("Set status", label->max.x - label->min.x + 30));  // the status list
  h.frames(2);
  ASSERT_TRUE(h.click_text("dropped", false)) << h.screen_text();  // front-most: the open list
  h.frames(2);
  EXPECT_EQ(view.chosen_meeting(), round4) << "the round chosen stays chosen for the next thread";
  const auto round_list = h.find("2024-11-12 Round Four");
  ASSERT_TRUE(round_list) << h.screen_text();
  ASSERT_TRUE(h.click_found(*round_list));
  h.frames(2);
  ASSERT_TRUE(h.click_text("Round Three", false)) << h.screen_text();
  h.frames(2);
  EXPECT_EQ(view.chosen_meeting(), meeting);
  ASSERT_TRUE(h.click_text("Record status")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(3);
  auto hot = core::get_thread(vault(h), hotline_);
  ASSERT_TRUE(hot.ok());
  ASSERT_EQ(hot->history.size(), 3u);
  EXPECT_EQ(hot->history[1].status, core::ThreadStatus::dropped) << "decided in round three, before round four's agreement";
  EXPECT_EQ(hot->history[1].meeting_id, meeting);
  EXPECT_EQ(hot->status, core::ThreadStatus::agreed) << "the latest round's decision stands";
  // Opening another meeting of the series makes it the round the form decides in.
  h.ctx().select_meeting(round4);
  h.frames(3);
  EXPECT_EQ(view.chosen_meeting(), round4);
  // The keys are in the help (F1).
  h.press(keys::kF1);
  h.frames(2);
  ASSERT_TRUE(h.window_open("Keyboard shortcuts"));
  EXPECT_TRUE(h.shows_in("Keyboard shortcuts", "Left/Right")) << h.screen_text();
  EXPECT_TRUE(h.shows_in("Keyboard shortcuts", "Up/Down")) << h.screen_text();
}

TEST_F(GuiSeriesTest, InATeamSeriesThisVaultMayNotDecideForTheRefusalIsShownAndNothingIsRecorded) {
  {
    auto v = core::Vault::open(vault_dir, secret(kPass));
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(core::create_team(*v, series).ok());
    // This vault's membership ends, as when the convenor's removal of it is applied here.
    auto all = core::list_series(*v);
    ASSERT_TRUE(all.ok() && all->size() == 1u);
    const std::string uid = all->front().uid;
    auto team = core::sync::load_team(*v, uid);
    ASSERT_TRUE(team.ok() && team->has_value());
    ASSERT_EQ((*team)->members.size(), 1u);
    core::sync::Member m = (*team)->members.front();
    m.removed_epoch = 2;
    ASSERT_TRUE(core::sync::save_member(*v, uid, m).ok());
  }
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(open_series(h));
  gui::SeriesView& view = h.app().series_view();
  h.press(keys::kDown);
  h.frames(2);
  ASSERT_EQ(view.selected_thread(), hotline_);
  h.press('2');
  h.frames(1);
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(3);
  EXPECT_NE(view.status_error().find("This vault may not decide this thread's status"), std::string::npos) << view.status_error();
  EXPECT_TRUE(h.shows("This vault may not decide this thread's status", false)) << h.screen_text();
  auto t = core::get_thread(vault(h), hotline_);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->history.size(), 2u) << "the refusal wrote nothing";
}

}  // namespace
}  // namespace bc::test
