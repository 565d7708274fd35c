// The signed record stream under every archive, package and response (signed_records.h): the
// handlers see nothing until the whole file decrypted and its signature verified (issue 15,
// item 3), then every record in order; the first error (a handler's, a cut, a wrong signature)
// or exception stops the read.
#include "signed_records.h"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/identity_keys.h"

namespace bc::core {
namespace {

constexpr int kRecords = 20000;  // about 2 MiB: many age chunks

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
  std::size_t consumed = 0;
};

TEST_F(SignedStreamTest, HandlersSeeEveryRecordInOrderOnTheCallingThread) {
  const auto caller = std::this_thread::get_id();
  int headers = 0, expected = 1;
  bool same_thread = true, in_order = true;
  SignedStreamHandlers h;
  h.on_header = [&](const SecureJson& j, const crypto::Ed25519Public& key) -> Status {
    ++headers;
    same_thread = same_thread && std::this_thread::get_id() == caller;
    EXPECT_EQ(key, signer.public_key);
    EXPECT_TRUE(j.contains("signer"));
    return {};
  };
  h.on_record = [&](const SecureJson& j) -> Status {
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
  h.on_header = [](const SecureJson&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.on_record = [&](const SecureJson&) -> Status {
    if (++seen == 10) return fail(ErrorCode::bad_input, "record 10 is no good");
    return {};
  };
  auto st = read(h);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::bad_input);
  EXPECT_EQ(st.error().message, "record 10 is no good");
  EXPECT_EQ(seen, 10) << "no handler runs after one failed";
}

TEST_F(SignedStreamTest, ARefusedHeaderStopsBeforeAnyRecord) {
  int records = 0;
  SignedStreamHandlers h;
  h.on_header = [](const SecureJson&, const crypto::Ed25519Public&) -> Status {
    return fail(ErrorCode::auth_failed, "unknown signer");
  };
  h.on_record = [&](const SecureJson&) -> Status {
    ++records;
    return {};
  };
  auto st = read(h);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(records, 0);
}

// Issue 15, item 3: a file cut short (its age stream ends early) hands nothing over, neither the
// header nor the records before the cut.
TEST_F(SignedStreamTest, AFileCutShortHandsNothingOver) {
  const std::string cut = file.substr(0, file.size() * 6 / 10);
  int seen = 0;
  SignedStreamHandlers h;
  h.on_header = [&](const SecureJson&, const crypto::Ed25519Public&) -> Status {
    ++seen;
    return {};
  };
  h.on_record = [&](const SecureJson&) -> Status {
    ++seen;
    return {};
  };
  auto st = read(h, &cut);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::integrity) << st.error().message;
  EXPECT_EQ(seen, 0) << "no unauthenticated line reaches a handler";
}

// Issue 15, item 3: signed by another key than the header names. The signature is checked
// before any handler runs, so no merge code ever sees the forged records.
TEST_F(SignedStreamTest, AWrongSignatureFailsBeforeAnyHandlerRuns) {
  const std::string forged = write_stream(crypto::generate_ed25519(), 3, 0);
  int seen = 0;
  SignedStreamHandlers h;
  h.on_header = [&](const SecureJson&, const crypto::Ed25519Public&) -> Status {
    ++seen;
    return {};
  };
  h.on_record = [&](const SecureJson&) -> Status {
    ++seen;
    return {};
  };
  auto st = read(h, &forged);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::auth_failed) << st.error().message;
  EXPECT_EQ(seen, 0);
}

TEST_F(SignedStreamTest, AHandlerExceptionReachesTheCallerAndTheReaderStops) {
  SignedStreamHandlers h;
  h.on_header = [](const SecureJson&, const crypto::Ed25519Public&) -> Status { return {}; };
  h.on_record = [&](const SecureJson& j) -> Status {
    if (j.at("n").get<int>() == 5) throw std::runtime_error("handler bug");
    return {};
  };
  EXPECT_THROW((void)read(h), std::runtime_error);
}

}  // namespace
}  // namespace bc::core
