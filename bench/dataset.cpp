#include "dataset.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>

namespace bc::bench {

namespace {

// Name pools (common names; the combinations are fictional).
const char* const kEnFirst[] = {"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
                                "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
                                "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
                                "Mark", "Margaret", "Steven", "Sandra", "Paul", "Ashley", "Andrew", "Kimberly"};
const char* const kEnLast[] = {"Holloway", "Whitfield", "Asher", "Delaney", "Mercer", "Thornton", "Prescott", "Lindqvist",
                               "Okafor", "Brennan", "Calloway", "Harrington", "Kessler", "Vance", "Sutherland", "Aldridge",
                               "Pemberton", "Rutherford", "Fairbanks", "Winslow", "Hargrove", "Ellison", "Marlowe",
                               "Blackwood", "Ashford", "Carver", "Donovan", "Everett", "Fletcher", "Garrison"};
struct PersianName {
  const char* latin;
  const char* persian;
};
const PersianName kFaFirst[] = {{"Mahmoud", "محمود"}, {"Mohammad", "محمد"}, {"Hossein", "حسین"}, {"Ali", "علی"},
                                {"Reza", "رضا"},      {"Maryam", "مریم"},   {"Fatemeh", "فاطمه"}, {"Zahra", "زهرا"},
                                {"Hassan", "حسن"},    {"Mehdi", "مهدی"},    {"Parisa", "پریسا"},  {"Farideh", "فریده"},
                                {"Javad", "جواد"},    {"Saeed", "سعید"},    {"Nasrin", "نسرین"},  {"Abbas", "عباس"},
                                {"Leila", "لیلا"},    {"Hamid", "حمید"},    {"Shirin", "شیرین"},  {"Karim", "کریم"}};
const PersianName kFaLast[] = {{"Rezaei", "رضایی"},   {"Tavakoli", "توکلی"}, {"Ahmadi", "احمدی"},   {"Karimi", "کریمی"},
                               {"Moradi", "مرادی"},   {"Hashemi", "هاشمی"},  {"Rostami", "رستمی"},  {"Jafari", "جعفری"},
                               {"Mousavi", "موسوی"},  {"Hosseini", "حسینی"}, {"Sadeghi", "صادقی"},  {"Rahimi", "رحیمی"},
                               {"Ebrahimi", "ابراهیمی"}, {"Ghorbani", "قربانی"}, {"Nazari", "نظری"}, {"Salehi", "صالحی"},
                               {"Kazemi", "کاظمی"},   {"Bagheri", "باقری"},  {"Amini", "امینی"},    {"Zarif", "ظریف"},
                               {"Soltani", "سلطانی"}, {"Farahani", "فراهانی"}, {"Najafi", "نجفی"}, {"Akbari", "اکبری"}};
const char* const kInstitutions[] = {"Institute for Strategic Studies", "University", "Center for Policy Research",
                                     "Ministry of Foreign Affairs (former)", "Council on Regional Affairs",
                                     "Energy Research Center", "Peace Research Institute", "Law Faculty",
                                     "Maritime Security Forum", "Department of State (former)"};
const char* const kPlaces[] = {"Tehran", "Isfahan", "Shiraz", "Tabriz", "Mashhad", "Boston", "Chicago", "Denver",
                               "Austin", "Seattle", "Geneva", "Oslo", "Vienna", "Stockholm", "Helsinki"};
const char* const kTopics[] = {"sanctions relief", "a maritime incidents hotline", "enrichment caps", "humanitarian trade",
                               "prisoner exchanges", "shared water management", "academic exchanges",
                               "regional security", "IAEA verification", "aviation safety", "cyber norms",
                               "Caspian fisheries", "refugee flows", "drug interdiction", "earthquake relief"};
const char* const kFaTopics[] = {"کاهش تحریم‌ها", "خط ارتباطی دریایی", "مدیریت منابع آب", "تبادل زندانیان",
                                 "همکاری‌های علمی", "امنیت منطقه‌ای", "راستی‌آزمایی آژانس", "ایمنی هوانوردی"};
const char* const kEnSentences[] = {
    "The sequencing question remains the hardest part of {t}: who moves first, and how is it verified?",
    "{p} argued that {t} should be decoupled from the broader file.",
    "Domestic politics will decide whether {t} survives in either capital.",
    "A technical working group on {t}, meeting quarterly, with a written record.",
    "Broad agreement that {t} deserves a joint fact sheet before the next round.",
    "Disagreement over whether {t} can be verified without access to the sites.",
    "How would {t} survive a change of government on either side?",
    "Circulate a two-page note on {t} to all participants by the end of the month.",
    "The discussion of {t} was calmer than in earlier rounds, and more specific.",
    "Pilot {t} for six months and review it at the next round before scaling up.",
    "Trust is built in small steps that each side can check for itself.",
    "Nobody in this room can speak for a government, which is exactly why the room is useful."};
const char* const kFaSentences[] = {"{p} گفت که گام‌های کوچک و قابل راستی‌آزمایی برای اعتمادسازی ضروری است.",
                                    "به نظر من {t} بدون حمایت سیاسی در هر دو پایتخت پیش نمی‌رود.",
                                    "پیشنهاد: تشکیل یک کارگروه فنی درباره‌ی {t} با گزارش مکتوب.",
                                    "توافق شد که موضوع {t} در دور بعدی گفتگو بررسی شود.",
                                    "پرسش: چگونه می‌توان {t} را بدون دسترسی کامل راستی‌آزمایی کرد؟",
                                    "درباره‌ی {t} اختلاف نظر جدی وجود داشت."};
const char* const kKinds[] = {"statement", "statement", "statement", "statement", "question", "proposal",
                              "agreement", "disagreement", "action", "observation"};
const char* const kLevels[] = {"named", "role", "pseudonym", "anonymous", "hidden"};

struct Person {
  std::string key, name, family, affiliation, delegation, descriptor;
  std::vector<std::string> aliases;
  std::string persian;  // Persian-script name, empty for others
  const char* to_participants;
  const char* to_public;
};

template <class T, std::size_t N>
const T& pick(std::mt19937_64& rng, const T (&arr)[N]) {
  return arr[rng() % N];
}

std::vector<Person> make_people(const DatasetSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  std::vector<Person> people;
  // Two attendees with the same full name, one named and one protected, make any summary that
  // lists the named one a leak of the other (the scanner rightly blocks it); real series have few
  // such pairs, so the dataset has none.
  std::set<std::string> used_names;
  for (std::size_t i = 0; i < spec.participants; ++i) {
    Person p;
    p.key = "p" + std::to_string(i + 1);
    const bool iranian = i % 2 == 1;
    if (iranian) {
      const PersianName* fp;
      const PersianName* lp;
      do {
        fp = &pick(rng, kFaFirst);
        lp = &pick(rng, kFaLast);
      } while (!used_names.insert(std::string(fp->latin) + " " + lp->latin).second);
      const auto& f = *fp;
      const auto& l = *lp;
      p.name = std::string(f.latin) + " " + l.latin;
      p.family = l.latin;
      p.persian = std::string(f.persian) + " " + l.persian;
      p.delegation = "Iran";
      p.aliases = {p.persian, "Dr. " + p.family, std::string(f.latin), std::string(l.persian)};
    } else {
      const char* f;
      const char* l;
      do {
        f = pick(rng, kEnFirst);
        l = pick(rng, kEnLast);
      } while (!used_names.insert(std::string(f) + " " + l).second);
      p.name = std::string(f) + " " + l;
      p.family = l;
      p.delegation = i % 10 == 4 ? "Sweden" : "United States";
      p.aliases = {std::string(f).substr(0, 3) + "." + " " + l, "Ambassador " + p.family, std::string(f),
                   std::string(f) + "." + p.family + "@example.org"};
    }
    // Numbered to keep each participant's protected forms distinct across the dataset.
    p.affiliation = std::string(pick(rng, kPlaces)) + " " + pick(rng, kInstitutions) + " " + std::to_string(i + 1);
    p.descriptor = iranian ? "an Iranian expert" : "an American expert";
    p.to_participants = kLevels[rng() % 5];
    p.to_public = kLevels[2 + rng() % 3];
    people.push_back(std::move(p));
  }
  return people;
}

std::string fill(std::string s, const std::string& person, const std::string& topic) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"{p}", person}, {"{t}", topic}}) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  }
  return s;
}


// A meeting-import document up to its notes: the series, the meeting (its location named to the
// participants, hidden from the public), every person with their aliases and disclosure, and an
// empty list of notes for the caller to fill.
template <class P>
nlohmann::ordered_json meeting_document(const char* series, const std::string& title, const std::string& starts_at,
                                        const std::string& location, const std::vector<P>& people) {
  nlohmann::ordered_json doc;
  doc["format"] = "backchannel.meeting/1";
  doc["series"] = {{"title", series}, {"rule", "chatham-house"}};
  doc["meeting"] = {{"title", title},
                    {"starts_at", starts_at},
                    {"location", location},
                    {"location_disclosure", {{"participants", "named"}, {"public", "hidden"}}},
                    {"public_terms", {"Iran", "United States", "Sweden", "IAEA"}}};
  auto& jp = doc["participants"] = nlohmann::ordered_json::array();
  for (const auto& p : people)
    jp.push_back({{"key", p.key}, {"name", p.name}, {"affiliation", p.affiliation}, {"delegation", p.delegation},
                  {"descriptor", p.descriptor}, {"aliases", p.aliases},
                  {"disclosure", {{"participants", p.to_participants}, {"public", p.to_public}}}});
  doc["notes"] = nlohmann::ordered_json::array();
  return doc;
}
}  // namespace

std::vector<std::string> protected_forms(const DatasetSpec& spec) {
  std::vector<std::string> out;
  for (const auto& p : make_people(spec)) {
    out.push_back(p.name);
    out.push_back(p.family);
    out.push_back(p.affiliation);
    for (const auto& a : p.aliases) out.push_back(a);
  }
  return out;
}

namespace {

// The name-dense meeting's own pools: English family names with a Persian spelling, so that
// every participant has forms in both scripts.
const PersianName kEnLastBoth[] = {{"Holloway", "هالووی"},    {"Whitfield", "ویتفیلد"},  {"Delaney", "دیلینی"},
                                   {"Mercer", "مرسر"},        {"Thornton", "تورنتون"},   {"Prescott", "پرسکات"},
                                   {"Lindqvist", "لیندکویست"}, {"Brennan", "برنن"},      {"Calloway", "کالووی"},
                                   {"Harrington", "هرینگتون"}, {"Kessler", "کسلر"},      {"Sutherland", "ساترلند"},
                                   {"Pemberton", "پمبرتون"},  {"Rutherford", "رادرفورد"}, {"Fairbanks", "فربنکس"},
                                   {"Winslow", "وینزلو"},     {"Hargrove", "هارگرو"},    {"Ellison", "الیسون"},
                                   {"Blackwood", "بلکوود"},   {"Fletcher", "فلچر"}};
const char* const kDenseEn1[] = {"{p} argued that {t} should be decoupled from the broader file.",
                                 "{p} asked how {t} would be verified without access to the sites.",
                                 "According to {p}, {t} will not survive a change of government.",
                                 "{p} proposed a technical working group on {t}, meeting quarterly.",
                                 "{p} agreed to circulate a two-page note on {t} by the end of the month."};
const char* const kDenseEn2[] = {"{p} disagreed with {q} on whether {t} can be verified.",
                                 "{p} and {q} will draft a joint fact sheet on {t}.",
                                 "Responding to {q}, {p} said that {t} deserves a pilot before scaling up."};
const char* const kDenseEn3[] = {"{p}, {q} and {r} agreed that {t} should come first at the next round."};
const char* const kDenseFa1[] = {"{p} گفت که {t} بدون حمایت سیاسی پیش نمی‌رود.",
                                 "به گفته‌ی {p}، موضوع {t} باید در دور بعدی بررسی شود.",
                                 "{p} پیشنهاد کرد کارگروهی فنی درباره‌ی {t} تشکیل شود."};
const char* const kDenseFa2[] = {"{p} با نظر {q} درباره‌ی {t} مخالفت کرد.", "{p} و {q} قرار شد یادداشتی درباره‌ی {t} بنویسند."};
const char* const kDenseFa3[] = {"{p}، {q} و {r} توافق کردند که {t} در اولویت باشد."};

struct DensePerson {
  std::string key, name, family, affiliation, delegation, descriptor;
  std::string name_fa, family_fa;  // Persian-script full name (Iranians) and family name (everyone)
  std::string first, title;        // Latin given name; "Dr." or "Ambassador"
  std::vector<std::string> aliases;
  const char* to_participants;
  const char* to_public;
};

std::vector<DensePerson> make_dense_people(std::mt19937_64& rng) {
  // Every given and family name used once, so that no two participants share a form.
  auto order = [&](std::size_t n) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    std::shuffle(idx.begin(), idx.end(), rng);
    return idx;
  };
  const auto en_first = order(std::size(kEnFirst)), en_last = order(std::size(kEnLastBoth));
  const auto fa_first = order(std::size(kFaFirst)), fa_last = order(std::size(kFaLast));
  std::vector<DensePerson> people;
  for (std::size_t i = 0; i < 40; ++i) {
    DensePerson p;
    p.key = "p" + std::to_string(i + 1);
    if (i % 2 == 1) {
      const PersianName& f = kFaFirst[fa_first[i / 2]];
      const PersianName& l = kFaLast[fa_last[i / 2]];
      p.first = f.latin;
      p.family = l.latin;
      p.name_fa = std::string(f.persian) + " " + l.persian;
      p.family_fa = l.persian;
      p.title = "Dr.";
      p.delegation = "Iran";
      p.descriptor = "an Iranian expert";
    } else {
      const char* f = kEnFirst[en_first[i / 2]];
      const PersianName& l = kEnLastBoth[en_last[i / 2]];
      p.first = f;
      p.family = l.latin;
      p.family_fa = l.persian;
      p.title = "Ambassador";
      p.delegation = i % 10 == 4 ? "Sweden" : "United States";
      p.descriptor = "an American expert";
    }
    p.name = p.first + " " + p.family;
    p.aliases = {p.title + " " + p.family, p.first, p.family_fa};
    if (!p.name_fa.empty()) p.aliases.push_back(p.name_fa);
    else p.aliases.push_back(p.first + "." + p.family + "@example.org");
    p.affiliation = std::string(pick(rng, kPlaces)) + " " + pick(rng, kInstitutions) + " " + std::to_string(i + 1);
    p.to_participants = kLevels[rng() % 5];
    p.to_public = kLevels[2 + rng() % 3];
    people.push_back(std::move(p));
  }
  return people;
}

// How a note names `p`: in English notes mostly Latin forms, in Persian notes mostly Persian
// ones, now and then the other script (as notes taken in one language do).
std::string dense_mention(std::mt19937_64& rng, const DensePerson& p, bool persian) {
  const auto r = rng() % 20;
  if (r == 0) return p.affiliation;
  if (!persian) {
    if (r < 7) return p.name;
    if (r < 12) return p.family;
    if (r < 15) return p.title + " " + p.family;
    if (r < 18) return p.first;
    return p.name_fa.empty() ? p.first + "." + p.family + "@example.org" : p.name_fa;
  }
  if (r < 8) return p.name_fa.empty() ? p.family_fa : p.name_fa;
  if (r < 14) return p.family_fa;
  if (r < 17) return std::string(p.name_fa.empty() ? "آقای " : "دکتر ") + p.family_fa;
  return p.name;
}

}  // namespace

std::string generate_name_dense_meeting(std::size_t notes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto people = make_dense_people(rng);
  auto doc = meeting_document("Name-Dense Benchmark Series", "Round 1", "2026-11-15T09:00:00Z", "Oslo", people);
  auto& jn = doc["notes"];
  for (std::size_t k = 0; k < notes; ++k) {
    const bool persian = rng() % 3 == 0;
    // One note in ten names nobody; the others one (half), two or three people.
    const auto r = rng() % 10;
    const std::size_t named = r == 0 ? 0 : r < 6 ? 1 : r < 9 ? 2 : 3;
    std::string text;
    switch (named) {
      case 0: text = persian ? pick(rng, kFaSentences) : pick(rng, kEnSentences); break;
      case 1: text = persian ? pick(rng, kDenseFa1) : pick(rng, kDenseEn1); break;
      case 2: text = persian ? pick(rng, kDenseFa2) : pick(rng, kDenseEn2); break;
      default: text = persian ? pick(rng, kDenseFa3) : pick(rng, kDenseEn3); break;
    }
    // Distinct people in one note (a sentence about Holloway and Holloway reads oddly).
    std::vector<std::size_t> who;
    while (who.size() < 3) {
      const std::size_t w = rng() % people.size();
      if (std::find(who.begin(), who.end(), w) == who.end()) who.push_back(w);
    }
    const char* slots[] = {"{p}", "{q}", "{r}"};
    for (std::size_t s = 0; s < 3; ++s) {
      const std::size_t pos = text.find(slots[s]);
      if (pos != std::string::npos) text.replace(pos, 3, dense_mention(rng, people[who[s]], persian));
    }
    // A sentence of the general pool may still have its {p}: nobody in particular.
    text = fill(text, persian ? "یکی از شرکت‌کنندگان" : "One participant", persian ? pick(rng, kFaTopics) : pick(rng, kTopics));
    const std::size_t minute = k / 4;
    char at[96];
    std::snprintf(at, sizeof at, "2026-11-15T%02zu:%02zu:%02zuZ", 9 + minute / 60 % 14, minute % 60, (k % 4) * 15);
    jn.push_back({{"speaker", people[rng() % people.size()].key}, {"kind", pick(rng, kKinds)}, {"at", at}, {"text", text}});
  }
  return doc.dump();
}

std::vector<std::string> generate_meetings(const DatasetSpec& spec) {
  const auto people = make_people(spec);
  std::mt19937_64 rng(spec.seed ^ 0x9e3779b97f4a7c15ull);
  std::vector<std::string> docs;
  for (std::size_t m = 0; m < spec.meetings; ++m) {
    char starts[64];
    std::snprintf(starts, sizeof starts, "20%02zu-%02zu-15T09:00:00Z", 10 + m / 12, 1 + m % 12);
    const std::string location = pick(rng, kPlaces);
    auto doc = meeting_document("Benchmark Dialogue Series", "Round " + std::to_string(m + 1), starts, location, people);
    auto& jn = doc["notes"];
    for (std::size_t k = 0; k < spec.notes_per_meeting; ++k) {
      const Person& speaker = people[rng() % people.size()];
      const Person& other = people[rng() % people.size()];
      const bool persian = rng() % 4 == 0;
      // About one note in five names someone (name, family name, alias, or affiliation).
      std::string mention;
      switch (rng() % 10) {
        case 0: mention = other.name; break;
        case 1: mention = other.persian.empty() ? other.family : other.persian; break;
        default: mention = persian ? "یکی از شرکت‌کنندگان" : "one participant"; break;
      }
      std::string text = persian ? fill(pick(rng, kFaSentences), mention, pick(rng, kFaTopics))
                                 : fill(pick(rng, kEnSentences), mention, pick(rng, kTopics));
      if (rng() % 12 == 0) text += persian ? " (" + other.family + ")" : " See also the paper by " + other.affiliation + ".";
      const std::size_t minute = k / 4;
      char at[96];
      std::snprintf(at, sizeof at, "%.11s%02zu:%02zu:%02zuZ", starts, 9 + minute / 60 % 14, minute % 60, (k % 4) * 15);
      jn.push_back({{"speaker", speaker.key}, {"kind", pick(rng, kKinds)}, {"at", at}, {"text", text}});
    }
    docs.push_back(doc.dump());
  }
  return docs;
}

}  // namespace bc::bench
