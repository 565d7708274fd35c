// Summary packages: one copy of the meeting's summary per chosen participant (those with a known
// age recipient), each encrypted to them only and signed by this vault; blocked as a whole if
// the leak scanner objects to any copy.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class PackageView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

 private:
  void start(UiContext& ctx);
  std::int64_t meeting_ = 0;
  std::set<std::string> chosen_;  ///< participant keys
  int audience_ = 0;
  std::string dir_;
  FilePicker picker_;
  bool running_ = false;
  std::vector<std::string> written_;
  std::string error_;
};

}  // namespace bc::gui
