// An independent, deliberately naive leak check for the anonymizer tests. It shares no code
// with the matcher (text_normalizer.cpp, name_matcher.cpp) nor with the leak scanner
// (leak_scanner.cpp): its own folding (utf8proc NFKC case folding, then NFD with every mark
// dropped, invisible characters dropped and its own Arabic/Persian letter table), its own
// tokenizer (runs of letters and numbers) and a plain token-sequence search. Header-only so that
// the corpus and property tests can both use it.
#pragma once

#include <utf8proc.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bc::test::naive {

inline std::string utf8proc_apply(std::string_view s, utf8proc_uint8_t* (*fn)(const utf8proc_uint8_t*)) {
  const std::string copy(s);  // NUL-terminated
  utf8proc_uint8_t* out = fn(reinterpret_cast<const utf8proc_uint8_t*>(copy.c_str()));
  if (out == nullptr) return copy;
  std::string r(reinterpret_cast<const char*>(out));
  std::free(out);
  return r;
}

/// Canonical composition (NFC).
inline std::string nfc(std::string_view s) { return utf8proc_apply(s, utf8proc_NFC); }
/// NFKC with case folding (also drops default-ignorable characters such as ZWNJ).
inline std::string nfkc_casefold(std::string_view s) { return utf8proc_apply(s, utf8proc_NFKC_Casefold); }

inline void append_cp(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

/// The test's own letter table (the rules of docs/anonymization.md, written out again).
inline utf8proc_int32_t fold_letter(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x064A: case 0x0649: case 0x0626: return 0x06CC;                  // ي ى ئ -> ی
    case 0x0643: return 0x06A9;                                            // ك -> ک
    case 0x0629: case 0x06C0: case 0x06D5: return 0x0647;                  // ة ۀ ە -> ه
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: return 0x0627;     // آ أ إ ٱ -> ا
    case 0x0624: return 0x0648;                                            // ؤ -> و
    default: return cp;
  }
}

inline bool invisible(utf8proc_int32_t cp) {
  return cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0x0640 ||
         cp == 0x00AD || cp == 0x200B || cp == 0xFEFF || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/// Folded tokens: NFKC case fold, then NFD, marks and invisible characters dropped, letters
/// folded; a token is a run of letters and numbers.
inline std::vector<std::string> tokens(std::string_view text) {
  const std::string decomposed = utf8proc_apply(nfkc_casefold(text), utf8proc_NFD);
  std::vector<std::string> out;
  std::string cur;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(decomposed.data());
  utf8proc_ssize_t i = 0;
  const auto n = static_cast<utf8proc_ssize_t>(decomposed.size());
  while (i < n) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) {
      ++i;
      continue;
    }
    i += len;
    if (invisible(cp)) continue;
    const auto cat = utf8proc_category(cp);
    // Modifier-letter apostrophes and primes (ʼ ʻ ʹ ...) are apostrophes, not letters.
    if (cp >= 0x02B9 && cp <= 0x02BF) {
      if (!cur.empty()) {
        out.push_back(std::move(cur));
        cur.clear();
      }
      continue;
    }
    if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME) continue;
    const bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                      (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (word) {
      append_cp(cur, fold_letter(cp));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

inline std::string join(const std::vector<std::string>& t) {
  std::string s;
  for (const auto& w : t) s += (s.empty() ? "" : " ") + w;
  return s;
}

inline bool arabic_script(const std::string& token) {
  for (unsigned char c : token)
    if (c >= 0xD8 && c <= 0xDB) return true;
  return false;
}

/// Persian suffixes a name may carry (docs/anonymization.md), as this checker folds them.
inline const std::vector<std::string>& persian_suffixes() {
  static const std::vector<std::string> k = {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
                                             "ی",  "ای",  "یی",   "ام",   "ات",   "اش",   "مان",    "تان",    "شان",
                                             "یم", "یت",  "یش",   "م",    "ت",    "ش"};
  return k;
}

/// One form to look for, as tokens, with a label for messages.
struct Form {
  std::vector<std::string> tokens;
  std::string label;
};

inline std::optional<Form> form(std::string_view text, std::string label) {
  auto t = tokens(text);
  if (t.empty() || (t.size() == 1 && t[0].size() < 2)) return std::nullopt;
  return Form{std::move(t), std::move(label)};
}

inline bool token_match(const std::string& text_token, const std::string& form_token, bool last) {
  if (text_token == form_token) return true;
  if (!last || !arabic_script(form_token) || text_token.size() <= form_token.size() ||
      text_token.compare(0, form_token.size(), form_token) != 0)
    return false;
  const std::string rest = text_token.substr(form_token.size());
  for (const auto& s : persian_suffixes())
    if (rest == s) return true;
  return false;
}

inline bool sequence_at(const std::vector<std::string>& text, std::size_t i, const std::vector<std::string>& f) {
  if (i + f.size() > text.size()) return false;
  for (std::size_t k = 0; k < f.size(); ++k)
    if (!token_match(text[i + k], f[k], k + 1 == f.size())) return false;
  return true;
}

/// Every protected form found in `text` as whole words, except inside a longer allowed form.
inline std::vector<std::string> leaks(std::string_view text, const std::vector<Form>& protected_forms,
                                      const std::vector<Form>& allowed) {
  const auto t = tokens(text);
  std::vector<std::pair<std::size_t, std::size_t>> shields;
  for (std::size_t i = 0; i < t.size(); ++i)
    for (const auto& a : allowed)
      if (sequence_at(t, i, a.tokens)) shields.push_back({i, i + a.tokens.size()});
  std::vector<std::string> found;
  for (std::size_t i = 0; i < t.size(); ++i)
    for (const auto& f : protected_forms) {
      if (!sequence_at(t, i, f.tokens)) continue;
      bool shielded = false;
      for (auto [b, e] : shields)
        if (b <= i && i + f.tokens.size() <= e && e - b > f.tokens.size()) shielded = true;
      if (!shielded) found.push_back(f.label + " (\"" + join(f.tokens) + "\" at token " + std::to_string(i) + ")");
    }
  return found;
}

/// Markdown as a reader sees it: backslash escapes removed, list continuation indents removed.
inline std::string markdown_visible(std::string_view md) {
  std::string out;
  for (std::size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '\\' && i + 1 < md.size() && std::string_view("\\`*_[]<>#|&").find(md[i + 1]) != std::string_view::npos) {
      out += md[++i];
      continue;
    }
    out += md[i];
    if (md[i] == '\n' && md.compare(i + 1, 2, "  ") == 0) i += 2;
  }
  return out;
}

/// HTML as a reader sees it: tags removed (<br> is a line break), the entities the renderer
/// writes decoded.
inline std::string html_visible(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i < h.size();) {
    if (h[i] == '<') {
      const auto close = h.find('>', i);
      out += h.compare(i, 4, "<br>") == 0 ? "\n" : " ";
      i = close == std::string_view::npos ? h.size() : close + 1;
      continue;
    }
    if (h[i] == '&') {
      static const std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}};
      bool done = false;
      for (auto [e, c] : kEntities)
        if (h.compare(i, e.size(), e) == 0) {
          out += c;
          i += e.size();
          done = true;
          break;
        }
      if (done) continue;
    }
    out += h[i++];
  }
  return out;
}

}  // namespace bc::test::naive
