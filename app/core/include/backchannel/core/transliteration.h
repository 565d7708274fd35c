// Common Latin-script spellings of Persian and Arabic names: Mahmoud/Mahmud/Mahmood,
// Mohammad/Muhammad/Mohammed, Hossein/Hussein/Hosein, -i/-ee/-y endings, and so on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bc::core {

/// Spelling variants of one name word (normalized: lower case, no diacritics), the word itself
/// first. Words that are not plausibly transliterated names get no variants, and no variant is
/// ever a common English word (so "Saeed" does not produce "said").
std::vector<std::string> transliteration_variants(std::string_view word);

/// Variants of a whole name (several words): every combination of the words' variants, capped
/// at `limit` results, the name itself first.
std::vector<std::string> name_variants(std::string_view normalized_name, std::size_t limit = 64);

}  // namespace bc::core
