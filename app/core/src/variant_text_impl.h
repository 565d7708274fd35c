// The parsed structure of a VariantText (copy_variants.h): fixed text, points and `+` lists.
// Internal to core: rendering and the tracer walk it.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "backchannel/core/copy_variants.h"

namespace bc::core {

struct VariantText::Impl {
  /// A stretch of the text: fixed text, a point (not a list), or a `+` list.
  struct Segment {
    enum class Type : std::uint8_t { fixed, point, list };
    Type type = Type::fixed;
    std::string text;        ///< fixed text, markup resolved
    std::uint32_t ref = 0;   ///< point: index in `points`; list: index in `lists`
  };
  /// A block of `+` lines.
  struct List {
    static constexpr std::uint32_t kNoPoint = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t point = kNoPoint;       ///< index in `points` (kNoPoint for a one-item list)
    std::vector<std::string> prefixes;    ///< per position: the line's indentation and "- "
    std::vector<std::string> line_ends;   ///< per position: "\n", or "" for a last line without one
    std::vector<std::vector<Segment>> items;  ///< as written; items hold fixed text and points
  };

  TextLanguage language = TextLanguage::english;
  std::vector<VariantPoint> points;
  std::vector<Segment> body;
  std::vector<List> lists;
};

/// Where a point landed in a rendered string.
struct RenderedPoint {
  std::uint32_t point;  ///< index in VariantText::Impl::points
  std::uint32_t begin;
  std::uint32_t end;
};

/// Appends the rendering of `segments` to `out`, taking each point's value from `choice` (an
/// alternative's index; a list's order rank), and records where each point landed when `where`
/// is given.
void render_segments(const VariantText::Impl& text, const std::vector<VariantText::Impl::Segment>& segments,
                     const std::function<std::uint64_t(std::uint32_t)>& choice, std::string& out,
                     std::vector<RenderedPoint>* where);

}  // namespace bc::core
