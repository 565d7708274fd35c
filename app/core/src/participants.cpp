#include "backchannel/core/participants.h"

#include <algorithm>
#include <map>
#include <set>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "vault_store_access.h"
#include "backchannel/message_text.h"

namespace bc::core {

using storage::Statement;

namespace {

Status validate_optional(std::string_view path, const std::optional<std::string>& v) {
  if (v && !v->empty()) return validate_text(path, *v, TextField::short_text);
  return {};
}

Status validate_aliases(std::string_view path, const std::vector<std::string>& aliases) {
  if (aliases.size() > Limits::kMaxAliases)
    return fail(ErrorCode::bad_input, std::string(path) + ": too many aliases (the limit is " +
                                          std::to_string(Limits::kMaxAliases) + ")");
  for (std::size_t i = 0; i < aliases.size(); ++i)
    BC_TRY(validate_text(std::string(path) + "[" + std::to_string(i) + "]", aliases[i], TextField::short_text));
  return {};
}

}  // namespace

Status validate_short_forms(std::string_view path, const std::vector<ShortFormRule>& rules) {
  if (rules.size() > Limits::kMaxShortForms)
    return fail(ErrorCode::bad_input, std::string(path) + ": too many short forms (the limit is " +
                                          std::to_string(Limits::kMaxShortForms) + ")");
  std::set<std::pair<ShortFormOf, std::string>> seen;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string at = std::string(path) + "[" + std::to_string(i) + "]";
    BC_TRY(validate_text(at, rules[i].form, TextField::short_text));
    const std::string n = normalize(rules[i].form);
    if (n.empty()) return fail(ErrorCode::bad_input, at + ": a short form needs a letter or digit");
    if (!seen.insert({rules[i].of, n}).second)
      return fail(ErrorCode::bad_input, at + ": this short form is ruled on twice");
  }
  return {};
}

std::vector<ShortFormRule> apply_short_form_changes(std::vector<ShortFormRule> rules,
                                                    const std::vector<ShortFormChange>& changes) {
  for (const auto& c : changes) {
    const std::string n = normalize(c.form);
    auto same = std::find_if(rules.begin(), rules.end(),
                             [&](const ShortFormRule& r) { return r.of == c.of && normalize(r.form) == n; });
    if (!c.use) {
      if (same != rules.end()) rules.erase(same);
    } else if (same != rules.end()) {
      *same = {c.of, c.form, *c.use};
    } else {
      rules.push_back({c.of, c.form, *c.use});
    }
  }
  return rules;
}

Result<std::vector<Participant>> list_participants(Vault& vault, std::int64_t meeting_id) {
  auto& db = vault_store(vault).db();
  BC_ASSIGN(Statement st, db.prepare(
      "SELECT p.id, p.uid, a.key, p.name, p.affiliation, p.delegation, p.descriptor, p.recipient, a.position, "
      "p.descriptor_fa, "
      "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = p.id AND d.audience = 'participants'), "
      "(SELECT level FROM disclosure d WHERE d.meeting_id = a.meeting_id AND d.participant_id = p.id AND d.audience = 'public') "
      "FROM attendance a JOIN participants p ON p.id = a.participant_id WHERE a.meeting_id = ? ORDER BY a.position, p.id"));
  st.bind(1, meeting_id);
  std::vector<Participant> out;
  std::map<std::int64_t, std::size_t> index;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    Participant p;
    p.id = st.column_int64(0);
    p.uid = st.column_string(1);
    p.key = st.column_string(2);
    p.name = st.column_string(3);
    p.affiliation = st.column_optional_string(4);
    p.delegation = st.column_optional_string(5);
    p.descriptor = st.column_optional_string(6);
    p.recipient = st.column_optional_string(7);
    p.position = static_cast<int>(st.column_int64(8));
    // A missing level is `anonymous` (the import format's default).
    p.descriptor_fa = st.column_optional_string(9);
    p.disclosure[0] = parse_disclosure_level(st.column_text(10)).value_or(DisclosureLevel::anonymous);
    p.disclosure[1] = parse_disclosure_level(st.column_text(11)).value_or(DisclosureLevel::anonymous);
    index[p.id] = out.size();
    out.push_back(std::move(p));
  }
  BC_ASSIGN(Statement al, db.prepare("SELECT pa.participant_id, pa.alias FROM participant_aliases pa JOIN attendance a "
                                     "ON a.participant_id = pa.participant_id WHERE a.meeting_id = ? "
                                     "ORDER BY pa.participant_id, pa.position"));
  al.bind(1, meeting_id);
  while (true) {
    BC_ASSIGN(bool row, al.step());
    if (!row) break;
    auto it = index.find(al.column_int64(0));
    if (it != index.end()) out[it->second].aliases.push_back(al.column_string(1));
  }
  BC_ASSIGN(Statement sf, db.prepare("SELECT s.participant_id, s.source, s.form, s.usage FROM participant_short_forms s "
                                     "JOIN attendance a ON a.participant_id = s.participant_id WHERE a.meeting_id = ? "
                                     "ORDER BY s.participant_id, s.position"));
  sf.bind(1, meeting_id);
  while (true) {
    BC_ASSIGN(bool row, sf.step());
    if (!row) break;
    auto it = index.find(sf.column_int64(0));
    const auto of = parse_short_form_of(sf.column_text(1));
    const auto use = parse_short_form_use(sf.column_text(3));
    if (it != index.end() && of && use) out[it->second].short_forms.push_back({*of, sf.column_string(2), *use});
  }
  return out;
}

Result<Participant> find_participant(Vault& vault, std::int64_t meeting_id, std::string_view key) {
  BC_ASSIGN(std::vector<Participant> all, list_participants(vault, meeting_id));
  for (auto& p : all)
    if (p.key == key) return std::move(p);
  return fail(ErrorCode::not_found,
              "meeting " + std::to_string(meeting_id) + " has no participant with key " + quote_for_message(key),
              Remedy::list_participants, std::to_string(meeting_id));
}

Result<std::int64_t> add_participant(Vault& vault, std::int64_t meeting_id, const NewParticipant& p) {
  BC_TRY(validate_text("key", p.key, TextField::short_text));
  BC_TRY(validate_text("name", p.name, TextField::short_text));
  BC_TRY(validate_optional("affiliation", p.affiliation));
  BC_TRY(validate_optional("delegation", p.delegation));
  BC_TRY(validate_optional("descriptor", p.descriptor));
  BC_TRY(validate_optional("descriptor_fa", p.descriptor_fa));
  BC_TRY(validate_aliases("aliases", p.aliases));
  BC_TRY(validate_short_forms("short_forms", p.short_forms));
  BC_TRY(require_meeting(vault, meeting_id));
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  {
    BC_ASSIGN(Statement dup, db.prepare("SELECT 1 FROM attendance WHERE meeting_id = ? AND key = ?"));
    dup.bind(1, meeting_id).bind(2, p.key);
    BC_ASSIGN(bool exists, dup.step());
    if (exists)
      return fail(ErrorCode::conflict,
                  "meeting " + std::to_string(meeting_id) + " already has a participant with key " + quote_for_message(p.key));
  }
  RecordWriter writer(vault);
  ParticipantRow row;
  row.uid = new_uid();
  row.name = p.name;
  row.affiliation = p.affiliation;
  row.delegation = p.delegation;
  row.descriptor = p.descriptor;
  row.descriptor_fa = p.descriptor_fa;
  row.aliases = p.aliases;
  row.short_forms = p.short_forms;
  row.created_at = storage::utc_now_rfc3339();
  BC_ASSIGN(const std::int64_t pid, writer.insert_participant(row));
  BC_TRY(writer.insert_attendance({meeting_id, pid, p.key, std::nullopt, p.disclosure}));
  BC_TRY(append_audit(vault, "participant.add", "participant " + std::to_string(pid)));
  BC_TRY(tx.commit());
  return pid;
}

Status update_participant(Vault& vault, std::int64_t meeting_id, std::string_view key, const ParticipantUpdate& u) {
  if (u.name) BC_TRY(validate_text("name", *u.name, TextField::short_text));
  BC_TRY(validate_optional("affiliation", u.affiliation));
  BC_TRY(validate_optional("delegation", u.delegation));
  BC_TRY(validate_optional("descriptor", u.descriptor));
  BC_TRY(validate_optional("descriptor_fa", u.descriptor_fa));
  if (u.aliases) BC_TRY(validate_aliases("aliases", *u.aliases));
  if (u.short_forms) BC_TRY(validate_short_forms("short_forms", *u.short_forms));
  BC_ASSIGN(Participant p, find_participant(vault, meeting_id, key));
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  RecordWriter writer(vault);
  BC_TRY(writer.update_participant(p.id, u));
  for (Audience a : kAudiences) {
    const auto& level = u.disclosure[static_cast<int>(a)];
    if (level) BC_TRY(writer.set_disclosure(meeting_id, p.id, a, *level));
  }
  BC_TRY(append_audit(vault, "participant.update", "participant " + std::to_string(p.id)));
  return tx.commit();
}

}  // namespace bc::core
