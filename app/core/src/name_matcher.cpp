#include "backchannel/core/name_matcher.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_set>

#include <utf8proc.h>

namespace bc::core {

namespace {

// Decodes the code point that starts at `i` (the text is valid UTF-8: it came from the normalizer).
std::uint32_t decode_at(std::string_view s, std::size_t i, std::size_t* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { *len = 1; return c; }
  if (c < 0xE0 && i + 1 < s.size()) { *len = 2; return ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu); }
  if (c < 0xF0 && i + 2 < s.size()) {
    *len = 3;
    return ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
  }
  if (i + 3 < s.size()) {
    *len = 4;
    return ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
  }
  *len = 1;
  return 0xFFFD;
}

// The code point that ends just before `i`.
std::uint32_t decode_before(std::string_view s, std::size_t i) {
  std::size_t start = i - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  std::size_t len;
  return decode_at(s, start, &len);
}

// Letters, digits and marks of any script continue a word; everything else (punctuation,
// symbols, emoji, ...) separates words. Beyond ASCII this is the Unicode general category, as the
// leak scanner has it: a symbol the matcher took for a letter ("Holloway👍") would hide a name
// from the matcher that the scanner then finds, and block the summary.
bool is_word_char(std::uint32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool is_arabic_script_cp(std::uint32_t cp) {
  return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08FF) ||
         (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
}

bool word_boundary_before(std::string_view t, std::size_t i) { return i == 0 || !is_word_char(decode_before(t, i)); }
bool word_boundary_at(std::string_view t, std::size_t i) {
  if (i >= t.size()) return true;
  std::size_t len;
  return !is_word_char(decode_at(t, i, &len));
}

struct Candidate {
  std::size_t begin, end;  // normalized byte offsets
  int entry;
  bool before_capital;     // just before a capitalized word: only the entry's `everywhere` people
};

bool is_white_space(std::uint32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x85) return true;
  if (cp < 0x80) return false;
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// Does the original text continue at `i` with white space and then a capital letter (the next
// word of someone's full name: "Abbas| Kiarostami")? Marks left on the last letter come first.
bool capitalized_word_follows(std::string_view original, std::size_t i) {
  std::size_t len;
  while (i < original.size()) {
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(decode_at(original, i, &len)));
    if (cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_MC && cat != UTF8PROC_CATEGORY_ME) break;
    i += len;
  }
  const std::size_t space = i;
  while (i < original.size() && is_white_space(decode_at(original, i, &len))) i += len;
  if (i == space || i >= original.size()) return false;
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(decode_at(original, i, &len)));
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

}  // namespace

struct NameMatcher::Impl {
  // What a pattern stands for.
  struct Entry {
    std::vector<int> participants;  // protected participants (sorted); empty for allowed-only
    // Those for whom the form counts before a capitalized word too: all but the ones whose form
    // here reaches as a given name (sorted).
    std::vector<int> everywhere;
    bool given_name = false;        // some participant's form here reaches as a given name only
    MatchKind kind = MatchKind::location;  // the "strongest" kind among its forms: person > affiliation > location
    bool allowed = false;
    std::size_t length = 0;
  };
  // Aho-Corasick automaton: a trie with failure links. The root's transitions are a dense table;
  // other states keep their few transitions in a sorted slice of `edges`.
  struct State {
    std::uint32_t first_edge = 0;
    std::uint16_t edge_count = 0;
    std::uint32_t fail = 0;
    std::int32_t entry = -1;       // pattern ending here
    std::uint32_t output = 0;      // next state (via fail links) with an entry, 0 = none
  };
  struct Edge {
    std::uint8_t byte;
    std::uint32_t target;
  };
  std::vector<State> states;
  std::vector<Edge> edges;
  std::array<std::uint32_t, 256> root{};
  std::vector<Entry> entries;
  std::vector<std::unordered_set<std::string>> name_words;
  std::vector<std::unordered_set<std::string>> given_names;
  std::unordered_set<std::string> titles;
  std::vector<std::string> suffixes;  // Persian suffixes, normalized for matching

  std::uint32_t next(std::uint32_t s, std::uint8_t b) const {
    while (true) {
      if (s == 0) return root[b];
      const State& st = states[s];
      const Edge* e = edges.data() + st.first_edge;
      for (std::uint16_t k = 0; k < st.edge_count; ++k)
        if (e[k].byte == b) return e[k].target;
      s = st.fail;
    }
  }

  // The forms come normalized for search (normalize()); the matcher reads text normalized for
  // matching, which folds further, so every string is brought to that form once here.
  void build(const FormSet& forms) {
    // Merge identical strings: one entry may be protected for several participants and allowed.
    std::map<std::string, Entry> by_text;
    for (const auto& f : forms.protected_forms) {
      const std::string text = normalize_for_matching(f.normalized);
      if (text.empty()) continue;
      auto& e = by_text[text];
      e.participants.push_back(f.participant);
      if (f.given_name) e.given_name = true;
      else e.everywhere.push_back(f.participant);
      const MatchKind k = f.kind == FormKind::location      ? MatchKind::location
                          : f.kind == FormKind::affiliation ? MatchKind::affiliation
                                                            : MatchKind::person;
      e.kind = std::min(e.kind, k);
    }
    for (const auto& a : forms.allowed) {
      const std::string text = normalize_for_matching(a.normalized);
      if (text.empty()) continue;
      by_text[text].allowed = true;
    }
    // Build the trie with temporary per-state maps, then flatten.
    std::vector<std::map<std::uint8_t, std::uint32_t>> go(1);
    std::vector<std::int32_t> ends(1, -1);
    for (auto& [text, e] : by_text) {
      std::sort(e.participants.begin(), e.participants.end());
      e.participants.erase(std::unique(e.participants.begin(), e.participants.end()), e.participants.end());
      std::sort(e.everywhere.begin(), e.everywhere.end());
      e.everywhere.erase(std::unique(e.everywhere.begin(), e.everywhere.end()), e.everywhere.end());
      e.length = text.size();
      std::uint32_t s = 0;
      for (unsigned char c : text) {
        auto it = go[s].find(c);
        if (it == go[s].end()) {
          go.emplace_back();
          ends.push_back(-1);
          it = go[s].emplace(c, static_cast<std::uint32_t>(go.size() - 1)).first;
        }
        s = it->second;
      }
      ends[s] = static_cast<std::int32_t>(entries.size());
      entries.push_back(e);
    }
    states.assign(go.size(), State{});
    for (std::size_t s = 0; s < go.size(); ++s) {
      states[s].first_edge = static_cast<std::uint32_t>(edges.size());
      states[s].edge_count = static_cast<std::uint16_t>(go[s].size());
      states[s].entry = ends[s];
      for (auto [b, t] : go[s]) edges.push_back({b, t});
    }
    root.fill(0);
    for (auto [b, t] : go[0]) root[b] = t;
    // Failure links, breadth first.
    std::vector<std::uint32_t> queue;
    for (auto [b, t] : go[0]) {
      states[t].fail = 0;
      queue.push_back(t);
    }
    for (std::size_t qi = 0; qi < queue.size(); ++qi) {
      const std::uint32_t s = queue[qi];
      for (auto [b, t] : go[s]) {
        std::uint32_t f = states[s].fail;
        states[t].fail = next(f, b);
        if (states[t].fail == t) states[t].fail = 0;
        const std::uint32_t ft = states[t].fail;
        states[t].output = states[ft].entry >= 0 ? ft : states[ft].output;
        queue.push_back(t);
      }
    }
    auto refold = [](const auto& words) {
      std::unordered_set<std::string> out;
      for (const auto& w : words) out.insert(normalize_for_matching(w));
      return out;
    };
    for (const auto& words : forms.name_words) name_words.push_back(refold(words));
    for (const auto& words : forms.given_names) given_names.push_back(refold(words));
    titles = refold(name_titles());
    for (const auto& s : persian_suffixes()) suffixes.push_back(normalize_for_matching(s));
  }

  // Does the suffix at `i` (a Persian suffix, then a word boundary) let a match end before it?
  bool persian_suffix_at(std::string_view t, std::size_t i) const {
    for (const auto& s : suffixes)
      if (t.compare(i, s.size(), s) == 0 && word_boundary_at(t, i + s.size())) return true;
    return false;
  }

  std::vector<Candidate> candidates(std::string_view original, const NormalizedText& n) const {
    std::string_view t = n.text;
    std::vector<Candidate> out;
    std::uint32_t s = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      s = next(s, static_cast<std::uint8_t>(t[i]));
      for (std::uint32_t o = states[s].entry >= 0 ? s : states[s].output; o != 0; o = states[o].output) {
        const int ei = states[o].entry;
        const Entry& e = entries[static_cast<std::size_t>(ei)];
        const std::size_t end = i + 1, begin = end - e.length;
        if (!word_boundary_before(t, begin)) continue;
        // A Persian suffix may follow any form: Persian text adds it to a Latin name too ("Hollowayها").
        if (!word_boundary_at(t, end) && !persian_suffix_at(t, end)) continue;
        // A given name just before a capitalized word belongs to someone else's full name.
        const bool before_capital = e.given_name && capitalized_word_follows(original, n.source_end[end - 1]);
        if (before_capital && e.everywhere.empty() && !e.allowed) continue;
        out.push_back({begin, end, ei, before_capital});
      }
    }
    return out;
  }

  // The word that ends just before `pos` (which must be preceded by exactly one space).
  static bool word_before(std::string_view t, std::size_t pos, std::size_t* word_begin) {
    if (pos < 2 || t[pos - 1] != ' ') return false;
    const std::size_t end = pos - 1;
    std::size_t b = t.rfind(' ', end - 1);
    b = b == std::string_view::npos ? 0 : b + 1;
    if (b >= end) return false;
    *word_begin = b;
    return true;
  }

  static bool is_initial(std::string_view w) {
    // "k" or "k." : one letter, optionally with a full stop. Not in Persian or Arabic script,
    // which writes no initials: a one-letter word there is "و" (and), which must stay.
    std::size_t len;
    const std::uint32_t cp = decode_at(w, 0, &len);
    if (!is_word_char(cp) || is_arabic_script_cp(cp)) return false;
    return w.size() == len || (w.size() == len + 1 && w[len] == '.');
  }

  // The word part of `w`: without punctuation before it ("(dr." -> "dr.") when `leading`, or
  // after it ("katherine." -> "katherine") otherwise. Returns the offset and length within `w`.
  static std::pair<std::size_t, std::size_t> trim_punctuation(std::string_view w, bool leading) {
    std::size_t b = 0, e = w.size();
    if (leading) {
      while (b < e) {
        std::size_t len;
        if (is_word_char(decode_at(w, b, &len))) break;
        b += len;
      }
    } else {
      while (e > b && !is_word_char(decode_before(w, e))) {
        --e;
        while (e > b && (static_cast<unsigned char>(w[e]) & 0xC0) == 0x80) --e;
      }
    }
    return {b, e - b};
  }

  bool extends_left(std::string_view word, const std::vector<int>& participants) const {
    if (titles.count(std::string(word)) != 0 || is_initial(word)) return true;
    for (int p : participants)
      if (p >= 0 && static_cast<std::size_t>(p) < name_words.size() && name_words[p].count(std::string(word)) != 0)
        return true;
    return false;
  }
  bool extends_right(std::string_view word, const std::vector<int>& participants) const {
    for (int p : participants)
      if (p >= 0 && static_cast<std::size_t>(p) < given_names.size() && given_names[p].count(std::string(word)) != 0)
        return true;
    return false;
  }

  std::vector<NameMatch> find(std::string_view original, const NormalizedText& n) const {
    std::string_view t = n.text;
    auto cands = candidates(original, n);
    auto people = [&](const Candidate& c) -> const std::vector<int>& {
      return c.before_capital ? entries[c.entry].everywhere : entries[c.entry].participants;
    };
    // Leftmost-longest; on equal spans a protected reading wins over an allowed one.
    std::sort(cands.begin(), cands.end(), [&](const Candidate& a, const Candidate& b) {
      if (a.begin != b.begin) return a.begin < b.begin;
      if (a.end != b.end) return a.end > b.end;
      return people(a).size() > people(b).size();
    });
    struct Span {
      std::size_t begin, end;
      std::vector<int> participants;
      MatchKind kind;
    };
    std::vector<Span> chosen;
    std::size_t covered = 0;
    for (const auto& c : cands) {
      if (c.begin < covered) continue;
      covered = c.end;
      const Entry& e = entries[c.entry];
      if (people(c).empty()) continue;  // an allowed form: it shields what it covers
      chosen.push_back({c.begin, c.end, people(c), e.kind});
    }
    // Extend over titles, initials and the rest of the name; over a whole e-mail address or handle.
    for (auto& sp : chosen) {
      if (sp.kind != MatchKind::person) continue;  // titles and given names go with people only
      for (int k = 0; k < 4; ++k) {
        std::size_t wb;
        if (!word_before(t, sp.begin, &wb)) break;
        // An opening bracket or quotation mark before a title stays: "(Ambassador Holloway)".
        const auto [off, len] = trim_punctuation(t.substr(wb, sp.begin - 1 - wb), true);
        if (len == 0 || !extends_left(t.substr(wb + off, len), sp.participants)) break;
        sp.begin = wb + off;
      }
      if (sp.end + 1 < t.size() && t[sp.end] == ' ') {
        std::size_t we = t.find(' ', sp.end + 1);
        if (we == std::string_view::npos) we = t.size();
        // Punctuation after the given name stays: "HOLLOWAY KATHERINE." keeps its full stop, and
        // "Holloway Katherine's" its possessive.
        auto [off, len] = trim_punctuation(t.substr(sp.end + 1, we - sp.end - 1), false);
        if (len > 2 && t.compare(sp.end + 1 + off + len - 2, 2, "'s") == 0) len -= 2;
        if (len > 0 && extends_right(t.substr(sp.end + 1 + off, len), sp.participants)) sp.end = sp.end + 1 + off + len;
      }
    }
    // What an e-mail address or @handle is made of: letters and digits of any script, . _ + % @ '
    // and hyphens, which the normalized text holds as spaces ("k.holloway@ridgeway-policy.example"
    // goes as a whole; "JCPOA./k.holloway@example.org" or "e-mail:k.holloway@..." only from "k").
    auto address_char = [&](std::size_t i, std::size_t* len) {
      const std::uint32_t cp = decode_at(t, i, len);
      if (cp == ' ') {
        const std::uint32_t src = n.source_start[i];
        return src < original.size() && original[src] == '-';
      }
      return is_word_char(cp) || cp == '.' || cp == '_' || cp == '+' || cp == '%' || cp == '@' || cp == '\'';
    };
    for (auto& sp : chosen) {
      std::size_t run_b = sp.begin, run_e = sp.end, len;
      while (run_b > 0) {
        std::size_t prev = run_b - 1;
        while (prev > 0 && (static_cast<unsigned char>(t[prev]) & 0xC0) == 0x80) --prev;
        if (!address_char(prev, &len)) break;
        run_b = prev;
      }
      while (run_e < t.size() && address_char(run_e, &len)) run_e += len;
      const std::string_view run = t.substr(run_b, run_e - run_b);
      if (run.find('@') != std::string_view::npos) {
        // Keep leading and trailing punctuation that belongs to the sentence, not the address.
        while (run_b < sp.begin && std::string_view("(<[\"'").find(t[run_b]) != std::string_view::npos) ++run_b;
        while (run_e > sp.end && std::string_view(".,;:!?)>]\"'").find(t[run_e - 1]) != std::string_view::npos) --run_e;
        sp.begin = std::min(sp.begin, run_b);
        sp.end = std::max(sp.end, run_e);
      }
    }
    // Merge spans that now touch or overlap, or are separated by one space and name the same people.
    std::vector<Span> merged;
    for (auto& sp : chosen) {
      if (!merged.empty()) {
        Span& last = merged.back();
        const bool overlap = sp.begin <= last.end;
        const bool adjacent = sp.begin == last.end + 1 && t[last.end] == ' ' && sp.participants == last.participants &&
                              sp.kind == last.kind;
        if (overlap || adjacent) {
          last.end = std::max(last.end, sp.end);
          last.kind = std::min(last.kind, sp.kind);
          for (int p : sp.participants)
            if (std::find(last.participants.begin(), last.participants.end(), p) == last.participants.end())
              last.participants.push_back(p);
          std::sort(last.participants.begin(), last.participants.end());
          continue;
        }
      }
      merged.push_back(sp);
    }
    std::vector<NameMatch> out;
    out.reserve(merged.size());
    for (const auto& sp : merged) {
      auto [ob, oe] = n.source_range(sp.begin, sp.end);
      // A combining mark on the last letter ("Rezai" + U+0301) belongs to it: it goes with the
      // name instead of landing on the replacement.
      while (oe < original.size()) {
        std::size_t len;
        const std::uint32_t cp = decode_at(original, oe, &len);
        const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
        if (cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_MC && cat != UTF8PROC_CATEGORY_ME) break;
        oe += static_cast<std::uint32_t>(len);
      }
      out.push_back({ob, oe, sp.participants, sp.kind});
    }
    return out;
  }
};

NameMatcher::NameMatcher(const FormSet& forms) : impl_(std::make_unique<Impl>()) { impl_->build(forms); }
NameMatcher::~NameMatcher() = default;
NameMatcher::NameMatcher(NameMatcher&&) noexcept = default;
NameMatcher& NameMatcher::operator=(NameMatcher&&) noexcept = default;

std::vector<NameMatch> NameMatcher::find(std::string_view original) const {
  return impl_->find(original, normalize_for_matching_with_offsets(original));
}
std::vector<NameMatch> NameMatcher::find(std::string_view original, const NormalizedText& normalized) const {
  return impl_->find(original, normalized);
}
std::size_t NameMatcher::pattern_count() const { return impl_->entries.size(); }
std::size_t NameMatcher::state_count() const { return impl_->states.size(); }

}  // namespace bc::core
