// Memory after lock: the probe (secrets_probe memdump) creates a vault, adds and reads a canary
// note, locks the vault and scans its own memory through /proc/self/mem. While the vault is open
// the scan must find the master key and the note (the scanner works); after lock() no key, no
// passphrase, no recovery code and no note text may be left anywhere in the process.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "test_support.h"

using namespace bc::test;

namespace {

struct Scan {
  std::map<std::string, long long> hits;
  std::map<std::string, std::string> where;
};

std::map<std::string, Scan> parse(const std::string& out) {
  std::map<std::string, Scan> phases;
  std::istringstream in(out);
  static const std::regex kLine("(open|locked) ([a-z-]+) ([0-9]+) (.*)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, kLine)) {
      phases[m[1]].hits[m[2]] = std::stoll(m[3]);
      phases[m[1]].where[m[2]] = m[4];
    }
  }
  return phases;
}

}  // namespace

TEST(SecretsMemory, NoKeyPassphraseOrNoteTextRemainsAfterLock) {
  TempDir dir;
  const RunResult r = run_program(BC_SECRETS_PROBE, {"memdump", (dir / "vault").string()},
                                  {{"TMPDIR", dir.path().string()}});
  std::printf("%s", r.out.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto phases = parse(r.out);
  ASSERT_EQ(phases.count("open"), 1u) << r.out;
  ASSERT_EQ(phases.count("locked"), 1u) << r.out;
  // Positive control: the scanner sees what is there while the vault is open.
  EXPECT_GE(phases["open"].hits["master-key"], 1) << r.out;
  EXPECT_GE(phases["open"].hits["note-latin"], 1) << r.out;
  for (const char* secret : {"passphrase", "recovery-code", "master-key", "database-key", "database-key-hex",
                             "audit-key", "pseudonym-key", "identity-key"})
    EXPECT_EQ(phases["locked"].hits[secret], 0) << secret << " found after lock in " << phases["locked"].where[secret];
  for (const char* text : {"note-latin", "note-latin-folded", "note-persian"})
    EXPECT_EQ(phases["locked"].hits[text], 0) << text << " found after lock in " << phases["locked"].where[text];
}
