// Natural variant points of English prose: small numbers as digits or words, full dates in
// three formats, the serial comma, and spelling pairs from a curated table, each found by a
// conservative rule that leaves alone anything whose meaning could change (docs/paper.md,
// "Natural variant points" lists the rules). Internal to core: VariantText::parse calls it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/copy_variants.h"

namespace bc::core {

/// A natural variant point found in a text: bytes [begin, end) and its alternatives, the first
/// as written.
struct NaturalVariant {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  VariantKind kind = VariantKind::number;
  std::vector<std::string> alternatives;
};

/// U+FFFC (OBJECT REPLACEMENT CHARACTER): stands for an author's alternate in the text given to
/// find_natural_variants; nothing next to it or spanning it becomes a natural point.
inline constexpr std::string_view kAlternatePlaceholder = "\xEF\xBF\xBC";

/// The natural variant points of one paragraph block or list item of English text (valid
/// UTF-8), in text order, not overlapping. Nothing inside quotation marks is touched.
std::vector<NaturalVariant> find_natural_variants(std::string_view text);

/// The spelling table: (form, other form) for every direction a form may change in.
const std::vector<std::pair<std::string, std::string>>& spelling_variant_table();

/// The house styles an alternative of a natural variant point conforms to, as a bit mask, for
/// the tracer's model of an editor who rewrote every point of a kind in one style:
/// numbers: bit 0 all digits, bit 1 all words, bit 2 words below ten and digits from ten;
/// dates: bit 0 "14 June 2005", bit 1 "June 14, 2005", bit 2 "14th June 2005";
/// serial comma: bit 0 with, bit 1 without; spelling: bit 0 British (or hyphenated), bit 1
/// American (or closed). 0 for alternates and lists.
std::uint8_t natural_styles(VariantKind kind, std::string_view alternative);

/// How many house styles natural_styles knows for a kind (0 for alternates and lists).
int natural_style_count(VariantKind kind);

}  // namespace bc::core
