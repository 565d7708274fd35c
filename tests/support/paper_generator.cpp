// Generated papers and leaks for the copy tracing tests and benchmark (see paper_generator.h).
// Everything is fictional; no text is downloaded.
#include "paper_generator.h"

#include <algorithm>
#include <array>

namespace bc::test {
namespace {

using Words = std::vector<std::string>;

const Words kSubjects = {
    "the participants", "several participants", "one participant", "the American participants",
    "the Iranian participants", "participants from both sides", "a former official", "a retired diplomat",
    "the chair", "the rapporteur", "a scholar from Tehran", "a scholar from Washington", "the group",
    "most participants", "a senior adviser", "a former negotiator", "an economist", "a former ambassador",
    "a member of the Iranian delegation", "a member of the American delegation", "a legal scholar",
    "a former military officer", "two participants", "the convenors", "a journalist turned analyst",
    "a former deputy minister", "a researcher on energy policy", "a specialist on the Gulf"};

const Words kReporting = {
    "noted that", "argued that", "suggested that", "observed that", "warned that", "recalled that",
    "proposed that", "insisted that", "pointed out that", "acknowledged that", "cautioned that",
    "held that", "believed that", "worried that", "conceded that", "reminded the group that",
    "asked whether", "doubted that", "expected that", "stated plainly that"};

const Words kActors = {
    "both governments", "Washington", "Tehran", "the two capitals", "officials on both sides",
    "the negotiators", "the regional states", "the next administration", "the foreign ministries",
    "the national security councils", "Congress", "the Majlis", "the European partners", "the Gulf states",
    "the security services", "the central banks", "the navies", "the two delegations", "the mediators",
    "the legal advisers", "the technical experts"};

const Words kModals = {
    "could", "might", "would need to", "should", "were unlikely to", "had little reason to",
    "would be willing to", "were expected to", "ought to", "could still", "would struggle to", "might try to"};

struct Topic {
  Words actions;
  Words objects;
  Words nouns;  // single words for lists
};

const std::vector<Topic> kTopics = {
    {{"resume technical talks on", "agree on principles for", "exchange information about", "revisit",
      "take small steps on", "set aside their differences over", "find a formula for", "open a discreet channel on"},
     {"the level of enrichment", "the inspection regime", "the safeguards agreement", "the additional protocol",
      "the stockpile of enriched uranium", "the research reactor", "the fuel supply arrangement",
      "the verification of past activities"},
     {"enrichment", "inspections", "safeguards", "centrifuges", "verification", "reactors", "fuel", "transparency"}},
    {{"ease", "phase out", "reconsider", "clarify the scope of", "create exemptions from", "monitor",
      "discuss the sequencing of", "publish guidance on"},
     {"the banking restrictions", "the sanctions on civil aviation", "the frozen assets",
      "the limits on oil exports", "the humanitarian trade channel", "the licences for medical supplies",
      "the restrictions on spare parts", "the secondary sanctions"},
     {"banking", "aviation", "oil", "insurance", "shipping", "medicine", "agriculture", "payments"}},
    {{"set up", "test", "formalise", "keep open", "agree on", "improve", "staff", "review"},
     {"a hotline between the navies", "rules for unplanned encounters at sea",
      "a channel between the coast guards", "procedures for search and rescue in the Gulf",
      "notification of naval exercises", "the exchange of liaison officers", "a protocol for incidents in the strait",
      "joint training in maritime safety"},
     {"navies", "coastguards", "fishermen", "tankers", "ports", "patrols", "exercises", "incidents"}},
    {{"co-ordinate their positions on", "share assessments of", "consult each other about", "work in parallel on",
      "avoid clashing over", "map their interests in", "discuss contingencies for", "support a regional forum on"},
     {"the future of Afghanistan", "the stability of Iraq", "the return of refugees", "narcotics trafficking",
      "border security in the east", "reconstruction after the conflict", "the fight against extremist groups",
      "water sharing in the region"},
     {"refugees", "narcotics", "borders", "reconstruction", "elections", "militias", "water", "trade"}},
    {{"resolve", "speed up", "make progress on", "handle quietly", "separate from politics", "address",
      "settle case by case", "keep out of the press"},
     {"consular access for detained nationals", "visas for visiting scholars", "family visits",
      "the cases of detained dual nationals", "the exchange of prisoners", "the return of remains",
      "medical treatment for detainees", "travel for students"},
     {"visas", "detainees", "families", "students", "scholars", "consulates", "prisoners", "travel"}},
    {{"cooperate on", "fund research on", "share data about", "prepare jointly for", "hold workshops on",
      "build trust through", "exchange experts on", "draw up a plan for"},
     {"earthquake preparedness", "dust storms in the region", "the shrinking of the Caspian",
      "water scarcity", "air pollution in the cities", "the protection of wetlands", "drug addiction treatment",
      "public health and vaccines"},
     {"earthquakes", "storms", "pollution", "wetlands", "health", "vaccines", "drought", "addiction"}}};

const Words kConditions = {
    "", "", "", "if the other side moved first", "provided that the talks stayed confidential",
    "before the end of the year", "without a public announcement", "as long as neither side claimed victory",
    "once the elections were over", "with the help of a third country", "in the absence of a broader deal",
    "even without formal recognition", "if the domestic politics allowed it"};

const Words kOpeners = {
    "", "", "", "", "As in earlier rounds,", "On the second day,", "In the closing session,", "Later,",
    "In a frank exchange,", "By contrast,", "At the same time,", "More cautiously,", "For the first time,",
    "In the working group,", "Over dinner,", "Summing up,"};

const Words kCities = {"Geneva", "Stockholm", "Oslo", "Vienna", "Muscat", "Doha", "Istanbul", "Helsinki",
                       "Berlin", "Bern"};

const Words kMonths = {"January", "February", "March", "April", "May", "June", "July", "August",
                       "September", "October", "November", "December"};

// The author's alternates: near-synonyms the author marked as interchangeable. Phrases that end
// a clause, verbs of saying, and noun phrases.
const std::vector<Words> kEndAlternates = {
    {"in the coming months", "over the coming months", "in the months ahead"},
    {"at an early stage", "early on"},
    {"at the earliest opportunity", "as soon as possible"},
    {"quietly", "discreetly"},
    {"for now", "for the time being", "at present"},
    {"in practice", "in reality"},
    {"before the next round", "before the following round"},
    {"step by step", "gradually", "in stages"},
    {"without delay", "promptly"},
    {"in due course", "eventually", "in time"}};
const std::vector<Words> kSayingAlternates = {
    {"stressed", "underlined", "underscored"},
    {"noted", "observed", "remarked"},
    {"argued", "contended", "maintained"},
    {"suggested", "proposed"},
    {"agreed", "accepted"},
    {"warned", "cautioned"}};
const std::vector<Words> kNounAlternates = {
    {"a first step", "an initial step", "a first move"},
    {"a test of good faith", "a test of goodwill"},
    {"a priority", "an urgent matter", "a pressing matter"},
    {"a modest gain", "a small gain"},
    {"a useful precedent", "a helpful precedent"},
    {"confidence-building measures", "measures to build confidence"}};

const Words kSpelling = {"organisation", "co-operation", "programme", "defence", "centre", "favour",
                         "behaviour", "recognise", "prioritise", "emphasise", "organisations", "labour",
                         "neighbouring", "judgement", "towards", "analyse", "whilst", "normalisation",
                         "stabilisation", "favourable", "realised", "minimise"};

const Words kSmall = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"};

const Words kCounted = {"rounds", "meetings", "proposals", "delegations", "working papers", "sessions",
                        "former ministers", "issues", "drafts", "options", "participants", "capitals"};

const Words kHeadings = {"Background", "Principles", "Confidence-building", "Humanitarian questions",
                         "Maritime safety", "The regional dimension", "Next steps", "Nuclear questions",
                         "Sanctions and trade", "People-to-people contacts", "Implementation", "Observations"};

std::string capitalize(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string alternate(PaperRng& rng, const std::vector<Words>& kind) {
  const Words& a = rng.pick(kind);
  std::string out = "{{";
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (k) out += " | ";
    out += a[k];
  }
  return out + "}}";
}

std::string small_number(PaperRng& rng) {
  const std::size_t k = rng.below(kSmall.size());
  return rng.chance(0.5) ? kSmall[k] : std::to_string(k + 2);
}

std::string date(PaperRng& rng) {
  const int day = 1 + static_cast<int>(rng.below(28));
  const std::string month = rng.pick(kMonths);
  const std::string year = std::to_string(2003 + rng.below(20));
  return rng.chance(0.5) ? std::to_string(day) + " " + month + " " + year
                         : month + " " + std::to_string(day) + ", " + year;
}

std::string noun_list(PaperRng& rng, const Topic& topic, std::size_t n) {
  Words pool = topic.nouns;
  for (std::size_t k = pool.size(); k > 1; --k) std::swap(pool[k - 1], pool[rng.below(k)]);
  std::string out;
  for (std::size_t k = 0; k < n; ++k) {
    if (k) out += k + 1 == n ? (n > 2 && rng.chance(0.5) ? ", and " : " and ") : ", ";
    out += pool[k];
  }
  return out;
}

// One clause about a topic; `variant` asks for a variant element inside it.
std::string clause(PaperRng& rng, const Topic& topic, bool variant) {
  std::string modal = rng.pick(kModals);
  std::string obj = rng.pick(topic.objects);
  std::string cond = rng.pick(kConditions);
  std::string action = rng.pick(topic.actions);
  std::string out = rng.pick(kActors) + " " + modal + " " + action + " " + obj;
  if (variant) {
    switch (rng.below(5)) {
      case 0:
        out += " " + alternate(rng, kEndAlternates);
        break;
      case 1:
        out = rng.pick(kActors) + " " + modal + " " + action + " " + obj + " within " + small_number(rng) + " months";
        break;
      case 2:
        out += ", " + alternate(rng, kEndAlternates);
        break;
      case 3:
        out += " through a " + rng.pick(Words{"programme", "centre", "organisation"}) + " of " +
               rng.pick(Words{"co-operation", "exchanges", "consultation"});
        break;
      default:
        out = rng.pick(kActors) + " " + modal + " " + rng.pick(Words{"recognise", "prioritise", "analyse", "minimise"}) +
              " " + obj;
        break;
    }
  }
  if (!cond.empty()) out += " " + cond;
  return out;
}

std::string sentence(PaperRng& rng, const Topic& topic, bool variant) {
  const std::string opener = rng.pick(kOpeners);
  std::string s;
  const std::size_t kind = variant ? rng.below(9) : rng.below(3);
  switch (kind) {
    case 0:
    case 1:
    case 2:
      s = rng.pick(kSubjects) + " " + rng.pick(kReporting) + " " + clause(rng, topic, variant && kind == 0);
      if (variant && kind == 1) s += ", " + alternate(rng, kEndAlternates);
      if (variant && kind == 2) s = rng.pick(kSubjects) + " " + alternate(rng, kSayingAlternates) + " that " + clause(rng, topic, false);
      break;
    case 3:
      s = "the group discussed " + noun_list(rng, topic, 3 + rng.below(2)) + " in " + rng.pick(kCities);
      break;
    case 4:
      s = "over " + small_number(rng) + " " + rng.pick(kCounted) + " " + rng.pick(kSubjects) + " returned to " +
          rng.pick(topic.objects);
      break;
    case 5:
      s = "at the meeting in " + rng.pick(kCities) + " on " + date(rng) + ", " + rng.pick(kSubjects) + " " +
          rng.pick(kReporting) + " " + clause(rng, topic, false);
      break;
    case 6:
      s = rng.pick(kSubjects) + " described " + rng.pick(topic.objects) + " as " +
          (rng.chance(0.5) ? alternate(rng, kNounAlternates)
                           : "a matter for the " + rng.pick(Words{"defence", "labour", "foreign"}) + " ministries");
      break;
    case 7:
      s = rng.pick(kSubjects) + " " + rng.pick(kReporting) + " the " +
          rng.pick(Words{"behaviour", "judgement", "good faith", "patience"}) + " of " + rng.pick(kActors) +
          " would matter more than " + rng.pick(topic.objects);
      break;
    default:
      s = rng.pick(kSubjects) + " " + rng.pick(kReporting) + " " + small_number(rng) + " " + rng.pick(kCounted) +
          " had dealt with " + rng.pick(topic.objects);
      break;
  }
  if (variant && kind >= 3 && rng.chance(0.35)) s += " " + alternate(rng, kEndAlternates);
  if (!opener.empty()) return opener + " " + s + ".";
  return capitalize(s) + ".";
}

std::string plus_list(PaperRng& rng, const Topic& topic, bool variants) {
  std::string out = capitalize(rng.pick(kSubjects)) + " " +
                    rng.pick(Words{"proposed the following steps:", "listed these options:",
                                   "suggested, in no particular order:"}) +
                    "\n\n";
  const std::size_t n = 3 + rng.below(3);
  Words objects = topic.objects;
  for (std::size_t k = objects.size(); k > 1; --k) std::swap(objects[k - 1], objects[rng.below(k)]);
  for (std::size_t k = 0; k < n; ++k) {
    std::string item = rng.pick(topic.actions) + " " + objects[k % objects.size()] + " " + rng.pick(kConditions);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (variants && rng.chance(0.3)) item += " " + alternate(rng, kEndAlternates);
    out += (variants ? "+ " : "- ") + capitalize(item) + ";\n";
  }
  return out;
}

}  // namespace

std::vector<std::string> generate_english_sections(std::uint64_t seed, std::size_t words) {
  PaperRng rng(seed);
  std::vector<std::string> sections;
  std::size_t total = 0;
  while (total < words) {
    std::string section = "## " + rng.pick(kHeadings) + "\n\n";
    total += rendered_words(section);
    const std::size_t paragraphs = 3 + rng.below(3);
    for (std::size_t p = 0; p < paragraphs && total < words; ++p) {
      const Topic& topic = rng.pick(kTopics);
      if (rng.chance(0.15)) {
        const std::string list = plus_list(rng, topic, rng.chance(0.8));
        section += list + "\n";
        total += rendered_words(list);
        continue;
      }
      std::string para;
      const std::size_t sentences = 3 + rng.below(4);
      for (std::size_t k = 0; k < sentences && total < words; ++k) {
        // Nearly every sentence carries a variant element; with the natural points the
        // sentences hold anyway, that is one point every 20 to 30 words.
        const std::string sent = sentence(rng, topic, rng.chance(0.95));
        para += (para.empty() ? "" : " ") + sent;
        total += rendered_words(sent);
      }
      section += para + "\n\n";
    }
    sections.push_back(section);
  }
  return sections;
}

std::string generate_persian_section(std::uint64_t seed, std::size_t sentences) {
  PaperRng rng(seed);
  const Words subjects = {"شرکت‌کنندگان", "یکی از شرکت‌کنندگان", "یک دیپلمات بازنشسته", "یک پژوهشگر از تهران",
                          "یک مقام پیشین آمریکایی", "رئیس جلسه", "گروه"};
  const Words verbs = {"{{تأکید کرد | یادآوری کرد}}", "{{پیشنهاد داد | پیشنهاد کرد}}", "{{گفت | اظهار داشت}}",
                       "هشدار داد", "{{یادآور شد | خاطرنشان کرد}}"};
  const Words clauses = {
      "که دو دولت {{می‌توانند | قادرند}} گفت‌وگوهای فنی را از سر بگیرند",
      "که کانال ارتباطی میان نیروهای دریایی باید {{باز بماند | فعال بماند}}",
      "که مسئله‌ی روادید پژوهشگران را {{باید | لازم است}} جدا از سیاست حل کرد",
      "که تبادل زندانیان {{در ماه‌های آینده | طی ماه‌های آتی}} ممکن است",
      "که همکاری در زمینه‌ی زلزله و طوفان‌های گرد و غبار {{گام نخست | نخستین گام}} خوبی است",
      "که تحریم‌های بانکی مانع تجارت بشردوستانه شده است",
      "که گفت‌وگوها باید {{محرمانه | دور از رسانه‌ها}} بماند"};
  std::string out = "## جمع‌بندی\n\n";
  for (std::size_t k = 0; k < sentences; ++k) {
    out += rng.pick(subjects) + " " + rng.pick(verbs) + " " + rng.pick(clauses) + ". ";
    if (k % 4 == 3) out += "\n\n";
  }
  out += "\n\nپیشنهادهای گروه:\n\n";
  out += "+ ایجاد خط تماس مستقیم میان نیروهای دریایی دو کشور در خلیج فارس\n";
  out += "+ تسهیل صدور روادید برای دانشجویان و پژوهشگران دو طرف\n";
  out += "+ همکاری علمی در زمینه‌ی پیشگیری از زلزله و مدیریت بحران\n";
  return out;
}

// Words of markup as a copy renders them: only the first choice of each alternate counts.
std::size_t rendered_words(std::string_view markup) {
  std::string out;
  std::size_t i = 0;
  while (i < markup.size()) {
    if (markup.compare(i, 2, "{{") == 0) {
      const std::size_t bar = markup.find('|', i);
      const std::size_t close = markup.find("}}", i);
      out.append(markup.substr(i + 2, std::min(bar, close) - i - 2));
      i = close + 2;
      continue;
    }
    out.push_back(markup[i++]);
  }
  return count_words(out);
}

std::size_t count_words(std::string_view text) {
  std::size_t n = 0;
  bool in = false;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

std::string make_leak(std::string_view copy_text, std::uint64_t seed, const LeakSpec& spec) {
  PaperRng rng(seed);
  Words words;
  {
    std::size_t i = 0;
    while (i < copy_text.size()) {
      while (i < copy_text.size() && (copy_text[i] == ' ' || copy_text[i] == '\n' || copy_text[i] == '\t')) ++i;
      const std::size_t b = i;
      while (i < copy_text.size() && copy_text[i] != ' ' && copy_text[i] != '\n' && copy_text[i] != '\t') ++i;
      if (i > b) words.emplace_back(copy_text.substr(b, i - b));
    }
  }
  if (words.empty()) return {};
  const auto want = std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(words.size()) * spec.fraction));
  Words excerpt;
  if (!spec.reorder) {
    const std::size_t start = rng.below(words.size() - std::min(want, words.size()) + 1);
    excerpt.assign(words.begin() + static_cast<std::ptrdiff_t>(start),
                   words.begin() + static_cast<std::ptrdiff_t>(std::min(words.size(), start + want)));
  } else {
    // Several passages, each starting after a sentence end, from anywhere; then shuffled.
    std::vector<std::size_t> starts;
    for (std::size_t k = 0; k < words.size(); ++k)
      if (k == 0 || words[k - 1].back() == '.' || words[k - 1].back() == ';' || words[k - 1].back() == ':')
        starts.push_back(k);
    const std::size_t parts = 3 + rng.below(4);
    std::vector<bool> taken(words.size(), false);
    std::vector<Words> passages;
    for (std::size_t p = 0; p < parts; ++p) {
      const std::size_t len = std::max<std::size_t>(4, want / parts);
      for (int attempt = 0; attempt < 50; ++attempt) {
        const std::size_t s = starts[rng.below(starts.size())];
        const std::size_t e = std::min(words.size(), s + len);
        if (std::any_of(taken.begin() + static_cast<std::ptrdiff_t>(s), taken.begin() + static_cast<std::ptrdiff_t>(e),
                        [](bool b) { return b; }))
          continue;
        std::fill(taken.begin() + static_cast<std::ptrdiff_t>(s), taken.begin() + static_cast<std::ptrdiff_t>(e), true);
        passages.emplace_back(words.begin() + static_cast<std::ptrdiff_t>(s), words.begin() + static_cast<std::ptrdiff_t>(e));
        break;
      }
    }
    for (std::size_t k = passages.size(); k > 1; --k) std::swap(passages[k - 1], passages[rng.below(k)]);
    for (const auto& p : passages) excerpt.insert(excerpt.end(), p.begin(), p.end());
  }
  // Words changed: replaced by another word of the paper, deleted, or a word inserted.
  Words changed;
  for (const auto& w : excerpt) {
    if (!rng.chance(spec.word_changes)) {
      changed.push_back(w);
      continue;
    }
    switch (rng.below(4)) {
      case 0:
      case 1:
        changed.push_back(rng.pick(words));
        break;
      case 2:
        break;
      default:
        changed.push_back(w);
        changed.push_back(rng.pick(words));
        break;
    }
  }
  // Characters: OCR confusions, drops, stray letters, lost punctuation, case, joined and split
  // words, lines broken with a hyphen.
  static const std::array<std::pair<const char*, const char*>, 16> kConfusions = {{
      {"e", "c"}, {"c", "e"}, {"l", "1"}, {"i", "l"}, {"o", "0"}, {"m", "rn"}, {"rn", "m"}, {"h", "b"},
      {"n", "h"}, {"u", "v"}, {"a", "o"}, {"t", "f"}, {"S", "5"}, {"I", "l"}, {"d", "cl"}, {"w", "vv"}}};
  std::string out;
  std::size_t line = 0;
  for (std::size_t k = 0; k < changed.size(); ++k) {
    std::string w = changed[k];
    std::string noisy;
    for (std::size_t i = 0; i < w.size();) {
      const char c = w[i];
      if ((c == ',' || c == '.' || c == ';' || c == ':') && rng.chance(std::min(1.0, spec.char_noise * 10))) {
        ++i;  // punctuation lost
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x80 && rng.chance(spec.char_noise)) {
        switch (rng.below(4)) {
          case 0: {
            bool done = false;
            for (const auto& [from, to] : kConfusions) {
              const std::string_view f(from);
              if (w.compare(i, f.size(), f) == 0) {
                noisy += to;
                i += f.size();
                done = true;
                break;
              }
            }
            if (done) continue;
            noisy += c;
            break;
          }
          case 1:
            break;  // dropped
          case 2:
            noisy += c;
            noisy += static_cast<char>('a' + rng.below(26));
            break;
          default:
            noisy += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A')
                                            : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            break;
        }
        ++i;
        continue;
      }
      noisy += c;
      ++i;
    }
    if (noisy.empty()) continue;
    if (!out.empty()) {
      if (rng.chance(spec.char_noise / 2)) {
        // joined to the previous word
      } else if (line + noisy.size() > 72) {
        out += '\n';
        line = 0;
      } else {
        out += ' ';
        ++line;
      }
    }
    if (noisy.size() > 6 && rng.chance(spec.char_noise * 3)) {
      const std::size_t cut = 2 + rng.below(noisy.size() - 4);
      if (static_cast<unsigned char>(noisy[cut]) < 0x80 && static_cast<unsigned char>(noisy[cut - 1]) < 0x80) {
        noisy = noisy.substr(0, cut) + "-\n" + noisy.substr(cut);  // hyphenated at a line end
        line = noisy.size() - cut - 2;
        out += noisy;
        continue;
      }
    }
    out += noisy;
    line += noisy.size();
  }
  return out;
}

}  // namespace bc::test
