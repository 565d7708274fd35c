// Reading passphrases and recovery codes without them passing through a std::string: from a
// file, from an environment variable (which is then wiped), or from the terminal without echo.
#pragma once

#include <optional>
#include <string>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::cli {

/// Where a secret may come from, in order of preference.
struct SecretSource {
  std::optional<std::string> file;  ///< --...-file FILE
  const char* env = nullptr;        ///< environment variable name
  const char* prompt = nullptr;     ///< terminal prompt
  bool confirm = false;             ///< on a terminal, ask twice and compare
  const char* what = "passphrase";  ///< for messages
  const char* file_option = "--passphrase-file";
};

/// Reads the secret. Fails with ErrorCode::usage when no source is available (no file, no
/// variable, no terminal), saying which options would work.
Result<crypto::SecureBuffer> read_secret(const SecretSource& source);

}  // namespace bc::cli
