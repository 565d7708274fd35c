// Fonts from the system's Debian packages: Noto Sans with Noto Sans Arabic merged in (Latin,
// Arabic, Arabic Presentation Forms A and B), DejaVu Sans to fill the gaps, DejaVu Sans Mono for
// fingerprints and codes. Nothing is bundled: when none is found the UI says which package to
// install.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

struct ImFont;
struct ImFontAtlas;

namespace bc::gui {

/// The fonts the views use. Any pointer may fall back to `regular`.
struct Fonts {
  ImFont* regular = nullptr;  ///< interface and note text
  ImFont* bold = nullptr;
  ImFont* heading = nullptr;  ///< larger, for titles
  ImFont* mono = nullptr;     ///< fingerprints, recovery codes, file paths
  float size = 16.0f;         ///< pixel size of `regular`
  /// Shown on the start screen when something is missing (e.g. no font with Arabic letters).
  std::string warning;
  /// True when no font file was found at all and ImGui's built-in font is used.
  bool fallback_only = false;
};

/// Folders searched, in order: $BACKCHANNEL_FONT_DIR, <prefix>/share/backchannel/fonts,
/// /usr/share/fonts/truetype/noto, /usr/share/fonts/truetype/dejavu.
std::vector<std::filesystem::path> font_search_path();

/// Clears `atlas` and loads the fonts at `pixel_size` (already multiplied by the content scale).
/// Does not build the atlas texture; the caller does (the OpenGL backend, or the headless tests).
Fonts load_fonts(ImFontAtlas& atlas, float pixel_size);

}  // namespace bc::gui
