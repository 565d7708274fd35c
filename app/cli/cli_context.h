// What every command shares: the global options, opening the vault, printing results.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/vault.h"
#include "backchannel/result.h"

namespace bc::cli {

/// Exit codes, as documented in --help and docs/cli.md.
enum ExitCode : int {
  kOk = 0,
  kUsage = 1,
  kAuthOrIntegrity = 2,
  kBlocked = 3,
  kBadInput = 4,
  kEnvironment = 5,
};

int exit_code_for(ErrorCode code);

/// Global options and the action chosen by the parser.
struct Context {
  std::string vault_dir;
  std::optional<std::string> passphrase_file;
  std::function<Status()> action;

  /// Opens the vault named by --vault / BACKCHANNEL_VAULT with the passphrase from
  /// --passphrase-file, BACKCHANNEL_PASSPHRASE or the terminal.
  Result<core::Vault> open_vault();
  /// The vault folder, or a usage error saying how to name one.
  Result<std::string> vault_path() const;
};

/// Registers a subcommand group. Each sets ctx.action when chosen.
void add_vault_commands(CLI::App& app, Context& ctx);
void add_meeting_commands(CLI::App& app, Context& ctx);
/// `age encrypt` and `age decrypt` (no vault needed).
void add_age_commands(CLI::App& app, Context& ctx);
void add_summary_commands(CLI::App& app, Context& ctx);
void add_archive_commands(CLI::App& app, Context& ctx);

/// Prints `text` and a newline to stdout.
void print_line(const std::string& text);
/// Pads `s` with spaces to `width` display columns (code points; good enough for tables).
std::string pad(const std::string& s, std::size_t width);
/// Cuts `s` to at most `width` code points, ending with "…" when cut.
std::string clip(const std::string& s, std::size_t width);

}  // namespace bc::cli
