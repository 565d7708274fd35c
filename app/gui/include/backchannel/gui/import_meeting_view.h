// Import one meeting from a backchannel.meeting/1 file (docs/meeting-import-v1.md): validated
// whole first, then imported in one transaction, on a worker.
#pragma once

#include <string>

#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class ImportMeetingView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;
  std::string& path() { return path_; }
  void start(UiContext& ctx);

 private:
  std::string path_;
  FilePicker picker_;
  bool running_ = false;
  std::string error_;
};

}  // namespace bc::gui
