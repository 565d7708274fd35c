// Threads: a proposal, an agreement or an open question followed across the meetings of a
// series, with the notes that belong to it and the history of its status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/vault.h"

namespace bc::core {

/// Where a thread stands. Spelled raised, discussed, agreed, conveyed, taken-up, dropped.
enum class ThreadStatus { raised, discussed, agreed, conveyed, taken_up, dropped };

/// Every status, in the order a proposal usually travels.
inline constexpr ThreadStatus kThreadStatuses[] = {ThreadStatus::raised,   ThreadStatus::discussed, ThreadStatus::agreed,
                                                   ThreadStatus::conveyed, ThreadStatus::taken_up,  ThreadStatus::dropped};

std::string_view to_string(ThreadStatus status);
/// Nothing when `text` is not one of the six spellings.
std::optional<ThreadStatus> parse_thread_status(std::string_view text);

/// One recorded change of status: when, in which meeting, and which organizer decided it.
struct StatusChange {
  std::string uid;
  ThreadStatus status = ThreadStatus::raised;
  std::int64_t meeting_id = 0;
  std::string meeting_title;
  std::string meeting_starts_at;
  std::string decided_by;  ///< the organizer's identity fingerprint
  std::string decided_at;  ///< RFC 3339, UTC
};

/// A thread with its history (in meeting order, then time) and linked notes (in meeting order).
struct Thread {
  std::int64_t id = 0;
  std::string uid;
  std::int64_t series_id = 0;
  std::string title;
  std::string created_at;
  /// The status of the last change in the latest meeting; `raised` while nothing was decided.
  ThreadStatus status = ThreadStatus::raised;
  std::vector<StatusChange> history;
  std::vector<std::int64_t> note_ids;  ///< live notes only
};

/// Creates a thread in a series. The title is checked as short text.
Result<std::int64_t> add_thread(Vault& vault, std::int64_t series_id, std::string_view title);

/// Links a note to a thread. The note must belong to a meeting of the thread's series. Linking
/// twice changes nothing.
Status link_note(Vault& vault, std::int64_t thread_id, std::int64_t note_id);

/// Records a status decided in a meeting of the thread's series, by this vault's identity. In a
/// shared series only a current member of its team (an organizer) may decide
/// (ErrorCode::blocked otherwise).
Status set_thread_status(Vault& vault, std::int64_t thread_id, ThreadStatus status, std::int64_t meeting_id);

/// The threads of a series, oldest first (ErrorCode::not_found for an unknown series).
Result<std::vector<Thread>> list_threads(Vault& vault, std::int64_t series_id);
Result<Thread> get_thread(Vault& vault, std::int64_t thread_id);

/// A thread that a note may belong to, with how well it matched (higher is better).
struct ThreadSuggestion {
  std::int64_t thread_id = 0;
  std::string title;
  double score = 0;
};

/// Threads of the note's series that its text is about: full-text search of the note's words
/// (normalized as search normalizes them) over thread titles and over the notes already linked
/// to each thread. Threads the note is already linked to are left out. Best first.
Result<std::vector<ThreadSuggestion>> suggest_threads(Vault& vault, std::int64_t note_id, std::size_t limit = 3);
/// The same for a text not yet saved (the composer), in `series_id`.
Result<std::vector<ThreadSuggestion>> suggest_threads_for_text(Vault& vault, std::int64_t series_id, std::string_view text,
                                                               std::size_t limit = 3);

}  // namespace bc::core
