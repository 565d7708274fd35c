// Encrypted archives: export meetings to an age file (to age recipients or a passphrase) and
// import one (verified, merged by record uid, all or nothing), with progress bars. Both run on a
// worker over a second vault connection.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "backchannel/core/archive.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class ArchiveView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;


 private:
  void start_export(UiContext& ctx);
  void start_import(UiContext& ctx, const std::optional<std::string>& trust = std::nullopt);
  void draw_export(UiContext& ctx);
  void draw_import(UiContext& ctx);

  // Export
  std::vector<std::pair<std::int64_t, std::string>> meetings_;  ///< id, title
  std::set<std::int64_t> chosen_;
  bool all_ = true;
  bool to_self_ = true;
  bool use_passphrase_ = false;
  std::string recipients_;  ///< age1… lines
  SecretField pass_, pass_again_;
  bool armor_ = false;
  std::string out_path_;
  FilePicker out_picker_;
  // Import
  std::string in_path_;
  FilePicker in_picker_;
  SecretField in_pass_;
  std::string unknown_signer_;  ///< the fingerprint of the last refused, untrusted signer
  // Both
  std::shared_ptr<TaskProgress> progress_;
  bool running_ = false;
  std::string result_;
  std::string error_;
  std::uint64_t loaded_revision_ = 0;
};

}  // namespace bc::gui
