#include "backchannel/gui/wipe.h"

#include "backchannel/crypto/secure_buffer.h"

namespace bc::gui {

void wipe_bytes(void* p, std::size_t n) { crypto::wipe(p, n); }

void wipe_string(std::string& s) {
  // Grow to the capacity first (no reallocation), so that bytes past the size are wiped too.
  s.resize(s.capacity());
  crypto::wipe(s.data(), s.size());
  s.clear();
  s.shrink_to_fit();
}

std::shared_ptr<std::string> shared_wiped(std::string_view s) {
  return std::shared_ptr<std::string>(new std::string(s), [](std::string* p) {
    wipe_string(*p);
    delete p;
  });
}

void wipe_strings(std::vector<std::string>& v) {
  for (auto& s : v) wipe_string(s);
  v.clear();
  v.shrink_to_fit();
}

}  // namespace bc::gui
