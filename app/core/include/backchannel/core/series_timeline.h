// The series view's data: one row per thread across the rounds (meetings) of a series, with the
// status in effect after each round, the attendance of each round as an audience may see it, and
// how many threads were raised, agreed and conveyed in each round.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/threads.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// Who attended a round, as the audience may see it: hidden attendees are neither listed nor
/// counted, as in a summary.
struct RoundAttendance {
  int named = 0, role = 0, pseudonym = 0, anonymous = 0;
  /// The attendance entries the audience sees (names, descriptors, pseudonyms), in order.
  std::vector<std::string> entries;
};

/// One meeting of the series.
struct TimelineRound {
  std::int64_t meeting_id = 0;
  std::string title;
  std::string date;  ///< YYYY-MM-DD
  /// The meeting's rule gives this audience no summary: nothing of its attendance is shown.
  bool withheld = false;
  RoundAttendance attendance;
  int raised = 0, agreed = 0, conveyed = 0;  ///< threads that reached these statuses in the round
};

/// One thread in one round.
struct TimelineCell {
  std::optional<ThreadStatus> status;  ///< in effect after the round (none: not yet raised)
  bool decided_here = false;           ///< a status was decided in this round
  int notes = 0;                       ///< live notes of this round linked to the thread
};

/// One thread across the rounds.
struct TimelineRow {
  std::int64_t thread_id = 0;
  std::string title;
  ThreadStatus status = ThreadStatus::raised;
  std::vector<TimelineCell> cells;  ///< one per round
};

struct SeriesTimeline {
  std::int64_t series_id = 0;
  std::string series_title;
  Audience audience = Audience::participants;
  std::vector<TimelineRound> rounds;  ///< in meeting order
  std::vector<TimelineRow> rows;      ///< oldest thread first
};

/// Builds the timeline of a series for an audience (ErrorCode::not_found for an unknown series).
/// A thread appears in the first round in which a status was decided or a note of it was taken.
Result<SeriesTimeline> series_timeline(Vault& vault, std::int64_t series_id, Audience audience);

}  // namespace bc::core
