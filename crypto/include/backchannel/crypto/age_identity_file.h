// age-keygen identity files ("AGE-SECRET-KEY-1..." lines), read into secure memory. The one
// parser used by `backchannel-cli age decrypt -i` and the desktop client's age tool.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "backchannel/crypto/age.h"
#include "backchannel/result.h"

namespace bc::crypto::age {

/// The largest identity file accepted.
inline constexpr std::size_t kMaxIdentityFile = 1 << 20;

/// Parses the text of an identity file: AGE-SECRET-KEY-1... lines, `#` comments and blank lines
/// (LF or CRLF). Any other line is refused (ErrorCode::bad_input; a post-quantum key is
/// ErrorCode::unsupported), as is a file with no identity. Messages name `name` and the line
/// number, never the line: it may hold a key. `text` should live in secure memory.
Result<std::vector<Identity>> parse_identity_file(std::string_view text, std::string_view name);

/// Reads `path` straight into secure memory (never a std::string) and parses it.
Result<std::vector<Identity>> read_identity_file(const std::filesystem::path& path);

}  // namespace bc::crypto::age
