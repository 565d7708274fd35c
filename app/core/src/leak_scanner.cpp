// The independent leak scanner. Deliberately shares no code with text_normalizer.cpp or
// name_matcher.cpp: a bug in one should not be a bug in the other.
#include "backchannel/core/leak_scanner.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <utf8proc.h>

#include <algorithm>
#include <bitset>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "backchannel/core/html_entities.h"
#include "confusables.h"

namespace bc::core {

namespace {

// The scanner's own letter folding, applied after utf8proc's compatibility case folding.
std::int32_t fold(std::int32_t cp) {
  switch (cp) {
    case 0x064A: case 0x0649: case 0x0626: case 0x06D0: return 0x06CC;  // yeh forms -> Persian yeh
    case 0x0643: case 0x06AA: return 0x06A9;                            // kaf forms -> keheh
    case 0x0629: case 0x06C0: case 0x06C1: case 0x06D5: return 0x0647;  // teh marbuta, heh forms -> heh
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673: return 0x0627;  // alef forms
    case 0x0624: return 0x0648;                                         // waw with hamza -> waw
    default: break;
  }
  if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);  // Arabic-Indic digits
  if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);  // Persian digits
  return cp;
}

// Character references, decoded once as a CommonMark viewer decodes them ("Ka&shy;therine" is
// "Katherine" to a reader): &name; from the HTML list, &#digits; (1-7), &#xhex; (1-6).
std::string decode_references(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t amp = text.find('&', i);
    out.append(text.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i));
    if (amp == std::string_view::npos) break;
    i = amp + 1;
    const std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > kLongestHtmlReferenceName + 2) {
      out += '&';
      continue;
    }
    const std::string_view body = text.substr(i, semi - i);
    auto all = [&](std::string_view s, bool hex) {
      return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
        return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      });
    };
    std::string decoded;
    auto scalar = [&](long v) {  // 0, a surrogate or beyond Unicode stands for U+FFFD
      utf8proc_uint8_t buf[4];
      const bool ok = v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
      decoded.assign(reinterpret_cast<const char*>(buf),
                     static_cast<std::size_t>(utf8proc_encode_char(ok ? static_cast<utf8proc_int32_t>(v) : 0xFFFD, buf)));
    };
    if (body.size() >= 3 && body.size() <= 8 && body[0] == '#' && (body[1] == 'x' || body[1] == 'X') &&
        all(body.substr(2), true)) {
      scalar(std::strtol(std::string(body.substr(2)).c_str(), nullptr, 16));
    } else if (body.size() >= 2 && body.size() <= 8 && body[0] == '#' && all(body.substr(1), false)) {
      scalar(std::strtol(std::string(body.substr(1)).c_str(), nullptr, 10));
    } else if (!body.empty() && std::all_of(body.begin(), body.end(), [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
               })) {
      decoded = std::string(html_named_reference(body));
    }
    if (decoded.empty()) {
      out += '&';
      continue;
    }
    out += decoded;
    i = semi + 1;
  }
  return out;
}

// Latin letters that compatibility folding leaves apart from the ASCII letters they are written
// as (the scanner's own table of the rule in docs/anonymization.md).
const std::unordered_map<std::int32_t, std::string>& latin_letters() {
  static const std::unordered_map<std::int32_t, std::string> k = {
      {0x0131, "i"}, {0x00F8, "o"}, {0x0142, "l"}, {0x0111, "d"}, {0x00F0, "d"}, {0x0127, "h"},
      {0x0167, "t"}, {0x0138, "k"}, {0x00E6, "ae"}, {0x0153, "oe"}, {0x00FE, "th"}, {0x00DF, "ss"}};
  return k;
}

bool letter_or_digit(std::int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// A code point as the scanner folds it: letters of other scripts that look like Latin ones
// become those (UTS 39 skeletons from ICU, mapped again: the letter's own skeleton when it is
// plain ASCII, else its capital's when that is, else its own if it holds only letters and
// digits), Latin letters without a decomposition their ASCII spelling, 0 and 1 the letters o and
// l. Arabic-script letters keep the scanner's own Arabic/Persian table. Cached per thread.
std::string scan_fold(std::int32_t cp, int depth = 4) {
  thread_local std::unordered_map<std::int32_t, std::string> cache;
  if (depth == 4)
    if (auto it = cache.find(cp); it != cache.end()) return it->second;
  std::string out;
  auto put = [&](std::int32_t c) {
    utf8proc_uint8_t buf[4];
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(utf8proc_encode_char(c, buf)));
  };
  // The scanner's mapping of a string (compatibility composition, case folding, marks and
  // ignorables removed, its Arabic table), as code points.
  auto mapped = [](const std::u16string& s) {
    std::string u8;
    for (std::size_t i = 0; i < s.size();) {
      UChar32 c;
      U16_NEXT(s.data(), i, s.size(), c);
      utf8proc_uint8_t buf[4];
      u8.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(utf8proc_encode_char(c, buf)));
    }
    std::vector<std::int32_t> cps;
    utf8proc_uint8_t* m = nullptr;
    const auto opts = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPMARK);
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(u8.data()), static_cast<utf8proc_ssize_t>(u8.size()), &m, opts);
    for (utf8proc_ssize_t k = 0; k < n;) {
      utf8proc_int32_t c;
      const utf8proc_ssize_t len = utf8proc_iterate(m + k, n - k, &c);
      if (len <= 0) break;
      k += len;
      cps.push_back(fold(c));
    }
    std::free(m);
    return cps;
  };
  auto skeleton = [&](std::int32_t c) { return mapped(confusable_skeleton(c)); };
  auto plain = [](const std::vector<std::int32_t>& v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](std::int32_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
  };
  UErrorCode status = U_ZERO_ERROR;
  if (cp == '0') {
    out = "o";
  } else if (cp == '1') {
    out = "l";
  } else if (cp < 0x80) {
    out.assign(1, static_cast<char>(cp));
  } else if (auto l = latin_letters().find(cp); l != latin_letters().end()) {
    out = l->second;
  } else if (depth == 0 || !letter_or_digit(cp) || uscript_getScript(cp, &status) == USCRIPT_ARABIC) {
    put(cp);
  } else {
    std::vector<std::int32_t> letters = skeleton(cp);
    if (letters == std::vector<std::int32_t>{'r', 'n'}) letters = {'m'};  // the skeleton of "m" itself
    if (!plain(letters)) {
      const std::int32_t capital = u_toupper(cp);
      std::vector<std::int32_t> of_capital = capital != cp ? skeleton(capital) : std::vector<std::int32_t>{};
      if (plain(of_capital)) letters = std::move(of_capital);
      else if (letters.empty() || !std::all_of(letters.begin(), letters.end(), letter_or_digit)) letters = {cp};
    }
    if (letters == std::vector<std::int32_t>{cp}) put(cp);
    else
      for (std::int32_t c : letters) out += scan_fold(c, depth - 1);
  }
  // Nothing is cached while ICU's data fails (confusables.h): summaries are blocked meanwhile.
  if (depth == 4 && !confusable_data_failed()) cache.emplace(cp, out);
  return out;
}

// A word (a run of letters, digits and marks, through invisible characters other than the
// zero-width non-joiner, which Persian writes between a Latin replacement and its suffix; the
// modifier-letter apostrophes end it, as they end a token) whose
// letters belong to no one script (UTS 39's resolved script set is empty, with Han, Hiragana,
// Katakana, Hangul and Bopomofo counted as the writing systems they form) may be a name spelled
// with look-alike letters that no skeleton covers: the scan fails closed on it.
bool has_mixed_script_word(std::string_view text) {
  static const int kScripts = u_getIntPropertyMaxValue(UCHAR_SCRIPT) + 1;
  using Set = std::bitset<512>;
  if (kScripts > 512) {  // an ICU with more scripts than this scanner knows: fail closed
    record_confusable_failure();
    return true;
  }
  // What a reader sees: "H&#x43E;lloway" is a word of two scripts.
  std::string decoded;
  if (text.find('&') != std::string_view::npos) {
    decoded = decode_references(text);
    text = decoded;
  }
  Set word;
  bool any = false;
  auto end_word = [&] { any = false; };
  static const Set kLatin = Set().set(USCRIPT_LATIN);
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {  // ASCII: a Latin letter, a digit (any script) or the end of a word
      ++i;
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
        word = any ? (word & kLatin) : kLatin;
        any = true;
        if (word.none()) return true;
      } else if (c < '0' || c > '9') {
        end_word();
      }
      continue;
    }
    utf8proc_int32_t cp;
    const utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                                  static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) {  // not UTF-8: the tokenizer keeps such bytes in the token; nothing to resolve
      ++i;
      continue;
    }
    i += static_cast<std::size_t>(len);
    const auto cat = utf8proc_category(cp);
    const bool mark = cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
    // Modifier-letter apostrophes (ʻ ʼ) end a word here as in the tokenizer: "شرکت‌کنندگانʼs".
    if ((!letter_or_digit(cp) && !mark) || cp == 0x02BB || cp == 0x02BC) {
      if (cp == 0x200C || !u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) end_word();
      continue;
    }
    UScriptCode codes[32];
    UErrorCode status = U_ZERO_ERROR;
    const int n = uscript_getScriptExtensions(cp, codes, 32, &status);
    if (U_FAILURE(status) || n <= 0) continue;
    Set scripts;
    bool common = false;
    for (int k = 0; k < n; ++k) {
      const UScriptCode sc = codes[k];
      if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) common = true;
      if (sc < 0 || sc >= kScripts) continue;
      scripts.set(static_cast<std::size_t>(sc));
      if (sc == USCRIPT_HAN) {
        scripts.set(USCRIPT_HAN_WITH_BOPOMOFO).set(USCRIPT_JAPANESE).set(USCRIPT_KOREAN);
      } else if (sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA) {
        scripts.set(USCRIPT_JAPANESE);
      } else if (sc == USCRIPT_HANGUL) {
        scripts.set(USCRIPT_KOREAN);
      } else if (sc == USCRIPT_BOPOMOFO) {
        scripts.set(USCRIPT_HAN_WITH_BOPOMOFO);
      }
    }
    if (common && n == 1) continue;  // Common and Inherited belong to every script
    word = any ? (word & scripts) : scripts;
    any = true;
    if (word.none()) return true;
  }
  return false;
}

bool is_token_char(std::int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
      return cp != 0x0640;  // tatweel is a letter-modifier in Unicode but only stretches a word
    default:
      return false;
  }
}

bool is_arabic_script(const std::string& token) {
  for (unsigned char c : token)
    if (c >= 0xD8 && c <= 0xDB) return true;
  return false;
}

// Persian suffixes a name may carry (the scanner's own list, folded as the scanner folds).
const std::vector<std::string>& suffixes() {
  static const std::vector<std::string> kSuffixes = {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان",
                                                     "هایشان", "ی", "ای", "یی", "ام", "ات", "اش", "مان", "تان",
                                                     "شان", "یم", "یت", "یش", "م", "ت", "ش"};
  return kSuffixes;
}

using Tokens = std::vector<std::string>;

struct Form {
  Tokens tokens;
  int owner;  // index into protected_participants; -1 = location
  // A given name standing alone: in Latin script not a leak just before a capitalized word, which
  // makes it part of someone else's full name ("Abbas Kiarostami").
  bool given_name = false;
};

// One word of a region as written, before any folding: where it starts and ends, and whether it
// starts with a capital letter. The scanner's tokens come from folded text; these come from the
// original, so that the case of a word is known. The two are compared before this is trusted.
struct RawWord {
  std::size_t begin, end;
  bool capitalized;
};

bool is_raw_word_char(std::int32_t cp) {
  if (cp == 0x02BB || cp == 0x02BC) return false;
  return is_token_char(cp) || cp == 0x0640;
}

bool is_space_char(std::int32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x85) return true;
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

std::vector<RawWord> raw_words(std::string_view text) {
  std::vector<RawWord> out;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size();) {
    utf8proc_int32_t cp;
    auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) {
      len = 1;
      cp = -1;
    }
    const bool word = cp >= 0 && is_raw_word_char(cp);
    if (word && !in_word) {
      const auto cat = utf8proc_category(cp);
      out.push_back({i, i, cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT});
    }
    if (word) out.back().end = i + static_cast<std::size_t>(len);
    in_word = word;
    i += static_cast<std::size_t>(len);
  }
  return out;
}

// Is token `i` of `text` followed, after white space only, by a word that starts with a capital
// letter? Read from the region as written; when its words do not line up with the tokens (folding
// joined or split one), the answer is no: the form then counts, failing closed.
bool capitalized_word_follows(std::string_view region, const Tokens& text, std::size_t i,
                              std::optional<std::vector<RawWord>>& words) {
  if (i + 1 >= text.size()) return false;
  if (!words) words = raw_words(region);
  if (words->size() != text.size()) return false;
  const RawWord& a = (*words)[i];
  const RawWord& b = (*words)[i + 1];
  if (leak_scan_tokens(region.substr(a.begin, a.end - a.begin)) != Tokens{text[i]} ||
      leak_scan_tokens(region.substr(b.begin, b.end - b.begin)) != Tokens{text[i + 1]})
    return false;
  if (b.begin == a.end) return false;
  for (std::size_t k = a.end; k < b.begin;) {
    utf8proc_int32_t cp;
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(region.data() + k),
                                      static_cast<utf8proc_ssize_t>(b.begin - k), &cp);
    if (len <= 0) return false;
    const auto cat = utf8proc_category(cp);
    // Marks on the last letter belong to the word.
    if (!is_space_char(cp) && cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_MC && cat != UTF8PROC_CATEGORY_ME)
      return false;
    k += static_cast<std::size_t>(len);
  }
  return b.capitalized;
}
// The owner of a hit that is a word mixing scripts, not a form.
constexpr int kMixedScript = -2;

// Does text token `t` match form token `f`? Exactly, or (for the last token of a form in
// Persian/Arabic script) followed by a Persian suffix.
bool token_matches(const std::string& t, const std::string& f, bool last) {
  if (t == f) return true;
  if (!last || t.size() <= f.size() || t.compare(0, f.size(), f) != 0 || !is_arabic_script(f)) return false;
  const std::string rest = t.substr(f.size());
  for (const auto& s : suffixes())
    if (rest == s) return true;
  return false;
}

bool sequence_at(const Tokens& text, std::size_t i, const Tokens& form) {
  if (i + form.size() > text.size()) return false;
  for (std::size_t k = 0; k < form.size(); ++k)
    if (!token_matches(text[i + k], form[k], k + 1 == form.size())) return false;
  return true;
}

}  // namespace

std::vector<std::string> leak_scan_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) {
      tokens.push_back(std::move(cur));
      cur.clear();
    }
  };
  auto add_code_point = [&](utf8proc_int32_t cp) {
    if (cp == 0x0640) return;  // tatweel: inside a word, not a separator
    // Modifier-letter apostrophes (ʼ ʻ) are letters to Unicode but apostrophes in names: a
    // possessive "Hollowayʼs" must give the token "holloway".
    if (is_token_char(cp) && cp != 0x02BB && cp != 0x02BC) {
      const std::int32_t f = fold(cp);
      if (f >= 0x0600 && f <= 0x06FF) {  // the Arabic block: its own table only, no skeleton
        utf8proc_uint8_t buf[4];
        cur.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(utf8proc_encode_char(f, buf)));
      } else {
        cur += scan_fold(f);
      }
    } else {
      flush();
    }
  };
  const auto opts = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                   UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPMARK);
  // What a reader sees: character references decoded.
  std::string decoded;
  if (text.find('&') != std::string_view::npos) {
    decoded = decode_references(text);
    text = decoded;
  }
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      // ASCII needs no Unicode tables: fold case and split here; 0 and 1 read as o and l.
      if (c == '0' || c == '1') cur += c == '0' ? 'o' : 'l';
      else if ((c >= 'a' && c <= 'z') || (c >= '2' && c <= '9')) cur += static_cast<char>(c);
      else if (c >= 'A' && c <= 'Z') cur += static_cast<char>(c + 32);
      else flush();
      ++i;
      continue;
    }
    // A run of non-ASCII bytes goes through utf8proc as a whole (compatibility composition,
    // case folding, marks and ignorables removed).
    std::size_t j = i;
    while (j < text.size() && static_cast<unsigned char>(text[j]) >= 0x80) ++j;
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                            static_cast<utf8proc_ssize_t>(j - i), &mapped, opts);
    if (n < 0) {
      // Not valid UTF-8: keep the bytes in the token so that nothing slips through unscanned.
      cur.append(text.data() + i, j - i);
    } else {
      for (utf8proc_ssize_t k = 0; k < n;) {
        utf8proc_int32_t cp;
        const utf8proc_ssize_t len = utf8proc_iterate(mapped + k, n - k, &cp);
        if (len <= 0) break;
        k += len;
        add_code_point(cp);
      }
    }
    std::free(mapped);
    i = j;
  }
  flush();
  return tokens;
}

std::vector<Leak> scan_for_leaks(const LeakScanInput& input, const std::vector<ScanRegion>& regions) {
  // Forms straight from the records: full name, family name (last word), each alias, the
  // affiliation unless it is a public term, handles built from the name, extra spellings.
  std::vector<Form> forms;
  std::set<Tokens> public_terms;
  for (const auto& t : input.public_terms) public_terms.insert(leak_scan_tokens(t));
  auto add = [&](const std::string& text, int owner) {
    Tokens t = leak_scan_tokens(text);
    if (t.empty() || (t.size() == 1 && t[0].size() < 2)) return;
    forms.push_back({std::move(t), owner});
  };
  for (std::size_t i = 0; i < input.protected_participants.size(); ++i) {
    const auto& p = input.protected_participants[i];
    const int owner = static_cast<int>(i);
    const Tokens name = leak_scan_tokens(p.name);
    add(p.name, owner);
    // The organizer's rulings on short forms of the name, by token sequence.
    std::map<Tokens, ShortFormUse> rulings;
    for (const auto& r : p.name_rulings)
      if (r.of == ShortFormOf::name) rulings[leak_scan_tokens(r.form)] = r.use;
    auto ruled = [&](const Tokens& t) -> std::optional<ShortFormUse> {
      auto it = rulings.find(t);
      return it == rulings.end() ? std::nullopt : std::optional<ShortFormUse>(it->second);
    };
    std::set<Tokens> short_forms;  // the derived ones, each added once
    // A word of the name standing alone: the family name everywhere; another word (a given name
    // after an honorific: "Haj Abbas") everywhere in a script without case, and in Latin script
    // not just before a capitalized word. A ruling decides instead where there is one.
    auto add_short_form = [&](const std::string& token, bool family, bool zwnj_spelled, const std::string& raw_last) {
      if (token.size() < 2 || !short_forms.insert({token}).second) return;
      const auto rule = ruled({token});
      if (rule == ShortFormUse::not_alone) return;
      const bool given = !family && !is_arabic_script(token) && rule != ShortFormUse::alone;
      forms.push_back({{token}, owner, given});
      // With its zero-width non-joiner typed as a space ("صالحی نیا").
      if (zwnj_spelled) {
        std::string spaced = raw_last;
        const std::string zwnj = "\u200c";
        for (std::size_t pos = spaced.find(zwnj); pos != std::string::npos; pos = spaced.find(zwnj, pos + 1))
          spaced.replace(pos, zwnj.size(), " ");
        Tokens t = leak_scan_tokens(spaced);
        if (!t.empty()) forms.push_back({std::move(t), owner, false});
      }
    };
    auto last_word = [](const std::string& s) {
      const std::size_t sp = s.find_last_of(" \t\n");
      return sp == std::string::npos ? s : s.substr(sp + 1);
    };
    std::string family;
    if (name.size() >= 2) {
      // "Holloway, Katherine" names the family first; generational suffixes are not family names.
      std::string first = name.front(), last = name.back();
      if (const auto comma = p.name.find(','); comma != std::string::npos) {
        const Tokens before = leak_scan_tokens(p.name.substr(0, comma));
        const Tokens after = leak_scan_tokens(p.name.substr(comma + 1));
        if (!before.empty() && !after.empty()) {
          last = before.back();
          first = after.front();
        }
      } else {
        std::size_t end = name.size();
        static const std::set<std::string> kGenerations = {"jr", "sr", "ii", "iii", "iv", "phd", "md"};
        while (end > 2 && kGenerations.count(name[end - 1]) != 0) --end;
        last = name[end - 1];
      }
      family = last;
      const std::string raw_last = last_word(p.name);
      add_short_form(last, true, raw_last.find("\u200c") != std::string::npos && name.back() == last, raw_last);
      for (const std::string& h : {first.substr(0, 1) + last, first + last, last + first, last + first.substr(0, 1)})
        forms.push_back({{h}, owner});
    }
    // A name or alias with each zero-width non-joiner typed as a space ("صالحی نیا" for
    // "صالحی‌نیا").
    auto zwnj_as_space = [&](const std::string& s) {
      const std::string zwnj = "\u200c";
      if (s.find(zwnj) == std::string::npos) return;
      std::string x = s;
      for (std::size_t pos = x.find(zwnj); pos != std::string::npos; pos = x.find(zwnj, pos + 1)) x.replace(pos, zwnj.size(), " ");
      add(x, owner);
    };
    zwnj_as_space(p.name);
    for (const auto& a : p.aliases) {
      add(a, owner);
      const Tokens at = leak_scan_tokens(a);
      const std::string raw_last = last_word(a);
      if (at.size() >= 2)
        add_short_form(at.back(), at.back() == family, raw_last.find("\u200c") != std::string::npos, raw_last);
      zwnj_as_space(a);
    }
    // Forms that are short forms only by the organizer's ruling.
    for (const auto& [t, use] : rulings)
      if (use == ShortFormUse::alone && !t.empty() && short_forms.count(t) == 0) forms.push_back({t, owner, false});
    for (const auto& x : p.extra_forms) add(x, owner);
    if (p.affiliation && public_terms.count(leak_scan_tokens(*p.affiliation)) == 0) add(*p.affiliation, owner);
    for (const auto& x : p.affiliation_forms)
      if (public_terms.count(leak_scan_tokens(x)) == 0) add(x, owner);
  }
  if (input.hidden_location) add(*input.hidden_location, -1);
  std::vector<Tokens> allowed;
  std::unordered_map<std::string, std::vector<std::size_t>> allowed_by_first;
  for (const auto& a : input.allowed_forms) {
    Tokens t = leak_scan_tokens(a);
    if (t.empty()) continue;
    allowed_by_first[t.front()].push_back(allowed.size());
    allowed.push_back(std::move(t));
  }
  // Index the forms by their first token (and, for Persian single-token forms, the scan also
  // tries every text token with a suffix removed).
  std::unordered_map<std::string, std::vector<std::size_t>> by_first;
  for (std::size_t f = 0; f < forms.size(); ++f) by_first[forms[f].tokens.front()].push_back(f);

  // A hit: whose form, in which note. Reported once per pair, at its first region.
  using Hit = std::pair<int, std::optional<std::int64_t>>;
  std::set<Hit> seen;
  std::vector<Leak> leaks;
  for (const ScanRegion& region : regions) {
    const Tokens text = leak_scan_tokens(region.text);
    std::optional<std::vector<RawWord>> words;  // the region's words as written, when needed
    if (has_mixed_script_word(region.text) && seen.insert({kMixedScript, region.note_id}).second)
      leaks.push_back({std::string(), region.note_id, LeakKind::mixed_script});
    // Token intervals covered by allowed forms ("Ulysses Grant" shields its "Grant").
    std::vector<std::pair<std::size_t, std::size_t>> shields;
    for (std::size_t i = 0; i < text.size(); ++i) {
      auto it = allowed_by_first.find(text[i]);
      if (it == allowed_by_first.end()) continue;
      for (std::size_t a : it->second)
        if (sequence_at(text, i, allowed[a])) shields.push_back({i, i + allowed[a].size()});
    }
    // The forms that may start at token i, looked up by `key`: the token itself, then (Persian
    // and Arabic script) the token without each suffix it ends with.
    auto try_forms = [&](std::size_t i, const std::string& key) {
      auto it = by_first.find(key);
      if (it == by_first.end()) return;
      for (std::size_t f : it->second) {
        const Form& form = forms[f];
        if (!sequence_at(text, i, form.tokens)) continue;
        const std::size_t end = i + form.tokens.size();
        bool shielded = false;
        for (auto [sb, se] : shields)
          if (sb <= i && end <= se && (se - sb) > form.tokens.size()) shielded = true;
        if (shielded) continue;
        if (form.given_name && capitalized_word_follows(region.text, text, i, words)) continue;
        if (seen.insert({form.owner, region.note_id}).second)
          leaks.push_back({form.owner >= 0 ? input.protected_participants[form.owner].key : std::string("location"), region.note_id,
                           LeakKind::protected_form});
      }
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
      const std::string& token = text[i];
      try_forms(i, token);
      if (!is_arabic_script(token)) continue;
      for (const auto& s : suffixes())
        if (token.size() > s.size() && token.compare(token.size() - s.size(), s.size(), s) == 0)
          try_forms(i, token.substr(0, token.size() - s.size()));
    }
  }
  return leaks;
}

}  // namespace bc::core
