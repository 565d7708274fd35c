// Pseudonym letters (docs/anonymization.md, "Pseudonyms"): A..Z then AA.., a keyed permutation
// that says nothing about attendance or speaking order, stable for a meeting and audience, and
// series-wide letters with --stable-pseudonyms.
#include "backchannel/core/pseudonyms.h"

#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/summary.h"
#include "backchannel/crypto/hmac.h"
#include "vault_fixture.h"
#include "vault_store_access.h"

namespace bc::core {
namespace {

using json = nlohmann::json;

TEST(PseudonymLetters, BijectiveBase26) {
  EXPECT_EQ(pseudonym_letters(0), "A");
  EXPECT_EQ(pseudonym_letters(1), "B");
  EXPECT_EQ(pseudonym_letters(25), "Z");
  EXPECT_EQ(pseudonym_letters(26), "AA");
  EXPECT_EQ(pseudonym_letters(27), "AB");
  EXPECT_EQ(pseudonym_letters(51), "AZ");
  EXPECT_EQ(pseudonym_letters(52), "BA");
  EXPECT_EQ(pseudonym_letters(701), "ZZ");
  EXPECT_EQ(pseudonym_letters(702), "AAA");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < 2000; ++i) EXPECT_TRUE(seen.insert(pseudonym_letters(i)).second) << i;
}

// A meeting of `names` (all pseudonymous for the participants, anonymous for the public), each
// with one note "<name> speaks.", in a series called `series`.
std::string meeting_doc(const std::string& series, const std::string& title, const std::vector<std::string>& names) {
  json doc = {{"format", "backchannel.meeting/1"},
              {"series", {{"title", series}}},
              {"meeting", {{"title", title}, {"starts_at", "2006-03-01T09:00:00Z"}}},
              {"participants", json::array()},
              {"notes", json::array()}};
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string key = "p" + std::to_string(i);
    doc["participants"].push_back(
        {{"key", key}, {"name", names[i]}, {"disclosure", {{"participants", "pseudonym"}, {"public", "pseudonym"}}}});
    doc["notes"].push_back({{"speaker", key}, {"text", "Statement number " + std::to_string(i) + "."}});
  }
  return doc.dump();
}

class PseudonymTest : public test::VaultTest {
 protected:
  std::int64_t import(const std::string& series, const std::string& title, const std::vector<std::string>& names) {
    auto r = import_meeting(vault, meeting_doc(series, title, names));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->meeting_id : 0;
  }
  // Letter per participant name, from the statements of a built summary.
  std::map<std::string, std::string> letters_by_name(std::int64_t meeting_id, SummaryOptions opt) {
    auto s = build_summary(vault, meeting_id, opt);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    auto ps = list_participants(vault, meeting_id);
    std::map<std::string, std::string> out;
    if (!s.ok() || !ps.ok()) return out;
    for (const auto& st : s->statements) {
      const std::size_t i = static_cast<std::size_t>(std::stoi(st.text.substr(std::string("Statement number ").size())));
      const std::string& label = st.attribution.label;
      EXPECT_EQ(label.rfind("Participant ", 0), 0u) << label;
      out[(*ps)[i].name] = label.substr(std::string("Participant ").size());
    }
    return out;
  }
  std::vector<const Participant*> pointers(const std::vector<Participant>& ps) {
    std::vector<const Participant*> out;
    for (const auto& p : ps) out.push_back(&p);
    return out;
  }
};

const std::vector<std::string> kFive = {"Ali Rostami", "Parisa Hashemi", "Mahmoud Rezaei", "Katherine Holloway", "Reza Ahmadi"};

TEST_F(PseudonymTest, LettersAreAKeyedPermutationAsSpecified) {
  const auto id = import("Series", "M", kFive);
  auto m = get_meeting(vault, id);
  auto ps = list_participants(vault, id);
  ASSERT_TRUE(m.ok() && ps.ok());
  for (Audience a : kAudiences) {
    const auto letters = summary_pseudonyms(vault, *m, a, pointers(*ps));
    ASSERT_EQ(letters.size(), kFive.size());
    // Recomputed here from the specification: sorted by
    // HMAC-SHA-256(pseudonym key, "summary\n" || meeting uid || "\n" || audience || "\n" || participant uid).
    std::vector<std::pair<crypto::Sha256Digest, std::int64_t>> order;
    for (const auto& p : *ps)
      order.push_back({crypto::hmac_sha256(bc::core::vault_store(vault).pseudonym_key().span(),
                                           crypto::bytes_of("summary\n" + m->uid + "\n" + std::string(to_string(a)) + "\n" + p.uid)),
                       p.id});
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(letters.at(order[i].second), pseudonym_letters(i));
  }
}

TEST_F(PseudonymTest, KeyedOrderIsNotAttendanceOrder) {
  // Over ten meetings with the same attendance, at least one lettering differs from the
  // attendance order, and the letterings are not all the same (the meeting uid is in the key).
  std::set<std::vector<std::string>> letterings;
  bool some_not_in_attendance_order = false;
  for (int k = 0; k < 10; ++k) {
    const auto id = import("Series", "M" + std::to_string(k), kFive);
    auto m = get_meeting(vault, id);
    auto ps = list_participants(vault, id);
    ASSERT_TRUE(m.ok() && ps.ok());
    const auto letters = summary_pseudonyms(vault, *m, Audience::participants, pointers(*ps));
    std::vector<std::string> in_attendance_order;
    for (const auto& p : *ps) in_attendance_order.push_back(letters.at(p.id));
    std::vector<std::string> sorted = in_attendance_order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<std::string>{"A", "B", "C", "D", "E"}));
    if (in_attendance_order != sorted) some_not_in_attendance_order = true;
    letterings.insert(in_attendance_order);
  }
  EXPECT_TRUE(some_not_in_attendance_order);
  EXPECT_GT(letterings.size(), 1u);
}

TEST_F(PseudonymTest, StableAcrossTwoSummariesAndEveryFormat) {
  const auto id = import("Series", "M", kFive);
  SummaryOptions opt;
  const auto first = letters_by_name(id, opt);
  EXPECT_EQ(first.size(), kFive.size());
  EXPECT_EQ(letters_by_name(id, opt), first);
  for (SummaryFormat f : {SummaryFormat::markdown, SummaryFormat::html, SummaryFormat::json}) {
    auto a = produce_summary(vault, id, opt, f);
    auto b = produce_summary(vault, id, opt, f);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->text, b->text);
  }
  auto s = build_summary(vault, id, opt);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->attendance.pseudonyms,
            (std::vector<std::string>{"Participant A", "Participant B", "Participant C", "Participant D", "Participant E"}));
}

TEST_F(PseudonymTest, TwentySevenPeopleReachAA) {
  std::vector<std::string> names;
  for (int i = 0; i < 27; ++i) names.push_back("Person Number" + std::string(1, static_cast<char>('a' + i % 26)) + std::to_string(i));
  const auto id = import("Series", "Big", names);
  auto s = build_summary(vault, id, SummaryOptions{});
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->attendance.pseudonyms.size(), 27u);
  EXPECT_EQ(s->attendance.pseudonyms.front(), "Participant A");
  EXPECT_EQ(s->attendance.pseudonyms[25], "Participant Z");
  EXPECT_EQ(s->attendance.pseudonyms.back(), "Participant AA");
}

TEST_F(PseudonymTest, SeriesPseudonymsKeepLettersAndLetterNewcomersNext) {
  SummaryOptions opt;
  opt.stable_pseudonyms = true;
  const auto m1 = import("Gulf Security Dialogue", "Round 1", {"Xavier Alpha", "Yasmin Beta", "Zahra Gamma"});
  const auto l1 = letters_by_name(m1, opt);
  ASSERT_EQ(l1.size(), 3u);
  std::set<std::string> first_three;
  for (const auto& [n, l] : l1) first_three.insert(l);
  EXPECT_EQ(first_three, (std::set<std::string>{"A", "B", "C"}));

  // Round 2: two returning people keep their letters; the newcomer gets the next one.
  const auto m2 = import("Gulf Security Dialogue", "Round 2", {"Walid Delta", "Zahra Gamma", "Yasmin Beta"});
  const auto l2 = letters_by_name(m2, opt);
  EXPECT_EQ(l2.at("Yasmin Beta"), l1.at("Yasmin Beta"));
  EXPECT_EQ(l2.at("Zahra Gamma"), l1.at("Zahra Gamma"));
  EXPECT_EQ(l2.at("Walid Delta"), "D");

  // Round 3: everyone known keeps their letter, two newcomers get E and F in some order.
  const auto m3 = import("Gulf Security Dialogue", "Round 3", {"Veda Epsilon", "Walid Delta", "Xavier Alpha", "Umar Zeta"});
  const auto l3 = letters_by_name(m3, opt);
  EXPECT_EQ(l3.at("Walid Delta"), "D");
  EXPECT_EQ(l3.at("Xavier Alpha"), l1.at("Xavier Alpha"));
  EXPECT_EQ((std::set<std::string>{l3.at("Veda Epsilon"), l3.at("Umar Zeta")}), (std::set<std::string>{"E", "F"}));

  // Asking again changes nothing, for any meeting of the series.
  EXPECT_EQ(letters_by_name(m1, opt), l1);
  EXPECT_EQ(letters_by_name(m2, opt), l2);
  EXPECT_EQ(letters_by_name(m3, opt), l3);
  EXPECT_EQ(count("series_pseudonyms"), 6);

  // Another series starts again at A.
  const auto other = import("Water Exchange", "Session 1", {"Walid Delta"});
  EXPECT_EQ(letters_by_name(other, opt).at("Walid Delta"), "A");
}

TEST_F(PseudonymTest, SeriesPseudonymsMatchTheSameNameWrittenDifferently) {
  SummaryOptions opt;
  opt.stable_pseudonyms = true;
  const auto m1 = import("S", "R1", {"Renée Fässler", "Ali Rostami"});
  const auto m2 = import("S", "R2", {"RENEE  FASSLER", "Ali Rostami"});
  const auto l1 = letters_by_name(m1, opt);
  const auto l2 = letters_by_name(m2, opt);
  EXPECT_EQ(l2.at("RENEE  FASSLER"), l1.at("Renée Fässler"));
  EXPECT_EQ(l2.at("Ali Rostami"), l1.at("Ali Rostami"));
}

TEST_F(PseudonymTest, SeriesPseudonymsAreForTheParticipantsAudienceOnly) {
  const auto id = import("S", "R1", kFive);
  SummaryOptions opt;
  opt.stable_pseudonyms = true;
  opt.audience = Audience::public_;
  auto s = build_summary(vault, id, opt);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::usage);
}

TEST_F(PseudonymTest, SeriesPseudonymsDirectly) {
  const auto id = import("S", "R1", {"Xavier Alpha", "Yasmin Beta"});
  auto m = get_meeting(vault, id);
  auto ps = list_participants(vault, id);
  ASSERT_TRUE(m.ok() && ps.ok());
  auto a = series_pseudonyms(vault, *m, pointers(*ps));
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto b = series_pseudonyms(vault, *m, pointers(*ps));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  std::set<std::string> letters;
  for (const auto& [pid, l] : *a) letters.insert(l);
  EXPECT_EQ(letters, (std::set<std::string>{"A", "B"}));
  // The table holds keyed hashes, never a name.
  auto stmt = bc::core::vault_store(vault).db().prepare("SELECT person FROM series_pseudonyms");
  ASSERT_TRUE(stmt.ok());
  while (true) {
    auto row = stmt->step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    const auto blob = stmt->column_blob(0);
    const std::string person(blob.begin(), blob.end());
    EXPECT_EQ(person.find("Xavier"), std::string::npos);
    EXPECT_EQ(person.find("xavier"), std::string::npos);
    EXPECT_EQ(person.find("Yasmin"), std::string::npos);
  }
}

}  // namespace
}  // namespace bc::core
