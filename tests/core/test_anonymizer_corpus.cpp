// The labelled anonymizer corpus (tests/data/anonymizer-corpus/corpus.json): every case's text
// becomes one note of a single meeting imported into a real vault; the summary for each audience
// is built (core::build_summary) and produced in every format (core::produce_summary, which runs
// the leak scanner), and each case's expectations are checked on the statement text and on what
// a reader of each format sees. One test per case, named after the case id.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "anonymizer_check.h"
#include "backchannel/core/meeting_import.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/summary.h"
#include "backchannel/core/vault.h"
#include "test_support.h"

namespace bc::core {
namespace {

using json = nlohmann::json;
namespace naive = test::naive;

const std::vector<SummaryFormat> kFormats = {SummaryFormat::markdown, SummaryFormat::html, SummaryFormat::json};

const char* format_name(SummaryFormat f) {
  switch (f) {
    case SummaryFormat::markdown: return "markdown";
    case SummaryFormat::html: return "html";
    case SummaryFormat::json: return "json";
    case SummaryFormat::pdf: return "pdf";
  }
  return "?";
}

const char* audience_name(Audience a) { return a == Audience::participants ? "participants" : "public"; }

struct CorpusCase {
  std::string id, variant, why, text;
  std::vector<std::string> must_not_contain, must_contain;
  std::vector<Audience> audiences;
};

const json& corpus() {
  static const json doc = [] {
    const std::string text = test::read_file(test::data_dir() / "anonymizer-corpus" / "corpus.json");
    return json::parse(text);  // throws (and fails loudly) on a broken corpus
  }();
  return doc;
}

std::vector<CorpusCase> load_cases() {
  std::vector<CorpusCase> out;
  for (const auto& c : corpus().at("cases")) {
    CorpusCase k;
    k.id = c.at("id").get<std::string>();
    k.variant = c.at("variant").get<std::string>();
    k.why = c.at("why").get<std::string>();
    k.text = c.at("text").get<std::string>();
    k.must_not_contain = c.at("must_not_contain").get<std::vector<std::string>>();
    k.must_contain = c.at("must_contain").get<std::vector<std::string>>();
    if (c.contains("audiences")) {
      for (const auto& a : c.at("audiences")) k.audiences.push_back(*parse_audience(a.get<std::string>()));
    } else {
      k.audiences = {Audience::participants, Audience::public_};
    }
    out.push_back(std::move(k));
  }
  return out;
}

const std::vector<CorpusCase>& cases() {
  static const std::vector<CorpusCase> all = load_cases();
  return all;
}

// The corpus as a meeting import document: its participants, and one note per case.
std::string import_document() {
  const json& c = corpus();
  json doc = {{"format", "backchannel.meeting/1"},
              {"series", c.at("series")},
              {"meeting", c.at("meeting")},
              {"participants", c.at("participants")},
              {"notes", json::array()}};
  for (const auto& k : c.at("cases")) {
    json n = {{"text", k.at("text")}};
    if (k.contains("speaker")) n["speaker"] = k.at("speaker");
    if (k.contains("kind")) n["kind"] = k.at("kind");
    doc["notes"].push_back(n);
  }
  return doc.dump();
}

// Forms the independent check looks for, straight from the corpus participant records.
struct NaiveForms {
  std::vector<naive::Form> protected_forms, allowed;
};

NaiveForms naive_forms(Audience audience) {
  const json& c = corpus();
  NaiveForms f;
  std::set<std::string> public_terms;
  for (const auto& t : c.at("meeting").at("public_terms")) {
    if (auto x = naive::form(t.get<std::string>(), "public term")) {
      public_terms.insert(naive::join(x->tokens));
      f.allowed.push_back(*x);
    }
  }
  auto add = [](std::vector<naive::Form>& to, std::optional<naive::Form> x) {
    if (x) to.push_back(std::move(*x));
  };
  for (const auto& p : c.at("participants")) {
    const std::string key = p.at("key").get<std::string>();
    const std::string level = p.at("disclosure").at(audience_name(audience)).get<std::string>();
    const std::string name = p.at("name").get<std::string>();
    std::vector<std::string> aliases;
    if (p.contains("aliases")) aliases = p.at("aliases").get<std::vector<std::string>>();
    std::optional<std::string> affiliation;
    if (p.contains("affiliation")) affiliation = p.at("affiliation").get<std::string>();
    if (level == "named") {
      add(f.allowed, naive::form(name, key));
      for (const auto& a : aliases) add(f.allowed, naive::form(a, key));
      if (affiliation) add(f.allowed, naive::form(*affiliation, key));
      continue;
    }
    const std::string who = "participant " + key;
    add(f.protected_forms, naive::form(name, who + " name"));
    const auto nt = naive::tokens(name);
    if (nt.size() >= 2) add(f.protected_forms, naive::form(nt.back(), who + " family name"));
    for (const auto& a : aliases) {
      add(f.protected_forms, naive::form(a, who + " alias"));
      const auto at = naive::tokens(a);
      if (at.size() >= 2 && naive::arabic_script(at.back())) add(f.protected_forms, naive::form(at.back(), who + " alias family name"));
    }
    if (affiliation) {
      auto x = naive::form(*affiliation, who + " affiliation");
      if (x && public_terms.count(naive::join(x->tokens)) == 0) f.protected_forms.push_back(*x);
    }
  }
  const auto& m = c.at("meeting");
  if (m.contains("location") && m.at("location_disclosure").at(audience_name(audience)).get<std::string>() != "named")
    add(f.protected_forms, naive::form(m.at("location").get<std::string>(), "hidden location"));
  return f;
}

// Everything built once for the whole suite: one vault, one meeting, summaries per audience.
struct Built {
  test::TempDir dir;
  Vault vault;
  std::int64_t meeting_id = 0;
  std::map<std::string, Note> note_by_text;
  struct PerAudience {
    Result<Summary> summary = fail(ErrorCode::internal, "not built");
    std::map<std::int64_t, const SummaryStatement*> statement_by_note;
    std::map<SummaryFormat, Result<RenderedSummary>> rendered;
    std::map<SummaryFormat, std::map<std::int64_t, std::string>> visible_by_note;  // what a reader sees per statement
  };
  std::map<Audience, PerAudience> audiences;
  std::string setup_error;
};

Built& built() {
  static std::unique_ptr<Built> b = [] {
    auto x = std::make_unique<Built>();
    auto created = Vault::create(x->dir / "vault", test::secret("corpus passphrase"), crypto::KdfProfile::interactive);
    if (!created.ok()) {
      x->setup_error = "vault: " + created.error().message;
      return x;
    }
    x->vault = std::move(created->vault);
    auto imported = import_meeting(x->vault, import_document());
    if (!imported.ok()) {
      x->setup_error = "import: " + imported.error().message;
      return x;
    }
    x->meeting_id = imported->meeting_id;
    auto notes = list_notes(x->vault, x->meeting_id);
    if (!notes.ok()) {
      x->setup_error = "notes: " + notes.error().message;
      return x;
    }
    for (const auto& n : *notes) x->note_by_text[n.text] = n;
    for (Audience a : kAudiences) {
      auto& pa = x->audiences[a];
      SummaryOptions opt;
      opt.audience = a;
      pa.summary = build_summary(x->vault, x->meeting_id, opt);
      if (pa.summary.ok())
        for (const auto& st : pa.summary->statements) pa.statement_by_note[st.note_id] = &st;
      for (SummaryFormat f : kFormats) {
        auto r = produce_summary(x->vault, x->meeting_id, opt, f);
        if (r.ok()) {
          auto& vis = pa.visible_by_note[f];
          if (f == SummaryFormat::json) {
            const json j = json::parse(r->text);
            std::map<std::string, std::int64_t> id_by_uid;
            for (const auto& [text, n] : x->note_by_text) id_by_uid[n.uid] = n.id;
            for (const auto& st : j.at("statements")) vis[id_by_uid[st.at("note").get<std::string>()]] = st.at("text").get<std::string>();
          } else {
            for (const auto& reg : r->statement_regions) {
              const std::string raw = r->text.substr(reg.begin, reg.end - reg.begin);
              vis[reg.note_id] = f == SummaryFormat::html ? naive::html_visible(raw) : naive::markdown_visible(raw);
            }
          }
        }
        pa.rendered.emplace(f, std::move(r));
      }
    }
    return x;
  }();
  return *b;
}

// Substring search after NFC, and after NFKC case folding (so "HOLLOWAY" or a full-width
// "Ｈｏｌｌｏｗａｙ" left behind is caught whatever form the needle was written in).
bool contains_nfc(const std::string& hay, const std::string& needle) {
  return naive::nfc(hay).find(naive::nfc(needle)) != std::string::npos;
}
bool contains_folded(const std::string& hay, const std::string& needle) {
  return naive::nfkc_casefold(hay).find(naive::nfkc_casefold(needle)) != std::string::npos;
}

std::string show(const std::string& s) {
  // Makes invisible characters visible in failure messages.
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp;
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                      static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (len <= 0) {
      out += "\\x??";
      ++i;
      continue;
    }
    const auto cat = utf8proc_category(cp);
    if (naive::invisible(cp) || cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_CF) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s, i, static_cast<std::size_t>(len));
    }
    i += static_cast<std::size_t>(len);
  }
  return out;
}

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(built().setup_error, "") << "the corpus could not be set up"; }
};

TEST_F(CorpusTest, CorpusIsWellFormedAndCoversEveryVariantType) {
  std::map<std::string, int> per_variant;
  std::set<std::string> ids, texts;
  for (const auto& c : cases()) {
    ++per_variant[c.variant];
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate case id " << c.id;
    EXPECT_TRUE(texts.insert(c.text).second) << "duplicate case text in " << c.id;
    EXPECT_FALSE(c.why.empty()) << c.id << " says nothing about why";
    EXPECT_FALSE(c.must_contain.empty() && c.must_not_contain.empty()) << c.id << " checks nothing";
  }
  EXPECT_GE(cases().size(), 150u);
  // Every variant type of the issue, each with several cases.
  for (const char* v : {"case", "possessive", "title", "initials", "hyphen-space", "nfd-nfc", "full-width", "arabic-letters",
                        "zwnj", "tatweel", "email", "transliteration", "sentence-start", "third-party", "common-word",
                        "public-term", "named", "shared-family-name", "persian-suffix", "location", "affiliation", "honorific",
                        "affiliation-short-form", "descriptor-language", "entity", "confusable", "latin-letters", "dash-space"})
    EXPECT_GE(per_variant[v], 3) << "too few cases of variant " << v;
}

TEST_F(CorpusTest, EveryCaseBecameOneStatementInEveryAudience) {
  for (const auto& c : cases()) {
    auto it = built().note_by_text.find(c.text);
    ASSERT_NE(it, built().note_by_text.end()) << c.id << ": note not imported";
    for (Audience a : kAudiences) {
      auto& pa = built().audiences.at(a);
      ASSERT_TRUE(pa.summary.ok()) << pa.summary.error().message;
      EXPECT_EQ(pa.statement_by_note.count(it->second.id), 1u) << c.id << " is not a statement for " << audience_name(a);
    }
  }
}

TEST_F(CorpusTest, LeakScannerPassesEveryFormatForEveryAudience) {
  for (Audience a : kAudiences)
    for (SummaryFormat f : kFormats) {
      const auto& r = built().audiences.at(a).rendered.at(f);
      EXPECT_TRUE(r.ok()) << audience_name(a) << "/" << format_name(f) << ": " << (r.ok() ? "" : r.error().message);
    }
}

TEST_F(CorpusTest, IndependentCheckFindsNoProtectedFormAnywhereInTheOutput) {
  for (Audience a : kAudiences) {
    const NaiveForms forms = naive_forms(a);
    for (SummaryFormat f : kFormats) {
      const auto& r = built().audiences.at(a).rendered.at(f);
      if (!r.ok()) continue;  // reported by LeakScannerPassesEveryFormatForEveryAudience
      std::string visible = r->text;
      if (f == SummaryFormat::markdown) visible = naive::markdown_visible(visible);
      if (f == SummaryFormat::html) visible = naive::html_visible(visible);
      if (f == SummaryFormat::json) {
        visible.clear();
        const json j = json::parse(r->text);
        std::function<void(const json&)> walk = [&](const json& v) {
          if (v.is_string()) visible += v.get<std::string>() + "\n";
          if (v.is_array() || v.is_object())
            for (const auto& x : v) walk(x);
        };
        walk(j);
      }
      const auto found = naive::leaks(visible, forms.protected_forms, forms.allowed);
      EXPECT_TRUE(found.empty()) << audience_name(a) << "/" << format_name(f) << ": " << found.size()
                                 << " protected forms remain, first: " << found.front();
    }
  }
}

TEST_F(CorpusTest, SummarizingTwiceGivesTheSameText) {
  for (Audience a : kAudiences) {
    SummaryOptions opt;
    opt.audience = a;
    for (SummaryFormat f : kFormats) {
      auto again = produce_summary(built().vault, built().meeting_id, opt, f);
      const auto& first = built().audiences.at(a).rendered.at(f);
      ASSERT_EQ(again.ok(), first.ok());
      if (again.ok()) {
        EXPECT_EQ(again->text, first->text) << audience_name(a) << "/" << format_name(f);
      }
    }
  }
}

class CorpusCaseTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  void SetUp() override { ASSERT_EQ(built().setup_error, "") << "the corpus could not be set up"; }
};

TEST_P(CorpusCaseTest, Holds) {
  const CorpusCase& c = cases()[GetParam()];
  SCOPED_TRACE(c.id + " (" + c.why + "): " + show(c.text));
  auto it = built().note_by_text.find(c.text);
  ASSERT_NE(it, built().note_by_text.end());
  const std::int64_t note_id = it->second.id;
  for (Audience a : c.audiences) {
    SCOPED_TRACE(std::string("audience ") + audience_name(a));
    const auto& pa = built().audiences.at(a);
    ASSERT_TRUE(pa.summary.ok()) << pa.summary.error().message;
    auto st = pa.statement_by_note.find(note_id);
    ASSERT_NE(st, pa.statement_by_note.end());
    // The statement text, and what a reader of each format sees of it.
    std::vector<std::pair<std::string, std::string>> views = {{"statement", st->second->text}};
    for (SummaryFormat f : kFormats) {
      auto v = pa.visible_by_note.find(f);
      if (v == pa.visible_by_note.end()) continue;  // blocked: reported by the scanner test
      auto t = v->second.find(note_id);
      ASSERT_NE(t, v->second.end()) << format_name(f) << " has no statement for the note";
      views.push_back({format_name(f), t->second});
    }
    for (const auto& [where, text] : views) {
      for (const auto& bad : c.must_not_contain) {
        EXPECT_FALSE(contains_nfc(text, bad)) << where << " still contains \"" << show(bad) << "\": " << show(text);
        EXPECT_FALSE(contains_folded(text, bad))
            << where << " still contains \"" << show(bad) << "\" (ignoring case and compatibility forms): " << show(text);
      }
      for (const auto& good : c.must_contain)
        EXPECT_TRUE(contains_nfc(text, good)) << where << " lost \"" << show(good) << "\": " << show(text);
    }
  }
}

std::string case_name(const ::testing::TestParamInfo<std::size_t>& info) {
  std::string n = cases()[info.param].id;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

std::vector<std::size_t> case_indices() {
  std::vector<std::size_t> v(cases().size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusCaseTest, ::testing::ValuesIn(case_indices()), case_name);

}  // namespace
}  // namespace bc::core
