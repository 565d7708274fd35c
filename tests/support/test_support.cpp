#include "test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace bc::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  fs::path base = tmp != nullptr && *tmp != '\0' ? fs::path(tmp) : fs::path("/tmp");
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    fs::path p = base / ("bc-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_file(e.path());
  return out;
}

void flip_byte(const fs::path& path, std::uint64_t offset, std::uint8_t mask) {
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ static_cast<char>(mask));
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

bool any_file_contains(const fs::path& dir, const std::string& needle) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && read_file(it->path()).find(needle) != std::string::npos) return true;
  }
  return false;
}

crypto::SecureBuffer secret(const std::string& text) { return crypto::SecureBuffer::copy_of(text); }

SpawnVectors spawn_vectors(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
  SpawnVectors v;
  std::map<std::string, std::string> full;
  for (const char* k : {"PATH", "HOME", "TMPDIR", "LANG"})
    if (const char* value = std::getenv(k)) full[k] = value;
  for (const auto& [k, value] : env) full[k] = value;
  for (const auto& [k, value] : full) v.env_strings.push_back(k + "=" + value);
  for (auto& s : v.env_strings) v.envp.push_back(s.data());
  v.envp.push_back(nullptr);
  v.argv_strings.push_back(program);
  v.argv_strings.insert(v.argv_strings.end(), args.begin(), args.end());
  for (auto& s : v.argv_strings) v.argv.push_back(s.data());
  v.argv.push_back(nullptr);
  return v;
}

void read_ready_output(pollfd fds[2], int& open_fds, RunResult& r) {
  char buf[65536];
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || fds[i].revents == 0) continue;
    const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
    if (n <= 0) {
      ::close(fds[i].fd);
      fds[i].fd = -1;
      --open_fds;
    } else {
      (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
    }
  }
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const std::optional<std::string>& stdin_data) {
  SpawnVectors v = spawn_vectors(program, args, env);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A new session: no controlling terminal, so the program cannot prompt on our tty.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &fa, &attr, v.argv.data(), v.envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + program + ": " + std::strerror(rc));
  // The child may exit without reading its input; that must not kill the test with SIGPIPE.
  if (stdin_data) std::signal(SIGPIPE, SIG_IGN);
  // Input is fed while output is drained: a filter that writes as it reads would otherwise
  // block on a full stdout pipe while we block on its full stdin pipe.
  std::size_t in_off = 0;
  if (stdin_data && !stdin_data->empty()) {
    ::fcntl(in_pipe[1], F_SETFL, ::fcntl(in_pipe[1], F_GETFL) | O_NONBLOCK);
  } else {
    ::close(in_pipe[1]);
    in_pipe[1] = -1;
  }
  RunResult r;
  pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}};
  int open_fds = 2;
  while (open_fds > 0 || fds[2].fd >= 0) {
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    read_ready_output(fds, open_fds, r);
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      const ssize_t n = ::write(fds[2].fd, stdin_data->data() + in_off, stdin_data->size() - in_off);
      if (n > 0) in_off += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || in_off == stdin_data->size()) {
        ::close(fds[2].fd);
        fds[2].fd = -1;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

RunResult run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                  const std::optional<std::string>& stdin_data) {
  return run_program(cli_path(), args, env, stdin_data);
}

std::string cli_path() { return BC_CLI_PATH; }
fs::path data_dir() { return BC_TEST_DATA_DIR; }
fs::path sample_meeting_file() { return BC_SAMPLE_MEETING; }
fs::path age_cctv_dir() { return data_dir() / "age-cctv" / "testdata"; }

}  // namespace bc::test
