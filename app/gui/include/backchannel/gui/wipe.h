// Wiping plaintext that views held, when the vault locks.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bc::gui {

/// Overwrites `n` bytes at `p` in a way the compiler does not optimize away.
void wipe_bytes(void* p, std::size_t n);
/// Overwrites the whole allocation of `s` (not just its size), then empties and shrinks it.
void wipe_string(std::string& s);
/// wipe_string on every element, then empties and shrinks the vector.
void wipe_strings(std::vector<std::string>& v);
/// A copy of `s` for a background write and its continuation to share, wiped when the last of
/// them lets go of it (whichever thread that is, and whether or not the write ran).
std::shared_ptr<std::string> shared_wiped(std::string_view s);

}  // namespace bc::gui
