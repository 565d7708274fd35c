// End-to-end: `backchannel-cli paper ...` on a real vault: sections in both languages with their
// revisions and stale marks, sign-off before distribution, the leak scanner over both languages
// with the most protective level of the series, the three channels (the real `age` tool for
// recipient copies, pdftotext for PDFs), the register, and tracing a copy the CLI made.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "cli_test_helpers.h"
#include "paper_generator.h"
#include "pdf_text.h"

namespace bc::test::cli {
namespace {

std::string age_bin() { return find_on_path("age"); }
std::string age_keygen_bin() { return find_on_path("age-keygen"); }

class CliPaper : public ::testing::Test {
 protected:
  void SetUp() override {
    sb.init();
    ASSERT_EQ(sb.import(sample_meeting()), 1);
    fs::create_directory(out_dir());
  }
  fs::path out_dir() const { return sb.root() / "out"; }

  // Runs a command expected to succeed and print `prefix <id>`; returns the id.
  std::string id_from(const std::vector<std::string>& args, const std::string& prefix) {
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    std::smatch m;
    EXPECT_TRUE(std::regex_match(r.out, m, std::regex(prefix + " ([1-9][0-9]*)\n"))) << describe(r);
    return m.size() > 1 ? m[1].str() : "0";
  }
  std::string create(const std::string& title = "Water and dust: a joint paper") {
    return id_from({"paper", "create", "--series", "1", "--title", title}, "paper");
  }
  RunResult copy(const std::string& paper, const std::string& label, const fs::path& file, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"paper", "copy", paper, "--label", label, "-o", file.string()};
    if (more.empty()) more = {"--print"};
    args.insert(args.end(), more.begin(), more.end());
    return sb.run(args);
  }

  Sandbox sb;
};

TEST_F(CliPaper, SectionsKeepEveryRevisionInBothLanguagesAndMarkTheStaleOne) {
  const std::string paper = create();
  EXPECT_EQ(paper, "1");
  const std::string section = id_from({"paper", "section", "add", paper, "--en", "The channel {{shall remain | will remain}} open.",
                                       "--fa", "کانال {{باز | گشوده}} می‌ماند."},
                                      "section");
  json j = sb.run_json({"paper", "show", paper, "--json"});
  ASSERT_EQ(j["sections"].size(), 1u);
  EXPECT_TRUE(j["sections"][0]["stale"].is_null()) << "both languages written together";
  EXPECT_EQ(j["sections"][0]["fa"]["text"], "کانال {{باز | گشوده}} می‌ماند.");
  EXPECT_EQ(j["variant_points"].size(), 2u) << "one alternate in each language";
  const auto version_before = j["version"].get<int>();

  // English edited: the Persian is now older than the English.
  RunResult r = sb.run({"paper", "section", "set", section, "--en", "The channel {{shall remain | will remain}} open to all."});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  j = sb.run_json({"paper", "show", paper, "--json"});
  EXPECT_EQ(j["version"].get<int>(), version_before + 1);
  EXPECT_EQ(j["sections"][0]["stale"], "fa");
  EXPECT_EQ(j["sections"][0]["en"]["revision"], 2);
  EXPECT_EQ(j["sections"][0]["fa"]["revision"], 1);
  r = sb.run({"paper", "show", paper});
  EXPECT_NE(r.out.find("[Persian older than the English]"), std::string::npos) << describe(r);

  // Nothing is lost.
  json hist = sb.run_json({"paper", "section", "history", section, "--json"});
  ASSERT_EQ(hist.size(), 2u);
  EXPECT_EQ(hist[0]["text"], "The channel {{shall remain | will remain}} open.");
  EXPECT_EQ(hist[1]["text"], "The channel {{shall remain | will remain}} open to all.");

  // The Persian follows: nothing is stale; the Persian history has both texts.
  ASSERT_EQ(sb.run({"paper", "section", "set", section, "--fa-file",
                    sb.input("fa.txt", "کانال برای همه {{باز | گشوده}} می‌ماند.").string()})
                .exit_code, 0);
  j = sb.run_json({"paper", "show", paper, "--json"});
  EXPECT_TRUE(j["sections"][0]["stale"].is_null());
  EXPECT_EQ(sb.run_json({"paper", "section", "history", section, "--language", "fa", "--json"}).size(), 2u);

  // The same text again changes nothing; broken markup is refused with its place, not its text.
  ASSERT_EQ(sb.run({"paper", "section", "set", section, "--fa", "کانال برای همه {{باز | گشوده}} می‌ماند."}).exit_code, 0);
  EXPECT_EQ(sb.run_json({"paper", "show", paper, "--json"})["version"], j["version"]);
  r = sb.run({"paper", "section", "add", paper, "--en", "An {{unterminated alternate"});
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_NE(r.err.find("line 1, column 4"), std::string::npos) << describe(r);
  EXPECT_EQ(r.err.find("unterminated alternate"), std::string::npos) << "the text itself is never in a message";
}

TEST_F(CliPaper, CitationsAreCheckedAndShownToTheOrganizerOnly) {
  const std::string paper = create();
  const std::string section = id_from({"paper", "section", "add", paper, "--en", "Dust storms need a shared map."}, "section");
  ASSERT_EQ(sb.run({"paper", "cite", section, "--note", "3"}).exit_code, 0);
  const std::string thread(32, 'a');
  ASSERT_EQ(sb.run({"paper", "cite", section, "--thread", thread}).exit_code, 0);
  RunResult r = sb.run({"paper", "cite", section, "--note", "999"});
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  json j = sb.run_json({"paper", "show", paper, "--json"});
  ASSERT_EQ(j["sections"][0]["citations"].size(), 2u);
  EXPECT_EQ(j["sections"][0]["citations"][0]["kind"], "note");
  EXPECT_EQ(j["sections"][0]["citations"][0]["note_id"], 3);
  EXPECT_EQ(j["sections"][0]["citations"][1]["target"], thread);
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  const fs::path md = out_dir() / "copy.md";
  ASSERT_EQ(copy(paper, "Reader", md, {"--passphrase-file", sb.input("pw", "copy passphrase for a reader").string(),
                                       "--format", "markdown"}).exit_code, 0);
  r = sb.raw({"age", "decrypt", "--passphrase-file", (sb.in() / "pw").string(), md.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("Dust storms need a shared map."), std::string::npos);
  EXPECT_EQ(r.out.find(thread), std::string::npos) << "readers see only the text";
  EXPECT_EQ(r.out.find("Sistan"), std::string::npos) << "nor the cited note";
}

TEST_F(CliPaper, NoCopyBeforeEveryAuthorApprovedTheCurrentVersion) {
  const std::string paper = create();
  const std::string section = id_from({"paper", "section", "add", paper, "--en", "A shared map of dust storms."}, "section");
  const fs::path file = out_dir() / "a.pdf";
  RunResult r = copy(paper, "Official A", file);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_FALSE(fs::exists(file));
  r = sb.run({"paper", "approve", paper});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("approved by every author"), std::string::npos) << "one author: the creator's approval suffices";
  ASSERT_EQ(copy(paper, "Official A", file).exit_code, 0);

  // An edit is a new version: approved again before the next copy.
  ASSERT_EQ(sb.run({"paper", "section", "set", section, "--en", "A shared map of dust storms and floods."}).exit_code, 0);
  const fs::path second = out_dir() / "b.pdf";
  EXPECT_EQ(copy(paper, "Official B", second).exit_code, 3);
  EXPECT_FALSE(fs::exists(second));
  // A second author: the creator's approval is no longer enough.
  ASSERT_EQ(sb.run({"paper", "author", "add", paper, "ABCDE-FGHJK-MNPQR-STVWX"}).exit_code, 0);
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  json j = sb.run_json({"paper", "show", paper, "--json"});
  EXPECT_FALSE(j["approved"].get<bool>());
  EXPECT_EQ(j["missing_approvals"], json::array({"ABCDE-FGHJK-MNPQR-STVWX"}));
  r = copy(paper, "Official B", second);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_FALSE(fs::exists(second));
  EXPECT_EQ(sb.run_json({"paper", "copies", paper, "--json"}).size(), 1u) << "refused copies are not registered";
}

TEST_F(CliPaper, TheLeakScannerBlocksAProtectedFormInEitherLanguageAndWritesNothing) {
  // Parisa Hashemi (b) is protected for both audiences; give her a Persian alias.
  ASSERT_EQ(sb.run({"participant", "set", "--meeting", "1", "--key", "b", "--alias", "پریسا هاشمی"}).exit_code, 0);
  const std::string paper = create();
  const std::string section = id_from({"paper", "section", "add", paper, "--en", "The basin agreement is a model.",
                                       "--fa", "به گفته پریسا هاشمی توافق حوضه الگوست."},
                                      "section");
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  const fs::path file = out_dir() / "blocked.pdf";
  RunResult r = copy(paper, "Official A", file);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_NE(r.err.find("participant b"), std::string::npos) << describe(r);
  EXPECT_EQ(r.err.find("هاشمی"), std::string::npos) << "the message never names the person";
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(sb.run_json({"paper", "copies", paper, "--json"}).size(), 0u);

  // In English, and in an alternative that this copy might not even carry.
  ASSERT_EQ(sb.run({"paper", "section", "set", section, "--fa", "توافق حوضه الگوست.", "--en",
                    "The basin agreement is {{a model | Hashemi's model}}."}).exit_code, 0);
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  r = copy(paper, "Official A", file);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_FALSE(fs::exists(file));

  // Helen Brooks (e) is named to participants but only a role to the public: the audience decides.
  ASSERT_EQ(sb.run({"paper", "section", "set", section, "--en", "Helen Brooks proposed a shared map."}).exit_code, 0);
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  EXPECT_EQ(copy(paper, "Official A", file).exit_code, 3) << "public by default";
  EXPECT_FALSE(fs::exists(file));
  r = copy(paper, "Participant copy", file, {"--print", "--audience", "participants"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(pdf_visible_text(read_file(file)).find("Helen Brooks proposed a shared map."), std::string::npos);

  // The meeting's city is hidden from the public, shown to the participants.
  ASSERT_EQ(sb.run({"paper", "section", "set", section, "--en", "The round in Vienna proposed a shared map."}).exit_code, 0);
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  const fs::path city = out_dir() / "city.pdf";
  r = copy(paper, "Official C", city);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_NE(r.err.find("hidden meeting location"), std::string::npos) << describe(r);
  EXPECT_FALSE(fs::exists(city));
  EXPECT_EQ(copy(paper, "Participant copy 2", city, {"--print", "--audience", "participants"}).exit_code, 0);
}

TEST_F(CliPaper, SomeoneNamedInOneMeetingButHiddenInAnotherIsProtectedInThePaper) {
  // A second round of the same series where Daniel Okonkwo (named in the first) is hidden.
  json round2 = json::parse(read_file(sample_meeting()));
  round2["meeting"]["title"] = "Second round";
  round2["meeting"]["starts_at"] = "2009-05-10T09:00:00Z";
  for (auto& p : round2["participants"])
    if (p["key"] == "a") p["disclosure"] = {{"participants", "hidden"}, {"public", "hidden"}};
  ASSERT_EQ(sb.import(sb.input("round2.json", round2.dump())), 2);
  const std::string paper = create();
  id_from({"paper", "section", "add", paper, "--en", "Daniel Okonkwo proposed a shared map."}, "section");
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  const fs::path file = out_dir() / "p.pdf";
  const RunResult r = copy(paper, "Participant copy", file, {"--print", "--audience", "participants"});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_FALSE(fs::exists(file));
}

TEST_F(CliPaper, TheThreeChannelsAreRegisteredAndReadableByTheirRecipient) {
  ASSERT_FALSE(age_bin().empty()) << "the age tool is not installed (Debian package age)";
  const fs::path key = sb.in() / "official.key";
  ASSERT_EQ(run_program(age_keygen_bin(), {"-o", key.string()}).exit_code, 0);
  const RunResult pub = run_program(age_keygen_bin(), {"-y", key.string()});
  const std::string recipient = pub.out.substr(0, pub.out.find('\n'));

  const std::string paper = create();
  id_from({"paper", "section", "add", paper, "--en", "Both sides {{shall | will}} share the dust storm maps.", "--fa",
           "دو طرف نقشه‌های {{طوفان | توفان}} گرد و غبار را به اشتراک می‌گذارند."},
          "section");
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);

  const fs::path age_file = out_dir() / "washington.age";
  RunResult r = copy(paper, "Washington", age_file, {"--recipient", recipient});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(std::regex_match(r.out, std::regex("copy Washington fingerprint [0-9a-f]{16}\n"))) << describe(r);
  const fs::path pdf = out_dir() / "washington.pdf";
  r = run_program(age_bin(), {"-d", "-i", key.string(), "-o", pdf.string(), age_file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_visible_text(read_file(pdf));
  EXPECT_NE(text.find("share the dust storm maps."), std::string::npos) << text;
  EXPECT_NE(text.find("Water and dust: a joint paper"), std::string::npos);
  EXPECT_NE(text.find("Not for publication"), std::string::npos);
  EXPECT_NE(text.find("گرد و غبار"), std::string::npos) << "Persian in logical order";

  const fs::path pw = sb.input("pw", "a passphrase for Tehran 7hq2");
  const fs::path pass_file = out_dir() / "tehran.age";
  ASSERT_EQ(copy(paper, "Tehran", pass_file, {"--passphrase-file", pw.string(), "--format", "html"}).exit_code, 0);
  r = sb.raw({"age", "decrypt", "--passphrase-file", pw.string(), pass_file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(r.out.find("dir=\"rtl\""), std::string::npos);

  const fs::path printed = out_dir() / "printed.pdf";
  r = copy(paper, "Printed 1", printed, {"--print", "--copy-number", "1/3"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(pdf_visible_text(read_file(printed)).find("Copy 1 of 3"), std::string::npos);

  // The output file rule, and labels are unique.
  r = copy(paper, "Printed 2", printed);
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  r = copy(paper, "Printed 1", out_dir() / "again.pdf");
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  EXPECT_FALSE(fs::exists(out_dir() / "again.pdf"));
  r = sb.run({"paper", "copy", paper, "--label", "Two channels", "--print", "--recipient", recipient, "-o",
              (out_dir() / "x").string()});
  EXPECT_EQ(r.exit_code, 1) << describe(r);

  json reg = sb.run_json({"paper", "copies", paper, "--json"});
  ASSERT_EQ(reg.size(), 3u);
  EXPECT_EQ(reg[0]["label"], "Washington");
  EXPECT_EQ(reg[0]["channel"], "age");
  EXPECT_EQ(reg[0]["recipient"], recipient);
  EXPECT_EQ(reg[0]["format"], "pdf");
  EXPECT_EQ(reg[0]["audience"], "public");
  EXPECT_EQ(reg[1]["channel"], "passphrase");
  EXPECT_TRUE(reg[1]["recipient"].is_null());
  EXPECT_EQ(reg[1]["format"], "html");
  EXPECT_EQ(reg[2]["channel"], "print");
  for (const auto& c : reg) {
    EXPECT_EQ(c["choices"].get<std::string>().rfind("cv1:", 0), 0u);
    EXPECT_EQ(c["fingerprint"].get<std::string>().size(), 16u);
    EXPECT_FALSE(c["created_at"].get<std::string>().empty());
  }
  r = sb.run({"paper", "copies", paper});
  EXPECT_NE(r.out.find("Washington\tage\t" + recipient), std::string::npos) << describe(r);
}

TEST_F(CliPaper, TraceNamesTheCopyAPrintedPdfCameFromAndCannotTellFromATinyExcerpt) {
  const std::string paper = create("A joint paper on water");
  const auto sections = generate_english_sections(17, 1500);
  for (std::size_t i = 0; i < sections.size(); ++i)
    id_from({"paper", "section", "add", paper, "--en-file", sb.input("s" + std::to_string(i), sections[i]).string()}, "section");
  ASSERT_EQ(sb.run({"paper", "approve", paper}).exit_code, 0);
  std::vector<fs::path> pdfs;
  for (int i = 1; i <= 5; ++i) {
    pdfs.push_back(out_dir() / ("copy" + std::to_string(i) + ".pdf"));
    // The generated text names the meeting's city, which is hidden from the public.
    const RunResult r = copy(paper, "Official " + std::to_string(i), pdfs.back(),
                             {"--print", "--layout", "sequential", "--audience", "participants"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
  }
  // What a journalist would have: the text of copy 3, half of it, with a few words changed.
  const std::string text = pdftotext(pdfs[2]);
  LeakSpec spec;
  spec.fraction = 0.5;
  spec.word_changes = 0.02;
  spec.char_noise = 0.002;
  const fs::path leak = sb.input("leak.txt", make_leak(text, 5, spec));
  RunResult r = sb.run({"paper", "trace", paper, leak.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex("copy Official 3 confidence (0\\.[0-9]{4}|1\\.0000)\n"))) << describe(r);
  EXPECT_GE(std::stod(m[1].str()), 0.999);
  EXPECT_NE(r.err.find("alternate"), std::string::npos) << "the deciding points are explained\n" << describe(r);
  json j = sb.run_json({"paper", "trace", paper, leak.string(), "--json"});
  EXPECT_EQ(j["verdict"], "copy");
  EXPECT_EQ(j["label"], "Official 3");
  EXPECT_FALSE(j["deciding"].empty());

  // A few words: too little to accuse anyone.
  std::istringstream words(text);
  std::string tiny, w;
  for (int i = 0; i < 12 && words >> w; ++i) tiny += w + " ";
  r = sb.run({"paper", "trace", paper, sb.input("tiny.txt", tiny).string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out, "cannot tell\n") << describe(r);
  j = sb.run_json({"paper", "trace", paper, (sb.in() / "tiny.txt").string(), "--json"});
  EXPECT_EQ(j["verdict"], "cannot tell");
  EXPECT_TRUE(j["label"].is_null());
}

}  // namespace
}  // namespace bc::test::cli
