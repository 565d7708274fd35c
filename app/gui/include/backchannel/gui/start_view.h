// The first screen: open a vault, create one (passphrase twice with a strength meter, the
// recovery code shown once), or reset the passphrase with the recovery code. Argon2id runs on a
// worker with a spinner; a wrong passphrase shakes the field and says so, nothing else.
#pragma once

#include <memory>
#include <string>

#include "backchannel/core/vault.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/password_strength.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class StartView : public View {
 public:
  enum class Mode { open, create, recover };

  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  /// Preselects a vault folder (from --vault or the lock screen).
  void set_folder(const std::string& dir);
  /// Busy with Argon2id.
  bool working() const { return working_; }
  /// Animating (spinner or shake): the event loop keeps drawing.
  bool animating(double now) const { return working_ || now - shake_started_ < kShakeSeconds; }
  const std::string& error() const { return error_; }

  // The fields, for the headless tests.
  SecretField& passphrase() { return pass_; }
  std::string& folder() { return folder_; }
  /// Whether "Remember this folder" is ticked (it follows the Settings option until clicked).
  bool remember() const { return remember_; }
  /// Starts unlocking / creating / recovering as the buttons do.
  void submit(UiContext& ctx);

 private:
  /// Confirms the recovery code step ("I have written it down").
  void confirm_recovery_code(UiContext& ctx);
  static constexpr double kShakeSeconds = 0.45;
  void draw_open(UiContext& ctx);
  void draw_create(UiContext& ctx);
  void draw_recover(UiContext& ctx);
  void draw_recovery_code(UiContext& ctx);
  void draw_strength(const SecretField& field);
  void start_unlock(UiContext& ctx);
  void start_create(UiContext& ctx);
  void start_recover(UiContext& ctx);
  float shake_offset(double now) const;

  Mode mode_ = Mode::open;
  std::string folder_;
  SecretField pass_, pass_again_, code_{256};
  FilePicker picker_;
  bool remember_ = false;
  bool remember_clicked_ = false;
  bool fill_demo_ = false;
  bool reveal_code_ = false;
  core::KdfProfile profile_ = core::KdfProfile::moderate;
  bool working_ = false;
  std::string error_;
  double shake_started_ = -10;
  // After creation: the vault, held until the user confirms the recovery code was written down.
  struct Created {
    std::shared_ptr<core::Vault> vault;
    crypto::SecureBuffer code;
    std::string dir;
  };
  std::unique_ptr<Created> created_;
  bool written_down_ = false;
  // Last strength estimate (recomputed when the text changes).
  PassphraseStrength strength_;
};

}  // namespace bc::gui
