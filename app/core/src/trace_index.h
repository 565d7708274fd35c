// The paper as the tracer sees it (docs/paper.md, "How tracing reads a text"): the words that
// every copy shares ("fixed words", in comparison form), cut into sequences that render
// contiguously in every copy (a text between lists, one list item); the gaps between fixed words
// where variant points sit, with what each combination of their choices looks like; and the
// `+` lists with the sequences of their items. Internal to core.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "backchannel/core/copy_variants.h"

namespace bc::core {

struct TraceIndex {
  /// A fixed word.
  struct Word {
    std::string key;  ///< comparison form, trailing commas removed
    std::u32string cps;  ///< the same as code points
    std::u32string full;  ///< comparison form with its trailing commas, as code points
    std::uint64_t hash = 0;
    std::uint32_t seq = 0;
  };
  /// Fixed words [t_begin, t_end) that render contiguously in every copy.
  struct Seq {
    std::uint32_t t_begin = 0;
    std::uint32_t t_end = 0;
    std::int32_t lead_gap = -1;   ///< a gap before its first fixed word
    std::int32_t trail_gap = -1;  ///< a gap after its last fixed word
  };
  /// Variant points between two fixed words (or at the edge of a sequence), read together.
  struct Gap {
    std::uint32_t t = 0;  ///< between fixed words t-1 and t
    std::uint32_t seq = 0;
    std::vector<std::uint32_t> points;  ///< indices into VariantPaper::points()
    std::vector<std::uint64_t> radix;   ///< choice count of each point
    /// Per combination of choices (mixed radix, first point least significant): the comparison
    /// form of the gap with the fixed word on each side that exists.
    std::vector<std::u32string> expected;
    std::vector<std::string> shown;      ///< the gap alone, as written
    std::vector<std::uint32_t> words;    ///< words of the gap alone
    std::vector<std::uint32_t> alone_length;  ///< code points of the gap alone in comparison form
    std::uint32_t max_words = 0;
    bool left_open = false;   ///< no fixed word before it in its sequence
    bool right_open = false;  ///< no fixed word after it
    bool readable = true;     ///< false when its points have too many combinations
    /// A gap of one natural variant point: its kind (else -1) and, per combination, the house
    /// styles it conforms to (natural_styles in natural_variants.h).
    int style_kind = -1;
    std::vector<std::uint8_t> styles;
  };
  /// A `+` list with more than one item.
  struct List {
    std::uint32_t point = 0;
    std::int32_t lead = -1;   ///< the sequence just before the list (-1 if none or no fixed word)
    std::int32_t trail = -1;  ///< the sequence just after it
    std::vector<std::int32_t> items;  ///< each item's sequence (-1 when it has no fixed word)
  };

  static constexpr std::size_t kMaxCombinations = 256;
  static constexpr std::int32_t kDuplicate = -2;

  std::vector<Word> words;
  std::vector<Seq> seqs;
  std::vector<Gap> gaps;
  std::vector<List> lists;
  /// Size words.size() + 1: the gap whose `t` is that position, or -1.
  std::vector<std::int32_t> gap_at;
  /// Size words.size() + 1: the sum of max_words of gaps at positions <= t.
  std::vector<std::uint32_t> gap_words_upto;
  /// Hash of three consecutive fixed words (no gap between them) -> position of the first, or
  /// kDuplicate when it occurs more than once in the paper.
  std::unordered_map<std::uint64_t, std::int32_t> trigrams;

  /// Which combination of `gap`'s points a copy's choices select.
  std::size_t combination(const Gap& gap, const std::vector<std::uint64_t>& choices) const;
};

/// Hash of three consecutive words.
std::uint64_t trigram_hash(std::uint64_t a, std::uint64_t b, std::uint64_t c);

/// Builds the tracer's view of `paper`.
TraceIndex build_trace_index(const VariantPaper& paper);

}  // namespace bc::core
