#include "backchannel/crypto/age_identity_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::crypto::age {

Result<std::vector<Identity>> parse_identity_file(std::string_view text, std::string_view name) {
  std::vector<Identity> out;
  std::string_view rest = text;
  for (std::size_t number = 1; !rest.empty(); ++number) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "the identity file " + std::string(name) + ", line " + std::to_string(number);
    if (line.rfind("AGE-SECRET-KEY-PQ-1", 0) == 0)
      return fail(ErrorCode::unsupported, where + ": post-quantum identities (AGE-SECRET-KEY-PQ-1...) are not supported");
    // Nothing else is skipped: not a line of white space, not trailing blanks after a key.
    if (line.rfind("AGE-SECRET-KEY-1", 0) != 0)
      return fail(ErrorCode::bad_input, where + ": not an age identity (expected AGE-SECRET-KEY-1..., # comments or blank lines)");
    Result<X25519Identity> id = X25519Identity::parse(line);
    if (!id.ok()) return fail(ErrorCode::bad_input, where + ": not a valid age identity (bad checksum or length)");
    out.emplace_back(std::move(id.value()));
  }
  if (out.empty()) return fail(ErrorCode::bad_input, "the identity file " + std::string(name) + " holds no identities");
  return out;
}

Result<std::vector<Identity>> read_identity_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                "cannot read the identity file " + path.string() + ": " + std::strerror(err));
  }
  SecureBuffer text(kMaxIdentityFile + 1);
  std::size_t got = 0;
  int err = 0;
  while (got < text.capacity()) {
    const ssize_t n = ::read(fd, text.data() + got, text.capacity() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = errno;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (err != 0) return fail(ErrorCode::io, "cannot read the identity file " + path.string() + ": " + std::strerror(err));
  if (got > kMaxIdentityFile) return fail(ErrorCode::bad_input, "the identity file " + path.string() + " is too large");
  text.resize(got);
  return parse_identity_file(text.view(), path.string());
}

}  // namespace bc::crypto::age
