// The desktop client's team sync: while the vault is unlocked and a sync folder is set, it watches
// the folder (core::FolderWatch, on a waiter task) and runs a sync round whenever a finished file
// arrives, and publishes after each committed change. Rounds run on the writer's queue, behind the
// writes the user made, so they never race a note being saved. Locking stops it: stop() keeps
// queued rounds from starting, and the App's lock cancels the watch and waits for both.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/gui/ui_context.h"

namespace bc::core {
class FolderWatch;
}

namespace bc::gui {

class SyncService {
 public:
  /// What the last round reported (no names or note text: counts, fingerprints, file names).
  struct Status {
    bool ran = false;
    std::string at;  ///< local time of day the last round ended, "14:05:09"
    std::size_t published = 0, applied = 0, pending = 0, refused = 0, conflicts = 0;
    std::vector<std::string> refusals;           ///< "SERIES/DEVICE/SEQ.age: why"
    std::vector<std::string> notices;
    std::vector<std::string> signers_to_accept;  ///< fingerprints waiting for "Accept"
    std::string error;                           ///< the round could not run at all
  };

  SyncService();
  ~SyncService();
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;

  /// The vault was unlocked: reads its sync folder and, if it has one, starts watching it and
  /// runs a first round.
  void start(UiContext& ctx);
  /// Start of each frame: publishes after committed changes (this frame's data events).
  void update(UiContext& ctx);
  /// Before the vault closes: no queued round starts any more and the watch ends at its next
  /// wake-up (the App then cancels and joins the task runner's work). Forgets the status.
  void stop();

  /// Sets (or with an empty path, unsets) the vault's sync folder, then syncs through it.
  void set_folder(UiContext& ctx, const std::filesystem::path& folder);
  /// Runs a round now (Ctrl+Shift+S; the "Sync now" buttons).
  void sync_now(UiContext& ctx);

  const std::optional<std::filesystem::path>& folder() const { return folder_; }
  const Status& status() const { return status_; }
  /// A round is queued or running.
  bool syncing() const { return queued_; }
  /// Rounds that ended since the vault was unlocked (tests wait for it).
  std::uint64_t rounds() const { return rounds_; }
  /// Whether the folder is being watched (a waiter task is running for it).
  bool watching() const { return watching_; }

  /// The status bar's part: last sync, pending, conflicts, refused; a click on conflicts opens
  /// their window, on the rest the team panel.
  void DrawIndicator(UiContext& ctx);

 private:
  /// Queues a round on the writer; `only_if_unpublished`: skip it when nothing waits to be
  /// published (after a local change).
  void queue_round(UiContext& ctx, bool only_if_unpublished);
  void watch(UiContext& ctx);

  std::optional<std::filesystem::path> folder_;
  std::shared_ptr<core::FolderWatch> watch_;
  /// Set by stop(): queued rounds and the watch see it from their threads.
  std::shared_ptr<std::atomic<bool>> stopped_;
  Status status_;
  bool queued_ = false;  ///< a round is queued or running
  bool again_ = false;   ///< another was asked for meanwhile
  bool again_full_ = false;
  bool watching_ = false;
  std::uint64_t watch_generation_ = 0;  ///< a watch task of an earlier generation is ignored
  std::uint64_t rounds_ = 0;
};

}  // namespace bc::gui
