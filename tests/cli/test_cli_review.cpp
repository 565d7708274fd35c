// End-to-end: the participant review loop through the real backchannel-cli with three vaults (the
// organizer, participant P, an outsider) and the real `age` tool: `participant set --recipient`,
// `package summary` (KEY<TAB>path lines, file names that name no one, one age file per
// participant that only that participant opens, their own statements marked, no protected
// name), `inbox import|list|show`, `review`, `review export`, `responses import` and
// `responses --meeting`; unknown organizers, outsiders, tampered files, and the leak scanner's
// block (exit 3, no file at all).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "cli_archive_helpers.h"

namespace bc::test::cli {
namespace {

// Every protected form of the sample's participants b (Parisa Hashemi), c (Michael Grant) and
// d (Ali Rostami), who are below `named` for participants, and the organizers-only note: never
// in anyone's package (as test_cli_summary.cpp checks for the summary itself).
const std::vector<std::string> kProtected = {
    "Hashemi", "هاشمی", "Parisa", "پریسا", "Rostami", "رستمی", "علی رستمی", "Grant", "Mike", "Michael",
    "Department of Environment", "Environmental Protection Agency", "Sharif University", "visa letter", "Organizer only"};

::testing::AssertionResult contains_none(const std::string& text, const std::vector<std::string>& forms) {
  for (const auto& f : forms)
    if (text.find(f) != std::string::npos) return ::testing::AssertionFailure() << "contains \"" << f << "\":\n" << text;
  return ::testing::AssertionSuccess();
}

const std::string kCorrection = "I said the agreement is one model among several.";
const std::string kComment = "Thank you for the careful notes; one correction.";

class CliReview : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(age_bin().empty()) << "the age tool is not installed (Debian package age; scripts/setup-deps --test)";
    ASSERT_FALSE(sb.init().empty());
    ASSERT_EQ(sb.import(sample_meeting()), 1);
    ASSERT_FALSE(sb.init_at(p()).empty());
    ASSERT_FALSE(sb.init_at(x()).empty());
    oid = identity_of(sb, o());
    pid = identity_of(sb, p());
    const json notes = sb.run_json({"notes", "--meeting", "1", "--json"});
    for (const auto& n : notes) {
      note_id[n["uid"]] = n["id"].get<std::int64_t>();
      if (n["speaker"].is_string()) uids_of[n["speaker"].get<std::string>()].insert(n["uid"].get<std::string>());
      if (n["visibility"] == "organizers") organizers_only_uid = n["uid"];
    }
    ASSERT_EQ(uids_of["b"].size(), 2u);
    ASSERT_FALSE(organizers_only_uid.empty());
  }

  fs::path o() const { return sb.vault(); }
  fs::path p() const { return sb.root() / "p"; }
  fs::path x() const { return sb.root() / "x"; }
  RunResult on_o(const std::vector<std::string>& args) const { return sb.run_on(o(), args); }
  RunResult on_p(const std::vector<std::string>& args) const { return sb.run_on(p(), args); }
  RunResult on_x(const std::vector<std::string>& args) const { return sb.run_on(x(), args); }

  json json_of(const RunResult& r) const {
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    json j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << describe(r);
    return j;
  }
  long long audit_count(const fs::path& vault) const {
    const RunResult r = sb.run_on(vault, {"audit", "verify"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    std::smatch m;
    static const std::regex kCount("([0-9]+) entries");
    return std::regex_search(r.out, m, kCount) ? std::stoll(m[1].str()) : -1;
  }

  /// `package summary` into `dir`; returns KEY -> path from its "KEY<TAB>path" lines.
  std::map<std::string, fs::path> package(const std::vector<std::string>& to, const fs::path& dir) const {
    std::vector<std::string> args = {"package", "summary", "--meeting", "1", "-o", dir.string()};
    for (const auto& t : to) args.insert(args.end(), {"--to", t});
    const RunResult r = on_o(args);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.err, "wrote " + std::to_string(to.size()) + " packages; each is encrypted to its participant only\n");
    std::map<std::string, fs::path> out;
    const auto lines = lines_of(r.out);
    EXPECT_EQ(lines.size(), to.size()) << describe(r);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto tab = lines[i].find('\t');
      if (tab == std::string::npos) {
        ADD_FAILURE() << "not KEY<TAB>path: " << lines[i];
        continue;
      }
      const std::string k = lines[i].substr(0, tab);
      EXPECT_EQ(k, to[i].substr(0, to[i].find('='))) << "one line per --to, in order";
      out[k] = lines[i].substr(tab + 1);
    }
    return out;
  }

  /// The package for b, stored at P's recipient; P imports it (trusting the organizer).
  fs::path package_for_p() {
    const RunResult set = on_o({"participant", "set", "--meeting", "1", "--key", "b", "--recipient", pid.recipient});
    EXPECT_EQ(set.exit_code, 0) << describe(set);
    return package({"b"}, sb.root() / "packages")["b"];
  }

  /// Statement number (as `inbox show` numbers them) -> note uid, from P's inbox entry.
  std::vector<std::string> statement_uids(std::int64_t inbox) const {
    const json item = json_of(on_p({"inbox", "show", std::to_string(inbox), "--json"}));
    std::vector<std::string> out;
    for (const auto& s : item["summary"]["statements"]) out.push_back(s["note"]);
    return out;
  }

  Sandbox sb;
  VaultId oid, pid;
  std::map<std::string, std::int64_t> note_id;               // the organizer's note ids by uid
  std::map<std::string, std::set<std::string>> uids_of;      // note uids by speaker key
  std::string organizers_only_uid;
};

// ---------------------------------------------------------------------------------------------

TEST_F(CliReview, PackagesOpenWithAgeForTheirParticipantOnlyMarkTheirStatementsAndNameNoOne) {
  const AgeKey kc = make_age_key(sb.in() / "c-key.txt");
  const AgeKey ke = make_age_key(sb.in() / "e-key.txt");
  const fs::path dir = sb.root() / "packages";
  const auto files = package({"c=" + kc.recipient, "e=" + ke.recipient}, dir);
  ASSERT_EQ(files.size(), 2u);
  std::set<std::string> names;
  const json participants = sb.run_json({"participants", "--meeting", "1", "--json"});
  for (const auto& [k, path] : files) {
    SCOPED_TRACE("package for " + k);
    EXPECT_EQ(path.parent_path(), dir);
    const std::string name = path.filename().string();
    names.insert(name);
    // The file name is "package-" and 12 hex digits of a random uid: no key, no name.
    EXPECT_TRUE(std::regex_match(name, std::regex("package-[0-9a-f]{12}\\.age"))) << name;
    for (const auto& pp : participants) {
      for (const auto& part : lines_of(std::regex_replace(pp["name"].get<std::string>(), std::regex(" "), "\n")))
        EXPECT_EQ(name.find(part), std::string::npos) << part;
      for (const auto& alias : pp["aliases"]) EXPECT_EQ(name.find(alias.get<std::string>()), std::string::npos);
    }
    EXPECT_EQ(fs::status(path).permissions() & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);

    // Only its participant's key opens it.
    const AgeKey& mine = k == "c" ? kc : ke;
    const AgeKey& theirs = k == "c" ? ke : kc;
    EXPECT_NE(age_decrypt(theirs, path).exit_code, 0);
    const RunResult dec = age_decrypt(mine, path);
    ASSERT_EQ(dec.exit_code, 0) << dec.err;
    SignedStream s;
    ASSERT_TRUE(read_signed_stream(dec.out, s));
    EXPECT_EQ(s.header["format"], "backchannel.package/1");
    EXPECT_EQ(s.header["kind"], "summary");
    EXPECT_EQ(s.header["signer"], oid.signing_key);
    EXPECT_EQ(s.header["signer_recipient"], oid.recipient);
    EXPECT_TRUE(is_utc_timestamp(s.header["created_at"]));
    ASSERT_TRUE(is_record_uid(s.header["package"])) << s.header.dump();
    EXPECT_EQ(name, "package-" + s.header["package"].get<std::string>().substr(0, 12) + ".age");
    EXPECT_EQ(s.header["meeting"], sb.run_json({"meetings", "--json"})[0]["uid"]);
    EXPECT_EQ(base64_bytes(s.header.value("reply_token", "")).size(), 32u) << s.header.dump();
    ASSERT_EQ(s.records.size(), 2u);
    EXPECT_EQ(s.records[0]["type"], "summary");
    EXPECT_EQ(s.records[1], json({{"type", "end"}}));

    // Their own statements, and only those, are marked; no organizers-only note, no warnings,
    // no protected name anywhere in the file.
    const json& summary = s.records[0]["summary"];
    EXPECT_EQ(summary["format"], "backchannel.summary/1");
    EXPECT_EQ(summary["audience"], "participants");
    std::set<std::string> own;
    for (const auto& st : summary["statements"]) {
      EXPECT_NE(st["note"], organizers_only_uid);
      if (st.value("own", false)) own.insert(st["note"]);
    }
    EXPECT_EQ(own, uids_of[k]);
    EXPECT_EQ(summary["statements"].size(), 6u);
    EXPECT_TRUE(!summary.contains("warnings") || summary["warnings"].empty()) << summary["warnings"].dump();
    EXPECT_TRUE(contains_none(dec.out, kProtected));
  }
  EXPECT_EQ(names_in(dir), names);
  // The organizer knows what went to whom.
  for (const auto& r : json_of(on_o({"responses", "--meeting", "1", "--json"})))
    EXPECT_EQ(r["package_sent"], r["key"] == "c" || r["key"] == "e") << r.dump();
}

TEST_F(CliReview, TheWholeLoopBetweenOrganizerAndParticipant) {
  // The organizer stores P's recipient and packages the summary for b.
  const RunResult set = on_o({"participant", "set", "--meeting", "1", "--key", "b", "--recipient", pid.recipient});
  ASSERT_EQ(set.exit_code, 0) << describe(set);
  for (const auto& pp : sb.run_json({"participants", "--meeting", "1", "--json"}))
    EXPECT_EQ(pp["recipient"], pp["key"] == "b" ? json(pid.recipient) : json(nullptr)) << pp.dump();
  const fs::path pkg = package({"b"}, sb.root() / "packages")["b"];
  ASSERT_TRUE(fs::exists(pkg));

  // P does not know the organizer yet: refused with the organizer's fingerprint, nothing kept.
  const auto p_before = snapshot(p());
  const RunResult unknown = on_p({"inbox", "import", pkg.string()});
  EXPECT_EQ(unknown.exit_code, 2) << describe(unknown);
  EXPECT_TRUE(one_clear_error(unknown));
  EXPECT_NE(unknown.err.find(oid.fingerprint), std::string::npos) << describe(unknown);
  EXPECT_NE(unknown.err.find("--trust"), std::string::npos) << describe(unknown);
  EXPECT_EQ(snapshot_diff(p_before, snapshot(p())), "");
  EXPECT_EQ(json_of(on_p({"inbox", "list", "--json"})), json::array());

  // The outsider cannot open it at all, trusting or not.
  const auto x_before = snapshot(x());
  for (const bool trust : {false, true}) {
    std::vector<std::string> args = {"inbox", "import", pkg.string()};
    if (trust) args.insert(args.end(), {"--trust", oid.fingerprint});
    const RunResult r = on_x(args);
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_EQ(first_line(r.err).rfind("error: no match", 0), 0u) << describe(r);
  }
  EXPECT_EQ(snapshot_diff(x_before, snapshot(x())), "");

  // --trust: stored; a second import says so and changes nothing.
  const RunResult ok = on_p({"inbox", "import", "--trust", oid.fingerprint, pkg.string()});
  ASSERT_EQ(ok.exit_code, 0) << describe(ok);
  EXPECT_EQ(ok.out, "inbox 1 (from the organizer with fingerprint " + oid.fingerprint + ")\n");
  const long long p_audit = audit_count(p());
  const RunResult again = on_p({"inbox", "import", pkg.string()});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(again.out, "already in the inbox as 1\n");
  EXPECT_EQ(audit_count(p()), p_audit);

  // inbox list
  const RunResult list = on_p({"inbox", "list"});
  ASSERT_EQ(list.exit_code, 0) << describe(list);
  ASSERT_EQ(lines_of(list.out).size(), 1u) << list.out;
  EXPECT_TRUE(std::regex_search(list.out, std::regex("^1 +Water and Environment Exchange: Session 3: .* 2008-04-09 +0/6 reviewed\n$")))
      << list.out;
  const json entries = json_of(on_p({"inbox", "list", "--json"}));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["id"], 1);
  EXPECT_EQ(entries[0]["series"], "Water and Environment Exchange");
  EXPECT_EQ(entries[0]["meeting"], "Session 3: shared rivers");
  EXPECT_EQ(entries[0]["date"], "2008-04-09");
  EXPECT_EQ(entries[0]["sender_fingerprint"], oid.fingerprint);
  EXPECT_EQ(entries[0]["statements"], 6);
  EXPECT_EQ(entries[0]["reviewed"], 0);

  // inbox show: numbered statements, P's own marked "(yours)", no protected name.
  const std::vector<std::string> uids = statement_uids(1);
  ASSERT_EQ(uids.size(), 6u);
  const RunResult show = on_p({"inbox", "show", "1"});
  ASSERT_EQ(show.exit_code, 0) << describe(show);
  auto lines = lines_of(show.out);
  ASSERT_EQ(lines.size(), 9u) << show.out;
  EXPECT_EQ(lines[0], "Water and Environment Exchange: Session 3: shared rivers (2008-04-09)");
  EXPECT_EQ(lines[1], "from the organizer with fingerprint " + oid.fingerprint);
  EXPECT_EQ(lines[2], "");
  for (std::size_t i = 0; i < 6; ++i) {
    const std::string number = "[" + std::to_string(i + 1) + "] ";
    EXPECT_EQ(lines[3 + i].rfind(number, 0), 0u) << lines[3 + i];
    const bool own = uids_of["b"].count(uids[i]) > 0;
    EXPECT_EQ(lines[3 + i].rfind(number + "(yours) ", 0) == 0, own) << lines[3 + i];
  }
  EXPECT_TRUE(contains_none(show.out, kProtected));

  // review: approve 1 and 2, correct 3, comment.
  const RunResult review = on_p({"review", "1", "--approve", "1", "--approve", "2", "--correct", "3", kCorrection,
                                 "--comment", kComment});
  ASSERT_EQ(review.exit_code, 0) << describe(review);
  EXPECT_EQ(review.out, "review of inbox 1: 3 of 6 statements reviewed\n");
  const RunResult shown = on_p({"inbox", "show", "1"});
  lines = lines_of(shown.out);
  ASSERT_EQ(lines.size(), 14u) << shown.out;
  EXPECT_EQ(lines[3].rfind("[1] ", 0), 0u);
  EXPECT_EQ(lines[4], "      approved");
  EXPECT_EQ(lines[5].rfind("[2] ", 0), 0u);
  EXPECT_EQ(lines[6], "      approved");
  EXPECT_EQ(lines[7].rfind("[3] ", 0), 0u);
  EXPECT_EQ(lines[8], "      correction: " + kCorrection);
  EXPECT_EQ(lines[9].rfind("[4] ", 0), 0u);
  EXPECT_EQ(lines[12], "");
  EXPECT_EQ(lines[13], "comment: " + kComment);
  EXPECT_EQ(json_of(on_p({"inbox", "list", "--json"}))[0]["reviewed"], 3);

  // review export: an age file for the organizer; never over an existing file.
  const fs::path response = sb.in() / "R.age";
  const RunResult exported = on_p({"review", "export", "1", "-o", response.string()});
  ASSERT_EQ(exported.exit_code, 0) << describe(exported);
  EXPECT_EQ(exported.out, "");
  EXPECT_EQ(read_file(response).rfind("age-encryption.org/v1\n", 0), 0u);
  const std::string response_bytes = read_file(response);
  const RunResult over = on_p({"review", "export", "1", "-o", response.string()});
  EXPECT_EQ(over.exit_code, 4) << describe(over);
  EXPECT_TRUE(read_file(response) == response_bytes) << "an existing file is left as it was";

  // Only the organizer opens it: not the outsider, not even P.
  for (const fs::path& v : {x(), p()}) {
    const RunResult r = sb.run_on(v, {"responses", "import", response.string()});
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_EQ(r.err.rfind("error: no match", 0), 0u) << describe(r);
  }

  // First contact: the organizer sees the participant's fingerprint and pins it only when told
  // to (issue 15, item 1); a wrong fingerprint is refused. Nothing is kept until then.
  const auto o_first = snapshot(o());
  const RunResult first = on_o({"responses", "import", response.string()});
  EXPECT_EQ(first.exit_code, 2) << describe(first);
  EXPECT_TRUE(one_clear_error(first));
  EXPECT_NE(first.err.find(pid.fingerprint), std::string::npos) << describe(first);
  EXPECT_NE(first.err.find("--trust " + pid.fingerprint), std::string::npos) << describe(first);
  const RunResult wrong = on_o({"responses", "import", response.string(), "--trust", oid.fingerprint});
  EXPECT_EQ(wrong.exit_code, 2) << describe(wrong);
  EXPECT_TRUE(one_clear_error(wrong));
  EXPECT_EQ(snapshot_diff(o_first, snapshot(o())), "");
  // The organizer imports it once; the second time says so and changes nothing.
  const RunResult imported = on_o({"responses", "import", response.string(), "--trust", pid.fingerprint});
  ASSERT_EQ(imported.exit_code, 0) << describe(imported);
  EXPECT_EQ(imported.out, "response from participant b for meeting 1\n");
  const long long o_audit = audit_count(o());
  const json before = json_of(on_o({"responses", "--meeting", "1", "--json"}));
  const RunResult twice = on_o({"responses", "import", response.string()});
  ASSERT_EQ(twice.exit_code, 0) << describe(twice);
  EXPECT_EQ(twice.out, "this response was already imported\n");
  EXPECT_EQ(audit_count(o()), o_audit);
  EXPECT_EQ(json_of(on_o({"responses", "--meeting", "1", "--json"})), before);

  // responses --meeting: who approved what, the correction and the comment, in the
  // organizer's own note ids.
  const std::int64_t n1 = note_id[uids[0]], n2 = note_id[uids[1]], n3 = note_id[uids[2]];
  const RunResult table = on_o({"responses", "--meeting", "1"});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_EQ(table.out, "a             no package sent\n"
                       "b             responded: 2 approved, 1 corrected\n"
                       "    note " + std::to_string(n3) + " corrected: " + kCorrection + "\n"
                       "    comment: " + kComment + "\n"
                       "c             no package sent\n"
                       "d             no package sent\n"
                       "e             no package sent\n");
  for (const auto& r : before) {
    if (r["key"] != "b") {
      EXPECT_EQ(r, json({{"key", r["key"]}, {"package_sent", false}, {"responded", false}, {"approved", json::array()},
                         {"corrections", json::array()}, {"comment", nullptr}}));
      continue;
    }
    EXPECT_EQ(r["package_sent"], true);
    EXPECT_EQ(r["responded"], true);
    std::vector<std::int64_t> approved = {n1, n2};
    std::sort(approved.begin(), approved.end());
    EXPECT_EQ(r["approved"], json(approved));
    EXPECT_EQ(r["corrections"], json::array({{{"note", n3}, {"text", kCorrection}}}));
    EXPECT_EQ(r["comment"], kComment);
  }
}

// Issue 15, item 1, the reported attack end to end with the real `age`: b's package is
// decrypted with b's key (`age -d`), re-encrypted to the outsider's vault (`age -r`), and the
// outsider runs `inbox import --trust`. The package's signed header names b's recipient only, so
// the outsider's vault refuses it (exit 2, one line) and keeps nothing; it has nothing to answer
// with. b's own answer still goes through.
TEST_F(CliReview, APackageReEncryptedToAnotherVaultIsRefusedSoNoOneCanAnswerInItsPlace) {
  const AgeKey kb = make_age_key(sb.in() / "b-key.txt");
  const fs::path pkg = package({"b=" + kb.recipient}, sb.root() / "packages")["b"];
  const RunResult plain = age_decrypt(kb, pkg);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const fs::path plain_file = sb.in() / "package.jsonl";
  write_file(plain_file, plain.out);
  const fs::path moved = sb.in() / "moved.age";
  const RunResult reenc = run_program(age_bin(), {"-r", identity_of(sb, x()).recipient, "-o", moved.string(), plain_file.string()});
  ASSERT_EQ(reenc.exit_code, 0) << reenc.err;

  const auto x_before = snapshot(x());
  const RunResult r = on_x({"inbox", "import", moved.string(), "--trust", oid.fingerprint});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_NE(r.err.find("meant for another vault"), std::string::npos) << describe(r);
  EXPECT_EQ(snapshot_diff(x_before, snapshot(x())), "");
  EXPECT_EQ(json_of(on_x({"inbox", "list", "--json"})).size(), 0u);

  // The participant's own vault, which the organizer addresses, imports and answers as before.
  const fs::path for_p = package_for_p();
  const RunResult imported = on_p({"inbox", "import", for_p.string(), "--trust", oid.fingerprint});
  ASSERT_EQ(imported.exit_code, 0) << describe(imported);
  ASSERT_EQ(on_p({"review", "1", "--approve", "1"}).exit_code, 0);
  const fs::path response = sb.in() / "response.age";
  ASSERT_EQ(on_p({"review", "export", "1", "-o", response.string()}).exit_code, 0);
  const RunResult answered = on_o({"responses", "import", response.string(), "--trust", pid.fingerprint});
  EXPECT_EQ(answered.exit_code, 0) << describe(answered);
  EXPECT_EQ(answered.out, "response from participant b for meeting 1\n");
}

// Issue 15, item 2: `--trust` takes the fingerprint compared in person (bare, it is a usage
// error); trust is scoped by purpose (trusting the organizer's packages does not let that key
// merge archives); `trust list [--json]` shows it and `trust remove` takes it back.
TEST_F(CliReview, TrustIsAFingerprintScopedByPurposeListedAndRemovable) {
  const fs::path pkg = package_for_p();
  for (const auto& cmd : std::vector<std::vector<std::string>>{{"inbox", "import", pkg.string(), "--trust"},
                                                               {"import-archive", pkg.string(), "--trust"},
                                                               {"responses", "import", pkg.string(), "--trust"}}) {
    const RunResult bare = on_p(cmd);
    EXPECT_EQ(bare.exit_code, 1) << describe(bare);
  }
  const RunResult notfp = on_p({"inbox", "import", pkg.string(), "--trust", "yes"});
  EXPECT_EQ(notfp.exit_code, 1) << describe(notfp);
  // Another fingerprint than the signer's: refused, nothing kept.
  const auto p_before = snapshot(p());
  const RunResult wrong = on_p({"inbox", "import", pkg.string(), "--trust", pid.fingerprint});
  EXPECT_EQ(wrong.exit_code, 2) << describe(wrong);
  EXPECT_TRUE(one_clear_error(wrong));
  EXPECT_EQ(snapshot_diff(p_before, snapshot(p())), "");
  EXPECT_EQ(json_of(on_p({"trust", "list", "--json"})), json::array());
  // The organizer's fingerprint, typed in lower case without dashes, is the same fingerprint.
  std::string typed;
  for (char ch : oid.fingerprint)
    if (ch != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  ASSERT_EQ(on_p({"inbox", "import", pkg.string(), "--trust", typed}).exit_code, 0);
  const json list = json_of(on_p({"trust", "list", "--json"}));
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["fingerprint"], oid.fingerprint);
  EXPECT_EQ(list[0]["signing_key"], oid.signing_key);
  EXPECT_EQ(list[0]["purpose"], "packages");
  EXPECT_TRUE(is_utc_timestamp(list[0]["added_at"])) << list.dump();
  const RunResult text = on_p({"trust", "list"});
  ASSERT_EQ(text.exit_code, 0) << describe(text);
  EXPECT_NE(text.out.find(oid.fingerprint), std::string::npos) << describe(text);

  // The organizer's archive: trusted for packages is not trusted for archives.
  const fs::path archive = sb.in() / "to-p.age";
  ASSERT_EQ(on_o({"export", "--all", "-r", pid.recipient, "-o", archive.string()}).exit_code, 0);
  const RunResult merge = on_p({"import-archive", archive.string()});
  EXPECT_EQ(merge.exit_code, 2) << describe(merge);
  EXPECT_NE(merge.err.find(oid.fingerprint), std::string::npos) << describe(merge);
  EXPECT_NE(merge.err.find("archives"), std::string::npos) << describe(merge);
  EXPECT_EQ(json_of(on_p({"meetings", "--json"})).size(), 0u);

  // trust remove: the next package from that organizer is a first contact again.
  const RunResult missing = on_p({"trust", "remove", pid.fingerprint});
  EXPECT_EQ(missing.exit_code, 4) << describe(missing);
  const RunResult removed = on_p({"trust", "remove", oid.fingerprint});
  ASSERT_EQ(removed.exit_code, 0) << describe(removed);
  EXPECT_EQ(json_of(on_p({"trust", "list", "--json"})), json::array());
  const fs::path again = package({"b"}, sb.root() / "packages2")["b"];
  const RunResult refused = on_p({"inbox", "import", again.string()});
  EXPECT_EQ(refused.exit_code, 2) << describe(refused);
  EXPECT_NE(refused.err.find(oid.fingerprint), std::string::npos) << describe(refused);
}

TEST_F(CliReview, TamperedPackagesAndResponsesAreRefusedAndNothingIsKept) {
  const fs::path pkg = package_for_p();
  const std::string good_pkg = read_file(pkg);
  const std::size_t pkg_header = good_pkg.find('\n', good_pkg.find("\n--- ") + 1) + 1;
  const auto p_before = snapshot(p());
  for (const std::size_t off : {std::size_t{30}, pkg_header - 5, pkg_header + 3, pkg_header + 40, good_pkg.size() / 2,
                                good_pkg.size() - 1}) {
    std::string bad = good_pkg;
    bad[off] = static_cast<char>(bad[off] ^ 0x04);
    const fs::path f = sb.input("bad-package.age", bad);
    const RunResult r = on_p({"inbox", "import", "--trust", oid.fingerprint, f.string()});
    EXPECT_EQ(r.exit_code, 2) << "flipped at " << off << "\n" << describe(r);
    EXPECT_EQ(snapshot_diff(p_before, snapshot(p())), "") << "flipped at " << off;
  }
  // Not even the trust was kept: the good package still asks for it.
  const RunResult untrusted = on_p({"inbox", "import", pkg.string()});
  EXPECT_EQ(untrusted.exit_code, 2) << describe(untrusted);
  EXPECT_NE(untrusted.err.find(oid.fingerprint), std::string::npos) << describe(untrusted);
  ASSERT_EQ(on_p({"inbox", "import", "--trust", oid.fingerprint, pkg.string()}).exit_code, 0);

  ASSERT_EQ(on_p({"review", "1", "--approve", "1", "--comment", kComment}).exit_code, 0);
  const fs::path response = sb.in() / "R.age";
  ASSERT_EQ(on_p({"review", "export", "1", "-o", response.string()}).exit_code, 0);
  const std::string good = read_file(response);
  const std::size_t header_end = good.find('\n', good.find("\n--- ") + 1) + 1;
  const auto o_before = snapshot(o());
  for (const std::size_t off : {std::size_t{0}, std::size_t{40}, header_end - 3, header_end + 1, header_end + 20,
                                good.size() / 2, good.size() - 16, good.size() - 1}) {
    std::string bad = good;
    bad[off] = static_cast<char>(bad[off] ^ 0x01);
    const fs::path f = sb.input("bad-response.age", bad);
    const RunResult r = on_o({"responses", "import", f.string()});
    EXPECT_EQ(r.exit_code, 2) << "flipped at " << off << "\n" << describe(r);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << describe(r);
    EXPECT_EQ(snapshot_diff(o_before, snapshot(o())), "") << "flipped at " << off;
  }
  for (const auto& r : json_of(on_o({"responses", "--meeting", "1", "--json"}))) EXPECT_EQ(r["responded"], false);
  // The untouched response is accepted.
  const RunResult ok = on_o({"responses", "import", response.string(), "--trust", pid.fingerprint});
  EXPECT_EQ(ok.exit_code, 0) << describe(ok);
}

TEST_F(CliReview, APackageTheLeakScannerBlocksWritesNoFileAtAll) {
  // c's descriptor names the protected Ali Rostami: every copy would carry it, so none is written,
  // not even b's or e's.
  const RunResult set = on_o({"participant", "set", "--meeting", "1", "--key", "c", "--descriptor", "Rostami's colleague"});
  ASSERT_EQ(set.exit_code, 0) << describe(set);
  const AgeKey ke = make_age_key(sb.in() / "e-key.txt");
  const long long audit = audit_count(o());
  const fs::path fresh = sb.root() / "fresh";
  const fs::path existing = sb.root() / "existing";
  fs::create_directory(existing);
  for (const fs::path& dir : {fresh, existing}) {
    const RunResult r = on_o({"package", "summary", "--meeting", "1", "--to", "b=" + pid.recipient, "--to",
                              "e=" + ke.recipient, "-o", dir.string()});
    EXPECT_EQ(r.exit_code, 3) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains_none(r.err, kProtected)) << "the error names participants by key, never by name";
    EXPECT_EQ(names_in(dir), std::set<std::string>{}) << dir;
  }
  EXPECT_FALSE(fs::exists(fresh)) << "not even the folder";
  EXPECT_EQ(audit_count(o()), audit);
  for (const auto& r : json_of(on_o({"responses", "--meeting", "1", "--json"}))) EXPECT_EQ(r["package_sent"], false);
}

// Issue 15, item 8, on standard output: a package's summary is written by whoever signed it, and
// its series, meeting and labels are shown by `inbox list` and `inbox show`. Signed here with a
// key of the test's own (libsodium), trusted with --trust, encrypted to P with the real age tool.
TEST_F(CliReview, ControlCharactersInAPackageReachNoTerminalRaw) {
  ASSERT_EQ(sodium_init() >= 0, true);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  auto b64 = [](const unsigned char* p, std::size_t n) {
    std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
  };
  const unsigned char token[32] = {7};
  const std::string osc = "\x1b]52;c;cHduZWQ=\x07";
  const json header{{"format", "backchannel.package/1"}, {"kind", "summary"}, {"package", std::string(32, 'a')},
                    {"created_at", "2026-12-03T10:00:00Z"}, {"signer", "ed25519:" + b64(pk, sizeof pk)},
                    {"signer_recipient", oid.recipient}, {"meeting", std::string(32, 'b')}, {"reply_token", b64(token, 32)}};
  const json summary{{"format", "backchannel.summary/1"},
                     {"series", "S" + osc + "\r\nimported ok\x1b]0;title\x07"},
                     {"meeting", "M\xc2\x9b" "31m\xe2\x80\xae" "x"},
                     {"date", "2026-12-03\x1b[2K"},
                     {"statements", {{{"note", std::string(32, 'c')}, {"kind", "statement"}, {"text", "A plain statement."},
                                      {"attribution", {{"label", "L" + osc}}}}}}};
  std::string plain = header.dump() + "\n" + json{{"type", "summary"}, {"summary", summary}}.dump() + "\n" +
                      json{{"type", "end"}}.dump() + "\n";
  crypto_sign_state st;
  crypto_sign_init(&st);
  crypto_sign_update(&st, reinterpret_cast<const unsigned char*>(plain.data()), plain.size());
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_final_create(&st, sig, nullptr, sk);
  plain += json{{"signature", b64(sig, sizeof sig)}}.dump() + "\n";
  const fs::path in = sb.in() / "hostile.txt", file = sb.in() / "hostile.age";
  write_file(in, plain);
  const RunResult enc = run_program(age_bin(), {"-r", pid.recipient, "-o", file.string(), in.string()});
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  const RunResult imported = on_p({"inbox", "import", "--trust", file.string()});
  ASSERT_EQ(imported.exit_code, 0) << describe(imported);

  // Text output: every line free of controls, the values escaped where they stood.
  auto inert = [](const std::string& out) {
    for (unsigned char ch : out)
      if ((ch < 0x20 && ch != '\n') || ch == 0x7f) return false;
    return out.find("\xc2\x9b") == std::string::npos && out.find("\xe2\x80\xae") == std::string::npos;
  };
  const RunResult list = on_p({"inbox", "list"});
  EXPECT_EQ(list.exit_code, 0) << describe(list);
  EXPECT_TRUE(inert(list.out)) << describe(list);
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 1) << describe(list);
  const RunResult show = on_p({"inbox", "show", "1"});
  EXPECT_EQ(show.exit_code, 0) << describe(show);
  EXPECT_TRUE(inert(show.out)) << describe(show);
  EXPECT_EQ(first_line(show.out), "S\\x1b]52;c;cHduZWQ=\\x07\\r\\nimported ok\\x1b]0;title\\x07: M\\u{9b}31m\\u{202e}x (2026-12-03\\x1b[2K)")
      << describe(show);
  EXPECT_NE(show.out.find("L\\x1b]52;c;cHduZWQ=\\x07: A plain statement."), std::string::npos) << describe(show);
  // JSON output: still JSON with the same values, nothing raw on the terminal.
  for (const std::vector<std::string>& args : {std::vector<std::string>{"inbox", "list", "--json"},
                                               std::vector<std::string>{"inbox", "show", "1", "--json"}}) {
    const RunResult r = on_p(args);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_TRUE(inert(r.out)) << describe(r);
    const json j = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << describe(r);
    const json& s = args[1] == "list" ? j[0] : j["summary"];
    EXPECT_EQ(s["series"], summary["series"]) << describe(r);
    EXPECT_EQ(s["meeting"], summary["meeting"]) << describe(r);
  }
}

TEST_F(CliReview, OptionErrorsWriteNothing) {
  const AgeKey k = make_age_key(sb.in() / "key.txt");
  const fs::path dir = sb.root() / "packages";
  struct Case {
    std::string name;
    std::vector<std::string> args;
    int exit;
  };
  const std::vector<Case> cases = {
      {"no stored recipient", {"--meeting", "1", "--to", "d", "-o", dir.string()}, 1},
      {"not a recipient", {"--meeting", "1", "--to", "b=age1nope", "-o", dir.string()}, 4},
      {"an unknown participant", {"--meeting", "1", "--to", "zz=" + k.recipient, "-o", dir.string()}, 4},
      {"a participant named twice", {"--meeting", "1", "--to", "b=" + k.recipient, "--to", "b=" + k.recipient, "-o", dir.string()}, 1},
      {"an unknown meeting", {"--meeting", "9", "--to", "b=" + k.recipient, "-o", dir.string()}, 4},
      {"no --to", {"--meeting", "1", "-o", dir.string()}, 1},
      {"no -o", {"--meeting", "1", "--to", "b=" + k.recipient}, 1},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"package", "summary"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const RunResult r = on_o(args);
    EXPECT_EQ(r.exit_code, c.exit) << c.name << "\n" << describe(r);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << c.name << "\n" << describe(r);
    EXPECT_FALSE(fs::exists(dir)) << c.name;
  }
  EXPECT_NE(on_o({"package", "summary", "--meeting", "1", "--to", "d", "-o", dir.string()}).err.find("--recipient"),
            std::string::npos);

  // The participant's side.
  const fs::path pkg = package_for_p();
  ASSERT_EQ(on_p({"inbox", "import", "--trust", oid.fingerprint, pkg.string()}).exit_code, 0);
  const long long audit = audit_count(p());
  const std::vector<Case> review_cases = {
      {"nothing to record", {"review", "1"}, 1},
      {"no inbox id", {"review", "--approve", "1"}, 1},
      {"a statement that is not there", {"review", "1", "--approve", "7"}, 4},
      {"an inbox entry that is not there", {"review", "2", "--approve", "1"}, 4},
      {"a correction without its text", {"review", "1", "--correct", "3"}, 1},
      {"showing an entry that is not there", {"inbox", "show", "2"}, 4},
      {"exporting an entry that is not there", {"review", "export", "2", "-o", (sb.in() / "r.age").string()}, 4},
      {"responses without a meeting", {"responses"}, 1},
  };
  for (const Case& c : review_cases) {
    const RunResult r = on_p(c.args);
    EXPECT_EQ(r.exit_code, c.exit) << c.name << "\n" << describe(r);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << c.name << "\n" << describe(r);
  }
  EXPECT_FALSE(fs::exists(sb.in() / "r.age"));
  EXPECT_EQ(audit_count(p()), audit) << "nothing was recorded";
  EXPECT_EQ(json_of(on_p({"inbox", "list", "--json"}))[0]["reviewed"], 0);
}

}  // namespace
}  // namespace bc::test::cli
