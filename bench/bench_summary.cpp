// Summary benchmarks: a whole summary of a 10,000-note meeting with 250 participants (time and
// peak memory); the name matcher's throughput next to `grep -F -i -f PATTERNS` over the same text
// in the same run; the whole `summary` command on a name-dense 10,000-note meeting next to grep
// over its notes with every protected form as a pattern; text normalization next to utf8proc.
#include <benchmark/benchmark.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include "backchannel/core/disclosure_policy.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/name_matcher.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/protected_forms.h"
#include "backchannel/core/summary.h"
#include "backchannel/core/text_normalizer.h"
#include "bench_data.h"
#include "process_timer.h"

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

// `grep -F -i -f PATTERNS TEXT | wc -l` in C.UTF-8, timed as a whole. Its output goes to a pipe: with
// standard output on /dev/null, GNU grep stops at the first match (even with -c).
bench::ProcessRun grep_lines(const fs::path& patterns, const fs::path& text, std::size_t& lines) {
  const fs::path out = bench::data_dir() / "grep-count.txt";
  const auto r = bench::run_process({"sh", "-c", "LC_ALL=C.UTF-8 grep -F -i -f '" + patterns.string() + "' '" + text.string() + "' | wc -l"},
                                    "", out.string());
  if (r.exit_code != 0) bench::die("grep | wc -l failed");
  std::ifstream in(out);
  in >> lines;
  return r;
}

void BM_Grep_Reference(benchmark::State& state) {
  const auto& d = matcher_data();
  std::size_t lines = 0;
  for (auto _ : state) state.SetIterationTime(grep_lines(d.pattern_file, d.text_file, lines).seconds);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.bytes));
  state.counters["matching_lines"] = static_cast<double>(lines);
}
BENCHMARK(BM_Grep_Reference)->UseManualTime()->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

// ---- text normalization (search text, the matcher's input) ----

// 4 MiB of mixed English and Persian text (titles, a ZWNJ-joined name, Persian digits).
const std::string& normalization_corpus() {
  static const std::string corpus = [] {
    const std::string english =
        "Dear Ambassador HOLLOWAY\u2019s team, thank you for the track-II meeting in Geneva on "
        "12 March. Participants agreed to continue the dialogue. ";
    const std::string persian =
        "جلسه با آقای عبدال\u200Cرحیم کریمی و خانم فاطمه احمدی در تهران برگزار شد؛ "
        "طرفین درباره\u200Cی ادامه\u200Cی گفت\u200Cوگو توافق کردند. ۱۴۰۳/۰۵/۱۲ ";
    std::string c;
    while (c.size() < (4u << 20)) c += english + persian;
    return c;
  }();
  return corpus;
}

// 0: core::normalize, 1: core::normalize_with_offsets, 2: core::is_valid_utf8,
// 3: core::normalize_for_matching_with_offsets (the name matcher's input).
void BM_Normalize(benchmark::State& state) {
  const std::string& corpus = normalization_corpus();
  for (auto _ : state) {
    switch (state.range(0)) {
      case 0: benchmark::DoNotOptimize(core::normalize(corpus)); break;
      case 1: benchmark::DoNotOptimize(core::normalize_with_offsets(corpus)); break;
      case 3: benchmark::DoNotOptimize(core::normalize_for_matching_with_offsets(corpus)); break;
      default: benchmark::DoNotOptimize(core::is_valid_utf8(corpus)); break;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.size()));
}
BENCHMARK(BM_Normalize)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

// The reference: utf8proc's compatibility composition with case folding, marks and ignorables
// removed (what the Debian library gives for the same text; ours also folds Arabic letter forms
// and digits, and splits words).
void BM_Normalize_Utf8procReference(benchmark::State& state) {
  const std::string& corpus = normalization_corpus();
  const auto opts = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                                   UTF8PROC_IGNORE | UTF8PROC_STRIPMARK);
  for (auto _ : state) {
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(corpus.data()),
                                static_cast<utf8proc_ssize_t>(corpus.size()), &out, opts);
    if (n < 0) bench::die("utf8proc_map failed");
    benchmark::DoNotOptimize(out);
    std::free(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.size()));
}
BENCHMARK(BM_Normalize_Utf8procReference)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

// ---- the whole summary command on a name-dense meeting, next to grep ----

struct NameDenseFiles {
  fs::path text, patterns;
  std::size_t bytes = 0, notes = 0, patterns_count = 0, notes_naming = 0;
};

// The meeting's note texts, one per line, and every form its summary for the participants must
// protect (core::build_forms, normalized), one per line.
const NameDenseFiles& name_dense_files() {
  static NameDenseFiles f = [] {
    core::Vault v = bench::open_name_dense_vault();
    auto meeting = core::get_meeting(v, kMeeting);
    auto ps = core::list_participants(v, kMeeting);
    auto notes = core::list_notes(v, kMeeting);
    if (!meeting || !ps || !notes) bench::die("cannot read the name-dense meeting");
    std::vector<core::DisclosureLevel> levels;
    for (const auto& p : *ps) levels.push_back(core::effective_level(*meeting, p, core::Audience::participants));
    const core::FormSet forms = core::build_forms(*ps, levels, meeting->public_terms, std::nullopt);
    NameDenseFiles n;
    n.text = bench::data_dir() / "names-notes.txt";
    n.patterns = bench::data_dir() / "names-patterns.txt";
    std::ofstream text(n.text);
    for (const auto& note : *notes) {
      text << note.text << '\n';
      n.bytes += note.text.size() + 1;
    }
    n.notes = notes->size();
    std::set<std::string> unique;
    for (const auto& pf : forms.protected_forms) unique.insert(pf.normalized);
    std::ofstream pat(n.patterns);
    for (const auto& u : unique) pat << u << '\n';
    n.patterns_count = unique.size();
    return n;
  }();
  return f;
}

// Each iteration runs, back to back: `backchannel-cli meetings` (unlocks the vault and lists one
// meeting), the whole `backchannel-cli summary --meeting 1` (stdout to a file), and grep over the
// same notes. The time reported is the summary command beyond unlocking, a paired difference;
// grep's time and the ratio ride along as counters, so both come from the same moments.
void BM_NameDense_SummaryCommandVsGrep(benchmark::State& state) {
  const auto& f = name_dense_files();
  const char* cli = std::getenv("BC_CLI");
  const std::string exe = cli != nullptr ? cli : "backchannel-cli";
  const std::string dir = bench::name_dense_vault_dir().string();
  const std::vector<std::string> env = {std::string("BACKCHANNEL_PASSPHRASE=") + bench::kPassphrase};
  const std::string out = (bench::data_dir() / "names-summary.md").string();
  // The command's warnings (stderr) go to a file, not among the benchmark's lines.
  const std::string err = (bench::data_dir() / "names-summary.err").string();
  std::size_t lines = 0;
  double summary = 0, unlock = 0, grep = 0, ratio = 0;
  for (auto _ : state) {
    const auto u = bench::run_process({exe, "--vault", dir, "meetings"}, "", "", env, err);
    const auto s = bench::run_process({exe, "--vault", dir, "summary", "--meeting", "1"}, "", out, env, err);
    const auto g = grep_lines(f.patterns, f.text, lines);
    if (u.exit_code != 0 || s.exit_code != 0) bench::die("backchannel-cli meetings/summary failed on the name-dense vault (see " + err + ")");
    unlock = u.seconds * 1e3;
    summary = s.seconds * 1e3;
    grep = g.seconds * 1e3;
    const double beyond = std::max(s.seconds - u.seconds, 0.0);
    ratio = beyond / g.seconds;
    state.SetIterationTime(beyond);
  }
  state.counters["whole_command_ms"] = summary;
  state.counters["unlock_only_ms"] = unlock;
  state.counters["grep_ms"] = grep;
  state.counters["summary_over_grep"] = ratio;
  state.counters["grep_matching_lines"] = static_cast<double>(lines);
  state.counters["notes"] = static_cast<double>(f.notes);
  state.counters["patterns"] = static_cast<double>(f.patterns_count);
  state.counters["text_mib"] = static_cast<double>(f.bytes) / (1 << 20);
}
BENCHMARK(BM_NameDense_SummaryCommandVsGrep)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(9)->ReportAggregatesOnly();

}  // namespace
