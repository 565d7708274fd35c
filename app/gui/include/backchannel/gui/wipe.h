// Wiping plaintext that views held, when the vault locks.
#pragma once

#include <string>
#include <vector>

namespace bc::gui {

/// Overwrites the whole allocation of `s` (not just its size), then empties and shrinks it.
void wipe_string(std::string& s);
/// wipe_string on every element, then empties and shrinks the vector.
void wipe_strings(std::vector<std::string>& v);

}  // namespace bc::gui
