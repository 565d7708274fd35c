// The main() of the Google Benchmark programs: the libraries are initialized (libsodium, the
// wiping SQLite allocator) before any benchmark opens a vault.
#include <benchmark/benchmark.h>

#include "backchannel/core/vault.h"

int main(int argc, char** argv) {
  if (!bc::core::Vault::initialize_libraries()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
