#include "backchannel/gui/file_picker.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "backchannel/gui/keys.h"
#include "backchannel/message_text.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace fs = std::filesystem;

void FilePicker::open(Mode mode, std::string title, const fs::path& start) {
  mode_ = mode;
  replace_ = false;
  confirm_.clear();
  title_ = std::move(title);
  std::error_code ec;
  fs::path dir = start;
  name_.clear();
  if (!dir.empty() && !fs::is_directory(dir, ec)) {
    if (mode == Mode::save_file || mode == Mode::folder) name_ = dir.filename().string();
    dir = dir.parent_path();
  }
  if (dir.empty() || !fs::is_directory(dir, ec)) {
    const char* home = std::getenv("HOME");
    dir = home != nullptr ? fs::path(home) : fs::current_path(ec);
  }
  list(dir);
  open_ = true;
}

void FilePicker::list(const fs::path& dir) {
  std::error_code ec;
  entries_.clear();
  error_.clear();
  selected_ = -1;
  dir_ = fs::weakly_canonical(dir, ec);
  if (ec) dir_ = dir;
  path_text_ = dir_.string();
  for (fs::directory_iterator it(dir_, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!show_hidden_ && !name.empty() && name[0] == '.') continue;
    std::error_code e2;
    const bool folder = it->is_directory(e2);
    if (mode_ == Mode::folder && !folder) continue;
    entries_.push_back({name, folder});
  }
  if (ec) error_ = "This folder cannot be read: " + ec.message();
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return a.folder != b.folder ? a.folder : a.name < b.name;
  });
}

bool FilePicker::Draw() {
  if (open_) {
    ImGui::OpenPopup("##file-picker");
    open_ = false;
    visible_ = true;
  }
  if (!visible_) return false;
  bool chosen = false;
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 40, ImGui::GetFontSize() * 30));
  if (ImGui::BeginPopupModal("##file-picker", nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::TextUnformatted(title_.c_str());
    ImGui::Separator();
    if (ImGui::Button("Up") && dir_.has_parent_path()) list(dir_.parent_path());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##dir", &path_text_, ImGuiInputTextFlags_EnterReturnsTrue)) list(path_text_);
    const float footer = ImGui::GetFrameHeightWithSpacing() * (mode_ == Mode::open_file ? 1.6f : 2.6f);
    ImGui::BeginChild("##entries", ImVec2(0, -footer), true);
    for (int i = 0; i < static_cast<int>(entries_.size()); ++i) {
      const Entry& e = entries_[static_cast<std::size_t>(i)];
      std::string label = (e.folder ? "▸ " : "   ") + e.name;
      if (ImGui::Selectable(label.c_str(), selected_ == i, ImGuiSelectableFlags_AllowDoubleClick | ImGuiSelectableFlags_DontClosePopups)) {
        selected_ = i;
        if (!e.folder && mode_ != Mode::folder) name_ = e.name;
        if (ImGui::IsMouseDoubleClicked(0)) {
          if (e.folder) {
            list(dir_ / e.name);
            break;
          }
          chosen_ = dir_ / e.name;
          chosen = true;
        }
      }
    }
    if (entries_.empty()) ui::Muted(error_.empty() ? "(empty)" : error_.c_str());
    ImGui::EndChild();
    if (ImGui::Checkbox("Show hidden", &show_hidden_)) list(dir_);
    if (mode_ != Mode::open_file) {
      ImGui::SetNextItemWidth(-1);
      ImGui::InputTextWithHint("##name", mode_ == Mode::folder ? "new folder name (optional)" : "file name", &name_);
    }
    const bool have_name = !name_.empty() || mode_ == Mode::folder;
    if (ui::PrimaryButton(mode_ == Mode::open_file ? "Open" : "Choose", have_name)) {
      if (mode_ == Mode::folder && name_.empty() && selected_ >= 0)
        chosen_ = dir_ / entries_[static_cast<std::size_t>(selected_)].name;
      else
        chosen_ = name_.empty() ? dir_ : dir_ / name_;
      chosen = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || keys::named(ImGuiKey_Escape)) {
      ImGui::CloseCurrentPopup();
      visible_ = false;
    }
    // Saving over an existing file needs a second, explicit yes; the file is then replaced
    // atomically by the writer, never truncated here.
    std::error_code ec;
    if (chosen && mode_ == Mode::save_file && fs::exists(chosen_, ec)) {
      confirm_ = chosen_;
      chosen = false;
    }
    if (!confirm_.empty()) {
      ImGui::Separator();
      ui::ErrorText("“" + escape_for_message(confirm_.filename().string()) + "” already exists. Replace it?");
      if (ImGui::Button("Replace")) {
        chosen_ = confirm_;
        replace_ = true;
        chosen = true;
        confirm_.clear();
      }
      ImGui::SameLine();
      if (ImGui::Button("Keep it")) confirm_.clear();
    }
    if (chosen) {
      ImGui::CloseCurrentPopup();
      visible_ = false;
    }
    ImGui::EndPopup();
  } else {
    visible_ = false;
  }
  return chosen;
}

void FilePicker::clear() {
  entries_.clear();
  wipe_string(name_);
  wipe_string(path_text_);
  dir_.clear();
  chosen_.clear();
  confirm_.clear();
  replace_ = false;
  open_ = visible_ = false;
}

bool PathField(const char* id, std::string& path, FilePicker& picker, FilePicker::Mode mode, const char* title,
               const char* hint) {
  ImGui::PushID(id);
  const float button = ImGui::CalcTextSize("Browse…").x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SetNextItemWidth(-(button + ImGui::GetStyle().ItemSpacing.x));
  bool changed = ImGui::InputTextWithHint("##path", hint ? hint : "", &path);
  ImGui::SameLine();
  if (ImGui::Button("Browse…")) picker.open(mode, title, path);
  if (picker.Draw()) {
    path = picker.chosen().string();
    changed = true;
  }
  ImGui::PopID();
  return changed;
}

}  // namespace bc::gui
