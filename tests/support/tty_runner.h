// Running a program on a pseudo-terminal and answering its prompts: for tools that read a
// passphrase only from a terminal (the `age` command line). Header-only; Linux (forkpty).
#pragma once

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace bc::test {

/// What a program printed on its terminal, and how it ended.
struct TtyResult {
  int exit_code = -1;
  std::string transcript;  ///< everything written to the terminal (prompts, messages)
  bool timed_out = false;
};

/// The absolute path of `name` found on $PATH, or "" when it is not installed.
inline std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t end = p.find(':', start);
    const std::string dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty()) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

/// Runs `program` (an absolute path) with `args` as the session leader of a new pseudo-terminal,
/// with a minimal environment (PATH, HOME, TMPDIR, LANG). Each time the next expected prompt in
/// `answers` (prompt text, reply) appears on the terminal, the reply and a newline are typed.
inline TtyResult run_on_tty(const std::string& program, const std::vector<std::string>& args,
                            const std::vector<std::pair<std::string, std::string>>& answers,
                            std::chrono::seconds timeout = std::chrono::seconds(120)) {
  // Everything the child needs is built before fork(): only async-signal-safe calls after it.
  std::vector<std::string> argv_s{program};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (const char* k : {"PATH", "HOME", "TMPDIR", "LANG"})
    if (const char* v = std::getenv(k)) env_s.push_back(std::string(k) + "=" + v);
  env_s.push_back("TERM=dumb");
  std::vector<char*> envp;
  for (auto& s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);

  TtyResult r;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return r;
  if (pid == 0) {
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  std::size_t next = 0, searched_from = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (true) {
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd pfd{master, POLLIN, 0};
    const int pr = ::poll(&pfd, 1, 100);
    if (pr < 0 && errno != EINTR) break;
    if (pr <= 0) continue;
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO: the child closed its side of the terminal
    r.transcript.append(buf, static_cast<std::size_t>(n));
    while (next < answers.size()) {
      const std::size_t at = r.transcript.find(answers[next].first, searched_from);
      if (at == std::string::npos) break;
      const std::string reply = answers[next].second + "\n";
      if (::write(master, reply.data(), reply.size()) != static_cast<ssize_t>(reply.size())) break;
      searched_from = at + answers[next].first.size();
      ++next;
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

}  // namespace bc::test
