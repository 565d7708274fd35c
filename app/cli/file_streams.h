// Files and standard streams as the pull/push functions the age code takes.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "backchannel/crypto/age.h"
#include "backchannel/result.h"
#include "backchannel/storage/atomic_file.h"

namespace bc::cli {

/// An input file ("-" or nothing: standard input).
class InputFile {
 public:
  static Result<InputFile> open(const std::optional<std::string>& path);
  InputFile(InputFile&&) noexcept;
  InputFile& operator=(InputFile&&) = delete;
  ~InputFile();
  crypto::age::ReadFn reader();

 private:
  InputFile() = default;
  int fd_ = -1;
  bool owned_ = false;
  std::string name_;
};

/// An output that appears only when complete: a file written under a temporary name and
/// renamed by commit() (never replacing an existing file), or standard output.
class OutputFile {
 public:
  static Result<OutputFile> create(const std::optional<std::string>& path);
  crypto::age::WriteFn writer();
  Status commit();
  bool is_stdout() const { return !file_; }

 private:
  std::unique_ptr<storage::AtomicFileWriter> file_;
};

}  // namespace bc::cli
