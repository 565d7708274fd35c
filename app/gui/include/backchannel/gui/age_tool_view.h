// age encrypt / decrypt of any file, without the vault (the CLI's `age` commands): to age
// recipients or a passphrase, and back with an identity file or the passphrase.
#pragma once

#include <memory>
#include <string>

#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class AgeToolView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override { return holds(error_, needle); }

 private:
  void start(UiContext& ctx);
  int mode_ = 0;  ///< 0 encrypt, 1 decrypt
  bool use_passphrase_ = false;
  std::string recipients_;
  std::string identity_file_;
  SecretField pass_;
  bool armor_ = false;
  std::string in_, out_;
  FilePicker in_picker_, out_picker_, id_picker_;
  std::shared_ptr<TaskProgress> progress_;
  bool running_ = false;
  std::string error_, result_;
};

}  // namespace bc::gui
