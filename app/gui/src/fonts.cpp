#include "backchannel/gui/fonts.h"

#include <imgui.h>
#include <imgui_freetype.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cstdlib>
#include <system_error>

namespace bc::gui {

namespace {

// Latin with its extensions and combining marks, punctuation, currency, arrows, box drawing,
// geometric shapes, dingbats (check marks), the replacement character.
const ImWchar kLatinRanges[] = {0x0020, 0x024F, 0x0300, 0x036F, 0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F,
                                0x2190, 0x21FF, 0x2200, 0x22FF, 0x2300, 0x23FF, 0x2500, 0x25FF, 0x2600, 0x26FF,
                                0x2700, 0x27BF, 0xFFFD, 0xFFFD, 0};
// Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms-A and -B (what FriBidi's
// shaping produces).
const ImWchar kArabicRanges[] = {0x0600, 0x06FF, 0x0750, 0x077F, 0x08A0, 0x08FF, 0xFB50, 0xFDFF, 0xFE70, 0xFEFF, 0};
// Everything, for the fallback font merged last (it only fills glyphs still missing).
const ImWchar kAllRanges[] = {0x0020, 0x024F, 0x0300, 0x036F, 0x0600, 0x06FF, 0x0750, 0x077F, 0x2000, 0x27BF,
                              0xFB50, 0xFDFF, 0xFE70, 0xFEFF, 0xFFFD, 0xFFFD, 0};

std::filesystem::path find(const std::string& name) {
  for (const auto& dir : font_search_path()) {
    std::error_code ec;
    const auto p = dir / name;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  return {};
}

// Adds `file` (if found) to the font being built; returns the font when it was the first.
ImFont* add(ImFontAtlas& atlas, const std::filesystem::path& file, float size, const ImWchar* ranges, bool merge) {
  if (file.empty()) return nullptr;
  ImFontConfig cfg;
  cfg.MergeMode = merge;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  return atlas.AddFontFromFileTTF(file.c_str(), size, &cfg, ranges);
}

// The height of a font's line box (ascender - descender) in ems. ImGui's FreeType builder sizes
// a font so that this box is the requested pixel size; Noto Sans Arabic's box is much taller
// than Noto Sans's (room for stacked marks), so at the same size its letters came out at about
// two thirds of the Latin ones. Merged fonts are scaled by the ratio, so both scripts share one
// em; baselines already line up (merged glyphs hang from the first font's ascent).
float line_box_ems(const std::filesystem::path& file) {
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) return 0;
  float ems = 0;
  FT_Face face = nullptr;
  if (FT_New_Face(lib, file.c_str(), 0, &face) == 0) {
    if (face->units_per_EM > 0)
      ems = static_cast<float>(face->ascender - face->descender) / static_cast<float>(face->units_per_EM);
    FT_Done_Face(face);
  }
  FT_Done_FreeType(lib);
  return ems;
}

// Size for `merged` so that its em matches `base`'s at `size` (1x when either is unknown).
float matched_size(const std::filesystem::path& base, const std::filesystem::path& merged, float size) {
  if (base.empty() || merged.empty()) return size;
  const float b = line_box_ems(base), m = line_box_ems(merged);
  if (b <= 0 || m <= 0) return size;
  return size * std::clamp(m / b, 0.5f, 2.5f);
}

struct Family {
  std::filesystem::path latin, arabic, fallback;
};

ImFont* build(ImFontAtlas& atlas, const Family& f, float size) {
  ImFont* font = nullptr;
  if (!f.latin.empty()) font = add(atlas, f.latin, size, kLatinRanges, false);
  if (!f.arabic.empty()) {
    ImFont* a = add(atlas, f.arabic, font != nullptr ? matched_size(f.latin, f.arabic, size) : size, kArabicRanges,
                    font != nullptr);
    if (font == nullptr) font = a;
  }
  if (!f.fallback.empty()) {
    ImFont* d = add(atlas, f.fallback, font != nullptr ? matched_size(f.latin, f.fallback, size) : size, kAllRanges,
                    font != nullptr);
    if (font == nullptr) font = d;
  }
  return font;
}

}  // namespace

std::vector<std::filesystem::path> font_search_path() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("BACKCHANNEL_FONT_DIR"); env != nullptr && *env != '\0') dirs.emplace_back(env);
#ifdef BACKCHANNEL_DATA_DIR
  dirs.emplace_back(std::filesystem::path(BACKCHANNEL_DATA_DIR) / "fonts");
#endif
  dirs.emplace_back("/usr/share/fonts/truetype/noto");
  dirs.emplace_back("/usr/share/fonts/truetype/dejavu");
  return dirs;
}

Fonts load_fonts(ImFontAtlas& atlas, float pixel_size) {
  atlas.Clear();
  // FreeType with light hinting: crisper than stb_truetype at interface sizes, and it renders
  // the Arabic presentation forms well.
  atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;

  Fonts fonts;
  fonts.size = pixel_size;
  const Family regular{find("NotoSans-Regular.ttf"), find("NotoSansArabic-Regular.ttf"), find("DejaVuSans.ttf")};
  const Family bold{find("NotoSans-Bold.ttf"), find("NotoSansArabic-Bold.ttf"), find("DejaVuSans-Bold.ttf")};
  const Family mono{find("DejaVuSansMono.ttf"), {}, {}};

  fonts.regular = build(atlas, regular, pixel_size);
  if (fonts.regular == nullptr) {
    ImFontConfig cfg;
    cfg.SizePixels = pixel_size;
    fonts.regular = atlas.AddFontDefault(&cfg);
    fonts.fallback_only = true;
    fonts.warning =
        "No font found: install fonts-noto-core (or fonts-dejavu-core), e.g. `sudo apt install fonts-noto-core`, "
        "then restart Backchannel. Until then Persian and Arabic text cannot be shown.";
  } else if (regular.arabic.empty() && regular.fallback.empty()) {
    fonts.warning = "No font with Arabic letters was found: install fonts-noto-core to see Persian and Arabic text.";
  } else if (regular.latin.empty() || regular.arabic.empty()) {
    fonts.warning = "Noto Sans was not found; using DejaVu Sans. Install fonts-noto-core for the intended look.";
  }
  fonts.bold = build(atlas, bold, pixel_size);
  fonts.heading = build(atlas, bold, pixel_size * 1.35f);
  fonts.mono = build(atlas, mono, pixel_size);
  if (fonts.bold == nullptr) fonts.bold = fonts.regular;
  if (fonts.heading == nullptr) fonts.heading = fonts.bold;
  if (fonts.mono == nullptr) fonts.mono = fonts.regular;
  return fonts;
}

}  // namespace bc::gui
