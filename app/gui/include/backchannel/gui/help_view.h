// Help: the keyboard shortcuts (F1) and the About box with library versions.
#pragma once

#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class HelpView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override {}
  bool DebugContains(std::string_view) const override { return false; }
};

/// Every shortcut, as shown in the window and docs/user-guide.md: {keys, what}.
struct Shortcut {
  const char* keys;
  const char* what;
};
extern const Shortcut kShortcuts[];
extern const int kShortcutCount;

}  // namespace bc::gui
