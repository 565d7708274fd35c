// The application: owns the open vault (or none), the settings, the services and every view, and
// draws one frame of the interface between ImGui::NewFrame() and ImGui::Render(). It knows
// nothing of windows or OpenGL: src/main.cpp gives it a GLFW window, the headless tests give it
// none.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "backchannel/gui/fonts.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class StartView;
class LockScreen;
class MeetingListView;
class NewMeetingDialog;
class MeetingSettingsView;
class NoteLogView;
class NoteComposer;
class NoteHistoryView;
class SpeakersPanel;
class ParticipantsView;
class SummaryView;
class ArchiveView;
class ImportMeetingView;
class PackageView;
class InboxView;
class ReviewView;
class ResponsesView;
class SeriesView;
class SearchView;
class AuditView;
class IdentityView;
class SettingsView;
class PassphraseView;
class KeysView;
class TrustView;
class AgeToolView;
class PaperView;
class HelpView;
class TeamView;
class ConflictsView;
class SyncService;

struct AppOptions {
  /// Where settings are read and written; empty: nothing is written (tests).
  std::filesystem::path settings_path;
  /// A vault folder to preselect on the start screen (--vault).
  std::string vault;
  /// Called from worker threads when a result is ready (the event loop wakes up).
  std::function<void()> wake;
  /// Called when the interface scale setting changes (the program rebuilds its fonts).
  std::function<void()> rescale;
};

class App {
 public:
  /// At most this many frames in a row are drawn for a layout that keeps changing.
  static constexpr int kMaxSettleFrames = 8;
  App(AppOptions options, const Fonts& fonts);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  /// Draws one frame. `now` is in seconds (a monotonic clock).
  void Frame(double now);
  /// Closes the vault, wipes keys and every view's plaintext, and shows the lock screen.
  void lock(const std::string& reason = {});
  bool unlocked() const { return vault_ != nullptr; }
  /// Seconds until the app needs a frame although nothing happens (auto-lock, clipboard
  /// clearing); a large number when nothing is pending.
  double seconds_until_deadline(double now) const;
  /// True while something moves (spinner, progress, shake) or the layout has not settled yet
  /// (a window's first frames, a tab bar appearing, a scroll on its way): the loop keeps drawing.
  bool animating() const;
  /// The user asked to quit (Vault ▸ Quit).
  bool quit_requested() const { return quit_; }
  /// Fonts changed (the program rebuilt them after a scale change).
  void set_fonts(const Fonts& fonts) { fonts_ = fonts; }
  /// Whether any view, the shaping cache or ImGui's text-edit state still holds `needle`.
  bool debug_contains(std::string_view needle) const;

  UiContext& context() { return ctx_; }
  Settings& settings() { return settings_; }
  TaskRunner& tasks() { return *tasks_; }
  StartView& start_view() { return *start_; }
  KeysView& keys_view() { return *keys_; }
  TrustView& trust_view() { return *trust_; }
  NoteLogView& note_log() { return *log_; }
  NoteComposer& composer() { return *composer_; }
  ParticipantsView& participants() { return *participants_; }
  SearchView& search() { return *search_; }
  TeamView& team() { return *team_; }
  ConflictsView& conflicts() { return *conflicts_; }
  SyncService& sync() { return *sync_; }
  SeriesView& series_view() { return *series_; }
  PaperView& paper() { return *paper_; }

 private:
  void adopt(std::shared_ptr<core::Vault> vault, const std::filesystem::path& dir);
  void draw_main();
  void draw_menu();
  void draw_status_bar();
  void draw_windows();
  void global_shortcuts();
  void note_activity();
  void track_layout();
  void save_settings();
  template <class F>
  void for_each_view(F&& f) const;

  AppOptions options_;
  Fonts fonts_;
  Settings settings_;
  TextShaper shaper_;
  ClipboardGuard clipboard_;
  std::shared_ptr<core::Vault> vault_;
  std::optional<std::int64_t> meeting_before_lock_;
  enum class Screen { start, locked, main } screen_ = Screen::start;
  double last_activity_ = 0;
  double now_ = 0;
  bool quit_ = false;
  bool first_frame_ = true;
  bool purge_requested_ = false;
  // Layout settling: a digest of every window's geometry and scroll at the end of the last
  // frame, and how many frames in a row it has changed.
  std::uint64_t layout_ = 0;
  int layout_changes_ = 0;

  std::unique_ptr<StartView> start_;
  std::unique_ptr<LockScreen> lock_screen_;
  std::unique_ptr<MeetingListView> meetings_;
  std::unique_ptr<NewMeetingDialog> new_meeting_;
  std::unique_ptr<MeetingSettingsView> meeting_settings_;
  std::unique_ptr<NoteLogView> log_;
  std::unique_ptr<NoteComposer> composer_;
  std::unique_ptr<NoteHistoryView> history_;
  std::unique_ptr<SpeakersPanel> speakers_;
  std::unique_ptr<ParticipantsView> participants_;
  std::unique_ptr<SummaryView> summary_;
  std::unique_ptr<ArchiveView> archive_;
  std::unique_ptr<ImportMeetingView> import_meeting_;
  std::unique_ptr<PackageView> packages_;
  std::unique_ptr<InboxView> inbox_;
  std::unique_ptr<ReviewView> review_;
  std::unique_ptr<ResponsesView> responses_;
  std::unique_ptr<SeriesView> series_;
  std::unique_ptr<SearchView> search_;
  std::unique_ptr<AuditView> audit_;
  std::unique_ptr<IdentityView> identity_;
  std::unique_ptr<SettingsView> settings_view_;
  std::unique_ptr<PassphraseView> passphrase_;
  std::unique_ptr<KeysView> keys_;
  std::unique_ptr<TrustView> trust_;
  std::unique_ptr<AgeToolView> age_tool_;
  std::unique_ptr<PaperView> paper_;
  std::unique_ptr<HelpView> help_;
  std::unique_ptr<TeamView> team_;
  std::unique_ptr<ConflictsView> conflicts_;
  std::unique_ptr<SyncService> sync_;
  MeetingModel model_;

  // Declared last, destroyed first: its threads are joined while the views they report to
  // still exist.
  std::unique_ptr<TaskRunner> tasks_;
  UiContext ctx_;
};

}  // namespace bc::gui
