#include "sync_records.h"

#include "backchannel/core/domain.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/crypto/age.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/message_text.h"
#include "record_writer.h"
#include "sync_merge.h"
#include "vault_store_access.h"

namespace bc::core::sync {

using json = nlohmann::json;
using storage::CachedStatement;

namespace {

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::string> opt_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

std::vector<std::string> strings(const json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& x : v)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

Error bad(const std::string& where, const std::string& what) { return fail(ErrorCode::bad_input, where + ": " + what); }

// Short-form rulings travel as [{"of": "name"|"affiliation", "form": TEXT, "use": "alone"|"not-alone"}].
json short_forms_value(const std::vector<ShortFormRule>& rules) {
  json out = json::array();
  for (const auto& r : rules) out.push_back({{"of", to_string(r.of)}, {"form", r.form}, {"use", to_string(r.use)}});
  return out;
}

// The rulings of a value check_value accepted.
std::vector<ShortFormRule> short_forms_of(const json& v) {
  std::vector<ShortFormRule> out;
  for (const auto& x : v)
    out.push_back({*parse_short_form_of(x["of"].get<std::string>()), x["form"].get<std::string>(),
                   *parse_short_form_use(x["use"].get<std::string>())});
  return out;
}

Status check_short_forms(const json& v, const std::string& where) {
  if (!v.is_array() || v.size() > Limits::kMaxShortForms)
    return bad(where, "short_forms must be a list of at most " + std::to_string(Limits::kMaxShortForms) + " rulings");
  for (const auto& x : v) {
    if (!x.is_object() || x.size() != 3) return bad(where, "a short form ruling must have exactly of, form and use");
    auto of = x.find("of"), form = x.find("form"), use = x.find("use");
    if (of == x.end() || form == x.end() || use == x.end() || !of->is_string() || !form->is_string() || !use->is_string() ||
        !parse_short_form_of(of->get<std::string>()) || !parse_short_form_use(use->get<std::string>()))
      return bad(where, "a short form ruling must have of (name or affiliation), form and use (alone or not-alone)");
  }
  return validate_short_forms(where + ": short_forms", short_forms_of(v));
}

Status check_strings(const json& v, std::size_t max, const std::string& where, const std::string& field) {
  if (!v.is_array() || v.size() > max) return bad(where, field + " must be a list of at most " + std::to_string(max) + " texts");
  for (const auto& x : v) {
    if (!x.is_string()) return bad(where, field + " must be a list of texts");
    BC_TRY(validate_text(where + ": " + field, x.get_ref<const std::string&>(), TextField::short_text));
  }
  return {};
}

Status check_optional_text(const json& v, const std::string& where, const std::string& field) {
  if (v.is_null()) return {};
  if (!v.is_string()) return bad(where, field + " must be a text or null");
  return validate_text(where + ": " + field, v.get_ref<const std::string&>(), TextField::short_text);
}

}  // namespace

std::string meeting_target(const std::string& uid) { return "meeting:" + uid; }
std::string participant_target(const std::string& uid) { return "participant:" + uid; }
std::string attendance_target(const std::string& m, const std::string& p) { return "attendance:" + m + ":" + p; }

std::string target_record(const std::string& t) {
  if (t.size() == 8 + 32 && t.rfind("meeting:", 0) == 0 && is_uid(t.substr(8))) return "meeting";
  if (t.size() == 12 + 32 && t.rfind("participant:", 0) == 0 && is_uid(t.substr(12))) return "participant";
  if (t.size() == 11 + 65 && t.rfind("attendance:", 0) == 0 && t[43] == ':' && is_uid(t.substr(11, 32)) && is_uid(t.substr(44)))
    return "attendance";
  return {};
}

Result<std::optional<std::int64_t>> local_id(Vault& vault, const char* table, const std::string& uid) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(std::string("SELECT id FROM ") + table + " WHERE uid = ?"));
  st->bind(1, uid);
  BC_ASSIGN(bool row, st->step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(st->column_int64(0));
}

Result<std::optional<TargetIds>> resolve_target(Vault& vault, const std::string& target) {
  const std::string record = target_record(target);
  TargetIds ids{record, 0, 0};
  if (record == "meeting") {
    BC_ASSIGN(auto id, local_id(vault, "meetings", target.substr(8)));
    if (!id) return std::optional<TargetIds>();
    ids.meeting_id = *id;
  } else if (record == "participant") {
    BC_ASSIGN(auto id, local_id(vault, "participants", target.substr(12)));
    if (!id) return std::optional<TargetIds>();
    ids.participant_id = *id;
  } else if (record == "attendance") {
    BC_ASSIGN(auto m, local_id(vault, "meetings", target.substr(11, 32)));
    BC_ASSIGN(auto p, local_id(vault, "participants", target.substr(44)));
    if (!m || !p) return std::optional<TargetIds>();
    BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached("SELECT 1 FROM attendance WHERE meeting_id = ? AND participant_id = ?"));
    st->bind(1, *m).bind(2, *p);
    BC_ASSIGN(bool row, st->step());
    if (!row) return std::optional<TargetIds>();
    ids.meeting_id = *m;
    ids.participant_id = *p;
  } else {
    return std::optional<TargetIds>();
  }
  return std::optional<TargetIds>(ids);
}

Status check_value(const std::string& record, const std::string& field, const json& v, const std::string& where) {
  FieldInfo info;
  if (!field_info(record, field, info)) return bad(where, "unknown field " + quote_for_message(field));
  if (field == "public_terms") return check_strings(v, Limits::kMaxPublicTerms, where, field);
  if (field == "aliases") return check_strings(v, Limits::kMaxAliases, where, field);
  if (field == "short_forms") return check_short_forms(v, where);
  if (field == "location_participants" || field == "location_public") {
    if (!v.is_string() || !is_location_level(v.get<std::string>())) return bad(where, field + " must be named or hidden");
    return {};
  }
  if (field == "disclosure.participants" || field == "disclosure.public") {
    if (!v.is_string() || !is_level(v.get<std::string>())) return bad(where, field + " has an unknown level");
    return {};
  }
  if (field == "rule") {
    if (!v.is_null() && (!v.is_string() || !is_rule(v.get<std::string>()))) return bad(where, "rule has an unknown value");
    return {};
  }
  if (field == "name") {
    if (!v.is_string()) return bad(where, "name must be a text");
    return validate_text(where + ": name", v.get_ref<const std::string&>(), TextField::short_text);
  }
  if (field == "recipient") {
    BC_TRY(check_optional_text(v, where, field));
    if (v.is_string() && !crypto::age::X25519Recipient::parse(v.get<std::string>())) return bad(where, "recipient is not an age1 recipient");
    return {};
  }
  if (field == "signing_key") {
    if (v.is_null()) return {};
    if (!v.is_string() || !parse_signing_key(v.get<std::string>())) return bad(where, "signing_key is not an ed25519 key");
    return {};
  }
  return check_optional_text(v, where, field);  // location, affiliation, delegation, descriptor, descriptor_fa
}

Result<json> table_value(Vault& vault, const TargetIds& t, const std::string& field) {
  auto& db = vault_store(vault).db();
  if (t.record == "meeting") {
    BC_ASSIGN(Meeting m, get_meeting(vault, t.meeting_id));
    if (field == "location") return opt(m.location);
    if (field == "location_participants") return json(to_string(m.location_disclosure[0]));
    if (field == "location_public") return json(to_string(m.location_disclosure[1]));
    if (field == "rule") return m.rule ? json(to_string(*m.rule)) : json(nullptr);
    if (field == "public_terms") return json(m.public_terms);
  } else if (t.record == "participant") {
    BC_ASSIGN(json rec, participant_record(vault, t.participant_id));
    auto f = rec["fields"].find(field);
    if (f != rec["fields"].end()) return *f;
  } else if (t.record == "attendance" && field.rfind("disclosure.", 0) == 0) {
    BC_ASSIGN(CachedStatement st, db.cached("SELECT level FROM disclosure WHERE meeting_id = ? AND participant_id = ? AND audience = ?"));
    st->bind(1, t.meeting_id).bind(2, t.participant_id).bind(3, field.substr(11));
    BC_ASSIGN(bool row, st->step());
    return row ? json(st->column_string(0)) : json("anonymous");
  }
  return fail(ErrorCode::internal, "no field " + field + " of a " + t.record);
}

Status write_value(Vault& vault, const TargetIds& t, const std::string& field, const json& v) {
  RecordWriter w(vault);
  if (t.record == "meeting") {
    MeetingUpdate u;
    if (field == "location") u.location = v.is_string() ? v.get<std::string>() : std::string();
    else if (field == "location_participants") u.location_disclosure[0] = parse_disclosure_level(v.get<std::string>());
    else if (field == "location_public") u.location_disclosure[1] = parse_disclosure_level(v.get<std::string>());
    else if (field == "rule") {
      if (!v.is_string()) return {};  // a meeting never goes back to "no rule of its own"
      u.rule = parse_rule(v.get<std::string>());
    } else if (field == "public_terms") u.public_terms = strings(v);
    else return fail(ErrorCode::internal, "unknown meeting field");
    return w.update_meeting(t.meeting_id, u);
  }
  if (t.record == "participant") {
    if (field == "signing_key") {
      if (!v.is_string()) return w.set_signing_key(t.participant_id, std::nullopt);
      BC_ASSIGN(crypto::Ed25519Public k, parse_signing_key(v.get<std::string>()));
      std::array<std::uint8_t, 32> key{};
      std::copy(k.begin(), k.end(), key.begin());
      return w.set_signing_key(t.participant_id, key);
    }
    ParticipantUpdate u;
    const std::string text = v.is_string() ? v.get<std::string>() : std::string();
    if (field == "name") u.name = text;
    else if (field == "affiliation") u.affiliation = text;
    else if (field == "delegation") u.delegation = text;
    else if (field == "descriptor") u.descriptor = text;
    else if (field == "recipient") u.recipient = text;
    else if (field == "descriptor_fa") u.descriptor_fa = text;
    else if (field == "aliases") u.aliases = strings(v);
    else if (field == "short_forms") u.short_forms = short_forms_of(v);
    else return fail(ErrorCode::internal, "unknown participant field");
    return w.update_participant(t.participant_id, u);
  }
  if (t.record == "attendance") {
    auto a = parse_audience(field.substr(field.find('.') + 1));
    auto l = v.is_string() ? parse_disclosure_level(v.get<std::string>()) : std::nullopt;
    if (!a || !l) return fail(ErrorCode::internal, "bad disclosure write");
    return w.set_disclosure(t.meeting_id, t.participant_id, *a, *l);
  }
  return fail(ErrorCode::internal, "unknown record");
}

// ---- reading records out of the vault ----

Result<json> series_record(Vault& vault, std::int64_t series_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached("SELECT uid, title, rule, created_at FROM series WHERE id = ?"));
  st->bind(1, series_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no series " + std::to_string(series_id));
  return json{{"type", "series"}, {"uid", st->column_string(0)}, {"title", st->column_string(1)}, {"rule", st->column_string(2)},
              {"created_at", st->column_string(3)}};
}

Result<json> meeting_record(Vault& vault, std::int64_t meeting_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(
                                    "SELECT m.uid, s.uid, m.title, m.starts_at, m.created_at, m.location, m.location_participants, "
                                    "m.location_public, m.rule, m.public_terms FROM meetings m JOIN series s ON s.id = m.series_id "
                                    "WHERE m.id = ?"));
  st->bind(1, meeting_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no meeting " + std::to_string(meeting_id));
  json terms = json::parse(st->column_text(9), nullptr, false);
  if (!terms.is_array()) terms = json::array();
  return json{{"type", "meeting"},
              {"uid", st->column_string(0)},
              {"series", st->column_string(1)},
              {"title", st->column_string(2)},
              {"starts_at", st->column_string(3)},
              {"created_at", st->column_string(4)},
              {"fields",
               {{"location", opt(st->column_optional_string(5))},
                {"location_participants", st->column_string(6)},
                {"location_public", st->column_string(7)},
                {"rule", opt(st->column_optional_string(8))},
                {"public_terms", terms}}}};
}

Result<json> participant_record(Vault& vault, std::int64_t participant_id) {
  auto& db = vault_store(vault).db();
  json aliases = json::array();
  {
    BC_ASSIGN(CachedStatement al, db.cached("SELECT alias FROM participant_aliases WHERE participant_id = ? ORDER BY position"));
    al->bind(1, participant_id);
    while (true) {
      BC_ASSIGN(bool row, al->step());
      if (!row) break;
      aliases.push_back(al->column_string(0));
    }
  }
  std::vector<ShortFormRule> rulings;
  {
    BC_ASSIGN(CachedStatement sf, db.cached("SELECT source, form, usage FROM participant_short_forms WHERE participant_id = ? "
                                            "ORDER BY position"));
    sf->bind(1, participant_id);
    while (true) {
      BC_ASSIGN(bool row, sf->step());
      if (!row) break;
      auto of = parse_short_form_of(sf->column_string(0));
      auto use = parse_short_form_use(sf->column_string(2));
      if (!of || !use) return fail(ErrorCode::integrity, "a short form ruling in the vault is damaged");
      rulings.push_back({*of, sf->column_string(1), *use});
    }
  }
  BC_ASSIGN(CachedStatement st, db.cached("SELECT uid, name, affiliation, delegation, descriptor, recipient, signing_key, created_at, "
                                          "descriptor_fa FROM participants WHERE id = ?"));
  st->bind(1, participant_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no participant " + std::to_string(participant_id));
  const auto key = st->column_blob(6);
  return json{{"type", "participant"},
              {"uid", st->column_string(0)},
              {"created_at", st->column_string(7)},
              {"fields",
               {{"name", st->column_string(1)},
                {"affiliation", opt(st->column_optional_string(2))},
                {"delegation", opt(st->column_optional_string(3))},
                {"descriptor", opt(st->column_optional_string(4))},
                {"recipient", opt(st->column_optional_string(5))},
                {"signing_key", key.size() == 32 ? json("ed25519:" + crypto::to_base64(key)) : json(nullptr)},
                {"aliases", aliases},
                {"descriptor_fa", opt(st->column_optional_string(8))},
                {"short_forms", short_forms_value(rulings)}}}};
}

Result<json> attendance_record(Vault& vault, std::int64_t meeting_id, std::int64_t participant_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(
      "SELECT m.uid, p.uid, a.key, a.position, "
      "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = a.participant_id AND d.audience = 'participants'), "
      "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = a.participant_id AND d.audience = 'public') "
      "FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN participants p ON p.id = a.participant_id "
      "WHERE a.meeting_id = ? AND a.participant_id = ?"));
  st->bind(1, meeting_id).bind(2, participant_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "no such attendance");
  return json{{"type", "attendance"},
              {"meeting", st->column_string(0)},
              {"participant", st->column_string(1)},
              {"key", st->column_string(2)},
              {"position", st->column_int64(3)},
              {"fields",
               {{"disclosure.participants", st->is_null(4) ? "anonymous" : st->column_string(4)},
                {"disclosure.public", st->is_null(5) ? "anonymous" : st->column_string(5)}}}};
}

Result<json> note_record(Vault& vault, std::int64_t note_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(
      "SELECT n.uid, m.uid, p.uid, n.kind, n.at, n.visibility, n.created_at FROM notes n JOIN meetings m ON m.id = n.meeting_id "
      "LEFT JOIN participants p ON p.id = n.speaker_id WHERE n.id = ?"));
  st->bind(1, note_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no note " + std::to_string(note_id));
  return json{{"type", "note"},
              {"uid", st->column_string(0)},
              {"meeting", st->column_string(1)},
              {"speaker", opt(st->column_optional_string(2))},
              {"kind", st->column_string(3)},
              {"at", opt(st->column_optional_string(4))},
              {"visibility", st->column_string(5)},
              {"created_at", st->column_string(6)},
              {"revisions", json::array()}};
}

Result<json> thread_record(Vault& vault, std::int64_t thread_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(
      "SELECT t.uid, s.uid, t.title, t.created_at FROM threads t JOIN series s ON s.id = t.series_id WHERE t.id = ?"));
  st->bind(1, thread_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no thread " + std::to_string(thread_id));
  return json{{"type", "thread"}, {"uid", st->column_string(0)}, {"series", st->column_string(1)},
              {"title", st->column_string(2)}, {"created_at", st->column_string(3)}};
}

Result<json> thread_link_record(Vault& vault, std::int64_t thread_id, std::int64_t note_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(
      "SELECT t.uid, n.uid, l.linked_at FROM thread_notes l JOIN threads t ON t.id = l.thread_id JOIN notes n ON n.id = l.note_id "
      "WHERE l.thread_id = ? AND l.note_id = ?"));
  st->bind(1, thread_id).bind(2, note_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no such thread link");
  return json{{"type", "thread_link"}, {"thread", st->column_string(0)}, {"note", st->column_string(1)},
              {"linked_at", st->column_string(2)}};
}

Result<json> thread_status_record(Vault& vault, std::int64_t status_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(
      "SELECT c.uid, t.uid, c.status, m.uid, c.decided_by, c.decided_at FROM thread_status c JOIN threads t ON t.id = c.thread_id "
      "JOIN meetings m ON m.id = c.meeting_id WHERE c.id = ?"));
  st->bind(1, status_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return fail(ErrorCode::not_found, "there is no such thread status");
  return json{{"type", "thread_status"}, {"uid", st->column_string(0)}, {"thread", st->column_string(1)},
              {"status", st->column_string(2)}, {"meeting", st->column_string(3)}, {"decided_by", st->column_string(4)},
              {"decided_at", st->column_string(5)}};
}

Result<std::optional<std::string>> team_of_thread(Vault& vault, std::int64_t thread_id) {
  BC_ASSIGN(CachedStatement st, vault_store(vault).db().cached(
      "SELECT s.uid FROM threads t JOIN series s ON s.id = t.series_id JOIN sync_teams k ON k.series_uid = s.uid WHERE t.id = ?"));
  st->bind(1, thread_id);
  BC_ASSIGN(bool row, st->step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st->column_string(0));
}

// ---- inserting records from another device ----

Result<std::int64_t> insert_series(Vault& vault, const Fields& f) {
  BC_ASSIGN(std::string uid, f.uid("uid"));
  BC_ASSIGN(std::string title, f.text("title"));
  BC_ASSIGN(std::string rule, f.enumerated("rule", is_rule));
  BC_ASSIGN(std::string created, f.timestamp("created_at"));
  BC_ASSIGN(auto id, local_id(vault, "series", uid));
  if (id) return *id;
  // Titles are unique in a vault: a local series of the same title keeps it, and the shared one
  // is told apart by the start of its uid.
  BC_ASSIGN(CachedStatement by_title, vault_store(vault).db().cached("SELECT 1 FROM series WHERE title = ?"));
  by_title->bind(1, title);
  BC_ASSIGN(bool taken, by_title->step());
  if (taken) title += " (" + uid.substr(0, 8) + ")";
  return RecordWriter(vault).insert_series({uid, title, *parse_rule(rule), created});
}

Result<std::int64_t> insert_meeting(Vault& vault, const Fields& f) {
  BC_ASSIGN(std::string uid, f.uid("uid"));
  BC_ASSIGN(std::string series_uid, f.uid("series"));
  BC_ASSIGN(std::string title, f.text("title"));
  BC_ASSIGN(std::string starts, f.timestamp("starts_at"));
  BC_ASSIGN(std::string created, f.timestamp("created_at"));
  BC_ASSIGN(auto id, local_id(vault, "meetings", uid));
  if (id) return *id;
  BC_ASSIGN(auto series, local_id(vault, "series", series_uid));
  if (!series) return fail(ErrorCode::bad_input, f.where() + ": its series is not here");
  // The fields start as they were created; the writes that travel with the record set them.
  MeetingRow row;
  row.uid = uid;
  row.series_id = *series;
  row.title = title;
  row.starts_at = starts;
  row.created_at = created;
  auto fields = f.raw().find("fields");
  if (fields != f.raw().end() && fields->is_object()) {
    for (const char* field : {"location", "location_participants", "location_public", "rule", "public_terms"}) {
      auto v = fields->find(field);
      if (v == fields->end()) continue;
      BC_TRY(check_value("meeting", field, *v, f.where()));
    }
    row.location = opt_text(fields->value("location", json(nullptr)));
    if (auto v = opt_text(fields->value("location_participants", json(nullptr)))) row.location_disclosure[0] = *parse_disclosure_level(*v);
    if (auto v = opt_text(fields->value("location_public", json(nullptr)))) row.location_disclosure[1] = *parse_disclosure_level(*v);
    if (auto v = opt_text(fields->value("rule", json(nullptr)))) row.rule = parse_rule(*v);
    row.public_terms = strings(fields->value("public_terms", json::array()));
  }
  return RecordWriter(vault).insert_meeting(row);
}

Result<std::int64_t> insert_participant(Vault& vault, const Fields& f) {
  BC_ASSIGN(std::string uid, f.uid("uid"));
  BC_ASSIGN(std::string created, f.timestamp("created_at"));
  auto fields = f.raw().find("fields");
  if (fields == f.raw().end() || !fields->is_object()) return bad(f.where(), "fields are required");
  for (const char* field :
       {"name", "affiliation", "delegation", "descriptor", "recipient", "signing_key", "aliases", "descriptor_fa", "short_forms"}) {
    auto v = fields->find(field);
    if (v == fields->end()) {
      if (std::string_view(field) == "name") return bad(f.where(), "name is required");
      continue;
    }
    BC_TRY(check_value("participant", field, *v, f.where()));
  }
  BC_ASSIGN(auto id, local_id(vault, "participants", uid));
  if (id) return *id;
  ParticipantRow row;
  row.uid = uid;
  row.name = (*fields)["name"].get<std::string>();
  row.affiliation = opt_text(fields->value("affiliation", json(nullptr)));
  row.delegation = opt_text(fields->value("delegation", json(nullptr)));
  row.descriptor = opt_text(fields->value("descriptor", json(nullptr)));
  row.recipient = opt_text(fields->value("recipient", json(nullptr)));
  if (auto k = opt_text(fields->value("signing_key", json(nullptr)))) {
    BC_ASSIGN(crypto::Ed25519Public key, parse_signing_key(*k));
    row.signing_key.emplace();
    std::copy(key.begin(), key.end(), row.signing_key->begin());
  }
  row.aliases = strings(fields->value("aliases", json::array()));
  row.descriptor_fa = opt_text(fields->value("descriptor_fa", json(nullptr)));
  if (auto sf = fields->find("short_forms"); sf != fields->end()) row.short_forms = short_forms_of(*sf);
  row.created_at = created;
  return RecordWriter(vault).insert_participant(row);
}

Status insert_attendance(Vault& vault, const Fields& f) {
  BC_ASSIGN(std::string meeting_uid, f.uid("meeting"));
  BC_ASSIGN(std::string participant_uid, f.uid("participant"));
  BC_ASSIGN(std::string key, f.text("key"));
  BC_ASSIGN(std::int64_t position, f.count("position"));
  BC_ASSIGN(auto m, local_id(vault, "meetings", meeting_uid));
  BC_ASSIGN(auto p, local_id(vault, "participants", participant_uid));
  if (!m || !p) return bad(f.where(), "refers to a meeting or participant that is not here");
  std::array<DisclosureLevel, 2> levels{DisclosureLevel::anonymous, DisclosureLevel::anonymous};
  if (auto fields = f.raw().find("fields"); fields != f.raw().end() && fields->is_object()) {
    for (int a = 0; a < 2; ++a) {
      const char* field = a == 0 ? "disclosure.participants" : "disclosure.public";
      auto v = fields->find(field);
      if (v == fields->end()) continue;
      BC_TRY(check_value("attendance", field, *v, f.where()));
      levels[a] = *parse_disclosure_level(v->get<std::string>());
    }
  }
  auto& db = vault_store(vault).db();
  {
    BC_ASSIGN(CachedStatement st, db.cached("SELECT 1 FROM attendance WHERE meeting_id = ? AND participant_id = ?"));
    st->bind(1, *m).bind(2, *p);
    BC_ASSIGN(bool exists, st->step());
    if (exists) return {};
  }
  RecordWriter writer(vault);
  std::string local_key = key;
  // Someone else holds the key here: the smaller uid keeps it.
  std::optional<std::int64_t> holder;
  std::string holder_uid;
  {
    BC_ASSIGN(CachedStatement st, db.cached("SELECT a.participant_id, p.uid FROM attendance a JOIN participants p ON p.id = a.participant_id "
                                            "WHERE a.meeting_id = ? AND a.key = ?"));
    st->bind(1, *m).bind(2, key);
    BC_ASSIGN(bool row, st->step());
    if (row) {
      holder = st->column_int64(0);
      holder_uid = st->column_string(1);
    }
  }
  if (holder) {
    if (participant_uid < holder_uid) BC_TRY(writer.set_attendance_key(*m, *holder, key + "-" + holder_uid.substr(0, 8)));
    else local_key = key + "-" + participant_uid.substr(0, 8);
  }
  return writer.insert_attendance({*m, *p, local_key, static_cast<int>(std::min<std::int64_t>(position, 1 << 30)), levels});
}

}  // namespace bc::core::sync
