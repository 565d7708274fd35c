// Open conflicts of the shared series (Ctrl+Shift+C): two members changed the same field, or
// edited the same note, without seeing each other's change. Each shows what stands meanwhile and
// both sides (for a note, both revisions' text) with who wrote them and when; "Keep this" resolves
// it like `conflicts resolve ID --keep VALUE`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backchannel/core/conflicts.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class ConflictsView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;
  const std::vector<core::Conflict>& conflicts() const { return conflicts_; }

 private:
  void reload(UiContext& ctx);
  void keep(UiContext& ctx, const core::Conflict& c, const core::ConflictSide& side);

  std::vector<core::Conflict> conflicts_;
  std::uint64_t loaded_revision_ = 0;
  std::uint64_t loaded_rounds_ = 0;
  bool loaded_ = false;
  std::string error_;
};

}  // namespace bc::gui
