#include "backchannel/files/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <string>
#include <system_error>


namespace bc::files {

namespace {

Error os_error(std::string_view what, const std::filesystem::path& path, int err) {
  std::string msg = std::string(what) + " " + path.string() + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) msg += " (free some space and try again; nothing was changed)";
  else if (err == EACCES || err == EPERM || err == EROFS) msg += " (check that the folder is yours and writable, then try again)";
  else msg += " (check the disk, then try again)";
  return fail(ErrorCode::io, msg);
}

constexpr std::string_view kTempMarker = ".tmp-";
constexpr std::size_t kTempSuffixHex = 12;

// A random suffix, no content-derived part: file names must not leak anything. getrandom(2)
// rather than libsodium keeps this library below crypto; the name only has to be unpredictable
// enough not to collide, and O_EXCL refuses a collision anyway.
std::string random_hex(std::size_t bytes) {
  unsigned char buf[16];
  std::size_t got = 0;
  while (got < bytes) {
    const ssize_t n = ::getrandom(buf + got, bytes - got, 0);
    if (n > 0) got += static_cast<std::size_t>(n);
    else if (n < 0 && errno != EINTR) std::abort();  // Linux >= 3.17 always has it
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    out += kHex[buf[i] >> 4];
    out += kHex[buf[i] & 15];
  }
  return out;
}

std::filesystem::path temp_name_for(const std::filesystem::path& target) {
  return target.parent_path() / ("." + target.filename().string() + std::string(kTempMarker) + random_hex(kTempSuffixHex / 2));
}

// A writer killed before commit (kill -9, power loss) leaves its hidden temporary behind, and
// for an explicit plaintext export (a summary) that is plaintext the user does not know about.
// Every writer holds an exclusive flock() on its temporary until it commits or abandons it; the
// kernel drops the lock when the process dies. So a temporary for the same target that nobody
// holds, and that has not been touched for a few seconds (a writer between its open() and its
// flock() is not mistaken for a dead one), is a leftover: it is removed before the new write.
void remove_dead_temporaries(const std::filesystem::path& target) {
  const std::filesystem::path dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  const std::string prefix = "." + target.filename().string() + std::string(kTempMarker);
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != prefix.size() + kTempSuffixHex || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (name.find_first_not_of("0123456789abcdef", prefix.size()) != std::string::npos) continue;
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) continue;
    struct stat st;
    const bool old_regular_file = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
                                  st.st_mtime + 5 < std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    if (old_regular_file && ::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(it->path().c_str());
    ::close(fd);
  }
}

Status write_all(int fd, const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("cannot write", path, errno);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Status sync_directory(const std::filesystem::path& dir) {
  const auto d = dir.empty() ? std::filesystem::path(".") : dir;
  const int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return os_error("cannot open folder", d, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return os_error("cannot sync folder", d, err);
  return {};
}

Status write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> contents) {
  BC_ASSIGN(AtomicFileWriter w, AtomicFileWriter::create(path, true));
  BC_TRY(w.write(contents));
  return w.commit();
}

Result<AtomicFileWriter> AtomicFileWriter::create(const std::filesystem::path& target, bool allow_replace) {
  if (!allow_replace) {
    struct stat st;
    if (::lstat(target.c_str(), &st) == 0)
      return fail(ErrorCode::conflict, target.string() + " already exists", Remedy::replace_output);
  }
  AtomicFileWriter w;
  w.target_ = target;
  w.allow_replace_ = allow_replace;
  remove_dead_temporaries(target);
  w.temp_ = temp_name_for(target);
  w.fd_ = ::open(w.temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (w.fd_ < 0) return os_error("cannot create a file in", target.parent_path().empty() ? "." : target.parent_path(), errno);
  // Held until commit or abandon, and by the kernel until this process dies: it tells a later
  // writer that this temporary is alive (remove_dead_temporaries). A file system without flock()
  // fails here and in remove_dead_temporaries alike, which then removes nothing: no error.
  (void)::flock(w.fd_, LOCK_EX);
  return w;
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : target_(std::move(other.target_)), temp_(std::move(other.temp_)), fd_(other.fd_),
      allow_replace_(other.allow_replace_) {
  other.fd_ = -1;
  other.temp_.clear();
}

AtomicFileWriter::~AtomicFileWriter() { abandon(); }

void AtomicFileWriter::abandon() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

Status AtomicFileWriter::write(std::span<const std::uint8_t> bytes) {
  if (fd_ < 0) return fail(ErrorCode::internal, "file writer is closed");
  auto st = write_all(fd_, temp_, bytes);
  if (!st) abandon();
  return st;
}

Status AtomicFileWriter::commit() {
  if (fd_ < 0) return fail(ErrorCode::internal, "file writer is closed");
  if (::fsync(fd_) != 0) {
    const int err = errno;
    abandon();
    return os_error("cannot sync", target_, err);
  }
  if (::close(fd_) != 0) {
    const int err = errno;
    fd_ = -1;
    abandon();
    return os_error("cannot close", target_, err);
  }
  fd_ = -1;
  int rc;
  if (allow_replace_) {
    rc = ::rename(temp_.c_str(), target_.c_str());
  } else {
    // link() fails if the target appeared meanwhile, so an existing file is never replaced.
    rc = ::link(temp_.c_str(), target_.c_str());
    if (rc == 0) ::unlink(temp_.c_str());
  }
  if (rc != 0) {
    const int err = errno;
    abandon();
    if (err == EEXIST)
      return fail(ErrorCode::conflict, target_.string() + " appeared while it was being written; nothing was written",
                  Remedy::replace_output);
    return os_error("cannot move into place", target_, err);
  }
  temp_.clear();
  return sync_directory(target_.parent_path());
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return fail(ErrorCode::not_found, path.string() + " does not exist");
    return os_error("cannot open", path, err);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(ErrorCode::bad_input, path.string() + " is not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return fail(ErrorCode::bad_input, path.string() + " is too large (" + std::to_string(st.st_size) +
                                          " bytes; the limit is " + std::to_string(max_bytes) + ")");
  }
  std::string out;
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != out.size()) return fail(ErrorCode::io, "cannot read " + path.string() + " completely");
  return out;
}

}  // namespace bc::files
