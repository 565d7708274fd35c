// Copy tracing, measured (docs/performance.md, "Copy tracing"): generated papers of 3, 5 and 10
// pages (500 words a page) with 20 registered copies each; leaked excerpts of 10 %, 25 % and 50 %
// of a copy, contiguous or as several passages in shuffled order, with 5 % of the words changed
// and OCR-like character noise; the share traced to the right copy, to a wrong copy, and
// "cannot tell". Then the time of one trace of a whole 10-page copy against 50 copies, next to
// the obvious way of doing it by hand in the same run: GNU diff of the leak against each copy.
// Everything comes from fixed seeds. Writes JSON to stdout.
// usage: bench_trace [--papers N] [--excerpts N]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "backchannel/core/copy_trace.h"
#include "backchannel/crypto/sodium_init.h"
#include "paper_generator.h"

extern char** environ;

using namespace bc;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSeed = 20261203;
constexpr std::size_t kWordsPerPage = 500;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench_trace: %s\n", what.c_str());
  std::exit(1);
}

struct Paper {
  core::VariantPaper variants;
  std::vector<core::RegisteredCopy> copies;
  std::vector<std::string> texts;  // each copy's whole text
  std::size_t words = 0;
};

crypto::SecureBuffer fixed_key(std::uint64_t seed) {
  test::PaperRng rng(seed);
  crypto::SecureBuffer key(32);
  for (std::size_t k = 0; k < 32; ++k) key.data()[k] = static_cast<std::uint8_t>(rng.next());
  return key;
}

Paper make_paper(std::uint64_t seed, std::size_t words, std::size_t copies) {
  Paper p;
  const std::vector<std::string> sections = test::generate_english_sections(seed, words);
  std::vector<core::PaperTextSource> sources;
  for (std::size_t k = 0; k < sections.size(); ++k)
    sources.push_back({"section " + std::to_string(k + 1), core::TextLanguage::english, sections[k]});
  auto parsed = core::VariantPaper::parse(sources);
  if (!parsed) die(parsed.error().message);
  p.variants = std::move(parsed).value();
  const crypto::SecureBuffer key = fixed_key(seed ^ 0x5EED);
  std::vector<core::ChoiceVector> earlier;
  for (std::size_t c = 0; c < copies; ++c) {
    char label[32];
    std::snprintf(label, sizeof label, "copy-%02zu", c + 1);
    core::RegisteredCopy copy{label, core::derive_copy_choices(p.variants, key, label, earlier)};
    earlier.push_back(copy.choices);
    auto rendered = p.variants.render(copy.choices);
    if (!rendered) die(rendered.error().message);
    std::string text;
    for (const auto& t : *rendered) text += t + "\n";
    p.texts.push_back(std::move(text));
    p.copies.push_back(std::move(copy));
  }
  p.words = test::count_words(p.texts[0]);
  return p;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Runs `diff -q`-free word diffs of the leak against every copy, as an organizer would without
// Backchannel: one word per line, `diff` counting changed lines. Returns wall milliseconds.
double diff_against_all(const fs::path& dir, std::size_t copies) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t c = 0; c < copies; ++c) {
    const std::string a = (dir / "leak.words").string();
    const std::string b = (dir / ("copy" + std::to_string(c) + ".words")).string();
    const std::string out = (dir / "diff.out").string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const char* argv[] = {"diff", a.c_str(), b.c_str(), nullptr};
    pid_t pid;
    if (posix_spawnp(&pid, "diff", &fa, nullptr, const_cast<char**>(argv), environ) != 0) die("cannot run diff");
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) die("diff failed");
  }
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::string words_per_line(std::string_view text) {
  std::string out;
  bool in = false;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space) {
      if (in) out += '\n';
    } else {
      out += c;
    }
    in = !space;
  }
  return out + "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t papers = 5, excerpts = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--papers") == 0) papers = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--excerpts") == 0) excerpts = std::stoul(argv[i + 1]);
  }
  if (!crypto::initialize()) die("libsodium failed its self-test");
  const std::vector<std::size_t> pages = {3, 5, 10};
  const std::vector<double> fractions = {0.10, 0.25, 0.50};
  std::string json = "{\n  \"seed\": " + std::to_string(kSeed) + ",\n  \"copies\": 20,\n  \"papers_per_length\": " +
                     std::to_string(papers) + ",\n  \"excerpts_per_copy\": " + std::to_string(excerpts) +
                     ",\n  \"word_changes\": 0.05,\n  \"char_noise\": 0.01,\n  \"accuracy\": [\n";
  std::string density = "  \"density\": [\n";
  bool first_row = true;
  for (std::size_t pi = 0; pi < pages.size(); ++pi) {
    struct Cell {
      std::size_t traces = 0, right = 0, wrong = 0, cannot = 0, readings = 0;
      double min_right_confidence = 1;
      std::map<std::string, std::size_t> reasons;
    };
    std::map<std::pair<std::size_t, bool>, Cell> cells;
    double words_total = 0, points_total = 0;
    for (std::size_t k = 0; k < papers; ++k) {
      const std::uint64_t seed = kSeed + 1000 * pages[pi] + k;
      const Paper paper = make_paper(seed, pages[pi] * kWordsPerPage, 20);
      words_total += static_cast<double>(paper.words);
      points_total += static_cast<double>(paper.variants.points().size());
      for (std::size_t c = 0; c < paper.copies.size(); ++c) {
        for (std::size_t fi = 0; fi < fractions.size(); ++fi) {
          for (const bool reorder : {false, true}) {
            for (std::size_t e = 0; e < excerpts; ++e) {
              test::LeakSpec spec;
              spec.fraction = fractions[fi];
              spec.reorder = reorder;
              const std::uint64_t leak_seed = seed * 7919 + c * 131 + fi * 17 + e * 3 + (reorder ? 1 : 0);
              const std::string leak = test::make_leak(paper.texts[c], leak_seed, spec);
              auto r = core::trace_copy(paper.variants, paper.copies, leak);
              if (!r) die(r.error().message);
              Cell& cell = cells[{fi, reorder}];
              ++cell.traces;
              cell.readings += r->readings.size();
              if (r->verdict == core::TraceVerdict::cannot_tell) {
                ++cell.cannot;
                ++cell.reasons[std::string(core::trace_reason_text(r->reason)).substr(0, 30)];
              } else if (r->label == paper.copies[c].label) {
                ++cell.right;
                cell.min_right_confidence = std::min(cell.min_right_confidence, r->confidence);
              } else {
                ++cell.wrong;
                std::fprintf(stderr, "WRONG: pages %zu paper %zu copy %zu fraction %.2f reorder %d -> %s (P %.6f)\n",
                             pages[pi], k, c, fractions[fi], reorder ? 1 : 0, r->label.c_str(), r->confidence);
              }
            }
          }
        }
      }
    }
    for (const auto& [key, cell] : cells) {
      char row[512];
      std::snprintf(row, sizeof row,
                    "%s    {\"pages\": %zu, \"fraction\": %.2f, \"reordered\": %s, \"traces\": %zu, \"right\": %zu, "
                    "\"wrong\": %zu, \"cannot_tell\": %zu, \"mean_readings\": %.1f, \"min_right_confidence\": %.6f}",
                    first_row ? "" : ",\n", pages[pi], fractions[key.first], key.second ? "true" : "false",
                    cell.traces, cell.right, cell.wrong, cell.cannot,
                    static_cast<double>(cell.readings) / static_cast<double>(cell.traces), cell.min_right_confidence);
      json += row;
      first_row = false;
      std::fprintf(stderr, "pages %zu fraction %.2f %s: right %zu wrong %zu cannot %zu of %zu (readings %.1f)\n",
                   pages[pi], fractions[key.first], key.second ? "reordered " : "contiguous", cell.right, cell.wrong,
                   cell.cannot, cell.traces, static_cast<double>(cell.readings) / static_cast<double>(cell.traces));
      for (const auto& [why, count] : cell.reasons) std::fprintf(stderr, "    cannot tell: %s... %zu\n", why.c_str(), count);
    }
    char row[256];
    std::snprintf(row, sizeof row, "%s    {\"pages\": %zu, \"words\": %.0f, \"points\": %.0f, \"words_per_point\": %.1f}",
                  pi ? ",\n" : "", pages[pi], words_total / static_cast<double>(papers),
                  points_total / static_cast<double>(papers), words_total / points_total);
    density += row;
  }
  json += "\n  ],\n" + density + "\n  ],\n";

  // Timing: a whole 10-page copy, noised, against 50 copies.
  const Paper big = make_paper(kSeed + 99, 10 * kWordsPerPage, 50);
  test::LeakSpec spec;
  spec.fraction = 1.0;
  const std::string leak = test::make_leak(big.texts[17], kSeed + 7, spec);
  std::vector<double> trace_ms;
  std::string verdict;
  for (int rep = 0; rep < 15; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    auto r = core::trace_copy(big.variants, big.copies, leak);
    trace_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!r) die(r.error().message);
    verdict = r->verdict == core::TraceVerdict::copy ? r->label : "cannot tell";
  }
  const fs::path dir = fs::temp_directory_path() / ("bench_trace_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "leak.words") << words_per_line(leak);
  for (std::size_t c = 0; c < big.copies.size(); ++c)
    std::ofstream(dir / ("copy" + std::to_string(c) + ".words")) << words_per_line(big.texts[c]);
  std::vector<double> diff_ms;
  for (int rep = 0; rep < 5; ++rep) diff_ms.push_back(diff_against_all(dir, big.copies.size()));
  fs::remove_all(dir);
  char timing[512];
  std::snprintf(timing, sizeof timing,
                "  \"timing\": {\"copies\": %zu, \"leak_words\": %zu, \"points\": %zu, \"trace_ms\": %.2f, "
                "\"diff_ms\": %.2f, \"verdict_right\": %s}\n",
                big.copies.size(), test::count_words(leak), big.variants.points().size(), median(trace_ms),
                median(diff_ms), verdict == big.copies[17].label ? "true" : "false");
  json += timing;
  json += "}\n";
  std::cout << json;
  return 0;
}
