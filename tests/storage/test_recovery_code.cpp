// The recovery code: format, tolerant parsing, typo detection.
#include "backchannel/storage/recovery_code.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "backchannel/crypto/sodium_init.h"

namespace bc::storage {
namespace {

std::string text_of(const crypto::SecureBuffer& b) { return std::string(b.view()); }

TEST(RecoveryCode, HasSixGroupsOfFiveCrockfordCharacters) {
  ASSERT_TRUE(crypto::initialize().ok());
  const std::regex shape("^([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z]{5}$");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string code = text_of(generate_recovery_code());
    EXPECT_TRUE(std::regex_match(code, shape)) << code;
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(RecoveryCode, ParsesWhatPeopleType) {
  const std::string code = text_of(generate_recovery_code());
  auto exact = parse_recovery_code(code);
  ASSERT_TRUE(exact.ok()) << exact.error().message;
  EXPECT_EQ(text_of(*exact), code);
  std::string sloppy;
  for (char c : code) {
    if (c == '-') { sloppy += "  "; continue; }
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '0') l = 'o';
    if (c == '1') l = 'l';
    sloppy += l;
  }
  auto parsed = parse_recovery_code(" " + sloppy + "\n");
  ASSERT_TRUE(parsed.ok()) << sloppy;
  EXPECT_EQ(text_of(*parsed), code);
}

TEST(RecoveryCode, CatchesEverySingleCharacterTypo) {
  const std::string code = text_of(generate_recovery_code());
  int caught = 0, total = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '-') continue;
    std::string typo = code;
    typo[i] = code[i] == 'A' ? 'B' : 'A';
    ++total;
    auto r = parse_recovery_code(typo);
    if (!r.ok()) {
      ++caught;
      EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
    }
  }
  // 20 check bits: a single substitution escapes with probability 2^-20 per position.
  EXPECT_EQ(caught, total);
}

TEST(RecoveryCode, RejectsWrongLengthAndForeignCharacters) {
  const std::string code = text_of(generate_recovery_code());
  EXPECT_FALSE(parse_recovery_code(code.substr(0, code.size() - 1)).ok());
  EXPECT_FALSE(parse_recovery_code(code + "X").ok());
  std::string bad = code;
  bad[0] = 'U';
  EXPECT_FALSE(parse_recovery_code(bad).ok());
  EXPECT_FALSE(parse_recovery_code("").ok());
}

}  // namespace
}  // namespace bc::storage
