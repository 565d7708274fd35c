#include <cstdio>

#include "cli_context.h"

namespace bc::cli {

namespace {
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}
}  // namespace

void print_line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t n = code_points(s);
  return n >= width ? s : s + std::string(width - n, ' ');
}

std::string clip(const std::string& s, std::size_t width) {
  if (code_points(s) <= width) return s;
  std::size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == width - 1) break;
      ++n;
    }
  }
  return s.substr(0, i) + "…";
}

}  // namespace bc::cli
