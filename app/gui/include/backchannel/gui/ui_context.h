// What the views share: the open vault (or none), the selected meeting, the services (tasks,
// shaping, clipboard, settings) and typed events. Events posted during a frame are delivered to
// every view during the next one, so views never call each other.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/vault.h"
#include "backchannel/gui/clipboard_guard.h"
#include "backchannel/gui/fonts.h"
#include "backchannel/gui/settings.h"
#include "backchannel/gui/task_runner.h"
#include "backchannel/gui/text_shaper.h"

namespace bc::gui {

class MeetingModel;
class SyncService;

/// Something that happened, for the views that care.
struct Event {
  enum class Kind {
    meeting_selected,      ///< meeting_id is now the selected meeting
    meetings_changed,      ///< series or meetings were added or changed
    note_added,            ///< note_id was added to meeting_id
    note_changed,          ///< note_id was edited or deleted
    notes_reloaded,        ///< the notes of meeting_id changed wholesale (import, purge)
    participants_changed,  ///< participants of meeting_id changed
    inbox_changed,
    responses_changed,
    focus_composer,        ///< put the keyboard in the note composer
    edit_note,             ///< load note_id into the composer for editing
    show_note,             ///< scroll the log to note_id (search results)
    synced,                ///< a sync round ended (its counts are the SyncService's)
    threads_changed,       ///< a thread was started, linked to a note or given a status
  };
  Kind kind;
  std::int64_t meeting_id = 0;
  std::int64_t note_id = 0;
};

/// The floating windows, opened from the menu or shortcuts; Esc closes the focused one.
enum class Window {
  search, new_meeting, meeting_settings, import_meeting, archive_export, archive_import, packages, inbox, review,
  audit, identity, trust, settings, passphrase, keys, age_tool, shortcuts, about, note_history, team, conflicts, paper, count
};

/// The central tabs.
enum class Panel { notes, participants, summary, responses, series };

class UiContext {
 public:
  UiContext(TaskRunner& task_runner, TextShaper& text_shaper, Settings& app_settings, ClipboardGuard& clipboard_guard,
            const Fonts& font_set, MeetingModel& meeting_model)
      : tasks(task_runner),
        shaper(text_shaper),
        settings(app_settings),
        clipboard(clipboard_guard),
        fonts(&font_set),
        model_(meeting_model) {}

  // ---- state ----
  core::Vault* vault = nullptr;          ///< null while locked
  std::filesystem::path vault_dir;       ///< the folder of the open (or last) vault
  std::optional<std::int64_t> meeting;   ///< the selected meeting
  Panel panel = Panel::notes;
  double now = 0;                        ///< seconds, this frame
  /// Incremented on every lock: a background result from an earlier session is dropped.
  std::uint64_t session = 0;
  /// Incremented whenever the vault's contents change (every data event): views that are not
  /// drawn every frame compare it with the revision their cache was built from.
  std::uint64_t revision = 1;

  /// Asks for a frame at time `t` even if nothing happens (a debounce, a timer). Reset each frame.
  void wake_at(double t) { next_wake = t < next_wake ? t : next_wake; }
  double next_wake = 1e300;

  /// The selected meeting's record, participants and notes, shared by every view (loaded at
  /// once if the selection changed earlier in this frame).
  MeetingModel& model();

  // ---- services ----
  TaskRunner& tasks;
  TextShaper& shaper;
  Settings& settings;
  ClipboardGuard& clipboard;
  const Fonts* fonts;
  /// Team sync of the open vault through its sync folder (set by the App).
  SyncService* sync = nullptr;

  /// A durable write (synchronous=FULL): runs on the writer's connection, off the frame, and
  /// returns what the frame does with the outcome.
  using Write = std::function<TaskRunner::Continuation(core::Vault&)>;
  /// Queues `w` behind the writes queued before it: they commit one at a time, in the order
  /// asked, so that notes typed one after another are stored in that order. Returns false (and
  /// queues nothing) while no vault is open.
  bool write(Write w);
  /// The connection the writes use, opened by the App with the vault and closed on lock.
  std::shared_ptr<core::Vault> writer;

  /// Set by the App: adopt an unlocked vault; lock now; lock now showing a reason; persist
  /// settings.
  std::function<void(std::shared_ptr<core::Vault>, const std::filesystem::path&)> adopt_vault;
  std::function<void()> lock;
  std::function<void(const std::string&)> lock_for;
  std::function<void()> save_settings;

  // ---- events ----
  void post(Event e) {
    using K = Event::Kind;
    if (e.kind != K::focus_composer && e.kind != K::show_note && e.kind != K::edit_note && e.kind != K::synced)
      ++revision;
    pending_.push_back(e);
  }
  void post(Event::Kind k, std::int64_t meeting_id = 0, std::int64_t note_id = 0) { post(Event{k, meeting_id, note_id}); }
  /// The events posted during the previous frame.
  const std::vector<Event>& events() const { return current_; }
  /// Start of a frame: last frame's posts become this frame's events.
  void swap_events() {
    current_.swap(pending_);
    pending_.clear();
  }
  /// Selects a meeting (and tells every view).
  void select_meeting(std::int64_t id) {
    meeting = id;
    post(Event::Kind::meeting_selected, id);
  }

  // ---- windows ----
  bool& open(Window w) { return windows_[static_cast<std::size_t>(w)]; }
  void show(Window w) { open(w) = true; focus_ = w; }
  /// The window that asked to come to the front this frame, if any (consumed).
  bool take_focus(Window w) {
    if (focus_ != w) return false;
    focus_ = Window::count;
    return true;
  }
  void close_all_windows() { windows_.fill(false); }
  /// Asks for a central tab to be shown.
  void show_panel(Panel p) {
    panel = p;
    panel_requested_ = true;
  }
  bool take_panel_request() {
    const bool r = panel_requested_;
    panel_requested_ = false;
    return r;
  }
  /// The note a window (history) is about.
  std::int64_t focused_note = 0;
  /// The inbox item the review window shows.
  std::int64_t review_item = 0;

  // ---- status line ----
  /// A short message in the status bar for a few seconds. Never put note text or names in it.
  void toast(std::string message, bool error = false);
  struct Toast {
    std::string message;
    bool error = false;
    double until = 0;
  };
  const Toast& current_toast() const { return toast_; }
  void clear_toast() { toast_ = {}; }

 private:
  MeetingModel& model_;
  std::vector<Event> pending_, current_;
  std::array<bool, static_cast<std::size_t>(Window::count)> windows_{};
  Window focus_ = Window::count;
  bool panel_requested_ = false;
  Toast toast_;
};

/// Every view: drawn each frame with Draw(UiContext&), owning only view state.
class View {
 public:
  virtual ~View() = default;
  /// Forgets (wipes) every piece of plaintext the view holds: called when the vault locks.
  virtual void Clear() = 0;
  /// Whether the view's state holds `needle` anywhere (the lock test's canary).
  virtual bool DebugContains(std::string_view needle) const = 0;
};

/// Helpers for DebugContains.
bool holds(std::string_view haystack, std::string_view needle);
bool holds(const std::vector<std::string>& v, std::string_view needle);

/// Esc closes the focused window (call inside Begin/End of a closable window).
void close_on_escape(bool& open);

}  // namespace bc::gui
