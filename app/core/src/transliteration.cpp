#include "backchannel/core/transliteration.h"

#include <algorithm>
#include <limits>
#include <set>
#include <unordered_set>

namespace bc::core {

namespace {

// Spellings of the same name that rules cannot derive (vowel shifts, Arabic vs Persian forms).
// Each group lists spellings in common use in English-language press and academic writing.
const std::vector<std::vector<std::string_view>>& clusters() {
  static const std::vector<std::vector<std::string_view>> kClusters = {
      {"mohammad", "muhammad", "mohammed", "mohamed", "mohamad", "muhammed", "mohammud", "mehmet"},
      {"mahmoud", "mahmud", "mahmood", "mahmod"},
      {"hossein", "hussein", "hosein", "husain", "hussain", "hosseyn", "husayn", "hossain", "hussayn"},
      {"hosseini", "husseini", "hoseini", "hosaini", "husaini", "hussaini", "husayni"},
      {"hassan", "hasan"},
      {"mousavi", "musavi", "moussavi", "mosavi", "musawi"},
      {"rezaei", "rezaee", "rezai", "rezaie", "rezayi", "rezaie"},
      {"javad", "jawad"},
      {"jafar", "jaafar", "jafer"},
      {"jafari", "jaafari", "jafary"},
      {"saeed", "saeid", "saied", "saiid", "saeyd"},
      {"mehdi", "mahdi"},
      {"kazem", "kazim", "kadhim"},
      {"kazemi", "kazimi", "kadhimi"},
      {"abdollah", "abdullah", "abdallah", "abdolah"},
      {"fatemeh", "fatima", "fatemah", "fatimah", "fateme"},
      {"zahra", "zahrah"},
      {"maryam", "mariam", "maryem"},
      {"hashemi", "hashimi"},
      {"rostami", "rustami"},
      {"tavakoli", "tavakkoli", "tavakolli"},
      {"ebrahimi", "ibrahimi"},
      {"ebrahim", "ibrahim"},
      {"ghorbani", "qorbani", "gorbani"},
      {"ghasemi", "qasemi", "ghassemi", "qassemi"},
      {"ghasem", "qasem", "qassem", "ghassem"},
      {"soleimani", "suleimani", "solaimani", "sulaimani"},
      {"zarif", "zareef"},
      {"najafi", "nadjafi"},
      {"khomeini", "khomeyni"},
      {"reza", "raza"},
      {"yousef", "yusuf", "yousuf", "youssef", "yusef"},
      {"omar", "umar"},
      {"osman", "usman", "othman", "uthman"},
      {"akbar", "akber"},
      {"akbari", "akbary"},
      {"nasrin", "nasreen"},
      {"shirin", "shireen"},
      {"parisa", "parissa"},
      {"farideh", "farida", "faride"},
      {"leila", "layla", "leyla", "laila"},
      {"hamid", "hameed"},
      {"karim", "kareem"},
      {"rahim", "raheem"},
      {"rahimi", "raheemi"},
      {"salehi", "salihi"},
      {"sadeghi", "sadeqi", "sadegi"},
      {"bagheri", "baqeri", "bageri"},
      {"ameri", "amiri"},
  };
  return kClusters;
}

// Frequent English words: a generated variant equal to one of these would redact ordinary
// prose ("Saeed" must not turn every "said" into "a participant").
const std::unordered_set<std::string_view>& common_words() {
  static const std::unordered_set<std::string_view> kWords = {
      "said", "says", "sad", "mad", "made", "maid", "more", "most", "must", "much", "hussy", "sea", "see", "seen",
      "sun", "son", "soon", "moon", "mood", "good", "food", "hood", "wood", "book", "look", "took", "room", "doom",
      "door", "floor", "poor", "pour", "four", "tour", "your", "hour", "our", "out", "about", "would", "could",
      "should", "they", "them", "then", "than", "there", "their", "these", "those", "this", "that", "what", "when",
      "where", "which", "while", "who", "whom", "whose", "why", "how", "here", "have", "has", "had", "having", "been",
      "being", "were", "was", "will", "with", "within", "without", "from", "into", "onto", "upon", "over", "under",
      "after", "before", "again", "also", "only", "just", "even", "ever", "every", "each", "many", "some", "such",
      "same", "other", "another", "both", "either", "neither", "none", "none", "all", "any", "few", "less", "least",
      "like", "likely", "make", "makes", "take", "takes", "give", "gives", "come", "comes", "know", "knows", "think",
      "thinks", "want", "wants", "need", "needs", "seem", "seems", "feel", "feels", "keep", "keeps", "call", "calls",
      "hold", "holds", "help", "helps", "mean", "means", "meant", "move", "moves", "live", "lives", "play", "plays",
      "turn", "turns", "start", "show", "shows", "hear", "heard", "leave", "left", "right", "long", "great", "little",
      "small", "large", "big", "high", "low", "old", "new", "young", "early", "late", "last", "next", "first",
      "second", "third", "same", "different", "important", "public", "private", "real", "sure", "free", "full",
      "true", "false", "clear", "hard", "easy", "able", "open", "close", "near", "far", "part", "place", "case",
      "point", "fact", "hand", "home", "house", "world", "life", "time", "year", "years", "week", "day", "days",
      "way", "ways", "man", "men", "woman", "women", "child", "people", "person", "group", "state", "states",
      "country", "government", "war", "peace", "trade", "deal", "deals", "talk", "talks", "side", "sides", "name",
      "names", "word", "words", "line", "lines", "end", "ends", "area", "level", "order", "power", "law", "laws",
      "money", "water", "oil", "gas", "air", "sea", "land", "rule", "rules", "plan", "plans", "idea", "ideas",
      "issue", "issues", "need", "hope", "risk", "risks", "step", "steps", "term", "terms", "kind", "kinds",
      // Words the rules below reach from English-looking family names (Boot -> but, Root -> rut,
      // Noon -> nun, Levi -> levy, Reem -> rim, Green -> grin, Reed -> rid, Keen -> kin ...) and
      // other frequent short words of the same shapes (u for ou/oo, i for ee, -y/-ee/-ie, ey/ei).
      "but", "put", "cut", "shut", "gut", "hut", "nut", "rut", "jut", "bud", "mud", "stud", "cup", "pup", "bus",
      "bun", "gun", "fun", "run", "runs", "spun", "shun", "thus", "plus", "fund", "funds", "fur", "fury", "foul",
      "fool", "flour", "pure", "cure", "lure", "tune", "tone", "ruse", "rust", "root", "roots", "boot", "boots",
      "bout", "rout", "tout", "toot", "shout", "shoot", "scout", "south", "mouth", "mouse", "moose", "loose",
      "lose", "loot", "noon", "noun", "nun", "nuns", "coup", "coop", "tiny", "shiny", "holy", "bony", "fully",
      "duly", "curt", "curse", "ship", "chip", "slip", "tip", "dip", "hip", "lip", "sip", "zip", "bit", "fit",
      "hit", "kit", "pit", "sit", "wit", "lit", "slit", "spit", "grit", "grin", "grid", "rid", "hid", "did",
      "kid", "bid", "lid", "kin", "din", "pin", "sin", "tin", "win", "bin", "fin", "shin", "chin", "thin", "skin",
      "spin", "twin", "rim", "dim", "him", "aim", "slim", "trim", "swim", "sir", "stir", "his", "tile", "tide",
      "ride", "hide", "wide", "wider", "rider", "rifle", "rise", "wise", "wipe", "pipe", "ripe", "pile", "mile",
      "file", "smile", "fine", "dine", "mine", "nine", "pine", "wine", "shine", "spine", "later", "hater", "cuter",
      "super", "miner", "diner", "liter", "timer", "viper", "piper", "tiger", "title", "bible", "idle", "rice",
      "price", "nice", "vice", "dice", "mice", "levy", "levee", "petty", "pretty", "city", "pity", "witty",
      "kitty", "fifty", "sixty", "party", "dirty", "duty", "body", "tidy", "lady", "baby", "busy", "copy", "navy",
      "tory", "very", "army", "ugly", "lily", "silly", "bully", "belly", "jelly", "berry", "merry", "ferry",
      "carry", "marry", "sorry", "worry", "hurry", "curry", "jury", "holly", "folly", "rally", "tally", "quit",
      "quite", "quiet", "quote", "queen", "quest", "quick", "key", "keys", "grey", "prey", "obey", "money",
      "honey", "eye", "eyes", "reign", "vein", "rein", "heir", "weird", "height", "weight", "eight", "web", "car",
      "bar", "lot", "pen", "star", "rob", "lad", "hal", "pal", "gal", "bel", "nil", "mil", "til", "sis", "tel",
      "miler", "stile", "shin", "rye", "dye", "bye", "lye", "tie", "die", "lie", "pie", "vie", "fee", "bee",
      "tee", "knee", "tree", "free", "flee", "glee", "spree", "agree", "degree", "three",
  };
  return kWords;
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool latin_word(std::string_view w) {
  if (w.size() < 3) return false;
  for (char c : w)
    if (!((c >= 'a' && c <= 'z') || c == '\'')) return false;
  return true;
}

// Replaces each occurrence of `from` in `w` by each of `tos`, one occurrence at a time.
void substitute(const std::string& w, std::string_view from, std::initializer_list<std::string_view> tos,
                std::set<std::string>& out) {
  for (std::size_t pos = w.find(from); pos != std::string::npos; pos = w.find(from, pos + 1)) {
    for (auto to : tos) {
      std::string v = w;
      v.replace(pos, from.size(), to);
      out.insert(v);
    }
  }
}

// Spelling rules common in transliterations of Persian and Arabic names.
void rule_variants(const std::string& w, std::set<std::string>& out) {
  substitute(w, "ou", {"u", "oo"}, out);           // mahmoud -> mahmud, mahmood
  substitute(w, "oo", {"u", "ou"}, out);
  substitute(w, "ee", {"i"}, out);                 // saeed -> saeid ... handled by clusters too
  substitute(w, "aei", {"ai", "aee", "aie"}, out);  // rezaei -> rezai, rezaee
  substitute(w, "gh", {"q"}, out);                  // ghorbani -> qorbani
  substitute(w, "ey", {"ei"}, out);
  substitute(w, "ei", {"ey"}, out);                 // hossein -> hosseyn
  // Doubled consonants written single (hossein -> hosein, tavakkoli -> tavakoli), inside the
  // word only: a doubled final consonant is an English spelling (Webb, Carr, Kidd, Pitt, Scott),
  // and dropping it makes common words (web, car, kid, pit, scot).
  for (std::size_t i = 1; i + 1 < w.size(); ++i) {
    if (w[i] == w[i - 1] && !is_vowel(w[i]) && w[i] != '\'') {
      std::string v = w;
      v.erase(i, 1);
      out.insert(v);
    }
  }
  // The -i ending written -ee, -y or -ie (ahmadi -> ahmadee, ahmady).
  if (w.size() >= 4 && w.back() == 'i' && !is_vowel(w[w.size() - 2])) {
    const std::string stem = w.substr(0, w.size() - 1);
    out.insert(stem + "ee");
    out.insert(stem + "y");
    out.insert(stem + "ie");
  }
  // An apostrophe for ayn or hamza is often left out (ja'far -> jafar).
  if (w.find('\'') != std::string::npos) {
    std::string v;
    for (char c : w)
      if (c != '\'') v += c;
    out.insert(v);
  }
}

}  // namespace

std::vector<std::string> transliteration_variants(std::string_view word) {
  std::vector<std::string> result{std::string(word)};
  if (!latin_word(word)) return result;
  const std::string w(word);
  // Most likely first, so that the cap below only ever drops the least likely: the spellings of
  // the word's known group (all of them: "husseini" must never be cut off for "hosseini"), then
  // the rules applied to the word itself, then the rules applied to the group's spellings.
  std::vector<std::string> cluster;
  for (const auto& group : clusters()) {
    if (std::find(group.begin(), group.end(), w) != group.end())
      for (auto v : group) cluster.push_back(std::string(v));
  }
  std::set<std::string> own_rules, cluster_rules;
  rule_variants(w, own_rules);
  for (const auto& c : cluster) rule_variants(c, cluster_rules);
  std::set<std::string> seen{w};
  auto take = [&](const std::string& v, std::size_t cap) {
    if (result.size() >= cap || v.size() < 3 || common_words().count(v) != 0) return;
    if (seen.insert(v).second) result.push_back(v);
  };
  constexpr std::size_t kCap = 32;
  for (const auto& v : cluster) take(v, std::numeric_limits<std::size_t>::max());
  for (const auto& v : own_rules) take(v, kCap);
  for (const auto& v : cluster_rules) take(v, kCap);
  return result;
}

std::vector<std::string> name_variants(std::string_view normalized_name, std::size_t limit) {
  std::vector<std::vector<std::string>> per_word;
  std::size_t start = 0;
  while (start <= normalized_name.size()) {
    std::size_t end = normalized_name.find(' ', start);
    if (end == std::string_view::npos) end = normalized_name.size();
    if (end > start) per_word.push_back(transliteration_variants(normalized_name.substr(start, end - start)));
    start = end + 1;
  }
  std::vector<std::string> out{std::string(normalized_name)};
  if (per_word.empty()) return out;
  // Breadth-first over combinations so that the limit keeps the most likely (fewest changes).
  std::vector<std::string> combos{""};
  for (const auto& words : per_word) {
    std::vector<std::string> next;
    for (const auto& c : combos) {
      for (const auto& w : words) {
        if (next.size() >= limit * 4) break;
        next.push_back(c.empty() ? w : c + " " + w);
      }
    }
    combos = std::move(next);
  }
  std::set<std::string> seen{out[0]};
  for (const auto& c : combos) {
    if (out.size() >= limit) break;
    if (seen.insert(c).second) out.push_back(c);
  }
  return out;
}

}  // namespace bc::core
