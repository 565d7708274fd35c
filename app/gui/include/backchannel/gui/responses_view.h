// For organizers: who received a summary package for this meeting, who answered, what they
// approved and corrected; importing a participant's response.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/review.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class ResponsesView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

 private:
  void start_import(UiContext& ctx, const std::filesystem::path& path, const std::optional<std::string>& trust = std::nullopt);
  std::int64_t meeting_ = 0;
  std::uint64_t revision_ = 0;
  std::vector<core::ParticipantResponse> responses_;
  FilePicker picker_;
  bool running_ = false;
  std::filesystem::path unpinned_path_;  ///< a participant's first response, refused until confirmed
  std::string unknown_signer_;          ///< its signer's fingerprint
  std::string error_;
};

}  // namespace bc::gui
