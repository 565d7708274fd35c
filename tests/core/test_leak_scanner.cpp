// The independent leak scanner (docs/anonymization.md, "The leak scanner"), called directly on
// text regions: it must find every protected form whatever its Unicode form, letter variants or
// invisible characters, respect allowed forms that cover a hit, and report participant keys and
// note ids, never names. (Decoding HTML entities and JSON strings is the caller's job.)
#include "backchannel/core/leak_scanner.h"

#include <gmock/gmock.h>

#include <set>

namespace bc::core {
namespace {

using ::testing::ElementsAre;

const std::string kZwnj = "\u200c";

LeakScanInput input() {
  LeakScanInput in;
  in.protected_participants = {
      {"h", "Katherine Holloway", std::string("Ridgeway Policy Institute"), {"Kate Holloway", "کاترین هالووی"}, {}},
      {"r", "Mahmoud Rezaei", std::nullopt, {"محمود رضایی"}, {"rezai", "rezaee"}},
      {"a", "Reza Ahmadi", std::string("IAEA"), {"رضا احمدی"}, {}},
      {"m", "Michael Grant", std::nullopt, {}, {}},
      {"s", "Maryam Salehinia", std::nullopt, {"مریم صالحی" + kZwnj + "نیا"}, {}},
      {"f", "Renée Fässler", std::nullopt, {}, {}},
  };
  in.allowed_forms = {"Elizabeth Grant", "IAEA", "Iran", "Hashemi Rafsanjani"};
  in.public_terms = {"IAEA", "Iran"};
  in.hidden_location = "Stockholm";
  return in;
}

std::vector<Leak> scan(const std::string& text, std::optional<std::int64_t> note = 7) {
  return scan_for_leaks(input(), {{text, note}});
}

std::vector<std::string> keys(const std::vector<Leak>& leaks) {
  std::vector<std::string> out;
  for (const auto& l : leaks) out.push_back(l.participant_key);
  return out;
}

TEST(LeakScanner, CleanTextHasNoLeak) {
  EXPECT_TRUE(scan("A participant said the mood was good, but more was needed.").empty());
  EXPECT_TRUE(scan("").empty());
  EXPECT_TRUE(scan("یکی از شرکت" + kZwnj + "کنندگان گفت.").empty());
}

TEST(LeakScanner, FindsEachKindOfForm) {
  EXPECT_THAT(keys(scan("Katherine Holloway")), ElementsAre("h"));
  EXPECT_THAT(keys(scan("as Holloway said")), ElementsAre("h")) << "family name";
  EXPECT_THAT(keys(scan("Kate Holloway")), ElementsAre("h")) << "alias";
  EXPECT_THAT(keys(scan("گفته هالووی")), ElementsAre("h")) << "last word of a Persian-script alias";
  EXPECT_THAT(keys(scan("the Ridgeway Policy Institute")), ElementsAre("h")) << "affiliation";
  EXPECT_THAT(keys(scan("mail kholloway")), ElementsAre("h")) << "handle";
  EXPECT_THAT(keys(scan("hollowayk wrote")), ElementsAre("h")) << "handle";
  EXPECT_THAT(keys(scan("k.holloway@example.org")), ElementsAre("h")) << "e-mail address";
  EXPECT_THAT(keys(scan("a Rezaee paper")), ElementsAre("r")) << "extra spelling";
  EXPECT_THAT(keys(scan("we met in Stockholm")), ElementsAre("location"));
}

TEST(LeakScanner, CatchesEveryWritingOfAName) {
  for (const std::string& text : {
           std::string("HOLLOWAY"), std::string("holloway’s"), std::string("Holloway's"),
           std::string("\uff28\uff4f\uff4c\uff4c\uff4f\uff57\uff41\uff59"),  // full-width
           std::string("𝐇𝐨𝐥𝐥𝐨𝐰𝐚𝐲"),                                    // mathematical bold
           std::string("Hollo\u00adway"),                                   // soft hyphen
           std::string("Hollo\u200bway"),                                   // zero-width space
           std::string("\u200eHolloway\u200e"),                             // bidi marks
           std::string("Holloway👍"),
           std::string("Hollowayʼs"),  // modifier-letter apostrophe (U+02BC)
       })
    EXPECT_THAT(keys(scan(text)), ElementsAre("h")) << text;
  for (const std::string& text : {
           std::string("رضايي"), std::string("رضائی"), std::string("رضـــایی"), std::string("رضا") + kZwnj + "یی",
           std::string("رضایی") + kZwnj + "ها", std::string("رضاییهایشان"), std::string("رِضایی"),
           std::string("\ufead\ufebf\ufe8e\ufbfe\ufbfd"),  // presentation forms
       })
    EXPECT_THAT(keys(scan(text)), ElementsAre("r")) << text;
  EXPECT_THAT(keys(scan("Fa\u0308ssler")), ElementsAre("f")) << "NFD";
  EXPECT_THAT(keys(scan("FÄSSLER")), ElementsAre("f"));
  EXPECT_THAT(keys(scan("Fassler")), ElementsAre("f")) << "marks do not matter";
  EXPECT_THAT(keys(scan("Fäßler")), ElementsAre("f")) << "sharp s case-folds to ss";
  EXPECT_THAT(keys(scan("Katherine-Holloway")), ElementsAre("h")) << "hyphen or space";
}

TEST(LeakScanner, ZwnjTypedAsASpaceInAPersianAlias) {
  EXPECT_THAT(keys(scan("صالحی" + kZwnj + "نیا")), ElementsAre("s"));
  EXPECT_THAT(keys(scan("صالحینیا")), ElementsAre("s"));
  EXPECT_THAT(keys(scan("نظر صالحی نیا")), ElementsAre("s"));
  EXPECT_TRUE(scan("نظر صالحی").empty()) << "half a compound name is not a form";
}

TEST(LeakScanner, RespectsWordBoundaries) {
  EXPECT_TRUE(scan("Ahmadinejad and Hollowell met at Grantham").empty());
  EXPECT_TRUE(scan("احمدی" + kZwnj + "نژاد").empty());
  EXPECT_TRUE(scan("احمدیان").empty());
  EXPECT_THAT(keys(scan("Ahmadi met Ahmadinejad")), ElementsAre("a"));
}

TEST(LeakScanner, AllowedFormsShieldOnlyWhenLonger) {
  EXPECT_TRUE(scan("Elizabeth Grant chaired.").empty());
  EXPECT_THAT(keys(scan("Grant chaired.")), ElementsAre("m"));
  EXPECT_THAT(keys(scan("Elizabeth Grant and Grant")), ElementsAre("m"));
  EXPECT_THAT(keys(scan("Michael Grant met Elizabeth Grant")), ElementsAre("m"));
}

TEST(LeakScanner, PublicTermAffiliationIsNotALeak) {
  EXPECT_TRUE(scan("The IAEA inspectors and Iran").empty());
  EXPECT_THAT(keys(scan("Ahmadi of the IAEA")), ElementsAre("a"));
}

TEST(LeakScanner, ReportsKeysAndNoteIdsOncePerParticipantAndRegion) {
  const auto leaks = scan_for_leaks(input(), {{"Holloway, Holloway and Rezaei", 5},
                                              {"Nothing here.", 6},
                                              {"Holloway again", std::nullopt},
                                              {"Stockholm", 9}});
  ASSERT_EQ(leaks.size(), 4u);
  std::set<std::pair<std::string, std::optional<std::int64_t>>> got;
  for (const auto& l : leaks) got.insert({l.participant_key, l.note_id});
  EXPECT_EQ(got, (std::set<std::pair<std::string, std::optional<std::int64_t>>>{
                     {"h", 5}, {"r", 5}, {"h", std::nullopt}, {"location", 9}}));
  for (const auto& l : leaks) {
    EXPECT_EQ(l.participant_key.find("Holloway"), std::string::npos);
    EXPECT_EQ(l.participant_key.find("Rezaei"), std::string::npos);
  }
}

TEST(LeakScanner, InvalidUtf8IsStillScanned) {
  EXPECT_THAT(keys(scan(std::string("\xff Holloway \xfe"))), ElementsAre("h"));
}

TEST(LeakScanner, NoProtectedParticipantsNoLeaks) {
  LeakScanInput in;
  EXPECT_TRUE(scan_for_leaks(in, {{"Holloway Rezaei Stockholm", 1}}).empty());
}

TEST(LeakScanTokens, OwnNormalization) {
  EXPECT_EQ(leak_scan_tokens("Ｈｏｌｌｏｗａｙ’s K.-Holloway"), (std::vector<std::string>{"holloway", "s", "k", "holloway"}));
  EXPECT_EQ(leak_scan_tokens("رضايي" + kZwnj + "ها كاظم ـ"), (std::vector<std::string>{"رضاییها", "کاظم"}));
  EXPECT_EQ(leak_scan_tokens("Fa\u0308ssler FÄSSLER"), (std::vector<std::string>{"fassler", "fassler"}));
  EXPECT_EQ(leak_scan_tokens("۱۲۳ ١٢٣"), (std::vector<std::string>{"123", "123"}));
}

}  // namespace
}  // namespace bc::core

namespace bc::core {
namespace {

TEST(LeakScannerNameOrder, FindsTheFamilyNameOfSuffixedAndCommaNames) {
  LeakScanInput in;
  in.protected_participants.push_back({"jr", "Mahmoud Rezaei Jr.", std::nullopt, {}, {}});
  in.protected_participants.push_back({"comma", "Holloway, Katherine", std::nullopt, {}, {}});
  const std::string text = "Rezaei and Holloway disagreed.";
  const auto leaks = scan_for_leaks(in, {{text, 7}});
  ASSERT_EQ(leaks.size(), 2u);
  EXPECT_EQ(leaks[0].participant_key, "jr");
  EXPECT_EQ(leaks[1].participant_key, "comma");
  EXPECT_TRUE(scan_for_leaks(in, {{std::string("Katherine and Mahmoud agreed."), 7}}).empty())
      << "given names alone are not protected forms";
}

// A long summary (6,000 regions) gives exactly what scanning its regions one at a time, in order,
// gives: the same leaks, in the same order, each (participant, note) once, also when a note spans
// several regions.
TEST(LeakScanner, ALongSummaryGivesWhatItsRegionsGiveOneAtATime) {
  const std::vector<std::string> pieces = {
      "The delegation discussed sanctions relief and a joint fact sheet on verification. ",
      "Holloway asked about the timetable. ", "گفته هالووی درباره جدول زمانی. ", "Elizabeth Grant wrote the history. ",
      "رضاییهایشان ", "a Rezaee paper ", "we met in Stockholm ", "IAEA inspectors ", "مریم صالحی نیا ",
  };
  std::vector<std::string> texts;
  std::vector<ScanRegion> regions;
  std::uint32_t x = 12345;
  for (int i = 0; i < 6000; ++i) {
    std::string t;
    for (int k = 0; k < 3; ++k) {
      x = x * 1103515245u + 12345u;
      // Mostly clean text, a protected form now and then.
      t += (x >> 16) % 23 == 0 ? pieces[1 + (x >> 8) % (pieces.size() - 1)] : pieces[0];
    }
    texts.push_back(std::move(t));
  }
  for (int i = 0; i < 6000; ++i) {
    // Notes of several regions each, and some regions with no note (headings, attendance).
    std::optional<std::int64_t> note;
    if (i % 50 != 0) note = i / 4;
    regions.push_back({texts[static_cast<std::size_t>(i)], note});
  }
  std::vector<Leak> expected;
  std::set<std::pair<std::string, std::optional<std::int64_t>>> seen;
  for (const auto& r : regions)
    for (const auto& l : scan_for_leaks(input(), {r}))
      if (seen.insert({l.participant_key, l.note_id}).second) expected.push_back(l);
  ASSERT_GT(expected.size(), 100u);

  const auto got = scan_for_leaks(input(), regions);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].participant_key, expected[i].participant_key) << i;
    EXPECT_EQ(got[i].note_id, expected[i].note_id) << i;
  }
}

}  // namespace
}  // namespace bc::core
