// Changing the vault passphrase: the current one is asked again (an unattended unlocked screen is
// not enough), the new one twice with the strength meter. Only vault.keys is rewritten, atomically;
// the recovery code stays valid.
#pragma once

#include <string>

#include "backchannel/gui/password_strength.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class PassphraseView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override { return holds(error_, needle); }

 private:
  void start(UiContext& ctx);
  SecretField current_, next_, again_;
  PassphraseStrength strength_;
  bool running_ = false;
  std::string error_;
};

}  // namespace bc::gui
