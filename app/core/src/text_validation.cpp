#include "backchannel/core/text_validation.h"

#include <cstdio>
#include <string>

#include "backchannel/core/domain.h"
#include "backchannel/core/text_normalizer.h"

namespace bc::core {

namespace {

std::string code_point_name(std::uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", cp);
  return buf;
}

}  // namespace

Status validate_text(std::string_view path, std::string_view value, TextField field) {
  const std::size_t limit = field == TextField::note_text ? Limits::kMaxNoteText : Limits::kMaxShortText;
  const std::string where(path);
  if (value.size() > limit)
    return fail(ErrorCode::bad_input, where + ": too long (" + std::to_string(value.size()) +
                                          " bytes; the limit is " + std::to_string(limit) + ")");
  if (!is_valid_utf8(value)) return fail(ErrorCode::bad_input, where + ": not valid UTF-8");
  bool only_space = true;
  for (std::size_t i = 0; i < value.size();) {
    const auto c = static_cast<unsigned char>(value[i]);
    std::uint32_t cp;
    std::size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if (c < 0xE0) { cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(value[i + 1]) & 0x3Fu); len = 2; }
    else if (c < 0xF0) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(value[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(value[i + 2]) & 0x3Fu);
      len = 3;
    } else {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(value[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(value[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(value[i + 3]) & 0x3Fu);
      len = 4;
    }
    i += len;
    const bool line_break = cp == '\n' || cp == '\r' || cp == '\t';
    if (cp == 0) return fail(ErrorCode::bad_input, where + ": contains a NUL character");
    if ((cp < 0x20 && !(field == TextField::note_text && line_break)) || (cp >= 0x7F && cp < 0xA0))
      return fail(ErrorCode::bad_input, where + ": contains the control character " + code_point_name(cp));
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
      return fail(ErrorCode::bad_input, where + ": contains the bidirectional control character " +
                                            code_point_name(cp) +
                                            ", which can make text display differently from what it says; remove it");
    if (cp != ' ' && !line_break) only_space = false;
  }
  if (only_space) return fail(ErrorCode::bad_input, where + ": must not be empty");
  return {};
}

}  // namespace bc::core
