// Dialogue series and meetings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"

namespace bc::core {

Result<std::vector<Series>> list_series(Vault& vault);
/// All meetings, by series then start time.
Result<std::vector<Meeting>> list_meetings(Vault& vault);
/// One meeting; ErrorCode::not_found when there is none with that id.
Result<Meeting> get_meeting(Vault& vault, std::int64_t meeting_id);

/// ErrorCode::not_found unless the meeting exists. Cheaper than get_meeting (no note count).
Status require_meeting(Vault& vault, std::int64_t meeting_id);

/// The series with `title`, created with `rule` when absent. Returns its id.
Result<std::int64_t> ensure_series(Vault& vault, std::string_view title, Rule rule);

/// What a new meeting needs.
struct NewMeeting {
  std::int64_t series_id = 0;
  std::string title;
  std::string starts_at;  ///< RFC 3339
  std::optional<std::string> location;
  std::array<DisclosureLevel, 2> location_disclosure{DisclosureLevel::hidden, DisclosureLevel::hidden};
  std::optional<Rule> rule;
  std::vector<std::string> public_terms;
};
Result<std::int64_t> create_meeting(Vault& vault, const NewMeeting& meeting);

/// A change to a meeting; unset fields stay as they are.
struct MeetingUpdate {
  std::optional<std::string> location;  ///< an empty value clears it
  std::optional<DisclosureLevel> location_disclosure[2];
  std::optional<Rule> rule;
  std::optional<std::vector<std::string>> public_terms;
};
Status update_meeting(Vault& vault, std::int64_t meeting_id, const MeetingUpdate& u);

/// Checks an RFC 3339 timestamp and returns it in UTC with a Z suffix (fractional seconds kept).
Result<std::string> normalize_timestamp(std::string_view rfc3339);

}  // namespace bc::core
