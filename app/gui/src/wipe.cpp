#include "backchannel/gui/wipe.h"

#include "backchannel/crypto/secure_buffer.h"

namespace bc::gui {

void wipe_string(std::string& s) {
  // Grow to the capacity first (no reallocation), so that bytes past the size are wiped too.
  s.resize(s.capacity());
  crypto::wipe(s.data(), s.size());
  s.clear();
  s.shrink_to_fit();
}

void wipe_strings(std::vector<std::string>& v) {
  for (auto& s : v) wipe_string(s);
  v.clear();
  v.shrink_to_fit();
}

}  // namespace bc::gui
