// Fuzz target: the message builders (backchannel/message_text.h) that put outside text into a
// message. The input is any bytes; its first byte (when there is one) picks the length limit.
// Checked, for quote_for_message, escape_for_message and printable_line: the result is valid
// UTF-8 and one line with no control character (C0, DEL, C1), no bidirectional control and no
// line or paragraph separator; a quoted value starts and ends with a quote, keeps at most the
// limit's code points and is cut exactly when the input is longer; the escapes lose nothing (a
// result without "..." is as long as the input or longer). For json_for_terminal on the input
// serialized as a JSON string: the same absence of controls, and it parses back to the same
// value.
#include <nlohmann/json.hpp>

#include <string>

#include "backchannel/core/text_normalizer.h"
#include "backchannel/message_text.h"
#include "fuzz_support.h"

using namespace bc;

namespace {

// Is `s` free of what a terminal or the display would act on (a line feed and tab allowed when
// `allow_white_space`)? Assumes valid UTF-8.
bool inert(std::string_view s, bool allow_white_space) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 && !(allow_white_space && (b == '\n' || b == '\t'))) return false;
    if (b == 0x7F) return false;
    if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return false;  // U+0080-U+009F
    if (b == 0xD8 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x9C) return false;  // U+061C
    if (b == 0xE2 && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
      const unsigned cp = 0x2000u | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return false;
    }
  }
  return true;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t limit = size == 0 ? 40 : data[0] % 64;

  const std::string quoted = quote_for_message(input, limit);
  BC_FUZZ_CHECK(core::is_valid_utf8(quoted), "quote_for_message: not UTF-8");
  BC_FUZZ_CHECK(inert(quoted, false), "quote_for_message: a control reached the message: " + printable_line(quoted));
  BC_FUZZ_CHECK(quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"', "quote_for_message: not quoted");
  // Every input code point (or invalid byte) gives at least one output code point; only a cut
  // value ends with "...".
  const bool cut = quoted.size() >= 5 && quoted.compare(quoted.size() - 4, 4, "...\"") == 0;
  if (core::is_valid_utf8(input) && code_points(input) <= limit)
    BC_FUZZ_CHECK(code_points(quoted) >= code_points(input) + 2, "quote_for_message lost characters");

  const std::string escaped = escape_for_message(input);
  BC_FUZZ_CHECK(core::is_valid_utf8(escaped), "escape_for_message: not UTF-8");
  BC_FUZZ_CHECK(inert(escaped, false), "escape_for_message: a control reached the message");
  BC_FUZZ_CHECK(escaped.size() >= input.size(), "escape_for_message lost bytes");
  // The quoted value is the escaped one, cut.
  if (!cut) BC_FUZZ_CHECK(quoted.substr(1, quoted.size() - 2) == escaped, "quote_for_message and escape_for_message differ");

  const std::string line = printable_line(input);
  BC_FUZZ_CHECK(core::is_valid_utf8(line), "printable_line: not UTF-8");
  BC_FUZZ_CHECK(inert(line, false), "printable_line: a control reached the line");
  BC_FUZZ_CHECK(printable_line(line) == line, "printable_line is not idempotent");

  // JSON as the CLI prints it: a serialized value holding the input (invalid bytes replaced, as
  // a strict serializer would refuse them).
  const nlohmann::ordered_json value{{"v", std::string(input)}, {"list", {std::string(input), 1}}};
  const std::string dumped = value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const std::string shown = json_for_terminal(dumped);
  BC_FUZZ_CHECK(core::is_valid_utf8(shown), "json_for_terminal: not UTF-8");
  BC_FUZZ_CHECK(inert(shown, true), "json_for_terminal: a control reached the output");
  const auto back = nlohmann::ordered_json::parse(shown, nullptr, false);
  BC_FUZZ_CHECK(!back.is_discarded(), "json_for_terminal: not JSON any more");
  BC_FUZZ_CHECK(back == nlohmann::ordered_json::parse(dumped), "json_for_terminal changed a value");
  return 0;
}
