// Helpers for the security suites (kill -9 storm, I/O faults, tamper sweeps): counts from the
// environment, running a program and killing it with SIGKILL at a chosen moment, opening a copy
// of a vault database in-process with the key from vault.keys (one Argon2id for a whole sweep),
// and a one-line report every suite prints ("[security] ...") for docs/security-results.md.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <utility>
#include <stdexcept>
#include <string>
#include <vector>

#include "backchannel/crypto/subkey.h"
#include "backchannel/storage/database.h"
#include "backchannel/storage/key_file.h"
#include "backchannel/storage/recovery_code.h"
#include "backchannel/storage/vault_store.h"
#include "cli_test_helpers.h"

namespace bc::test::security {

using namespace bc::test::cli;

/// A count from the environment (the dedicated `scripts/security` run sets the full counts), or
/// `fallback` for the quick default ctest run.
inline long env_count(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return (end != nullptr && *end == '\0' && n >= 0) ? n : fallback;
}

/// The seed of this run's random choices: $BC_SECURITY_SEED, else a fresh one (printed by
/// report(), so that a failure can be replayed).
inline std::uint64_t seed() {
  static const std::uint64_t s = [] {
    const char* v = std::getenv("BC_SECURITY_SEED");
    if (v != nullptr && *v != '\0') return static_cast<std::uint64_t>(std::strtoull(v, nullptr, 10));
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  return s;
}

/// Prints one "[security] ..." line on stdout (ctest -V and scripts/security show them).
inline void report(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::printf("[security] %s (seed %llu)\n", buf, static_cast<unsigned long long>(seed()));
  std::fflush(stdout);
}

/// How a run that may have been killed ended.
struct KilledRun {
  RunResult r;
  bool killed = false;  ///< died of our SIGKILL
  double seconds = 0;   ///< from start to exit
};

/// Runs `program` like run_program (clean environment plus `env`, a new session, stdout and
/// stderr captured), and sends it SIGKILL `delay_us` microseconds after it started unless it has
/// exited by then. Negative delay: never kill.
inline KilledRun run_and_kill(const std::string& program, const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env, long delay_us) {
  SpawnVectors v = spawn_vectors(program, args, env);

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  pid_t pid = 0;
  const auto start = std::chrono::steady_clock::now();
  const int rc = posix_spawn(&pid, program.c_str(), &fa, &attr, v.argv.data(), v.envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + program + ": " + std::strerror(rc));
  const auto deadline = start + std::chrono::microseconds(delay_us);
  bool sent = delay_us < 0;
  KilledRun k;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    timespec ts{};
    timespec* tp = nullptr;
    if (!sent) {
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        ::kill(pid, SIGKILL);
        sent = true;
        continue;
      }
      ts.tv_sec = static_cast<time_t>(left.count() / 1000000000);
      ts.tv_nsec = static_cast<long>(left.count() % 1000000000);
      tp = &ts;
    }
    const int pr = ::ppoll(fds, 2, tp, nullptr);
    if (pr < 0) {
      if (errno == EINTR) continue;
      break;
    }
    read_ready_output(fds, open_fds, k.r);
  }
  // Both pipes closed: the program is exiting (or was killed). Kill it anyway if the moment has
  // not come yet? No: it exited on its own, which is the "finished before the kill" case.
  int status = 0;
  ::waitpid(pid, &status, 0);
  k.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  k.r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  k.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  return k;
}

/// The master key of a vault, unwrapped once from its passphrase slot.
inline crypto::SecureBuffer master_key_of(const fs::path& vault_dir, const std::string& passphrase) {
  auto keys = storage::load_key_file(vault_dir / storage::kKeysFile);
  if (!keys) throw std::runtime_error("cannot read vault.keys: " + keys.error().message);
  const storage::KeySlot* slot = keys->find(storage::SlotType::passphrase);
  auto pass = secret(passphrase);
  auto master = storage::open_slot(*slot, *keys, pass.span());
  if (!master) throw std::runtime_error("cannot open the passphrase slot: " + master.error().message);
  return std::move(*master);
}

/// Whether `code` opens the recovery slot of the vault's key file (read-only: one Argon2id).
inline bool recovery_code_opens(const fs::path& vault_dir, const std::string& code) {
  auto keys = storage::load_key_file(vault_dir / storage::kKeysFile);
  auto parsed = storage::parse_recovery_code(code);
  if (!keys || !parsed || keys->find(storage::SlotType::recovery) == nullptr) return false;
  return storage::open_slot(*keys->find(storage::SlotType::recovery), *keys, parsed->span()).ok();
}

/// Every regular file directly in `dir` with its bytes.
inline std::map<std::string, std::string> folder_bytes(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out[e.path().filename().string()] = read_file(e.path());
  return out;
}

/// What a vault database holds, read in-process with a raw key: every note (id, text, deleted
/// mark) and every revision, or the error that stopped the read.
struct DbRead {
  bool ok = false;
  bool opened = false;  ///< the database opened (page 1 authenticated)
  ErrorCode code = ErrorCode::internal;
  std::string error;
  std::string integrity_error;  ///< "" when PRAGMA integrity_check and cipher_integrity_check pass
  std::string contents;         ///< the rows, one per line
};

inline DbRead read_database(const fs::path& db_file, const crypto::SecureBuffer& master) {
  DbRead out;
  const crypto::SecureBuffer key = crypto::derive_subkey(master, crypto::SubkeyPurpose::database);
  auto db = storage::Database::open(db_file, key, storage::OpenMode::open_existing);
  if (!db) {
    out.code = db.error().code;
    out.error = db.error().message;
    return out;
  }
  out.opened = true;
  // Every table a tamperer would want to alter: notes and their history, meetings, people, and
  // the audit chain.
  const std::vector<std::pair<const char*, int>> queries = {
      {"SELECT id, uid, meeting_id, revision, coalesce(deleted_at, ''), text FROM notes ORDER BY id", 6},
      {"SELECT note_id, revision, text FROM note_revisions ORDER BY note_id, revision", 3},
      {"SELECT id, uid, title, starts_at FROM meetings ORDER BY id", 4},
      {"SELECT id, uid, name FROM participants ORDER BY id", 3},
      {"SELECT seq, action, subject, hex(mac) FROM audit_log ORDER BY seq", 4}};
  for (const auto& [sql, columns] : queries) {
    auto st = db->prepare(sql);
    if (!st) {
      out.code = st.error().code;
      out.error = st.error().message;
      return out;
    }
    while (true) {
      auto row = st->step();
      if (!row) {
        out.code = row.error().code;
        out.error = row.error().message;
        return out;
      }
      if (!*row) break;
      for (int c = 0; c < columns; ++c) {
        out.contents += st->column_string(c);
        out.contents += '\x1f';
      }
      out.contents += '\n';
    }
    out.contents += "--\n";
  }
  out.ok = true;
  if (auto st = db->check_integrity(); !st) out.integrity_error = st.error().message;
  return out;
}

/// Regular files directly in `dir` (names).
inline std::set<std::string> files_in(const fs::path& dir) {
  std::set<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out.insert(e.path().filename().string());
  return out;
}

inline ino_t inode_of(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

}  // namespace bc::test::security
