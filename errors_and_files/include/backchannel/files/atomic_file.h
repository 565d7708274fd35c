// Writing a file so that it is either complete or absent: temp file, fsync, rename, fsync dir.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string_view>

#include "backchannel/result.h"

namespace bc::files {

/// Replaces `path` with `contents` atomically (mode 0600). On any failure the old file, if any,
/// is untouched and no temp file is left behind.
Status write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> contents);
inline Status write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  return write_file_atomically(path, {reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size()});
}

/// fsyncs a directory so that a rename or create in it survives a crash.
Status sync_directory(const std::filesystem::path& dir);

/// A file written in pieces under a temporary name in the target's folder and renamed into place
/// by commit(). Destroyed without commit(): the temp file is removed, the target never appears.
class AtomicFileWriter {
 public:
  static Result<AtomicFileWriter> create(const std::filesystem::path& target, bool allow_replace);
  ~AtomicFileWriter();
  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  Status write(std::span<const std::uint8_t> bytes);
  /// fsync, rename over the target, fsync the folder.
  Status commit();

 private:
  AtomicFileWriter() = default;
  void abandon();
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool allow_replace_ = false;
};

/// Reads a whole file, refusing files larger than `max_bytes` before reading them.
Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace bc::files
