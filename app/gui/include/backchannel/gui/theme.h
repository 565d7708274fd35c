// The look: a calm, low-contrast dark palette (less glare and less readable from across a meeting
// room), generous spacing, sizes scaled with the monitor's content scale.
#pragma once

#include <imgui.h>

namespace bc::gui {

/// Colours the views use beyond ImGui's own style.
namespace palette {
inline const ImVec4 text{0.86f, 0.87f, 0.89f, 1.0f};
inline const ImVec4 muted{0.58f, 0.61f, 0.66f, 1.0f};
inline const ImVec4 faint{0.40f, 0.43f, 0.48f, 1.0f};
inline const ImVec4 accent{0.45f, 0.71f, 0.68f, 1.0f};    ///< soft teal
inline const ImVec4 accent_dim{0.25f, 0.42f, 0.41f, 1.0f};
inline const ImVec4 ok{0.52f, 0.75f, 0.52f, 1.0f};
inline const ImVec4 warn{0.87f, 0.67f, 0.33f, 1.0f};
inline const ImVec4 danger{0.87f, 0.45f, 0.45f, 1.0f};
inline const ImVec4 highlight{0.87f, 0.67f, 0.33f, 0.28f};  ///< replaced spans in summaries
inline const ImVec4 veil{0.30f, 0.33f, 0.38f, 1.0f};       ///< privacy bars over note text
inline const ImVec4 panel{0.13f, 0.145f, 0.165f, 1.0f};
inline const ImVec4 background{0.105f, 0.115f, 0.13f, 1.0f};
}  // namespace palette

/// Applies the style, scaled by `scale` (the monitor's content scale).
void apply_theme(ImGuiStyle& style, float scale);

}  // namespace bc::gui
