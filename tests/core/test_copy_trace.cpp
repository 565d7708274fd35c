// Tracing a leaked text to a registered copy (copy_trace.h): a retyped excerpt names the right
// copy, thin or mixed evidence says "cannot tell", and an adversarial sweep of excerpted,
// reordered and noised leaks never names a wrong copy.
#include "backchannel/core/copy_trace.h"

#include <gtest/gtest.h>

#include "backchannel/crypto/sodium_init.h"
#include "paper_generator.h"

namespace bc::core {
namespace {

crypto::SecureBuffer fixed_key(std::uint8_t fill) {
  crypto::SecureBuffer k(32);
  for (std::size_t i = 0; i < 32; ++i) k.data()[i] = static_cast<std::uint8_t>(fill * 7 + i);
  return k;
}

struct Registered {
  VariantPaper paper;
  std::vector<RegisteredCopy> copies;
  std::vector<std::string> texts;  // each copy's whole text, sections joined by blank lines
};

Registered register_copies(std::vector<PaperTextSource> sources, std::size_t count, std::uint8_t key_fill = 1) {
  Registered r;
  auto parsed = VariantPaper::parse(sources);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  r.paper = std::move(parsed).value();
  const auto key = fixed_key(key_fill);
  std::vector<ChoiceVector> earlier;
  for (std::size_t c = 0; c < count; ++c) {
    const std::string label = "copy-" + std::to_string(c + 1);
    RegisteredCopy copy{label, derive_copy_choices(r.paper, key, label, earlier)};
    earlier.push_back(copy.choices);
    auto rendered = r.paper.render(copy.choices);
    EXPECT_TRUE(rendered.ok());
    std::string text;
    for (const auto& t : *rendered) text += t + "\n\n";
    r.texts.push_back(std::move(text));
    r.copies.push_back(std::move(copy));
  }
  return r;
}

Registered generated_paper(std::uint64_t seed, std::size_t words, std::size_t count) {
  const auto sections = test::generate_english_sections(seed, words);
  std::vector<PaperTextSource> sources;
  for (std::size_t k = 0; k < sections.size(); ++k)
    sources.push_back({"section " + std::to_string(k + 1), TextLanguage::english, sections[k]});
  return register_copies(sources, count, static_cast<std::uint8_t>(seed));
}

class CopyTrace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::initialize().ok()); }
};

// A short paper written by hand: about twenty variant points in four paragraphs and a list.
const std::string kHandPaper =
    "The participants agreed that the channel {{shall remain | will remain}} open through the winter. "
    "Three former ministers attended the meeting on 14 June 2005 in Geneva, and the group discussed "
    "energy, trade and security in {{some detail | considerable detail}}.\n\n"
    "The organisation of the next round relies on co-operation between the two hosts, who "
    "{{proposed | suggested}} that the delegations meet again in the spring.\n\n"
    "Both sides {{noted | observed}} that the exchange of prisoners {{could | might}} follow a "
    "{{quiet | discreet}} agreement on the release of two students, and that the {{first | initial}} "
    "step {{would be | is}} a meeting of {{experts | specialists}} in Oman. The hosts {{stressed | emphasised}} "
    "that {{nothing | no part}} of this {{should | ought to}} reach the press.\n\n"
    "The group proposed:\n\n"
    "+ a hotline between the two navies in the Gulf\n"
    "+ visas for scholars who attend the meetings\n"
    "+ joint work on earthquake preparedness in the region\n";

TEST_F(CopyTrace, ARetypedExcerptNamesTheRightCopy) {
  const std::vector<PaperTextSource> sources = {{"section 1", TextLanguage::english, kHandPaper}};
  const Registered r = register_copies(sources, 6);
  ASSERT_GE(r.paper.points().size(), 18u);
  for (std::size_t c = 0; c < r.copies.size(); ++c) {
    // The leak: the first two paragraphs as a journalist retyped them: line breaks moved, one
    // word changed ("meeting" -> "session"), one word dropped ("former"), the end cut off.
    std::string text = r.texts[c].substr(0, r.texts[c].find("The group proposed"));
    ASSERT_NE(text.find("Both sides"), std::string::npos);
    auto replace = [&](std::string_view from, std::string_view to) {
      const std::size_t at = text.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      text.replace(at, from.size(), to);
    };
    replace("meeting on", "session on");
    replace("former ", "");
    replace(". ", ".\n");
    replace("\n\n", " ");
    auto result = trace_copy(r.paper, r.copies, text);
    ASSERT_TRUE(result.ok());
    // The excerpt alone may not separate every pair of copies; it must never name a wrong one.
    if (result->verdict == TraceVerdict::copy) {
      EXPECT_EQ(result->label, r.copies[c].label);
    }
    // With the list in its copy's order as well, the right copy is named.
    std::string with_list = text + " " + r.texts[c].substr(r.texts[c].find("The group proposed"));
    auto full = trace_copy(r.paper, r.copies, with_list);
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(full->verdict, TraceVerdict::copy) << "copy " << c << ": " << trace_reason_text(full->reason);
    EXPECT_EQ(full->label, r.copies[c].label);
    EXPECT_GE(full->confidence, 0.999);
    EXPECT_LE(full->confidence, 1.0);
    EXPECT_FALSE(full->deciding.empty()) << "the answer says which points decided";
  }
}

TEST_F(CopyTrace, AQuarterOfAThreePagePaperRetypedWithNoiseNamesTheRightCopy) {
  const Registered r = generated_paper(41, 1500, 20);
  std::size_t right = 0;
  for (std::size_t c = 0; c < r.copies.size(); ++c) {
    test::LeakSpec spec;
    spec.fraction = 0.25;
    spec.word_changes = 0.05;
    spec.char_noise = 0.01;
    const std::string leak = test::make_leak(r.texts[c], 1000 + c, spec);
    auto result = trace_copy(r.paper, r.copies, leak);
    ASSERT_TRUE(result.ok());
    if (result->verdict == TraceVerdict::copy) {
      ASSERT_EQ(result->label, r.copies[c].label) << "copy " << c << " named as another";
      ++right;
    }
  }
  // None wrong; most right (bench_trace measures the share over many papers against the goal
  // of 95 %: docs/performance.md).
  EXPECT_GE(right, 17u);
}

TEST_F(CopyTrace, TooFewVariantPointsIsCannotTell) {
  const Registered r = generated_paper(43, 1500, 20);
  // One sentence of a copy: a handful of words with one or two variant points at most.
  for (std::size_t c = 0; c < 5; ++c) {
    const std::string& text = r.texts[c];
    const std::size_t start = text.find(". ", text.size() / 3) + 2;
    const std::string sentence = text.substr(start, text.find(". ", start) + 1 - start);
    auto result = trace_copy(r.paper, r.copies, sentence);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->verdict, TraceVerdict::cannot_tell) << sentence;
    EXPECT_NE(result->reason, TraceReason::decided);
    EXPECT_LT(result->confidence, 0.999);
  }
  // The hand paper's first sentence holds one marked alternate.
  const std::vector<PaperTextSource> sources = {{"section 1", TextLanguage::english, kHandPaper}};
  const Registered hand = register_copies(sources, 6);
  auto result = trace_copy(hand.paper, hand.copies,
                           hand.texts[2].substr(0, hand.texts[2].find("winter.") + 7));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->verdict, TraceVerdict::cannot_tell);
  // One point read: some other copies share its alternative.
  EXPECT_TRUE(result->reason == TraceReason::thin_evidence || result->reason == TraceReason::copies_alike)
      << trace_reason_text(result->reason);
  EXPECT_LE(result->readings.size(), 2u);
}

TEST_F(CopyTrace, NothingToReadOrNoCopiesIsCannotTell) {
  const Registered r = generated_paper(47, 1500, 5);
  auto unrelated = trace_copy(r.paper, r.copies, "Completely unrelated words about the weather in another city.");
  ASSERT_TRUE(unrelated.ok());
  EXPECT_EQ(unrelated->verdict, TraceVerdict::cannot_tell);
  EXPECT_EQ(unrelated->reason, TraceReason::nothing_read);
  auto empty = trace_copy(r.paper, r.copies, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->verdict, TraceVerdict::cannot_tell);
  auto none = trace_copy(r.paper, {}, r.texts[0]);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->verdict, TraceVerdict::cannot_tell);
  EXPECT_EQ(none->reason, TraceReason::no_copies);
  // Garbage bytes give an answer, not an error.
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  auto g = trace_copy(r.paper, r.copies, garbage);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->verdict, TraceVerdict::cannot_tell);
}

TEST_F(CopyTrace, TheTextAsWrittenIsNoCopy) {
  const Registered r = generated_paper(53, 1500, 20);
  std::string draft;
  for (const auto& t : r.paper.render_as_written()) draft += t + "\n\n";
  auto result = trace_copy(r.paper, r.copies, draft);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->verdict, TraceVerdict::cannot_tell);
  EXPECT_EQ(result->reason, TraceReason::as_written) << trace_reason_text(result->reason);
  EXPECT_GT(result->as_written_probability, 0.99);
}

TEST_F(CopyTrace, TwoCopiesMixedNeverNameAThird) {
  const Registered r = generated_paper(59, 1500, 20);
  for (std::size_t c = 0; c + 1 < r.copies.size(); c += 4) {
    // Alternate paragraphs from two recipients' copies: a collusion that mixes the marks.
    std::string mixed;
    std::size_t pos_a = 0, pos_b = 0, k = 0;
    const std::string& a = r.texts[c];
    const std::string& b = r.texts[c + 1];
    for (;;) {
      const std::size_t end_a = a.find("\n\n", pos_a);
      const std::size_t end_b = b.find("\n\n", pos_b);
      if (end_a == std::string::npos || end_b == std::string::npos) break;
      mixed += (k++ % 2 ? b.substr(pos_b, end_b - pos_b) : a.substr(pos_a, end_a - pos_a)) + "\n\n";
      pos_a = end_a + 2;
      pos_b = end_b + 2;
    }
    auto result = trace_copy(r.paper, r.copies, mixed);
    ASSERT_TRUE(result.ok());
    if (result->verdict == TraceVerdict::copy) {
      EXPECT_TRUE(result->label == r.copies[c].label || result->label == r.copies[c + 1].label)
          << "named " << result->label << " for a mix of " << r.copies[c].label << " and " << r.copies[c + 1].label;
    }
  }
}

TEST_F(CopyTrace, AdversarialExcerptsNeverNameAWrongCopy) {
  // Small excerpts, reordered, with heavy word changes and character noise: "cannot tell" is
  // allowed, a wrong name never.
  const Registered r = generated_paper(61, 1500, 20);
  std::size_t traces = 0, named = 0;
  for (std::size_t c = 0; c < r.copies.size(); ++c) {
    for (const double fraction : {0.05, 0.10, 0.25}) {
      for (const bool reorder : {false, true}) {
        test::LeakSpec spec;
        spec.fraction = fraction;
        spec.reorder = reorder;
        spec.word_changes = 0.10;
        spec.char_noise = 0.03;
        const std::string leak = test::make_leak(r.texts[c], c * 97 + static_cast<std::uint64_t>(fraction * 100) + reorder, spec);
        auto result = trace_copy(r.paper, r.copies, leak);
        ASSERT_TRUE(result.ok());
        ++traces;
        if (result->verdict == TraceVerdict::copy) {
          ++named;
          ASSERT_EQ(result->label, r.copies[c].label)
              << "fraction " << fraction << (reorder ? " reordered" : "") << ", confidence " << result->confidence;
        }
      }
    }
  }
  // The sweep is not vacuous: some excerpts are still traced through that much damage (18 of 120
  // when written, the 25 % excerpts mostly).
  EXPECT_GE(named, traces / 10);
}

TEST_F(CopyTrace, PersianAlternatesAreTraced) {
  const std::string fa = test::generate_persian_section(5, 40);
  const std::vector<PaperTextSource> sources = {{"section 1 (Persian)", TextLanguage::persian, fa}};
  const Registered r = register_copies(sources, 5);
  ASSERT_GE(r.paper.points().size(), 8u);
  for (std::size_t c = 0; c < r.copies.size(); ++c) {
    auto result = trace_copy(r.paper, r.copies, r.texts[c]);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->verdict, TraceVerdict::copy) << trace_reason_text(result->reason);
    EXPECT_EQ(result->label, r.copies[c].label);
  }
}

TEST_F(CopyTrace, ForeignChoicesAndHugeTextsAreBadInput) {
  const Registered r = generated_paper(67, 600, 3);
  std::vector<RegisteredCopy> copies = r.copies;
  copies[1].choices = ChoiceVector("0000000000000000", copies[1].choices.values());
  copies[1].label = "Ambassador Example";
  auto foreign = trace_copy(r.paper, copies, r.texts[0]);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::bad_input);
  EXPECT_EQ(foreign.error().message.find("Ambassador"), std::string::npos) << "never the label";
  EXPECT_NE(foreign.error().message.find('2'), std::string::npos) << "the copy's position";
  auto huge = trace_copy(r.paper, r.copies, std::string(kMaxLeakBytes + 1, 'a'));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, ErrorCode::bad_input);
}

}  // namespace
}  // namespace bc::core
