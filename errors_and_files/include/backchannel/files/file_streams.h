// Files and standard streams as the pull and push functions that the age code, archives and
// summaries take. Every file a command or the desktop client writes goes through OutputFile:
// an existing file is refused unless the caller says to replace it (`--force`), and the file
// appears under its name only when complete (docs/cli.md, "Output files").
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "backchannel/result.h"

namespace bc::files {

/// Fills the buffer with up to its size in bytes; 0 means the end.
using ReadFn = std::function<Result<std::size_t>(std::span<std::uint8_t>)>;
/// Takes the next bytes.
using WriteFn = std::function<Status(std::span<const std::uint8_t>)>;

/// What OutputFile does when the target exists.
enum class Overwrite {
  refuse,   ///< ErrorCode::conflict, before anything is written (the default everywhere)
  replace,  ///< the user asked for it (`--force`, or confirmed in the desktop client)
};

/// A file (or standard input) read in pieces.
class InputFile {
 public:
  /// Opens `path`; "-" is standard input.
  static Result<InputFile> open(const std::filesystem::path& path);
  static InputFile standard_input();
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  /// Reads the next bytes; 0 at the end. Retries on EINTR.
  Result<std::size_t> read(std::span<std::uint8_t> buffer);
  /// read() as a ReadFn; valid while this object lives.
  ReadFn reader();
  /// The size of a regular file, 0 for standard input or a pipe.
  std::uint64_t size() const { return size_; }
  const std::string& name() const { return name_; }

 private:
  InputFile() = default;
  int fd_ = -1;
  bool owned_ = false;
  std::uint64_t size_ = 0;
  std::string name_;
};

class AtomicFileWriter;

/// A file written under a temporary name in its folder and renamed into place by commit()
/// (fsync, rename, fsync the folder), or standard output. Destroyed without commit(), the
/// temporary is removed and the target never appears. Mode 0600.
class OutputFile {
 public:
  /// `path` "-" is standard output. With Overwrite::refuse an existing target is an
  /// ErrorCode::conflict now (before any work) and again at commit() if one appeared meanwhile.
  static Result<OutputFile> create(const std::filesystem::path& path, Overwrite overwrite);
  static OutputFile standard_output();
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  ~OutputFile();

  Status write(std::span<const std::uint8_t> bytes);
  Status write(std::string_view text) {
    return write({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  }
  /// write() as a WriteFn; valid while this object lives.
  WriteFn writer();
  /// Makes the file appear (or flushes standard output).
  Status commit();
  bool is_standard_output() const { return !file_; }
  /// The target path ("standard output" for standard output), for messages.
  std::string name() const;

 private:
  OutputFile() = default;
  std::unique_ptr<AtomicFileWriter> file_;
  std::filesystem::path path_;
};

/// Writes `contents` to `path` as one OutputFile.
Status write_output_file(const std::filesystem::path& path, std::string_view contents, Overwrite overwrite);

}  // namespace bc::files
