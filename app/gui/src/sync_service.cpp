#include "backchannel/gui/sync_service.h"

#include <imgui.h>

#include <ctime>

#include "backchannel/core/folder_watch.h"
#include "backchannel/core/sync.h"
#include "backchannel/core/sync_folder.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/gui/theme.h"

namespace bc::gui {

namespace {

std::string time_of_day_now() {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&t, &local);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &local);
  return buf;
}

// A file arriving in the folder wakes the watch at once; while bundles wait (for their
// predecessor, a clock, an accepted signer) it also wakes every few seconds, as `sync --watch`
// does, since waiting bundles may become applicable without anything new arriving.
constexpr int kSliceMs = 100;  // how long lock may wait for the watch to notice it was cancelled
constexpr int kRecheckMs = 5000;

}  // namespace

SyncService::SyncService() = default;
SyncService::~SyncService() = default;

void SyncService::start(UiContext& ctx) {
  stop();
  stopped_ = std::make_shared<std::atomic<bool>>(false);
  rounds_ = 0;
  if (!ctx.vault) return;
  auto f = core::sync_folder(*ctx.vault);
  if (!f) {
    status_.error = describe(f.error());
    return;
  }
  if (!*f) return;
  folder_ = **f;
  auto w = core::FolderWatch::open(*folder_);
  if (!w) {
    status_.error = describe(w.error());
  } else {
    watch_ = std::make_shared<core::FolderWatch>(std::move(*w));
    watch(ctx);
  }
  queue_round(ctx, false);
}

void SyncService::stop() {
  if (stopped_) stopped_->store(true);
  stopped_.reset();
  folder_.reset();
  watch_.reset();  // the watch task holds its own reference until it ends
  status_ = {};
  queued_ = again_ = again_full_ = watching_ = false;
  ++watch_generation_;
}

void SyncService::update(UiContext& ctx) {
  if (!folder_) return;
  for (const Event& e : ctx.events()) {
    using K = Event::Kind;
    switch (e.kind) {
      case K::meetings_changed:
      case K::note_added:
      case K::note_changed:
      case K::notes_reloaded:
      case K::participants_changed:
      case K::responses_changed:
        queue_round(ctx, true);
        return;
      default: break;
    }
  }
}

void SyncService::set_folder(UiContext& ctx, const std::filesystem::path& folder) {
  const std::uint64_t session = ctx.session;
  const bool queued = ctx.write([this, &ctx, session, folder](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<bc::Status>(core::set_sync_folder(v, folder));
    return [this, &ctx, session, st] {
      if (session != ctx.session) return;
      if (!st->ok()) {
        ctx.toast("The sync folder was not set: " + describe(st->error()), true);
        return;
      }
      start(ctx);  // reads the folder back as stored, watches it, syncs
      ctx.toast(folder_ ? "Team sync uses the folder now." : "Team sync is off for this vault.");
      ctx.post(Event::Kind::synced);
    };
  });
  if (!queued) ctx.toast("Unlock the vault first.", true);
}

void SyncService::sync_now(UiContext& ctx) {
  if (!folder_) {
    ctx.toast("Choose a sync folder in Settings first.", true);
    ctx.show(Window::settings);
    return;
  }
  queue_round(ctx, false);
}

void SyncService::watch(UiContext& ctx) {
  if (!watch_ || watching_ || !stopped_) return;
  watching_ = true;
  const bool recheck = status_.pending > 0;
  const std::uint64_t session = ctx.session, generation = watch_generation_;
  ctx.tasks.run_waiter("sync watch", [this, &ctx, w = watch_, stopped = stopped_, recheck, session,
                                      generation](TaskProgress& p) -> TaskRunner::Continuation {
    bool wake = false;
    std::string error;
    for (int waited = 0; !p.cancelled.load() && !stopped->load();) {
      auto r = w->wait(kSliceMs);
      if (!r) {
        error = describe(r.error());
        break;
      }
      waited += kSliceMs;
      if (*r || (recheck && waited >= kRecheckMs)) {
        wake = true;
        break;
      }
    }
    if (!wake && error.empty()) return {};  // stopped: the continuation would have nothing to do
    return [this, &ctx, session, generation, wake, error] {
      if (session != ctx.session || generation != watch_generation_) return;
      watching_ = false;
      if (!error.empty()) {
        status_.error = "The sync folder cannot be watched: " + error;
        return;
      }
      if (wake) queue_round(ctx, false);
    };
  });
}

void SyncService::queue_round(UiContext& ctx, bool only_if_unpublished) {
  if (!folder_ || !stopped_ || stopped_->load()) return;
  if (queued_) {
    again_ = true;
    again_full_ = again_full_ || !only_if_unpublished;
    return;
  }
  queued_ = true;
  const std::uint64_t session = ctx.session;
  struct Outcome {
    bool skipped = false;
    std::optional<Result<core::SyncReport>> report;
  };
  const bool queued = ctx.write([this, &ctx, session, folder = *folder_, stopped = stopped_,
                                 only_if_unpublished](core::Vault& v) -> TaskRunner::Continuation {
    auto out = std::make_shared<Outcome>();
    if (stopped->load()) {
      out->skipped = true;  // the vault is locking: never sync then
    } else if (only_if_unpublished) {
      auto waiting = core::has_unpublished_changes(v);
      out->skipped = waiting.ok() && !*waiting;
    }
    if (!out->skipped) out->report.emplace(core::sync_once(v, folder));
    return [this, &ctx, session, out] {
      if (session != ctx.session) return;
      queued_ = false;
      if (out->report) {
        ++rounds_;
        const Result<core::SyncReport>& r = *out->report;
        status_.ran = true;
        status_.at = time_of_day_now();
        if (!r.ok()) {
          status_.error = describe(r.error());
        } else {
          status_.error.clear();
          status_.published = r->published;
          status_.applied = r->applied;
          status_.pending = r->pending;
          status_.refused = r->refused;
          status_.conflicts = r->conflicts;
          status_.refusals = r->refusals;
          status_.notices = r->notices;
          status_.signers_to_accept = r->signers_to_accept;
          if (r->integrity_failure && !r->refusals.empty())
            ctx.toast("A bundle in the sync folder was refused: " + r->refusals.front(), true);
          if (r->applied > 0) {
            ctx.post(Event::Kind::meetings_changed);
            if (ctx.meeting) {
              ctx.post(Event::Kind::notes_reloaded, *ctx.meeting);
              ctx.post(Event::Kind::participants_changed, *ctx.meeting);
            }
          }
        }
        ctx.post(Event::Kind::synced);
      }
      if (again_) {
        const bool full = again_full_;
        again_ = again_full_ = false;
        queue_round(ctx, !full);
      }
      watch(ctx);
    };
  });
  if (!queued) queued_ = false;
}

void SyncService::DrawIndicator(UiContext& ctx) {
  auto clickable = [](const ImVec4& color, const std::string& text) {
    ImGui::SameLine();
    ImGui::TextColored(color, "%s", text.c_str());
    return ImGui::IsItemHovered() && ImGui::IsMouseClicked(0);
  };
  ImGui::SameLine();
  ImGui::TextDisabled("·");
  if (!folder_) {
    if (clickable(palette::faint, "Sync off: choose a folder in Settings")) ctx.show(Window::settings);
    return;
  }
  std::string head;
  if (!status_.error.empty()) head = "Sync failed";
  else if (queued_ && !status_.ran) head = "Syncing…";
  else if (status_.ran) head = "Synced " + status_.at;
  else head = "Sync waiting";
  const bool open_team = clickable(status_.error.empty() ? palette::muted : palette::danger, head);
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(("Folder: " + folder_->string()).c_str());
    if (!status_.error.empty()) ImGui::TextColored(palette::danger, "%s", status_.error.c_str());
    if (status_.ran)
      ImGui::Text("Last round: published %zu, applied %zu", status_.published, status_.applied);
    for (const auto& n : status_.notices) ImGui::TextUnformatted(n.c_str());
    for (const auto& r : status_.refusals) ImGui::TextColored(palette::danger, "%s", r.c_str());
    ImGui::TextDisabled("Click: team panel (Ctrl+Shift+T). Ctrl+Shift+S syncs now.");
    ImGui::EndTooltip();
  }
  if (open_team) ctx.show(Window::team);
  if (clickable(palette::muted, "· pending " + std::to_string(status_.pending))) ctx.show(Window::team);
  if (clickable(status_.conflicts > 0 ? palette::warn : palette::muted, "· conflicts " + std::to_string(status_.conflicts)))
    ctx.show(Window::conflicts);
  if (status_.refused > 0 && clickable(palette::danger, "· refused " + std::to_string(status_.refused))) ctx.show(Window::team);
}

}  // namespace bc::gui
