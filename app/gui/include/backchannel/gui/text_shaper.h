// Display strings for Persian and Arabic: Dear ImGui draws code points left to right with no
// shaping, so right-to-left text is shaped into Arabic presentation forms and reordered into
// visual order with FriBidi before ImGui sees it. Wrapping happens on the logical text first and
// each line is reordered on its own (UAX #9, rule L1-L2), so wrapped paragraphs read correctly.
// Results are cached per string (bounded, least recently used) and wiped when the vault locks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct ImFont;

namespace bc::gui {

/// True when `text` holds letters of a right-to-left script (Hebrew, Arabic, Persian, Syriac,
/// Thaana, N'Ko, or Arabic presentation forms).
bool has_rtl(std::string_view text);

/// One line as it is drawn.
struct ShapedLine {
  std::string text;  ///< UTF-8 in visual order, Arabic letters joined
  /// For each code point of `text`, the byte offset in the source text of the character it shows
  /// (for highlighting spans of the source); filled only when a map was asked for.
  std::vector<std::uint32_t> source_offsets;
  float width = 0;   ///< pixels at the font's size (0 when no font was given)
  bool rtl = false;  ///< the line's paragraph runs right to left: align it to the right
};

/// A text laid out for display: one or more lines (each '\n' starts a paragraph).
struct ShapedText {
  std::vector<ShapedLine> lines;
  std::string display;  ///< the lines joined with '\n' (a ready ImGui label)
  bool rtl = false;     ///< the first paragraph runs right to left
};

/// Shapes, reorders and wraps `text` with no cache. With `font`, lines are no wider than
/// `wrap_width` pixels (0: no wrapping); `with_map` fills ShapedLine::source_offsets.
ShapedText shape_text(std::string_view text, const ImFont* font, float wrap_width, bool with_map);

class TextShaper {
 public:
  explicit TextShaper(std::size_t capacity = 4096) : capacity_(capacity) {}
  ~TextShaper() { clear(); }
  TextShaper(const TextShaper&) = delete;
  TextShaper& operator=(const TextShaper&) = delete;

  /// `text` for display on one line: itself when it holds no right-to-left letters, else its
  /// shaped, reordered form. The view stays valid until the next new_frame().
  std::string_view line(std::string_view text);
  /// The same as a NUL-terminated string for ImGui labels.
  const char* label(const std::string& text);
  /// `text` wrapped to `wrap_width` pixels with `font` (the font's own size), with source maps.
  /// The reference stays valid until the next new_frame().
  const ShapedText& layout(std::string_view text, const ImFont* font, float wrap_width);

  /// Start of a frame: trims the cache back to its capacity, least recently used first. Entries
  /// are never evicted in the middle of a frame.
  void new_frame();
  /// Wipes and forgets every cached string.
  void clear();
  /// Whether any cached string contains `needle` (lock tests).
  bool contains(std::string_view needle) const;
  std::size_t size() const { return cache_.size(); }

 private:
  struct Entry {
    std::string source;
    const ImFont* font = nullptr;
    float wrap = 0;
    ShapedText value;
    std::uint64_t last_used = 0;
  };
  const ShapedText& lookup(std::string_view text, const ImFont* font, float wrap, bool with_map);

  std::size_t capacity_;
  std::uint64_t frame_ = 0;
  std::unordered_map<std::uint64_t, Entry> cache_;
};

}  // namespace bc::gui
