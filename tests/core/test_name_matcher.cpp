// The matcher (docs/anonymization.md, "Finding them"): word boundaries, leftmost-longest,
// allowed forms that shield protected ones, widening over titles, initials and given names,
// e-mail addresses, Persian suffixes, and offsets that map back to exactly the original bytes.
#include "backchannel/core/name_matcher.h"

#include <gmock/gmock.h>

#include "backchannel/core/protected_forms.h"

namespace bc::core {
namespace {

using L = DisclosureLevel;
const std::string kZwnj = "\u200c";

Participant person(const std::string& name, std::vector<std::string> aliases = {},
                   std::optional<std::string> affiliation = std::nullopt) {
  Participant p;
  p.name = name;
  p.aliases = std::move(aliases);
  p.affiliation = std::move(affiliation);
  return p;
}

// The cast of the tests below. Index: 0 Holloway, 1 Rezaei, 2 Ahmadi, 3 Parisa Hashemi,
// 4 Javad Hashemi, 5 Michael Grant, 6 Elizabeth Grant (named), 7 Al-Hassan, 8 Salehinia.
struct Cast {
  std::vector<Participant> people = {
      person("Katherine Holloway", {"Kate Holloway", "کاترین هالووی"}, "Ridgeway Policy Institute"),
      person("Mahmoud Rezaei", {"محمود رضایی"}),
      person("Reza Ahmadi", {"رضا احمدی"}),
      person("Parisa Hashemi", {"پریسا هاشمی"}),
      person("Javad Hashemi", {"جواد هاشمی"}),
      person("Michael Grant"),
      person("Elizabeth Grant", {}, "Stockholm International Peace Research Institute"),
      person("Omar Al-Hassan"),
      person("Maryam Salehinia", {"مریم صالحی" + kZwnj + "نیا"}),
  };
  std::vector<L> levels = {L::role, L::pseudonym, L::anonymous, L::pseudonym, L::role, L::role, L::named, L::role, L::anonymous};
  FormSet forms = build_forms(people, levels, {"Iran", "IAEA", "Hashemi Rafsanjani"}, std::string("Stockholm"));
  NameMatcher matcher{forms};
};

const Cast& cast() {
  static const Cast c;
  return c;
}

// The original bytes of each match.
std::vector<std::string> spans(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& m : cast().matcher.find(text)) out.push_back(text.substr(m.begin, m.end - m.begin));
  return out;
}

using V = std::vector<std::string>;

TEST(NameMatcher, FindsAFamilyNameAtWordBoundaries) {
  EXPECT_EQ(spans("Holloway said so."), V{"Holloway"});
  EXPECT_EQ(spans("so said Holloway"), V{"Holloway"});
  EXPECT_EQ(spans("(Holloway)"), V{"Holloway"});
  EXPECT_EQ(spans("Hollowayville and Hollowell and hollow"), V{});
  EXPECT_EQ(spans("xHolloway Holloway2 Holloway_x"), V{"Holloway"}) << "underscore ends a word, a digit does not";
}

TEST(NameMatcher, AhmadiIsNotInsideAhmadinejad) {
  EXPECT_EQ(spans("Ahmadinejad and AHMADINEJAD"), V{});
  EXPECT_EQ(spans("Ahmadi met Ahmadinejad"), V{"Ahmadi"});
  EXPECT_EQ(spans("Ahmadian wrote"), V{});
  EXPECT_EQ(spans("احمدی" + kZwnj + "نژاد آمد"), V{});
  EXPECT_EQ(spans("احمدینژاد آمد"), V{});
  EXPECT_EQ(spans("احمدیان آمد"), V{}) << "ان is not one of the suffixes";
  EXPECT_EQ(spans("احمدی با احمدی" + kZwnj + "نژاد"), V{"احمدی"});
}

TEST(NameMatcher, PersianSuffixesWithAndWithoutZwnj) {
  EXPECT_EQ(spans("رضایی" + kZwnj + "ها آمدند"), V{"رضایی"});
  const std::string text = "رضاییها آمدند";
  const auto m = cast().matcher.find(text);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(text.substr(m[0].begin, m[0].end - m[0].begin), "رضایی") << "the suffix stays, only the name goes";
  EXPECT_EQ(spans("هاشمی" + kZwnj + "هایشان"), V{"هاشمی"});
  EXPECT_EQ(spans("حرف رستمی‌اش"), V{}) << "Rostami is not in this cast";
  EXPECT_EQ(spans("نظر هالووی" + kZwnj + "ای"), V{"هالووی"});
  EXPECT_EQ(spans("هالوویان"), V{});
}

TEST(NameMatcher, LeftmostLongest) {
  // The full name wins over the family name inside it, the alias over its last word.
  EXPECT_EQ(spans("Katherine Holloway spoke"), V{"Katherine Holloway"});
  EXPECT_EQ(spans("Kate Holloway spoke"), V{"Kate Holloway"});
  EXPECT_EQ(spans("محمود رضایی گفت"), V{"محمود رضایی"});
  const auto m = cast().matcher.find("Katherine Holloway spoke");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].participants, std::vector<int>{0});
}

TEST(NameMatcher, AllowedFormsShieldWhatTheyCover) {
  EXPECT_EQ(spans("Elizabeth Grant chaired"), V{}) << "a named participant's name";
  EXPECT_EQ(spans("Hashemi Rafsanjani's letter"), V{}) << "a public term";
  EXPECT_EQ(spans("the Stockholm International Peace Research Institute"), V{}) << "a named affiliation";
  EXPECT_EQ(spans("we met in Stockholm"), V{"Stockholm"});
  EXPECT_EQ(spans("Hashemi quoted Hashemi Rafsanjani"), V{"Hashemi"});
  EXPECT_EQ(spans("Michael Grant answered Elizabeth Grant"), V{"Michael Grant"});
}

TEST(NameMatcher, WhereBothReadingsAreTheSameWordsTheProtectedOneWins) {
  // "Grant" alone is the family name of protected Michael and named Elizabeth: replaced, and
  // the match lists both, so that the replacement can say no more than "a participant".
  const auto m = cast().matcher.find("Grant said");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].participants, (std::vector<int>{5, 6}));
  EXPECT_EQ(m[0].kind, MatchKind::person);
}

TEST(NameMatcher, SharedFamilyNameListsEveryoneItMayName) {
  const auto m = cast().matcher.find("Hashemi and هاشمی");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].participants, (std::vector<int>{3, 4}));
  EXPECT_EQ(m[1].participants, (std::vector<int>{3, 4}));
  const auto full = cast().matcher.find("Parisa Hashemi");
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(full[0].participants, std::vector<int>{3});
}

TEST(NameMatcher, WidensOverTitles) {
  EXPECT_EQ(spans("then Ambassador Holloway said"), V{"Ambassador Holloway"});
  EXPECT_EQ(spans("then Dr. Rezaei said"), V{"Dr. Rezaei"});
  EXPECT_EQ(spans("then Dr Rezaei said"), V{"Dr Rezaei"});
  EXPECT_EQ(spans("آقای دکتر رضایی گفت"), V{"آقای دکتر رضایی"});
  EXPECT_EQ(spans("سرکار خانم هاشمی گفت"), V{"سرکار خانم هاشمی"});
  EXPECT_EQ(spans("The chair (Ambassador Holloway) ruled"), V{"Ambassador Holloway"}) << "the bracket stays";
  EXPECT_EQ(spans("\"Dr. Rezaei,\" she said"), V{"Dr. Rezaei"});
  // At most four words.
  EXPECT_EQ(spans("Sir Dr. Prof. Ambassador Mr. Holloway"), V{"Dr. Prof. Ambassador Mr. Holloway"});
}

TEST(NameMatcher, TitlesDoNotWidenAffiliationsOrLocations) {
  EXPECT_EQ(spans("Dr. Ridgeway Policy Institute"), V{"Ridgeway Policy Institute"});
  EXPECT_EQ(spans("Mr. Stockholm"), V{"Stockholm"});
}

TEST(NameMatcher, WidensOverInitialsAndNameWords) {
  EXPECT_EQ(spans("signed K. Holloway today"), V{"K. Holloway"});
  EXPECT_EQ(spans("signed K Holloway today"), V{"K Holloway"});
  EXPECT_EQ(spans("signed K. M. Holloway today"), V{"K. M. Holloway"});
  EXPECT_EQ(spans("Mahmud Rezai and Mahmood Rezaee"), (V{"Mahmud Rezai", "Mahmood Rezaee"}));
  EXPECT_EQ(spans("Omar Al Hassan came"), V{"Omar Al Hassan"});
}

TEST(NameMatcher, PersianAndIsNotAnInitial) {
  // "و" is a one-letter word ("and"); it must not be swallowed as if it were an initial.
  EXPECT_EQ(spans("رضایی و احمدی موافقت کردند"), (V{"رضایی", "احمدی"}));
}

TEST(NameMatcher, WidensOverTheGivenNameAfterIt) {
  EXPECT_EQ(spans("Rezaei Mahmoud is on the badge"), V{"Rezaei Mahmoud"});
  EXPECT_EQ(spans("HOLLOWAY KATHERINE."), V{"HOLLOWAY KATHERINE"}) << "the full stop stays";
  EXPECT_EQ(spans("رضایی محمود گفت"), V{"رضایی محمود"});
  EXPECT_EQ(spans("رضایی محمود، گفت"), V{"رضایی محمود"});
  EXPECT_EQ(spans("Rezaei said"), V{"Rezaei"}) << "\"said\" is not a spelling of Mahmoud";
}

TEST(NameMatcher, HyphenAndSpaceAreTheSame) {
  EXPECT_EQ(spans("Al-Hassan came"), V{"Al-Hassan"});
  EXPECT_EQ(spans("Al Hassan came"), V{"Al Hassan"});
  EXPECT_EQ(spans("Al\u2011Hassan came"), V{"Al\u2011Hassan"});
  EXPECT_EQ(spans("Omar-Al-Hassan came"), V{"Omar-Al-Hassan"});
}

TEST(NameMatcher, EmailAddressesAndHandlesGoWhole) {
  EXPECT_EQ(spans("write to k.holloway@example.org."), V{"k.holloway@example.org"});
  EXPECT_EQ(spans("(kholloway@example.org)"), V{"kholloway@example.org"});
  EXPECT_EQ(spans("<katherine_holloway@example.org>"), V{"katherine_holloway@example.org"});
  EXPECT_EQ(spans("via info@holloway-consulting.example please"), V{"info@holloway-consulting.example"});
  EXPECT_EQ(spans("mail k.holloway@ridgeway-policy.example now"), V{"k.holloway@ridgeway-policy.example"});
  EXPECT_EQ(spans("follow @holloway and @kholloway"), (V{"@holloway", "@kholloway"}));
  EXPECT_EQ(spans("the account hollowayk"), V{"hollowayk"});
  EXPECT_EQ(spans("a well-known author@example.org wrote"), V{}) << "no protected form inside";
  // Only what an address is made of goes: not the word before a colon or slash.
  EXPECT_EQ(spans("via e-mail:k.holloway@example.org today"), V{"k.holloway@example.org"});
  EXPECT_EQ(spans("the JCPOA./kholloway@example.org⸺then"), V{"kholloway@example.org"});
}

TEST(NameMatcher, NormalizationVariantsMapBackToTheOriginalBytes) {
  const std::string nfd = "Renee Fa\u0308ssler";  // not in the cast: checks only that nothing is found
  EXPECT_EQ(spans(nfd), V{});
  const std::string cases[] = {
      "\uff28\uff4f\uff4c\uff4c\uff4f\uff57\uff41\uff59",  // full-width
      "HOLLOWAY",
      "Hollo\u00adway",                                    // soft hyphen
      "رضايي",                                            // Arabic yeh
      "رضـــایی",                                          // tatweel
      "رضا" + kZwnj + "یی",                               // ZWNJ inside
      "\ufead\ufebf\ufe8e\ufbfe\ufbfd",                    // presentation forms
      "Rezai\u0301",                                       // a mark on the last letter stays inside
  };
  for (const auto& name : cases) {
    const std::string text = "[" + name + "]";
    const auto m = cast().matcher.find(text);
    ASSERT_EQ(m.size(), 1u) << name;
    EXPECT_EQ(m[0].begin, 1u) << name;
    EXPECT_EQ(m[0].end, text.size() - 1) << name;
  }
}

TEST(NameMatcher, OffsetsAreCodePointBoundariesAndInOrder) {
  const std::string text = "آقای رضایی، Ambassador Holloway و هاشمی" + kZwnj + "ها؛ k.holloway@example.org 👍 Stockholm’s";
  const auto m = cast().matcher.find(text);
  ASSERT_EQ(m.size(), 5u);
  std::uint32_t last = 0;
  for (const auto& x : m) {
    EXPECT_LE(last, x.begin);
    EXPECT_LT(x.begin, x.end);
    EXPECT_LE(x.end, text.size());
    EXPECT_NE(static_cast<unsigned char>(text[x.begin]) & 0xC0, 0x80u) << "begin inside a code point";
    if (x.end < text.size()) {
      EXPECT_NE(static_cast<unsigned char>(text[x.end]) & 0xC0, 0x80u) << "end inside a code point";
    }
    last = x.end;
  }
  EXPECT_EQ(text.substr(m[0].begin, m[0].end - m[0].begin), "آقای رضایی");
  EXPECT_EQ(text.substr(m[1].begin, m[1].end - m[1].begin), "Ambassador Holloway");
  EXPECT_EQ(text.substr(m[2].begin, m[2].end - m[2].begin), "هاشمی");
  EXPECT_EQ(text.substr(m[3].begin, m[3].end - m[3].begin), "k.holloway@example.org");
  EXPECT_EQ(text.substr(m[4].begin, m[4].end - m[4].begin), "Stockholm");
  EXPECT_EQ(m[4].kind, MatchKind::location);
  EXPECT_EQ(m[4].participants, std::vector<int>{-1});
}

TEST(NameMatcher, SymbolsAndEmojiEndAWord) {
  EXPECT_EQ(spans("Holloway👍 agreed"), V{"Holloway"});
  EXPECT_EQ(spans("Holloway🇺🇸 agreed"), V{"Holloway"});
  EXPECT_EQ(spans("Rezaei⸺then"), V{"Rezaei"});
  EXPECT_EQ(spans("«رضایی»"), V{"رضایی"});
  EXPECT_EQ(spans("رضایی؟"), V{"رضایی"});
}

TEST(NameMatcher, SameParticipantSeparatedByOneSpaceMerges) {
  EXPECT_EQ(spans("Holloway Holloway"), V{"Holloway Holloway"});
  EXPECT_EQ(spans("Holloway Rezaei"), (V{"Holloway", "Rezaei"})) << "different people stay apart";
  EXPECT_EQ(spans("Holloway, Holloway"), (V{"Holloway", "Holloway"}));
}

TEST(NameMatcher, AffiliationsAndTheirKind) {
  const auto m = cast().matcher.find("The ridgeway-policy institute paper");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, MatchKind::affiliation);
  EXPECT_EQ(m[0].participants, std::vector<int>{0});
}

TEST(NameMatcher, ZwnjTypedAsASpace) {
  EXPECT_EQ(spans("صالحی" + kZwnj + "نیا گفت"), V{"صالحی" + kZwnj + "نیا"});
  EXPECT_EQ(spans("صالحینیا گفت"), V{"صالحینیا"});
  EXPECT_EQ(spans("صالحی نیا گفت"), V{"صالحی نیا"});
  EXPECT_EQ(spans("صالحی گفت"), V{}) << "half of a compound family name is not the name";
}

TEST(NameMatcher, EmptyAndNameFreeText) {
  EXPECT_TRUE(cast().matcher.find("").empty());
  EXPECT_TRUE(cast().matcher.find("   \n\t ").empty());
  EXPECT_TRUE(cast().matcher.find("The delegates said more was needed; but the mood was good.").empty());
  EXPECT_GT(cast().matcher.pattern_count(), 10u);
  EXPECT_GT(cast().matcher.state_count(), cast().matcher.pattern_count());
}

TEST(NameMatcher, NoFormsFindsNothing) {
  const NameMatcher m(build_forms({}, {}, {}, std::nullopt));
  EXPECT_TRUE(m.find("Holloway Rezaei").empty());
}


// Issue 15: a given name standing alone ("Abbas" of the alias "Haj Abbas") is protected, except
// in Latin script just before a capitalized word, which makes it someone else's full name.
std::vector<std::string> spans_of(const NameMatcher& m, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& x : m.find(text)) out.push_back(text.substr(x.begin, x.end - x.begin));
  return out;
}

Participant with_rulings(Participant p, std::vector<ShortFormRule> rulings) {
  p.short_forms = std::move(rulings);
  return p;
}

TEST(NameMatcherShortForms, AGivenNameBeforeACapitalizedWordIsSomeoneElse) {
  const NameMatcher m(build_forms({person("Abbas Rostami", {"Haj Abbas"})}, {L::anonymous}, {}, std::nullopt));
  EXPECT_EQ(spans_of(m, "Abbas Kiarostami made films."), V{});
  EXPECT_EQ(spans_of(m, "Mr. Abbas Kiarostami made films."), V{});
  EXPECT_EQ(spans_of(m, "Abbas\u00a0Kiarostami made films."), V{}) << "any white space";
  EXPECT_EQ(spans_of(m, "Abbas said no."), V{"Abbas"});
  EXPECT_EQ(spans_of(m, "Abbas, Kiarostami and others"), V{"Abbas"}) << "punctuation ends the name";
  EXPECT_EQ(spans_of(m, "then Abbas left."), V{"Abbas"});
  EXPECT_EQ(spans_of(m, "Haj Abbas Kiarostami"), V{"Haj Abbas"}) << "the whole alias is always protected";
  EXPECT_EQ(spans_of(m, "Abbas Rostami spoke"), V{"Abbas Rostami"});
  EXPECT_EQ(spans_of(m, "Rostami Kiarostami"), V{"Rostami"}) << "the family name reaches everywhere";
  EXPECT_EQ(spans_of(m, "Abbas گفت"), V{"Abbas"}) << "a word without case is not capitalized";
  EXPECT_EQ(spans_of(m, "Abbas-Kiarostami"), V{"Abbas"});
}

TEST(NameMatcherShortForms, InAScriptWithoutCaseTheGivenNameIsFoundEverywhere) {
  const NameMatcher m(build_forms({person("عباس رستمی", {"حاج عباس"})}, {L::anonymous}, {}, std::nullopt));
  EXPECT_EQ(spans_of(m, "عباس کیارستمی فیلم ساخت"), V{"عباس"});
}

TEST(NameMatcherShortForms, RulingsSwitchAShortFormOffOrOn) {
  const auto base = person("Abbas Rostami", {"Haj Abbas"});
  const NameMatcher off(build_forms({with_rulings(base, {{ShortFormOf::name, "Abbas", ShortFormUse::not_alone}})},
                                    {L::anonymous}, {}, std::nullopt));
  EXPECT_EQ(spans_of(off, "Abbas said no."), V{});
  EXPECT_EQ(spans_of(off, "Haj Abbas said no."), V{"Haj Abbas"});
  const NameMatcher on(build_forms({with_rulings(base, {{ShortFormOf::name, "Abbas", ShortFormUse::alone}})},
                                   {L::anonymous}, {}, std::nullopt));
  EXPECT_EQ(spans_of(on, "Abbas Kiarostami made films."), V{"Abbas"});
  const NameMatcher family_off(build_forms({with_rulings(person("Michael Grant"), {{ShortFormOf::name, "Grant", ShortFormUse::not_alone}})},
                                           {L::anonymous}, {}, std::nullopt));
  EXPECT_EQ(spans_of(family_off, "a research grant"), V{});
  EXPECT_EQ(spans_of(family_off, "Michael Grant spoke"), V{"Michael Grant"});
}

TEST(NameMatcherShortForms, PartialAffiliations) {
  const NameMatcher m(build_forms({person("Ali Rostami", {}, std::string("Stimson Center"))}, {L::anonymous}, {"Iran"}, std::nullopt));
  EXPECT_EQ(spans_of(m, "a paper (Stimson) on Iran"), V{"Stimson"});
  EXPECT_EQ(spans_of(m, "at the Stimson Center"), V{"Stimson Center"});
  const NameMatcher pub(build_forms({person("Ali Rostami", {}, std::string("Stimson Center"))}, {L::anonymous}, {"Stimson"}, std::nullopt));
  EXPECT_EQ(spans_of(pub, "a paper (Stimson) on Iran"), V{});
}

// ---- Names a reader still sees (issue 15, items 12, 13, 14, 18) --------------------------------

TEST(NameMatcher, CharacterReferencesAreReadAsAViewerShowsThem) {
  EXPECT_EQ(spans("Ka&shy;therine Hol&shy;loway agreed"), V{"Ka&shy;therine Hol&shy;loway"});
  EXPECT_EQ(spans("Hol&#x6C;oway and Hol&#108;oway"), (V{"Hol&#x6C;oway", "Hol&#108;oway"}));
  EXPECT_EQ(spans("&Hfr;olloway"), V{"&Hfr;olloway"}) << "a Fraktur H is an H";
  EXPECT_EQ(spans("Al&ndash;Hassan and Al&nbsp;Hassan"), (V{"Al&ndash;Hassan", "Al&nbsp;Hassan"}));
  EXPECT_EQ(spans("Holloway&amp;Rezaei"), (V{"Holloway", "Rezaei"}));
  // Not references: no semicolon, an unknown name, a letter after the digits.
  EXPECT_EQ(spans("Hol&shyloway Hol&bogus;loway Hol&#108x;oway"), V{});
}

TEST(NameMatcher, LookAlikeLettersFromOtherScripts) {
  EXPECT_EQ(spans("Katherine Hоllоway said"), V{"Katherine Hоllоway"}) << "Cyrillic o";
  EXPECT_EQ(spans("НОЛЛОВАУ"), V{}) << "Cyrillic letters that spell no name";
  EXPECT_EQ(spans("Нolloway"), V{"Нolloway"}) << "Cyrillic capital En";
  EXPECT_EQ(spans("Hοllοway"), V{"Hοllοway"}) << "Greek omicron";
  EXPECT_EQ(spans("H0LL0WAY and Ho11oway"), (V{"H0LL0WAY", "Ho11oway"})) << "digits read as letters";
  EXPECT_EQ(spans("Rеzаеi"), V{"Rеzаеi"}) << "Cyrillic e and a";
  // Persian letters keep their own folding: the skeleton's dotless letters would merge names.
  EXPECT_EQ(spans("رضایی"), V{"رضایی"});
  EXPECT_EQ(spans("رصایی"), V{}) << "ص is not ض";
}

TEST(NameMatcher, LatinLettersWithoutADecompositionBothWays) {
  const std::vector<Participant> people = {person("Zeynep Yıldız"), person("Lars Jorgensen"),
                                           person("Paweł Wróbel"), person("Nikola Đurić"),
                                           person("Þórir Guðmundsson"), person("Anna Strasse"),
                                           person("Jean Lætitia"), person("Marc Cœurdevey")};
  const std::vector<L> levels(people.size(), L::anonymous);
  const FormSet forms = build_forms(people, levels, {}, std::nullopt);
  const NameMatcher m(forms);
  auto found = [&](const std::string& text) {
    const auto hits = m.find(text);
    return hits.size() == 1 && hits[0].begin == 0 && hits[0].end == text.size();
  };
  for (const char* t : {"Yildiz", "YILDIZ", "Jørgensen", "Jorgensen", "Wrobel", "Pawel Wrobel", "Duric", "DURIC",
                        "zyildiz", "zeynep.yildiz", "ljorgensen", "pwrobel",  // handles of names with such letters
                        "Thorir Gudmundsson", "Gudmundsson", "Straße", "Laetitia", "Coeurdevey", "CŒURDEVEY"})
    EXPECT_TRUE(found(t)) << t;
}

TEST(NameMatcher, APossessiveGivenNameAfterTheFamilyNameGoesWithIt) {
  EXPECT_EQ(spans("Holloway Katherine's view"), V{"Holloway Katherine"});
  EXPECT_EQ(spans("H\u043Ell\u043Eway K\u0430therine\u02BCs view"), V{"H\u043Ell\u043Eway K\u0430therine"});
}

TEST(NameMatcher, APersianSuffixMayFollowALatinName) {
  EXPECT_EQ(spans("Hollowayها"), V{"Holloway"});
  EXPECT_EQ(spans("Holloway" + kZwnj + "ها"), V{"Holloway"});
  EXPECT_EQ(spans("Hollowayland"), V{}) << "a Latin word goes on";
}

TEST(NameMatcher, EveryDashAndSpaceIsTheSpecsHyphenAndSpace) {
  const std::vector<Participant> people = {person("Omar Al-Hassan"), person("Yosef Ben-David", {"יוסף בן-דוד"})};
  const std::vector<L> levels(people.size(), L::anonymous);
  const NameMatcher m(build_forms(people, levels, {}, std::nullopt));
  for (char32_t sep : {U'-', U' ', U'‐', U'‑', U'‒', U'–', U'—', U'―', U'−', U'־',
                       U'֊', U'᐀', U'᠆', U'⸗', U'⸚', U'⸺', U'⸻', U'⹀', U'〜',
                       U'〰', U'゠', U'︱', U'︲', U'﹘', U'﹣', U'－', U' ', U' ',
                       U' ', U' ', U' ', U' ', U' ', U'　', U' ', U'⠀'}) {
    std::string dash;
    append_utf8(dash, sep);
    for (const std::string& name : {"Al" + dash + "Hassan", "Ben" + dash + "David", "יוסף" + dash + "בן" + dash + "דוד"}) {
      const std::string text = "(" + name + ")";
      const auto hits = m.find(text);
      ASSERT_EQ(hits.size(), 1u) << name;
      EXPECT_EQ(text.substr(hits[0].begin, hits[0].end - hits[0].begin), name);
    }
  }
  // Hebrew points are marks: they do not matter.
  const std::string pointed = "\u05D9\u05D5\u05B9\u05E1\u05B5\u05E3 \u05D1\u05B6\u05BC\u05DF\u05BE\u05D3\u05BC\u05B8\u05D5\u05B4\u05D3";
  ASSERT_EQ(m.find(pointed).size(), 1u);
  EXPECT_EQ(m.find(pointed)[0].end, pointed.size());
}

}  // namespace
}  // namespace bc::core
