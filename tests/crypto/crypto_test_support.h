// Helpers shared by the crypto unit tests: an independent hex parser (so that a bug in
// bc::crypto::from_hex cannot hide a bug elsewhere) and a global environment that initialises
// libsodium once before any test runs (sodium_malloc needs it).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/crypto/sodium_init.h"

namespace bc::crypto::test {

inline std::vector<std::uint8_t> hex(std::string_view h) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    ADD_FAILURE() << "bad hex digit in a test vector: " << c;
    return 0;
  };
  EXPECT_EQ(h.size() % 2, 0u) << "odd-length hex in a test vector";
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(nibble(h[i]) << 4 | nibble(h[i + 1])));
  return out;
}

inline std::string hex_of(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

inline std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

class SodiumEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    const Status st = initialize();
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
};

inline ::testing::Environment* const kSodiumEnvironment =
    ::testing::AddGlobalTestEnvironment(new SodiumEnvironment);

}  // namespace bc::crypto::test
