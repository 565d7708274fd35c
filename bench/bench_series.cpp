// The series view's frame cost, headless (an ImGui context with no window, as bench_gui): a
// series of 14 rounds and 300 threads, each thread decided in several rounds and linked to notes,
// next to the same client showing one of those meetings' note logs in the same run, and an empty
// ImGui frame. What is timed is NewFrame + App::Frame + Render.
#include <benchmark/benchmark.h>
#include <imgui.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <thread>

#include <unistd.h>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/series_timeline.h"
#include "backchannel/core/threads.h"
#include "backchannel/gui/app.h"
#include "backchannel/gui/fonts.h"
#include "backchannel/gui/series_view.h"
#include "backchannel/gui/start_view.h"
#include "bench_data.h"
#include "headless_gui.h"

using namespace bc;

namespace {

constexpr int kRounds = 14, kThreads = 300, kNotesPerRound = 60;
constexpr const char* kPass = "series benchmark passphrase, not a secret";

std::filesystem::path make_vault() {
  const auto dir = std::filesystem::temp_directory_path() / ("bc-bench-series-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto c = core::Vault::create(dir.string(), crypto::SecureBuffer::copy_of(std::string_view(kPass)), crypto::KdfProfile::interactive);
  if (!c) bench::die("cannot create the series vault: " + c.error().message);
  core::Vault& v = c->vault;
  auto series = core::ensure_series(v, "Fourteen Rounds Dialogue", core::Rule::chatham_house);
  if (!series) bench::die(series.error().message);
  std::mt19937 rng(14300);
  std::vector<std::int64_t> meetings;
  std::vector<std::vector<std::int64_t>> notes(kRounds);
  for (int r = 0; r < kRounds; ++r) {
    char at[32];
    std::snprintf(at, sizeof at, "%04d-%02d-10T09:00:00Z", 2019 + r / 2, r % 2 ? 9 : 3);
    auto m = core::create_meeting(v, {*series, "Round " + std::to_string(r + 1), at, {}, {}, {}, {}});
    if (!m) bench::die(m.error().message);
    meetings.push_back(*m);
    for (int k = 0; k < kNotesPerRound; ++k) {
      core::NewNote n;
      n.meeting_id = *m;
      n.kind = core::NoteKind::proposal;
      n.text = "Proposal " + std::to_string(k) + " of round " + std::to_string(r + 1) + " on maritime and trade measures.";
      auto id = core::add_note(v, n);
      if (!id) bench::die(id.error().message);
      notes[static_cast<std::size_t>(r)].push_back(*id);
    }
  }
  const core::ThreadStatus path[] = {core::ThreadStatus::raised, core::ThreadStatus::discussed, core::ThreadStatus::agreed,
                                     core::ThreadStatus::conveyed, core::ThreadStatus::taken_up};
  for (int t = 0; t < kThreads; ++t) {
    auto id = core::add_thread(v, *series, "Thread " + std::to_string(t + 1) + ": a proposal followed across the rounds");
    if (!id) bench::die(id.error().message);
    const int first = static_cast<int>(rng() % kRounds);
    int step = 0;
    for (int r = first; r < kRounds && step < 5; r += 1 + static_cast<int>(rng() % 3), ++step) {
      const auto& ns = notes[static_cast<std::size_t>(r)];
      if (auto st = core::link_note(v, *id, ns[rng() % ns.size()]); !st) bench::die(st.error().message);
      const core::ThreadStatus s = (rng() % 10 == 0) ? core::ThreadStatus::dropped : path[step];
      if (auto st = core::set_thread_status(v, *id, s, meetings[static_cast<std::size_t>(r)]); !st) bench::die(st.error().message);
      if (s == core::ThreadStatus::dropped) break;
    }
  }
  return dir;
}

// The client with round 1 selected, on a vault built for the run (removed at exit).
class Headless : public bench::HeadlessGui {
 public:
  explicit Headless(const std::filesystem::path& dir) : bench::HeadlessGui(dir.string(), kPass, 1), dir_(dir) {}
  ~Headless() { std::filesystem::remove_all(dir_); }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;
  void show(gui::Panel p) {
    app().context().show_panel(p);
    settle();
    require_unlocked();
  }

 private:
  std::filesystem::path dir_;
};

Headless& gui() {
  static Headless* h = new Headless(make_vault());
  return *h;
}

void BM_Series_EmptyFrame(benchmark::State& state) {
  (void)gui();
  for (auto _ : state) {
    ImGui::NewFrame();
    ImGui::Render();
  }
}
BENCHMARK(BM_Series_EmptyFrame)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

// Reference: the same client showing round 1's note log (60 notes), nothing happening.
void BM_Series_FrameNoteLog(benchmark::State& state) {
  Headless& g = gui();
  g.show(gui::Panel::notes);
  for (auto _ : state) g.frame();
}
BENCHMARK(BM_Series_FrameNoteLog)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

// The series view: 300 threads over 14 rounds (the rows on screen drawn, the others clipped).
void BM_Series_FrameSeriesView(benchmark::State& state) {
  Headless& g = gui();
  g.show(gui::Panel::series);
  const auto& tl = g.app().series_view().timeline();
  if (!tl || tl->rows.size() != kThreads || tl->rounds.size() != kRounds) bench::die("the series view did not load the series");
  for (auto _ : state) g.frame();
  state.counters["rows_drawn"] = g.app().series_view().rows_drawn();
}
BENCHMARK(BM_Series_FrameSeriesView)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly();

// Loading the timeline itself (after a change to the series): core::series_timeline.
void BM_Series_LoadTimeline(benchmark::State& state) {
  Headless& g = gui();
  for (auto _ : state) {
    auto tl = core::series_timeline(*g.app().context().vault, 1, core::Audience::participants);
    if (!tl) bench::die(tl.error().message);
    benchmark::DoNotOptimize(tl->rows.size());
  }
}
BENCHMARK(BM_Series_LoadTimeline)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

}  // namespace
