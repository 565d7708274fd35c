// The open meeting as every view shows it: its record, its participants with how each audience
// will see them, and its notes in order, including the ones still being written. The App owns
// one. It is loaded from the core when a meeting is selected, reloaded in part when an event says
// that part changed, and wiped in one place when the vault locks; the views read it and keep only
// view state.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/participant_appearance.h"

namespace bc::gui {

class UiContext;

class MeetingModel {
 public:
  /// A write of this note that the vault has not confirmed yet.
  enum class Pending { none, add, edit, remove };
  /// A note of the log.
  struct Entry {
    core::Note note;  ///< for a note being added: id 0, the text and marks as typed
    Pending pending = Pending::none;
    std::uint64_t ticket = 0;  ///< names the write in flight (0: none)
  };

  /// Start of a frame: applies the events of this frame to what they invalidated, and follows
  /// the selected meeting.
  void update(UiContext& ctx);
  /// Loads the selected meeting if it is not the one held (a view drawn after a selection in the
  /// same frame sees the new meeting). Cheap when nothing changed.
  void follow(UiContext& ctx);

  /// The meeting held (0: none).
  std::int64_t id() const { return id_; }
  /// Its record; null when none is held or it could not be read.
  const core::Meeting* meeting() const { return meeting_ ? &*meeting_ : nullptr; }
  /// Its participants in attendance order.
  const std::vector<core::Participant>& participants() const { return participants_; }
  const core::Participant* participant(std::int64_t participant_id) const;
  /// How a summary for `audience` will show each participant (the core computes it).
  const core::AudienceAppearance& appearance(core::Audience audience) const {
    return appearance_[static_cast<std::size_t>(audience)];
  }
  /// The notes in the order the core lists them, then the notes being added.
  const std::vector<Entry>& notes() const { return notes_; }
  /// A committed note by id (null when not held).
  const Entry* note(std::int64_t note_id) const;
  /// Incremented whenever the record or the participants change (views compare it with what they
  /// built their state from).
  std::uint64_t participants_version() const { return participants_version_; }
  /// Incremented whenever a note changes, arrives, leaves, or its write moves on.
  std::uint64_t notes_version() const { return notes_version_; }
  /// Why something could not be read (no names or note text in it).
  const std::string& error() const { return error_; }

  // ---- writes in flight: shown at once, confirmed by the writer later ----
  /// Appends `note` (id 0) as being added; returns its ticket.
  std::uint64_t begin_add(core::Note note);
  /// Shows note `note_id` with `text` while the edit is written; returns its ticket (0: no such
  /// note).
  std::uint64_t begin_edit(std::int64_t note_id, const std::string& text);
  /// Marks note `note_id` as being deleted; returns its ticket (0: no such note).
  std::uint64_t begin_remove(std::int64_t note_id);
  /// The write `ticket` committed (`note_id`: the id of an added note). A deleted note leaves;
  /// the others are read again when their note_added/note_changed event arrives.
  void commit(std::uint64_t ticket, std::int64_t note_id);
  /// The write `ticket` failed: an added note leaves, an edited or deleted one is read again.
  void fail(UiContext& ctx, std::uint64_t ticket);

  /// Wipes every plaintext and forgets the meeting (the vault locked).
  void clear();
  /// Whether anything held contains `needle` (the lock test's canary).
  bool debug_contains(std::string_view needle) const;

 private:
  void load(UiContext& ctx);
  void load_participants(UiContext& ctx);
  void load_notes(UiContext& ctx);
  void reload_note(UiContext& ctx, std::int64_t note_id);
  void wipe_participants();
  void wipe_notes();
  void notes_changed();
  Entry* by_ticket(std::uint64_t ticket);
  Entry* by_id(std::int64_t note_id);

  std::int64_t id_ = 0;
  std::optional<core::Meeting> meeting_;
  std::vector<core::Participant> participants_;
  std::array<core::AudienceAppearance, 2> appearance_;
  std::vector<Entry> notes_;
  mutable std::unordered_map<std::int64_t, std::size_t> index_;  ///< note id -> position in notes_
  mutable bool index_stale_ = true;
  std::uint64_t participants_version_ = 1;
  std::uint64_t notes_version_ = 1;
  std::uint64_t next_ticket_ = 1;
  std::string error_;
};

}  // namespace bc::gui
