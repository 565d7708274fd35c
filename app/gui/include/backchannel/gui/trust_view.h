// The keys whose files this vault accepts besides its own (`trust list` in the CLI): each with
// its fingerprint, what it is trusted for (archives, summary packages, a participant's
// responses, team bundles) and when it was added, and a Remove button that asks first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/identity.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class TrustView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

 private:
  void reload(UiContext& ctx);
  void remove(UiContext& ctx, const std::string& key);
  bool loaded_ = false;
  std::vector<core::TrustedKey> keys_;
  std::optional<std::size_t> confirm_;  ///< the row whose removal is being confirmed
  std::string error_;
};

}  // namespace bc::gui
