// Parsing a text into fixed text and variant points, the preview, and rendering (see
// copy_variants.h; the markup is specified in docs/paper.md).
#include "backchannel/core/copy_variants.h"

#include <algorithm>
#include <numeric>

#include "backchannel/core/copy_choices.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "natural_variants.h"
#include "trace_form.h"
#include "variant_text_impl.h"

namespace bc::core {
namespace {

using Impl = VariantText::Impl;
using Segment = Impl::Segment;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// A stretch of one line or block as written: fixed text (markup resolved, each byte mapped to
// its source byte) or an alternate.
struct Piece {
  bool alternate = false;
  std::string text;                 // fixed text
  std::vector<std::uint32_t> map;   // fixed text: source offset of each byte
  std::vector<std::string> alternatives;
  std::uint32_t begin = 0;  // alternate: source bytes
  std::uint32_t end = 0;
};

class Parser {
 public:
  Parser(std::string_view source, TextLanguage language) : s_(source) {
    impl_.language = language;
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < s_.size(); ++i)
      if (s_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }

  Result<Impl> run() {
    std::size_t line = 0;
    const std::size_t lines = line_starts_.size();
    while (line < lines) {
      if (bullet_content(line) != kNotBullet) {
        std::size_t last = line;
        while (last + 1 < lines && bullet_content(last + 1) != kNotBullet) ++last;
        BC_TRY(add_list(line, last));
        line = last + 1;
        continue;
      }
      std::size_t last = line;
      while (last + 1 < lines && bullet_content(last + 1) == kNotBullet) ++last;
      const std::uint32_t b = line_starts_[line];
      const std::uint32_t e = last + 1 < lines ? line_starts_[last + 1] : static_cast<std::uint32_t>(s_.size());
      BC_ASSIGN(std::vector<Piece> pieces, inline_parse(b, e));
      add_block(std::move(pieces), impl_.body);
      line = last + 1;
    }
    if (impl_.points.size() > VariantLimits::kMaxPointsPerPaper)
      return fail(ErrorCode::bad_input, "the text has more than " + std::to_string(VariantLimits::kMaxPointsPerPaper) +
                                            " variant points");
    return std::move(impl_);
  }

 private:
  static constexpr std::uint32_t kNotBullet = 0xFFFFFFFF;

  std::uint32_t line_end(std::size_t line) const {  // excluding the newline
    std::uint32_t e = line + 1 < line_starts_.size() ? line_starts_[line + 1] - 1 : static_cast<std::uint32_t>(s_.size());
    return e;
  }
  // Where the content of a `+` item line starts, or kNotBullet.
  std::uint32_t bullet_content(std::size_t line) const {
    std::uint32_t i = line_starts_[line];
    const std::uint32_t e = line_end(line);
    while (i < e && is_blank(s_[i])) ++i;
    if (i >= e || s_[i] != '+' || i + 1 >= e || !is_blank(s_[i + 1])) return kNotBullet;
    ++i;
    while (i < e && is_blank(s_[i])) ++i;
    if (i >= e || s_[i] == '\r') return kNotBullet;  // "+ " alone is not an item
    return i;
  }

  std::string where(std::uint32_t offset) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
    std::uint32_t column = 1;
    for (std::uint32_t k = line_starts_[line - 1]; k < offset; ++k)
      if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) ++column;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
  }
  void locate(VariantPoint& p) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), p.begin);
    p.line = static_cast<std::uint32_t>(it - line_starts_.begin());
    p.column = 1;
    for (std::uint32_t k = line_starts_[p.line - 1]; k < p.begin; ++k)
      if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) ++p.column;
  }
  bool at_line_start(std::uint32_t i) const {
    while (i > 0 && is_blank(s_[i - 1])) --i;
    return i == 0 || s_[i - 1] == '\n';
  }

  Error broken(std::uint32_t offset, const std::string& what) const {
    return fail(ErrorCode::bad_input, where(offset) + ": " + what);
  }

  // Fixed text and `{{...}}` alternates of source bytes [b, e).
  Result<std::vector<Piece>> inline_parse(std::uint32_t b, std::uint32_t e) {
    std::vector<Piece> pieces;
    Piece fixed;
    auto emit = [&](std::string_view bytes, std::uint32_t source) {
      for (std::size_t k = 0; k < bytes.size(); ++k) {
        fixed.text.push_back(bytes[k]);
        fixed.map.push_back(source + static_cast<std::uint32_t>(k));
      }
    };
    auto flush = [&] {
      if (!fixed.text.empty()) pieces.push_back(std::move(fixed));
      fixed = Piece{};
    };
    std::uint32_t i = b;
    while (i < e) {
      const char c = s_[i];
      if (c == '\\' && s_.substr(i, 3) == "\\{{") {
        emit("{{", i + 1);
        i += 3;
        continue;
      }
      if (c == '\\' && i + 1 < e && s_[i + 1] == '+' && at_line_start(i)) {
        emit("+", i + 1);
        i += 2;
        continue;
      }
      if (c == '{' && i + 1 < e && s_[i + 1] == '{') {
        BC_ASSIGN(Piece alt, alternate(i, e));
        flush();
        i = alt.end;
        pieces.push_back(std::move(alt));
        continue;
      }
      emit(std::string_view(&s_[i], 1), i);
      ++i;
    }
    flush();
    return pieces;
  }

  // `{{a | b | ...}}` starting at `open`.
  Result<Piece> alternate(std::uint32_t open, std::uint32_t e) {
    Piece p;
    p.alternate = true;
    p.begin = open;
    std::string cur;
    std::uint32_t j = open + 2;
    for (;;) {
      if (j >= e || s_[j] == '\n' || s_[j] == '\r')
        return broken(open, "'{{' has no closing '}}' on its line (write \\{{ for literal braces)");
      const char c = s_[j];
      if (c == '\\' && j + 1 < e && (s_[j + 1] == '{' || s_[j + 1] == '}' || s_[j + 1] == '|' || s_[j + 1] == '\\')) {
        cur.push_back(s_[j + 1]);
        j += 2;
        continue;
      }
      if (c == '{' && j + 1 < e && s_[j + 1] == '{') return broken(j, "'{{' inside an alternate (alternates do not nest)");
      if (c == '}' && j + 1 < e && s_[j + 1] == '}') {
        p.alternatives.emplace_back(trim(cur));
        j += 2;
        break;
      }
      if (c == '|') {
        p.alternatives.emplace_back(trim(cur));
        cur.clear();
        ++j;
        continue;
      }
      cur.push_back(c);
      ++j;
    }
    p.end = j;
    if (p.alternatives.size() < 2)
      return broken(open, "an alternate needs at least two choices separated by '|'");
    if (p.alternatives.size() > VariantLimits::kMaxAlternatives)
      return broken(open, "an alternate has more than " + std::to_string(VariantLimits::kMaxAlternatives) + " choices");
    std::vector<std::string> keys;
    for (const auto& a : p.alternatives) keys.push_back(trace_text(a));
    for (std::size_t x = 0; x < keys.size(); ++x)
      for (std::size_t y = x + 1; y < keys.size(); ++y)
        if (keys[x] == keys[y])
          return broken(open, "choices " + std::to_string(x + 1) + " and " + std::to_string(y + 1) +
                                  " of an alternate read the same once case, spacing and punctuation are ignored, "
                                  "so no copy could be told from another by them");
    return p;
  }

  std::uint32_t new_point(VariantKind kind, std::uint32_t b, std::uint32_t e, std::vector<std::string> alts) {
    VariantPoint p;
    p.kind = kind;
    p.begin = b;
    p.end = e;
    locate(p);
    p.choice_count = alts.size();
    p.alternatives = std::move(alts);
    impl_.points.push_back(std::move(p));
    return static_cast<std::uint32_t>(impl_.points.size() - 1);
  }

  static void append_fixed(std::vector<Segment>& out, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().type == Segment::Type::fixed) {
      out.back().text.append(text);
      return;
    }
    Segment s;
    s.text = std::string(text);
    out.push_back(std::move(s));
  }

  // Points for the alternates of a block or item and (in English) its natural variants.
  void add_block(std::vector<Piece> pieces, std::vector<Segment>& out) {
    std::vector<NaturalVariant> natural;
    std::vector<std::uint32_t> scan_start(pieces.size());
    if (impl_.language == TextLanguage::english) {
      std::string scan;
      for (std::size_t k = 0; k < pieces.size(); ++k) {
        scan_start[k] = static_cast<std::uint32_t>(scan.size());
        scan.append(pieces[k].alternate ? std::string(kAlternatePlaceholder) : pieces[k].text);
      }
      natural = find_natural_variants(scan);
    }
    std::size_t next = 0;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      Piece& piece = pieces[k];
      if (piece.alternate) {
        Segment s;
        s.type = Segment::Type::point;
        s.ref = new_point(VariantKind::alternate, piece.begin, piece.end, std::move(piece.alternatives));
        out.push_back(std::move(s));
        continue;
      }
      const std::uint32_t ps = scan_start[k];
      const std::uint32_t pe = ps + static_cast<std::uint32_t>(piece.text.size());
      std::uint32_t at = 0;  // within piece.text
      while (next < natural.size() && natural[next].begin < pe) {
        NaturalVariant& v = natural[next++];
        if (v.begin < ps || v.end > pe) continue;  // cannot happen: the placeholder is never inside a point
        const std::uint32_t b = v.begin - ps, e = v.end - ps;
        append_fixed(out, std::string_view(piece.text).substr(at, b - at));
        Segment s;
        s.type = Segment::Type::point;
        s.ref = new_point(v.kind, piece.map[b], piece.map[e - 1] + 1, std::move(v.alternatives));
        out.push_back(std::move(s));
        at = e;
      }
      append_fixed(out, std::string_view(piece.text).substr(at));
    }
  }

  Status add_list(std::size_t first, std::size_t last) {
    const std::size_t n = last - first + 1;
    if (n > VariantLimits::kMaxListItems)
      return broken(line_starts_[first], "a '+' list has " + std::to_string(n) + " items, more than " +
                                             std::to_string(VariantLimits::kMaxListItems) + "; split it in two");
    Impl::List list;
    const std::uint32_t list_begin = bullet_content(first);
    if (n > 1) {
      list.point = new_point(VariantKind::unordered_list, list_begin, line_end(last), {});
      impl_.points[list.point].choice_count = factorial(n);
    }
    for (std::size_t line = first; line <= last; ++line) {
      const std::uint32_t b = line_starts_[line];
      std::uint32_t indent_end = b;
      while (is_blank(s_[indent_end])) ++indent_end;
      list.prefixes.push_back(std::string(s_.substr(b, indent_end - b)) + "- ");
      const bool has_newline = line + 1 < line_starts_.size();
      list.line_ends.push_back(has_newline ? "\n" : "");
      BC_ASSIGN(std::vector<Piece> pieces, inline_parse(bullet_content(line), line_end(line)));
      std::vector<Segment> item;
      add_block(std::move(pieces), item);
      list.items.push_back(std::move(item));
    }
    Segment s;
    s.type = Segment::Type::list;
    s.ref = static_cast<std::uint32_t>(impl_.lists.size());
    impl_.lists.push_back(std::move(list));
    const Impl::List& l = impl_.lists.back();
    if (l.point != Impl::List::kNoPoint) {
      for (const auto& item : l.items) {
        std::string text;
        render_segments(impl_, item, [](std::uint32_t) { return std::uint64_t{0}; }, text, nullptr);
        impl_.points[l.point].alternatives.emplace_back(trim(text));
      }
    }
    impl_.body.push_back(std::move(s));
    return {};
  }

  std::string_view s_;
  std::vector<std::uint32_t> line_starts_;
  Impl impl_;
};

}  // namespace

void render_segments(const VariantText::Impl& text, const std::vector<VariantText::Impl::Segment>& segments,
                     const std::function<std::uint64_t(std::uint32_t)>& choice, std::string& out,
                     std::vector<RenderedPoint>* where) {
  for (const Segment& s : segments) {
    switch (s.type) {
      case Segment::Type::fixed:
        out += s.text;
        break;
      case Segment::Type::point: {
        const auto b = static_cast<std::uint32_t>(out.size());
        out += text.points[s.ref].alternatives[choice(s.ref)];
        if (where) where->push_back({s.ref, b, static_cast<std::uint32_t>(out.size())});
        break;
      }
      case Segment::Type::list: {
        const Impl::List& l = text.lists[s.ref];
        std::vector<std::uint32_t> order;
        if (l.point == Impl::List::kNoPoint) {
          order.resize(l.items.size());
          std::iota(order.begin(), order.end(), 0u);
        } else {
          order = list_order(choice(l.point), l.items.size());
        }
        const auto b = static_cast<std::uint32_t>(out.size());
        for (std::size_t k = 0; k < order.size(); ++k) {
          out += l.prefixes[k];
          render_segments(text, l.items[order[k]], choice, out, where);
          out += l.line_ends[k];
        }
        if (where && l.point != Impl::List::kNoPoint) where->push_back({l.point, b, static_cast<std::uint32_t>(out.size())});
        break;
      }
    }
  }
}

std::string_view variant_kind_name(VariantKind kind) {
  switch (kind) {
    case VariantKind::alternate: return "alternate";
    case VariantKind::unordered_list: return "unordered-list";
    case VariantKind::number: return "number";
    case VariantKind::date: return "date";
    case VariantKind::serial_comma: return "serial-comma";
    case VariantKind::spelling: return "spelling";
  }
  return "unknown";
}

Result<VariantText> VariantText::parse(std::string_view source, TextLanguage language) {
  if (source.size() > VariantLimits::kMaxTextBytes)
    return fail(ErrorCode::bad_input, "the text is longer than " + std::to_string(VariantLimits::kMaxTextBytes) + " bytes");
  if (!is_valid_utf8(source)) return fail(ErrorCode::bad_input, "the text is not valid UTF-8");
  BC_ASSIGN(Impl impl, Parser(source, language).run());
  VariantText t;
  t.impl_ = std::make_shared<const Impl>(std::move(impl));
  return t;
}

TextLanguage VariantText::language() const { return impl_->language; }

const std::vector<VariantPoint>& VariantText::points() const { return impl_->points; }

std::string VariantText::render(std::span<const std::uint64_t> choices) const {
  std::string out;
  render_segments(*impl_, impl_->body, [&](std::uint32_t i) { return choices[i]; }, out, nullptr);
  return out;
}

std::string VariantText::render_as_written() const {
  std::string out;
  render_segments(*impl_, impl_->body, [](std::uint32_t) { return std::uint64_t{0}; }, out, nullptr);
  return out;
}

Result<VariantPaper> VariantPaper::parse(std::span<const PaperTextSource> texts) {
  VariantPaper paper;
  crypto::Sha256 h;
  auto put = [&](std::uint64_t v) {
    std::uint8_t b[8];
    for (int k = 0; k < 8; ++k) b[k] = static_cast<std::uint8_t>(v >> (8 * k));
    h.update(b);
  };
  h.update(crypto::bytes_of("backchannel variant structure v1"));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto parsed = VariantText::parse(texts[i].source, texts[i].language);
    if (!parsed) {
      Error e = std::move(parsed).error();
      e.message = texts[i].label + ": " + e.message;
      return e;
    }
    paper.first_point_.push_back(paper.points_.size());
    put(static_cast<std::uint64_t>(texts[i].language));
    put(parsed->points().size());
    for (VariantPoint p : parsed->points()) {
      put(static_cast<std::uint64_t>(p.kind));
      put(p.choice_count);
      put(p.alternatives.size());
      for (const auto& a : p.alternatives) {
        put(a.size());
        h.update(crypto::bytes_of(a));
      }
      p.text = static_cast<std::uint32_t>(i);
      paper.points_.push_back(std::move(p));
    }
    if (paper.points_.size() > VariantLimits::kMaxPointsPerPaper)
      return fail(ErrorCode::bad_input, "the paper has more than " + std::to_string(VariantLimits::kMaxPointsPerPaper) +
                                            " variant points");
    paper.texts_.push_back(std::move(parsed).value());
    paper.labels_.push_back(texts[i].label);
  }
  const auto digest = h.finish();
  paper.structure_id_ = crypto::to_hex(std::span<const std::uint8_t>(digest.data(), 8));
  return paper;
}

Result<std::vector<std::string>> VariantPaper::render(const ChoiceVector& choices) const {
  BC_TRY(check_choices(*this, choices));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    const std::span<const std::uint64_t> values(choices.values().data() + first_point_[i], texts_[i].points().size());
    out.push_back(texts_[i].render(values));
  }
  return out;
}

std::vector<std::string> VariantPaper::render_as_written() const {
  std::vector<std::string> out;
  for (const auto& t : texts_) out.push_back(t.render_as_written());
  return out;
}

std::string describe_variant_point(const VariantPoint& point) {
  auto quoted = [](std::string_view s) {
    std::string q = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') q.push_back('\\');
      q.push_back(c);
    }
    return q + "\"";
  };
  std::string out = "line " + std::to_string(point.line) + ", column " + std::to_string(point.column) + ", " +
                    std::string(variant_kind_name(point.kind)) + ": ";
  if (point.kind == VariantKind::unordered_list) {
    out += std::to_string(point.alternatives.size()) + " items in any order";
    return out;
  }
  for (std::size_t k = 0; k < point.alternatives.size(); ++k) {
    if (k) out += " | ";
    out += quoted(point.alternatives[k]);
  }
  return out;
}

}  // namespace bc::core
