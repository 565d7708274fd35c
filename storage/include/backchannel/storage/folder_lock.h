// An advisory lock on a vault folder (flock on the folder itself, so no lock file is written):
// every open vault holds it shared; re-keying holds it exclusively, because it replaces vault.db
// under every connection that would still have the old file open.
#pragma once

#include <filesystem>

#include "backchannel/result.h"

namespace bc::storage {

/// How a FolderLock is held.
enum class LockMode { shared, exclusive };

/// A held flock(2) on a folder; released when destroyed (or when the process dies).
class FolderLock {
 public:
  /// Takes the lock, retrying for up to `wait_ms` while another process holds a conflicting one.
  /// A conflict that outlasts the wait is ErrorCode::io with a message saying who holds it.
  static Result<FolderLock> acquire(const std::filesystem::path& dir, LockMode mode, int wait_ms = 5000);

  FolderLock() = default;
  ~FolderLock() { release(); }
  FolderLock(FolderLock&& other) noexcept : fd_(other.fd_), mode_(other.mode_) { other.fd_ = -1; }
  FolderLock& operator=(FolderLock&& other) noexcept;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  /// Converts the held lock (exclusive to shared never waits).
  Status convert(LockMode mode, int wait_ms = 5000);
  void release();
  bool held() const { return fd_ >= 0; }
  LockMode mode() const { return mode_; }

 private:
  int fd_ = -1;
  LockMode mode_ = LockMode::shared;
};

}  // namespace bc::storage
