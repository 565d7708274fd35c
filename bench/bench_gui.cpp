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
#include "headless_gui.h"

using namespace bc;

namespace {

constexpr std::int64_t kMeeting = 1;  // 10,000 notes

using Headless = bench::HeadlessGui;

Headless& gui_on_vault() {
  static Headless* h = [] {
    bench::ensure_data();
    return new Headless(bench::vault_dir().string(), bench::kPassphrase, kMeeting);
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
