// Waiting for files to arrive in a sync folder (docs/sync.md, "Watching"). Sync engines write a
// temporary file and rename it into place, so a finished bundle shows up as IN_MOVED_TO (or
// IN_CLOSE_WRITE when something writes it in place); new series and device folders are watched as
// they appear.
#pragma once

#include <filesystem>
#include <memory>

#include "backchannel/result.h"

namespace bc::core {

/// An inotify watch on a folder and every folder below it (two levels: series, device).
class FolderWatch {
 public:
  /// ErrorCode::bad_input when `folder` is not a folder, ErrorCode::io when inotify refuses.
  static Result<FolderWatch> open(const std::filesystem::path& folder);
  FolderWatch(FolderWatch&&) noexcept;
  FolderWatch& operator=(FolderWatch&&) noexcept;
  ~FolderWatch();

  /// Waits up to `timeout_ms` for a file to be finished or a folder to appear below the folder.
  /// Returns whether one did (new subfolders are watched from then on). EINTR returns false.
  Result<bool> wait(int timeout_ms);

 private:
  struct Impl;
  explicit FolderWatch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bc::core
