// Settings: auto-lock minutes, the privacy veil, remembering recent vault folders (opt-in), the
// interface scale, and the open vault's team sync folder (kept in the vault, not the settings file).
#pragma once

#include <functional>
#include <string>

#include "backchannel/gui/file_picker.h"

#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class SettingsView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view) const override { return false; }
  void set_rescale(std::function<void()> f) { rescale_ = std::move(f); }

 private:
  void draw_sync_folder(UiContext& ctx);

  std::function<void()> rescale_;
  std::string sync_folder_;   ///< the field's text
  std::string folder_shown_;  ///< the service's folder when the field was last filled from it
  FilePicker picker_;
};

}  // namespace bc::gui
