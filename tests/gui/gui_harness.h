// Headless driver for the desktop client's views: a Dear ImGui 1.86 context with no window and no
// renderer, a real bc::gui::App over a real vault, and input fed the way the GLFW backend feeds
// it (io.MousePos / io.MouseDown / io.KeysDown through io.KeyMap / io.AddInputCharactersUTF8).
//
// What the views drew is read back from ImGui's draw lists: every glyph quad is matched to the
// font atlas by its texture coordinates, which gives the text on screen with its position, so a
// test clicks "Add a participant" where it is drawn and checks what a user would see.
#pragma once

#include <imgui.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backchannel/gui/app.h"
#include "backchannel/gui/fonts.h"
#include "backchannel/gui/input_queue.h"

namespace bc::test {

/// A run of text drawn on one line: consecutive glyphs of one draw list on the same baseline.
struct TextRun {
  std::string text;      ///< UTF-8, spaces reconstructed from the gaps between glyphs
  ImVec2 min, max;       ///< the glyphs' bounding box, in screen pixels
  ImVec4 clip;           ///< the clip rectangle of the draw command (x1, y1, x2, y2)
  int layer = 0;         ///< index of the draw list (later ones are drawn on top: popups last)
  std::string window;    ///< the ImGui window whose draw list it is in ("Search", "Search/##hits_1A2B3C4D")
  std::vector<ImVec2> char_min, char_max;  ///< each character's box (spaces: an empty box at the gap)
  bool fully_visible() const { return min.x >= clip.x && min.y >= clip.y && max.x <= clip.z && max.y <= clip.w; }
  ImVec2 center() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
};

/// A place where some text was found: the run, and the box of the matched characters.
struct Found {
  const TextRun* run = nullptr;
  ImVec2 min, max;
  ImVec2 center() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
};

class GuiHarness {
 public:
  /// Creates the ImGui context (display `size`), loads the fonts, builds the atlas and the App.
  explicit GuiHarness(std::string vault_dir = {}, ImVec2 size = ImVec2(1280, 800));
  /// The same with every App option (a settings file, a preselected vault).
  explicit GuiHarness(gui::AppOptions options, ImVec2 size = ImVec2(1280, 800));
  ~GuiHarness();
  GuiHarness(const GuiHarness&) = delete;
  GuiHarness& operator=(const GuiHarness&) = delete;

  gui::App& app() { return *app_; }
  /// Makes this harness's ImGui context the current one (tests that drive two apps at once;
  /// frame() and the input functions do it themselves).
  void activate() { ImGui::SetCurrentContext(context_); }
  gui::UiContext& ctx() { return app_->context(); }

  /// The time passed to App::Frame (seconds). Advances by `dt` on each frame().
  double now = 1000.0;
  /// Draws one frame: NewFrame, App::Frame(now), Render, then reads the text back.
  void frame(double dt = 1.0 / 60.0);
  void frames(int n);
  /// Draws frames (sleeping a little between them, so that workers run) until `done` or a
  /// wall-clock timeout. Returns whether `done` became true.
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(60));
  /// Draws frames until no background task runs and no result waits (the TaskRunner is idle),
  /// then two more so that the views show the results. Returns false on timeout.
  bool wait_for_tasks(std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // ---- input ----
  /// Keys and characters queued the way the program's GLFW callbacks queue them: frame() feeds
  /// them to ImGui as the program does, a frame at a time.
  gui::InputQueue input;
  /// Types UTF-8 text (one frame).
  void type(std::string_view text);
  /// Ctrl+A (select everything in the focused field), then types `text` over it.
  void retype(std::string_view text);
  /// Presses and releases a key (two frames), with modifiers held during the press.
  void press(int key, bool ctrl = false, bool shift = false, bool alt = false);
  void ctrl(char key) { press(static_cast<unsigned char>(key), true); }
  void alt(char key) { press(static_cast<unsigned char>(key), false, false, true); }
  /// Moves the mouse there (one frame).
  void hover(ImVec2 pos);
  /// Moves there, presses and releases a mouse button (three frames; 0: left, 1: right).
  void click(ImVec2 pos, int button = 0);
  /// Turns the wheel over `pos` (positive: up).
  void wheel(ImVec2 pos, float amount);

  // ---- what is on screen (as of the last frame) ----
  const std::vector<TextRun>& runs() const { return runs_; }
  /// Every run's text, one per line (for failure messages).
  std::string screen_text() const;
  /// Every place `text` is drawn: `whole` matches only runs that are exactly `text`, otherwise
  /// any run containing it. Ordered front (last drawn) to back.
  std::vector<Found> find_all(std::string_view text, bool whole = false) const;
  /// The front-most match, if any.
  std::optional<Found> find(std::string_view text, bool whole = false) const;
  bool shows(std::string_view text, bool whole = false) const { return find(text, whole).has_value(); }
  /// The same, only in the window named `window` and its child windows (popups and menus are
  /// windows of their own: "##Menu_00", "##file-picker").
  std::vector<Found> find_all_in(std::string_view window, std::string_view text, bool whole = false) const;
  std::optional<Found> find_in(std::string_view window, std::string_view text, bool whole = false) const;
  bool shows_in(std::string_view window, std::string_view text, bool whole = false) const {
    return find_in(window, text, whole).has_value();
  }
  /// Clicks where `found` is, if its centre is inside its clip rectangle.
  bool click_found(const Found& found);
  /// click_text restricted to one window.
  bool click_in(std::string_view window, std::string_view text, bool whole = true);
  /// Whether a window of that name was drawn (and is active) in the last frame.
  bool window_open(std::string_view window) const;
  /// Clicks the front-most place `text` is drawn; false (and no click) when it is not shown or
  /// its centre is outside its window's clip rectangle (scrolled away).
  bool click_text(std::string_view text, bool whole = true);
  /// Clicks inside the input field that follows a label on the next line (start screen fields)
  /// or on the same line (forms with the label on the left).
  bool click_field_below(std::string_view label);
  bool click_field_right_of(std::string_view label, float offset);

  /// Vertices ImGui produced in the last frame (all draw lists).
  int vertex_count() const { return vertices_; }
  float font_size() const { return fonts_.size; }

 private:
  struct GlyphInfo {
    unsigned codepoint;
    float x0, y0, advance, size;
  };
  void init(gui::AppOptions options, ImVec2 size);
  void read_back();
  void build_glyph_map();

  ImGuiContext* context_ = nullptr;
  gui::Fonts fonts_;
  std::unique_ptr<gui::App> app_;
  std::vector<TextRun> runs_;
  int vertices_ = 0;
  struct Key {
    float u0, v0, u1, v1;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  std::unordered_map<Key, GlyphInfo, KeyHash> glyphs_;
};

}  // namespace bc::test
