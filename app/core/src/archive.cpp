#include "backchannel/core/archive.h"

#include <map>
#include <set>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/domain.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/message_text.h"
#include "backchannel/storage/clock.h"
#include "backchannel/storage/schema.h"
#include "record_fields.h"
#include "record_writer.h"
#include "signed_records.h"
#include "vault_store_access.h"

namespace bc::core {

using json = nlohmann::ordered_json;
using storage::Statement;

namespace {

constexpr std::string_view kFormat = "backchannel.archive/1";

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::strict); }
json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// Note records are most of an archive; they are written straight into the line rather than
// through a json object per note and per revision (those allocations were most of the export
// time). The output is byte for byte what dump() gives for the same object: no spaces, keys in
// the order written, strings escaped as nlohmann does with ensure_ascii off, invalid UTF-8
// refused.
class LineWriter {
 public:
  explicit LineWriter(std::string& out) : out_(out) {}
  LineWriter& open(char c) {
    out_ += c;
    first_ = true;
    return *this;
  }
  LineWriter& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  LineWriter& key(std::string_view k) {
    if (!first_) out_ += ',';
    out_ += '"';
    out_ += k;  // keys are our own ASCII literals
    out_ += "\":";
    first_ = true;  // the value follows without a comma
    return *this;
  }
  // An element of an array (after open('[')).
  LineWriter& element() {
    if (!first_) out_ += ',';
    first_ = true;
    return *this;
  }
  Status string(std::string_view v) {
    if (!is_valid_utf8(v)) return fail(ErrorCode::integrity, "a stored text is not valid UTF-8", Remedy::check_vault);
    out_ += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto c = static_cast<unsigned char>(v[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(v.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 15];
        }
      }
    }
    out_.append(v.data() + run, v.size() - run);
    out_ += '"';
    first_ = false;
    return {};
  }
  Status optional_string(const std::optional<std::string_view>& v) {
    if (v) return string(*v);
    out_ += "null";
    first_ = false;
    return {};
  }
  void integer(std::int64_t v) {
    out_ += std::to_string(v);
    first_ = false;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

std::string id_list(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

// ---- export ----

// Produces the archive's lines one at a time, so that memory does not grow with the vault.
class ArchiveProducer {
 public:
  // whole_vault: every meeting is exported, so the notes are read in id order straight from the
  // table (the unary + keeps SQLite from using the meeting index and then sorting every note,
  // text included, by id); for a few meetings the index is the quicker way.
  ArchiveProducer(Vault& vault, std::string meetings, json header, bool whole_vault)
      : vault_(vault), meetings_(std::move(meetings)), header_(std::move(header)), whole_vault_(whole_vault) {}

  Result<std::optional<std::string>> next() {
    while (true) {
      switch (phase_) {
        case 0:
          phase_ = 1;
          return std::optional<std::string>(dump(header_));
        case 1: BC_TRY(start("SELECT DISTINCT s.uid, s.title, s.rule, s.created_at FROM series s JOIN meetings m ON m.series_id = s.id "
                             "WHERE m.id IN (" + meetings_ + ") ORDER BY s.id")); break;
        case 3: BC_TRY(start("SELECT m.uid, s.uid, m.title, m.starts_at, m.location, m.location_participants, m.location_public, "
                             "m.rule, m.public_terms, m.created_at FROM meetings m JOIN series s ON s.id = m.series_id "
                             "WHERE m.id IN (" + meetings_ + ") ORDER BY m.id")); break;
        case 5: BC_TRY(start("SELECT DISTINCT p.id, p.uid, p.name, p.affiliation, p.delegation, p.descriptor, p.recipient, "
                             "p.signing_key, p.created_at, p.descriptor_fa FROM participants p JOIN attendance a ON a.participant_id = p.id "
                             "WHERE a.meeting_id IN (" + meetings_ + ") ORDER BY p.id")); break;
        case 7: BC_TRY(start("SELECT m.uid, p.uid, a.key, a.position, "
                             "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = a.participant_id AND d.audience = 'participants'), "
                             "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = a.participant_id AND d.audience = 'public') "
                             "FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN participants p ON p.id = a.participant_id "
                             "WHERE a.meeting_id IN (" + meetings_ + ") ORDER BY a.meeting_id, a.position")); break;
        case 9: BC_TRY(start("SELECT n.id, n.uid, m.uid, p.uid, n.kind, n.at, n.visibility, n.text, n.created_at, n.updated_at "
                             "FROM notes n JOIN meetings m ON m.id = n.meeting_id LEFT JOIN participants p ON p.id = n.speaker_id "
                             "WHERE " + std::string(whole_vault_ ? "+" : "") + "n.meeting_id IN (" + meetings_ +
                             ") AND n.deleted_at IS NULL ORDER BY n.id")); break;
        case 11: {
          phase_ = 12;
          json end{{"type", "end"},
                   {"counts", {{"series", report.series}, {"meetings", report.meetings}, {"participants", report.participants},
                               {"notes", report.notes}, {"revisions", report.revisions}}}};
          return std::optional<std::string>(dump(end));
        }
        case 12: return std::optional<std::string>();
        default: {
          // Odd phases 2..10: read rows of the current statement.
          BC_ASSIGN(bool row, stmt_.step());
          if (!row) {
            ++phase_;
            continue;
          }
          if (phase_ == 10) {
            BC_ASSIGN(std::string line, note_line());
            return std::optional<std::string>(std::move(line));
          }
          BC_ASSIGN(json rec, record());
          return std::optional<std::string>(dump(rec));
        }
      }
    }
  }

  ExportReport report;

 private:
  Status start(const std::string& sql) {
    BC_ASSIGN(stmt_, vault_store(vault_).db().prepare(sql));
    ++phase_;
    return {};
  }

  Result<json> record() {
    const Statement& s = stmt_;
    json r;
    switch (phase_) {
      case 2:
        ++report.series;
        r = {{"type", "series"}, {"uid", s.column_string(0)}, {"title", s.column_string(1)}, {"rule", s.column_string(2)},
             {"created_at", s.column_string(3)}};
        break;
      case 4:
        ++report.meetings;
        r = {{"type", "meeting"},      {"uid", s.column_string(0)},        {"series", s.column_string(1)},
             {"title", s.column_string(2)}, {"starts_at", s.column_string(3)}, {"location", opt(s.column_optional_string(4))},
             {"location_disclosure", {{"participants", s.column_string(5)}, {"public", s.column_string(6)}}},
             {"rule", opt(s.column_optional_string(7))}, {"public_terms", json::parse(s.column_text(8), nullptr, false)},
             {"created_at", s.column_string(9)}};
        break;
      case 6: {
        ++report.participants;
        json aliases = json::array();
        BC_ASSIGN(storage::CachedStatement al, vault_store(vault_).db().cached("SELECT alias FROM participant_aliases WHERE participant_id = ? ORDER BY position"));
        al->bind(1, s.column_int64(0));
        while (true) {
          BC_ASSIGN(bool row, al->step());
          if (!row) break;
          aliases.push_back(al->column_string(0));
        }
        json short_forms = json::array();
        BC_ASSIGN(storage::CachedStatement sf, vault_store(vault_).db().cached(
                                                  "SELECT source, form, usage FROM participant_short_forms WHERE participant_id = ? ORDER BY position"));
        sf->bind(1, s.column_int64(0));
        while (true) {
          BC_ASSIGN(bool row, sf->step());
          if (!row) break;
          short_forms.push_back({{"of", sf->column_string(0)}, {"form", sf->column_string(1)}, {"use", sf->column_string(2)}});
        }
        const auto signing = s.column_blob(7);
        r = {{"type", "participant"}, {"uid", s.column_string(1)}, {"name", s.column_string(2)},
             {"affiliation", opt(s.column_optional_string(3))}, {"delegation", opt(s.column_optional_string(4))},
             {"descriptor", opt(s.column_optional_string(5))}, {"descriptor_fa", opt(s.column_optional_string(9))},
             {"aliases", aliases}, {"short_forms", short_forms},
             {"recipient", opt(s.column_optional_string(6))},
             {"signing_key", signing.size() == 32 ? json("ed25519:" + crypto::to_base64(signing)) : json(nullptr)},
             {"created_at", s.column_string(8)}};
        break;
      }
      case 8:
        r = {{"type", "attendance"}, {"meeting", s.column_string(0)}, {"participant", s.column_string(1)},
             {"key", s.column_string(2)}, {"position", s.column_int64(3)},
             {"disclosure", {{"participants", s.is_null(4) ? "anonymous" : s.column_string(4)},
                             {"public", s.is_null(5) ? "anonymous" : s.column_string(5)}}}};
        break;
      default: return fail(ErrorCode::internal, "archive export: unexpected phase");
    }
    return r;
  }

  Result<std::string> note_line() {
    const Statement& s = stmt_;
    ++report.notes;
    std::string line;
    LineWriter w(line);
    w.open('{');
    BC_TRY(w.key("type").string("note"));
    BC_TRY(w.key("uid").string(s.column_text(1)));
    BC_TRY(w.key("meeting").string(s.column_text(2)));
    BC_TRY(w.key("speaker").optional_string(optional_text(s, 3)));
    BC_TRY(w.key("kind").string(s.column_text(4)));
    BC_TRY(w.key("at").optional_string(optional_text(s, 5)));
    BC_TRY(w.key("visibility").string(s.column_text(6)));
    BC_TRY(w.key("text").string(s.column_text(7)));
    BC_TRY(w.key("created_at").string(s.column_text(8)));
    BC_TRY(w.key("updated_at").string(s.column_text(9)));
    w.key("revisions").open('[');
    BC_ASSIGN(storage::CachedStatement rv, vault_store(vault_).db().cached("SELECT uid, revision, text, created_at FROM note_revisions WHERE note_id = ? ORDER BY revision"));
    rv->bind(1, s.column_int64(0));
    while (true) {
      BC_ASSIGN(bool row, rv->step());
      if (!row) break;
      ++report.revisions;
      w.element().open('{');
      BC_TRY(w.key("uid").string(rv->column_text(0)));
      w.key("revision").integer(rv->column_int64(1));
      BC_TRY(w.key("text").string(rv->column_text(2)));
      BC_TRY(w.key("created_at").string(rv->column_text(3)));
      w.close('}');
    }
    w.close(']').close('}');
    return line;
  }

  static std::optional<std::string_view> optional_text(const Statement& s, int column) {
    if (s.is_null(column)) return std::nullopt;
    return s.column_text(column);
  }

  Vault& vault_;
  std::string meetings_;
  json header_;
  bool whole_vault_ = false;
  int phase_ = 0;
  Statement stmt_;
};

// ---- import ----

// "archive record 12 (note)": a record's position in the file and its type, for messages.
SecureFields archive_fields(const SecureJson& j, std::size_t n, const std::string& type) {
  return SecureFields(j, "archive record " + std::to_string(n) + " (" + quote_for_message(type) + ")");
}

class ArchiveMerger {
 public:
  explicit ArchiveMerger(Vault& vault) : vault_(vault), db_(vault_store(vault).db()), writer_(vault) {}

  Status record(const SecureJson& j) {
    ++n_;
    if (ended_) return fail(ErrorCode::bad_input, "archive record " + std::to_string(n_) + " comes after the end record");
    auto t = j.find("type");
    if (t == j.end() || !t->is_string()) return fail(ErrorCode::bad_input, "archive record " + std::to_string(n_) + " has no type");
    const std::string type = std::string(t->get_ref<const crypto::SecureString&>());
    SecureFields f = archive_fields(j, n_, type);
    if (type == "series") return series(f);
    if (type == "meeting") return meeting(f);
    if (type == "participant") return participant(f);
    if (type == "attendance") return attendance(f);
    if (type == "note") {
      BC_ASSIGN(PreparedNote note, prepare_note(j, n_));
      return apply_note(note);
    }
    if (type == "end") {
      ended_ = true;
      return {};
    }
    return fail(ErrorCode::bad_input, f.where() + ": unknown record type");
  }
  bool ended() const { return ended_; }
  ImportReport report;

  struct Revision {
    std::string uid, text, created_at;
  };
  // A note record checked and taken apart: everything about it that needs no vault (prepare_note,
  // a pure function of the record), then applied to the vault (apply_note).
  struct PreparedNote {
    std::string where, uid, meeting_uid, kind, visibility, text, created, updated;
    std::optional<std::string> speaker_uid, at;
    std::vector<Revision> revisions;
    std::set<std::string> revision_uids;
  };
  // `n` is the record's position in the file (the header is 1), for messages.
  static Result<PreparedNote> prepare_note(const SecureJson& j, std::size_t n) {
    SecureFields f = archive_fields(j, n, "note");
    PreparedNote p;
    p.where = f.where();
    BC_ASSIGN(p.uid, f.uid("uid"));
    BC_ASSIGN(p.meeting_uid, f.uid("meeting"));
    BC_ASSIGN(p.speaker_uid, f.optional_uid("speaker"));
    BC_ASSIGN(p.kind, f.enumerated("kind", is_kind));
    BC_ASSIGN(p.visibility, f.enumerated("visibility", is_visibility));
    if (auto a = f.raw().find("at"); a != f.raw().end() && !a->is_null()) {
      BC_ASSIGN(std::string t, f.timestamp("at"));
      p.at = std::move(t);
    }
    BC_ASSIGN(p.text, f.text("text", TextField::note_text));
    BC_ASSIGN(p.created, f.timestamp("created_at"));
    BC_ASSIGN(p.updated, f.timestamp("updated_at"));
    auto rv = f.raw().find("revisions");
    if (rv == f.raw().end() || !rv->is_array() || rv->empty() || rv->size() > 10000)
      return fail(ErrorCode::bad_input, f.where() + ": revisions must be a non-empty list");
    for (const auto& r : *rv) {
      if (!r.is_object()) return fail(ErrorCode::bad_input, f.where() + ": bad revision");
      SecureFields rf = archive_fields(r, n, "note revision");
      BC_ASSIGN(std::string ruid, rf.uid("uid"));
      BC_ASSIGN(std::string rtext, rf.text("text", TextField::note_text));
      BC_ASSIGN(std::string rcreated, rf.timestamp("created_at"));
      if (!p.revision_uids.insert(ruid).second) return fail(ErrorCode::bad_input, f.where() + ": a revision appears twice");
      p.revisions.push_back({std::move(ruid), std::move(rtext), std::move(rcreated)});
    }
    if (p.revisions.back().text != p.text) return fail(ErrorCode::bad_input, f.where() + ": the text is not its last revision");
    return p;
  }

 private:
  Result<std::optional<std::int64_t>> local_id(const char* table, const std::string& uid) {
    BC_ASSIGN(storage::CachedStatement st, db_.cached(std::string("SELECT id FROM ") + table + " WHERE uid = ?"));
    st->bind(1, uid);
    BC_ASSIGN(bool row, st->step());
    if (!row) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(st->column_int64(0));
  }

  Status series(const SecureFields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_ASSIGN(std::string title, f.text("title"));
    BC_ASSIGN(std::string rule, f.enumerated("rule", is_rule));
    BC_ASSIGN(std::string created, f.timestamp("created_at"));
    BC_ASSIGN(std::optional<std::int64_t> id, local_id("series", uid));
    if (!id) {
      // A series of the same title already here is the same series under another uid.
      BC_ASSIGN(storage::CachedStatement by_title, db_.cached("SELECT id FROM series WHERE title = ?"));
      by_title->bind(1, title);
      BC_ASSIGN(bool row, by_title->step());
      if (row) {
        id = by_title->column_int64(0);
        report.differences.push_back("a series of the archive has the same title as series " + std::to_string(*id) +
                                     " here; its meetings were added to it");
      } else {
        BC_ASSIGN(id, writer_.insert_series({uid, title, *parse_rule(rule), created}));
        ++report.series_added;
      }
    }
    series_[uid] = *id;
    return {};
  }

  Status meeting(const SecureFields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_ASSIGN(std::string series_uid, f.uid("series"));
    BC_ASSIGN(std::string title, f.text("title"));
    BC_ASSIGN(std::string starts, f.timestamp("starts_at"));
    BC_ASSIGN(std::optional<std::string> location, f.optional_text("location"));
    auto ld = f.raw().find("location_disclosure");
    if (ld == f.raw().end() || !ld->is_object()) return fail(ErrorCode::bad_input, f.where() + ": location_disclosure is required");
    BC_ASSIGN(std::string lp, f.enumerated(*ld, "participants", is_location_level));
    BC_ASSIGN(std::string lpub, f.enumerated(*ld, "public", is_location_level));
    std::optional<std::string> rule;
    if (auto r = f.raw().find("rule"); r != f.raw().end() && !r->is_null()) {
      BC_ASSIGN(std::string rv, f.enumerated("rule", is_rule));
      rule = rv;
    }
    std::vector<std::string> terms;
    if (auto pt = f.raw().find("public_terms"); pt != f.raw().end()) {
      if (!pt->is_array() || pt->size() > Limits::kMaxPublicTerms) return fail(ErrorCode::bad_input, f.where() + ": bad public_terms");
      for (const auto& t : *pt) {
        if (!t.is_string()) return fail(ErrorCode::bad_input, f.where() + ": bad public_terms");
        BC_TRY(validate_text(f.where() + ": public_terms", std::string(t.get_ref<const crypto::SecureString&>()), TextField::short_text));
        terms.push_back(std::string(t.get_ref<const crypto::SecureString&>()));
      }
    }
    BC_ASSIGN(std::string created, f.timestamp("created_at"));
    auto s = series_.find(series_uid);
    if (s == series_.end()) return fail(ErrorCode::bad_input, f.where() + ": its series is not in the archive");
    BC_ASSIGN(std::optional<std::int64_t> id, local_id("meetings", uid));
    if (id) {
      BC_ASSIGN(Meeting local, get_meeting(vault_, *id));
      if (local.title != title || local.starts_at != starts || local.location != location ||
          std::string(to_string(local.location_disclosure[0])) != lp || std::string(to_string(local.location_disclosure[1])) != lpub ||
          local.public_terms != terms || (local.rule ? std::optional<std::string>(std::string(to_string(*local.rule))) : std::nullopt) != rule)
        report.differences.push_back("meeting " + std::to_string(*id) + ": details differ from the archive; this vault's were kept");
    } else {
      MeetingRow row;
      row.uid = uid;
      row.series_id = s->second;
      row.title = title;
      row.starts_at = starts;
      row.location = location;
      row.location_disclosure = {*parse_disclosure_level(lp), *parse_disclosure_level(lpub)};
      if (rule) row.rule = parse_rule(*rule);
      row.public_terms = terms;
      row.created_at = created;
      BC_ASSIGN(id, writer_.insert_meeting(row));
      ++report.meetings_added;
    }
    meetings_[uid] = *id;
    return {};
  }

  Status participant(const SecureFields& f) {
    BC_ASSIGN(std::string uid, f.uid("uid"));
    BC_ASSIGN(std::string name, f.text("name"));
    BC_ASSIGN(std::optional<std::string> affiliation, f.optional_text("affiliation"));
    BC_ASSIGN(std::optional<std::string> delegation, f.optional_text("delegation"));
    BC_ASSIGN(std::optional<std::string> descriptor, f.optional_text("descriptor"));
    BC_ASSIGN(std::optional<std::string> recipient, f.optional_text("recipient"));
    BC_ASSIGN(std::optional<std::string> signing, f.optional_text("signing_key"));
    std::optional<std::array<std::uint8_t, 32>> signing_key;
    if (signing) {
      BC_ASSIGN(crypto::Ed25519Public k, parse_signing_key(*signing));
      signing_key.emplace();
      std::copy(k.begin(), k.end(), signing_key->begin());
    }
    std::vector<std::string> aliases;
    if (auto a = f.raw().find("aliases"); a != f.raw().end()) {
      if (!a->is_array() || a->size() > Limits::kMaxAliases) return fail(ErrorCode::bad_input, f.where() + ": bad aliases");
      for (const auto& x : *a) {
        if (!x.is_string()) return fail(ErrorCode::bad_input, f.where() + ": bad aliases");
        BC_TRY(validate_text(f.where() + ": aliases", std::string(x.get_ref<const crypto::SecureString&>()), TextField::short_text));
        aliases.push_back(std::string(x.get_ref<const crypto::SecureString&>()));
      }
    }
    // Added by vault schema 6; an archive written before has neither (and is read as having none).
    BC_ASSIGN(std::optional<std::string> descriptor_fa, f.optional_text("descriptor_fa"));
    std::vector<ShortFormRule> short_forms;
    if (auto a = f.raw().find("short_forms"); a != f.raw().end() && !a->is_null()) {
      if (!a->is_array() || a->size() > Limits::kMaxShortForms) return fail(ErrorCode::bad_input, f.where() + ": bad short_forms");
      for (const auto& x : *a) {
        if (!x.is_object()) return fail(ErrorCode::bad_input, f.where() + ": bad short_forms");
        SecureFields sf = archive_fields(x, n_, "participant short form");
        BC_ASSIGN(std::string of, sf.enumerated("of", is_short_form_of));
        BC_ASSIGN(std::string use, sf.enumerated("use", is_short_form_use));
        BC_ASSIGN(std::string form, sf.text("form"));
        short_forms.push_back({*parse_short_form_of(of), std::move(form), *parse_short_form_use(use)});
      }
      BC_TRY(validate_short_forms(f.where() + ": short_forms", short_forms));
    }
    BC_ASSIGN(std::string created, f.timestamp("created_at"));
    BC_ASSIGN(std::optional<std::int64_t> id, local_id("participants", uid));
    if (id) {
      BC_ASSIGN(storage::CachedStatement st, db_.cached("SELECT name, affiliation, delegation, descriptor, descriptor_fa FROM participants WHERE id = ?"));
      st->bind(1, *id);
      BC_ASSIGN(bool row, st->step());
      if (row && (st->column_string(0) != name || st->column_optional_string(1) != affiliation ||
                  st->column_optional_string(2) != delegation || st->column_optional_string(3) != descriptor ||
                  (f.raw().contains("descriptor_fa") && st->column_optional_string(4) != descriptor_fa)))
        report.differences.push_back("participant " + std::to_string(*id) + ": details differ from the archive; this vault's were kept");
    } else {
      ParticipantRow row;
      row.uid = uid;
      row.name = name;
      row.affiliation = affiliation;
      row.delegation = delegation;
      row.descriptor = descriptor;
      row.recipient = recipient;
      row.signing_key = signing_key;
      row.aliases = aliases;
      row.created_at = created;
      row.descriptor_fa = std::move(descriptor_fa);
      row.short_forms = std::move(short_forms);
      BC_ASSIGN(id, writer_.insert_participant(row));
      ++report.participants_added;
    }
    participants_[uid] = *id;
    return {};
  }

  Status attendance(const SecureFields& f) {
    BC_ASSIGN(std::string meeting_uid, f.uid("meeting"));
    BC_ASSIGN(std::string participant_uid, f.uid("participant"));
    BC_ASSIGN(std::string key, f.text("key"));
    auto d = f.raw().find("disclosure");
    if (d == f.raw().end() || !d->is_object()) return fail(ErrorCode::bad_input, f.where() + ": disclosure is required");
    BC_ASSIGN(std::string to_participants, f.enumerated(*d, "participants", is_level));
    BC_ASSIGN(std::string to_public, f.enumerated(*d, "public", is_level));
    auto m = meetings_.find(meeting_uid);
    auto p = participants_.find(participant_uid);
    if (m == meetings_.end() || p == participants_.end())
      return fail(ErrorCode::bad_input, f.where() + ": refers to a meeting or participant that is not in the archive");
    BC_ASSIGN(storage::CachedStatement st, db_.cached("SELECT key FROM attendance WHERE meeting_id = ? AND participant_id = ?"));
    st->bind(1, m->second).bind(2, p->second);
    BC_ASSIGN(bool exists, st->step());
    if (exists) {
      BC_ASSIGN(storage::CachedStatement lv, db_.cached("SELECT audience, level FROM disclosure WHERE meeting_id = ? AND participant_id = ?"));
      lv->bind(1, m->second).bind(2, p->second);
      bool differ = false;
      while (true) {
        BC_ASSIGN(bool row, lv->step());
        if (!row) break;
        differ = differ || lv->column_string(1) != (lv->column_text(0) == "public" ? to_public : to_participants);
      }
      if (differ)
        report.differences.push_back("participant " + std::to_string(p->second) + " in meeting " + std::to_string(m->second) +
                                     ": disclosure levels differ from the archive; this vault's were kept");
      return {};
    }
    // Keep the key unique within the meeting.
    std::string local_key = key;
    for (int k = 2;; ++k) {
      BC_ASSIGN(storage::CachedStatement dup, db_.cached("SELECT 1 FROM attendance WHERE meeting_id = ? AND key = ?"));
      dup->bind(1, m->second).bind(2, local_key);
      BC_ASSIGN(bool taken, dup->step());
      if (!taken) break;
      local_key = key + "-" + std::to_string(k);
    }
    return writer_.insert_attendance({m->second, p->second, local_key, std::nullopt,
                                      {*parse_disclosure_level(to_participants), *parse_disclosure_level(to_public)}});
  }

  Status apply_note(PreparedNote& p) {
    const std::string& uid = p.uid;
    const std::string& updated = p.updated;
    const std::vector<Revision>& revisions = p.revisions;
    const std::set<std::string>& seen = p.revision_uids;
    auto m = meetings_.find(p.meeting_uid);
    if (m == meetings_.end()) return fail(ErrorCode::bad_input, p.where + ": its meeting is not in the archive");
    std::optional<std::int64_t> speaker;
    if (p.speaker_uid) {
      auto sp = participants_.find(*p.speaker_uid);
      if (sp == participants_.end()) return fail(ErrorCode::bad_input, p.where + ": its speaker is not in the archive");
      speaker = sp->second;
    }
    // A new note (nearly always) is inserted straight away: one look-up of its uid, not two.
    NoteRow row{uid, m->second, speaker, *parse_note_kind(p.kind), p.at, *parse_visibility(p.visibility), {}, p.created, updated};
    row.revisions.reserve(revisions.size());
    for (const auto& r : revisions) row.revisions.push_back({r.uid, r.text, r.created_at});
    BC_ASSIGN(std::optional<std::int64_t> inserted, writer_.insert_note(row));
    if (inserted) {
      ++report.notes_added;
      report.revisions_added += revisions.size();
      return {};
    }
    // Deleted or purged here: the tombstone wins over the archive's older copy.
    BC_ASSIGN(bool tombstoned, writer_.is_tombstoned(uid));
    if (tombstoned) {
      ++report.notes_deleted_here;
      return {};
    }
    BC_ASSIGN(std::optional<std::int64_t> id, local_id("notes", uid));
    if (!id) return fail(ErrorCode::internal, p.where + ": the note was neither added nor found");
    // Merge revisions by uid.
    BC_ASSIGN(storage::CachedStatement lr, db_.cached("SELECT uid FROM note_revisions WHERE note_id = ? ORDER BY revision"));
    lr->bind(1, *id);
    std::vector<std::string> local_order;
    std::set<std::string> local;
    while (true) {
      BC_ASSIGN(bool found, lr->step());
      if (!found) break;
      local_order.push_back(lr->column_string(0));
      local.insert(local_order.back());
    }
    std::vector<RevisionRow> missing;
    for (const auto& r : row.revisions)
      if (local.count(r.uid) == 0) missing.push_back(r);
    if (missing.empty()) return {};
    bool local_has_more = false;
    for (const auto& u : local) local_has_more = local_has_more || seen.count(u) == 0;
    // The merged history, in order. A note's current text is always its last revision (an
    // archive whose note text is not its last revision is refused, so breaking this would make
    // the note impossible to hand over again). Fast-forward: the archive's order, which ends with
    // its current text. Edited in both vaults: the archive's revisions, then this vault's own,
    // with this vault's current revision last.
    std::vector<std::string> order;
    if (!local_has_more) {
      for (const auto& r : revisions) order.push_back(r.uid);
    } else {
      const std::string current = local_order.back();
      for (const auto& r : revisions)
        if (r.uid != current) order.push_back(r.uid);
      for (const auto& u : local_order)
        if (seen.count(u) == 0 && u != current) order.push_back(u);
      order.push_back(current);
      report.conflicting_notes.push_back(*id);
    }
    BC_ASSIGN(std::size_t added, writer_.merge_revisions(*id, missing, order, updated));
    report.revisions_added += added;
    return {};
  }

  Vault& vault_;
  storage::Database& db_;
  RecordWriter writer_;
  std::size_t n_ = 1;  // the header is record 1
  bool ended_ = false;
  std::map<std::string, std::int64_t> series_, meetings_, participants_;
};

}  // namespace

Result<ExportReport> export_archive(Vault& vault, const ExportOptions& options, const crypto::age::WriteFn& out) {
  if (options.recipients.empty()) return fail(ErrorCode::usage, "an archive needs at least one recipient or a passphrase");
  std::vector<std::int64_t> ids = options.meeting_ids;
  if (ids.empty()) {
    BC_ASSIGN(std::vector<Meeting> all, list_meetings(vault));
    for (const auto& m : all) ids.push_back(m.id);
    if (ids.empty()) return fail(ErrorCode::bad_input, "the vault has no meetings to export");
  } else {
    for (auto id : ids) BC_TRY(require_meeting(vault, id));
  }
  BC_ASSIGN(VaultIdentity me, vault_identity(vault));
  BC_ASSIGN(crypto::Ed25519KeyPair signer, vault_store(vault).identity_ed25519());
  json header{{"format", kFormat},
              {"created_at", storage::utc_now_rfc3339()},
              {"signer", me.signing_key},
              {"signer_recipient", me.recipient},
              {"recipients", recipients_field(options.recipients)},
              {"scope", options.meeting_ids.empty() ? "all" : "meetings"}};
  ArchiveProducer producer(vault, id_list(ids), header, options.meeting_ids.empty());
  BC_TRY(write_signed_stream(options.recipients, signer, [&] { return producer.next(); }, out, options.armor, options.progress));
  BC_TRY(append_audit(vault, "archive.export", std::to_string(producer.report.meetings) + " meetings"));
  return producer.report;
}

Result<ImportReport> import_archive(Vault& vault, const crypto::age::ReadFn& in, const ImportOptions& options) {
  const crypto::StackWipe stack_wipe;  // the parser's and serializer's stack buffers held the file's text
  std::vector<crypto::age::Identity> identities;
  BC_ASSIGN(crypto::X25519KeyPair own, vault_store(vault).identity_x25519());
  identities.push_back(crypto::age::X25519Identity{std::move(own.secret_key)});
  for (const auto& id : options.identities) {
    if (const auto* p = std::get_if<crypto::age::ScryptPassphrase>(&id))
      identities.push_back(crypto::age::ScryptPassphrase{p->passphrase.clone(), p->work_factor, p->max_work_factor});
    else if (const auto* x = std::get_if<crypto::age::X25519Identity>(&id))
      identities.push_back(crypto::age::X25519Identity{x->secret_key.clone()});
  }
  BC_ASSIGN(VaultIdentity me, vault_identity(vault));
  // Addressed to this vault, or to an identity the user gave to open this archive.
  bool passphrase_given = false;
  std::vector<std::string> own_recipients{me.recipient};
  for (const auto& id : options.identities) {
    passphrase_given = passphrase_given || std::holds_alternative<crypto::age::ScryptPassphrase>(id);
    if (const auto* x = std::get_if<crypto::age::X25519Identity>(&id)) own_recipients.push_back(x->recipient().to_string());
  }
  auto& db = vault_store(vault).db();
  // A large merge touches many pages: a bigger page cache keeps SQLCipher from spilling,
  // re-encrypting and re-reading them (64 MiB at most, given back afterwards).
  storage::ScopedCacheSize cache(db, 64 << 20);
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(storage::NoteBulkLoad bulk, storage::NoteBulkLoad::begin(db));
  ArchiveMerger merger(vault);
  std::optional<std::pair<crypto::Ed25519Public, crypto::X25519Public>> trust_after;
  SignedStreamHandlers handlers;
  handlers.on_header = [&](const SecureJson& h, const crypto::Ed25519Public& signer) -> Status {
    auto f = h.find("format");
    if (f == h.end() || !f->is_string()) return fail(ErrorCode::bad_input, "not a Backchannel archive");
    if (std::string(f->get_ref<const crypto::SecureString&>()) != kFormat) {
      if (std::string(f->get_ref<const crypto::SecureString&>()).rfind("backchannel.archive/", 0) == 0)
        return fail(ErrorCode::unsupported,
                    "this archive was written by a newer version of Backchannel (format " + quote_for_message(std::string(f->get_ref<const crypto::SecureString&>())) + ")");
      return fail(ErrorCode::bad_input, "this file is not an archive (its format is " + quote_for_message(std::string(f->get_ref<const crypto::SecureString&>())) + ")");
    }
    auto r = h.find("signer_recipient");
    if (r == h.end() || !r->is_string()) return fail(ErrorCode::bad_input, "the archive header has no signer recipient");
    auto rec = crypto::age::X25519Recipient::parse(std::string(r->get_ref<const crypto::SecureString&>()));
    if (!rec) return fail(ErrorCode::bad_input, "the archive header has a bad signer recipient");
    merger.report.signer_fingerprint = identity_fingerprint(signer, rec->public_key);
    BC_ASSIGN(Addressee to, addressee(h, own_recipients, passphrase_given));
    if (to == Addressee::another)
      return fail(ErrorCode::auth_failed, "this archive is addressed to other vaults, not to this one: it was re-encrypted "
                                          "after it was signed; nothing was imported");
    if (to == Addressee::unnamed) {
      if (signer != me.ed25519)
        return fail(ErrorCode::auth_failed, "this archive comes from an older version of Backchannel that did not sign whom "
                                            "an archive is for, and another vault signed it; nothing was imported. Ask its "
                                            "sender to export it again");
      merger.report.unaddressed_own_backup = true;
    }
    BC_ASSIGN(bool trusted, is_trusted_signer(vault, signer, TrustPurpose::archives));
    if (!trusted) {
      BC_TRY(confirm_new_signer(merger.report.signer_fingerprint, options.trust_fingerprint,
                                "this archive is signed by a vault this one does not trust to merge archives"));
      trust_after.emplace(signer, rec->public_key);
    }
    return {};
  };
  handlers.on_record = [&](const SecureJson& r) { return merger.record(r); };
  BC_TRY(read_signed_stream(identities, in, handlers, options.progress));
  if (!merger.ended()) return fail(ErrorCode::integrity, "the archive has no end record");
  BC_TRY(bulk.finish());
  if (trust_after) {
    BC_TRY(trust_signer(vault, trust_after->first, trust_after->second, TrustPurpose::archives, "archive signer"));
    merger.report.signer_newly_trusted = true;
  }
  if (merger.report.changed())
    BC_TRY(append_audit(vault, "archive.import", std::to_string(merger.report.notes_added) + " notes added, " +
                                                     std::to_string(merger.report.conflicting_notes.size()) + " conflicts"));
  BC_TRY(tx.commit());
  return merger.report;
}

}  // namespace bc::core
