// What every command shares: the global options, opening the vault, printing results.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"
#include "backchannel/files/file_streams.h"
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

/// Registers the commands of one source file (each file is named after the commands it holds).
/// Each command sets ctx.action when chosen.
void add_vault_commands(CLI::App& app, Context& ctx);        ///< init, passwd, recover, rekey, recovery-code, demo, audit, check
void add_meeting_commands(CLI::App& app, Context& ctx);      ///< import-meeting, series, meetings, meeting set
void add_participant_commands(CLI::App& app, Context& ctx);  ///< participants, participant add|set
void add_note_commands(CLI::App& app, Context& ctx);         ///< notes, note add|edit|history|delete|purge, search
void add_summary_commands(CLI::App& app, Context& ctx);      ///< summary
void add_identity_commands(CLI::App& app, Context& ctx);     ///< identity
void add_archive_commands(CLI::App& app, Context& ctx);      ///< export, import-archive
void add_package_commands(CLI::App& app, Context& ctx);      ///< package summary, responses
void add_inbox_commands(CLI::App& app, Context& ctx);        ///< inbox import|list|show, review
void add_age_commands(CLI::App& app, Context& ctx);          ///< age encrypt|decrypt (no vault needed)
void add_team_commands(CLI::App& app, Context& ctx);         ///< team create|add|accept|remove|list|confirm
void add_sync_commands(CLI::App& app, Context& ctx);         ///< sync [status], conflicts [resolve]
void add_trust_commands(CLI::App& app, Context& ctx);        ///< trust list|remove
void add_thread_commands(CLI::App& app, Context& ctx);       ///< threads, thread add|link|set-status|show|suggest
void add_paper_commands(CLI::App& app, Context& ctx);        ///< papers, paper create|section|cite|author|show|approve|copy|copies|trace

/// The one rule for output files (docs/cli.md, "Output files"): `-o FILE` refuses an existing
/// FILE unless `--force` was given, and the file appears only when complete; "-" is standard
/// output.
void add_output_options(CLI::App* cmd, std::optional<std::string>& output, bool& force, const std::string& what,
                        bool required);
Result<files::OutputFile> open_output(const std::optional<std::string>& output, bool force);
/// Binary output is never written to a terminal: Status ok unless `out` is standard output and
/// that is a terminal, then a usage error "refusing to write WHAT to a terminal: use HOW".
Status refuse_binary_on_terminal(const files::OutputFile& out, const std::string& what, const std::string& how);

/// Parses "AUDIENCE=VALUE" (e.g. public=anonymous); the value is checked by the caller.
Status parse_audience_assignment(const std::string& text, core::Audience& audience, std::string& value);

/// How the command line says an error's remedy, appended to its message ("" when none).
std::string remedy_hint(const Error& error);

/// Progress of a long read or write, on a terminal only (pipes and logs stay clean);
/// end_progress() ends the line.
std::function<void(std::uint64_t)> progress_printer(const char* what);
void end_progress();

/// Prints JSON (two-space indent, UTF-8 as is but for the characters json_for_terminal escapes)
/// and a newline to stdout.
void print_json(const nlohmann::ordered_json& j);
/// A string or JSON null.
nlohmann::ordered_json optional_json(const std::optional<std::string>& value);

/// Prints `text` as one line (printable_line: controls and bidi controls escaped, whatever
/// data reached it) and a newline to stdout.
void print_line(const std::string& text);
/// Prints `fields` separated by tabs, each escaped (escape_for_message), and a newline.
void print_fields(std::initializer_list<std::string_view> fields);
/// Pads `s` with spaces to `width` display columns (code points; good enough for tables).
std::string pad(const std::string& s, std::size_t width);
/// Cuts `s` to at most `width` code points, ending with "…" when cut.
std::string clip(const std::string& s, std::size_t width);

}  // namespace bc::cli
