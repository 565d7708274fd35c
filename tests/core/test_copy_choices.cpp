// Choice vectors (copy_choices.h): derivation from the paper key and label, how far copies are
// apart, list orders, the register's serialized form.
#include "backchannel/core/copy_choices.h"

#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "backchannel/crypto/sodium_init.h"
#include "paper_generator.h"

namespace bc::core {
namespace {

class CopyChoices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::initialize().ok()); }

  static VariantPaper paper(std::uint64_t seed = 7, std::size_t words = 1500) {
    const auto sections = test::generate_english_sections(seed, words);
    std::vector<PaperTextSource> sources;
    for (std::size_t k = 0; k < sections.size(); ++k)
      sources.push_back({"section " + std::to_string(k + 1), TextLanguage::english, sections[k]});
    auto p = VariantPaper::parse(sources);
    EXPECT_TRUE(p.ok());
    return std::move(p).value();
  }
  static crypto::SecureBuffer key(std::uint8_t fill) {
    crypto::SecureBuffer k(32);
    for (std::size_t i = 0; i < 32; ++i) k.data()[i] = static_cast<std::uint8_t>(fill + i);
    return k;
  }
};

TEST_F(CopyChoices, DerivationIsDeterministicAndKeyed) {
  const VariantPaper p = paper();
  const auto k1 = key(1), k2 = key(2);
  const ChoiceVector a = derive_copy_choices(p, k1, "Copy for the Foreign Ministry");
  EXPECT_EQ(a, derive_copy_choices(p, k1, "Copy for the Foreign Ministry"));
  EXPECT_TRUE(check_choices(p, a).ok());
  EXPECT_EQ(a.structure_id(), p.structure_id());
  EXPECT_NE(a, derive_copy_choices(p, k2, "Copy for the Foreign Ministry")) << "another key";
  EXPECT_NE(a, derive_copy_choices(p, k1, "Copy for the Foreign Ministr")) << "another label";
  // Labels are length-prefixed: no two labels share a derivation by concatenation tricks.
  EXPECT_NE(derive_copy_choices(p, k1, std::string("a\0b", 3)), derive_copy_choices(p, k1, "a"));
}

TEST_F(CopyChoices, EveryValueIsUsedAndNearlyUniform) {
  const VariantPaper p = paper(11, 3000);
  const auto k = key(9);
  // Over 200 copies, each alternative of each point is chosen often. Each candidate draws
  // uniformly; keeping the candidate farthest from the text as written leans away from
  // alternative 0 in the passages with the fewest points, so the bound per point is loose and
  // the lean over all points is measured on its own.
  std::vector<std::vector<int>> counts(p.points().size());
  for (std::size_t i = 0; i < p.points().size(); ++i)
    counts[i].assign(std::min<std::uint64_t>(p.points()[i].choice_count, 720), 0);
  for (int c = 0; c < 200; ++c) {
    const ChoiceVector v = derive_copy_choices(p, k, "copy " + std::to_string(c));
    for (std::size_t i = 0; i < v.values().size(); ++i)
      if (p.points()[i].choice_count <= 3) ++counts[i][v.values()[i]];
  }
  int written = 0, binary_draws = 0;
  for (std::size_t i = 0; i < p.points().size(); ++i) {
    const auto m = p.points()[i].choice_count;
    if (m > 3) continue;
    for (const int n : counts[i]) {
      // 200/m expected; no alternative falls below a third of that or above twice it.
      EXPECT_GT(n, 200 / static_cast<int>(m) / 3) << "point " << i;
      EXPECT_LT(n, 2 * 200 / static_cast<int>(m)) << "point " << i;
    }
    if (m == 2) {
      written += counts[i][0];
      binary_draws += 200;
    }
  }
  ASSERT_GT(binary_draws, 0);
  const double share = static_cast<double>(written) / binary_draws;
  EXPECT_GT(share, 0.40) << "alternative 0 of two-way points";
  EXPECT_LT(share, 0.50) << "alternative 0 of two-way points";
}

TEST_F(CopyChoices, AnyTwoCopiesDifferInAboutHalfOfThePoints) {
  const VariantPaper p = paper(3, 3000);
  const auto k = key(5);
  std::vector<ChoiceVector> copies;
  for (int c = 0; c < 30; ++c) copies.push_back(derive_copy_choices(p, k, "copy " + std::to_string(c), copies));
  const double n = static_cast<double>(p.points().size());
  ASSERT_GT(n, 80);
  double sum = 0;
  std::size_t pairs = 0;
  for (std::size_t a = 0; a < copies.size(); ++a) {
    for (std::size_t b = a + 1; b < copies.size(); ++b) {
      const double d = static_cast<double>(choice_distance(copies[a], copies[b])) / n;
      EXPECT_GT(d, 0.35) << a << " and " << b;
      EXPECT_LT(d, 0.85) << a << " and " << b;
      sum += d;
      ++pairs;
    }
  }
  // Binary points differ half the time, three-way points two thirds, lists almost always.
  EXPECT_GT(sum / static_cast<double>(pairs), 0.5);
  EXPECT_LT(sum / static_cast<double>(pairs), 0.7);
}

TEST_F(CopyChoices, CopiesAreKeptApartInEveryRunOfPoints) {
  const VariantPaper p = paper(5, 1500);
  const auto k = key(3);
  const std::size_t n = p.points().size();
  ASSERT_GT(n, kChoiceWindow * 2);
  // The smallest distance between two vectors in any run of kChoiceWindow points.
  auto window_min = [&](const ChoiceVector& a, const ChoiceVector& b) {
    std::size_t best = kChoiceWindow;
    for (std::size_t s = 0; s + kChoiceWindow <= n; ++s) {
      std::size_t d = 0;
      for (std::size_t i = s; i < s + kChoiceWindow; ++i) d += a.values()[i] != b.values()[i];
      best = std::min(best, d);
    }
    return best;
  };
  auto worst_pair = [&](const std::vector<ChoiceVector>& copies) {
    std::size_t worst = kChoiceWindow;
    for (std::size_t a = 0; a < copies.size(); ++a)
      for (std::size_t b = a + 1; b < copies.size(); ++b) worst = std::min(worst, window_min(copies[a], copies[b]));
    return worst;
  };
  std::vector<ChoiceVector> kept, independent;
  for (int c = 0; c < 20; ++c) {
    const std::string label = "copy " + std::to_string(c);
    kept.push_back(derive_copy_choices(p, k, label, kept));
    independent.push_back(derive_copy_choices(p, k, label));
  }
  kept.push_back(choices_as_written(p));
  independent.push_back(choices_as_written(p));
  // Drawing each copy against the register keeps every pair at least two points apart in every
  // run of points; drawing copies alone does not manage that for this paper.
  EXPECT_GE(worst_pair(kept), 2u);
  EXPECT_LT(worst_pair(independent), worst_pair(kept));
}

TEST_F(CopyChoices, ListOrderAndRankAreInverse) {
  for (std::size_t n : {1u, 2u, 3u, 5u, 8u}) {
    std::set<std::vector<std::uint32_t>> seen;
    const std::uint64_t total = factorial(n);
    for (std::uint64_t r = 0; r < std::min<std::uint64_t>(total, 5000); ++r) {
      const auto order = list_order(r, n);
      std::vector<std::uint32_t> sorted = order;
      std::sort(sorted.begin(), sorted.end());
      std::vector<std::uint32_t> iota(n);
      std::iota(iota.begin(), iota.end(), 0u);
      ASSERT_EQ(sorted, iota) << "a permutation";
      ASSERT_EQ(list_order_rank(order), r);
      seen.insert(order);
    }
    EXPECT_EQ(seen.size(), std::min<std::uint64_t>(total, 5000));
  }
  EXPECT_EQ(list_order(0, 4), (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(list_order(23, 4), (std::vector<std::uint32_t>{3, 2, 1, 0}));
  EXPECT_EQ(factorial(20), 2432902008176640000ULL);
  EXPECT_EQ(factorial(21), UINT64_MAX);
  const std::vector<std::uint32_t> last = {19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  EXPECT_EQ(list_order_rank(last), factorial(20) - 1);
}

TEST_F(CopyChoices, SerializedFormRoundTripsAndIsStrict) {
  const ChoiceVector v("0123456789abcdef", {0, 1, 35, 36, 2432902008176639999ULL, UINT64_MAX});
  const std::string s = v.serialize();
  EXPECT_EQ(s, "cv1:0123456789abcdef:0.1.z.10.ihfbs933zzzz.3w5e11264sgsf");
  auto back = ChoiceVector::parse(s);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v);
  EXPECT_EQ(ChoiceVector::parse("cv1:0123456789abcdef:")->values().size(), 0u);
  for (const char* bad : {"", "cv1:", "cv2:0123456789abcdef:0", "cv1:0123456789ABCDEF:0", "cv1:0123456789abcde:0",
                          "cv1:0123456789abcdef:0..1", "cv1:0123456789abcdef:.1", "cv1:0123456789abcdef:1.",
                          "cv1:0123456789abcdef:01", "cv1:0123456789abcdef:A", "cv1:0123456789abcdef:3w5e11264sgsg",
                          "cv1:0123456789abcdef:0 1", "cv1:0123456789abcdef:-1"}) {
    auto r = ChoiceVector::parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::bad_input);
    }
  }
  EXPECT_EQ(v.fingerprint().size(), 16u);
  EXPECT_NE(v.fingerprint(), ChoiceVector("0123456789abcdef", {0, 1, 35, 36, 2, 1}).fingerprint());
}

TEST_F(CopyChoices, CheckRejectsForeignOrOutOfRangeChoices) {
  const VariantPaper p = paper();
  ChoiceVector ok = choices_as_written(p);
  EXPECT_TRUE(check_choices(p, ok).ok());
  std::vector<std::uint64_t> values = ok.values();
  values[0] = p.points()[0].choice_count;
  EXPECT_EQ(check_choices(p, ChoiceVector(p.structure_id(), values)).error().code, ErrorCode::bad_input);
  values.pop_back();
  EXPECT_FALSE(check_choices(p, ChoiceVector(p.structure_id(), values)).ok());
  EXPECT_FALSE(check_choices(p, ChoiceVector("ffffffffffffffff", ok.values())).ok());
  EXPECT_EQ(choice_distance(ok, ok), 0u);
}

TEST_F(CopyChoices, PaperKeyIsFreshSecureRandomness) {
  const crypto::SecureBuffer a = new_paper_key(), b = new_paper_key();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_FALSE(crypto::equal_ct(a.span(), b.span()));
}

// Known-answer vectors of docs/paper.md ("Test vectors"), computed independently by
// tests/data/copy-choice-vectors/reference.py from the definition alone.
TEST_F(CopyChoices, KnownAnswerVectors) {
  const std::string en =
      "The channel {{shall remain | will remain}} open. They met three times before 14 June 2005 and "
      "discussed energy, trade and security.\n\n+ a hotline\n+ visas for scholars\n+ joint work on earthquakes\n";
  const std::string fa = "گام {{نخست | اول}} برداشته شد.";
  const std::vector<PaperTextSource> sources = {{"section 1 (English)", TextLanguage::english, en},
                                                {"section 1 (Persian)", TextLanguage::persian, fa}};
  auto p = VariantPaper::parse(sources);
  ASSERT_TRUE(p.ok());
  std::string points;
  for (const auto& pt : p->points()) points += describe_variant_point(pt) + "\n";
  EXPECT_EQ(points,
            "line 1, column 13, alternate: \"shall remain\" | \"will remain\"\n"
            "line 1, column 113, serial-comma: \"trade\" | \"trade,\"\n"
            "line 3, column 3, unordered-list: 3 items in any order\n"
            "line 1, column 5, alternate: \"نخست\" | \"اول\"\n");
  EXPECT_EQ(p->structure_id(), "5c5fdcd6bfed6ed3");
  crypto::SecureBuffer k(32);
  for (std::size_t i = 0; i < 32; ++i) k.data()[i] = static_cast<std::uint8_t>(i);
  const ChoiceVector first = derive_copy_choices(*p, k, "Copy 1");
  const ChoiceVector earlier[] = {first};
  const ChoiceVector second = derive_copy_choices(*p, k, "Copy 2", earlier);
  EXPECT_EQ(first.serialize(), "cv1:5c5fdcd6bfed6ed3:1.1.4.1");
  EXPECT_EQ(second.serialize(), "cv1:5c5fdcd6bfed6ed3:1.1.1.0");
  EXPECT_EQ(first.fingerprint(), "2372ca9c34213f03");
}

}  // namespace
}  // namespace bc::core
