// produce_summary: build, render, then let the independent leak scanner read the finished text
// (for a PDF, the texts its document will draw) before anything may leave.
#include "backchannel/core/summary.h"

#include <nlohmann/json.hpp>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/disclosure_policy.h"
#include "backchannel/core/leak_scanner.h"
#include "confusables.h"
#include "backchannel/core/short_forms.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/transliteration.h"
#include "summary_internal.h"

namespace bc::core {

ScannedParticipant scanned_participant(const Participant& p, const std::vector<std::string>& public_terms) {
  ScannedParticipant sp{p.key, p.name, p.affiliation, p.aliases, {}, {}, {}};
  const std::string name = normalize(p.name);
  const auto space = name.rfind(' ');
  const std::string last = space == std::string::npos ? name : name.substr(space + 1);
  // The scanner derives the name's short forms itself and applies the rulings to them; the
  // spellings of a family name ruled "not used alone" are not looked for either.
  bool last_not_alone = false;
  for (const auto& r : p.short_forms)
    if (r.of == ShortFormOf::name) {
      sp.name_rulings.push_back(r);
      last_not_alone = last_not_alone || (r.use == ShortFormUse::not_alone && normalize(r.form) == last);
    }
  if (!last_not_alone)
    for (const auto& v : transliteration_variants(last)) sp.extra_forms.push_back(v);
  for (const auto& f : short_forms(p, public_terms))
    if (f.of == ShortFormOf::affiliation && f.reach != ShortFormReach::none) sp.affiliation_forms.push_back(f.form);
  return sp;
}

namespace {

// Without ICU's confusable data the matcher and the scanner miss look-alike spellings: every
// summary is blocked (confusables.h).
Status confusable_data_status() {
  if (!confusable_data_failed()) return {};
  return fail(ErrorCode::blocked,
              "summary blocked: ICU's confusable data (UTS 39) could not be loaded or used, so names spelled with "
              "look-alike letters could not be found; nothing was written (reinstall the ICU library, libicu72)");
}

// What a reader of the HTML sees: tags removed, entities decoded.
std::string html_visible(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i < h.size();) {
    if (h[i] == '<') {
      const auto close = h.find('>', i);
      if (h.compare(i, 4, "<br>") == 0) out += '\n';
      else out += ' ';
      i = close == std::string_view::npos ? h.size() : close + 1;
    } else if (h[i] == '&') {
      const auto semi = h.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) {
        out += h[i++];
        continue;
      }
      const std::string_view ent = h.substr(i + 1, semi - i - 1);
      if (ent == "amp") out += '&';
      else if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else if (!ent.empty() && ent[0] == '#') {
        const bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
        append_utf8(out, static_cast<std::uint32_t>(std::strtoul(std::string(ent.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10)));
      } else {
        out += ' ';
      }
      i = semi + 1;
    } else {
      out += h[i++];
    }
  }
  return out;
}

// Every JSON string literal in a fragment, decoded, one per line.
std::string json_visible(std::string_view j) {
  std::string out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (j[i] != '"') continue;
    std::size_t k = i + 1;
    std::string literal = "\"";
    while (k < j.size() && j[k] != '"') {
      if (j[k] == '\\' && k + 1 < j.size()) literal += j[k++];
      literal += j[k++];
    }
    literal += '"';
    auto decoded = nlohmann::json::parse(literal, nullptr, false);
    out += decoded.is_string() ? decoded.get<std::string>() : literal;
    out += '\n';
    i = k;
  }
  return out;
}

std::string visible(std::string_view fragment, SummaryFormat f) {
  switch (f) {
    case SummaryFormat::markdown: return std::string(fragment);
    case SummaryFormat::html: return html_visible(fragment);
    case SummaryFormat::json: return json_visible(fragment);
    case SummaryFormat::pdf: break;  // scanned as the document's texts, never as bytes
  }
  return std::string(fragment);
}

LeakScanInput scan_input(const SummaryContext& ctx) {
  LeakScanInput in;
  for (std::size_t i = 0; i < ctx.participants.size(); ++i) {
    const Participant& p = ctx.participants[i];
    if (!is_protected(ctx.levels[i])) {
      in.allowed_forms.push_back(p.name);
      for (const auto& a : p.aliases) in.allowed_forms.push_back(a);
      if (p.affiliation) in.allowed_forms.push_back(*p.affiliation);
      continue;
    }
    in.protected_participants.push_back(scanned_participant(p, ctx.meeting.public_terms));
  }
  for (const auto& t : ctx.meeting.public_terms) {
    in.public_terms.push_back(t);
    in.allowed_forms.push_back(t);
  }
  in.hidden_location = ctx.hidden_location;
  return in;
}

}  // namespace

LeakScanInput summary_scan_input(const SummaryContext& ctx) { return scan_input(ctx); }
std::string summary_visible(std::string_view fragment, SummaryFormat format) { return visible(fragment, format); }

std::string leak_message(const std::vector<Leak>& leaks, bool& outside_notes) {
  std::string msg = "summary blocked by the leak scanner, nothing was written: ";
  for (std::size_t i = 0; i < leaks.size() && i < 10; ++i) {
    if (i > 0) msg += "; ";
    const Leak& l = leaks[i];
    msg += l.kind == LeakKind::mixed_script ? std::string("a word that mixes scripts (letters of one script that may stand for another's)")
           : l.participant_key == "location" ? std::string("a protected form of the hidden location")
                                            : "a protected form of participant " + l.participant_key;
    msg += l.note_id ? " remains in note " + std::to_string(*l.note_id)
                     : std::string(" remains outside the notes (header or attendance)");
  }
  if (leaks.size() > 10) msg += "; and " + std::to_string(leaks.size() - 10) + " more";
  outside_notes = false;
  for (const auto& l : leaks) outside_notes = outside_notes || (!l.note_id && l.kind == LeakKind::protected_form);
  if (outside_notes)
    msg += ". A form found outside the notes usually means a named participant (or the meeting's title, or a "
           "descriptor) shares words with a protected participant's name or affiliation: change a disclosure level or "
           "descriptor, or, if the shared words may be shown, add them to the meeting's public terms";
  return msg;
}

Result<RenderedSummary> produce_summary(Vault& vault, std::int64_t meeting_id, const SummaryOptions& options,
                                        SummaryFormat format) {
  (void)spoof_checker();  // loads ICU's confusable data now: a failure blocks before any work
  BC_TRY(confusable_data_status());
  auto prepared = prepare_summary(vault, meeting_id, options);
  if (!prepared) return std::move(prepared).error();
  Summary summary = build_summary_from(*prepared, options);
  if (options.for_distribution) summary.warnings.clear();

  // The scanner reads what will be written: each statement as a region of its own (so a leak
  // can be reported by note id), and everything between them. A PDF is scanned as the texts its
  // document will draw, and drawn only once they pass.
  RenderedSummary rendered;
  std::optional<PdfDocument> document;
  std::vector<std::string> texts;
  std::vector<std::optional<std::int64_t>> notes;
  if (format == SummaryFormat::pdf) {
    SummaryDocument d = summary_document(summary);
    for (auto& t : pdf_texts(d.document)) {
      texts.push_back(std::move(t.text));
      notes.push_back(t.block ? d.block_notes[*t.block] : std::nullopt);
    }
    document = std::move(d.document);
  } else {
    rendered = render_summary(summary, format);
    std::size_t pos = 0;
    for (const auto& region : rendered.statement_regions) {
      texts.push_back(visible(std::string_view(rendered.text).substr(pos, region.begin - pos), format));
      notes.push_back(std::nullopt);
      texts.push_back(visible(std::string_view(rendered.text).substr(region.begin, region.end - region.begin), format));
      notes.push_back(region.note_id);
      pos = region.end;
    }
    texts.push_back(visible(std::string_view(rendered.text).substr(pos), format));
    notes.push_back(std::nullopt);
  }
  std::vector<ScanRegion> regions;
  for (std::size_t i = 0; i < texts.size(); ++i) regions.push_back({texts[i], notes[i]});
  const auto leaks = scan_for_leaks(scan_input(*prepared), regions);
  // Without ICU's confusable data the matcher and the scanner miss look-alike spellings: fail
  // closed (checked after the scan, which is where a failure shows up first).
  BC_TRY(confusable_data_status());
  if (!leaks.empty()) {
    bool outside_notes = false;
    const std::string msg = leak_message(leaks, outside_notes);
    return fail(ErrorCode::blocked, msg, outside_notes ? Remedy::add_public_term : Remedy::none, std::to_string(meeting_id));
  }
  if (document) {
    BC_ASSIGN(rendered.text, render_pdf(*document));
    rendered.format = SummaryFormat::pdf;
  }
  rendered.warnings = std::move(summary.warnings);
  return rendered;
}

}  // namespace bc::core
