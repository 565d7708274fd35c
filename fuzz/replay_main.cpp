// Corpus replay for builds without libFuzzer (the ordinary g++ test build): runs every file of
// the folders (or files) given on the command line once through LLVMFuzzerTestOneInput, plus
// the empty input. A property violation aborts, which ctest reports as a failure.
// usage: fuzz_replay_TARGET DIR_OR_FILE...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path p(argv[i]);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().filename().string().rfind("README", 0) != 0) files.push_back(e.path());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    }
    // A folder that does not exist (no regressions yet) is fine.
  }
  std::sort(files.begin(), files.end());
  const auto start = std::chrono::steady_clock::now();
  LLVMFuzzerTestOneInput(nullptr, 0);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", f.string().c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu inputs replayed in %lld ms\n", files.size() + 1, static_cast<long long>(ms));
  return 0;
}
