#include "backchannel/core/demo_vault.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "backchannel/core/meeting_import.h"

namespace bc::core {

namespace {

// Everyone and everything here is fictional. Keys are neutral on purpose: a key appears in
// warnings and reports, where a name must never appear.
struct DemoPerson {
  const char* key;
  const char* name;
  const char* affiliation;
  const char* delegation;
  const char* descriptor;
  std::vector<const char*> aliases;
  const char* to_participants;
  const char* to_public;
  const char* persian_name;  // nullptr for people without a Persian-script name
};

const std::vector<DemoPerson>& people() {
  static const std::vector<DemoPerson> kPeople = {
      {"convener", "Eleanor Whitfield", "Nordic Peace Institute", "Convener", "the convener", {"Ellie"}, "named", "named", nullptr},
      {"us-1", "Katherine Holloway", "U.S. Department of State (former)", "United States",
       "a former senior U.S. diplomat", {"Kate", "Ambassador Holloway"}, "role", "anonymous", nullptr},
      {"us-2", "Robert Asher", "Georgetown University", "United States", "an American scholar of the Gulf", {"Bob"},
       "pseudonym", "anonymous", nullptr},
      {"us-3", "Marcus Delaney", "Senate Foreign Relations Committee (former staff)", "United States",
       "a former congressional staffer", {}, "anonymous", "hidden", nullptr},
      {"us-4", "Susan Park", "Carnegie Endowment", "United States", "an American nonproliferation expert", {},
       "named", "role", nullptr},
      {"ir-1", "Mahmoud Rezaei", "Institute for Political and International Studies", "Iran",
       "a former Iranian diplomat", {"Dr. Rezaei", "محمود رضایی"}, "role", "anonymous", "محمود رضایی"},
      {"ir-2", "Hossein Tavakoli", "University of Tehran", "Iran", "an Iranian professor of international law",
       {"حسین توکلی"}, "pseudonym", "anonymous", "حسین توکلی"},
      {"ir-3", "Maryam Ahmadi", "Center for Strategic Research", "Iran", "an Iranian energy analyst",
       {"Ms. Ahmadi", "مریم احمدی"}, "anonymous", "hidden", "مریم احمدی"},
      {"ir-4", "Reza Karimi", "Ministry of Foreign Affairs (former)", "Iran", "a former Iranian official",
       {"رضا کریمی"}, "hidden", "hidden", "رضا کریمی"},
      {"ir-5", "Farideh Moradi", "Sharif University of Technology", "Iran", "an Iranian nuclear engineer",
       {"فریده مرادی"}, "pseudonym", "anonymous", "فریده مرادی"},
      {"host", "Lars Eklund", "Swedish Ministry for Foreign Affairs", "Sweden", "a host-government observer", {},
       "named", "role", nullptr},
      {"us-5", "David Mercer", "U.S. Department of Energy (former)", "United States", "a former U.S. energy official",
       {"Dave"}, "role", "hidden", nullptr},
  };
  return kPeople;
}

const char* const kTopics[] = {"sanctions relief", "a maritime incidents hotline", "enrichment caps",
                               "humanitarian trade channels", "prisoner exchanges", "shared water management",
                               "academic exchanges", "a regional security forum", "IAEA verification",
                               "aviation safety parts"};
const char* const kPersianTopics[] = {"کاهش تحریم‌ها", "خط ارتباطی دریایی", "مدیریت منابع آب", "تبادل زندانیان",
                                      "همکاری‌های علمی", "راستی‌آزمایی آژانس"};

struct Template {
  const char* kind;
  const char* text;  // {topic} {ptopic} {other} {other_family} {other_alias} {other_fa}
};

const Template kTemplates[] = {
    {"statement", "The sequencing question remains the hardest part of {topic}: who moves first, and how is it verified?"},
    {"statement", "{other} argued earlier that {topic} should be decoupled from the broader file; I am not convinced."},
    {"statement", "Domestic politics will decide whether {topic} survives; neither capital can sell it as a concession."},
    {"statement", "{other_family}'s point about {topic} deserves more attention than it got this morning."},
    {"statement", "As {other_alias} put it, trust is built in small steps that each side can check for itself."},
    {"statement", "Back in the Ahmadinejad years nobody would have discussed {topic} in a room like this."},
    {"statement", "We should be honest that Iran and the United States read the same history very differently."},
    {"question", "How would {topic} survive a change of administration in Washington or in Tehran?"},
    {"question", "Could {other} say more about what verification of {topic} would look like in practice?"},
    {"proposal", "A technical working group on {topic}, meeting quarterly, with a written record for both sides."},
    {"proposal", "Pilot {topic} for six months and review it at the next round before anything is scaled up."},
    {"agreement", "Broad agreement that {topic} deserves a joint fact sheet before the next round."},
    {"agreement", "Agreement with {other_family} that {topic} needs a channel that does not depend on the news cycle."},
    {"disagreement", "Disagreement over whether {topic} can be verified without IAEA access to the sites."},
    {"disagreement", "Sharp disagreement with {other}'s reading of the 2015 negotiations and what {topic} means after them."},
    {"action", "Circulate a two-page note on {topic} to all participants by the end of the month."},
    {"action", "Ask {other_alias} to draft questions on {topic} for the experts' session."},
    {"observation", "The discussion of {topic} was calmer than in earlier rounds."},
    {"statement", "{other_fa} گفت که گام‌های کوچک و قابل راستی‌آزمایی برای اعتمادسازی ضروری است."},
    {"statement", "به نظر من {ptopic} بدون حمایت سیاسی در هر دو پایتخت پیش نمی‌رود."},
    {"proposal", "پیشنهاد: تشکیل یک کارگروه فنی درباره‌ی {ptopic} با گزارش مکتوب برای هر دو طرف."},
    {"agreement", "توافق شد که موضوع {ptopic} در دور بعدی گفتگو بررسی شود."},
    {"question", "پرسش: چگونه می‌توان {ptopic} را بدون دسترسی کامل راستی‌آزمایی کرد؟"},
    {"disagreement", "درباره‌ی {ptopic} اختلاف نظر جدی وجود داشت؛ {other_fa} با این رویکرد مخالف بود."},
};

struct DemoMeeting {
  const char* title;
  const char* starts_at;
  const char* location;
  int notes;
  std::vector<int> absent;  // indices into people()
};

const DemoMeeting kMeetings[] = {
    {"Round 1: opening positions", "2024-03-12T09:00:00Z", "Stockholm", 80, {}},
    {"Round 2: maritime risks", "2024-06-18T09:30:00Z", "Geneva", 70, {3, 11}},
    {"Round 3: sanctions and trade", "2024-10-02T08:30:00Z", "Oslo", 75, {}},
    {"Round 4: verification", "2025-02-11T09:00:00Z", "Vienna", 75, {8}},
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

std::string family_name(const std::string& name) { return name.substr(name.rfind(' ') + 1); }

}  // namespace

Result<DemoSummary> populate_demo(Vault& vault) {
  std::mt19937 rng(20240312);  // fixed seed: the demo is the same every time
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto& all = people();
  DemoSummary summary;
  summary.participants = all.size();
  for (const auto& dm : kMeetings) {
    nlohmann::ordered_json doc;
    doc["format"] = "backchannel.meeting/1";
    doc["series"] = {{"title", "Caspian Futures Dialogue"}, {"rule", "chatham-house"}};
    doc["meeting"] = {{"title", dm.title},
                      {"starts_at", dm.starts_at},
                      {"location", dm.location},
                      {"location_disclosure", {{"participants", "named"}, {"public", "hidden"}}},
                      {"public_terms", {"Iran", "United States", "IAEA", "Sweden"}}};
    std::vector<std::size_t> present;
    auto& jp = doc["participants"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < all.size(); ++i) {
      bool absent = false;
      for (int a : dm.absent) absent = absent || static_cast<std::size_t>(a) == i;
      if (absent) continue;
      present.push_back(i);
      const auto& p = all[i];
      nlohmann::ordered_json aliases = nlohmann::ordered_json::array();
      for (const char* a : p.aliases) aliases.push_back(a);
      jp.push_back({{"key", p.key}, {"name", p.name}, {"affiliation", p.affiliation}, {"delegation", p.delegation},
                    {"descriptor", p.descriptor}, {"aliases", aliases},
                    {"disclosure", {{"participants", p.to_participants}, {"public", p.to_public}}}});
    }
    auto& jn = doc["notes"] = nlohmann::ordered_json::array();
    int minute = 0;
    for (int k = 0; k < dm.notes; ++k) {
      const std::size_t speaker = present[pick(present.size())];
      std::size_t other = present[pick(present.size())];
      if (other == speaker) other = present[(pick(present.size() - 1) + 1) % present.size()];
      const Template& t = kTemplates[pick(std::size(kTemplates))];
      const auto& o = all[other];
      std::string text = t.text;
      text = replace_all(text, "{topic}", kTopics[pick(std::size(kTopics))]);
      text = replace_all(text, "{ptopic}", kPersianTopics[pick(std::size(kPersianTopics))]);
      text = replace_all(text, "{other_family}", family_name(o.name));
      text = replace_all(text, "{other_alias}", o.aliases.empty() ? o.name : o.aliases[0]);
      text = replace_all(text, "{other_fa}", o.persian_name != nullptr ? o.persian_name : o.name);
      text = replace_all(text, "{other}", o.name);
      minute += 1 + static_cast<int>(pick(4));
      char at[32];
      std::snprintf(at, sizeof at, "%.11s%02d:%02d:00Z", dm.starts_at, 9 + minute / 60, minute % 60);
      jn.push_back({{"speaker", all[speaker].key}, {"kind", t.kind}, {"at", at}, {"text", text}});
    }
    // One organizer-only note per meeting: logistics that must never reach a summary.
    jn.push_back({{"kind", "observation"}, {"visibility", "organizers"},
                  {"text", "Organizer only: " + std::string(all[present[pick(present.size())]].name) +
                               " needs a visa letter before the next round."}});
    BC_ASSIGN(ImportedMeeting m, import_meeting(vault, doc.dump()));
    summary.meetings += 1;
    summary.notes += m.notes;
  }
  return summary;
}

}  // namespace bc::core
