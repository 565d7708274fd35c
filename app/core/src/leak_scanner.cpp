// The independent leak scanner. Deliberately shares no code with text_normalizer.cpp or
// name_matcher.cpp: a bug in one should not be a bug in the other.
#include "backchannel/core/leak_scanner.h"

#include <utf8proc.h>

#include <cstdlib>
#include <set>
#include <unordered_map>

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
};

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
      utf8proc_uint8_t buf[4];
      const auto w = utf8proc_encode_char(fold(cp), buf);
      cur.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(w));
    } else {
      flush();
    }
  };
  const auto opts = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                   UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPMARK);
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      // ASCII needs no Unicode tables: fold case and split here.
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) cur += static_cast<char>(c);
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
      forms.push_back({{last}, owner});
      for (const std::string& h : {first.substr(0, 1) + last, first + last, last + first, last + first.substr(0, 1)})
        forms.push_back({{h}, owner});
    }
    // A name or alias with each zero-width non-joiner typed as a space ("صالحی نیا" for
    // "صالحی‌نیا"), and its last word spelt that way.
    auto zwnj_as_space = [&](const std::string& s) {
      const std::string zwnj = "\u200c";
      if (s.find(zwnj) == std::string::npos) return;
      auto spaced = [&](std::string x) {
        for (std::size_t pos = x.find(zwnj); pos != std::string::npos; pos = x.find(zwnj, pos + 1)) x.replace(pos, zwnj.size(), " ");
        return x;
      };
      add(spaced(s), owner);
      const std::size_t last_space = s.find_last_of(' ');
      if (leak_scan_tokens(s).size() >= 2 && last_space != std::string::npos) add(spaced(s.substr(last_space + 1)), owner);
    };
    zwnj_as_space(p.name);
    for (const auto& a : p.aliases) {
      add(a, owner);
      const Tokens at = leak_scan_tokens(a);
      if (at.size() >= 2 && is_arabic_script(at.back())) forms.push_back({{at.back()}, owner});
      zwnj_as_space(a);
    }
    for (const auto& x : p.extra_forms) add(x, owner);
    if (p.affiliation && public_terms.count(leak_scan_tokens(*p.affiliation)) == 0) add(*p.affiliation, owner);
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
        if (seen.insert({form.owner, region.note_id}).second)
          leaks.push_back({form.owner >= 0 ? input.protected_participants[form.owner].key : std::string("location"), region.note_id});
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
