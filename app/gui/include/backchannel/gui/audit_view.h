// The vault's audit log (actions and record ids, never names or text), the check of its hash
// chain, and the full integrity check (SQLite, SQLCipher page MACs, the chain).
#pragma once

#include <string>
#include <vector>

#include "backchannel/core/audit_log.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class AuditView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

 private:
  void start_check(UiContext& ctx, bool full);
  std::uint64_t revision_ = 0;
  std::vector<core::AuditEntry> entries_;
  bool running_ = false;
  std::string verdict_;
  bool verdict_ok_ = false;
};

}  // namespace bc::gui
