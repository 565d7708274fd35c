// Versions of the program and the libraries it runs on, for --version and the About box.
#pragma once

#include <string>

namespace bc::core {

/// e.g. "0.1.0 (SQLCipher 4.5.5 community, SQLite 3.42.0, libsodium 1.0.18)"
std::string library_versions();

}  // namespace bc::core
