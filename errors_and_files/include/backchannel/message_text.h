// Putting outside text (a value from a file, a record field, a file name, a key) into a message
// for the user without letting it control the terminal or the display: every message built
// from such data goes through quote_for_message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bc {

/// `value` in double quotes, safe to print on a terminal or show in the desktop client: C0 and
/// C1 control characters, DEL, bidirectional controls (U+061C, U+200E/F, U+202A-U+202E,
/// U+2066-U+2069) and bytes that are not UTF-8 are written as visible escapes (`\n`, `\x1b`,
/// `\u{202e}`); a `"` or `\` is escaped. At most `max_code_points` code points are kept, then
/// "...". One line, whatever the input.
std::string quote_for_message(std::string_view value, std::size_t max_code_points = 40);

/// Like quote_for_message, without the quotes and without a length limit: for text that is
/// shown in full (a file name in a listing).
std::string escape_for_message(std::string_view value);

/// `text` made safe to print as one line: control characters, bidirectional controls and
/// invalid UTF-8 escaped as by escape_for_message, quotes and backslashes left as they are. The
/// front ends pass every message through it last, so that a message stays one line even if a
/// value reached it unquoted.
std::string printable_line(std::string_view text);

/// Serialized JSON made safe to print: C1 control characters, DEL, bidirectional controls and
/// the line and paragraph separators (which a serializer leaves as they are inside strings), and
/// any C0 control but a newline or tab, are written as `\uXXXX` escapes, so the text is still
/// JSON with the same values; a byte that is not UTF-8 becomes `\ufffd`. Everything else, the
/// white space between tokens included, is kept.
std::string json_for_terminal(std::string_view json);

}  // namespace bc
