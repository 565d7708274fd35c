// The signed record stream under every archive, package and response (signed_records.h): its
// records are read on a thread of their own while the caller's handlers run on the calling
// thread. Order, errors from either side, and exceptions.
#include "signed_records.h"

#include <gtest/gtest.h>

#include <any>
#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/identity_keys.h"

namespace bc::core {
namespace {

constexpr int kRecords = 20000;  // many times what the reader may hold ahead of the handlers

class SignedStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signer = crypto::generate_ed25519();
    file = write_stream(signer, kRecords, 100);
  }

  // A stream to `identity` whose header names `signer`, signed with `key`: `records` records
  // {"n": 1..records} with `pad` bytes of padding each.
  std::string write_stream(const crypto::Ed25519KeyPair& key, int records, std::size_t pad) {
    std::string bytes;
    std::vector<crypto::age::Recipient> to;
    to.emplace_back(identity.recipient());
    int next = -1;
    const NextLine lines = [&]() -> Result<std::optional<std::string>> {
      ++next;
      if (next == 0) return std::optional<std::string>(nlohmann::json{{"signer", signing_key_text(signer.public_key)}}.dump());
      if (next > records) return std::optional<std::string>();
      return std::optional<std::string>(nlohmann::json{{"n", next}, {"pad", std::string(pad, 'x')}}.dump());
    };
    const crypto::age::WriteFn out = [&](std::span<const std::uint8_t> b) -> Status {
      bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
      return {};
    };
    EXPECT_TRUE(write_signed_stream(to, key, lines, out, false, nullptr).ok());
    return bytes;
  }

  // Reads `bytes` (the whole file unless given), counting how much the reader took.
  Status read(const SignedStreamHandlers& h, const std::string* bytes = nullptr) {
    const std::string& src = bytes ? *bytes : file;
    std::vector<crypto::age::Identity> ids;
    ids.emplace_back(crypto::age::X25519Identity{identity.secret_key.clone()});
    const crypto::age::ReadFn in = [&](std::span<std::uint8_t> b) -> Result<std::size_t> {
      const std::size_t n = std::min(b.size(), src.size() - consumed);
      std::memcpy(b.data(), src.data() + consumed, n);
      consumed += n;
      return n;
    };
    return read_signed_stream(ids, in, h, nullptr);
  }

  crypto::age::X25519Identity identity = crypto::age::X25519Identity::generate();
  crypto::Ed25519KeyPair signer;
  std::string file;
  std::atomic<std::size_t> consumed{0};
};

TEST_F(SignedStreamTest, HandlersSeeEveryRecordInOrderOnTheCallingThread) {
  const auto caller = std::this_thread::get_id();
  int headers = 0, expected = 1;
  bool same_thread = true, in_order = true;
  SignedStreamHandlers h;
  h.on_header = [&](const nlohmann::json& j, const crypto::Ed25519Public& key) -> Status {
    ++headers;
    same_thread = same_thread && std::this_thread::get_id() == caller;
    EXPECT_EQ(key, signer.public_key);
    EXPECT_TRUE(j.contains("signer"));
    return {};
  };
  h.on_record = [&](const nlohmann::json& j) -> Status {
    same_thread = same_thread && std::this_thread::get_id() == caller;
    in_order = in_order && j.at("n").get<int>() == expected;
    ++expected;
    return {};
  };
  auto st = read(h);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(headers, 1);
  EXPECT_EQ(expected, kRecords + 1);
  EXPECT_TRUE(in_order);
  EXPECT_TRUE(same_thread) << "the handlers write to the vault: they must run on the caller's thread";
}

TEST_F(SignedStreamTest, AHandlerErrorStopsTheReadAndIsWhatIsReturned) {
  int seen = 0;
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.on_record = [&](const nlohmann::json&) -> Status {
    if (++seen == 10) return fail(ErrorCode::bad_input, "record 10 is no good");
    return {};
  };
  auto st = read(h);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::bad_input);
  EXPECT_EQ(st.error().message, "record 10 is no good");
  EXPECT_EQ(seen, 10) << "no handler runs after one failed";
  EXPECT_LT(consumed.load(), file.size()) << "the reader stops instead of decrypting the rest";
}

TEST_F(SignedStreamTest, ARefusedHeaderStopsBeforeAnyRecord) {
  int records = 0;
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status {
    return fail(ErrorCode::auth_failed, "unknown signer");
  };
  h.on_record = [&](const nlohmann::json&) -> Status {
    ++records;
    return {};
  };
  auto st = read(h);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(records, 0);
}

TEST_F(SignedStreamTest, RecordsBeforeACutAreHandledInOrderThenTheCutIsReported) {
  const std::string cut = file.substr(0, file.size() * 6 / 10);
  int expected = 1;
  bool in_order = true;
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.on_record = [&](const nlohmann::json& j) -> Status {
    in_order = in_order && j.at("n").get<int>() == expected;
    ++expected;
    return {};
  };
  auto st = read(h, &cut);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::integrity) << st.error().message;
  EXPECT_TRUE(in_order);
  EXPECT_GT(expected, 1) << "the records before the cut were handed over";
  EXPECT_LT(expected, kRecords + 1);
}

TEST_F(SignedStreamTest, AWrongSignatureFailsAfterTheRecords) {
  // Signed by another key than the header names: every record is handled (inside the caller's
  // transaction), then the signature check fails and the caller rolls back.
  const std::string forged = write_stream(crypto::generate_ed25519(), 3, 0);
  int records = 0;
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.on_record = [&](const nlohmann::json&) -> Status {
    ++records;
    return {};
  };
  auto st = read(h, &forged);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::auth_failed) << st.error().message;
  EXPECT_EQ(records, 3);
}

TEST_F(SignedStreamTest, PreparedRecordsReachOnPreparedInOrderAndTheRestOnRecord) {
  // Even records are prepared (on the reading thread), odd ones left to on_record.
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> prepared_elsewhere{true};
  std::size_t expected_line = 2;
  bool lines_right = true;
  std::vector<int> order;
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.prepare = [&](const nlohmann::json& j, std::size_t line, std::any& out) -> Status {
    if (std::this_thread::get_id() == caller) prepared_elsewhere = false;
    lines_right = lines_right && line == expected_line++;
    const int n = j.at("n").get<int>();
    if (n % 2 == 0) out = -n;
    return {};
  };
  h.on_prepared = [&](std::any& p) -> Status {
    order.push_back(std::any_cast<int>(p));
    return {};
  };
  h.on_record = [&](const nlohmann::json& j) -> Status {
    order.push_back(j.at("n").get<int>());
    return {};
  };
  auto st = read(h);
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_EQ(order.size(), static_cast<std::size_t>(kRecords));
  for (int n = 1; n <= kRecords; ++n) ASSERT_EQ(order[n - 1], n % 2 == 0 ? -n : n) << "record " << n;
  EXPECT_TRUE(lines_right) << "the header is line 1, the first record line 2";
  EXPECT_TRUE(prepared_elsewhere) << "prepare runs on the reading thread";
}

TEST_F(SignedStreamTest, APrepareErrorComesAfterTheRecordsBeforeIt) {
  std::vector<int> handled;
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.prepare = [](const nlohmann::json& j, std::size_t, std::any& out) -> Status {
    if (j.at("n").get<int>() == 3000) return fail(ErrorCode::bad_input, "record 3000 is malformed");
    out = j.at("n").get<int>();
    return {};
  };
  h.on_prepared = [&](std::any& p) -> Status {
    handled.push_back(std::any_cast<int>(p));
    return {};
  };
  h.on_record = [](const nlohmann::json&) -> Status { return fail(ErrorCode::internal, "not expected"); };
  auto st = read(h);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "record 3000 is malformed");
  ASSERT_EQ(handled.size(), 2999u) << "every record before the bad one, and none after it";
  EXPECT_EQ(handled.back(), 2999);
}

TEST_F(SignedStreamTest, TheReaderStaysABoundedNumberOfBytesAheadOfLargeRecords) {
  // 12 records of 8 MiB: a queue bounded by groups alone would let the reader hold 8 of them
  // (64 MiB) while the caller is still at the first; the byte bound lets one more group in.
  constexpr std::size_t kBig = 8u << 20;
  const std::string big = write_stream(signer, 12, kBig);
  std::size_t ahead = 0;
  int records = 0;
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.on_record = [&](const nlohmann::json&) -> Status {
    if (++records == 1) {
      // Let the reader run as far ahead as it may: until it has read nothing for 300 ms.
      std::size_t last = consumed.load();
      for (int quiet = 0; quiet < 6;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const std::size_t now = consumed.load();
        quiet = now == last ? quiet + 1 : 0;
        last = now;
      }
      ahead = last;
    }
    return {};
  };
  auto st = read(h, &big);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(records, 12);
  EXPECT_LT(ahead, 5 * kBig) << "the reader had read " << ahead / (1 << 20) << " MiB while the first record was handled";
}

TEST_F(SignedStreamTest, AHandlerExceptionReachesTheCallerAndTheReaderStops) {
  SignedStreamHandlers h;
  h.on_header = [](const nlohmann::json&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.on_record = [&](const nlohmann::json& j) -> Status {
    if (j.at("n").get<int>() == 5) throw std::runtime_error("handler bug");
    return {};
  };
  EXPECT_THROW((void)read(h), std::runtime_error);
  EXPECT_LT(consumed.load(), file.size());
}

}  // namespace
}  // namespace bc::core
