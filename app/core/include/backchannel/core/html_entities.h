// The HTML named character references (WHATWG list), as data: the matcher's normalizer and the
// independent leak scanner each decode references with their own code and look names up here.
#pragma once

#include <cstddef>
#include <string_view>

namespace bc::core {

/// The UTF-8 text that the named character reference `&name;` stands for (`name` without the
/// '&' and the ';', case-sensitive), or an empty view when no such name exists. Only names
/// written with their ';' are listed: the ones CommonMark decodes.
std::string_view html_named_reference(std::string_view name);

/// The longest name in the list (a longer run of letters is never a reference).
inline constexpr std::size_t kLongestHtmlReferenceName = 32;

}  // namespace bc::core
