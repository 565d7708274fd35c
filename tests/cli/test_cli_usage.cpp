// End-to-end: how the real backchannel-cli explains itself: --help of every command, --version,
// usage errors (exit 1) and the messages for a missing vault, passphrase, new passphrase or
// recovery code when there is no terminal to ask on.
#include <gtest/gtest.h>

#include <csignal>

#include "cli_test_helpers.h"

namespace bc::test::cli {
namespace {

struct HelpCase {
  std::vector<std::string> command;
  std::vector<std::string> mentions;
};

TEST(CliUsage, EveryCommandAndSubcommandHasHelpThatNamesItsOptions) {
  Sandbox sb;
  const std::vector<HelpCase> cases = {
      {{}, {"--vault", "--passphrase-file", "--version", "init", "passwd", "recover", "rekey", "recovery-code", "demo",
            "audit", "check",
            "import-meeting", "meetings", "participants", "notes", "note", "search", "BACKCHANNEL_VAULT",
            "BACKCHANNEL_PASSPHRASE"}},
      {{"init"}, {"--recovery-code-file", "--kdf", "interactive", "--allow-weak-passphrase"}},
      {{"passwd"}, {"--new-passphrase-file", "BACKCHANNEL_NEW_PASSPHRASE", "--kdf", "--allow-weak-passphrase"}},
      {{"rekey"}, {"--recovery-code-file", "--new-passphrase-file", "--new-passphrase", "--allow-weak-passphrase"}},
      {{"recovery-code"}, {"--new", "--recovery-code-file"}},
      {{"recover"}, {"--recovery-code-file", "--new-passphrase-file", "BACKCHANNEL_RECOVERY_CODE", "BACKCHANNEL_NEW_PASSPHRASE"}},
      {{"demo"}, {"DIR", "--kdf"}},
      {{"audit"}, {"verify"}},
      {{"audit", "verify"}, {}},
      {{"check"}, {}},
      {{"import-meeting"}, {"FILE"}},
      {{"meetings"}, {"--json"}},
      {{"participants"}, {"--meeting", "--json"}},
      {{"notes"}, {"--meeting", "--json"}},
      {{"note"}, {"add", "edit", "history", "delete", "purge"}},
      {{"note", "add"}, {"--meeting", "--speaker", "--kind", "--visibility", "--at", "TEXT"}},
      {{"note", "edit"}, {"ID", "TEXT"}},
      {{"note", "history"}, {"ID", "--json"}},
      {{"note", "delete"}, {"ID"}},
      {{"note", "purge"}, {}},
      {{"search"}, {"QUERY", "--json", "--limit"}},
  };
  for (const auto& c : cases) {
    std::string name = "backchannel-cli";
    for (const auto& w : c.command) name += " " + w;
    SCOPED_TRACE(name + " --help");
    for (const char* flag : {"--help", "-h"}) {
      std::vector<std::string> args = c.command;
      args.push_back(flag);
      // No vault, no passphrase: help needs neither.
      const RunResult r = sb.raw(args);
      EXPECT_EQ(r.exit_code, 0) << flag << "\n" << describe(r);
      EXPECT_FALSE(r.out.empty()) << flag << ": help belongs on stdout";
      EXPECT_NE(r.out.find("Usage"), std::string::npos) << describe(r);
      for (const auto& word : c.mentions) EXPECT_NE(r.out.find(word), std::string::npos) << "does not mention " << word;
      if (!c.command.empty()) {
        EXPECT_NE(r.out.find(c.command.back()), std::string::npos);
      }
    }
  }
  // The top-level help documents the exit codes.
  const RunResult top = sb.raw({"--help"});
  for (const char* code : {"0 ok", "1 usage", "2 auth", "3 blocked", "4 bad input", "5 "})
    EXPECT_NE(top.out.find(code), std::string::npos) << code << "\n" << top.out;
  EXPECT_TRUE(fs::is_empty(sb.tmp()));
}

TEST(CliUsage, VersionNamesTheProgramAndItsCryptoLibraries) {
  Sandbox sb;
  const RunResult r = sb.raw({"--version"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^backchannel-cli [0-9]+\\.[0-9]+\\.[0-9]+"))) << describe(r);
  EXPECT_NE(r.out.find("SQLCipher"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("libsodium"), std::string::npos) << describe(r);
  EXPECT_EQ(r.out.back(), '\n');
}

TEST(CliUsage, UsageErrorsExitOneWithoutTouchingAnything) {
  Sandbox sb;
  const fs::path vault = sb.root() / "not-created";
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate"},
      {"meetings", "--frobnicate"},
      {"--no-such-global", "meetings"},
      {"participants"},
      {"participants", "--meeting"},
      {"participants", "--meeting", "one"},
      {"notes"},
      {"notes", "--meeting", "1.5"},
      {"note"},
      {"note", "frob"},
      {"note", "add"},
      {"note", "add", "--meeting", "1"},
      {"note", "add", "--meeting", "1", "--kind", "rant", "text"},
      {"note", "add", "--meeting", "1", "--visibility", "everyone", "text"},
      {"note", "edit"},
      {"note", "edit", "1"},
      {"note", "edit", "x", "text"},
      {"note", "history"},
      {"note", "delete"},
      {"note", "delete", "1", "2"},
      {"audit"},
      {"audit", "frob"},
      {"import-meeting"},
      {"search"},
      {"search", "x", "--limit", "0"},
      {"search", "x", "--limit", "many"},
      {"init", "--kdf", "huge"},
      {"init", "--recovery-code-file"},
      {"demo"},
      {"demo", (sb.root() / "demo").string(), "--kdf", "none"},
      {"check", "extra"},
      {"meetings", "extra"},
  };
  for (const auto& args : bad) {
    std::string line;
    for (const auto& a : args) line += " " + a;
    SCOPED_TRACE("backchannel-cli" + line);
    const RunResult r = sb.raw(args, {{"BACKCHANNEL_VAULT", vault.string()}, {"BACKCHANNEL_PASSPHRASE", kPassphrase}});
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << describe(r);
    EXPECT_EQ(r.out, "") << describe(r);
  }
  EXPECT_FALSE(fs::exists(vault));
  EXPECT_FALSE(fs::exists(sb.root() / "demo"));
  EXPECT_TRUE(fs::is_empty(sb.tmp()));
}

TEST(CliUsage, NoVaultNamedSaysHowToNameOne) {
  Sandbox sb;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"init", "--kdf", "interactive"}, {"meetings"}, {"check"}, {"passwd"}, {"recover"}, {"import-meeting",
           sample_meeting().string()}, {"note", "add", "--meeting", "1", "x"}, {"search", "x"}, {"audit", "verify"}}) {
    SCOPED_TRACE(args.front());
    const RunResult r = sb.raw(args, {{"BACKCHANNEL_PASSPHRASE", kPassphrase},
                                      {"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase},
                                      {"BACKCHANNEL_RECOVERY_CODE", "00000-00000-00000-00000-00000-00000"}});
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_NE(r.err.find("--vault"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("BACKCHANNEL_VAULT"), std::string::npos) << describe(r);
  }
  // Nothing was created anywhere in the sandbox (nor in the working folder of the test).
  EXPECT_TRUE(fs::is_empty(sb.tmp()));
  EXPECT_TRUE(fs::is_empty(sb.in()));
}

TEST(CliUsage, AMissingVaultIsNotFound) {
  Sandbox sb;
  const fs::path missing = sb.root() / "no-vault-here";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"meetings"}, {"check"}, {"audit", "verify"}, {"notes", "--meeting", "1"}, {"passwd"}, {"recover"}}) {
    SCOPED_TRACE(args.front());
    const RunResult r = sb.run_on(missing, args, {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase},
                                                  {"BACKCHANNEL_RECOVERY_CODE", "00000-00000-00000-00000-00000-00000"}});
    EXPECT_EQ(r.exit_code, 4) << describe(r);
    EXPECT_NE(r.err.find(missing.string()), std::string::npos) << "the message should name the folder\n" << describe(r);
    EXPECT_NE(r.err.find("init"), std::string::npos) << "the message should say how to create a vault\n" << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_FALSE(fs::exists(missing)) << "opening a missing vault created something";
  }
}

TEST(CliUsage, NoPassphraseAndNoTerminalSaysWhichOptionsWork) {
  Sandbox sb;
  // init without a passphrase: nothing is created.
  const fs::path fresh = sb.root() / "fresh";
  const fs::path code_file = sb.in() / "code.txt";
  const RunResult init = sb.raw({"init", "--kdf", "interactive", "--recovery-code-file", code_file.string()},
                                {{"BACKCHANNEL_VAULT", fresh.string()}});
  EXPECT_EQ(init.exit_code, 1) << describe(init);
  EXPECT_TRUE(one_clear_error(init));
  EXPECT_NE(init.err.find("--passphrase-file"), std::string::npos) << describe(init);
  EXPECT_NE(init.err.find("BACKCHANNEL_PASSPHRASE"), std::string::npos) << describe(init);
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_FALSE(fs::exists(code_file)) << "a recovery code file was left behind by a failed init";

  // An existing vault and each command that needs a secret.
  ASSERT_FALSE(sb.init().empty());
  const auto before = snapshot(sb.vault());
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::vector<std::string> mentions;
  };
  const std::string vault = sb.vault().string();
  const std::vector<Case> cases = {
      {{"meetings"}, {{"BACKCHANNEL_VAULT", vault}}, {"--passphrase-file", "BACKCHANNEL_PASSPHRASE"}},
      {{"check"}, {{"BACKCHANNEL_VAULT", vault}}, {"--passphrase-file", "BACKCHANNEL_PASSPHRASE"}},
      {{"note", "add", "--meeting", "1", "x"}, {{"BACKCHANNEL_VAULT", vault}}, {"--passphrase-file", "BACKCHANNEL_PASSPHRASE"}},
      {{"demo", (sb.root() / "demo").string(), "--kdf", "interactive"}, {}, {"--passphrase-file", "BACKCHANNEL_PASSPHRASE"}},
      {{"passwd"}, {{"BACKCHANNEL_VAULT", vault}, {"BACKCHANNEL_PASSPHRASE", kPassphrase}},
       {"--new-passphrase-file", "BACKCHANNEL_NEW_PASSPHRASE"}},
      {{"recover"}, {{"BACKCHANNEL_VAULT", vault}, {"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}},
       {"--recovery-code-file", "BACKCHANNEL_RECOVERY_CODE"}},
      {{"recover"}, {{"BACKCHANNEL_VAULT", vault}, {"BACKCHANNEL_RECOVERY_CODE", "00000-00000-00000-00000-00000-00000"}},
       {"--new-passphrase-file", "BACKCHANNEL_NEW_PASSPHRASE"}},
      // Set but empty is no passphrase either.
      {{"meetings"}, {{"BACKCHANNEL_VAULT", vault}, {"BACKCHANNEL_PASSPHRASE", ""}}, {"BACKCHANNEL_PASSPHRASE"}},
      {{"--passphrase-file", (sb.in() / "absent.txt").string(), "meetings"}, {{"BACKCHANNEL_VAULT", vault}},
       {(sb.in() / "absent.txt").string()}},
      {{"--passphrase-file", sb.input("empty.txt", "").string(), "meetings"}, {{"BACKCHANNEL_VAULT", vault}},
       {"empty"}},
  };
  for (const auto& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += " " + a;
    SCOPED_TRACE("backchannel-cli" + line);
    const RunResult r = sb.raw(c.args, c.env);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    for (const auto& m : c.mentions) EXPECT_NE(r.err.find(m), std::string::npos) << "does not mention " << m << "\n" << describe(r);
    EXPECT_EQ(snapshot_diff(before, snapshot(sb.vault())), "");
  }
  EXPECT_FALSE(fs::exists(sb.root() / "demo"));
  // Whatever is on stdin is not a passphrase source. (The CLI may exit before reading it:
  // run_program's write would then raise SIGPIPE in this process.)
  std::signal(SIGPIPE, SIG_IGN);
  const RunResult piped = sb.raw({"meetings"}, {{"BACKCHANNEL_VAULT", vault}}, kPassphrase + "\n");
  EXPECT_EQ(piped.exit_code, 1) << describe(piped);
}

}  // namespace
}  // namespace bc::test::cli
