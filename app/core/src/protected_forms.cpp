#include "backchannel/core/protected_forms.h"

#include <map>
#include <set>

#include "backchannel/core/disclosure_policy.h"
#include "backchannel/core/short_forms.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/transliteration.h"

namespace bc::core {

namespace {

std::vector<std::string> words_of(const std::string& normalized) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < normalized.size()) {
    std::size_t end = normalized.find(' ', start);
    if (end == std::string::npos) end = normalized.size();
    if (end > start) out.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_latin(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool has_arabic_script(const std::string& s) {
  // U+0600..U+06FF and U+0750..U+077F are encoded with lead bytes 0xD8..0xDD.
  for (unsigned char c : s)
    if (c >= 0xD8 && c <= 0xDD) return true;
  return false;
}

constexpr std::string_view kZwnj = "\u200c";

std::string zwnj_as_space(std::string s) {
  for (std::size_t pos = s.find(kZwnj); pos != std::string::npos; pos = s.find(kZwnj, pos + 1))
    s.replace(pos, kZwnj.size(), " ");
  return s;
}

// Strips punctuation from the ends of a word ("ms." -> "ms") for handle building.
std::string letters_only(const std::string& w) {
  std::string out;
  for (char c : w)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  return out;
}

class Builder {
 public:
  Builder(FormSet& set, int participant) : set_(set), participant_(participant) {}
  void add(const std::string& normalized, FormKind kind, bool given_name = false) {
    // One-character forms would redact initials and single letters everywhere.
    if (normalized.size() < 2 || !seen_.insert(normalized).second) return;
    set_.protected_forms.push_back({normalized, participant_, kind, given_name});
  }

 private:
  FormSet& set_;
  int participant_;
  std::set<std::string> seen_;
};

}  // namespace

const std::vector<std::string>& name_titles() {
  static const std::vector<std::string> kTitles = [] {
    std::vector<std::string> raw = {
        "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "prof", "prof.", "professor", "ambassador",
        "amb", "amb.", "minister", "senator", "sen.", "general", "gen.", "admiral", "adm.", "colonel", "col.",
        "secretary", "president", "governor", "rep.", "lt.", "hon.", "sir", "dame", "madam", "madame", "mme", "mme.", "sheikh", "shaykh", "ayatollah",
        "hojatoleslam", "hojjatoleslam", "sayyed", "seyed", "seyyed", "sayed", "haj", "haji", "hajj", "mullah",
        "deputy", "envoy", "judge", "rabbi", "father", "brother", "sister", "lord", "lady",
        "آقای", "آقا", "جناب", "خانم", "دکتر", "مهندس", "سفیر", "وزیر", "استاد", "سرکار", "حجت‌الاسلام", "آیت‌الله",
        "سید", "حاج", "حاجی", "سردار", "سرلشکر", "شیخ", "السيد", "الشيخ", "الدكتور"};
    std::vector<std::string> out;
    for (const auto& t : raw) out.push_back(normalize(t));
    return out;
  }();
  return kTitles;
}

const std::vector<std::string>& persian_suffixes() {
  // Normalized (ZWNJ removed, ي -> ی). Longest first so that the matcher tries "هایی" before "ها".
  static const std::vector<std::string> kSuffixes = {
      "هایشان", "هایتان", "هایمان", "هایی", "هایم", "هایت", "هایش", "های", "ها", "شان", "تان", "مان",
      "ای", "ام", "ات", "اش", "یی", "یم", "یت", "یش", "ی", "م", "ت", "ش"};
  return kSuffixes;
}

FormSet build_forms(const std::vector<Participant>& participants, const std::vector<DisclosureLevel>& levels,
                    const std::vector<std::string>& public_terms, const std::optional<std::string>& hidden_location) {
  FormSet set;
  std::set<std::string> public_normalized;
  for (const auto& t : public_terms) {
    const std::string n = normalize(t);
    if (n.empty()) continue;
    public_normalized.insert(n);
    set.allowed.push_back({n});
  }
  set.name_words.resize(participants.size());
  set.given_names.resize(participants.size());
  for (std::size_t i = 0; i < participants.size(); ++i) {
    const Participant& p = participants[i];
    const std::string name = normalize(p.name);
    if (!is_protected(levels[i])) {
      set.allowed.push_back({name});
      for (const auto& a : p.aliases) set.allowed.push_back({normalize(a)});
      if (p.affiliation) set.allowed.push_back({normalize(*p.affiliation)});
      continue;
    }
    Builder b(set, static_cast<int>(i));
    b.add(name, FormKind::full_name);
    const auto words = words_of(name);
    auto& extension = set.name_words[i];
    // The short forms of the name and affiliation, with the reach the rule and the organizer's
    // rulings give them. A form ruled "not used alone" is not added at all, nor are its spellings;
    // the words stay in `extension`, so that a match of the whole name still takes them along.
    const auto shorts = short_forms(p, public_terms);
    std::set<std::string> not_alone;
    for (const auto& f : shorts)
      if (f.reach == ShortFormReach::none) {
        not_alone.insert(f.normalized);
        for (const auto& v : f.spellings) not_alone.insert(v);
      }
    // A zero-width non-joiner inside a Persian name is often typed as a space ("صالحی نیا" for
    // "صالحی‌نیا"): that spelling of the whole is protected too (its last word is a short form's
    // spelling, see short_forms).
    auto zwnj_spellings = [&](const std::string& raw, FormKind kind) {
      const std::string n = normalize(raw);
      if (!has_arabic_script(n) || raw.find(kZwnj) == std::string::npos) return;
      const std::string spaced = normalize(zwnj_as_space(raw));
      b.add(spaced, kind);
      for (const auto& w : words_of(spaced)) extension.push_back(w);
    };
    zwnj_spellings(p.name, FormKind::full_name);
    for (const auto& w : words)
      for (const auto& v : transliteration_variants(w)) extension.push_back(v);
    for (const auto& a : p.aliases)
      for (const auto& w : words_of(normalize(a))) extension.push_back(w);
    const auto [given, family] = given_and_family_name(name);
    if (!words.empty())
      for (const auto& v : transliteration_variants(given)) set.given_names[i].push_back(v);
    for (const auto& f : shorts) {
      if (f.reach == ShortFormReach::none) continue;
      const bool given_name = f.reach == ShortFormReach::given_name;
      const FormKind kind = f.of == ShortFormOf::affiliation ? FormKind::affiliation
                            : given_name                    ? FormKind::alias
                                                            : FormKind::family_name;
      b.add(f.normalized, kind, given_name);
      for (const auto& v : f.spellings)
        if (not_alone.count(v) == 0) b.add(v, f.of == ShortFormOf::affiliation ? kind : FormKind::variant, given_name);
    }
    for (const auto& a : p.aliases) {
      const std::string n = normalize(a);
      b.add(n, FormKind::alias);
      const auto aw = words_of(n);
      // Persian writes the family name first too ("رضایی محمود"): the alias's given name goes
      // with a match just before it, as the Latin given name does.
      if (aw.size() >= 2 && has_arabic_script(n)) set.given_names[i].push_back(aw.front());
      zwnj_spellings(a, FormKind::alias);
      // Spellings of a one-word Latin alias ("Mahmud" of "Mahmoud").
      if (is_latin(n) && aw.size() == 1)
        for (const auto& v : transliteration_variants(aw.back())) b.add(v, FormKind::variant);
    }
    if (p.affiliation) {
      const std::string n = normalize(*p.affiliation);
      if (public_normalized.count(n) == 0) b.add(n, FormKind::affiliation);
    }
    // Latin as the matcher reads it: "Yıldız" and "Jørgensen" have handles too (syildiz@...).
    if (is_latin(normalize_for_matching(name))) {
      if (words.size() == 1)
        for (const auto& v : transliteration_variants(words.front())) b.add(v, FormKind::variant);
      if (words.size() >= 2) {
        // Handles and mailbox names built from the name: kholloway, katherine.holloway, k_holloway ...
        const std::string first = letters_only(normalize_for_matching(given));
        const std::string last = letters_only(normalize_for_matching(family));
        if (!first.empty() && last.size() >= 2) {
          for (const std::string& h : {first.substr(0, 1) + last, first + last, first + "." + last, first + "_" + last,
                                       first.substr(0, 1) + "." + last, first.substr(0, 1) + "_" + last, last + first,
                                       last + "." + first, last + first.substr(0, 1)})
            b.add(h, FormKind::handle);
        }
      }
    }
  }
  // A protected person form that is also a named participant's name, family name or alias
  // ("Grant" of a protected Michael Grant and of a named Elizabeth Grant) may name either of
  // them: the named participant is listed with it, so that the replacement says no more than is
  // true of both ("a participant") instead of attributing the words to the protected one.
  std::map<std::string, std::vector<std::size_t>> person_forms;
  for (std::size_t k = 0; k < set.protected_forms.size(); ++k) {
    const auto& f = set.protected_forms[k];
    if (f.kind != FormKind::affiliation && f.kind != FormKind::location) person_forms[f.normalized].push_back(k);
  }
  for (std::size_t i = 0; i < participants.size(); ++i) {
    if (is_protected(levels[i])) continue;
    const Participant& p = participants[i];
    std::set<std::string> own;
    const std::string name = normalize(p.name);
    own.insert(name);
    const auto words = words_of(name);
    if (words.size() >= 2) own.insert(given_and_family_name(name).second);
    for (const auto& a : p.aliases) {
      const std::string n = normalize(a);
      own.insert(n);
      const auto aw = words_of(n);
      if (aw.size() >= 2 && has_arabic_script(n)) own.insert(aw.back());
    }
    for (const auto& o : own)
      if (person_forms.count(o) != 0) set.protected_forms.push_back({o, static_cast<int>(i), FormKind::family_name});
  }
  if (hidden_location) {
    Builder b(set, -1);
    b.add(normalize(*hidden_location), FormKind::location);
  }
  return set;
}

}  // namespace bc::core
