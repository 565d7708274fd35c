// End-to-end: `backchannel-cli age encrypt|decrypt` (no vault): round trips with the real `age`
// tool in both directions (keys and passphrases, binary and armored, files and pipes), the
// failure contract (first stderr line "error: <class>: <detail>", exit code 2, no output file
// left behind) on every supported vector of the CCTV age test kit and on our own broken files,
// and the usage errors (including which --passphrase-file is meant where).
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/sodium_init.h"
#include "cli_test_helpers.h"
#include "tty_runner.h"

namespace bc::test::cli {
namespace {

const std::string kAgePass = "Oslo channel, second round: no minutes";

std::string age_bin() { return find_on_path("age"); }
std::string age_keygen_bin() { return find_on_path("age-keygen"); }

std::string pattern(std::size_t n, std::uint32_t seed = 3) {
  std::string out(n, '\0');
  std::uint32_t x = seed * 2654435761u + 11;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return out;
}

std::string sha256_hex(const std::string& s) {
  const auto d = crypto::sha256({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : d) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

/// The failure contract: exit 2 and a first stderr line "error: <cls>: <detail>".
::testing::AssertionResult age_failure(const RunResult& r, const std::string& cls) {
  const std::string line = first_line(r.err);
  const std::string prefix = "error: " + cls + ": ";
  if (r.exit_code != 2 || line.rfind(prefix, 0) != 0 || line.size() <= prefix.size())
    return ::testing::AssertionFailure() << "expected exit 2 and \"" << prefix << "...\"\n" << describe(r);
  return ::testing::AssertionSuccess();
}

/// Files in `dir` other than the inputs: what a failed command may not leave behind.
std::vector<std::string> leftovers(const fs::path& dir, const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (std::find(inputs.begin(), inputs.end(), name) == inputs.end()) out.push_back(name);
  }
  return out;
}

class CliAge : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize().ok());
    ASSERT_FALSE(age_bin().empty()) << "the age tool is not installed (Debian package age; scripts/setup-deps --test)";
    key_ = sb_.in() / "key.txt";
    ASSERT_EQ(run_program(age_keygen_bin(), {"-o", key_.string()}).exit_code, 0);
    const RunResult pub = run_program(age_keygen_bin(), {"-y", key_.string()});
    ASSERT_EQ(pub.exit_code, 0);
    recipient_ = first_line(pub.out);
    pass_file_ = sb_.input("pass.txt", kAgePass + "\n");
  }

  /// The CLI with no vault at all.
  RunResult cli(const std::vector<std::string>& args, const std::optional<std::string>& stdin_data = std::nullopt) {
    return sb_.raw(args, {}, stdin_data);
  }

  Sandbox sb_;
  fs::path key_, pass_file_;
  std::string recipient_;
};

TEST_F(CliAge, HelpNamesEveryOptionAndTheFailureContract) {
  const RunResult group = cli({"age", "--help"});
  EXPECT_EQ(group.exit_code, 0);
  EXPECT_NE(group.out.find("encrypt"), std::string::npos);
  EXPECT_NE(group.out.find("decrypt"), std::string::npos);
  const RunResult enc = cli({"age", "encrypt", "--help"});
  for (const char* s : {"-r,--recipient", "--passphrase-file", "-a,--armor", "-o,--output", "IN", "--work-factor",
                        "after `age encrypt`"})
    EXPECT_NE(enc.out.find(s), std::string::npos) << s << "\n" << enc.out;
  const RunResult dec = cli({"age", "decrypt", "--help"});
  for (const char* s : {"-i,--identity", "--passphrase-file", "-o,--output", "IN", "error: <class>: <detail>",
                        "payload failure", "after `age decrypt`"})
    EXPECT_NE(dec.out.find(s), std::string::npos) << s << "\n" << dec.out;
  const RunResult top = cli({"--help"});
  EXPECT_NE(top.out.find("age"), std::string::npos);
}

TEST_F(CliAge, OursToAgeAndAgeToOursWithKeysBinaryAndArmored) {
  for (std::size_t n : {std::size_t{0}, std::size_t{65536}, std::size_t{3 * 65536 + 1}}) {
    const std::string plain = pattern(n, static_cast<std::uint32_t>(n));
    const fs::path plain_file = sb_.input("plain", plain);
    for (bool armor : {false, true}) {
      const fs::path ours = sb_.in() / "ours.age", theirs = sb_.in() / "theirs.age";
      fs::remove(ours);
      fs::remove(theirs);
      std::vector<std::string> args = {"age", "encrypt", "-r", recipient_, "-o", ours.string(), plain_file.string()};
      if (armor) args.push_back("-a");
      RunResult r = cli(args);
      ASSERT_EQ(r.exit_code, 0) << describe(r);
      EXPECT_TRUE(r.out.empty() && r.err.empty()) << describe(r);
      EXPECT_EQ(read_file(ours).rfind("-----BEGIN AGE ENCRYPTED FILE-----", 0) == 0, armor);
      r = run_program(age_bin(), {"-d", "-i", key_.string(), ours.string()});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_TRUE(r.out == plain) << n << (armor ? " armored" : "");

      std::vector<std::string> age_args = {"-r", recipient_, "-o", theirs.string(), plain_file.string()};
      if (armor) age_args.insert(age_args.begin(), "-a");
      ASSERT_EQ(run_program(age_bin(), age_args).exit_code, 0);
      r = cli({"age", "decrypt", "-i", key_.string(), theirs.string()});
      ASSERT_EQ(r.exit_code, 0) << describe(r);
      EXPECT_TRUE(r.out == plain) << n << (armor ? " armored" : "");
    }
  }
}

TEST_F(CliAge, StandardInputAndOutputByDefault) {
  const std::string plain = pattern(100000);
  RunResult enc = cli({"age", "encrypt", "-a", "-r", recipient_}, plain);
  ASSERT_EQ(enc.exit_code, 0) << describe(enc);
  RunResult dec = cli({"age", "decrypt", "-i", key_.string()}, enc.out);
  ASSERT_EQ(dec.exit_code, 0) << describe(dec);
  EXPECT_TRUE(dec.out == plain);
  // "-" names standard input and output too.
  dec = cli({"age", "decrypt", "-i", key_.string(), "-o", "-", "-"}, enc.out);
  ASSERT_EQ(dec.exit_code, 0) << describe(dec);
  EXPECT_TRUE(dec.out == plain);
}

TEST_F(CliAge, PassphrasesBothWaysWithAgeOnATerminal) {
  const std::string plain = pattern(70000);
  const fs::path plain_file = sb_.input("plain", plain);
  const fs::path ours = sb_.in() / "ours.age", theirs = sb_.in() / "theirs.age", out = sb_.in() / "out";
  // The age-specific --passphrase-file comes after `age encrypt`.
  RunResult r = cli({"age", "encrypt", "--passphrase-file", pass_file_.string(), "--work-factor", "12", "-o",
                     ours.string(), plain_file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(read_file(ours).find("\n-> scrypt "), std::string::npos);
  TtyResult t = run_on_tty(age_bin(), {"-d", "-o", out.string(), ours.string()}, {{"Enter passphrase", kAgePass}});
  ASSERT_EQ(t.exit_code, 0) << t.transcript;
  EXPECT_TRUE(read_file(out) == plain);

  t = run_on_tty(age_bin(), {"-p", "-a", "-o", theirs.string(), plain_file.string()},
                 {{"Enter passphrase (leave empty", kAgePass}, {"Confirm passphrase", kAgePass}});
  ASSERT_EQ(t.exit_code, 0) << t.transcript;
  r = cli({"age", "decrypt", "--passphrase-file", pass_file_.string(), theirs.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(r.out == plain);

  // The wrong passphrase: no match, and no output file.
  const fs::path wrong = sb_.input("wrong.txt", "not it\n");
  r = cli({"age", "decrypt", "--passphrase-file", wrong.string(), "-o", (sb_.in() / "never").string(), theirs.string()});
  EXPECT_TRUE(age_failure(r, "no match"));
  EXPECT_FALSE(fs::exists(sb_.in() / "never"));
}

TEST_F(CliAge, PassphraseFileBeforeTheCommandIsTheVaultsAndIsExplained) {
  const fs::path plain_file = sb_.input("plain", "x");
  // Before `age`: the global (vault) option; the age command has no passphrase and says why.
  RunResult r = cli({"--passphrase-file", pass_file_.string(), "age", "encrypt", plain_file.string()});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_NE(r.err.find("after `age encrypt`"), std::string::npos) << describe(r);
  // After `age encrypt`: the age command's own option, even when the global one is also given.
  r = cli({"--passphrase-file", (sb_.in() / "nonexistent").string(), "age", "encrypt", "--passphrase-file",
           pass_file_.string(), "--work-factor", "10", "-a", plain_file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  r = cli({"age", "decrypt", "--passphrase-file", pass_file_.string()}, r.out);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out, "x");
}

TEST_F(CliAge, UsageErrors) {
  const fs::path plain_file = sb_.input("plain", "x");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"age"}, {"age", "encrypt", plain_file.string()},
        {"age", "encrypt", "-r", recipient_, "--passphrase-file", pass_file_.string(), plain_file.string()},
        {"age", "encrypt", "-r", "age1notarecipient", plain_file.string()},
        {"age", "encrypt", "-r", recipient_, "--work-factor", "40", plain_file.string()},
        {"age", "decrypt", plain_file.string()},
        {"age", "decrypt", "-i", key_.string(), "--passphrase-file", pass_file_.string(), plain_file.string()}}) {
    const RunResult r = cli(args);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << describe(r);
  }
}

TEST_F(CliAge, IdentityFilesAreCheckedLineByLineWithoutEchoingThem) {
  const RunResult enc = cli({"age", "encrypt", "-a", "-r", recipient_}, std::string("x"));
  ASSERT_EQ(enc.exit_code, 0);
  const std::string key_text = read_file(key_);
  // Comments, blank lines and CRLF are fine.
  std::string crlf;
  for (char c : "# a comment\n\n" + key_text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  RunResult r = cli({"age", "decrypt", "-i", sb_.input("crlf.txt", crlf).string()}, enc.out);
  EXPECT_EQ(r.exit_code, 0) << describe(r);

  const std::string secret_looking = "MY-SECRET-NOTE-42";
  r = cli({"age", "decrypt", "-i", sb_.input("bad.txt", key_text + secret_looking + "\n").string()}, enc.out);
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  EXPECT_NE(r.err.find("line 4"), std::string::npos) << describe(r);
  EXPECT_EQ(r.err.find(secret_looking), std::string::npos) << "the line's content must not be echoed";

  std::string broken = key_text;
  const std::size_t k = broken.find("AGE-SECRET-KEY-1");
  broken[k + 20] = broken[k + 20] == 'Q' ? 'P' : 'Q';
  r = cli({"age", "decrypt", "-i", sb_.input("checksum.txt", broken).string()}, enc.out);
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  EXPECT_EQ(r.err.find(broken.substr(k, 30)), std::string::npos) << "the key must not be echoed";

  r = cli({"age", "decrypt", "-i",
           sb_.input("pq.txt", "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG\n").string()},
          enc.out);
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  EXPECT_NE(r.err.find("post-quantum"), std::string::npos) << describe(r);

  r = cli({"age", "decrypt", "-i", sb_.input("empty.txt", "# nothing\n").string()}, enc.out);
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  r = cli({"age", "decrypt", "-i", (sb_.in() / "missing.txt").string()}, enc.out);
  EXPECT_EQ(r.exit_code, 4) << describe(r);
}

TEST_F(CliAge, RefusesBinaryOutputToATerminal) {
  const fs::path plain_file = sb_.input("plain", "x");
  const TtyResult t = run_on_tty(cli_path(), {"age", "encrypt", "-r", recipient_, plain_file.string()}, {});
  EXPECT_EQ(t.exit_code, 1) << t.transcript;
  EXPECT_NE(t.transcript.find("use -a"), std::string::npos) << t.transcript;
}

// --- The failure contract -------------------------------------------------------------------

TEST_F(CliAge, BrokenFilesFailWithTheirClassExitCode2AndNoOutputFile) {
  const std::string plain = pattern(3 * 65536 + 100);
  RunResult enc = cli({"age", "encrypt", "-r", recipient_}, plain);
  ASSERT_EQ(enc.exit_code, 0);
  const std::string good = enc.out;
  const std::size_t header_end = good.find('\n', good.find("\n--- ") + 1) + 1;
  RunResult armored = cli({"age", "encrypt", "-a", "-r", recipient_}, plain);
  ASSERT_EQ(armored.exit_code, 0);

  std::string bad_mac = good;
  bad_mac[header_end - 10] = bad_mac[header_end - 10] == 'A' ? 'B' : 'A';
  std::string bad_chunk = good;
  bad_chunk[header_end + 16 + 65552 + 5] ^= 1;
  std::string bad_armor = armored.out;
  bad_armor.insert(40, " ");
  const RunResult other = run_program(age_keygen_bin(), {});
  ASSERT_EQ(other.exit_code, 0);
  const std::string other_key = other.out;

  struct Case {
    std::string name, file, cls;
    bool other_identity = false;
  };
  const std::vector<Case> cases = {
      {"tampered MAC", bad_mac, "HMAC failure"},
      {"tampered second chunk", bad_chunk, "payload failure"},
      {"truncated", good.substr(0, good.size() - 1000), "payload failure"},
      {"trailing data", good + "x", "payload failure"},
      {"not an age file", "hello, world\n", "header failure"},
      {"empty file", "", "header failure"},
      {"broken armor", bad_armor, "armor failure"},
      {"someone else's file", good, "no match", true},
  };
  const fs::path id_other = sb_.input("other.txt", other_key);
  for (const Case& c : cases) {
    const fs::path in = sb_.input("in.age", c.file);
    const fs::path out = sb_.in() / "out.bin";
    const RunResult r =
        cli({"age", "decrypt", "-i", (c.other_identity ? id_other : key_).string(), "-o", out.string(), in.string()});
    EXPECT_TRUE(age_failure(r, c.cls)) << c.name;
    EXPECT_FALSE(fs::exists(out)) << c.name;
    EXPECT_EQ(leftovers(sb_.in(), {"key.txt", "pass.txt", "in.age", "other.txt"}), std::vector<std::string>{}) << c.name;
    // An existing output file is left as it was, even when the user asked to replace it.
    write_file(out, "previous contents");
    const RunResult again = cli({"age", "decrypt", "-i", (c.other_identity ? id_other : key_).string(), "-o",
                                 out.string(), "--force", in.string()});
    EXPECT_TRUE(age_failure(again, c.cls)) << c.name;
    EXPECT_EQ(read_file(out), "previous contents") << c.name;
    fs::remove(out);
  }
  // To standard output, the chunks that verified before the failure have been written.
  const RunResult r = cli({"age", "decrypt", "-i", key_.string()}, bad_chunk);
  EXPECT_TRUE(age_failure(r, "payload failure"));
  EXPECT_TRUE(r.out == plain.substr(0, 65536)) << r.out.size();
}

std::string inflate_all(const std::string& in) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return {};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return out;
}

TEST_F(CliAge, EverySupportedCctvVectorThroughTheCommandLine) {
  // The CCTV age test kit (tests/data/age-cctv; see test_age_cctv.cpp): through the CLI,
  // success must write exactly the expected plaintext; every failure must follow the contract.
  const fs::path kit = age_cctv_dir();
  std::size_t run = 0, skipped = 0;
  for (const auto& e : fs::directory_iterator(kit)) {
    const std::string name = e.path().filename().string();
    const std::string raw = read_file(e.path());
    const std::size_t split = raw.find("\n\n");
    ASSERT_NE(split, std::string::npos) << name;
    std::multimap<std::string, std::string> meta;
    std::istringstream lines(raw.substr(0, split));
    for (std::string line; std::getline(lines, line);) meta.emplace(line.substr(0, line.find(": ")), line.substr(line.find(": ") + 2));
    std::string file = raw.substr(split + 2);
    if (meta.count("compressed")) file = inflate_all(file);
    std::string identities, passphrase;
    bool pq = false;
    for (auto [a, b] = meta.equal_range("identity"); a != b; ++a) {
      pq = pq || a->second.rfind("AGE-SECRET-KEY-PQ-1", 0) == 0;
      identities += a->second + "\n";
    }
    if (pq) {
      ++skipped;
      continue;
    }
    const auto passes = meta.equal_range("passphrase");
    const std::size_t n_pass = static_cast<std::size_t>(std::distance(passes.first, passes.second));
    if (n_pass > 1) {
      ++skipped;  // the CLI takes one passphrase (scrypt_double is covered by test_age_cctv)
      continue;
    }
    ++run;
    const fs::path in = sb_.input("vector.age", file), out = sb_.in() / "vector.out";
    std::vector<std::string> args = {"age", "decrypt", "-o", out.string(), in.string()};
    if (n_pass == 1) {
      args.insert(args.end(), {"--passphrase-file", sb_.input("vector.pass", passes.first->second).string()});
    } else {
      // Vectors without any identity (empty, armor_empty) fail before one is needed.
      args.insert(args.end(), {"-i", identities.empty() ? key_.string() : sb_.input("vector.key", identities).string()});
    }
    const RunResult r = cli(args);
    const std::string expect = meta.find("expect")->second;
    if (expect == "success") {
      EXPECT_EQ(r.exit_code, 0) << name << "\n" << describe(r);
      EXPECT_EQ(sha256_hex(read_file(out)), meta.find("payload")->second) << name;
    } else {
      EXPECT_TRUE(age_failure(r, expect)) << name;
      EXPECT_FALSE(fs::exists(out)) << name;
    }
    fs::remove(out);
  }
  EXPECT_EQ(run + skipped, 143u);
  EXPECT_EQ(skipped, 20u) << "19 post-quantum vectors and scrypt_double";
}

}  // namespace
}  // namespace bc::test::cli
