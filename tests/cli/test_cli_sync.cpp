// team and sync end to end: real vaults in temp folders sharing a plain folder, every step
// through the real backchannel-cli (docs/sync.md, docs/cli.md "Team sync").
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "cli_test_helpers.h"

namespace bc::test::cli {
namespace {

// A team of vaults sharing one folder: "a" is the convenor and imported the sample meeting
// (series 1, meeting 1); the others joined and applied its snapshot.
class SyncTest : public ::testing::Test {
 protected:
  fs::path vault(const std::string& name) const { return box.root() / name; }
  fs::path folder() const { return box.root() / "folder"; }

  RunResult on(const std::string& name, const std::vector<std::string>& args) const { return box.run_on(vault(name), args); }
  RunResult sync(const std::string& name) const { return on(name, {"sync", "--folder", folder().string()}); }
  std::string ok(const std::string& name, const std::vector<std::string>& args) const {
    const RunResult r = on(name, args);
    EXPECT_EQ(r.exit_code, 0) << name << ": " << describe(r);
    return r.out;
  }
  json ok_json(const std::string& name, const std::vector<std::string>& args) const {
    const std::string out = ok(name, args);
    json j = json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << out;
    return j;
  }
  std::string fingerprint(const std::string& name) const {
    std::string fp = ok(name, {"identity", "--fingerprint"});
    while (!fp.empty() && fp.back() == '\n') fp.pop_back();
    return fp;
  }
  std::string digest(const std::string& name) const {
    const std::string out = ok(name, {"sync", "status", "--folder", folder().string()});
    std::smatch m;
    static const std::regex kDigest("digest [0-9a-f]{32} ([0-9a-f]{64})");
    if (!std::regex_search(out, m, kDigest)) {
      ADD_FAILURE() << name << " printed no digest:\n" << out;
      return {};
    }
    return m[1].str();
  }
  // Parses the one line `sync` prints.
  std::map<std::string, int> counts(const RunResult& r) const {
    static const std::regex kLine("published ([0-9]+), applied ([0-9]+), pending ([0-9]+), refused ([0-9]+), conflicts ([0-9]+)\n");
    std::smatch m;
    if (!std::regex_match(r.out, m, kLine)) {
      ADD_FAILURE() << "sync printed something else than its one line:\n" << describe(r);
      return {};
    }
    return {{"published", std::stoi(m[1])}, {"applied", std::stoi(m[2])}, {"pending", std::stoi(m[3])},
            {"refused", std::stoi(m[4])}, {"conflicts", std::stoi(m[5])}};
  }

  void make_team(const std::vector<std::string>& members) {
    fs::create_directory(folder());
    box.init_at(vault("a"));
    for (const auto& m : members) box.init_at(vault(m));
    const RunResult imp = on("a", {"import-meeting", sample_meeting().string()});
    ASSERT_EQ(imp.exit_code, 0) << describe(imp);
    const json series = ok_json("a", {"series", "--json"});
    ASSERT_EQ(series.size(), 1u);
    series_id = std::to_string(series[0]["id"].get<std::int64_t>());
    series_uid = series[0]["uid"].get<std::string>();
    ok("a", {"team", "create", "--series", series_id});
    for (const auto& m : members) {
      const fs::path id = box.input(m + ".json", ok(m, {"identity", "--json"}));
      ok("a", {"team", "add", "--series", series_id, "--identity", id.string(), "--fingerprint", fingerprint(m)});
    }
    const RunResult first = sync("a");
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    EXPECT_EQ(counts(first)["published"], 1);
    for (const auto& m : members) {
      // Nothing is applied from a signer this vault has not accepted: it is listed instead.
      const RunResult before = sync(m);
      ASSERT_EQ(before.exit_code, 0) << describe(before);
      EXPECT_EQ(counts(before)["applied"], 0);
      EXPECT_NE(before.err.find(fingerprint("a")), std::string::npos) << describe(before);
      EXPECT_EQ(on(m, {"meetings"}).out.find("Track"), std::string::npos);
      ok(m, {"team", "accept", "--fingerprint", fingerprint("a")});
      const RunResult after = sync(m);
      ASSERT_EQ(after.exit_code, 0) << describe(after);
      // The convenor's snapshot, and the snapshots of members who joined before (each member's
      // device writes one that the newcomer can read).
      EXPECT_GE(counts(after)["applied"], 1) << describe(after);
      EXPECT_EQ(counts(after)["pending"], 0) << describe(after);
    }
  }

  // Every vault syncs, twice round, so that what each published reaches every other.
  void sync_all(const std::vector<std::string>& vaults) {
    for (int round = 0; round < 2; ++round)
      for (const auto& v : vaults) {
        const RunResult r = sync(v);
        EXPECT_EQ(r.exit_code, 0) << v << ": " << describe(r);
      }
  }

  std::vector<std::string> note_texts(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& n : ok_json(name, {"notes", "--meeting", "1", "--json"})) out.push_back(n["text"].get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
  }

  Sandbox box;
  std::string series_id, series_uid;
};

TEST_F(SyncTest, ANoteAddedInOneVaultAppearsInTheOtherAndBothDigestsAgree) {
  make_team({"b"});
  EXPECT_EQ(note_texts("a"), note_texts("b")) << "the snapshot carried every note";
  EXPECT_EQ(digest("a"), digest("b"));
  ok("b", {"note", "add", "--meeting", "1", "A joint patrol of the strait, proposed by the rapporteur."});
  const RunResult pub = sync("b");
  EXPECT_EQ(counts(pub)["published"], 1) << describe(pub);
  const RunResult got = sync("a");
  EXPECT_GE(counts(got)["applied"], 1) << describe(got);
  EXPECT_EQ(counts(got)["pending"], 0) << describe(got);
  const auto a_notes = note_texts("a");
  EXPECT_NE(std::find(a_notes.begin(), a_notes.end(), "A joint patrol of the strait, proposed by the rapporteur."), a_notes.end());
  EXPECT_EQ(a_notes, note_texts("b"));
  EXPECT_EQ(digest("a"), digest("b"));
  const RunResult again = sync("a");
  EXPECT_EQ(counts(again)["applied"], 0) << "a bundle is applied once";
  // Nothing in the folder names the series, a meeting, a person or a word of a note.
  for (const auto& e : fs::recursive_directory_iterator(folder())) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = read_file(e.path());
    EXPECT_EQ(bytes.rfind("age-encryption.org/v1\n", 0), 0u) << e.path();
    for (const char* secret : {"patrol", "Parisa", "Hashemi", "Okonkwo"})
      EXPECT_EQ(bytes.find(secret), std::string::npos) << e.path() << " holds " << secret;
  }
}

TEST_F(SyncTest, AThreadItsNotesAndItsStatusHistoryTravelBetweenTwoVaults) {
  make_team({"b"});
  const std::string added = ok("a", {"thread", "add", "--series", series_id, "--title", "Joint monitoring of the strait"});
  ASSERT_EQ(added, "thread 1\n");
  const json notes = ok_json("a", {"notes", "--meeting", "1", "--json"});
  ASSERT_FALSE(notes.empty());
  const std::string note_uid = notes[0]["uid"];
  ok("a", {"thread", "link", "1", "--note", std::to_string(notes[0]["id"].get<std::int64_t>())});
  ok("a", {"thread", "set-status", "1", "raised", "--meeting", "1"});
  sync_all({"a", "b"});
  json at_b = ok_json("b", {"threads", "--series", "1", "--json"});
  ASSERT_EQ(at_b.size(), 1u);
  EXPECT_EQ(at_b[0]["title"], "Joint monitoring of the strait");
  EXPECT_EQ(at_b[0]["status"], "raised");
  ASSERT_EQ(at_b[0]["notes"].size(), 1u);
  EXPECT_EQ(ok_json("b", {"notes", "--meeting", "1", "--json"})[0]["uid"], note_uid) << "the same note is linked there";
  EXPECT_EQ(at_b[0]["history"][0]["decided_by"], fingerprint("a"));

  // b, an organizer of the team, decides the next status; it reaches a with b as who decided.
  const std::string thread_b = std::to_string(at_b[0]["id"].get<std::int64_t>());
  ok("b", {"thread", "set-status", thread_b, "agreed", "--meeting", "1"});
  sync_all({"b", "a"});
  const json at_a = ok_json("a", {"thread", "show", "1", "--json"});
  EXPECT_EQ(at_a["status"], "agreed");
  ASSERT_EQ(at_a["history"].size(), 2u);
  EXPECT_EQ(at_a["history"][1]["decided_by"], fingerprint("b"));
  EXPECT_EQ(digest("a"), digest("b")) << "threads are part of the series both vaults agree on";
  // Nothing in the folder carries the thread's title in the clear.
  for (const auto& e : fs::recursive_directory_iterator(folder())) {
    if (e.is_regular_file()) {
      EXPECT_EQ(read_file(e.path()).find("strait"), std::string::npos) << e.path();
    }
  }
}

TEST_F(SyncTest, AMemberAddedWithTheWrongFingerprintIsRefusedAndNothingIsAdded) {
  fs::create_directory(folder());
  box.init_at(vault("a"));
  box.init_at(vault("b"));
  box.init_at(vault("c"));
  ASSERT_EQ(on("a", {"import-meeting", sample_meeting().string()}).exit_code, 0);
  ok("a", {"team", "create", "--series", "1"});
  const fs::path id = box.input("b.json", ok("b", {"identity", "--json"}));
  const RunResult r = on("a", {"team", "add", "--series", "1", "--identity", id.string(), "--fingerprint", fingerprint("c")});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  const json teams = ok_json("a", {"team", "list", "--json"});
  ASSERT_EQ(teams.size(), 1u);
  EXPECT_EQ(teams[0]["members"].size(), 1u) << "only the convenor";
}

TEST_F(SyncTest, ThreeVaultsEditingOfflineConvergeWithoutLosingARevisionAndTheProtectiveLevelWins) {
  make_team({"b", "c"});
  const json notes = ok_json("a", {"notes", "--meeting", "1", "--json"});
  ASSERT_FALSE(notes.empty());
  const std::string note = std::to_string(notes[0]["id"].get<std::int64_t>());
  // Offline: b and c edit the same note, each adds one, and both raise participant b's public
  // level to different levels; c's write comes later by the clock.
  ok("b", {"note", "edit", note, "Edited in vault b: the ferry proposal, reworded."});
  ok("c", {"note", "edit", note, "Edited in vault c: the ferry proposal, shortened."});
  ok("b", {"note", "add", "--meeting", "1", "A note typed in b while offline."});
  ok("c", {"note", "add", "--meeting", "1", "A note typed in c while offline."});
  ok("b", {"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public=hidden"});
  ok("c", {"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public=anonymous"});
  sync_all({"a", "b", "c"});

  const std::string d = digest("a");
  EXPECT_EQ(digest("b"), d);
  EXPECT_EQ(digest("c"), d);
  for (const char* v : {"a", "b", "c"}) {
    const auto texts = note_texts(v);
    for (const char* t : {"A note typed in b while offline.", "A note typed in c while offline."})
      EXPECT_NE(std::find(texts.begin(), texts.end(), t), texts.end()) << v << " lacks " << t;
    const std::string history = ok(v, {"note", "history", note});
    EXPECT_NE(history.find("Edited in vault b"), std::string::npos) << v << ": no revision is lost\n" << history;
    EXPECT_NE(history.find("Edited in vault c"), std::string::npos) << v << ": no revision is lost\n" << history;
    const json ps = ok_json(v, {"participants", "--meeting", "1", "--json"});
    for (const auto& p : ps)
      if (p["key"] == "b") {
        EXPECT_EQ(p["disclosure"]["public"], "hidden") << v << ": the more protective level stands";
        EXPECT_EQ(p.value("conflict", false), true) << v << ": participants --json shows the open conflict";
      }
    const json conflicts = ok_json(v, {"conflicts", "--json"});
    std::set<std::string> kinds;
    for (const auto& c : conflicts) kinds.insert(c["kind"].get<std::string>() + ":" + c["field"].get<std::string>());
    EXPECT_TRUE(kinds.count("note:")) << v << ": the concurrent edits are a conflict\n" << conflicts.dump();
    EXPECT_TRUE(kinds.count("field:disclosure.public")) << v << ": the concurrent levels are a conflict\n" << conflicts.dump();
  }

  // The level conflict stays open until a person resolves it; keeping the more protective side
  // closes it everywhere.
  std::string level_conflict;
  for (const auto& c : ok_json("a", {"conflicts", "--json"}))
    if (c["field"] == "disclosure.public") level_conflict = c["id"];
  ASSERT_FALSE(level_conflict.empty());
  sync_all({"a", "b", "c"});
  EXPECT_EQ(ok_json("b", {"conflicts", "--json"}).size(), ok_json("a", {"conflicts", "--json"}).size());
  ok("a", {"conflicts", "resolve", level_conflict, "--keep", "hidden"});
  sync_all({"a", "b", "c"});
  for (const char* v : {"a", "b", "c"})
    for (const auto& c : ok_json(v, {"conflicts", "--json"}))
      EXPECT_NE(c["id"], level_conflict) << v << " still lists the resolved conflict";
  for (const auto& p : ok_json("c", {"participants", "--meeting", "1", "--json"}))
    if (p["key"] == "b") {
      EXPECT_FALSE(p.contains("conflict")) << p.dump();
    }
  EXPECT_EQ(digest("b"), digest("a"));
  EXPECT_EQ(digest("c"), digest("a"));
}

TEST_F(SyncTest, APersianDescriptorAndShortFormRulingsReachTheOtherVault) {
  make_team({"b"});
  ok("a", {"participant", "set", "--meeting", "1", "--key", "b", "--descriptor-fa", "یک دیپلمات سابق", "--short-form", "Parisa=not-alone"});
  sync_all({"a", "b"});
  auto participant = [&](const std::string& v) {
    for (const auto& p : ok_json(v, {"participants", "--meeting", "1", "--json"}))
      if (p["key"] == "b") return p;
    ADD_FAILURE() << v << " has no participant b";
    return json();
  };
  const json in_a = participant("a"), in_b = participant("b");
  EXPECT_EQ(in_b["descriptor_fa"], "یک دیپلمات سابق") << in_b.dump();
  EXPECT_EQ(in_b["short_forms"], in_a["short_forms"]);
  bool ruled = false;
  for (const auto& f : in_b["short_forms"])
    if (f["form"] == "Parisa") ruled = f["ruling"] == "not-alone";
  EXPECT_TRUE(ruled) << in_b.dump();
  EXPECT_EQ(digest("a"), digest("b"));
  // Cleared on b, cleared on a.
  ok("b", {"participant", "set", "--meeting", "1", "--key", "b", "--descriptor-fa", "", "--short-form", "Parisa=default"});
  sync_all({"a", "b"});
  EXPECT_TRUE(participant("a")["descriptor_fa"].is_null()) << participant("a").dump();
  EXPECT_EQ(participant("a")["short_forms"], participant("b")["short_forms"]);
  EXPECT_EQ(digest("a"), digest("b"));
}

TEST_F(SyncTest, ALoweringWaitsForASecondMembersConfirmation) {
  make_team({"b"});
  ok("a", {"participant", "set", "--meeting", "1", "--key", "a", "--disclosure", "public=hidden"});
  sync_all({"a", "b"});
  ok("a", {"participant", "set", "--meeting", "1", "--key", "a", "--disclosure", "public=named"});
  auto level = [&](const std::string& v) {
    for (const auto& p : ok_json(v, {"participants", "--meeting", "1", "--json"}))
      if (p["key"] == "a") {
        return p["disclosure"]["public"].get<std::string>();
      }
    return std::string("absent");
  };
  EXPECT_EQ(level("a"), "hidden") << "a lowering does not take effect on its own";
  sync_all({"a", "b"});
  EXPECT_EQ(level("b"), "hidden");
  const json status = ok_json("b", {"sync", "status", "--folder", folder().string(), "--json"});
  ASSERT_EQ(status.size(), 1u);
  ASSERT_EQ(status[0]["pending_confirmations"].size(), 1u) << status.dump();
  const json pending = status[0]["pending_confirmations"][0];
  EXPECT_EQ(pending["to"], "named");
  EXPECT_TRUE(pending["confirmable_here"].get<bool>());
  const RunResult self_confirm = on("a", {"team", "confirm", pending["change"].get<std::string>()});
  EXPECT_EQ(self_confirm.exit_code, 4) << "the author cannot be the second member\n" << describe(self_confirm);
  EXPECT_TRUE(one_clear_error(self_confirm));
  ok("b", {"team", "confirm", pending["change"].get<std::string>()});
  EXPECT_EQ(level("b"), "named");
  sync_all({"a", "b"});
  EXPECT_EQ(level("a"), "named");
  EXPECT_EQ(digest("a"), digest("b"));
}

TEST_F(SyncTest, ATamperedBundleIsRefusedWithExit2AndTheOthersAreStillApplied) {
  make_team({"b", "c"});
  ok("b", {"note", "add", "--meeting", "1", "From b."});
  ok("c", {"note", "add", "--meeting", "1", "From c."});
  ASSERT_EQ(sync("b").exit_code, 0);
  ASSERT_EQ(sync("c").exit_code, 0);
  // Flip one byte in the middle of b's bundle (b's own device in its status).
  const json st = ok_json("b", {"sync", "status", "--folder", folder().string(), "--json"});
  std::string b_device;
  for (const auto& d : st[0]["devices"])
    if (d["own"].get<bool>()) b_device = d["device"];
  ASSERT_FALSE(b_device.empty());
  fs::path b_bundle;  // b's latest bundle: the one with the note
  long latest = 0;
  for (const auto& f : fs::directory_iterator(folder() / series_uid / b_device)) {
    const long seq = std::stol(f.path().stem().string());
    if (seq > latest) latest = seq, b_bundle = f.path();
  }
  ASSERT_TRUE(fs::exists(b_bundle));
  std::string bytes = read_file(b_bundle);
  bytes[bytes.size() / 2] ^= 0x20;
  write_file(b_bundle, bytes);

  const std::string digest_before = digest("a");
  const RunResult r = sync("a");
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_NE(r.err.find("error: "), std::string::npos) << describe(r);
  EXPECT_EQ(r.err.find("error: "), r.err.rfind("error: ")) << "one error line";
  EXPECT_GE(counts(r)["applied"], 1) << "c's bundle is applied all the same";
  EXPECT_EQ(counts(r)["refused"], 1);
  const auto texts = note_texts("a");
  EXPECT_NE(std::find(texts.begin(), texts.end(), "From c."), texts.end());
  EXPECT_EQ(std::find(texts.begin(), texts.end(), "From b."), texts.end()) << "nothing of the tampered bundle";
  EXPECT_NE(digest("a"), digest_before);
}


// Every bundle file in the folder, as bytes.
std::vector<std::pair<fs::path, std::string>> all_bundles(const fs::path& folder) {
  std::vector<std::pair<fs::path, std::string>> out;
  for (const auto& e : fs::recursive_directory_iterator(folder))
    if (e.is_regular_file() && e.path().extension() == ".age") out.emplace_back(e.path(), read_file(e.path()));
  return out;
}

TEST_F(SyncTest, APurgeReachesEveryVaultAndNoBundleInTheFolderStillHoldsTheText) {
  make_team({"b", "c"});
  const std::string secret = "Purge me: the back-channel meeting place is the orchard house.";
  sync_all({"a", "b", "c"});
  std::set<std::string> before_note;
  for (const auto& [p, bytes] : all_bundles(folder())) before_note.insert(bytes);
  ok("b", {"note", "add", "--meeting", "1", secret});
  sync_all({"b", "a", "c"});
  // The bundles written since the note was added: the ones that may hold its text.
  std::vector<std::string> may_hold;
  for (const auto& [p, bytes] : all_bundles(folder()))
    if (!before_note.count(bytes)) may_hold.push_back(bytes);
  ASSERT_FALSE(may_hold.empty());
  for (const char* v : {"a", "b", "c"}) {
    const auto texts = note_texts(v);
    ASSERT_NE(std::find(texts.begin(), texts.end(), secret), texts.end()) << v;
  }
  std::int64_t note = 0;
  for (const auto& n : ok_json("a", {"notes", "--meeting", "1", "--json"}))
    if (n["text"] == secret) note = n["id"].get<std::int64_t>();
  ok("a", {"note", "delete", std::to_string(note)});
  ok("a", {"note", "purge"});
  sync_all({"a", "b", "c", "a", "b", "c"});
  for (const char* v : {"a", "b", "c"}) {
    const auto texts = note_texts(v);
    EXPECT_EQ(std::find(texts.begin(), texts.end(), secret), texts.end()) << v << " still shows the purged note";
  }
  EXPECT_EQ(digest("b"), digest("a"));
  EXPECT_EQ(digest("c"), digest("a"));
  // Every bundle that may have held the text was rewritten by a compaction of its device's
  // chain, and a member who joins now does not receive the note.
  std::set<std::string> now;
  for (const auto& [p, bytes] : all_bundles(folder())) now.insert(bytes);
  for (const auto& bytes : may_hold) EXPECT_FALSE(now.count(bytes)) << "a bundle written while the note lived is still in the folder";
  box.init_at(vault("d"));
  const fs::path id = box.input("d.json", ok("d", {"identity", "--json"}));
  ok("a", {"team", "add", "--series", series_id, "--identity", id.string(), "--fingerprint", fingerprint("d")});
  sync_all({"a", "b", "c"});
  ASSERT_EQ(sync("d").exit_code, 0);
  ok("d", {"team", "accept", "--fingerprint", fingerprint("a")});
  const RunResult joined = sync("d");
  ASSERT_EQ(joined.exit_code, 0) << describe(joined);
  const auto texts = note_texts("d");
  EXPECT_FALSE(texts.empty()) << "d received the series";
  EXPECT_EQ(std::find(texts.begin(), texts.end(), secret), texts.end()) << "the purged note reached a newcomer";
}

TEST_F(SyncTest, ARemovedMemberCannotReadBundlesWrittenAfterTheRemoval) {
  make_team({"b", "c"});
  ok("a", {"team", "remove", "--series", series_id, "--fingerprint", fingerprint("c")});
  ok("a", {"note", "add", "--meeting", "1", "Written after c left the team."});
  const auto before = all_bundles(folder());
  ASSERT_EQ(sync("a").exit_code, 0);
  sync_all({"b", "c"});
  const auto b_texts = note_texts("b");
  EXPECT_NE(std::find(b_texts.begin(), b_texts.end(), "Written after c left the team."), b_texts.end());
  const auto c_texts = note_texts("c");
  EXPECT_EQ(std::find(c_texts.begin(), c_texts.end(), "Written after c left the team."), c_texts.end());
  EXPECT_FALSE(c_texts.empty()) << "c keeps what it had";
  // c's identity does not open a bundle that a wrote after the removal: count the age stanzas
  // of a's new bundles (one per recipient) against the team of two.
  // (Only a's: b and c may have published before they applied the removal.)
  std::string a_device;
  const json a_status = ok_json("a", {"sync", "status", "--folder", folder().string(), "--json"});
  for (const auto& d : a_status[0]["devices"])
    if (d["own"].get<bool>()) a_device = d["device"];
  ASSERT_FALSE(a_device.empty());
  std::set<fs::path> old;
  for (const auto& [p, bytes] : before) old.insert(p);
  int fresh = 0;
  for (const auto& [p, bytes] : all_bundles(folder())) {
    if (old.count(p) || p.parent_path().filename() != a_device) continue;
    std::size_t stanzas = 0;
    for (std::size_t at = 0; (at = bytes.find("\n-> X25519 ", at)) != std::string::npos; ++at) ++stanzas;
    EXPECT_EQ(stanzas, 2u) << p << " is encrypted to " << stanzas << " recipients, not the two remaining members";
    ++fresh;
  }
  EXPECT_GE(fresh, 1);
}

TEST_F(SyncTest, AReplayedMovedOrForeignSeriesBundleIsRefusedAndHasNoEffect) {
  make_team({"b"});
  ASSERT_EQ(sync("a").exit_code, 0);  // a applies b's own snapshot first
  ok("b", {"note", "add", "--meeting", "1", "First from b."});
  ASSERT_EQ(sync("b").exit_code, 0);
  ok("b", {"note", "add", "--meeting", "1", "Second from b."});
  ASSERT_EQ(sync("b").exit_code, 0);
  const json st = ok_json("b", {"sync", "status", "--folder", folder().string(), "--json"});
  std::string b_device;
  for (const auto& d : st[0]["devices"])
    if (d["own"].get<bool>()) b_device = d["device"];
  ASSERT_FALSE(b_device.empty());
  const fs::path dir = folder() / series_uid / b_device;
  long latest = 0;
  for (const auto& f : fs::directory_iterator(dir)) latest = std::max(latest, std::stol(f.path().stem().string()));
  ASSERT_GE(latest, 2);
  // Swap b's last two bundles (a reorder, or a replay under the other name).
  const fs::path last = dir / (std::to_string(latest) + ".age"), before_last = dir / (std::to_string(latest - 1) + ".age");
  const std::string x = read_file(last), y = read_file(before_last);
  write_file(last, y);
  write_file(before_last, x);
  // And a copy of one under another series' folder.
  const std::string other_series(32, 'a');
  fs::create_directories(folder() / other_series / b_device);
  write_file(folder() / other_series / b_device / "1.age", x);
  const std::string digest_before = digest("a");
  const RunResult r = sync("a");
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_GE(counts(r)["refused"], 2) << describe(r);
  EXPECT_NE(r.err.find("moved, renamed or replayed"), std::string::npos) << describe(r);
  const auto texts = note_texts("a");
  EXPECT_EQ(std::find(texts.begin(), texts.end(), "Second from b."), texts.end());
  EXPECT_EQ(std::find(texts.begin(), texts.end(), "First from b."), texts.end());
  EXPECT_EQ(digest("a"), digest_before) << "a refused bundle has no effect";
  EXPECT_EQ(ok("a", {"check"}).find("error"), std::string::npos);
}

// `team accept` is trust like any other: `trust list` shows it (purpose "team") and `trust
// remove` takes it back.
TEST_F(SyncTest, AnAcceptedTeamSignerIsListedByTrustListAndRemovedByTrustRemove) {
  make_team({"b"});
  const std::string fp = fingerprint("a");
  const json keys = ok_json("b", {"trust", "list", "--json"});
  int team_entries = 0;
  for (const auto& k : keys)
    if (k["purpose"] == "team") {
      ++team_entries;
      EXPECT_EQ(k["fingerprint"], fp);
      EXPECT_TRUE(k["added_at"].is_string()) << k.dump();
      EXPECT_EQ(k["signing_key"].get<std::string>().rfind("ed25519:", 0), 0u) << k.dump();
    }
  EXPECT_EQ(team_entries, 1) << keys.dump();
  const std::string text = ok("b", {"trust", "list"});
  EXPECT_NE(text.find(fp + "  team"), std::string::npos) << text;
  EXPECT_NE(ok("b", {"trust", "remove", fp}).find("removed 1 entry"), std::string::npos);
  for (const auto& k : ok_json("b", {"trust", "list", "--json"})) EXPECT_NE(k["purpose"], "team") << k.dump();
  const RunResult again = on("b", {"trust", "remove", fp});
  EXPECT_EQ(again.exit_code, 4) << describe(again);
}

}  // namespace
}  // namespace bc::test::cli
