#include "backchannel/core/series_timeline.h"

#include <algorithm>
#include <map>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participant_appearance.h"

namespace bc::core {

Result<SeriesTimeline> series_timeline(Vault& vault, std::int64_t series_id, Audience audience) {
  SeriesTimeline tl;
  tl.series_id = series_id;
  tl.audience = audience;
  BC_ASSIGN(std::vector<Series> all, list_series(vault));
  auto s = std::find_if(all.begin(), all.end(), [&](const Series& x) { return x.id == series_id; });
  if (s == all.end()) return fail(ErrorCode::not_found, "there is no series " + std::to_string(series_id));
  tl.series_title = s->title;
  BC_ASSIGN(std::vector<Thread> threads, list_threads(vault, series_id));
  BC_ASSIGN(std::vector<Meeting> meetings, list_meetings(vault));
  std::map<std::int64_t, std::size_t> round_of;  // meeting id -> round index
  for (const auto& m : meetings) {
    if (m.series_id != series_id) continue;
    TimelineRound r;
    r.meeting_id = m.id;
    r.title = m.title;
    r.date = m.starts_at.substr(0, 10);
    BC_ASSIGN(AudienceAppearance seen, participant_appearances(vault, m.id, audience));
    r.withheld = seen.no_summary.has_value();
    if (!r.withheld)
      for (const auto& p : seen.participants) {
        switch (p.level) {
          case DisclosureLevel::named: ++r.attendance.named; break;
          case DisclosureLevel::role: ++r.attendance.role; break;
          case DisclosureLevel::pseudonym: ++r.attendance.pseudonym; break;
          case DisclosureLevel::anonymous: ++r.attendance.anonymous; break;
          case DisclosureLevel::hidden: continue;
        }
        if (p.level != DisclosureLevel::anonymous) r.attendance.entries.push_back(p.attendance);
      }
    round_of[m.id] = tl.rounds.size();
    tl.rounds.push_back(std::move(r));
  }
  // Which round each linked note belongs to, read once per round.
  std::map<std::int64_t, std::size_t> note_round;
  for (std::size_t i = 0; i < tl.rounds.size(); ++i) {
    BC_ASSIGN(std::vector<Note> notes, list_notes(vault, tl.rounds[i].meeting_id));
    for (const auto& n : notes) note_round[n.id] = i;
  }
  for (const auto& t : threads) {
    TimelineRow row;
    row.thread_id = t.id;
    row.title = t.title;
    row.status = t.status;
    row.cells.resize(tl.rounds.size());
    for (auto id : t.note_ids)
      if (auto it = note_round.find(id); it != note_round.end()) ++row.cells[it->second].notes;
    std::vector<std::optional<ThreadStatus>> decided(tl.rounds.size());
    for (const auto& c : t.history) {
      auto it = round_of.find(c.meeting_id);
      if (it == round_of.end()) continue;
      decided[it->second] = c.status;  // history is in order: the round's last decision wins
      row.cells[it->second].decided_here = true;
      TimelineRound& r = tl.rounds[it->second];
      if (c.status == ThreadStatus::raised) ++r.raised;
      if (c.status == ThreadStatus::agreed) ++r.agreed;
      if (c.status == ThreadStatus::conveyed) ++r.conveyed;
    }
    std::optional<ThreadStatus> now;
    for (std::size_t i = 0; i < tl.rounds.size(); ++i) {
      if (decided[i]) now = decided[i];
      else if (!now && row.cells[i].notes > 0) now = ThreadStatus::raised;
      row.cells[i].status = now;
    }
    tl.rows.push_back(std::move(row));
  }
  return tl;
}

}  // namespace bc::core
