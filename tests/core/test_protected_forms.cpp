// The protected and allowed forms of a meeting for one audience (docs/anonymization.md,
// "Protected forms").
#include "backchannel/core/protected_forms.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <map>
#include <set>

#include "backchannel/core/text_normalizer.h"

namespace bc::core {
namespace {

using ::testing::Contains;
using ::testing::Not;
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

// The forms of participant `i` by kind.
std::multimap<FormKind, std::string> forms_of(const FormSet& s, int i) {
  std::multimap<FormKind, std::string> out;
  for (const auto& f : s.protected_forms)
    if (f.participant == i) out.emplace(f.kind, f.normalized);
  return out;
}

std::set<std::string> texts_of(const FormSet& s, int i) {
  std::set<std::string> out;
  for (const auto& f : s.protected_forms)
    if (f.participant == i) out.insert(f.normalized);
  return out;
}

std::set<std::string> allowed(const FormSet& s) {
  std::set<std::string> out;
  for (const auto& a : s.allowed) out.insert(a.normalized);
  return out;
}

bool has(const std::multimap<FormKind, std::string>& m, FormKind k, const std::string& v) {
  auto [b, e] = m.equal_range(k);
  return std::any_of(b, e, [&](const auto& kv) { return kv.second == v; });
}

TEST(ProtectedForms, FullNameFamilyNameAliasesAffiliation) {
  const auto s = build_forms({person("Katherine Holloway", {"Kate Holloway", "کاترین هالووی"}, "Ridgeway Policy Institute")},
                             {L::role}, {}, std::nullopt);
  const auto f = forms_of(s, 0);
  EXPECT_TRUE(has(f, FormKind::full_name, "katherine holloway"));
  EXPECT_TRUE(has(f, FormKind::family_name, "holloway"));
  EXPECT_TRUE(has(f, FormKind::alias, "kate holloway"));
  EXPECT_TRUE(has(f, FormKind::alias, "کاترین هالووی"));
  EXPECT_TRUE(has(f, FormKind::family_name, "هالووی")) << "the last word of a Persian-script alias";
  EXPECT_TRUE(has(f, FormKind::affiliation, "ridgeway policy institute"));
  EXPECT_THAT(texts_of(s, 0), Not(Contains("katherine"))) << "a first name alone is not a protected form";
  EXPECT_THAT(texts_of(s, 0), Not(Contains("kate"))) << "nor is the first word of an alias";
}

TEST(ProtectedForms, FormsAreNormalized) {
  const auto s = build_forms({person("Renée FÄSSLER", {"Ｆässler-Müller"}, "Swiss  Federal\u00a0Department")}, {L::anonymous},
                             {}, std::nullopt);
  const auto t = texts_of(s, 0);
  EXPECT_THAT(t, Contains("renee fassler"));
  EXPECT_THAT(t, Contains("fassler"));
  EXPECT_THAT(t, Contains("fassler muller"));
  EXPECT_THAT(t, Contains("swiss federal department"));
  for (const auto& x : t) EXPECT_EQ(normalize(x), x) << x;
}

TEST(ProtectedForms, HandlesBuiltFromTheName) {
  const auto s = build_forms({person("Katherine Holloway")}, {L::anonymous}, {}, std::nullopt);
  std::set<std::string> handles;
  for (const auto& f : s.protected_forms)
    if (f.kind == FormKind::handle) handles.insert(f.normalized);
  EXPECT_EQ(handles, (std::set<std::string>{"kholloway", "katherineholloway", "katherine.holloway", "katherine_holloway",
                                            "k.holloway", "k_holloway", "hollowaykatherine", "holloway.katherine",
                                            "hollowayk"}));
}

TEST(ProtectedForms, VariantsOfTheFamilyNameAndOfALatinAliasLastWord) {
  const auto s = build_forms({person("Mahmoud Rezaei", {"Dr. Hosseini"})}, {L::pseudonym}, {}, std::nullopt);
  const auto t = texts_of(s, 0);
  for (const char* v : {"rezai", "rezaee", "rezaie", "husseini", "hoseini"}) EXPECT_THAT(t, Contains(v));
  EXPECT_THAT(t, Not(Contains("mahmud"))) << "given-name variants only extend matches";
  const std::set<std::string> words(s.name_words[0].begin(), s.name_words[0].end());
  EXPECT_THAT(words, Contains("mahmud"));
  EXPECT_THAT(words, Contains("mahmoud"));
  const std::set<std::string> given(s.given_names[0].begin(), s.given_names[0].end());
  EXPECT_THAT(given, Contains("mahmood"));
}

TEST(ProtectedForms, NoVariantIsACommonEnglishWord) {
  const auto s = build_forms({person("Saeed Najafi"), person("Daniel Boot"), person("Reem Webb")},
                             {L::anonymous, L::anonymous, L::anonymous}, {}, std::nullopt);
  std::set<std::string> all;
  for (const auto& f : s.protected_forms) all.insert(f.normalized);
  for (const auto& w : s.name_words)
    for (const auto& x : w) all.insert(x);
  for (const auto& w : s.given_names)
    for (const auto& x : w) all.insert(x);
  for (const char* w : {"said", "but", "bout", "web", "rim"}) EXPECT_THAT(all, Not(Contains(w)));
}

TEST(ProtectedForms, PersianScriptNameAndAliasGivenNames) {
  const auto s = build_forms({person("Ali Rostami", {"علی رستمی"})}, {L::anonymous}, {}, std::nullopt);
  const std::set<std::string> given(s.given_names[0].begin(), s.given_names[0].end());
  EXPECT_THAT(given, Contains("ali"));
  EXPECT_THAT(given, Contains("علی")) << "Persian writes the family name first: \"رستمی علی\"";
  const std::set<std::string> words(s.name_words[0].begin(), s.name_words[0].end());
  EXPECT_THAT(words, Contains("علی"));
}

TEST(ProtectedForms, ZwnjInAPersianAliasIsAlsoProtectedAsASpace) {
  const auto s = build_forms({person("Maryam Salehinia", {"مریم صالحی" + kZwnj + "نیا"})}, {L::anonymous}, {}, std::nullopt);
  const auto t = texts_of(s, 0);
  EXPECT_THAT(t, Contains("صالحینیا"));
  EXPECT_THAT(t, Contains("صالحی نیا"));
  EXPECT_THAT(t, Contains("مریم صالحی نیا"));
  EXPECT_THAT(t, Not(Contains("صالحی"))) << "only the whole compound is the family name";
  EXPECT_THAT(t, Not(Contains("نیا")));
}

TEST(ProtectedForms, ZwnjInAPersianScriptNameIsAlsoProtectedAsASpace) {
  const auto s = build_forms({person("مریم صالحی" + kZwnj + "نیا")}, {L::anonymous}, {}, std::nullopt);
  const auto t = texts_of(s, 0);
  EXPECT_THAT(t, Contains("مریم صالحینیا"));
  EXPECT_THAT(t, Contains("صالحینیا"));
  EXPECT_THAT(t, Contains("مریم صالحی نیا"));
  EXPECT_THAT(t, Contains("صالحی نیا"));
}

TEST(ProtectedForms, PublicTermAffiliationIsNotProtectedButAllowed) {
  const auto s = build_forms({person("Helen Brooks", {}, "IAEA"), person("Omar Hamdan", {}, "iaea ")},
                             {L::pseudonym, L::role}, {"IAEA", "Iran"}, std::nullopt);
  for (int i : {0, 1}) EXPECT_THAT(texts_of(s, i), Not(Contains("iaea")));
  EXPECT_THAT(allowed(s), Contains("iaea"));
  EXPECT_THAT(allowed(s), Contains("iran"));
}

TEST(ProtectedForms, NamedParticipantsGiveAllowedFormsOnly) {
  const auto s = build_forms({person("Samuel Whitaker", {"Sam"}, "Columbia University")}, {L::named}, {}, std::nullopt);
  EXPECT_TRUE(s.protected_forms.empty());
  EXPECT_EQ(allowed(s), (std::set<std::string>{"samuel whitaker", "sam", "columbia university"}));
}

TEST(ProtectedForms, EveryLevelBelowNamedIsProtected) {
  for (L level : {L::role, L::pseudonym, L::anonymous, L::hidden}) {
    const auto s = build_forms({person("Reza Ahmadi")}, {level}, {}, std::nullopt);
    EXPECT_THAT(texts_of(s, 0), Contains("ahmadi")) << to_string(level);
  }
}

TEST(ProtectedForms, NamedParticipantSharingAProtectedFormIsListedWithIt) {
  // "Grant" may name the named Elizabeth Grant as well as the protected Michael Grant: the
  // matcher must know both, so that the replacement says only "a participant".
  const auto s = build_forms({person("Michael Grant"), person("Elizabeth Grant")}, {L::role, L::named}, {}, std::nullopt);
  std::set<int> grant_owners;
  for (const auto& f : s.protected_forms)
    if (f.normalized == "grant") grant_owners.insert(f.participant);
  EXPECT_EQ(grant_owners, (std::set<int>{0, 1}));
  EXPECT_THAT(texts_of(s, 1), Not(Contains("elizabeth grant"))) << "the named full name is not protected";
  EXPECT_THAT(allowed(s), Contains("elizabeth grant"));
}

TEST(ProtectedForms, NamedParticipantWithADifferentFamilyNameIsNotListed) {
  const auto s = build_forms({person("Michael Grant"), person("Elizabeth Hunt")}, {L::role, L::named}, {}, std::nullopt);
  EXPECT_TRUE(texts_of(s, 1).empty());
}

TEST(ProtectedForms, HiddenLocation) {
  const auto s = build_forms({}, {}, {}, std::string("Stockholm"));
  ASSERT_EQ(s.protected_forms.size(), 1u);
  EXPECT_EQ(s.protected_forms[0].normalized, "stockholm");
  EXPECT_EQ(s.protected_forms[0].participant, -1);
  EXPECT_EQ(s.protected_forms[0].kind, FormKind::location);
}

TEST(ProtectedForms, SingleWordNamesAndOneLetterForms) {
  const auto s = build_forms({person("Madonna", {"M"})}, {L::anonymous}, {}, std::nullopt);
  const auto t = texts_of(s, 0);
  EXPECT_THAT(t, Contains("madonna"));
  EXPECT_THAT(t, Not(Contains("m"))) << "one-character forms would redact every initial";
  for (const auto& f : s.protected_forms) EXPECT_NE(f.kind, FormKind::handle);
}

TEST(ProtectedForms, NoDuplicateFormsPerParticipant) {
  const auto s = build_forms({person("Reza Ahmadi", {"Reza Ahmadi", "Ahmadi", "رضا احمدی"})}, {L::anonymous}, {}, std::nullopt);
  std::multiset<std::string> all;
  for (const auto& f : s.protected_forms) all.insert(f.normalized);
  for (const auto& x : all) EXPECT_EQ(all.count(x), 1u) << x;
}

TEST(ProtectedForms, TitlesAndSuffixesAreNormalized) {
  const std::set<std::string> titles(name_titles().begin(), name_titles().end());
  for (const char* t : {"ambassador", "dr.", "dr", "mr.", "ms.", "prof.", "sheikh"}) EXPECT_THAT(titles, Contains(t));
  for (const char* t : {"آقای", "خانم", "سفیر", "دکتر", "حجت‌الاسلام"}) EXPECT_THAT(titles, Contains(normalize(t))) << t;
  for (const auto& t : name_titles()) EXPECT_EQ(normalize(t), t);
  const auto& sfx = persian_suffixes();
  for (const char* x : {"ها", "های", "ی", "ای", "ام", "ات", "اش", "مان", "تان", "شان"}) EXPECT_THAT(sfx, Contains(x));
  // Longest first, so that "هایشان" is tried before "ها".
  for (std::size_t i = 0; i < sfx.size(); ++i)
    for (std::size_t j = i + 1; j < sfx.size(); ++j)
      if (sfx[j].compare(0, sfx[i].size(), sfx[i]) == 0) {
        EXPECT_LE(sfx[j].size(), sfx[i].size()) << sfx[i] << " before " << sfx[j];
      }
}

}  // namespace
}  // namespace bc::core

namespace bc::core {
namespace {

TEST(ProtectedFormsNameOrder, FamilyNameSkipsGenerationalSuffixesAndFollowsACommaForm) {
  const auto jr = build_forms({person("Mahmoud Rezaei Jr.")}, {L::anonymous}, {}, std::nullopt);
  EXPECT_THAT(texts_of(jr, 0), Contains("rezaei"));
  EXPECT_THAT(texts_of(jr, 0), Not(Contains("jr.")));
  const auto comma = build_forms({person("Holloway, Katherine")}, {L::anonymous}, {}, std::nullopt);
  EXPECT_THAT(texts_of(comma, 0), Contains("holloway"));
  EXPECT_THAT(texts_of(comma, 0), Not(Contains("katherine")));
  EXPECT_THAT(texts_of(comma, 0), Contains("kholloway"));
}

}  // namespace
}  // namespace bc::core
