#include "backchannel/gui/text_shaper.h"

#include <fribidi.h>
#include <imgui.h>

#include <algorithm>
#include <functional>

#include "backchannel/core/text_normalizer.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {

// Decodes UTF-8 into code points with the byte offset of each; invalid bytes become U+FFFD.
void decode(std::string_view s, std::vector<FriBidiChar>& out, std::vector<std::uint32_t>& offsets) {
  out.clear();
  offsets.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0xFFFD;
    std::size_t len = 1;
    auto cont = [&](std::size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0 && cont(1)) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c & 0xF0) == 0xE0 && cont(1) && cont(2)) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      len = 4;
    }
    out.push_back(cp);
    offsets.push_back(static_cast<std::uint32_t>(i));
    i += len;
  }
}

// Characters that only steer shaping or direction: once shaping and reordering are done they
// must not reach ImGui, which would draw them as boxes. U+FEFF is also what FriBidi leaves in
// place of the second letter of a lam-alef ligature.
bool invisible(std::uint32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
         cp == 0xFEFF || cp == 0x061C || cp == 0x00AD;
}

float advance(const ImFont* font, std::uint32_t cp) {
  if (font == nullptr || invisible(cp)) return 0.0f;
  if (cp == '\t') return font->GetCharAdvance(' ') * 4;
  return cp < 0x10000 ? font->GetCharAdvance(static_cast<ImWchar>(cp)) : font->FallbackAdvanceX;
}

// Splits [0, n) into lines no wider than `wrap` at spaces (a word longer than a line is cut).
std::vector<std::pair<int, int>> break_lines(const std::vector<FriBidiChar>& chars, const std::vector<float>& widths,
                                             float wrap) {
  const int n = static_cast<int>(chars.size());
  std::vector<std::pair<int, int>> lines;
  if (wrap <= 0 || n == 0) {
    lines.emplace_back(0, n);
    return lines;
  }
  int i = 0;
  while (i < n) {
    const int begin = i;
    float x = 0;
    int j = i;
    while (j < n) {
      int k = j;
      float word = 0;
      while (k < n && chars[k] != ' ') word += widths[k++];
      if (x + word > wrap) {
        if (j > begin) break;  // the word goes to the next line
        // A word wider than the line: cut it where it overflows (at least one character).
        int m = j;
        float w = 0;
        while (m < k && (m == j || w + widths[m] <= wrap)) w += widths[m++];
        j = m;
        break;
      }
      x += word;
      j = k;
      while (j < n && chars[j] == ' ') x += widths[j++];
    }
    lines.emplace_back(begin, j);
    i = j;
  }
  return lines;
}

// Appends the line [begin, end) of a paragraph; `visual` and `map` hold the reordered line
// (map empty: visual order is logical order), `logical` the paragraph in logical order.
void emit_line(const std::vector<FriBidiChar>& logical, const std::vector<FriBidiChar>& visual,
               const std::vector<FriBidiStrIndex>& map, const std::vector<std::uint32_t>& offsets,
               const std::vector<float>& widths, int begin, int end, std::uint32_t base_offset, bool rtl, bool with_map,
               ShapedText& out) {
  ShapedLine line;
  line.rtl = rtl;
  // Spaces at the logical end of a line are left out: they would push a right-aligned line off
  // its edge and make a left-aligned one look wider than it is.
  int trail = end;
  while (trail > begin && logical[static_cast<std::size_t>(trail - 1)] == ' ') --trail;
  for (int v = begin; v < end; ++v) {
    const int l = map.empty() ? v : map[static_cast<std::size_t>(v)];
    if (l >= trail) continue;
    const std::uint32_t cp = visual[static_cast<std::size_t>(v)];
    if (invisible(cp) || cp == '\r') continue;
    core::append_utf8(line.text, cp == '\t' ? U' ' : static_cast<char32_t>(cp));
    if (with_map) line.source_offsets.push_back(base_offset + offsets[static_cast<std::size_t>(l)]);
    line.width += widths[static_cast<std::size_t>(l)];
  }
  out.lines.push_back(std::move(line));
}

void shape_paragraph(std::string_view para, std::uint32_t base_offset, const ImFont* font, float wrap, bool with_map,
                     ShapedText& out, bool first) {
  std::vector<FriBidiChar> chars;
  std::vector<std::uint32_t> offsets;
  decode(para, chars, offsets);
  const auto n = static_cast<FriBidiStrIndex>(chars.size());
  std::vector<float> widths(chars.size());

  if (!has_rtl(para)) {
    for (std::size_t i = 0; i < chars.size(); ++i) widths[i] = advance(font, chars[i]);
    for (auto [b, e] : break_lines(chars, widths, font ? wrap : 0))
      emit_line(chars, chars, {}, offsets, widths, b, e, base_offset, false, with_map, out);
    return;
  }

  std::vector<FriBidiCharType> types(chars.size());
  std::vector<FriBidiBracketType> brackets(chars.size());
  std::vector<FriBidiLevel> levels(chars.size());
  std::vector<FriBidiArabicProp> joining(chars.size());
  fribidi_get_bidi_types(chars.data(), n, types.data());
  fribidi_get_bracket_types(chars.data(), n, types.data(), brackets.data());
  FriBidiParType base = FRIBIDI_PAR_ON;
  if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) == 0) {
    // FriBidi could not allocate: show the text as it is rather than nothing.
    for (std::size_t i = 0; i < chars.size(); ++i) widths[i] = advance(font, chars[i]);
    emit_line(chars, chars, {}, offsets, widths, 0, n, base_offset, false, with_map, out);
    return;
  }
  fribidi_get_joining_types(chars.data(), n, joining.data());
  fribidi_join_arabic(types.data(), n, levels.data(), joining.data());
  // Presentation forms, lam-alef ligatures and mirrored brackets, still in logical order.
  fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, levels.data(), n, joining.data(), chars.data());
  for (std::size_t i = 0; i < chars.size(); ++i) widths[i] = advance(font, chars[i]);

  const bool rtl = FRIBIDI_IS_RTL(base);
  if (first) out.rtl = rtl;
  std::vector<FriBidiStrIndex> map(chars.size());
  for (FriBidiStrIndex i = 0; i < n; ++i) map[static_cast<std::size_t>(i)] = i;
  std::vector<FriBidiChar> visual = chars;
  for (auto [b, e] : break_lines(chars, widths, font ? wrap : 0)) {
    // Reorders visual[b, e) and map[b, e) in place; levels of the line are adjusted (rule L1).
    if (fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, types.data(), e - b, b, base, levels.data(),
                             visual.data(), map.data()) == 0) {
      // Reordering failed (out of memory): the line stays in logical order.
      for (int k = b; k < e; ++k) {
        visual[static_cast<std::size_t>(k)] = chars[static_cast<std::size_t>(k)];
        map[static_cast<std::size_t>(k)] = k;
      }
    }
    emit_line(chars, visual, map, offsets, widths, b, e, base_offset, rtl, with_map, out);
  }
}

std::uint64_t key_of(std::string_view text, const ImFont* font, float wrap) {
  std::uint64_t h = std::hash<std::string_view>{}(text);
  h ^= std::hash<const void*>{}(font) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h ^= std::hash<float>{}(wrap) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h;
}

void wipe_shaped(ShapedText& t) {
  for (auto& l : t.lines) wipe_string(l.text);
  t.lines.clear();
  wipe_string(t.display);
}

}  // namespace

bool has_rtl(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xD6 && c <= 0xDF) return true;  // U+0580-U+07FF
    if (c == 0xE0 && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0xA0 && d <= 0xA3) return true;  // U+0800-U+08FF (Arabic Extended-A and neighbours)
    }
    if (c == 0xEF && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0xAC && d <= 0xBB) return true;  // U+FB1D-U+FEFF presentation forms
    }
  }
  return false;
}

ShapedText shape_text(std::string_view text, const ImFont* font, float wrap_width, bool with_map) {
  ShapedText out;
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const std::size_t nl = text.find('\n', start);
    const std::string_view para = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    shape_paragraph(para, static_cast<std::uint32_t>(start), font, wrap_width, with_map, out, first);
    first = false;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    if (i > 0) out.display.push_back('\n');
    out.display += out.lines[i].text;
  }
  return out;
}

const ShapedText& TextShaper::lookup(std::string_view text, const ImFont* font, float wrap, bool with_map) {
  const std::uint64_t key = key_of(text, font, wrap);
  auto it = cache_.find(key);
  if (it != cache_.end() && it->second.source == text && it->second.font == font && it->second.wrap == wrap) {
    it->second.last_used = frame_;
    return it->second.value;
  }
  Entry& e = cache_[key];  // a (vanishingly rare) hash collision replaces the older entry
  wipe_string(e.source);
  wipe_shaped(e.value);
  e.source.assign(text);
  e.font = font;
  e.wrap = wrap;
  e.value = shape_text(text, font, wrap, with_map);
  e.last_used = frame_;
  return e.value;
}

std::string_view TextShaper::line(std::string_view text) {
  if (!has_rtl(text)) return text;
  return lookup(text, nullptr, 0, false).display;
}

const char* TextShaper::label(const std::string& text) {
  if (!has_rtl(text)) return text.c_str();
  return lookup(text, nullptr, 0, false).display.c_str();
}

const ShapedText& TextShaper::layout(std::string_view text, const ImFont* font, float wrap_width) {
  return lookup(text, font, wrap_width, true);
}

void TextShaper::new_frame() {
  ++frame_;
  if (cache_.size() <= capacity_) return;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> by_age;
  by_age.reserve(cache_.size());
  for (const auto& [k, e] : cache_) by_age.emplace_back(e.last_used, k);
  std::sort(by_age.begin(), by_age.end());
  // Drop down to three quarters of the capacity so that trimming does not run every frame.
  const std::size_t drop = cache_.size() - capacity_ * 3 / 4;
  for (std::size_t i = 0; i < drop; ++i) {
    auto it = cache_.find(by_age[i].second);
    wipe_string(it->second.source);
    wipe_shaped(it->second.value);
    cache_.erase(it);
  }
}

void TextShaper::clear() {
  for (auto& [k, e] : cache_) {
    wipe_string(e.source);
    wipe_shaped(e.value);
  }
  cache_.clear();
  cache_.rehash(0);
}

bool TextShaper::contains(std::string_view needle) const {
  for (const auto& [k, e] : cache_) {
    if (e.source.find(needle) != std::string::npos || e.value.display.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace bc::gui
