// End-to-end: `identity`, `export` and `import-archive` of the real backchannel-cli, with the
// real `age` tool on the other side: what `identity` prints, archives that `age` decrypts
// (age-keygen recipients, passphrases on a terminal, armor) into the signed record stream of
// docs/archive-format.md, the option errors, the trust question and its fingerprint, merging and
// re-importing, conflicting edits, archives for another vault, and every kind of damage (flipped
// bytes, truncation at and around each chunk boundary, dropped, duplicated and swapped chunks, a
// second final chunk, trailing garbage): a clear error, nothing written to the vault, no output
// file.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "cli_archive_helpers.h"

namespace bc::test::cli {
namespace {

const std::string kArchivePass = "handover words: teal lantern 7731";
constexpr std::size_t kChunk = 65536 + 16;  // an age payload chunk: 64 KiB and its tag

/// The line `import-archive` prints when the archive brought nothing new.
const std::string kNothing = "nothing to import: this vault already has everything in the archive\n";

class CliArchive : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(age_bin().empty()) << "the age tool is not installed (Debian package age; scripts/setup-deps --test)";
    ASSERT_FALSE(sb.init().empty());
    ASSERT_EQ(sb.import(sample_meeting()), 1);
    // One note with a second revision, so that archives carry a history.
    const RunResult edit = sb.run({"note", "edit", "2", "The Helmand basin agreement is a model worth studying, with caveats."});
    ASSERT_EQ(edit.exit_code, 0) << describe(edit);
    ASSERT_FALSE(sb.init_at(b()).empty());
    key = make_age_key(sb.in() / "key.txt");
  }

  fs::path a() const { return sb.vault(); }
  fs::path b() const { return sb.root() / "b"; }
  fs::path c() const { return sb.root() / "c"; }
  RunResult on_a(const std::vector<std::string>& args) const { return sb.run_on(a(), args); }
  RunResult on_b(const std::vector<std::string>& args) const { return sb.run_on(b(), args); }
  /// The fingerprint `identity` shows for `vault` (what `--trust` is given after comparing it).
  std::string fp(const fs::path& vault) const {
    auto it = fingerprints_.find(vault);
    if (it == fingerprints_.end()) it = fingerprints_.emplace(vault, identity_of(sb, vault).fingerprint).first;
    return it->second;
  }
  mutable std::map<fs::path, std::string> fingerprints_;

  /// Exports from `vault` with `args` added; the export must succeed.
  fs::path export_from(const fs::path& vault, const std::string& name, std::vector<std::string> args) const {
    const fs::path out = sb.in() / name;
    args.insert(args.begin(), "export");
    args.insert(args.end(), {"-o", out.string()});
    const RunResult r = sb.run_on(vault, args);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "") << describe(r);
    return out;
  }

  /// What a vault holds, as its listings show it: meetings, and each meeting's participants and
  /// notes (ids included: "logically unchanged" means unchanged for the user too).
  json contents(const fs::path& vault) const {
    json all;
    const RunResult ms = sb.run_on(vault, {"meetings", "--json"});
    EXPECT_EQ(ms.exit_code, 0) << describe(ms);
    all["meetings"] = json::parse(ms.out, nullptr, false);
    for (const auto& m : all["meetings"]) {
      const std::string id = std::to_string(m["id"].get<long long>());
      for (const char* what : {"participants", "notes"}) {
        const RunResult r = sb.run_on(vault, {what, "--meeting", id, "--json"});
        EXPECT_EQ(r.exit_code, 0) << describe(r);
        all[what][id] = json::parse(r.out, nullptr, false);
      }
    }
    return all;
  }
  long long audit_count(const fs::path& vault) const {
    const RunResult r = sb.run_on(vault, {"audit", "verify"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    std::smatch m;
    static const std::regex kCount("([0-9]+) entries");
    return std::regex_search(r.out, m, kCount) ? std::stoll(m[1].str()) : -1;
  }
  json notes_of(const fs::path& vault, std::int64_t meeting) const {
    const RunResult r = sb.run_on(vault, {"notes", "--meeting", std::to_string(meeting), "--json"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    return json::parse(r.out, nullptr, false);
  }
  json history_of(const fs::path& vault, std::int64_t note) const {
    const RunResult r = sb.run_on(vault, {"note", "history", std::to_string(note), "--json"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    return json::parse(r.out, nullptr, false);
  }
  /// The local id of the note with `uid` in `vault`'s meeting (0 if none).
  std::int64_t note_id_by_uid(const fs::path& vault, std::int64_t meeting, const std::string& uid) const {
    for (const auto& n : notes_of(vault, meeting))
      if (n["uid"] == uid) return n["id"].get<std::int64_t>();
    return 0;
  }

  Sandbox sb;
  AgeKey key;
};

// ---------------------------------------------------------------------------------------------
// identity

TEST_F(CliArchive, IdentityPrintsRecipientSigningKeyAndFingerprint) {
  const VaultId id = identity_of(sb, a());
  ASSERT_FALSE(id.recipient.empty());
  EXPECT_EQ(id.fingerprint, expected_fingerprint(id)) << "the fingerprint as docs/archive-format.md defines it";
  // Stable, and each vault has its own.
  const VaultId again = identity_of(sb, a());
  EXPECT_EQ(again.recipient, id.recipient);
  EXPECT_EQ(again.fingerprint, id.fingerprint);
  const VaultId other = identity_of(sb, b());
  EXPECT_NE(other.recipient, id.recipient);
  EXPECT_NE(other.signing_key, id.signing_key);
  EXPECT_NE(other.fingerprint, id.fingerprint);

  const RunResult only = on_a({"identity", "--recipient"});
  ASSERT_EQ(only.exit_code, 0) << describe(only);
  EXPECT_EQ(only.out, id.recipient + "\n");
  EXPECT_EQ(only.err, "");
  const RunResult fp = on_a({"identity", "--fingerprint"});
  ASSERT_EQ(fp.exit_code, 0) << describe(fp);
  EXPECT_EQ(fp.out, id.fingerprint + "\n");
  // --json: exactly the three public fields, what another organizer's `team add --identity` reads.
  const RunResult js = on_a({"identity", "--json"});
  ASSERT_EQ(js.exit_code, 0) << describe(js);
  const nlohmann::json j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j, nlohmann::json({{"recipient", id.recipient}, {"signing_key", id.signing_key}, {"fingerprint", id.fingerprint}}));
  EXPECT_EQ(on_a({"identity", "--json", "--fingerprint"}).exit_code, 1) << "one output form at a time";

  // The real age takes it as a recipient, and what it encrypts to it is opened by this vault's
  // own key: import-archive gets past decryption and stops at the content (no signed stream: exit
  // 2, as for any signed file that does not verify), while another vault finds no stanza for it.
  const fs::path plain = sb.input("plain.txt", "not an archive\n");
  const fs::path enc = sb.in() / "to-a.age";
  const RunResult age = run_program(age_bin(), {"-r", id.recipient, "-o", enc.string(), plain.string()});
  ASSERT_EQ(age.exit_code, 0) << age.err;
  EXPECT_NE(read_file(enc).find("\n-> X25519 "), std::string::npos);
  const auto a_before = snapshot(a());
  const RunResult mine = on_a({"import-archive", enc.string()});
  EXPECT_EQ(mine.exit_code, 2) << describe(mine);
  EXPECT_NE(mine.err.find("has no signature"), std::string::npos) << describe(mine);
  EXPECT_EQ(snapshot_diff(a_before, snapshot(a())), "");
  const RunResult theirs = on_b({"import-archive", enc.string()});
  EXPECT_EQ(theirs.exit_code, 2) << describe(theirs);
  EXPECT_EQ(theirs.err.rfind("error: no match", 0), 0u) << describe(theirs);

  // Without the vault's passphrase there is no identity to show.
  const RunResult wrong = sb.run_on(a(), {"identity"}, {{"BACKCHANNEL_PASSPHRASE", "not the passphrase"}});
  EXPECT_EQ(wrong.exit_code, 2) << describe(wrong);
  EXPECT_EQ(wrong.out, "");
}

// ---------------------------------------------------------------------------------------------
// export: what the real age opens

TEST_F(CliArchive, ExportToAnAgeKeygenRecipientIsTheSignedRecordStream) {
  const VaultId id = identity_of(sb, a());
  const fs::path file = sb.in() / "m.age";
  const RunResult r = on_a({"export", "--meeting", "1", "-r", key.recipient, "-o", file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "exported 1 meetings, 5 participants, 7 notes (8 revisions) to " + file.string() + "\n");
  EXPECT_EQ(read_file(file).rfind("age-encryption.org/v1\n", 0), 0u);
  EXPECT_EQ(fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);

  const RunResult dec = age_decrypt(key, file);
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  SignedStream s;
  ASSERT_TRUE(read_signed_stream(dec.out, s));
  EXPECT_EQ(s.header["format"], "backchannel.archive/1");
  EXPECT_EQ(s.header["signer"], id.signing_key);
  EXPECT_EQ(s.header["signer_recipient"], id.recipient);
  EXPECT_TRUE(is_utc_timestamp(s.header["created_at"])) << s.header.dump();
  EXPECT_EQ(s.header["scope"], "meetings");

  // Records in the documented order, each with its type; the end record counts them.
  std::vector<std::string> types;
  for (const auto& rec : s.records) types.push_back(rec.value("type", "?"));
  std::vector<std::string> expected = {"series", "meeting"};
  expected.insert(expected.end(), 5, "participant");
  expected.insert(expected.end(), 5, "attendance");
  expected.insert(expected.end(), 7, "note");
  expected.push_back("end");
  EXPECT_EQ(types, expected);
  EXPECT_EQ(s.records.back()["counts"],
            json({{"series", 1}, {"meetings", 1}, {"participants", 5}, {"notes", 7}, {"revisions", 8}}));

  // The meeting and notes are the vault's, by uid; every note's text is its last revision; the
  // organizers-only note travels too (an archive is the whole record, not a summary).
  const json meetings = sb.run_json({"meetings", "--json"});
  const json notes = notes_of(a(), 1);
  std::vector<std::string> note_uids, archived_uids;
  for (const auto& n : notes) note_uids.push_back(n["uid"]);
  std::size_t organizers_only = 0;
  for (const auto& rec : s.records) {
    const std::string type = rec.value("type", "");
    if (type == "series" || type == "meeting" || type == "participant" || type == "note") {
      EXPECT_TRUE(is_record_uid(rec["uid"])) << rec.dump();
    }
    if (type == "meeting") {
      EXPECT_EQ(rec["uid"], meetings[0]["uid"]);
      EXPECT_EQ(rec["title"], "Session 3: shared rivers");
    }
    if (type == "note") {
      archived_uids.push_back(rec["uid"]);
      ASSERT_TRUE(rec["revisions"].is_array() && !rec["revisions"].empty()) << rec.dump();
      EXPECT_EQ(rec["text"], rec["revisions"].back()["text"]) << rec.dump();
      organizers_only += rec["visibility"] == "organizers";
    }
  }
  EXPECT_EQ(archived_uids, note_uids);
  EXPECT_EQ(organizers_only, 1u);
  EXPECT_NE(dec.out.find("The Helmand basin agreement with Afghanistan is a model worth studying."), std::string::npos)
      << "the earlier revision of note 2 travels too";

  // The reader above really checks the signature: one changed byte and it fails.
  std::string altered = dec.out;
  altered[altered.find("Vienna")] = 'W';
  SignedStream ignored;
  EXPECT_FALSE(read_signed_stream(altered, ignored));
}

TEST_F(CliArchive, ArmoredExportOfEverythingOpensWithAgeAndImports) {
  // A second meeting and a deleted note: --all takes every meeting, and deleted notes stay home.
  ASSERT_EQ(sb.import(sample_meeting()), 2);
  const std::string deleted_uid = notes_of(a(), 2)[1]["uid"];
  ASSERT_EQ(notes_of(a(), 2)[1]["id"], 9);
  ASSERT_EQ(on_a({"note", "delete", "9"}).exit_code, 0);
  const VaultId bid = identity_of(sb, b());
  const fs::path file = export_from(a(), "all.age", {"--all", "-a", "-r", key.recipient, "-r", bid.recipient});
  const std::string armored = read_file(file);
  EXPECT_EQ(armored.rfind("-----BEGIN AGE ENCRYPTED FILE-----\n", 0), 0u) << armored.substr(0, 80);
  EXPECT_NE(armored.find("\n-----END AGE ENCRYPTED FILE-----"), std::string::npos);

  const RunResult dec = age_decrypt(key, file);
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  SignedStream s;
  ASSERT_TRUE(read_signed_stream(dec.out, s));
  EXPECT_EQ(s.header["scope"], "all");
  const json& counts = s.records.back()["counts"];
  EXPECT_EQ(counts["meetings"], 2);
  EXPECT_EQ(counts["series"], 1) << "both meetings belong to one series";
  EXPECT_EQ(counts["notes"], 13) << "7 + 7 notes, one deleted";
  for (const auto& rec : s.records) {
    if (rec.value("type", "") == "note") {
      EXPECT_NE(rec["uid"], deleted_uid);
    }
  }

  // The second recipient, a vault, imports the armored file.
  const RunResult imp = on_b({"import-archive", "--trust", fp(a()), file.string()});
  ASSERT_EQ(imp.exit_code, 0) << describe(imp);
  EXPECT_NE(imp.out.find("imported: 1 series, 2 meetings, 10 participants, 13 notes, 14 revisions\n"), std::string::npos)
      << describe(imp);
  // Damaged armor is refused like any damage.
  std::string bad = armored;
  bad[armored.find('\n') + 10] = bad[armored.find('\n') + 10] == 'A' ? 'B' : 'A';
  const fs::path bad_file = sb.input("bad-armor.age", bad);
  const auto before = snapshot(b());
  const RunResult refused = on_b({"import-archive", bad_file.string()});
  EXPECT_EQ(refused.exit_code, 2) << describe(refused);
  EXPECT_EQ(snapshot_diff(before, snapshot(b())), "");
}

TEST_F(CliArchive, PassphraseExportOpensWithAgeOnATerminalAndImportsWithThePassphrase) {
  const fs::path pass = sb.input("archive-pass.txt", kArchivePass + "\n");
  const fs::path file = export_from(a(), "pass.age", {"--all", "--passphrase-file", pass.string()});
  const std::string bytes = read_file(file);
  EXPECT_NE(bytes.find("\n-> scrypt "), std::string::npos);
  EXPECT_EQ(bytes.find("\n-> X25519 "), std::string::npos) << "a passphrase archive has the scrypt stanza only";

  // The real age asks for the passphrase on its terminal.
  const fs::path out = sb.in() / "pass.plain";
  const TtyResult t = run_on_tty(age_bin(), {"-d", "-o", out.string(), file.string()}, {{"Enter passphrase", kArchivePass}});
  ASSERT_EQ(t.exit_code, 0) << t.transcript;
  SignedStream s;
  ASSERT_TRUE(read_signed_stream(read_file(out), s));
  EXPECT_EQ(s.header["format"], "backchannel.archive/1");
  EXPECT_EQ(s.header["signer"], identity_of(sb, a()).signing_key);
  EXPECT_EQ(s.records.back()["counts"]["notes"], 7);

  // Into B: without the passphrase, or with the wrong one, nothing happens.
  const auto before = snapshot(b());
  const RunResult none = on_b({"import-archive", "--trust", fp(a()), file.string()});
  EXPECT_EQ(none.exit_code, 2) << describe(none);
  EXPECT_EQ(none.err.rfind("error: no match", 0), 0u) << describe(none);
  const fs::path wrong = sb.input("wrong.txt", "handover words: teal lantern 7732\n");
  const RunResult bad = on_b({"import-archive", "--trust", fp(a()), "--passphrase-file", wrong.string(), file.string()});
  EXPECT_EQ(bad.exit_code, 2) << describe(bad);
  EXPECT_TRUE(one_clear_error(bad));
  EXPECT_EQ(snapshot_diff(before, snapshot(b())), "");
  const RunResult ok = on_b({"import-archive", "--trust", fp(a()), "--passphrase-file", pass.string(), file.string()});
  ASSERT_EQ(ok.exit_code, 0) << describe(ok);
  EXPECT_NE(ok.out.find("imported: 1 series, 1 meetings, 5 participants, 7 notes, 8 revisions\n"), std::string::npos)
      << describe(ok);
}

TEST_F(CliArchive, ExportOptionErrorsWriteNothing) {
  const VaultId bid = identity_of(sb, b());
  const fs::path pass = sb.input("archive-pass.txt", kArchivePass + "\n");
  const fs::path out = sb.root() / "out.age";
  const long long audit = audit_count(a());
  struct Case {
    std::string name;
    std::vector<std::string> args;
    int exit;
  };
  const std::vector<Case> cases = {
      {"no --meeting or --all", {"-r", bid.recipient, "-o", out.string()}, 1},
      {"both --meeting and --all", {"--meeting", "1", "--all", "-r", bid.recipient, "-o", out.string()}, 1},
      {"no recipient", {"--all", "-o", out.string()}, 1},
      {"an empty recipient", {"--all", "-r", "", "-o", out.string()}, 1},
      {"not a recipient", {"--all", "-r", "age1notarecipient", "-o", out.string()}, 1},
      {"an identity given as a recipient", {"--all", "-r", "AGE-SECRET-KEY-1QQQQ", "-o", out.string()}, 1},
      {"both -r and --passphrase-file", {"--all", "-r", bid.recipient, "--passphrase-file", pass.string(), "-o", out.string()}, 1},
      {"a missing passphrase file", {"--all", "--passphrase-file", (sb.in() / "nope").string(), "-o", out.string()}, 1},
      {"no -o", {"--all", "-r", bid.recipient}, 1},
      {"an unknown meeting", {"--meeting", "99", "-r", bid.recipient, "-o", out.string()}, 4},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"export"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const RunResult r = on_a(args);
    EXPECT_EQ(r.exit_code, c.exit) << c.name << "\n" << describe(r);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << c.name << "\n" << describe(r);
    EXPECT_EQ(r.out, "") << c.name;
    EXPECT_FALSE(fs::exists(out)) << c.name;
  }
  // -o never replaces a file.
  write_file(out, "an earlier archive");
  const RunResult exists = on_a({"export", "--all", "-r", bid.recipient, "-o", out.string()});
  EXPECT_EQ(exists.exit_code, 4) << describe(exists);
  EXPECT_TRUE(one_clear_error(exists));
  EXPECT_EQ(read_file(out), "an earlier archive");
  EXPECT_EQ(names_in(sb.root()), (std::set<std::string>{"b", "in", "out.age", "tmp", "vault"})) << "no temporary file left";
  EXPECT_EQ(audit_count(a()), audit) << "a refused export is not logged as one";
}

// ---------------------------------------------------------------------------------------------
// import-archive: trust, merge, re-import

TEST_F(CliArchive, UnknownSignerIsRefusedWithItsFingerprintThenTrustedImportedAndReimportedAsNothing) {
  const VaultId aid = identity_of(sb, a());
  const VaultId bid = identity_of(sb, b());
  const fs::path file = export_from(a(), "to-b.age", {"--meeting", "1", "-r", bid.recipient});

  // Unknown signer: exit 2, its fingerprint (as `identity` shows it on A), and B is unchanged.
  const json b_empty = contents(b());
  const long long b_audit = audit_count(b());
  const auto b_bytes = snapshot(b());
  const RunResult refused = on_b({"import-archive", file.string()});
  EXPECT_EQ(refused.exit_code, 2) << describe(refused);
  EXPECT_TRUE(one_clear_error(refused));
  EXPECT_NE(refused.err.find(aid.fingerprint), std::string::npos) << describe(refused);
  EXPECT_NE(refused.err.find("--trust"), std::string::npos) << describe(refused);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(snapshot_diff(b_bytes, snapshot(b())), "");
  EXPECT_EQ(contents(b()), b_empty);
  EXPECT_EQ(audit_count(b()), b_audit);

  // --trust: imported, and the signer trusted from now on.
  const RunResult ok = on_b({"import-archive", "--trust", fp(a()), file.string()});
  ASSERT_EQ(ok.exit_code, 0) << describe(ok);
  EXPECT_EQ(ok.out, "trusted the signer with fingerprint " + aid.fingerprint +
                        " for archives from now on\nimported: 1 series, 1 meetings, 5 participants, 7 notes, 8 revisions\n");
  // B now holds what A holds (a fresh vault: the same ids too).
  const json a_all = contents(a());
  const json b_all = contents(b());
  EXPECT_EQ(b_all["meetings"], a_all["meetings"]);
  EXPECT_EQ(b_all["participants"], a_all["participants"]);
  EXPECT_EQ(b_all["notes"], a_all["notes"]);
  EXPECT_EQ(history_of(b(), 2), history_of(a(), 2));
  const long long after_import = audit_count(b());
  EXPECT_GT(after_import, b_audit);

  // Again: nothing changes, not even the audit log; with or without --trust.
  for (const bool trust : {false, true}) {
    std::vector<std::string> args = {"import-archive", file.string()};
    if (trust) args.insert(args.end(), {"--trust", fp(a())});
    const RunResult again = on_b(args);
    ASSERT_EQ(again.exit_code, 0) << describe(again);
    EXPECT_EQ(again.out, kNothing) << describe(again);
    EXPECT_EQ(contents(b()), b_all);
    EXPECT_EQ(audit_count(b()), after_import);
    EXPECT_EQ(names_in(b()), names_in(a())) << "no stray files in the vault folder";
  }
}

// B takes part in a meeting of its own first, so that its note ids differ from A's.
class CliArchiveConflict : public CliArchive {
 protected:
  void SetUp() override {
    CliArchive::SetUp();
    if (HasFatalFailure()) return;
    json other = json::parse(read_file(sample_meeting()));
    other["series"]["title"] = "B's own series";
    other["meeting"]["title"] = "B's own meeting";
    const fs::path f = sb.input("own.json", other.dump());
    const RunResult own = on_b({"import-meeting", f.string()});
    ASSERT_EQ(own.exit_code, 0) << describe(own);
    bid = identity_of(sb, b());
    const RunResult first = on_b({"import-archive", "--trust", fp(a()), export_from(a(), "first.age", {"--all", "-r", bid.recipient}).string()});
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    uid3 = notes_of(a(), 1)[2]["uid"];
    uid5 = notes_of(a(), 1)[4]["uid"];
    b3 = note_id_by_uid(b(), 2, uid3);
    b5 = note_id_by_uid(b(), 2, uid5);
    ASSERT_EQ(b3, 10);
    ASSERT_EQ(b5, 12);
    // Note 3 is edited in both vaults, note 5 only in A.
    ASSERT_EQ(on_a({"note", "edit", "3", kA3}).exit_code, 0);
    ASSERT_EQ(on_b({"note", "edit", std::to_string(b3), kB3}).exit_code, 0);
    ASSERT_EQ(on_a({"note", "edit", "5", kA5}).exit_code, 0);
    second = export_from(a(), "second.age", {"--all", "-r", bid.recipient});
  }
  const std::string kOriginal3 = "Mike Grant's team mapped dust storms over the Sistan region in 2005.";
  const std::string kA3 = "A's version: the team mapped dust storms over Sistan in 2005 and 2006.";
  const std::string kB3 = "B's version: the team mapped dust storms over the Sistan basin.";
  const std::string kA5 = "A's later version of note 5.";
  VaultId bid;
  std::string uid3, uid5;
  std::int64_t b3 = 0, b5 = 0;
  fs::path second;
};

TEST_F(CliArchiveConflict, EditsInBothVaultsAreReportedByLocalIdAndBothTextsKept) {
  const RunResult r = on_b({"import-archive", second.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u) << describe(r);
  EXPECT_EQ(lines[0], "imported: 0 series, 0 meetings, 0 participants, 0 notes, 2 revisions");
  EXPECT_EQ(lines[1].rfind("conflict: note " + std::to_string(b3) + " ", 0), 0u) << "names B's own id, not A's 3\n" << r.out;
  EXPECT_NE(lines[1].find("`note history " + std::to_string(b3) + "`"), std::string::npos) << r.out;

  // B's text stays current; A's is in the history, with the original.
  const json notes = notes_of(b(), 2);
  EXPECT_EQ(notes[2]["text"], kB3);
  EXPECT_EQ(notes[4]["text"], kA5) << "edited only in A: A's text becomes current";
  const RunResult hist = on_b({"note", "history", std::to_string(b3)});
  ASSERT_EQ(hist.exit_code, 0) << describe(hist);
  for (const auto& text : {kOriginal3, kA3, kB3}) EXPECT_NE(hist.out.find(text), std::string::npos) << text << "\n" << hist.out;
  EXPECT_EQ(lines_of(hist.out).size(), 3u) << hist.out;

  // And again: nothing new.
  const json b_all = contents(b());
  const RunResult again = on_b({"import-archive", second.string()});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(again.out, kNothing);
  EXPECT_EQ(contents(b()), b_all);
}

TEST_F(CliArchiveConflict, AfterAConflictTheCurrentTextIsStillTheLastRevisionAndEveryVaultStillHandsOver) {
  // docs/archive-format.md: a note's `text` MUST equal its last revision's text, and a reader
  // refuses an archive where it does not. So after any merge a vault's current text must be its
  // last revision, or it can never hand the meeting over again.
  // C first gets B's edit alone (before B sees A's).
  ASSERT_FALSE(sb.init_at(c()).empty());
  const VaultId aid = identity_of(sb, a());
  const VaultId cid = identity_of(sb, c());
  const fs::path early = export_from(b(), "early.age", {"--meeting", "2", "-r", cid.recipient});
  const RunResult early_c = sb.run_on(c(), {"import-archive", "--trust", fp(b()), early.string()});
  ASSERT_EQ(early_c.exit_code, 0) << describe(early_c);
  ASSERT_EQ(notes_of(c(), 1)[2]["text"], kB3);

  // The conflict in B: B keeps its own text, which stays the last revision.
  ASSERT_EQ(on_b({"import-archive", second.string()}).exit_code, 0);
  const json hist = history_of(b(), b3);
  ASSERT_EQ(hist.size(), 3u) << hist.dump(2);
  EXPECT_EQ(hist.back()["text"], kB3) << "the current text is the last revision\n" << hist.dump(2);

  // B hands the meeting over to A (which has nothing B lacks: B's text becomes current there)
  // and to C (which has B's edit but not A's: the same).
  const fs::path back = export_from(b(), "back.age", {"--meeting", "2", "-r", aid.recipient, "-r", cid.recipient});
  const RunResult to_a = on_a({"import-archive", "--trust", fp(b()), back.string()});
  ASSERT_EQ(to_a.exit_code, 0) << describe(to_a);
  EXPECT_EQ(to_a.out.find("conflict:"), std::string::npos) << "A has nothing B lacks\n" << describe(to_a);
  EXPECT_EQ(notes_of(a(), 1)[2]["text"], kB3);
  EXPECT_EQ(history_of(a(), 3).back()["text"], kB3);
  const RunResult to_c = sb.run_on(c(), {"import-archive", back.string()});
  ASSERT_EQ(to_c.exit_code, 0) << describe(to_c);
  EXPECT_EQ(to_c.out.find("conflict:"), std::string::npos) << "C has nothing B lacks\n" << describe(to_c);
  EXPECT_EQ(notes_of(c(), 1)[2]["text"], kB3);
  EXPECT_EQ(notes_of(c(), 1)[4]["text"], kA5);
  const json c_hist = history_of(c(), 3);
  ASSERT_EQ(c_hist.size(), 3u) << c_hist.dump(2);
  EXPECT_EQ(c_hist.back()["text"], kB3) << c_hist.dump(2);
  // The three vaults now agree: A's and C's archives bring nothing new anywhere.
  const json a_notes = notes_of(a(), 1);
  const fs::path from_a = export_from(a(), "from-a.age", {"--meeting", "1", "-r", bid.recipient, "-r", cid.recipient});
  const fs::path from_c = export_from(c(), "from-c.age", {"--meeting", "1", "-r", aid.recipient, "-r", bid.recipient});
  for (const auto& [v, f] : std::vector<std::pair<fs::path, fs::path>>{{b(), from_a}, {c(), from_a}, {a(), from_c}, {b(), from_c}}) {
    const RunResult r = sb.run_on(v, {"import-archive", "--trust", fp(f == from_a ? a() : c()), f.string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_TRUE(r.out.find(kNothing) != std::string::npos ||
                r.out.find("imported: 0 series, 0 meetings, 0 participants, 0 notes, 0 revisions\n") != std::string::npos)
        << describe(r);
    EXPECT_EQ(r.out.find("conflict:"), std::string::npos) << describe(r);
  }
  for (const auto& [v, m] : std::vector<std::pair<fs::path, std::int64_t>>{{b(), 2}, {c(), 1}}) {
    const json n = notes_of(v, m);
    ASSERT_EQ(n.size(), a_notes.size());
    for (std::size_t i = 0; i < n.size(); ++i) {
      EXPECT_EQ(n[i]["uid"], a_notes[i]["uid"]);
      EXPECT_EQ(n[i]["text"], a_notes[i]["text"]);
    }
  }
}

TEST_F(CliArchive, AnArchiveForAnotherVaultIsNoMatchAndChangesNothing) {
  ASSERT_FALSE(sb.init_at(c()).empty());
  const VaultId cid = identity_of(sb, c());
  const fs::path file = export_from(a(), "to-c.age", {"--all", "-r", cid.recipient});
  const auto before = snapshot(b());
  const json b_all = contents(b());
  for (const bool trust : {false, true}) {
    std::vector<std::string> args = {"import-archive", file.string()};
    if (trust) args.insert(args.end(), {"--trust", fp(a())});
    const RunResult r = on_b(args);
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_EQ(first_line(r.err).rfind("error: no match", 0), 0u) << describe(r);
    EXPECT_EQ(r.out, "");
  }
  // Not even the exporter opens what it encrypted to someone else.
  const RunResult own = on_a({"import-archive", file.string()});
  EXPECT_EQ(own.exit_code, 2) << describe(own);
  EXPECT_EQ(own.err.rfind("error: no match", 0), 0u) << describe(own);
  EXPECT_EQ(snapshot_diff(before, snapshot(b())), "");
  EXPECT_EQ(contents(b()), b_all);
  // Missing file: bad input, not a crash.
  const RunResult missing = on_b({"import-archive", (sb.in() / "nope.age").string()});
  EXPECT_EQ(missing.exit_code, 4) << describe(missing);
  EXPECT_TRUE(one_clear_error(missing));
}

// Issue 15, item 8: anyone who knows a vault's age1 recipient can write it a file. Control
// characters in its header's format or in a record's type would otherwise reach the terminal
// raw: a carriage return and line feed to forge a success line, OSC 0 to retitle the window,
// OSC 52 to write the clipboard. The error stays one line, each of them escaped.
TEST_F(CliArchive, ControlCharactersInAFormatOrRecordTypeAreEscapedInTheOneErrorLine) {
  const VaultId aid = identity_of(sb, a());
  const VaultId bid = identity_of(sb, b());
  // 38 code points: under the 40 a quoted value keeps.
  const std::string hostile = "x\x1b]52;c;cHduZWQ=\x07\r\nok: 9\x1b]0;t\x07\x1b[2K\xc2\x9b\xe2\x80\xae" "end";
  /// The text as written, encrypted to vault B with the real age tool.
  auto encrypt_to_b = [&](const std::string& name, const std::string& plain) {
    const fs::path in = sb.in() / (name + ".txt"), out = sb.in() / (name + ".age");
    write_file(in, plain);
    const RunResult enc = run_program(age_bin(), {"-r", bid.recipient, "-o", out.string(), in.string()});
    EXPECT_EQ(enc.exit_code, 0) << enc.err;
    return out;
  };
  const json header{{"format", hostile}, {"signer", aid.signing_key}, {"signer_recipient", aid.recipient}};
  const json good_header{{"format", "backchannel.archive/1"}, {"signer", aid.signing_key}, {"signer_recipient", aid.recipient}};
  const json record{{"type", hostile}};
  const fs::path bad_format = encrypt_to_b("format", header.dump() + "\n");
  const fs::path bad_type = encrypt_to_b("type", good_header.dump() + "\n" + record.dump() + "\n");
  const auto before = snapshot(b());
  struct Case {
    fs::path file;
    std::vector<std::string> extra;
    const char* says;
  };
  for (const Case& c : {Case{bad_format, {}, "error: this file is not an archive (its format is \"x\\x1b]52;c;"},
                        Case{bad_type, {"--trust"}, "error: archive record 2 (\"x\\x1b]52;c;"}}) {
    std::vector<std::string> args = {"import-archive", c.file.string()};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    const RunResult r = on_b(args);
    EXPECT_EQ(r.exit_code, 4) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(r.err.rfind(c.says, 0), 0u) << describe(r);
    EXPECT_EQ(r.out, "");
    // Nothing raw: no C0 control but the final line feed, no C1 control, no bidi override.
    const std::string body = r.err.substr(0, r.err.size() - 1);
    for (unsigned char ch : body) EXPECT_FALSE(ch < 0x20 || ch == 0x7f) << "raw control " << int(ch) << " in " << describe(r);
    EXPECT_EQ(body.find("\xc2\x9b"), std::string::npos) << describe(r);
    EXPECT_EQ(body.find("\xe2\x80\xae"), std::string::npos) << describe(r);
    EXPECT_NE(body.find("cHduZWQ=\\x07\\r\\nok: 9\\x1b]0;t\\x07\\x1b[2K\\u{9b}\\u{202e}end\""), std::string::npos)
        << describe(r);
  }
  EXPECT_EQ(snapshot_diff(before, snapshot(b())), "") << "a refused file changed the vault";
}

// ---------------------------------------------------------------------------------------------
// Damage: every kind, through the command line

/// The demo vault (4 chunks of archive and more) exported to B and to an age-keygen key.
class CliArchiveDamage : public CliArchive {
 protected:
  void SetUp() override {
    CliArchive::SetUp();
    if (HasFatalFailure()) return;
    const RunResult demo = sb.run_on(sb.root() / "demo", {"demo", (sb.root() / "demo").string(), "--kdf", "interactive"});
    ASSERT_EQ(demo.exit_code, 0) << describe(demo);
    const VaultId bid = identity_of(sb, b());
    const fs::path file = sb.in() / "good.age";
    const RunResult r = sb.run_on(sb.root() / "demo",
                                  {"export", "--all", "-r", bid.recipient, "-r", key.recipient, "-o", file.string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    std::smatch m;
    static const std::regex kCounts("exported ([0-9]+) meetings, ([0-9]+) participants, ([0-9]+) notes \\(([0-9]+) revisions\\)");
    ASSERT_TRUE(std::regex_search(r.err, m, kCounts)) << describe(r);
    expected_import = "imported: 1 series, " + m[1].str() + " meetings, " + m[2].str() + " participants, " + m[3].str() +
                      " notes, " + m[4].str() + " revisions\n";
    good = read_file(file);
    fs::remove(file);
    header_end = good.find('\n', good.find("\n--- ") + 1) + 1;
    payload = header_end + 16;  // the STREAM nonce
    ASSERT_GT(good.size(), payload + 3 * kChunk) << "the archive must span more than 3 chunks";
    chunks = (good.size() - payload + kChunk - 1) / kChunk;
    fs::create_directory(out_dir());
    b_before = snapshot(b());
  }
  fs::path out_dir() const { return sb.root() / "decrypted"; }
  std::string chunk(std::size_t k) const { return good.substr(payload + k * kChunk, kChunk); }
  std::string head() const { return good.substr(0, payload); }

  /// A damaged file: refused by import-archive (exit 2, even with --trust) with B unchanged, and
  /// by `age decrypt -o` with no output file left.
  void expect_refused(const std::string& name, const std::string& bytes) {
    SCOPED_TRACE(name);
    const fs::path in = sb.input("bad.age", bytes);
    const RunResult imp = on_b({"import-archive", "--trust", fp(sb.root() / "demo"), in.string()});
    EXPECT_EQ(imp.exit_code, 2) << describe(imp);
    EXPECT_EQ(imp.err.rfind("error: ", 0), 0u) << describe(imp);
    EXPECT_EQ(imp.out, "") << describe(imp);
    EXPECT_EQ(snapshot_diff(b_before, snapshot(b())), "") << "nothing may be written to the vault";
    const fs::path out = out_dir() / "out.txt";
    const RunResult dec = sb.raw({"age", "decrypt", "-i", key.file.string(), "-o", out.string(), in.string()});
    EXPECT_EQ(dec.exit_code, 2) << describe(dec);
    EXPECT_EQ(dec.err.rfind("error: ", 0), 0u) << describe(dec);
    EXPECT_EQ(names_in(out_dir()), std::set<std::string>{}) << "no output file, not even a temporary one";
    ++refused;
  }

  /// Then the undamaged file still opens everywhere, and B takes it.
  void expect_good_still_imports() {
    const fs::path in = sb.input("good.age", good);
    const fs::path out = out_dir() / "out.txt";
    const RunResult dec = sb.raw({"age", "decrypt", "-i", key.file.string(), "-o", out.string(), in.string()});
    ASSERT_EQ(dec.exit_code, 0) << describe(dec);
    SignedStream s;
    EXPECT_TRUE(read_signed_stream(read_file(out), s));
    const RunResult imp = on_b({"import-archive", "--trust", fp(sb.root() / "demo"), in.string()});
    ASSERT_EQ(imp.exit_code, 0) << describe(imp);
    EXPECT_NE(imp.out.find(expected_import), std::string::npos) << describe(imp);
    EXPECT_EQ(names_in(sb.tmp()), std::set<std::string>{}) << "nothing left in TMPDIR";
  }

  std::string good, expected_import;
  std::size_t header_end = 0, payload = 0, chunks = 0, refused = 0;
  std::map<std::string, std::string> b_before;
};

TEST_F(CliArchiveDamage, AFlippedByteAnywhereIsRefused) {
  std::set<std::size_t> offsets;
  for (std::size_t i = 0; i < 12; ++i) offsets.insert(i * header_end / 12);  // the header: version, stanzas, MAC
  offsets.insert(header_end - 2);                                              // the MAC's last character
  offsets.insert(header_end);                                                  // the nonce
  offsets.insert(payload - 1);
  for (std::size_t k = 0; k < chunks; ++k) {
    const std::size_t start = payload + k * kChunk, end = std::min(good.size(), start + kChunk);
    offsets.insert(start);
    offsets.insert(end - 16);  // the tag
    offsets.insert(end - 1);
  }
  // And the rest spread over the payload.
  for (std::size_t i = 1; offsets.size() < 50; ++i) offsets.insert(payload + (i * 104729u) % (good.size() - payload));
  ASSERT_GE(offsets.size(), 50u);
  int i = 0;
  for (const std::size_t off : offsets) {
    std::string bad = good;
    bad[off] = static_cast<char>(bad[off] ^ (i++ % 2 ? 0x80 : 0x01));
    expect_refused("byte " + std::to_string(off) + " flipped", bad);
  }
  expect_good_still_imports();
}

TEST_F(CliArchiveDamage, TruncatedReorderedOrExtendedFilesAreRefused) {
  // Truncation at and around every chunk boundary, and inside the header and nonce.
  std::set<std::size_t> cuts = {0, 1, 21, header_end / 2, header_end - 1, header_end, header_end + 8, payload, payload + 1,
                                good.size() - 17, good.size() - 16, good.size() - 1};
  for (std::size_t k = 1; k < chunks; ++k) {
    const std::size_t b = payload + k * kChunk;
    for (const std::size_t at : {b - 17, b - 16, b - 1, b, b + 1, b + 16, b + 17}) cuts.insert(at);
  }
  for (const std::size_t cut : cuts) expect_refused("cut at " + std::to_string(cut), good.substr(0, cut));

  // Dropped, duplicated and swapped chunks; a second final chunk.
  for (std::size_t k = 0; k < chunks; ++k) {
    std::string dropped = head(), duplicated = head();
    for (std::size_t j = 0; j < chunks; ++j) {
      if (j != k) dropped += chunk(j);
      duplicated += chunk(j);
      if (j == k) duplicated += chunk(j);
    }
    expect_refused("chunk " + std::to_string(k) + " dropped", dropped);
    expect_refused(k + 1 == chunks ? "a second final chunk" : "chunk " + std::to_string(k) + " duplicated", duplicated);
  }
  for (std::size_t k = 0; k + 1 < chunks; ++k) {
    std::string swapped = head();
    for (std::size_t j = 0; j < chunks; ++j) swapped += chunk(j == k ? k + 1 : j == k + 1 ? k : j);
    expect_refused("chunks " + std::to_string(k) + " and " + std::to_string(k + 1) + " swapped", swapped);
  }
  // Trailing (and leading) garbage.
  expect_refused("one trailing byte", good + "x");
  expect_refused("a trailing line feed", good + "\n");
  expect_refused("a trailing full chunk", good + chunk(0));
  expect_refused("64 KiB of trailing zeros", good + std::string(65536, '\0'));
  expect_refused("leading garbage", "x" + good);
  EXPECT_EQ(refused, cuts.size() + 3 * chunks - 1 + 5);
  expect_good_still_imports();
}

}  // namespace
}  // namespace bc::test::cli
