#include "file_streams.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bc::cli {

Result<InputFile> InputFile::open(const std::optional<std::string>& path) {
  InputFile f;
  if (!path || *path == "-") {
    f.fd_ = STDIN_FILENO;
    f.name_ = "standard input";
    return f;
  }
  f.fd_ = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd_ < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot read " + *path + ": " + std::strerror(err));
  }
  f.owned_ = true;
  f.name_ = *path;
  return f;
}

InputFile::InputFile(InputFile&& o) noexcept : fd_(o.fd_), owned_(o.owned_), name_(std::move(o.name_)) { o.owned_ = false; }

InputFile::~InputFile() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

crypto::age::ReadFn InputFile::reader() {
  return [this](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    while (true) {
      const ssize_t n = ::read(fd_, buf.data(), buf.size());
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      return fail(ErrorCode::io, "cannot read " + name_ + ": " + std::strerror(errno));
    }
  };
}

Result<OutputFile> OutputFile::create(const std::optional<std::string>& path) {
  OutputFile out;
  if (path && *path != "-") {
    BC_ASSIGN(storage::AtomicFileWriter w, storage::AtomicFileWriter::create(*path, false));
    out.file_ = std::make_unique<storage::AtomicFileWriter>(std::move(w));
  }
  return out;
}

crypto::age::WriteFn OutputFile::writer() {
  return [this](std::span<const std::uint8_t> data) -> Status {
    if (file_) return file_->write(data);
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), stdout) != data.size())
      return fail(ErrorCode::io, "cannot write to standard output");
    return {};
  };
}

Status OutputFile::commit() {
  if (file_) return file_->commit();
  if (std::fflush(stdout) != 0) return fail(ErrorCode::io, "cannot write to standard output");
  return {};
}

}  // namespace bc::cli
