// Text normalization for search and the anonymizer's matcher (see text_normalizer.h).
//
// Pipeline, one source code point at a time (no recomposition is needed because all marks
// are stripped, so each source code point can be handled in isolation and the offset map
// stays a plain per-code-point range):
//   1. Decode strictly; an invalid sequence (its maximal subpart) is a separator.
//   2. Our own rules first (fold_cp): white space and hyphens -> separator; invisible
//      characters -> dropped; apostrophe look-alikes -> '\''; Arabic/Persian letter and digit
//      folding. A code point changed here is already final.
//   3. Otherwise two utf8proc_decompose_char passes (see expand()): NFKD with marks and
//      default-ignorables stripped (COMPAT | DECOMPOSE | STRIPMARK | IGNORE), then full case
//      folding of what is left (the same options plus CASEFOLD), with fold_cp applied after
//      each pass, so that characters that decompose into one of our special characters
//      (U+FE63 -> '-', U+FEF1 -> U+064A, U+06C0 -> U+06D5 U+0654, ...) follow the same rules.
//      Results for U+0080-U+07FF, U+2000-U+206F and U+FB00-U+FFFF are computed once into a
//      table (the common Latin/Greek/Cyrillic/Arabic/Persian letters and punctuation).
//   4. Separators are collapsed into one ASCII space that maps to the first separator of the
//      run; leading and trailing separators are dropped.
//
// Every code point that can appear in the output is a fixed point of steps 2-3, which is what
// makes normalize(normalize(x)) == normalize(x).
//
// Data sources: Unicode 15.0 (the version of the utf8proc 2.8 tables): PropList.txt
// (White_Space), DerivedCoreProperties.txt (Default_Ignorable_Code_Point, used by utf8proc's
// UTF8PROC_IGNORE), the Arabic (U+0600-U+06FF) and Arabic Presentation Forms-A/B
// (U+FB50-U+FDFF, U+FE70-U+FEFF) code charts, General Punctuation (U+2000-U+206F), and the
// UTF-8 well-formedness table (Unicode Standard ch. 3, Table 3-7).
#include "backchannel/core/text_normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace bc::core {
namespace {

constexpr utf8proc_option_t kDecomposeOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

// ---- Per-code-point rules ------------------------------------------------------------------

enum class Kind : std::uint8_t { Keep, Drop, Separator };

struct Folded {
  Kind kind;
  char32_t cp;
};

// ASCII: output byte, or 0 for a separator (NUL itself is a separator, so 0 is free).
constexpr std::array<char, 128> make_ascii_table() {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) {
    char out = static_cast<char>(c);
    if (c < 0x20 || c == 0x7F) out = 0;   // C0 controls and DEL: separators (tab, LF, CR, ...)
    if (c == ' ' || c == '-') out = 0;    // space; hyphen-minus counts as a space
    if (c >= 'A' && c <= 'Z') out = static_cast<char>(c - 'A' + 'a');
    if (c == '`') out = '\'';             // grave accent used as an apostrophe
    t[static_cast<std::size_t>(c)] = out;
  }
  return t;
}
constexpr std::array<char, 128> kAscii = make_ascii_table();

// Our own rules. Returns Keep with the same code point when the code point is not special.
inline Folded fold_cp(char32_t cp) {
  constexpr Folded kSep{Kind::Separator, 0};
  constexpr Folded kDrop{Kind::Drop, 0};
  constexpr Folded kApostrophe{Kind::Keep, U'\''};
  if (cp < 0x80) {
    const char a = kAscii[cp];
    return a == 0 ? kSep : Folded{Kind::Keep, static_cast<char32_t>(static_cast<unsigned char>(a))};
  }
  if (cp < 0x0600) {
    if (cp <= 0x9F || cp == 0xA0) return kSep;  // C1 controls (incl. NEL U+0085), NBSP
    if (cp == 0xAD) return kDrop;               // soft hyphen
    if (cp == 0xB4 || cp == 0x2BB || cp == 0x2BC) return kApostrophe;
    return {Kind::Keep, cp};
  }
  if (cp <= 0x06FF) {  // Arabic block
    switch (cp) {
      case 0x0622: case 0x0623: case 0x0625:   // آ أ إ (same result as via decomposition)
      case 0x0671: case 0x0672: case 0x0673:   // ٱ wasla, alef with wavy hamza above/below
        return {Kind::Keep, 0x0627};
      case 0x0624: return {Kind::Keep, 0x0648};              // ؤ -> و
      case 0x0626: return {Kind::Keep, 0x06CC};              // ئ -> ی
      case 0x0649: case 0x064A: return {Kind::Keep, 0x06CC}; // ى ي -> ی
      case 0x0643: return {Kind::Keep, 0x06A9};              // ك -> ک
      case 0x0629: return {Kind::Keep, 0x0647};              // ة -> ه
      case 0x06C0: return {Kind::Keep, 0x0647};              // ۀ -> ه
      case 0x06D5: return {Kind::Keep, 0x0647};  // ە: ۀ decomposes canonically to U+06D5 U+0654
      case 0x0640: return kDrop;                 // tatweel
      case 0x061C: return kDrop;                 // Arabic letter mark (bidi)
      default: break;
    }
    if (cp >= 0x0660 && cp <= 0x0669) return {Kind::Keep, U'0' + (cp - 0x0660)};
    if (cp >= 0x06F0 && cp <= 0x06F9) return {Kind::Keep, U'0' + (cp - 0x06F0)};
    return {Kind::Keep, cp};
  }
  if (cp < 0x1680) return {Kind::Keep, cp};
  if (cp == 0x1680) return kSep;  // ogham space mark
  if (cp == 0x1FFD) return kApostrophe;  // GREEK OXIA: canonically equivalent to U+00B4
  if (cp >= 0x2000 && cp <= 0x206F) {  // General Punctuation
    if (cp <= 0x200A) return kSep;                    // en quad .. hair space
    if (cp <= 0x200F) return kDrop;                   // ZWSP, ZWNJ, ZWJ, LRM, RLM
    if (cp <= 0x2015) return kSep;                    // hyphen .. horizontal bar
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x2032) return kApostrophe;
    if (cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F) return kSep;
    if (cp >= 0x202A && cp <= 0x202E) return kDrop;   // LRE RLE PDF LRO RLO
    if (cp >= 0x2060) return kDrop;                   // word joiner, invisible ops, isolates, ...
    return {Kind::Keep, cp};
  }
  if (cp < 0x2212) return {Kind::Keep, cp};
  if (cp == 0x2212) return kSep;  // minus sign
  if (cp == 0x3000) return kSep;  // ideographic space
  if (cp >= 0xFE58) {
    switch (cp) {
      case 0xFE58: case 0xFE63: case 0xFF0D: return kSep;  // small em dash, small/full-width hyphen-minus
      case 0xFEFF: return kDrop;                           // BOM / ZWNBSP
      case 0xFF07: return kApostrophe;                     // full-width apostrophe
      default: break;
    }
  }
  return {Kind::Keep, cp};
}

// ---- UTF-8 ---------------------------------------------------------------------------------

constexpr char32_t kInvalid = 0xFFFFFFFF;

inline bool in_range(unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; }

// Strict decoder (Unicode Standard, Table 3-7). `avail` >= 1; never reads past p + avail.
// Returns the number of bytes consumed (>= 1) and sets `cp`, or kInvalid for an ill-formed
// sequence, in which case the length is its maximal subpart. (Scalar results, not a struct:
// a returned struct went through the stack and stalled store forwarding.)
[[gnu::always_inline]] inline std::uint32_t decode(const unsigned char* p, std::size_t avail,
                                                   char32_t& cp) {
  const unsigned b0 = p[0];
  cp = kInvalid;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if (b0 < 0xC2) return 1;  // continuation byte or overlong 2-byte lead
  if (b0 < 0xE0) {
    if (avail < 2 || !in_range(p[1], 0x80, 0xBF)) return 1;
    cp = ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (b0 < 0xF0) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;  // no overlongs
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;  // no surrogates
    if (avail < 2 || !in_range(p[1], lo, hi)) return 1;
    if (avail < 3 || !in_range(p[2], 0x80, 0xBF)) return 2;
    cp = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return 3;
  }
  if (b0 < 0xF5) {
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;  // no overlongs
    const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    if (avail < 2 || !in_range(p[1], lo, hi)) return 1;
    if (avail < 3 || !in_range(p[2], 0x80, 0xBF)) return 2;
    if (avail < 4 || !in_range(p[3], 0x80, 0xBF)) return 3;
    cp = ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    return 4;
  }
  return 1;
}

inline std::size_t encode(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// ---- Expansion of one code point ----------------------------------------------------------

constexpr utf8proc_option_t kPass1Options = static_cast<utf8proc_option_t>(
    UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

// Calls utf8proc_decompose_char into `buf` (or `big` when a future Unicode version needs more
// room). Returns the code points, or an empty span when the character is removed.
struct Decomposition {
  const utf8proc_int32_t* data = nullptr;
  utf8proc_ssize_t size = 0;
};
constexpr utf8proc_ssize_t kBufSize = 32;  // longest expansion in Unicode 15 is 18 (U+FDFA)

Decomposition decompose(char32_t cp, utf8proc_option_t options, utf8proc_int32_t (&buf)[kBufSize],
                        std::vector<utf8proc_int32_t>& big) {
  int boundclass = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buf, kBufSize,
                                               options, &boundclass);
  if (n > kBufSize) {
    big.resize(static_cast<std::size_t>(n));
    boundclass = 0;
    n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), big.data(), n, options,
                                &boundclass);
    return {big.data(), n};
  }
  if (n < 0) {  // cannot happen without UTF8PROC_REJECTNA; keep the character as it is
    buf[0] = static_cast<utf8proc_int32_t>(cp);
    n = 1;
  }
  return {buf, n};
}

// Expands one valid non-ASCII code point into output items (code points and separators),
// calling `emit(Folded)` for each. This is the reference path; the table below caches it.
//
// Two utf8proc passes: first NFKD with marks and default-ignorables stripped, then case
// folding (with decomposition and stripping again) of each remaining character. Case folding
// before stripping would not be canonically consistent: U+1F80 ᾀ case-folds to ἀι (the iota
// subscript becomes a letter), while its canonical decomposition α + U+0313 + U+0345 loses
// the iota subscript as a mark. Decomposing first gives "α" for both.
template <class Emit>
void expand(char32_t cp, Emit&& emit) {
  const Folded f = fold_cp(cp);
  if (f.kind != Kind::Keep || f.cp != cp) {
    if (f.kind != Kind::Drop) emit(f);
    return;
  }
  utf8proc_int32_t buf1[kBufSize];
  std::vector<utf8proc_int32_t> big1;
  const Decomposition d1 = decompose(cp, kPass1Options, buf1, big1);
  // Spacing diacritics (U+00A8 ¨, U+02DC ˜, U+FE70 Arabic fathatan isolated form, ...)
  // decompose to U+0020 plus a mark. They are diacritics, not word breaks: drop them.
  // (Real white space never gets here; fold_cp made it a separator already.)
  bool only_spaces = true;
  for (utf8proc_ssize_t k = 0; k < d1.size; ++k) only_spaces = only_spaces && d1.data[k] == 0x20;
  if (only_spaces) return;  // also: a mark or default-ignorable, removed entirely

  for (utf8proc_ssize_t k = 0; k < d1.size; ++k) {
    const auto c1 = static_cast<char32_t>(d1.data[k]);
    const Folded g = fold_cp(c1);
    if (g.kind != Kind::Keep || g.cp != c1) {
      if (g.kind != Kind::Drop) emit(g);
      continue;
    }
    utf8proc_int32_t buf2[kBufSize];
    std::vector<utf8proc_int32_t> big2;
    const Decomposition d2 = decompose(c1, kDecomposeOptions, buf2, big2);
    for (utf8proc_ssize_t j = 0; j < d2.size; ++j) {
      const Folded h = fold_cp(static_cast<char32_t>(d2.data[j]));
      if (h.kind != Kind::Drop) emit(h);
    }
  }
}

// ---- Cache of expansions for the common non-ASCII ranges -------------------------------------

enum class EntryKind : std::uint8_t { Emit, Drop, Separator, Slow };

struct Entry {
  EntryKind kind = EntryKind::Slow;
  std::uint8_t len = 0;
  char bytes[6] = {};
};

// Latin-1 .. Arabic (U+0080-U+07FF), General Punctuation (U+2000-U+206F), Alphabetic and Arabic
// Presentation Forms and Half/Full-width Forms (U+FB00-U+FFFF).
constexpr std::size_t kRange1 = 0x800 - 0x80;
constexpr std::size_t kRange2 = 0x2070 - 0x2000;
constexpr std::size_t kRange3 = 0x10000 - 0xFB00;
constexpr std::size_t kTableSize = kRange1 + kRange2 + kRange3;

inline std::size_t table_index(char32_t cp) {  // cp >= 0x80; kTableSize when not cached
  if (cp < 0x800) return cp - 0x80;
  if (cp - 0x2000u < kRange2) return kRange1 + (cp - 0x2000);
  if (cp >= 0xFB00 && cp < 0x10000) return kRange1 + kRange2 + (cp - 0xFB00);
  return kTableSize;
}

Entry make_entry(char32_t cp) {
  Entry e;
  bool any_sep = false;
  bool any_keep = false;
  bool fits = true;
  expand(cp, [&](const Folded& f) {
    if (f.kind == Kind::Separator) {
      any_sep = true;
      return;
    }
    any_keep = true;
    char tmp[4];
    const std::size_t n = encode(f.cp, tmp);
    if (e.len + n > sizeof e.bytes) {
      fits = false;
      return;
    }
    std::memcpy(e.bytes + e.len, tmp, n);
    e.len = static_cast<std::uint8_t>(e.len + n);
  });
  if (any_sep && any_keep) e.kind = EntryKind::Slow;  // e.g. U+FDFA, several words
  else if (any_sep) e.kind = EntryKind::Separator;
  else if (!any_keep) e.kind = EntryKind::Drop;
  else e.kind = fits ? EntryKind::Emit : EntryKind::Slow;
  if (e.kind != EntryKind::Emit) e.len = 0;
  return e;
}

const Entry* cache() {
  static const std::vector<Entry> table = [] {
    std::vector<Entry> t(kTableSize);
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
      const std::size_t i = table_index(cp);
      if (i < kTableSize && !(cp >= 0xD800 && cp <= 0xDFFF)) t[i] = make_entry(cp);
    }
    return t;
  }();
  return table.data();
}

// ---- Output --------------------------------------------------------------------------------

// Writes output bytes (and, with kOffsets, their source ranges) into pre-sized buffers and
// collapses separators. Capacity is checked once per source code point.
template <bool kOffsets>
class Sink {
 public:
  Sink(std::string& text, std::vector<std::uint32_t>* starts, std::vector<std::uint32_t>* ends,
       std::size_t expected)
      : text_(text), starts_(starts), ends_(ends) {
    grow(expected + 16);
  }

  // Room for `n` more bytes plus a pending space.
  void reserve(std::size_t n) {
    if (pos_ + n + 1 > cap_) grow(std::max(cap_ * 2, pos_ + n + 1));
  }

  void separator(std::size_t start, std::size_t end) {
    if (!pending_) {
      pending_ = true;
      pending_start_ = start;
      pending_end_ = end;
    }
  }

  // Caller reserved room. (Locals, not members, in the loops: char stores may alias the
  // members, which would otherwise be reloaded after every byte.)
  void bytes(const char* src, std::size_t n, std::size_t start, std::size_t end) {
    if (pending_) flush_space();
    char* t = t_ + pos_;
    for (std::size_t k = 0; k < n; ++k) t[k] = src[k];
    if constexpr (kOffsets) {
      std::uint32_t* s = s_ + pos_;
      std::uint32_t* e = e_ + pos_;
      for (std::size_t k = 0; k < n; ++k) {
        s[k] = static_cast<std::uint32_t>(start);
        e[k] = static_cast<std::uint32_t>(end);
      }
    }
    pos_ += n;
  }

  // ASCII fast path: handles the ASCII bytes of p[i, n) from i on, at most 4096 at a time;
  // returns the index of the first byte not handled.
  std::size_t ascii(const unsigned char* p, std::size_t i, std::size_t n) {
    const std::size_t limit = std::min(n, i + 4096);
    reserve(limit - i);  // ASCII never expands
    char* const t = t_;
    std::uint32_t* const s = s_;
    std::uint32_t* const e = e_;
    std::size_t pos = pos_;
    bool pending = pending_;
    std::size_t pending_start = pending_start_;
    std::size_t pending_end = pending_end_;
    std::size_t k = i;
    for (; k < limit && p[k] < 0x80; ++k) {
      const char a = kAscii[p[k]];
      if (a == 0) {
        if (!pending) {
          pending = true;
          pending_start = k;
          pending_end = k + 1;
        }
        continue;
      }
      if (pending) {
        pending = false;
        if (pos != 0) {
          t[pos] = ' ';
          if constexpr (kOffsets) {
            s[pos] = static_cast<std::uint32_t>(pending_start);
            e[pos] = static_cast<std::uint32_t>(pending_end);
          }
          ++pos;
        }
      }
      t[pos] = a;
      if constexpr (kOffsets) {
        s[pos] = static_cast<std::uint32_t>(k);
        e[pos] = static_cast<std::uint32_t>(k + 1);
      }
      ++pos;
    }
    pos_ = pos;
    pending_ = pending;
    pending_start_ = pending_start;
    pending_end_ = pending_end;
    return k;
  }

  void code_point(char32_t cp, std::size_t start, std::size_t end) {
    char buf[4];
    const std::size_t n = encode(cp, buf);
    reserve(n);
    bytes(buf, n, start, end);
  }

  void finish() {
    text_.resize(pos_);
    if constexpr (kOffsets) {
      starts_->resize(pos_);
      ends_->resize(pos_);
    }
  }

 private:
  void put(char c, std::size_t start, std::size_t end) {
    t_[pos_] = c;
    if constexpr (kOffsets) {
      s_[pos_] = static_cast<std::uint32_t>(start);
      e_[pos_] = static_cast<std::uint32_t>(end);
    }
    ++pos_;
  }

  void flush_space() {
    pending_ = false;
    if (pos_ == 0) return;  // no leading space
    put(' ', pending_start_, pending_end_);
  }

  void grow(std::size_t cap) {
    cap_ = cap;
    text_.resize(cap_);
    t_ = text_.data();
    if constexpr (kOffsets) {
      starts_->resize(cap_);
      ends_->resize(cap_);
      s_ = starts_->data();
      e_ = ends_->data();
    }
  }

  std::string& text_;
  std::vector<std::uint32_t>* starts_;
  std::vector<std::uint32_t>* ends_;
  char* t_ = nullptr;
  std::uint32_t* s_ = nullptr;
  std::uint32_t* e_ = nullptr;
  std::size_t pos_ = 0;
  std::size_t cap_ = 0;
  bool pending_ = false;
  std::size_t pending_start_ = 0;
  std::size_t pending_end_ = 0;
};

template <bool kOffsets>
void run(std::string_view utf8, std::string& text, std::vector<std::uint32_t>* starts,
         std::vector<std::uint32_t>* ends) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  Sink<kOffsets> sink(text, starts, ends, n);
  const Entry* table = nullptr;
  std::size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {  // ASCII fast path: table lookup, no decomposition
      i = sink.ascii(p, i, n);
      continue;
    }
    char32_t cp;
    const std::size_t start = i;
    const std::size_t end = i + decode(p + i, n - i, cp);
    i = end;
    if (cp == kInvalid) {
      sink.separator(start, end);  // invalid UTF-8: a separator
      continue;
    }
    if (table == nullptr) table = cache();
    const std::size_t idx = table_index(cp);
    if (idx < kTableSize) {
      const Entry& e = table[idx];
      switch (e.kind) {
        case EntryKind::Emit:
          sink.reserve(e.len);
          sink.bytes(e.bytes, e.len, start, end);
          continue;
        case EntryKind::Drop:
          continue;
        case EntryKind::Separator:
          sink.separator(start, end);
          continue;
        case EntryKind::Slow:
          break;
      }
    }
    expand(cp, [&](const Folded& f) {
      if (f.kind == Kind::Separator)
        sink.separator(start, end);
      else
        sink.code_point(f.cp, start, end);
    });
  }
  sink.finish();
}

}  // namespace

NormalizedText normalize_with_offsets(std::string_view utf8) {
  if (utf8.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("normalize_with_offsets: input larger than 4 GiB");
  NormalizedText result;
  run<true>(utf8, result.text, &result.source_start, &result.source_end);
  return result;
}

std::string normalize(std::string_view utf8) {
  std::string text;
  run<false>(utf8, text, nullptr, nullptr);
  return text;
}

bool is_valid_utf8(std::string_view utf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  std::size_t i = 0;
  while (i < n) {
    // Skip ASCII eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    i += decode(p + i, n - i, cp);
    if (cp == kInvalid) return false;
  }
  return true;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF) return;
  char buf[4];
  out.append(buf, encode(cp, buf));
}

}  // namespace bc::core
