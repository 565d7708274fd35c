// Search: scripts, folding, prefixes, and no query-syntax injection.
#include "backchannel/core/search.h"

#include "backchannel/core/notes.h"
#include "vault_fixture.h"

namespace bc::core {
namespace {

class SearchTest : public test::VaultTest {
 protected:
  void SetUp() override {
    VaultTest::SetUp();
    meeting = import_sample();
  }
  std::vector<std::int64_t> ids(const std::string& q) {
    auto r = search_notes(vault, q);
    EXPECT_TRUE(r.ok()) << q << ": " << (r.ok() ? "" : r.error().message);
    std::vector<std::int64_t> out;
    if (r.ok())
      for (const auto& h : *r) out.push_back(h.note_id);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::int64_t add(const std::string& text) {
    NewNote n;
    n.meeting_id = meeting;
    n.text = text;
    return *add_note(vault, n);
  }
  std::int64_t meeting = 0;
};

TEST_F(SearchTest, LatinIgnoresCaseAndDiacritics) {
  const auto id = add("Meeting near the Hāmūn wetlands with Müller");
  EXPECT_EQ(ids("HAMUN"), std::vector<std::int64_t>{id});
  EXPECT_EQ(ids("muller"), std::vector<std::int64_t>{id});
  EXPECT_EQ(ids("Müller hāmūn"), std::vector<std::int64_t>{id});
}

TEST_F(SearchTest, PersianLetterVariantsAndZeroWidthCharactersAreIgnored) {
  // Note 4 of the sample is "علی رستمی پیشنهاد کرد ..." written with Persian yeh.
  EXPECT_EQ(ids("رستمي"), std::vector<std::int64_t>{4}) << "Arabic yeh finds Persian yeh";
  EXPECT_EQ(ids("رستمی"), std::vector<std::int64_t>{4});
  EXPECT_EQ(ids("ماهوارهای"), std::vector<std::int64_t>{4}) << "without the ZWNJ";
  const auto id = add("كتاب‌ها و مقالهٔ جدید");  // Arabic kaf, ZWNJ, heh with hamza
  EXPECT_EQ(ids("کتابها"), std::vector<std::int64_t>{id});
  EXPECT_EQ(ids("مقاله"), std::vector<std::int64_t>{id});
}

TEST_F(SearchTest, EveryWordMustMatchAndPrefixesWork) {
  EXPECT_EQ(ids("hashemi"), (std::vector<std::int64_t>{5, 7}));
  EXPECT_EQ(ids("hashemi visa"), std::vector<std::int64_t>{7});
  EXPECT_EQ(ids("satell"), std::vector<std::int64_t>{5}) << "prefix";
  EXPECT_TRUE(ids("hashemi zanzibar").empty());
}

TEST_F(SearchTest, QuerySyntaxIsNeverInterpreted) {
  for (const std::string q : {"hashemi OR", "\"", "NEAR(", "*", "text:", "search_text:hashemi", "hashemi AND NOT dan",
                              "(", "^hashemi", "'", "-", "hashemi\"*"}) {
    auto r = search_notes(vault, q);
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::usage) << q << ": " << r.error().message;
    }
  }
  // "OR" is just a word here: nothing contains "or" as a word prefix... except "organizer".
  EXPECT_EQ(ids("hashemi OR"), std::vector<std::int64_t>{7});
}

TEST_F(SearchTest, DeletedNotesAreNotFound) {
  const auto id = add("unique-word-quokka");
  EXPECT_EQ(ids("quokka"), std::vector<std::int64_t>{id});
  ASSERT_TRUE(delete_note(vault, id).ok());
  EXPECT_TRUE(ids("quokka").empty());
}

TEST_F(SearchTest, SnippetComesFromTheOriginalText) {
  const auto id = add(std::string(100, 'x') + " Ambassador HOLLOWAY’s proposal on shipping lanes " + std::string(100, 'y'));
  auto r = search_notes(vault, "holloway's");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].note_id, id);
  EXPECT_NE((*r)[0].snippet.find("HOLLOWAY’s"), std::string::npos) << (*r)[0].snippet;
  EXPECT_EQ((*r)[0].snippet.rfind("…", 0), 0u);
}

TEST_F(SearchTest, EmptyQueryIsAUsageError) {
  EXPECT_EQ(search_notes(vault, "   ").error().code, ErrorCode::bad_input);
  EXPECT_EQ(search_notes(vault, "\xE2\x80\x8C").error().code, ErrorCode::usage) << "only a ZWNJ";
}

}  // namespace
}  // namespace bc::core
