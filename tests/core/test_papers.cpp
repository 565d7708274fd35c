// Joint papers in the vault (papers.h): versions and the stale mark replayed from the edits, the
// tracing key kept in the vault, copies registered only when delivered, copies of an older
// version traced against that version, and the change observer seeing every paper write.
#include <gtest/gtest.h>

#include "backchannel/core/copy_choices.h"
#include "backchannel/core/papers.h"
#include "paper_generator.h"
#include "record_writer.h"
#include "vault_fixture.h"

namespace bc::test {
namespace {

class PapersTest : public VaultTest {
 protected:
  void SetUp() override {
    VaultTest::SetUp();
    ASSERT_EQ(import_sample(), 1);
    auto id = core::create_paper(vault, 1, "A joint paper");
    ASSERT_TRUE(id.ok()) << id.error().message;
    paper = *id;
  }
  core::Paper get() {
    auto p = core::get_paper(vault, paper);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : core::Paper{};
  }
  Result<core::PaperCopy> print(const std::string& label, std::string* out = nullptr) {
    core::PaperCopyRequest req;
    req.label = label;
    req.audience = core::Audience::participants;
    req.format = core::PaperFormat::markdown;
    return core::make_paper_copy(vault, paper, req, [&](const std::string& doc) -> Status {
      if (out) *out = doc;
      return {};
    });
  }
  std::int64_t paper = 0;
};

TEST_F(PapersTest, TheStaleMarkFollowsTheEdits) {
  auto s = core::add_paper_section(vault, paper, "English first.", std::nullopt);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(get().sections[0].stale, core::TextLanguage::persian) << "no Persian yet";
  ASSERT_TRUE(core::set_paper_section(vault, *s, std::nullopt, "فارسی.").ok());
  EXPECT_FALSE(get().sections[0].stale) << "the translation caught up";
  ASSERT_TRUE(core::set_paper_section(vault, *s, std::nullopt, "فارسی دیگر.").ok());
  EXPECT_EQ(get().sections[0].stale, core::TextLanguage::english) << "the Persian changed alone";
  ASSERT_TRUE(core::set_paper_section(vault, *s, "English again.", "فارسی دوباره.").ok());
  EXPECT_FALSE(get().sections[0].stale) << "both at once";
  EXPECT_EQ(get().version, 5);
  auto fa = core::paper_section_history(vault, *s, core::TextLanguage::persian);
  ASSERT_TRUE(fa.ok());
  ASSERT_EQ(fa->size(), 3u);
  EXPECT_EQ(fa->front().text, "فارسی.");
  EXPECT_EQ(fa->front().paper_version, 3);
}

TEST_F(PapersTest, TheTracingKeyIsInTheVaultAndCopiesDeriveFromIt) {
  ASSERT_TRUE(core::add_paper_section(vault, paper, "The channel {{shall | will}} remain open {{today | now}}.", std::nullopt).ok());
  ASSERT_TRUE(core::approve_paper(vault, paper).ok());
  auto key = core::vault_store(vault).db().prepare("SELECT tracing_key FROM papers WHERE id = 1");
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(*key->step());
  const crypto::SecureBuffer k = key->column_secret(0);
  ASSERT_EQ(k.size(), 32u);
  auto made = print("Official A");
  ASSERT_TRUE(made.ok()) << made.error().message;
  auto variants = core::paper_variants(vault, paper);
  ASSERT_TRUE(variants.ok());
  EXPECT_EQ(made->choices, core::derive_copy_choices(*variants, k, "Official A").serialize());
  EXPECT_EQ(made->fingerprint, core::ChoiceVector::parse(made->choices)->fingerprint());
}

TEST_F(PapersTest, ACopyThatCouldNotBeDeliveredIsNotRegistered) {
  ASSERT_TRUE(core::add_paper_section(vault, paper, "Text {{one | two}}.", std::nullopt).ok());
  ASSERT_TRUE(core::approve_paper(vault, paper).ok());
  core::PaperCopyRequest req;
  req.label = "Lost";
  req.audience = core::Audience::participants;
  auto r = core::make_paper_copy(vault, paper, req, [](const std::string&) -> Status { return fail(ErrorCode::io, "disk full"); });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(count("paper_copies"), 0);
  EXPECT_TRUE(print("Lost").ok()) << "the label is free again";
}

TEST_F(PapersTest, ACopyOfAnOlderVersionIsTracedAgainstThatVersion) {
  const auto sections = generate_english_sections(23, 1500);
  for (const auto& s : sections) ASSERT_TRUE(core::add_paper_section(vault, paper, s, std::nullopt).ok());
  ASSERT_TRUE(core::approve_paper(vault, paper).ok());
  std::string old_text;
  ASSERT_TRUE(print("Old 1", &old_text).ok());
  ASSERT_TRUE(print("Old 2").ok());
  // A new version with other variant points: a new structure, new copies.
  auto p = get();
  ASSERT_TRUE(core::set_paper_section(vault, p.sections[0].id, sections[0] + "\n\nIt {{shall | will}} hold.", std::nullopt).ok());
  ASSERT_TRUE(core::approve_paper(vault, paper).ok());
  ASSERT_TRUE(print("New 1").ok());
  ASSERT_TRUE(print("New 2").ok());
  auto copies = core::list_paper_copies(vault, paper);
  ASSERT_TRUE(copies.ok());
  ASSERT_EQ(copies->size(), 4u);
  EXPECT_NE(copies->at(0).choices.substr(0, 20), copies->at(2).choices.substr(0, 20)) << "another structure";
  LeakSpec spec;
  spec.fraction = 0.5;
  auto t = core::trace_paper(vault, paper, make_leak(old_text, 3, spec));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->result.verdict, core::TraceVerdict::copy) << core::trace_reason_text(t->result.reason);
  EXPECT_EQ(t->result.label, "Old 1");
  EXPECT_EQ(t->version, copies->at(0).version);
  EXPECT_FALSE(t->explanation.empty());
}

TEST_F(PapersTest, EveryPaperWriteIsReportedToTheChangeObserver) {
  std::vector<core::RecordKind> seen;
  core::set_change_observer(vault, [&](core::Vault&, const core::RecordChange& c) -> Status {
    seen.push_back(c.kind);
    return {};
  });
  auto s = core::add_paper_section(vault, paper, "Text {{one | two}}.", "متن.");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(core::cite_in_section(vault, *s, core::CitationKind::note, "2").ok());
  ASSERT_TRUE(core::approve_paper(vault, paper).ok());
  ASSERT_TRUE(print("A").ok());
  using K = core::RecordKind;
  const std::vector<K> expected = {K::paper, K::paper_section, K::paper_text, K::paper_text, K::paper_citation,
                                   K::paper_approval, K::paper_copy};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace bc::test
