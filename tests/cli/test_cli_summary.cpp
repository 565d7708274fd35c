// End-to-end: `summary`, `participant set|add` and `meeting set` of the real backchannel-cli on the
// sample meeting of the import format (docs/examples/sample-meeting.json): the expected rendering for
// both audiences in every format, -o (mode 0600, never replacing a file), the leak scanner's block
// (exit 3, nothing written, the participant key and never the name), the meeting rules, and the
// option errors.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>

#include "cli_test_helpers.h"
#include "pdf_text.h"

namespace bc::test::cli {
namespace {

// Every protected form of the sample's participants b (Parisa Hashemi), c (Michael Grant) and
// d (Ali Rostami), who are below `named` for both audiences, and the organizers-only note.
const std::vector<std::string> kNeverInAnySummary = {
    "Hashemi", "هاشمی", "Parisa", "پریسا", "Rostami", "رستمی", "علی رستمی", "Grant", "Mike", "Michael",
    "Department of Environment", "Environmental Protection Agency", "Sharif University", "visa letter", "Organizer only"};
// What the public must not see either: Helen Brooks (role), Ali Rostami's descriptor (hidden), the
// hidden location, and the participants' descriptors below role.
const std::vector<std::string> kNeverInPublic = {"Helen", "Brooks", "Vienna", "an Iranian engineer",
                                                 "Iranian environmental official", "former U.S. environmental official",
                                                 "Participant A"};

::testing::AssertionResult contains_none(const std::string& text, const std::vector<std::string>& forms) {
  for (const auto& f : forms)
    if (text.find(f) != std::string::npos) return ::testing::AssertionFailure() << "contains \"" << f << "\":\n" << text;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult contains_all(const std::string& text, const std::vector<std::string>& parts) {
  for (const auto& p : parts)
    if (text.find(p) == std::string::npos) return ::testing::AssertionFailure() << "lacks \"" << p << "\":\n" << text;
  return ::testing::AssertionSuccess();
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const std::string kZwnj = "\u200c";
const std::string kPersianProposal = "یکی از شرکت" + kZwnj + "کنندگان پیشنهاد کرد که داده" + kZwnj + "های ماهواره" + kZwnj +
                                     "ای به" + kZwnj + "صورت مشترک منتشر شود.";

class CliSummary : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(sb.init().empty());
    ASSERT_EQ(sb.import(sample_meeting()), 1);
    fs::create_directory(out_dir());
  }
  RunResult summary(const std::string& audience, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"summary", "--meeting", "1", "--audience", audience};
    args.insert(args.end(), extra.begin(), extra.end());
    return sb.run(args);
  }
  // A summary that must succeed; returns stdout.
  std::string ok_summary(const std::string& audience, const std::vector<std::string>& extra = {}) const {
    const RunResult r = summary(audience, extra);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    return r.out;
  }
  fs::path out_dir() const { return sb.root() / "out"; }
  Sandbox sb;
};

// ---------------------------------------------------------------------------------------------
// The sample meeting, as each audience sees it

TEST_F(CliSummary, SampleForParticipantsInMarkdown) {
  const RunResult r = summary("participants");
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains_all(
      r.out, {"# Water and Environment Exchange: Session 3: shared rivers\n", "- **Date:** 2008-04-09\n",
              "- **Location:** Vienna\n", "- **Held under:** Chatham House Rule\n",
              "- **For:** the meeting's participants\n",
              // Attendance: named, then descriptors, then pseudonyms, then the count.
              "## Attendance\n\n- Daniel Okonkwo (University of Toronto)\n- Helen Brooks (UNEP)\n"
              "- a former U.S. environmental official\n- Participant A\n- and 1 other participant\n",
              "- **A participant:** " + kPersianProposal + "\n",
              "- **Participant A:** Participant A agreed with a participant's proposal on shared satellite data.\n",
              "- **Daniel Okonkwo:** Dan welcomed everyone; the Chatham House Rule applies to this session.\n",
              "- **Participant A:** The Helmand basin agreement with Afghanistan is a model worth studying.\n",
              "- **A former U.S. environmental official:** A former U.S. environmental official's team mapped dust "
              "storms over the Sistan region in 2005.\n",
              "- **Helen Brooks:** Helen Brooks will ask UNEP about hosting the data portal.\n"}));
  EXPECT_TRUE(contains_none(r.out, kNeverInAnySummary));
  EXPECT_TRUE(contains_none(r.out, {"an Iranian engineer", "Iranian environmental official", "Ali "}));
  // Key points before the discussion, next steps last.
  const auto key = r.out.find("## Key points"), discussion = r.out.find("## Discussion"), next = r.out.find("## Next steps");
  ASSERT_NE(key, std::string::npos);
  EXPECT_LT(key, discussion);
  EXPECT_LT(discussion, next);
  // Warnings (a lone delegation's descriptor, one unnamed participant) on stderr only, naming nobody.
  const auto err = lines_of(r.err);
  EXPECT_EQ(err.size(), 2u) << describe(r);
  for (const auto& line : err) EXPECT_EQ(line.rfind("warning: ", 0), 0u) << line;
  EXPECT_NE(r.err.find("participant c"), std::string::npos) << describe(r);
  EXPECT_EQ(r.out.find("warning"), std::string::npos);
  EXPECT_TRUE(contains_none(r.err, kNeverInAnySummary));
  EXPECT_TRUE(contains_none(r.err, {"Okonkwo", "Brooks", "Vienna"}));
}

TEST_F(CliSummary, SampleForThePublicInMarkdown) {
  const RunResult r = summary("public");
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains_all(
      r.out, {"- **For:** a public audience (funders, officials, press)\n",
              "## Attendance\n\n- Daniel Okonkwo (University of Toronto)\n- a UN official\n- and 2 other participants\n\n",
              "- **A participant:** " + kPersianProposal + "\n",
              "- **A participant:** A participant agreed with a participant's proposal on shared satellite data.\n",
              "- **Daniel Okonkwo:** Dan welcomed everyone; the Chatham House Rule applies to this session.\n",
              "- **A participant:** The Helmand basin agreement with Afghanistan is a model worth studying.\n",
              "- **A participant:** A participant's team mapped dust storms over the Sistan region in 2005.\n",
              "- **A UN official:** A UN official will ask UNEP about hosting the data portal.\n"}));
  EXPECT_TRUE(contains_none(r.out, kNeverInAnySummary));
  EXPECT_TRUE(contains_none(r.out, kNeverInPublic));
  EXPECT_TRUE(contains_none(r.out, {"Location:", "other participant\n", "3 other"})) << "Rostami is hidden: not counted";
  EXPECT_TRUE(contains_none(r.err, kNeverInAnySummary));
  EXPECT_TRUE(contains_none(r.err, kNeverInPublic));
  for (const auto& line : lines_of(r.err)) EXPECT_EQ(line.rfind("warning: ", 0), 0u) << line;
  EXPECT_NE(r.err.find("participant e"), std::string::npos) << "a UN official is the only UN attendee\n" << describe(r);
}

TEST_F(CliSummary, SampleAsJsonForBothAudiences) {
  for (const std::string audience : {"participants", "public"}) {
    SCOPED_TRACE(audience);
    const RunResult r = summary(audience, {"--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const json j = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << describe(r);
    EXPECT_EQ(j["format"], "backchannel.summary/1");
    EXPECT_EQ(j["series"], "Water and Environment Exchange");
    EXPECT_EQ(j["meeting"], "Session 3: shared rivers");
    EXPECT_EQ(j["date"], "2008-04-09");
    EXPECT_EQ(j["rule"], "chatham-house");
    EXPECT_EQ(j["audience"], audience);
    ASSERT_EQ(j["statements"].size(), 6u) << "the organizers-only note is left out";
    const json& at = j["attendance"];
    std::vector<std::string> labels;
    for (const auto& st : j["statements"]) labels.push_back(st["attribution"]["label"].get<std::string>());
    if (audience == "participants") {
      EXPECT_EQ(j["location"], "Vienna");
      EXPECT_EQ(at["named"], json({"Daniel Okonkwo (University of Toronto)", "Helen Brooks (UNEP)"}));
      EXPECT_EQ(at["roles"], json({"a former U.S. environmental official"}));
      EXPECT_EQ(at["pseudonyms"], json({"Participant A"}));
      EXPECT_EQ(at["others"], 1);
      EXPECT_EQ(labels, (std::vector<std::string>{"Daniel Okonkwo", "Participant A", "A former U.S. environmental official",
                                                  "A participant", "Participant A", "Helen Brooks"}));
      EXPECT_EQ(j["statements"][1]["attribution"]["level"], "pseudonym");
      EXPECT_EQ(j["statements"][2]["attribution"]["level"], "role");
    } else {
      EXPECT_TRUE(j["location"].is_null());
      EXPECT_EQ(at["named"], json({"Daniel Okonkwo (University of Toronto)"}));
      EXPECT_EQ(at["roles"], json({"a UN official"}));
      EXPECT_EQ(at["pseudonyms"], json::array());
      EXPECT_EQ(at["others"], 2);
      EXPECT_EQ(labels, (std::vector<std::string>{"Daniel Okonkwo", "A participant", "A participant", "A participant",
                                                  "A participant", "A UN official"}));
      EXPECT_EQ(j["statements"][3]["attribution"]["level"], "hidden");
      EXPECT_EQ(j["statements"][5]["text"], "A UN official will ask UNEP about hosting the data portal.");
    }
    EXPECT_EQ(j["statements"][3]["section"], "key_points");
    EXPECT_EQ(j["statements"][5]["section"], "next_steps");
    // The warnings are in the JSON and, the same, on stderr.
    ASSERT_TRUE(j["warnings"].is_array());
    ASSERT_FALSE(j["warnings"].empty());
    for (const auto& w : j["warnings"])
      EXPECT_NE(r.err.find("warning: " + w["message"].get<std::string>() + "\n"), std::string::npos) << describe(r);
    EXPECT_TRUE(contains_none(r.out, kNeverInAnySummary));
    if (audience == "public") {
      EXPECT_TRUE(contains_none(r.out, kNeverInPublic));
    }
  }
}

TEST_F(CliSummary, SampleAsHtmlForBothAudiences) {
  for (const std::string audience : {"participants", "public"}) {
    SCOPED_TRACE(audience);
    const RunResult r = summary(audience, {"--format", "html"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out.rfind("<!DOCTYPE html>\n", 0), 0u);
    EXPECT_NE(r.out.find("</html>\n"), std::string::npos);
    EXPECT_NE(r.out.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(r.out.find("Daniel Okonkwo (University of Toronto)"), std::string::npos);
    EXPECT_NE(r.out.find("participant&#39;s proposal"), std::string::npos) << "apostrophes are escaped";
    EXPECT_TRUE(contains_none(r.out, kNeverInAnySummary));
    if (audience == "public") {
      EXPECT_TRUE(contains_none(r.out, kNeverInPublic));
      EXPECT_NE(r.out.find("and 2 other participants"), std::string::npos);
    } else {
      EXPECT_NE(r.out.find("<li><b>Location:</b> Vienna</li>"), std::string::npos);
    }
  }
}

TEST_F(CliSummary, SummarizingTwiceGivesIdenticalBytes) {
  for (const std::string format : {"markdown", "html", "json", "pdf"})
    for (const std::string audience : {"participants", "public"}) {
      SCOPED_TRACE(format + " " + audience);
      const std::string first = ok_summary(audience, {"--format", format});
      ASSERT_FALSE(first.empty());
      EXPECT_EQ(ok_summary(audience, {"--format", format}), first);
    }
  // The default audience is participants, the default format markdown.
  const RunResult r = sb.run({"summary", "--meeting", "1"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out, ok_summary("participants", {"--format", "markdown"}));
}

// ---------------------------------------------------------------------------------------------
// PDF, to print

TEST_F(CliSummary, SampleAsPdfShowsWhatTheOtherFormatsShowForBothAudiences) {
  for (const std::string audience : {"participants", "public"}) {
    SCOPED_TRACE(audience);
    const fs::path file = out_dir() / (audience + ".pdf");
    const RunResult r = summary(audience, {"--format", "pdf", "-o", file.string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("summary written to"), std::string::npos) << describe(r);
    const std::string pdf = read_file(file);
    EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << std::oct << (st.st_mode & 0777);

    // Every statement of the JSON summary, with its attribution, is in the PDF's text, Persian
    // in logical order; nothing protected is.
    const std::string text = pdf_visible_text(pdf);
    const std::string words = comparable_text(text);
    const json j = sb.run_json({"summary", "--meeting", "1", "--audience", audience, "--format", "json"});
    ASSERT_TRUE(j["statements"].is_array());
    for (const auto& statement : j["statements"]) {
      const std::string label = statement["attribution"]["label"].get<std::string>();
      const std::string said = statement["text"].get<std::string>();
      const std::string line = statement["kind"] == "question" ? label + " asked: " + said : label + ": " + said;
      EXPECT_NE(words.find(comparable_text(line)), std::string::npos) << line << "\nin: " << text;
    }
    for (const std::string named : j["attendance"]["named"]) EXPECT_NE(text.find(named), std::string::npos) << named;
    EXPECT_TRUE(contains_none(text, kNeverInAnySummary));
    if (audience == "public") {
      EXPECT_TRUE(contains_none(text, kNeverInPublic));
    }
    if (audience == "participants") {
      EXPECT_NE(words.find(comparable_text(kPersianProposal)), std::string::npos) << text;
      EXPECT_NE(text.find("Not for publication"), std::string::npos) << text;
    }

    // Metadata: the title and the meeting's date; nobody's name, no path, no host.
    const std::string info = pdfinfo(file);
    EXPECT_NE(info.find("Title:           Water and Environment Exchange: Session 3: shared rivers\n"), std::string::npos)
        << info;
    EXPECT_NE(info.find("CreationDate:    Wed Apr  9 00:00:00 2008"), std::string::npos) << info;
    EXPECT_EQ(info.find("Author:"), std::string::npos) << info;
    for (const std::string& trace : {sb.root().string(), sb.vault().string(), std::string("Daniel Okonkwo")})
      EXPECT_EQ(info.find(trace), std::string::npos) << trace;
    EXPECT_EQ(pdf.find(sb.root().string()), std::string::npos) << "the PDF names a path on this machine";
  }
}

TEST_F(CliSummary, PdfIsRefusedOnATerminalAndGoesToAPipe) {
  const fs::path pass = sb.input("pass.txt", kPassphrase + "\n");
  const TtyResult tty = run_on_tty(cli_path(),
                                   {"--vault", sb.vault().string(), "--passphrase-file", pass.string(), "summary",
                                    "--meeting", "1", "--format", "pdf"},
                                   {});
  EXPECT_EQ(tty.exit_code, 1) << tty.transcript;
  EXPECT_NE(tty.transcript.find("error: refusing to write a PDF to a terminal: use -o FILE"), std::string::npos)
      << tty.transcript;
  EXPECT_EQ(tty.transcript.find("%PDF"), std::string::npos);
  // To a pipe it is the same bytes as the file.
  const RunResult piped = summary("participants", {"--format", "pdf"});
  ASSERT_EQ(piped.exit_code, 0) << describe(piped);
  const fs::path file = out_dir() / "s.pdf";
  ASSERT_EQ(summary("participants", {"--format", "pdf", "-o", file.string()}).exit_code, 0);
  EXPECT_TRUE(piped.out == read_file(file));
  // The output rule holds: an existing file is refused, --force replaces it.
  const RunResult again = summary("public", {"--format", "pdf", "-o", file.string()});
  EXPECT_EQ(again.exit_code, 4) << describe(again);
  EXPECT_TRUE(one_clear_error(again));
  EXPECT_TRUE(read_file(file) == piped.out);
  ASSERT_EQ(summary("public", {"--format", "pdf", "-o", file.string(), "--force"}).exit_code, 0);
  EXPECT_FALSE(read_file(file) == piped.out);
}

TEST_F(CliSummary, AMissingFontIsExitFiveWithOneLineNamingThePackageAndNothingWritten) {
  // fontconfig's own variable: a configuration whose only font folder is empty.
  const fs::path fonts = sb.root() / "no-fonts";
  const fs::path cache = sb.root() / "font-cache";
  fs::create_directory(fonts);
  fs::create_directory(cache);
  const fs::path conf = sb.input("fonts.conf", "<?xml version=\"1.0\"?>\n<fontconfig><dir>" + fonts.string() +
                                                   "</dir><cachedir>" + cache.string() + "</cachedir></fontconfig>\n");
  const fs::path file = out_dir() / "summary.pdf";
  const RunResult r = sb.run({"summary", "--meeting", "1", "--format", "pdf", "-o", file.string()},
                             {{"FONTCONFIG_FILE", conf.string()}});
  EXPECT_EQ(r.exit_code, 5) << describe(r);
  EXPECT_EQ(r.out, "");
  const auto err = lines_of(r.err);
  ASSERT_FALSE(err.empty()) << describe(r);
  EXPECT_EQ(err.back(),
            "error: cannot draw the PDF: the font Noto Serif is not installed (install the Debian package fonts-noto-core)");
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_TRUE(fs::is_empty(out_dir())) << "no file, not even a temp file";
  // The text formats need no font.
  EXPECT_EQ(sb.run({"summary", "--meeting", "1"}, {{"FONTCONFIG_FILE", conf.string()}}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// -o FILE

TEST_F(CliSummary, OutputFileIsWrittenPrivatelyAndNeverReplaced) {
  const fs::path file = out_dir() / "summary.md";
  const RunResult r = summary("public", {"-o", file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out, "") << "the summary goes to the file, not stdout";
  EXPECT_NE(r.err.find("summary written to"), std::string::npos) << describe(r);
  ASSERT_TRUE(fs::exists(file));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << std::oct << (st.st_mode & 0777);
  const std::string written = read_file(file);
  EXPECT_EQ(written, ok_summary("public")) << "the file holds exactly what stdout would";
  EXPECT_TRUE(contains_none(written, kNeverInAnySummary));
  EXPECT_TRUE(contains_none(written, kNeverInPublic));
  EXPECT_EQ(std::distance(fs::directory_iterator(out_dir()), fs::directory_iterator()), 1) << "no temp file left";

  // An existing file is refused, whatever its contents, and stays as it was.
  for (const std::string audience : {"public", "participants"}) {
    SCOPED_TRACE(audience);
    const RunResult again = summary(audience, {"-o", file.string(), "--format", "json"});
    EXPECT_EQ(again.exit_code, 4) << describe(again);
    EXPECT_TRUE(one_clear_error(again));
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << describe(again);
    EXPECT_EQ(again.out, "");
    EXPECT_EQ(read_file(file), written);
  }
  const fs::path other = sb.input("notes.txt", "my own notes\n");
  const RunResult clobber = summary("participants", {"--output", other.string()});
  EXPECT_EQ(clobber.exit_code, 4) << describe(clobber);
  EXPECT_EQ(read_file(other), "my own notes\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(out_dir()), fs::directory_iterator()), 1);
}

// ---------------------------------------------------------------------------------------------
// The leak scanner blocks

TEST_F(CliSummary, ADescriptorNamingAProtectedParticipantIsBlockedAndNothingIsWritten) {
  // c is disclosed by role to the participants; its descriptor now carries b's family name, which
  // the anonymizer does not rewrite (it is c's label): the scanner must stop the summary.
  const RunResult set = sb.run({"participant", "set", "--meeting", "1", "--key", "c", "--descriptor",
                                "a former colleague of Hashemi"});
  ASSERT_EQ(set.exit_code, 0) << describe(set);
  for (const std::string format : {"markdown", "html", "json", "pdf"}) {
    SCOPED_TRACE(format);
    const fs::path file = out_dir() / ("blocked." + format);
    const RunResult r = summary("participants", {"--format", format, "-o", file.string()});
    EXPECT_EQ(r.exit_code, 3) << describe(r);
    EXPECT_EQ(r.out, "") << "nothing on stdout";
    EXPECT_FALSE(fs::exists(file)) << "no file";
    EXPECT_TRUE(fs::is_empty(out_dir())) << "not even a temp file";
    const auto err = lines_of(r.err);
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.back().rfind("error: summary blocked by the leak scanner, nothing was written: ", 0), 0u) << describe(r);
    EXPECT_NE(err.back().find("participant b"), std::string::npos) << describe(r);
    for (const auto& line : err) EXPECT_TRUE(line.rfind("warning: ", 0) == 0 || line.rfind("error: ", 0) == 0) << line;
    EXPECT_TRUE(contains_none(r.err, kNeverInAnySummary));
    EXPECT_TRUE(contains_none(r.err, {"colleague"})) << "the message quotes nothing from the summary";

    const RunResult to_stdout = summary("participants", {"--format", format});
    EXPECT_EQ(to_stdout.exit_code, 3) << describe(to_stdout);
    EXPECT_EQ(to_stdout.out, "");
  }
  // For the public c is anonymous: the descriptor never appears, and the summary is fine.
  const std::string pub = ok_summary("public");
  EXPECT_TRUE(contains_none(pub, kNeverInAnySummary));
  EXPECT_TRUE(contains_none(pub, {"colleague"}));
  // Put right, the participants' summary goes through again.
  ASSERT_EQ(sb.run({"participant", "set", "--meeting", "1", "--key", "c", "--descriptor", "a former official"}).exit_code, 0);
  EXPECT_NE(ok_summary("participants").find("- a former official\n"), std::string::npos);
}

TEST_F(CliSummary, APersianDescriptorNamingAHiddenParticipantIsBlocked) {
  // Helen Brooks (e) is disclosed by role to the public; a descriptor in Persian script that
  // carries Rostami's name (d is hidden from the public) must be caught in that script too.
  ASSERT_EQ(sb.run({"participant", "set", "--meeting", "1", "--key", "e", "--descriptor", "همکار رستمی"}).exit_code, 0);
  const RunResult r = summary("public");
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("participant d"), std::string::npos) << describe(r);
  EXPECT_TRUE(contains_none(r.err, kNeverInAnySummary));
}

// Issue 15, items 15-17 end to end: a participant added with an honorific alias, an affiliation
// and a Persian descriptor; their short forms listed, ruled on, and followed by the summary.
TEST_F(CliSummary, ShortFormsAndThePersianDescriptorFromTheCommandLine) {
  ASSERT_EQ(sb.run({"participant", "add", "--meeting", "1", "--key", "x", "--name", "Abbas Moradi", "--alias", "Haj Abbas", "--alias", "عباس مرادی",
                    "--affiliation", "Stimson Center", "--descriptor", "an Iranian water engineer", "--descriptor-fa",
                    "یک مهندس آب ایرانی", "--disclosure", "participants=role", "--disclosure", "public=anonymous"})
                .exit_code,
            0);
  auto x = [&] {
    for (const auto& p : sb.run_json({"participants", "--meeting", "1", "--json"}))
      if (p["key"] == "x") return p;
    return json();
  };
  EXPECT_EQ(x()["descriptor_fa"], "یک مهندس آب ایرانی");
  EXPECT_EQ(x()["short_forms"],
            json::parse(R"([{"of": "name", "form": "Moradi", "use": "alone", "derived": true, "ruling": null},
                            {"of": "name", "form": "Abbas", "use": "given-name", "derived": true, "ruling": null},
                            {"of": "name", "form": "مرادی", "use": "alone", "derived": true, "ruling": null},
                            {"of": "affiliation", "form": "Stimson", "use": "alone", "derived": true, "ruling": null}])"));
  ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", "--speaker", "x",
                    "Abbas Kiarostami's films came up. Abbas said the quota was late (Stimson)."})
                .exit_code,
            0);
  ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", "--speaker", "x", "عباس مرادی گفت که برنامه دیر است."}).exit_code, 0);
  std::string out = ok_summary("participants");
  EXPECT_TRUE(contains_all(out, {"Abbas Kiarostami's films came up. An Iranian water engineer said the quota was late "
                                 "(\\[affiliation withheld\\]).",
                                 "یک مهندس آب ایرانی گفت که برنامه دیر است."}));
  EXPECT_TRUE(contains_none(out, {"Abbas said", "Stimson", "Moradi", "مرادی"}));

  // Switched off: "Abbas" and "Stimson" alone no longer stand for them.
  ASSERT_EQ(sb.run({"participant", "set", "--meeting", "1", "--key", "x", "--short-form", "abbas=not-alone",
                    "--affiliation-short-form", "Stimson=not-alone"})
                .exit_code,
            0);
  EXPECT_EQ(x()["short_forms"][1], json::parse(R"({"of": "name", "form": "Abbas", "use": "not-alone", "derived": true, "ruling": "not-alone"})"));
  out = ok_summary("participants");
  EXPECT_TRUE(contains_all(out, {"Abbas Kiarostami's films came up. Abbas said the quota was late (Stimson)."}));
  // Switched on: everywhere, before a capitalized word too.
  ASSERT_EQ(sb.run({"participant", "set", "--meeting", "1", "--key", "x", "--short-form", "Abbas=alone"}).exit_code, 0);
  out = ok_summary("participants");
  EXPECT_TRUE(contains_none(out, {"Abbas"}));
  EXPECT_TRUE(contains_all(out, {"(Stimson)"})) << "the other ruling stays";
  // Back to the rule; a form added by hand; the Persian descriptor cleared.
  ASSERT_EQ(sb.run({"participant", "set", "--meeting", "1", "--key", "x", "--short-form", "Abbas=default", "--affiliation-short-form",
                    "Stimson=default", "--affiliation-short-form", "the Stimson=alone", "--descriptor-fa", ""})
                .exit_code,
            0);
  const json forms = x()["short_forms"];
  EXPECT_EQ(forms.size(), 5u) << forms.dump();
  EXPECT_EQ(forms[4], json::parse(R"({"of": "affiliation", "form": "the Stimson", "use": "alone", "derived": false, "ruling": "alone"})"));
  EXPECT_TRUE(x()["descriptor_fa"].is_null());
  out = ok_summary("participants");
  EXPECT_TRUE(contains_all(out, {"Abbas Kiarostami's films", "یکی از شرکت" + kZwnj + "کنندگان گفت که برنامه دیر است."}));

  // Malformed rulings are usage errors and change nothing.
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--short-form", "Abbas"},
                                              std::vector<std::string>{"--short-form", "Abbas=sometimes"},
                                              std::vector<std::string>{"--affiliation-short-form", "=alone"}}) {
    std::vector<std::string> args = {"participant", "set", "--meeting", "1", "--key", "x"};
    args.insert(args.end(), bad.begin(), bad.end());
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_EQ(lines_of(r.err).size(), 1u) << describe(r);
  }
  EXPECT_EQ(x()["short_forms"], forms);
}

// ---------------------------------------------------------------------------------------------
// Meeting rules and settings

TEST_F(CliSummary, OffTheRecordHasNoPublicSummary) {
  const RunResult set = sb.run({"meeting", "set", "--meeting", "1", "--rule", "off-the-record"});
  ASSERT_EQ(set.exit_code, 0) << describe(set);
  const fs::path file = out_dir() / "public.md";
  const RunResult r = summary("public", {"-o", file.string()});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_NE(r.err.find("off the record"), std::string::npos) << "the refusal says why\n" << describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(file));
  const std::string part = ok_summary("participants");
  EXPECT_NE(part.find("- **Held under:** Off the record\n"), std::string::npos) << part;
  // On background, the named are described by role for the public.
  ASSERT_EQ(sb.run({"meeting", "set", "--meeting", "1", "--rule", "on-background"}).exit_code, 0);
  const std::string pub = ok_summary("public");
  EXPECT_NE(pub.find("- the facilitator\n"), std::string::npos) << pub;
  EXPECT_NE(pub.find("- **The facilitator:** The facilitator welcomed everyone;"), std::string::npos) << pub;
  EXPECT_TRUE(contains_none(pub, {"Okonkwo", "Daniel", "Dan ", "University of Toronto"}));
  EXPECT_NE(ok_summary("participants").find("- Daniel Okonkwo (University of Toronto)\n"), std::string::npos);
}

TEST_F(CliSummary, ChangingADisclosureLevelChangesTheSummary) {
  const RunResult set = sb.run({"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public=named"});
  ASSERT_EQ(set.exit_code, 0) << describe(set);
  EXPECT_EQ(set.out, "participant b: participants=pseudonym public=named\n");
  // The listing shows the new levels.
  const json ps = sb.run_json({"participants", "--meeting", "1", "--json"});
  ASSERT_EQ(ps.size(), 5u);
  EXPECT_EQ(ps[1]["key"], "b");
  EXPECT_EQ(ps[1]["disclosure"], json({{"participants", "pseudonym"}, {"public", "named"}}));
  const RunResult table = sb.run({"participants", "--meeting", "1"});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  bool row = false;
  for (const auto& line : lines_of(table.out))
    if (line.rfind("b ", 0) == 0) {
      row = true;
      EXPECT_NE(line.find("pseudonym"), std::string::npos) << line;
      EXPECT_EQ(line.substr(line.size() - 5), "named") << line;
    }
  EXPECT_TRUE(row) << describe(table);

  const std::string pub = ok_summary("public");
  EXPECT_NE(pub.find("- Daniel Okonkwo (University of Toronto)\n- Parisa Hashemi (Department of Environment)\n"),
            std::string::npos)
      << pub;
  EXPECT_NE(pub.find("- and 1 other participant\n"), std::string::npos) << pub;
  EXPECT_NE(pub.find("- **Parisa Hashemi:** Ms. Hashemi agreed with a participant's proposal on shared satellite data.\n"),
            std::string::npos)
      << pub;
  EXPECT_TRUE(contains_none(pub, {"Rostami", "رستمی", "Grant", "Mike"}));
  // The participants' copy is untouched.
  EXPECT_TRUE(contains_none(ok_summary("participants"), {"Hashemi"}));

  // Two levels at once, and `participant add`.
  ASSERT_EQ(sb.run({"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "participants=hidden",
                    "--disclosure", "public=hidden"})
                .exit_code,
            0);
  const RunResult add = sb.run({"participant", "add", "--meeting", "1", "--key", "g", "--name", "Sofia Lind",
                                "--descriptor", "a Swedish mediator", "--disclosure", "public=role"});
  ASSERT_EQ(add.exit_code, 0) << describe(add);
  const std::string now = ok_summary("public");
  EXPECT_NE(now.find("- a UN official\n- a Swedish mediator\n- and 1 other participant\n"), std::string::npos) << now;
  EXPECT_TRUE(contains_none(now, {"Hashemi", "Sofia", "Lind"}));
  const json after = sb.run_json({"participants", "--meeting", "1", "--json"});
  EXPECT_EQ(after[5]["disclosure"], json({{"participants", "anonymous"}, {"public", "role"}}))
      << "an unset level is anonymous";
}

TEST_F(CliSummary, LocationShownOnceNamedForTheAudience) {
  EXPECT_EQ(ok_summary("public").find("Vienna"), std::string::npos);
  const RunResult set = sb.run({"meeting", "set", "--meeting", "1", "--location-disclosure", "public=named"});
  ASSERT_EQ(set.exit_code, 0) << describe(set);
  EXPECT_NE(ok_summary("public").find("- **Location:** Vienna\n"), std::string::npos);
  const json ms = sb.run_json({"meetings", "--json"});
  EXPECT_EQ(ms[0]["location_disclosure"], json({{"participants", "named"}, {"public", "named"}}));
  // Hidden from the participants now: gone from their header, replaced where a note names it.
  ASSERT_EQ(sb.run({"meeting", "set", "--meeting", "1", "--location-disclosure", "participants=hidden"}).exit_code, 0);
  ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", "--speaker", "a", "Vienna was a good host."}).exit_code, 0);
  const RunResult r = summary("participants");
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out.find("Vienna"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- **Daniel Okonkwo:** \\[location withheld\\] was a good host.\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("warning: note"), std::string::npos) << "the location-mentioned warning\n" << describe(r);
  EXPECT_EQ(r.err.find("Vienna"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST_F(CliSummary, BadDisclosureValuesAreUsageErrors) {
  const json before = sb.run_json({"participants", "--meeting", "1", "--json"});
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public=secret"}, "unknown level \"secret\""},
      {{"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "press=named"}, "unknown audience \"press\""},
      {{"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "named"}, "AUDIENCE=LEVEL"},
      {{"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public="}, "unknown level \"\""},
      {{"participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public=Named"}, "unknown level \"Named\""},
      {{"participant", "add", "--meeting", "1", "--key", "z", "--name", "Zed Zane", "--disclosure", "public=maybe"},
       "unknown level \"maybe\""},
      {{"meeting", "set", "--meeting", "1", "--location-disclosure", "public=role"}, "named or hidden"},
      {{"meeting", "set", "--meeting", "1", "--location-disclosure", "everyone=named"}, "unknown audience"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args[0] + " " + c.args.back());
    const RunResult r = sb.run(c.args);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_NE(r.err.find(c.message), std::string::npos) << describe(r);
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(sb.run_json({"participants", "--meeting", "1", "--json"}), before) << "nothing changed";
  EXPECT_EQ(sb.run_json({"meetings", "--json"})[0]["location_disclosure"],
            json({{"participants", "named"}, {"public", "hidden"}}));
}

TEST_F(CliSummary, BadSummaryOptionsAreUsageErrors) {
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"--audience", "press"}, {"--format", "docx"}, {"--audience", "public", "--stable-pseudonyms"}}) {
    SCOPED_TRACE(extra.back());
    const RunResult r = sb.run([&] {
      std::vector<std::string> args = {"summary", "--meeting", "1"};
      args.insert(args.end(), extra.begin(), extra.end());
      return args;
    }());
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(lines_of(r.err).empty() ? std::string() : lines_of(r.err).front().substr(0, 7), "error: ") << describe(r);
  }
  // --stable-pseudonyms is fine for the participants.
  const RunResult stable = summary("participants", {"--stable-pseudonyms"});
  EXPECT_EQ(stable.exit_code, 0) << describe(stable);
  EXPECT_NE(stable.out.find("- Participant A\n"), std::string::npos);
}

TEST_F(CliSummary, UnknownKeysAndMeetingsAreNotFound) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"participant", "set", "--meeting", "1", "--key", "zz", "--disclosure", "public=named"},
           {"participant", "set", "--meeting", "2", "--key", "b", "--disclosure", "public=named"},
           {"participant", "add", "--meeting", "2", "--key", "z", "--name", "Zed Zane"},
           {"meeting", "set", "--meeting", "2", "--location-disclosure", "public=named"},
           {"summary", "--meeting", "2"},
           {"summary", "--meeting", "2", "--audience", "public", "-o", (sb.root() / "out" / "x.md").string()}}) {
    std::string trace;
    for (const auto& a : args) trace += a + " ";
    SCOPED_TRACE(trace);
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 4) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(r.out, "");
  }
  EXPECT_TRUE(fs::is_empty(out_dir()));
  // A key that already exists cannot be added again.
  const RunResult dup = sb.run({"participant", "add", "--meeting", "1", "--key", "b", "--name", "Someone Else"});
  EXPECT_EQ(dup.exit_code, 4) << describe(dup);
}

}  // namespace
}  // namespace bc::test::cli
