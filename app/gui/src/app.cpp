#include "backchannel/gui/app.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <limits>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/gui/age_tool_view.h"
#include "backchannel/gui/archive_view.h"
#include "backchannel/gui/audit_view.h"
#include "backchannel/gui/help_view.h"
#include "backchannel/gui/identity_view.h"
#include "backchannel/gui/import_meeting_view.h"
#include "backchannel/gui/inbox_view.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/lock_screen.h"
#include "backchannel/gui/meeting_list_view.h"
#include "backchannel/gui/meeting_settings_view.h"
#include "backchannel/gui/new_meeting_dialog.h"
#include "backchannel/gui/note_composer.h"
#include "backchannel/gui/note_history_view.h"
#include "backchannel/gui/paper_view.h"
#include "backchannel/gui/note_log_view.h"
#include "backchannel/gui/package_view.h"
#include "backchannel/gui/participants_view.h"
#include "backchannel/gui/keys_view.h"
#include "backchannel/gui/trust_view.h"
#include "backchannel/gui/passphrase_view.h"
#include "backchannel/gui/responses_view.h"
#include "backchannel/gui/series_view.h"
#include "backchannel/gui/review_view.h"
#include "backchannel/gui/search_view.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/settings_view.h"
#include "backchannel/gui/speakers_panel.h"
#include "backchannel/gui/start_view.h"
#include "backchannel/gui/summary_view.h"
#include "backchannel/gui/conflicts_view.h"
#include "backchannel/gui/sync_service.h"
#include "backchannel/gui/team_view.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

App::App(AppOptions options, const Fonts& fonts)
    : options_(std::move(options)),
      fonts_(fonts),
      settings_(options_.settings_path.empty() ? Settings{} : Settings::load(options_.settings_path)),
      start_(std::make_unique<StartView>()),
      lock_screen_(std::make_unique<LockScreen>()),
      meetings_(std::make_unique<MeetingListView>()),
      new_meeting_(std::make_unique<NewMeetingDialog>()),
      meeting_settings_(std::make_unique<MeetingSettingsView>()),
      log_(std::make_unique<NoteLogView>()),
      composer_(std::make_unique<NoteComposer>()),
      history_(std::make_unique<NoteHistoryView>()),
      speakers_(std::make_unique<SpeakersPanel>()),
      participants_(std::make_unique<ParticipantsView>()),
      summary_(std::make_unique<SummaryView>()),
      archive_(std::make_unique<ArchiveView>()),
      import_meeting_(std::make_unique<ImportMeetingView>()),
      packages_(std::make_unique<PackageView>()),
      inbox_(std::make_unique<InboxView>()),
      review_(std::make_unique<ReviewView>()),
      responses_(std::make_unique<ResponsesView>()),
      series_(std::make_unique<SeriesView>()),
      search_(std::make_unique<SearchView>()),
      audit_(std::make_unique<AuditView>()),
      identity_(std::make_unique<IdentityView>()),
      settings_view_(std::make_unique<SettingsView>()),
      passphrase_(std::make_unique<PassphraseView>()),
      keys_(std::make_unique<KeysView>()),
      trust_(std::make_unique<TrustView>()),
      age_tool_(std::make_unique<AgeToolView>()),
      paper_(std::make_unique<PaperView>()),
      help_(std::make_unique<HelpView>()),
      team_(std::make_unique<TeamView>()),
      conflicts_(std::make_unique<ConflictsView>()),
      sync_(std::make_unique<SyncService>()),
      tasks_(std::make_unique<TaskRunner>(options_.wake)),
      ctx_(*tasks_, shaper_, settings_, clipboard_, fonts_, model_) {
  ctx_.sync = sync_.get();
  ctx_.adopt_vault = [this](std::shared_ptr<core::Vault> v, const std::filesystem::path& dir) { adopt(std::move(v), dir); };
  ctx_.lock = [this] { lock("Locked with Ctrl+L."); };
  ctx_.lock_for = [this](const std::string& reason) { lock(reason); };
  ctx_.save_settings = [this] { save_settings(); };
  if (!options_.vault.empty()) {
    start_->set_folder(options_.vault);
  } else if (settings_.remember_recent && !settings_.recent_vaults.empty()) {
    start_->set_folder(settings_.recent_vaults.front());
  }
  settings_view_->set_rescale(options_.rescale);
}

App::~App() {
  // Threads first (they may hold a second vault connection), then the vault.
  tasks_.reset();
  if (ctx_.writer) ctx_.writer->lock();
  if (vault_) vault_->lock();
}

template <class F>
void App::for_each_view(F&& f) const {
  const View* views[] = {start_.get(),        lock_screen_.get(),    meetings_.get(),    new_meeting_.get(),
                         meeting_settings_.get(), log_.get(),       composer_.get(),    history_.get(),
                         speakers_.get(),     participants_.get(),   summary_.get(),     archive_.get(),
                         import_meeting_.get(), packages_.get(),    inbox_.get(),       review_.get(),
                         responses_.get(),    search_.get(),         audit_.get(),       identity_.get(),
                         settings_view_.get(), passphrase_.get(),   keys_.get(),        trust_.get(),        age_tool_.get(),
                         help_.get(),         team_.get(),           conflicts_.get(),
                         series_.get(),        paper_.get()};
  for (const View* v : views) f(const_cast<View&>(*v));
}

void App::save_settings() {
  if (options_.settings_path.empty()) return;
  if (auto st = settings_.save(options_.settings_path); !st) ctx_.toast("Settings could not be saved: " + describe(st.error()), true);
}

void App::adopt(std::shared_ptr<core::Vault> vault, const std::filesystem::path& dir) {
  // The durable writes get a connection of their own, used by one worker thread.
  auto writer = vault->another_connection();
  if (!writer) {
    vault->lock();
    ctx_.vault_dir = dir;
    screen_ = Screen::locked;
    lock_screen_->set_reason("The vault could not be opened for writing: " + describe(writer.error()));
    return;
  }
  ctx_.writer = std::make_shared<core::Vault>(std::move(*writer));
  vault_ = std::move(vault);
  ctx_.vault = vault_.get();
  ctx_.vault_dir = dir;
  screen_ = Screen::main;
  last_activity_ = now_;
  ctx_.post(Event::Kind::meetings_changed);
  ctx_.post(Event::Kind::inbox_changed);
  // Come back to the meeting that was open before the lock (an id, not its contents), else
  // the most recent one.
  std::optional<std::int64_t> meeting = meeting_before_lock_;
  meeting_before_lock_.reset();
  auto ms = core::list_meetings(*vault_);
  if (meeting && (!ms || std::none_of(ms->begin(), ms->end(), [&](const core::Meeting& m) { return m.id == *meeting; })))
    meeting.reset();
  if (!meeting && ms && !ms->empty()) {
    const auto latest = std::max_element(ms->begin(), ms->end(), [](const core::Meeting& a, const core::Meeting& b) {
      return a.starts_at < b.starts_at;
    });
    meeting = latest->id;
  }
  if (meeting) ctx_.select_meeting(*meeting);
  ctx_.post(Event::Kind::focus_composer);
  sync_->start(ctx_);
}

void App::lock(const std::string& reason) {
  // Writes the user made are committed before the vault closes; other background work is
  // cancelled and waited for, so that no worker still holds a connection (and its keys) once the
  // lock screen shows. Their continuations run here and drop their results (new session); files
  // they wrote are abandoned. Sync stops first: a round queued behind the writes does not start,
  // and the folder watch ends with the other tasks.
  sync_->stop();
  tasks_->finish_in_order();
  tasks_->cancel_all();
  ++ctx_.session;
  tasks_->wait_idle();
  if (vault_) {
    meeting_before_lock_ = ctx_.meeting;
    vault_->lock();
    vault_.reset();
  }
  if (ctx_.writer) {
    ctx_.writer->lock();
    ctx_.writer.reset();
  }
  ctx_.vault = nullptr;
  ctx_.meeting.reset();
  ctx_.close_all_windows();
  ctx_.clear_toast();
  ctx_.panel = Panel::notes;
  ctx_.swap_events();  // drop pending events: they name meetings and notes of the closed vault
  ctx_.swap_events();
  for_each_view([](View& v) { v.Clear(); });
  model_.clear();
  shaper_.clear();
  clipboard_.clear_now();
  scrub_imgui_text_state();
  lock_screen_->set_reason(reason);
  screen_ = ctx_.vault_dir.empty() ? Screen::start : Screen::locked;
}

void App::note_activity() {
  const ImGuiIO& io = ImGui::GetIO();
  bool active = io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0 || io.MouseWheelH != 0 ||
                io.InputQueueCharacters.Size > 0;
  for (bool d : io.MouseDown) active = active || d;
  for (bool k : io.KeysDown) active = active || k;
  if (active) last_activity_ = now_;
}

double App::seconds_until_deadline(double now) const {
  double next = std::numeric_limits<double>::infinity();
  if (vault_) next = std::min(next, last_activity_ + settings_.auto_lock_minutes * 60.0 - now);
  if (auto d = clipboard_.deadline()) next = std::min(next, *d - now);
  if (ctx_.current_toast().until > now) next = std::min(next, ctx_.current_toast().until - now);
  next = std::min(next, ctx_.next_wake - now);
  return std::max(0.0, next);
}

bool App::animating() const {
  return tasks_->busy() || start_->animating(now_) || lock_screen_->animating(now_) ||
         (layout_changes_ > 0 && layout_changes_ <= kMaxSettleFrames);
}

void App::track_layout() {
  // ImGui lays a window out over a few frames: a new window is hidden in its first, a tab bar
  // picks its tab in its second, a scroll request lands in the next. Drawing only on input left
  // the screen half-built (no tab bar, the log not at its end) until the user moved the mouse,
  // so frames follow while anything of the layout still moves. Bounded, in case something
  // oscillates.
  ImGuiContext& g = *ImGui::GetCurrentContext();
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  };
  for (const ImGuiWindow* w : g.Windows) {
    if (!w->Active) continue;
    mix(&w->ID, sizeof w->ID);
    for (const ImVec2* v : {&w->Pos, &w->Size, &w->ContentSize, &w->Scroll, &w->ScrollMax, &w->ScrollTarget,
                            &w->DC.CursorMaxPos})
      mix(v, sizeof *v);
    const int hidden[] = {w->Hidden, w->HiddenFramesCanSkipItems, w->HiddenFramesCannotSkipItems};
    mix(hidden, sizeof hidden);
  }
  for (int i = 0; i < g.TabBars.GetMapSize(); ++i)
    if (const ImGuiTabBar* tb = g.TabBars.TryGetMapData(static_cast<ImPoolIdx>(i))) {
      mix(&tb->SelectedTabId, sizeof tb->SelectedTabId);
      mix(&tb->NextSelectedTabId, sizeof tb->NextSelectedTabId);
    }
  layout_changes_ = h == layout_ ? 0 : layout_changes_ + 1;
  layout_ = h;
}

bool App::debug_contains(std::string_view needle) const {
  bool found = false;
  for_each_view([&](View& v) { found = found || v.DebugContains(needle); });
  return found || model_.debug_contains(needle) || shaper_.contains(needle) || imgui_text_state_contains(needle) ||
         holds(ctx_.current_toast().message, needle);
}

void App::Frame(double now) {
  now_ = now;
  ctx_.now = now;
  ctx_.fonts = &fonts_;
  if (first_frame_) {
    last_activity_ = now;
    first_frame_ = false;
  }
  ctx_.next_wake = 1e300;
  tasks_->drain();
  ctx_.swap_events();
  model_.update(ctx_);
  if (vault_) sync_->update(ctx_);
  shaper_.new_frame();
  note_activity();
  clipboard_.install();
  clipboard_.tick(now);
  if (vault_ && now - last_activity_ > settings_.auto_lock_minutes * 60.0)
    lock("Locked after " + std::to_string(settings_.auto_lock_minutes) + " minutes without activity.");
  if (ctx_.current_toast().until != 0 && ctx_.current_toast().until < now) ctx_.clear_toast();

  switch (screen_) {
    case Screen::start: start_->Draw(ctx_); break;
    case Screen::locked:
      lock_screen_->Draw(ctx_);
      if (lock_screen_->wants_start_screen()) {
        start_->set_folder(ctx_.vault_dir.string());
        screen_ = Screen::start;
      }
      break;
    case Screen::main:
      global_shortcuts();
      if (screen_ != Screen::main) break;  // locked by a shortcut
      draw_main();
      draw_windows();
      break;
  }
  track_layout();
}

void App::global_shortcuts() {
  if (keys::ctrl_pressed('L')) {
    lock("Locked with Ctrl+L.");
    return;
  }
  const ImGuiIO& io = ImGui::GetIO();
  if (keys::ctrl_pressed('F')) ctx_.show(Window::search);
  if (keys::ctrl_pressed('E') && ctx_.meeting) ctx_.show_panel(Panel::summary);
  if (keys::ctrl_pressed('P') && ctx_.meeting) ctx_.show_panel(Panel::participants);
  if (keys::ctrl_pressed('N')) ctx_.show_panel(Panel::notes);
  if (keys::ctrl_pressed('R') && ctx_.meeting) ctx_.show_panel(Panel::responses);
  if (keys::ctrl_pressed('G') && ctx_.meeting) ctx_.show_panel(Panel::series);
  if (keys::ctrl_pressed('I')) ctx_.show(Window::inbox);
  if (keys::ctrl_pressed('Q')) quit_ = true;
  if (keys::ctrl() && io.KeyShift && keys::pressed('T')) ctx_.show(Window::team);
  if (keys::ctrl() && io.KeyShift && keys::pressed('C')) ctx_.show(Window::conflicts);
  if (keys::ctrl() && io.KeyShift && keys::pressed('S')) sync_->sync_now(ctx_);
  if (keys::ctrl() && io.KeyShift && keys::pressed('N')) ctx_.show(Window::new_meeting);
  if (keys::ctrl() && io.KeyShift && keys::pressed('V')) {
    settings_.privacy_veil = !settings_.privacy_veil;
    save_settings();
  }
  if (ImGui::IsKeyPressed(keys::kF1, false)) ctx_.show(Window::shortcuts);
}

void App::draw_menu() {
  if (!ImGui::BeginMenuBar()) return;
  const bool meeting = ctx_.meeting.has_value();
  if (ImGui::BeginMenu("Vault")) {
    if (ImGui::MenuItem("New meeting…", "Ctrl+Shift+N")) ctx_.show(Window::new_meeting);
    if (ImGui::MenuItem("Import a meeting file…")) ctx_.show(Window::import_meeting);
    ImGui::Separator();
    if (ImGui::MenuItem("Export an archive…")) ctx_.show(Window::archive_export);
    if (ImGui::MenuItem("Import an archive…")) ctx_.show(Window::archive_import);
    ImGui::Separator();
    if (ImGui::MenuItem("Inbox (summaries sent to you)…", "Ctrl+I")) ctx_.show(Window::inbox);
    if (ImGui::MenuItem("Identity and fingerprint…")) ctx_.show(Window::identity);
    if (ImGui::MenuItem("Trusted keys…")) ctx_.show(Window::trust);
    ImGui::Separator();
    if (ImGui::MenuItem("Team of this series…", "Ctrl+Shift+T")) ctx_.show(Window::team);
    if (ImGui::MenuItem("Sync conflicts…", "Ctrl+Shift+C")) ctx_.show(Window::conflicts);
    if (ImGui::MenuItem("Sync now", "Ctrl+Shift+S")) sync_->sync_now(ctx_);
    ImGui::Separator();
    if (ImGui::MenuItem("Audit log and integrity…")) ctx_.show(Window::audit);
    ImGui::Separator();
    if (ImGui::MenuItem("Purge deleted notes…")) purge_requested_ = true;
    if (ImGui::MenuItem("Change passphrase…")) ctx_.show(Window::passphrase);
    if (ImGui::MenuItem("Recovery code, key cost and rekey…")) ctx_.show(Window::keys);
    if (ImGui::MenuItem("Settings…")) ctx_.show(Window::settings);
    ImGui::Separator();
    if (ImGui::MenuItem("Lock", "Ctrl+L")) {
      ImGui::EndMenu();
      ImGui::EndMenuBar();
      lock("Locked from the menu.");
      return;
    }
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Meeting", meeting)) {
    if (ImGui::MenuItem("Notes", "Ctrl+N")) ctx_.show_panel(Panel::notes);
    if (ImGui::MenuItem("Participants and disclosure", "Ctrl+P")) ctx_.show_panel(Panel::participants);
    if (ImGui::MenuItem("Summary", "Ctrl+E")) ctx_.show_panel(Panel::summary);
    if (ImGui::MenuItem("Responses", "Ctrl+R")) ctx_.show_panel(Panel::responses);
    if (ImGui::MenuItem("Series: threads across rounds", "Ctrl+G")) ctx_.show_panel(Panel::series);
    ImGui::Separator();
    if (ImGui::MenuItem("Send summary packages…")) ctx_.show(Window::packages);
    if (ImGui::MenuItem("Joint paper of the series…")) ctx_.show(Window::paper);
    if (ImGui::MenuItem("Meeting settings…")) ctx_.show(Window::meeting_settings);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Search", "Ctrl+F")) ctx_.show(Window::search);
    if (ImGui::MenuItem("Privacy veil over note text", "Ctrl+Shift+V", &settings_.privacy_veil)) save_settings();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Tools")) {
    if (ImGui::MenuItem("Encrypt or decrypt an age file…")) ctx_.show(Window::age_tool);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard shortcuts", "F1")) ctx_.show(Window::shortcuts);
    if (ImGui::MenuItem("About Backchannel")) ctx_.show(Window::about);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void App::draw_main() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::Begin("##main", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_MenuBar | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollbar |
                   ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar(2);
  draw_menu();
  if (screen_ != Screen::main) {  // locked from the menu
    ImGui::End();
    return;
  }
  if (purge_requested_) {
    ImGui::OpenPopup("##purge");
    purge_requested_ = false;
  }
  if (ImGui::BeginPopupModal("##purge", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::TextUnformatted("Erase every deleted note and its revisions for good?");
    ui::Muted("Nothing of them stays in the database, its free pages, the search index or the journal.");
    if (ui::PrimaryButton("Purge")) {
      const std::uint64_t session = ctx_.session;
      ctx_.write([this, session](core::Vault& v) -> TaskRunner::Continuation {
        auto n = std::make_shared<Result<std::int64_t>>(core::purge_deleted_notes(v));
        return [this, session, n] {
          if (session != ctx_.session) return;
          if (n->ok()) ctx_.toast("Purged " + std::to_string(n->value()) + " deleted notes.");
          else ctx_.toast(describe(n->error()), true);
          if (ctx_.meeting) ctx_.post(Event::Kind::notes_reloaded, *ctx_.meeting);
        };
      });
      ctx_.toast("Purging deleted notes…");
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || keys::named(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }

  const float status_h = ImGui::GetFrameHeight();
  const float h = ImGui::GetContentRegionAvail().y - status_h - ImGui::GetStyle().ItemSpacing.y;
  const float total_w = ImGui::GetContentRegionAvail().x;
  const float em = ImGui::GetFontSize();
  const float left_w = std::clamp(em * 16.0f, 160.0f, total_w * 0.25f);
  const float right_w = std::clamp(em * 15.0f, 150.0f, total_w * 0.25f);
  const float gap = ImGui::GetStyle().ItemSpacing.x;

  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette::panel);
  ImGui::BeginChild("##left", ImVec2(left_w, h), false);
  meetings_->Draw(ctx_);
  ImGui::EndChild();
  ImGui::PopStyleColor();

  ImGui::SameLine();
  ImGui::BeginChild("##center", ImVec2(total_w - left_w - right_w - gap * 2, h), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  meetings_->DrawHeader(ctx_);
  if (ctx_.meeting) {
    if (ImGui::BeginTabBar("##panels")) {
      const bool requested = ctx_.take_panel_request();
      auto tab = [&](const char* label, Panel p) {
        const ImGuiTabItemFlags f = requested && ctx_.panel == p ? ImGuiTabItemFlags_SetSelected : 0;
        const bool open = ImGui::BeginTabItem(label, nullptr, f);
        if (open && !requested) ctx_.panel = p;
        return open;
      };
      if (tab("Notes", Panel::notes)) {
        const float composer_h = composer_->height(ctx_);
        log_->Draw(ctx_, ImGui::GetContentRegionAvail().y - composer_h);
        composer_->Draw(ctx_);
        ImGui::EndTabItem();
      }
      if (tab("Participants", Panel::participants)) {
        participants_->Draw(ctx_);
        ImGui::EndTabItem();
      }
      if (tab("Summary", Panel::summary)) {
        summary_->Draw(ctx_);
        ImGui::EndTabItem();
      }
      if (tab("Responses", Panel::responses)) {
        responses_->Draw(ctx_);
        ImGui::EndTabItem();
      }
      if (tab("Series", Panel::series)) {
        series_->Draw(ctx_);
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
  } else {
    log_->Draw(ctx_, ImGui::GetContentRegionAvail().y);
  }
  ImGui::EndChild();

  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette::panel);
  ImGui::BeginChild("##right", ImVec2(right_w, h), false);
  speakers_->Draw(ctx_);
  ImGui::EndChild();
  ImGui::PopStyleColor();

  draw_status_bar();
  ImGui::End();
}

void App::draw_status_bar() {
  const double left = last_activity_ + settings_.auto_lock_minutes * 60.0 - now_;
  const int secs = static_cast<int>(std::max(0.0, left));
  ImGui::TextColored(palette::ok, "●");
  ImGui::SameLine();
  ImGui::TextDisabled("Unlocked · locks in %d:%02d without activity · Ctrl+L locks now", secs / 60, secs % 60);
  if (settings_.privacy_veil) {
    ImGui::SameLine();
    ImGui::TextColored(palette::accent, "· privacy veil on");
  }
  sync_->DrawIndicator(ctx_);
  if (clipboard_.armed()) {
    ImGui::SameLine();
    ImGui::TextDisabled("· clipboard clears in %ds", static_cast<int>(std::max(0.0, *clipboard_.deadline() - now_)));
  }
  const auto& t = ctx_.current_toast();
  if (!t.message.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("·");
    ImGui::SameLine();
    ImGui::TextColored(t.error ? palette::danger : palette::text, "%s", t.message.c_str());
  }
  if (tasks_->working()) {
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::GetFontSize() * 6);
    ui::Spinner(ImGui::GetFontSize() * 0.45f, palette::accent);
    ImGui::SameLine();
    ui::Muted("Working…");
  }
}

void App::draw_windows() {
  new_meeting_->Draw(ctx_);
  meeting_settings_->Draw(ctx_);
  import_meeting_->Draw(ctx_);
  history_->Draw(ctx_);
  archive_->Draw(ctx_);
  packages_->Draw(ctx_);
  inbox_->Draw(ctx_);
  review_->Draw(ctx_);
  search_->Draw(ctx_);
  audit_->Draw(ctx_);
  identity_->Draw(ctx_);
  settings_view_->Draw(ctx_);
  passphrase_->Draw(ctx_);
  keys_->Draw(ctx_);
  trust_->Draw(ctx_);
  age_tool_->Draw(ctx_);
  paper_->Draw(ctx_);
  help_->Draw(ctx_);
  team_->Draw(ctx_);
  conflicts_->Draw(ctx_);
}

}  // namespace bc::gui
