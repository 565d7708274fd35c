#include "backchannel/storage/folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace bc::storage {

namespace {

// flock with a bounded wait: LOCK_NB in a loop, so that a program never hangs behind a vault
// that another one holds.
Status lock_fd(int fd, LockMode mode, int wait_ms, const std::filesystem::path& dir) {
  const int op = (mode == LockMode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (::flock(fd, op) != 0) {
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EWOULDBLOCK)
      return fail(ErrorCode::io, "cannot lock the vault folder " + dir.string() + ": " + std::strerror(err));
    if (std::chrono::steady_clock::now() >= deadline) {
      if (mode == LockMode::exclusive)
        return fail(ErrorCode::io, "the vault is open in another Backchannel program; close it, then try again");
      return fail(ErrorCode::io, "another Backchannel program is re-keying this vault; try again when it has finished");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return {};
}

}  // namespace

Result<FolderLock> FolderLock::acquire(const std::filesystem::path& dir, LockMode mode, int wait_ms) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::io, "cannot open the vault folder " + dir.string() + ": " + std::strerror(errno));
  FolderLock lock;
  lock.fd_ = fd;
  lock.mode_ = mode;
  BC_TRY(lock_fd(fd, mode, wait_ms, dir));
  return lock;
}

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = other.fd_;
    mode_ = other.mode_;
    other.fd_ = -1;
  }
  return *this;
}

Status FolderLock::convert(LockMode mode, int wait_ms) {
  if (fd_ < 0) return fail(ErrorCode::internal, "the vault folder is not locked");
  if (mode == mode_) return {};
  BC_TRY(lock_fd(fd_, mode, wait_ms, "the vault folder"));
  mode_ = mode;
  return {};
}

void FolderLock::release() {
  if (fd_ >= 0) ::close(fd_);  // closing the only descriptor releases the flock
  fd_ = -1;
}

}  // namespace bc::storage
