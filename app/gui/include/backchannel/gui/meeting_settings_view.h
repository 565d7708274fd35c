// A meeting's location and who may see it, its rule, and the public terms that are never
// redacted (the CLI's `meeting set`).
#pragma once

#include <string>

#include "backchannel/core/domain.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class MeetingSettingsView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

 private:
  void load(UiContext& ctx);
  /// Hands the fields to the writer; the window closes once they are stored.
  void save(UiContext& ctx);
  std::int64_t meeting_ = 0;
  std::string location_;
  bool location_named_[2] = {false, false};
  int rule_ = 0;
  std::string public_terms_;  ///< one per line
  std::string error_;
  bool was_open_ = false;
  bool saving_ = false;
};

}  // namespace bc::gui
