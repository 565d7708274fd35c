// Natural variant points of English prose (see natural_variants.h and docs/paper.md).
//
// Every rule errs towards finding nothing: a point is made only where both forms are ordinary
// English for the same meaning in that context. The text is cut into tokens (words, digit runs,
// white space, single punctuation marks, the alternate placeholder) and each rule looks at the
// tokens around a candidate.
#include "natural_variants.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

#include "trace_form.h"

namespace bc::core {
namespace {

enum class Lex : std::uint8_t { word, number, space, punct, object };

struct Tok {
  Lex type;
  std::uint32_t b;
  std::uint32_t e;
  bool blank_line = false;  // a space token holding an empty line (a paragraph break)
  bool quoted = false;
};

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x202F || cp == 0x3000;
}

bool is_apostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019; }

std::vector<Tok> lex(std::string_view s) {
  std::vector<Tok> toks;
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp;
    const std::size_t start = i;
    std::size_t len = next_code_point(s, i, cp);
    if (cp == 0xFFFC) {
      toks.push_back({Lex::object, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + len)});
      i += len;
      continue;
    }
    if (is_space(cp)) {
      int newlines = 0;
      bool blank = false;
      while (i < s.size()) {
        len = next_code_point(s, i, cp);
        if (!is_space(cp)) break;
        if (cp == '\n' && ++newlines >= 2) blank = true;
        i += len;
      }
      Tok t{Lex::space, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)};
      t.blank_line = blank;
      toks.push_back(t);
      continue;
    }
    if (cp >= '0' && cp <= '9') {
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      toks.push_back({Lex::number, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)});
      continue;
    }
    if (is_letter(cp)) {
      i += len;
      while (i < s.size()) {
        len = next_code_point(s, i, cp);
        if (is_letter(cp)) {
          i += len;
          continue;
        }
        // An apostrophe between letters belongs to the word ("Iran's", "don't").
        if (is_apostrophe(cp) && i + len < s.size()) {
          char32_t next;
          next_code_point(s, i + len, next);
          if (is_letter(next)) {
            i += len;
            continue;
          }
        }
        break;
      }
      toks.push_back({Lex::word, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)});
      continue;
    }
    toks.push_back({Lex::punct, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i + len)});
    i += len;
  }
  return toks;
}

// Marks every token inside quotation marks (the marks included). An unbalanced mark quotes the
// rest of the paragraph: the conservative reading.
void mark_quotes(std::string_view s, std::vector<Tok>& toks) {
  bool in = false;
  for (auto& t : toks) {
    if (t.type == Lex::space && t.blank_line) in = false;
    if (t.type == Lex::punct) {
      const std::string_view p = s.substr(t.b, t.e - t.b);
      if (p == "\"") {
        t.quoted = true;
        in = !in;
        continue;
      }
      if (p == "\u201C" || p == "\u00AB" || p == "\u201E") {
        in = true;
        t.quoted = true;
        continue;
      }
      if (p == "\u201D" || p == "\u00BB") {
        t.quoted = true;
        in = false;
        continue;
      }
    }
    t.quoted = in;
  }
}

const std::map<std::string, int, std::less<>>& small_number_words() {
  static const std::map<std::string, int, std::less<>> m = {
      {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7},
      {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}};
  return m;
}

const char* number_word(int v) {
  static const std::array<const char*, 13> words = {"", "", "two", "three", "four", "five", "six", "seven",
                                                    "eight", "nine", "ten", "eleven", "twelve"};
  return words[static_cast<std::size_t>(v)];
}

bool in_set(const std::set<std::string, std::less<>>& set, std::string_view w) { return set.find(w) != set.end(); }

// Words that make a number part of a quantity, code or range written in another way.
const std::set<std::string, std::less<>>& all_number_words() {
  static const std::set<std::string, std::less<>> s = {
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
      "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
      "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands",
      "million", "millions", "billion", "billions", "trillion", "dozen", "dozens", "half", "first", "second",
      "third", "fourth", "fifth", "once", "twice"};
  return s;
}

// A number right after one of these is a label ("Article 3", "round 3"), not a count.
const std::set<std::string, std::less<>>& label_words() {
  static const std::set<std::string, std::less<>> s = {
      "article", "articles", "art", "section", "sections", "sec", "paragraph", "paragraphs", "para", "resolution",
      "resolutions", "annex", "annexes", "chapter", "chapters", "chap", "clause", "clauses", "item", "items",
      "point", "points", "page", "pages", "p", "pp", "no", "nos", "number", "numbers", "table", "tables",
      "figure", "figures", "fig", "round", "rounds", "phase", "phases", "option", "options", "track", "tracks",
      "step", "steps", "level", "levels", "grade", "part", "parts", "volume", "vol", "session", "sessions",
      "stage", "stages", "tier", "category", "version", "line", "lines", "room", "floor", "gate", "plus",
      "minus", "times", "over", "under", "above", "below", "than", "to", "from", "between", "by", "of", "per",
      "approximately", "about", "around", "nearly", "almost", "some", "exactly"};
  return s;
}

// A number right before one of these is a measure, a fraction or part of a bigger number.
const std::set<std::string, std::less<>>& unit_words() {
  static const std::set<std::string, std::less<>> s = {
      "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
      "dozen", "percent", "per", "pc", "km", "kilometres", "kilometers", "mile", "miles", "kg", "kilograms",
      "tonnes", "tons", "m", "cm", "mm", "am", "pm", "a", "p", "o'clock", "oclock", "degrees", "halves", "thirds",
      "quarters", "fourths", "fifths", "sixths", "sevenths", "eighths", "ninths", "tenths", "elevenths",
      "twelfths", "point", "x", "plus", "minus", "percentage", "hours", "h", "gb", "mb", "usd", "dollars",
      "euros", "rials", "tomans", "times", "to", "or", "and", "through", "than"};
  return s;
}

const std::map<std::string, int, std::less<>>& months() {
  static const std::map<std::string, int, std::less<>> m = {
      {"January", 1}, {"February", 2}, {"March", 3}, {"April", 4}, {"May", 5}, {"June", 6},
      {"July", 7}, {"August", 8}, {"September", 9}, {"October", 10}, {"November", 11}, {"December", 12}};
  return m;
}

int days_in_month(int month, int year) {
  static const std::array<int, 13> d = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return d[static_cast<std::size_t>(month)];
}

std::string ordinal(int day) {
  const char* suffix = "th";
  if (day % 100 < 11 || day % 100 > 13) {
    if (day % 10 == 1) suffix = "st";
    if (day % 10 == 2) suffix = "nd";
    if (day % 10 == 3) suffix = "rd";
  }
  return std::to_string(day) + suffix;
}

class Finder {
 public:
  explicit Finder(std::string_view s) : s_(s), t_(lex(s)) {
    mark_quotes(s_, t_);
    claimed_.assign(s_.size(), false);
  }

  std::vector<NaturalVariant> run() {
    dates();
    numbers();
    serial_commas();
    spellings();
    std::sort(out_.begin(), out_.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
    return std::move(out_);
  }

 private:
  std::string_view text(int i) const { return s_.substr(t_[i].b, t_[i].e - t_[i].b); }
  int size() const { return static_cast<int>(t_.size()); }
  bool is(int i, Lex type) const { return i >= 0 && i < size() && t_[i].type == type; }
  bool punct(int i, std::string_view set) const {
    if (!is(i, Lex::punct)) return false;
    const std::string_view p = text(i);
    return p.size() == 1 && set.find(p[0]) != std::string_view::npos;
  }
  bool dash(int i) const {
    if (!is(i, Lex::punct)) return false;
    const std::string_view p = text(i);
    return p == "-" || p == "/" || p == "\u2013" || p == "\u2014" || p == "\u2012" || p == "\u2010" ||
           p == "\u2011" || p == "+" || p == "%" || p == "$" || p == "#" || p == "\u00A3" || p == "\u20AC";
  }
  int prev_sig(int i) const {
    for (int k = i - 1; k >= 0; --k)
      if (t_[k].type != Lex::space) return k;
    return -1;
  }
  int next_sig(int i) const {
    for (int k = i + 1; k < size(); ++k)
      if (t_[k].type != Lex::space) return k;
    return -1;
  }
  bool lowercase_word(int i) const {
    if (!is(i, Lex::word)) return false;
    const char c = text(i)[0];
    return c >= 'a' && c <= 'z';
  }
  bool capitalized(int i) const {
    if (!is(i, Lex::word)) return false;
    const char c = text(i)[0];
    return c >= 'A' && c <= 'Z';
  }
  std::string lower(int i) const {
    std::string w(text(i));
    for (auto& c : w)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return w;
  }
  bool numberish(int i) const {
    if (is(i, Lex::number)) return true;
    return is(i, Lex::word) && in_set(all_number_words(), lower(i));
  }
  // The first word of a sentence: nothing before it in the block but opening marks, or a
  // sentence end or paragraph break before it.
  bool sentence_start(int i) const {
    int k = i - 1;
    while (k >= 0) {
      if (t_[k].type == Lex::space) {
        if (t_[k].blank_line) return true;
        --k;
        continue;
      }
      if (t_[k].type == Lex::punct) {
        const std::string_view p = text(k);
        if (p == "(" || p == "[" || p == "\"" || p == "\u201C" || p == "\u2018" || p == "\u00AB" || p == "'") {
          --k;
          continue;
        }
        return p == "." || p == "!" || p == "?" || p == "#" || p == "*" || p == ">";
      }
      return false;
    }
    return true;
  }
  bool any_quoted(int from, int to) const {
    for (int k = std::max(0, from); k <= to && k < size(); ++k)
      if (t_[k].quoted) return true;
    return false;
  }
  bool free(std::uint32_t b, std::uint32_t e) const {
    for (std::uint32_t k = b; k < e; ++k)
      if (claimed_[k]) return false;
    return true;
  }
  void add(std::uint32_t b, std::uint32_t e, VariantKind kind, std::vector<std::string> alts) {
    if (!free(b, e)) return;
    for (std::uint32_t k = b; k < e; ++k) claimed_[k] = true;
    out_.push_back({b, e, kind, std::move(alts)});
  }
  // Tokens before `first` and after `last` that end a quantity or code: the point must stand
  // between white space (or a sentence's own punctuation) and ordinary words.
  bool clean_right(int last) const {
    const int r = last + 1;
    if (r >= size()) return true;
    if (t_[r].type == Lex::space) return true;
    if (!punct(r, ",;:.)!?")) return false;
    if (punct(r, ".,") && r + 1 < size() && t_[r + 1].type != Lex::space) return false;  // 3.5, 3,000, 3.x
    return true;
  }

  // "14 June 2005", "14th June 2005", "June 14, 2005", "June 14th, 2005", "June 14 2005".
  void dates() {
    for (int i = 0; i < size(); ++i) {
      int day_tok = -1, month_tok = -1, year_tok = -1, suffix_tok = -1, last = -1;
      if (is(i, Lex::number)) {
        day_tok = i;
        int k = i + 1;
        if (is(k, Lex::word)) {
          suffix_tok = k;
          ++k;
        }
        if (!is(k, Lex::space) || !is(k + 1, Lex::word) || !is(k + 2, Lex::space) || !is(k + 3, Lex::number)) continue;
        month_tok = k + 1;
        year_tok = k + 3;
      } else if (is(i, Lex::word) && months().count(text(i)) && is(i + 1, Lex::space) && is(i + 2, Lex::number)) {
        month_tok = i;
        day_tok = i + 2;
        int k = i + 3;
        if (is(k, Lex::word)) {
          suffix_tok = k;
          ++k;
        }
        if (punct(k, ",")) ++k;
        if (!is(k, Lex::space) || !is(k + 1, Lex::number)) continue;
        year_tok = k + 1;
      } else {
        continue;
      }
      last = year_tok;
      const auto m = months().find(text(month_tok));
      if (m == months().end()) continue;
      const std::string_view dtext = text(day_tok), ytext = text(year_tok);
      if (dtext.size() > 2 || dtext[0] == '0' || ytext.size() != 4) continue;
      const int day = std::stoi(std::string(dtext)), year = std::stoi(std::string(ytext));
      if (year < 1000 || year > 2999 || day < 1 || day > days_in_month(m->second, year)) continue;
      if (suffix_tok >= 0 && std::string(dtext) + std::string(text(suffix_tok)) != ordinal(day)) continue;
      if (any_quoted(i, last)) continue;
      // Not part of a range or a longer code: "14-16 June 2005", "from 14 June 2005 to ...".
      if (i > 0 && !is(i - 1, Lex::space) && !punct(i - 1, "(")) continue;
      const int p = prev_sig(i);
      if (p >= 0 && (numberish(p) || dash(p) || is(p, Lex::object))) continue;
      if (is(p, Lex::word)) {
        const std::string w = lower(p);
        if (w == "to" || w == "until" || w == "till" || w == "through" || w == "and" || w == "or" ||
            w == "from" || w == "between")
          continue;
      }
      if (!clean_right(last)) continue;
      const int n = next_sig(last);
      if (n >= 0 && (numberish(n) || dash(n) || is(n, Lex::object))) continue;
      if (is(n, Lex::word)) {
        const std::string w = lower(n);
        if (w == "to" || w == "until" || w == "till" || w == "through" || w == "and" || w == "or") continue;
      }
      const std::string month(text(month_tok));
      const std::string d = std::to_string(day), y = std::to_string(year);
      const std::string written(s_.substr(t_[i].b, t_[last].e - t_[i].b));
      std::vector<std::string> alts = {written};
      for (const std::string& f : {d + " " + month + " " + y, month + " " + d + ", " + y, ordinal(day) + " " + month + " " + y})
        if (f != written) alts.push_back(f);
      add(t_[i].b, t_[last].e, VariantKind::date, std::move(alts));
      i = last;
    }
  }

  // Whole numbers 2 to 12, as digits or as lower-case words, counting things in running text.
  void numbers() {
    for (int i = 0; i < size(); ++i) {
      int value = 0;
      bool digits = false;
      if (is(i, Lex::number)) {
        const std::string_view d = text(i);
        if (d.size() > 2 || d[0] == '0') continue;
        value = std::stoi(std::string(d));
        digits = true;
      } else if (is(i, Lex::word)) {
        const auto w = small_number_words().find(text(i));  // exact: lower case only
        if (w == small_number_words().end()) continue;
        value = w->second;
      } else {
        continue;
      }
      if (value < 2 || value > 12) continue;
      if (t_[i].quoted || sentence_start(i)) continue;
      if (i == 0 || !is(i - 1, Lex::space)) continue;  // glued on the left: "-3", "$3", "(3", "G3"
      if (!clean_right(i)) continue;
      const int p = prev_sig(i);
      if (p < 0) continue;
      if (is(p, Lex::word)) {
        if (!lowercase_word(p) || in_set(label_words(), lower(p)) || numberish(p)) continue;
      } else if (!punct(p, ",;:")) {
        continue;
      }
      const int n = next_sig(i);
      if (n >= 0) {
        if (is(n, Lex::word)) {
          if (in_set(unit_words(), lower(n)) || numberish(n) || months().count(text(n))) continue;
        } else if (!punct(n, ",;:.)!?")) {
          continue;
        }
        if (is(i + 1, Lex::space) && is(n, Lex::word) && n + 1 < size() && is(n + 1, Lex::punct) &&
            (text(n + 1) == "-" || text(n + 1) == "\u2011"))
          continue;  // "three-year", "3 year-long"
      }
      // No other number nearby (ranges, "two or three", "3 of the 5").
      const int pp = prev_sig(p);
      const int nn = n >= 0 ? next_sig(n) : -1;
      if (numberish(pp) || numberish(nn) || is(pp, Lex::object) || is(nn, Lex::object) || is(n, Lex::object))
        continue;
      std::vector<std::string> alts;
      if (digits) {
        alts = {std::string(text(i)), number_word(value)};
      } else {
        alts = {std::string(text(i)), std::to_string(value)};
      }
      add(t_[i].b, t_[i].e, VariantKind::number, std::move(alts));
    }
  }

  // The words of a list item ending with word `last`, walking back over single spaces: its
  // first word, how many words (stopping past `max_words`), and the token before it.
  struct Item {
    int first;
    int words;
    bool longer;
    int before;
  };
  // (Item::first of a list's first item is not known: where it starts is a matter of grammar.)
  Item item_back(int last, int max_words) const {
    Item it{last, 1, false, -1};
    int k = last;
    while (is(k - 1, Lex::space) && !t_[k - 1].blank_line && is(k - 2, Lex::word)) {
      if (it.words == max_words) {
        it.longer = true;
        break;
      }
      k -= 2;
      it.first = k;
      ++it.words;
    }
    it.before = prev_sig(it.first);
    return it;
  }
  // A comma glued to a word: returns the word, or -1.
  int comma_after_word(int comma) const {
    if (!punct(comma, ",")) return -1;
    return is(comma - 1, Lex::word) ? comma - 1 : -1;
  }

  // "A, B and C" / "A, B, and C" (also with "or").
  void serial_commas() {
    for (int c = 0; c < size(); ++c) {
      if (!is(c, Lex::word) || (text(c) != "and" && text(c) != "or") || t_[c].quoted) continue;
      if (!is(c - 1, Lex::space) || !is(c + 1, Lex::space)) continue;
      const int p = prev_sig(c);
      const bool serial = punct(p, ",");
      int pen_last;
      if (serial) {
        pen_last = comma_after_word(p);
        if (pen_last < 0) continue;
      } else {
        if (!is(p, Lex::word)) continue;
        pen_last = p;
      }
      const Item pen = item_back(pen_last, 3);
      if (pen.longer) continue;
      int prev_last = comma_after_word(pen.before);
      if (prev_last < 0) continue;
      int middle = 0;
      int earliest = prev_last;
      for (;;) {
        const Item it = item_back(prev_last, 3);
        const int w = it.longer ? -1 : comma_after_word(it.before);
        if (w < 0) break;
        ++middle;
        prev_last = w;
        earliest = it.first;
      }
      const int last_first = next_sig(c);
      if (!is(last_first, Lex::word)) continue;
      const int span_end = serial ? p : pen_last;
      if (any_quoted(earliest, last_first)) continue;
      if (middle == 0) {
        // Three items: only single words of one kind, in the middle of a sentence, closing it,
        // where no reading as an introduction or an apposition exists ("In Geneva, Tehran and
        // Washington agreed"; "my mother, Ayn Rand and God").
        const int first = prev_last;
        if (pen.words != 1 || !is(first - 1, Lex::space)) continue;
        const int before = prev_sig(first);
        if (!lowercase_word(before) || sentence_start(before) || t_[before].quoted) continue;
        const int after = last_first + 1;
        const bool closes = after >= size() || punct(after, ".;:?!)");
        if (!closes) continue;
        const bool cap = capitalized(first);
        if (capitalized(pen.first) != cap || capitalized(last_first) != cap) continue;
      }
      const std::string word(text(pen_last));
      std::vector<std::string> alts =
          serial ? std::vector<std::string>{word + ",", word} : std::vector<std::string>{word, word + ","};
      add(t_[pen_last].b, t_[span_end].e, VariantKind::serial_comma, std::move(alts));
    }
  }

  void spellings() {
    static const auto index = [] {
      std::unordered_map<std::string, std::vector<const std::pair<std::string, std::string>*>> m;
      for (const auto& entry : spelling_variant_table()) {
        std::size_t k = 0;
        while (k < entry.first.size() && entry.first[k] >= 'a' && entry.first[k] <= 'z') ++k;
        m[entry.first.substr(0, k)].push_back(&entry);
      }
      return m;
    }();
    std::vector<bool> token_end(s_.size() + 1, false);
    for (const auto& t : t_) token_end[t.e] = true;
    for (int i = 0; i < size(); ++i) {
      if (!is(i, Lex::word) || t_[i].quoted) continue;
      const auto it = index.find(std::string(text(i)));
      if (it == index.end()) continue;
      if (i > 0 && (dash(i - 1) || is(i - 1, Lex::object) || punct(i - 1, "'"))) continue;
      for (const auto* entry : it->second) {
        const std::string& form = entry->first;
        const std::uint32_t b = t_[i].b;
        const std::uint32_t e = b + static_cast<std::uint32_t>(form.size());
        if (e > s_.size() || s_.substr(b, form.size()) != form || !token_end[e]) continue;
        // The token after must not continue the word ("co-operation-based", "e-mail's").
        int after = i;
        while (after < size() && t_[after].e <= e) ++after;
        if (after < size() && (dash(after) || is(after, Lex::object) || punct(after, "'"))) continue;
        if (any_quoted(i, after - 1)) continue;
        add(b, e, VariantKind::spelling, {form, entry->second});
        break;
      }
    }
  }

  std::string_view s_;
  std::vector<Tok> t_;
  std::vector<bool> claimed_;
  std::vector<NaturalVariant> out_;
};

}  // namespace

namespace {

struct SpellingTables {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::set<std::string, std::less<>> british;  // the British (or hyphenated) form of each pair
};

const SpellingTables& spelling_tables() {
  static const SpellingTables tables = [] {
    SpellingTables st;
    auto& t = st.pairs;
    // `a` is the British (or hyphenated) form.
    auto both = [&](const std::string& a, const std::string& b) {
      t.emplace_back(a, b);
      t.emplace_back(b, a);
      st.british.insert(a);
    };
    auto one_way = [&](const std::string& a, const std::string& b) {
      t.emplace_back(a, b);
      st.british.insert(a);
    };
    // -ise / -ize: only stems where both spellings are standard for the same word (not
    // "advise", "compromise", "exercise", "surprise", "revise"...).
    for (const char* stem : {"organ", "recogn", "emphas", "priorit", "normal", "final", "real", "minim", "maxim",
                             "summar", "stabil", "destabil", "mobil", "character", "critic", "author", "apolog",
                             "util", "special", "categor", "civil", "modern", "optim", "harmon", "symbol",
                             "jeopard", "visual", "memor", "standard", "central", "decentral", "neutral",
                             "liberal", "legal", "militar", "demilitar", "formal", "institutional", "internal",
                             "international", "marginal", "privat", "subsid", "scrutin", "sympath", "familiar",
                             "polar", "radical", "operational", "capital", "democrat", "legitim", "incentiv"}) {
      const std::string s(stem);
      for (const auto& [brit, us] : std::vector<std::pair<const char*, const char*>>{
               {"ise", "ize"}, {"ised", "ized"}, {"ises", "izes"}, {"ising", "izing"}, {"isation", "ization"},
               {"isations", "izations"}, {"iser", "izer"}, {"isers", "izers"}})
        both(s + brit, s + us);
    }
    for (const char* w : {"analys", "paralys"}) {
      const std::string s(w);
      both(s + "e", s.substr(0, s.size() - 1) + "ze");
      both(s + "ed", s.substr(0, s.size() - 1) + "zed");
      both(s + "ing", s.substr(0, s.size() - 1) + "zing");
    }
    // -our / -or.
    for (const char* stem : {"behaviour", "favour", "honour", "labour", "neighbour", "endeavour", "rumour",
                             "vigour", "rigour", "harbour", "colour", "humour", "savour"}) {
      const std::string b(stem);
      const std::string a = b.substr(0, b.size() - 2) + "r";  // behaviour -> behavior
      for (const char* suffix : {"", "s", "ed", "ing", "able", "ably", "al", "ally", "ite", "ites", "hood",
                                 "hoods", "ful"})
        both(b + suffix, a + suffix);
    }
    both("unfavourable", "unfavorable");
    // -re / -er, -ce / -se.
    for (const char* suffix : {"", "s", "d"}) {
      both(std::string("centre") + suffix, std::string("center") + (std::string(suffix) == "d" ? "ed" : suffix));
      both(std::string("theatre") + suffix, std::string("theater") + (std::string(suffix) == "d" ? "ed" : suffix));
    }
    both("centring", "centering");
    both("defence", "defense");
    both("defences", "defenses");
    both("offence", "offense");
    both("offences", "offenses");
    // -ement / -ment, doubled consonants, -l / -ll.
    for (const char* w : {"judgement", "acknowledgement", "abridgement"}) {
      const std::string a(w);
      const std::string b = a.substr(0, a.size() - 5) + "ment";
      both(a, b);
      both(a + "s", b + "s");
    }
    for (const char* stem : {"travel", "cancel", "model", "label", "signal", "channel", "fuel", "level", "counsel",
                             "total", "marshal"}) {
      const std::string s(stem);
      both(s + "led", s + "ed");
      both(s + "ling", s + "ing");
    }
    both("traveller", "traveler");
    both("travellers", "travelers");
    both("counsellor", "counselor");
    both("counsellors", "counselors");
    both("fulfil", "fulfill");
    both("fulfils", "fulfills");
    both("fulfilment", "fulfillment");
    both("enrolment", "enrollment");
    both("instalment", "installment");
    both("instalments", "installments");
    both("ageing", "aging");
    both("grey", "gray");
    both("sceptical", "skeptical");
    both("scepticism", "skepticism");
    both("sceptic", "skeptic");
    both("sceptics", "skeptics");
    both("manoeuvre", "maneuver");
    both("manoeuvres", "maneuvers");
    both("manoeuvring", "maneuvering");
    both("towards", "toward");
    // Hyphenation.
    for (const char* w : {"operation", "operate", "operates", "operated", "operating", "operative", "operatively",
                          "ordinate", "ordinates", "ordinated", "ordinating", "ordination", "ordinator",
                          "ordinators"})
      both(std::string("co-") + w, std::string("co") + w);
    both("e-mail", "email");
    both("e-mails", "emails");
    both("per cent", "percent");
    // One way only: the second form has uses the first does not ("program" is also software,
    // "while" also a noun, "learned" also an adjective, "among" and "amid" also where the
    // longer form would sound archaic), so only the first form may change.
    one_way("programme", "program");
    one_way("programmes", "programs");
    one_way("amongst", "among");
    one_way("whilst", "while");
    one_way("amidst", "amid");
    one_way("learnt", "learned");
    // Longest form first, so that "co-operation" wins over nothing shorter and "per cent" over
    // "per".
    std::stable_sort(t.begin(), t.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    return st;
  }();
  return tables;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& spelling_variant_table() { return spelling_tables().pairs; }

std::vector<NaturalVariant> find_natural_variants(std::string_view text) { return Finder(text).run(); }

int natural_style_count(VariantKind kind) {
  switch (kind) {
    case VariantKind::number:
    case VariantKind::date:
      return 3;
    case VariantKind::serial_comma:
    case VariantKind::spelling:
      return 2;
    default:
      return 0;
  }
}

std::uint8_t natural_styles(VariantKind kind, std::string_view alt) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  switch (kind) {
    case VariantKind::number: {
      if (alt.empty()) return 0;
      if (digit(alt[0])) return static_cast<std::uint8_t>(1u | (std::stoi(std::string(alt)) >= 10 ? 4u : 0u));
      const auto w = small_number_words().find(alt);
      if (w == small_number_words().end()) return 0;
      return static_cast<std::uint8_t>(2u | (w->second < 10 ? 4u : 0u));
    }
    case VariantKind::date: {
      if (alt.empty()) return 0;
      if (!digit(alt[0])) return 2;
      const std::size_t space = alt.find(' ');
      return (space != std::string_view::npos && space > 0 && !digit(alt[space - 1])) ? 4 : 1;
    }
    case VariantKind::serial_comma:
      return !alt.empty() && alt.back() == ',' ? 1 : 2;
    case VariantKind::spelling:
      return spelling_tables().british.count(alt) ? 1 : 2;
    default:
      return 0;
  }
}

}  // namespace bc::core
