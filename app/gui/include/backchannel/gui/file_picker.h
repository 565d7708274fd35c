// A small file and folder chooser (Dear ImGui has none): a modal with the path, the folder's
// entries (folders first, hidden files hidden) and a name field when saving.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace bc::gui {

class FilePicker {
 public:
  enum class Mode { open_file, save_file, folder };

  /// Opens the chooser on the next Draw(). `start` may be a file or a folder.
  void open(Mode mode, std::string title, const std::filesystem::path& start);
  /// Draws the chooser while it is open; returns true once, when a path was chosen.
  bool Draw();
  /// The chosen path.
  const std::filesystem::path& chosen() const { return chosen_; }
  /// Whether the user confirmed replacing `path`, an existing file chosen in save mode (the
  /// desktop client's `--force`: without it an existing file is refused).
  bool replace_confirmed(const std::filesystem::path& path) const { return replace_ && path == chosen_; }
  /// Forgets the folder listing and paths (on lock).
  void clear();

 private:
  void list(const std::filesystem::path& dir);
  struct Entry {
    std::string name;
    bool folder = false;
  };
  Mode mode_ = Mode::open_file;
  std::string title_;
  std::filesystem::path dir_;
  std::string name_;
  std::string path_text_;
  std::vector<Entry> entries_;
  std::string error_;
  std::filesystem::path chosen_;
  int selected_ = -1;
  bool open_ = false;
  bool visible_ = false;
  bool show_hidden_ = false;
  bool replace_ = false;           ///< chosen_ exists and the user said to replace it
  std::filesystem::path confirm_;  ///< an existing file waiting for "Replace?"
};

/// A text field for a path with a "Browse…" button that opens `picker`; returns true when the
/// path changed.
bool PathField(const char* id, std::string& path, FilePicker& picker, FilePicker::Mode mode, const char* title,
               const char* hint = nullptr);

}  // namespace bc::gui
