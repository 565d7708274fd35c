// A new meeting, in an existing series or a new one: title, start time (now by default),
// location and whether it may be named, the rule.
#pragma once

#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class NewMeetingDialog : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;


 private:
  /// Hands the meeting (and a new series) to the writer; once stored, the dialog closes on it.
  void create(UiContext& ctx);
  void reset(UiContext& ctx);
  std::vector<core::Series> series_;
  int series_index_ = -1;  ///< -1: a new series
  std::string new_series_;
  int series_rule_ = 0;
  std::string title_;
  std::string starts_at_;
  std::string location_;
  bool location_named_[2] = {false, false};
  int rule_ = 0;  ///< 0: the series' rule, 1.. a Rule + 1
  std::string error_;
  bool was_open_ = false;
  bool saving_ = false;
  bool focus_ = false;
};

}  // namespace bc::gui
