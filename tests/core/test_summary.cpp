// Summaries over real vaults (docs/anonymization.md, docs/meeting-import-v1.md): one test per row of
// the level table for each audience, the meeting rules, the location, pseudonym letters, own
// statements, the identifiability warnings, the leak scanner as the last gate, and the three output
// formats. The matcher, the scanner's own unit tests and the anonymizer corpus live elsewhere.
#include "backchannel/core/summary.h"

#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "confusables.h"
#include "pdf_text.h"
#include "vault_fixture.h"

namespace bc::core {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kZwnj = "\u200c";
// "Participant" and "a participant" as written inside Persian text.
const std::string kPersianParticipant = "شرکت" + kZwnj + "کننده";
const std::string kPersianAParticipant = "یکی از شرکت" + kZwnj + "کنندگان";

const std::vector<SummaryFormat> kFormats = {SummaryFormat::markdown, SummaryFormat::html, SummaryFormat::json,
                                             SummaryFormat::pdf};

std::string format_name(SummaryFormat f) {
  switch (f) {
    case SummaryFormat::markdown: return "markdown";
    case SummaryFormat::html: return "html";
    case SummaryFormat::json: return "json";
    case SummaryFormat::pdf: return "pdf";
  }
  return "?";
}

// ---- building import documents --------------------------------------------------------------

json person(const std::string& key, const std::string& name, const std::string& participants_level,
            const std::string& public_level, const json& extra = json::object()) {
  json p = {{"key", key},
            {"name", name},
            {"disclosure", {{"participants", participants_level}, {"public", public_level}}}};
  for (const auto& [k, v] : extra.items()) p[k] = v;
  return p;
}

json note(const std::optional<std::string>& speaker, const std::string& text, const std::string& kind = "statement",
          const std::string& visibility = "summary") {
  json n = {{"text", text}, {"kind", kind}, {"visibility", visibility}};
  if (speaker) n["speaker"] = *speaker;
  return n;
}

// (Vectors, not json: a braced list of one json object would be that object, not an array.)
json meeting_doc(const std::vector<json>& participants, const std::vector<json>& notes,
                 const json& meeting_extra = json::object(),
                 const std::string& series = "Gulf Security Dialogue", const std::string& rule = "chatham-house") {
  json m = {{"title", "Round 7"}, {"starts_at", "2005-06-14T09:00:00Z"}};
  for (const auto& [k, v] : meeting_extra.items()) m[k] = v;
  return {{"format", "backchannel.meeting/1"},
          {"series", {{"title", series}, {"rule", rule}}},
          {"meeting", m},
          {"participants", json(participants)},
          {"notes", json(notes)}};
}

// The participants most tests share: a named facilitator, the subject "s" (whose levels the test
// chooses) and an anonymous third person.
json facilitator(const json& extra = json::object()) {
  json e = {{"affiliation", "University of Toronto"}, {"delegation", "Canada"}, {"descriptor", "the facilitator"},
            {"aliases", {"Dan"}}};
  for (const auto& [k, v] : extra.items()) e[k] = v;
  return person("n", "Daniel Okonkwo", "named", "named", e);
}
json subject(const std::string& participants_level, const std::string& public_level, const json& extra = json::object()) {
  json e = {{"affiliation", "Department of State"},
            {"delegation", "United States"},
            {"descriptor", "a former senior U.S. diplomat"},
            {"aliases", {"Kate", "کاترین هالووی"}}};
  for (const auto& [k, v] : extra.items()) e[k] = v;
  return person("s", "Katherine Holloway", participants_level, public_level, e);
}
json third() {
  return person("f", "Lars Nilsson", "anonymous", "anonymous",
                {{"affiliation", "Uppsala University"}, {"delegation", "Sweden"}, {"descriptor", "a Swedish academic"}});
}

// Every form of the subject that must not appear below `named`.
const std::vector<std::string> kSubjectForms = {"Katherine", "Holloway", "Kate", "کاترین", "هالووی", "Department of State"};

// ---- the fixture ----------------------------------------------------------------------------

class SummaryTest : public test::VaultTest {
 protected:
  std::int64_t import(const json& doc) {
    auto r = import_meeting(vault, doc.dump());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->meeting_id : 0;
  }
  Summary build(std::int64_t meeting, Audience audience, SummaryOptions options = {}) {
    options.audience = audience;
    auto s = build_summary(vault, meeting, options);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? *s : Summary{};
  }
  std::string produce(std::int64_t meeting, Audience audience, SummaryFormat format, SummaryOptions options = {}) {
    options.audience = audience;
    auto r = produce_summary(vault, meeting, options, format);
    EXPECT_TRUE(r.ok()) << format_name(format) << ": " << (r.ok() ? "" : r.error().message);
    if (r.ok() && format == SummaryFormat::pdf) return test::pdf_visible_text(r->text);
    return r.ok() ? r->text : std::string();
  }
  Error blocked(std::int64_t meeting, Audience audience, SummaryFormat format, SummaryOptions options = {}) {
    options.audience = audience;
    auto r = produce_summary(vault, meeting, options, format);
    EXPECT_FALSE(r.ok()) << format_name(format) << ": the summary should have been blocked:\n" << (r.ok() ? r->text : "");
    return r.ok() ? fail(ErrorCode::internal, "") : r.error();
  }
  std::vector<Note> notes(std::int64_t meeting) {
    auto n = list_notes(vault, meeting);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : std::vector<Note>{};
  }
  std::int64_t participant_id(std::int64_t meeting, const std::string& key) {
    auto p = find_participant(vault, meeting, key);
    EXPECT_TRUE(p.ok()) << key;
    return p.ok() ? p->id : 0;
  }
  // The statement made from note `note_id`, or nullptr.
  static const SummaryStatement* statement(const Summary& s, std::int64_t note_id) {
    for (const auto& st : s.statements)
      if (st.note_id == note_id) return &st;
    return nullptr;
  }
  static std::vector<std::string> warning_kinds(const Summary& s) {
    std::vector<std::string> kinds;
    for (const auto& w : s.warnings) kinds.push_back(w.kind);
    return kinds;
  }
  static std::size_t count_kind(const Summary& s, const std::string& kind) {
    return static_cast<std::size_t>(
        std::count_if(s.warnings.begin(), s.warnings.end(), [&](const SummaryWarning& w) { return w.kind == kind; }));
  }
  static const SummaryWarning* warning(const Summary& s, const std::string& kind) {
    for (const auto& w : s.warnings)
      if (w.kind == kind) return &w;
    return nullptr;
  }
  // No warning message mentions any of `forms` (names, aliases, affiliations, the location).
  static void expect_warnings_name_nobody(const Summary& s, const std::vector<std::string>& forms) {
    for (const auto& w : s.warnings)
      for (const auto& f : forms) EXPECT_THAT(w.message, Not(HasSubstr(f))) << w.kind;
  }
  static void expect_absent(const std::string& text, const std::vector<std::string>& forms, const std::string& what) {
    for (const auto& f : forms) EXPECT_THAT(text, Not(HasSubstr(f))) << what << " must not contain \"" << f << "\"";
  }
};

// =============================================================================================
// One test per row of the level table, for each audience.

const std::string kAboutSubject =
    "Katherine Holloway argued that Holloway's team at the Department of State had tried this before, as Kate said.";
const std::string kAboutSubjectPersian = "کاترین هالووی گفت که این راه را امتحان کرده" + kZwnj + "اند.";
const std::string kPersianTail = " گفت که این راه را امتحان کرده" + kZwnj + "اند.";

class SummaryLevelTest : public SummaryTest, public ::testing::WithParamInterface<Audience> {
 protected:
  Audience audience() const { return GetParam(); }
  // The subject at `level` for the audience under test, and at another level for the other one,
  // so that using the wrong audience's level shows.
  void import_at(const std::string& level) {
    const std::string other = level == "named" ? "hidden" : "named";
    const bool participants = audience() == Audience::participants;
    json doc = meeting_doc({facilitator(), subject(participants ? level : other, participants ? other : level), third()},
                           {note("s", "We should sequence the steps carefully."), note("n", kAboutSubject),
                            note("n", kAboutSubjectPersian), note("f", "Agreed.")});
    meeting = import(doc);
    ns = notes(meeting);
    ASSERT_EQ(ns.size(), 4u);
    summary = build(meeting, audience());
    ASSERT_EQ(summary.statements.size(), 4u);
    own_statement = statement(summary, ns[0].id);
    about = statement(summary, ns[1].id);
    about_persian = statement(summary, ns[2].id);
    ASSERT_NE(own_statement, nullptr);
    ASSERT_NE(about, nullptr);
    ASSERT_NE(about_persian, nullptr);
    for (SummaryFormat f : kFormats) rendered[f] = produce(meeting, audience(), f);
  }
  void expect_subject_nowhere() {
    for (const auto& [f, text] : rendered) expect_absent(text, kSubjectForms, format_name(f));
    expect_absent(about->text, kSubjectForms, "the replaced statement");
    expect_absent(about_persian->text, kSubjectForms, "the replaced Persian statement");
  }
  std::int64_t meeting = 0;
  std::vector<Note> ns;
  Summary summary;
  const SummaryStatement* own_statement = nullptr;
  const SummaryStatement* about = nullptr;
  const SummaryStatement* about_persian = nullptr;
  std::map<SummaryFormat, std::string> rendered;
};

TEST_P(SummaryLevelTest, NamedIsListedWithAffiliationAttributedByNameAndLeftAsWritten) {
  ASSERT_NO_FATAL_FAILURE(import_at("named"));
  EXPECT_EQ(summary.attendance.named,
            (std::vector<std::string>{"Daniel Okonkwo (University of Toronto)", "Katherine Holloway (Department of State)"}));
  EXPECT_TRUE(summary.attendance.roles.empty());
  EXPECT_TRUE(summary.attendance.pseudonyms.empty());
  EXPECT_EQ(summary.attendance.anonymous_count, 1u) << "only the anonymous third participant";
  EXPECT_EQ(own_statement->attribution.level, DisclosureLevel::named);
  EXPECT_EQ(own_statement->attribution.label, "Katherine Holloway");
  EXPECT_FALSE(own_statement->attribution.organizer);
  EXPECT_EQ(about->text, kAboutSubject) << "a named participant's name, alias and affiliation stay as written";
  EXPECT_TRUE(about->replaced.empty());
  EXPECT_EQ(about_persian->text, kAboutSubjectPersian);
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- Katherine Holloway (Department of State)\n"));
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- and 1 other participant\n"));
}

TEST_P(SummaryLevelTest, RoleIsTheDescriptorEverywhereAndTheAffiliationIsWithheld) {
  ASSERT_NO_FATAL_FAILURE(import_at("role"));
  EXPECT_EQ(summary.attendance.named, std::vector<std::string>{"Daniel Okonkwo (University of Toronto)"});
  EXPECT_EQ(summary.attendance.roles, std::vector<std::string>{"a former senior U.S. diplomat"});
  EXPECT_TRUE(summary.attendance.pseudonyms.empty());
  EXPECT_EQ(summary.attendance.anonymous_count, 1u);
  EXPECT_EQ(own_statement->attribution.level, DisclosureLevel::role);
  EXPECT_EQ(own_statement->attribution.label, "A former senior U.S. diplomat");
  EXPECT_EQ(about->text,
            "A former senior U.S. diplomat argued that a former senior U.S. diplomat's team at the [affiliation withheld] "
            "had tried this before, as a former senior U.S. diplomat said.");
  EXPECT_EQ(about->replaced.size(), 4u);
  for (const auto& span : about->replaced) {
    const std::string r = about->text.substr(span.begin, span.end - span.begin);
    EXPECT_TRUE(r == "A former senior U.S. diplomat" || r == "a former senior U.S. diplomat" || r == "[affiliation withheld]")
        << r;
  }
  // Inside a Persian sentence an English descriptor would read badly: without a Persian
  // descriptor, the Persian generic form stands there (issue 15, item 17).
  EXPECT_THAT(about_persian->text, HasSubstr("یکی از شرکت‌کنندگان" + kPersianTail));
  EXPECT_THAT(about_persian->text, Not(HasSubstr("diplomat")));
  expect_subject_nowhere();
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- a former senior U.S. diplomat\n"));
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- and 1 other participant\n"));
}

TEST_P(SummaryLevelTest, PseudonymIsParticipantLetterEverywhere) {
  ASSERT_NO_FATAL_FAILURE(import_at("pseudonym"));
  EXPECT_EQ(summary.attendance.named, std::vector<std::string>{"Daniel Okonkwo (University of Toronto)"});
  EXPECT_TRUE(summary.attendance.roles.empty());
  EXPECT_EQ(summary.attendance.pseudonyms, std::vector<std::string>{"Participant A"}) << "the only pseudonym is A";
  EXPECT_EQ(summary.attendance.anonymous_count, 1u);
  EXPECT_EQ(own_statement->attribution.level, DisclosureLevel::pseudonym);
  EXPECT_EQ(own_statement->attribution.label, "Participant A");
  EXPECT_EQ(about->text,
            "Participant A argued that Participant A's team at the [affiliation withheld] had tried this before, as "
            "Participant A said.");
  EXPECT_EQ(about_persian->text, kPersianParticipant + " A" + kPersianTail) << "in Persian text: شرکت‌کننده A";
  expect_subject_nowhere();
  for (const auto& [f, text] : rendered) EXPECT_THAT(text, Not(HasSubstr("diplomat"))) << format_name(f);
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- Participant A\n"));
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- and 1 other participant\n"));
}

TEST_P(SummaryLevelTest, AnonymousIsCountedAndAParticipant) {
  ASSERT_NO_FATAL_FAILURE(import_at("anonymous"));
  EXPECT_EQ(summary.attendance.named, std::vector<std::string>{"Daniel Okonkwo (University of Toronto)"});
  EXPECT_TRUE(summary.attendance.roles.empty());
  EXPECT_TRUE(summary.attendance.pseudonyms.empty());
  EXPECT_EQ(summary.attendance.anonymous_count, 2u) << "the subject and the third participant";
  EXPECT_EQ(own_statement->attribution.level, DisclosureLevel::anonymous);
  EXPECT_EQ(own_statement->attribution.label, "A participant");
  EXPECT_EQ(about->text,
            "A participant argued that a participant's team at the [affiliation withheld] had tried this before, as a "
            "participant said.");
  EXPECT_EQ(about_persian->text, kPersianAParticipant + kPersianTail) << "in Persian text: یکی از شرکت‌کنندگان";
  expect_subject_nowhere();
  for (const auto& [f, text] : rendered) {
    EXPECT_THAT(text, Not(HasSubstr("diplomat"))) << format_name(f);
    EXPECT_THAT(text, Not(HasSubstr("Participant A"))) << format_name(f);
  }
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- and 2 other participants\n"));
  // Two anonymous statements carry nothing that links them: the same label, no speaker field.
  const json j = json::parse(rendered[SummaryFormat::json]);
  for (const auto& st : j["statements"]) {
    std::set<std::string> keys;
    for (const auto& [k, v] : st.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"note", "section", "kind", "attribution", "text", "replaced"})) << st.dump();
  }
  EXPECT_EQ(j["statements"][0]["attribution"], json({{"level", "anonymous"}, {"label", "A participant"}}));
  EXPECT_EQ(j["statements"][3]["attribution"], json({{"level", "anonymous"}, {"label", "A participant"}}));
}

TEST_P(SummaryLevelTest, HiddenIsNeitherListedNorCountedAndAParticipantInText) {
  ASSERT_NO_FATAL_FAILURE(import_at("hidden"));
  EXPECT_EQ(summary.attendance.named, std::vector<std::string>{"Daniel Okonkwo (University of Toronto)"});
  EXPECT_TRUE(summary.attendance.roles.empty());
  EXPECT_TRUE(summary.attendance.pseudonyms.empty());
  EXPECT_EQ(summary.attendance.anonymous_count, 1u) << "the hidden subject is not counted, only the third participant";
  EXPECT_EQ(own_statement->attribution.level, DisclosureLevel::hidden);
  EXPECT_EQ(own_statement->attribution.label, "A participant");
  EXPECT_EQ(about->text,
            "A participant argued that a participant's team at the [affiliation withheld] had tried this before, as a "
            "participant said.");
  EXPECT_EQ(about_persian->text, kPersianAParticipant + kPersianTail);
  expect_subject_nowhere();
  for (const auto& [f, text] : rendered) {
    EXPECT_THAT(text, Not(HasSubstr("diplomat"))) << format_name(f);
    EXPECT_THAT(text, Not(HasSubstr("2 other"))) << format_name(f);
  }
  EXPECT_THAT(rendered[SummaryFormat::markdown], HasSubstr("- and 1 other participant\n"));
  EXPECT_EQ(json::parse(rendered[SummaryFormat::json])["attendance"]["others"], 1);
}

INSTANTIATE_TEST_SUITE_P(Audiences, SummaryLevelTest, ::testing::Values(Audience::participants, Audience::public_),
                         [](const ::testing::TestParamInfo<Audience>& p) {
                           return p.param == Audience::participants ? std::string("participants")
                                                                       : std::string("public");
                         });

// =============================================================================================
// Which notes enter a summary, and how organizers appear

TEST_F(SummaryTest, OrganizersOnlyAndDeletedNotesAreLeftOutAndOrganizerNotesAreAttributedToOrganizers) {
  const auto m = import(meeting_doc({facilitator(), subject("anonymous", "anonymous"), third()},
                                    {note(std::nullopt, "Welcome; the rule for this session was read out.", "observation"),
                                     note("s", "Sequencing matters most."),
                                     note(std::nullopt, "Organizer only: the visa letter is pending.", "observation",
                                          "organizers"),
                                     note("n", "This remark was withdrawn afterwards."),
                                     note("f", "Agreed on the next step.", "agreement")}));
  auto ns = notes(m);
  ASSERT_EQ(ns.size(), 5u);
  ASSERT_TRUE(delete_note(vault, ns[3].id).ok());
  for (Audience a : kAudiences) {
    SCOPED_TRACE(std::string(to_string(a)));
    const Summary s = build(m, a);
    ASSERT_EQ(s.statements.size(), 3u);
    EXPECT_EQ(statement(s, ns[2].id), nullptr) << "organizers-only note";
    EXPECT_EQ(statement(s, ns[3].id), nullptr) << "deleted note";
    const SummaryStatement* org = statement(s, ns[0].id);
    ASSERT_NE(org, nullptr);
    EXPECT_TRUE(org->attribution.organizer);
    EXPECT_EQ(org->attribution.label, "Organizers");
    EXPECT_EQ(org->attribution.level, DisclosureLevel::named);
    EXPECT_EQ(org->text, "Welcome; the rule for this session was read out.");
    EXPECT_FALSE(statement(s, ns[1].id)->attribution.organizer);
    for (SummaryFormat f : kFormats) {
      const std::string text = produce(m, a, f);
      EXPECT_THAT(text, Not(HasSubstr("visa letter"))) << format_name(f);
      EXPECT_THAT(text, Not(HasSubstr("withdrawn"))) << format_name(f);
      EXPECT_THAT(text, HasSubstr("Organizers")) << format_name(f);
      EXPECT_THAT(text, HasSubstr("Sequencing matters most.")) << format_name(f);
    }
    const json j = json::parse(produce(m, a, SummaryFormat::json));
    EXPECT_EQ(j["statements"][0]["attribution"], json({{"level", "organizers"}, {"label", "Organizers"}}));
  }
}

TEST_F(SummaryTest, PublicTermsAreKeptEvenWhenTheyAreAProtectedAffiliation) {
  const json s_unep = subject("anonymous", "anonymous", {{"affiliation", "UNEP"}});
  const std::string text = "UNEP and Iran will co-host the workshop; Holloway agreed to draft the terms.";
  const auto with_terms =
      import(meeting_doc({facilitator(), s_unep, third()}, {note("n", text)}, {{"public_terms", {"UNEP", "Iran"}}}));
  const auto without = import(meeting_doc({facilitator(), s_unep, third()}, {note("n", text)}));
  for (Audience a : kAudiences) {
    SCOPED_TRACE(std::string(to_string(a)));
    EXPECT_EQ(build(with_terms, a).statements.at(0).text,
              "UNEP and Iran will co-host the workshop; a participant agreed to draft the terms.");
    EXPECT_EQ(build(without, a).statements.at(0).text,
              "[affiliation withheld] and Iran will co-host the workshop; a participant agreed to draft the terms.")
        << "without the public term, the affiliation is a protected form";
    for (SummaryFormat f : kFormats) {
      EXPECT_THAT(produce(with_terms, a, f), HasSubstr("UNEP and Iran")) << format_name(f);
      EXPECT_THAT(produce(without, a, f), Not(HasSubstr("UNEP"))) << format_name(f);
    }
  }
}

// =============================================================================================
// Meeting rules

TEST_F(SummaryTest, OnBackgroundRendersNamedAsRoleForThePublicOnly) {
  const auto m = import(meeting_doc({facilitator(), subject("named", "named"), third()},
                                    {note("n", "Daniel Okonkwo opened the session; Dan thanked Katherine Holloway."),
                                     note("s", "Thank you.")},
                                    json::object(), "Background Talks", "on-background"));
  const Summary pub = build(m, Audience::public_);
  EXPECT_EQ(pub.rule, Rule::on_background);
  EXPECT_TRUE(pub.attendance.named.empty()) << "nobody is named to the public on background";
  EXPECT_EQ(pub.attendance.roles, (std::vector<std::string>{"the facilitator", "a former senior U.S. diplomat"}));
  EXPECT_EQ(pub.statements.at(0).attribution.level, DisclosureLevel::role);
  EXPECT_EQ(pub.statements.at(0).attribution.label, "The facilitator");
  EXPECT_EQ(pub.statements.at(0).text, "The facilitator opened the session; the facilitator thanked a former senior U.S. diplomat.");
  EXPECT_EQ(pub.statements.at(1).attribution.label, "A former senior U.S. diplomat");
  for (SummaryFormat f : kFormats) {
    const std::string text = produce(m, Audience::public_, f);
    expect_absent(text, {"Okonkwo", "Daniel", "Dan ", "University of Toronto", "Holloway", "Department of State"},
                  format_name(f));
    EXPECT_THAT(text, HasSubstr("On background")) << format_name(f);
  }
  const Summary part = build(m, Audience::participants);
  EXPECT_EQ(part.attendance.named,
            (std::vector<std::string>{"Daniel Okonkwo (University of Toronto)", "Katherine Holloway (Department of State)"}));
  EXPECT_EQ(part.statements.at(0).attribution.label, "Daniel Okonkwo");
  EXPECT_EQ(part.statements.at(0).text, "Daniel Okonkwo opened the session; Dan thanked Katherine Holloway.");

  // A meeting's own rule overrides its series': the same under chatham-house series with an
  // on-background meeting.
  const auto m2 = import(meeting_doc({facilitator(), subject("named", "named"), third()}, {note("s", "Thank you.")}));
  EXPECT_EQ(build(m2, Audience::public_).attendance.named.size(), 2u);
  MeetingUpdate u;
  u.rule = Rule::on_background;
  ASSERT_TRUE(update_meeting(vault, m2, u).ok());
  EXPECT_TRUE(build(m2, Audience::public_).attendance.named.empty());
  EXPECT_EQ(build(m2, Audience::participants).attendance.named.size(), 2u);
}

TEST_F(SummaryTest, OffTheRecordHasNoPublicSummaryButAParticipantsOne) {
  const auto m = import(meeting_doc({facilitator(), subject("role", "anonymous"), third()}, {note("s", "A frank remark.")},
                                    json::object(), "Quiet Channel", "off-the-record"));
  SummaryOptions o;
  o.audience = Audience::public_;
  auto b = build_summary(vault, m, o);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::blocked);
  EXPECT_THAT(b.error().message, HasSubstr("off the record"));
  for (SummaryFormat f : kFormats) {
    const Error e = blocked(m, Audience::public_, f);
    EXPECT_EQ(e.code, ErrorCode::blocked) << format_name(f);
    EXPECT_THAT(e.message, HasSubstr("off the record")) << "the refusal says why";
    EXPECT_THAT(e.message, HasSubstr("public")) << e.message;
  }
  const Summary part = build(m, Audience::participants);
  EXPECT_EQ(part.rule, Rule::off_the_record);
  EXPECT_EQ(part.attendance.roles, std::vector<std::string>{"a former senior U.S. diplomat"});
  EXPECT_THAT(produce(m, Audience::participants, SummaryFormat::markdown), HasSubstr("Off the record"));
}

// =============================================================================================
// The location

TEST_F(SummaryTest, LocationIsShownOnlyWhenNamedForTheAudienceAndWithheldInNotesOtherwise) {
  const auto m = import(meeting_doc(
      {facilitator(), subject("anonymous", "anonymous"), third()},
      {note("n", "Stockholm was chosen because it is neutral ground."), note("s", "The talks should continue.")},
      {{"location", "Stockholm"}, {"location_disclosure", {{"participants", "named"}, {"public", "hidden"}}}}));
  const auto ns = notes(m);

  const Summary part = build(m, Audience::participants);
  ASSERT_TRUE(part.location.has_value());
  EXPECT_EQ(*part.location, "Stockholm");
  EXPECT_EQ(part.statements.at(0).text, "Stockholm was chosen because it is neutral ground.");
  EXPECT_EQ(count_kind(part, "location-mentioned"), 0u) << "the location is not hidden from participants";
  EXPECT_THAT(produce(m, Audience::participants, SummaryFormat::markdown), HasSubstr("- **Location:** Stockholm\n"));
  EXPECT_EQ(json::parse(produce(m, Audience::participants, SummaryFormat::json))["location"], "Stockholm");

  const Summary pub = build(m, Audience::public_);
  EXPECT_FALSE(pub.location.has_value());
  EXPECT_EQ(pub.statements.at(0).text, "[location withheld] was chosen because it is neutral ground.");
  ASSERT_EQ(count_kind(pub, "location-mentioned"), 1u);
  const SummaryWarning* w = warning(pub, "location-mentioned");
  ASSERT_TRUE(w->note_id.has_value());
  EXPECT_EQ(*w->note_id, ns[0].id);
  EXPECT_THAT(w->message, Not(HasSubstr("Stockholm")));
  for (SummaryFormat f : kFormats) {
    const std::string text = produce(m, Audience::public_, f);
    EXPECT_THAT(text, Not(HasSubstr("Stockholm"))) << format_name(f);
    EXPECT_THAT(text, Not(HasSubstr("Location:"))) << format_name(f);
  }
  EXPECT_TRUE(json::parse(produce(m, Audience::public_, SummaryFormat::json))["location"].is_null());

  // Named for the public too: shown, left in notes, no warning.
  MeetingUpdate u;
  u.location_disclosure[static_cast<int>(Audience::public_)] = DisclosureLevel::named;
  ASSERT_TRUE(update_meeting(vault, m, u).ok());
  const Summary now = build(m, Audience::public_);
  ASSERT_TRUE(now.location.has_value());
  EXPECT_EQ(*now.location, "Stockholm");
  EXPECT_EQ(now.statements.at(0).text, "Stockholm was chosen because it is neutral ground.");
  EXPECT_EQ(count_kind(now, "location-mentioned"), 0u);
}

TEST_F(SummaryTest, AHiddenLocationThatNoNoteMentionsGivesNoWarning) {
  const auto m = import(meeting_doc({facilitator(), subject("anonymous", "anonymous"), third()},
                                    {note("s", "The talks should continue.")},
                                    {{"location", "Stockholm"}, {"location_disclosure", {{"public", "hidden"}}}}));
  for (Audience a : kAudiences) {
    const Summary s = build(m, a);
    EXPECT_FALSE(s.location.has_value()) << "a missing location disclosure is hidden";
    EXPECT_EQ(count_kind(s, "location-mentioned"), 0u);
  }
}

// =============================================================================================
// Pseudonym letters

const std::vector<std::string> kSixNames = {"Amir Tehrani", "Beth Collins", "Chen Wei", "Dana Levi", "Erik Sand", "Farid Nouri"};

json six_pseudonyms_doc(const std::string& series = "Letters Series") {
  std::vector<json> ps, ns;
  for (std::size_t i = 0; i < kSixNames.size(); ++i) {
    const std::string key = "p" + std::to_string(i + 1);
    ps.push_back(person(key, kSixNames[i], "pseudonym", "pseudonym"));
    ns.push_back(note(key, "Point number " + std::to_string(i + 1) + "."));
  }
  return meeting_doc(ps, ns, json::object(), series);
}

// Letter of each speaker, in attendance (and speaking) order: "ABCDEF" would be attendance order.
std::string letters_in_attendance_order(const Summary& s) {
  std::string out;
  for (const auto& st : s.statements) {
    const std::string& l = st.attribution.label;
    EXPECT_EQ(l.rfind("Participant ", 0), 0u) << l;
    out += l.substr(std::string("Participant ").size());
  }
  return out;
}

TEST_F(SummaryTest, PseudonymLettersComeFromAKeyedPermutationNotAttendanceOrder) {
  std::vector<std::string> per_meeting;
  for (int i = 0; i < 4; ++i) {
    const auto m = import(six_pseudonyms_doc());
    const Summary s = build(m, Audience::participants);
    ASSERT_EQ(s.statements.size(), 6u);
    const std::string letters = letters_in_attendance_order(s);
    std::string sorted = letters;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, "ABCDEF") << "six pseudonyms use the letters A to F, each once: " << letters;
    EXPECT_EQ(s.attendance.pseudonyms, (std::vector<std::string>{"Participant A", "Participant B", "Participant C",
                                                                  "Participant D", "Participant E", "Participant F"}))
        << "the attendance lists pseudonyms by letter";
    // Identical across two builds.
    EXPECT_EQ(letters_in_attendance_order(build(m, Audience::participants)), letters);
    per_meeting.push_back(letters);
  }
  // With a keyed permutation, four meetings all lettered in attendance order has probability
  // (1/720)^4: at least one differs.
  EXPECT_TRUE(std::any_of(per_meeting.begin(), per_meeting.end(), [](const std::string& l) { return l != "ABCDEF"; }))
      << "every meeting was lettered in attendance order";
  // Different per meeting (same people, same order, same audience): all four equal has
  // probability (1/720)^3.
  EXPECT_TRUE(std::any_of(per_meeting.begin(), per_meeting.end(), [&](const std::string& l) { return l != per_meeting[0]; }))
      << "every meeting got the same letters: " << per_meeting[0];
}

TEST_F(SummaryTest, PseudonymLettersSurviveReopeningTheVaultAndRendering) {
  const auto m = import(six_pseudonyms_doc());
  const std::string before = letters_in_attendance_order(build(m, Audience::participants));
  const std::string md = produce(m, Audience::participants, SummaryFormat::markdown);
  vault = core::Vault{};
  auto opened = Vault::open(dir / "vault", test::secret("test passphrase"));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  vault = std::move(*opened);
  EXPECT_EQ(letters_in_attendance_order(build(m, Audience::participants)), before);
  EXPECT_EQ(produce(m, Audience::participants, SummaryFormat::markdown), md);
}

TEST_F(SummaryTest, StablePseudonymsKeepAPersonsLetterAcrossTheSeries) {
  auto doc_of = [](const std::vector<std::string>& names) {
    std::vector<json> ps, ns;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string key = "k" + std::to_string(i);
      ps.push_back(person(key, names[i], "pseudonym", "anonymous"));
      ns.push_back(note(key, "Remark " + std::to_string(i) + "."));
    }
    return meeting_doc(ps, ns, json::object(), "Stable Series");
  };
  const auto m1 = import(doc_of({"Amir Tehrani", "Beth Collins", "Chen Wei", "Dana Levi"}));
  const auto m2 = import(doc_of({"Dana Levi", "Erik Sand", "Beth Collins", "Amir Tehrani"}));
  SummaryOptions stable;
  stable.stable_pseudonyms = true;
  auto letters_by_name = [&](std::int64_t m, const std::vector<std::string>& names) {
    const Summary s = build(m, Audience::participants, stable);
    std::map<std::string, std::string> out;
    EXPECT_EQ(s.statements.size(), names.size());
    for (std::size_t i = 0; i < s.statements.size() && i < names.size(); ++i) out[names[i]] = s.statements[i].attribution.label;
    return out;
  };
  const auto l1 = letters_by_name(m1, {"Amir Tehrani", "Beth Collins", "Chen Wei", "Dana Levi"});
  std::set<std::string> first_letters;
  for (const auto& [n, l] : l1) first_letters.insert(l);
  EXPECT_EQ(first_letters, (std::set<std::string>{"Participant A", "Participant B", "Participant C", "Participant D"}));
  const auto l2 = letters_by_name(m2, {"Dana Levi", "Erik Sand", "Beth Collins", "Amir Tehrani"});
  for (const char* n : {"Amir Tehrani", "Beth Collins", "Dana Levi"}) EXPECT_EQ(l2.at(n), l1.at(n)) << n;
  EXPECT_EQ(l2.at("Erik Sand"), "Participant E") << "a newcomer gets the next letter after those already given";
  // Asking again changes nothing.
  EXPECT_EQ(letters_by_name(m1, {"Amir Tehrani", "Beth Collins", "Chen Wei", "Dana Levi"}), l1);
  EXPECT_EQ(letters_by_name(m2, {"Dana Levi", "Erik Sand", "Beth Collins", "Amir Tehrani"}), l2);
  // The attendance of the second meeting lists its own letters.
  EXPECT_EQ(build(m2, Audience::participants, stable).attendance.pseudonyms.size(), 4u);
  // One stored assignment per person of the series (five people).
  EXPECT_EQ(count("series_pseudonyms"), 5);
}

TEST_F(SummaryTest, StablePseudonymsAreRefusedForThePublic) {
  const auto m = import(six_pseudonyms_doc());
  SummaryOptions o;
  o.audience = Audience::public_;
  o.stable_pseudonyms = true;
  auto b = build_summary(vault, m, o);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::usage);
  EXPECT_THAT(b.error().message, HasSubstr("participants"));
  for (SummaryFormat f : kFormats) {
    auto r = produce_summary(vault, m, o, f);
    ASSERT_FALSE(r.ok()) << format_name(f);
    EXPECT_EQ(r.error().code, ErrorCode::usage);
  }
  EXPECT_EQ(count("series_pseudonyms"), 0) << "a refused request assigns no letters";
}

// =============================================================================================
// A participant's own copy

TEST_F(SummaryTest, RecipientsOwnStatementsAreMarked) {
  const auto m = import(meeting_doc({facilitator(), subject("pseudonym", "anonymous"), third()},
                                    {note("s", "We should sequence the steps."), note("n", "Thank you."),
                                     note("s", "Shall we meet again?", "question")}));
  const auto ns = notes(m);
  SummaryOptions o;
  o.recipient_participant_id = participant_id(m, "s");
  const Summary s = build(m, Audience::participants, o);
  ASSERT_TRUE(s.recipient_label.has_value());
  EXPECT_EQ(*s.recipient_label, "Participant A");
  EXPECT_TRUE(statement(s, ns[0].id)->own);
  EXPECT_FALSE(statement(s, ns[1].id)->own);
  EXPECT_TRUE(statement(s, ns[2].id)->own);

  const std::string md = produce(m, Audience::participants, SummaryFormat::markdown, o);
  EXPECT_THAT(md, HasSubstr("- **Participant A (your statement):** We should sequence the steps.\n"));
  EXPECT_THAT(md, HasSubstr("- **Daniel Okonkwo:** Thank you.\n"));
  EXPECT_THAT(md, HasSubstr("you appear as Participant A"));
  const std::string html = produce(m, Audience::participants, SummaryFormat::html, o);
  EXPECT_THAT(html, HasSubstr("<li class=\"own\">"));
  const json j = json::parse(produce(m, Audience::participants, SummaryFormat::json, o));
  EXPECT_EQ(j["recipient"], "Participant A");
  ASSERT_EQ(j["statements"].size(), 3u);
  EXPECT_EQ(j["statements"][0].value("own", false), true);
  EXPECT_FALSE(j["statements"][1].contains("own"));

  // Without a recipient nothing is marked.
  const Summary plain = build(m, Audience::participants);
  EXPECT_FALSE(plain.recipient_label.has_value());
  for (const auto& st : plain.statements) EXPECT_FALSE(st.own);
  EXPECT_THAT(produce(m, Audience::participants, SummaryFormat::markdown), Not(HasSubstr("your statement")));
}

// =============================================================================================
// Identifiability warnings

const std::vector<std::string> kAllNames = {"Katherine", "Holloway", "Kate",    "Daniel",  "Okonkwo", "Lars",
                                            "Nilsson",   "Department of State", "Uppsala University",
                                            "University of Toronto", "کاترین", "هالووی"};

TEST_F(SummaryTest, UniqueDescriptorWarningOnlyWhenTheDescriptorNamesALoneDelegation) {
  const auto m = import(meeting_doc({facilitator(), subject("role", "role"), third()}, {note("s", "Hello.")}));
  for (Audience a : kAudiences) {
    const Summary s = build(m, a);
    ASSERT_EQ(count_kind(s, "unique-descriptor"), 1u) << "only attendee from the United States, described as U.S.";
    EXPECT_EQ(warning(s, "unique-descriptor")->participant_key, std::optional<std::string>("s"));
    expect_warnings_name_nobody(s, kAllNames);
  }
  // A demonym counts as naming the delegation too.
  ParticipantUpdate american;
  american.descriptor = "a former senior American diplomat";
  ASSERT_TRUE(update_participant(vault, m, "s", american).ok());
  EXPECT_EQ(count_kind(build(m, Audience::participants), "unique-descriptor"), 1u);
  // A descriptor that names no delegation: no warning.
  ParticipantUpdate vague;
  vague.descriptor = "a former senior diplomat";
  ASSERT_TRUE(update_participant(vault, m, "s", vague).ok());
  EXPECT_EQ(count_kind(build(m, Audience::participants), "unique-descriptor"), 0u);
  // Two attendees from the same delegation: the descriptor fits both, no warning.
  const auto m2 = import(meeting_doc(
      {facilitator(), subject("role", "role"),
       person("g", "George Miller", "named", "named", {{"delegation", "United States"}, {"affiliation", "RAND"}})},
      {note("s", "Hello.")}));
  EXPECT_EQ(count_kind(build(m2, Audience::participants), "unique-descriptor"), 0u);
}

TEST_F(SummaryTest, OwnAffiliationWarningForAPseudonymousSpeakerNamingTheirOwnAffiliation) {
  const std::string said = "At the Department of State we saw this differently.";
  const auto m = import(meeting_doc({facilitator(), subject("pseudonym", "role"), third()},
                                    {note("s", said), note("n", "The Department of State has not answered yet.")}));
  const auto ns = notes(m);
  const Summary s = build(m, Audience::participants);
  EXPECT_EQ(statement(s, ns[0].id)->text, "At the [affiliation withheld] we saw this differently.");
  ASSERT_EQ(count_kind(s, "own-affiliation"), 1u) << "only the subject's own statement, not the facilitator's mention";
  const SummaryWarning* w = warning(s, "own-affiliation");
  EXPECT_EQ(w->participant_key, std::optional<std::string>("s"));
  EXPECT_EQ(w->note_id, std::optional<std::int64_t>(ns[0].id));
  expect_warnings_name_nobody(s, kAllNames);
  // At the role level (public here) the descriptor already says who they are: not this warning.
  EXPECT_EQ(count_kind(build(m, Audience::public_), "own-affiliation"), 0u);
  // A pseudonymous speaker who does not name their affiliation: no warning.
  const auto m2 = import(meeting_doc({facilitator(), subject("pseudonym", "pseudonym"), third()},
                                     {note("s", "We saw this differently.")}));
  EXPECT_EQ(count_kind(build(m2, Audience::participants), "own-affiliation"), 0u);
}

// produce_summary hands back the warnings of the summary it built, as build_summary gives them, so
// that a front end need not build it twice; a summary for distribution carries none.
TEST_F(SummaryTest, ProducedSummaryCarriesTheSameWarningsAsTheBuiltOne) {
  const auto m = import(meeting_doc({facilitator(), subject("pseudonym", "role"), third()},
                                    {note("s", "At the Department of State we saw this differently.")}));
  for (Audience a : kAudiences) {
    const Summary built = build(m, a);
    ASSERT_FALSE(built.warnings.empty());
    for (SummaryFormat f : kFormats) {
      SummaryOptions o;
      o.audience = a;
      auto r = produce_summary(vault, m, o, f);
      ASSERT_TRUE(r.ok()) << r.error().message;
      ASSERT_EQ(r->warnings.size(), built.warnings.size()) << format_name(f);
      for (std::size_t i = 0; i < built.warnings.size(); ++i) {
        EXPECT_EQ(r->warnings[i].kind, built.warnings[i].kind);
        EXPECT_EQ(r->warnings[i].message, built.warnings[i].message);
        EXPECT_EQ(r->warnings[i].participant_key, built.warnings[i].participant_key);
        EXPECT_EQ(r->warnings[i].note_id, built.warnings[i].note_id);
      }
      o.for_distribution = true;
      auto d = produce_summary(vault, m, o, f);
      ASSERT_TRUE(d.ok()) << d.error().message;
      EXPECT_TRUE(d->warnings.empty()) << format_name(f);
    }
  }
}

TEST_F(SummaryTest, SmallCountWarningForOneUnnamedOrATinyAttendance) {
  auto named = [](const std::string& key, const std::string& name) { return person(key, name, "named", "named"); };
  // Four named, one anonymous: exactly one unnamed participant.
  const auto one = import(meeting_doc({named("a", "Ann Lee"), named("b", "Bob Ray"), named("c", "Cy Young"),
                                       named("d", "Di Fox"), subject("anonymous", "anonymous")},
                                      {note("s", "Hello.")}));
  const Summary s1 = build(one, Audience::participants);
  ASSERT_EQ(count_kind(s1, "small-count"), 1u);
  EXPECT_FALSE(warning(s1, "small-count")->participant_key.has_value()) << "the warning must not point at anyone";
  expect_warnings_name_nobody(s1, kAllNames);
  // Three attendees, two of them anonymous.
  const auto tiny = import(meeting_doc({named("a", "Ann Lee"), subject("anonymous", "anonymous"), third()},
                                       {note("s", "Hello.")}));
  EXPECT_EQ(count_kind(build(tiny, Audience::participants), "small-count"), 1u);
  // Five attendees, two anonymous: no warning.
  const auto fine = import(meeting_doc({named("a", "Ann Lee"), named("b", "Bob Ray"), named("c", "Cy Young"),
                                        subject("anonymous", "anonymous"), third()},
                                       {note("s", "Hello.")}));
  EXPECT_EQ(count_kind(build(fine, Audience::participants), "small-count"), 0u);
  // Everybody named, or the only unnamed one hidden (not counted): no warning.
  const auto all_named = import(meeting_doc({named("a", "Ann Lee"), named("b", "Bob Ray"), subject("named", "hidden")},
                                            {note("s", "Hello.")}));
  EXPECT_EQ(count_kind(build(all_named, Audience::participants), "small-count"), 0u);
  const Summary hidden = build(all_named, Audience::public_);
  EXPECT_EQ(hidden.attendance.anonymous_count, 0u);
  EXPECT_EQ(count_kind(hidden, "small-count"), 0u) << "a hidden participant is not counted";
}

TEST_F(SummaryTest, NoDescriptorWarningAndTheRoleParticipantIsCountedNotListed) {
  const auto m = import(meeting_doc(
      {facilitator(), person("r", "Robert Vance", "role", "role", {{"affiliation", "Ministry of Defence"}}), third(),
       subject("named", "named")},
      {note("r", "We are ready."), note("n", "Robert Vance of the Ministry of Defence is ready.")}));
  const auto ns = notes(m);
  for (Audience a : kAudiences) {
    SCOPED_TRACE(std::string(to_string(a)));
    const Summary s = build(m, a);
    EXPECT_TRUE(s.attendance.roles.empty()) << "no descriptor: not listed";
    EXPECT_EQ(s.attendance.anonymous_count, 2u) << "counted with the anonymous third participant";
    EXPECT_EQ(statement(s, ns[0].id)->attribution.label, "A participant");
    EXPECT_EQ(statement(s, ns[1].id)->text, "A participant of the [affiliation withheld] is ready.");
    ASSERT_EQ(count_kind(s, "no-descriptor"), 1u);
    EXPECT_EQ(warning(s, "no-descriptor")->participant_key, std::optional<std::string>("r"));
    for (const auto& w : s.warnings) {
      EXPECT_THAT(w.message, Not(HasSubstr("Vance")));
      EXPECT_THAT(w.message, Not(HasSubstr("Robert")));
      EXPECT_THAT(w.message, Not(HasSubstr("Ministry")));
    }
    expect_warnings_name_nobody(s, kAllNames);
    for (SummaryFormat f : kFormats) expect_absent(produce(m, a, f), {"Vance", "Robert", "Ministry of Defence"}, format_name(f));
  }
  ParticipantUpdate u;
  u.descriptor = "a defence official";
  ASSERT_TRUE(update_participant(vault, m, "r", u).ok());
  const Summary s = build(m, Audience::participants);
  EXPECT_EQ(count_kind(s, "no-descriptor"), 0u);
  EXPECT_EQ(s.attendance.roles, std::vector<std::string>{"a defence official"});
}

TEST_F(SummaryTest, NoWarningsWhenNoneAreWarranted) {
  // Five attendees, two unnamed, no role descriptor naming a lone delegation, no location, no
  // pseudonymous speaker naming their affiliation.
  const auto m = import(meeting_doc(
      {facilitator(), person("a", "Ann Lee", "named", "named"), person("b", "Bob Ray", "named", "named"),
       subject("pseudonym", "anonymous"), third(), person("g", "Gita Rao", "anonymous", "anonymous")},
      {note("s", "We saw this differently."), note("n", "Katherine Holloway spoke first.")}));
  for (Audience a : kAudiences) EXPECT_TRUE(build(m, a).warnings.empty()) << ::testing::PrintToString(warning_kinds(build(m, a)));
}

// =============================================================================================
// The leak scanner as the last gate

TEST_F(SummaryTest, ADescriptorNamingAnotherProtectedParticipantIsBlockedByKey) {
  const auto m = import(meeting_doc(
      {facilitator(), subject("anonymous", "anonymous"),
       person("r", "Robert Vance", "role", "role", {{"descriptor", "a colleague of Holloway"}}), third()},
      {note("r", "We are ready."), note("s", "So are we.")}));
  const auto ns = notes(m);
  for (Audience a : kAudiences) {
    for (SummaryFormat f : kFormats) {
      SCOPED_TRACE(std::string(to_string(a)) + " " + format_name(f));
      const Error e = blocked(m, a, f);
      EXPECT_EQ(e.code, ErrorCode::blocked);
      EXPECT_THAT(e.message, HasSubstr("leak scanner"));
      EXPECT_THAT(e.message, HasSubstr("participant s"));
      EXPECT_THAT(e.message, HasSubstr("remains in note " + std::to_string(ns[0].id)))
          << "the attribution of r's statement names s";
      expect_absent(e.message, {"Holloway", "Katherine", "Kate", "Vance", "Robert", "colleague"}, "the block message");
    }
  }
}

TEST_F(SummaryTest, AProtectedNameInTheMeetingTitleIsBlocked) {
  const auto m = import(meeting_doc({facilitator(), subject("pseudonym", "anonymous"), third()}, {note("s", "Hello.")},
                                    {{"title", "Dinner at Ambassador Holloway's residence"}}));
  for (Audience a : kAudiences) {
    for (SummaryFormat f : kFormats) {
      SCOPED_TRACE(std::string(to_string(a)) + " " + format_name(f));
      const Error e = blocked(m, a, f);
      EXPECT_EQ(e.code, ErrorCode::blocked);
      EXPECT_THAT(e.message, HasSubstr("participant s"));
      EXPECT_THAT(e.message, HasSubstr("outside the notes"));
      expect_absent(e.message, {"Holloway", "Katherine", "Dinner"}, "the block message");
    }
  }
}

// A word that mixes scripts may be a name spelled with look-alike letters that no skeleton
// covers (here Armenian and Arabic letters in Latin words): the scanner fails closed, and the
// message says where without quoting the word (issue 15, item 13).
TEST_F(SummaryTest, AWordThatMixesScriptsIsBlockedWithoutQuotingIt) {
  const auto m = import(meeting_doc({facilitator(), subject("pseudonym", "anonymous"), third()},
                                    {note("n", "Hello from Kolոmbo."), note("n", "Hoهلoway wrote.")}));
  const auto ids = notes(m);
  for (SummaryFormat f : kFormats) {
    SCOPED_TRACE(format_name(f));
    const Error e = blocked(m, Audience::participants, f);
    EXPECT_EQ(e.code, ErrorCode::blocked);
    EXPECT_THAT(e.message, HasSubstr("a word that mixes scripts"));
    EXPECT_THAT(e.message, HasSubstr("remains in note " + std::to_string(ids[0].id)));
    EXPECT_THAT(e.message, HasSubstr("remains in note " + std::to_string(ids[1].id)));
    EXPECT_THAT(e.message, Not(HasSubstr("outside the notes")));
    expect_absent(e.message, {"Kolոmbo", "Hoهلoway", "Hello"}, "the block message");
  }
}

// A Persian suffix on a name whose replacement ends in Latin ("شرکت‌کننده C") is kept apart from
// it by a zero-width non-joiner: one word of two scripts would block the summary.
TEST_F(SummaryTest, APersianSuffixAfterALatinReplacementIsKeptApart) {
  const auto m = import(meeting_doc({facilitator(), subject("pseudonym", "anonymous"), third()},
                                    {note("n", "کاترین هالوویها گفتند."), note("n", "We met the Hollowayها.")}));
  const Summary s = build(m, Audience::participants);
  ASSERT_EQ(s.statements.size(), 2u);
  EXPECT_EQ(s.statements[0].text, "شرکت" + kZwnj + "کننده A" + kZwnj + "ها گفتند.");
  for (SummaryFormat f : kFormats) {
    const std::string out = produce(m, Audience::participants, f);
    expect_absent(out, kSubjectForms, format_name(f));
  }
}

TEST_F(SummaryTest, ANamedAliasEqualToAProtectedFullNameIsReplacedAsTheProtectedOne) {
  // The facilitator (named) has an alias that is also the protected subject's full name. Both
  // readings are the same words, so the protected one wins (docs/anonymization.md): the name is
  // replaced, and the scanner then has nothing to block.
  const auto m = import(meeting_doc({facilitator({{"aliases", {"Dan", "Katherine Holloway"}}}),
                                     subject("anonymous", "anonymous"), third()},
                                    {note("n", "Katherine Holloway raised the issue of sequencing.")}));
  for (Audience a : kAudiences) {
    SCOPED_TRACE(std::string(to_string(a)));
    EXPECT_EQ(build(m, a).statements.at(0).text, "A participant raised the issue of sequencing.");
    for (SummaryFormat f : kFormats) expect_absent(produce(m, a, f), {"Holloway", "Katherine"}, format_name(f));
  }
}

TEST_F(SummaryTest, TwoAttendeesWithTheSameNameOneNamedOneProtectedAreBlocked) {
  // The named one's attendance line is the protected one's full name: the anonymizer cannot
  // replace it (it is the named person's own name), so the scanner must stop the summary.
  const auto m = import(meeting_doc(
      {facilitator(), person("t", "Katherine Holloway", "named", "named", {{"affiliation", "Oxford University"}}),
       subject("anonymous", "anonymous"), third()},
      {note("s", "Hello.")}));
  for (Audience a : kAudiences) {
    const Error e = blocked(m, a, SummaryFormat::markdown);
    EXPECT_EQ(e.code, ErrorCode::blocked);
    EXPECT_THAT(e.message, HasSubstr("participant s"));
    expect_absent(e.message, {"Holloway", "Katherine", "Oxford"}, "the block message");
  }
}

TEST_F(SummaryTest, ASharedAffiliationBlocksUntilItIsAPublicTerm) {
  // A named attendee from the same institution as a protected one: the named attendance line
  // "Name (Affiliation)" carries the protected participant's affiliation, which the anonymizer
  // does not rewrite. Fail closed; the organizer's way out is a public term.
  const auto m = import(meeting_doc(
      {facilitator(), person("t", "Tom Baker", "named", "named", {{"affiliation", "Department of State"}}),
       subject("pseudonym", "anonymous"), third()},
      {note("t", "The Department of State will host the next round.")}));
  for (Audience a : kAudiences) {
    const Error e = blocked(m, a, SummaryFormat::markdown);
    EXPECT_EQ(e.code, ErrorCode::blocked);
    EXPECT_THAT(e.message, HasSubstr("participant s"));
    expect_absent(e.message, {"Holloway", "Department of State", "Baker"}, "the block message");
  }
  MeetingUpdate u;
  u.public_terms = std::vector<std::string>{"Department of State"};
  ASSERT_TRUE(update_meeting(vault, m, u).ok());
  for (Audience a : kAudiences) {
    const std::string md = produce(m, a, SummaryFormat::markdown);
    EXPECT_THAT(md, HasSubstr("- Tom Baker (Department of State)\n"));
    EXPECT_THAT(md, HasSubstr("The Department of State will host the next round."));
  }
}

// =============================================================================================
// Output formats

class SummaryFormatTest : public SummaryTest {
 protected:
  void SetUp() override {
    SummaryTest::SetUp();
    meeting = import(meeting_doc(
        {facilitator(), subject("pseudonym", "anonymous"), third(),
         person("e", "Helen Brooks", "role", "role",
                {{"descriptor", "a UN official"}, {"delegation", "United Nations"}, {"affiliation", "UNEP"}})},
        {note(std::nullopt, "Welcome & thanks to <all> \"delegates\" and 'observers'.", "observation"),
         note("s", "I propose a joint data portal run by the Department of State.", "proposal"),
         note("n", "# Not a heading\n*starred* and _underscored_ words\n# second line", "statement"),
         note("f", "Use <b>bold</b> & \"quotes\" & 'apostrophes' carefully.", "statement"),
         note("e", "Helen Brooks agreed with Kate.", "agreement"),
         note("s", "Who hosts the portal?", "question"),
         note("n", "Holloway will draft the terms by May.", "action")},
        {{"location", "Stockholm"}, {"location_disclosure", {{"participants", "named"}, {"public", "hidden"}}},
         {"public_terms", {"UNEP"}}}));
    ns = notes(meeting);
    ASSERT_EQ(ns.size(), 7u);
  }
  std::int64_t meeting = 0;
  std::vector<Note> ns;
};

TEST_F(SummaryFormatTest, JsonIsWellFormedWithEveryField) {
  const std::string text = produce(meeting, Audience::participants, SummaryFormat::json);
  const json j = json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["format"], "backchannel.summary/1");
  EXPECT_EQ(j["series"], "Gulf Security Dialogue");
  EXPECT_EQ(j["meeting"], "Round 7");
  EXPECT_EQ(j["date"], "2005-06-14");
  EXPECT_EQ(j["location"], "Stockholm");
  EXPECT_EQ(j["rule"], "chatham-house");
  EXPECT_EQ(j["audience"], "participants");
  EXPECT_THAT(j["reminder"].get<std::string>(), HasSubstr("Chatham House Rule"));
  EXPECT_EQ(j["attendance"]["named"], json({"Daniel Okonkwo (University of Toronto)"}));
  EXPECT_EQ(j["attendance"]["roles"], json({"a UN official"}));
  EXPECT_EQ(j["attendance"]["pseudonyms"], json({"Participant A"}));
  EXPECT_EQ(j["attendance"]["others"], 1);
  ASSERT_TRUE(j["statements"].is_array());
  ASSERT_EQ(j["statements"].size(), 7u);
  const std::map<std::string, std::string> section_of_kind = {
      {"observation", "discussion"}, {"statement", "discussion"}, {"question", "discussion"},
      {"proposal", "key_points"},    {"agreement", "key_points"}, {"action", "next_steps"}};
  for (std::size_t i = 0; i < 7; ++i) {
    const json& st = j["statements"][i];
    SCOPED_TRACE(st.dump());
    EXPECT_EQ(st["note"], ns[i].uid) << "statements in meeting order, identified by the note uid";
    EXPECT_EQ(st["kind"], std::string(to_string(ns[i].kind)));
    EXPECT_EQ(st["section"], section_of_kind.at(st["kind"].get<std::string>()));
    ASSERT_TRUE(st["text"].is_string());
    for (const auto& span : st["replaced"]) {
      const auto b = span[0].get<std::size_t>(), e = span[1].get<std::size_t>();
      ASSERT_LE(b, e);
      ASSERT_LE(e, st["text"].get<std::string>().size());
      const std::string r = st["text"].get<std::string>().substr(b, e - b);
      EXPECT_TRUE(r == "Participant A" || r == "[affiliation withheld]" || r == "a UN official" || r == "A UN official")
          << "a replaced span covers a replacement: " << r;
    }
  }
  EXPECT_EQ(j["statements"][0]["attribution"], json({{"level", "organizers"}, {"label", "Organizers"}}));
  EXPECT_EQ(j["statements"][0]["text"], "Welcome & thanks to <all> \"delegates\" and 'observers'.")
      << "JSON carries the text as data, unescaped after parsing";
  EXPECT_EQ(j["statements"][1]["attribution"], json({{"level", "pseudonym"}, {"label", "Participant A"}}));
  EXPECT_EQ(j["statements"][1]["text"], "I propose a joint data portal run by the [affiliation withheld].");
  EXPECT_EQ(j["statements"][4]["attribution"], json({{"level", "role"}, {"label", "A UN official"}}));
  EXPECT_EQ(j["statements"][4]["text"], "A UN official agreed with Participant A.");
  EXPECT_EQ(j["statements"][4]["replaced"], json({{0, 13}, {26, 39}}));
  EXPECT_EQ(j["statements"][6]["text"], "Participant A will draft the terms by May.");
  ASSERT_TRUE(j["warnings"].is_array());
  std::set<std::string> kinds;
  for (const auto& w : j["warnings"]) {
    EXPECT_TRUE(w["kind"].is_string());
    EXPECT_TRUE(w["message"].is_string());
    EXPECT_TRUE(w.contains("participant"));
    EXPECT_TRUE(w.contains("note"));
    kinds.insert(w["kind"].get<std::string>());
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"unique-descriptor", "own-affiliation", "small-count"}));
  expect_absent(text, kSubjectForms, "json");
}

TEST_F(SummaryFormatTest, JsonForThePublicCarriesTheHiddenLocationAsNullAndItsWarning) {
  const json j = json::parse(produce(meeting, Audience::public_, SummaryFormat::json));
  EXPECT_TRUE(j["location"].is_null());
  EXPECT_EQ(j["audience"], "public");
  EXPECT_EQ(j["attendance"]["others"], 2);
  EXPECT_EQ(j["statements"][1]["attribution"], json({{"level", "anonymous"}, {"label", "A participant"}}));
}

TEST_F(SummaryFormatTest, HtmlEscapesNoteTextAndIsBalanced) {
  const std::string h = produce(meeting, Audience::participants, SummaryFormat::html);
  EXPECT_EQ(h.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_TRUE(h.size() > 8 && h.substr(h.size() - 8) == "</html>\n");
  EXPECT_THAT(h, HasSubstr("Use &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot; &amp; &#39;apostrophes&#39; carefully."));
  EXPECT_THAT(h, HasSubstr("Welcome &amp; thanks to &lt;all&gt; &quot;delegates&quot; and &#39;observers&#39;."));
  EXPECT_THAT(h, Not(HasSubstr("<b>bold</b>")));
  EXPECT_THAT(h, Not(HasSubstr("<all>")));
  EXPECT_THAT(h, Not(HasSubstr("\"quotes\"")));
  auto occurrences = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = h.find(needle); p != std::string::npos; p = h.find(needle, p + 1)) ++n;
    return n;
  };
  for (const auto& [open, close] : std::vector<std::pair<std::string, std::string>>{
           {"<li", "</li>"}, {"<ul>", "</ul>"}, {"<h2>", "</h2>"}, {"<span", "</span>"}, {"<html", "</html>"},
           {"<body>", "</body>"}, {"<head>", "</head>"}, {"<blockquote>", "</blockquote>"}})
    EXPECT_EQ(occurrences(open), occurrences(close)) << open;
  // Every '&' in the document starts an entity.
  for (std::size_t p = h.find('&'); p != std::string::npos; p = h.find('&', p + 1)) {
    const auto semi = h.find(';', p);
    ASSERT_NE(semi, std::string::npos);
    const std::string ent = h.substr(p, semi - p + 1);
    EXPECT_TRUE(ent == "&amp;" || ent == "&lt;" || ent == "&gt;" || ent == "&quot;" || ent == "&#39;") << ent;
  }
  EXPECT_THAT(h, HasSubstr("<li><b>Location:</b> Stockholm</li>"));
  expect_absent(h, kSubjectForms, "html");
}

TEST_F(SummaryFormatTest, MarkdownEscapesMarkupInNoteTextAndFollowsTheOutline) {
  const std::string md = produce(meeting, Audience::participants, SummaryFormat::markdown);
  EXPECT_THAT(md, HasSubstr("\\# Not a heading"));
  EXPECT_THAT(md, HasSubstr("\\*starred\\* and \\_underscored\\_ words"));
  EXPECT_THAT(md, HasSubstr("\\# second line"));
  // Every line that starts with '#' is one of the summary's own headings.
  std::istringstream lines(md);
  const std::set<std::string> headings = {"# Gulf Security Dialogue: Round 7", "## Attendance", "## Key points",
                                          "### Proposals", "### Points of agreement", "## Discussion", "## Next steps"};
  std::vector<std::string> seen;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(line.rfind("- *", 0) == 0 && line.rfind("- **", 0) != 0) << "a note turned into emphasis: " << line;
    if (!line.empty() && line[0] == '#') {
      EXPECT_TRUE(headings.count(line)) << "unexpected heading: " << line;
      seen.push_back(line);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"# Gulf Security Dialogue: Round 7", "## Attendance", "## Key points",
                                            "### Proposals", "### Points of agreement", "## Discussion",
                                            "## Next steps"}))
      << "key points, then discussion, then next steps";
  EXPECT_THAT(md, HasSubstr("- **Date:** 2005-06-14\n"));
  EXPECT_THAT(md, HasSubstr("- **Location:** Stockholm\n"));
  EXPECT_THAT(md, HasSubstr("- **Held under:** Chatham House Rule\n"));
  EXPECT_THAT(md, HasSubstr("- **For:** the meeting's participants\n"));
  EXPECT_THAT(md, HasSubstr("- **Participant A:** I propose a joint data portal run by the \\[affiliation withheld\\].\n"));
  EXPECT_THAT(md, HasSubstr("- **Participant A** asked: Who hosts the portal?\n"));
  EXPECT_THAT(md, HasSubstr("- **A UN official:** A UN official agreed with Participant A.\n"));
  // '&' is escaped too: a character reference in a note must reach the reader as written.
  EXPECT_THAT(md, HasSubstr("- **Organizers:** Welcome \\& thanks to \\<all\\> \"delegates\" and 'observers'.\n"));
  EXPECT_THAT(md, HasSubstr("- Daniel Okonkwo (University of Toronto)\n- a UN official\n- Participant A\n"
                            "- and 1 other participant\n"));
  expect_absent(md, kSubjectForms, "markdown");
}

TEST_F(SummaryFormatTest, PdfFollowsTheOutlineWithTheMeetingsDateAndAHeaderPerAudience) {
  SummaryOptions o;
  auto r = produce_summary(vault, meeting, o, SummaryFormat::pdf);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, SummaryFormat::pdf);
  EXPECT_EQ(r->text.rfind("%PDF-", 0), 0u);
  EXPECT_TRUE(r->statement_regions.empty());
  EXPECT_FALSE(r->warnings.empty()) << "the warnings come with a PDF as with the other formats";
  auto again = produce_summary(vault, meeting, o, SummaryFormat::pdf);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->text == r->text) << "the same summary gives the same PDF bytes";

  const std::string text = test::pdf_visible_text(r->text);
  std::size_t at = 0;
  for (const char* in_order :
       {"Gulf Security Dialogue: Round 7", "Date: 2005-06-14", "Location: Stockholm", "Held under: Chatham House Rule",
        "For: the meeting's participants", "Attendance", "Daniel Okonkwo (University of Toronto)", "a UN official",
        "Participant A", "and 1 other participant", "Key points", "Proposals",
        "Participant A: I propose a joint data portal run by the [affiliation withheld].", "Points of agreement",
        "A UN official: A UN official agreed with Participant A.", "Discussion",
        "Organizers: Welcome & thanks to <all> \"delegates\" and 'observers'.",
        "Use <b>bold</b> & \"quotes\" & 'apostrophes' carefully.", "Participant A asked: Who hosts the portal?",
        "Next steps", "Participant A will draft the terms by May."}) {
    const std::size_t found = text.find(in_order, at);
    EXPECT_NE(found, std::string::npos) << "missing or out of order: " << in_order << "\nin: " << text;
    if (found != std::string::npos) at = found;
  }
  EXPECT_THAT(text, HasSubstr("Not for publication"));
  EXPECT_THAT(text, HasSubstr("Page 1 of 1"));
  expect_absent(text, kSubjectForms, "pdf");

  test::write_file(dir / "s.pdf", r->text);
  const std::string info = test::pdfinfo(dir / "s.pdf");
  EXPECT_THAT(info, HasSubstr("Title:           Gulf Security Dialogue: Round 7\n"));
  EXPECT_THAT(info, HasSubstr("CreationDate:    Tue Jun 14 00:00:00 2005")) << "the meeting's date, not today's";

  // The public's copy carries the rule in its header instead.
  const std::string pub = produce(meeting, Audience::public_, SummaryFormat::pdf);
  EXPECT_THAT(pub, Not(HasSubstr("Not for publication")));
  EXPECT_EQ(pub.rfind("Chatham House Rule", 0), 0u) << pub;
  EXPECT_THAT(pub, Not(HasSubstr("Stockholm")));
}

TEST_F(SummaryFormatTest, SummarizingTwiceGivesIdenticalBytes) {
  for (Audience a : kAudiences)
    for (SummaryFormat f : kFormats) {
      SCOPED_TRACE(std::string(to_string(a)) + " " + format_name(f));
      const std::string first = produce(meeting, a, f);
      ASSERT_FALSE(first.empty());
      EXPECT_EQ(produce(meeting, a, f), first);
    }
}

// =============================================================================================
// The spec's sample meeting, both audiences

TEST_F(SummaryTest, SampleMeetingForBothAudiences) {
  const auto m = import_sample();
  const auto ns = notes(m);
  ASSERT_EQ(ns.size(), 7u);

  const Summary part = build(m, Audience::participants);
  EXPECT_EQ(part.location, std::optional<std::string>("Vienna"));
  EXPECT_EQ(part.attendance.named,
            (std::vector<std::string>{"Daniel Okonkwo (University of Toronto)", "Helen Brooks (UNEP)"}));
  EXPECT_EQ(part.attendance.roles, std::vector<std::string>{"a former U.S. environmental official"});
  EXPECT_EQ(part.attendance.pseudonyms, std::vector<std::string>{"Participant A"});
  EXPECT_EQ(part.attendance.anonymous_count, 1u);
  ASSERT_EQ(part.statements.size(), 6u);
  EXPECT_EQ(part.statements[0].text, "Dan welcomed everyone; the Chatham House Rule applies to this session.");
  EXPECT_EQ(part.statements[0].attribution.label, "Daniel Okonkwo");
  EXPECT_EQ(part.statements[1].attribution.label, "Participant A");
  EXPECT_EQ(part.statements[1].text, "The Helmand basin agreement with Afghanistan is a model worth studying.");
  EXPECT_EQ(part.statements[2].attribution.label, "A former U.S. environmental official");
  EXPECT_EQ(part.statements[2].text,
            "A former U.S. environmental official's team mapped dust storms over the Sistan region in 2005.");
  EXPECT_EQ(part.statements[3].attribution.label, "A participant");
  EXPECT_EQ(part.statements[3].text, kPersianAParticipant + " پیشنهاد کرد که داده" + kZwnj + "های ماهواره" + kZwnj +
                                         "ای به" + kZwnj + "صورت مشترک منتشر شود.");
  EXPECT_EQ(part.statements[4].text, "Participant A agreed with a participant's proposal on shared satellite data.");
  EXPECT_EQ(part.statements[5].attribution.label, "Helen Brooks");
  EXPECT_EQ(part.statements[5].text, "Helen Brooks will ask UNEP about hosting the data portal.");

  const Summary pub = build(m, Audience::public_);
  EXPECT_FALSE(pub.location.has_value());
  EXPECT_EQ(pub.attendance.named, std::vector<std::string>{"Daniel Okonkwo (University of Toronto)"});
  EXPECT_EQ(pub.attendance.roles, std::vector<std::string>{"a UN official"});
  EXPECT_TRUE(pub.attendance.pseudonyms.empty());
  EXPECT_EQ(pub.attendance.anonymous_count, 2u) << "Hashemi and Grant; Rostami is hidden";
  ASSERT_EQ(pub.statements.size(), 6u);
  EXPECT_EQ(pub.statements[1].attribution.label, "A participant");
  EXPECT_EQ(pub.statements[2].text, "A participant's team mapped dust storms over the Sistan region in 2005.");
  EXPECT_EQ(pub.statements[4].text, "A participant agreed with a participant's proposal on shared satellite data.");
  EXPECT_EQ(pub.statements[5].attribution.label, "A UN official");
  EXPECT_EQ(pub.statements[5].text, "A UN official will ask UNEP about hosting the data portal.");

  for (Audience a : kAudiences)
    for (SummaryFormat f : kFormats) {
      const std::string text = produce(m, a, f);
      expect_absent(text, {"Hashemi", "هاشمی", "Rostami", "رستمی", "Grant", "Mike", "Parisa", "Michael",
                           "Department of Environment", "Environmental Protection Agency", "Sharif", "visa letter"},
                    std::string(to_string(a)) + " " + format_name(f));
      if (a == Audience::public_) expect_absent(text, {"Vienna", "Helen", "Brooks", "Iranian engineer"}, format_name(f));
    }
}

// ICU's confusable data failing to load (simulated: uspoof_open reporting a failure) throws
// nothing: every summary is blocked with a message saying why, in every format, until it loads.
TEST_F(SummaryTest, ConfusableDataThatFailsToLoadBlocksEverySummaryAndThrowsNothing) {
  const auto m = import(meeting_doc({facilitator(), subject("anonymous", "anonymous"), third()},
                                    {note("n", "We heard from Katherine H\u043ell\u043eway on sanctions.")}));
  ASSERT_FALSE(produce(m, Audience::public_, SummaryFormat::markdown).empty());
  simulate_confusable_data_failure_for_tests(true);
  for (auto format : {SummaryFormat::markdown, SummaryFormat::pdf}) {
    Error e = fail(ErrorCode::internal, "");
    EXPECT_NO_THROW(e = blocked(m, Audience::public_, format));
    EXPECT_EQ(e.code, ErrorCode::blocked) << e.message;
    EXPECT_NE(e.message.find("ICU's confusable data"), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("Katherine"), std::string::npos) << e.message;
  }
  simulate_confusable_data_failure_for_tests(false);
  const std::string text = produce(m, Audience::public_, SummaryFormat::markdown);
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.find("H\u043ell\u043eway"), std::string::npos) << text;
}

}  // namespace
}  // namespace bc::core
