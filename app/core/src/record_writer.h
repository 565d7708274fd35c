// The one place each record of a dialogue series is written: series, meetings, participants
// (with their aliases), attendance (with its disclosure levels), notes (with their revisions and
// search text), deletions and purges. Manual entry (meetings.cpp, participants.cpp, notes.cpp),
// meeting import and archive import all write through a RecordWriter, so a rule about a record
// (its search text, its revision numbering) lives in one function.
//
// Every write is also reported as a RecordChange to the vault's change observer: the hook team
// sync uses to keep a change log of exactly these writes (a second way in would escape the log).
// Audit entries stay with the operations (one entry per command, not per row).
//
// A RecordWriter does not open transactions: the caller holds one for the whole operation.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/vault.h"

namespace bc::storage {
class Database;
}

namespace bc::core {

/// The kinds of record a series is made of.
enum class RecordKind { series, meeting, participant, attendance, disclosure, note, note_revision, thread, thread_link, thread_status };
/// What happened to a record.
enum class ChangeOp { created, updated, deleted, purged };

/// One write, as the change observer sees it.
struct RecordChange {
  RecordKind kind;
  ChangeOp op;
  std::string uid;        ///< the record's uid (attendance and disclosure: the participant's; a thread link: the note's)
  std::int64_t id = 0;    ///< its local id (attendance and disclosure: the participant's; a thread link: the thread's)
  std::int64_t meeting_id = 0;  ///< the meeting it belongs to, when it belongs to one
  std::string field;      ///< for updates: which field ("location", "aliases", "public", ...)
};

/// Called inside the writer's transaction, after the write. An error fails the write (the caller's
/// transaction rolls back), so that no change escapes the log.
using ChangeObserver = std::function<Status(Vault&, const RecordChange&)>;

/// Installs the observer that every RecordWriter on this connection reports to (none: nothing
/// is reported). Team sync installs its change log here (sync_log.h), when the vault is opened.
void set_change_observer(Vault& vault, ChangeObserver observer);

/// While one lives, this connection's writes are not reported: team sync applying changes that
/// came from other devices (they are in their own device's log already) or putting back a level
/// that waits for a second member's confirmation. Nests.
class UnreportedWrites {
 public:
  explicit UnreportedWrites(Vault& vault);
  ~UnreportedWrites();
  UnreportedWrites(const UnreportedWrites&) = delete;
  UnreportedWrites& operator=(const UnreportedWrites&) = delete;

 private:
  int& depth_;
};

/// The stored form of a series.
struct SeriesRow {
  std::string uid;
  std::string title;
  Rule rule = Rule::chatham_house;
  std::string created_at;
};

/// The stored form of a meeting (timestamps already normalized).
struct MeetingRow {
  std::string uid;
  std::int64_t series_id = 0;
  std::string title;
  std::string starts_at;
  std::optional<std::string> location;
  std::array<DisclosureLevel, 2> location_disclosure{DisclosureLevel::hidden, DisclosureLevel::hidden};
  std::optional<Rule> rule;
  std::vector<std::string> public_terms;
  std::string created_at;
};

/// The stored form of a participant (a person; attendance says in which meetings).
struct ParticipantRow {
  std::string uid;
  std::string name;
  std::optional<std::string> affiliation, delegation, descriptor, recipient;
  std::optional<std::array<std::uint8_t, 32>> signing_key;
  std::vector<std::string> aliases;
  std::string created_at;
  std::optional<std::string> descriptor_fa;
  std::vector<ShortFormRule> short_forms;
};

/// The row of a participant entered by hand or by a meeting import: a new uid, no keys
/// (participants.cpp).
ParticipantRow new_participant_row(const NewParticipant& p, std::string created_at);

/// A participant attending a meeting, with their disclosure levels there.
struct AttendanceRow {
  std::int64_t meeting_id = 0;
  std::int64_t participant_id = 0;
  std::string key;
  std::optional<int> position;  ///< none: after the meeting's last attendee
  std::array<DisclosureLevel, 2> disclosure{DisclosureLevel::anonymous, DisclosureLevel::anonymous};
};

/// One revision of a note's text.
struct RevisionRow {
  std::string uid;
  std::string text;
  std::string created_at;
};

/// The stored form of a note: its current text is its last revision.
struct NoteRow {
  std::string uid;
  std::int64_t meeting_id = 0;
  std::optional<std::int64_t> speaker_id;
  NoteKind kind = NoteKind::statement;
  std::optional<std::string> at;
  Visibility visibility = Visibility::summary;
  std::vector<RevisionRow> revisions;  ///< oldest first, at least one
  std::string created_at;
  std::string updated_at;
};

/// The stored form of a thread (threads.h).
struct ThreadRow {
  std::string uid;
  std::int64_t series_id = 0;
  std::string title;
  std::string created_at;
};

/// One status decision of a thread.
struct ThreadStatusRow {
  std::string uid;
  std::int64_t thread_id = 0;
  std::string status;  ///< one of the six spellings (the table checks it)
  std::int64_t meeting_id = 0;
  std::string decided_by;
  std::string decided_at;
};

/// Writes the records of one vault connection. Cheap to make; statements are cached by the
/// connection.
class RecordWriter {
 public:
  explicit RecordWriter(Vault& vault);

  Result<std::int64_t> insert_series(const SeriesRow& row);
  Result<std::int64_t> insert_meeting(const MeetingRow& row);
  /// Sets the fields given in `update` (an empty location clears it).
  Status update_meeting(std::int64_t meeting_id, const MeetingUpdate& update);

  /// Inserts the person, their aliases and the rulings on their short forms.
  Result<std::int64_t> insert_participant(const ParticipantRow& row);
  /// Sets the person's fields given in `update` (an empty affiliation, delegation or descriptor
  /// clears it; aliases and short-form rulings replace the whole list). Disclosure levels are set_disclosure's.
  Status update_participant(std::int64_t participant_id, const ParticipantUpdate& update);
  /// Pins the signing key of a participant who answered a package (only if none is pinned).
  /// Returns whether it was set.
  Result<bool> pin_signing_key(std::int64_t participant_id, const std::array<std::uint8_t, 32>& key);
  /// Unpins `key` from every participant who had it pinned (the key is no longer trusted).
  /// Returns how many were unpinned.
  Result<std::size_t> unpin_signing_key(const std::array<std::uint8_t, 32>& key);
  /// Sets or clears the pinned signing key whatever it was (team sync's merged value).
  Status set_signing_key(std::int64_t participant_id, const std::optional<std::array<std::uint8_t, 32>>& key);

  /// Adds a participant to a meeting with both disclosure levels.
  Status insert_attendance(const AttendanceRow& row);
  Status set_disclosure(std::int64_t meeting_id, std::int64_t participant_id, Audience audience, DisclosureLevel level);
  /// Gives an attendee another key within the meeting (team sync settling two attendees that
  /// were added elsewhere under the same key).
  Status set_attendance_key(std::int64_t meeting_id, std::int64_t participant_id, const std::string& key);

  /// Inserts a note with all its revisions, numbered 1..n, and its search text. Returns its id,
  /// or nothing when a note with this uid exists already or was deleted or purged here (its
  /// tombstone wins over any older copy); then nothing is written.
  Result<std::optional<std::int64_t>> insert_note(const NoteRow& row);
  /// Whether a note with this uid was deleted or purged in this vault.
  Result<bool> is_tombstoned(const std::string& note_uid);
  /// Makes `revision` the note's new current text (the next revision number).
  Status add_revision(std::int64_t note_id, const RevisionRow& revision);
  /// Merges revisions from elsewhere (an archive) into a note by revision uid; the note's history
  /// becomes `order` (every uid, old and new, oldest first) and its current text `order.back()`.
  /// Returns how many revisions were added.
  Result<std::size_t> merge_revisions(std::int64_t note_id, const std::vector<RevisionRow>& incoming,
                                      const std::vector<std::string>& order, const std::string& updated_at);
  /// Marks a note deleted and records its tombstone.
  Status mark_deleted(std::int64_t note_id, const std::string& at);
  /// Records the tombstone of a note this vault never held (deleted or purged elsewhere), so that
  /// no older copy can bring it in. Does nothing if the uid has a tombstone already, except that
  /// a purge turns a deletion into a purge.
  Status add_tombstone(const std::string& note_uid, bool purged, const std::string& at);
  /// Erases every deleted note with its revisions (and rewrites the search index so that their
  /// words are gone from it too); their tombstones become purge tombstones. Returns how many
  /// notes were purged.
  Result<std::int64_t> purge_deleted_notes();
  /// Erases the notes with these uids (deleted or not) as purge_deleted_notes does, and leaves a
  /// purge tombstone for each uid, held here or not. Returns how many notes were erased.
  Result<std::int64_t> purge_notes(const std::vector<std::string>& note_uids);

  /// Inserts a thread with its search text; nothing (and nothing written) when its uid is here.
  Result<std::optional<std::int64_t>> insert_thread(const ThreadRow& row);
  /// Links a note to a thread; returns false (nothing written) when they were linked already.
  Result<bool> link_thread_note(std::int64_t thread_id, std::int64_t note_id, const std::string& linked_at);
  /// Records a status decision; returns false (nothing written) when its uid is here already.
  Result<bool> insert_thread_status(const ThreadStatusRow& row);

 private:
  std::string uid_of(const char* table, std::int64_t id);
  bool reporting() const;
  Status report(RecordKind kind, ChangeOp op, std::string uid, std::int64_t id, std::int64_t meeting_id = 0,
                std::string field = {});
  Status erase_notes(const std::string& where_sql);
  Status write_aliases(std::int64_t participant_id, const std::vector<std::string>& aliases);
  Status write_short_forms(std::int64_t participant_id, const std::vector<ShortFormRule>& rules);
  Status write_revisions(std::int64_t note_id, const std::vector<RevisionRow>& revisions, int first_number);

  Vault& vault_;
  storage::Database& db_;
  const ChangeObserver* observer_;
  const int* unreported_;
};

}  // namespace bc::core
