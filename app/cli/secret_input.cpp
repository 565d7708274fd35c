#include "secret_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace bc::cli {

namespace {

constexpr std::size_t kMaxSecret = 4096;

// Strips one trailing "\n" or "\r\n" (files written by editors and `echo` end with one).
void strip_newline(crypto::SecureBuffer& b) {
  std::size_t n = b.size();
  if (n > 0 && b.data()[n - 1] == '\n') --n;
  if (n > 0 && b.data()[n - 1] == '\r') --n;
  b.resize(n);
}

Result<crypto::SecureBuffer> from_file(const std::string& path, const char* what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::usage, std::string("cannot read the ") + what + " file " + path + ": " + std::strerror(errno));
  crypto::SecureBuffer b(kMaxSecret + 1);
  std::size_t got = 0;
  while (got < b.capacity()) {
    const ssize_t n = ::read(fd, b.data() + got, b.capacity() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > kMaxSecret) return fail(ErrorCode::usage, std::string("the ") + what + " file " + path + " is too large");
  b.resize(got);
  strip_newline(b);
  if (b.empty()) return fail(ErrorCode::usage, std::string("the ") + what + " file " + path + " is empty");
  return b;
}

struct termios g_saved_termios;
int g_tty_fd = -1;

void restore_tty_and_exit(int sig) {
  if (g_tty_fd >= 0) {
    ::tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_termios);
    (void)!::write(g_tty_fd, "\n", 1);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

Result<crypto::SecureBuffer> from_tty(const char* prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return fail(ErrorCode::usage, "no terminal");
  struct termios t;
  if (::tcgetattr(fd, &t) != 0) {
    ::close(fd);
    return fail(ErrorCode::usage, "no terminal");
  }
  g_saved_termios = t;
  g_tty_fd = fd;
  auto old_int = std::signal(SIGINT, restore_tty_and_exit);
  auto old_term = std::signal(SIGTERM, restore_tty_and_exit);
  t.c_lflag &= static_cast<tcflag_t>(~(ECHO | ECHONL));
  t.c_lflag |= ICANON;
  ::tcsetattr(fd, TCSAFLUSH, &t);
  (void)!::write(fd, prompt, std::strlen(prompt));
  crypto::SecureBuffer b(kMaxSecret);
  b.clear();  // a new SecureBuffer is full (size() == capacity()); push_back appends after size()
  bool too_long = false;
  while (true) {
    unsigned char c;
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    if (!b.push_back(c)) too_long = true;
  }
  ::tcsetattr(fd, TCSAFLUSH, &g_saved_termios);
  (void)!::write(fd, "\n", 1);
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  g_tty_fd = -1;
  ::close(fd);
  if (too_long) return fail(ErrorCode::usage, "the input is too long");
  if (b.size() > 0 && b.data()[b.size() - 1] == '\r') b.resize(b.size() - 1);
  return b;
}

}  // namespace

Result<crypto::SecureBuffer> read_secret(const SecretSource& source) {
  if (source.file) return from_file(*source.file, source.what);
  if (source.env != nullptr) {
    if (char* v = std::getenv(source.env); v != nullptr) {
      const std::size_t n = std::strlen(v);
      if (n == 0) return fail(ErrorCode::usage, std::string(source.env) + " is set but empty");
      if (n > kMaxSecret) return fail(ErrorCode::usage, std::string(source.env) + " is too long");
      crypto::SecureBuffer b = crypto::SecureBuffer::copy_of(std::string_view(v, n));
      // Wipe the variable's bytes in place: they would otherwise stay in this process's memory
      // (and in /proc/<pid>/environ) for as long as it runs.
      crypto::wipe(v, n);
      ::unsetenv(source.env);
      return b;
    }
  }
  if (::isatty(STDIN_FILENO) || ::isatty(STDERR_FILENO)) {
    BC_ASSIGN(crypto::SecureBuffer first, from_tty(source.prompt));
    if (first.empty()) return fail(ErrorCode::usage, std::string("the ") + source.what + " must not be empty");
    if (source.confirm) {
      BC_ASSIGN(crypto::SecureBuffer again, from_tty("Repeat to confirm: "));
      if (!crypto::equal_ct(first.span(), again.span()))
        return fail(ErrorCode::usage, std::string("the two ") + source.what + "s do not match; nothing was changed");
    }
    return first;
  }
  std::string msg = std::string("no ") + source.what + ": use " + source.file_option + " FILE";
  if (source.env != nullptr) msg += std::string(", set ") + source.env;
  msg += ", or run on a terminal";
  return fail(ErrorCode::usage, msg);
}

}  // namespace bc::cli
