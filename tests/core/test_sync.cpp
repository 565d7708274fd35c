// The team sync engine (sync.h, team.h, conflicts.h; docs/sync.md) over real vaults in temp
// folders sharing a plain folder, through the core API: the clock hold, re-enrolment of a copied
// vault, compaction into snapshots, the protective merges end to end, conflict resolution, team
// epochs, and random concurrent edits applied in random interleavings.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "backchannel/core/conflicts.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meeting_import.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/search.h"
#include "backchannel/core/sync.h"
#include "backchannel/core/team.h"
#include "backchannel/crypto/age.h"
#include "sync_bundle.h"
#include "sync_merge.h"
#include "sync_state.h"
#include "test_support.h"
#include "vault_store_access.h"

namespace bc::test {
namespace {

namespace fs = std::filesystem;
using core::SyncOptions;
using core::SyncReport;
using core::Vault;

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

SyncOptions clock_at(std::int64_t ms) {
  SyncOptions o;
  o.clock = [ms] { return ms; };
  return o;
}
core::ParticipantUpdate aliases(std::vector<std::string> a) {
  core::ParticipantUpdate u;
  u.aliases = std::move(a);
  return u;
}
core::ParticipantUpdate rulings(std::vector<core::ShortFormRule> r) {
  core::ParticipantUpdate u;
  u.short_forms = std::move(r);
  return u;
}
core::ParticipantUpdate persian_descriptor(std::string d) {
  core::ParticipantUpdate u;
  u.descriptor_fa = std::move(d);
  return u;
}
core::MeetingUpdate public_terms(std::vector<std::string> t) {
  core::MeetingUpdate u;
  u.public_terms = std::move(t);
  return u;
}

class SyncCoreTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directory(folder()); }
  fs::path folder() const { return dir / "folder"; }

  Vault& make(const std::string& name) {
    auto c = Vault::create(dir / name, secret("test passphrase"), crypto::KdfProfile::interactive);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return vaults[name] = std::move(c->vault);
  }
  Vault& v(const std::string& name) { return vaults.at(name); }
  void close(const std::string& name) { vaults.erase(name); }
  void reopen(const std::string& name) {
    auto o = Vault::open(dir / name, secret("test passphrase"));
    ASSERT_TRUE(o.ok()) << o.error().message;
    vaults[name] = std::move(*o);
  }

  std::string fingerprint(const std::string& name) { return core::vault_identity(v(name))->fingerprint; }

  SyncReport sync(const std::string& name, const SyncOptions& options = {}) {
    auto r = core::sync_once(v(name), folder(), options);
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().message;
    if (!r.ok()) return {};
    EXPECT_EQ(r->refused, 0u) << name << " refused: " << (r->refusals.empty() ? "" : r->refusals.front())
                              << (r->refusals.size() > 1 ? " | " + r->refusals[1] : "");
    return *r;
  }
  // Every vault syncs, twice round, so that what each published reaches every other.
  void sync_all(const std::vector<std::string>& names) {
    for (int round = 0; round < 2; ++round)
      for (const auto& n : names) sync(n);
  }

  // "a" imports the sample meeting (meeting 1 in every vault), shares its series and adds the
  // others, who accept a's key and apply its snapshot.
  void make_team(const std::vector<std::string>& members) {
    make("a");
    for (const auto& m : members) make(m);
    auto imp = core::import_meeting(v("a"), read_file(sample_meeting_file()));
    ASSERT_TRUE(imp.ok()) << imp.error().message;
    auto series = core::list_series(v("a"));
    ASSERT_TRUE(series.ok() && series->size() == 1u);
    series_id = series->front().id;
    series_uid = series->front().uid;
    ASSERT_TRUE(core::create_team(v("a"), series_id).ok());
    for (const auto& m : members) {
      auto id = core::vault_identity(v(m));
      ASSERT_TRUE(id.ok());
      ASSERT_TRUE(core::add_team_member(v("a"), series_id, {id->recipient, id->signing_key, id->fingerprint}, id->fingerprint).ok());
    }
    sync("a");
    for (const auto& m : members) {
      sync(m);
      ASSERT_TRUE(core::accept_team_signer(v(m), fingerprint("a")).ok());
      const SyncReport r = sync(m);
      ASSERT_GE(r.applied, 1u);
      ASSERT_EQ(r.pending, 0u);
    }
  }

  std::string digest(const std::string& name) {
    auto d = core::series_digest(v(name), series_uid);
    EXPECT_TRUE(d.ok()) << name;
    return d.ok() ? *d : std::string();
  }
  void expect_converged(const std::vector<std::string>& names) {
    for (const auto& n : names) EXPECT_EQ(digest(n), digest(names.front())) << n << " and " << names.front() << " differ";
  }

  std::vector<std::string> note_texts(const std::string& name) {
    std::vector<std::string> out;
    for (const auto& n : *core::list_notes(v(name), 1)) out.push_back(n.text);
    std::sort(out.begin(), out.end());
    return out;
  }
  bool has_note(const std::string& name, const std::string& text) {
    const auto t = note_texts(name);
    return std::find(t.begin(), t.end(), text) != t.end();
  }
  std::int64_t note_id(const std::string& name, const std::string& uid) {
    for (const auto& n : *core::list_notes(v(name), 1))
      if (n.uid == uid) return n.id;
    ADD_FAILURE() << name << " has no note " << uid;
    return 0;
  }
  std::int64_t add_note(const std::string& name, const std::string& text) {
    core::NewNote n;
    n.meeting_id = 1;
    n.text = text;
    auto id = core::add_note(v(name), n);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : 0;
  }
  core::Participant participant(const std::string& name, const std::string& key) {
    auto p = core::find_participant(v(name), 1, key);
    EXPECT_TRUE(p.ok()) << name << " " << key;
    return p.ok() ? *p : core::Participant{};
  }
  void update(const std::string& name, const std::string& key, const core::ParticipantUpdate& u) {
    auto s = core::update_participant(v(name), 1, key, u);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  std::vector<core::Conflict> conflicts(const std::string& name, const std::string& field) {
    std::vector<core::Conflict> out;
    for (auto& c : *core::list_conflicts(v(name)))
      if (c.field == field) out.push_back(std::move(c));
    return out;
  }
  std::vector<fs::path> files_of(const std::string& device) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder() / series_uid / device, ec)) out.push_back(e.path());
    return out;
  }
  std::string device_of(const std::string& name) { return *core::sync::device_id(v(name)); }

  TempDir dir;
  std::map<std::string, Vault> vaults;
  std::int64_t series_id = 0;
  std::string series_uid;
};

// ---- the one-day clock hold ----

TEST_F(SyncCoreTest, ABundleDatedMoreThanADayAheadIsHeldAndReportedUntilTheClockCatchesUp) {
  make_team({"b"});
  sync("a");  // b's snapshot as a newcomer
  add_note("b", "Typed on b, whose clock is right.");
  EXPECT_EQ(sync("b").published, 1u);
  // Seen from a computer whose clock is two days behind, b's bundle is more than a day ahead.
  const std::int64_t now = core::sync::wall_ms();
  const SyncReport held = sync("a", clock_at(now - 2 * kDayMs));
  EXPECT_EQ(held.applied, 0u);
  EXPECT_EQ(held.pending, 1u);
  ASSERT_FALSE(held.notices.empty());
  EXPECT_NE(held.notices.back().find("more than a day ahead"), std::string::npos) << held.notices.back();
  EXPECT_FALSE(has_note("a", "Typed on b, whose clock is right."));
  // Less than a day behind: applied.
  const SyncReport later = sync("a", clock_at(now - kDayMs + 60 * 60 * 1000));
  EXPECT_EQ(later.applied, 1u);
  EXPECT_EQ(later.pending, 0u);
  EXPECT_TRUE(has_note("a", "Typed on b, whose clock is right."));
  expect_converged({"a", "b"});
}

// ---- re-enrolment ----

TEST_F(SyncCoreTest, AVaultCopiedFromABackupReenrolsAsANewDeviceAndLosesNothing) {
  make_team({"b"});
  add_note("b", "Before the backup.");
  sync("b");
  const std::string old_device = device_of("b");
  close("b");
  fs::copy(dir / "b", dir / "b2", fs::copy_options::recursive);
  reopen("b");
  vaults["b2"] = std::move(*Vault::open(dir / "b2", secret("test passphrase")));
  // The original goes on publishing under its device id...
  add_note("b", "Written on the original after the backup.");
  EXPECT_EQ(sync("b").published, 1u);
  // ...and the restored copy finds a later bundle of its own device in the folder.
  add_note("b2", "Written on the restored copy.");
  const SyncReport r = sync("b2");
  EXPECT_NE(device_of("b2"), old_device) << "the copy publishes under a new device id";
  EXPECT_EQ(device_of("b"), old_device);
  bool told = false;
  for (const auto& n : r.notices) told = told || n.find("copied or restored") != std::string::npos;
  EXPECT_TRUE(told) << "re-enrolment is reported";
  sync_all({"a", "b", "b2"});
  for (const char* name : {"a", "b", "b2"})
    for (const char* t : {"Before the backup.", "Written on the original after the backup.", "Written on the restored copy."})
      EXPECT_TRUE(has_note(name, t)) << name << " lacks: " << t;
  expect_converged({"a", "b", "b2"});
  // No sequence number was used twice: every file under the old device id is the original's.
  for (const auto& f : files_of(old_device)) EXPECT_EQ(f.filename().string().find("conflict"), std::string::npos) << f;
}

TEST_F(SyncCoreTest, AnEngineConflictCopyOfItsOwnBundleMakesAVaultReenrol) {
  make_team({"b"});
  add_note("b", "First on b.");
  sync("b");
  const std::string old_device = device_of("b");
  const auto files = files_of(old_device);
  ASSERT_FALSE(files.empty());
  // What Syncthing leaves when two machines wrote the same name.
  const fs::path last = *std::max_element(files.begin(), files.end());
  fs::copy_file(last, last.parent_path() / (last.stem().string() + ".sync-conflict-20261203-101500-ABCDEFG.age"));
  add_note("b", "Second on b.");
  const SyncReport r = sync("b");
  EXPECT_NE(device_of("b"), old_device);
  EXPECT_GE(r.published, 1u);
  sync_all({"a", "b"});
  EXPECT_TRUE(has_note("a", "First on b."));
  EXPECT_TRUE(has_note("a", "Second on b."));
  expect_converged({"a", "b"});
}

// ---- compaction ----

TEST_F(SyncCoreTest, OldBundlesAreCompactedIntoASnapshotThatBothLateAndCurrentPeersCatchUpFrom) {
  make_team({"b", "c"});
  SyncOptions compact;
  compact.compact_after = 3;
  for (int i = 1; i <= 2; ++i) {
    add_note("b", "Note " + std::to_string(i) + " from b.");
    sync("b", compact);
  }
  sync("c");  // c is current up to here; a stays away
  const std::string device = device_of("b");
  for (int i = 3; i <= 5; ++i) {
    add_note("b", "Note " + std::to_string(i) + " from b.");
    sync("b", compact);
  }
  // b's first bundles were replaced by a snapshot once it had three in the folder.
  for (const char* gone : {"1.age", "2.age", "3.age"})
    EXPECT_FALSE(fs::exists(folder() / series_uid / device / gone)) << gone << " was compacted";
  EXPECT_LE(files_of(device).size(), 3u);
  const SyncReport late = sync("a");
  EXPECT_GE(late.applied, 1u);
  EXPECT_EQ(late.pending, 0u);
  sync("c");
  for (const char* name : {"a", "c"})
    for (int i = 1; i <= 5; ++i) EXPECT_TRUE(has_note(name, "Note " + std::to_string(i) + " from b.")) << name << " note " << i;
  // The snapshot's notes are in the search index (filled once, at the end of the snapshot).
  auto hits = search_notes(v("a"), "from b");
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_EQ(hits->size(), 5u);
  add_note("b", "Note 6 from b.");
  sync("b");
  sync("a");
  hits = search_notes(v("a"), "from b");
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_EQ(hits->size(), 6u);
  sync("c");
  expect_converged({"a", "b", "c"});
}

// ---- protective merges end to end ----

TEST_F(SyncCoreTest, ConcurrentAliasesMergeAsAUnionAndPublicTermsAsAnIntersection) {
  make_team({"b"});
  update("a", "b", aliases(std::vector<std::string>{"Ms. Hashemi", "پریسا هاشمی", "P. H."}));
  update("b", "b", aliases(std::vector<std::string>{"Dr Hashemi"}));
  ASSERT_TRUE(core::update_meeting(v("a"), 1, public_terms(std::vector<std::string>{"UNEP", "Afghanistan", "Iran", "Oman"})).ok());
  ASSERT_TRUE(core::update_meeting(v("b"), 1, public_terms(std::vector<std::string>{"UNEP", "Iran"})).ok());
  sync_all({"a", "b"});
  for (const char* name : {"a", "b"}) {
    const auto aliases = participant(name, "b").aliases;
    EXPECT_EQ(std::set<std::string>(aliases.begin(), aliases.end()),
              (std::set<std::string>{"Ms. Hashemi", "پریسا هاشمی", "P. H.", "Dr Hashemi"}))
        << name << ": no alias escapes redaction";
    const auto terms = core::get_meeting(v(name), 1)->public_terms;
    EXPECT_EQ(std::set<std::string>(terms.begin(), terms.end()), (std::set<std::string>{"UNEP", "Iran"}))
        << name << ": nothing becomes public by a merge";
  }
  expect_converged({"a", "b"});
}

TEST_F(SyncCoreTest, ConcurrentShortFormRulingsKeepTheProtectiveOneAndResolvingTheOtherWayTakesASecondMember) {
  make_team({"b"});
  using core::ShortFormOf;
  using core::ShortFormUse;
  update("a", "b", rulings(std::vector<core::ShortFormRule>{{ShortFormOf::name, "Parisa", ShortFormUse::alone}}));
  // b's write is later by the clock, and less protective.
  update("b", "b", rulings(std::vector<core::ShortFormRule>{{ShortFormOf::name, "Parisa", ShortFormUse::not_alone}}));
  sync_all({"a", "b"});
  for (const char* name : {"a", "b"}) {
    const auto rules = participant(name, "b").short_forms;
    ASSERT_EQ(rules.size(), 1u) << name;
    EXPECT_EQ(rules[0].use, ShortFormUse::alone) << name << ": the more protective ruling stands";
    EXPECT_EQ(conflicts(name, "short_forms").size(), 1u) << name << ": the conflict stays open";
  }
  expect_converged({"a", "b"});
  // a keeps b's side: a lowering, pending until b confirms.
  const auto c = conflicts("a", "short_forms").front();
  std::string weaker;
  for (const auto& s : c.sides)
    if (s.value.find("not-alone") != std::string::npos) weaker = s.change;
  ASSERT_FALSE(weaker.empty());
  ASSERT_TRUE(core::resolve_conflict(v("a"), c.id, weaker).ok());
  EXPECT_EQ(participant("a", "b").short_forms.at(0).use, ShortFormUse::alone) << "not on a's word alone";
  sync_all({"a", "b"});
  auto pending = core::pending_confirmations(v("b"));
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().field, "short_forms");
  ASSERT_TRUE(core::confirm_change(v("b"), pending->front().change).ok());
  sync_all({"a", "b"});
  for (const char* name : {"a", "b"}) {
    EXPECT_EQ(participant(name, "b").short_forms.at(0).use, ShortFormUse::not_alone) << name;
    EXPECT_TRUE(conflicts(name, "short_forms").empty()) << name;
  }
  expect_converged({"a", "b"});
}

TEST_F(SyncCoreTest, ConcurrentPersianDescriptorsLeaveTheGenericFormUntilTwoMembersSettleIt) {
  make_team({"b"});
  update("a", "b", persian_descriptor("یک دیپلمات سابق"));
  update("b", "b", persian_descriptor("یک کارشناس محیط زیست از تهران"));
  sync_all({"a", "b"});
  for (const char* name : {"a", "b"}) {
    EXPECT_FALSE(participant(name, "b").descriptor_fa.has_value()) << name << ": neither descriptor while they disagree";
    EXPECT_EQ(conflicts(name, "descriptor_fa").size(), 1u) << name;
  }
  expect_converged({"a", "b"});
  const auto c = conflicts("b", "descriptor_fa").front();
  ASSERT_TRUE(core::resolve_conflict(v("b"), c.id, "یک دیپلمات سابق").ok());
  EXPECT_FALSE(participant("b", "b").descriptor_fa.has_value()) << "a descriptor where the generic form stood waits for a second member";
  sync_all({"a", "b"});
  auto pending = core::pending_confirmations(v("a"));
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  ASSERT_TRUE(core::confirm_change(v("a"), pending->front().change).ok());
  sync_all({"a", "b"});
  for (const char* name : {"a", "b"}) {
    EXPECT_EQ(participant(name, "b").descriptor_fa.value_or(""), "یک دیپلمات سابق") << name;
    EXPECT_TRUE(conflicts(name, "descriptor_fa").empty()) << name;
  }
  expect_converged({"a", "b"});
}

// ---- note conflicts ----

TEST_F(SyncCoreTest, ConcurrentEditsOfANoteKeepBothRevisionsAndOneResolutionClosesTheConflictEverywhere) {
  make_team({"b"});
  const auto first = core::list_notes(v("a"), 1)->front();
  ASSERT_TRUE(core::edit_note(v("a"), first.id, "Edited on a.").ok());
  ASSERT_TRUE(core::edit_note(v("b"), note_id("b", first.uid), "Edited on b.").ok());
  sync_all({"a", "b"});
  std::string a_revision;
  for (const char* name : {"a", "b"}) {
    const auto notes = conflicts(name, "");
    ASSERT_EQ(notes.size(), 1u) << name;
    EXPECT_EQ(notes[0].kind, "note");
    for (const auto& s : notes[0].sides)
      if (s.value == "Edited on a.") a_revision = s.change;
  }
  ASSERT_FALSE(a_revision.empty());
  ASSERT_TRUE(core::resolve_conflict(v("b"), conflicts("b", "").front().id, a_revision.substr(0, 8)).ok());
  sync_all({"a", "b"});
  for (const char* name : {"a", "b"}) {
    EXPECT_TRUE(conflicts(name, "").empty()) << name << " still lists the note conflict";
    const std::int64_t id = note_id(name, first.uid);
    EXPECT_EQ(core::get_note(v(name), id)->text, "Edited on a.") << name;
    std::set<std::string> texts;
    for (const auto& r : *core::note_revisions(v(name), id)) texts.insert(r.text);
    EXPECT_TRUE(texts.count("Edited on b.")) << name << ": the side not kept stays in history";
    EXPECT_TRUE(texts.count(first.text)) << name;
  }
  expect_converged({"a", "b"});
}

// ---- epochs ----

TEST_F(SyncCoreTest, ABundleOfAnOldEpochWrittenAfterTheRemovalIsRefusedAndAConcurrentOneIsApplied) {
  make_team({"b", "c"});
  sync_all({"a", "b", "c"});
  // b writes before it hears of the removal: concurrent with it, applied everywhere.
  add_note("b", "Written by b before it heard of the removal.");
  ASSERT_TRUE(core::remove_team_member(v("a"), series_id, fingerprint("c")).ok());
  sync("a");
  const SyncReport b_round = sync("b");
  EXPECT_EQ(b_round.published, 1u);
  sync("a");
  EXPECT_TRUE(has_note("a", "Written by b before it heard of the removal."));

  // Now b has seen epoch 2 begin. A bundle of b's device at epoch 1 that depends on a's removal
  // bundle, or one at epoch 2 still encrypted to c, was written after the removal.
  const std::string device = device_of("b");
  const auto chain = *core::sync::chains(v("b"), series_uid);
  const std::string a_device = device_of("a");
  auto keys = core::vault_store(v("b")).identity_ed25519();
  ASSERT_TRUE(keys.ok());
  std::vector<crypto::age::X25519Recipient> to;
  std::vector<std::string> names;
  for (const char* m : {"a", "b", "c"}) {
    const auto id = core::vault_identity(v(m));
    to.push_back(*crypto::age::X25519Recipient::parse(id->recipient));
    names.push_back(id->recipient);
  }
  auto craft = [&](std::int64_t epoch) {
    core::sync::BundleHeader h;
    h.series = series_uid;
    h.device = device;
    h.seq = chain.at(device).seq + 1;
    h.epoch = epoch;
    h.prev = chain.at(device).hash;
    h.recipients = names;
    h.deps[a_device] = chain.at(a_device).seq;
    h.hlc = core::sync::hlc_of_ms(core::sync::wall_ms());
    h.created_at = "2026-12-03T10:00:00Z";
    auto b = core::sync::write_bundle(h, {}, *keys, names[1], to);
    EXPECT_TRUE(b.ok());
    const fs::path p = folder() / series_uid / device / (std::to_string(h.seq) + ".age");
    write_file(p, std::string(b->bytes.begin(), b->bytes.end()));
    return p;
  };
  const std::string before = digest("a");
  for (std::int64_t epoch : {1, 2}) {
    const fs::path p = craft(epoch);
    auto r = core::sync_once(v("a"), folder());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->applied, 0u) << "epoch " << epoch;
    ASSERT_EQ(r->refused, 1u) << "epoch " << epoch;
    EXPECT_NE(r->refusals.front().find("epoch"), std::string::npos) << r->refusals.front();
    EXPECT_EQ(digest("a"), before) << "a refused bundle has no effect";
    fs::remove(p);
  }
}

TEST_F(SyncCoreTest, AMembersSnapshotNeverSkipsTheConvenorsBundleThatRemovedSomeone) {
  make_team({"b", "c", "d"});
  sync_all({"a", "b", "c", "d"});
  ASSERT_TRUE(core::remove_team_member(v("a"), series_id, fingerprint("d")).ok());
  sync("a");
  // b applies the removal, then compacts its bundles into a snapshot that covers a's bundle.
  sync("b");
  add_note("b", "Written by b after the removal.");
  SyncOptions compact;
  compact.compact_after = 1;
  sync("b", compact);
  // c sees b's snapshot before a's bundle (a's device folder hidden for one round).
  const fs::path a_dir = folder() / series_uid / device_of("a");
  const fs::path hidden = folder() / series_uid / "hidden";
  fs::rename(a_dir, hidden);
  sync("c");
  EXPECT_TRUE(has_note("c", "Written by b after the removal."));
  fs::rename(hidden, a_dir);
  sync("c");
  const auto teams = core::list_teams(v("c"));
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ(teams->front().epoch, 2) << "c learned of the removal from a's own bundle";
  for (const auto& m : teams->front().members) {
    if (m.fingerprint == fingerprint("d")) {
      EXPECT_TRUE(m.removed_epoch.has_value()) << "d is removed in c's view";
    }
  }
  // So c's next bundle is not for d.
  add_note("c", "Written by c after the removal.");
  sync("c");
  sync("d");
  EXPECT_FALSE(has_note("d", "Written by c after the removal."));
}

// ---- random concurrent edits in random interleavings ----

TEST_F(SyncCoreTest, RandomConcurrentEditsInRandomSyncOrdersConvergeLoseNoRevisionAndFailSafe) {
  make_team({"b", "c"});
  const std::vector<std::string> names = {"a", "b", "c"};
  static const std::vector<core::DisclosureLevel> kLevels = {core::DisclosureLevel::named, core::DisclosureLevel::role,
                                                             core::DisclosureLevel::pseudonym, core::DisclosureLevel::anonymous,
                                                             core::DisclosureLevel::hidden};
  for (std::uint32_t seed = 1; seed <= 3; ++seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::set<std::string> written;  // every note text and revision ever written
    std::map<std::string, int> counter;
    for (int round = 0; round < 4; ++round) {
      for (const auto& n : names) {
        for (int k = pick(1, 3); k > 0; --k) {
          const std::string text = n + " seed " + std::to_string(seed) + " #" + std::to_string(++counter[n]);
          switch (pick(0, 3)) {
            case 0: add_note(n, "Added by " + text); written.insert("Added by " + text); break;
            case 1: {
              const auto notes = *core::list_notes(v(n), 1);
              const auto& target = notes[static_cast<std::size_t>(pick(0, static_cast<int>(notes.size()) - 1))];
              ASSERT_TRUE(core::edit_note(v(n), target.id, "Edit by " + text).ok());
              written.insert("Edit by " + text);
              break;
            }
            case 2: {
              // A raise only: lowerings wait for confirmation, and this property is about merges.
              const std::string key(1, static_cast<char>('b' + pick(0, 3)));
              const auto p = participant(n, key);
              const int now = static_cast<int>(p.level_for(core::Audience::public_));
              core::ParticipantUpdate u;
              u.disclosure[static_cast<int>(core::Audience::public_)] = kLevels[static_cast<std::size_t>(pick(now, 4))];
              update(n, key, u);
              break;
            }
            case 3: update(n, "d", aliases(std::vector<std::string>{"alias " + text})); break;
          }
        }
      }
      // A random subset syncs, in a random order, some twice.
      for (int s = pick(1, 5); s > 0; --s) sync(names[static_cast<std::size_t>(pick(0, 2))]);
      // While a level conflict is open, the level standing is at least as protective as each side.
      for (const auto& n : names)
        for (const auto& c : conflicts(n, "disclosure.public"))
          for (const auto& side : c.sides)
            EXPECT_GE(core::sync::protection(c.current), core::sync::protection(side.value)) << n << " seed " << seed;
    }
    sync_all(names);
    sync_all(names);
    expect_converged(names);
    for (const auto& n : names) {
      std::set<std::string> held;
      for (const auto& note : *core::list_notes(v(n), 1))
        for (const auto& r : *core::note_revisions(v(n), note.id)) held.insert(r.text);
      for (const auto& t : written) EXPECT_TRUE(held.count(t)) << n << " lost: " << t;
      EXPECT_TRUE(participant(n, "d").aliases.size() >= 1u);
    }
    // Every open conflict is resolved on one side, so the next seed starts from a calm series.
    for (int guard = 0; guard < 50; ++guard) {
      auto open = core::list_conflicts(v("a"));
      ASSERT_TRUE(open.ok());
      if (open->empty()) break;
      const auto& c = open->front();
      // Keep the most protective side (no lowering) or, for notes, the first head.
      std::string keep = c.kind == "note" ? c.sides.front().change : c.sides.front().value;
      for (const auto& s : c.sides)
        if (c.kind == "field" && core::sync::protection(s.value) > core::sync::protection(keep)) keep = s.value;
      ASSERT_TRUE(core::resolve_conflict(v("a"), c.id, keep).ok()) << c.field;
      sync_all(names);
    }
  }
}

}  // namespace
}  // namespace bc::test
