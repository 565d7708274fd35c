// Notes: taking, editing, listing, deleting and purging.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// A new note.
struct NewNote {
  std::int64_t meeting_id = 0;
  std::optional<std::string> speaker_key;  ///< a participant key of the meeting, or none (organizer)
  NoteKind kind = NoteKind::statement;
  std::optional<std::string> at;           ///< RFC 3339; defaults to now
  Visibility visibility = Visibility::summary;
  std::string text;
};

/// Adds a note durably (the transaction is committed with synchronous=FULL before this
/// returns) and returns its id.
Result<std::int64_t> add_note(Vault& vault, const NewNote& note);

/// Replaces a note's text; the previous text stays as a revision.
Status edit_note(Vault& vault, std::int64_t note_id, std::string_view text);

/// Marks a note deleted: it leaves listings, search and summaries; its text stays until purge.
Status delete_note(Vault& vault, std::int64_t note_id);

/// Removes every deleted note with its revisions so that no trace stays in the database file,
/// its free pages, the search index or the journal. Returns how many notes were purged.
Result<std::int64_t> purge_deleted_notes(Vault& vault);

/// The notes of a meeting in order (deleted ones left out).
Result<std::vector<Note>> list_notes(Vault& vault, std::int64_t meeting_id);
Result<Note> get_note(Vault& vault, std::int64_t note_id);
/// Every revision of a note, oldest first (the last one is the current text).
Result<std::vector<NoteRevision>> note_revisions(Vault& vault, std::int64_t note_id);

}  // namespace bc::core
