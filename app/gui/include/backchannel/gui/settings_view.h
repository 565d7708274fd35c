// Settings: auto-lock minutes, the privacy veil, remembering recent vault folders (opt-in), the
// interface scale.
#pragma once

#include <functional>

#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class SettingsView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override {}
  bool DebugContains(std::string_view) const override { return false; }
  void set_rescale(std::function<void()> f) { rescale_ = std::move(f); }

 private:
  std::function<void()> rescale_;
};

}  // namespace bc::gui
