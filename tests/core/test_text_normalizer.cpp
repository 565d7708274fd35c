// Tests of bc::core text normalization.
//
// Code points used here come from the Unicode 15.0 code charts (https://www.unicode.org/charts/):
// Basic Latin, Latin-1 Supplement, General Punctuation (U+2000-U+206F), Arabic (U+0600-U+06FF),
// Arabic Presentation Forms-A (U+FB50-U+FDFF) and -B (U+FE70-U+FEFF), Halfwidth and Fullwidth
// Forms (U+FF00-U+FFEF); White_Space from PropList.txt; Default_Ignorable_Code_Point from
// DerivedCoreProperties.txt; UTF-8 well-formedness from the Unicode Standard, chapter 3,
// Table 3-7, and the malformed sequences of Markus Kuhn's UTF-8 decoder stress test.
#include "backchannel/core/text_normalizer.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <utf8proc.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/html_entities.h"

namespace bc::core {
namespace {

std::string utf8(char32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s += static_cast<char>(b);
  return s;
}

// utf8proc's own NFD / NFC as the reference for canonical equivalence.
std::string reference(std::string_view s, bool nfc) {
  const std::string z(s);
  auto* u = reinterpret_cast<const utf8proc_uint8_t*>(z.c_str());
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> out(nfc ? utf8proc_NFC(u) : utf8proc_NFD(u),
                                                              &std::free);
  return out ? std::string(reinterpret_cast<const char*>(out.get())) : std::string();
}

// The invariants every result must satisfy.
void expect_well_formed(std::string_view input, const NormalizedText& n) {
  ASSERT_EQ(n.text.size(), n.source_start.size());
  ASSERT_EQ(n.text.size(), n.source_end.size());
  EXPECT_EQ(normalize(input), n.text);
  if (!n.text.empty()) {
    EXPECT_NE(n.text.front(), ' ');
    EXPECT_NE(n.text.back(), ' ');
  }
  EXPECT_EQ(n.text.find("  "), std::string::npos);
  EXPECT_TRUE(is_valid_utf8(n.text));
  for (std::size_t i = 0; i < n.text.size(); ++i) {
    ASSERT_LT(n.source_start[i], n.source_end[i]) << i;
    ASSERT_LE(n.source_end[i], input.size()) << i;
    if (i > 0) {
      ASSERT_LE(n.source_start[i - 1], n.source_start[i]) << i;
      ASSERT_LE(n.source_end[i - 1], n.source_end[i]) << i;
    }
  }
}

// Maps the first occurrence of `needle` in the normalized text back to the original.
std::string map_back(std::string_view original, std::string_view needle) {
  const NormalizedText n = normalize_with_offsets(original);
  const std::size_t at = n.text.find(needle);
  if (at == std::string::npos) return "<not found>";
  const auto [start, end] = n.source_range(at, at + needle.size());
  return std::string(original.substr(start, end - start));
}

// ---- Basic rules -----------------------------------------------------------------------------

TEST(normalize_text, EmptyAndSeparatorOnly) {
  EXPECT_EQ(normalize(""), "");
  EXPECT_EQ(normalize("   \t\n - \u2014 "), "");
  EXPECT_EQ(normalize("\u200C\u200D\u00AD\uFEFF"), "");
  const NormalizedText n = normalize_with_offsets("  \n ");
  EXPECT_TRUE(n.text.empty());
  EXPECT_TRUE(n.source_start.empty());
  EXPECT_TRUE(n.source_end.empty());
}

TEST(normalize_text, CaseFolding) {
  EXPECT_EQ(normalize("Dear Ambassador HOLLOWAY"), "dear ambassador holloway");
  EXPECT_EQ(normalize("HoLLoWaY"), normalize("holloway"));
  EXPECT_EQ(normalize("STRASSE"), normalize("Straße"));  // full case folding: ß -> ss
  EXPECT_EQ(normalize("ΟΔΥΣΣΕΥΣ"), normalize("οδυσσευς"));  // final sigma folds to σ
  EXPECT_EQ(normalize("İstanbul"), "istanbul");  // U+0130 -> i + U+0307, mark stripped
  EXPECT_EQ(normalize("ПУТИН"), "путин");
}

TEST(normalize_text, DiacriticsRemoved) {
  EXPECT_EQ(normalize("Élodie Nguyễn Müller Ångström Çelik"), "elodie nguyen muller angstrom celik");
  // Arabic harakat: fatha, kasra, damma, shadda, sukun, tanwin, superscript alef.
  EXPECT_EQ(normalize("مُحَمَّد"), "محمد");
  EXPECT_EQ(normalize("عَلِيٌّ"), normalize("علی"));
  EXPECT_EQ(normalize("مِنْ"), "من");
  EXPECT_EQ(normalize("هٰذا"), "هذا");
  // Spacing diacritics are diacritics, not word breaks.
  EXPECT_EQ(normalize("a\u00A8b"), "ab");
  EXPECT_EQ(normalize("مح\uFE7Cمد"), "محمد");  // ARABIC SHADDA ISOLATED FORM
}

TEST(normalize_text, NfcAndNfdGiveTheSameOutput) {
  const std::string nfc = "H\u00FCseyin";   // ü precomposed
  const std::string nfd = "Hu\u0308seyin";  // u + COMBINING DIAERESIS
  EXPECT_EQ(normalize(nfc), "huseyin");
  EXPECT_EQ(normalize(nfd), "huseyin");
  // Vietnamese with two marks in either order.
  EXPECT_EQ(normalize("Nguy\u1EC5n"), normalize("Nguye\u0302\u0303n"));
  EXPECT_EQ(normalize("Nguy\u1EC5n"), normalize("Nguye\u0303\u0302n"));
  EXPECT_EQ(normalize("Nguy\u1EC5n"), "nguyen");
  // Arabic: alef madda precomposed vs alef + maddah above; ۀ vs its canonical decomposition.
  EXPECT_EQ(normalize("\u0622رش"), normalize("\u0627\u0653رش"));
  EXPECT_EQ(normalize("خان\u06C0"), normalize("خان\u06D5\u0654"));
  // Hangul syllable vs conjoining jamo.
  EXPECT_EQ(normalize("\uD55C"), normalize("\u1112\u1161\u11AB"));
  // Greek iota subscript: U+1F80 case-folds to two letters but decomposes to alpha + marks;
  // marks are stripped before case folding so both spellings agree.
  EXPECT_EQ(normalize("\u1F80"), normalize("\u03B1\u0313\u0345"));
  EXPECT_EQ(normalize("\u1F88"), "\u03B1");
  // GREEK OXIA is canonically equivalent to U+00B4, which counts as an apostrophe.
  EXPECT_EQ(normalize("O\u1FFDBrien"), "o'brien");
  // Canonical singletons: ANGSTROM SIGN, OHM SIGN, KELVIN SIGN.
  EXPECT_EQ(normalize("\u212B \u2126 \u212A"), normalize("\u00C5 \u03A9 K"));
}

TEST(normalize_text, FullWidthLatinAndCompatibilityForms) {
  EXPECT_EQ(normalize("\uFF28\uFF2F\uFF2C\uFF2C\uFF2F\uFF37\uFF21\uFF39"), "holloway");
  EXPECT_EQ(normalize("\uFF11\uFF12\uFF13"), "123");
  EXPECT_EQ(normalize("\uFB01nance"), "finance");  // ﬁ ligature
  EXPECT_EQ(normalize("\u2460"), "1");             // circled digit one
  EXPECT_EQ(normalize("x\u00B2"), "x2");           // superscript two
}

TEST(normalize_text, ArabicPresentationForms) {
  // ﻣﺤﻤﺪ: MEEM initial, HAH medial, MEEM medial, DAL final (Presentation Forms-B).
  EXPECT_EQ(normalize("\uFEE3\uFEA4\uFEE4\uFEAA"), "محمد");
  EXPECT_EQ(normalize("\uFEFB"), "لا");  // LAM WITH ALEF ligature isolated
  EXPECT_EQ(normalize("\uFEF7"), "لا");  // LAM WITH ALEF WITH HAMZA ABOVE: hamza stripped
  EXPECT_EQ(normalize("\uFDF2"), "الله");  // ALLAH ligature (Forms-A), shadda stripped
  // YEH presentation forms (Forms-B) fold to Persian yeh like U+064A itself.
  EXPECT_EQ(normalize("\uFECB\uFEE0\uFEF2"), normalize("علی"));
  // Persian KEHEH and FARSI YEH presentation forms (Forms-A).
  EXPECT_EQ(normalize("\uFB90\uFBFE"), "کی");
  // HEH WITH YEH ABOVE forms -> ه (like ۀ).
  EXPECT_EQ(normalize("\uFBA4"), "ه");
  // ALEF WASLA isolated form -> alef.
  EXPECT_EQ(normalize("\uFB50"), "ا");
  // A multi-word ligature (U+FDFA) expands to words separated by single spaces.
  const std::string salla = normalize("\uFDFA");
  EXPECT_EQ(salla, "صلی الله علیه وسلم");
}

TEST(normalize_text, PersianArabicLetterVariants) {
  EXPECT_EQ(normalize("علي"), normalize("علی"));      // U+064A -> U+06CC
  EXPECT_EQ(normalize("موسى"), normalize("موسی"));    // U+0649 -> U+06CC
  EXPECT_EQ(normalize("علي"), "علی");
  EXPECT_EQ(normalize("كريم"), normalize("کریم"));    // U+0643 -> U+06A9
  EXPECT_EQ(normalize("كريم"), "کریم");
  EXPECT_EQ(normalize("فاطمة"), normalize("فاطمه"));  // U+0629 -> U+0647
  EXPECT_EQ(normalize("فاطمة"), "فاطمه");
  EXPECT_EQ(normalize("أحمد"), "احمد");   // U+0623
  EXPECT_EQ(normalize("إبراهيم"), "ابراهیم");  // U+0625
  EXPECT_EQ(normalize("آرش"), "ارش");     // U+0622
  EXPECT_EQ(normalize("ٱلله"), "الله");   // U+0671
  EXPECT_EQ(normalize("خانۀ"), "خانه");   // U+06C0
  EXPECT_EQ(normalize("خانهٔ"), "خانه");  // heh + U+0654 hamza above
  EXPECT_EQ(normalize("مؤمن"), "مومن");   // U+0624
  EXPECT_EQ(normalize("رئیس"), "رییس");   // U+0626
}

TEST(normalize_text, InvisibleCharactersRemoved) {
  // ZWNJ inside a Persian word.
  EXPECT_EQ(normalize("می\u200Cخواهم"), normalize("میخواهم"));
  EXPECT_EQ(normalize("می\u200Cخواهم"), "میخواهم");
  // ZWJ, ZWSP, word joiner, BOM, soft hyphen, CGJ, variation selector, Hangul filler, tag.
  EXPECT_EQ(normalize("Hol\u200Dlo\u200Bway"), "holloway");
  EXPECT_EQ(normalize("\uFEFFHol\u2060lo\uFEFFway"), "holloway");
  EXPECT_EQ(normalize("Hollo\u00ADway"), "holloway");
  EXPECT_EQ(normalize("Hollo\u034Fway\uFE0F"), "holloway");
  EXPECT_EQ(normalize("Hol\u3164lo\U000E0041way"), "holloway");
  // Tatweel (kashida).
  EXPECT_EQ(normalize("محـــمد"), normalize("محمد"));
  EXPECT_EQ(normalize("\u0640\u0640"), "");
  // Bidi marks, embeddings, overrides and isolates.
  EXPECT_EQ(normalize("\u202BHolloway\u202C"), "holloway");
  EXPECT_EQ(normalize("\u200EHol\u200Flo\u061Cway"), "holloway");
  EXPECT_EQ(normalize("\u202A\u202D\u202EHol\u2066lo\u2067w\u2068ay\u2069"), "holloway");
  EXPECT_EQ(normalize("\u2067علی\u2069 met \u2066Holloway\u2069"), "علی met holloway");
}

TEST(normalize_text, HyphensCountAsSpace) {
  EXPECT_EQ(normalize("Al-Hassan"), normalize("al hassan"));
  EXPECT_EQ(normalize("Al-Hassan"), "al hassan");
  EXPECT_EQ(normalize("Al - Hassan"), "al hassan");
  EXPECT_EQ(normalize("Al--Hassan"), "al hassan");
  for (char32_t h : {0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D}) {
    EXPECT_EQ(normalize("Al" + utf8(h) + "Hassan"), "al hassan") << std::hex << static_cast<unsigned>(h);
  }
  EXPECT_EQ(normalize("-leading and trailing-"), "leading and trailing");
}

TEST(normalize_text, WhiteSpaceRunsCollapse) {
  EXPECT_EQ(normalize("  a \t\n b\r\n\r\nc  "), "a b c");
  EXPECT_EQ(normalize("a\u00A0b\u3000c\u2003d\u2009e\u202Ff\u205Fg\u1680h\u2028i\u2029j\u0085k\vl\fm"),
            "a b c d e f g h i j k l m");
  EXPECT_EQ(normalize("a \u200B b"), "a b");  // removed characters inside a run
  EXPECT_EQ(normalize("\n\n\tword\t\n\n"), "word");
}

TEST(normalize_text, ApostrophesUnified) {
  EXPECT_EQ(normalize("Holloway\u2019s"), normalize("holloway's"));
  EXPECT_EQ(normalize("Holloway\u2019s"), "holloway's");
  for (char32_t a : {0x2019, 0x2018, 0x02BC, 0x02BB, 0x0060, 0x00B4, 0xFF07, 0x2032}) {
    EXPECT_EQ(normalize("O" + utf8(a) + "Brien"), "o'brien") << std::hex << static_cast<unsigned>(a);
  }
}

TEST(normalize_text, Digits) {
  EXPECT_EQ(normalize("\u06F1\u06F4\u06F0\u06F3"), "1403");  // Persian digits ۱۴۰۳
  EXPECT_EQ(normalize("\u0661\u0662\u0663"), "123");         // Arabic-Indic ١٢٣
  EXPECT_EQ(normalize("۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩"), "0123456789 0123456789");
  EXPECT_EQ(normalize("Room 12B"), "room 12b");
}

TEST(normalize_text, PunctuationKept) {
  EXPECT_EQ(normalize("Hello, world! (a.b) \u00AB\u060C\u061F\u00BB"), "hello, world! (a.b) \u00AB\u060C\u061F\u00BB");
  EXPECT_EQ(normalize("x_y@z.org"), "x_y@z.org");
}

TEST(normalize_text, ControlCharactersAreSeparators) {
  EXPECT_EQ(normalize(std::string("a\0b", 3)), "a b");
  EXPECT_EQ(normalize("a\x01\x1F\x7F" "b"), "a b");
  EXPECT_EQ(normalize("a\u0080\u009Fb"), "a b");
}

// ---- Offsets ---------------------------------------------------------------------------------

TEST(normalize_offsets, EnglishNameMapsBackToOriginalBytes) {
  const std::string original = "Dear Ambassador HOLLOWAY\u2019s team";
  const NormalizedText n = normalize_with_offsets(original);
  expect_well_formed(original, n);
  EXPECT_EQ(n.text, "dear ambassador holloway's team");
  const std::size_t at = n.text.find("holloway");
  ASSERT_NE(at, std::string::npos);
  const auto [start, end] = n.source_range(at, at + 8);
  EXPECT_EQ(start, 16u);
  EXPECT_EQ(end, 24u);
  EXPECT_EQ(original.substr(start, end - start), "HOLLOWAY");
  // The apostrophe maps to all three bytes of U+2019.
  const std::size_t apos = n.text.find('\'');
  EXPECT_EQ(original.substr(n.source_start[apos], n.source_end[apos] - n.source_start[apos]), "\u2019");
}

TEST(normalize_offsets, PersianNameWithZwnjAndTatweelMapsBackToTheFullSpan) {
  // "Meeting with Abdol-Rahim Karimi-Nia": عبدال‌رحیم with ZWNJ, کریمـی with tatweel, Arabic kaf.
  const std::string name = "عبدال\u200Cرحـیم كریمی";
  const std::string original = "جلسه با " + name + " در تهران";
  const NormalizedText n = normalize_with_offsets(original);
  expect_well_formed(original, n);
  const std::string needle = normalize("عبدالرحیم کریمی");
  EXPECT_EQ(needle, "عبدالرحیم کریمی");
  EXPECT_EQ(map_back(original, needle), name);
  // A name starting with an invisible character maps from its first visible letter.
  EXPECT_EQ(map_back("\u200F\u0640علی", "علی"), "علی");
  // Name in full-width letters maps to the full-width bytes.
  const std::string fw = "Mr \uFF28\uFF2F\uFF2C\uFF2C\uFF2F\uFF37\uFF21\uFF39!";
  EXPECT_EQ(map_back(fw, "holloway"), "\uFF28\uFF2F\uFF2C\uFF2C\uFF2F\uFF37\uFF21\uFF39");
}

TEST(normalize_offsets, DecomposedAndExpandedCharacters) {
  // NFD input: the mark is stripped, so "u" maps to the "u" byte only.
  const std::string nfd = "Hu\u0308seyin";
  EXPECT_EQ(map_back(nfd, "huseyin"), nfd);
  // Precomposed ü: both output bytes come from the two source bytes of U+00FC.
  const std::string nfc = "H\u00FCseyin";
  const NormalizedText n = normalize_with_offsets(nfc);
  expect_well_formed(nfc, n);
  EXPECT_EQ(n.text, "huseyin");
  EXPECT_EQ(n.source_start[1], 1u);
  EXPECT_EQ(n.source_end[1], 3u);
  // Expansions: ß -> ss, ﬁ -> fi; every output byte maps to the whole source code point.
  const NormalizedText s = normalize_with_offsets("Stra\u00DFe \uFB01n");
  expect_well_formed("Stra\u00DFe \uFB01n", s);
  EXPECT_EQ(s.text, "strasse fin");
  EXPECT_EQ(s.source_start[4], 4u);
  EXPECT_EQ(s.source_end[4], 6u);
  EXPECT_EQ(s.source_start[5], 4u);
  EXPECT_EQ(s.source_end[5], 6u);
}

TEST(normalize_offsets, CollapsedSpaceMapsToFirstSeparator) {
  const std::string original = "a \t-\u00A0 b";
  const NormalizedText n = normalize_with_offsets(original);
  expect_well_formed(original, n);
  ASSERT_EQ(n.text, "a b");
  EXPECT_EQ(n.source_start[1], 1u);
  EXPECT_EQ(n.source_end[1], 2u);
  EXPECT_EQ(n.source_start[2], original.size() - 1);
  // A run starting with a multi-byte separator.
  const NormalizedText m = normalize_with_offsets("x\u2014 y");
  ASSERT_EQ(m.text, "x y");
  EXPECT_EQ(m.source_start[1], 1u);
  EXPECT_EQ(m.source_end[1], 4u);
}

// ---- Robustness ------------------------------------------------------------------------------

TEST(normalize_robustness, InvalidUtf8IsASeparator) {
  EXPECT_EQ(normalize(bytes({'a', 0xFF, 'b'})), "a b");
  EXPECT_EQ(normalize(bytes({'a', 0xC0, 0x80, 'b'})), "a b");               // overlong NUL
  EXPECT_EQ(normalize(bytes({'a', 0xED, 0xA0, 0x80, 'b'})), "a b");         // surrogate
  EXPECT_EQ(normalize(bytes({'a', 0xF4, 0x90, 0x80, 0x80, 'b'})), "a b");   // > U+10FFFF
  EXPECT_EQ(normalize(bytes({'a', 0xE2, 0x80})), "a");                      // truncated at end
  EXPECT_EQ(normalize(bytes({0x80, 0x80, 'x'})), "x");
  // A truncated sequence does not swallow the valid character that follows it.
  EXPECT_EQ(normalize(bytes({'a', 0xE2, 0x80, 'b'})), "a b");
  EXPECT_EQ(normalize(bytes({0xF0, 0x9F, 0x98}) + "علی"), "علی");
  const std::string mixed = bytes({'a', 0xE2, 0x80, 0xFF, 'b'});
  const NormalizedText n = normalize_with_offsets(mixed);
  expect_well_formed(mixed, n);
  ASSERT_EQ(n.text, "a b");
  EXPECT_EQ(n.source_start[1], 1u);  // maximal subpart E2 80
  EXPECT_EQ(n.source_end[1], 3u);
}

TEST(normalize_robustness, RandomBytes) {
  std::mt19937 rng(20240611);
  // Mix of raw bytes and pieces of valid text so the random input exercises every path.
  const std::vector<std::string> pieces = {"a", "Z", " ", "-", "\u200C", "\u0640", "\u00E9", "e\u0301",
                                           "ی", "ك", "\uFEFB", "\uFDFA", "\u2019", "\u00A8", "\uFF21",
                                           "\u00DF", "\U0001F600", "\u3000", "\u06F5", "\n"};
  for (int iter = 0; iter < 10000; ++iter) {
    std::string s;
    const int len = static_cast<int>(rng() % 64);
    for (int k = 0; k < len; ++k) {
      if (rng() % 3 == 0)
        s += pieces[rng() % pieces.size()];
      else
        s += static_cast<char>(rng() & 0xFF);
    }
    const NormalizedText n = normalize_with_offsets(s);
    expect_well_formed(s, n);
    ASSERT_EQ(normalize(n.text), n.text) << "not idempotent at iteration " << iter;
    if (HasFatalFailure()) return;
  }
}

// ---- Idempotence and consistency -------------------------------------------------------------

TEST(normalize_properties, IdempotentOnCorpus) {
  const std::vector<std::string> corpus = {
      "Dear Ambassador HOLLOWAY\u2019s team",
      "  Al-Hassan \u2014 \u00ABtrack II\u00BB   dialogue\t\n",
      "جلسه با عبدال\u200Cرحـیم كریمی در تهران ۱۴۰۳/۰۵/۱۲",
      "\uFEE3\uFEA4\uFEE4\uFEAA \uFDF2 \uFDFA \uFEFB",
      "Stra\u00DFe \uFB01nance \uFF28\uFF2F\uFF2C\uFF2C\uFF2F\uFF37\uFF21\uFF39 \u2474 \u2033",
      "Nguye\u0302\u0303n H\u00FCseyin \u0130stanbul \u1E9E \u01C4 \u0149",
      "\u202Bمرحبا\u202C \u2067שלום\u2069 Привет ΟΔΥΣΣΕΥΣ 北京 한국어 \u0915\u093F\u0924\u093E\u092C",
      "\u00A8\u00B4\u02DC\uFE70\uFE72 a\u0345b \u1FBE \u037A \u0385",
      "\uFF07\uFF0D\uFF40\u2011\uFE58\uFE63 \u3164\uFFA0\u115F",
      "\u0622\u0623\u0625\u0671\u06C0\u0624\u0626\u0649\u064A\u0643\u0629\u06D5\u06C2\u06D3",
  };
  for (const std::string& s : corpus) {
    const std::string once = normalize(s);
    EXPECT_EQ(normalize(once), once) << s;
    const NormalizedText n = normalize_with_offsets(s);
    expect_well_formed(s, n);
    EXPECT_EQ(n.text, once);
  }
}

// Every code point on its own, in context, and against utf8proc's NFD and NFC of it:
// idempotence and canonical equivalence across all of Unicode.
TEST(normalize_properties, EveryCodePointIsStableAndCanonicallyConsistent) {
  int failures = 0;
  for (char32_t cp = 1; cp <= 0x10FFFF && failures < 20; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string s = "x" + utf8(cp) + "y";
    const std::string once = normalize(s);
    const std::string twice = normalize(once);
    const std::string nfd = normalize(reference(s, false));
    const std::string nfc = normalize(reference(s, true));
    if (once != twice || once != nfd || once != nfc || !is_valid_utf8(once)) {
      ADD_FAILURE() << "U+" << std::hex << static_cast<unsigned>(cp) << ": once='" << once
                    << "' twice='" << twice << "' nfd='" << nfd << "' nfc='" << nfc << "'";
      ++failures;
    }
  }
}

// ---- normalize_for_matching: what a reader of a summary still sees ---------------------------

std::string m(std::string_view s) { return normalize_for_matching(s); }

// The original bytes behind the first occurrence of `needle` in the matching form.
std::string map_back_matching(std::string_view original, std::string_view needle) {
  const NormalizedText n = normalize_for_matching_with_offsets(original);
  const std::size_t at = n.text.find(needle);
  if (at == std::string::npos) return "<not found>";
  const auto [start, end] = n.source_range(at, at + needle.size());
  return std::string(original.substr(start, end - start));
}

TEST(normalize_for_matching, CharacterReferencesAreDecoded) {
  EXPECT_EQ(m("Ka&shy;therine Hol&shy;loway"), "katherine holloway");
  EXPECT_EQ(m("&#x48;&#X6f;&#108;loway"), "holloway");
  EXPECT_EQ(m("&Hfr;olloway &AElig;&amp;&lt;"), "holloway ae&<");
  EXPECT_EQ(m("Al&ndash;Hassan Al&nbsp;Hassan Al&#32;Hassan"), "al hassan al hassan al hassan");
  // CommonMark's limits: 7 decimal or 6 hex digits, a ';', a known case-sensitive name; 0,
  // surrogates and numbers beyond Unicode stand for U+FFFD.
  EXPECT_EQ(m("&#12345678; &#x1234567; &shy &SHY; &bogus; & ;"), "&#l2345678; &#xl234567; &shy &shy; &bogus; & ;");
  EXPECT_EQ(m("&#0;&#xD800;&#x110000;"), "\uFFFD\uFFFD\uFFFD");
  // Every decoded code point maps back to the whole reference.
  EXPECT_EQ(map_back_matching("Ka&shy;therine Hol&shy;loway.", "katherine holloway"), "Ka&shy;therine Hol&shy;loway");
  EXPECT_EQ(map_back_matching("x &#x41E;lga y", "olga"), "&#x41E;lga");
  EXPECT_EQ(map_back_matching("x&NotEqualTilde;y", "x"), "x");
  // Search text is not decoded: it is stored, and a search finds what was typed.
  EXPECT_EQ(normalize("Ka&shy;therine"), "ka&shy;therine");
}

TEST(normalize_for_matching, HtmlReferenceListIsSortedAndBounded) {
  EXPECT_EQ(html_named_reference("shy"), "\u00AD");
  EXPECT_EQ(html_named_reference("amp"), "&");
  EXPECT_EQ(html_named_reference("NotEqualTilde"), "\u2242\u0338");
  EXPECT_EQ(html_named_reference("CounterClockwiseContourIntegral"), "\u2233");
  EXPECT_EQ(html_named_reference("amp;"), "");
  EXPECT_EQ(html_named_reference("Amp"), "") << "names are case-sensitive";
  EXPECT_EQ(html_named_reference(""), "");
  EXPECT_LE(std::string_view("CounterClockwiseContourIntegral").size(), kLongestHtmlReferenceName);
}

TEST(normalize_for_matching, LatinLettersWithoutADecompositionBothWays) {
  EXPECT_EQ(m("Y\u0131ld\u0131z YILDIZ Yildiz"), "yildiz yildiz yildiz");
  EXPECT_EQ(m("J\u00F8rgensen J\u00D8RGENSEN"), "jorgensen jorgensen");
  EXPECT_EQ(m("Pawe\u0142 \u0141ukasz"), "pawel lukasz");
  EXPECT_EQ(m("\u0110uri\u0107 \u0111"), "duric d");
  EXPECT_EQ(m("Gu\u00F0mundsson \u00D0"), "gudmundsson d");
  EXPECT_EQ(m("\u0126addad \u0127"), "haddad h");
  EXPECT_EQ(m("\u0166 \u0167 \u0138"), "t t k");
  EXPECT_EQ(m("Stra\u00DFe STRASSE \u1E9E"), "strasse strasse ss");
  EXPECT_EQ(m("L\u00E6titia \u00C6SA"), "laetitia aesa");
  EXPECT_EQ(m("C\u0153ur \u0152UVRE"), "coeur oeuvre");
  EXPECT_EQ(m("\u00DE\u00F3rir \u00FEorir"), "thorir thorir");
  EXPECT_EQ(map_back_matching("a \u00DE\u00F3rir.", "thorir"), "\u00DE\u00F3rir");
  EXPECT_EQ(map_back_matching("a \u00E6b", "aeb"), "\u00E6b");
}

TEST(normalize_for_matching, LookAlikeLettersReadAsTheLettersTheyLookLike) {
  EXPECT_EQ(m("H\u043Ell\u043Eway"), "holloway");                          // Cyrillic o
  EXPECT_EQ(m("\u041D\u041E\u041C\u0415\u0420 \u043D\u043E\u043C\u0435\u0440"), "homep homep");  // either case
  EXPECT_EQ(m("\u041A\u0430\u0442\u0435 \u043A\u0430\u0442\u0435"), "kate kate");  // к and т read as their capitals
  EXPECT_EQ(m("H\u03BFll\u03BFway \u0397\u03B7"), "holloway nn");          // Greek omicron; eta reads as n
  EXPECT_EQ(m("\u0410\u04BB\u043C\u0430\u0501\u0456"), "ahmadi");           // all Cyrillic
  EXPECT_EQ(m("H0LL0WAY Ho11oway 2010"), "holloway holloway 2olo");         // 0 and 1
  EXPECT_EQ(m("\u0271 m rn"), "m m rn");                                    // m's skeleton is rn
  // Arabic-script letters keep our own table; Hebrew letters take their skeletons where those are
  // letters (yod's is an apostrophe: it stays).
  EXPECT_EQ(m("رضایی رصایی ك ي"), "رضایی رصایی ک ی");
  EXPECT_EQ(m("\u05D9\u05D5\u05E1\u05E3"), "\u05D9lo\u05E3");
  EXPECT_EQ(map_back_matching("x H\u043Ell\u043Eway.", "holloway"), "H\u043Ell\u043Eway");
  // Search text keeps the letters apart.
  EXPECT_EQ(normalize("H\u043Ell\u043Eway"), "h\u043Ell\u043Eway");
}

TEST(normalize_for_matching, EveryDashAndSpaceIsASeparatorAndHebrewPointsAreMarks) {
  // Every code point with Unicode's Dash or White_Space property (ICU's tables), and the blank
  // braille pattern.
  int n = 0;
  for (char32_t cp = 1; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const bool dash = u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DASH);
    if (!dash && !u_isUWhiteSpace(static_cast<UChar32>(cp)) && cp != 0x2800) continue;
    ++n;
    EXPECT_EQ(m("Al" + utf8(cp) + "Hassan"), "al hassan") << "U+" << std::hex << static_cast<unsigned>(cp);
  }
  EXPECT_GE(n, 50);
  for (char32_t cp : {U'\u2010', U'\u2015', U'\u2212', U'\u05BE', U'\u058A', U'\u00A0', U'\u202F', U'\u2007', U'\u2009'})
    EXPECT_EQ(m("Al" + utf8(cp) + "Hassan"), "al hassan") << "U+" << std::hex << static_cast<unsigned>(cp);
  for (char32_t cp = 0x0591; cp <= 0x05C7; ++cp) {  // cantillation marks and points
    if (cp == 0x05BE || cp == 0x05C0 || cp == 0x05C3 || cp == 0x05C6) continue;  // maqaf, paseq, sof pasuq, nun hafukha
    EXPECT_EQ(m("\u05D3" + utf8(cp) + "\u05D5\u05D3"), m("\u05D3\u05D5\u05D3")) << "U+" << std::hex << static_cast<unsigned>(cp);
  }
  EXPECT_EQ(m("\u05D1\u05B6\u05BC\u05DF\u05BE\u05D3\u05BC\u05B8\u05D5\u05B4\u05D3"), m("\u05D1\u05DF-\u05D3\u05D5\u05D3"));
  // Search text keeps the maqaf, as it always has (stored search text depends on it).
  EXPECT_EQ(normalize("\u05D1\u05DF\u05BE\u05D3\u05D5\u05D3"), "\u05D1\u05DF\u05BE\u05D3\u05D5\u05D3");
}

// Every code point on its own: the matching form is stable, the same from NFD and NFC, the same
// whether or not the text was normalized for search first, and well-formed with its offsets.
TEST(normalize_for_matching, EveryCodePointIsStableAndConsistent) {
  int failures = 0;
  for (char32_t cp = 1; cp <= 0x10FFFF && failures < 20; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string s = "x" + utf8(cp) + "y";
    const std::string once = m(s);
    const std::string twice = m(once);
    const std::string nfd = m(reference(s, false));
    const std::string nfc = m(reference(s, true));
    const std::string via_search = cp == '&' ? once : m(normalize(s));
    if (once != twice || once != nfd || once != nfc || once != via_search || !is_valid_utf8(once)) {
      ADD_FAILURE() << "U+" << std::hex << static_cast<unsigned>(cp) << ": once='" << once << "' twice='" << twice
                    << "' nfd='" << nfd << "' nfc='" << nfc << "' via search='" << via_search << "'";
      ++failures;
    }
  }
}

TEST(normalize_for_matching, OffsetsAreWellFormedOnRandomText) {
  std::mt19937 rng(15);
  const std::vector<std::string> pieces = {"Ka", "&shy;", "&#x43E;", "&amp;", "&", ";", "\u043E", "\u0131", "\u00DE",
                                           "\u05BE", "\u2800", " ", "-", "H0", "\u0646", "\u200C", "\xC3", "\u00E9", "&Kfr;"};
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s;
    for (int k = 0, len = static_cast<int>(rng() % 12); k < len; ++k) s += pieces[rng() % pieces.size()];
    const NormalizedText n = normalize_for_matching_with_offsets(s);
    ASSERT_EQ(n.text, m(s)) << s;
    ASSERT_EQ(n.text.size(), n.source_start.size());
    EXPECT_EQ(n.text.find("  "), std::string::npos) << s;
    if (!n.text.empty()) {
      EXPECT_NE(n.text.front(), ' ');
      EXPECT_NE(n.text.back(), ' ');
    }
    for (std::size_t i = 0; i < n.text.size(); ++i) {
      ASSERT_LT(n.source_start[i], n.source_end[i]) << s;
      ASSERT_LE(n.source_end[i], s.size()) << s;
      if (i > 0) {
        ASSERT_LE(n.source_start[i - 1], n.source_start[i]) << s;
      }
    }
  }
}

// ---- is_valid_utf8 ---------------------------------------------------------------------------

TEST(normalize_is_valid_utf8, AcceptsWellFormed) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII text that is longer than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("می\u200Cخواهم HOLLOWAY\u2019s \U0001F600"));
  EXPECT_TRUE(is_valid_utf8(bytes({0xC2, 0x80})));              // U+0080
  EXPECT_TRUE(is_valid_utf8(bytes({0xDF, 0xBF})));              // U+07FF
  EXPECT_TRUE(is_valid_utf8(bytes({0xE0, 0xA0, 0x80})));        // U+0800
  EXPECT_TRUE(is_valid_utf8(bytes({0xED, 0x9F, 0xBF})));        // U+D7FF
  EXPECT_TRUE(is_valid_utf8(bytes({0xEE, 0x80, 0x80})));        // U+E000
  EXPECT_TRUE(is_valid_utf8(bytes({0xEF, 0xBF, 0xBF})));        // U+FFFF
  EXPECT_TRUE(is_valid_utf8(bytes({0xF0, 0x90, 0x80, 0x80})));  // U+10000
  EXPECT_TRUE(is_valid_utf8(bytes({0xF4, 0x8F, 0xBF, 0xBF})));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8(std::string("nul\0inside", 10)));
}

TEST(normalize_is_valid_utf8, RejectsMalformed) {
  EXPECT_FALSE(is_valid_utf8(bytes({0x80})));                    // lone continuation
  EXPECT_FALSE(is_valid_utf8(bytes({0xBF})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xC0, 0xAF})));              // overlong '/'
  EXPECT_FALSE(is_valid_utf8(bytes({0xC1, 0xBF})));              // overlong
  EXPECT_FALSE(is_valid_utf8(bytes({0xE0, 0x80, 0xAF})));        // overlong 3-byte
  EXPECT_FALSE(is_valid_utf8(bytes({0xE0, 0x9F, 0xBF})));        // overlong U+07FF
  EXPECT_FALSE(is_valid_utf8(bytes({0xF0, 0x80, 0x80, 0xAF})));  // overlong 4-byte
  EXPECT_FALSE(is_valid_utf8(bytes({0xF0, 0x8F, 0xBF, 0xBF})));  // overlong U+FFFF
  EXPECT_FALSE(is_valid_utf8(bytes({0xED, 0xA0, 0x80})));        // U+D800
  EXPECT_FALSE(is_valid_utf8(bytes({0xED, 0xBF, 0xBF})));        // U+DFFF
  EXPECT_FALSE(is_valid_utf8(bytes({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80})));  // CESU-8 pair
  EXPECT_FALSE(is_valid_utf8(bytes({0xF4, 0x90, 0x80, 0x80})));  // U+110000
  EXPECT_FALSE(is_valid_utf8(bytes({0xF5, 0x80, 0x80, 0x80})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xF8, 0x88, 0x80, 0x80, 0x80})));  // 5-byte form
  EXPECT_FALSE(is_valid_utf8(bytes({0xFE})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xFF})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xC3})));                    // truncated
  EXPECT_FALSE(is_valid_utf8(bytes({0xE2, 0x80})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xF0, 0x9F, 0x98})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xE2, 0x80, 'a'})));         // continuation missing
  EXPECT_FALSE(is_valid_utf8("eight ok" + bytes({0xC3}) + "more ascii after"));
  EXPECT_FALSE(is_valid_utf8("abcdefghijklmnop" + bytes({0xC3, 0xA9, 0x80})));
}

TEST(normalize_is_valid_utf8, AgreesWithDecoderOnRandomInput) {
  std::mt19937 rng(7);
  for (int iter = 0; iter < 10000; ++iter) {
    std::string s;
    const int len = static_cast<int>(rng() % 16);
    for (int k = 0; k < len; ++k) s += static_cast<char>(rng() & 0xFF);
    // utf8proc_iterate is a strict decoder too; use it as the reference.
    bool ref_valid = true;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t pos = 0;
    const auto size = static_cast<utf8proc_ssize_t>(s.size());
    while (pos < size) {
      utf8proc_int32_t cp = 0;
      const utf8proc_ssize_t r = utf8proc_iterate(p + pos, size - pos, &cp);
      if (r <= 0) {
        ref_valid = false;
        break;
      }
      pos += r;
    }
    ASSERT_EQ(is_valid_utf8(s), ref_valid) << "iteration " << iter;
  }
}

}  // namespace
}  // namespace bc::core
