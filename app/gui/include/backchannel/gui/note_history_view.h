// Every revision of a note, oldest first (edits keep the earlier text).
#pragma once

#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class NoteHistoryView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

 private:
  std::int64_t note_ = 0;
  std::uint64_t revision_ = 0;
  std::vector<core::NoteRevision> revisions_;
  std::string error_;
};

}  // namespace bc::gui
