// Settings kept between runs, in $XDG_CONFIG_HOME/backchannel/settings.json (mode 0600). They
// hold no meeting title, name or note: only preferences, and vault folder paths when (and only
// when) the user agreed to remember them. There is no imgui.ini.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "backchannel/result.h"

namespace bc::gui {

struct Settings {
  int auto_lock_minutes = 5;     ///< idle time before the vault locks (1-240)
  bool privacy_veil = false;     ///< note text shown as bars until hovered
  bool remember_recent = false;  ///< remember vault folders opened (opt-in)
  std::vector<std::string> recent_vaults;  ///< folder paths, most recent first (only if remember_recent)
  float ui_scale = 1.0f;         ///< on top of the monitor's content scale
  int window_width = 1360, window_height = 860;

  /// Reads `path`; missing or unreadable files give the defaults (values are clamped).
  static Settings load(const std::filesystem::path& path);
  /// Writes `path` atomically, creating its folder (mode 0700).
  Status save(const std::filesystem::path& path) const;
  /// $XDG_CONFIG_HOME/backchannel/settings.json, or ~/.config/backchannel/settings.json.
  static std::filesystem::path default_path();

  /// Moves `dir` to the front of the recent list (when remembering), keeping at most eight.
  void remember_vault(const std::string& dir);
  /// Turns remembering off and forgets every path.
  void forget_vaults();
};

}  // namespace bc::gui
