// Meeting import: validation with JSON paths, defaults, all-or-nothing.
#include "backchannel/core/meeting_import.h"

#include <nlohmann/json.hpp>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "vault_fixture.h"

namespace bc::core {
namespace {

using json = nlohmann::json;
using test::VaultTest;

json sample() { return json::parse(test::read_file(test::sample_meeting_file())); }

class ImportTest : public VaultTest {
 protected:
  // Imports `doc` expecting failure; returns the message and checks nothing changed.
  std::string expect_rejected(const std::string& doc) {
    const auto before = std::make_tuple(count("series"), count("meetings"), count("participants"), count("notes"),
                                        count("audit_log"));
    auto r = import_meeting(vault, doc);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return {};
    EXPECT_EQ(r.error().code, ErrorCode::bad_input);
    EXPECT_EQ(before, std::make_tuple(count("series"), count("meetings"), count("participants"), count("notes"),
                                      count("audit_log")));
    return r.error().message;
  }
};

TEST_F(ImportTest, SampleMeetingImportsCompletely) {
  auto r = import_meeting(vault, sample().dump());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->participants, 5u);
  EXPECT_EQ(r->notes, 7u);
  auto m = get_meeting(vault, r->meeting_id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->series_title, "Water and Environment Exchange");
  EXPECT_EQ(m->title, "Session 3: shared rivers");
  EXPECT_EQ(m->starts_at, "2008-04-09T13:30:00Z");
  EXPECT_EQ(*m->location, "Vienna");
  EXPECT_EQ(m->location_disclosure[0], DisclosureLevel::named);
  EXPECT_EQ(m->location_disclosure[1], DisclosureLevel::hidden);
  EXPECT_EQ(m->public_terms, (std::vector<std::string>{"UNEP", "Afghanistan", "Iran"}));
  EXPECT_EQ(m->effective_rule(), Rule::chatham_house);
  auto ps = list_participants(vault, r->meeting_id);
  ASSERT_TRUE(ps.ok());
  ASSERT_EQ(ps->size(), 5u);
  EXPECT_EQ((*ps)[1].key, "b");
  EXPECT_EQ((*ps)[1].aliases, (std::vector<std::string>{"Ms. Hashemi", "پریسا هاشمی"}));
  EXPECT_EQ((*ps)[1].level_for(Audience::participants), DisclosureLevel::pseudonym);
  EXPECT_EQ((*ps)[1].level_for(Audience::public_), DisclosureLevel::anonymous);
  auto notes = list_notes(vault, r->meeting_id);
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 7u);
  EXPECT_EQ(notes->back().visibility, Visibility::organizers);
  EXPECT_FALSE(notes->back().speaker_id.has_value());
  EXPECT_EQ((*notes)[3].kind, NoteKind::proposal);
}

// Issue 15, items 15-17: the Persian descriptor and the rulings on short forms, a backwards-
// compatible addition to version 1 (the sample, without them, still imports: above).
TEST_F(ImportTest, PersianDescriptorAndShortFormRulings) {
  json doc = sample();
  doc["participants"][1]["descriptor_fa"] = "یک مقام محیط زیست ایرانی";
  doc["participants"][1]["short_forms"] = {{"Hashemi", "not-alone"}};
  doc["participants"][1]["affiliation_short_forms"] = {{"Environment", "alone"}};
  auto r = import_meeting(vault, doc.dump());
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto ps = list_participants(vault, r->meeting_id);
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ((*ps)[1].descriptor_fa.value_or(""), "یک مقام محیط زیست ایرانی");
  EXPECT_EQ((*ps)[1].short_forms, (std::vector<ShortFormRule>{{ShortFormOf::name, "Hashemi", ShortFormUse::not_alone},
                                                             {ShortFormOf::affiliation, "Environment", ShortFormUse::alone}}));
  EXPECT_FALSE((*ps)[0].descriptor_fa.has_value());
  EXPECT_TRUE((*ps)[0].short_forms.empty());
}

TEST_F(ImportTest, ReimportingCreatesASecondMeetingInTheSameSeries) {
  auto a = import_meeting(vault, sample().dump());
  auto b = import_meeting(vault, sample().dump());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->meeting_id, b->meeting_id);
  EXPECT_EQ(a->series_id, b->series_id);
}

TEST_F(ImportTest, DefaultsFollowTheSpec) {
  json doc = {{"format", "backchannel.meeting/1"},
              {"series", {{"title", "S"}}},
              {"meeting", {{"title", "M"}, {"starts_at", "2020-01-01T10:00:00+02:00"}}},
              {"participants", {{{"key", "x"}, {"name", "Xavier Example"}, {"disclosure", {{"public", "role"}}}}}},
              {"notes", {{{"text", "organizer remark"}}, {{"speaker", "x"}, {"text", "hello"}}}}};
  auto r = import_meeting(vault, doc.dump());
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto m = get_meeting(vault, r->meeting_id);
  EXPECT_EQ(m->starts_at, "2020-01-01T08:00:00Z") << "converted to UTC";
  EXPECT_EQ(m->effective_rule(), Rule::chatham_house);
  EXPECT_EQ(m->location_disclosure[0], DisclosureLevel::hidden);
  EXPECT_EQ(m->location_disclosure[1], DisclosureLevel::hidden);
  auto ps = list_participants(vault, r->meeting_id);
  EXPECT_EQ((*ps)[0].level_for(Audience::participants), DisclosureLevel::anonymous);
  EXPECT_EQ((*ps)[0].level_for(Audience::public_), DisclosureLevel::role);
  auto notes = list_notes(vault, r->meeting_id);
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].kind, NoteKind::statement);
  EXPECT_EQ((*notes)[0].visibility, Visibility::summary);
}

TEST_F(ImportTest, ErrorsNameTheJsonPathOfTheFirstProblem) {
  struct Case {
    std::function<void(json&)> edit;
    std::string expected_prefix;
  };
  const std::vector<Case> cases = {
      {[](json& d) { d["participants"][3]["disclosure"]["public"] = "secret"; },
       "participants[3].disclosure.public: unknown level \"secret\""},
      {[](json& d) { d["participants"][0]["disclosure"]["press"] = "named"; }, "participants[0].disclosure.press: unknown audience"},
      {[](json& d) { d["notes"][2]["speaker"] = "zz"; }, "notes[2].speaker: no participant has key \"zz\""},
      {[](json& d) { d["notes"][1]["kind"] = "rumour"; }, "notes[1].kind: unknown kind \"rumour\""},
      {[](json& d) { d["notes"][1]["visiblity"] = "organizers"; }, "notes[1].visiblity: unknown field"},
      {[](json& d) { d["notes"][0]["visibility"] = "everyone"; }, "notes[0].visibility: unknown visibility"},
      {[](json& d) { d["meeting"].erase("title"); }, "meeting.title: is required"},
      {[](json& d) { d["meeting"]["starts_at"] = "yesterday"; }, "meeting.starts_at: not an RFC 3339 timestamp"},
      {[](json& d) { d["meeting"]["starts_at"] = "2021-02-29T10:00:00Z"; }, "meeting.starts_at: not an RFC 3339"},
      {[](json& d) { d["meeting"]["location_disclosure"]["public"] = "role"; }, "meeting.location_disclosure.public: a location is either named or hidden"},
      {[](json& d) { d["format"] = "backchannel.meeting/2"; }, "format: must be \"backchannel.meeting/1\""},
      {[](json& d) { d["participants"][4]["key"] = "a"; }, "participants[4].key: duplicate key \"a\""},
      {[](json& d) { d["participants"][1]["name"] = 42; }, "participants[1].name: must be a string, not a number"},
      {[](json& d) { d["participants"][1]["aliases"] = "Parisa"; }, "participants[1].aliases: must be an array"},
      {[](json& d) { d["notes"][0]["text"] = ""; }, "notes[0].text: must not be empty"},
      {[](json& d) { d["notes"][4]["text"] = "a\xE2\x80\xAE" "b"; }, "notes[4].text: contains the bidirectional control character U+202E"},
      {[](json& d) { d["participants"][2]["name"] = std::string("Mi\0ke", 5); }, "participants[2].name: contains a NUL"},
      {[](json& d) { d["notes"][3]["text"] = std::string(10 * 1000 * 1000, 'x'); }, "notes[3].text: too long (10000000 bytes"},
      {[](json& d) { d["series"]["rule"] = "anything"; }, "series.rule: unknown rule"},
      {[](json& d) { d["series"] = "Gulf"; }, "series: must be an object"},
      {[](json& d) { d.erase("meeting"); }, "meeting: is required"},
      {[](json& d) { d["participants"][1]["descriptor_fa"] = 7; }, "participants[1].descriptor_fa: must be a string"},
      {[](json& d) { d["participants"][1]["short_forms"] = json::array({"Hashemi"}); }, "participants[1].short_forms: must be an object"},
      {[](json& d) { d["participants"][1]["short_forms"] = {{"Hashemi", "sometimes"}}; },
       "participants[1].short_forms.Hashemi: unknown use \"sometimes\""},
      {[](json& d) { d["participants"][1]["affiliation_short_forms"] = {{"Environment", true}}; },
       "participants[1].affiliation_short_forms.Environment: must be a string"},
      {[](json& d) { d["participants"][1]["short_forms"] = {{"Hashemi", "alone"}, {"HASHEMI", "not-alone"}}; },
       "participants[1].short_forms[1]: this short form is ruled on twice"},
  };
  for (const auto& c : cases) {
    json doc = sample();
    c.edit(doc);
    const std::string msg = expect_rejected(doc.dump());
    EXPECT_EQ(msg.rfind(c.expected_prefix, 0), 0u) << "got: " << msg.substr(0, 200) << "\nwant prefix: " << c.expected_prefix;
  }
}

TEST_F(ImportTest, SyntaxErrorsAndNonObjects) {
  EXPECT_NE(expect_rejected("{\"format\": ").find("not valid JSON"), std::string::npos);
  EXPECT_NE(expect_rejected("").find("not valid JSON"), std::string::npos);
  EXPECT_NE(expect_rejected("[1,2]").find("must be a JSON object"), std::string::npos);
  // Invalid UTF-8 inside a string is a syntax error in JSON.
  std::string doc = sample().dump();
  doc.replace(doc.find("Vienna"), 1, "\xC3\x28");
  EXPECT_NE(expect_rejected(doc).find("not valid JSON"), std::string::npos);
}

TEST_F(ImportTest, DuplicateFieldsAreRejected) {
  std::string doc = sample().dump();
  // Give the organizer-only note a second visibility field that would publish it.
  const auto pos = doc.find("\"visibility\":\"organizers\"");
  ASSERT_NE(pos, std::string::npos);
  doc.insert(pos, "\"visibility\":\"summary\",");
  const std::string msg = expect_rejected(doc);
  EXPECT_NE(msg.find("notes[6].visibility: duplicate field"), std::string::npos) << msg;
}

TEST_F(ImportTest, FailureLateInTheFileLeavesNothingBehind) {
  json doc = sample();
  for (int i = 0; i < 500; ++i) doc["notes"].push_back({{"speaker", "a"}, {"text", "filler " + std::to_string(i)}});
  doc["notes"].push_back({{"speaker", "nobody"}, {"text", "last"}});
  expect_rejected(doc.dump());
  EXPECT_EQ(count("notes"), 0);
  EXPECT_EQ(count("notes_fts"), 0);
}

TEST_F(ImportTest, OversizedFileIsRefusedBeforeParsing) {
  std::string huge(Limits::kMaxImportFile + 1, ' ');
  const std::string msg = expect_rejected(huge);
  EXPECT_NE(msg.find("too large"), std::string::npos);
}

}  // namespace
}  // namespace bc::core
