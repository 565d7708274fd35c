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
#include "backchannel/crypto/secure_buffer.h"

namespace bc::storage {
class Database;
}

namespace bc::core {

/// The kinds of record a series is made of.
enum class RecordKind {
  series, meeting, participant, attendance, disclosure, note, note_revision, thread, thread_link, thread_status,
  paper, paper_author, paper_section, paper_text, paper_citation, paper_approval, paper_copy,
};
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
  std::int64_t paper_id = 0;  ///< the paper it belongs to, for paper records
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

/// The stored form of a paper (docs/paper.md, "Papers in the vault").
struct PaperRow {
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

/// One text of a section in one language, as written at one paper version.
struct PaperTextRow {
  std::string uid;
  std::int64_t section_id = 0;
  std::string language;  ///< "en" or "fa"
  std::string text;
  std::string created_at;
};

/// One copy in a paper's register.
struct PaperCopyRow {
  std::string uid;
  std::int64_t paper_id = 0;
  std::string label;
  std::int64_t version = 0;
  std::string channel;  ///< "age", "passphrase" or "print"
  std::optional<std::string> recipient;
  std::string audience;  ///< "participants" or "public"
  std::string format;    ///< "pdf", "markdown" or "html"
  std::string choices;   ///< the choice vector's register form (cv1:...)
  std::string fingerprint;
  std::string created_at;
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
  /// Inserts a paper at version 1 with its tracing key (32 bytes) and its first author.
  Result<std::int64_t> insert_paper(const PaperRow& row, const crypto::SecureBuffer& tracing_key,
                                    const std::string& author_fingerprint);
  /// Adds an author (organizer, by vault fingerprint); nothing when they are one already.
  Status add_paper_author(std::int64_t paper_id, const std::string& fingerprint, const std::string& at);
  /// Starts the paper's next version (every edit is one) and returns its number.
  Result<std::int64_t> next_paper_version(std::int64_t paper_id, const std::string& at);
  /// Appends a section at the end of the paper, created at `version`.
  Result<std::int64_t> insert_paper_section(std::int64_t paper_id, const std::string& uid, std::int64_t version);
  /// Records a new text of a section in one language at `version` (the next revision number of
  /// that language); earlier texts stay.
  Status add_paper_text(const PaperTextRow& row, std::int64_t version);
  /// Records that a section cites a note or a thread by uid; nothing when it does already.
  Status add_paper_citation(std::int64_t section_id, const std::string& kind, const std::string& target_uid,
                            const std::string& at);
  /// Records an author's approval of one version; nothing when given already.
  Status add_paper_approval(std::int64_t paper_id, std::int64_t version, const std::string& fingerprint,
                            const std::string& at);
  /// Adds a copy to the register.
  Result<std::int64_t> insert_paper_copy(const PaperCopyRow& row);

 private:
  std::string uid_of(const char* table, std::int64_t id);
  bool reporting() const;
  Status report(RecordKind kind, ChangeOp op, std::string uid, std::int64_t id, std::int64_t meeting_id = 0,
                std::string field = {}, std::int64_t paper_id = 0);
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
