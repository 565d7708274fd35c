// The left panel: dialogue series and their meetings (newest first), with the selected meeting's
// header drawn above the central tabs.
#pragma once

#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class MeetingListView : public View {
 public:
  /// The list, in the left panel.
  void Draw(UiContext& ctx);
  /// The selected meeting's title, date, rule and location, above the central tabs.
  void DrawHeader(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  const std::vector<core::Meeting>& meetings() const { return meetings_; }
  const core::Meeting* selected(const UiContext& ctx) const;

 private:
  void reload(UiContext& ctx);
  std::vector<core::Series> series_;
  std::vector<core::Meeting> meetings_;
  std::uint64_t revision_ = 0;
  std::string error_;
};

/// "Chatham House", "Off the record", "On background".
const char* rule_label(core::Rule r);

}  // namespace bc::gui
