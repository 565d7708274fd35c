// The checks every stored text passes.
#include "backchannel/core/text_validation.h"

#include <gtest/gtest.h>

#include "backchannel/core/domain.h"

namespace bc::core {
namespace {

TEST(TextValidation, AcceptsOrdinaryTextInAnyScript) {
  EXPECT_TRUE(validate_text("x", "Katherine Holloway", TextField::short_text).ok());
  EXPECT_TRUE(validate_text("x", "پریسا هاشمی", TextField::short_text).ok());
  EXPECT_TRUE(validate_text("x", "می\u200Cخواهم", TextField::short_text).ok()) << "ZWNJ is part of Persian";
  EXPECT_TRUE(validate_text("x", "Line one\nline two\ttabbed", TextField::note_text).ok());
  EXPECT_TRUE(validate_text("x", "مرحبا\u200F!", TextField::note_text).ok()) << "RLM is allowed";
}

TEST(TextValidation, RejectsWithThePathInTheMessage) {
  struct Case {
    std::string value;
    TextField field;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"\xC3\x28", TextField::short_text, "not valid UTF-8"},
      {"\xED\xA0\x80", TextField::short_text, "not valid UTF-8"},        // surrogate
      {"\xC0\xAF", TextField::short_text, "not valid UTF-8"},            // overlong
      {std::string("a\0b", 3), TextField::note_text, "NUL"},
      {"line\nbreak", TextField::short_text, "control character U+000A"},
      {"bell\x07", TextField::note_text, "control character U+0007"},
      {"c1\xC2\x85", TextField::note_text, "control character U+0085"},
      {"evil\xE2\x80\xAEtxt.exe", TextField::short_text, "bidirectional control character U+202E"},
      {"iso\xE2\x81\xA6late", TextField::note_text, "U+2066"},
      {"", TextField::short_text, "must not be empty"},
      {" \n ", TextField::note_text, "must not be empty"},
      {std::string(Limits::kMaxShortText + 1, 'a'), TextField::short_text, "too long"},
      {std::string(Limits::kMaxNoteText + 1, 'a'), TextField::note_text, "too long"},
  };
  for (const auto& c : cases) {
    auto st = validate_text("participants[2].name", c.value, c.field);
    ASSERT_FALSE(st.ok()) << c.fragment;
    EXPECT_EQ(st.error().code, ErrorCode::bad_input);
    EXPECT_EQ(st.error().message.rfind("participants[2].name: ", 0), 0u);
    EXPECT_NE(st.error().message.find(c.fragment), std::string::npos) << st.error().message;
  }
  EXPECT_TRUE(validate_text("x", std::string(Limits::kMaxNoteText, 'a'), TextField::note_text).ok());
}

}  // namespace
}  // namespace bc::core
