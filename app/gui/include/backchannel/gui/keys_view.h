// The vault's keys: a new recovery code (shown once), a higher Argon2id cost for the passphrase
// slot, and a rekey (new master key, database re-encrypted, new recovery code shown once, the
// passphrase kept or replaced). Each asks for the current passphrase again. A rekey needs the
// vault to itself: the app locks (every task ended, every connection closed), re-keys, and opens
// the vault again under its new keys.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backchannel/core/vault.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/gui/password_strength.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class KeysView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  /// The recovery code on screen, if one is being shown (tests).
  bool showing_code() const { return !code_.empty(); }

 private:
  void draw_code(UiContext& ctx);
  void start_new_code(UiContext& ctx);
  void start_raise_cost(UiContext& ctx);
  void start_rekey(UiContext& ctx);
  SecretField current_, next_, again_;
  PassphraseStrength strength_;
  int profile_ = 1;  ///< 1 moderate, 2 sensitive (KdfProfile)
  bool running_ = false;
  bool written_down_ = false;
  crypto::SecureBuffer code_;  ///< a new recovery code, until the user confirms it was written down
  std::string code_reason_;    ///< what made it ("re-keyed", "new recovery code")
  std::string error_;
  std::optional<core::KdfCost> raised_;  ///< the cost after a raise made by this window
};

}  // namespace bc::gui
