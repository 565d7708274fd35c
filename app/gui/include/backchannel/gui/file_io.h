// Files as the age code's read and write functions, with progress and cancellation for the
// task runner: a cancelled task's reader or writer fails, so the core abandons the work (an
// import rolls back, an export's temporary file is removed).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "backchannel/crypto/age.h"
#include "backchannel/gui/task_runner.h"
#include "backchannel/storage/atomic_file.h"

namespace bc::gui {

/// A file opened for reading.
class FileSource {
 public:
  static Result<std::unique_ptr<FileSource>> open(const std::filesystem::path& path);
  ~FileSource();
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  /// Reads, counting bytes into `progress` (total set to the file size) and failing once
  /// progress.cancelled is set.
  crypto::age::ReadFn reader(TaskProgress& progress);

 private:
  FileSource() = default;
  int fd_ = -1;
  std::string name_;
  std::uint64_t size_ = 0;
};

/// A file that appears only when complete (written under a temporary name, renamed by
/// commit(); never replacing an existing file).
class FileSink {
 public:
  static Result<std::unique_ptr<FileSink>> create(const std::filesystem::path& path);
  crypto::age::WriteFn writer(TaskProgress& progress);
  Status commit() { return file_.commit(); }

 private:
  explicit FileSink(storage::AtomicFileWriter f) : file_(std::move(f)) {}
  storage::AtomicFileWriter file_;
};

/// Writes `text` to a new file at `path` (refusing to replace one), atomically, mode 0600.
Status write_new_file(const std::filesystem::path& path, std::string_view text);

}  // namespace bc::gui
