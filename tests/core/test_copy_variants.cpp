// Copy variants (copy_variants.h): the markup, the points found, the preview, rendering, and the
// broken-markup fixtures in tests/data/broken-markup/.
#include "backchannel/core/copy_variants.h"

#include <gtest/gtest.h>

#include "backchannel/core/copy_choices.h"
#include "test_support.h"

namespace bc::core {
namespace {

VariantText parse_ok(std::string_view text, TextLanguage lang = TextLanguage::english) {
  auto r = VariantText::parse(text, lang);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : VariantText{};
}

std::vector<VariantKind> kinds(const VariantText& t) {
  std::vector<VariantKind> k;
  for (const auto& p : t.points()) k.push_back(p.kind);
  return k;
}

TEST(CopyVariants, MarkedAlternatesAreTrimmedAndRenderedByChoice) {
  const VariantText t = parse_ok("The channel {{shall remain | will remain|is to remain }} open.");
  ASSERT_EQ(t.points().size(), 1u);
  const VariantPoint& p = t.points()[0];
  EXPECT_EQ(p.kind, VariantKind::alternate);
  EXPECT_EQ(p.alternatives, (std::vector<std::string>{"shall remain", "will remain", "is to remain"}));
  EXPECT_EQ(p.choice_count, 3u);
  EXPECT_EQ(p.begin, 12u);
  EXPECT_EQ(p.end, 56u);
  EXPECT_EQ(p.line, 1u);
  EXPECT_EQ(p.column, 13u);
  const std::uint64_t two[] = {2};
  EXPECT_EQ(t.render(two), "The channel is to remain open.");
  EXPECT_EQ(t.render_as_written(), "The channel shall remain open.");
}

TEST(CopyVariants, EscapesWriteLiteralMarkup) {
  const VariantText t = parse_ok("Write \\{{a | b}} for an alternate; {{x \\| y | z\\}\\}}} is one.\n\\+ not a list\n");
  ASSERT_EQ(t.points().size(), 1u);
  EXPECT_EQ(t.points()[0].alternatives, (std::vector<std::string>{"x | y", "z}}"}));
  EXPECT_EQ(t.render_as_written(), "Write {{a | b}} for an alternate; x | y is one.\n+ not a list\n");
  // A backslash before anything else is an ordinary character; a lone "}}" or "|" is text.
  const VariantText plain = parse_ok("C:\\path | a}} b {");
  EXPECT_TRUE(plain.points().empty());
  EXPECT_EQ(plain.render_as_written(), "C:\\path | a}} b {");
}

TEST(CopyVariants, EmptyChoiceIsAllowedWhenTheOtherIsNot) {
  const VariantText t = parse_ok("A {{very |}} important step.");
  ASSERT_EQ(t.points().size(), 1u);
  const std::uint64_t one[] = {1};
  EXPECT_EQ(t.render(one), "A  important step.");
}

TEST(CopyVariants, PlusListsAreUnorderedAndRenderWithDashBullets) {
  const std::string text =
      "The group proposed:\n\n"
      "+ a hotline between the navies\n"
      "  + visas for {{scholars | researchers}}\n"
      "+ joint work on earthquakes\n"
      "\n- this list keeps its order\n- second\n1. numbered\n";
  const VariantText t = parse_ok(text);
  ASSERT_EQ(kinds(t), (std::vector<VariantKind>{VariantKind::unordered_list, VariantKind::alternate}));
  const VariantPoint& list = t.points()[0];
  EXPECT_EQ(list.choice_count, 6u);
  EXPECT_EQ(list.alternatives, (std::vector<std::string>{"a hotline between the navies", "visas for scholars",
                                                         "joint work on earthquakes"}));
  EXPECT_EQ(list.line, 3u);
  EXPECT_EQ(list.column, 3u);
  EXPECT_EQ(t.render_as_written(),
            "The group proposed:\n\n- a hotline between the navies\n  - visas for scholars\n- joint work on earthquakes\n"
            "\n- this list keeps its order\n- second\n1. numbered\n");
  // Order rank 5 of three items is 2, 1, 0; the second position keeps its indentation.
  const std::uint64_t reversed[] = {5, 1};
  EXPECT_EQ(t.render(reversed),
            "The group proposed:\n\n- joint work on earthquakes\n  - visas for researchers\n- a hotline between the navies\n"
            "\n- this list keeps its order\n- second\n1. numbered\n");
}

TEST(CopyVariants, AOneItemPlusListIsNoPoint) {
  const VariantText t = parse_ok("Only:\n+ one item\n");
  EXPECT_TRUE(t.points().empty());
  EXPECT_EQ(t.render_as_written(), "Only:\n- one item\n");
}

TEST(CopyVariants, LastListLineWithoutNewlineStaysAtTheEnd) {
  const VariantText t = parse_ok("+ first item here\n+ second item here");
  ASSERT_EQ(t.points().size(), 1u);
  const std::uint64_t swapped[] = {1};
  EXPECT_EQ(t.render(swapped), "- second item here\n- first item here");
}

TEST(CopyVariants, EnglishProseGetsNaturalPoints) {
  const VariantText t = parse_ok(
      "The talks brought three former ministers to the table in 2005. At the meeting on 14 June 2005, "
      "the group discussed energy, trade and security. Its organisation relied on co-operation.");
  std::vector<std::pair<VariantKind, std::vector<std::string>>> got;
  for (const auto& p : t.points()) got.emplace_back(p.kind, p.alternatives);
  const std::vector<std::pair<VariantKind, std::vector<std::string>>> want = {
      {VariantKind::number, {"three", "3"}},
      {VariantKind::date, {"14 June 2005", "June 14, 2005", "14th June 2005"}},
      {VariantKind::serial_comma, {"trade", "trade,"}},
      {VariantKind::spelling, {"organisation", "organization"}},
      {VariantKind::spelling, {"co-operation", "cooperation"}},
  };
  EXPECT_EQ(got, want);
  const std::uint64_t others[] = {1, 1, 1, 1, 1};
  EXPECT_EQ(t.render(others),
            "The talks brought 3 former ministers to the table in 2005. At the meeting on June 14, 2005, "
            "the group discussed energy, trade, and security. Its organization relied on cooperation.");
}

TEST(CopyVariants, PersianGetsOnlyMarkedPointsAndLists) {
  const VariantText t = parse_ok(
      "در ۱۴ ژوئن ۲۰۰۵ سه وزیر پیشین {{گفتند | اظهار داشتند}} که همکاری ادامه دارد.\n\n+ روادید\n+ زلزله\n",
      TextLanguage::persian);
  EXPECT_EQ(kinds(t), (std::vector<VariantKind>{VariantKind::alternate, VariantKind::unordered_list}));
  // The same English words in a Persian text are left alone too.
  EXPECT_TRUE(parse_ok("three ministers on 14 June 2005", TextLanguage::persian).points().empty());
}

TEST(CopyVariants, NoNaturalPointInsideAnAlternateOrQuotation) {
  const VariantText t = parse_ok("{{three delegations | 3 delegations}} said \"we met three times\" and left.");
  EXPECT_EQ(kinds(t), (std::vector<VariantKind>{VariantKind::alternate}));
}

TEST(CopyVariants, BrokenMarkupFixturesAreBadInputWithTheirPosition) {
  struct Case {
    const char* file;
    const char* where;  // "line L, column C", or "" when the failure has no position
    const char* what;
  };
  const std::vector<Case> cases = {
      {"unterminated-alternate.txt", "line 1, column 35", "no closing '}}'"},
      {"alternate-across-lines.txt", "line 1, column 7", "no closing '}}'"},
      {"nested-alternate.txt", "line 1, column 22", "inside an alternate"},
      {"single-choice.txt", "line 1, column 10", "at least two choices"},
      {"choices-read-the-same.txt", "line 1, column 25", "read the same"},
      {"empty-choices.txt", "line 1, column 15", "read the same"},
      {"too-many-choices.txt", "line 1, column 1", "more than 16 choices"},
      {"too-many-list-items.txt", "line 3, column 1", "has 21 items"},
      {"invalid-utf8.txt", "", "not valid UTF-8"},
      {"persian-single-choice.txt", "line 3, column 5", "at least two choices"},
  };
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::data_dir() / "broken-markup")) {
    (void)entry;
    ++seen;
  }
  EXPECT_EQ(seen, cases.size()) << "every fixture has a case here";
  for (const auto& c : cases) {
    const std::string text = test::read_file(test::data_dir() / "broken-markup" / c.file);
    ASSERT_FALSE(text.empty()) << c.file;
    const TextLanguage lang =
        std::string(c.file).rfind("persian", 0) == 0 ? TextLanguage::persian : TextLanguage::english;
    auto r = VariantText::parse(text, lang);
    ASSERT_FALSE(r.ok()) << c.file;
    EXPECT_EQ(r.error().code, ErrorCode::bad_input) << c.file;
    EXPECT_NE(r.error().message.find(c.what), std::string::npos) << c.file << ": " << r.error().message;
    if (*c.where) {
      EXPECT_EQ(r.error().message.rfind(c.where, 0), 0u) << c.file << ": " << r.error().message;
    }
    // The message names a place, never the text.
    for (const char* word : {"Geneva", "remain", "proposal", "choice}}", "Tehran"})
      EXPECT_EQ(r.error().message.find(word), std::string::npos) << c.file << ": " << r.error().message;
  }
}

TEST(CopyVariants, PaperNumbersPointsAcrossTextsAndNamesTheFailingText) {
  const std::string en = "The {{first | initial}} step took three weeks.";
  const std::string fa = "گام {{نخست | اول}} سه هفته طول کشید.";
  const std::vector<PaperTextSource> sources = {{"section 1 (English)", TextLanguage::english, en},
                                                {"section 1 (Persian)", TextLanguage::persian, fa}};
  auto paper = VariantPaper::parse(sources);
  ASSERT_TRUE(paper.ok());
  ASSERT_EQ(paper->points().size(), 3u);
  EXPECT_EQ(paper->first_point(1), 2u);
  EXPECT_EQ(paper->points()[2].text, 1u);
  EXPECT_EQ(paper->structure_id().size(), 16u);

  auto rendered = paper->render(ChoiceVector(paper->structure_id(), {1, 1, 1}));
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ((*rendered)[0], "The initial step took 3 weeks.");
  EXPECT_EQ((*rendered)[1], "گام اول سه هفته طول کشید.");
  EXPECT_FALSE(paper->render(ChoiceVector(paper->structure_id(), {1, 2, 1})).ok()) << "value out of range";
  EXPECT_FALSE(paper->render(ChoiceVector(paper->structure_id(), {1, 1})).ok()) << "too few values";
  EXPECT_FALSE(paper->render(ChoiceVector("0000000000000000", {0, 0, 0})).ok()) << "another structure";

  // A change of fixed text keeps the structure; a change of a point does not.
  const std::string en2 = "The {{first | initial}} step took three long weeks.";
  const std::vector<PaperTextSource> same = {{"a", TextLanguage::english, en2}, {"b", TextLanguage::persian, fa}};
  EXPECT_EQ(VariantPaper::parse(same)->structure_id(), paper->structure_id());
  const std::string en3 = "The {{first | initial | opening}} step took three weeks.";
  const std::vector<PaperTextSource> other = {{"a", TextLanguage::english, en3}, {"b", TextLanguage::persian, fa}};
  EXPECT_NE(VariantPaper::parse(other)->structure_id(), paper->structure_id());

  const std::string broken = "{{lonely}}";
  const std::vector<PaperTextSource> bad = {{"section 1 (English)", TextLanguage::english, en},
                                            {"section 2 (Persian)", TextLanguage::persian, broken}};
  auto failed = VariantPaper::parse(bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message.rfind("section 2 (Persian): line 1, column 1:", 0), 0u) << failed.error().message;
}

TEST(CopyVariants, PreviewLinesDescribeEveryKind) {
  const VariantText t = parse_ok("They {{said | \"stated\"}} it.\n+ alpha beta gamma\n+ delta epsilon zeta\n");
  ASSERT_EQ(t.points().size(), 2u);
  EXPECT_EQ(describe_variant_point(t.points()[0]), "line 1, column 6, alternate: \"said\" | \"\\\"stated\\\"\"");
  EXPECT_EQ(describe_variant_point(t.points()[1]), "line 2, column 3, unordered-list: 2 items in any order");
}

TEST(CopyVariants, TextLimit) {
  const std::string big(VariantLimits::kMaxTextBytes + 1, 'a');
  auto r = VariantText::parse(big, TextLanguage::english);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
}

}  // namespace
}  // namespace bc::core
