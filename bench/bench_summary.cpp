// Summary benchmarks: a whole summary of a 10,000-note meeting with 250 participants (time and
// peak memory), and the name matcher's throughput next to `grep -F -i -f PATTERNS` over the same
// text in the same run.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "backchannel/core/name_matcher.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/protected_forms.h"
#include "backchannel/core/summary.h"
#include "bench_data.h"

extern char** environ;

using namespace bc;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMeeting = 1;  // 10,000 notes, 250 participants

void BM_Summary_Produce(benchmark::State& state) {
  bench::ensure_data();
  static core::Vault v = bench::open_vault();
  core::SummaryOptions opts;
  opts.audience = state.range(0) == 0 ? core::Audience::participants : core::Audience::public_;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto r = core::produce_summary(v, kMeeting, opts, core::SummaryFormat::markdown);
    if (!r) bench::die(r.error().message);
    bytes = r->text.size();
  }
  state.counters["summary_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Summary_Produce)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

// Peak resident memory while producing one summary: the high-water mark is reset first
// (echo 5 > /proc/self/clear_refs), so the vault's Argon2id allocation does not count.
void BM_Summary_PeakMemory(benchmark::State& state) {
  bench::ensure_data();
  static core::Vault v = bench::open_vault();
  core::SummaryOptions opts;
  long before = 0, peak = 0;
  for (auto _ : state) {
    std::ofstream("/proc/self/clear_refs") << "5";
    before = bench::status_kib("VmRSS:");
    auto r = core::produce_summary(v, kMeeting, opts, core::SummaryFormat::markdown);
    if (!r) bench::die(r.error().message);
    peak = bench::status_kib("VmHWM:");
  }
  state.counters["rss_before_mib"] = static_cast<double>(before) / 1024.0;
  state.counters["peak_rss_mib"] = static_cast<double>(peak) / 1024.0;
  state.counters["peak_growth_mib"] = static_cast<double>(peak - before) / 1024.0;
}
BENCHMARK(BM_Summary_PeakMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

// ---- matcher vs grep ----

struct MatcherData {
  std::vector<std::string> notes;
  std::size_t bytes = 0;
  core::FormSet forms;
  fs::path text_file, pattern_file;
};

// Every note of the whole vault (100,000 notes), and every participant of meeting 1 treated as
// protected, so that all their forms are patterns.
const MatcherData& matcher_data() {
  static MatcherData d = [] {
    bench::ensure_data();
    core::Vault v = bench::open_vault();
    MatcherData m;
    for (std::int64_t meeting = 1; meeting <= 10; ++meeting) {
      auto notes = core::list_notes(v, meeting);
      if (!notes) bench::die(notes.error().message);
      for (auto& n : *notes) {
        m.bytes += n.text.size();
        m.notes.push_back(std::move(n.text));
      }
    }
    auto ps = core::list_participants(v, kMeeting);
    if (!ps) bench::die(ps.error().message);
    std::vector<core::DisclosureLevel> levels(ps->size(), core::DisclosureLevel::anonymous);
    m.forms = core::build_forms(*ps, levels, {}, std::nullopt);
    m.text_file = bench::data_dir() / "notes.txt";
    m.pattern_file = bench::data_dir() / "patterns.txt";
    std::ofstream text(m.text_file);
    for (const auto& n : m.notes) text << n << '\n';
    std::ofstream pat(m.pattern_file);
    for (const auto& f : m.forms.protected_forms) pat << f.normalized << '\n';
    return m;
  }();
  return d;
}

void BM_Matcher_Throughput(benchmark::State& state) {
  const auto& d = matcher_data();
  const core::NameMatcher matcher(d.forms);
  std::size_t hits = 0;
  for (auto _ : state) {
    hits = 0;
    for (const auto& n : d.notes) hits += matcher.find(n).size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.bytes));
  state.counters["patterns"] = static_cast<double>(d.forms.protected_forms.size());
  state.counters["hits"] = static_cast<double>(hits);
  state.counters["text_mib"] = static_cast<double>(d.bytes) / (1 << 20);
}
BENCHMARK(BM_Matcher_Throughput)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

void BM_Grep_Reference(benchmark::State& state) {
  const auto& d = matcher_data();
  const std::string pat = d.pattern_file.string(), text = d.text_file.string();
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    pid_t pid = 0;
    std::string a0 = "grep", a1 = "-F", a2 = "-i", a3 = "-c", a4 = "-f";
    char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), const_cast<char*>(pat.c_str()),
                    const_cast<char*>(text.c_str()), nullptr};
    std::string locale = "LC_ALL=C.UTF-8";
    char* envp[] = {locale.data(), nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, "grep", &fa, nullptr, argv, envp) != 0) bench::die("cannot run grep");
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    waitpid(pid, &status, 0);
    const auto t1 = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.bytes));
}
BENCHMARK(BM_Grep_Reference)->UseManualTime()->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

}  // namespace
