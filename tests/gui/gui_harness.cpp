#include "gui_harness.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <sstream>
#include <thread>

#include "backchannel/core/text_normalizer.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/secure_allocator.h"
#include "backchannel/gui/task_runner.h"
#include "backchannel/gui/theme.h"

namespace bc::test {


std::size_t GuiHarness::KeyHash::operator()(const Key& k) const {
  std::uint32_t w[4];
  std::memcpy(w, &k, sizeof w);
  std::size_t h = 1469598103934665603ull;
  for (std::uint32_t x : w) h = (h ^ x) * 1099511628211ull;
  return h;
}

GuiHarness::GuiHarness(std::string vault_dir, ImVec2 size) {
  gui::AppOptions options;
  options.vault = std::move(vault_dir);
  init(std::move(options), size);
}

GuiHarness::GuiHarness(gui::AppOptions options, ImVec2 size) { init(std::move(options), size); }

void GuiHarness::init(gui::AppOptions options, ImVec2 size) {
  gui::install_wiping_imgui_allocator();
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.ConfigInputTextCursorBlink = false;
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  io.DisplaySize = size;
  io.DisplayFramebufferScale = ImVec2(1, 1);
  // As the OpenGL 3 backend: large draw lists are split with ImDrawCmd::VtxOffset.
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  gui::keys::install_key_map(io);
  fonts_ = gui::load_fonts(*io.Fonts, 16.0f);
  gui::apply_theme(ImGui::GetStyle(), 1.0f);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  build_glyph_map();
  app_ = std::make_unique<gui::App>(std::move(options), fonts_);
}

GuiHarness::~GuiHarness() {
  activate();
  app_.reset();
  ImGui::DestroyContext(context_);
}

void GuiHarness::build_glyph_map() {
  const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  for (const ImFont* font : atlas.Fonts) {
    for (const ImFontGlyph& g : font->Glyphs) {
      if (!g.Visible) continue;
      glyphs_.emplace(Key{g.U0, g.V0, g.U1, g.V1}, GlyphInfo{g.Codepoint, g.X0, g.Y0, g.AdvanceX, font->FontSize});
    }
  }
}

void GuiHarness::frame(double dt) {
  activate();
  ImGuiIO& io = ImGui::GetIO();
  io.DeltaTime = static_cast<float>(dt);
  now += dt;
  input.feed(io);
  ImGui::NewFrame();
  app_->Frame(now);
  ImGui::Render();
  read_back();
}

void GuiHarness::frames(int n) {
  for (int i = 0; i < n; ++i) frame();
}

bool GuiHarness::pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    frame();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

bool GuiHarness::wait_for_tasks(std::chrono::milliseconds timeout) {
  if (!pump_until([&] { return !app_->tasks().busy(); }, timeout)) return false;
  frames(2);
  return true;
}

void GuiHarness::retype(std::string_view text) {
  ctrl('A');
  type(text);
}

void GuiHarness::type(std::string_view text) {
  activate();
  const std::string s(text);
  ImGui::GetIO().AddInputCharactersUTF8(s.c_str());
  frame();
}

void GuiHarness::press(int key, bool ctrl, bool shift, bool alt) {
  activate();
  ImGuiIO& io = ImGui::GetIO();
  io.KeyCtrl = ctrl;
  io.KeyShift = shift;
  io.KeyAlt = alt;
  io.KeysDown[key] = true;
  frame();
  io.KeysDown[key] = false;
  io.KeyCtrl = io.KeyShift = io.KeyAlt = false;
  frame();
}

void GuiHarness::hover(ImVec2 pos) {
  activate();
  ImGui::GetIO().MousePos = pos;
  frame();
}

void GuiHarness::click(ImVec2 pos, int button) {
  activate();
  ImGuiIO& io = ImGui::GetIO();
  hover(pos);
  io.MouseDown[button] = true;
  frame();
  io.MouseDown[button] = false;
  frame();
}

void GuiHarness::wheel(ImVec2 pos, float amount) {
  activate();
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = pos;
  io.MouseWheel = amount;
  frame();
  io.MouseWheel = 0;
}

void GuiHarness::read_back() {
  runs_.clear();
  vertices_ = 0;
  const ImDrawData* dd = ImGui::GetDrawData();
  if (dd == nullptr || !dd->Valid) return;
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    const ImDrawList* dl = dd->CmdLists[l];
    vertices_ += dl->VtxBuffer.Size;
    TextRun* run = nullptr;
    float run_top = 0, pen_end = 0, run_size = 0;
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
      if (cmd.UserCallback != nullptr) continue;
      const ImDrawIdx* idx = dl->IdxBuffer.Data + cmd.IdxOffset;
      const unsigned nv = static_cast<unsigned>(dl->VtxBuffer.Size);
      for (unsigned k = 0; k + 3 <= cmd.ElemCount;) {
        // A glyph is one quad: indices a, a+1, a+2, a, a+2, a+3 over vertices whose texture
        // coordinates are exactly a glyph's rectangle in the atlas.
        if (k + 6 <= cmd.ElemCount) {
          const unsigned a = idx[k] + cmd.VtxOffset;
          auto at = [&](unsigned j) { return static_cast<unsigned>(idx[k + j]) + cmd.VtxOffset; };
          if (a + 3 < nv && at(1) == a + 1 && at(2) == a + 2 && at(3) == a && at(4) == a + 2 && at(5) == a + 3) {
            const ImDrawVert* v = dl->VtxBuffer.Data + a;
            const auto it = glyphs_.find(Key{v[0].uv.x, v[0].uv.y, v[2].uv.x, v[2].uv.y});
            if (it != glyphs_.end() && v[1].uv.x == v[2].uv.x && v[1].uv.y == v[0].uv.y && v[3].uv.x == v[0].uv.x &&
                v[3].uv.y == v[2].uv.y) {
              const GlyphInfo& g = it->second;
              const float top = v[0].pos.y - g.y0;
              const float pen = v[0].pos.x - g.x0;
              const ImVec4 clip = cmd.ClipRect;
              const bool same_line = run != nullptr && std::abs(top - run_top) < 0.5f && run_size == g.size &&
                                     pen - pen_end > -1.0f && pen - pen_end < g.size * 0.45f &&
                                     std::memcmp(&run->clip, &clip, sizeof clip) == 0;
              if (!same_line) {
                runs_.emplace_back();
                run = &runs_.back();
                run->clip = clip;
                run->layer = l;
                run->window = dl->_OwnerName != nullptr ? dl->_OwnerName : "";
                run->min = v[0].pos;
                run->max = v[2].pos;
                run_top = top;
                run_size = g.size;
              } else if (pen - pen_end > g.size * 0.12f) {
                run->text.push_back(' ');
                run->char_min.push_back(ImVec2(pen_end, top));
                run->char_max.push_back(ImVec2(pen, top + g.size));
              }
              const std::size_t before = run->text.size();
              core::append_utf8(run->text, g.codepoint);
              for (std::size_t b = before; b < run->text.size(); ++b) {
                run->char_min.push_back(v[0].pos);
                run->char_max.push_back(v[2].pos);
              }
              run->min = ImVec2(std::min(run->min.x, v[0].pos.x), std::min(run->min.y, v[0].pos.y));
              run->max = ImVec2(std::max(run->max.x, v[2].pos.x), std::max(run->max.y, v[2].pos.y));
              pen_end = pen + g.advance;
              k += 6;
              continue;
            }
          }
        }
        k += 3;
      }
    }
  }
}

std::string GuiHarness::screen_text() const {
  std::ostringstream out;
  for (const auto& r : runs_) out << "  [" << r.layer << "] (" << r.min.x << "," << r.min.y << ") " << r.text << "\n";
  return out.str();
}

std::vector<Found> GuiHarness::find_all(std::string_view text, bool whole) const {
  std::vector<Found> out;
  for (auto r = runs_.rbegin(); r != runs_.rend(); ++r) {
    std::size_t pos = 0;
    if (whole) {
      if (r->text != text) continue;
    } else {
      pos = r->text.find(text);
      if (pos == std::string::npos || text.empty()) continue;
    }
    Found f;
    f.run = &*r;
    f.min = r->char_min[pos];
    f.max = r->char_max[pos];
    for (std::size_t i = pos; i < pos + text.size(); ++i) {
      f.min = ImVec2(std::min(f.min.x, r->char_min[i].x), std::min(f.min.y, r->char_min[i].y));
      f.max = ImVec2(std::max(f.max.x, r->char_max[i].x), std::max(f.max.y, r->char_max[i].y));
    }
    out.push_back(f);
  }
  std::stable_sort(out.begin(), out.end(), [](const Found& a, const Found& b) { return a.run->layer > b.run->layer; });
  return out;
}

std::optional<Found> GuiHarness::find(std::string_view text, bool whole) const {
  auto all = find_all(text, whole);
  if (all.empty()) return std::nullopt;
  return all.front();
}

bool GuiHarness::click_text(std::string_view text, bool whole) {
  const auto f = find(text, whole);
  if (!f) return false;
  return click_found(*f);
}

bool GuiHarness::click_found(const Found& f) {
  // Only where it can be seen: text scrolled out of its window's clip rectangle is not clickable.
  const ImVec2 c = f.center();
  const ImVec4& clip = f.run->clip;
  if (c.x < clip.x || c.y < clip.y || c.x > clip.z || c.y > clip.w) return false;
  click(c);
  return true;
}

std::vector<Found> GuiHarness::find_all_in(std::string_view window, std::string_view text, bool whole) const {
  std::vector<Found> out;
  for (const Found& f : find_all(text, whole)) {
    // The window itself, or one of its child windows ("Parent/Child_1A2B3C4D").
    const std::string& w = f.run->window;
    const bool child = w.size() > window.size() && w.compare(0, window.size(), window) == 0 && w[window.size()] == '/';
    if (w == window || child) out.push_back(f);
  }
  return out;
}

std::optional<Found> GuiHarness::find_in(std::string_view window, std::string_view text, bool whole) const {
  auto all = find_all_in(window, text, whole);
  if (all.empty()) return std::nullopt;
  return all.front();
}

bool GuiHarness::click_in(std::string_view window, std::string_view text, bool whole) {
  const auto f = find_in(window, text, whole);
  if (!f) return false;
  return click_found(*f);
}

bool GuiHarness::window_open(std::string_view window) const {
  ImGui::SetCurrentContext(context_);
  ImGuiWindow* w = ImGui::FindWindowByName(std::string(window).c_str());
  return w != nullptr && w->Active && !w->Hidden;
}

bool GuiHarness::click_field_below(std::string_view label) {
  activate();
  const auto f = find(label, true);
  if (!f) return false;
  const ImGuiStyle& style = ImGui::GetStyle();
  // The label's line box starts where its tallest glyph does at the latest; the field is the
  // next item: one line and the item spacing further down.
  const float line_top = f->run->min.y - 2.0f;
  const float y = line_top + font_size() + style.ItemSpacing.y + ImGui::GetFrameHeight() * 0.5f;
  click(ImVec2(f->min.x + font_size(), y));
  return true;
}

bool GuiHarness::click_field_right_of(std::string_view label, float offset) {
  const auto f = find(label, true);
  if (!f) return false;
  click(ImVec2(f->min.x + offset, f->center().y));
  return true;
}

}  // namespace bc::test
