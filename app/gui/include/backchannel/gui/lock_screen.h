// Shown after a lock (Ctrl+L, idle time, or the menu): the vault is closed and every view is
// empty. Unlocking again needs the passphrase; nothing about the vault's contents is shown.
#pragma once

#include <string>

#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class LockScreen : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  /// Why it locked ("after 5 minutes without activity"), shown under the title.
  void set_reason(std::string reason) { reason_ = std::move(reason); }
  bool working() const { return working_; }
  bool animating(double now) const { return working_ || now - shake_started_ < 0.45; }
  SecretField& passphrase() { return pass_; }
  void submit(UiContext& ctx);
  /// The user chose "Open another vault".
  bool wants_start_screen() {
    const bool w = switch_;
    switch_ = false;
    return w;
  }

 private:
  SecretField pass_;
  std::string reason_;
  std::string error_;
  bool working_ = false;
  bool switch_ = false;
  double shake_started_ = -10;
};

}  // namespace bc::gui
