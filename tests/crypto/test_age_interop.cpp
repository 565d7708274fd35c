// Unit: crypto/age against the real `age` tool (Debian package age, 1.1.1 on Debian 12;
// scripts/setup-deps --test installs it). Both directions, for X25519 keys made by age-keygen
// and by us, and for scrypt passphrases (age reads those only from a terminal, so it runs on a
// pseudo-terminal that types the passphrase), binary and armored, at sizes around the 64 KiB
// chunk boundaries and a few MB.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "backchannel/crypto/age.h"
#include "crypto_test_support.h"
#include "test_support.h"
#include "tty_runner.h"

namespace bc::crypto::age {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

constexpr const char* kPassphrase = "Geneva, room 4: corridor talk only";

std::string age_bin() { return bc::test::find_on_path("age"); }
std::string age_keygen_bin() { return bc::test::find_on_path("age-keygen"); }

std::string pattern(std::size_t n, std::uint32_t seed) {
  std::string out(n, '\0');
  std::uint32_t x = seed * 2654435761u + 7;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return out;
}

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// A key pair in both worlds: the identity file age reads, and our parsed identity.
struct KeyPair {
  fs::path identity_file;
  std::string recipient;
};

enum class Kind { keygen_key, our_key, passphrase };
enum class Direction { ours_to_age, age_to_ours };

std::string name_of(Kind k) {
  switch (k) {
    case Kind::keygen_key: return "AgeKeygenKey";
    case Kind::our_key: return "OurKey";
    case Kind::passphrase: return "Passphrase";
  }
  return "?";
}

class AgeInterop : public ::testing::TestWithParam<std::tuple<Direction, Kind, bool, std::size_t>> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new bc::test::TempDir();
    if (age_bin().empty() || age_keygen_bin().empty()) return;
    // age-keygen's key, in its own file format.
    keygen_.identity_file = dir_->path() / "keygen.txt";
    const bc::test::RunResult gen = bc::test::run_program(age_keygen_bin(), {"-o", keygen_.identity_file.string()});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    const bc::test::RunResult pub = bc::test::run_program(age_keygen_bin(), {"-y", keygen_.identity_file.string()});
    ASSERT_EQ(pub.exit_code, 0) << pub.err;
    keygen_.recipient = pub.out.substr(0, pub.out.find('\n'));
    // Our key, written the way age-keygen writes one.
    const X25519Identity ours = X25519Identity::generate();
    ours_.recipient = ours.recipient().to_string();
    ours_.identity_file = dir_->path() / "ours.txt";
    bc::test::write_file(ours_.identity_file, "# created by Backchannel's test\n# public key: " + ours_.recipient + "\n" +
                                                  std::string(ours.to_string().view()) + "\n");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_FALSE(age_bin().empty()) << "the age tool is not installed (Debian package age; scripts/setup-deps --test)";
    ASSERT_FALSE(age_keygen_bin().empty()) << "age-keygen is not installed (Debian package age)";
  }

  static const KeyPair& key(Kind k) { return k == Kind::keygen_key ? keygen_ : ours_; }

  /// Our identities for a kind: parsed from the identity file age also reads.
  static std::vector<Identity> our_identities(Kind k) {
    std::vector<Identity> ids;
    if (k == Kind::passphrase) {
      ScryptPassphrase p;
      p.passphrase = SecureBuffer::copy_of(std::string_view(kPassphrase));
      ids.emplace_back(std::move(p));
      return ids;
    }
    const std::string text = bc::test::read_file(key(k).identity_file);
    std::smatch m;
    EXPECT_TRUE(std::regex_search(text, m, std::regex("AGE-SECRET-KEY-1[0-9A-Z]+")));
    Result<X25519Identity> id = X25519Identity::parse(m.str());
    EXPECT_TRUE(id.ok());
    if (id.ok()) ids.emplace_back(std::move(id.value()));
    return ids;
  }

  static bc::test::TempDir* dir_;
  static KeyPair keygen_, ours_;
};

bc::test::TempDir* AgeInterop::dir_ = nullptr;
KeyPair AgeInterop::keygen_, AgeInterop::ours_;

TEST_P(AgeInterop, RoundTrip) {
  const auto [direction, kind, armor, size] = GetParam();
  const std::string plain = pattern(size, static_cast<std::uint32_t>(size) + (armor ? 1u : 0u));
  bc::test::TempDir work;
  const fs::path plain_file = work / "plain", enc_file = work / "file.age", out_file = work / "out";
  const std::string age = age_bin();

  if (direction == Direction::ours_to_age) {
    std::vector<Recipient> recipients;
    if (kind == Kind::passphrase) {
      ScryptPassphrase p;
      p.passphrase = SecureBuffer::copy_of(std::string_view(kPassphrase));
      p.work_factor = 16;
      recipients.emplace_back(std::move(p));
    } else {
      Result<X25519Recipient> r = X25519Recipient::parse(key(kind).recipient);
      ASSERT_TRUE(r.ok()) << key(kind).recipient;
      recipients.emplace_back(*r);
    }
    Result<Bytes> file = encrypt_to_memory(recipients, as_bytes(plain), armor);
    ASSERT_TRUE(file.ok()) << file.error().message;
    bc::test::write_file(enc_file, std::string(file->begin(), file->end()));
    if (armor) {
      ASSERT_EQ(bc::test::read_file(enc_file).rfind("-----BEGIN AGE ENCRYPTED FILE-----\n", 0), 0u);
    }
    if (kind == Kind::passphrase) {
      const bc::test::TtyResult r =
          bc::test::run_on_tty(age, {"-d", "-o", out_file.string(), enc_file.string()}, {{"Enter passphrase", kPassphrase}});
      ASSERT_EQ(r.exit_code, 0) << r.transcript;
    } else {
      const bc::test::RunResult r = bc::test::run_program(
          age, {"-d", "-i", key(kind).identity_file.string(), "-o", out_file.string(), enc_file.string()});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    EXPECT_TRUE(bc::test::read_file(out_file) == plain) << "age decrypted something else";
  } else {
    bc::test::write_file(plain_file, plain);
    std::vector<std::string> args;
    if (armor) args.push_back("-a");
    if (kind == Kind::passphrase) {
      args.insert(args.end(), {"-p", "-o", enc_file.string(), plain_file.string()});
      const bc::test::TtyResult r = bc::test::run_on_tty(
          age, args, {{"Enter passphrase (leave empty", kPassphrase}, {"Confirm passphrase", kPassphrase}});
      ASSERT_EQ(r.exit_code, 0) << r.transcript;
    } else {
      args.insert(args.end(), {"-r", key(kind).recipient, "-o", enc_file.string(), plain_file.string()});
      const bc::test::RunResult r = bc::test::run_program(age, args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const std::string file = bc::test::read_file(enc_file);
    if (armor) {
      ASSERT_EQ(file.rfind("-----BEGIN AGE ENCRYPTED FILE-----", 0), 0u);
    }
    std::vector<std::uint8_t> released;
    auto result = decrypt_from_memory(our_identities(kind), as_bytes(file), &released);
    ASSERT_TRUE(result.ok()) << result.error().message;
    const Bytes& got = *result;
    EXPECT_TRUE(std::string(got.begin(), got.end()) == plain) << "we decrypted something else";
  }
}

// Sizes: empty, one byte, around one 64 KiB chunk, three full chunks, and a few MB.
INSTANTIATE_TEST_SUITE_P(
    Matrix, AgeInterop,
    ::testing::Combine(::testing::Values(Direction::ours_to_age, Direction::age_to_ours),
                       ::testing::Values(Kind::keygen_key, Kind::our_key, Kind::passphrase), ::testing::Bool(),
                       ::testing::Values(std::size_t{0}, std::size_t{1}, std::size_t{65535}, std::size_t{65536},
                                         std::size_t{65537}, std::size_t{3 * 65536}, std::size_t{5 * 1024 * 1024 + 123})),
    [](const ::testing::TestParamInfo<AgeInterop::ParamType>& p) {
      return std::string(std::get<0>(p.param) == Direction::ours_to_age ? "OursToAge" : "AgeToOurs") + "_" +
             name_of(std::get<1>(p.param)) + "_" + (std::get<2>(p.param) ? "Armored" : "Binary") + "_" +
             std::to_string(std::get<3>(p.param));
    });

TEST(AgeInteropErrors, AgeRefusesOurFileWithTheWrongKeyAndWeRefuseItsFileWithTheWrongKey) {
  const std::string age = age_bin(), keygen = age_keygen_bin();
  ASSERT_FALSE(age.empty()) << "the age tool is not installed (Debian package age; scripts/setup-deps --test)";
  bc::test::TempDir work;
  const fs::path key_file = work / "key.txt", enc = work / "f.age", plain = work / "plain";
  ASSERT_EQ(bc::test::run_program(keygen, {"-o", key_file.string()}).exit_code, 0);
  const X25519Identity ours = X25519Identity::generate();
  std::vector<Recipient> recipients;
  recipients.emplace_back(ours.recipient());
  Result<Bytes> file = encrypt_to_memory(recipients, as_bytes(std::string("x")));
  ASSERT_TRUE(file.ok());
  bc::test::write_file(enc, std::string(file->begin(), file->end()));
  EXPECT_NE(bc::test::run_program(age, {"-d", "-i", key_file.string(), enc.string()}).exit_code, 0);

  bc::test::write_file(plain, "x");
  const bc::test::RunResult pub = bc::test::run_program(keygen, {"-y", key_file.string()});
  ASSERT_EQ(bc::test::run_program(age, {"-r", pub.out.substr(0, pub.out.find('\n')), "-o", enc.string(), plain.string()}).exit_code, 0);
  const std::string theirs = bc::test::read_file(enc);
  std::vector<Identity> ids;
  ids.emplace_back(X25519Identity{ours.secret_key.clone()});
  auto result = decrypt_from_memory(ids, as_bytes(theirs));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(failure_class(result.error()), FailureClass::no_match);
  EXPECT_EQ(result.error().code, ErrorCode::auth_failed);
}

}  // namespace
}  // namespace bc::crypto::age
