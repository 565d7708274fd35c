// I/O faults: the real backchannel-cli under fiu-run (libfiu's POSIX preload: failing pwrite,
// write, fsync, fdatasync and rename, with EIO or ENOSPC), and on a tiny full file system (a
// 2 MiB tmpfs, when running as root). Every failure must be one clear error (exit 5, saying what
// to do), never a crash (death by a signal); the vault is never truncated or recreated, and every
// note whose `note <id>` was printed is still there afterwards.
//
// Counts: BC_FAULT_RUNS (random write/sync failures during `note add`; default 10,
// scripts/security 200).
#include <gtest/gtest.h>

#include <sys/mount.h>

#include <regex>

#include "cli_archive_helpers.h"
#include "security_support.h"

namespace bc::test::security {
namespace {

std::string fiu_run_bin() { return find_on_path("fiu-run"); }

/// One failure point for fiu-run: "enable name=...,failinfo=ERRNO" or enable_random with a
/// probability; `onetime` fails only the first call.
std::string fail_point(const std::string& name, int err, double probability = 1.0, bool onetime = false) {
  std::string c = probability < 1.0 ? "enable_random name=" + name + ",probability=" + std::to_string(probability)
                                    : "enable name=" + name;
  c += ",failinfo=" + std::to_string(err);
  if (onetime) c += ",onetime=1";
  return c;
}

/// "Saying what to do": exit 5 and one line that tells the user how to go on.
::testing::AssertionResult clear_system_error(const RunResult& r) {
  if (r.exit_code != 5) return ::testing::AssertionFailure() << "expected exit 5\n" << describe(r);
  if (auto one = one_clear_error(r); !one) return one;
  static const std::regex kAdvice("try again|free some space|check the disk", std::regex::icase);
  if (!std::regex_search(r.err, kAdvice)) return ::testing::AssertionFailure() << "the error does not say what to do\n" << describe(r);
  return ::testing::AssertionSuccess();
}

class IoFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    if (fiu_run_bin().empty()) GTEST_SKIP() << "fiu-run is not installed (Debian package fiu-utils)";
    ASSERT_FALSE(sb.init().empty());
    ASSERT_EQ(sb.import(sample_meeting()), 1);
    keys = read_file(sb.vault() / "vault.keys");
    db_inode = inode_of(sb.vault() / "vault.db");
  }

  /// The CLI on the sandbox vault under fiu-run with `points` enabled.
  RunResult faulty(const std::vector<std::string>& points, const std::vector<std::string>& args,
                   std::map<std::string, std::string> extra = {}) const {
    std::vector<std::string> a = {"-x", "-f", ""};
    for (const auto& p : points) a.insert(a.end(), {"-c", p});
    a.push_back(cli_path());
    a.insert(a.end(), args.begin(), args.end());
    extra.try_emplace("BACKCHANNEL_VAULT", sb.vault().string());
    extra.try_emplace("BACKCHANNEL_PASSPHRASE", kPassphrase);
    extra.try_emplace("TMPDIR", sb.tmp().string());
    return run_program(fiu_run_bin(), a, extra);
  }

  /// The vault was neither truncated nor recreated, its keys are the same, and it passes check.
  void expect_vault_intact(const std::string& when) const {
    SCOPED_TRACE(when);
    EXPECT_EQ(inode_of(sb.vault() / "vault.db"), db_inode) << "vault.db was recreated";
    EXPECT_EQ(read_file(sb.vault() / "vault.keys"), keys) << "vault.keys changed";
    const RunResult check = sb.run({"check"});
    EXPECT_EQ(check.exit_code, 0) << describe(check);
  }

  Sandbox sb;
  std::string keys;
  ino_t db_inode = 0;
};

TEST_F(IoFaults, NoteAddUnderRandomDatabaseWriteAndSyncFailures) {
  const long runs = env_count("BC_FAULT_RUNS", 10);
  std::mt19937_64 rng(seed());
  std::map<long long, std::string> acked;
  static const std::regex kAck("note ([0-9]+)\n");
  long ok = 0, failed = 0;
  std::map<std::string, long> messages;
  for (long i = 0; i < runs; ++i) {
    const int err = i % 2 == 0 ? 5 /* EIO */ : 28 /* ENOSPC */;
    const double p = 0.01 + 0.03 * static_cast<double>(rng() % 100) / 100.0;
    const std::string text = "fault note " + std::to_string(i) + " " + std::to_string(rng() % 100000);
    const RunResult r = faulty({fail_point("posix/io/rw/pwrite", err, p), fail_point("posix/io/rw/pwritev", err, p),
                                fail_point("posix/io/sync/fsync", err, p), fail_point("posix/io/sync/fdatasync", err, p),
                                fail_point("posix/io/rw/ftruncate", err, p)},
                               {"note", "add", "--meeting", "1", "--speaker", "c", text});
    ASSERT_LT(r.exit_code, 128) << "the CLI died of a signal\n" << describe(r);
    std::smatch m;
    if (r.exit_code == 0) {
      ASSERT_TRUE(std::regex_match(r.out, m, kAck)) << describe(r);
      acked[std::stoll(m[1].str())] = text;
      ++ok;
    } else {
      ASSERT_TRUE(clear_system_error(r)) << "run " << i;
      EXPECT_EQ(r.out, "");
      const std::string what = r.err.substr(7);  // after "error: "
      ++messages[what.substr(0, what.find(':'))];
      ++failed;
    }
    expect_vault_intact("after run " + std::to_string(i));
    if (HasFailure()) return;
    const json notes = sb.run_json({"notes", "--meeting", "1", "--json"});
    std::map<long long, std::string> present;
    for (const auto& n : notes) present[n["id"].get<long long>()] = n["text"].get<std::string>();
    for (const auto& [id, t] : acked) { ASSERT_EQ(present[id], t) << "acknowledged note " << id << " lost after run " << i; }
  }
  EXPECT_GT(failed, 0) << "no run failed: the failure points did not fire";
  std::string kinds;
  for (const auto& [k, n] : messages) kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + "x \"" + k + "\"";
  report("I/O faults (fiu), note add with random pwrite/fsync/fdatasync/ftruncate failures: %ld runs, %ld succeeded, "
         "%ld failed with exit 5 and advice (%s), 0 crashes, 0 lost notes, vault intact after every run",
         runs, ok, failed, kinds.c_str());
}

TEST_F(IoFaults, PasswdThatCannotWriteSyncOrRenameTheKeyFileChangesNothing) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"write fails with ENOSPC", {fail_point("posix/io/rw/write", 28, 1.0, true)}},
      {"write fails with EIO", {fail_point("posix/io/rw/write", 5, 1.0, true)}},
      {"fsync fails with EIO", {fail_point("posix/io/sync/fsync", 5)}},
      {"rename fails with EIO", {fail_point("posix/io/dir/rename", 5)}},
  };
  for (const auto& [what, points] : cases) {
    SCOPED_TRACE(what);
    const RunResult r = faulty(points, {"passwd"}, {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
    EXPECT_TRUE(clear_system_error(r));
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(files_in(sb.vault()), (std::set<std::string>{"vault.db", "vault.keys"})) << "a temporary file was left";
    expect_vault_intact(what);
    EXPECT_EQ(sb.run({"check"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 2);
  }
  report("I/O faults (fiu), passwd: write ENOSPC, write EIO, fsync EIO, rename EIO: exit 5 with advice each time, "
         "vault.keys byte-identical, no temporary file left, old passphrase still opens");
}

TEST_F(IoFaults, ExportThatCannotWriteOrSyncLeavesNoFile) {
  const fs::path out = sb.root() / "out";
  fs::create_directory(out);
  const std::string recipient = [&] {
    const RunResult id = sb.run({"identity", "--recipient"});
    return id.out.substr(0, id.out.find('\n'));
  }();
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"write fails with ENOSPC", {fail_point("posix/io/rw/write", 28, 1.0, true)}},
      {"fsync fails with EIO", {fail_point("posix/io/sync/fsync", 5)}},
      {"link fails with EIO (no replace: export links the finished file into place)", {fail_point("posix/io/dir/link", 5)}},
  };
  for (const auto& [what, points] : cases) {
    SCOPED_TRACE(what);
    const RunResult r = faulty(points, {"export", "--all", "-r", recipient, "-o", (out / "a.age").string()});
    if (what.rfind("link", 0) == 0 && r.exit_code == 0) {
      // fiu has no failure point for link() on this version: nothing was injected.
      fs::remove(out / "a.age");
      continue;
    }
    EXPECT_TRUE(clear_system_error(r));
    EXPECT_EQ(files_in(out), std::set<std::string>{}) << "a partial or temporary archive was left";
    expect_vault_intact(what);
  }
  report("I/O faults (fiu), export: write ENOSPC and fsync EIO: exit 5 with advice, no file left under any name");
}

// ---------------------------------------------------------------------------------------------
// A tiny full file system.

class TinyDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "mounting a 2 MiB tmpfs needs root; run scripts/security as root";
    fs::create_directory(mnt());
    if (::mount("tmpfs", mnt().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=2m,mode=0700") != 0)
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << "); the full-disk test needs CAP_SYS_ADMIN";
    mounted = true;
  }
  void TearDown() override {
    if (mounted) ::umount2(mnt().c_str(), MNT_DETACH);
  }
  fs::path mnt() const { return sb.root() / "tiny"; }
  fs::path vault() const { return mnt() / "v"; }
  RunResult on(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) const {
    return sb.run_on(vault(), args, std::move(env));
  }
  /// Fills the file system to the last byte with `filler`; returns the bytes written.
  std::size_t fill(const fs::path& filler) const {
    const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    std::size_t total = 0;
    const std::string block(4096, 'z');
    for (std::size_t chunk : {std::size_t{4096}, std::size_t{512}, std::size_t{1}}) {
      while (::write(fd, block.data(), chunk) == static_cast<ssize_t>(chunk)) total += chunk;
    }
    ::fsync(fd);
    ::close(fd);
    return total;
  }

  Sandbox sb;
  bool mounted = false;
};

TEST_F(TinyDisk, EveryWriterFailsClearlyOnAFullDiskAndNothingIsLost) {
  {
    const RunResult init = on({"init", "--kdf", "interactive"});
    ASSERT_EQ(init.exit_code, 0) << describe(init);
  }
  ASSERT_EQ(on({"import-meeting", sample_meeting().string()}).exit_code, 0);
  // Space to give back at the end.
  const fs::path reserve = mnt() / "reserve";
  write_file(reserve, std::string(512 * 1024, 'r'));
  const std::string keys = read_file(vault() / "vault.keys");
  const ino_t db_inode = inode_of(vault() / "vault.db");

  // Notes of 60 KB until the disk is full.
  std::map<long long, std::string> acked;
  static const std::regex kAck("note ([0-9]+)\n");
  RunResult full;
  for (int i = 0; i < 200; ++i) {
    const std::string text = "note " + std::to_string(i) + " " + std::string(60000, static_cast<char>('a' + i % 26));
    const RunResult r = on({"note", "add", "--meeting", "1", text});
    ASSERT_LT(r.exit_code, 128) << describe(r);
    std::smatch m;
    if (r.exit_code == 0 && std::regex_match(r.out, m, kAck)) {
      acked[std::stoll(m[1].str())] = text;
      continue;
    }
    full = r;
    break;
  }
  ASSERT_TRUE(clear_system_error(full)) << "after " << acked.size() << " notes";
  EXPECT_NE(full.err.find("disk is full"), std::string::npos) << describe(full);
  ASSERT_GT(acked.size(), 3u);

  // Now full to the last byte: every writer fails clearly and changes nothing.
  const fs::path filler = mnt() / "filler";
  fill(filler);
  const auto before = snapshot(vault());
  {
    const RunResult r = on({"note", "add", "--meeting", "1", "one more"});
    EXPECT_TRUE(clear_system_error(r));
    const RunResult p = on({"passwd"}, {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
    EXPECT_TRUE(clear_system_error(p));
    EXPECT_NE(p.err.find("free some space"), std::string::npos) << describe(p);
    EXPECT_EQ(read_file(vault() / "vault.keys"), keys);
    const RunResult e = on({"export", "--all", "--passphrase-file", sb.input("ap.txt", "archive pass\n").string(), "-o",
                            (mnt() / "a.age").string()});
    EXPECT_TRUE(clear_system_error(e));
    EXPECT_FALSE(fs::exists(mnt() / "a.age"));
    const RunResult imp = on({"import-meeting", sample_meeting().string()});
    EXPECT_TRUE(clear_system_error(imp));
  }
  // Nothing the failed commands did is visible: vault.keys is the same, vault.db the same file,
  // and no stray file appeared in the vault folder or on the disk.
  const auto after = snapshot(vault());
  EXPECT_EQ(after.at("vault.keys"), before.at("vault.keys"));
  EXPECT_EQ(inode_of(vault() / "vault.db"), db_inode);
  std::set<std::string> names;
  for (const auto& [n, b] : after) names.insert(n);
  for (const auto& n : names)
    EXPECT_TRUE(n == "vault.db" || n == "vault.keys" || n == "vault.db-wal" || n == "vault.db-shm") << n;
  EXPECT_EQ(files_in(mnt()), (std::set<std::string>{"filler", "reserve"}));

  // Still full: reading works or fails clearly; nothing is lost.
  const RunResult full_check = on({"check"});
  EXPECT_TRUE(full_check.exit_code == 0 || clear_system_error(full_check)) << describe(full_check);
  const int full_check_exit = full_check.exit_code;

  // Free the space: everything acknowledged is there, and the vault takes notes again.
  fs::remove(filler);
  fs::remove(reserve);
  const RunResult check = on({"check"});
  ASSERT_EQ(check.exit_code, 0) << describe(check);
  const RunResult notes = on({"notes", "--meeting", "1", "--json"});
  ASSERT_EQ(notes.exit_code, 0) << describe(notes);
  std::map<long long, std::string> present;
  for (const auto& n : json::parse(notes.out)) present[n["id"].get<long long>()] = n["text"].get<std::string>();
  for (const auto& [id, t] : acked) { EXPECT_EQ(present[id], t) << "note " << id; }
  EXPECT_EQ(on({"note", "add", "--meeting", "1", "after freeing space"}).exit_code, 0);
  EXPECT_EQ(inode_of(vault() / "vault.db"), db_inode);
  EXPECT_EQ(read_file(vault() / "vault.keys"), keys);
  report("full disk (2 MiB tmpfs): %zu notes of 60 KB acknowledged before the disk filled (\"%s\"); on the disk full "
         "to the last byte note add, passwd, export and import-meeting each exit 5 with advice, check exits %d; "
         "vault.keys unchanged, vault.db not recreated, all %zu notes present after freeing space",
         acked.size(), full.err.substr(0, full.err.size() - 1).c_str(), full_check_exit, acked.size());
}

}  // namespace
}  // namespace bc::test::security
