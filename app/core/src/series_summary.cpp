// produce_series_summary: every meeting of the series built as its own summary (so a note keeps
// its meeting's levels), the threads' titles anonymized with the series-wide most protective
// levels, and the leak scanner reading each piece of the finished output with the rules of the
// meeting it came from (the series-wide rules for everything else).
#include "backchannel/core/series_summary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/name_matcher.h"
#include "backchannel/core/participant_appearance.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/pdf_document.h"
#include "backchannel/core/protected_forms.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/threads.h"
#include "summary_internal.h"

namespace bc::core {

namespace {

struct Round {
  Meeting meeting;
  bool withheld = false;  ///< the meeting's rule allows no summary for this audience
  std::optional<SummaryContext> ctx;
  Summary summary;
  std::map<std::int64_t, const SummaryStatement*> statements;  ///< by note id
};

// One piece of output and whose rules it is read by.
struct Block {
  PdfBlockKind kind = PdfBlockKind::paragraph;
  std::string lead;
  std::string text;
  bool nested = false;
  std::optional<std::size_t> round;  ///< none: series-wide
  std::optional<std::int64_t> note_id;
};

// Everyone who attended any meeting of the series, at the most protective level they had there.
// Records of the same person in several meetings are joined by participant id, then by
// normalized name; their aliases are pooled.
struct SeriesPeople {
  std::vector<Participant> people;
  std::vector<DisclosureLevel> levels;
  std::map<std::int64_t, std::size_t> by_id;
  std::map<std::string, std::size_t> by_name;

  void add(const Participant& p, DisclosureLevel level) {
    const std::string name = normalize(p.name);
    std::optional<std::size_t> at;
    if (auto it = by_id.find(p.id); it != by_id.end()) at = it->second;
    else if (auto nt = by_name.find(name); nt != by_name.end()) at = nt->second;
    if (!at) {
      at = people.size();
      people.push_back(p);
      levels.push_back(level);
    } else {
      Participant& q = people[*at];
      levels[*at] = std::max(levels[*at], level);
      for (const auto& a : p.aliases)
        if (std::find(q.aliases.begin(), q.aliases.end(), a) == q.aliases.end()) q.aliases.push_back(a);
      if (!q.affiliation) q.affiliation = p.affiliation;
      else if (p.affiliation && normalize(*p.affiliation) != normalize(*q.affiliation) &&
               std::find(q.aliases.begin(), q.aliases.end(), *p.affiliation) == q.aliases.end())
        q.aliases.push_back(*p.affiliation);  // a second affiliation: protected as one of their forms
      for (const auto& r : p.short_forms) q.short_forms.push_back(r);
    }
    by_id[p.id] = *at;
    by_name[name] = *at;
  }
};

bool mostly_arabic_script(const std::string& text) {
  std::size_t arabic = 0, latin = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0xD8 && c <= 0xDB) ++arabic;
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++latin;
  }
  return arabic > latin;
}

// A title with every protected form replaced by the series-wide rules.
std::string anonymized_title(const NameMatcher& matcher, const std::string& title) {
  const auto matches = matcher.find(title);
  const bool persian = mostly_arabic_script(title);
  std::string out;
  std::size_t pos = 0;
  for (const auto& m : matches) {
    out.append(title, pos, m.begin - pos);
    std::string r = m.kind == MatchKind::location      ? "[location withheld]"
                    : m.kind == MatchKind::affiliation ? "[affiliation withheld]"
                    : persian                          ? kPersianParticipant
                                                       : "a participant";
    if (out.empty()) r = capitalized(r);
    out += r;
    pos = m.end;
  }
  out.append(title, pos, std::string::npos);
  return out;
}

std::string attendance_line(const SummaryAttendance& a) {
  std::string s;
  auto list = [&](const char* what, const std::vector<std::string>& xs) {
    if (xs.empty()) return;
    if (!s.empty()) s += "; ";
    s += what;
    for (std::size_t i = 0; i < xs.size(); ++i) s += (i ? ", " : " ") + xs[i];
  };
  list("named:", a.named);
  list("by role:", a.roles);
  list("by pseudonym:", a.pseudonyms);
  if (a.anonymous_count > 0) {
    if (!s.empty()) s += "; ";
    s += std::to_string(a.anonymous_count) + (a.anonymous_count == 1 ? " other participant" : " other participants");
  }
  return s.empty() ? std::string("no attendance shown") : s;
}

const char* audience_words(Audience a) {
  return a == Audience::participants ? "the series' participants" : "a public audience (funders, officials, press)";
}

std::string statuses_text(const Thread& t, std::int64_t meeting_id) {
  std::string s;
  for (const auto& c : t.history)
    if (c.meeting_id == meeting_id) s += (s.empty() ? "" : ", then ") + std::string(to_string(c.status));
  return s;
}

std::string md_block(const Block& b) {
  const std::string lead = b.lead.empty() ? std::string() : "**" + summary_md_escape(b.lead) + "** ";
  switch (b.kind) {
    case PdfBlockKind::heading: return "# " + summary_md_escape(b.text) + "\n\n";
    case PdfBlockKind::subheading: return "## " + summary_md_escape(b.text) + "\n\n";
    case PdfBlockKind::paragraph: return lead + summary_md_escape(b.text) + "\n\n";
    case PdfBlockKind::list_item: return std::string(b.nested ? "  - " : "- ") + lead + summary_md_escape(b.text) + "\n";
  }
  return {};
}

std::string html_block(const Block& b) {
  const std::string lead = b.lead.empty() ? std::string() : "<b>" + html_escape(b.lead) + "</b> ";
  switch (b.kind) {
    case PdfBlockKind::heading: return "<h1>" + html_escape(b.text) + "</h1>\n";
    case PdfBlockKind::subheading: return "<h2>" + html_escape(b.text) + "</h2>\n";
    case PdfBlockKind::paragraph: return "<p>" + lead + html_escape(b.text) + "</p>\n";
    case PdfBlockKind::list_item:
      return std::string(b.nested ? "<li class=\"note\">" : "<li>") + lead + html_escape(b.text) + "</li>\n";
  }
  return {};
}

const char* kind_name(PdfBlockKind k) {
  switch (k) {
    case PdfBlockKind::heading: return "heading";
    case PdfBlockKind::subheading: return "subheading";
    case PdfBlockKind::paragraph: return "paragraph";
    case PdfBlockKind::list_item: return "item";
  }
  return "";
}

}  // namespace

Result<RenderedSummary> produce_series_summary(Vault& vault, std::int64_t series_id, Audience audience, SummaryFormat format) {
  BC_ASSIGN(std::vector<Series> all_series, list_series(vault));
  auto series = std::find_if(all_series.begin(), all_series.end(), [&](const Series& s) { return s.id == series_id; });
  if (series == all_series.end()) return fail(ErrorCode::not_found, "there is no series " + std::to_string(series_id));
  BC_ASSIGN(std::vector<Meeting> meetings, list_meetings(vault));
  BC_ASSIGN(std::vector<Thread> threads, list_threads(vault, series_id));

  SummaryOptions opts;
  opts.audience = audience;
  opts.for_distribution = true;  // identifiability warnings are per meeting; ask the meeting summaries
  std::vector<Round> rounds;
  SeriesPeople people;
  std::optional<std::vector<std::string>> common_terms;
  std::optional<std::string> hidden_location;
  for (const auto& m : meetings) {
    if (m.series_id != series_id) continue;
    Round r;
    r.meeting = m;
    auto prepared = prepare_summary(vault, m.id, opts);
    if (!prepared) {
      if (prepared.error().code != ErrorCode::blocked) return std::move(prepared).error();
      // No summary of this meeting for this audience: none of its notes, its people hidden.
      r.withheld = true;
      BC_ASSIGN(std::vector<Participant> ps, list_participants(vault, m.id));
      for (const auto& p : ps) people.add(p, DisclosureLevel::hidden);
      if (m.location) hidden_location = hidden_location.value_or(*m.location);
    } else {
      r.ctx = std::move(*prepared);
      for (std::size_t i = 0; i < r.ctx->participants.size(); ++i) people.add(r.ctx->participants[i], r.ctx->levels[i]);
      if (r.ctx->hidden_location) hidden_location = hidden_location.value_or(*r.ctx->hidden_location);
    }
    // Only the terms every meeting makes public are public across the series.
    std::vector<std::string> terms;
    if (!common_terms) terms = m.public_terms;
    else
      for (const auto& t : *common_terms)
        if (std::find(m.public_terms.begin(), m.public_terms.end(), t) != m.public_terms.end()) terms.push_back(t);
    common_terms = std::move(terms);
    rounds.push_back(std::move(r));
  }
  for (auto& r : rounds) {
    if (!r.ctx) continue;
    r.summary = build_summary_from(*r.ctx, opts);
    for (const auto& st : r.summary.statements) r.statements[st.note_id] = &st;
  }

  // The series-wide rules: for thread titles and everything that is not one meeting's.
  SummaryContext wide;
  wide.meeting.series_title = series->title;
  wide.meeting.public_terms = common_terms.value_or(std::vector<std::string>());
  wide.participants = people.people;
  wide.levels = people.levels;
  wide.hidden_location = hidden_location;
  const FormSet forms = build_forms(wide.participants, wide.levels, wide.meeting.public_terms, wide.hidden_location);
  const NameMatcher matcher(forms);

  // ---- the summary as blocks ----
  std::vector<Block> blocks;
  auto add = [&](PdfBlockKind kind, std::string lead, std::string text, std::optional<std::size_t> round = std::nullopt,
                 std::optional<std::int64_t> note = std::nullopt, bool nested = false) {
    blocks.push_back({kind, std::move(lead), std::move(text), nested, round, note});
  };
  const std::string heading = series->title + ": what became of each thread";
  add(PdfBlockKind::heading, "", heading);
  add(PdfBlockKind::paragraph, "", std::string("For ") + audience_words(audience) + ". " + std::to_string(rounds.size()) +
                                       (rounds.size() == 1 ? " meeting, " : " meetings, ") + std::to_string(threads.size()) +
                                       (threads.size() == 1 ? " thread." : " threads."));
  add(PdfBlockKind::subheading, "", "Rounds");
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    const Round& r = rounds[i];
    const std::string lead = r.meeting.starts_at.substr(0, 10) + " " + r.meeting.title + ":";
    if (r.withheld) {
      add(PdfBlockKind::list_item, lead, "no summary of this meeting for this audience");
      continue;
    }
    std::map<ThreadStatus, int> decided;
    for (const auto& t : threads)
      for (const auto& c : t.history)
        if (c.meeting_id == r.meeting.id) ++decided[c.status];
    std::string counts;
    for (ThreadStatus s : {ThreadStatus::raised, ThreadStatus::agreed, ThreadStatus::conveyed})
      counts += std::string(counts.empty() ? "" : ", ") + std::string(to_string(s)) + " " + std::to_string(decided[s]);
    add(PdfBlockKind::list_item, lead, attendance_line(r.summary.attendance) + ". Threads " + counts + ".", i);
  }
  for (const auto& t : threads) {
    add(PdfBlockKind::subheading, "", anonymized_title(matcher, t.title));
    add(PdfBlockKind::paragraph, "", "Now " + std::string(to_string(t.status)) + ".");
    for (std::size_t i = 0; i < rounds.size(); ++i) {
      const Round& r = rounds[i];
      if (r.withheld) continue;
      const std::string statuses = statuses_text(t, r.meeting.id);
      std::vector<const SummaryStatement*> notes;
      for (auto id : t.note_ids)
        if (auto it = r.statements.find(id); it != r.statements.end()) notes.push_back(it->second);
      if (statuses.empty() && notes.empty()) continue;
      add(PdfBlockKind::list_item, r.meeting.starts_at.substr(0, 10) + " " + r.meeting.title + ":",
          statuses.empty() ? std::string("discussed without a decision") : statuses, i);
      for (const auto* st : notes)
        add(PdfBlockKind::list_item, st->attribution.label + " (" + std::string(to_string(st->kind)) + "):", st->text, i,
            st->note_id, true);
    }
  }

  // ---- rendering, with each block's place in the output ----
  RenderedSummary rendered;
  rendered.format = format;
  struct Piece {
    std::string text;  ///< as a reader sees it
    std::optional<std::size_t> round;
    std::optional<std::int64_t> note_id;
  };
  std::vector<Piece> pieces;
  std::optional<PdfDocument> document;
  if (format == SummaryFormat::pdf) {
    PdfDocument d;
    d.title = heading;
    if (!rounds.empty()) d.date = rounds.back().meeting.starts_at.substr(0, 10);
    for (const auto& b : blocks) d.blocks.push_back({b.kind, b.lead, b.text, {}});
    d.blocks.erase(d.blocks.begin());  // the heading is the document's title
    for (auto& t : pdf_texts(d)) {
      std::optional<std::size_t> round;
      std::optional<std::int64_t> note;
      if (t.block) {
        round = blocks[*t.block + 1].round;
        note = blocks[*t.block + 1].note_id;
      }
      pieces.push_back({std::move(t.text), round, note});
    }
    document = std::move(d);
  } else if (format == SummaryFormat::json) {
    nlohmann::ordered_json out{{"format", "backchannel.series-summary/1"},
                               {"series", series->title},
                               {"audience", std::string(to_string(audience))},
                               {"blocks", nlohmann::ordered_json::array()}};
    pieces.push_back({summary_visible(nlohmann::ordered_json{{"series", series->title}}.dump(), format), std::nullopt, std::nullopt});
    for (const auto& b : blocks) {
      nlohmann::ordered_json j{{"kind", kind_name(b.kind)}, {"nested", b.nested}, {"lead", b.lead}, {"text", b.text}};
      pieces.push_back({summary_visible(j.dump(), format), b.round, b.note_id});
      out["blocks"].push_back(std::move(j));
    }
    rendered.text = out.dump(2) + "\n";
  } else {
    const bool html = format == SummaryFormat::html;
    std::string& o = rendered.text;
    auto glue = [&](const std::string& s) {
      o += s;
      pieces.push_back({summary_visible(s, format), std::nullopt, std::nullopt});
    };
    if (html)
      glue("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(heading) +
           "</title>\n</head>\n<body>\n");
    bool in_list = false;
    for (const auto& b : blocks) {
      const bool item = b.kind == PdfBlockKind::list_item;
      if (html && item && !in_list) glue("<ul>\n");
      if (html && !item && in_list) glue("</ul>\n");
      if (!html && !item && in_list) glue("\n");
      in_list = item;
      const std::string s = html ? html_block(b) : md_block(b);
      o += s;
      pieces.push_back({summary_visible(s, format), b.round, b.note_id});
    }
    if (in_list) glue(html ? "</ul>\n" : "\n");
    if (html) glue("</body>\n</html>\n");
  }

  // ---- the leak scanner, one meeting's rules at a time ----
  std::vector<Leak> leaks;
  const LeakScanInput wide_input = summary_scan_input(wide);
  for (std::size_t scope = 0; scope <= rounds.size(); ++scope) {
    const bool series_wide = scope == rounds.size();
    std::vector<ScanRegion> regions;
    for (const auto& p : pieces)
      if (series_wide ? !p.round : p.round == scope) regions.push_back({p.text, p.note_id});
    if (regions.empty()) continue;
    const auto found = scan_for_leaks(series_wide ? wide_input : summary_scan_input(*rounds[scope].ctx), regions);
    leaks.insert(leaks.end(), found.begin(), found.end());
  }
  if (!leaks.empty()) {
    bool outside_notes = false;
    const std::string msg = leak_message(leaks, outside_notes);
    return fail(ErrorCode::blocked, msg);
  }
  if (document) {
    BC_ASSIGN(rendered.text, render_pdf(*document));
  }
  return rendered;
}

}  // namespace bc::core
