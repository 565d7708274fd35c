// The desktop client's floating windows, headless: archives, summary packages, the inbox and the
// review, the organizer's responses, the age tool, search, settings, and Persian typing in the
// composer. Each test opens real vaults in a temp folder through the start screen, drives the
// windows with mouse clicks, key presses and typed text (gui_harness.h), and checks what came out
// of them: the vaults (core API), the files written (opened with the real `age` tool and imported
// into another vault), the settings file, and what the views drew (read back from ImGui's draw
// lists).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/papers.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/review.h"
#include "backchannel/core/vault.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/note_composer.h"
#include "backchannel/gui/paper_view.h"
#include "backchannel/gui/keys_view.h"
#include "backchannel/gui/start_view.h"
#include "backchannel/storage/key_file.h"
#include "backchannel/storage/recovery_code.h"
#include "backchannel/storage/vault_store.h"
#include "gui_harness.h"
#include "gui_sample.h"
#include "test_support.h"
#include "tty_runner.h"

namespace bc::test {
namespace {

namespace fs = std::filesystem;
namespace keys = gui::keys;

constexpr const char* kPassA = "Organizer heron quartz 5521";
constexpr const char* kPassB = "Participant walnut ember 8830";
constexpr const char* kArchivePass = "Archive tundra lantern 3307";
constexpr const char* kName1 = kSampleName1;
constexpr const char* kName2 = kSampleName2;
constexpr const char* kName3 = "Cosima Drechsler";
constexpr const char* kNote1 = "We propose a hotline between the two navies.";
constexpr const char* kNote2 = "Fishing quotas in the northern strait need a joint review.";
// "A conversation about shipping in the Strait of Hormuz", with a zero-width non-joiner.
constexpr const char* kNotePersian = "گفتگو درباره‌ی کشتیرانی در تنگه هرمز";

// Persian words as they must be drawn: Arabic presentation forms (FriBidi's shaping) in visual
// order (right to left, so reversed), worked out by hand from the Unicode joining types.
// هرمز: heh initial, reh final, meem initial (reh does not join to the left), zain final.
constexpr const char* kHormuzVisual = "\uFEB0\uFEE3\uFEAE\uFEEB";
// سلام: seen initial, lam-alef ligature in its final form, meem isolated (alef does not join
// to the left).
constexpr const char* kSalamVisual = "\uFEE1\uFEFC\uFEB3";
// دوست: dal isolated, vav isolated, seen initial, teh final.
constexpr const char* kDustVisual = "\uFE96\uFEB3\uFEED\uFEA9";

// ---- the real age tool ----------------------------------------------------------------------

std::string age_bin() { return find_on_path("age"); }
std::string age_keygen_bin() { return find_on_path("age-keygen"); }

struct AgeKey {
  fs::path file;
  std::string recipient;
};

AgeKey make_age_key(const fs::path& file) {
  AgeKey k{file, {}};
  const RunResult gen = run_program(age_keygen_bin(), {"-o", file.string()});
  EXPECT_EQ(gen.exit_code, 0) << gen.err;
  const RunResult pub = run_program(age_keygen_bin(), {"-y", file.string()});
  EXPECT_EQ(pub.exit_code, 0) << pub.err;
  k.recipient = pub.out.substr(0, pub.out.find('\n'));
  return k;
}

RunResult age_decrypt(const AgeKey& key, const fs::path& file) {
  return run_program(age_bin(), {"-d", "-i", key.file.string(), file.string()});
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// ---- the fixture ----------------------------------------------------------------------------

class GuiWindowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(core::Vault::initialize_libraries().ok()); }

  void SetUp() override {
    ASSERT_FALSE(age_bin().empty()) << "the age tool is not installed (Debian package age)";
    ASSERT_FALSE(age_keygen_bin().empty()) << "age-keygen is not installed (Debian package age)";
    vault_a = (dir / "organizer.vault").string();
    vault_b = (dir / "participant.vault").string();
  }

  /// A vault with the interactive Argon2id profile (fast to unlock), filled by `fill`, closed
  /// again: the App opens it like the program does.
  void make_vault(const std::string& path, const char* pass, const std::function<void(core::Vault&)>& fill = {}) {
    auto c = core::Vault::create(path, secret(pass), crypto::KdfProfile::interactive);
    ASSERT_TRUE(c.ok()) << c.error().message;
    if (fill) {
      ASSERT_NO_FATAL_FAILURE(fill(c->vault));
    }
  }

  /// The organizer's vault: one meeting, two participants (p1 protected from both audiences,
  /// p2 named to the other participants), three notes. `more` adds to it.
  void make_organizer(const std::function<void(core::Vault&)>& more = {}) {
    ASSERT_NO_FATAL_FAILURE(make_vault(vault_a, kPassA, [&](core::Vault& v) {
      ASSERT_NO_FATAL_FAILURE(add_sample_meeting(v, meeting));
      ASSERT_NO_FATAL_FAILURE(note(v, "p1", kNote1));
      ASSERT_NO_FATAL_FAILURE(note(v, "p2", kNote2));
      ASSERT_NO_FATAL_FAILURE(note(v, "p2", kNotePersian));
      auto idty = core::vault_identity(v);
      ASSERT_TRUE(idty.ok());
      fingerprint_a = idty->fingerprint;
      if (more) {
        ASSERT_NO_FATAL_FAILURE(more(v));
      }
    }));
  }

  void note(core::Vault& v, const char* speaker, const std::string& text) {
    core::NewNote n;
    n.meeting_id = meeting;
    n.speaker_key = speaker;
    n.text = text;
    auto r = core::add_note(v, n);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  void set_recipient(core::Vault& v, const char* key, const std::string& recipient) {
    core::ParticipantUpdate u;
    u.recipient = recipient;
    auto st = core::update_participant(v, meeting, key, u);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }

  /// Types the passphrase into the start screen's field, presses Enter, waits for Argon2id.
  void unlock(GuiHarness& h, const char* pass) {
    ASSERT_NO_FATAL_FAILURE(submit_passphrase(h, pass));
    ASSERT_TRUE(h.app().unlocked()) << h.app().start_view().error();
    h.frames(4);
  }

  core::Vault& vault(GuiHarness& h) { return *h.ctx().vault; }

  /// Opens a menu of the menu bar and clicks one of its items (a prefix of its label).
  void menu(GuiHarness& h, const char* name, const char* item) {
    ASSERT_NO_FATAL_FAILURE(click_menu_item(h, name, item));
  }

  /// Of the places `text` is drawn in `window`, the top-most or bottom-most one.
  std::optional<Found> topmost(GuiHarness& h, const char* window, const char* text, bool lowest = false) {
    std::optional<Found> best;
    for (const Found& f : h.find_all_in(window, text, true))
      if (!best || (lowest ? f.min.y > best->min.y : f.min.y < best->min.y)) best = f;
    return best;
  }

  /// Clicks the label-less checkbox drawn just left of `text` (a list of names with a checkbox
  /// each).
  bool click_checkbox_left_of(GuiHarness& h, const char* window, const char* text) {
    const auto f = h.find_in(window, text, true);
    if (!f) return false;
    const float x = f->run->min.x - ImGui::GetStyle().ItemSpacing.x - ImGui::GetFrameHeight() * 0.5f;
    h.click(ImVec2(x, f->center().y));
    return true;
  }

  /// In the open file chooser: types `folder` into its path field (Enter lists it), clicks
  /// `file` in the listing if given, then the chooser's button.
  void choose_in_picker(GuiHarness& h, const fs::path& folder, const std::string& file, const char* button) {
    const char* picker = "##file-picker";
    ASSERT_TRUE(h.window_open(picker)) << h.screen_text();
    const auto up = h.find_in(picker, "Up", true);
    ASSERT_TRUE(up) << h.screen_text();
    // The path field fills the rest of the line after the Up button.
    h.click(ImVec2(up->max.x + h.font_size() * 6, up->center().y));
    h.retype(folder.string());
    h.press(keys::kEnter);
    h.frames(1);
    if (!file.empty()) {
      ASSERT_TRUE(h.click_in(picker, file)) << file << " is not listed:\n" << h.screen_text();
    }
    ASSERT_TRUE(h.click_in(picker, button)) << h.screen_text();
    h.frames(1);
    EXPECT_FALSE(h.window_open(picker));
  }

  std::vector<core::Note> notes_of(core::Vault& v, std::int64_t meeting_id) {
    auto n = core::list_notes(v, meeting_id);
    EXPECT_TRUE(n.ok()) << n.error().message;
    return n.ok() ? *n : std::vector<core::Note>{};
  }

  /// The texts of every note of every meeting of a vault.
  std::set<std::string> all_note_texts(core::Vault& v) {
    std::set<std::string> out;
    auto ms = core::list_meetings(v);
    EXPECT_TRUE(ms.ok());
    if (!ms) return out;
    for (const auto& m : *ms)
      for (const auto& n : notes_of(v, m.id)) out.insert(n.text);
    return out;
  }

  TempDir dir;
  std::string vault_a, vault_b;
  std::int64_t meeting = 0;
  std::string fingerprint_a;
};

// ---- 1. archives ----------------------------------------------------------------------------

TEST_F(GuiWindowsTest, ArchiveExportedToKeysOpensWithAgeAndImportsIntoASecondVault) {
  std::string recipient_b;
  ASSERT_NO_FATAL_FAILURE(make_vault(vault_b, kPassB, [&](core::Vault& v) {
    auto id = core::vault_identity(v);
    ASSERT_TRUE(id.ok());
    recipient_b = id->recipient;
  }));
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  const AgeKey outside = make_age_key(dir / "outside.key");
  const AgeKey stranger = make_age_key(dir / "stranger.key");
  ASSERT_FALSE(outside.recipient.empty());
  const fs::path out = dir / "round3.age";

  {
    GuiHarness h(vault_a);
    ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
    ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Export an archive"));
    const char* w = "Export an archive";
    ASSERT_TRUE(h.window_open(w)) << h.screen_text();
    // "Keys" and "This vault's own key" are the defaults; two more recipients, one per line:
    // the participant's vault and a key made by age-keygen.
    ASSERT_TRUE(h.click_field_below("Other recipients (age1…, one per line)")) << h.screen_text();
    h.type(recipient_b + "\n" + outside.recipient);
    ASSERT_TRUE(h.click_in(w, "e.g. ~/round7.age")) << h.screen_text();
    h.type(out.string());
    ASSERT_TRUE(h.click_in(w, "Export")) << h.screen_text();
    ASSERT_TRUE(h.wait_for_tasks());
    EXPECT_TRUE(h.shows_in(w, "Exported 1 meetings, 2 participants, 3 notes (3 revisions) to round3.age."))
        << h.screen_text();
  }

  ASSERT_TRUE(fs::exists(out));
  const std::string file = read_file(out);
  EXPECT_EQ(file.rfind("age-encryption.org/v1\n", 0), 0u);
  EXPECT_EQ(count_of(file, "\n-> X25519 "), 3u) << "this vault, the participant vault and the outside key";
  EXPECT_EQ(file.find(kNote1), std::string::npos);
  // The real age opens it with the key age-keygen made; a key it was not encrypted to does not.
  const RunResult d = age_decrypt(outside, out);
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.out.find("\"format\":\"backchannel.archive/1\""), std::string::npos) << d.out.substr(0, 200);
  EXPECT_NE(d.out.find(kNote1), std::string::npos);
  EXPECT_NE(d.out.find(kNote2), std::string::npos);
  EXPECT_NE(age_decrypt(stranger, out).exit_code, 0);

  // The participant's vault imports it through its own window.
  GuiHarness h(vault_b);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassB));
  EXPECT_FALSE(h.shows("Round Three"));
  ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Import an archive"));
  const char* w = "Import an archive";
  ASSERT_TRUE(h.window_open(w)) << h.screen_text();
  ASSERT_TRUE(h.click_in(w, "an .age file")) << h.screen_text();
  h.type(out.string());
  // Its signer is unknown here: refused until the user says to trust it, and nothing is merged.
  ASSERT_TRUE(h.click_in(w, "Import")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in(w, fingerprint_a.substr(0, 5))) << "the refusal shows the signer's fingerprint\n"
                                                         << h.screen_text();
  EXPECT_TRUE(core::list_meetings(vault(h))->empty());
  // The first-contact confirmation names the fingerprint; confirming it trusts it for archives.
  ASSERT_TRUE(h.click_in(w, "It matches: trust this signer for archives and import")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in(w, "Imported 1 series, 1 meetings, 2 participants, 3 notes, 3 revisions.")) << h.screen_text();

  auto ms = core::list_meetings(vault(h));
  ASSERT_TRUE(ms.ok());
  ASSERT_EQ(ms->size(), 1u);
  EXPECT_EQ(ms->front().title, "Round Three");
  EXPECT_EQ(all_note_texts(vault(h)), (std::set<std::string>{kNote1, kNote2, kNotePersian}));
  auto ps = core::list_participants(vault(h), ms->front().id);
  ASSERT_TRUE(ps.ok());
  ASSERT_EQ(ps->size(), 2u);
  EXPECT_EQ(ps->front().name, kName1);
  // The meetings list of the main window has it now.
  EXPECT_TRUE(h.shows_in("##main", "Round Three")) << h.screen_text();
}

TEST_F(GuiWindowsTest, ArchiveExportedToAPassphraseOpensWithAgeAndImportsWithThatPassphrase) {
  ASSERT_NO_FATAL_FAILURE(make_vault(vault_b, kPassB));
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  const fs::path out = dir / "round3-pass.age";
  {
    GuiHarness h(vault_a);
    ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
    ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Export an archive"));
    const char* w = "Export an archive";
    ASSERT_TRUE(h.click_in(w, "A passphrase")) << h.screen_text();
    h.frames(1);
    ASSERT_TRUE(h.click_field_below("Archive passphrase")) << h.screen_text();
    h.type(kArchivePass);
    ASSERT_TRUE(h.click_field_below("Repeat it")) << h.screen_text();
    h.type("Archive tundra lantern 3308");
    ASSERT_TRUE(h.click_in(w, "e.g. ~/round7.age")) << h.screen_text();
    h.type(out.string());
    // Two different passphrases: said so, and Export does nothing.
    EXPECT_TRUE(h.shows_in(w, "The two passphrases differ.")) << h.screen_text();
    ASSERT_TRUE(h.click_in(w, "Export")) << h.screen_text();
    h.frames(2);
    EXPECT_FALSE(h.app().tasks().busy());
    EXPECT_FALSE(fs::exists(out));
    ASSERT_TRUE(h.click_field_below("Repeat it")) << h.screen_text();
    h.retype(kArchivePass);
    h.frames(1);
    EXPECT_FALSE(h.shows_in(w, "The two passphrases differ.")) << h.screen_text();
    // Masked while typed.
    EXPECT_FALSE(h.shows("tundra"));
    ASSERT_TRUE(h.click_in(w, "Export")) << h.screen_text();
    ASSERT_TRUE(h.wait_for_tasks());
    EXPECT_TRUE(h.shows_in(w, "Exported 1 meetings, 2 participants, 3 notes")) << h.screen_text();
    // The fields were wiped when the export started.
    EXPECT_FALSE(h.app().debug_contains(kArchivePass));
  }

  ASSERT_TRUE(fs::exists(out));
  const std::string file = read_file(out);
  EXPECT_EQ(file.rfind("age-encryption.org/v1\n-> scrypt ", 0), 0u) << "one scrypt stanza and nothing else";
  EXPECT_EQ(count_of(file, "\n-> "), 1u);
  // The real age asks for the passphrase on its terminal and opens it.
  const fs::path plain = dir / "round3.plain";
  const TtyResult t =
      run_on_tty(age_bin(), {"-d", "-o", plain.string(), out.string()}, {{"Enter passphrase", kArchivePass}});
  ASSERT_EQ(t.exit_code, 0) << t.transcript;
  const std::string text = read_file(plain);
  EXPECT_EQ(text.rfind("{", 0), 0u);
  EXPECT_NE(text.find("\"format\":\"backchannel.archive/1\""), std::string::npos);
  EXPECT_NE(text.find(kNote2), std::string::npos);

  GuiHarness h(vault_b);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassB));
  ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Import an archive"));
  const char* w = "Import an archive";
  ASSERT_TRUE(h.click_in(w, "an .age file")) << h.screen_text();
  h.type(out.string());
  ASSERT_TRUE(h.click_field_below("Archive passphrase (only if it was exported with one)")) << h.screen_text();
  h.type(kArchivePass);
  ASSERT_TRUE(h.click_in(w, "Import")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  // Refused as a first contact; the passphrase was wiped, so it is typed again before confirming.
  ASSERT_TRUE(h.click_field_below("Archive passphrase (only if it was exported with one)")) << h.screen_text();
  h.type(kArchivePass);
  ASSERT_TRUE(h.click_in(w, "It matches: trust this signer for archives and import")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in(w, "Imported 1 series, 1 meetings, 2 participants, 3 notes, 3 revisions.")) << h.screen_text();
  EXPECT_EQ(all_note_texts(vault(h)), (std::set<std::string>{kNote1, kNote2, kNotePersian}));
  EXPECT_FALSE(h.app().debug_contains(kArchivePass));
}

// ---- 2. summary packages and the leak scanner -----------------------------------------------

TEST_F(GuiWindowsTest, SummaryPackagesOneFilePerChosenParticipantEachOpensOnlyWithTheirKey) {
  const AgeKey k1 = make_age_key(dir / "p1.key");
  const AgeKey k2 = make_age_key(dir / "p2.key");
  ASSERT_NO_FATAL_FAILURE(make_organizer([&](core::Vault& v) {
    ASSERT_NO_FATAL_FAILURE(set_recipient(v, "p1", k1.recipient));
    ASSERT_NO_FATAL_FAILURE(set_recipient(v, "p2", k2.recipient));
    // A third participant with no key yet: cannot be chosen.
    core::NewParticipant p3;
    p3.key = "p3";
    p3.name = kName3;
    p3.disclosure = {core::DisclosureLevel::named, core::DisclosureLevel::anonymous};
    ASSERT_TRUE(core::add_participant(v, meeting, p3).ok());
  }));
  const fs::path outbox = dir / "outbox";
  fs::create_directory(outbox);

  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  ASSERT_NO_FATAL_FAILURE(menu(h, "Meeting", "Send summary packages"));
  const char* w = "Send summary packages";
  ASSERT_TRUE(h.window_open(w)) << h.screen_text();
  EXPECT_TRUE(h.shows_in(w, "no key yet: add their age1… recipient under Participants")) << h.screen_text();
  // Without recipients the button does nothing.
  ASSERT_TRUE(h.click_in(w, "Create packages")) << h.screen_text();
  h.frames(2);
  EXPECT_FALSE(h.app().tasks().busy());
  for (const char* name : {kName1, kName2, kName3})
    ASSERT_TRUE(click_checkbox_left_of(h, w, name)) << name << "\n" << h.screen_text();
  ASSERT_TRUE(h.click_in(w, "e.g. ~/outbox")) << h.screen_text();
  h.type(outbox.string());
  ASSERT_TRUE(h.click_in(w, "Create packages")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());

  // One file per participant with a key (the one without could not be ticked).
  const auto files = files_in(outbox);
  ASSERT_EQ(files.size(), 2u) << h.screen_text();
  std::map<std::string, fs::path> by_key;
  for (const auto& f : files) {
    EXPECT_EQ(f.extension(), ".age");
    for (const char* s : {"Vantongeren", "Marchetti", "Drechsler", "Aurelio", "Bexley"})
      EXPECT_EQ(f.filename().string().find(s), std::string::npos) << "a file name carries a name: " << f;
    // The window lists each file with its participant's key.
    for (const char* key : {"p1", "p2"})
      if (h.shows_in(w, std::string(key) + " → " + f.filename().string())) by_key[key] = f;
  }
  ASSERT_EQ(by_key.size(), 2u) << h.screen_text();
  // Each opens with its participant's key only (the real age), and is a signed package.
  const RunResult d1 = age_decrypt(k1, by_key["p1"]);
  ASSERT_EQ(d1.exit_code, 0) << d1.err;
  const RunResult d2 = age_decrypt(k2, by_key["p2"]);
  ASSERT_EQ(d2.exit_code, 0) << d2.err;
  EXPECT_NE(age_decrypt(k2, by_key["p1"]).exit_code, 0);
  EXPECT_NE(age_decrypt(k1, by_key["p2"]).exit_code, 0);
  for (const RunResult* d : {&d1, &d2}) {
    EXPECT_NE(d->out.find("\"format\":\"backchannel.package/1\""), std::string::npos) << d->out.substr(0, 200);
    EXPECT_NE(d->out.find("{\"signature\":"), std::string::npos);
    EXPECT_NE(d->out.find(kNote2), std::string::npos);
  }
  // p1 is protected from the other participants: p2's copy never names them.
  EXPECT_EQ(d2.out.find("Vantongeren"), std::string::npos);
  EXPECT_NE(d2.out.find("retired admiral"), std::string::npos);
  // The organizer's Responses panel now lists both as sent.
  auto rs = core::meeting_responses(vault(h), meeting);
  ASSERT_TRUE(rs.ok());
  std::set<std::string> sent;
  for (const auto& r : *rs)
    if (r.package_sent) sent.insert(r.key);
  EXPECT_EQ(sent, (std::set<std::string>{"p1", "p2"}));
}

TEST_F(GuiWindowsTest, SummaryExportAndPackagesAreRefusedWhileTheLeakScannerBlocks) {
  const AgeKey k2 = make_age_key(dir / "p2.key");
  ASSERT_NO_FATAL_FAILURE(make_organizer([&](core::Vault& v) {
    ASSERT_NO_FATAL_FAILURE(set_recipient(v, "p2", k2.recipient));
    // Shown by their descriptor, which names p1, who is protected: the independent scanner
    // must stop every summary of this meeting.
    core::NewParticipant p3;
    p3.key = "p3";
    p3.name = kName3;
    p3.descriptor = "a colleague of Vantongeren";
    p3.disclosure = {core::DisclosureLevel::role, core::DisclosureLevel::role};
    ASSERT_TRUE(core::add_participant(v, meeting, p3).ok());
    ASSERT_NO_FATAL_FAILURE(note(v, "p3", "The ferry schedule is agreed."));
  }));
  const fs::path outbox = dir / "outbox";
  const fs::path exports = dir / "exports";
  fs::create_directory(outbox);
  fs::create_directory(exports);

  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  h.ctrl('E');
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows("Blocked: summary blocked by the leak scanner")) << h.screen_text();
  // Export… is disabled: clicking it opens no file chooser.
  ASSERT_TRUE(h.click_in("##main", "Export…")) << h.screen_text();
  h.frames(2);
  EXPECT_FALSE(h.window_open("##file-picker"));
  EXPECT_FALSE(h.shows("Save the summary (plaintext)"));

  // Packages are refused as a whole, and no file is written.
  ASSERT_NO_FATAL_FAILURE(menu(h, "Meeting", "Send summary packages"));
  const char* w = "Send summary packages";
  ASSERT_TRUE(click_checkbox_left_of(h, w, kName2)) << h.screen_text();
  ASSERT_TRUE(h.click_in(w, "e.g. ~/outbox")) << h.screen_text();
  h.type(outbox.string());
  ASSERT_TRUE(h.click_in(w, "Create packages")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in(w, "leak scanner")) << h.screen_text();
  EXPECT_TRUE(files_in(outbox).empty());
  auto rs = core::meeting_responses(vault(h), meeting);
  ASSERT_TRUE(rs.ok());
  for (const auto& r : *rs) EXPECT_FALSE(r.package_sent) << r.key;
  h.press(keys::kEscape);
  EXPECT_FALSE(h.window_open(w));

  // Naming p1 to the other participants (the matrix) lifts the block; export works again.
  h.ctrl('P');
  h.frames(2);
  const auto header = h.find("Other participants see", true);
  ASSERT_TRUE(header) << h.screen_text();
  const auto public_header = h.find("The public sees", true);
  ASSERT_TRUE(public_header);
  std::optional<Found> name;
  for (const auto& f : h.find_all(kName1, true))
    if (f.run->layer == header->run->layer) name = f;
  ASSERT_TRUE(name) << h.screen_text();
  std::optional<Found> combo;
  for (const auto& f : h.find_all("role", true))
    if (f.min.x >= header->min.x - 4 && f.min.x < public_header->min.x - 4 &&
        std::abs(f.min.y - name->min.y) < h.font_size())
      combo = f;
  ASSERT_TRUE(combo) << h.screen_text();
  h.click(combo->center());
  h.frames(1);
  ASSERT_TRUE(h.click_text("named")) << h.screen_text();
  h.frames(2);
  h.ctrl('E');
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows("Leak scanner: clear.")) << h.screen_text();
  ASSERT_TRUE(h.click_in("##main", "Export…")) << h.screen_text();
  h.frames(2);
  ASSERT_TRUE(h.shows_in("##file-picker", "Save the summary (plaintext)")) << h.screen_text();
  ASSERT_NO_FATAL_FAILURE(choose_in_picker(h, exports, "", "Choose"));
  ASSERT_TRUE(h.wait_for_tasks());
  const fs::path md = exports / "summary.md";
  ASSERT_TRUE(fs::exists(md)) << h.screen_text();
  const std::string summary = read_file(md);
  EXPECT_NE(summary.find("The ferry schedule is agreed."), std::string::npos) << summary;
  EXPECT_NE(summary.find(kName1), std::string::npos) << "named now\n" << summary;
  EXPECT_EQ(summary.find(kName3), std::string::npos) << "p3 stays at the role level\n" << summary;
}

TEST_F(GuiWindowsTest, SummaryExportsAsAPdfToPrint) {
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  const fs::path exports = dir / "exports";
  fs::create_directory(exports);
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  h.ctrl('E');
  ASSERT_TRUE(h.wait_for_tasks());
  ASSERT_TRUE(h.shows("Leak scanner: clear.")) << h.screen_text();
  ASSERT_TRUE(h.click_in("##main", "Markdown")) << h.screen_text();
  h.frames(1);
  ASSERT_TRUE(h.click_text("PDF")) << h.screen_text();
  h.frames(1);
  ASSERT_TRUE(h.click_in("##main", "Export…")) << h.screen_text();
  h.frames(2);
  ASSERT_NO_FATAL_FAILURE(choose_in_picker(h, exports, "", "Choose"));
  ASSERT_TRUE(h.wait_for_tasks());
  const fs::path pdf = exports / "summary.pdf";
  ASSERT_TRUE(fs::exists(pdf)) << h.screen_text();
  EXPECT_EQ(read_file(pdf).rfind("%PDF-", 0), 0u);
  const std::string pdftotext = find_on_path("pdftotext");
  ASSERT_FALSE(pdftotext.empty()) << "pdftotext is not installed (Debian package poppler-utils)";
  RunResult text = run_program(pdftotext, {pdf.string(), "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::replace(text.out.begin(), text.out.end(), '\n', ' ');  // lines end where the PDF's lines end
  EXPECT_NE(text.out.find(kNote2), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Not for publication"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find(kName1), std::string::npos) << "p1 is protected\n" << text.out;
}

// ---- 3. inbox, review, responses ------------------------------------------------------------

TEST_F(GuiWindowsTest, AParticipantReviewsAPackageAndTheOrganizerSeesWhatTheyApproved) {
  std::string recipient_b, fingerprint_b;
  ASSERT_NO_FATAL_FAILURE(make_vault(vault_b, kPassB, [&](core::Vault& v) {
    auto id = core::vault_identity(v);
    ASSERT_TRUE(id.ok());
    recipient_b = id->recipient;
    fingerprint_b = id->fingerprint;
  }));
  const fs::path outbox = dir / "outbox";
  const fs::path replies = dir / "replies";
  fs::create_directory(replies);
  fs::path package;
  std::int64_t note1 = 0, note2 = 0;
  ASSERT_NO_FATAL_FAILURE(make_organizer([&](core::Vault& v) {
    ASSERT_NO_FATAL_FAILURE(set_recipient(v, "p1", recipient_b));
    for (const auto& n : notes_of(v, meeting)) {
      if (n.text == kNote1) note1 = n.id;
      if (n.text == kNote2) note2 = n.id;
    }
    // The package is made with the core API here; the window that makes them has its own test.
    auto files = core::package_summaries(v, meeting, core::Audience::participants, {{"p1", std::nullopt}}, outbox);
    ASSERT_TRUE(files.ok()) << files.error().message;
    ASSERT_EQ(files->size(), 1u);
    package = files->front().path;
  }));
  const std::string correction = "We propose a hotline between the two coast guards.";

  // The participant: import into the inbox, approve one statement, correct another, export.
  {
    GuiHarness h(vault_b);
    ASSERT_NO_FATAL_FAILURE(unlock(h, kPassB));
    h.ctrl('I');
    h.frames(2);
    const char* w = "Inbox";
    ASSERT_TRUE(h.window_open(w)) << h.screen_text();
    EXPECT_TRUE(h.shows_in(w, "The inbox is empty.")) << h.screen_text();
    ASSERT_TRUE(h.click_in(w, "an .age file")) << h.screen_text();
    h.type(package.string());
    // An organizer this vault does not know: refused, with their fingerprint.
    ASSERT_TRUE(h.click_in(w, "Import package")) << h.screen_text();
    ASSERT_TRUE(h.wait_for_tasks());
    EXPECT_TRUE(h.shows_in(w, fingerprint_a.substr(0, 5))) << h.screen_text();
    EXPECT_TRUE(core::list_inbox(vault(h))->empty());
    ASSERT_TRUE(h.click_in(w, "It matches: trust this organizer for summary packages and import")) << h.screen_text();
    ASSERT_TRUE(h.wait_for_tasks());
    auto inbox = core::list_inbox(vault(h));
    ASSERT_TRUE(inbox.ok());
    ASSERT_EQ(inbox->size(), 1u) << h.screen_text();
    EXPECT_EQ(inbox->front().sender_fingerprint, fingerprint_a);

    // The review window opened on it.
    const char* r = "Review a summary";
    ASSERT_TRUE(h.window_open(r)) << h.screen_text();
    EXPECT_TRUE(h.shows_in(r, "Northern Sea Dialogue: Round Three")) << h.screen_text();
    const auto s1 = h.find_in(r, kNote1, true);
    const auto s2 = h.find_in(r, kNote2, true);
    ASSERT_TRUE(s1 && s2) << h.screen_text();
    // The statement's own controls are the first ones below its text.
    auto below = [&](const Found& text, const char* label) {
      std::optional<Found> best;
      for (const Found& f : h.find_all_in(r, label, true))
        if (f.min.y > text.max.y && (!best || f.min.y < best->min.y)) best = f;
      return best;
    };
    const auto approve2 = below(*s2, "Approve");
    ASSERT_TRUE(approve2) << h.screen_text();
    ASSERT_TRUE(h.click_found(*approve2));
    const auto correct1 = below(*s1, "Correct…");
    ASSERT_TRUE(correct1) << h.screen_text();
    const ImVec2 at = correct1->center();
    ASSERT_TRUE(h.click_found(*correct1));
    h.frames(1);
    // The correction field took the button's place, filled with the statement.
    h.click(at);
    h.retype(correction);
    ASSERT_TRUE(h.click_in(r, "Save review")) << h.screen_text();
    ASSERT_TRUE(h.wait_for_tasks());  // the writer records it off the frame
    EXPECT_TRUE(h.shows_in(r, "approved")) << h.screen_text();
    EXPECT_TRUE(h.shows_in(r, "corrected")) << h.screen_text();
    EXPECT_TRUE(h.shows_in(r, "Your correction: " + correction)) << h.screen_text();

    auto item = core::get_inbox_item(vault(h), inbox->front().id);
    ASSERT_TRUE(item.ok());
    int approved = 0, corrected = 0;
    for (const auto& s : item->statements) {
      if (s.text == kNote2) {
        EXPECT_EQ(s.action.value_or(""), "approve");
        ++approved;
      } else if (s.text == kNote1) {
        EXPECT_EQ(s.action.value_or(""), "correct");
        EXPECT_EQ(s.correction.value_or(""), correction);
        EXPECT_TRUE(s.own) << "p1's own statement";
        ++corrected;
      } else {
        EXPECT_FALSE(s.action.has_value()) << s.text;
      }
    }
    EXPECT_EQ(approved, 1);
    EXPECT_EQ(corrected, 1);

    ASSERT_TRUE(h.click_in(r, "Export response for the organizer…")) << h.screen_text();
    h.frames(2);
    ASSERT_TRUE(h.shows_in("##file-picker", "Save the response")) << h.screen_text();
    ASSERT_NO_FATAL_FAILURE(choose_in_picker(h, replies, "", "Choose"));
    ASSERT_TRUE(h.wait_for_tasks());
    EXPECT_TRUE(h.shows("Response written to response.age, encrypted to the organizer.")) << h.screen_text();
  }
  const fs::path response = replies / "response.age";
  ASSERT_TRUE(fs::exists(response));
  EXPECT_EQ(read_file(response).find(correction), std::string::npos);

  // The organizer: the Responses panel imports it and shows who approved and corrected what.
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  h.ctrl('R');
  h.frames(2);
  EXPECT_TRUE(h.shows("no response yet")) << h.screen_text();
  ASSERT_TRUE(h.click_in("##main", "Import a response…")) << h.screen_text();
  h.frames(2);
  ASSERT_TRUE(h.shows_in("##file-picker", "Choose a participant's response")) << h.screen_text();
  ASSERT_NO_FATAL_FAILURE(choose_in_picker(h, replies, "response.age", "Open"));
  ASSERT_TRUE(h.wait_for_tasks());
  // First contact (issue 15, item 1): the participant's fingerprint is shown and nothing is
  // stored until the organizer confirms it.
  EXPECT_TRUE(h.shows(fingerprint_b)) << h.screen_text();
  for (const auto& r : *core::meeting_responses(vault(h), meeting)) EXPECT_FALSE(r.responded);
  ASSERT_TRUE(h.click_in("##main", "It matches: pin this participant's key and import")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows("Response from participant p1 imported.")) << h.screen_text();
  EXPECT_TRUE(h.shows("responded: 1 approved, 1 corrected")) << h.screen_text();
  EXPECT_TRUE(h.shows("note " + std::to_string(note1) + ", corrected to:")) << h.screen_text();
  EXPECT_TRUE(h.shows(correction)) << h.screen_text();
  EXPECT_FALSE(h.shows("no response yet")) << h.screen_text();

  auto rs = core::meeting_responses(vault(h), meeting);
  ASSERT_TRUE(rs.ok());
  ASSERT_EQ(rs->size(), 2u);
  const auto& p1 = rs->front().key == "p1" ? rs->front() : rs->back();
  EXPECT_EQ(p1.key, "p1");
  EXPECT_TRUE(p1.responded);
  EXPECT_EQ(p1.approved, std::vector<std::int64_t>{note2});
  ASSERT_EQ(p1.corrections.size(), 1u);
  EXPECT_EQ(p1.corrections[0].first, note1);
  EXPECT_EQ(p1.corrections[0].second, correction);
}

// ---- 4. the age tool ------------------------------------------------------------------------

TEST_F(GuiWindowsTest, AgeToolEncryptsAndDecryptsAFileWithAPassphrase) {
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  // More than two 64 KiB chunks of the age payload.
  std::string plain;
  for (int i = 0; plain.size() < 150000; ++i) plain += "minutes line " + std::to_string(i) + " \x01\x02\xff\n";
  const fs::path in = dir / "minutes.bin", enc = dir / "minutes.bin.age", dec = dir / "minutes.out";
  write_file(in, plain);
  const std::string pass = "Tool passphrase mirror 6612";

  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  ASSERT_NO_FATAL_FAILURE(menu(h, "Tools", "Encrypt or decrypt an age file"));
  const char* w = "age encrypt / decrypt";
  ASSERT_TRUE(h.window_open(w)) << h.screen_text();
  ASSERT_TRUE(h.click_field_below("Input file")) << h.screen_text();
  h.type(in.string());
  ASSERT_TRUE(h.click_field_below("Output file (must not exist)")) << h.screen_text();
  h.type(enc.string());
  ASSERT_TRUE(h.click_in(w, "With a passphrase")) << h.screen_text();
  h.frames(1);
  ASSERT_TRUE(h.click_in(w, "passphrase")) << h.screen_text();
  h.type(pass);
  const auto encrypt = topmost(h, w, "Encrypt", true);  // the button, under the radio button
  ASSERT_TRUE(encrypt) << h.screen_text();
  ASSERT_TRUE(h.click_found(*encrypt));
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in(w, "Done.", true)) << h.screen_text();
  ASSERT_TRUE(fs::exists(enc));
  const std::string file = read_file(enc);
  EXPECT_EQ(file.rfind("age-encryption.org/v1\n-> scrypt ", 0), 0u);
  EXPECT_EQ(file.find("minutes line"), std::string::npos);
  // The real age opens it with the passphrase.
  const fs::path check = dir / "minutes.check";
  const TtyResult t = run_on_tty(age_bin(), {"-d", "-o", check.string(), enc.string()}, {{"Enter passphrase", pass}});
  ASSERT_EQ(t.exit_code, 0) << t.transcript;
  EXPECT_TRUE(read_file(check) == plain);

  // Back through the window, with the passphrase typed again (the field was emptied after use).
  const auto decrypt_radio = topmost(h, w, "Decrypt");
  ASSERT_TRUE(decrypt_radio) << h.screen_text();
  ASSERT_TRUE(h.click_found(*decrypt_radio));
  h.frames(1);
  ASSERT_TRUE(h.click_field_below("Input file")) << h.screen_text();
  h.retype(enc.string());
  ASSERT_TRUE(h.click_field_below("Output file (must not exist)")) << h.screen_text();
  h.retype(dec.string());
  ASSERT_TRUE(h.click_in(w, "passphrase")) << "the passphrase field was not emptied\n" << h.screen_text();
  h.type(pass);
  const auto decrypt = topmost(h, w, "Decrypt", true);  // the button, under the radio button
  ASSERT_TRUE(decrypt && decrypt->min.y > decrypt_radio->min.y) << h.screen_text();
  ASSERT_TRUE(h.click_found(*decrypt));
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in(w, "Done.", true)) << h.screen_text();
  ASSERT_TRUE(fs::exists(dec));
  EXPECT_TRUE(read_file(dec) == plain);
  EXPECT_FALSE(h.app().debug_contains(pass));
}

// ---- vault keys: new recovery code, Argon2id cost, rekey ------------------------------------

/// The recovery codes (6 groups of 5 Crockford Base32 characters) on screen.
std::vector<std::string> codes_on_screen(GuiHarness& h) {
  static const std::regex kCode("[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}");
  std::vector<std::string> out;
  for (const TextRun& r : h.runs()) {
    std::smatch m;
    if (std::regex_search(r.text, m, kCode)) out.push_back(m.str());
  }
  return out;
}

/// Whether `code` opens the recovery slot of the vault in `dir` (read-only).
bool recovery_code_opens(const std::string& dir, const std::string& code) {
  auto keys = storage::load_key_file(fs::path(dir) / storage::kKeysFile);
  auto parsed = storage::parse_recovery_code(code);
  if (!keys || !parsed || keys->find(storage::SlotType::recovery) == nullptr) return false;
  return storage::open_slot(*keys->find(storage::SlotType::recovery), *keys, parsed->span()).ok();
}

TEST_F(GuiWindowsTest, VaultKeysWindowMakesANewRecoveryCodeRaisesTheCostAndReKeys) {
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  const std::string new_pass = "Rekeyed osprey marble 8830 lantern";
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  const auto notes_before = core::list_notes(vault(h), meeting);
  ASSERT_TRUE(notes_before.ok());
  const char* w = "Vault keys";
  auto open_window = [&] {
    ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Recovery code, key cost and rekey"));
    ASSERT_TRUE(h.window_open(w)) << h.screen_text();
  };
  auto type_current = [&](const char* pass) {
    ASSERT_TRUE(h.click_field_below("Current passphrase")) << h.screen_text();
    h.type(pass);
  };
  auto confirm_code = [&] {
    ASSERT_TRUE(h.click_in(w, "I have written it down")) << h.screen_text();
    h.frames(1);
    ASSERT_TRUE(h.click_in(w, "Done")) << h.screen_text();
    h.frames(2);
    EXPECT_FALSE(h.app().keys_view().showing_code());
    EXPECT_TRUE(codes_on_screen(h).empty()) << h.screen_text();
  };

  // 1. A new recovery code, shown once: it opens the vault, the old one no longer does.
  ASSERT_NO_FATAL_FAILURE(open_window());
  ASSERT_NO_FATAL_FAILURE(type_current("wrong passphrase entirely 111"));
  ASSERT_TRUE(h.click_in(w, "Make a new recovery code")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in(w, "The current passphrase is wrong.")) << h.screen_text();
  const std::string keys_before = read_file(fs::path(vault_a) / "vault.keys");
  ASSERT_NO_FATAL_FAILURE(type_current(kPassA));
  ASSERT_TRUE(h.click_in(w, "Make a new recovery code")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  auto shown = codes_on_screen(h);
  ASSERT_EQ(shown.size(), 1u) << h.screen_text();
  const std::string code1 = shown.front();
  EXPECT_NE(read_file(fs::path(vault_a) / "vault.keys"), keys_before);
  EXPECT_TRUE(recovery_code_opens(vault_a, code1));
  ASSERT_NO_FATAL_FAILURE(confirm_code());
  EXPECT_FALSE(h.app().debug_contains(code1));

  // 2. The Argon2id cost raised from interactive (the test vault's) to moderate.
  auto cost = vault(h).passphrase_cost();
  ASSERT_TRUE(cost.ok());
  ASSERT_EQ(cost->profile, core::KdfProfile::interactive);
  ASSERT_NO_FATAL_FAILURE(open_window());
  ASSERT_NO_FATAL_FAILURE(type_current(kPassA));
  ASSERT_TRUE(h.click_in(w, "moderate (256 MiB)")) << h.screen_text();
  h.frames(1);
  ASSERT_TRUE(h.click_in(w, "Raise the cost")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks(std::chrono::seconds(120)));
  {
    auto reopened = core::Vault::open(vault_a, secret(kPassA));
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    auto c = reopened->passphrase_cost();
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->profile, core::KdfProfile::moderate);
  }
  EXPECT_TRUE(recovery_code_opens(vault_a, code1)) << "raising the cost must keep the recovery code";

  // 3. Rekey to a new passphrase: the app locks, re-keys and opens again under the new keys,
  // with the new code shown once.
  const std::string keys_file_before = read_file(fs::path(vault_a) / "vault.keys");
  ASSERT_NO_FATAL_FAILURE(type_current(kPassA));
  ASSERT_TRUE(h.click_field_below("New passphrase (leave empty to keep the current one)")) << h.screen_text();
  h.type(new_pass);
  h.frames(1);
  ASSERT_TRUE(h.click_field_below("Repeat the new passphrase")) << h.screen_text();
  h.type(new_pass);
  h.frames(1);
  ASSERT_TRUE(h.click_in(w, "Re-key the vault")) << h.screen_text();
  h.frames(1);
  EXPECT_FALSE(h.app().unlocked()) << "the vault must be locked while it is re-keyed";
  ASSERT_TRUE(h.pump_until([&] { return h.app().unlocked() && h.app().keys_view().showing_code(); },
                           std::chrono::seconds(180)))
      << h.screen_text();
  h.frames(2);
  shown = codes_on_screen(h);
  ASSERT_EQ(shown.size(), 1u) << h.screen_text();
  const std::string code2 = shown.front();
  EXPECT_TRUE(h.shows_in(w, "The vault was re-keyed")) << h.screen_text();
  EXPECT_TRUE(recovery_code_opens(vault_a, code2));
  EXPECT_FALSE(recovery_code_opens(vault_a, code1)) << "the old recovery code still opens after rekey";
  // The old key file's master key no longer opens the database: a different salt is named.
  EXPECT_NE(read_file(fs::path(vault_a) / "vault.keys"), keys_file_before);
  EXPECT_FALSE(core::Vault::open(vault_a, secret(kPassA)).ok()) << "the old passphrase still opens";
  {
    auto v = core::Vault::open(vault_a, secret(new_pass));
    ASSERT_TRUE(v.ok()) << v.error().message;
  }
  auto notes_after = core::list_notes(vault(h), meeting);
  ASSERT_TRUE(notes_after.ok());
  ASSERT_EQ(notes_after->size(), notes_before->size());
  for (std::size_t i = 0; i < notes_after->size(); ++i) EXPECT_EQ((*notes_after)[i].text, (*notes_before)[i].text);
  auto idty = core::vault_identity(vault(h));
  ASSERT_TRUE(idty.ok());
  EXPECT_EQ(idty->fingerprint, fingerprint_a) << "rekey must keep the identity";
  ASSERT_NO_FATAL_FAILURE(confirm_code());
  EXPECT_FALSE(h.app().debug_contains(code2));
  EXPECT_FALSE(h.app().debug_contains(new_pass));
}

// ---- 5. search ------------------------------------------------------------------------------

TEST_F(GuiWindowsTest, CtrlFFindsNotesByLatinAndPersianQueries) {
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  h.ctrl('F');
  h.frames(2);
  const char* w = "Search";
  ASSERT_TRUE(h.window_open(w)) << h.screen_text();
  EXPECT_FALSE(h.shows_in(w, kNote1));
  // The field has the keyboard; results come once typing pauses. Case is ignored, a word prefix
  // matches.
  h.type("HOTLINE nav");
  h.frame(0.2);
  h.frames(1);
  EXPECT_TRUE(h.shows_in(w, kNote1)) << h.screen_text();
  EXPECT_TRUE(h.shows_in(w, kName1)) << "the speaker\n" << h.screen_text();
  EXPECT_TRUE(h.shows_in(w, "Round Three")) << h.screen_text();
  EXPECT_FALSE(h.shows_in(w, kNote2)) << h.screen_text();

  h.retype("hotline quotas");
  h.frame(0.2);
  h.frames(1);
  EXPECT_TRUE(h.shows_in(w, "No notes match.")) << h.screen_text();
  EXPECT_FALSE(h.shows_in(w, kNote1)) << h.screen_text();

  // Persian typed with the Arabic kaf and yeh (an Arabic keyboard): the note written with the
  // Persian letters matches, and is drawn shaped and right to left.
  h.retype("كشتيراني");
  h.frame(0.2);
  h.frames(1);
  EXPECT_FALSE(h.shows_in(w, "No notes match.")) << h.screen_text();
  EXPECT_TRUE(h.shows_in(w, kHormuzVisual)) << h.screen_text();
  EXPECT_TRUE(h.shows_in(w, kName2)) << h.screen_text();
  EXPECT_FALSE(h.shows_in(w, kNote1)) << h.screen_text();
  // The raw letters of the note never reach the screen unshaped.
  EXPECT_FALSE(h.shows_in(w, "هرمز")) << h.screen_text();

  // Enter opens the first result: the window closes on the meeting's notes.
  h.press(keys::kEnter);
  h.frames(2);
  EXPECT_FALSE(h.window_open(w));
  EXPECT_EQ(h.ctx().meeting, std::optional<std::int64_t>(meeting));
}

// ---- 6. settings: remembering vault folders -------------------------------------------------

TEST_F(GuiWindowsTest, VaultFoldersAreRememberedOnlyWhenAskedAndOnlyAsPaths) {
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  const fs::path settings = dir / "config" / "backchannel" / "settings.json";
  auto load = [&] {
    const auto j = nlohmann::json::parse(read_file(settings), nullptr, false);
    EXPECT_TRUE(j.is_object()) << read_file(settings);
    return j;
  };
  // Everything the settings file may hold: preferences, and vault folders.
  const std::set<std::string> allowed_keys = {"auto_lock_minutes", "privacy_veil", "remember_recent", "recent_vaults",
                                              "ui_scale", "window_width", "window_height"};
  auto check_no_vault_contents = [&](const std::string& text) {
    for (const char* s : {"Round Three", "Northern Sea", kName1, kName2, kNote1, "hotline", kPassA})
      EXPECT_EQ(text.find(s), std::string::npos) << s << " in the settings file:\n" << text;
  };

  // Opened with "Remember this folder" off (the default): nothing is written at all.
  {
    gui::AppOptions o;
    o.settings_path = settings;
    o.vault = vault_a;
    GuiHarness h(std::move(o));
    h.frames(2);
    EXPECT_FALSE(h.app().start_view().remember()) << "off until the user asks";
    ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
    EXPECT_FALSE(fs::exists(settings));
    // A preference changed in the Settings window is written, still without the folder.
    ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Settings"));
    ASSERT_TRUE(h.window_open("Settings")) << h.screen_text();
    ASSERT_TRUE(h.click_in("Settings", "Privacy veil: note text shows as bars until the mouse is over it"))
        << h.screen_text();
    h.frames(1);
    ASSERT_TRUE(fs::exists(settings));
    const std::string text = read_file(settings);
    const auto j = load();
    EXPECT_EQ(j.value("privacy_veil", false), true);
    EXPECT_EQ(j.value("remember_recent", true), false);
    EXPECT_TRUE(j["recent_vaults"].empty()) << text;
    EXPECT_EQ(text.find(vault_a), std::string::npos) << text;
    EXPECT_EQ(text.find("organizer.vault"), std::string::npos) << text;
    EXPECT_EQ(text.find(dir.path().string()), std::string::npos) << text;
    check_no_vault_contents(text);
  }

  // Opened with it ticked: the folder's path, and nothing else about the vault.
  {
    gui::AppOptions o;
    o.settings_path = settings;
    o.vault = vault_a;
    GuiHarness h(std::move(o));
    h.frames(3);
    ASSERT_TRUE(h.click_text("Remember this folder on this computer")) << h.screen_text();
    ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
    const std::string text = read_file(settings);
    const auto j = load();
    EXPECT_EQ(j.value("remember_recent", false), true) << text;
    EXPECT_EQ(j["recent_vaults"], nlohmann::json::array({vault_a})) << text;
    EXPECT_EQ(j.value("privacy_veil", false), true) << "the earlier preference is kept";
    for (const auto& [k, v] : j.items()) EXPECT_TRUE(allowed_keys.count(k)) << k;
    EXPECT_EQ(count_of(text, dir.path().string()), 1u) << text;
    check_no_vault_contents(text);
  }

  // Next start, without --vault: the remembered folder is offered and preselected; turning the
  // option off in Settings forgets it.
  {
    gui::AppOptions o;
    o.settings_path = settings;
    GuiHarness h(std::move(o));
    h.frames(3);
    EXPECT_TRUE(h.shows("Recent", true)) << h.screen_text();
    EXPECT_TRUE(h.shows(vault_a, true)) << h.screen_text();
    EXPECT_TRUE(h.app().start_view().remember()) << "the box follows the option chosen earlier";
    ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));  // only the passphrase was typed
    EXPECT_EQ(h.ctx().vault_dir, fs::path(vault_a));
    ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Settings"));
    ASSERT_TRUE(h.click_in("Settings", "Remember the folders of vaults I open")) << h.screen_text();
    h.frames(1);
    const std::string text = read_file(settings);
    const auto j = load();
    EXPECT_EQ(j.value("remember_recent", true), false) << text;
    EXPECT_TRUE(j["recent_vaults"].empty()) << text;
    EXPECT_EQ(text.find(dir.path().string()), std::string::npos) << text;
  }
  {
    gui::AppOptions o;
    o.settings_path = settings;
    GuiHarness h(std::move(o));
    h.frames(3);
    EXPECT_FALSE(h.shows("Recent", true)) << h.screen_text();
    EXPECT_FALSE(h.shows(vault_a)) << h.screen_text();
    EXPECT_TRUE(h.app().start_view().folder().empty());
  }
}

// ---- 7. Persian in the composer -------------------------------------------------------------

TEST_F(GuiWindowsTest, PersianTypedInTheComposerIsPreviewedShapedAndRightToLeft) {
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  const std::string typed = "سلام دوست";  // "hello friend", logical order
  h.ctrl('2');
  h.frames(2);
  h.type(typed);
  h.frames(1);
  ASSERT_EQ(h.app().composer().text(), typed);
  // The field shows the letters as typed: unjoined, in logical order.
  const auto field = h.find(typed, true);
  ASSERT_TRUE(field) << h.screen_text();
  // Under it, the preview: presentation forms, the words in visual order (the first word
  // rightmost), aligned to the right.
  const auto salam = h.find(kSalamVisual);
  const auto dust = h.find(kDustVisual);
  ASSERT_TRUE(salam && dust) << h.screen_text();
  EXPECT_EQ(salam->run, dust->run) << "one line";
  EXPECT_EQ(salam->run->text, std::string(kDustVisual) + " " + kSalamVisual);
  EXPECT_LT(dust->max.x, salam->min.x);
  EXPECT_GT(salam->min.y, field->max.y) << "the preview is under the field";
  EXPECT_GT(salam->run->min.x, field->run->max.x + h.font_size() * 10) << "the preview is not aligned right";
  // The lam-alef ligature replaced two letters; nothing invisible (U+FEFF) is drawn.
  EXPECT_EQ(salam->run->text.find("\uFEFF"), std::string::npos);

  // Enter saves the text as typed, not its display form; the log shows it shaped.
  h.press(keys::kEnter);
  ASSERT_TRUE(h.wait_for_tasks());  // the writer commits off the frame
  auto n = notes_of(vault(h), meeting);
  ASSERT_EQ(n.size(), 4u) << h.app().composer().error();
  EXPECT_EQ(n.back().text, typed);
  EXPECT_FALSE(h.shows(typed)) << "the composer is empty again; the log draws the note shaped\n" << h.screen_text();
  EXPECT_TRUE(h.shows(std::string(kDustVisual) + " " + kSalamVisual)) << h.screen_text();
  EXPECT_TRUE(h.shows_in("##main", kName2)) << h.screen_text();
}

// The joint paper editor: a paper created, a section written in English and Persian (the Persian
// drawn shaped beside its field), the stale mark after an English edit, approval, a printed copy
// through the file chooser (pdftotext reads it), the register, and a trace of that copy's text,
// with the warning about recipients comparing copies.
TEST_F(GuiWindowsTest, ThePaperEditorWritesBothLanguagesApprovesCopiesAndTraces) {
  ASSERT_NO_FATAL_FAILURE(make_organizer());
  const fs::path exports = dir / "exports";
  fs::create_directory(exports);
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  ASSERT_NO_FATAL_FAILURE(menu(h, "Meeting", "Joint paper of the series"));
  ASSERT_TRUE(h.window_open("Joint paper")) << h.screen_text();
  ASSERT_TRUE(h.click_in("Joint paper", "Title of a new paper")) << h.screen_text();
  h.type("Fisheries in the strait");
  h.frames(1);
  ASSERT_TRUE(h.click_in("Joint paper", "Create paper")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  auto papers = core::list_papers(vault(h));
  ASSERT_TRUE(papers.ok());
  ASSERT_EQ(papers->size(), 1u);
  const std::int64_t paper = papers->front().id;
  EXPECT_EQ(h.app().paper().paper(), paper);

  const std::string english = "Both navies {{shall keep | will keep}} a hotline open.";
  ASSERT_TRUE(h.click_field_below("English. Alternates: {{first | second}}; lists of \"+ \" lines are unordered.")) << h.screen_text();
  h.type(english);
  ASSERT_TRUE(h.click_field_below("Persian (the field shows it unshaped; the preview beside it as it will print)")) << h.screen_text();
  h.type(kNotePersian);
  h.frames(2);
  EXPECT_TRUE(h.find_in("Joint paper", kHormuzVisual).has_value()) << "the Persian preview is shaped\n" << h.screen_text();
  ASSERT_TRUE(h.click_in("Joint paper", "Add section")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  auto p = core::get_paper(vault(h), paper);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->sections.size(), 1u);
  EXPECT_EQ(p->sections[0].english, english);
  EXPECT_EQ(p->sections[0].persian, kNotePersian);

  // An English edit: the Persian is marked stale, and the earlier English stays.
  ASSERT_TRUE(h.click_field_below("English. Alternates: {{first | second}}; lists of \"+ \" lines are unordered.")) << h.screen_text();
  h.press(keys::kEnd, true);
  h.type(" Now.");
  ASSERT_TRUE(h.click_in("Joint paper", "Save section")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in("Joint paper", "Persian older than the English")) << h.screen_text();
  auto history = core::paper_section_history(vault(h), p->sections[0].id, core::TextLanguage::english);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->back().text, english + " Now.");

  ASSERT_TRUE(h.click_in("Joint paper", "Approve this version")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_TRUE(h.shows_in("Joint paper", "approved by every author")) << h.screen_text();

  ASSERT_TRUE(h.click_in("Joint paper", "Copies and register")) << h.screen_text();
  h.frames(2);
  ASSERT_TRUE(h.click_in("Joint paper", "Label (e.g. the official's name)")) << h.screen_text();
  h.type("Official A");
  h.frames(1);
  ASSERT_TRUE(h.click_in("Joint paper", "Make a copy…")) << h.screen_text();
  h.frames(2);
  ASSERT_NO_FATAL_FAILURE(choose_in_picker(h, exports, "", "Choose"));
  ASSERT_TRUE(h.wait_for_tasks());
  const fs::path pdf = exports / "paper-copy.pdf";  // never named after the recipient
  ASSERT_TRUE(fs::exists(pdf)) << h.screen_text();
  const RunResult text = run_program(find_on_path("pdftotext"), {pdf.string(), "-"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("a hotline open. Now."), std::string::npos) << text.out;
  auto copies = core::list_paper_copies(vault(h), paper);
  ASSERT_TRUE(copies.ok());
  ASSERT_EQ(copies->size(), 1u);
  EXPECT_EQ(copies->front().channel, core::CopyChannel::print);
  h.frames(2);
  EXPECT_TRUE(h.shows_in("Joint paper", copies->front().fingerprint)) << "the register lists it\n" << h.screen_text();

  ASSERT_TRUE(h.click_in("Joint paper", "Trace a leak")) << h.screen_text();
  h.frames(2);
  EXPECT_TRUE(h.shows_in("Joint paper", "Two recipients")) << h.screen_text();
  ASSERT_TRUE(h.click_field_below("Paste the leaked text (retyped or OCR'd is fine):")) << h.screen_text();
  h.type("a hotline");
  ASSERT_TRUE(h.click_in("Joint paper", "Trace")) << h.screen_text();
  ASSERT_TRUE(h.wait_for_tasks());
  EXPECT_EQ(h.app().paper().trace_verdict(), "cannot tell");
  EXPECT_TRUE(h.shows_in("Joint paper", "cannot tell", true)) << h.screen_text();
  EXPECT_TRUE(h.app().debug_contains("a hotline"));
  h.app().lock();
  h.frames(2);
  EXPECT_FALSE(h.app().debug_contains("hotline open")) << "the paper's text is wiped on lock";
}

// ---- trusted keys ----------------------------------------------------------------------------

// Vault > Trusted keys lists what `trust list` lists; Remove asks first, Cancel keeps the key,
// and Remove trust takes it off the list and out of the vault.
TEST_F(GuiWindowsTest, TrustedKeysWindowListsAKeyAndRemovesItOnlyAfterConfirmation) {
  core::VaultIdentity other;
  ASSERT_NO_FATAL_FAILURE(make_vault(vault_b, kPassB, [&](core::Vault& v) {
    auto id = core::vault_identity(v);
    ASSERT_TRUE(id.ok());
    other = *id;
  }));
  ASSERT_NO_FATAL_FAILURE(make_organizer([&](core::Vault& v) {
    auto st = core::trust_signer(v, other.ed25519, other.x25519, core::TrustPurpose::archives, "archive signer");
    ASSERT_TRUE(st.ok()) << st.error().message;
  }));
  GuiHarness h(vault_a);
  ASSERT_NO_FATAL_FAILURE(unlock(h, kPassA));
  const char* w = "Trusted keys";
  ASSERT_NO_FATAL_FAILURE(menu(h, "Vault", "Trusted keys"));
  ASSERT_TRUE(h.window_open(w)) << h.screen_text();
  EXPECT_TRUE(h.find_in(w, other.fingerprint)) << h.screen_text();
  EXPECT_TRUE(h.find_in(w, "archives", true)) << h.screen_text();
  EXPECT_TRUE(h.find_in(w, "archive signer")) << h.screen_text();

  ASSERT_TRUE(h.click_in(w, "Remove…")) << h.screen_text();
  h.frames(1);
  EXPECT_TRUE(h.find_in(w, "Stop trusting " + other.fingerprint)) << h.screen_text();
  ASSERT_TRUE(h.click_in(w, "Cancel")) << h.screen_text();
  h.frames(1);
  EXPECT_FALSE(h.find_in(w, "Stop trusting")) << h.screen_text();
  auto kept = core::list_trusted_keys(vault(h));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 1u) << "Cancel removed nothing";

  ASSERT_TRUE(h.click_in(w, "Remove…")) << h.screen_text();
  h.frames(1);
  ASSERT_TRUE(h.click_in(w, "Remove trust")) << h.screen_text();
  h.frames(2);
  auto left = core::list_trusted_keys(vault(h));
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  EXPECT_TRUE(h.find_in(w, "No trusted keys")) << h.screen_text();
  bool trusted = true;
  auto t = core::is_trusted_signer(vault(h), other.ed25519, core::TrustPurpose::archives);
  ASSERT_TRUE(t.ok());
  trusted = *t;
  EXPECT_FALSE(trusted);
}

}  // namespace
}  // namespace bc::test
