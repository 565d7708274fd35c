#include "backchannel/gui/settings.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

#include "backchannel/files/atomic_file.h"

namespace bc::gui {

Settings Settings::load(const std::filesystem::path& path) {
  Settings s;
  auto text = files::read_small_file(path, 1 << 20);
  if (!text) return s;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return s;
  auto get_int = [&](const char* k, int lo, int hi, int def) {
    return j.contains(k) && j[k].is_number_integer() ? std::clamp(j[k].get<int>(), lo, hi) : def;
  };
  s.auto_lock_minutes = get_int("auto_lock_minutes", 1, 240, s.auto_lock_minutes);
  s.window_width = get_int("window_width", 640, 10000, s.window_width);
  s.window_height = get_int("window_height", 480, 10000, s.window_height);
  if (j.contains("privacy_veil") && j["privacy_veil"].is_boolean()) s.privacy_veil = j["privacy_veil"].get<bool>();
  if (j.contains("remember_recent") && j["remember_recent"].is_boolean()) s.remember_recent = j["remember_recent"].get<bool>();
  if (j.contains("ui_scale") && j["ui_scale"].is_number()) s.ui_scale = std::clamp(j["ui_scale"].get<float>(), 0.75f, 2.0f);
  if (s.remember_recent && j.contains("recent_vaults") && j["recent_vaults"].is_array())
    for (const auto& v : j["recent_vaults"])
      if (v.is_string() && s.recent_vaults.size() < 8) s.recent_vaults.push_back(v.get<std::string>());
  return s;
}

Status Settings::save(const std::filesystem::path& path) const {
  nlohmann::json j;
  j["auto_lock_minutes"] = auto_lock_minutes;
  j["privacy_veil"] = privacy_veil;
  j["remember_recent"] = remember_recent;
  j["recent_vaults"] = remember_recent ? recent_vaults : std::vector<std::string>{};
  j["ui_scale"] = ui_scale;
  j["window_width"] = window_width;
  j["window_height"] = window_height;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  ::chmod(path.parent_path().c_str(), 0700);
  return files::write_file_atomically(path, j.dump(2) + "\n");
}

std::filesystem::path Settings::default_path() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x != nullptr && *x == '/')
    return std::filesystem::path(x) / "backchannel" / "settings.json";
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0')
    return std::filesystem::path(h) / ".config" / "backchannel" / "settings.json";
  return {};
}

void Settings::remember_vault(const std::string& dir) {
  if (!remember_recent) return;
  recent_vaults.erase(std::remove(recent_vaults.begin(), recent_vaults.end(), dir), recent_vaults.end());
  recent_vaults.insert(recent_vaults.begin(), dir);
  if (recent_vaults.size() > 8) recent_vaults.resize(8);
}

void Settings::forget_vaults() {
  remember_recent = false;
  recent_vaults.clear();
}

}  // namespace bc::gui
