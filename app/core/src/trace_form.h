// The comparison form that copy variants are told apart in (docs/paper.md, "How tracing reads a
// text"): the search normalization (case, diacritics, Persian letter and digit folding, invisible
// characters, hyphens as spaces), then letters and digits only, words separated by one space,
// apostrophes dropped, and commas kept, attached to the word before them (a thousands separator
// between digits stays inside the number). Internal to core.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bc::core {

/// One word of a TraceForm.
struct TraceToken {
  std::uint32_t begin = 0;    ///< bytes of TraceForm::text
  std::uint32_t end = 0;      ///< including commas attached after the word
  std::uint32_t key_end = 0;  ///< end without the trailing commas: the word compared
  std::uint64_t hash = 0;     ///< of the word [begin, key_end)
};

/// A text in comparison form, with its words and (optionally) a map back to the original.
struct TraceForm {
  std::string text;
  /// Per byte of `text`: the original bytes [start, end) it came from (empty without offsets).
  std::vector<std::uint32_t> source_start;
  std::vector<std::uint32_t> source_end;
  std::vector<TraceToken> tokens;

  std::string_view key(const TraceToken& t) const { return std::string_view(text).substr(t.begin, t.key_end - t.begin); }
  std::string_view word(const TraceToken& t) const { return std::string_view(text).substr(t.begin, t.end - t.begin); }
};

/// The comparison form of `original` (any bytes; invalid UTF-8 separates words).
TraceForm trace_form(std::string_view original, bool with_offsets);

/// The comparison form's text alone.
std::string trace_text(std::string_view original);

/// Decodes valid UTF-8 (as produced by the normalizer) into code points.
std::u32string code_points(std::string_view utf8);

/// Decodes the code point at byte `i` of `s` into `cp` and returns its length in bytes; a byte
/// that starts no valid UTF-8 sequence is U+FFFD, one byte long.
std::size_t next_code_point(std::string_view s, std::size_t i, char32_t& cp);

/// Letters and combining marks (Unicode categories L and M).
bool is_letter(char32_t cp);

/// Letters, combining marks and numbers: what words of the comparison form are made of.
bool is_word_char(char32_t cp);

/// Levenshtein distance between two code point strings (unit costs).
std::uint32_t edit_distance(std::u32string_view a, std::u32string_view b);

/// 64-bit FNV-1a of `bytes`.
std::uint64_t word_hash(std::string_view bytes);

}  // namespace bc::core
