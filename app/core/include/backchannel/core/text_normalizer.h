// Text normalization for search and for the anonymizer's matcher: NFKC-style compatibility
// folding, case folding, diacritics removed, Arabic/Persian letter folding, invisible
// characters removed, hyphens and white space unified, apostrophes unified. The matcher's
// variant adds what a reader of a summary would still recognize: character references decoded,
// Latin letters without a decomposition folded, every dash and space unified, look-alike letters
// of other scripts replaced by their UTS 39 skeletons. Every byte of the normalized text
// remembers which bytes of the original produced it, so a match found in the normalized text
// can be mapped back to the original.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bc::core {

/// The normalized form of a UTF-8 text with its map back to the original.
struct NormalizedText {
  /// Normalized UTF-8. Words are separated by single spaces; no leading or trailing space.
  std::string text;
  /// For each byte of `text`: the byte range [start, end) of the original code point that
  /// produced it. A space that stands for a run of separators maps to the first of them.
  std::vector<std::uint32_t> source_start;
  std::vector<std::uint32_t> source_end;

  /// The original byte range [start, end) covering normalized bytes [begin, end).
  std::pair<std::uint32_t, std::uint32_t> source_range(std::size_t begin, std::size_t end) const {
    return {source_start[begin], source_end[end - 1]};
  }
};

/// Normalizes `utf8` and keeps the offset map. Invalid UTF-8 sequences are treated as
/// separators (callers validate input before storing it).
NormalizedText normalize_with_offsets(std::string_view utf8);

/// Normalizes without the offset map (faster; for search text and queries).
/// Its output is stored in vaults (the search index, the keys of stable pseudonyms): it never
/// changes; new matching rules go into normalize_for_matching.
std::string normalize(std::string_view utf8);

/// The anonymizer's normalization (docs/anonymization.md, "Finding them"): everything normalize()
/// does, and also: CommonMark character references (`&shy;`, `&#x43E;`, `&Kfr;`) decoded, each
/// mapping back to the whole reference; ı ø ł đ ð ħ ŧ ĸ → i o l d d h t k, æ œ þ ß → ae oe th ss;
/// every dash (Unicode Dash property) and space (White_Space, U+2800) a separator; every other
/// letter or digit outside the Arabic script replaced by the letters of its UTS 39 confusable
/// skeleton (ICU), so Cyrillic "о" reads as "o", and 0 and 1 as o and l.
/// normalize_for_matching(normalize(x)) == normalize_for_matching(x) for text without '&'.
NormalizedText normalize_for_matching_with_offsets(std::string_view utf8);

/// normalize_for_matching_with_offsets without the offset map.
std::string normalize_for_matching(std::string_view utf8);

/// True when `utf8` is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view utf8);

/// Appends the code point `cp` to `out` in UTF-8; a value above U+10FFFF appends nothing.
void append_utf8(std::string& out, char32_t cp);

}  // namespace bc::core
