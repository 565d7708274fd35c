#include "backchannel/core/meeting_import.h"

#include "backchannel/message_text.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/domain.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/storage/clock.h"
#include "backchannel/storage/schema.h"
#include "record_ids.h"
#include "record_writer.h"
#include "vault_store_access.h"

namespace bc::core {

using json = nlohmann::json;
using storage::Statement;

namespace {

constexpr std::string_view kFormat = "backchannel.meeting/1";

// ---- the validated document ----

struct ImportParticipant {
  std::string key, name;
  std::optional<std::string> affiliation, delegation, descriptor, descriptor_fa;
  std::vector<std::string> aliases;
  std::vector<ShortFormRule> short_forms;
  std::array<DisclosureLevel, 2> disclosure{DisclosureLevel::anonymous, DisclosureLevel::anonymous};
};

struct ImportNote {
  std::optional<std::size_t> speaker;  // index into participants
  NoteKind kind = NoteKind::statement;
  std::optional<std::string> at;
  Visibility visibility = Visibility::summary;
  std::string text;
};

struct ImportDocument {
  std::string series_title;
  Rule series_rule = Rule::chatham_house;
  NewMeeting meeting;
  std::vector<ImportParticipant> participants;
  std::vector<ImportNote> notes;
};

Error at_path(const std::string& path, const std::string& what) {
  return fail(ErrorCode::bad_input, path + ": " + what);
}

std::string quote_value(const std::string& s) { return quote_for_message(s); }

const char* type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

Status only_keys(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (auto a : allowed) ok = ok || it.key() == a;
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return at_path(path.empty() ? it.key() : path + "." + it.key(),
                     "unknown field (allowed here: " + list + ")");
    }
  }
  return {};
}

Result<const json*> member(const json& obj, const std::string& path, const char* key, bool required) {
  auto it = obj.find(key);
  const std::string p = path.empty() ? key : path + "." + key;
  if (it == obj.end()) {
    if (required) return at_path(p, "is required");
    return static_cast<const json*>(nullptr);
  }
  return &*it;
}

Result<std::optional<std::string>> text_member(const json& obj, const std::string& path, const char* key,
                                               bool required, TextField field = TextField::short_text) {
  BC_ASSIGN(const json* v, member(obj, path, key, required));
  if (v == nullptr) return std::optional<std::string>();
  const std::string p = path.empty() ? key : path + "." + key;
  if (!v->is_string()) return at_path(p, std::string("must be a string, not ") + type_name(*v));
  const auto& s = v->get_ref<const std::string&>();
  BC_TRY(validate_text(p, s, field));
  return std::optional<std::string>(s);
}

Result<std::vector<std::string>> string_list(const json& obj, const std::string& path, const char* key,
                                             std::size_t limit) {
  BC_ASSIGN(const json* v, member(obj, path, key, false));
  std::vector<std::string> out;
  if (v == nullptr) return out;
  const std::string p = path + "." + key;
  if (!v->is_array()) return at_path(p, std::string("must be an array of strings, not ") + type_name(*v));
  if (v->size() > limit) return at_path(p, "too many entries (the limit is " + std::to_string(limit) + ")");
  for (std::size_t i = 0; i < v->size(); ++i) {
    const std::string ip = p + "[" + std::to_string(i) + "]";
    if (!(*v)[i].is_string()) return at_path(ip, std::string("must be a string, not ") + type_name((*v)[i]));
    const auto& s = (*v)[i].get_ref<const std::string&>();
    BC_TRY(validate_text(ip, s, TextField::short_text));
    out.push_back(s);
  }
  return out;
}

Result<std::array<DisclosureLevel, 2>> disclosure_map(const json& obj, const std::string& path, const char* key,
                                                      bool location) {
  const DisclosureLevel fallback = location ? DisclosureLevel::hidden : DisclosureLevel::anonymous;
  std::array<DisclosureLevel, 2> out{fallback, fallback};
  BC_ASSIGN(const json* v, member(obj, path, key, false));
  if (v == nullptr) return out;
  const std::string p = path + "." + key;
  if (!v->is_object()) return at_path(p, std::string("must be an object, not ") + type_name(*v));
  for (auto it = v->begin(); it != v->end(); ++it) {
    const std::string ap = p + "." + it.key();
    const auto audience = parse_audience(it.key());
    if (!audience) return at_path(ap, "unknown audience " + quote_value(it.key()) + " (use participants or public)");
    if (!it->is_string()) return at_path(ap, std::string("must be a string, not ") + type_name(*it));
    const auto& s = it->get_ref<const std::string&>();
    const auto level = parse_disclosure_level(s);
    if (!level) return at_path(ap, "unknown level " + quote_value(s));
    if (location && *level != DisclosureLevel::named && *level != DisclosureLevel::hidden)
      return at_path(ap, "a location is either named or hidden, not " + quote_value(s));
    out[static_cast<int>(*audience)] = *level;
  }
  return out;
}

// "short_forms" / "affiliation_short_forms": an object from each form to "alone" or "not-alone".
Status short_form_map(const json& obj, const std::string& path, const char* key, ShortFormOf of,
                      std::vector<ShortFormRule>& out) {
  BC_ASSIGN(const json* v, member(obj, path, key, false));
  if (v == nullptr) return {};
  const std::string p = path + "." + key;
  if (!v->is_object()) return at_path(p, std::string("must be an object, not ") + type_name(*v));
  for (auto it = v->begin(); it != v->end(); ++it) {
    const std::string fp = p + "." + it.key();
    BC_TRY(validate_text(p + " (a field name)", it.key(), TextField::short_text));
    if (!it->is_string()) return at_path(fp, std::string("must be a string, not ") + type_name(*it));
    const auto use = parse_short_form_use(it->get_ref<const std::string&>());
    if (!use) return at_path(fp, "unknown use " + quote_value(it->get<std::string>()) + " (use alone or not-alone)");
    out.push_back({of, it.key(), *use});
  }
  return {};
}

Result<std::optional<Rule>> rule_member(const json& obj, const std::string& path) {
  BC_ASSIGN(std::optional<std::string> r, text_member(obj, path, "rule", false));
  if (!r) return std::optional<Rule>();
  auto rule = parse_rule(*r);
  if (!rule) return at_path(path + ".rule", "unknown rule " + quote_value(*r) + " (use chatham-house, off-the-record or on-background)");
  return std::optional<Rule>(*rule);
}

Result<ImportDocument> validate_document(const json& root) {
  ImportDocument doc;
  if (!root.is_object()) return at_path("(document)", std::string("must be a JSON object, not ") + type_name(root));
  BC_TRY(only_keys(root, "", {"format", "series", "meeting", "participants", "notes"}));
  {
    BC_ASSIGN(const json* f, member(root, "", "format", true));
    if (!f->is_string() || f->get_ref<const std::string&>() != kFormat)
      return at_path("format", "must be \"" + std::string(kFormat) + "\"" +
                                   (f->is_string() ? ", not " + quote_value(f->get<std::string>()) : ""));
  }
  {
    BC_ASSIGN(const json* s, member(root, "", "series", true));
    if (!s->is_object()) return at_path("series", std::string("must be an object, not ") + type_name(*s));
    BC_TRY(only_keys(*s, "series", {"title", "rule"}));
    BC_ASSIGN(std::optional<std::string> title, text_member(*s, "series", "title", true));
    doc.series_title = *title;
    BC_ASSIGN(std::optional<Rule> rule, rule_member(*s, "series"));
    doc.series_rule = rule.value_or(Rule::chatham_house);
  }
  {
    BC_ASSIGN(const json* m, member(root, "", "meeting", true));
    if (!m->is_object()) return at_path("meeting", std::string("must be an object, not ") + type_name(*m));
    BC_TRY(only_keys(*m, "meeting", {"title", "starts_at", "location", "location_disclosure", "public_terms", "rule"}));
    BC_ASSIGN(std::optional<std::string> title, text_member(*m, "meeting", "title", true));
    doc.meeting.title = *title;
    BC_ASSIGN(std::optional<std::string> starts, text_member(*m, "meeting", "starts_at", true));
    auto ts = normalize_timestamp(*starts);
    if (!ts) return at_path("meeting.starts_at", ts.error().message);
    doc.meeting.starts_at = *ts;
    BC_ASSIGN(doc.meeting.location, text_member(*m, "meeting", "location", false));
    BC_ASSIGN(doc.meeting.location_disclosure, disclosure_map(*m, "meeting", "location_disclosure", true));
    BC_ASSIGN(doc.meeting.public_terms, string_list(*m, "meeting", "public_terms", Limits::kMaxPublicTerms));
    BC_ASSIGN(doc.meeting.rule, rule_member(*m, "meeting"));
  }
  std::map<std::string, std::size_t> keys;
  if (auto it = root.find("participants"); it != root.end()) {
    if (!it->is_array()) return at_path("participants", std::string("must be an array, not ") + type_name(*it));
    if (it->size() > Limits::kMaxParticipants)
      return at_path("participants", "too many participants (the limit is " + std::to_string(Limits::kMaxParticipants) + ")");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& jp = (*it)[i];
      const std::string p = "participants[" + std::to_string(i) + "]";
      if (!jp.is_object()) return at_path(p, std::string("must be an object, not ") + type_name(jp));
      BC_TRY(only_keys(jp, p, {"key", "name", "affiliation", "delegation", "descriptor", "descriptor_fa", "aliases",
                               "short_forms", "affiliation_short_forms", "disclosure"}));
      ImportParticipant ip;
      BC_ASSIGN(std::optional<std::string> key, text_member(jp, p, "key", true));
      ip.key = *key;
      if (!keys.emplace(ip.key, i).second) return at_path(p + ".key", "duplicate key " + quote_value(ip.key));
      BC_ASSIGN(std::optional<std::string> name, text_member(jp, p, "name", true));
      ip.name = *name;
      BC_ASSIGN(ip.affiliation, text_member(jp, p, "affiliation", false));
      BC_ASSIGN(ip.delegation, text_member(jp, p, "delegation", false));
      BC_ASSIGN(ip.descriptor, text_member(jp, p, "descriptor", false));
      BC_ASSIGN(ip.descriptor_fa, text_member(jp, p, "descriptor_fa", false));
      BC_ASSIGN(ip.aliases, string_list(jp, p, "aliases", Limits::kMaxAliases));
      BC_TRY(short_form_map(jp, p, "short_forms", ShortFormOf::name, ip.short_forms));
      BC_TRY(short_form_map(jp, p, "affiliation_short_forms", ShortFormOf::affiliation, ip.short_forms));
      BC_TRY(validate_short_forms(p + ".short_forms", ip.short_forms));
      BC_ASSIGN(ip.disclosure, disclosure_map(jp, p, "disclosure", false));
      doc.participants.push_back(std::move(ip));
    }
  }
  if (auto it = root.find("notes"); it != root.end()) {
    if (!it->is_array()) return at_path("notes", std::string("must be an array, not ") + type_name(*it));
    if (it->size() > Limits::kMaxNotes)
      return at_path("notes", "too many notes (the limit is " + std::to_string(Limits::kMaxNotes) + ")");
    doc.notes.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& jn = (*it)[i];
      const std::string p = "notes[" + std::to_string(i) + "]";
      if (!jn.is_object()) return at_path(p, std::string("must be an object, not ") + type_name(jn));
      BC_TRY(only_keys(jn, p, {"speaker", "kind", "at", "text", "visibility"}));
      ImportNote n;
      BC_ASSIGN(std::optional<std::string> text, text_member(jn, p, "text", true, TextField::note_text));
      n.text = std::move(*text);
      BC_ASSIGN(std::optional<std::string> speaker, text_member(jn, p, "speaker", false));
      if (speaker) {
        auto k = keys.find(*speaker);
        if (k == keys.end()) return at_path(p + ".speaker", "no participant has key " + quote_value(*speaker));
        n.speaker = k->second;
      }
      BC_ASSIGN(std::optional<std::string> kind, text_member(jn, p, "kind", false));
      if (kind) {
        auto k = parse_note_kind(*kind);
        if (!k) return at_path(p + ".kind", "unknown kind " + quote_value(*kind) +
                                                " (use statement, question, proposal, agreement, disagreement, action or observation)");
        n.kind = *k;
      }
      BC_ASSIGN(std::optional<std::string> at, text_member(jn, p, "at", false));
      if (at) {
        auto ts = normalize_timestamp(*at);
        if (!ts) return at_path(p + ".at", ts.error().message);
        n.at = *ts;
      }
      BC_ASSIGN(std::optional<std::string> vis, text_member(jn, p, "visibility", false));
      if (vis) {
        auto v = parse_visibility(*vis);
        if (!v) return at_path(p + ".visibility", "unknown visibility " + quote_value(*vis) + " (use summary or organizers)");
        n.visibility = *v;
      }
      doc.notes.push_back(std::move(n));
    }
  }
  return doc;
}

// Parses JSON and reports a key that appears twice in one object (nlohmann would silently keep
// the last one: "visibility": "organizers", "visibility": "summary" must not quietly publish).
class DuplicateKeyCheck {
 public:
  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    (void)depth;
    after_key_ = event == json::parse_event_t::key;
    switch (event) {
      case json::parse_event_t::object_start:
        count_value();
        frames_.push_back({false, -1, {}, {}});
        break;
      case json::parse_event_t::array_start:
        count_value();
        frames_.push_back({true, -1, {}, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case json::parse_event_t::key: {
        auto& f = frames_.back();
        f.current = parsed.get<std::string>();
        if (!f.keys.insert(f.current).second && error_.empty()) error_ = path() + ": duplicate field";
        break;
      }
      case json::parse_event_t::value:
        count_value();
        break;
    }
    return true;
  }
  const std::string& error() const { return error_; }

  /// The JSON path of what the parser was reading when it stopped: the value of the last key,
  /// the next element of an array, or a field name of the innermost object.
  std::string reading() const {
    if (frames_.empty()) return "(document)";
    const auto& f = frames_.back();
    if (!f.array && after_key_) return path();
    std::string p;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const auto& g = frames_[i];
      if (g.array) p += "[" + std::to_string(g.index) + "]";
      else p += (p.empty() ? "" : ".") + g.current;
    }
    if (f.array) return p + "[" + std::to_string(f.index + 1) + "]";
    return (p.empty() ? std::string("(document)") : p) + " (a field name)";
  }

 private:
  struct Frame {
    bool array;
    long index;
    std::set<std::string> keys;
    std::string current;
  };
  void count_value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string path() const {
    std::string p;
    for (const auto& f : frames_) {
      if (f.array) p += "[" + std::to_string(f.index) + "]";
      else p += (p.empty() ? "" : ".") + f.current;
    }
    return p;
  }
  std::vector<Frame> frames_;
  std::string error_;
  bool after_key_ = false;
};

Result<json> parse_json(std::string_view text) {
  if (text.size() > Limits::kMaxImportFile)
    return fail(ErrorCode::bad_input, "the file is too large (" + std::to_string(text.size()) +
                                          " bytes; the limit is " + std::to_string(Limits::kMaxImportFile) + ")");
  DuplicateKeyCheck dup;
  json root;
  try {
    root = json::parse(text, std::ref(dup), /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 3, column 7: ..."
    std::string what = e.what();
    // A bad string (ill-formed UTF-8, a lone surrogate escape, a raw control character) is
    // reported at its JSON path like every other problem, without echoing its bytes (which
    // nlohmann's "last read" would, raw: invalid UTF-8 and confidential text on the terminal).
    if (const auto bad = what.find("invalid string: "); bad != std::string::npos) {
      std::string reason = what.substr(bad + 16);
      reason = reason.substr(0, reason.find("; last read"));
      if (reason.find("ill-formed UTF-8") != std::string::npos) reason = "not valid UTF-8";
      else reason = "not a valid string (" + reason + ")";
      return fail(ErrorCode::bad_input, dup.reading() + ": " + reason + " (so the file is not valid JSON; byte " +
                                            std::to_string(e.byte) + ")");
    }
    const auto pos = what.find("parse error");
    return fail(ErrorCode::bad_input, "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos)));
  } catch (const std::exception&) {
    return fail(ErrorCode::bad_input, "not valid JSON");
  }
  if (!dup.error().empty()) return fail(ErrorCode::bad_input, dup.error());
  return root;
}

}  // namespace

Result<ImportedMeeting> import_meeting(Vault& vault, std::string_view json_text) {
  BC_ASSIGN(json root, parse_json(json_text));
  BC_ASSIGN(ImportDocument doc, validate_document(root));
  root = json();  // free the DOM before the import proper

  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  ImportedMeeting out;
  BC_ASSIGN(out.series_id, ensure_series(vault, doc.series_title, doc.series_rule));
  doc.meeting.series_id = out.series_id;
  BC_ASSIGN(out.meeting_id, create_meeting(vault, doc.meeting));

  const std::string now = storage::utc_now_rfc3339();
  RecordWriter writer(vault);
  std::vector<std::int64_t> participant_ids;
  for (std::size_t i = 0; i < doc.participants.size(); ++i) {
    const auto& p = doc.participants[i];
    ParticipantRow row;
    row.uid = new_uid();
    row.name = p.name;
    row.affiliation = p.affiliation;
    row.delegation = p.delegation;
    row.descriptor = p.descriptor;
    row.descriptor_fa = p.descriptor_fa;
    row.aliases = p.aliases;
    row.short_forms = p.short_forms;
    row.created_at = now;
    BC_ASSIGN(const std::int64_t pid, writer.insert_participant(row));
    participant_ids.push_back(pid);
    BC_TRY(writer.insert_attendance({out.meeting_id, pid, p.key, static_cast<int>(i + 1), p.disclosure}));
  }
  {
    BC_ASSIGN(storage::NoteBulkLoad bulk, storage::NoteBulkLoad::begin(db));
    for (const auto& n : doc.notes) {
      NoteRow row{new_uid(), out.meeting_id, std::nullopt, n.kind, n.at.value_or(doc.meeting.starts_at), n.visibility,
                  {{new_uid(), n.text, now}}, now, now};
      if (n.speaker) row.speaker_id = participant_ids[*n.speaker];
      BC_TRY(writer.insert_note(row));
    }
    BC_TRY(bulk.finish());
  }
  out.participants = doc.participants.size();
  out.notes = doc.notes.size();
  BC_TRY(append_audit(vault, "meeting.import", "meeting " + std::to_string(out.meeting_id) + " (" +
                                                   std::to_string(out.participants) + " participants, " +
                                                   std::to_string(out.notes) + " notes)"));
  BC_TRY(tx.commit());
  return out;
}

}  // namespace bc::core
