// Team sync's merge rules (app/core/src/sync_merge.h, docs/sync.md "Merge rules") as pure
// functions: each rule by example, then as properties over random sets of concurrent writes,
// combined in every order.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "sync_merge.h"

namespace bc::core::sync {
namespace {

using json = nlohmann::json;

FieldWrite w(const std::string& change, json value, std::int64_t hlc, const std::string& device = "d", bool active = true) {
  return {change, std::move(value), hlc, device, active};
}

json ruling(const std::string& of, const std::string& form, const std::string& use) {
  return {{"of", of}, {"form", form}, {"use", use}};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The ruling on (of, form) in a merged list (forms compared as normalization does for these
// ASCII ones: by case), or "" when there is none.
std::string use_of(const json& rulings, const std::string& of, const std::string& form) {
  for (const auto& r : rulings)
    if (r["of"] == of && lower(r["form"].get<std::string>()) == lower(form)) return r["use"].get<std::string>();
  return {};
}

FieldRule rule_of(const char* record, const char* field) {
  FieldInfo info;
  EXPECT_TRUE(field_info(record, field, info)) << record << "." << field;
  return info.rule;
}

TEST(SyncMerge, EveryFieldThatProtectsPeopleMergesProtectively) {
  EXPECT_EQ(rule_of("attendance", "disclosure.public"), FieldRule::protective);
  EXPECT_EQ(rule_of("attendance", "disclosure.participants"), FieldRule::protective);
  EXPECT_EQ(rule_of("meeting", "location_public"), FieldRule::protective);
  EXPECT_EQ(rule_of("participant", "aliases"), FieldRule::union_set);
  EXPECT_EQ(rule_of("meeting", "public_terms"), FieldRule::intersection);
  EXPECT_EQ(rule_of("participant", "short_forms"), FieldRule::rulings);
  EXPECT_EQ(rule_of("participant", "descriptor_fa"), FieldRule::withheld);
  EXPECT_EQ(rule_of("participant", "name"), FieldRule::last_writer);
}

TEST(SyncMerge, AnAloneRulingBeatsALaterNotAloneRulingOnTheSameForm) {
  const std::vector<FieldWrite> ws = {w("a", json::array({ruling("name", "Parisa", "alone")}), 10),
                                      w("b", json::array({ruling("name", "parisa", "not-alone")}), 20)};
  const json v = effective_value(FieldRule::rulings, ws);
  ASSERT_EQ(v.size(), 1u) << v.dump();
  EXPECT_EQ(v[0]["use"], "alone") << "the later write by the clock does not win: " << v.dump();
  EXPECT_TRUE(in_conflict(FieldRule::rulings, ws));
}

TEST(SyncMerge, NoRulingBeatsNotAloneAndEachFormIsMergedOnItsOwn) {
  const std::vector<FieldWrite> ws = {
      w("a", json::array({ruling("name", "Parisa", "not-alone"), ruling("affiliation", "IPIS", "alone")}), 30),
      w("b", json::array({ruling("name", "Hashemi", "not-alone")}), 20)};
  const json v = effective_value(FieldRule::rulings, ws);
  EXPECT_EQ(use_of(v, "name", "Parisa"), "") << "b leaves Parisa to the derived rule, which protects more: " << v.dump();
  EXPECT_EQ(use_of(v, "name", "Hashemi"), "") << v.dump();
  EXPECT_EQ(use_of(v, "affiliation", "IPIS"), "alone") << v.dump();
  EXPECT_TRUE(in_conflict(FieldRule::rulings, ws));
  // Both not-alone: that stands, with no conflict.
  const std::vector<FieldWrite> same = {w("a", json::array({ruling("name", "Parisa", "not-alone")}), 1),
                                        w("b", json::array({ruling("name", "Parisa", "not-alone")}), 2)};
  EXPECT_EQ(use_of(effective_value(FieldRule::rulings, same), "name", "Parisa"), "not-alone");
  EXPECT_FALSE(in_conflict(FieldRule::rulings, same));
}

TEST(SyncMerge, TheSameRulingsInAnotherOrderAreNoConflict) {
  const json x = json::array({ruling("name", "Parisa", "alone"), ruling("affiliation", "IPIS", "not-alone")});
  const json y = json::array({ruling("affiliation", "IPIS", "not-alone"), ruling("name", "Parisa", "alone")});
  EXPECT_FALSE(in_conflict(FieldRule::rulings, {w("a", x, 1), w("b", y, 2)}));
}

TEST(SyncMerge, APersianDescriptorIsWithheldWhileTheWritesDisagree) {
  const std::vector<FieldWrite> ws = {w("a", "یک دیپلمات سابق", 10), w("b", "یک مهندس", 20)};
  EXPECT_TRUE(effective_value(FieldRule::withheld, ws).is_null()) << "the generic form stands, not the later write";
  EXPECT_TRUE(in_conflict(FieldRule::withheld, ws));
  const std::vector<FieldWrite> agree = {w("a", "یک مهندس", 10), w("b", "یک مهندس", 20)};
  EXPECT_EQ(effective_value(FieldRule::withheld, agree), "یک مهندس");
  EXPECT_FALSE(in_conflict(FieldRule::withheld, agree));
  EXPECT_EQ(effective_value(FieldRule::withheld, {w("a", "یک مهندس", 10)}), "یک مهندس");
}

TEST(SyncMerge, ResolvingTowardTheLessProtectiveSideIsALowering) {
  // Levels: always.
  EXPECT_TRUE(is_lowering(FieldRule::protective, "hidden", "named", false));
  EXPECT_FALSE(is_lowering(FieldRule::protective, "named", "hidden", false));
  // Rulings and descriptors: while a conflict is open.
  const json alone = json::array({ruling("name", "Parisa", "alone")});
  const json not_alone = json::array({ruling("name", "Parisa", "not-alone")});
  EXPECT_TRUE(is_lowering(FieldRule::rulings, alone, not_alone, true));
  EXPECT_TRUE(is_lowering(FieldRule::rulings, alone, json::array(), true)) << "dropping alone";
  EXPECT_TRUE(is_lowering(FieldRule::rulings, json::array(), not_alone, true)) << "a new not-alone";
  EXPECT_FALSE(is_lowering(FieldRule::rulings, not_alone, alone, true));
  EXPECT_FALSE(is_lowering(FieldRule::rulings, alone, alone, true));
  EXPECT_FALSE(is_lowering(FieldRule::rulings, alone, not_alone, false)) << "a routine edit outside a conflict";
  EXPECT_TRUE(is_lowering(FieldRule::withheld, nullptr, "یک مهندس", true));
  EXPECT_FALSE(is_lowering(FieldRule::withheld, "یک مهندس", nullptr, true));
  EXPECT_FALSE(is_lowering(FieldRule::withheld, nullptr, "یک مهندس", false));
  EXPECT_FALSE(is_lowering(FieldRule::last_writer, "a", "b", true));
}

TEST(SyncMerge, AliasesAreAUnionAndPublicTermsAnIntersection) {
  const std::vector<FieldWrite> ws = {w("a", json::array({"P. H.", "Dr Hashemi"}), 10), w("b", json::array({"Parisa H."}), 20),
                                      w("c", json::array({"Dr Hashemi", "The engineer"}), 5)};
  const json u = effective_value(FieldRule::union_set, ws);
  for (const char* a : {"P. H.", "Dr Hashemi", "Parisa H.", "The engineer"})
    EXPECT_NE(std::find(u.begin(), u.end(), a), u.end()) << a << " escaped the union: " << u.dump();
  EXPECT_EQ(u.size(), 4u) << u.dump();
  EXPECT_FALSE(in_conflict(FieldRule::union_set, ws));
  const std::vector<FieldWrite> terms = {w("a", json::array({"Iran", "Oman", "IAEA"}), 10), w("b", json::array({"Oman", "IAEA"}), 20),
                                         w("c", json::array({"IAEA", "Oman", "Qatar"}), 30)};
  const json i = effective_value(FieldRule::intersection, terms);
  EXPECT_EQ(std::set<json>(i.begin(), i.end()), (std::set<json>{"Oman", "IAEA"})) << i.dump();
  EXPECT_FALSE(in_conflict(FieldRule::intersection, terms));
}

TEST(SyncMerge, ALoweringWaitingForConfirmationDoesNotCount) {
  const std::vector<FieldWrite> ws = {w("a", "hidden", 10), w("b", "named", 20, "d", false)};
  EXPECT_EQ(effective_value(FieldRule::protective, ws), "hidden");
  EXPECT_FALSE(in_conflict(FieldRule::protective, ws));
  const std::vector<FieldWrite> rs = {w("a", json::array({ruling("name", "Parisa", "alone")}), 1),
                                      w("b", json::array(), 2, "d", false)};
  EXPECT_EQ(use_of(effective_value(FieldRule::rulings, rs), "name", "Parisa"), "alone");
}

// ---- properties ----

// Random concurrent writes of one field, as different vaults might hold them.
class RandomWrites {
 public:
  explicit RandomWrites(std::uint32_t seed) : rng_(seed) {}

  std::vector<FieldWrite> of(FieldRule rule) {
    std::vector<FieldWrite> out;
    const int n = pick(1, 5);
    for (int i = 0; i < n; ++i) {
      FieldWrite x;
      x.change = "c" + std::to_string(i) + "-" + std::to_string(pick(0, 1 << 20));
      x.hlc = pick(0, 3);  // ties on the clock are common: the order must not depend on them
      x.device = "d" + std::to_string(pick(0, 2));
      x.active = pick(0, 5) != 0;
      x.value = value(rule);
      out.push_back(std::move(x));
    }
    return out;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  json value(FieldRule rule) {
    static const std::vector<std::string> kLevels = {"named", "role", "pseudonym", "anonymous", "hidden"};
    static const std::vector<std::string> kForms = {"Parisa", "PARISA", "Hashemi", "IPIS", "Tehran"};
    static const std::vector<std::string> kTexts = {"Iran", "Oman", "IAEA", "Qatar", "the engineer"};
    switch (rule) {
      case FieldRule::protective: return kLevels[pick(0, 4)];
      case FieldRule::withheld: return pick(0, 3) == 0 ? json(nullptr) : json(kTexts[pick(0, 2)]);
      case FieldRule::last_writer: return kTexts[pick(0, 4)];
      case FieldRule::union_set:
      case FieldRule::intersection: {
        json a = json::array();
        for (const auto& t : kTexts)
          if (pick(0, 1)) a.push_back(t);
        return a;
      }
      case FieldRule::rulings: {
        json a = json::array();
        std::set<std::pair<std::string, std::string>> ruled;
        for (const auto& f : kForms) {
          const std::string of = f == "IPIS" ? "affiliation" : "name";
          if (!pick(0, 1) || !ruled.insert({of, f == "PARISA" ? "Parisa" : f}).second) continue;  // one ruling per normalized form
          a.push_back(ruling(of, f, pick(0, 1) ? "alone" : "not-alone"));
        }
        return a;
      }
    }
    return nullptr;
  }
  std::mt19937 rng_;
};

std::vector<const FieldWrite*> active(const std::vector<FieldWrite>& ws) {
  std::vector<const FieldWrite*> out;
  for (const auto& x : ws)
    if (x.active) out.push_back(&x);
  return out;
}

int rank(const json& rulings, const std::string& of, const std::string& form) {
  const std::string u = use_of(rulings, of, form);
  return u == "alone" ? 2 : u == "not-alone" ? 0 : 1;
}

constexpr FieldRule kRules[] = {FieldRule::last_writer, FieldRule::protective, FieldRule::union_set,
                                FieldRule::intersection, FieldRule::rulings, FieldRule::withheld};

TEST(SyncMergeProperty, EveryOrderOfTheSameWritesGivesTheSameValueAndConflict) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    RandomWrites gen(seed);
    for (FieldRule rule : kRules) {
      std::vector<FieldWrite> ws = gen.of(rule);
      const json v = effective_value(rule, ws);
      const bool c = in_conflict(rule, ws);
      std::sort(ws.begin(), ws.end(), [](const FieldWrite& a, const FieldWrite& b) { return a.change < b.change; });
      int orders = 0;
      do {
        ASSERT_EQ(effective_value(rule, ws), v) << "seed " << seed << ", rule " << static_cast<int>(rule);
        ASSERT_EQ(in_conflict(rule, ws), c) << "seed " << seed;
      } while (std::next_permutation(ws.begin(), ws.end(), [](const FieldWrite& a, const FieldWrite& b) { return a.change < b.change; }) &&
               ++orders < 120);
    }
  }
}

TEST(SyncMergeProperty, WhileWritesDisagreeTheEffectiveValueIsNeverLessProtectiveThanAnySide) {
  for (std::uint32_t seed = 1; seed <= 2000; ++seed) {
    RandomWrites gen(seed);
    {
      const auto ws = gen.of(FieldRule::protective);
      const json v = effective_value(FieldRule::protective, ws);
      for (const auto* x : active(ws)) {
        ASSERT_GE(protection(v.get<std::string>()), protection(x->value.get<std::string>())) << seed;
      }
      if (active(ws).empty()) {
        ASSERT_TRUE(v.is_null());
      }
    }
    {
      const auto ws = gen.of(FieldRule::rulings);
      const json v = effective_value(FieldRule::rulings, ws);
      for (const auto* x : active(ws))
        for (const char* f : {"Parisa", "Hashemi", "Tehran"}) ASSERT_GE(rank(v, "name", f), rank(x->value, "name", f)) << seed << " " << f;
      for (const auto* x : active(ws)) ASSERT_GE(rank(v, "affiliation", "IPIS"), rank(x->value, "affiliation", "IPIS")) << seed;
      // A ruling that stands is one some side made.
      for (const auto& r : v) {
        bool made = false;
        for (const auto* x : active(ws)) made = made || std::find(x->value.begin(), x->value.end(), r) != x->value.end();
        ASSERT_TRUE(made) << seed << " " << r.dump();
      }
    }
    {
      const auto ws = gen.of(FieldRule::withheld);
      const json v = effective_value(FieldRule::withheld, ws);
      if (in_conflict(FieldRule::withheld, ws)) {
        ASSERT_TRUE(v.is_null()) << seed;
      }
      for (const auto* x : active(ws)) {
        if (!v.is_null()) {
          ASSERT_EQ(v, x->value) << seed << ": a descriptor stands only when every side has it";
        }
      }
    }
    {
      const auto ws = gen.of(FieldRule::union_set);
      const json v = effective_value(FieldRule::union_set, ws);
      for (const auto* x : active(ws))
        for (const auto& a : x->value) ASSERT_NE(std::find(v.begin(), v.end(), a), v.end()) << seed << ": an alias escaped";
    }
    {
      const auto ws = gen.of(FieldRule::intersection);
      const json v = effective_value(FieldRule::intersection, ws);
      for (const auto& t : v)
        for (const auto* x : active(ws))
          ASSERT_NE(std::find(x->value.begin(), x->value.end(), t), x->value.end()) << seed << ": a term became public by a merge";
    }
  }
}

}  // namespace
}  // namespace bc::core::sync
