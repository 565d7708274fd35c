// The comparison form of copy tracing (see trace_form.h).
#include "trace_form.h"

#include <utf8proc.h>

#include <algorithm>

#include "backchannel/core/text_normalizer.h"

namespace bc::core {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::size_t next_code_point(std::string_view s, std::size_t i, char32_t& cp) {
  utf8proc_int32_t c = 0;
  const utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                                static_cast<utf8proc_ssize_t>(s.size() - i), &c);
  if (len <= 0) {
    cp = 0xFFFD;
    return 1;
  }
  cp = static_cast<char32_t>(c);
  return static_cast<std::size_t>(len);
}

bool is_letter(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
      return true;
    default:
      return false;
  }
}

bool is_word_char(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
  if (is_letter(cp)) return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

std::uint64_t word_hash(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

TraceForm trace_form(std::string_view original, bool with_offsets) {
  TraceForm out;
  NormalizedText n;
  if (with_offsets) {
    n = normalize_with_offsets(original);
  } else {
    n.text = normalize(original);
  }
  const auto* p = reinterpret_cast<const unsigned char*>(n.text.data());
  const std::size_t size = n.text.size();
  std::string& t = out.text;
  t.reserve(size);
  bool pending_space = false;
  auto push = [&](const char* bytes, std::size_t len, std::size_t norm_pos) {
    t.append(bytes, len);
    if (with_offsets) {
      for (std::size_t k = 0; k < len; ++k) {
        out.source_start.push_back(n.source_start[norm_pos]);
        out.source_end.push_back(n.source_end[norm_pos]);
      }
    }
  };
  std::size_t i = 0;
  while (i < size) {
    char32_t cp;
    const std::size_t len = next_code_point(n.text, i, cp);
    const std::size_t at = i;
    i += len;
    if (is_word_char(cp)) {
      if (pending_space && !t.empty()) push(" ", 1, at);
      pending_space = false;
      push(n.text.data() + at, len, at);
    } else if (cp == ',' || cp == 0x060C) {  // comma, Arabic comma
      if (t.empty() || t.back() == ',') continue;
      // A thousands separator ("1,500") stays inside the number.
      if (!pending_space && is_digit(t.back()) && i < size && is_digit(static_cast<char>(p[i]))) {
        push(",", 1, at);
        continue;
      }
      push(",", 1, at);  // attached to the word before, even across a space ("b , and")
      pending_space = true;
    } else if (cp == '\'') {
      // Apostrophes join: "don't" and "dont" read the same.
    } else {
      pending_space = true;
    }
  }
  // Words: runs without spaces.
  std::size_t k = 0;
  while (k < t.size()) {
    const std::size_t b = k;
    while (k < t.size() && t[k] != ' ') ++k;
    TraceToken tok;
    tok.begin = static_cast<std::uint32_t>(b);
    tok.end = static_cast<std::uint32_t>(k);
    std::size_t ke = k;
    while (ke > b && t[ke - 1] == ',') --ke;
    tok.key_end = static_cast<std::uint32_t>(ke);
    tok.hash = word_hash(std::string_view(t).substr(b, ke - b));
    out.tokens.push_back(tok);
    ++k;  // the space
  }
  return out;
}

std::string trace_text(std::string_view original) { return trace_form(original, false).text; }

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp;
    i += next_code_point(utf8, i, cp);
    out.push_back(cp);
  }
  return out;
}

std::uint32_t edit_distance(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  std::vector<std::uint32_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<std::uint32_t>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::uint32_t diag = row[0];
    row[0] = static_cast<std::uint32_t>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::uint32_t up = row[j];
      const std::uint32_t sub = diag + (a[i - 1] == b[j - 1] ? 0u : 1u);
      row[j] = std::min({sub, up + 1, row[j - 1] + 1});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace bc::core
