#include "backchannel/gui/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bc::gui {

Result<std::unique_ptr<FileSource>> FileSource::open(const std::filesystem::path& path) {
  std::unique_ptr<FileSource> f(new FileSource());
  f->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f->fd_ < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot read " + path.string() + ": " + std::strerror(err));
  }
  struct stat st{};
  if (::fstat(f->fd_, &st) == 0) f->size_ = static_cast<std::uint64_t>(st.st_size);
  f->name_ = path.string();
  return f;
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

crypto::age::ReadFn FileSource::reader(TaskProgress& progress) {
  progress.total = size_;
  return [this, &progress](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    if (progress.cancelled) return fail(ErrorCode::io, "cancelled");
    while (true) {
      const ssize_t n = ::read(fd_, buf.data(), buf.size());
      if (n >= 0) {
        progress.done += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) return fail(ErrorCode::io, "cannot read " + name_ + ": " + std::strerror(errno));
    }
  };
}

Result<std::unique_ptr<FileSink>> FileSink::create(const std::filesystem::path& path) {
  BC_ASSIGN(storage::AtomicFileWriter w, storage::AtomicFileWriter::create(path, false));
  return std::unique_ptr<FileSink>(new FileSink(std::move(w)));
}

crypto::age::WriteFn FileSink::writer(TaskProgress& progress) {
  return [this, &progress](std::span<const std::uint8_t> bytes) -> Status {
    if (progress.cancelled) return fail(ErrorCode::io, "cancelled");
    progress.done += bytes.size();
    return file_.write(bytes);
  };
}

Status write_new_file(const std::filesystem::path& path, std::string_view text) {
  BC_ASSIGN(storage::AtomicFileWriter w, storage::AtomicFileWriter::create(path, false));
  BC_TRY(w.write({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}));
  return w.commit();
}

}  // namespace bc::gui
