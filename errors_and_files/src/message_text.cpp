#include "backchannel/message_text.h"

#include <cstdint>
#include <cstdio>

namespace bc {

namespace {

// Decodes one UTF-8 sequence at `i` (strictly: no overlong forms, no surrogates, at most
// U+10FFFF). Returns its length, or 0 when the byte at `i` does not start a valid sequence.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; min = 0x10000; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool is_bidi_control(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void append_escaped(std::string& out, std::string_view value, std::size_t max_code_points, bool escape_quotes = true) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < value.size();) {
    if (count == max_code_points) {
      out += "...";
      return;
    }
    ++count;
    char32_t cp = 0;
    const std::size_t len = decode(value, i, cp);
    char buf[16];
    if (len == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(value[i]));
      out += buf;
      ++i;
      continue;
    }
    switch (cp) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '"': out += escape_quotes ? "\\\"" : "\""; break;
      case '\\': out += escape_quotes ? "\\\\" : "\\"; break;
      default:
        if (cp < 0x20 || cp == 0x7F) {
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
          out += buf;
        } else if ((cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp) || cp == 0x2028 || cp == 0x2029) {
          std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(cp));
          out += buf;
        } else {
          out.append(value.substr(i, len));
        }
    }
    i += len;
  }
}

}  // namespace

std::string quote_for_message(std::string_view value, std::size_t max_code_points) {
  std::string out = "\"";
  append_escaped(out, value, max_code_points);
  return out + "\"";
}

std::string escape_for_message(std::string_view value) {
  std::string out;
  append_escaped(out, value, static_cast<std::size_t>(-1));
  return out;
}

std::string printable_line(std::string_view text) {
  std::string out;
  append_escaped(out, text, static_cast<std::size_t>(-1), false);
  return out;
}

std::string json_for_terminal(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(json, i, cp);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    // A serializer escapes C0 controls inside strings and puts only \n, \t and spaces between
    // tokens; any other C0 control would make the text invalid JSON anyway.
    if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp < 0xA0) || is_bidi_control(cp) || cp == 0x2028 ||
        cp == 0x2029) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(json.substr(i, len));
    }
    i += len;
  }
  return out;
}

}  // namespace bc
