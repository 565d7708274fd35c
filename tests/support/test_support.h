// Shared test helpers: temporary folders, whole files, running the real CLI binary.
#pragma once

#include <poll.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::test {

/// A fresh folder under $TMPDIR (or /tmp), removed with everything in it when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Reads a whole file as bytes (empty if missing).
std::string read_file(const std::filesystem::path& path);
/// Writes a whole file.
void write_file(const std::filesystem::path& path, const std::string& contents);
/// Every regular file under `dir` with its contents, for before/after comparisons.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir);
/// XORs one byte of a file with `mask`.
void flip_byte(const std::filesystem::path& path, std::uint64_t offset, std::uint8_t mask = 0x01);
/// True when `needle` occurs in any file under `dir` (recursively).
bool any_file_contains(const std::filesystem::path& dir, const std::string& needle);

/// A passphrase as the core API takes it.
crypto::SecureBuffer secret(const std::string& text);

/// The outcome of running a program.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the real backchannel-cli with `args`, the given extra environment (a clean one otherwise:
/// PATH, HOME, TMPDIR only) and optional stdin. Never through a shell.
RunResult run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                  const std::optional<std::string>& stdin_data = std::nullopt);
/// Runs any program the same way.
/// argv and envp for posix_spawn: `program` followed by `args`; PATH, HOME, TMPDIR and LANG from
/// this process's environment, overridden and extended by `env`. The pointers in `argv` and `envp`
/// point into the strings, so keep the whole object alive until the spawn.
struct SpawnVectors {
  std::vector<std::string> argv_strings, env_strings;
  std::vector<char*> argv, envp;
};
SpawnVectors spawn_vectors(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env);

/// After poll() on a child's stdout and stderr pipes (`fds[0]`, `fds[1]`; a closed one has fd -1):
/// appends what is readable to `r.out` / `r.err`, and closes a pipe at its end (decrementing
/// `open_fds`).
void read_ready_output(pollfd fds[2], int& open_fds, RunResult& r);

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {},
                      const std::optional<std::string>& stdin_data = std::nullopt);

/// The path of the built CLI.
std::string cli_path();
/// tests/data
std::filesystem::path data_dir();
/// docs/examples/sample-meeting.json, the meeting import format's example.
std::filesystem::path sample_meeting_file();
/// tests/data/age-cctv/testdata: the CCTV age test kit (tests/data/age-cctv/README.md).
std::filesystem::path age_cctv_dir();

}  // namespace bc::test
