#include "backchannel/core/meetings.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "vault_store_access.h"

namespace bc::core {

using storage::Statement;

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::vector<std::string> parse_terms(std::string_view json) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_array())
    for (const auto& t : j)
      if (t.is_string()) out.push_back(t.get<std::string>());
  return out;
}

constexpr const char* kMeetingColumns =
    "SELECT m.id, m.uid, m.series_id, s.title, s.rule, m.title, m.starts_at, m.location, m.location_participants, "
    "m.location_public, m.rule, m.public_terms, "
    "(SELECT count(*) FROM notes n WHERE n.meeting_id = m.id AND n.deleted_at IS NULL) "
    "FROM meetings m JOIN series s ON s.id = m.series_id ";

Meeting read_meeting(const Statement& st) {
  Meeting m;
  m.id = st.column_int64(0);
  m.uid = st.column_string(1);
  m.series_id = st.column_int64(2);
  m.series_title = st.column_string(3);
  m.series_rule = parse_rule(st.column_text(4)).value_or(Rule::chatham_house);
  m.title = st.column_string(5);
  m.starts_at = st.column_string(6);
  m.location = st.column_optional_string(7);
  m.location_disclosure[0] = parse_disclosure_level(st.column_text(8)).value_or(DisclosureLevel::hidden);
  m.location_disclosure[1] = parse_disclosure_level(st.column_text(9)).value_or(DisclosureLevel::hidden);
  if (!st.is_null(10)) m.rule = parse_rule(st.column_text(10));
  m.public_terms = parse_terms(st.column_text(11));
  m.note_count = st.column_int64(12);
  return m;
}

}  // namespace

Result<std::string> normalize_timestamp(std::string_view s) {
  auto bad = [&] {
    return fail(ErrorCode::bad_input, "not an RFC 3339 timestamp (expected e.g. 2005-06-14T09:00:00Z)");
  };
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
    return bad();
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1) return bad();
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return bad();
  if (h > 23 || mi > 59 || sec > 60) return bad();
  std::size_t pos = 19;
  std::string frac;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t start = pos++;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start + 1 || pos - start > 10) return bad();
    frac = std::string(s.substr(start, pos - start));
  }
  int offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
        oh > 23 || om > 59)
      return bad();
    offset_min = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  // Already in the canonical form (what Backchannel writes; every timestamp of an archive): as is.
  if (offset_min == 0 && s[10] == 'T' && s[pos - 1] == 'Z') return std::string(s);
  const int leap_sec = sec == 60 ? 1 : 0;
  std::int64_t t = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
                   mi * 60 + (sec - leap_sec) - offset_min * 60;
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  const std::int64_t rem = t - days * 86400;
  int oy, om2, od;
  civil_from_days(days, oy, om2, od);
  if (oy < 0 || oy > 9999) return bad();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", oy, om2, od, static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60 + leap_sec));
  return std::string(buf) + frac + "Z";
}

Result<std::vector<Series>> list_series(Vault& vault) {
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare("SELECT id, uid, title, rule FROM series ORDER BY title"));
  std::vector<Series> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back({st.column_int64(0), st.column_string(1), st.column_string(2),
                   parse_rule(st.column_text(3)).value_or(Rule::chatham_house)});
  }
  return out;
}

Result<std::vector<Meeting>> list_meetings(Vault& vault) {
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare(std::string(kMeetingColumns) + "ORDER BY s.title, m.starts_at, m.id"));
  std::vector<Meeting> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(read_meeting(st));
  }
  return out;
}

Result<Meeting> get_meeting(Vault& vault, std::int64_t meeting_id) {
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare(std::string(kMeetingColumns) + "WHERE m.id = ?"));
  st.bind(1, meeting_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::not_found, "there is no meeting " + std::to_string(meeting_id), Remedy::list_meetings);
  return read_meeting(st);
}

Status require_meeting(Vault& vault, std::int64_t meeting_id) {
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare("SELECT 1 FROM meetings WHERE id = ?"));
  st.bind(1, meeting_id);
  BC_ASSIGN(bool found, st.step());
  if (!found) return fail(ErrorCode::not_found, "there is no meeting " + std::to_string(meeting_id), Remedy::list_meetings);
  return {};
}

Result<std::int64_t> ensure_series(Vault& vault, std::string_view title, Rule rule) {
  auto& db = vault_store(vault).db();
  {
    BC_ASSIGN(Statement st, db.prepare("SELECT id FROM series WHERE title = ?"));
    st.bind(1, title);
    BC_ASSIGN(bool row, st.step());
    if (row) return st.column_int64(0);
  }
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(const std::int64_t id,
            RecordWriter(vault).insert_series({new_uid(), std::string(title), rule, storage::utc_now_rfc3339()}));
  BC_TRY(append_audit(vault, "series.create", "series " + std::to_string(id)));
  BC_TRY(tx.commit());
  return id;
}

Result<std::int64_t> create_meeting(Vault& vault, const NewMeeting& m) {
  auto& db = vault_store(vault).db();
  MeetingRow row;
  row.uid = new_uid();
  row.series_id = m.series_id;
  row.title = m.title;
  BC_ASSIGN(row.starts_at, normalize_timestamp(m.starts_at));
  row.location = m.location;
  row.location_disclosure = m.location_disclosure;
  row.rule = m.rule;
  row.public_terms = m.public_terms;
  row.created_at = storage::utc_now_rfc3339();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(const std::int64_t id, RecordWriter(vault).insert_meeting(row));
  BC_TRY(append_audit(vault, "meeting.create", "meeting " + std::to_string(id)));
  BC_TRY(tx.commit());
  return id;
}

Status update_meeting(Vault& vault, std::int64_t meeting_id, const MeetingUpdate& u) {
  if (u.location && !u.location->empty()) BC_TRY(validate_text("location", *u.location, TextField::short_text));
  if (u.public_terms) {
    if (u.public_terms->size() > Limits::kMaxPublicTerms) return fail(ErrorCode::bad_input, "too many public terms");
    for (const auto& t : *u.public_terms) BC_TRY(validate_text("public term", t, TextField::short_text));
  }
  for (const auto& d : u.location_disclosure)
    if (d && *d != DisclosureLevel::named && *d != DisclosureLevel::hidden)
      return fail(ErrorCode::bad_input, "a location is either named or hidden");
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_TRY(require_meeting(vault, meeting_id));
  BC_TRY(RecordWriter(vault).update_meeting(meeting_id, u));
  BC_TRY(append_audit(vault, "meeting.update", "meeting " + std::to_string(meeting_id)));
  return tx.commit();
}

}  // namespace bc::core
