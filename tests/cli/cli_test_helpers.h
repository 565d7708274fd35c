// Helpers shared by the CLI end-to-end tests: a per-test sandbox (vault folder, the CLI's own
// TMPDIR, a folder for input files), running the real backchannel-cli in it, and small checks
// on what it printed.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace bc::test::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

/// The passphrase every sandbox vault is created with. Distinctive, so that the canary test
/// can look for it in raw bytes.
inline const std::string kPassphrase = "Tr4ck-II passphrase zq81x vellum";
inline const std::string kNewPassphrase = "second passphrase 5h0rtbread quokka";

/// The spec's example meeting (5 participants, 7 notes, one organizers-only).
inline fs::path sample_meeting() { return sample_meeting_file(); }

/// Exit code, stdout and stderr, for failure messages.
inline std::string describe(const RunResult& r) {
  auto cut = [](const std::string& s) { return s.size() > 2000 ? s.substr(0, 2000) + "...(cut)" : s; };
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + cut(r.out) + "\n--- stderr ---\n" + cut(r.err);
}

/// "One clear error": stderr is exactly one line that starts with "error: ".
inline ::testing::AssertionResult one_clear_error(const RunResult& r) {
  const auto lines = std::count(r.err.begin(), r.err.end(), '\n');
  if (r.err.rfind("error: ", 0) != 0 || lines != 1 || r.err.back() != '\n')
    return ::testing::AssertionFailure() << "stderr is not one line starting with \"error: \":\n" << describe(r);
  return ::testing::AssertionSuccess();
}

/// The recovery codes (6 groups of 5 Crockford Base32 characters) in `text`.
inline std::vector<std::string> recovery_codes_in(const std::string& text) {
  static const std::regex kCode("[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kCode); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

/// "" when the two folder snapshots are equal, else which files differ (never the bytes).
inline std::string snapshot_diff(const std::map<std::string, std::string>& before,
                                 const std::map<std::string, std::string>& after) {
  std::string d;
  for (const auto& [name, bytes] : before) {
    auto it = after.find(name);
    if (it == after.end()) d += name + " was removed; ";
    else if (it->second != bytes) d += name + " changed; ";
  }
  for (const auto& [name, bytes] : after)
    if (!before.count(name)) d += name + " appeared (" + std::to_string(bytes.size()) + " bytes); ";
  return d;
}

/// Copies a whole vault folder (to tamper with the copy).
inline void copy_folder(const fs::path& from, const fs::path& to) {
  fs::copy(from, to, fs::copy_options::recursive);
}

/// One test's private world: `vault()` (created by init), `tmp()` (the TMPDIR every CLI run
/// gets) and `in()` (input files: imports, passphrase files).
class Sandbox {
 public:
  Sandbox() {
    fs::create_directory(tmp());
    fs::create_directory(in());
  }
  const fs::path& root() const { return dir_.path(); }
  fs::path vault() const { return dir_ / "vault"; }
  fs::path tmp() const { return dir_ / "tmp"; }
  fs::path in() const { return dir_ / "in"; }

  /// Runs the CLI with only TMPDIR (and `env`) set: no vault, no passphrase.
  RunResult raw(const std::vector<std::string>& args, std::map<std::string, std::string> env = {},
                const std::optional<std::string>& stdin_data = std::nullopt) const {
    env.try_emplace("TMPDIR", tmp().string());
    return run_cli(args, env, stdin_data);
  }

  /// Runs the CLI on this sandbox's vault with its passphrase (both through the environment);
  /// `env` adds variables or overrides those.
  RunResult run(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) const {
    env.try_emplace("BACKCHANNEL_VAULT", vault().string());
    env.try_emplace("BACKCHANNEL_PASSPHRASE", kPassphrase);
    return raw(args, std::move(env));
  }

  /// The same on another vault folder.
  RunResult run_on(const fs::path& vault_dir, const std::vector<std::string>& args,
                   std::map<std::string, std::string> env = {}) const {
    env["BACKCHANNEL_VAULT"] = vault_dir.string();
    return run(args, std::move(env));
  }

  /// `init --kdf interactive` on `vault()`; returns the printed recovery code ("" on failure,
  /// with a test failure recorded).
  std::string init() const { return init_at(vault()); }
  std::string init_at(const fs::path& dir) const {
    const RunResult r = run_on(dir, {"init", "--kdf", "interactive"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    const auto codes = recovery_codes_in(r.out);
    EXPECT_EQ(codes.size(), 1u) << "init should print exactly one recovery code\n" << describe(r);
    return codes.empty() ? std::string() : codes.front();
  }

  /// Imports a file; returns the new meeting id (0 on failure, with a test failure recorded).
  std::int64_t import(const fs::path& file) const {
    const RunResult r = run({"import-meeting", file.string()});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_TRUE(std::regex_match(r.out, std::regex("[1-9][0-9]*\n"))) << "stdout must be only the id\n" << describe(r);
    return r.exit_code == 0 ? std::stoll(r.out) : 0;
  }

  /// Runs a command that prints JSON and parses its stdout (null on failure, with a test
  /// failure recorded).
  json run_json(const std::vector<std::string>& args) const {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON\n" << describe(r);
    return j.is_discarded() ? json() : j;
  }

  /// The entry count `audit verify` reports (-1 on failure, with a test failure recorded).
  long long audit_entries() const {
    const RunResult r = run({"audit", "verify"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    std::smatch m;
    static const std::regex kCount("([0-9]+) entries");
    if (!std::regex_search(r.out, m, kCount)) {
      ADD_FAILURE() << "audit verify printed no entry count\n" << describe(r);
      return -1;
    }
    return std::stoll(m[1].str());
  }

  /// Writes a file under in() and returns its path.
  fs::path input(const std::string& name, const std::string& contents) const {
    const fs::path p = in() / name;
    write_file(p, contents);
    return p;
  }

 private:
  TempDir dir_;
};

}  // namespace bc::test::cli
