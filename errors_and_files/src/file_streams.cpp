#include "backchannel/files/file_streams.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "backchannel/files/atomic_file.h"

namespace bc::files {

Result<InputFile> InputFile::open(const std::filesystem::path& path) {
  if (path == "-") return standard_input();
  InputFile f;
  f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd_ < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot read " + path.string() + ": " + std::strerror(err));
  }
  f.owned_ = true;
  f.name_ = path.string();
  struct stat st{};
  if (::fstat(f.fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail(ErrorCode::bad_input, path.string() + " is a folder, not a file");
    if (S_ISREG(st.st_mode)) f.size_ = static_cast<std::uint64_t>(st.st_size);
  }
  return f;
}

InputFile InputFile::standard_input() {
  InputFile f;
  f.fd_ = STDIN_FILENO;
  f.name_ = "standard input";
  return f;
}

InputFile::InputFile(InputFile&& o) noexcept : fd_(o.fd_), owned_(o.owned_), size_(o.size_), name_(std::move(o.name_)) {
  o.fd_ = -1;
  o.owned_ = false;
}

InputFile& InputFile::operator=(InputFile&& o) noexcept {
  if (this != &o) {
    if (owned_ && fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    owned_ = o.owned_;
    size_ = o.size_;
    name_ = std::move(o.name_);
    o.fd_ = -1;
    o.owned_ = false;
  }
  return *this;
}

InputFile::~InputFile() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<std::size_t> InputFile::read(std::span<std::uint8_t> buffer) {
  while (true) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return fail(ErrorCode::io, "cannot read " + name_ + ": " + std::strerror(errno));
  }
}

ReadFn InputFile::reader() {
  return [this](std::span<std::uint8_t> buffer) { return read(buffer); };
}

Result<OutputFile> OutputFile::create(const std::filesystem::path& path, Overwrite overwrite) {
  if (path == "-") return standard_output();
  if (path.empty()) return fail(ErrorCode::usage, "no output file name given");
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return fail(ErrorCode::bad_input, path.string() + " is a folder; give a file name");
  BC_ASSIGN(AtomicFileWriter w, AtomicFileWriter::create(path, overwrite == Overwrite::replace));
  OutputFile out;
  out.file_ = std::make_unique<AtomicFileWriter>(std::move(w));
  out.path_ = path;
  return out;
}

OutputFile OutputFile::standard_output() { return OutputFile(); }

OutputFile::OutputFile(OutputFile&&) noexcept = default;
OutputFile& OutputFile::operator=(OutputFile&&) noexcept = default;
OutputFile::~OutputFile() = default;

Status OutputFile::write(std::span<const std::uint8_t> bytes) {
  if (file_) return file_->write(bytes);
  // Lines printed through stdio must come out before these bytes.
  std::fflush(stdout);
  while (!bytes.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(ErrorCode::io, std::string("cannot write to standard output: ") + std::strerror(errno));
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

WriteFn OutputFile::writer() {
  return [this](std::span<const std::uint8_t> bytes) { return write(bytes); };
}

Status OutputFile::commit() {
  if (file_) return file_->commit();
  return {};
}

std::string OutputFile::name() const { return file_ ? path_.string() : std::string("standard output"); }

Status write_output_file(const std::filesystem::path& path, std::string_view contents, Overwrite overwrite) {
  BC_ASSIGN(OutputFile out, OutputFile::create(path, overwrite));
  BC_TRY(out.write(contents));
  return out.commit();
}

}  // namespace bc::files
