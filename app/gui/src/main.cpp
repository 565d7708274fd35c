// backchannel: the desktop client. A GLFW window with an OpenGL 3 context, Dear ImGui's GLFW and
// OpenGL 3 backends, and an event loop that sleeps in glfwWaitEventsTimeout until something
// happens (input, a finished background task, a timer such as auto-lock).
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "backchannel/core/library_info.h"
#include "backchannel/core/vault.h"
#include "backchannel/gui/app.h"
#include "backchannel/gui/fonts.h"
#include "backchannel/gui/input_queue.h"
#include "backchannel/gui/note_composer.h"
#include "backchannel/gui/search_view.h"
#include "backchannel/gui/secure_allocator.h"
#include "backchannel/gui/start_view.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/gui/sync_service.h"
#include "screenshot.h"

namespace {

using namespace bc;
using namespace bc::gui;

constexpr float kBaseFontSize = 16.0f;
bool g_input = false;  // set by the GLFW callbacks: something happened, draw a few frames

// What the window's callbacks fill (glfwSetWindowUserPointer).
struct WindowEvents {
  InputQueue input;      // keys and characters, fed to ImGui a frame at a time
  bool rescale = false;  // the content scale changed: rebuild the fonts
};
WindowEvents& events_of(GLFWwindow* w) { return *static_cast<WindowEvents*>(glfwGetWindowUserPointer(w)); }

struct Options {
  std::string vault;
  std::string screenshot;
  std::string screen = "main";
  std::string search;
  std::string sync_folder;
  bool unlock_from_env = false;
  std::int64_t meeting = 0;
  int width = 0, height = 0;
  float scale = 0;  // 0: the monitor's
};

void usage() {
  std::printf(
      "usage: backchannel [--vault DIR]\n"
      "  --vault DIR         preselect this vault folder on the start screen\n"
      "  --version           print versions and exit\n"
      "  --unlock-from-env   unlock DIR at start with $BACKCHANNEL_PASSPHRASE (scripted demos and\n"
      "                      measurements; the variable is wiped from the environment)\n"
      "For documentation and tests (writes what is shown, in plaintext):\n"
      "  --screenshot FILE   unlock DIR with $BACKCHANNEL_PASSPHRASE, show --screen, save a PNG, exit\n"
      "  --screen NAME       start, main, participants, summary, series, identity, search, team, conflicts,\n"
      "                      paper, locked (default main)\n"
      "  --sync-folder DIR   set the vault's team sync folder first and sync once (--screen team)\n"
      "  --meeting ID        the meeting to show (default: the latest)\n"
      "  --search TEXT       the query for --screen search\n"
      "  --size WxH          window size in pixels\n"
      "  --scale S           interface scale instead of the monitor's\n");
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--help" || a == "-h") {
      usage();
      std::exit(0);
    } else if (a == "--version") {
      std::printf("backchannel %s\n", core::library_versions().c_str());
      std::exit(0);
    } else if (a == "--vault" && (v = next())) {
      o.vault = v;
    } else if (a == "--unlock-from-env") {
      o.unlock_from_env = true;
    } else if (a == "--screenshot" && (v = next())) {
      o.screenshot = v;
    } else if (a == "--screen" && (v = next())) {
      o.screen = v;
    } else if (a == "--sync-folder" && (v = next())) {
      o.sync_folder = v;
    } else if (a == "--search" && (v = next())) {
      o.search = v;
    } else if (a == "--meeting" && (v = next())) {
      o.meeting = std::atoll(v);
    } else if (a == "--size" && (v = next())) {
      if (std::sscanf(v, "%dx%d", &o.width, &o.height) != 2) return false;
    } else if (a == "--scale" && (v = next())) {
      o.scale = static_cast<float>(std::atof(v));
    } else {
      std::fprintf(stderr, "backchannel: unknown or incomplete option %s\n", a.c_str());
      return false;
    }
  }
  return true;
}

void on_input(GLFWwindow*) { g_input = true; }

float content_scale(GLFWwindow* window, const Settings& settings, const Options& o) {
  if (o.scale > 0) return o.scale;
  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window, &xs, &ys);
  return std::clamp(std::max(xs, ys), 0.5f, 4.0f) * settings.ui_scale;
}

Fonts build_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  Fonts f = load_fonts(*io.Fonts, std::round(kBaseFontSize * scale));
  apply_theme(ImGui::GetStyle(), scale);
  return f;
}

void draw_frame(GLFWwindow* window, App& app) {
  events_of(window).input.feed(ImGui::GetIO());
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  app.Frame(glfwGetTime());
  ImGui::Render();
  int w = 0, h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  glViewport(0, 0, w, h);
  const ImVec4 bg = palette::background;
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// Starts unlocking with the passphrase `pass` (from the environment), which is wiped and removed.
void unlock_with(App& app, char* pass) {
  app.start_view().passphrase().assign(pass);
  bc::crypto::wipe(pass, std::strlen(pass));
  ::unsetenv("BACKCHANNEL_PASSPHRASE");
  app.start_view().submit(app.context());
}

// Screenshot mode: unlock with the passphrase from the environment, show a screen, save it.
int take_screenshot(GLFWwindow* window, App& app, const Options& o) {
  auto frames = [&](int n) {
    for (int i = 0; i < n; ++i) {
      glfwPollEvents();
      draw_frame(window, app);
      if (i + 1 < n) glfwSwapBuffers(window);
    }
  };
  if (o.screen != "start") {
    char* pass = std::getenv("BACKCHANNEL_PASSPHRASE");
    if (pass == nullptr || o.vault.empty()) {
      std::fprintf(stderr, "backchannel: --screenshot needs --vault DIR and BACKCHANNEL_PASSPHRASE\n");
      return 1;
    }
    frames(2);
    unlock_with(app, pass);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!app.unlocked() && std::chrono::steady_clock::now() < deadline) {
      frames(1);
      if (!app.start_view().working() && !app.start_view().error().empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!app.unlocked()) {
      std::fprintf(stderr, "backchannel: could not unlock: %s\n", app.start_view().error().c_str());
      return 2;
    }
    frames(3);
    UiContext& ctx = app.context();
    if (o.meeting > 0) ctx.select_meeting(o.meeting);
    frames(3);
    if (!o.sync_folder.empty()) {
      app.sync().set_folder(ctx, o.sync_folder);
      for (int i = 0; i < 1000 && app.sync().rounds() == 0; ++i) {
        frames(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (o.screen == "participants") ctx.show_panel(Panel::participants);
    else if (o.screen == "summary") ctx.show_panel(Panel::summary);
    else if (o.screen == "series") ctx.show_panel(Panel::series);
    else if (o.screen == "identity") ctx.show(Window::identity);
    else if (o.screen == "team") ctx.show(Window::team);
    else if (o.screen == "conflicts") ctx.show(Window::conflicts);
    else if (o.screen == "paper") ctx.show(Window::paper);
    else if (o.screen == "search") {
      // The query first: the field takes its text when the window focuses it.
      app.search().query() = o.search;
      ctx.show(Window::search);
      frames(2);
      app.search().run(ctx);
    } else if (o.screen == "locked") {
      app.lock("Locked after 5 minutes without activity.");
    }
    // Let background work (the summary) finish and the layout settle.
    for (int i = 0; i < 400 && app.tasks().busy(); ++i) {
      frames(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    frames(6);
  } else {
    frames(6);
  }
  draw_frame(window, app);
  int w = 0, h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  if (auto st = write_screenshot(o.screenshot, w, h); !st) {
    std::fprintf(stderr, "backchannel: %s\n", describe(st.error()).c_str());
    return 5;
  }
  std::fprintf(stderr, "screenshot written to %s (%dx%d)\n", o.screenshot.c_str(), w, h);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto st = core::harden_process(); !st) {
    std::fprintf(stderr, "backchannel: %s\n", describe(st.error()).c_str());
    return 5;
  }
  Options o;
  if (!parse(argc, argv, o)) {
    usage();
    return 1;
  }
  if (auto st = core::Vault::initialize_libraries(); !st) {
    std::fprintf(stderr, "backchannel: %s\n", describe(st.error()).c_str());
    return 5;
  }
  glfwSetErrorCallback([](int, const char* d) { std::fprintf(stderr, "backchannel: GLFW: %s\n", d); });
  if (!glfwInit()) {
    std::fprintf(stderr,
                 "backchannel: no display to open a window on (is $DISPLAY or $WAYLAND_DISPLAY set?).\n"
                 "The command line client, backchannel-cli, works without one.\n");
    return 5;
  }
  const std::filesystem::path settings_path = o.screenshot.empty() ? Settings::default_path() : std::filesystem::path();
  Settings initial = settings_path.empty() ? Settings{} : Settings::load(settings_path);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  if (!o.screenshot.empty()) glfwWindowHint(GLFW_VISIBLE, GLFW_TRUE);
  const int width = o.width > 0 ? o.width : initial.window_width;
  const int height = o.height > 0 ? o.height : initial.window_height;
  // The title never names a meeting or a vault: it is visible in task bars and window lists.
  GLFWwindow* window = glfwCreateWindow(width, height, "Backchannel", nullptr, nullptr);
  if (window == nullptr) {
    std::fprintf(stderr, "backchannel: cannot create an OpenGL 3 window (is a GL driver such as Mesa installed?)\n");
    glfwTerminate();
    return 5;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  // Our callbacks first: ImGui's backend chains to them, so every input wakes the loop.
  glfwSetCursorPosCallback(window, [](GLFWwindow* w, double, double) { on_input(w); });
  glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int, int, int) { on_input(w); });
  glfwSetScrollCallback(window, [](GLFWwindow* w, double, double) { on_input(w); });
  glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int) { on_input(w); });
  glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int) { on_input(w); });
  glfwSetWindowSizeCallback(window, [](GLFWwindow* w, int, int) { on_input(w); });
  glfwSetWindowRefreshCallback(window, [](GLFWwindow* w) { on_input(w); });
  WindowEvents events;
  bool& rescale = events.rescale;
  glfwSetWindowUserPointer(window, &events);
  glfwSetWindowContentScaleCallback(window, [](GLFWwindow* w, float, float) {
    events_of(w).rescale = true;
    on_input(w);
  });

  install_wiping_imgui_allocator();
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini: window names and positions never reach the disk
  io.LogFilename = nullptr;
  io.ConfigInputTextCursorBlink = false;  // a blinking cursor would need frames while idle
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  float scale = content_scale(window, initial, o);
  Fonts fonts = build_fonts(scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  // Keys and characters go through our queue instead of straight into ImGui's key state (the
  // backend's callbacks, replaced here, lose a key pressed and released between two frames).
  glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int, int action, int) {
    if (action != GLFW_REPEAT) events_of(w).input.key(key, action == GLFW_PRESS);
    on_input(w);
  });
  glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int c) {
    events_of(w).input.character(c);
    on_input(w);
  });
  ImGui_ImplOpenGL3_Init("#version 130");

  int result = 0;
  {
    AppOptions ao;
    ao.settings_path = settings_path;
    ao.vault = o.vault;
    ao.wake = [] { glfwPostEmptyEvent(); };
    ao.rescale = [&rescale] { rescale = true; };
    App app(std::move(ao), fonts);

    if (!o.screenshot.empty()) {
      result = take_screenshot(window, app, o);
    } else {
      if (o.unlock_from_env) {
        char* pass = std::getenv("BACKCHANNEL_PASSPHRASE");
        if (pass == nullptr || o.vault.empty()) {
          std::fprintf(stderr, "backchannel: --unlock-from-env needs --vault DIR and BACKCHANNEL_PASSPHRASE\n");
          result = 1;
        } else {
          // One frame first: the start view picks up the --vault folder.
          ImGui_ImplOpenGL3_NewFrame();
          ImGui_ImplGlfw_NewFrame();
          ImGui::NewFrame();
          app.Frame(glfwGetTime());
          ImGui::Render();
          unlock_with(app, pass);
        }
      }
      int frames_left = 3;
      while (result == 0 && !glfwWindowShouldClose(window) && !app.quit_requested()) {
        if (frames_left > 0 || app.animating()) {
          // Something moves (spinner, progress) or input just arrived: keep drawing, at most
          // at the display's rate (glfwSwapInterval), but do not spin.
          glfwWaitEventsTimeout(app.animating() ? 1.0 / 60.0 : 0.0);
        } else {
          // Idle: sleep until input, a finished task (glfwPostEmptyEvent) or the next timer.
          glfwWaitEventsTimeout(std::clamp(app.seconds_until_deadline(glfwGetTime()) + 0.01, 0.01, 3600.0));
        }
        if (g_input) {
          frames_left = 3;  // ImGui settles hover and focus over a couple of frames
          g_input = false;
        }
        if (events.input.pending()) frames_left = std::max(frames_left, 2);  // a frame per queued step
        if (rescale) {
          rescale = false;
          scale = content_scale(window, app.settings(), o);
          ImGui_ImplOpenGL3_DestroyFontsTexture();
          fonts = build_fonts(scale);
          ImGui_ImplOpenGL3_CreateFontsTexture();
          app.set_fonts(fonts);
        }
        draw_frame(window, app);
        glfwSwapBuffers(window);
        if (frames_left > 0) --frames_left;
      }
      int w = 0, h = 0;
      glfwGetWindowSize(window, &w, &h);
      Settings& s = app.settings();
      if (!settings_path.empty() && (w != s.window_width || h != s.window_height) && w > 0 && h > 0) {
        s.window_width = w;
        s.window_height = h;
        (void)s.save(settings_path);
      }
    }
    app.lock();  // wipes keys and views, clears our clipboard copy
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return result;
}
