// Desktop client benchmarks, headless (an ImGui context with no window, like tests/gui): the CPU
// cost of one frame with the 10,000-note meeting in the note log, next to an empty ImGui frame in
// the same run; a frame while scrolling through the log (new strings shaped every frame); and the
// peak memory of the client while it browses that whole log and builds its summary.
// What is timed is NewFrame + App::Frame + Render, i.e. everything the program does per frame
// except handing the vertex buffers to OpenGL (Mesa's software rasterizer under Xvfb would
// measure Mesa). Idle CPU is measured on the real program under Xvfb by scripts/bench.
#include <benchmark/benchmark.h>
#include <imgui.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "backchannel/gui/app.h"
#include "backchannel/gui/fonts.h"
#include "backchannel/gui/start_view.h"
#include "backchannel/gui/task_runner.h"
#include "bench_data.h"

using namespace bc;

namespace {

constexpr std::int64_t kMeeting = 1;  // 10,000 notes
constexpr float kWidth = 1360, kHeight = 860;

class Headless {
 public:
  Headless() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(kWidth, kHeight);
    io.DeltaTime = 1.0f / 60.0f;
    fonts_ = gui::load_fonts(*io.Fonts, 16.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    gui::AppOptions o;
    o.vault = bench::vault_dir().string();
    app_ = std::make_unique<gui::App>(std::move(o), fonts_);
  }
  ~Headless() {
    app_->lock();
    app_.reset();
    ImGui::DestroyContext();
  }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;

  // Dies when the client is no longer unlocked: a locked screen is not what is being measured.
  void require_unlocked() const {
    if (!app_->unlocked()) bench::die("the client locked itself during the benchmark");
  }
  void frame() {
    now_ += 1.0 / 60.0;
    ImGui::NewFrame();
    app_->Frame(now_);
    ImGui::Render();
  }
  void unlock_and_show_meeting() {
    frame();
    app_->start_view().passphrase().assign(bench::kPassphrase);
    app_->start_view().submit(app_->context());
    for (int i = 0; i < 6000 && !app_->unlocked(); ++i) {
      frame();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!app_->unlocked()) bench::die("the GUI did not unlock the benchmark vault: " + app_->start_view().error());
    // Thousands of frames pass without input at 1/60 s each: without this the client would lock
    // itself after five simulated minutes and the rest would time the lock screen.
    app_->settings().auto_lock_minutes = 240;
    app_->context().select_meeting(kMeeting);
    settle();
  }
  // Frames until background work is done and the layout has settled.
  void settle() {
    for (int i = 0; i < 6000 && app_->tasks().busy(); ++i) {
      frame();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (int i = 0; i < 10; ++i) frame();
  }
  void wheel(float lines) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(kWidth * 0.5f, kHeight * 0.45f);  // over the note log
    io.MouseWheel = lines;
  }
  gui::App& app() { return *app_; }

 private:
  gui::Fonts fonts_;
  std::unique_ptr<gui::App> app_;
  double now_ = 1.0;
};

Headless& gui_on_vault() {
  static Headless* h = [] {
    bench::ensure_data();
    auto* g = new Headless();
    g->unlock_and_show_meeting();
    return g;
  }();
  return *h;
}

// Reference: an ImGui frame with nothing in it, same context and fonts.
void BM_Gui_EmptyFrame(benchmark::State& state) {
  Headless& g = gui_on_vault();
  (void)g;
  for (auto _ : state) {
    ImGui::NewFrame();
    ImGui::Render();
  }
}
BENCHMARK(BM_Gui_EmptyFrame)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

// The main screen with the 10,000-note meeting's log, nothing happening.
void BM_Gui_FrameNoteLog10k(benchmark::State& state) {
  Headless& g = gui_on_vault();
  g.app().context().show_panel(gui::Panel::notes);
  g.settle();
  for (auto _ : state) g.frame();
  g.require_unlocked();
}
BENCHMARK(BM_Gui_FrameNoteLog10k)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

// Scrolling three lines per frame up the log: most frames bring in notes never shaped before.
void BM_Gui_FrameScrolling10k(benchmark::State& state) {
  Headless& g = gui_on_vault();
  g.app().context().show_panel(gui::Panel::notes);
  g.settle();
  for (auto _ : state) {
    g.wheel(3.0f);
    g.frame();
  }
  g.require_unlocked();
}
BENCHMARK(BM_Gui_FrameScrolling10k)->Unit(benchmark::kMicrosecond)->Iterations(1500)->Repetitions(3)->ReportAggregatesOnly();

// Peak resident memory of the client on that vault: reset after unlocking (Argon2id's own
// 256 MiB is transient and reported apart), then scroll the whole log from the end to the top,
// open the summary (built in the background) and come back.
void BM_Gui_PeakMemory(benchmark::State& state) {
  Headless& g = gui_on_vault();
  long before = 0, peak = 0, hwm_with_unlock = bench::status_kib("VmHWM:");
  for (auto _ : state) {
    std::ofstream("/proc/self/clear_refs") << "5";
    before = bench::status_kib("VmRSS:");
    g.app().context().show_panel(gui::Panel::notes);
    g.settle();
    for (int i = 0; i < 12000; ++i) {  // 10,000 notes of 2 to 4 lines, 40 lines per wheel step
      g.wheel(40.0f);
      g.frame();
    }
    g.app().context().show_panel(gui::Panel::summary);
    g.settle();
    g.app().context().show_panel(gui::Panel::participants);
    g.settle();
    g.app().context().show_panel(gui::Panel::notes);
    g.settle();
    peak = bench::status_kib("VmHWM:");
  }
  g.require_unlocked();
  state.counters["rss_after_unlock_mib"] = static_cast<double>(before) / 1024.0;
  state.counters["peak_rss_mib"] = static_cast<double>(peak) / 1024.0;
  state.counters["peak_rss_including_unlock_mib"] = static_cast<double>(hwm_with_unlock) / 1024.0;
}
BENCHMARK(BM_Gui_PeakMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
