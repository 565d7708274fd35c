// Checks applied to every piece of text before it is stored, whatever its source (import file,
// command line, GUI, archive).
#pragma once

#include <string_view>

#include "backchannel/result.h"

namespace bc::core {

/// What a text is, which decides its limits.
enum class TextField {
  short_text,  ///< names, titles, keys, aliases, descriptors: one line, Limits::kMaxShortText bytes
  note_text,   ///< a note: tabs and line breaks allowed, Limits::kMaxNoteText bytes
};

/// Checks `value`: valid UTF-8; no NUL, no other C0/C1 control character (a note may contain
/// tab, line feed and carriage return); no bidirectional embedding, override or isolate control
/// (U+202A-U+202E, U+2066-U+2069), which can make text display differently from what it
/// contains; not longer than the field's limit; not empty. Errors are ErrorCode::bad_input and
/// begin with `path` (e.g. "notes[3].text").
Status validate_text(std::string_view path, std::string_view value, TextField field);

}  // namespace bc::core
