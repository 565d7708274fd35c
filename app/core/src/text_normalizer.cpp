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
// normalize_for_matching (the anonymizer's matcher) runs the same steps with more rules, and its
// own table: in step 1 a CommonMark character reference is decoded and its code points all map to
// the whole reference; before step 2 every dash and space is a separator; after step 3 each
// resulting code point goes through confusable_fold() (Latin letters without a decomposition,
// then UTS 39 skeletons from ICU, normalized again). Its outputs are fixed points too.
//
// Data sources: Unicode 15.0 (the version of the utf8proc 2.8 tables): PropList.txt
// (White_Space), DerivedCoreProperties.txt (Default_Ignorable_Code_Point, used by utf8proc's
// UTF8PROC_IGNORE), the Arabic (U+0600-U+06FF) and Arabic Presentation Forms-A/B
// (U+FB50-U+FDFF, U+FE70-U+FEFF) code charts, General Punctuation (U+2000-U+206F), and the
// UTF-8 well-formedness table (Unicode Standard ch. 3, Table 3-7); for the matcher, ICU 72's
// confusables (UTS 39, Unicode 15.0), Dash and White_Space properties and scripts, and CommonMark
// 0.30's character references (section 2.5).
#include "backchannel/core/text_normalizer.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "backchannel/core/html_entities.h"
#include "confusables.h"

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

// The matcher's ASCII: the same, except that the digits 0 and 1 are read as the letters o and l
// (their UTS 39 skeletons: "H0lloway" is "Holloway" to a reader).
constexpr std::array<char, 128> make_ascii_match_table() {
  std::array<char, 128> t = make_ascii_table();
  t['0'] = 'o';
  t['1'] = 'l';
  return t;
}
constexpr std::array<char, 128> kAsciiMatch = make_ascii_match_table();

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

// ---- The matcher's further rules (normalize_for_matching) ----------------------------------

// Latin letters that neither decomposition nor case folding relates to a plain letter, as they
// are written in ASCII (case-folded input: Ø has become ø).
const char* latin_letters(char32_t cp) {
  switch (cp) {
    case 0x00DF: return "ss";  // ß (case folding does this already)
    case 0x00E6: return "ae";  // æ
    case 0x00F0: return "d";   // ð
    case 0x00F8: return "o";   // ø
    case 0x00FE: return "th";  // þ
    case 0x0111: return "d";   // đ
    case 0x0127: return "h";   // ħ
    case 0x0131: return "i";   // ı
    case 0x0138: return "k";   // ĸ
    case 0x0142: return "l";   // ł
    case 0x0153: return "oe";  // œ
    case 0x0167: return "t";   // ŧ
    default: return nullptr;
  }
}

// Every dash (Unicode's Dash property: hyphens, en and em dashes, the minus sign, the Hebrew
// maqaf, the Armenian hyphen, ...) and every space (White_Space, and the blank braille pattern,
// which looks like one) is the spec's hyphen or space.
bool dash_or_space(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  return u_hasBinaryProperty(c, UCHAR_DASH) || u_isUWhiteSpace(c) || cp == 0x2800;
}

// ICU's UTS 39 skeleton of one code point (the code point itself when ICU's data is missing:
// confusables.h records that, and summaries are blocked).
std::u32string icu_skeleton(char32_t cp) {
  const std::u16string out = confusable_skeleton(static_cast<UChar32>(cp));
  std::u32string r;
  const auto n = static_cast<int32_t>(out.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U16_NEXT(out.data(), i, n, c);
    r += static_cast<char32_t>(c);
  }
  return r;
}

bool letter_or_number(char32_t cp) {
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

bool ascii_letters_or_digits(const std::u32string& s) {
  if (s.empty()) return false;
  for (char32_t c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

// What a reader takes the letter `cp` (already normalized) for: its UTS 39 skeleton, normalized
// again. The skeleton is case-sensitive (Cyrillic "Н" looks like "H", "н" like a small capital),
// while our text is case-folded, so the letter's own skeleton is used when it is plain ASCII, else
// its capital's when that is plain ASCII (н -> "h"), else its own. Nothing for letters of the
// Arabic script, whose look-alikes our own letter table folds (the skeleton would strip the dots
// that tell ب پ ت ث ن ی apart), nor when the skeleton holds something other than letters and
// digits (Hebrew yod's skeleton is an apostrophe, which would split a word).
bool skeleton_letters(char32_t cp, std::u32string& out) {
  if (!letter_or_number(cp)) return false;
  UErrorCode status = U_ZERO_ERROR;
  if (uscript_getScript(static_cast<UChar32>(cp), &status) == USCRIPT_ARABIC) return false;
  auto letters_of = [](char32_t c) {
    std::u32string t;
    for (char32_t z : icu_skeleton(c))
      expand(z, [&](const Folded& f) { t += f.kind == Kind::Separator ? U' ' : f.cp; });
    return t;
  };
  std::u32string own = letters_of(cp);
  if (own == U"rn") own = U"m";  // the skeleton of "m" itself: ɱ reads as m
  if (ascii_letters_or_digits(own)) {
    out = std::move(own);
    return true;
  }
  const auto upper = static_cast<char32_t>(u_toupper(static_cast<UChar32>(cp)));
  if (upper != cp) {
    std::u32string capital = letters_of(upper);
    if (ascii_letters_or_digits(capital)) {
      out = std::move(capital);
      return true;
    }
  }
  if (own.empty() || !std::all_of(own.begin(), own.end(), letter_or_number)) return false;
  out = std::move(own);
  return true;
}

// One code point of expand()'s output, through the matcher's letter rules. `depth` bounds the
// re-folding of a skeleton's letters (every result is a fixed point well before: a test checks).
template <class Emit>
void confusable_fold(char32_t cp, Emit& emit, int depth) {
  if (cp < 0x80) {
    emit(Folded{Kind::Keep, static_cast<char32_t>(static_cast<unsigned char>(kAsciiMatch[cp]))});
    return;
  }
  if (const char* l = latin_letters(cp)) {
    for (; *l != '\0'; ++l) emit(Folded{Kind::Keep, static_cast<char32_t>(*l)});
    return;
  }
  std::u32string s;
  if (depth == 0 || !skeleton_letters(cp, s) || (s.size() == 1 && s[0] == cp)) {
    emit(Folded{Kind::Keep, cp});
    return;
  }
  for (char32_t z : s) confusable_fold(z, emit, depth - 1);
}

// expand() with the matcher's further rules.
template <class Emit>
void expand_matching(char32_t cp, Emit&& emit) {
  if (dash_or_space(cp)) {
    emit(Folded{Kind::Separator, 0});
    return;
  }
  expand(cp, [&](const Folded& f) {
    if (f.kind == Kind::Separator) emit(f);
    else confusable_fold(f.cp, emit, 4);
  });
}

// A CommonMark character reference at p[0] == '&': "&name;" (an HTML named reference),
// "&#" 1-7 decimal digits ";", "&#x" or "&#X" 1-6 hex digits ";". Returns its length and sets
// its code points (a number that is no Unicode scalar value, or 0, stands for U+FFFD), or returns
// 0 when none starts here.
std::size_t parse_reference(const unsigned char* p, std::size_t avail, char32_t (&out)[2], std::size_t& count) {
  count = 0;
  std::size_t i = 1;
  if (avail > 2 && p[1] == '#') {
    const bool hex = p[2] == 'x' || p[2] == 'X';
    i = hex ? 3 : 2;
    const std::size_t max_digits = hex ? 6 : 7;
    std::uint32_t value = 0;
    std::size_t digits = 0;
    for (; i < avail && digits < max_digits; ++i, ++digits) {
      const unsigned char c = p[i];
      unsigned d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else break;
      value = value * (hex ? 16 : 10) + d;
    }
    if (digits == 0 || i >= avail || p[i] != ';') return 0;
    const bool scalar = value != 0 && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF);
    out[0] = scalar ? value : 0xFFFD;
    count = 1;
    return i + 1;
  }
  while (i < avail && i <= kLongestHtmlReferenceName &&
         ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
    ++i;
  if (i == 1 || i >= avail || p[i] != ';') return 0;
  const std::string_view text =
      html_named_reference(std::string_view(reinterpret_cast<const char*>(p + 1), i - 1));
  if (text.empty()) return 0;
  const auto* t = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t k = 0; k < text.size() && count < 2;) {
    char32_t cp;
    k += decode(t + k, text.size() - k, cp);
    out[count++] = cp;
  }
  return i + 1;
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

template <bool kMatching>
Entry make_entry(char32_t cp) {
  Entry e;
  bool any_sep = false;
  bool any_keep = false;
  bool fits = true;
  auto add = [&](const Folded& f) {
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
  };
  if constexpr (kMatching) expand_matching(cp, add);
  else expand(cp, add);
  if (any_sep && any_keep) e.kind = EntryKind::Slow;  // e.g. U+FDFA, several words
  else if (any_sep) e.kind = EntryKind::Separator;
  else if (!any_keep) e.kind = EntryKind::Drop;
  else e.kind = fits ? EntryKind::Emit : EntryKind::Slow;
  if (e.kind != EntryKind::Emit) e.len = 0;
  return e;
}

template <bool kMatching>
const Entry* cache() {
  static const std::vector<Entry> table = [] {
    std::vector<Entry> t(kTableSize);
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
      const std::size_t i = table_index(cp);
      if (i < kTableSize && !(cp >= 0xD800 && cp <= 0xDFFF)) t[i] = make_entry<kMatching>(cp);
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
  // With kMatching, the matcher's table, and it stops at '&' (a character reference may start).
  template <bool kMatching>
  std::size_t ascii(const unsigned char* p, std::size_t i, std::size_t n) {
    const std::array<char, 128>& table = kMatching ? kAsciiMatch : kAscii;
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
    for (; k < limit && p[k] < 0x80 && !(kMatching && p[k] == '&'); ++k) {
      const char a = table[p[k]];
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

template <bool kOffsets, bool kMatching>
void run(std::string_view utf8, std::string& text, std::vector<std::uint32_t>* starts,
         std::vector<std::uint32_t>* ends) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  Sink<kOffsets> sink(text, starts, ends, n);
  const Entry* table = nullptr;
  // One code point of the original bytes [start, end).
  auto code_point = [&](char32_t cp, std::size_t start, std::size_t end) {
    if (cp < 0x80) {  // only from a character reference: the ASCII path reads the others
      const char a = kAsciiMatch[cp];
      if (a == 0) sink.separator(start, end);
      else sink.code_point(static_cast<unsigned char>(a), start, end);
      return;
    }
    if (table == nullptr) table = cache<kMatching>();
    const std::size_t idx = table_index(cp);
    if (idx < kTableSize) {
      const Entry& e = table[idx];
      switch (e.kind) {
        case EntryKind::Emit:
          sink.reserve(e.len);
          sink.bytes(e.bytes, e.len, start, end);
          return;
        case EntryKind::Drop:
          return;
        case EntryKind::Separator:
          sink.separator(start, end);
          return;
        case EntryKind::Slow:
          break;
      }
    }
    auto put = [&](const Folded& f) {
      if (f.kind == Kind::Separator)
        sink.separator(start, end);
      else
        sink.code_point(f.cp, start, end);
    };
    if constexpr (kMatching) expand_matching(cp, put);
    else expand(cp, put);
  };
  std::size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      if constexpr (kMatching) {
        if (p[i] == '&') {  // a character reference stands for what a reader sees
          char32_t decoded[2];
          std::size_t count = 0;
          const std::size_t len = parse_reference(p + i, n - i, decoded, count);
          if (len == 0) {
            sink.code_point(U'&', i, i + 1);
            ++i;
            continue;
          }
          for (std::size_t k = 0; k < count; ++k) code_point(decoded[k], i, i + len);
          i += len;
          continue;
        }
      }
      i = sink.template ascii<kMatching>(p, i, n);  // ASCII fast path: table lookup, no decomposition
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
    code_point(cp, start, end);
  }
  sink.finish();
}

}  // namespace

NormalizedText normalize_with_offsets(std::string_view utf8) {
  if (utf8.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("normalize_with_offsets: input larger than 4 GiB");
  NormalizedText result;
  run<true, false>(utf8, result.text, &result.source_start, &result.source_end);
  return result;
}

std::string normalize(std::string_view utf8) {
  std::string text;
  run<false, false>(utf8, text, nullptr, nullptr);
  return text;
}

NormalizedText normalize_for_matching_with_offsets(std::string_view utf8) {
  if (utf8.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("normalize_for_matching_with_offsets: input larger than 4 GiB");
  NormalizedText result;
  run<true, true>(utf8, result.text, &result.source_start, &result.source_end);
  return result;
}

std::string normalize_for_matching(std::string_view utf8) {
  std::string text;
  run<false, true>(utf8, text, nullptr, nullptr);
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
