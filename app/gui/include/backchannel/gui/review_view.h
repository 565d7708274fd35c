// A participant's review of a received summary: approve or correct each statement, comment on the
// whole, and export the response for the organizer.
#pragma once

#include <map>
#include <string>

#include "backchannel/core/review.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class ReviewView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

 private:
  void load(UiContext& ctx);
  void save(UiContext& ctx);
  void start_export(UiContext& ctx, const std::filesystem::path& path);
  std::int64_t item_id_ = 0;
  std::uint64_t revision_ = 0;
  std::unique_ptr<core::InboxItem> item_;
  std::map<std::size_t, std::string> corrections_;  ///< statement number -> text being written
  std::map<std::size_t, bool> approvals_;
  std::string comment_;
  FilePicker picker_;
  bool running_ = false;
  bool saving_ = false;  ///< the review is with the writer
  std::string error_;
};

}  // namespace bc::gui
