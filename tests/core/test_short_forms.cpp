// Short forms (docs/anonymization.md, "Short forms"): the words and phrases of a participant's name
// and affiliation that stand for them on their own, where each reaches, and the organizer's
// rulings.
#include "backchannel/core/short_forms.h"

#include <gmock/gmock.h>

namespace bc::core {
namespace {

using R = ShortFormReach;

Participant person(const std::string& name, std::vector<std::string> aliases = {},
                   std::optional<std::string> affiliation = std::nullopt, std::vector<ShortFormRule> rulings = {}) {
  Participant p;
  p.name = name;
  p.aliases = std::move(aliases);
  p.affiliation = std::move(affiliation);
  p.short_forms = std::move(rulings);
  return p;
}

// form -> reach, for one kind.
std::map<std::string, R> reach(const Participant& p, ShortFormOf of, const std::vector<std::string>& public_terms = {}) {
  std::map<std::string, R> out;
  for (const auto& f : short_forms(p, public_terms))
    if (f.of == of) out[f.form] = f.reach;
  return out;
}

using M = std::map<std::string, R>;
using V = std::vector<std::string>;

TEST(ShortForms, TheFamilyNameReachesEverywhereAGivenNameAfterAnHonorificOnlyAsAGivenName) {
  EXPECT_EQ(reach(person("Abbas Rostami", {"Haj Abbas"}), ShortFormOf::name),
            (M{{"Rostami", R::everywhere}, {"Abbas", R::given_name}}));
  EXPECT_EQ(reach(person("John Smith", {"Mr. John", "Sheikh Ahmad"}), ShortFormOf::name),
            (M{{"Smith", R::everywhere}, {"John", R::given_name}, {"Ahmad", R::given_name}}));
  // Title and surname: the surname, everywhere (once).
  EXPECT_EQ(reach(person("Katherine Holloway", {"Ambassador Holloway", "Kate Holloway"}), ShortFormOf::name),
            (M{{"Holloway", R::everywhere}}));
  // A spelling of the family name is the family name.
  EXPECT_EQ(reach(person("Mahmoud Rezaei", {"Dr. Rezai"}), ShortFormOf::name),
            (M{{"Rezaei", R::everywhere}, {"Rezai", R::everywhere}}));
}

TEST(ShortForms, InAScriptWithoutCaseEveryShortFormReachesEverywhere) {
  EXPECT_EQ(reach(person("عباس رستمی", {"حاج عباس"}), ShortFormOf::name),
            (M{{"رستمی", R::everywhere}, {"عباس", R::everywhere}}));
}

TEST(ShortForms, OneWordNamesAndAliasesHaveNoShortForm) {
  EXPECT_TRUE(reach(person("Cher", {"Kate"}), ShortFormOf::name).empty());
}

TEST(ShortForms, RulingsSwitchADerivedFormOffOrOnAndAddOthers) {
  const auto p = person("Abbas Rostami", {"Haj Abbas"}, std::nullopt,
                        {{ShortFormOf::name, "abbas", ShortFormUse::alone},
                         {ShortFormOf::name, "Rostami", ShortFormUse::not_alone},
                         {ShortFormOf::name, "Haji", ShortFormUse::alone},
                         {ShortFormOf::name, "Agha", ShortFormUse::not_alone}});
  EXPECT_EQ(reach(p, ShortFormOf::name), (M{{"Rostami", R::none}, {"Abbas", R::everywhere}, {"Haji", R::everywhere}, {"Agha", R::none}}));
  for (const auto& f : short_forms(p, {})) {
    EXPECT_EQ(f.derived, f.form == "Rostami" || f.form == "Abbas") << f.form;
    EXPECT_TRUE(f.ruling.has_value()) << f.form;
  }
}

TEST(ShortForms, AffiliationGenericWordsAreDroppedAndWhatRemainsIsAShortForm) {
  EXPECT_EQ(derive_affiliation_short_forms("Stimson Center", {}), V{"Stimson"});
  EXPECT_EQ(derive_affiliation_short_forms("Ministry of Foreign Affairs", {}), V{"Foreign Affairs"});
  EXPECT_EQ(derive_affiliation_short_forms("Institute for Political and International Studies", {}),
            V{"Political and International Studies"});
  EXPECT_EQ(derive_affiliation_short_forms("Belfer Center for Science and International Affairs", {}),
            (V{"Belfer", "Science and International Affairs"}));
  EXPECT_EQ(derive_affiliation_short_forms("Sharif University of Technology", {}), V{"Sharif"}) << "Technology is a common word";
  EXPECT_EQ(derive_affiliation_short_forms("Ridgeway Policy Institute", {}), (V{"Ridgeway Policy", "Ridgeway"}));
  EXPECT_EQ(derive_affiliation_short_forms("Council on Foreign Relations", {}), V{"Foreign Relations"});
  EXPECT_EQ(derive_affiliation_short_forms("دانشگاه تهران", {}), V{}) << "one word without case: no proper-noun mark";
  EXPECT_EQ(derive_affiliation_short_forms("وزارت امور خارجه", {}), V{"امور خارجه"});
}

TEST(ShortForms, AnAffiliationOfCommonWordsOnlyGivesNothingNew) {
  EXPECT_EQ(derive_affiliation_short_forms("Harbor Street Review", {}), V{});
  EXPECT_EQ(derive_affiliation_short_forms("Department of Environment", {}), V{});
  EXPECT_EQ(derive_affiliation_short_forms("Environmental Protection Agency", {}), V{});
}

TEST(ShortForms, BracketsAndCommasCutTheAffiliation) {
  EXPECT_EQ(derive_affiliation_short_forms("U.S. Department of State (former)", {}), V{"U.S. Department"});
  EXPECT_EQ(derive_affiliation_short_forms("Carnegie Endowment, Beirut office", {}),
            (V{"Carnegie Endowment", "Carnegie", "Beirut office", "Beirut"}));
}

TEST(ShortForms, PublicTermsDeriveNothingAndAreNeverShortForms) {
  EXPECT_EQ(derive_affiliation_short_forms("University of Tehran", {}), V{"Tehran"});
  EXPECT_EQ(derive_affiliation_short_forms("University of Tehran", {"Tehran"}), V{});
  EXPECT_EQ(derive_affiliation_short_forms("Stimson Center", {"stimson center"}), V{}) << "the whole affiliation is public";
  // Not even a ruling makes a public term a short form.
  const auto p = person("Ali Rostami", {}, std::string("University of Tehran"), {{ShortFormOf::affiliation, "Tehran", ShortFormUse::alone}});
  EXPECT_TRUE(reach(p, ShortFormOf::affiliation, {"Tehran"}).empty());
}

TEST(ShortForms, OrganizersAddAndRemoveAffiliationShortForms) {
  const auto p = person("Ali Rostami", {}, std::string("Belfer Center for Science and International Affairs"),
                        {{ShortFormOf::affiliation, "Science and International Affairs", ShortFormUse::not_alone},
                         {ShortFormOf::affiliation, "the Belfer", ShortFormUse::alone}});
  EXPECT_EQ(reach(p, ShortFormOf::affiliation),
            (M{{"Belfer", R::everywhere}, {"Science and International Affairs", R::none}, {"the Belfer", R::everywhere}}));
}

TEST(ShortForms, ProperNouns) {
  for (const char* w : {"Stimson", "Sharif", "IAEA", "Tehran", "Fässler", "Brookings"}) EXPECT_TRUE(is_proper_noun(w)) << w;
  for (const char* w : {"Strategic", "Harbor", "Technology", "of", "stimson", "UN", "U.S.", "تهران", "Studies"})
    EXPECT_FALSE(is_proper_noun(w)) << w;
}

TEST(ShortForms, GivenAndFamilyName) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(given_and_family_name("katherine holloway"), (P{"katherine", "holloway"}));
  EXPECT_EQ(given_and_family_name("holloway, katherine"), (P{"katherine", "holloway"}));
  EXPECT_EQ(given_and_family_name("mahmoud rezaei jr."), (P{"mahmoud", "rezaei"}));
  EXPECT_EQ(given_and_family_name(""), (P{}));
}

}  // namespace
}  // namespace bc::core
