// The right panel: the meeting's participants, numbered as the composer's shortcuts use them
// (Ctrl+number picks the speaker), with how far each may be identified.
#pragma once

#include <imgui.h>

#include "backchannel/core/domain.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class SpeakersPanel : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

};

/// A short word for a level: "named", "role", "pseudonym", "anonymous", "hidden".
const char* level_label(core::DisclosureLevel l);
/// The level's colour, from open (named) to closed (hidden).
const ImVec4& level_color(core::DisclosureLevel l);

}  // namespace bc::gui
