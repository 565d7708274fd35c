// The desktop client's views, headless: a real bc::gui::App over a real vault in a temp folder,
// driven with mouse clicks, key presses and typed text, checked against what the views drew
// (read back from ImGui's draw lists) and against the vault through the core API.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <future>
#include <thread>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/vault.h"
#include "backchannel/gui/clipboard_guard.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/note_composer.h"
#include "backchannel/gui/note_log_view.h"
#include "backchannel/gui/participants_view.h"
#include "backchannel/gui/start_view.h"
#include "backchannel/gui/task_runner.h"
#include "backchannel/storage/folder_lock.h"
#include "gui_harness.h"
#include "gui_sample.h"
#include "test_support.h"

namespace bc::test {
namespace {

namespace keys = gui::keys;

// Canaries: distinctive strings that must disappear from the process's views on lock.
constexpr const char* kPass = "Kestrel lantern quartz 4417";
constexpr const char* kWrongPass = "Kestrel lantern quartz 4418";
constexpr const char* kName1 = kSampleName1;
constexpr const char* kName2 = kSampleName2;
constexpr const char* kNewName = "Zephyrine Quillfeather";

class GuiViewsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(core::Vault::initialize_libraries().ok()); }

  void SetUp() override {
    vault_dir = (dir / "vault").string();
    auto c = core::Vault::create(vault_dir, secret(kPass), crypto::KdfProfile::interactive);
    ASSERT_TRUE(c.ok()) << c.error().message;
    core::Vault& v = c->vault;
    ASSERT_NO_FATAL_FAILURE(add_sample_meeting(v, meeting));
    if (extra) {
      ASSERT_NO_FATAL_FAILURE(extra(v));
    }
    // The vault closes here: the App opens it like the program does.
  }

  /// Types the passphrase into the start screen's field, presses Enter and waits for Argon2id.
  void unlock(GuiHarness& h, const char* pass = kPass) { ASSERT_NO_FATAL_FAILURE(submit_passphrase(h, pass)); }

  void unlock_ok(GuiHarness& h) {
    ASSERT_NO_FATAL_FAILURE(unlock(h));
    ASSERT_TRUE(h.app().unlocked()) << h.app().start_view().error();
    h.frames(4);
  }

  /// The app's own open vault (the core API over the same vault the views use).
  core::Vault& vault(GuiHarness& h) { return *h.ctx().vault; }

  std::vector<core::Note> notes(GuiHarness& h, std::int64_t m) {
    auto n = core::list_notes(vault(h), m);
    EXPECT_TRUE(n.ok()) << n.error().message;
    return n.ok() ? *n : std::vector<core::Note>{};
  }

  std::int64_t participant_id(GuiHarness& h, const std::string& key) {
    auto ps = core::list_participants(vault(h), meeting);
    if (!ps) return 0;
    for (const auto& p : *ps)
      if (p.key == key) return p.id;
    return 0;
  }

  /// How the participants view previews participant `key` to `audience` (the meeting model's
  /// appearance, as the matrix draws it).
  std::string preview(GuiHarness& h, const std::string& key, core::Audience audience) {
    for (const auto& p : h.ctx().model().appearance(audience).participants)
      if (p.key == key) return p.attribution;
    return {};
  }

  /// Takes a note through the composer: speaker with Ctrl+number, kind with Alt+number, the
  /// text typed, Enter.
  void take_note(GuiHarness& h, char speaker_digit, char kind_digit, const std::string& text) {
    h.ctrl(speaker_digit);
    h.frames(2);
    h.alt(kind_digit);
    h.type(text);
    h.press(keys::kEnter);
    ASSERT_TRUE(h.wait_for_tasks());  // the writer commits off the frame
  }

  TempDir dir;
  std::string vault_dir;
  std::int64_t meeting = 0;
  std::function<void(core::Vault&)> extra;  ///< more content, set before SetUp by a derived fixture
};

TEST_F(GuiViewsTest, UnlocksWithThePassphraseTypedOnTheStartScreen) {
  GuiHarness h(vault_dir);
  h.frames(3);
  ASSERT_TRUE(h.click_field_below("Passphrase")) << h.screen_text();
  h.type(kPass);
  // Masked while typed: the field shows stars, never the characters.
  EXPECT_FALSE(h.shows("Kestrel"));
  EXPECT_TRUE(h.shows("***************************")) << h.screen_text();
  EXPECT_FALSE(h.app().unlocked());
  h.press(keys::kEnter);
  ASSERT_TRUE(h.pump_until([&] { return h.app().unlocked(); })) << h.app().start_view().error();
  h.frames(4);
  // The main window: the meeting, its participants in the side panel, the composer, the status.
  EXPECT_TRUE(h.shows("Round Three")) << h.screen_text();
  EXPECT_TRUE(h.shows(kName1));
  EXPECT_TRUE(h.shows("Unlocked"));
  EXPECT_FALSE(h.shows("Open a vault"));
  // Nothing holds the passphrase once the key is derived.
  EXPECT_FALSE(h.app().debug_contains(kPass));
}

TEST_F(GuiViewsTest, WrongPassphraseSaysSoAndLeavesTheVaultByteIdentical) {
  const auto before = snapshot(vault_dir);
  ASSERT_FALSE(before.empty());
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kWrongPass));
  h.frames(2);
  EXPECT_FALSE(h.app().unlocked());
  EXPECT_EQ(h.app().start_view().error(), "Wrong passphrase.");
  EXPECT_TRUE(h.shows("Wrong passphrase.")) << h.screen_text();
  EXPECT_TRUE(h.shows("Open a vault"));
  EXPECT_FALSE(h.app().debug_contains(kWrongPass));
  EXPECT_TRUE(snapshot(vault_dir) == before) << "a failed unlock changed the vault's files";
  // The right passphrase still works afterwards (the field was cleared and refocused).
  h.type(kPass);
  h.press(keys::kEnter);
  ASSERT_TRUE(h.pump_until([&] { return h.app().unlocked(); })) << h.app().start_view().error();
}

TEST_F(GuiViewsTest, AddsAParticipantThroughTheParticipantsView) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  h.ctrl('P');
  h.frames(2);
  ASSERT_TRUE(h.shows("The public sees")) << h.screen_text();
  ASSERT_TRUE(h.click_text("Add a participant")) << h.screen_text();
  h.frames(2);
  ASSERT_TRUE(h.shows("New participant")) << h.screen_text();
  // The form: labels on the left, fields from 8 em.
  const float field = h.font_size() * 8 + h.font_size() * 2;
  ASSERT_TRUE(h.click_field_right_of("Key", field));
  h.type("zq-9");
  ASSERT_TRUE(h.click_field_right_of("Name", field));
  h.type(kNewName);
  ASSERT_TRUE(h.click_field_right_of("Descriptor", field));
  h.type("a marine biologist");
  h.frames(1);
  // The form is below the matrix: scroll down to its buttons as a user would.
  const auto label = h.find("Descriptor", true);
  ASSERT_TRUE(label);
  h.wheel(label->center(), -10.0f);
  h.frames(2);
  ASSERT_TRUE(h.click_text("Add")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());  // the writer stores it off the frame
  EXPECT_TRUE(h.app().participants().error().empty()) << h.app().participants().error();
  EXPECT_FALSE(h.shows("New participant")) << "the form stays open";

  auto ps = core::list_participants(vault(h), meeting);
  ASSERT_TRUE(ps.ok());
  ASSERT_EQ(ps->size(), 3u);
  const core::Participant& p = ps->back();
  EXPECT_EQ(p.key, "zq-9");
  EXPECT_EQ(p.name, kNewName);
  EXPECT_EQ(p.descriptor.value_or(""), "a marine biologist");
  EXPECT_EQ(p.position, 3);
  // Shown in the matrix and in the side panel.
  EXPECT_GE(h.find_all(kNewName).size(), 2u) << h.screen_text();
}

// Issue 15, items 15-17: the participant form lists the short forms its fields give, an organizer
// rules on one with its combo, and the Persian descriptor is typed in its own field.
TEST_F(GuiViewsTest, TheParticipantFormListsShortFormsAndTakesRulingsAndAPersianDescriptor) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  h.ctrl('P');
  h.frames(2);
  auto& view = h.app().participants();
  // Edit the first participant, as a user would: the Edit button on its row of the matrix.
  std::optional<Found> edit;
  for (const auto& name : h.find_all(kName1, true))
    for (const auto& f : h.find_all("Edit", true))
      if (std::abs(f.center().y - name.center().y) < h.font_size()) edit = f;
  ASSERT_TRUE(edit) << h.screen_text();
  ASSERT_TRUE(h.click_found(*edit));
  h.frames(2);
  ASSERT_TRUE(h.shows("Edit participant")) << h.screen_text();
  const float field = h.font_size() * 8 + h.font_size() * 2;
  ASSERT_TRUE(h.click_field_right_of("Affiliation", field)) << h.screen_text();
  h.type("Vantongeren Maritime Institute");
  ASSERT_TRUE(h.click_field_right_of("Aliases", field)) << h.screen_text();
  h.type("Admiral Aurelio");
  h.frames(2);
  const auto label = h.find("Short forms", true);
  ASSERT_TRUE(label) << h.screen_text();
  h.wheel(label->center(), -4.0f);
  h.frames(2);
  // The derived forms: the family name, the given name after the title, the affiliation's.
  std::vector<std::string> listed;
  for (const auto& f : view.form_short_forms({})) listed.push_back(f.form);
  EXPECT_EQ(listed, (std::vector<std::string>{"Vantongeren", "Aurelio", "Vantongeren Maritime", "Vantongeren"}));
  EXPECT_TRUE(h.shows("not before a capitalized word")) << h.screen_text();
  // The combo on the row of "Aurelio", clicked as a user would.
  const auto aurelio = h.find("Aurelio", true);
  ASSERT_TRUE(aurelio) << h.screen_text();
  std::optional<Found> combo;
  for (const auto& f : h.find_all("as derived", true))
    if (std::abs(f.min.y - aurelio->min.y) < h.font_size() * 0.6f) combo = f;
  ASSERT_TRUE(combo) << h.screen_text();
  h.click(combo->center());
  h.frames(1);
  ASSERT_TRUE(h.click_text("not used alone")) << h.screen_text();
  h.frames(2);
  EXPECT_TRUE(h.shows("not found on its own")) << h.screen_text();
  // The Persian descriptor, typed into its field.
  ASSERT_TRUE(h.click_field_right_of("In Persian", field)) << h.screen_text();
  h.type("یک دریاسالار بازنشسته");
  h.frames(1);
  h.wheel(label->center(), -10.0f);
  h.frames(2);
  ASSERT_TRUE(h.click_text("Save")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());  // the writer stores it off the frame
  EXPECT_TRUE(view.error().empty()) << view.error();
  auto ps = core::list_participants(vault(h), meeting);
  ASSERT_TRUE(ps.ok());
  const core::Participant& p = ps->front();
  EXPECT_EQ(p.descriptor_fa.value_or(""), "یک دریاسالار بازنشسته");
  EXPECT_EQ(p.short_forms, (std::vector<core::ShortFormRule>{{core::ShortFormOf::name, "Aurelio", core::ShortFormUse::not_alone}}));
  EXPECT_EQ(p.aliases, std::vector<std::string>{"Admiral Aurelio"});
  // Locking forgets the form and the participants' fields.
  h.app().lock();
  h.frames(2);
  EXPECT_FALSE(h.app().debug_contains("Vantongeren Maritime"));
  EXPECT_FALSE(h.app().debug_contains("دریاسالار"));
}

TEST_F(GuiViewsTest, ComposerTakesNotesWithSpeakerAndKindFromTheKeyboard) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  // The composer has the keyboard after unlocking. Ctrl+2: participant 2; Alt+3: proposal.
  ASSERT_NO_FATAL_FAILURE(take_note(h, '2', '3', "A hotline between the two coast guards."));
  auto n = notes(h, meeting);
  ASSERT_EQ(n.size(), 1u) << h.app().composer().error();
  EXPECT_EQ(n[0].text, "A hotline between the two coast guards.");
  EXPECT_EQ(n[0].speaker_id, participant_id(h, "p2"));
  EXPECT_EQ(n[0].kind, core::NoteKind::proposal);
  EXPECT_TRUE(h.shows("A hotline between the two coast guards.")) << h.screen_text();
  // The composer is empty again and keeps the keyboard; the kind went back to statement.
  EXPECT_TRUE(h.app().composer().text().empty());
  EXPECT_EQ(h.app().composer().kind(), core::NoteKind::statement);

  // Ctrl+K opens the picker; typing a participant's number picks them at once. Alt+5:
  // disagreement. Ctrl+0: organizers (no speaker).
  h.ctrl('K');
  h.frames(2);
  EXPECT_TRUE(h.shows("No participant matches.") || h.shows("1 " + std::string(kName1))) << h.screen_text();
  h.type("1");
  h.frames(2);
  h.alt('5');
  h.type("We do not accept the premise.");
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());  // the writer commits off the frame
  ASSERT_NO_FATAL_FAILURE(take_note(h, '0', '7', "Coffee break at eleven."));
  n = notes(h, meeting);
  ASSERT_EQ(n.size(), 3u);
  EXPECT_EQ(n[1].text, "We do not accept the premise.");
  EXPECT_EQ(n[1].speaker_id, participant_id(h, "p1"));
  EXPECT_EQ(n[1].kind, core::NoteKind::disagreement);
  EXPECT_EQ(n[2].speaker_id, std::nullopt);
  EXPECT_EQ(n[2].kind, core::NoteKind::observation);
  // Ctrl+Enter is a new line, not a commit.
  h.type("first line");
  h.press(keys::kEnter, true);
  h.type("second line");
  h.frames(1);
  EXPECT_EQ(notes(h, meeting).size(), 3u);
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());  // the writer commits off the frame
  n = notes(h, meeting);
  ASSERT_EQ(n.size(), 4u);
  EXPECT_EQ(n[3].text, "first line\nsecond line");
}

TEST_F(GuiViewsTest, ShortcutsPressedAndReleasedBetweenTwoFramesStillAct) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  // A key sender (a remote desktop, a macro): every press and its release arrive between two
  // frames, as the GLFW callbacks deliver them.
  auto chord = [&](int modifier, char key) {
    h.input.key(modifier, true);
    h.input.key(key, true);
    h.input.key(key, false);
    h.input.key(modifier, false);
  };
  chord(keys::kLeftCtrl, '2');  // speaker: participant 2
  chord(keys::kLeftAlt, '3');   // kind: proposal
  const std::string text = "Joint patrols, sent by a macro";
  for (char c : text) {
    const int k = c == ' ' ? keys::kSpace : std::toupper(static_cast<unsigned char>(c));
    h.input.key(k, true);
    h.input.character(static_cast<unsigned char>(c));
    h.input.key(k, false);
  }
  h.input.key(keys::kEnter, true);
  h.input.key(keys::kEnter, false);
  h.input.character('X');  // typed right after Enter: the start of the next note
  ASSERT_TRUE(h.input.pending());
  // The program draws frames while events wait; no press is ever released in its own frame.
  for (int i = 0; i < 200 && h.input.pending(); ++i) h.frame();
  EXPECT_FALSE(h.input.pending());
  ASSERT_TRUE(h.wait_for_tasks());
  const auto n = notes(h, meeting);
  ASSERT_EQ(n.size(), 1u) << h.app().composer().error();
  EXPECT_EQ(n[0].text, text);
  EXPECT_EQ(n[0].speaker_id, participant_id(h, "p2")) << "Ctrl+2 was lost";
  EXPECT_EQ(n[0].kind, core::NoteKind::proposal) << "Alt+3 was lost";
  EXPECT_EQ(h.app().composer().text(), "X");
}

TEST_F(GuiViewsTest, UpEditsTheLastNoteAndTheEarlierTextStaysAsARevision) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  ASSERT_NO_FATAL_FAILURE(take_note(h, '1', '1', "The first note."));
  ASSERT_NO_FATAL_FAILURE(take_note(h, '2', '2', "Is there a quorum?"));
  auto n = notes(h, meeting);
  ASSERT_EQ(n.size(), 2u);
  const std::int64_t last = n[1].id;

  // Up in the empty composer loads the last note.
  h.press(keys::kUp);
  h.frames(2);
  ASSERT_EQ(h.app().composer().editing(), std::optional<std::int64_t>(last));
  EXPECT_EQ(h.app().composer().text(), "Is there a quorum?");
  EXPECT_TRUE(h.shows("Editing note")) << h.screen_text();
  // Select everything, type the new text, Enter saves a revision.
  h.ctrl('A');
  h.type("Is there a quorum of delegations?");
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());  // the writer commits off the frame
  EXPECT_FALSE(h.app().composer().editing().has_value());
  n = notes(h, meeting);
  ASSERT_EQ(n.size(), 2u) << "an edit must not add a note";
  EXPECT_EQ(n[1].id, last);
  EXPECT_EQ(n[1].text, "Is there a quorum of delegations?");
  EXPECT_EQ(n[0].text, "The first note.");
  auto revs = core::note_revisions(vault(h), last);
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 2u);
  EXPECT_EQ((*revs)[0].text, "Is there a quorum?");
  EXPECT_EQ((*revs)[1].text, "Is there a quorum of delegations?");
  EXPECT_TRUE(h.shows("Is there a quorum of delegations?")) << h.screen_text();

  // Esc cancels an edit without touching the note.
  h.press(keys::kUp);
  h.frames(2);
  ASSERT_TRUE(h.app().composer().editing().has_value());
  h.type(" more");
  h.press(keys::kEscape);
  h.frames(2);
  EXPECT_FALSE(h.app().composer().editing().has_value());
  EXPECT_EQ(core::note_revisions(vault(h), last)->size(), 2u);
}

// Holds the vault's writer busy (a write queued ahead of the user's) until release() or the end of
// the scope, so that a test sees what the frame shows while a write is in flight.
class WriterGate {
 public:
  explicit WriterGate(gui::UiContext& ctx) {
    std::shared_future<void> open = gate_.get_future().share();
    EXPECT_TRUE(ctx.write([open](core::Vault&) -> gui::TaskRunner::Continuation {
      open.wait();
      return {};
    }));
  }
  ~WriterGate() { release(); }
  void release() {
    if (!released_) gate_.set_value();
    released_ = true;
  }

 private:
  std::promise<void> gate_;
  bool released_ = false;
};

TEST_F(GuiViewsTest, ANoteShowsAsSavingUntilTheWriterHasCommittedIt) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  WriterGate gate(h.ctx());
  h.ctrl('2');
  h.frames(2);
  h.type("Fisheries first, then the hotline.");
  h.press(keys::kEnter);
  h.frames(3);
  // The frame went on: the composer is empty and the log shows the note, marked as saving.
  EXPECT_TRUE(h.app().composer().text().empty());
  EXPECT_TRUE(h.shows_in("##main", "Fisheries first, then the hotline.")) << h.screen_text();
  EXPECT_TRUE(h.shows("saving…")) << h.screen_text();
  EXPECT_TRUE(notes(h, meeting).empty()) << "committed before the writer ran";
  // The next note queues behind it.
  h.type("And a second thought.");
  h.press(keys::kEnter);
  h.frames(2);
  EXPECT_EQ(h.find_all("saving…").size(), 2u) << h.screen_text();

  gate.release();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_FALSE(h.shows("saving…")) << h.screen_text();
  auto n = notes(h, meeting);
  ASSERT_EQ(n.size(), 2u);
  EXPECT_EQ(n[0].text, "Fisheries first, then the hotline.");
  EXPECT_EQ(n[0].speaker_id, participant_id(h, "p2"));
  EXPECT_EQ(n[1].text, "And a second thought.");
  EXPECT_TRUE(h.shows("Fisheries first, then the hotline.")) << h.screen_text();
}

TEST_F(GuiViewsTest, NotesTypedQuicklyAreStoredInTheOrderTyped) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  // A note every three frames, each typed in the second frame after the previous Enter, while
  // an earlier write holds the writer: all of them wait in the queue.
  constexpr int kNotes = 40;
  WriterGate gate(h.ctx());
  for (int i = 0; i < kNotes; ++i) {
    h.type("Rapid note " + std::to_string(i));
    h.press(keys::kEnter);
  }
  h.frames(2);
  EXPECT_EQ(h.app().composer().text(), "") << "a note was not sent";
  EXPECT_TRUE(notes(h, meeting).empty());
  EXPECT_TRUE(h.shows("Rapid note " + std::to_string(kNotes - 1))) << h.screen_text();
  EXPECT_TRUE(h.shows("saving…")) << h.screen_text();
  gate.release();
  ASSERT_TRUE(h.wait_for_tasks());
  const auto n = notes(h, meeting);
  ASSERT_EQ(n.size(), static_cast<std::size_t>(kNotes)) << h.app().composer().error();
  for (int i = 0; i < kNotes; ++i) EXPECT_EQ(n[static_cast<std::size_t>(i)].text, "Rapid note " + std::to_string(i));
  for (std::size_t i = 1; i < n.size(); ++i) EXPECT_LT(n[i - 1].id, n[i].id);
  EXPECT_FALSE(h.shows("saving…"));
  EXPECT_TRUE(h.shows("Rapid note " + std::to_string(kNotes - 1))) << h.screen_text();
}

TEST_F(GuiViewsTest, ANoteTheVaultRefusesComesBackIntoTheComposerWithTheReason) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  // Too long for a note (the core refuses more than 100,000 bytes).
  const std::string too_long = "Refused canary " + std::string(core::Limits::kMaxNoteText, 'x');
  h.ctrl('1');
  h.frames(2);
  h.alt('4');
  h.type(too_long);
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(notes(h, meeting).empty());
  EXPECT_EQ(h.app().composer().text(), too_long) << "the text was lost";
  EXPECT_EQ(h.app().composer().kind(), core::NoteKind::agreement) << "the note's marks were lost";
  EXPECT_NE(h.app().composer().error().find("The note could not be saved"), std::string::npos)
      << h.app().composer().error();
  EXPECT_TRUE(h.shows("Its text is back in the composer.")) << h.screen_text();
  EXPECT_FALSE(h.shows("saving…"));

  // An edit of a note deleted meanwhile: the new text comes back, still as that note's edit.
  h.ctrl('A');
  h.type("A short note.");
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());
  auto n = notes(h, meeting);
  ASSERT_EQ(n.size(), 1u) << h.app().composer().error();
  EXPECT_TRUE(h.app().composer().error().empty());
  h.press(keys::kUp);
  h.frames(2);
  ASSERT_EQ(h.app().composer().editing(), std::optional<std::int64_t>(n[0].id));
  ASSERT_TRUE(core::delete_note(vault(h), n[0].id).ok());
  h.ctrl('A');
  h.type("A longer note, edited.");
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_EQ(h.app().composer().text(), "A longer note, edited.");
  EXPECT_EQ(h.app().composer().editing(), std::optional<std::int64_t>(n[0].id));
  EXPECT_NE(h.app().composer().error().find("The edit could not be saved"), std::string::npos)
      << h.app().composer().error();
}

TEST_F(GuiViewsTest, ANoteDeletedFromTheLogLeavesItAndPurgeErasesIt) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  ASSERT_NO_FATAL_FAILURE(take_note(h, '1', '1', "Keep this note."));
  ASSERT_NO_FATAL_FAILURE(take_note(h, '2', '1', "Delete this note."));
  const auto doomed = notes(h, meeting).back().id;
  // Right click on the note, Delete: the row says so until the writer has done it.
  const auto row = h.find_in("##main", "Delete this note.");
  ASSERT_TRUE(row) << h.screen_text();
  {
    WriterGate gate(h.ctx());
    h.click(row->center(), 1);
    ASSERT_TRUE(h.click_text("Delete")) << h.screen_text();
    h.frames(2);
    EXPECT_TRUE(h.shows("deleting…")) << h.screen_text();
  }
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_FALSE(h.shows("Delete this note.")) << h.screen_text();
  EXPECT_TRUE(h.shows("Keep this note.")) << h.screen_text();
  ASSERT_EQ(notes(h, meeting).size(), 1u);

  // Vault ▸ Purge deleted notes…: gone for good.
  ASSERT_TRUE(h.click_text("Vault")) << h.screen_text();
  ASSERT_TRUE(h.click_text("Purge deleted notes…")) << h.screen_text();
  h.frames(2);
  ASSERT_TRUE(h.click_text("Purge")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  // One: the deleted note was still stored until now.
  EXPECT_TRUE(h.shows("Purged 1 deleted notes.")) << h.screen_text();
  EXPECT_TRUE(h.shows("Keep this note.")) << h.screen_text();
  EXPECT_FALSE(core::get_note(vault(h), doomed).ok());
}

TEST_F(GuiViewsTest, ChangingADisclosureLevelInTheMatrixUpdatesTheLivePreview) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  h.ctrl('P');
  h.frames(3);
  const auto header = h.find("The public sees", true);
  ASSERT_TRUE(header) << h.screen_text();
  const float public_x = header->min.x;
  // Participant 1 is "anonymous" to the public: the preview says "A participant".
  const std::string before = preview(h, "p1", core::Audience::public_);
  EXPECT_EQ(before, "A participant");
  // The name in the matrix (the side panel lists it too, further right).
  std::optional<Found> name;
  for (const auto& f : h.find_all(kName1, true))
    if (f.run->layer == header->run->layer) name = f;
  ASSERT_TRUE(name) << h.screen_text();
  std::optional<Found> combo;
  for (const auto& f : h.find_all("anonymous", true))
    if (f.min.x >= public_x - 4 && std::abs(f.min.y - name->min.y) < h.font_size()) combo = f;
  ASSERT_TRUE(combo) << h.screen_text();
  // The preview in that cell, under the combo.
  auto preview_in_public_column = [&](const std::string& text) {
    for (const auto& f : h.find_all(text))
      if (f.min.x >= public_x - 4 && f.min.y > name->min.y && f.min.y < name->min.y + h.font_size() * 4) return true;
    return false;
  };
  EXPECT_TRUE(preview_in_public_column("A participant")) << h.screen_text();
  EXPECT_FALSE(preview_in_public_column(kName1));

  h.click(combo->center());
  h.frames(1);
  // The popup lists the levels; "role" is on top of everything else.
  const auto role = h.find("role", true);
  ASSERT_TRUE(role) << h.screen_text();
  ASSERT_TRUE(role->run->layer > combo->run->layer) << "the level list is not a popup";
  h.click(role->center());
  ASSERT_TRUE(h.wait_for_tasks());

  const std::string after = preview(h, "p1", core::Audience::public_);
  EXPECT_NE(after, before);
  EXPECT_EQ(after, "A retired admiral");
  EXPECT_TRUE(preview_in_public_column("A retired admiral")) << h.screen_text();
  EXPECT_FALSE(preview_in_public_column("A participant")) << h.screen_text();
  // Stored in the vault; the other audience untouched.
  auto ps = core::list_participants(vault(h), meeting);
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->front().level_for(core::Audience::public_), core::DisclosureLevel::role);
  EXPECT_EQ(ps->front().level_for(core::Audience::participants), core::DisclosureLevel::role);

  // Named, through the combo again: the preview is the name.
  const auto combo2 = [&]() -> std::optional<Found> {
    for (const auto& f : h.find_all("role", true))
      if (f.min.x >= public_x - 4 && std::abs(f.min.y - name->min.y) < h.font_size()) return f;
    return std::nullopt;
  }();
  ASSERT_TRUE(combo2) << h.screen_text();
  h.click(combo2->center());
  h.frames(1);
  ASSERT_TRUE(h.click_text("named"));
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_EQ(preview(h, "p1", core::Audience::public_), kName1);
  EXPECT_TRUE(preview_in_public_column(kName1)) << h.screen_text();
}

TEST_F(GuiViewsTest, CtrlLLocksShowsTheLockScreenAndForgetsEveryPlaintext) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  const std::string note = "Saltmarsh canary 7731 proposes joint patrols.";
  ASSERT_NO_FATAL_FAILURE(take_note(h, '1', '3', note));
  // Something half-typed in the composer, too.
  h.type("unsent draft canary 5520");
  h.frames(1);
  ASSERT_EQ(notes(h, meeting).size(), 1u);
  ASSERT_TRUE(h.app().debug_contains("Saltmarsh canary 7731"));
  ASSERT_TRUE(h.app().debug_contains(kName1));
  ASSERT_TRUE(h.app().debug_contains("unsent draft canary 5520"));
  // The participants panel too (names, previews, the matrix).
  h.ctrl('P');
  h.frames(2);
  ASSERT_TRUE(h.shows("The public sees"));

  h.ctrl('L');
  h.frames(2);
  EXPECT_FALSE(h.app().unlocked());
  EXPECT_TRUE(h.shows("Locked", true)) << h.screen_text();
  EXPECT_TRUE(h.shows("Locked with Ctrl+L.")) << h.screen_text();
  for (const char* canary : {"Saltmarsh canary 7731", "unsent draft canary 5520", kName1, kName2, "Round Three",
                             "Northern Sea Dialogue", "retired admiral", kPass}) {
    EXPECT_FALSE(h.app().debug_contains(canary)) << canary;
    EXPECT_FALSE(h.shows(canary)) << canary;
  }
  // The lock screen unlocks again: the field (with its hint) takes the passphrase.
  ASSERT_TRUE(h.click_text("Passphrase")) << h.screen_text();
  h.type(kPass);
  h.press(keys::kEnter);
  ASSERT_TRUE(h.pump_until([&] { return h.app().unlocked(); }));
  h.frames(4);
  EXPECT_TRUE(h.shows("Round Three")) << h.screen_text();
  EXPECT_FALSE(h.app().debug_contains(kPass));
}

TEST_F(GuiViewsTest, LockWaitsForRunningTasksAndClosesTheirConnectionsBeforeTheLockScreenShows) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  // A task like a summary: a second connection (with its keys), work that does not look at the
  // cancel flag for a while, and a continuation that still holds the connection.
  auto conn = h.ctx().vault->another_connection();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  auto held = std::make_shared<core::Vault>(std::move(*conn));
  std::atomic<bool> started{false}, ended{false};
  h.ctx().tasks.run("held connection", [held, &started, &ended](gui::TaskProgress&) -> gui::TaskRunner::Continuation {
    started = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    ended = true;
    return [held] {};
  });
  held.reset();
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  h.ctrl('L');
  EXPECT_TRUE(h.shows("Locked with Ctrl+L.")) << h.screen_text();
  EXPECT_TRUE(ended) << "the lock screen showed while a task was still running";
  EXPECT_FALSE(h.ctx().tasks.busy());
  // No connection is left: the folder can be locked exclusively at once (as a rekey does).
  auto exclusive = storage::FolderLock::acquire(vault_dir, storage::LockMode::exclusive, 0);
  EXPECT_TRUE(exclusive.ok()) << "a connection to the vault is still open after lock: " << exclusive.error().message;
}

TEST_F(GuiViewsTest, CtrlCInATextFieldGoesThroughTheClipboardGuard) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  const std::string canary = "Clipboard canary 8812 from the composer";
  auto clipboard = [] {
    const char* c = ImGui::GetClipboardText();
    return std::string(c != nullptr ? c : "");
  };
  // The composer has the keyboard after unlocking: type, select all, Ctrl+C.
  h.type(canary);
  ASSERT_TRUE(h.shows(canary)) << h.screen_text();
  h.ctrl('A');
  h.ctrl('C');
  ASSERT_EQ(clipboard(), canary);
  EXPECT_TRUE(h.ctx().clipboard.armed()) << "Ctrl+C in a text field bypassed the clipboard guard";
  EXPECT_TRUE(h.shows("clipboard clears in")) << h.screen_text();
  // Cleared 30 s later.
  h.frame(gui::ClipboardGuard::kClearAfterSeconds + 1);
  h.frames(1);
  EXPECT_EQ(clipboard(), "");
  EXPECT_FALSE(h.ctx().clipboard.armed());
  // Copied again, then the vault locks: cleared at once.
  h.ctrl('C');
  ASSERT_EQ(clipboard(), canary);
  h.ctrl('L');
  EXPECT_FALSE(h.app().unlocked());
  EXPECT_EQ(clipboard(), "") << "the clipboard still held what was copied after lock";
}

TEST_F(GuiViewsTest, LocksByItselfAfterTheConfiguredIdleTime) {
  GuiHarness h(vault_dir);
  h.app().settings().auto_lock_minutes = 2;
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  h.type("idle canary 3390");
  h.frames(1);
  ASSERT_TRUE(h.app().debug_contains("idle canary 3390"));
  // 100 s without input: still open. Then a key press counts as activity.
  h.frame(100.0);
  ASSERT_TRUE(h.app().unlocked());
  EXPECT_GT(h.app().seconds_until_deadline(h.now), 15.0);
  EXPECT_LT(h.app().seconds_until_deadline(h.now), 21.0);
  h.press(keys::kLeft);
  // Another 100 s: 200 s since unlocking, but only 100 since the key press.
  h.frame(100.0);
  ASSERT_TRUE(h.app().unlocked()) << "input did not count as activity";
  h.hover(ImVec2(300, 300));
  h.frame(110.0);
  ASSERT_TRUE(h.app().unlocked()) << "mouse movement did not count as activity";
  // 121 s of nothing: locked.
  h.frame(121.0);
  EXPECT_FALSE(h.app().unlocked());
  h.frames(1);
  EXPECT_TRUE(h.shows("Locked", true)) << h.screen_text();
  EXPECT_TRUE(h.shows("Locked after 2 minutes without activity.")) << h.screen_text();
  EXPECT_FALSE(h.app().debug_contains("idle canary 3390"));
  EXPECT_FALSE(h.app().debug_contains(kName1));
  EXPECT_FALSE(h.app().debug_contains("Round Three"));
}

TEST_F(GuiViewsTest, HeaderButtonsOfTheSidePanelsAreNotClipped) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  const float pad = ImGui::GetStyle().FramePadding.x;
  const auto plus = h.find("+", true);
  ASSERT_TRUE(plus) << h.screen_text();
  // The button's frame reaches the text's right edge plus the padding: it must fit the panel.
  EXPECT_LE(plus->max.x + pad, plus->run->clip.z) << "the Meetings panel's + button is cut off";
  EXPECT_GT(plus->min.x, h.find("Meetings", true)->max.x);
  std::optional<Found> edit;
  for (const auto& f : h.find_all("Edit", true))
    if (!edit || f.min.x > edit->min.x) edit = f;
  ASSERT_TRUE(edit) << h.screen_text();
  EXPECT_LE(edit->max.x + pad, edit->run->clip.z) << "the Participants panel's Edit button is cut off";
  // And the buttons work: + opens the new meeting dialog, Edit the participants tab.
  h.click(edit->center());
  h.frames(2);
  EXPECT_TRUE(h.shows("The public sees")) << h.screen_text();
  h.click(plus->center());
  h.frames(2);
  EXPECT_TRUE(h.shows("New meeting")) << h.screen_text();
}

// A meeting with 10,000 notes, imported in one transaction.
class GuiBigLogTest : public GuiViewsTest {
 protected:
  void SetUp() override {
    extra = [](core::Vault& v) {
      nlohmann::json doc;
      doc["format"] = "backchannel.meeting/1";
      doc["series"] = {{"title", "Long Dialogue"}, {"rule", "chatham-house"}};
      doc["meeting"] = {{"title", "Marathon session"}, {"starts_at", "2024-09-01T08:00:00Z"}};
      doc["participants"] = nlohmann::json::array({{{"key", "a"}, {"name", "Ilse Norrbotten"}},
                                                   {{"key", "b"}, {"name", "Tomasz Wierzbicki"}}});
      auto& ns = doc["notes"] = nlohmann::json::array();
      for (int i = 1; i <= 10000; ++i) {
        char text[160];
        std::snprintf(text, sizeof text, "Logline %05d on fisheries quotas%s", i,
                      i % 7 == 0 ? ", with a longer remark that wraps onto a second line of the log when the panel is narrow enough to need it"
                                 : ".");
        ns.push_back({{"speaker", i % 3 == 0 ? "a" : "b"}, {"text", text}});
      }
      auto r = core::import_meeting(v, doc.dump());
      ASSERT_TRUE(r.ok()) << r.error().message;
    };
    GuiViewsTest::SetUp();
  }
};

TEST_F(GuiBigLogTest, LogWithTenThousandNotesDrawsOnlyTheVisibleRows) {
  GuiHarness h(vault_dir);
  ASSERT_NO_FATAL_FAILURE(unlock_ok(h));
  ASSERT_TRUE(h.pump_until([&] { return h.app().note_log().row_count() == 10000; }, std::chrono::seconds(60)));
  h.frames(3);
  EXPECT_TRUE(h.shows("Marathon session")) << h.screen_text();
  // The log sticks to the bottom: the last note is on screen, the first is not.
  EXPECT_TRUE(h.shows("Logline 10000")) << h.screen_text();
  EXPECT_FALSE(h.shows("Logline 00001"));
  EXPECT_GT(h.app().note_log().rows_drawn(), 5u);
  EXPECT_LT(h.app().note_log().rows_drawn(), 60u);
  std::size_t shown = 0;
  for (const auto& r : h.runs())
    if (r.text.rfind("Logline ", 0) == 0) ++shown;
  EXPECT_LT(shown, 60u);
  EXPECT_LT(h.vertex_count(), 80000) << "every frame submits geometry for the whole log";

  // Scrolling up with the wheel over the log: other notes, still only a screenful.
  const auto last = h.find("Logline 10000");
  ASSERT_TRUE(last);
  for (int i = 0; i < 20; ++i) h.wheel(last->center(), 5.0f);
  h.frames(2);
  EXPECT_FALSE(h.shows("Logline 10000")) << h.screen_text();
  EXPECT_LT(h.app().note_log().rows_drawn(), 60u);
  EXPECT_GT(h.app().note_log().rows_drawn(), 5u);

  // What a frame costs with this log is measured by bench/bench_gui.cpp against an empty frame in
  // the same run (docs/performance.md), not timed here: the vertex and row counts above are what
  // keeps it from growing with the log.
}

TEST_F(GuiBigLogTest, AfterUnlockTheWindowSettlesWithoutInput) {
  GuiHarness h(vault_dir);
  h.frames(3);
  ASSERT_TRUE(h.click_field_below("Passphrase")) << h.screen_text();
  h.type(kPass);
  h.press(keys::kEnter);
  // Frames while Argon2id works (the spinner), up to the one that opens the vault; then no input
  // at all, and frames only while the app asks for them, as the program's event loop draws them
  // (it sleeps in glfwWaitEventsTimeout otherwise).
  ASSERT_TRUE(h.pump_until([&] { return h.app().unlocked() || !h.app().start_view().working(); }));
  ASSERT_TRUE(h.app().unlocked()) << h.app().start_view().error();
  int asked = 0;
  while (h.app().animating() && asked < 100) {
    h.frame();
    ++asked;
  }
  EXPECT_LE(asked, gui::App::kMaxSettleFrames) << "the app never stops asking for frames";
  // The tab bar is there, and the log shows its newest note.
  for (const char* tab : {"Notes", "Summary", "Responses"})
    EXPECT_TRUE(h.shows_in("##main", tab, true)) << tab << " tab missing\n" << h.screen_text();
  const auto last = h.find("Logline 10000");
  ASSERT_TRUE(last) << "the log is not at its end\n" << h.screen_text();
  EXPECT_TRUE(last->run->fully_visible()) << h.screen_text();
  // And it stays idle: nothing moves, so no more frames are asked for.
  h.frame();
  EXPECT_FALSE(h.app().animating());
}

}  // namespace
}  // namespace bc::test
