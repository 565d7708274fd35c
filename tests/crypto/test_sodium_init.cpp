// Unit: crypto/sodium_init — libsodium initialisation and the start-up known-answer self-test.
// No global environment here: these tests are the first to call initialize().
#include <gtest/gtest.h>

#include <sodium.h>

#include <thread>
#include <vector>

#include "backchannel/crypto/sodium_init.h"

namespace bc::crypto {
namespace {

TEST(SodiumInit, ReturnsOkAndLibsodiumIsReady) {
  const Status first = initialize();
  ASSERT_TRUE(first.ok()) << first.error().message;
  // sodium_init() returns 1 when the library was already initialised, which initialize() must
  // have done.
  EXPECT_EQ(sodium_init(), 1);
}

TEST(SodiumInit, ReturnsOkTwice) {
  const Status first = initialize();
  const Status second = initialize();
  EXPECT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(second.ok()) << second.error().message;
}

TEST(SodiumInit, ConcurrentCallsAllSucceed) {
  std::vector<int> results(8, -1);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&results, i] { results[i] = initialize().ok() ? 1 : 0; });
  for (auto& t : threads) t.join();
  for (int r : results) EXPECT_EQ(r, 1);
}

}  // namespace
}  // namespace bc::crypto
