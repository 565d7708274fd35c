#include "backchannel/core/folder_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "backchannel/message_text.h"

namespace bc::core {

namespace fs = std::filesystem;

namespace {
constexpr std::uint32_t kMask = IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE;
}

struct FolderWatch::Impl {
  int fd = -1;
  std::map<int, fs::path> dirs;
  ~Impl() {
    if (fd >= 0) ::close(fd);
  }
  void add_tree(const fs::path& dir, int depth) {
    const int wd = inotify_add_watch(fd, dir.c_str(), kMask);
    if (wd >= 0) dirs[wd] = dir;
    if (depth == 0) return;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory(ec)) add_tree(it->path(), depth - 1);
  }
};

FolderWatch::FolderWatch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FolderWatch::FolderWatch(FolderWatch&&) noexcept = default;
FolderWatch& FolderWatch::operator=(FolderWatch&&) noexcept = default;
FolderWatch::~FolderWatch() = default;

Result<FolderWatch> FolderWatch::open(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return fail(ErrorCode::bad_input, quote_for_message(folder.string()) + " is not a folder");
  auto impl = std::make_unique<Impl>();
  impl->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (impl->fd < 0) return fail(ErrorCode::io, "cannot watch the sync folder (inotify refused)");
  impl->add_tree(folder, 2);
  return FolderWatch(std::move(impl));
}

Result<bool> FolderWatch::wait(int timeout_ms) {
  pollfd p{impl_->fd, POLLIN, 0};
  const int r = ::poll(&p, 1, timeout_ms);
  if (r < 0) {
    if (errno == EINTR) return false;
    return fail(ErrorCode::io, "waiting for the sync folder failed");
  }
  if (r == 0) return false;
  bool arrived = false;
  alignas(inotify_event) char buf[16 * 1024];
  while (true) {
    const ssize_t n = ::read(impl_->fd, buf, sizeof buf);
    if (n <= 0) break;
    for (char* at = buf; at < buf + n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + ev->len;
      auto dir = impl_->dirs.find(ev->wd);
      if (dir == impl_->dirs.end() || ev->len == 0) continue;
      const fs::path path = dir->second / ev->name;
      if (ev->mask & IN_ISDIR) {
        // A series or device folder appeared (created, or renamed into place): watch it and what
        // it already holds.
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) impl_->add_tree(path, 1);
        arrived = true;
      } else if (ev->mask & (IN_MOVED_TO | IN_CLOSE_WRITE)) {
        arrived = true;
      }
    }
  }
  return arrived;
}

}  // namespace bc::core
