// End-to-end: the vault commands of the real backchannel-cli (init, passwd, recover, rekey,
// recovery-code, check, audit verify), the passphrase strength rule, and how every command reacts to a wrong passphrase, a tampered vault and a vault
// written by a newer version. Every vault uses `--kdf interactive` to keep the suite fast.
#include <gtest/gtest.h>

#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>

#include "backchannel/core/vault.h"
#include "cli_test_helpers.h"
#include "vault_store_access.h"

namespace bc::test::cli {
namespace {

using Snapshot = std::map<std::string, std::string>;

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

// Byte offset of the first `needle` at or after `from` in `text`, plus `skip` (test failure when
// absent).
std::size_t offset_after(const std::string& text, const std::string& needle, std::size_t skip, std::size_t from = 0) {
  const auto pos = text.find(needle, from);
  if (pos == std::string::npos) {
    ADD_FAILURE() << "vault.keys has no " << needle;
    return 0;
  }
  return pos + needle.size() + skip;
}

// The commands that open the vault, for "every command" checks. They run one after the other on
// the same folder and are each expected to fail before changing anything (several would
// change the vault if they succeeded).
std::vector<std::vector<std::string>> opening_commands() {
  return {{"meetings"},
          {"meetings", "--json"},
          {"participants", "--meeting", "1"},
          {"notes", "--meeting", "1"},
          {"search", "hashemi"},
          {"check"},
          {"audit", "verify"},
          {"note", "add", "--meeting", "1", "A note that must not be stored."},
          {"note", "edit", "1", "An edit that must not be stored."},
          {"note", "history", "1"},
          {"note", "delete", "1"},
          {"note", "purge"},
          {"import-meeting", sample_meeting().string()},
          {"passwd"}};
}

// Runs the CLI on a new pseudo-terminal (its controlling terminal), answering each prompt in
// `answers` in turn once it appears. Returns the exit code and everything the terminal showed.
struct TtyRun {
  int exit_code = -1;
  std::string screen;
};
TtyRun run_on_tty(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                  const std::vector<std::pair<std::string, std::string>>& answers) {
  std::vector<std::string> argv_s{cli_path()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s;
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  if (const char* path = std::getenv("PATH")) env_s.push_back(std::string("PATH=") + path);
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  for (auto& e : env_s) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  TtyRun out;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) {
    ADD_FAILURE() << "forkpty failed: " << std::strerror(errno);
    return out;
  }
  if (pid == 0) {
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  std::size_t next = 0;
  std::size_t searched_from = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 200) < 0 && errno != EINTR) break;
    if (p.revents != 0) {
      const ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;  // EIO: the child closed the terminal (exited)
      out.screen.append(buf, static_cast<std::size_t>(n));
    }
    if (next < answers.size()) {
      const auto at = out.screen.find(answers[next].first, searched_from);
      if (at != std::string::npos) {
        searched_from = at + answers[next].first.size();
        const std::string line = answers[next].second + "\n";
        EXPECT_EQ(::write(master, line.data(), line.size()), static_cast<ssize_t>(line.size()));
        ++next;
      }
    }
  }
  ::close(master);
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 200 && (done = ::waitpid(pid, &status, WNOHANG)) == 0; ++i) ::usleep(50 * 1000);
  if (done == 0) {
    ADD_FAILURE() << "the CLI did not finish; the terminal showed:\n" << out.screen;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  EXPECT_EQ(next, answers.size()) << "not every prompt appeared; the terminal showed:\n" << out.screen;
  return out;
}

// ---------------------------------------------------------------------------------------------
// init

TEST(CliInit, PrintsOneRecoveryCodeAndCreatesAPrivateVault) {
  Sandbox sb;
  const RunResult r = sb.run({"init", "--kdf", "interactive"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const auto codes = recovery_codes_in(r.out);
  ASSERT_EQ(codes.size(), 1u) << describe(r);
  const std::string& code = codes.front();
  EXPECT_EQ(code.size(), 35u);
  EXPECT_TRUE(recovery_codes_in(r.err).empty()) << "the code belongs on stdout only";

  ASSERT_TRUE(fs::is_regular_file(sb.vault() / "vault.keys"));
  ASSERT_TRUE(fs::is_regular_file(sb.vault() / "vault.db"));
  // Owner only: the folder and every file in it.
  EXPECT_EQ(mode_of(sb.vault()) & 077, 0u) << "vault folder mode " << std::oct << mode_of(sb.vault());
  for (const auto& [name, bytes] : snapshot(sb.vault())) {
    EXPECT_EQ(mode_of(sb.vault() / name) & 077, 0u) << name << " mode " << std::oct << mode_of(sb.vault() / name);
    // Neither the recovery code nor the passphrase is stored in the clear.
    EXPECT_EQ(bytes.find(code), std::string::npos) << name;
    EXPECT_EQ(bytes.find(kPassphrase), std::string::npos) << name;
  }

  const RunResult check = sb.run({"check"});
  EXPECT_EQ(check.exit_code, 0) << describe(check);
  EXPECT_GE(sb.audit_entries(), 1);
  // Two vaults never share a recovery code.
  const std::string other = sb.init_at(sb.root() / "other");
  EXPECT_FALSE(other.empty());
  EXPECT_NE(other, code);
}

TEST(CliInit, RecoveryCodeFileIsPrivateAndTheCodeIsNotPrinted) {
  Sandbox sb;
  const fs::path code_file = sb.in() / "recovery.txt";
  const RunResult r = sb.run({"init", "--kdf", "interactive", "--recovery-code-file", code_file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  ASSERT_TRUE(fs::is_regular_file(code_file));
  EXPECT_EQ(mode_of(code_file), 0600u) << std::oct << mode_of(code_file);
  const std::string contents = read_file(code_file);
  const auto codes = recovery_codes_in(contents);
  ASSERT_EQ(codes.size(), 1u) << contents;
  EXPECT_EQ(contents, codes.front() + "\n");
  EXPECT_TRUE(recovery_codes_in(r.out + r.err).empty()) << "the code was printed\n" << describe(r);
  EXPECT_EQ((r.out + r.err).find(codes.front().substr(0, 5)), std::string::npos) << describe(r);

  // The file works as it is for recover.
  const RunResult rec = sb.run({"recover", "--recovery-code-file", code_file.string()},
                               {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
  EXPECT_EQ(rec.exit_code, 0) << describe(rec);
  const RunResult open = sb.run({"meetings"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}});
  EXPECT_EQ(open.exit_code, 0) << describe(open);
}

TEST(CliInit, RefusesAnExistingRecoveryCodeFileBeforeCreatingTheVault) {
  Sandbox sb;
  const fs::path existing = sb.input("recovery.txt", "an earlier vault's code; must survive\n");
  const RunResult r = sb.run({"init", "--kdf", "interactive", "--recovery-code-file", existing.string()});
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_NE(r.err.find(existing.string()), std::string::npos) << "the message should name the file\n" << describe(r);
  EXPECT_FALSE(fs::exists(sb.vault())) << "a vault was created although its code could not be saved";
  EXPECT_EQ(read_file(existing), "an earlier vault's code; must survive\n");
  EXPECT_TRUE(recovery_codes_in(r.out + r.err).empty()) << describe(r);

  // A dangling symlink is an existing file too: it must not be followed.
  const fs::path target = sb.in() / "target.txt";
  const fs::path link = sb.in() / "link.txt";
  fs::create_symlink(target, link);
  const RunResult r2 = sb.run({"init", "--kdf", "interactive", "--recovery-code-file", link.string()});
  EXPECT_EQ(r2.exit_code, 4) << describe(r2);
  EXPECT_TRUE(one_clear_error(r2));
  EXPECT_FALSE(fs::exists(target)) << "init wrote through a symlink";
  EXPECT_FALSE(fs::exists(sb.vault()));
}

TEST(CliInit, NeverOverwritesAnExistingVaultOrFolder) {
  Sandbox sb;
  ASSERT_FALSE(sb.init().empty());
  const Snapshot before = snapshot(sb.vault());
  const RunResult again = sb.run({"init", "--kdf", "interactive"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}});
  EXPECT_EQ(again.exit_code, 4) << describe(again);
  EXPECT_TRUE(one_clear_error(again));
  EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");
  EXPECT_EQ(sb.run({"meetings"}).exit_code, 0);

  const fs::path busy = sb.root() / "busy";
  fs::create_directory(busy);
  write_file(busy / "notes.txt", "someone else's file");
  const RunResult r = sb.run_on(busy, {"init", "--kdf", "interactive"});
  EXPECT_EQ(r.exit_code, 4) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_EQ(snapshot(busy), (Snapshot{{"notes.txt", "someone else's file"}}));
}

TEST(CliInit, WhereTheSystemRefusesToWriteItIsAnEnvironmentError) {
  Sandbox sb;
  // sysfs refuses new folders and files, even to root.
  const fs::path refused = "/sys/backchannel-cli-test-vault";
  const RunResult r = sb.run_on(refused, {"init", "--kdf", "interactive"});
  EXPECT_EQ(r.exit_code, 5) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_FALSE(fs::exists(refused));

  const RunResult code = sb.run({"init", "--kdf", "interactive", "--recovery-code-file", "/sys/backchannel-cli-test-code"});
  EXPECT_EQ(code.exit_code, 5) << describe(code);
  EXPECT_TRUE(one_clear_error(code));
  EXPECT_FALSE(fs::exists(sb.vault())) << "a vault was created although its code could not be saved";
}

TEST(CliInit, PassphraseFileAndEnvironmentGiveTheSamePassphrase) {
  Sandbox sb;
  // Files written by editors and `echo` end with a newline; it is not part of the passphrase.
  const fs::path pass_file = sb.input("pass.txt", kPassphrase + "\n");
  const RunResult r = sb.raw({"--vault", sb.vault().string(), "--passphrase-file", pass_file.string(), "init", "--kdf",
                              "interactive"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const RunResult env = sb.run({"meetings"});
  EXPECT_EQ(env.exit_code, 0) << describe(env);
  // --vault on the command line wins over BACKCHANNEL_VAULT.
  const RunResult both = sb.raw({"--vault", sb.vault().string(), "--passphrase-file", pass_file.string(), "check"},
                                {{"BACKCHANNEL_VAULT", (sb.root() / "nowhere").string()}});
  EXPECT_EQ(both.exit_code, 0) << describe(both);
  // A passphrase that differs by one trailing space is a different passphrase.
  const RunResult off = sb.run({"meetings"}, {{"BACKCHANNEL_PASSPHRASE", kPassphrase + " "}});
  EXPECT_EQ(off.exit_code, 2) << describe(off);
}

TEST(CliPrompt, OnATerminalThePassphraseIsAskedForWithoutEcho) {
  Sandbox sb;
  const std::map<std::string, std::string> env = {{"BACKCHANNEL_VAULT", sb.vault().string()}, {"TMPDIR", sb.tmp().string()}};
  // init asks twice; a mismatch changes nothing.
  const TtyRun mismatch = run_on_tty({"init", "--kdf", "interactive"}, env,
                                     {{"passphrase: ", kPassphrase}, {"confirm: ", kPassphrase + "x"}});
  EXPECT_EQ(mismatch.exit_code, 1) << mismatch.screen;
  EXPECT_NE(mismatch.screen.find("do not match"), std::string::npos) << mismatch.screen;
  EXPECT_FALSE(fs::exists(sb.vault()));

  const TtyRun init = run_on_tty({"init", "--kdf", "interactive"}, env,
                                 {{"passphrase: ", kPassphrase}, {"confirm: ", kPassphrase}});
  ASSERT_EQ(init.exit_code, 0) << init.screen;
  EXPECT_EQ(init.screen.find(kPassphrase), std::string::npos) << "the passphrase was echoed:\n" << init.screen;
  EXPECT_EQ(recovery_codes_in(init.screen).size(), 1u) << init.screen;

  // The prompted passphrase is the real one: the environment route opens the vault with it.
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
  const TtyRun open = run_on_tty({"meetings"}, env, {{"passphrase: ", kPassphrase}});
  EXPECT_EQ(open.exit_code, 0) << open.screen;
  EXPECT_NE(open.screen.find("No meetings yet"), std::string::npos) << open.screen;
  EXPECT_EQ(open.screen.find(kPassphrase), std::string::npos) << "the passphrase was echoed:\n" << open.screen;
  const TtyRun wrong = run_on_tty({"meetings"}, env, {{"passphrase: ", "not the passphrase"}});
  EXPECT_EQ(wrong.exit_code, 2) << wrong.screen;
  EXPECT_EQ(wrong.screen.find("not the passphrase"), std::string::npos) << wrong.screen;
}

// ---------------------------------------------------------------------------------------------
// passwd

TEST(CliPasswd, RewritesOnlyTheKeyFileAndSwapsThePassphrases) {
  Sandbox sb;
  const std::string code = sb.init();
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  const Snapshot before = snapshot(sb.vault());

  const long long entries = sb.audit_entries();
  const std::string notes_before = sb.run({"notes", "--meeting", "1", "--json"}).out;
  const RunResult r = sb.run({"passwd"}, {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const Snapshot after = snapshot(sb.vault());
  ASSERT_TRUE(after.count("vault.db"));
  EXPECT_TRUE(after.at("vault.keys") != before.at("vault.keys")) << "passwd did not rewrite vault.keys";
  EXPECT_EQ(after.size(), before.size()) << snapshot_diff(before, after);  // no temporary files left behind
  EXPECT_EQ(mode_of(sb.vault() / "vault.keys") & 077, 0u);

  // The old passphrase fails and changes nothing; the new one opens the same vault.
  const RunResult old = sb.run({"meetings"});
  EXPECT_EQ(old.exit_code, 2) << describe(old);
  EXPECT_TRUE(one_clear_error(old));
  EXPECT_EQ(snapshot_diff(after, snapshot(sb.vault())), "");
  const RunResult now = sb.run({"meetings"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}});
  EXPECT_EQ(now.exit_code, 0) << describe(now);
  EXPECT_NE(now.out.find("Session 3"), std::string::npos) << describe(now);
  // The database gained the audit entry (`vault.passwd`) and nothing else.
  EXPECT_EQ(sb.run({"audit", "verify"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).out,
            "audit log intact: " + std::to_string(entries + 1) + " entries, every MAC and link verified\n");
  EXPECT_EQ(sb.run({"notes", "--meeting", "1", "--json"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).out, notes_before);

  // Through files this time: --passphrase-file for the current, --new-passphrase-file for the next.
  const fs::path cur = sb.input("cur.txt", kNewPassphrase + "\n");
  const fs::path next = sb.input("next.txt", "third passphrase, from a file");
  const RunResult r2 = sb.raw({"--vault", sb.vault().string(), "--passphrase-file", cur.string(), "passwd",
                               "--new-passphrase-file", next.string()});
  ASSERT_EQ(r2.exit_code, 0) << describe(r2);
  EXPECT_EQ(sb.run({"meetings"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 2);
  EXPECT_EQ(sb.run({"check"}, {{"BACKCHANNEL_PASSPHRASE", "third passphrase, from a file"}}).exit_code, 0);

  // The recovery code is unchanged by passwd.
  const RunResult rec = sb.run({"recover"}, {{"BACKCHANNEL_RECOVERY_CODE", code}, {"BACKCHANNEL_NEW_PASSPHRASE", kPassphrase}});
  EXPECT_EQ(rec.exit_code, 0) << describe(rec);
  EXPECT_EQ(sb.run({"meetings"}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// recover

TEST(CliRecover, AcceptsALowerCaseCodeWithSpacesAndTheCodeKeepsWorking) {
  Sandbox sb;
  const std::string code = sb.init();
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  const json meetings = sb.run_json({"meetings", "--json"});

  std::string typed;
  for (char c : code) typed += c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const RunResult r = sb.run({"recover"}, {{"BACKCHANNEL_RECOVERY_CODE", typed}, {"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
  ASSERT_EQ(r.exit_code, 0) << "code typed as \"" << typed << "\"\n" << describe(r);
  EXPECT_TRUE(recovery_codes_in(r.out + r.err).empty()) << describe(r);

  const RunResult old = sb.run({"meetings"});
  EXPECT_EQ(old.exit_code, 2) << describe(old);
  EXPECT_TRUE(one_clear_error(old));
  const RunResult now = sb.run({"meetings", "--json"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}});
  ASSERT_EQ(now.exit_code, 0) << describe(now);
  EXPECT_EQ(json::parse(now.out), meetings) << "recovery lost or changed data";

  // The same code again, canonical and from a file, still works.
  const fs::path code_file = sb.input("code.txt", code + "\n");
  const fs::path next = sb.input("next.txt", "third passphrase, after the recovery");
  const RunResult again = sb.run({"recover", "--recovery-code-file", code_file.string(), "--new-passphrase-file",
                                  next.string()});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(sb.run({"meetings"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 2);
  EXPECT_EQ(sb.run({"check"}, {{"BACKCHANNEL_PASSPHRASE", "third passphrase, after the recovery"}}).exit_code, 0);
}

TEST(CliRecover, AWrongOrMistypedCodeFailsAndChangesNothing) {
  Sandbox sb;
  const std::string code = sb.init();
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  const std::string other_code = sb.init_at(sb.root() / "other");
  ASSERT_FALSE(other_code.empty());
  const Snapshot before = snapshot(sb.vault());

  static const std::string kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  auto substitute = [&](std::size_t pos) {
    std::string c = code;
    c[pos] = kAlphabet[(kAlphabet.find(c[pos]) + 7) % kAlphabet.size()];
    return c;
  };
  std::string swapped = code;
  std::swap(swapped[1], swapped[2]);
  if (swapped == code) std::swap(swapped[7], swapped[9]);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"typo in the first group", substitute(2)},
      {"typo in the check characters", substitute(34)},
      {"two characters swapped", swapped},
      {"a character dropped", code.substr(0, 20) + code.substr(21)},
      {"a character added", code + "7"},
      {"another vault's code", other_code},
      {"not a code at all", "correct horse battery staple"},
  };
  for (const auto& [what, typed] : bad) {
    SCOPED_TRACE(what + ": " + typed);
    if (typed == code) continue;
    const RunResult r = sb.run({"recover"}, {{"BACKCHANNEL_RECOVERY_CODE", typed}, {"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");
  }
  // The passphrase is still the old one, and the new one does not work.
  EXPECT_EQ(sb.run({"meetings"}).exit_code, 0);
  EXPECT_EQ(sb.run({"meetings"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 2);
}

// ---------------------------------------------------------------------------------------------
// Wrong passphrase

TEST(CliUnlock, WrongPassphraseIsOneClearErrorForEveryCommandAndChangesNothing) {
  Sandbox sb;
  ASSERT_FALSE(sb.init().empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  const Snapshot before = snapshot(sb.vault());
  const std::map<std::string, std::string> wrong = {{"BACKCHANNEL_PASSPHRASE", "Tr4ck-II passphrase zq81x velluM"},
                                                    {"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}};
  for (const auto& args : opening_commands()) {
    SCOPED_TRACE(args.front() + (args.size() > 1 ? " " + args[1] : ""));
    const RunResult r = sb.run(args, wrong);
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");
  }
  // The same through --passphrase-file.
  const fs::path wrong_file = sb.input("wrong.txt", "not it\n");
  const RunResult r = sb.raw({"--vault", sb.vault().string(), "--passphrase-file", wrong_file.string(), "notes",
                              "--meeting", "1"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_TRUE(one_clear_error(r));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// Tampering

TEST(CliTamper, AnyChangeToVaultKeysIsDetectedAndChangesNothing) {
  Sandbox sb;
  const std::string code = sb.init();
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  const std::string keys = read_file(sb.vault() / "vault.keys");
  const std::size_t slot = keys.find("\"passphrase\"");
  ASSERT_NE(slot, std::string::npos) << keys;
  const std::vector<std::pair<std::string, std::size_t>> offsets = {
      {"vault id", offset_after(keys, "\"vault_id\": \"", 5)},
      {"passphrase slot opslimit digit", offset_after(keys, "\"opslimit\": ", 0, slot)},
      {"passphrase slot salt", offset_after(keys, "\"salt\": \"", 3, slot)},
      {"passphrase slot nonce", offset_after(keys, "\"nonce\": \"", 4, slot)},
      {"passphrase slot wrapped key (start)", offset_after(keys, "\"wrapped_key\": \"", 2, slot)},
      {"passphrase slot wrapped key (MAC)", offset_after(keys, "\"wrapped_key\": \"", 60, slot)},
      {"passphrase slot type", offset_after(keys, "\"type\": \"", 0, slot - 12)},
  };
  int n = 0;
  for (const auto& [what, offset] : offsets) {
    SCOPED_TRACE(what + " at byte " + std::to_string(offset));
    ASSERT_LT(offset, keys.size());
    const fs::path copy = sb.root() / ("tampered-keys-" + std::to_string(n++));
    copy_folder(sb.vault(), copy);
    flip_byte(copy / "vault.keys", offset);
    ASSERT_NE(read_file(copy / "vault.keys"), keys);
    const Snapshot before = snapshot(copy);
    for (const auto& args : std::vector<std::vector<std::string>>{{"meetings"}, {"check"}, {"notes", "--meeting", "1"}}) {
      const RunResult r = sb.run_on(copy, args);
      EXPECT_EQ(r.exit_code, 2) << args.front() << "\n" << describe(r);
      EXPECT_TRUE(one_clear_error(r)) << args.front();
      EXPECT_EQ(r.out, "") << args.front();
      EXPECT_EQ(snapshot_diff(before, snapshot(copy)), "") << args.front();
    }
    if (what == "vault id") {
      // The vault id is bound into every slot: the recovery code cannot "repair" it either.
      const RunResult r = sb.run_on(copy, {"recover"}, {{"BACKCHANNEL_RECOVERY_CODE", code},
                                                        {"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
      EXPECT_EQ(r.exit_code, 2) << describe(r);
      EXPECT_TRUE(one_clear_error(r));
      EXPECT_EQ(snapshot_diff(before, snapshot(copy)), "");
    }
  }
  // The untouched original still opens.
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
}

TEST(CliTamper, AnyChangeToVaultDbIsDetectedAndChangesNothing) {
  Sandbox sb;
  ASSERT_FALSE(sb.init().empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", "--speaker", "b",
                      "Padding note " + std::to_string(i) + " " + std::string(1500, 'x')}).exit_code, 0);
  const RunResult pristine_notes = sb.run({"notes", "--meeting", "1", "--json"});
  ASSERT_EQ(pristine_notes.exit_code, 0) << describe(pristine_notes);
  const std::string db = read_file(sb.vault() / "vault.db");
  constexpr std::size_t kPage = 4096;
  ASSERT_EQ(db.size() % kPage, 0u) << db.size();
  const std::size_t pages = db.size() / kPage;
  ASSERT_GE(pages, 8u) << "the test vault is too small to tamper with several pages";
  const std::vector<std::pair<std::string, std::size_t>> offsets = {
      {"page 1, just after the 16-byte salt", 16},
      {"page 1, in the encrypted header", 16 + 24},
      {"page 1, middle", kPage / 2},
      {"page 1, end (MAC)", kPage - 1},
      {"page 2, middle", kPage + kPage / 2},
      {"a middle page, middle", (pages / 2) * kPage + kPage / 2},
      {"a late page, start", (pages - 3) * kPage + 8},
      {"the last page, start", (pages - 1) * kPage},
      {"the last page, middle", (pages - 1) * kPage + kPage / 2},
      {"the last page, last byte", pages * kPage - 1},
  };
  int n = 0;
  for (const auto& [what, offset] : offsets) {
    SCOPED_TRACE(what + " (byte " + std::to_string(offset) + " of " + std::to_string(db.size()) + ")");
    const fs::path copy = sb.root() / ("tampered-db-" + std::to_string(n++));
    copy_folder(sb.vault(), copy);
    flip_byte(copy / "vault.db", offset);
    const Snapshot before = snapshot(copy);

    // `check` reads every page: it must catch every flip.
    const RunResult check = sb.run_on(copy, {"check"});
    EXPECT_EQ(check.exit_code, 2) << describe(check);
    EXPECT_TRUE(one_clear_error(check));
    EXPECT_EQ(snapshot_diff(before, snapshot(copy)), "") << "check";

    // Reading notes either hits the damaged page (exit 2) or does not, and then it shows exactly
    // what was stored: never silently altered data.
    const RunResult notes = sb.run_on(copy, {"notes", "--meeting", "1", "--json"});
    if (notes.exit_code == 0) {
      EXPECT_EQ(notes.out, pristine_notes.out) << "tampering changed what notes shows";
    } else {
      EXPECT_EQ(notes.exit_code, 2) << describe(notes);
      EXPECT_TRUE(one_clear_error(notes));
    }
    EXPECT_EQ(snapshot_diff(before, snapshot(copy)), "") << "notes";
    if (offset < kPage) {
      // Page 1 is read on opening: every command fails.
      const RunResult m = sb.run_on(copy, {"meetings"});
      EXPECT_EQ(m.exit_code, 2) << describe(m);
      EXPECT_TRUE(one_clear_error(m));
      const RunResult a = sb.run_on(copy, {"note", "add", "--meeting", "1", "must not be stored"});
      EXPECT_EQ(a.exit_code, 2) << describe(a);
      EXPECT_EQ(snapshot_diff(before, snapshot(copy)), "") << "meetings / note add";
    }
  }
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// Newer schema

TEST(CliSchema, AVaultFromANewerVersionIsRefusedByEveryCommandAndLeftAlone) {
  Sandbox sb;
  const std::string code = sb.init();
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  {
    ASSERT_TRUE(core::Vault::initialize_libraries().ok());
    auto vault = core::Vault::open(sb.vault(), secret(kPassphrase));
    ASSERT_TRUE(vault.ok()) << vault.error().message;
    auto st = bc::core::vault_store(*vault).db().exec("PRAGMA user_version = 999");
    ASSERT_TRUE(st.ok()) << st.error().message;
    vault->lock();
  }
  const Snapshot before = snapshot(sb.vault());
  auto commands = opening_commands();
  commands.push_back({"recover"});
  for (const auto& args : commands) {
    SCOPED_TRACE(args.front() + (args.size() > 1 ? " " + args[1] : ""));
    const RunResult r = sb.run(args, {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}, {"BACKCHANNEL_RECOVERY_CODE", code}});
    EXPECT_EQ(r.exit_code, 4) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_NE(r.err.find("newer version"), std::string::npos) << describe(r);
    EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");
  }
  // Neither passwd nor recover went through: the old passphrase still unlocks (and is refused
  // for the schema, not for the passphrase).
  EXPECT_EQ(sb.run({"meetings"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 2);
}

// ---------------------------------------------------------------------------------------------
// check and audit verify

TEST(CliCheck, CheckAndAuditVerifySucceedOnAFreshVaultAndAfterEveryKindOfEdit) {
  Sandbox sb;
  ASSERT_FALSE(sb.init().empty());
  const RunResult fresh = sb.run({"check"});
  EXPECT_EQ(fresh.exit_code, 0) << describe(fresh);
  long long entries = sb.audit_entries();
  ASSERT_GE(entries, 1);

  const std::vector<std::vector<std::string>> edits = {
      {"import-meeting", sample_meeting().string()},
      {"note", "add", "--meeting", "1", "--speaker", "c", "--kind", "question", "--at", "2008-04-09T15:00:00+02:00",
       "What about the dust storms?"},
      {"note", "edit", "8", "What about the dust storms in Sistan?"},
      {"note", "delete", "8"},
      {"note", "purge"},
  };
  for (const auto& args : edits) {
    SCOPED_TRACE(args.front() + " " + args[1]);
    const RunResult r = sb.run(args);
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const long long now = sb.audit_entries();
    EXPECT_GT(now, entries) << "the change left no audit entry";
    entries = now;
    const RunResult check = sb.run({"check"});
    EXPECT_EQ(check.exit_code, 0) << describe(check);
  }
  ASSERT_EQ(sb.run({"passwd"}, {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}}).exit_code, 0);
  EXPECT_EQ(sb.run({"check"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 0);
  EXPECT_EQ(sb.run({"audit", "verify"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 0);
}

TEST(CliCheck, AuditVerifyAndCheckDetectAnAlteredOrRemovedEntry) {
  // Someone with the key (or a bug) edits the log behind the program's back.
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"altered subject", "UPDATE audit_log SET subject = 'meeting 99' WHERE seq = 2"},
      {"removed entry", "DELETE FROM audit_log WHERE seq = 2"},
      {"reordered entries", "UPDATE audit_log SET seq = seq + 100 WHERE seq = 2; "
                            "UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 102"},
  };
  for (const auto& [what, sql] : edits) {
    SCOPED_TRACE(what);
    Sandbox sb;
    ASSERT_FALSE(sb.init().empty());
    ASSERT_EQ(sb.import(sample_meeting()), 1);
    ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", "A third entry."}).exit_code, 0);
    ASSERT_GE(sb.audit_entries(), 3);
    {
      ASSERT_TRUE(core::Vault::initialize_libraries().ok());
      auto vault = core::Vault::open(sb.vault(), secret(kPassphrase));
      ASSERT_TRUE(vault.ok()) << vault.error().message;
      auto st = bc::core::vault_store(*vault).db().exec(sql);
      ASSERT_TRUE(st.ok()) << st.error().message;
      vault->lock();
    }
    const RunResult verify = sb.run({"audit", "verify"});
    EXPECT_EQ(verify.exit_code, 2) << describe(verify);
    EXPECT_TRUE(one_clear_error(verify));
    const RunResult check = sb.run({"check"});
    EXPECT_EQ(check.exit_code, 2) << describe(check);
    EXPECT_TRUE(one_clear_error(check));
  }
}

}  // namespace
}  // namespace bc::test::cli

namespace bc::test::cli {
namespace {

/// The recovery slot's JSON in a vault.keys text.
std::string recovery_slot_of(const std::string& keys) {
  const json parsed = json::parse(keys);
  for (const auto& slot : parsed["slots"])
    if (slot["type"] == "recovery") return slot.dump();
  return {};
}

/// `recover` with `code`: the exit code, and the folder left as it was when it fails.
int recover_with(const Sandbox& sb, const std::string& code, const std::string& next) {
  const auto before = snapshot(sb.vault());
  const RunResult r = sb.run({"recover"}, {{"BACKCHANNEL_RECOVERY_CODE", code}, {"BACKCHANNEL_NEW_PASSPHRASE", next}});
  if (r.exit_code != 0) {
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "") << "a refused recover changed the vault";
  }
  return r.exit_code;
}

// ---------------------------------------------------------------------------------------------
// the passphrase strength rule (issue 15, item 6)

TEST(CliPassphraseStrength, InitPasswdRecoverAndRekeyRefuseAWeakPassphraseWithExit4) {
  Sandbox sb;
  // init: nothing is created, and the message says what is weak without repeating it.
  const RunResult init = sb.run({"init", "--kdf", "interactive"}, {{"BACKCHANNEL_PASSPHRASE", "password123"}});
  EXPECT_EQ(init.exit_code, 4) << describe(init);
  EXPECT_TRUE(one_clear_error(init));
  EXPECT_NE(init.err.find("too weak"), std::string::npos) << describe(init);
  EXPECT_NE(init.err.find("common words"), std::string::npos) << describe(init);
  EXPECT_NE(init.err.find("--allow-weak-passphrase"), std::string::npos) << describe(init);
  EXPECT_EQ(init.err.find("password123"), std::string::npos) << describe(init);
  EXPECT_FALSE(fs::exists(sb.vault()));
  const RunResult demo = sb.run({"demo", (sb.root() / "demo").string(), "--kdf", "interactive"},
                                {{"BACKCHANNEL_PASSPHRASE", "a"}});
  EXPECT_EQ(demo.exit_code, 4) << describe(demo);
  EXPECT_FALSE(fs::exists(sb.root() / "demo"));

  const std::string code = sb.init();
  ASSERT_FALSE(code.empty());
  const Snapshot before = snapshot(sb.vault());
  for (const auto& [args, env] : std::vector<std::pair<std::vector<std::string>, std::map<std::string, std::string>>>{
           {{"passwd"}, {{"BACKCHANNEL_NEW_PASSPHRASE", "qwerty"}}},
           {{"passwd", "--kdf", "moderate"}, {{"BACKCHANNEL_NEW_PASSPHRASE", "zxcvbnm,./"}}},
           {{"recover"}, {{"BACKCHANNEL_RECOVERY_CODE", code}, {"BACKCHANNEL_NEW_PASSPHRASE", "a"}}},
           {{"rekey", "--new-passphrase"}, {{"BACKCHANNEL_NEW_PASSPHRASE", "Summer2024!"}}}}) {
    const RunResult r = sb.run(args, env);
    EXPECT_EQ(r.exit_code, 4) << args[0] << "\n" << describe(r);
    EXPECT_TRUE(one_clear_error(r)) << args[0];
    EXPECT_NE(r.err.find("too weak"), std::string::npos) << describe(r);
    EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "") << args[0] << " changed the vault";
  }
  EXPECT_EQ(sb.run({"check"}).exit_code, 0) << "the passphrase is unchanged";
}

TEST(CliPassphraseStrength, TheOverrideIsLoudAndWorks) {
  Sandbox sb;
  const RunResult init = sb.run({"init", "--kdf", "interactive", "--allow-weak-passphrase"},
                                {{"BACKCHANNEL_PASSPHRASE", "a"}});
  ASSERT_EQ(init.exit_code, 0) << describe(init);
  EXPECT_EQ(std::count(init.err.begin(), init.err.end(), '\n'), 1) << describe(init);
  EXPECT_EQ(init.err.rfind("warning: --allow-weak-passphrase", 0), 0u) << describe(init);
  EXPECT_NE(init.err.find("too weak"), std::string::npos) << describe(init);
  EXPECT_EQ(sb.run({"check"}, {{"BACKCHANNEL_PASSPHRASE", "a"}}).exit_code, 0);
  // A rekey that keeps a weak passphrase is refused like one that sets it.
  const RunResult keep = sb.run({"rekey"}, {{"BACKCHANNEL_PASSPHRASE", "a"}});
  EXPECT_EQ(keep.exit_code, 4) << describe(keep);
  const RunResult passwd = sb.run({"passwd", "--allow-weak-passphrase"},
                                  {{"BACKCHANNEL_PASSPHRASE", "a"}, {"BACKCHANNEL_NEW_PASSPHRASE", "b"}});
  EXPECT_EQ(passwd.exit_code, 0) << describe(passwd);
  EXPECT_NE(passwd.err.find("warning: --allow-weak-passphrase"), std::string::npos) << describe(passwd);
  // With a strong passphrase the override still says it is on.
  const RunResult strong = sb.run({"passwd", "--allow-weak-passphrase"},
                                  {{"BACKCHANNEL_PASSPHRASE", "b"}, {"BACKCHANNEL_NEW_PASSPHRASE", kPassphrase}});
  EXPECT_EQ(strong.exit_code, 0) << describe(strong);
  EXPECT_NE(strong.err.find("strong enough anyway"), std::string::npos) << describe(strong);
}

// ---------------------------------------------------------------------------------------------
// init into an existing empty folder (issue 15, item 7)

TEST(CliInit, AnExistingEmptyFolderIsMadePrivate) {
  Sandbox sb;
  ASSERT_EQ(::mkdir(sb.vault().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(sb.vault().c_str(), 0755), 0);
  ASSERT_FALSE(sb.init().empty());
  EXPECT_EQ(mode_of(sb.vault()), 0700u) << std::oct << mode_of(sb.vault());
}

// ---------------------------------------------------------------------------------------------
// rekey (issue 15, item 5)

TEST(CliRekey, ReplacesTheMasterKeyAndTheRecoveryCodeAndKeepsDataIdentityAndPassphrase) {
  Sandbox sb;
  const std::string old_code = sb.init();
  ASSERT_FALSE(old_code.empty());
  ASSERT_EQ(sb.import(sample_meeting()), 1);
  const std::string notes = sb.run({"notes", "--meeting", "1", "--json"}).out;
  const std::string identity = sb.run({"identity"}).out;
  const long long entries = sb.audit_entries();
  const Snapshot before = snapshot(sb.vault());

  const RunResult r = sb.run({"rekey"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const auto codes = recovery_codes_in(r.out);
  ASSERT_EQ(codes.size(), 1u) << describe(r);
  const std::string new_code = codes.front();
  EXPECT_NE(new_code, old_code);
  EXPECT_NE(r.out.find("The passphrase is unchanged."), std::string::npos) << describe(r);
  EXPECT_TRUE(r.err.empty()) << describe(r);

  const Snapshot after = snapshot(sb.vault());
  EXPECT_EQ(after.size(), 2u) << snapshot_diff(before, after);
  // Every byte of the database is new: another salt, another key.
  EXPECT_NE(after.at("vault.db").substr(0, 16), before.at("vault.db").substr(0, 16));
  EXPECT_NE(recovery_slot_of(after.at("vault.keys")), recovery_slot_of(before.at("vault.keys")));
  EXPECT_EQ(mode_of(sb.vault() / "vault.db"), 0600u);
  EXPECT_EQ(mode_of(sb.vault() / "vault.keys"), 0600u);

  EXPECT_EQ(sb.run({"notes", "--meeting", "1", "--json"}).out, notes);
  EXPECT_EQ(sb.run({"identity"}).out, identity) << "the identity (and so its fingerprint) is kept";
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
  EXPECT_EQ(sb.audit_entries(), entries + 1);

  // An old copy of vault.keys with the old passphrase opens nothing of the re-keyed vault.
  const fs::path stale = sb.root() / "stale";
  copy_folder(sb.vault(), stale);
  write_file(stale / "vault.keys", before.at("vault.keys"));
  const Snapshot stale_before = snapshot(stale);
  const RunResult old_keys = sb.run_on(stale, {"notes", "--meeting", "1"});
  EXPECT_EQ(old_keys.exit_code, 2) << describe(old_keys);
  EXPECT_TRUE(one_clear_error(old_keys));
  EXPECT_EQ(snapshot_diff(stale_before, snapshot(stale)), "");

  // The old recovery code stopped working; the new one works.
  EXPECT_EQ(recover_with(sb, old_code, kNewPassphrase), 2);
  EXPECT_EQ(recover_with(sb, new_code, kNewPassphrase), 0);
  EXPECT_EQ(sb.run({"check"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 0);
}

TEST(CliRekey, ANewPassphraseAndACodeFileThatMustNotExist) {
  Sandbox sb;
  ASSERT_FALSE(sb.init().empty());
  const fs::path existing = sb.input("code.txt", "keep me\n");
  const fs::path next_file = sb.input("next.txt", kNewPassphrase + "\n");
  const Snapshot before = snapshot(sb.vault());
  const RunResult refused = sb.run({"rekey", "--recovery-code-file", existing.string()});
  EXPECT_EQ(refused.exit_code, 4) << describe(refused);
  EXPECT_TRUE(one_clear_error(refused));
  EXPECT_EQ(read_file(existing), "keep me\n");
  EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");

  const fs::path code_file = sb.in() / "new-code.txt";
  const RunResult r = sb.run({"rekey", "--new-passphrase-file", next_file.string(), "--recovery-code-file", code_file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("The passphrase was changed."), std::string::npos) << describe(r);
  EXPECT_TRUE(recovery_codes_in(r.out + r.err).empty()) << "the code was printed\n" << describe(r);
  EXPECT_EQ(mode_of(code_file), 0600u);
  const auto codes = recovery_codes_in(read_file(code_file));
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(sb.run({"check"}).exit_code, 2) << "the old passphrase must be refused";
  EXPECT_EQ(sb.run({"check"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}}).exit_code, 0);
  EXPECT_EQ(recover_with(sb, codes.front(), kPassphrase), 0);
}

TEST(CliRekey, AWrongPassphraseOrAnotherOpenProgramChangesNothing) {
  Sandbox sb;
  ASSERT_FALSE(sb.init().empty());
  const Snapshot before = snapshot(sb.vault());
  const RunResult wrong = sb.run({"rekey"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}});
  EXPECT_EQ(wrong.exit_code, 2) << describe(wrong);
  EXPECT_TRUE(one_clear_error(wrong));
  EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");
  {
    // The desktop client (here: a Vault in this process) has the vault open: rekey would
    // replace the file under it, so it is refused (exit 5) and waits for nothing.
    auto open = core::Vault::open(sb.vault(), secret(kPassphrase));
    ASSERT_TRUE(open.ok());
    const Snapshot during = snapshot(sb.vault());
    const RunResult busy = sb.run({"rekey"});
    EXPECT_EQ(busy.exit_code, 5) << describe(busy);
    EXPECT_TRUE(one_clear_error(busy));
    EXPECT_NE(busy.err.find("open in another Backchannel program"), std::string::npos) << describe(busy);
    EXPECT_EQ(snapshot_diff(during, snapshot(sb.vault())), "");
  }
  EXPECT_EQ(sb.run({"rekey"}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// recovery-code --new and passwd --kdf (issue 15, item 5)

TEST(CliRecoveryCode, ANewCodeReplacesTheOldOne) {
  Sandbox sb;
  const std::string old_code = sb.init();
  ASSERT_FALSE(old_code.empty());
  const RunResult bare = sb.run({"recovery-code"});
  EXPECT_EQ(bare.exit_code, 1) << describe(bare);
  EXPECT_TRUE(one_clear_error(bare));
  const std::string keys = read_file(sb.vault() / "vault.keys");
  const long long entries = sb.audit_entries();

  const RunResult r = sb.run({"recovery-code", "--new"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const auto codes = recovery_codes_in(r.out);
  ASSERT_EQ(codes.size(), 1u) << describe(r);
  const std::string after = read_file(sb.vault() / "vault.keys");
  EXPECT_EQ(json::parse(after)["slots"][0], json::parse(keys)["slots"][0]) << "the passphrase slot is untouched";
  EXPECT_NE(recovery_slot_of(after), recovery_slot_of(keys));
  EXPECT_EQ(sb.audit_entries(), entries + 1);
  EXPECT_EQ(recover_with(sb, old_code, kNewPassphrase), 2);

  const fs::path file = sb.in() / "code.txt";
  const RunResult f = sb.run({"recovery-code", "--new", "--recovery-code-file", file.string()});
  ASSERT_EQ(f.exit_code, 0) << describe(f);
  EXPECT_TRUE(recovery_codes_in(f.out).empty());
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(recover_with(sb, codes.front(), kNewPassphrase), 2) << "the code printed first was replaced";
  EXPECT_EQ(recover_with(sb, recovery_codes_in(read_file(file)).at(0), kNewPassphrase), 0);
}

TEST(CliPasswd, KdfRaisesTheArgon2idCostOfThePassphraseSlot) {
  Sandbox sb;
  ASSERT_FALSE(sb.init().empty());
  const json before = json::parse(read_file(sb.vault() / "vault.keys"));
  ASSERT_EQ(before["slots"][0]["memlimit"], 64u << 20);
  const RunResult r = sb.run({"passwd", "--kdf", "moderate"}, {{"BACKCHANNEL_NEW_PASSPHRASE", kPassphrase}});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("moderate (256 MiB, 3 passes)"), std::string::npos) << describe(r);
  const json after = json::parse(read_file(sb.vault() / "vault.keys"));
  EXPECT_EQ(after["slots"][0]["memlimit"], 256u << 20);
  EXPECT_EQ(after["slots"][0]["opslimit"], 3);
  EXPECT_EQ(after["slots"][1], before["slots"][1]) << "the recovery slot is untouched";
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
  const RunResult bad = sb.run({"passwd", "--kdf", "huge"}, {{"BACKCHANNEL_NEW_PASSPHRASE", kPassphrase}});
  EXPECT_EQ(bad.exit_code, 1) << describe(bad);
}

}  // namespace
}  // namespace bc::test::cli
