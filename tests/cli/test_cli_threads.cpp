// End to end: `threads`, `thread add|link|set-status|show|suggest` and `summary --series` of the
// real backchannel-cli on two meetings of one series: the sample meeting (docs/examples) and a
// second round in which Helen Brooks, named to the participants in the first, attends anonymously.
#include <gtest/gtest.h>

#include <regex>

#include "cli_test_helpers.h"
#include "pdf_text.h"

namespace bc::test::cli {
namespace {

class CliThreads : public ::testing::Test {
 protected:
  // Both meetings in a series titled `series_title`: the sample as it is, and the second round.
  void make_series(const std::string& series_title = "Water and Environment Exchange") {
    ASSERT_FALSE(sb.init().empty());
    json first = json::parse(read_file(sample_meeting()));
    first["series"]["title"] = series_title;
    ASSERT_EQ(sb.import(sb.input("first.json", first.dump())), 1);
    json second = {{"format", "backchannel.meeting/1"},
                   {"series", {{"title", series_title}, {"rule", "chatham-house"}}},
                   {"meeting", {{"title", "Session 4: groundwater"}, {"starts_at", "2008-10-02T09:00:00Z"}}},
                   {"participants",
                    {{{"key", "a"}, {"name", "Daniel Okonkwo"}, {"affiliation", "University of Toronto"},
                      {"disclosure", {{"participants", "named"}, {"public", "named"}}}},
                     {{"key", "h"}, {"name", "Helen Brooks"}, {"affiliation", "UNEP"},
                      {"disclosure", {{"participants", "anonymous"}, {"public", "hidden"}}}}}},
                   {"notes",
                    {{{"speaker", "a"}, {"kind", "agreement"}, {"at", "2008-10-02T09:30:00Z"},
                      {"text", "Both delegations agreed to a shared archive of satellite images."}}}}};
    ASSERT_EQ(sb.import(sb.input("second.json", second.dump())), 2);
  }
  std::string ok(const std::vector<std::string>& args) const {
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    return r.out;
  }
  // A thread across both rounds: raised and discussed in the first, agreed in the second, with a
  // note of each meeting.
  std::string make_thread(const std::string& title) {
    const std::string out = ok({"thread", "add", "--series", "1", "--title", title});
    std::smatch m;
    EXPECT_TRUE(std::regex_match(out, m, std::regex("thread ([1-9][0-9]*)\n"))) << out;
    const std::string id = m.size() > 1 ? m[1].str() : "0";
    const json notes1 = sb.run_json({"notes", "--meeting", "1", "--json"});
    const json notes2 = sb.run_json({"notes", "--meeting", "2", "--json"});
    std::string helen_proposal;
    for (const auto& n : notes1)
      if (n["kind"] == "proposal") helen_proposal = std::to_string(n["id"].get<std::int64_t>());
    EXPECT_FALSE(helen_proposal.empty());
    ok({"thread", "link", id, "--note", helen_proposal});
    ok({"thread", "link", id, "--note", std::to_string(notes2[0]["id"].get<std::int64_t>())});
    ok({"thread", "set-status", id, "raised", "--meeting", "1"});
    ok({"thread", "set-status", id, "discussed", "--meeting", "1"});
    ok({"thread", "set-status", id, "agreed", "--meeting", "2"});
    return id;
  }
  fs::path out_dir() const { return sb.root() / "out"; }
  Sandbox sb;
};

TEST_F(CliThreads, TheCommandsFollowTheirContract) {
  make_series();
  const json series = sb.run_json({"series", "--json"});
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0]["id"], 1);
  EXPECT_EQ(series[0]["uid"].get<std::string>().size(), 32u);
  EXPECT_EQ(series[0]["title"], "Water and Environment Exchange");

  EXPECT_EQ(ok({"threads", "--series", "1", "--json"}), "[]\n");
  const std::string id = make_thread("Joint satellite archive");
  EXPECT_EQ(id, "1");
  const json all = sb.run_json({"threads", "--series", "1", "--json"});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["title"], "Joint satellite archive");
  EXPECT_EQ(all[0]["status"], "agreed");
  EXPECT_EQ(all[0]["notes"].size(), 2u);
  ASSERT_EQ(all[0]["history"].size(), 3u);
  EXPECT_EQ(all[0]["history"][0]["status"], "raised");
  EXPECT_EQ(all[0]["history"][2]["meeting"], 2);
  const std::string fp = [&] {
    std::string s = ok({"identity", "--fingerprint"});
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }();
  for (const auto& c : all[0]["history"]) EXPECT_EQ(c["decided_by"], fp) << "the vault's organizer decided it";
  const std::string shown = ok({"thread", "show", id});
  EXPECT_NE(shown.find("thread 1: Joint satellite archive\nstatus: agreed\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("decided by " + fp), std::string::npos) << shown;
  const std::string listed = ok({"threads", "--series", "1"});
  EXPECT_NE(listed.find("agreed"), std::string::npos) << listed;

  // A status that is not one of the six is a usage error (exit 1), like every other unknown
  // value of an option; an unknown thread, note, meeting or series is exit 4.
  const RunResult bad = sb.run({"thread", "set-status", id, "approved", "--meeting", "1"});
  EXPECT_EQ(bad.exit_code, 1) << describe(bad);
  EXPECT_EQ(bad.err.rfind("error: ", 0), 0u) << describe(bad);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"thread", "set-status", "9", "agreed", "--meeting", "1"},
        {"thread", "set-status", id, "agreed", "--meeting", "9"},
        {"thread", "link", id, "--note", "999"},
        {"thread", "show", "9"},
        {"threads", "--series", "9"},
        {"thread", "add", "--series", "9", "--title", "x"}}) {
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 4) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
  }
  EXPECT_EQ(sb.run({"thread", "add", "--series", "1"}).exit_code, 1) << "--title is required";
  EXPECT_EQ(sb.run({"thread", "add", "--series", "1", "--title", ""}).exit_code, 4) << "an empty title is bad input";
  EXPECT_EQ(all[0]["history"].size(), 3u) << "nothing was recorded by the failed commands";
}

TEST_F(CliThreads, ANoteSuggestsTheThreadItBelongsTo) {
  make_series();
  make_thread("Joint satellite archive");
  ok({"thread", "add", "--series", "1", "--title", "Dust storm warnings"});
  ok({"note", "add", "--meeting", "2", "--kind", "proposal", "Extend the satellite archive to river gauges."});
  const json notes = sb.run_json({"notes", "--meeting", "2", "--json"});
  const std::string latest = std::to_string(notes.back()["id"].get<std::int64_t>());
  const json s = sb.run_json({"thread", "suggest", "--note", latest, "--json"});
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0]["thread"], 1);
  EXPECT_EQ(s[0]["title"], "Joint satellite archive");
}

TEST_F(CliThreads, ASeriesSummaryProtectsANameInAThreadTitleThatAnyMeetingProtects) {
  make_series();
  make_thread("Helen Brooks's satellite archive");
  fs::create_directory(out_dir());
  for (const std::string format : {"markdown", "html", "json", "pdf"}) {
    SCOPED_TRACE(format);
    const fs::path file = out_dir() / ("series." + format);
    const RunResult r = sb.run({"summary", "--series", "1", "--audience", "participants", "--format", format, "-o", file.string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    std::string text = format == "pdf" ? pdftotext(file) : read_file(file);
    for (auto at = text.find("&#39;"); at != std::string::npos; at = text.find("&#39;")) text.replace(at, 5, "'");
    EXPECT_EQ(text.find("Helen Brooks's satellite"), std::string::npos) << text;
    EXPECT_NE(text.find("participant's satellite archive"), std::string::npos) << text;
    // The first meeting names her to the participants, and its note keeps that level.
    EXPECT_NE(text.find("Helen Brooks"), std::string::npos) << text;
    EXPECT_NE(text.find("agreed"), std::string::npos) << text;
  }
  // The public sees neither her name nor her role's meeting-1 descriptor in the title.
  const RunResult pub = sb.run({"summary", "--series", "1", "--audience", "public"});
  ASSERT_EQ(pub.exit_code, 0) << describe(pub);
  EXPECT_EQ(pub.out.find("Helen"), std::string::npos) << pub.out;
  EXPECT_EQ(pub.out.find("Brooks"), std::string::npos) << pub.out;
  EXPECT_NE(pub.out.find("A participant's satellite archive"), std::string::npos) << pub.out;
  EXPECT_NE(pub.out.find("shared archive of satellite images"), std::string::npos) << pub.out;
}

// The series title spans every meeting too, and the builder does not rewrite it: the scanner
// must stop a summary whose title names someone a later meeting protects, though the first
// meeting's own summary (which names her) still goes out.
TEST_F(CliThreads, TheLeakScannerBlocksASeriesSummaryAndWritesNothing) {
  make_series("Brooks water exchange");
  make_thread("Joint satellite archive");
  fs::create_directory(out_dir());
  for (const std::string format : {"markdown", "html", "json", "pdf"}) {
    SCOPED_TRACE(format);
    const fs::path file = out_dir() / ("blocked." + format);
    const RunResult r = sb.run({"summary", "--series", "1", "--audience", "participants", "--format", format, "-o", file.string()});
    EXPECT_EQ(r.exit_code, 3) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(fs::exists(file));
    EXPECT_TRUE(fs::is_empty(out_dir())) << "not even a temp file";
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_NE(r.err.find("error: summary blocked by the leak scanner, nothing was written: "), std::string::npos) << describe(r);
    EXPECT_EQ(r.err.find("Brooks"), std::string::npos) << "the message names no one";
  }
  const RunResult first = sb.run({"summary", "--meeting", "1", "--audience", "participants"});
  EXPECT_EQ(first.exit_code, 0) << describe(first);
  // Either --meeting or --series.
  EXPECT_EQ(sb.run({"summary", "--audience", "public"}).exit_code, 1);
  EXPECT_EQ(sb.run({"summary", "--meeting", "1", "--series", "1"}).exit_code, 1);
  EXPECT_EQ(sb.run({"summary", "--series", "9"}).exit_code, 4);
}

}  // namespace
}  // namespace bc::test::cli
