// The vault's identity: its age recipient (for others to encrypt to it), its signing key, and the
// fingerprint people compare in person, also as a QR code.
#pragma once

#include <optional>
#include <string>

#include "backchannel/core/identity.h"
#include "backchannel/gui/qr_code.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class IdentityView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;
  const std::string& recipient() const { return recipient_; }

 private:
  std::string recipient_, signing_key_, fingerprint_;
  QrCode qr_;
  int qr_of_ = 0;  ///< 0: recipient, 1: fingerprint
  std::string error_;
};

}  // namespace bc::gui
