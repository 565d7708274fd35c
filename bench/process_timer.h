// Running a whole program for a benchmark: wall time and peak resident memory (from wait4).
#pragma once

#include <string>
#include <vector>

namespace bc::bench {

struct ProcessRun {
  double seconds = 0;
  double max_rss_mib = 0;
  int exit_code = -1;
};

/// Runs `argv` (argv[0] looked up in PATH), stdin from `in` (or /dev/null), stdout to `out` (or
/// /dev/null), stderr to `err` (or the benchmark's own), with the extra environment entries
/// ("NAME=value").
ProcessRun run_process(const std::vector<std::string>& argv, const std::string& in = "", const std::string& out = "",
                       const std::vector<std::string>& env = {}, const std::string& err = "");

}  // namespace bc::bench
