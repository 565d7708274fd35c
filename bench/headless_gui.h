// The desktop client without a window, for the GUI benchmarks: an ImGui context with the
// program's fonts and a bc::gui::App unlocked on a vault, one meeting selected.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "backchannel/gui/app.h"
#include "backchannel/gui/fonts.h"

namespace bc::bench {

class HeadlessGui {
 public:
  static constexpr float kWidth = 1360, kHeight = 860;
  /// Creates the context and the App, unlocks `vault_dir` with `passphrase` through the start
  /// screen and selects `meeting`; dies if the client does not unlock.
  HeadlessGui(const std::string& vault_dir, const std::string& passphrase, std::int64_t meeting);
  ~HeadlessGui();
  HeadlessGui(const HeadlessGui&) = delete;
  HeadlessGui& operator=(const HeadlessGui&) = delete;

  /// One frame: NewFrame + App::Frame + Render, 1/60 s later than the last.
  void frame();
  /// Frames until background work is done and the layout has settled.
  void settle();
  /// Dies when the client is no longer unlocked: a locked screen is not what is being measured.
  void require_unlocked() const;
  /// The mouse over the centre panel, turning the wheel by `lines` in the next frame.
  void wheel(float lines);
  gui::App& app() { return *app_; }

 private:
  gui::Fonts fonts_;
  std::unique_ptr<gui::App> app_;
  double now_ = 1.0;
};

}  // namespace bc::bench
