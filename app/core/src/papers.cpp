#include "backchannel/core/papers.h"

#include <algorithm>
#include <map>
#include <set>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/copy_choices.h"
#include "backchannel/core/disclosure_policy.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/leak_scanner.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "summary_internal.h"
#include "vault_store_access.h"

namespace bc::core {

using storage::Statement;

std::string_view to_string(CitationKind kind) { return kind == CitationKind::note ? "note" : "thread"; }

std::string_view to_string(CopyChannel channel) {
  switch (channel) {
    case CopyChannel::age: return "age";
    case CopyChannel::passphrase: return "passphrase";
    case CopyChannel::print: return "print";
  }
  return "print";
}

std::string_view to_string(PaperFormat format) {
  switch (format) {
    case PaperFormat::pdf: return "pdf";
    case PaperFormat::markdown: return "markdown";
    case PaperFormat::html: return "html";
  }
  return "pdf";
}

std::optional<PaperFormat> parse_paper_format(std::string_view text) {
  if (text == "pdf") return PaperFormat::pdf;
  if (text == "markdown") return PaperFormat::markdown;
  if (text == "html") return PaperFormat::html;
  return std::nullopt;
}

namespace {

storage::Database& db_of(Vault& vault) { return vault_store(vault).db(); }

const char* language_code(TextLanguage language) { return language == TextLanguage::english ? "en" : "fa"; }

Error no_such_paper(std::int64_t id) { return fail(ErrorCode::not_found, "there is no paper " + std::to_string(id)); }

Status check_section_text(std::string_view path, std::string_view text, TextLanguage language) {
  BC_TRY(validate_text(path, text, TextField::note_text));
  // The markup must parse now, not when the first copy is made.
  auto parsed = VariantText::parse(text, language);
  if (!parsed) return fail(ErrorCode::bad_input, std::string(path) + ": " + parsed.error().message);
  return {};
}

Result<std::string> own_fingerprint(Vault& vault) {
  BC_ASSIGN(VaultIdentity id, vault_identity(vault));
  return id.fingerprint;
}

// The texts of every section at `version`: for each language, its last revision at or before it.
struct VersionTexts {
  std::vector<std::string> english, persian;
};

Result<VersionTexts> texts_at(Vault& vault, std::int64_t paper_id, std::int64_t version) {
  BC_ASSIGN(Statement st, db_of(vault).prepare(
      "SELECT s.id, (SELECT text FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'en' "
      "AND r.paper_version <= ?2 ORDER BY r.revision DESC LIMIT 1), "
      "(SELECT text FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'fa' "
      "AND r.paper_version <= ?2 ORDER BY r.revision DESC LIMIT 1) "
      "FROM paper_sections s WHERE s.paper_id = ?1 AND s.created_version <= ?2 ORDER BY s.position"));
  st.bind(1, paper_id).bind(2, version);
  VersionTexts out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.english.push_back(st.column_optional_string(1).value_or(""));
    out.persian.push_back(st.column_optional_string(2).value_or(""));
  }
  return out;
}

std::string text_label(std::size_t section, TextLanguage language) {
  return "section " + std::to_string(section + 1) + (language == TextLanguage::english ? " (English)" : " (Persian)");
}

// The paper's variant structure at `version`: every section's English text, then its Persian text.
Result<VariantPaper> variants_of(const VersionTexts& t) {
  std::vector<PaperTextSource> sources;
  for (std::size_t i = 0; i < t.english.size(); ++i) {
    sources.push_back({text_label(i, TextLanguage::english), TextLanguage::english, t.english[i]});
    sources.push_back({text_label(i, TextLanguage::persian), TextLanguage::persian, t.persian[i]});
  }
  return VariantPaper::parse(sources);
}

Result<crypto::SecureBuffer> tracing_key(Vault& vault, std::int64_t paper_id) {
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT tracing_key FROM papers WHERE id = ?"));
  st.bind(1, paper_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return no_such_paper(paper_id);
  return st.column_secret(0);
}

PaperCopy read_copy(const Statement& st) {
  PaperCopy c;
  c.id = st.column_int64(0);
  c.label = st.column_string(1);
  c.version = st.column_int64(2);
  const std::string_view channel = st.column_text(3);
  c.channel = channel == "age" ? CopyChannel::age : channel == "passphrase" ? CopyChannel::passphrase : CopyChannel::print;
  c.recipient = st.column_optional_string(4);
  c.audience = parse_audience(st.column_text(5)).value_or(Audience::public_);
  c.format = parse_paper_format(st.column_text(6)).value_or(PaperFormat::pdf);
  c.choices = st.column_string(7);
  c.fingerprint = st.column_string(8);
  c.created_at = st.column_string(9);
  return c;
}

// Everyone who attended a meeting of the series, at the most protective level they had in any
// of them for `audience`; a hidden location of any meeting is protected too.
struct SeriesScan {
  LeakScanInput input;
  std::vector<std::string> hidden_locations;
};

Result<SeriesScan> series_scan(Vault& vault, std::int64_t series_id, Audience audience) {
  BC_ASSIGN(std::vector<Meeting> all, list_meetings(vault));
  std::vector<Meeting> meetings;
  for (auto& m : all)
    if (m.series_id == series_id) meetings.push_back(std::move(m));
  struct Person {
    Participant record;
    bool protected_somewhere = false;
    std::vector<std::string> public_terms;
  };
  std::map<std::string, Person> people;  // by participant uid
  std::optional<std::set<std::string>> common_terms;
  SeriesScan out;
  for (const Meeting& m : meetings) {
    BC_ASSIGN(std::vector<Participant> ps, list_participants(vault, m.id));
    for (const Participant& p : ps) {
      auto [it, fresh] = people.try_emplace(p.uid, Person{p, false, m.public_terms});
      it->second.protected_somewhere = it->second.protected_somewhere || is_protected(effective_level(m, p, audience));
    }
    // A term is public for the paper only if every meeting made it public.
    std::set<std::string> terms(m.public_terms.begin(), m.public_terms.end());
    if (!common_terms) {
      common_terms = terms;
    } else {
      std::set<std::string> both;
      std::set_intersection(common_terms->begin(), common_terms->end(), terms.begin(), terms.end(), std::inserter(both, both.end()));
      common_terms = std::move(both);
    }
    if (m.location && !location_disclosed(m, audience)) out.hidden_locations.push_back(*m.location);
  }
  const std::vector<std::string> terms = common_terms ? std::vector<std::string>(common_terms->begin(), common_terms->end())
                                                      : std::vector<std::string>{};
  for (const auto& [uid, person] : people) {
    const Participant& p = person.record;
    if (!person.protected_somewhere) {
      out.input.allowed_forms.push_back(p.name);
      for (const auto& a : p.aliases) out.input.allowed_forms.push_back(a);
      if (p.affiliation) out.input.allowed_forms.push_back(*p.affiliation);
      continue;
    }
    out.input.protected_participants.push_back(scanned_participant(p, terms));
  }
  for (const auto& t : terms) {
    out.input.public_terms.push_back(t);
    out.input.allowed_forms.push_back(t);
  }
  return out;
}


std::string html_paragraphs(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find("\n\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view para = text.substr(pos, end - pos);
    if (!para.empty()) out += "<p>" + html_escape(std::string(para)) + "</p>\n";
    pos = end + 2;
  }
  return out;
}

std::string copy_line(const PdfCopyNumber& n) {
  return "Copy " + std::to_string(n.number) + " of " + std::to_string(n.total);
}

// The copy as Markdown or HTML: the same texts as its PDF, nothing else.
std::string render_text_copy(const PdfDocument& d, PaperFormat format) {
  std::string out;
  if (format == PaperFormat::markdown) {
    out += "# " + d.title + "\n\n*" + d.classification + "*";
    if (d.copy) out += " · " + copy_line(*d.copy);
    out += "\n\n";
    for (const auto& b : d.blocks) {
      out += b.english + "\n\n";
      if (!b.persian.empty()) out += b.persian + "\n\n";
    }
    return out;
  }
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + html_escape(d.title) +
         "</title></head>\n<body>\n<p><em>" + html_escape(d.classification) + "</em>";
  if (d.copy) out += " · " + copy_line(*d.copy);
  out += "</p>\n<h1>" + html_escape(d.title) + "</h1>\n";
  for (const auto& b : d.blocks) {
    out += "<section>\n<div lang=\"en\">\n" + html_paragraphs(b.english) + "</div>\n";
    if (!b.persian.empty()) out += "<div lang=\"fa\" dir=\"rtl\">\n" + html_paragraphs(b.persian) + "</div>\n";
    out += "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace

Result<std::int64_t> create_paper(Vault& vault, std::int64_t series_id, std::string_view title) {
  BC_TRY(validate_text("title", title, TextField::short_text));
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(std::int64_t n, db.query_int("SELECT count(*) FROM series WHERE id = " + std::to_string(series_id)));
  if (n == 0) return fail(ErrorCode::not_found, "there is no series " + std::to_string(series_id));
  BC_ASSIGN(std::string me, own_fingerprint(vault));
  const std::string now = storage::utc_now_rfc3339();
  crypto::SecureBuffer key = new_paper_key();
  BC_ASSIGN(std::int64_t id, RecordWriter(vault).insert_paper({new_uid(), series_id, std::string(title), now}, key, me));
  BC_TRY(append_audit(vault, "paper.create", "paper " + std::to_string(id)));
  BC_TRY(tx.commit());
  return id;
}

Result<std::int64_t> add_paper_section(Vault& vault, std::int64_t paper_id, std::string_view english,
                                       std::optional<std::string_view> persian) {
  BC_TRY(check_section_text("en", english, TextLanguage::english));
  if (persian && !persian->empty()) BC_TRY(check_section_text("fa", *persian, TextLanguage::persian));
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_TRY(get_paper(vault, paper_id));
  RecordWriter w(vault);
  const std::string now = storage::utc_now_rfc3339();
  BC_ASSIGN(std::int64_t version, w.next_paper_version(paper_id, now));
  BC_ASSIGN(std::int64_t section, w.insert_paper_section(paper_id, new_uid(), version));
  BC_TRY(w.add_paper_text({new_uid(), section, "en", std::string(english), now}, version));
  if (persian && !persian->empty()) BC_TRY(w.add_paper_text({new_uid(), section, "fa", std::string(*persian), now}, version));
  BC_TRY(append_audit(vault, "paper.section", "paper " + std::to_string(paper_id)));
  BC_TRY(tx.commit());
  return section;
}

Status set_paper_section(Vault& vault, std::int64_t section_id, std::optional<std::string_view> english,
                         std::optional<std::string_view> persian) {
  if (!english && !persian) return fail(ErrorCode::usage, "give the English text, the Persian text, or both");
  if (english) BC_TRY(check_section_text("en", *english, TextLanguage::english));
  if (persian) BC_TRY(check_section_text("fa", *persian, TextLanguage::persian));
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(std::int64_t paper_id, paper_of_section(vault, section_id));
  BC_ASSIGN(Paper paper, get_paper(vault, paper_id));
  const PaperSection* current = nullptr;
  for (const auto& s : paper.sections)
    if (s.id == section_id) current = &s;
  if (current == nullptr) return fail(ErrorCode::internal, "a section is missing from its paper");
  const bool en_changed = english && *english != current->english;
  const bool fa_changed = persian && *persian != current->persian;
  if (!en_changed && !fa_changed) return {};
  RecordWriter w(vault);
  const std::string now = storage::utc_now_rfc3339();
  BC_ASSIGN(std::int64_t version, w.next_paper_version(paper_id, now));
  if (en_changed) BC_TRY(w.add_paper_text({new_uid(), section_id, "en", std::string(*english), now}, version));
  if (fa_changed) BC_TRY(w.add_paper_text({new_uid(), section_id, "fa", std::string(*persian), now}, version));
  BC_TRY(append_audit(vault, "paper.edit", "paper " + std::to_string(paper_id)));
  return tx.commit();
}

Status add_paper_author(Vault& vault, std::int64_t paper_id, std::string_view fingerprint) {
  BC_ASSIGN(std::string fp, normalize_fingerprint(fingerprint));
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_TRY(get_paper(vault, paper_id));
  BC_TRY(RecordWriter(vault).add_paper_author(paper_id, fp, storage::utc_now_rfc3339()));
  BC_TRY(append_audit(vault, "paper.author", "paper " + std::to_string(paper_id)));
  return tx.commit();
}

Status cite_in_section(Vault& vault, std::int64_t section_id, CitationKind kind, std::string_view target) {
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(std::int64_t paper_id, paper_of_section(vault, section_id));
  BC_ASSIGN(Paper paper, get_paper(vault, paper_id));
  std::string uid;
  if (kind == CitationKind::note) {
    std::int64_t note_id = 0;
    const std::string t(target);
    if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string::npos)
      return fail(ErrorCode::usage, "a note is cited by its id (a number)");
    note_id = std::stoll(t);
    BC_ASSIGN(Statement st, db.prepare("SELECT n.uid FROM notes n JOIN meetings m ON m.id = n.meeting_id "
                                       "WHERE n.id = ? AND n.deleted_at IS NULL AND m.series_id = ?"));
    st.bind(1, note_id).bind(2, paper.series_id);
    BC_ASSIGN(bool row, st.step());
    if (!row) return fail(ErrorCode::not_found, "the paper's series has no note " + std::to_string(note_id));
    uid = st.column_string(0);
  } else {
    uid = std::string(target);
    if (uid.size() != 32 || uid.find_first_not_of("0123456789abcdef") != std::string::npos)
      return fail(ErrorCode::usage, "a thread is cited by its uid (32 lower-case hex digits)");
  }
  BC_TRY(RecordWriter(vault).add_paper_citation(section_id, std::string(to_string(kind)), uid, storage::utc_now_rfc3339()));
  BC_TRY(append_audit(vault, "paper.cite", "paper " + std::to_string(paper_id)));
  return tx.commit();
}

Result<std::int64_t> paper_of_section(Vault& vault, std::int64_t section_id) {
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT paper_id FROM paper_sections WHERE id = ?"));
  st.bind(1, section_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::not_found, "there is no paper section " + std::to_string(section_id));
  return st.column_int64(0);
}

Result<Paper> get_paper(Vault& vault, std::int64_t paper_id) {
  auto& db = db_of(vault);
  Paper p;
  {
    BC_ASSIGN(Statement st, db.prepare("SELECT id, uid, series_id, title, version, created_at, updated_at FROM papers WHERE id = ?"));
    st.bind(1, paper_id);
    BC_ASSIGN(bool row, st.step());
    if (!row) return no_such_paper(paper_id);
    p.id = st.column_int64(0);
    p.uid = st.column_string(1);
    p.series_id = st.column_int64(2);
    p.title = st.column_string(3);
    p.version = st.column_int64(4);
    p.created_at = st.column_string(5);
    p.updated_at = st.column_string(6);
  }
  {
    BC_ASSIGN(Statement st, db.prepare("SELECT fingerprint FROM paper_authors WHERE paper_id = ? ORDER BY added_at, rowid"));
    st.bind(1, paper_id);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      p.authors.push_back(st.column_string(0));
    }
  }
  {
    BC_ASSIGN(Statement st, db.prepare("SELECT version, fingerprint, approved_at FROM paper_approvals WHERE paper_id = ? "
                                       "ORDER BY version, approved_at"));
    st.bind(1, paper_id);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      p.approvals.push_back({st.column_int64(0), st.column_string(1), st.column_string(2)});
    }
  }
  for (const auto& a : p.authors) {
    const bool given = std::any_of(p.approvals.begin(), p.approvals.end(),
                                   [&](const PaperApproval& x) { return x.version == p.version && x.fingerprint == a; });
    if (!given) p.missing_approvals.push_back(a);
  }
  {
    BC_ASSIGN(Statement st, db.prepare(
        "SELECT s.id, s.uid, s.position, "
        "(SELECT text FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'en' ORDER BY revision DESC LIMIT 1), "
        "(SELECT max(revision) FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'en'), "
        "(SELECT max(paper_version) FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'en'), "
        "(SELECT text FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'fa' ORDER BY revision DESC LIMIT 1), "
        "(SELECT max(revision) FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'fa'), "
        "(SELECT max(paper_version) FROM paper_section_revisions r WHERE r.section_id = s.id AND r.language = 'fa') "
        "FROM paper_sections s WHERE s.paper_id = ? ORDER BY s.position"));
    st.bind(1, paper_id);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      PaperSection s;
      s.id = st.column_int64(0);
      s.uid = st.column_string(1);
      s.position = static_cast<int>(st.column_int64(2));
      s.english = st.column_optional_string(3).value_or("");
      s.english_revision = static_cast<int>(st.column_optional_int64(4).value_or(0));
      s.english_version = st.column_optional_int64(5).value_or(0);
      s.persian = st.column_optional_string(6).value_or("");
      s.persian_revision = static_cast<int>(st.column_optional_int64(7).value_or(0));
      s.persian_version = st.column_optional_int64(8).value_or(0);
      p.sections.push_back(std::move(s));
    }
  }
  for (auto& s : p.sections) {
    // Replays the edits: one language edited alone leaves the other stale, unless the edited one
    // was the stale one (a translation catching up); both edited at once leave neither stale.
    BC_ASSIGN(Statement st, db.prepare("SELECT paper_version, group_concat(language) FROM paper_section_revisions "
                                       "WHERE section_id = ? GROUP BY paper_version ORDER BY paper_version"));
    st.bind(1, s.id);
    std::optional<TextLanguage> stale = TextLanguage::persian;
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      const std::string_view langs = st.column_text(1);
      const bool en = langs.find("en") != std::string_view::npos, fa = langs.find("fa") != std::string_view::npos;
      if (en && fa) stale.reset();
      else if (en) stale = stale == TextLanguage::english ? std::nullopt : std::optional(TextLanguage::persian);
      else if (fa) stale = stale == TextLanguage::persian ? std::nullopt : std::optional(TextLanguage::english);
    }
    s.stale = stale;
  }
  for (auto& s : p.sections) {
    BC_ASSIGN(Statement st, db.prepare("SELECT c.kind, c.target_uid, n.id FROM paper_citations c "
                                       "LEFT JOIN notes n ON c.kind = 'note' AND n.uid = c.target_uid "
                                       "WHERE c.section_id = ? ORDER BY c.added_at, c.rowid"));
    st.bind(1, s.id);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      s.citations.push_back({st.column_text(0) == "note" ? CitationKind::note : CitationKind::thread, st.column_string(1),
                             st.column_optional_int64(2)});
    }
  }
  return p;
}

Result<std::vector<Paper>> list_papers(Vault& vault, std::optional<std::int64_t> series_id) {
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT id FROM papers WHERE ?1 IS NULL OR series_id = ?1 ORDER BY id"));
  st.bind(1, series_id);
  std::vector<std::int64_t> ids;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    ids.push_back(st.column_int64(0));
  }
  std::vector<Paper> out;
  for (auto id : ids) {
    BC_ASSIGN(Paper p, get_paper(vault, id));
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<PaperTextRevision>> paper_section_history(Vault& vault, std::int64_t section_id, TextLanguage language) {
  BC_TRY(paper_of_section(vault, section_id));
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT revision, paper_version, text, created_at FROM paper_section_revisions "
                                               "WHERE section_id = ? AND language = ? ORDER BY revision"));
  st.bind(1, section_id).bind(2, language_code(language));
  std::vector<PaperTextRevision> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back({static_cast<int>(st.column_int64(0)), st.column_int64(1), st.column_string(2), st.column_string(3)});
  }
  return out;
}

Result<VariantPaper> paper_variants(Vault& vault, std::int64_t paper_id) {
  BC_ASSIGN(Paper p, get_paper(vault, paper_id));
  BC_ASSIGN(VersionTexts t, texts_at(vault, paper_id, p.version));
  return variants_of(t);
}

Result<Paper> approve_paper(Vault& vault, std::int64_t paper_id) {
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(Paper p, get_paper(vault, paper_id));
  BC_ASSIGN(std::string me, own_fingerprint(vault));
  if (std::find(p.authors.begin(), p.authors.end(), me) == p.authors.end())
    return fail(ErrorCode::bad_input, "this vault is not an author of paper " + std::to_string(paper_id));
  if (p.sections.empty()) return fail(ErrorCode::bad_input, "paper " + std::to_string(paper_id) + " has no section to approve");
  BC_TRY(RecordWriter(vault).add_paper_approval(paper_id, p.version, me, storage::utc_now_rfc3339()));
  BC_TRY(append_audit(vault, "paper.approve", "paper " + std::to_string(paper_id) + " version " + std::to_string(p.version)));
  BC_TRY(tx.commit());
  return get_paper(vault, paper_id);
}

Result<PaperCopy> make_paper_copy(Vault& vault, std::int64_t paper_id, const PaperCopyRequest& request,
                                  const CopyDelivery& deliver) {
  BC_TRY(validate_text("label", request.label, TextField::short_text));
  if (request.channel == CopyChannel::age && !request.recipient)
    return fail(ErrorCode::usage, "a copy to an age recipient needs the recipient");
  if (request.copy_number && request.format != PaperFormat::pdf)
    return fail(ErrorCode::usage, "a \"Copy N of M\" line is printed on PDF copies only");
  auto& db = db_of(vault);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(Paper paper, get_paper(vault, paper_id));
  if (paper.sections.empty()) return fail(ErrorCode::bad_input, "paper " + std::to_string(paper_id) + " has no sections");
  if (!paper.approved())
    return fail(ErrorCode::blocked, "version " + std::to_string(paper.version) + " of paper " + std::to_string(paper_id) +
                                        " is not approved by every author (" + std::to_string(paper.missing_approvals.size()) +
                                        " missing): nothing was written; approve it with `paper approve`");
  BC_ASSIGN(std::vector<PaperCopy> earlier_copies, list_paper_copies(vault, paper_id));
  for (const auto& c : earlier_copies)
    if (c.label == request.label)
      return fail(ErrorCode::conflict, "paper " + std::to_string(paper_id) + " has a copy with this label already");

  BC_ASSIGN(VersionTexts texts, texts_at(vault, paper_id, paper.version));
  BC_ASSIGN(VariantPaper variants, variants_of(texts));
  BC_ASSIGN(crypto::SecureBuffer key, tracing_key(vault, paper_id));
  std::vector<ChoiceVector> earlier;
  for (const auto& c : earlier_copies) {
    auto v = ChoiceVector::parse(c.choices);
    if (v && v->structure_id() == variants.structure_id()) earlier.push_back(std::move(*v));
  }
  const ChoiceVector choices = derive_copy_choices(variants, key, request.label, earlier);
  BC_ASSIGN(std::vector<std::string> rendered, variants.render(choices));

  PdfDocument document;
  document.title = paper.title;
  document.copy = request.copy_number;
  document.layout = request.layout;
  for (std::size_t i = 0; i < texts.english.size(); ++i) {
    PdfBlock b;
    b.english = rendered[2 * i];
    b.persian = rendered[2 * i + 1];
    document.blocks.push_back(std::move(b));
  }

  // The scanner reads every text the copy shows, and every alternative of every variant point
  // (so that no copy passes with a name another copy would carry).
  BC_ASSIGN(SeriesScan scan, series_scan(vault, paper.series_id, request.audience));
  std::vector<std::string> region_text;
  std::vector<std::string> region_place;
  for (const auto& t : pdf_texts(document)) {
    region_text.push_back(t.text);
    region_place.push_back(t.block ? "section " + std::to_string(*t.block + 1) : std::string("the title or header"));
  }
  for (const auto& point : variants.points()) {
    for (const auto& alt : point.alternatives) {
      region_text.push_back(alt);
      region_place.push_back(variants.text_label(point.text) + ", a variant at line " + std::to_string(point.line));
    }
  }
  std::vector<ScanRegion> regions;
  for (std::size_t i = 0; i < region_text.size(); ++i) regions.push_back({region_text[i], static_cast<std::int64_t>(i)});
  std::vector<std::optional<std::string>> locations{std::nullopt};
  for (const auto& l : scan.hidden_locations) locations.push_back(l);
  std::vector<Leak> leaks;
  for (const auto& loc : locations) {
    scan.input.hidden_location = loc;
    for (auto& l : scan_for_leaks(scan.input, regions)) leaks.push_back(std::move(l));
  }
  if (!leaks.empty()) {
    std::string msg = "paper copy blocked by the leak scanner, nothing was written: ";
    for (std::size_t i = 0; i < leaks.size() && i < 10; ++i) {
      if (i > 0) msg += "; ";
      const Leak& l = leaks[i];
      msg += l.kind == LeakKind::mixed_script ? std::string("a word that mixes scripts")
             : l.participant_key == "location" ? std::string("a protected form of a hidden meeting location")
                                              : "a protected form of participant " + l.participant_key;
      if (l.note_id) msg += " in " + region_place[static_cast<std::size_t>(*l.note_id)];
    }
    if (leaks.size() > 10) msg += "; and " + std::to_string(leaks.size() - 10) + " more";
    return fail(ErrorCode::blocked, msg);
  }

  std::string bytes;
  if (request.format == PaperFormat::pdf) {
    BC_ASSIGN(bytes, render_pdf(document));
  } else {
    bytes = render_text_copy(document, request.format);
  }

  PaperCopyRow row;
  row.uid = new_uid();
  row.paper_id = paper_id;
  row.label = request.label;
  row.version = paper.version;
  row.channel = std::string(to_string(request.channel));
  if (request.channel == CopyChannel::age) row.recipient = request.recipient;
  row.audience = std::string(to_string(request.audience));
  row.format = std::string(to_string(request.format));
  row.choices = choices.serialize();
  row.fingerprint = choices.fingerprint();
  row.created_at = storage::utc_now_rfc3339();
  BC_ASSIGN(std::int64_t id, RecordWriter(vault).insert_paper_copy(row));
  BC_TRY(append_audit(vault, "paper.copy", "paper " + std::to_string(paper_id) + " copy " + std::to_string(id)));
  // Delivered last, inside the transaction: a copy that could not be written is not registered.
  Status delivered = deliver(bytes);
  crypto::wipe(bytes.data(), bytes.size());
  for (auto& r : rendered) crypto::wipe(r.data(), r.size());
  BC_TRY(delivered);
  BC_TRY(tx.commit());
  PaperCopy out;
  out.id = id;
  out.label = row.label;
  out.version = row.version;
  out.channel = request.channel;
  out.recipient = row.recipient;
  out.audience = request.audience;
  out.format = request.format;
  out.choices = row.choices;
  out.fingerprint = row.fingerprint;
  out.created_at = row.created_at;
  return out;
}

Status write_copy_file(const std::string& document, const std::vector<crypto::age::Recipient>& recipients,
                       files::OutputFile& out) {
  if (recipients.empty()) {
    BC_TRY(out.write(document));
  } else {
    std::size_t pos = 0;
    auto read = [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
      const std::size_t n = std::min(buf.size(), document.size() - pos);
      std::copy_n(document.data() + pos, n, reinterpret_cast<char*>(buf.data()));
      pos += n;
      return n;
    };
    BC_TRY(crypto::age::encrypt(recipients, read, out.writer()));
  }
  return out.commit();
}

Result<std::vector<PaperCopy>> list_paper_copies(Vault& vault, std::int64_t paper_id) {
  BC_TRY(get_paper(vault, paper_id));
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT id, label, version, channel, recipient, audience, format, choices, "
                                               "fingerprint, created_at FROM paper_copies WHERE paper_id = ? ORDER BY id"));
  st.bind(1, paper_id);
  std::vector<PaperCopy> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(read_copy(st));
  }
  return out;
}

Result<PaperTrace> trace_paper(Vault& vault, std::int64_t paper_id, std::string_view leaked_text) {
  BC_ASSIGN(Paper paper, get_paper(vault, paper_id));
  BC_ASSIGN(std::vector<PaperCopy> copies, list_paper_copies(vault, paper_id));
  std::map<std::int64_t, std::vector<RegisteredCopy>> by_version;
  for (const auto& c : copies) {
    BC_ASSIGN(ChoiceVector v, ChoiceVector::parse(c.choices));
    by_version[c.version].push_back({c.label, std::move(v)});
  }
  if (by_version.empty()) by_version[paper.version] = {};

  std::optional<PaperTrace> best;
  std::optional<VariantPaper> best_variants;
  std::set<std::string> named;
  for (auto& [version, registered] : by_version) {
    BC_ASSIGN(VersionTexts texts, texts_at(vault, paper_id, version));
    BC_ASSIGN(VariantPaper variants, variants_of(texts));
    BC_ASSIGN(TraceResult r, trace_copy(variants, registered, leaked_text));
    if (r.verdict == TraceVerdict::copy) named.insert(r.label);
    const bool better = !best || (r.verdict == TraceVerdict::copy && best->result.verdict != TraceVerdict::copy) ||
                        (r.verdict == best->result.verdict && r.confidence > best->result.confidence);
    if (better) {
      best = PaperTrace{std::move(r), version, {}};
      best_variants = std::move(variants);
    }
  }
  // Two versions that each name a different copy: the evidence does not settle it.
  if (named.size() > 1) {
    best->result.verdict = TraceVerdict::cannot_tell;
    best->result.reason = TraceReason::copies_alike;
  }
  const TraceResult& r = best->result;
  for (const auto& d : r.deciding) {
    const TraceReading& reading = r.readings[d.reading];
    std::string where;
    for (std::size_t k = 0; k < reading.points.size(); ++k) {
      const VariantPoint& pt = best_variants->points()[reading.points[k]];
      if (k > 0) where += "; ";
      where += best_variants->text_label(pt.text) + ", " + describe_variant_point(pt);
    }
    char weight[32];
    std::snprintf(weight, sizeof weight, "%.1f", d.weight);
    best->explanation.push_back(where + ": the text has \"" + reading.read + "\", copy " + r.label + " has \"" + d.named +
                                "\", " + (r.runner_up.empty() ? std::string("the runner-up") : "copy " + r.runner_up) +
                                " has \"" + d.other + "\" (weight " + weight + ")");
  }
  return std::move(*best);
}

}  // namespace bc::core
