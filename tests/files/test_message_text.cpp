// quote_for_message: outside text in a message can neither drive the terminal nor spoof lines.
#include "backchannel/message_text.h"

#include <gtest/gtest.h>

namespace bc {
namespace {

TEST(QuoteForMessage, PlainTextIsQuotedAsIs) {
  EXPECT_EQ(quote_for_message("us-1"), "\"us-1\"");
  EXPECT_EQ(quote_for_message("فرهاد"), "\"فرهاد\"");
}

TEST(QuoteForMessage, ControlCharactersAreVisibleEscapes) {
  // A spoofed success line, a window title change (OSC 0) and an OSC 52 clipboard write.
  const std::string evil = "x\r\nok: imported\x1b]0;pwned\x07\x1b]52;c;aGk=\x07";
  const std::string q = quote_for_message(evil, 200);
  EXPECT_EQ(q, "\"x\\r\\nok: imported\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x07\"");
  for (char c : q) EXPECT_GE(static_cast<unsigned char>(c), 0x20);
}

TEST(QuoteForMessage, C1AndBidiControlsAndSeparatorsAreEscaped) {
  EXPECT_EQ(quote_for_message("a\xc2\x9b" "31m"), "\"a\\u{9b}31m\"");             // C1 CSI
  EXPECT_EQ(quote_for_message("abc\xe2\x80\xae" "fed"), "\"abc\\u{202e}fed\"");    // RLO
  EXPECT_EQ(quote_for_message("\xe2\x81\xa6x\xe2\x81\xa9"), "\"\\u{2066}x\\u{2069}\"");
  EXPECT_EQ(quote_for_message("a\xe2\x80\xa8" "b"), "\"a\\u{2028}b\"");
  EXPECT_EQ(quote_for_message("\x7f"), "\"\\x7f\"");
}

TEST(QuoteForMessage, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(quote_for_message("a\xff\xc0\xafz"), "\"a\\xff\\xc0\\xafz\"");
  EXPECT_EQ(quote_for_message("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // a surrogate
  EXPECT_EQ(quote_for_message("\xe2\x82"), "\"\\xe2\\x82\"");           // cut short
}

TEST(QuoteForMessage, QuotesAndBackslashesCannotCloseTheQuote) {
  EXPECT_EQ(quote_for_message("a\"b\\"), "\"a\\\"b\\\\\"");
}

TEST(QuoteForMessage, LongValuesAreCutByCodePoints) {
  EXPECT_EQ(quote_for_message(std::string(50, 'a'), 40), "\"" + std::string(40, 'a') + "...\"");
  EXPECT_EQ(quote_for_message("ééé", 2), "\"éé...\"");
  EXPECT_EQ(escape_for_message(std::string(100, 'b')), std::string(100, 'b'));
}

TEST(PrintableLine, KeepsQuotesButEscapesWhatCouldBreakTheLine) {
  EXPECT_EQ(printable_line("meeting \"x\" at C:\\"), "meeting \"x\" at C:\\");
  EXPECT_EQ(printable_line("one\ntwo\x1b[2K"), "one\\ntwo\\x1b[2K");
}

TEST(JsonForTerminal, EscapesWhatATerminalActsOnAndKeepsTheRest) {
  // As nlohmann::json serializes a string holding OSC 52, a C1 CSI, RLO and U+2028: C0 escaped
  // already, the others raw.
  const std::string dumped = "{\n  \"v\": \"\\u001b]52;c;eA==\\u0007 \xc2\x9b" "31m \xe2\x80\xae \xe2\x80\xa8 \xd8\xb9\xd8\xa8\xd8\xa7\xd8\xb3\"\n}";
  EXPECT_EQ(json_for_terminal(dumped),
            "{\n  \"v\": \"\\u001b]52;c;eA==\\u0007 \\u009b31m \\u202e \\u2028 \xd8\xb9\xd8\xa8\xd8\xa7\xd8\xb3\"\n}");
  EXPECT_EQ(json_for_terminal("\t[1,\r2]\x1b\x7f"), "\t[1,\\u000d2]\\u001b\\u007f");
  EXPECT_EQ(json_for_terminal("\"\xff\""), "\"\\ufffd\"");
}

}  // namespace
}  // namespace bc
