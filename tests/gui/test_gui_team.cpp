// The desktop client's team sync, headless: the team panel, the sync folder setting, the status
// bar's sync indicator, the conflicts view, the note log's mark on notes from other devices, and
// sync stopping on lock. Two real vaults in a temp folder share a plain folder (what Syncthing
// replicates; tests/cli/syncthing_test.py covers the engine itself); each is driven through its own
// App and ImGui context (gui_harness.h) or, for the other side of a setup, through the core API.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "backchannel/core/conflicts.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/sync.h"
#include "backchannel/core/sync_folder.h"
#include "backchannel/core/team.h"
#include "backchannel/core/vault.h"
#include "backchannel/gui/conflicts_view.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/note_log_view.h"
#include "backchannel/gui/start_view.h"
#include "backchannel/gui/sync_service.h"
#include "backchannel/gui/team_view.h"
#include "gui_harness.h"
#include "gui_sample.h"
#include "test_support.h"

namespace bc::test {
namespace {

namespace fs = std::filesystem;
namespace keys = gui::keys;
using namespace std::chrono_literals;

constexpr const char* kPassA = "Convenor heron quartz 5521";
constexpr const char* kPassB = "Rapporteur walnut ember 8830";
constexpr const char* kTyped = "The hotline should be staffed on both sides.";

class GuiTeamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(core::Vault::initialize_libraries().ok()); }

  void SetUp() override {
    vault_a = (dir / "convenor.vault").string();
    vault_b = (dir / "rapporteur.vault").string();
    folder = dir / "team-folder";
    fs::create_directories(folder);
    // The convenor has the sample meeting; the rapporteur starts empty.
    auto a = core::Vault::create(vault_a, secret(kPassA), crypto::KdfProfile::interactive);
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_NO_FATAL_FAILURE(add_sample_meeting(a->vault, meeting));
    auto series = core::get_meeting(a->vault, meeting);
    ASSERT_TRUE(series.ok());
    series_id = series->series_id;
    auto ida = core::vault_identity(a->vault);
    ASSERT_TRUE(ida.ok());
    fingerprint_a = ida->fingerprint;
    auto b = core::Vault::create(vault_b, secret(kPassB), crypto::KdfProfile::interactive);
    ASSERT_TRUE(b.ok()) << b.error().message;
    auto idb = core::vault_identity(b->vault);
    ASSERT_TRUE(idb.ok());
    fingerprint_b = idb->fingerprint;
    // What `identity --json` prints for the rapporteur, handed to the convenor.
    identity_b = dir / "rapporteur-identity.json";
    write_file(identity_b, nlohmann::json{{"recipient", idb->recipient}, {"signing_key", idb->signing_key},
                                          {"fingerprint", idb->fingerprint}}.dump(2));
  }

  /// Opens a vault through the core (the GUI holds none while it is locked or closed).
  core::Vault open(const std::string& path, const char* pass) {
    auto v = core::Vault::open(path, secret(pass));
    EXPECT_TRUE(v.ok()) << v.error().message;
    return std::move(*v);
  }

  /// Joins the rapporteur to the convenor's team through the core, as the CLI would, and lets both
  /// sync once more: the rapporteur then holds the series.
  void join_by_core() {
    {
      core::Vault a = open(vault_a, kPassA);
      ASSERT_TRUE(core::create_team(a, series_id).ok());
      auto id = core::parse_member_identity(read_file(identity_b));
      ASSERT_TRUE(id.ok());
      ASSERT_TRUE(core::add_team_member(a, series_id, *id, fingerprint_b).ok());
      ASSERT_TRUE(core::sync_once(a, folder).ok());
      ASSERT_TRUE(core::set_sync_folder(a, folder).ok());
    }
    core::Vault b = open(vault_b, kPassB);
    auto first = core::sync_once(b, folder);
    ASSERT_TRUE(first.ok()) << first.error().message;
    ASSERT_EQ(first->signers_to_accept, std::vector<std::string>{fingerprint_a});
    ASSERT_TRUE(core::accept_team_signer(b, fingerprint_a).ok());
    auto second = core::sync_once(b, folder);
    ASSERT_TRUE(second.ok());
    ASSERT_GT(second->applied, 0u);
    ASSERT_TRUE(core::set_sync_folder(b, folder).ok());
  }

  void unlock(GuiHarness& h, const char* pass) {
    ASSERT_NO_FATAL_FAILURE(submit_passphrase(h, pass));
    ASSERT_TRUE(h.app().unlocked()) << h.app().start_view().error();
    h.frames(4);
  }

  /// Opens a menu of the menu bar and clicks one of its items (a prefix of its label).
  void menu(GuiHarness& h, const char* name, const char* item) {
    ASSERT_NO_FATAL_FAILURE(click_menu_item(h, name, item));
  }

  /// Clicks the empty field that shows `hint` and types `text` into it.
  void fill(GuiHarness& h, const char* window, const char* hint, const std::string& text) {
    const auto f = h.find_in(window, hint);
    ASSERT_TRUE(f) << hint << " is not shown:\n" << h.screen_text();
    ASSERT_TRUE(h.click_found(*f));
    h.type(text);
    h.frames(1);
  }

  /// Chooses the sync folder in Settings, as a user would.
  void choose_sync_folder(GuiHarness& h) {
    ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Settings"));
    ASSERT_TRUE(h.window_open("Settings"));
    ASSERT_NO_FATAL_FAILURE(fill(h, "Settings", "a folder your sync engine replicates", folder.string()));
    ASSERT_TRUE(h.click_in("Settings", "Use this folder")) << h.screen_text();
    ASSERT_TRUE(h.pump_until([&] { return h.app().sync().folder().has_value() && h.app().sync().rounds() > 0; }));
    h.press(keys::kEscape);
    h.frames(2);
  }

  /// Draws frames of both apps until `done` (their watches and writers run on their own threads).
  bool pump_both(GuiHarness& a, GuiHarness& b, const std::function<bool()>& done, std::chrono::milliseconds timeout = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      a.frame();
      b.frame();
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  std::size_t members_in(const std::string& path, const char* pass) {
    core::Vault v = open(path, pass);
    auto teams = core::list_teams(v);
    EXPECT_TRUE(teams.ok());
    for (const auto& t : *teams)
      if (t.series_id == series_id) return t.members.size();
    return 0;
  }

  TempDir dir;
  std::string vault_a, vault_b;
  fs::path folder, identity_b;
  std::int64_t meeting = 0, series_id = 0;
  std::string fingerprint_a, fingerprint_b;
};

TEST_F(GuiTeamTest, TheTeamPanelsAddRefusesAFingerprintThatDoesNotMatchTheIdentityFile) {
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  h.press('T', true, true);
  h.frames(2);
  ASSERT_TRUE(h.window_open("Team"));
  ASSERT_TRUE(h.wait_for_tasks());
  // This vault's own identity, with its fingerprint as text and a QR code of it.
  EXPECT_TRUE(h.shows_in("Team", fingerprint_a)) << h.screen_text();
  EXPECT_EQ(h.app().team().qr_fingerprint(), fingerprint_a);
  ASSERT_TRUE(h.click_in("Team", "Share this series with a team")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  ASSERT_TRUE(h.shows_in("Team", "convenor")) << h.screen_text();

  // The rapporteur's identity file with the convenor's own fingerprint: well formed, not theirs.
  ASSERT_NO_FATAL_FAILURE(fill(h, "Team", "identity file (JSON)", identity_b.string()));
  ASSERT_NO_FATAL_FAILURE(fill(h, "Team", "fingerprint read out in person", fingerprint_a));
  ASSERT_TRUE(h.click_in("Team", "Add member")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  // Refused as `team add` refuses it, naming the fingerprint the keys really have.
  EXPECT_TRUE(h.shows_in("Team", "the identity's keys have fingerprint " + fingerprint_b)) << h.screen_text();
  ASSERT_NE(h.app().team().loaded(), nullptr);
  ASSERT_TRUE(h.app().team().loaded()->team);
  EXPECT_EQ(h.app().team().loaded()->team->members.size(), 1u);
  // One member row (its QR button) besides this vault's own QR button.
  EXPECT_EQ(h.find_all_in("Team", "QR", true).size(), 2u) << h.screen_text();

  // The fingerprint they read out, typed in lower case without dashes: added.
  std::string typed;
  for (char c : fingerprint_b)
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_NO_FATAL_FAILURE(fill(h, "Team", "fingerprint read out in person", typed));
  ASSERT_TRUE(h.click_in("Team", "Add member")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(2);
  EXPECT_TRUE(h.app().team().error().empty()) << h.app().team().error();
  EXPECT_TRUE(h.shows_in("Team", fingerprint_b)) << h.screen_text();
  // A member's QR code on request.
  const auto qrs = h.find_all_in("Team", "QR", true);
  ASSERT_EQ(qrs.size(), 3u) << h.screen_text();
  // The member rows are in the left part, the second row is the rapporteur's.
  const Found* lowest = nullptr;
  for (const auto& f : qrs)
    if (f.run->window.find("##team-left") != std::string::npos && (!lowest || f.min.y > lowest->min.y)) lowest = &f;
  ASSERT_NE(lowest, nullptr);
  ASSERT_TRUE(h.click_found(*lowest));
  h.frames(2);
  EXPECT_EQ(h.app().team().qr_fingerprint(), fingerprint_b);
  // Removing them: confirmed in a popup that says what they keep.
  const auto remove = h.find_in("Team", "Remove…", true);
  ASSERT_TRUE(remove) << h.screen_text();
  ASSERT_TRUE(h.click_found(*remove));
  h.frames(2);
  EXPECT_TRUE(h.shows("They keep what they already received.")) << h.screen_text();
  ASSERT_TRUE(h.click_text("Remove member")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(2);
  EXPECT_TRUE(h.shows_in("Team", "removed", true)) << h.screen_text();
  EXPECT_FALSE(h.shows_in("Team", "Remove…", true));
  auto teams = core::list_teams(*h.ctx().vault);
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 1u);
  ASSERT_EQ(teams->front().members.size(), 2u);
  for (const auto& m : teams->front().members) EXPECT_EQ(m.removed_epoch.has_value(), m.fingerprint == fingerprint_b);
  EXPECT_EQ(teams->front().epoch, 2);
}

TEST_F(GuiTeamTest, ASecondMemberConfirmsALoweringInTheTeamPanel) {
  ASSERT_NO_FATAL_FAILURE(join_by_core());
  // The convenor makes participant p1 more identifiable to the public: anonymous -> named.
  {
    core::Vault a = open(vault_a, kPassA);
    core::ParticipantUpdate u;
    u.disclosure[static_cast<int>(core::Audience::public_)] = core::DisclosureLevel::named;
    ASSERT_TRUE(core::update_participant(a, meeting, "p1", u).ok());
    ASSERT_TRUE(core::sync_once(a, folder).ok());
  }
  auto public_level = [&](core::Vault& v) {
    auto ms = core::list_meetings(v);
    if (!ms || ms->empty()) return core::DisclosureLevel::hidden;
    auto ps = core::list_participants(v, ms->front().id);
    for (const auto& p : *ps)
      if (p.key == "p1") return p.level_for(core::Audience::public_);
    return core::DisclosureLevel::hidden;
  };
  GuiHarness h(vault_b);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassB));
  ASSERT_TRUE(h.pump_until([&] { return h.app().sync().rounds() > 0 && !h.app().sync().syncing(); }));
  // The old level stands until a second member confirms.
  EXPECT_EQ(public_level(*h.ctx().vault), core::DisclosureLevel::anonymous);
  h.press('T', true, true);
  ASSERT_TRUE(h.wait_for_tasks());
  h.frames(2);
  EXPECT_TRUE(h.shows_in("Team", "Waiting for a second member")) << h.screen_text();
  EXPECT_TRUE(h.shows_in("Team", "anonymous → named")) << h.screen_text();
  ASSERT_TRUE(h.click_in("Team", "Confirm")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  ASSERT_TRUE(h.pump_until([&] { return !h.app().sync().syncing(); }));
  h.frames(2);
  EXPECT_TRUE(h.app().team().error().empty()) << h.app().team().error();
  EXPECT_EQ(public_level(*h.ctx().vault), core::DisclosureLevel::named);
  auto pending = core::pending_confirmations(*h.ctx().vault);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
  EXPECT_FALSE(h.shows_in("Team", "Waiting for a second member")) << h.screen_text();
  // The confirmation travelled: the convenor's vault has the lowering in effect after its sync.
  h.ctrl('L');
  core::Vault a = open(vault_a, kPassA);
  ASSERT_TRUE(core::sync_once(a, folder).ok());
  EXPECT_EQ(public_level(a), core::DisclosureLevel::named);
}

TEST_F(GuiTeamTest, ANoteTypedInOneVaultAppearsInTheOthersLogMarkedAsFromTheTeam) {
  GuiHarness a(vault_a);
  GuiHarness b(vault_b);
  ASSERT_NO_FATAL_FAILURE(unlock(a, kPassA));
  ASSERT_NO_FATAL_FAILURE(unlock(b, kPassB));
  // Before a folder is chosen the status bar says so.
  EXPECT_TRUE(a.shows("Sync off")) << a.screen_text();
  ASSERT_NO_FATAL_FAILURE(choose_sync_folder(a));
  ASSERT_NO_FATAL_FAILURE(choose_sync_folder(b));
  EXPECT_TRUE(a.shows("Synced ")) << a.screen_text();

  // The convenor shares the series and adds the rapporteur; the change is published at once.
  a.press('T', true, true);  // Ctrl+Shift+T: the team panel
  ASSERT_TRUE(a.wait_for_tasks());
  ASSERT_TRUE(a.click_in("Team", "Share this series with a team")) << a.screen_text();
  ASSERT_TRUE(a.wait_for_tasks());
  ASSERT_NO_FATAL_FAILURE(fill(a, "Team", "identity file (JSON)", identity_b.string()));
  ASSERT_NO_FATAL_FAILURE(fill(a, "Team", "fingerprint read out in person", fingerprint_b));
  ASSERT_TRUE(a.click_in("Team", "Add member")) << a.screen_text();
  ASSERT_TRUE(pump_both(a, b, [&] {
    return !a.app().sync().syncing() && a.app().team().loaded() && a.app().team().loaded()->team &&
           a.app().team().loaded()->team->members.size() == 2;
  })) << a.app().team().error();

  // The rapporteur's watch sees the bundles; they wait for the convenor to be accepted.
  ASSERT_TRUE(pump_both(a, b, [&] { return !b.app().sync().status().signers_to_accept.empty(); }))
      << b.app().sync().status().error;
  EXPECT_EQ(b.app().sync().status().signers_to_accept.front(), fingerprint_a);
  b.press('T', true, true);
  ASSERT_TRUE(b.wait_for_tasks());
  EXPECT_TRUE(b.shows_in("Team", "wait for your acceptance")) << b.screen_text();
  ASSERT_NO_FATAL_FAILURE(fill(b, "Team", "their fingerprint", fingerprint_a));
  ASSERT_TRUE(b.click_in("Team", "Accept")) << b.screen_text();
  // Accepting syncs: the series arrives.
  ASSERT_TRUE(pump_both(a, b, [&] {
    auto ms = core::list_meetings(*b.ctx().vault);
    return ms.ok() && !ms->empty() && !b.app().sync().syncing();
  })) << b.app().team().error();
  b.press(keys::kEscape);
  b.frames(2);
  EXPECT_TRUE(b.shows("pending 0")) << b.screen_text();
  auto ms = core::list_meetings(*b.ctx().vault);
  ASSERT_TRUE(ms.ok());
  const std::int64_t b_meeting = ms->front().id;
  ASSERT_TRUE(b.click_in("##main", "Round Three")) << b.screen_text();
  b.frames(3);
  ASSERT_EQ(b.ctx().meeting, b_meeting);

  // A note typed in the convenor's composer...
  a.press(keys::kEscape);
  a.ctrl('N');
  a.frames(2);
  a.type(kTyped);
  a.press(keys::kEnter);
  ASSERT_TRUE(a.wait_for_tasks());
  // ...is published after it commits, and the rapporteur's watch applies it.
  ASSERT_TRUE(pump_both(a, b, [&] { return b.shows(kTyped); })) << b.screen_text();
  // Marked as from the team in the rapporteur's log, with device and member on hover; the
  // convenor's own notes carry no mark.
  const auto mark = b.find("from the team", true);
  ASSERT_TRUE(mark) << b.screen_text();
  EXPECT_FALSE(a.shows("from the team")) << a.screen_text();
  const auto notes = core::list_notes(*b.ctx().vault, b_meeting);
  ASSERT_TRUE(notes.ok());
  std::int64_t typed_id = 0;
  for (const auto& n : *notes)
    if (n.text == kTyped) typed_id = n.id;
  ASSERT_NE(typed_id, 0);
  ASSERT_TRUE(b.app().note_log().origins().count(typed_id));
  EXPECT_EQ(b.app().note_log().origins().at(typed_id).member_fingerprint, fingerprint_a);
  b.hover(mark->center());
  b.frames(2);
  EXPECT_TRUE(b.shows("Member " + fingerprint_a)) << b.screen_text();
  EXPECT_TRUE(b.shows("Arrived by sync from device")) << b.screen_text();
  // Both sides agree on the series.
  auto da = core::sync_status(*a.ctx().vault, folder);
  auto db = core::sync_status(*b.ctx().vault, folder);
  ASSERT_TRUE(da.ok() && db.ok());
  ASSERT_EQ(da->size(), 1u);
  ASSERT_EQ(db->size(), 1u);
  EXPECT_EQ(da->front().digest, db->front().digest);
}

TEST_F(GuiTeamTest, AConflictShowsBothRevisionsAndIsResolvedInTheConflictsView) {
  ASSERT_NO_FATAL_FAILURE(join_by_core());
  // Both edit the same note without seeing each other's edit.
  std::string note_uid;
  {
    core::Vault a = open(vault_a, kPassA);
    core::NewNote n;
    n.meeting_id = meeting;
    n.text = "The strait needs a joint review.";
    auto id = core::add_note(a, n);
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(core::sync_once(a, folder).ok());
  }
  {
    core::Vault b = open(vault_b, kPassB);
    ASSERT_TRUE(core::sync_once(b, folder).ok());
    auto ms = core::list_meetings(b);
    ASSERT_TRUE(ms.ok() && !ms->empty());
    auto ns = core::list_notes(b, ms->front().id);
    ASSERT_TRUE(ns.ok());
    auto it = std::find_if(ns->begin(), ns->end(), [](const core::Note& x) { return x.text == "The strait needs a joint review."; });
    ASSERT_NE(it, ns->end());
    ASSERT_TRUE(core::edit_note(b, it->id, "The strait needs a joint review by both coast guards.").ok());
    ASSERT_TRUE(core::sync_once(b, folder).ok());
  }
  {
    core::Vault a = open(vault_a, kPassA);
    auto ns = core::list_notes(a, meeting);
    ASSERT_TRUE(ns.ok());
    auto it = std::find_if(ns->begin(), ns->end(), [](const core::Note& x) { return x.text == "The strait needs a joint review."; });
    ASSERT_NE(it, ns->end());
    ASSERT_TRUE(core::edit_note(a, it->id, "The strait needs a joint review within a year.").ok());
  }

  // The convenor's client publishes its edit, applies the rapporteur's, and counts the conflict.
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  ASSERT_TRUE(h.pump_until([&] { return h.app().sync().rounds() > 0 && !h.app().sync().syncing(); }));
  ASSERT_EQ(h.app().sync().status().conflicts, 1u) << h.app().sync().status().error;
  h.frames(2);
  EXPECT_TRUE(h.shows("conflicts 1")) << h.screen_text();

  h.press('C', true, true);  // Ctrl+Shift+C
  h.frames(2);
  ASSERT_TRUE(h.window_open("Conflicts"));
  ASSERT_EQ(h.app().conflicts().conflicts().size(), 1u);
  // Both revisions' text is shown, each with a button to keep it.
  const auto ours = h.find_in("Conflicts", "within a year");
  const auto theirs = h.find_in("Conflicts", "by both coast guards");
  ASSERT_TRUE(ours && theirs) << h.screen_text();
  const auto buttons = h.find_all_in("Conflicts", "Keep this", true);
  ASSERT_EQ(buttons.size(), 2u) << h.screen_text();
  // Keep the rapporteur's: the button below their text.
  const Found* keep = nullptr;
  for (const auto& f : buttons)
    if (f.min.y > theirs->min.y && (!keep || f.min.y < keep->min.y)) keep = &f;
  ASSERT_NE(keep, nullptr);
  ASSERT_TRUE(h.click_found(*keep));
  ASSERT_TRUE(h.wait_for_tasks());
  ASSERT_TRUE(h.pump_until([&] { return !h.app().sync().syncing(); }));
  h.frames(3);
  EXPECT_TRUE(h.app().conflicts().conflicts().empty());
  EXPECT_TRUE(h.shows_in("Conflicts", "No open conflicts")) << h.screen_text();
  auto left = core::list_conflicts(*h.ctx().vault);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  auto ns = core::list_notes(*h.ctx().vault, meeting);
  ASSERT_TRUE(ns.ok());
  EXPECT_TRUE(std::any_of(ns->begin(), ns->end(), [](const core::Note& x) {
    return x.text == "The strait needs a joint review by both coast guards.";
  }));
  EXPECT_EQ(h.app().sync().status().conflicts, 0u);

  // The resolution travelled: the rapporteur's vault has no conflict either after its sync.
  h.ctrl('L');
  core::Vault b = open(vault_b, kPassB);
  ASSERT_TRUE(core::sync_once(b, folder).ok());
  auto b_left = core::list_conflicts(b);
  ASSERT_TRUE(b_left.ok());
  EXPECT_TRUE(b_left->empty());
}

TEST_F(GuiTeamTest, LockingStopsSyncingAndUnlockingResumesIt) {
  ASSERT_NO_FATAL_FAILURE(join_by_core());
  GuiHarness h(vault_b);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassB));
  ASSERT_TRUE(h.pump_until([&] { return h.app().sync().rounds() > 0 && h.app().sync().watching(); }));
  EXPECT_TRUE(h.app().tasks().waiting());
  // Idle, it stays idle: its own bundles wake the watch once, and nothing follows (no round
  // writes a file when it has nothing to publish).
  auto idle_for = [&](std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
      h.frame();
      std::this_thread::sleep_for(10ms);
    }
  };
  idle_for(1500ms);
  const auto settled = h.app().sync().rounds();
  idle_for(1500ms);
  EXPECT_EQ(h.app().sync().rounds(), settled);
  EXPECT_FALSE(h.app().tasks().busy());

  h.ctrl('L');
  // Lock returned: the watch has ended and nothing of sync runs or waits.
  EXPECT_FALSE(h.app().unlocked());
  EXPECT_FALSE(h.app().tasks().waiting());
  EXPECT_FALSE(h.app().tasks().busy());
  EXPECT_FALSE(h.app().sync().watching());
  EXPECT_FALSE(h.app().sync().folder().has_value());

  // The convenor writes and publishes while the rapporteur's client is locked.
  {
    core::Vault a = open(vault_a, kPassA);
    core::NewNote n;
    n.meeting_id = meeting;
    n.text = "Written while the rapporteur was locked.";
    ASSERT_TRUE(core::add_note(a, n).ok());
    auto r = core::sync_once(a, folder);
    ASSERT_TRUE(r.ok());
    ASSERT_GT(r->published, 0u);
  }
  const auto vault_files_before = snapshot(vault_b);
  for (int i = 0; i < 30; ++i) {
    h.frame();
    std::this_thread::sleep_for(10ms);
  }
  // Nothing touched the locked vault.
  EXPECT_EQ(snapshot(vault_b), vault_files_before);

  // Unlocked again (on the lock screen), the client syncs and the note is there.
  ASSERT_TRUE(h.click_text("Passphrase")) << h.screen_text();
  h.type(kPassB);
  h.press(keys::kEnter);
  ASSERT_TRUE(h.pump_until([&] { return h.app().unlocked(); }));
  ASSERT_TRUE(h.pump_until([&] {
    if (!h.app().sync().rounds()) return false;
    auto ms = core::list_meetings(*h.ctx().vault);
    if (!ms || ms->empty()) return false;
    auto ns = core::list_notes(*h.ctx().vault, ms->front().id);
    return ns && std::any_of(ns->begin(), ns->end(), [](const core::Note& x) { return x.text == "Written while the rapporteur was locked."; });
  }));
}

TEST_F(GuiTeamTest, TheNewWindowsHaveShortcutsListedInTheHelp) {
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  h.press(keys::kF1);
  h.frames(2);
  ASSERT_TRUE(h.window_open("Keyboard shortcuts"));
  for (const char* k : {"Ctrl+Shift+T", "Ctrl+Shift+C", "Ctrl+Shift+S"})
    EXPECT_TRUE(h.shows_in("Keyboard shortcuts", k, true)) << k << "\n" << h.screen_text();
  h.press(keys::kEscape);
  h.press('C', true, true);
  h.frames(2);
  EXPECT_TRUE(h.window_open("Conflicts"));
  h.press('T', true, true);
  h.frames(2);
  EXPECT_TRUE(h.window_open("Team"));
  // Without a sync folder, Ctrl+Shift+S asks for one in Settings.
  h.press('S', true, true);
  h.frames(2);
  EXPECT_TRUE(h.window_open("Settings"));
}

}  // namespace
}  // namespace bc::test
