// End-to-end: the meeting and note commands of the real backchannel-cli (import-meeting,
// meetings, participants, notes, note add|edit|history|delete|purge, search, demo), the broken
// import fixtures in tests/data/broken-imports, and a canary check that nothing confidential
// leaves the encrypted vault.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/vault.h"
#include "cli_test_helpers.h"
#include "vault_store_access.h"

namespace bc::test::cli {
namespace {

// Finds the element of a JSON array whose `field` equals `value` (null when none).
json find_by(const json& array, const std::string& field, const json& value) {
  for (const auto& e : array)
    if (e.contains(field) && e[field] == value) return e;
  return json();
}

// The id of the note (in `notes --json` output) whose text contains `fragment`.
std::int64_t note_id_with(const json& notes, const std::string& fragment) {
  for (const auto& n : notes)
    if (n["text"].get<std::string>().find(fragment) != std::string::npos) return n["id"].get<std::int64_t>();
  ADD_FAILURE() << "no note contains " << fragment;
  return -1;
}

std::set<std::int64_t> hit_ids(const json& hits) {
  std::set<std::int64_t> ids;
  for (const auto& h : hits) ids.insert(h["note"].get<std::int64_t>());
  return ids;
}

bool has_arabic_script(const std::string& s) {
  // U+0600-U+06FF is encoded with a lead byte 0xD8-0xDB.
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0xD8 && b <= 0xDB;
  });
}

// A Sandbox with a vault holding the spec's sample meeting as meeting 1.
class SampleVault : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(sb.init().empty());
    ASSERT_EQ(sb.import(sample_meeting()), 1);
  }
  json notes(std::int64_t meeting = 1) const {
    return sb.run_json({"notes", "--meeting", std::to_string(meeting), "--json"});
  }
  json search(const std::string& query) const { return sb.run_json({"search", query, "--json"}); }
  Sandbox sb;
};

// ---------------------------------------------------------------------------------------------
// import-meeting and the listings

TEST_F(SampleVault, MeetingsParticipantsAndNotesAsJson) {
  const json ms = sb.run_json({"meetings", "--json"});
  ASSERT_TRUE(ms.is_array());
  ASSERT_EQ(ms.size(), 1u) << ms.dump(2);
  const json& m = ms[0];
  EXPECT_EQ(m["id"], 1);
  EXPECT_EQ(m["series"], "Water and Environment Exchange");
  EXPECT_EQ(m["title"], "Session 3: shared rivers");
  EXPECT_EQ(m["starts_at"], "2008-04-09T13:30:00Z");
  EXPECT_EQ(m["location"], "Vienna");
  EXPECT_EQ(m["location_disclosure"], json({{"participants", "named"}, {"public", "hidden"}}));
  EXPECT_EQ(m["rule"], "chatham-house");
  EXPECT_EQ(m["public_terms"], json({"UNEP", "Afghanistan", "Iran"}));
  EXPECT_EQ(m["notes"], 7);

  const json ps = sb.run_json({"participants", "--meeting", "1", "--json"});
  ASSERT_TRUE(ps.is_array());
  ASSERT_EQ(ps.size(), 5u) << ps.dump(2);
  std::vector<std::string> keys;
  for (const auto& p : ps) keys.push_back(p["key"].get<std::string>());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c", "d", "e"})) << "attendance order";
  const json b = find_by(ps, "key", "b");
  EXPECT_EQ(b["name"], "Parisa Hashemi");
  EXPECT_EQ(b["affiliation"], "Department of Environment");
  EXPECT_EQ(b["delegation"], "Iran");
  EXPECT_EQ(b["descriptor"], "an Iranian environmental official");
  EXPECT_EQ(b["aliases"], json({"Ms. Hashemi", "پریسا هاشمی"}));
  EXPECT_EQ(b["disclosure"], json({{"participants", "pseudonym"}, {"public", "anonymous"}}));
  EXPECT_EQ(find_by(ps, "key", "a")["disclosure"], json({{"participants", "named"}, {"public", "named"}}));
  EXPECT_EQ(find_by(ps, "key", "c")["disclosure"], json({{"participants", "role"}, {"public", "anonymous"}}));
  EXPECT_EQ(find_by(ps, "key", "d")["disclosure"], json({{"participants", "anonymous"}, {"public", "hidden"}}));
  EXPECT_EQ(find_by(ps, "key", "e")["disclosure"], json({{"participants", "named"}, {"public", "role"}}));
  EXPECT_EQ(find_by(ps, "key", "e")["aliases"], json::array());

  const json ns = notes();
  ASSERT_TRUE(ns.is_array());
  ASSERT_EQ(ns.size(), 7u) << ns.dump(2);
  std::size_t organizers_only = 0;
  for (const auto& n : ns) {
    EXPECT_EQ(n["revision"], 1);
    if (n["visibility"] == "organizers") {
      ++organizers_only;
      EXPECT_TRUE(n["speaker"].is_null()) << n.dump();
      EXPECT_EQ(n["kind"], "observation");
      EXPECT_NE(n["text"].get<std::string>().find("visa letter"), std::string::npos);
    } else {
      EXPECT_EQ(n["visibility"], "summary") << n.dump();
    }
  }
  EXPECT_EQ(organizers_only, 1u);
  EXPECT_EQ(ns[0]["speaker"], "a");
  EXPECT_EQ(ns[0]["kind"], "observation");
  EXPECT_EQ(ns[0]["at"], "2008-04-09T13:32:00Z");
  const json persian = find_by(ns, "speaker", "d");
  EXPECT_EQ(persian["kind"], "proposal");
  EXPECT_EQ(persian["text"], "علی رستمی پیشنهاد کرد که داده‌های ماهواره‌ای به‌صورت مشترک منتشر شود.")
      << "the Persian text (with its zero-width non-joiners) must come back byte for byte";

  // The human-readable forms work too.
  const RunResult table = sb.run({"meetings"});
  EXPECT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_NE(table.out.find("Session 3"), std::string::npos) << describe(table);
  const RunResult people = sb.run({"participants", "--meeting", "1"});
  EXPECT_EQ(people.exit_code, 0) << describe(people);
  EXPECT_NE(people.out.find("Parisa Hashemi"), std::string::npos) << describe(people);
  EXPECT_NE(people.out.find("pseudonym"), std::string::npos) << describe(people);
  const RunResult text = sb.run({"notes", "--meeting", "1"});
  EXPECT_EQ(text.exit_code, 0) << describe(text);
  EXPECT_NE(text.out.find("organizers only"), std::string::npos) << describe(text);
  EXPECT_NE(text.out.find("علی رستمی"), std::string::npos) << describe(text);
}

TEST_F(SampleVault, ASecondImportIsANewMeetingOfTheSameSeries) {
  EXPECT_EQ(sb.import(sample_meeting()), 2);
  const json ms = sb.run_json({"meetings", "--json"});
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0]["series"], ms[1]["series"]);
  EXPECT_NE(ms[0]["uid"], ms[1]["uid"]);
  EXPECT_EQ(sb.run_json({"participants", "--meeting", "2", "--json"}).size(), 5u);
  EXPECT_EQ(notes(2).size(), 7u);
  EXPECT_EQ(notes(1).size(), 7u);
}

TEST_F(SampleVault, SeriesListsEachSeriesOnceWithIdUidAndTitle) {
  EXPECT_EQ(sb.import(sample_meeting()), 2);
  const json ss = sb.run_json({"series", "--json"});
  ASSERT_EQ(ss.size(), 1u) << "two meetings of one series";
  const json ms = sb.run_json({"meetings", "--json"});
  EXPECT_EQ(ss[0]["title"], ms[0]["series"]);
  EXPECT_TRUE(ss[0]["id"].is_number_integer());
  EXPECT_EQ(ss[0]["uid"].get<std::string>().size(), 32u);
  const RunResult text = sb.run({"series"});
  ASSERT_EQ(text.exit_code, 0) << describe(text);
  EXPECT_NE(text.out.find(ms[0]["series"].get<std::string>()), std::string::npos);
}

TEST_F(SampleVault, UnknownMeetingIsNotFound) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"participants", "--meeting", "99"},
                                                               {"notes", "--meeting", "99"},
                                                               {"notes", "--meeting", "99", "--json"},
                                                               {"note", "add", "--meeting", "99", "text"},
                                                               {"note", "edit", "99", "text"},
                                                               {"note", "history", "99"},
                                                               {"note", "delete", "99"},
                                                               {"import-meeting", (sb.in() / "missing.json").string()}}) {
    SCOPED_TRACE(args.front() + " " + args[1]);
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 4) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(r.out, "");
  }
}

// One row of tests/data/broken-imports/README.md.
struct BrokenImport {
  std::string file;
  int exit_code = 0;
  std::string prefix;
};

std::vector<BrokenImport> read_broken_import_table(const fs::path& readme) {
  std::vector<BrokenImport> rows;
  std::ifstream in(readme);
  std::string line;
  auto cell = [](std::string s) {
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    if (s.size() >= 2 && s.front() == '`' && s.back() == '`') s = s.substr(1, s.size() - 2);
    return s;
  };
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;  // only data rows start with a quoted file name
    std::vector<std::string> cells;
    std::size_t pos = 1;
    while (true) {
      const auto bar = line.find(" | ", pos);
      if (bar == std::string::npos) {
        cells.push_back(cell(line.substr(pos, line.rfind('|') - pos)));
        break;
      }
      cells.push_back(cell(line.substr(pos, bar - pos)));
      pos = bar + 2;
    }
    if (cells.size() != 3) {
      ADD_FAILURE() << "README row without three cells: " << line;
      continue;
    }
    rows.push_back({cells[0], std::stoi(cells[1]), cells[2]});
  }
  return rows;
}

TEST_F(SampleVault, BrokenImportsAreRejectedWholeWithTheJsonPathOfTheProblem) {
  const fs::path dir = data_dir() / "broken-imports";
  std::vector<BrokenImport> cases = read_broken_import_table(dir / "README.md");
  ASSERT_GE(cases.size(), 18u) << "README.md table not found or too short";

  // The table and the folder agree.
  std::set<std::string> listed, present;
  for (const auto& c : cases) {
    EXPECT_TRUE(listed.insert(c.file).second) << c.file << " is listed twice";
    EXPECT_EQ(c.exit_code, 4) << c.file << ": every broken import is bad input";
    EXPECT_FALSE(c.prefix.empty()) << c.file;
  }
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") present.insert(e.path().filename().string());
  EXPECT_EQ(listed, present) << "README.md and the .json files in broken-imports disagree";

  // Generated here, not committed: a note of 10 MB (the limit is far lower).
  {
    json doc = json::parse(read_file(sample_meeting()));
    std::string big;
    big.reserve(10u << 20);
    while (big.size() < (10u << 20)) big += "The delegations discussed the basin at length. ";
    doc["notes"][0]["text"] = big;
    write_file(sb.in() / "ten-megabyte-note.json", doc.dump());
    cases.push_back({(sb.in() / "ten-megabyte-note.json").string(), 4, "notes[0].text: too long"});
  }

  const RunResult before_meetings = sb.run({"meetings", "--json"});
  ASSERT_EQ(before_meetings.exit_code, 0);
  const long long before_audit = sb.audit_entries();
  // All or nothing: the same meetings and not even an audit entry. When the vault's bytes are
  // unchanged that is certain; otherwise ask the CLI (slower: two more unlocks).
  auto expect_logically_unchanged = [&] {
    const RunResult after = sb.run({"meetings", "--json"});
    EXPECT_EQ(after.exit_code, 0) << describe(after);
    EXPECT_EQ(after.out, before_meetings.out) << "a failed import changed the meetings";
    EXPECT_EQ(sb.audit_entries(), before_audit) << "a failed import left an audit entry";
  };
  const auto before_bytes = snapshot(sb.vault());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const fs::path file = c.file.find('/') == std::string::npos ? dir / c.file : fs::path(c.file);
    ASSERT_TRUE(fs::is_regular_file(file));
    const RunResult r = sb.run({"import-meeting", file.string()});
    EXPECT_EQ(r.exit_code, c.exit_code) << describe(r);
    EXPECT_EQ(r.out, "") << "nothing on stdout: scripts read the new id from it";
    EXPECT_TRUE(one_clear_error(r));
    // The message names the JSON path: it begins the message or follows the file name.
    EXPECT_TRUE(r.err.rfind("error: " + c.prefix, 0) == 0 || r.err.find(": " + c.prefix) != std::string::npos)
        << "expected the message to start with `" << c.prefix << "`\n" << describe(r);
    // Error messages are text: no invalid bytes from the input are echoed to the terminal.
    EXPECT_TRUE(core::is_valid_utf8(r.err)) << describe(r);
    EXPECT_LT(r.err.size(), 1000u) << "the message should not echo the input";
    if (!snapshot_diff(before_bytes, snapshot(sb.vault())).empty()) expect_logically_unchanged();
  }
  expect_logically_unchanged();
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// note add | edit | history | delete | purge

TEST_F(SampleVault, NoteAddPrintsExactlyTheIdAndStoresWhatWasGiven) {
  const RunResult r = sb.run({"note", "add", "--meeting", "1", "--speaker", "b", "--kind", "question", "--visibility",
                              "organizers", "--at", "2008-04-09T16:05:00+02:00", "Could the data portal be hosted in Tehran?"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out, "note 8\n");
  const RunResult plain = sb.run({"note", "add", "--meeting", "1", "An organizer's own note."});
  ASSERT_EQ(plain.exit_code, 0) << describe(plain);
  EXPECT_EQ(plain.out, "note 9\n");

  const json ns = notes();
  ASSERT_EQ(ns.size(), 9u);
  const json added = find_by(ns, "id", 8);
  EXPECT_EQ(added["speaker"], "b");
  EXPECT_EQ(added["kind"], "question");
  EXPECT_EQ(added["visibility"], "organizers");
  EXPECT_EQ(added["at"], "2008-04-09T14:05:00Z");
  EXPECT_EQ(added["text"], "Could the data portal be hosted in Tehran?");
  EXPECT_EQ(added["revision"], 1);
  const json own = find_by(ns, "id", 9);
  EXPECT_TRUE(own["speaker"].is_null());
  EXPECT_EQ(own["kind"], "statement");
  EXPECT_EQ(own["visibility"], "summary");
  EXPECT_FALSE(own["at"].is_null());
}

TEST_F(SampleVault, NoteAddRejectsUnknownSpeakersAndBadTextAndStoresNothing) {
  const long long audit = sb.audit_entries();
  const std::string too_long(120000, 'a');  // over the 100 kB note limit, under Linux's 128 kB per argument
  const std::vector<std::pair<std::string, std::vector<std::string>>> bad = {
      {"unknown speaker", {"note", "add", "--meeting", "1", "--speaker", "z", "Nobody said this."}},
      {"invalid UTF-8", {"note", "add", "--meeting", "1", "Broken \xff\xfe bytes"}},
      {"truncated UTF-8", {"note", "add", "--meeting", "1", "Truncated \xd8"}},
      {"overlong UTF-8", {"note", "add", "--meeting", "1", "Overlong \xc0\xaf slash"}},
      {"UTF-8 surrogate", {"note", "add", "--meeting", "1", "Surrogate \xed\xa0\x80 half"}},
      {"bidi override", {"note", "add", "--meeting", "1", "The figure is \u202E0051\u202C tonnes."}},
      {"control character", {"note", "add", "--meeting", "1", "Bell \x07 here"}},
      {"only spaces", {"note", "add", "--meeting", "1", "   "}},
      {"120 kB of text", {"note", "add", "--meeting", "1", too_long}},
      {"bad --at", {"note", "add", "--meeting", "1", "--at", "yesterday", "When?"}},
      {"edit to invalid UTF-8", {"note", "edit", "1", "Broken \xff bytes"}},
      {"edit to 120 kB", {"note", "edit", "1", too_long}},
  };
  for (const auto& [what, args] : bad) {
    SCOPED_TRACE(what);
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 4) << describe(r);
    EXPECT_TRUE(one_clear_error(r));
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(core::is_valid_utf8(r.err)) << "the message echoes invalid bytes";
    EXPECT_LT(r.err.size(), 1000u) << "the message should not echo the text";
    if (what == "unknown speaker") {
      EXPECT_NE(r.err.find("\"z\""), std::string::npos) << "the message should name the unknown key\n" << describe(r);
    }
  }
  const json ns = notes();
  EXPECT_EQ(ns.size(), 7u) << "a rejected note was stored";
  for (const auto& n : ns) EXPECT_EQ(n["revision"], 1) << "a rejected edit was stored";
  EXPECT_EQ(sb.audit_entries(), audit);
}

TEST_F(SampleVault, NoteEditKeepsThePreviousRevision) {
  const std::int64_t id = note_id_with(notes(), "Helmand basin");
  const std::string old_text = "The Helmand basin agreement with Afghanistan is a model worth studying.";
  const std::string new_text = "The 1973 Helmand basin treaty with Afghanistan is a model worth studying.";
  const RunResult r = sb.run({"note", "edit", std::to_string(id), new_text});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out.rfind("note " + std::to_string(id), 0), 0u) << describe(r);

  const json history = sb.run_json({"note", "history", std::to_string(id), "--json"});
  ASSERT_EQ(history.size(), 2u) << history.dump(2);
  EXPECT_EQ(history[0]["revision"], 1);
  EXPECT_EQ(history[0]["text"], old_text);
  EXPECT_EQ(history[1]["revision"], 2);
  EXPECT_EQ(history[1]["text"], new_text);
  const json edited = find_by(notes(), "id", id);
  EXPECT_EQ(edited["text"], new_text);
  EXPECT_EQ(edited["revision"], 2);
  EXPECT_EQ(edited["speaker"], "b") << "an edit keeps the speaker";

  const RunResult h = sb.run({"note", "history", std::to_string(id)});
  EXPECT_EQ(h.exit_code, 0) << describe(h);
  EXPECT_NE(h.out.find(old_text), std::string::npos);
  EXPECT_NE(h.out.find(new_text), std::string::npos);
  // Search sees the new text, not the old.
  EXPECT_EQ(hit_ids(search("1973 treaty")), std::set<std::int64_t>{id});
}

TEST_F(SampleVault, DeleteHidesANoteAndPurgeRemovesIt) {
  const RunResult add = sb.run({"note", "add", "--meeting", "1", "--speaker", "c", "Zanzibarquux is the code word for the visa issue."});
  ASSERT_EQ(add.exit_code, 0) << describe(add);
  const std::int64_t id = std::stoll(add.out.substr(5));
  ASSERT_EQ(sb.run({"note", "edit", std::to_string(id), "Zanzibarquux, second draft."}).exit_code, 0);
  ASSERT_EQ(hit_ids(search("zanzibarquux")), std::set<std::int64_t>{id});

  const RunResult del = sb.run({"note", "delete", std::to_string(id)});
  ASSERT_EQ(del.exit_code, 0) << describe(del);
  const json ns = notes();
  EXPECT_EQ(ns.size(), 7u);
  EXPECT_TRUE(find_by(ns, "id", id).is_null()) << "a deleted note is still listed";
  EXPECT_TRUE(search("zanzibarquux").empty()) << "a deleted note is still found";
  EXPECT_EQ(sb.run({"notes", "--meeting", "1"}).out.find("Zanzibarquux"), std::string::npos);
  for (const auto& args : std::vector<std::vector<std::string>>{{"note", "history", std::to_string(id)},
                                                               {"note", "edit", std::to_string(id), "revived"},
                                                               {"note", "delete", std::to_string(id)}}) {
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 4) << args[1] << "\n" << describe(r);
    EXPECT_TRUE(one_clear_error(r));
  }

  const RunResult purge = sb.run({"note", "purge"});
  ASSERT_EQ(purge.exit_code, 0) << describe(purge);
  EXPECT_NE(purge.out.find('1'), std::string::npos) << "purge should say it purged one note\n" << describe(purge);
  const RunResult again = sb.run({"note", "purge"});
  EXPECT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_NE(again.out.find('0'), std::string::npos) << describe(again);

  // Inside the vault: the note, its revisions and its search terms are gone.
  {
    ASSERT_TRUE(core::Vault::initialize_libraries().ok());
    auto vault = core::Vault::open(sb.vault(), secret(kPassphrase));
    ASSERT_TRUE(vault.ok()) << vault.error().message;
    auto& db = bc::core::vault_store(*vault).db();
    auto count = [&](const std::string& sql) {
      auto v = db.query_int(sql);
      EXPECT_TRUE(v.ok()) << sql << ": " << (v.ok() ? "" : v.error().message);
      return v.ok() ? *v : -1;
    };
    EXPECT_EQ(count("SELECT count(*) FROM notes WHERE id = " + std::to_string(id)), 0);
    EXPECT_EQ(count("SELECT count(*) FROM note_revisions WHERE note_id = " + std::to_string(id)), 0);
    EXPECT_EQ(count("SELECT count(*) FROM note_revisions WHERE text LIKE '%anzibarquux%'"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH '\"zanzibarquux\"*'"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM notes"), 7);
    vault->lock();
  }
  EXPECT_EQ(notes().size(), 7u) << "purge removed other notes";
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// search

TEST_F(SampleVault, SearchIgnoresScriptVariantsCaseAndDiacritics) {
  const RunResult add = sb.run({"note", "add", "--meeting", "1", "--speaker", "d", "Lake Hāmūn has shrunk to a tenth of its size."});
  ASSERT_EQ(add.exit_code, 0) << describe(add);
  const std::int64_t hamun = std::stoll(add.out.substr(5));
  const json ns = notes();
  const std::int64_t persian = note_id_with(ns, "علی رستمی");
  const std::int64_t agreed = note_id_with(ns, "Ms. Hashemi agreed");
  const std::int64_t visa = note_id_with(ns, "visa letter");

  // Arabic yeh (U+064A) finds the note written with Persian yeh (U+06CC), and vice versa.
  const json yeh = search("رستمي");
  EXPECT_EQ(hit_ids(yeh), std::set<std::int64_t>{persian}) << yeh.dump(2);
  EXPECT_EQ(hit_ids(search("رستمی")), std::set<std::int64_t>{persian});
  // Arabic kaf (U+0643) for Persian keheh (U+06A9) in "کرد".
  EXPECT_EQ(hit_ids(search("كرد")), std::set<std::int64_t>{persian});
  // Without the zero-width non-joiner the note has in "داده‌های".
  EXPECT_EQ(hit_ids(search("دادههای")), std::set<std::int64_t>{persian});
  ASSERT_FALSE(yeh.empty());
  EXPECT_EQ(yeh[0]["meeting"], 1);
  EXPECT_EQ(yeh[0]["meeting_title"], "Session 3: shared rivers");
  EXPECT_EQ(yeh[0]["speaker"], "Ali Rostami");
  EXPECT_NE(yeh[0]["snippet"].get<std::string>().find("رستمی"), std::string::npos) << "the snippet shows the original text";

  // Case: both the statement and the organizers-only note.
  EXPECT_EQ(hit_ids(search("HASHEMI")), (std::set<std::int64_t>{agreed, visa}));
  EXPECT_EQ(hit_ids(search("hashemi")), (std::set<std::int64_t>{agreed, visa}));
  // Diacritics, either way round.
  EXPECT_EQ(hit_ids(search("hamun")), std::set<std::int64_t>{hamun});
  EXPECT_EQ(hit_ids(search("HAMUN")), std::set<std::int64_t>{hamun});
  EXPECT_EQ(hit_ids(search("Hāmūn")), std::set<std::int64_t>{hamun});
  // Several words must all appear (and a word may be the start of a longer one).
  EXPECT_EQ(hit_ids(search("hashemi visa")), std::set<std::int64_t>{visa});
  EXPECT_EQ(hit_ids(search("Rostami's")), std::set<std::int64_t>{agreed});
  EXPECT_TRUE(search("nonexistentword").empty());

  // --limit and the plain output.
  EXPECT_EQ(sb.run_json({"search", "hashemi", "--json", "--limit", "1"}).size(), 1u);
  const RunResult plain = sb.run({"search", "رستمي"});
  EXPECT_EQ(plain.exit_code, 0) << describe(plain);
  EXPECT_NE(plain.out.find("note " + std::to_string(persian)), std::string::npos) << describe(plain);
}

TEST_F(SampleVault, SearchNeverInterpretsTheQueryAsFtsSyntax) {
  const json ns = notes();
  const std::int64_t helmand = note_id_with(ns, "Helmand basin");
  const std::int64_t agreed = note_id_with(ns, "Ms. Hashemi agreed");
  const std::int64_t visa = note_id_with(ns, "visa letter");
  const std::vector<std::string> queries = {
      "hashemi OR", "\"", "NEAR(", "*", "text:", "search_text:", "hashemi OR helmand", "hashemi NOT visa",
      "hashemi AND", "NEAR(hashemi visa, 3)", "search_text:helmand", "{search_text}: helmand", "-helmand",
      "^helmand", "helmand*", "(helmand", "helmand)", "\"helmand", "'", "''", "\"\"", "a\"b", "AND", "OR", "NOT",
      "notes_fts", "); DROP TABLE notes; --", "%", "_", "\\", "[", "+", "helmand:*", "rank:", "MATCH"};
  for (const auto& q : queries) {
    SCOPED_TRACE("query: " + q);
    // "--" so that a query starting with "-" is not taken for an option.
    const RunResult r = sb.run({"search", "--json", "--", q});
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << describe(r);
    if (r.exit_code == 1) {
      EXPECT_TRUE(one_clear_error(r));
      continue;
    }
    const json hits = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(hits.is_array()) << describe(r);
    const auto ids = hit_ids(hits);
    // What FTS5 operators would have matched must not be matched by the literal words.
    if (q == "hashemi OR helmand") {
      EXPECT_FALSE(ids.count(helmand)) << "OR was interpreted";
    }
    if (q == "hashemi NOT visa") {
      EXPECT_FALSE(ids.count(agreed)) << "NOT was interpreted";
    }
    if (q == "NEAR(hashemi visa, 3)") {
      EXPECT_FALSE(ids.count(visa)) << "NEAR was interpreted";
    }
    if (q == "search_text:helmand" || q == "{search_text}: helmand") {
      EXPECT_FALSE(ids.count(helmand)) << "a column filter was interpreted";
    }
    if (q == "-helmand" || q == "^helmand" || q == "(helmand" || q == "helmand)" || q == "\"helmand" || q == "helmand*") {
      EXPECT_EQ(ids, std::set<std::int64_t>{helmand}) << "punctuation around a word should not change what it finds";
    }
  }
  // The vault is intact and search still works.
  EXPECT_EQ(hit_ids(search("helmand")), std::set<std::int64_t>{helmand});
  EXPECT_EQ(notes().size(), 7u);
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
}

// ---------------------------------------------------------------------------------------------
// demo

TEST(CliDemo, CreatesAVaultWithSeveralMeetingsADozenPeopleAndHundredsOfNotes) {
  Sandbox sb;
  const fs::path demo = sb.root() / "demo";
  const RunResult r = sb.run({"demo", demo.string(), "--kdf", "interactive"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(recovery_codes_in(r.out).size(), 1u) << describe(r);
  const Sandbox& s = sb;
  auto on_demo = [&](const std::vector<std::string>& args) {
    const RunResult x = s.run_on(demo, args);
    EXPECT_EQ(x.exit_code, 0) << describe(x);
    return json::parse(x.out, nullptr, false);
  };

  const json ms = on_demo({"meetings", "--json"});
  ASSERT_TRUE(ms.is_array());
  EXPECT_GE(ms.size(), 3u);
  std::int64_t total = 0;
  std::set<std::string> names;
  bool persian_person = false, persian_note = false, organizers_note = false;
  std::set<std::string> levels;
  for (const auto& m : ms) {
    const std::string id = std::to_string(m["id"].get<std::int64_t>());
    const json ns = on_demo({"notes", "--meeting", id, "--json"});
    ASSERT_TRUE(ns.is_array());
    EXPECT_EQ(static_cast<std::int64_t>(ns.size()), m["notes"].get<std::int64_t>()) << "meeting " << id;
    total += static_cast<std::int64_t>(ns.size());
    for (const auto& n : ns) {
      persian_note = persian_note || has_arabic_script(n["text"].get<std::string>());
      organizers_note = organizers_note || n["visibility"] == "organizers";
    }
    for (const auto& p : on_demo({"participants", "--meeting", id, "--json"})) {
      names.insert(p["name"].get<std::string>());
      persian_person = persian_person || has_arabic_script(p["name"].get<std::string>());
      for (const auto& a : p["aliases"]) persian_person = persian_person || has_arabic_script(a.get<std::string>());
      levels.insert(p["disclosure"]["participants"].get<std::string>());
      levels.insert(p["disclosure"]["public"].get<std::string>());
    }
  }
  EXPECT_GE(total, 200);
  EXPECT_GE(names.size(), 12u);
  EXPECT_TRUE(persian_person) << "no Persian-script names";
  EXPECT_TRUE(persian_note) << "no Persian-script notes";
  EXPECT_TRUE(organizers_note) << "no organizers-only notes";
  EXPECT_EQ(levels, (std::set<std::string>{"named", "role", "pseudonym", "anonymous", "hidden"}));
  EXPECT_EQ(s.run_on(demo, {"check"}).exit_code, 0);
  EXPECT_EQ(s.run_on(demo, {"audit", "verify"}).exit_code, 0);
  // Persian search over the demo ("راستی‌آزمایی", typed with an Arabic yeh and no ZWNJ).
  EXPECT_FALSE(on_demo({"search", "راستيآزمايي", "--json"}).empty()) << "Persian search in the demo";

  // Never over an existing vault.
  const auto before = snapshot(demo);
  const RunResult again = sb.run({"demo", demo.string(), "--kdf", "interactive"});
  EXPECT_EQ(again.exit_code, 4) << describe(again);
  EXPECT_TRUE(one_clear_error(again));
  EXPECT_EQ(snapshot_diff(before, snapshot(demo)), "");
}

// ---------------------------------------------------------------------------------------------
// canary: nothing confidential outside the encrypted vault

TEST(CliCanary, NamesNotesAndThePassphraseNeverReachADiskInTheClear) {
  Sandbox sb;
  const std::string code = sb.init();
  ASSERT_FALSE(code.empty());
  const std::string latin = "CANARY-7f3a";
  const std::string persian = "قناری۷۳";
  json doc = json::parse(read_file(sample_meeting()));
  doc["participants"][1]["name"] = "Parisa " + latin + " " + persian;
  doc["participants"][1]["aliases"].push_back("alias-" + latin);
  doc["notes"][1]["text"] = "Imported note mentioning " + latin + " and " + persian + ".";
  // The import file lives outside the vault folder and outside the CLI's TMPDIR.
  const fs::path file = sb.input("canary-meeting.json", doc.dump());
  ASSERT_EQ(sb.import(file), 1);

  auto ok = [&](const std::vector<std::string>& args) {
    const RunResult r = sb.run(args);
    EXPECT_EQ(r.exit_code, 0) << args.front() << "\n" << describe(r);
    return r;
  };
  const RunResult added = ok({"note", "add", "--meeting", "1", "--speaker", "b", "Added note: " + persian + " / " + latin});
  ASSERT_EQ(added.out.rfind("note ", 0), 0u);
  const std::string kept = added.out.substr(5, added.out.size() - 6);
  ok({"note", "edit", kept, "Edited: " + latin + " " + persian + " again"});
  const RunResult doomed = ok({"note", "add", "--meeting", "1", "Doomed: " + latin});
  ASSERT_EQ(doomed.out.rfind("note ", 0), 0u);
  ok({"note", "delete", doomed.out.substr(5, doomed.out.size() - 6)});
  for (const auto& args : std::vector<std::vector<std::string>>{{"note", "purge"},
                                                               {"meetings", "--json"},
                                                               {"participants", "--meeting", "1", "--json"},
                                                               {"notes", "--meeting", "1", "--json"},
                                                               {"notes", "--meeting", "1"},
                                                               {"note", "history", kept, "--json"},
                                                               {"search", latin, "--json"},
                                                               {"search", persian},
                                                               {"search", "canary"},
                                                               {"check"},
                                                               {"audit", "verify"}})
    ok(args);
  // The commands really did see the canaries (else the check below proves nothing).
  EXPECT_NE(sb.run({"participants", "--meeting", "1"}).out.find(latin), std::string::npos);
  EXPECT_EQ(sb.run_json({"search", persian, "--json"}).size(), 2u);
  EXPECT_EQ(sb.run_json({"search", latin, "--json"}).size(), 2u);
  ASSERT_FALSE(snapshot(sb.vault()).empty());

  const std::vector<std::string> needles = {latin, "7f3a", persian, "قناری", "قناري", "۷۳", kPassphrase, code,
                                            code.substr(0, 11)};
  for (const auto& where : {sb.vault(), sb.tmp()}) {
    for (const auto& needle : needles)
      EXPECT_FALSE(any_file_contains(where, needle)) << "\"" << needle << "\" found under " << where;
    // Any case: the search index stores normalized (lower-case) text.
    for (const auto& [name, bytes] : snapshot(where)) {
      std::string lower = bytes;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      EXPECT_EQ(lower.find("canary"), std::string::npos) << name;
      EXPECT_EQ(lower.find("parisa"), std::string::npos) << name;
    }
  }
}

}  // namespace
}  // namespace bc::test::cli
