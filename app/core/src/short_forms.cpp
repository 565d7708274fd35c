#include "backchannel/core/short_forms.h"

#include <utf8proc.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/transliteration.h"

namespace bc::core {

extern const char kEnglishLowercaseWords[];

namespace {

std::vector<std::string> split(const std::string& s, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find_first_of(separators, start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool has_arabic_script(const std::string& s) {
  // U+0600..U+077F are encoded with lead bytes 0xD8..0xDD.
  for (unsigned char c : s)
    if (c >= 0xD8 && c <= 0xDD) return true;
  return false;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

constexpr std::string_view kZwnj = "\u200c";

std::string zwnj_as_space(std::string s) {
  for (std::size_t pos = s.find(kZwnj); pos != std::string::npos; pos = s.find(kZwnj, pos + 1))
    s.replace(pos, kZwnj.size(), " ");
  return s;
}

// The words of an affiliation that say what kind of body it is, not which: dropped before its short
// forms are taken (normalized).
const std::set<std::string>& generic_words() {
  static const std::set<std::string> kWords = [] {
    std::set<std::string> out;
    for (const char* w : {"center", "centre", "institute", "institution", "university", "ministry", "council", "of", "for",
                          "the", "on", "at", "in", "a", "an", "دانشگاه", "وزارت", "وزارتخانه", "مرکز", "موسسه", "مؤسسه",
                          "پژوهشکده", "پژوهشگاه", "شورا", "شورای"})
      out.insert(normalize(w));
    return out;
  }();
  return kWords;
}

bool is_conjunction(const std::string& normalized) { return normalized == "and" || normalized == "&" || normalized == "و"; }

const std::unordered_set<std::string_view>& english_lowercase_words() {
  static const std::unordered_set<std::string_view> kWords = [] {
    std::unordered_set<std::string_view> out;
    const std::string_view all(kEnglishLowercaseWords);
    out.reserve(70000);
    std::size_t start = 0;
    while (start < all.size()) {
      std::size_t end = all.find('\n', start);
      if (end == std::string_view::npos) end = all.size();
      if (end > start) out.insert(all.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }();
  return kWords;
}

// Trims what surrounds a word of an affiliation: brackets, quotation marks, commas. Sets `opens`
// or `closes` when such a character cuts the affiliation before or after the word. A full stop
// stays where the word has another one ("U.S."), and goes otherwise ("Inc." -> "Inc").
std::string trimmed_word(const std::string& raw, bool* opens, bool* closes) {
  static constexpr std::string_view kOpen = "([{\"'";
  static constexpr std::string_view kClose = ")]}\"',;:";
  std::size_t b = 0, e = raw.size();
  *opens = *closes = false;
  auto strip_prefix = [&](std::string_view p) { return raw.compare(b, p.size(), p) == 0 ? p.size() : 0; };
  auto strip_suffix = [&](std::string_view p) {
    return e - b >= p.size() && raw.compare(e - p.size(), p.size(), p) == 0 ? p.size() : 0;
  };
  for (bool again = true; again && b < e;) {
    again = false;
    if (kOpen.find(raw[b]) != std::string_view::npos) { ++b; *opens = again = true; continue; }
    for (std::string_view q : {"\u201c", "\u2018", "\u00ab"})
      if (const std::size_t n = strip_prefix(q)) { b += n; *opens = again = true; break; }
  }
  for (bool again = true; again && e > b;) {
    again = false;
    if (kClose.find(raw[e - 1]) != std::string_view::npos) { --e; *closes = again = true; continue; }
    for (std::string_view q : {"\u201d", "\u2019", "\u00bb", "\u060c"})
      if (const std::size_t n = strip_suffix(q)) { e -= n; *closes = again = true; break; }
  }
  std::string w = raw.substr(b, e - b);
  if (!w.empty() && w.back() == '.' && w.find('.') == w.size() - 1) w.pop_back();
  return w;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The word as written whose normalized form (without a trailing comma) is `normalized`.
std::string as_written(const std::string& text, const std::string& normalized) {
  for (const auto& raw : split(text, " \t\n")) {
    std::string n = normalize(raw);
    if (!n.empty() && n.back() == ',') n.pop_back();
    if (n == normalized) return raw.back() == ',' ? raw.substr(0, raw.size() - 1) : raw;
  }
  return normalized;
}

}  // namespace

const std::vector<std::string>& demonyms_of(const std::string& normalized_delegation) {
  static const std::map<std::string, std::vector<std::string>> kDemonyms = {
      {"united states", {"u.s.", "us", "american", "america", "usa", "u.s.a."}},
      {"iran", {"iranian", "persian"}},
      {"united kingdom", {"british", "uk", "u.k.", "britain"}},
      {"sweden", {"swedish"}},
      {"norway", {"norwegian"}},
      {"switzerland", {"swiss"}},
      {"canada", {"canadian"}},
      {"united nations", {"un", "u.n."}},
      {"russia", {"russian"}},
      {"china", {"chinese"}},
      {"france", {"french"}},
      {"germany", {"german"}},
      {"israel", {"israeli"}},
      {"saudi arabia", {"saudi"}},
      {"iraq", {"iraqi"}},
      {"oman", {"omani"}},
      {"qatar", {"qatari"}},
      {"european union", {"eu", "e.u.", "european"}},
  };
  static const std::vector<std::string> kNone;
  const auto it = kDemonyms.find(normalized_delegation);
  return it == kDemonyms.end() ? kNone : it->second;
}

std::pair<std::string, std::string> given_and_family_name(const std::string& normalized_name) {
  static const std::set<std::string> kSuffixes = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md"};
  std::vector<std::string> w = split(normalized_name, " ");
  for (std::size_t i = 0; i + 1 < w.size(); ++i)
    if (w[i].size() > 1 && w[i].back() == ',') return {w[i + 1], w[i].substr(0, w[i].size() - 1)};
  while (w.size() > 2 && kSuffixes.count(w.back()) != 0) w.pop_back();
  if (!w.empty() && w.back().size() > 1 && w.back().back() == ',') w.back().pop_back();
  if (w.empty()) return {};
  return {w.front(), w.back()};
}

bool is_proper_noun(std::string_view word) {
  if (word.empty()) return false;
  // The first letter must be a capital (Latin script: scripts without case have no proper-noun mark).
  utf8proc_int32_t first = 0;
  if (utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(word.data()), static_cast<utf8proc_ssize_t>(word.size()),
                       &first) <= 0)
    return false;
  const auto cat = utf8proc_category(first);
  if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LT) return false;
  const std::string n = normalize(word);
  if (n.size() < 3 || !is_ascii(n)) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || c == '\'' || c == '.' || c == ' ')) return false;
  std::string letters;
  for (char c : n)
    if (c >= 'a' && c <= 'z') letters += c;
  return letters.size() >= 3 && english_lowercase_words().count(letters) == 0;
}

std::vector<std::string> derive_affiliation_short_forms(const std::string& affiliation,
                                                        const std::vector<std::string>& public_terms) {
  std::set<std::string> publics;
  for (const auto& t : public_terms) publics.insert(normalize(t));
  const std::string whole = normalize(affiliation);
  std::vector<std::string> out;
  if (whole.empty() || publics.count(whole) != 0) return out;
  // Cut the affiliation into runs at generic words and punctuation.
  std::vector<std::vector<std::string>> runs(1);
  for (const auto& raw : split(affiliation, " \t\n")) {
    bool opens = false, closes = false;
    std::string w = trimmed_word(raw, &opens, &closes);
    const std::string n = normalize(w);
    if (opens && !runs.back().empty()) runs.emplace_back();
    if (n.empty() || generic_words().count(n) != 0) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    runs.back().push_back(std::move(w));
    if (closes) runs.emplace_back();
  }
  std::set<std::string> seen{whole};
  auto take = [&](const std::string& form) {
    const std::string n = normalize(form);
    if (n.size() < 2 || publics.count(n) != 0 || !seen.insert(n).second) return;
    out.push_back(form);
  };
  for (auto& run : runs) {
    while (!run.empty() && is_conjunction(normalize(run.front()))) run.erase(run.begin());
    while (!run.empty() && is_conjunction(normalize(run.back()))) run.pop_back();
    if (run.size() >= 2) take(joined(run));
    for (const auto& w : run)
      if (is_proper_noun(w)) take(w);
  }
  return out;
}

std::vector<ShortForm> short_forms(const Participant& p, const std::vector<std::string>& public_terms) {
  std::vector<ShortForm> out;
  const std::string name = normalize(p.name);
  const auto name_words = split(name, " ");
  const auto [given, family] = given_and_family_name(name);
  std::vector<std::string> family_spellings;
  if (name_words.size() >= 2) family_spellings = transliteration_variants(family);
  auto find = [&](ShortFormOf of, const std::string& n) {
    return std::find_if(out.begin(), out.end(), [&](const ShortForm& f) { return f.of == of && f.normalized == n; });
  };
  // A word of `raw` (the full name or an alias) standing alone.
  auto add_name_word = [&](const std::string& raw, const std::string& normalized_last, bool is_family) {
    if (normalized_last.size() < 2 || find(ShortFormOf::name, normalized_last) != out.end()) return;
    ShortForm f;
    f.of = ShortFormOf::name;
    f.form = as_written(raw, normalized_last);
    f.normalized = normalized_last;
    f.family = is_family || std::find(family_spellings.begin(), family_spellings.end(), normalized_last) != family_spellings.end();
    const bool arabic = has_arabic_script(normalized_last);
    f.reach = f.family || arabic ? ShortFormReach::everywhere : ShortFormReach::given_name;
    if (arabic) {
      // A zero-width non-joiner inside the word is often typed as a space ("صالحی نیا").
      const auto raw_words = split(raw, " \t\n");
      if (!raw_words.empty() && raw_words.back().find(kZwnj) != std::string::npos)
        f.spellings.push_back(normalize(zwnj_as_space(raw_words.back())));
    } else {
      for (auto& v : transliteration_variants(normalized_last))
        if (v != normalized_last) f.spellings.push_back(std::move(v));
    }
    out.push_back(std::move(f));
  };
  if (name_words.size() >= 2) add_name_word(p.name, family, true);
  for (const auto& a : p.aliases) {
    const auto words = split(normalize(a), " ");
    if (words.size() >= 2) add_name_word(a, words.back(), false);
  }
  if (p.affiliation)
    for (const auto& form : derive_affiliation_short_forms(*p.affiliation, public_terms)) {
      ShortForm f;
      f.of = ShortFormOf::affiliation;
      f.form = form;
      f.normalized = normalize(form);
      out.push_back(std::move(f));
    }
  // The organizer's rulings.
  for (const auto& r : p.short_forms) {
    const std::string n = normalize(r.form);
    if (n.empty()) continue;
    auto it = find(r.of, n);
    if (it == out.end()) {
      ShortForm f;
      f.of = r.of;
      f.form = r.form;
      f.normalized = n;
      f.derived = false;
      out.push_back(std::move(f));
      it = out.end() - 1;
    }
    it->ruling = r.use;
    it->reach = r.use == ShortFormUse::alone ? ShortFormReach::everywhere : ShortFormReach::none;
  }
  // Public terms, the delegation and their demonyms are never short forms of an affiliation.
  std::set<std::string> publics;
  auto add_public = [&](const std::string& t) {
    const std::string n = normalize(t);
    publics.insert(n);
    for (const auto& d : demonyms_of(n)) publics.insert(d);
  };
  for (const auto& t : public_terms) add_public(t);
  if (p.delegation) add_public(*p.delegation);
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const ShortForm& f) { return f.of == ShortFormOf::affiliation && publics.count(f.normalized) != 0; }),
            out.end());
  // Name forms first, then the affiliation's, each in record order.
  std::stable_partition(out.begin(), out.end(), [](const ShortForm& f) { return f.of == ShortFormOf::name; });
  return out;
}

}  // namespace bc::core
