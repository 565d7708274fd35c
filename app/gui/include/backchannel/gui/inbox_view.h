// For participants: the summaries organizers sent to this vault, and importing a new package
// (decrypted with this vault's key, the organizer's signature verified).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/review.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class InboxView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;
  std::string& path() { return path_; }
  /// Imports the chosen package; `trust` is the organizer's fingerprint once the user confirmed it.
  void start_import(UiContext& ctx, const std::optional<std::string>& trust = std::nullopt);
  const std::vector<core::InboxEntry>& entries() const { return entries_; }

 private:
  std::uint64_t revision_ = 0;
  std::vector<core::InboxEntry> entries_;
  std::string path_;
  FilePicker picker_;
  std::string unknown_signer_;  ///< the fingerprint of the last refused, untrusted organizer
  bool running_ = false;
  std::string error_;
};

}  // namespace bc::gui
