// A list of rows of different heights of which only the visible ones are drawn, like
// ImGuiListClipper but for variable heights (wrapped notes): the heights are measured once (when
// the rows or the width change), kept as prefix sums, and the visible range is found by binary
// search, so a frame costs the same with ten notes or ten thousand.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace bc::gui {

class VirtualList {
 public:
  /// Replaces every row height.
  void set_heights(const std::vector<float>& heights) {
    offsets_.assign(heights.size() + 1, 0.0f);
    for (std::size_t i = 0; i < heights.size(); ++i) offsets_[i + 1] = offsets_[i] + heights[i];
  }
  void clear() { offsets_.assign(1, 0.0f); }
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  float total() const { return offsets_.empty() ? 0.0f : offsets_.back(); }
  float offset(std::size_t i) const { return offsets_[i]; }
  float height(std::size_t i) const { return offsets_[i + 1] - offsets_[i]; }

  /// Inside a scrolling window: calls draw(i) for each visible row with the cursor at the row's
  /// top, and reserves the whole list's height. Returns how many rows were drawn.
  template <class DrawRow>
  std::size_t Draw(DrawRow&& draw) {
    const std::size_t n = size();
    const float start = ImGui::GetCursorPosY();
    if (n == 0) return 0;
    const float top = ImGui::GetScrollY() - start;
    const float bottom = top + ImGui::GetWindowHeight();
    auto it = std::upper_bound(offsets_.begin(), offsets_.end(), top);
    std::size_t first = it == offsets_.begin() ? 0 : static_cast<std::size_t>(it - offsets_.begin()) - 1;
    first = std::min(first, n - 1);
    std::size_t drawn = 0;
    for (std::size_t i = first; i < n && offsets_[i] < bottom; ++i) {
      ImGui::SetCursorPosY(start + offsets_[i]);
      draw(i);
      ++drawn;
    }
    ImGui::SetCursorPosY(start + total());
    ImGui::Dummy(ImVec2(0, 0));
    return drawn;
  }

  /// Scrolls the current window so that row `i` is visible (centred).
  void scroll_to(std::size_t i, float start_y) const {
    if (i >= size()) return;
    ImGui::SetScrollY(std::max(0.0f, start_y + offsets_[i] - ImGui::GetWindowHeight() * 0.4f));
  }

 private:
  std::vector<float> offsets_{0.0f};
};

}  // namespace bc::gui
