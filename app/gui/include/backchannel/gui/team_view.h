// The team panel (Ctrl+Shift+T) of the selected meeting's series: its members and devices with their
// fingerprints as text and as a QR code, this vault's own identity to hand to the convenor, and
// the team's actions: share the series, add a member from their identity file (refused unless the
// fingerprint read out in person matches the keys), accept the convenor by fingerprint, remove a
// member, confirm a lowering another member made. Everything goes through the core, on the
// writer's queue.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/sync.h"
#include "backchannel/core/team.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/qr_code.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class TeamView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  /// What the panel shows, read on the writer's connection.
  struct Loaded {
    std::int64_t series_id = 0;
    std::string series_title;
    std::string fingerprint, recipient, signing_key;  ///< this vault's identity
    std::optional<core::TeamInfo> team;                ///< none: the series is not shared
    std::vector<core::DeviceStatus> devices;           ///< known once a sync folder is set
    std::string digest;
    std::vector<core::PendingConfirmation> pending;
    std::string error;
  };
  const Loaded* loaded() const { return loaded_.get(); }
  /// The fingerprint the QR code shows.
  const std::string& qr_fingerprint() const { return qr_of_; }
  const std::string& error() const { return error_; }

 private:
  void load(UiContext& ctx, std::int64_t series_id, std::string series_title);
  /// Runs a team action on the writer and reloads; `done` is the toast on success.
  void act(UiContext& ctx, std::function<bc::Status(core::Vault&)> action, std::string done);
  void draw_members(UiContext& ctx);
  void draw_actions(UiContext& ctx);
  void draw_identity(UiContext& ctx);
  void show_qr(const std::string& fingerprint);

  std::shared_ptr<Loaded> loaded_;
  bool stale_ = false;  ///< an action changed the team: read it again
  std::uint64_t loaded_rounds_ = 0;
  std::int64_t loaded_series_ = 0;
  bool loading_ = false;
  std::string error_;
  QrCode qr_;
  std::string qr_of_;
  std::string identity_file_, add_fingerprint_, accept_fingerprint_;
  FilePicker picker_;       ///< the member's identity file
  FilePicker save_picker_;  ///< where to save this vault's identity
  std::string remove_candidate_;
};

}  // namespace bc::gui
