// Renders a Summary as Markdown, HTML or JSON, in the outline of docs/summary-outline.md,
// recording where each statement sits in the output; and as a document to print (PDF).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cassert>
#include <string_view>

#include "backchannel/core/summary.h"
#include "summary_internal.h"

namespace bc::core {

namespace {

const char* rule_name(Rule r) {
  switch (r) {
    case Rule::chatham_house: return "Chatham House Rule";
    case Rule::off_the_record: return "Off the record";
    case Rule::on_background: return "On background";
  }
  return "";
}

const char* reminder(Rule r, Audience a) {
  switch (r) {
    case Rule::chatham_house:
      return "Under the Chatham House Rule, the information in this summary may be used, but neither the identity nor "
             "the affiliation of any speaker or participant may be revealed.";
    case Rule::off_the_record:
      return "Off the record: nothing in this summary may be quoted, attributed or passed on beyond the meeting's "
             "participants.";
    case Rule::on_background:
      return a == Audience::public_ ? "On background: the content may be used, but attributed to no one."
                                    : "On background: the content may be used, but not attributed to any individual "
                                      "outside this group.";
  }
  return "";
}

const char* audience_line(Audience a) {
  return a == Audience::participants ? "the meeting's participants" : "a public audience (funders, officials, press)";
}

enum class Section { key_points, discussion, next_steps };

Section section_of(NoteKind k) {
  switch (k) {
    case NoteKind::proposal:
    case NoteKind::agreement:
    case NoteKind::disagreement: return Section::key_points;
    case NoteKind::action: return Section::next_steps;
    default: return Section::discussion;
  }
}

const char* section_key(Section s) {
  switch (s) {
    case Section::key_points: return "key_points";
    case Section::discussion: return "discussion";
    case Section::next_steps: return "next_steps";
  }
  return "";
}

const char* kind_heading(NoteKind k) {
  switch (k) {
    case NoteKind::proposal: return "Proposals";
    case NoteKind::agreement: return "Points of agreement";
    case NoteKind::disagreement: return "Points of disagreement";
    default: return "";
  }
}

// ---- Markdown ----

std::string md_escape(std::string_view s) {
  // Bytes that need a backslash before them, and the newline, which indents what follows.
  // '&' too: "Ka&shy;therine" must not become "Katherine" in a viewer (a character reference).
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (char c : std::string_view("\\`*_[]<>#|&\n")) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  std::string out;
  out.reserve(s.size() + s.size() / 16 + 8);
  std::size_t i = 0;
  bool line_start = true;
  while (i < s.size()) {
    if (line_start) {
      // What would start a list, a heading underline or a numbered item at the start of a
      // continuation line.
      const char c = s[i];
      std::size_t d = i;
      while (d < s.size() && s[d] >= '0' && s[d] <= '9') ++d;
      if (c == '-' || c == '+' || c == '=' || (d > i && d < s.size() && (s[d] == '.' || s[d] == ')'))) out += '\\';
      line_start = false;
    }
    std::size_t j = i;
    while (j < s.size() && !kSpecial[static_cast<unsigned char>(s[j])]) ++j;
    out.append(s, i, j - i);
    if (j == s.size()) break;
    if (s[j] == '\n') {
      // Continuation lines of a list item are indented so the item stays one item.
      out += "\n  ";
      line_start = true;
    } else {
      out += '\\';
      out += s[j];
    }
    i = j + 1;
  }
  return out;
}

std::string attribution_text(const SummaryStatement& st, bool html) {
  std::string label = html ? st.attribution.label : md_escape(st.attribution.label);
  if (st.own) label += " (your statement)";
  return label;
}

RenderedSummary render_markdown(const Summary& s) {
  RenderedSummary r;
  r.format = SummaryFormat::markdown;
  std::string& o = r.text;
  o += "# " + md_escape(s.series_title) + ": " + md_escape(s.meeting_title) + "\n\n";
  o += "- **Date:** " + s.date + "\n";
  if (s.location) o += "- **Location:** " + md_escape(*s.location) + "\n";
  o += std::string("- **Held under:** ") + rule_name(s.rule) + "\n";
  o += std::string("- **For:** ") + audience_line(s.audience) + "\n";
  if (s.recipient_label) o += "- **Your copy:** you appear as " + md_escape(*s.recipient_label) + "\n";
  o += std::string("\n> ") + reminder(s.rule, s.audience) + "\n\n";

  const auto& at = s.attendance;
  if (!at.named.empty() || !at.roles.empty() || !at.pseudonyms.empty() || at.anonymous_count > 0) {
    o += "## Attendance\n\n";
    for (const auto& n : at.named) o += "- " + md_escape(n) + "\n";
    for (const auto& n : at.roles) o += "- " + md_escape(n) + "\n";
    for (const auto& n : at.pseudonyms) o += "- " + md_escape(n) + "\n";
    if (at.anonymous_count > 0) {
      const bool others = !at.named.empty() || !at.roles.empty() || !at.pseudonyms.empty();
      o += "- " + std::string(others ? "and " : "") + std::to_string(at.anonymous_count) +
           (others ? " other participant" : " participant") + (at.anonymous_count == 1 ? "" : "s") + "\n";
    }
    o += "\n";
  }
  auto item = [&](const SummaryStatement& st) {
    const std::size_t begin = o.size();
    o += "- **" + attribution_text(st, false) + ":** " + md_escape(st.text) + "\n";
    r.statement_regions.push_back({begin, o.size(), st.note_id});
  };
  auto any = [&](auto pred) {
    for (const auto& st : s.statements)
      if (pred(st)) return true;
    return false;
  };
  if (any([](const SummaryStatement& st) { return section_of(st.kind) == Section::key_points; })) {
    o += "## Key points\n\n";
    for (NoteKind k : {NoteKind::proposal, NoteKind::agreement, NoteKind::disagreement}) {
      if (!any([k](const SummaryStatement& st) { return st.kind == k; })) continue;
      o += std::string("### ") + kind_heading(k) + "\n\n";
      for (const auto& st : s.statements)
        if (st.kind == k) item(st);
      o += "\n";
    }
  }
  if (any([](const SummaryStatement& st) { return section_of(st.kind) == Section::discussion; })) {
    o += "## Discussion\n\n";
    for (const auto& st : s.statements)
      if (section_of(st.kind) == Section::discussion) {
        if (st.kind == NoteKind::question) {
          const std::size_t begin = o.size();
          o += "- **" + attribution_text(st, false) + "** asked: " + md_escape(st.text) + "\n";
          r.statement_regions.push_back({begin, o.size(), st.note_id});
        } else {
          item(st);
        }
      }
    o += "\n";
  }
  if (any([](const SummaryStatement& st) { return section_of(st.kind) == Section::next_steps; })) {
    o += "## Next steps\n\n";
    for (const auto& st : s.statements)
      if (section_of(st.kind) == Section::next_steps) item(st);
    o += "\n";
  }
  return r;
}

// ---- HTML ----


RenderedSummary render_html(const Summary& s) {
  RenderedSummary r;
  r.format = SummaryFormat::html;
  std::string& o = r.text;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  o += "<title>" + html_escape(s.series_title + ": " + s.meeting_title) + "</title>\n";
  o += "<style>body{font-family:'Noto Sans','DejaVu Sans',sans-serif;max-width:48em;margin:2em auto;line-height:1.5;"
       "padding:0 1em}blockquote{border-left:3px solid #888;margin-left:0;padding-left:1em;color:#444}"
       ".who{font-weight:600}.own{background:#fff6d5}</style>\n</head>\n<body>\n";
  o += "<h1>" + html_escape(s.series_title) + ": " + html_escape(s.meeting_title) + "</h1>\n<ul>\n";
  o += "<li><b>Date:</b> " + html_escape(s.date) + "</li>\n";
  if (s.location) o += "<li><b>Location:</b> " + html_escape(*s.location) + "</li>\n";
  o += std::string("<li><b>Held under:</b> ") + rule_name(s.rule) + "</li>\n";
  o += std::string("<li><b>For:</b> ") + audience_line(s.audience) + "</li>\n";
  if (s.recipient_label) o += "<li><b>Your copy:</b> you appear as " + html_escape(*s.recipient_label) + "</li>\n";
  o += std::string("</ul>\n<blockquote>") + reminder(s.rule, s.audience) + "</blockquote>\n";
  const auto& at = s.attendance;
  if (!at.named.empty() || !at.roles.empty() || !at.pseudonyms.empty() || at.anonymous_count > 0) {
    o += "<h2>Attendance</h2>\n<ul>\n";
    for (const auto* list : {&at.named, &at.roles, &at.pseudonyms})
      for (const auto& n : *list) o += "<li dir=\"auto\">" + html_escape(n) + "</li>\n";
    if (at.anonymous_count > 0) {
      const bool others = !at.named.empty() || !at.roles.empty() || !at.pseudonyms.empty();
      o += "<li>" + std::string(others ? "and " : "") + std::to_string(at.anonymous_count) +
           (others ? " other participant" : " participant") + (at.anonymous_count == 1 ? "" : "s") + "</li>\n";
    }
    o += "</ul>\n";
  }
  auto item = [&](const SummaryStatement& st) {
    const std::size_t begin = o.size();
    o += std::string("<li") + (st.own ? " class=\"own\"" : "") + "><span class=\"who\">" + html_escape(attribution_text(st, true)) +
         (st.kind == NoteKind::question ? "</span> asked: " : ":</span> ") + "<span dir=\"auto\">" + html_escape(st.text) +
         "</span></li>\n";
    r.statement_regions.push_back({begin, o.size(), st.note_id});
  };
  auto section = [&](const char* title, auto pred) {
    bool any = false;
    for (const auto& st : s.statements) any = any || pred(st);
    if (!any) return;
    o += std::string("<h2>") + title + "</h2>\n<ul>\n";
    for (const auto& st : s.statements)
      if (pred(st)) item(st);
    o += "</ul>\n";
  };
  bool any_key = false;
  for (const auto& st : s.statements) any_key = any_key || section_of(st.kind) == Section::key_points;
  if (any_key) {
    o += "<h2>Key points</h2>\n";
    for (NoteKind k : {NoteKind::proposal, NoteKind::agreement, NoteKind::disagreement}) {
      bool any = false;
      for (const auto& st : s.statements) any = any || st.kind == k;
      if (!any) continue;
      o += std::string("<h3>") + kind_heading(k) + "</h3>\n<ul>\n";
      for (const auto& st : s.statements)
        if (st.kind == k) item(st);
      o += "</ul>\n";
    }
  }
  section("Discussion", [](const SummaryStatement& st) { return section_of(st.kind) == Section::discussion; });
  section("Next steps", [](const SummaryStatement& st) { return section_of(st.kind) == Section::next_steps; });
  o += "</body>\n</html>\n";
  return r;
}

// ---- JSON ----

RenderedSummary render_json(const Summary& s) {
  using json = nlohmann::ordered_json;
  RenderedSummary r;
  r.format = SummaryFormat::json;
  auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::strict); };
  json head;
  head["format"] = "backchannel.summary/1";
  head["series"] = s.series_title;
  head["meeting"] = s.meeting_title;
  head["date"] = s.date;
  head["location"] = s.location ? json(*s.location) : json(nullptr);
  head["rule"] = std::string(to_string(s.rule));
  head["audience"] = std::string(to_string(s.audience));
  head["reminder"] = reminder(s.rule, s.audience);
  if (s.recipient_label) head["recipient"] = *s.recipient_label;
  head["attendance"] = {{"named", s.attendance.named}, {"roles", s.attendance.roles},
                        {"pseudonyms", s.attendance.pseudonyms}, {"others", s.attendance.anonymous_count}};
  // Written by hand around the statements so that each statement's position is known.
  std::string o = dump(head);
  o.pop_back();  // the closing brace
  o += ",\"statements\":[";
  for (std::size_t i = 0; i < s.statements.size(); ++i) {
    const auto& st = s.statements[i];
    json j;
    j["note"] = st.note_uid;
    j["section"] = section_key(section_of(st.kind));
    j["kind"] = std::string(to_string(st.kind));
    j["attribution"] = {{"level", st.attribution.organizer ? "organizers" : std::string(to_string(st.attribution.level))},
                        {"label", st.attribution.label}};
    j["text"] = st.text;
    json spans = json::array();
    for (const auto& sp : st.replaced) spans.push_back({sp.begin, sp.end});
    j["replaced"] = spans;
    if (st.own) j["own"] = true;
    if (i > 0) o += ",";
    const std::size_t begin = o.size();
    o += dump(j);
    r.statement_regions.push_back({begin, o.size(), st.note_id});
  }
  o += "],\"warnings\":";
  json warnings = json::array();
  for (const auto& w : s.warnings) {
    json jw{{"kind", w.kind}, {"message", w.message}};
    jw["participant"] = w.participant_key ? json(*w.participant_key) : json(nullptr);
    jw["note"] = w.note_id ? json(*w.note_id) : json(nullptr);
    warnings.push_back(jw);
  }
  o += dump(warnings) + "}\n";
  r.text = std::move(o);
  return r;
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += "<br>"; break;
      default: out += c;
    }
  }
  return out;
}

SummaryDocument summary_document(const Summary& s) {
  SummaryDocument out;
  PdfDocument& d = out.document;
  d.title = s.series_title + ": " + s.meeting_title;
  // The participants' copy stays among them; the public copy carries its rule instead.
  d.classification = s.audience == Audience::participants ? "Not for publication" : rule_name(s.rule);
  d.date = s.date;
  // One language: a note written in Persian is printed as written, right to left by its letters.
  d.layout = PdfLayout::english_then_persian;
  auto add = [&](PdfBlockKind kind, std::string lead, std::string text, std::optional<std::int64_t> note = std::nullopt) {
    d.blocks.push_back({kind, std::move(lead), std::move(text), {}});
    out.block_notes.push_back(note);
  };
  add(PdfBlockKind::paragraph, "Date:", s.date);
  if (s.location) add(PdfBlockKind::paragraph, "Location:", *s.location);
  add(PdfBlockKind::paragraph, "Held under:", rule_name(s.rule));
  add(PdfBlockKind::paragraph, "For:", audience_line(s.audience));
  if (s.recipient_label) add(PdfBlockKind::paragraph, "Your copy:", "you appear as " + *s.recipient_label);
  add(PdfBlockKind::paragraph, "", reminder(s.rule, s.audience));

  const auto& at = s.attendance;
  if (!at.named.empty() || !at.roles.empty() || !at.pseudonyms.empty() || at.anonymous_count > 0) {
    add(PdfBlockKind::heading, "", "Attendance");
    for (const auto* list : {&at.named, &at.roles, &at.pseudonyms})
      for (const auto& n : *list) add(PdfBlockKind::list_item, "", n);
    if (at.anonymous_count > 0) {
      const bool others = !at.named.empty() || !at.roles.empty() || !at.pseudonyms.empty();
      add(PdfBlockKind::list_item, "",
          std::string(others ? "and " : "") + std::to_string(at.anonymous_count) +
              (others ? " other participant" : " participant") + (at.anonymous_count == 1 ? "" : "s"));
    }
  }
  auto item = [&](const SummaryStatement& st) {
    if (st.kind == NoteKind::question) add(PdfBlockKind::list_item, attribution_text(st, true), "asked: " + st.text, st.note_id);
    else add(PdfBlockKind::list_item, attribution_text(st, true) + ":", st.text, st.note_id);
  };
  auto any = [&](auto pred) { return std::any_of(s.statements.begin(), s.statements.end(), pred); };
  if (any([](const SummaryStatement& st) { return section_of(st.kind) == Section::key_points; })) {
    add(PdfBlockKind::heading, "", "Key points");
    for (NoteKind k : {NoteKind::proposal, NoteKind::agreement, NoteKind::disagreement}) {
      if (!any([k](const SummaryStatement& st) { return st.kind == k; })) continue;
      add(PdfBlockKind::subheading, "", kind_heading(k));
      for (const auto& st : s.statements)
        if (st.kind == k) item(st);
    }
  }
  for (const auto& [section, title] : {std::pair{Section::discussion, "Discussion"}, std::pair{Section::next_steps, "Next steps"}}) {
    const Section want = section;
    if (!any([want](const SummaryStatement& st) { return section_of(st.kind) == want; })) continue;
    add(PdfBlockKind::heading, "", title);
    for (const auto& st : s.statements)
      if (section_of(st.kind) == want) item(st);
  }
  return out;
}

std::optional<SummaryFormat> parse_summary_format(std::string_view s) {
  if (s == "markdown" || s == "md") return SummaryFormat::markdown;
  if (s == "html") return SummaryFormat::html;
  if (s == "json") return SummaryFormat::json;
  if (s == "pdf") return SummaryFormat::pdf;
  return std::nullopt;
}

RenderedSummary render_summary(const Summary& summary, SummaryFormat format) {
  switch (format) {
    case SummaryFormat::markdown: return render_markdown(summary);
    case SummaryFormat::html: return render_html(summary);
    case SummaryFormat::json: return render_json(summary);
    case SummaryFormat::pdf: break;
  }
  assert(false && "a PDF is drawn by produce_summary");
  RenderedSummary none;
  none.format = format;
  return none;
}

std::string summary_md_escape(std::string_view s) { return md_escape(s); }

}  // namespace bc::core
