// The independent leak scanner (docs/anonymization.md, "The leak scanner"), called directly on
// text regions: it must find every protected form whatever its Unicode form, letter variants or
// invisible characters, respect allowed forms that cover a hit, and report participant keys and
// note ids, never names. (Undoing the output format's own escaping, HTML or JSON, is the caller's
// job; character references in the text itself, "Ka&shy;therine", are the scanner's.)
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
      {"h", "Katherine Holloway", std::string("Ridgeway Policy Institute"), {"Kate Holloway", "کاترین هالووی"}, {}, {}, {}},
      {"r", "Mahmoud Rezaei", std::nullopt, {"محمود رضایی"}, {"rezai", "rezaee"}, {}, {}},
      {"a", "Reza Ahmadi", std::string("IAEA"), {"رضا احمدی"}, {}, {}, {}},
      {"m", "Michael Grant", std::nullopt, {}, {}, {}, {}},
      {"s", "Maryam Salehinia", std::nullopt, {"مریم صالحی" + kZwnj + "نیا"}, {}, {}, {}},
      {"f", "Renée Fässler", std::nullopt, {}, {}, {}, {}},
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
  // Persian and Arabic-Indic digits are digits; 0 and 1 read as the letters o and l (UTS 39).
  EXPECT_EQ(leak_scan_tokens("۱۲۳ ١٢٣ ۴۰"), (std::vector<std::string>{"l23", "l23", "4o"}));
}

}  // namespace
}  // namespace bc::core

namespace bc::core {
namespace {

TEST(LeakScannerNameOrder, FindsTheFamilyNameOfSuffixedAndCommaNames) {
  LeakScanInput in;
  in.protected_participants.push_back({"jr", "Mahmoud Rezaei Jr.", std::nullopt, {}, {}, {}, {}});
  in.protected_participants.push_back({"comma", "Holloway, Katherine", std::nullopt, {}, {}, {}, {}});
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


// Issue 15: the scanner follows the matcher's rule for a given name standing alone, on its own.
std::vector<Leak> scan_abbas(const std::string& text, std::vector<ShortFormRule> rulings = {}) {
  LeakScanInput in;
  in.protected_participants = {{"b", "Abbas Rostami", std::nullopt, {"Haj Abbas"}, {}, std::move(rulings), {}}};
  return scan_for_leaks(in, {{text, 3}});
}

TEST(LeakScannerShortForms, AGivenNameBeforeACapitalizedWordIsNotALeak) {
  EXPECT_TRUE(scan_abbas("Abbas Kiarostami made films.").empty());
  EXPECT_TRUE(scan_abbas("Mr. Abbas\u00a0Kiarostami made films.").empty());
  EXPECT_THAT(keys(scan_abbas("Abbas said no.")), ElementsAre("b"));
  EXPECT_THAT(keys(scan_abbas("Abbas, Kiarostami and others")), ElementsAre("b"));
  EXPECT_THAT(keys(scan_abbas("Abbas kiarostami")), ElementsAre("b"));
  EXPECT_THAT(keys(scan_abbas("Abbas گفت")), ElementsAre("b"));
  EXPECT_THAT(keys(scan_abbas("Rostami Kiarostami")), ElementsAre("b")) << "the family name, everywhere";
  // Where folding joins or splits words, the words as written cannot be trusted: a leak.
  EXPECT_THAT(keys(scan_abbas("Abbas Kia\u00adrostami")), ElementsAre("b"));
}

TEST(LeakScannerShortForms, TheOrganizersRulingsApply) {
  EXPECT_TRUE(scan_abbas("Abbas said no.", {{ShortFormOf::name, "abbas", ShortFormUse::not_alone}}).empty());
  EXPECT_THAT(keys(scan_abbas("Abbas Kiarostami", {{ShortFormOf::name, "Abbas", ShortFormUse::alone}})), ElementsAre("b"));
  EXPECT_TRUE(scan_abbas("Rostami said no.", {{ShortFormOf::name, "Rostami", ShortFormUse::not_alone}}).empty());
  EXPECT_THAT(keys(scan_abbas("Haji said no.", {{ShortFormOf::name, "Haji", ShortFormUse::alone}})), ElementsAre("b"));
  EXPECT_THAT(keys(scan_abbas("Haj Abbas said no.", {{ShortFormOf::name, "Abbas", ShortFormUse::not_alone}})), ElementsAre("b"))
      << "an alias is always protected";
}

TEST(LeakScannerShortForms, AffiliationShortFormsAreLookedFor) {
  LeakScanInput in;
  in.protected_participants = {{"b", "Ali Rostami", std::string("Stimson Center"), {}, {}, {}, {"Stimson"}}};
  EXPECT_THAT(keys(scan_for_leaks(in, {{"a paper (Stimson)", 1}})), ElementsAre("b"));
  in.public_terms = {"Stimson"};
  EXPECT_TRUE(scan_for_leaks(in, {{"a paper (Stimson)", 1}}).empty());
}

// ---- Names a reader still sees (issue 15, items 12, 13, 14, 18) --------------------------------

TEST(LeakScanner, CharacterReferencesAreDecoded) {
  EXPECT_EQ(keys(scan("Ka&shy;therine Hol&shy;loway agreed")), std::vector<std::string>{"h"});
  EXPECT_EQ(keys(scan("Hol&#x6C;oway")), std::vector<std::string>{"h"});
  EXPECT_EQ(keys(scan("Hol&#108;oway")), std::vector<std::string>{"h"});
  EXPECT_EQ(keys(scan("&Gfr;rant")), std::vector<std::string>{"m"});
  EXPECT_TRUE(scan("Hol&shyloway Hol&bogus;loway &amp; Hol&#108x;oway").empty());
  EXPECT_THAT(leak_scan_tokens("a&nbsp;b&amp;c &#0; &#x110000;"), ElementsAre("a", "b", "c"));
}

TEST(LeakScanner, LookAlikeLettersAreReadAsTheLettersTheyLookLike) {
  EXPECT_THAT(leak_scan_tokens("H\u043Ell\u043Eway \u041D\u041E\u041C\u0415\u0420 H0LL0WAY \u0271"),
              ElementsAre("holloway", "homep", "holloway", "m"));
  // A whole word in look-alike letters of one script is no mixed word, but it is the name.
  EXPECT_EQ(keys(scan("\u0410\u04BB\u043C\u0430\u0501\u0456")), std::vector<std::string>{"a"}) << "Ahmadi, all Cyrillic";
  // Persian letters keep the scanner's own table: the skeleton's dotless letters would merge them.
  EXPECT_THAT(leak_scan_tokens("رضایی رصایی"), ElementsAre("رضایی", "رصایی"));
}

TEST(LeakScanner, AWordThatMixesScriptsFailsClosed) {
  const auto leaks = scan("Katherine H\u043Ell\u043Eway\u0101 came", 9);
  ASSERT_FALSE(leaks.empty());
  EXPECT_EQ(leaks.back().kind, LeakKind::mixed_script);
  EXPECT_EQ(leaks.back().participant_key, "");
  EXPECT_EQ(leaks.back().note_id, 9);
  EXPECT_EQ(scan("Cath\u0435rine came").size(), 1u) << "not a protected form, but mixed: blocked";
  bool mixed = false;
  for (const auto& l : scan("Hol\u00ADl\u043Eway")) mixed = mixed || l.kind == LeakKind::mixed_script;
  EXPECT_TRUE(mixed) << "a soft hyphen does not split the word";
  mixed = false;
  for (const auto& l : scan("Cath&#x435;rine came")) mixed = mixed || l.kind == LeakKind::mixed_script;
  EXPECT_TRUE(mixed) << "a reference is read as the letter it stands for";
  // One script per word, with Common and Inherited characters, is fine; so is Japanese.
  for (const char* fine : {"Tehran 2024, 5\u00B5g, H\u2082O, \u03A9 10\u03A9", "东京の会議 서울대학교 한국語",
                           "شرکت\u200cکننده C\u200cها گفت", "U.S.-Iran ۱۴۰۳ talks", "e\u0301te\u0301", "\u05D9\u05D5\u05E1\u05E3 2"})
    EXPECT_TRUE(scan(fine).empty()) << fine;
  EXPECT_EQ(scan("Participant Cها").size(), 1u) << "a Persian suffix on a Latin word, without the non-joiner";
}

TEST(LeakScanner, LatinLettersWithoutADecompositionBothWays) {
  LeakScanInput in;
  in.protected_participants = {{"t", "Zeynep Y\u0131ld\u0131z", std::nullopt, {}, {}, {}, {}},
                               {"n", "Lars Jorgensen", std::nullopt, {}, {}, {}, {}},
                               {"p", "Pawe\u0142 Wr\u00F3bel", std::nullopt, {}, {}, {}, {}},
                               {"i", "\u00DE\u00F3rir Gu\u00F0mundsson", std::nullopt, {}, {}, {}, {}},
                               {"c", "Marc C\u0153urdevey", std::nullopt, {}, {}, {}, {}},
                               {"l", "Jean L\u00E6titia", std::nullopt, {}, {}, {}, {}},
                               {"d", "Nikola \u0110uri\u0107", std::nullopt, {}, {}, {}, {}},
                               {"s", "Anna Strasse", std::nullopt, {}, {}, {}, {}},
                               {"h", "Omar \u0126addad", std::nullopt, {}, {}, {}, {}}};
  auto who = [&](const std::string& text) { return keys(scan_for_leaks(in, {{text, 1}})); };
  EXPECT_EQ(who("Yildiz"), std::vector<std::string>{"t"});
  EXPECT_EQ(who("J\u00F8rgensen"), std::vector<std::string>{"n"});
  EXPECT_EQ(who("WROBEL"), std::vector<std::string>{"p"});
  EXPECT_EQ(who("Thorir Gudmundsson"), std::vector<std::string>{"i"});
  EXPECT_EQ(who("Coeurdevey"), std::vector<std::string>{"c"});
  EXPECT_EQ(who("Laetitia"), std::vector<std::string>{"l"});
  EXPECT_EQ(who("Duric"), std::vector<std::string>{"d"});
  EXPECT_EQ(who("Stra\u00DFe"), std::vector<std::string>{"s"});
  EXPECT_EQ(who("Haddad"), std::vector<std::string>{"h"});
}

TEST(LeakScanner, EveryDashAndSpaceSeparatesWordsAndHebrewPointsAreMarks) {
  LeakScanInput in;
  in.protected_participants = {{"y", "Yosef Ben-David", std::nullopt, {"\u05D9\u05D5\u05E1\u05E3 \u05D1\u05DF-\u05D3\u05D5\u05D3"}, {}, {}, {}}};
  for (const char* sep : {"-", " ", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\u05BE", "\u058A",
                          "\u2E3A", "\u301C", "\uFE63", "\uFF0D", "\u00A0", "\u202F", "\u2007", "\u2009", "\u3000", "\u2800"}) {
    EXPECT_EQ(scan_for_leaks(in, {{std::string("Ben") + sep + "David", 1}}).size(), 1u) << sep;
    EXPECT_EQ(scan_for_leaks(in, {{std::string("\u05D9\u05D5\u05E1\u05E3 \u05D1\u05DF") + sep + "\u05D3\u05D5\u05D3", 1}}).size(), 1u) << sep;
  }
  EXPECT_EQ(scan_for_leaks(in, {{"\u05D9\u05D5\u05B9\u05E1\u05B5\u05E3 \u05D1\u05B6\u05BC\u05DF\u05BE\u05D3\u05BC\u05B8\u05D5\u05B4\u05D3", 1}}).size(), 1u);
}

}  // namespace
}  // namespace bc::core
