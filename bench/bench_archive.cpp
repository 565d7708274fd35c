// age throughput and whole-vault export/import, each next to its reference in the same run:
//   encrypt/decrypt 512 MiB: backchannel-cli age vs the `age` tool (whole processes, output to
//   /dev/null), with raw libsodium ChaCha20-Poly1305 over the same bytes as the ceiling;
//   export and import of the 100,000-note vault vs `sqlite3 .dump` of its plaintext copy, with
//   peak memory.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <fstream>
#include <random>

#include "backchannel/core/archive.h"
#include "backchannel/core/identity.h"
#include "backchannel/storage/schema.h"
#include "bench_data.h"
#include "process_timer.h"
#include "vault_store_access.h"

using namespace bc;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kAgeBytes = 512u << 20;

struct AgeFiles {
  fs::path plain, key, cipher, ours_cipher;
  std::string recipient;
  fs::path cli;
};

const AgeFiles& age_files() {
  static AgeFiles f = [] {
    AgeFiles a;
    const fs::path d = bench::data_dir();
    fs::create_directories(d);
    a.plain = d / "plain-512mib.bin";
    a.key = d / "age-key.txt";
    a.cipher = d / "cipher-by-age.age";
    a.ours_cipher = d / "cipher-by-us.age";
    const char* cli = std::getenv("BC_CLI");
    a.cli = cli != nullptr ? cli : "backchannel-cli";
    if (!fs::exists(a.plain) || fs::file_size(a.plain) != kAgeBytes) {
      std::ofstream out(a.plain, std::ios::binary);
      std::mt19937_64 rng(512);
      std::vector<std::uint64_t> block(1 << 16);
      for (std::size_t done = 0; done < kAgeBytes; done += block.size() * 8) {
        for (auto& x : block) x = rng();
        out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size() * 8));
      }
    }
    if (!fs::exists(a.key)) bench::run_process({"age-keygen", "-o", a.key.string()});
    bench::run_process({"age-keygen", "-y", a.key.string()}, "", (d / "age-recipient.txt").string());
    std::ifstream rin(d / "age-recipient.txt");
    std::getline(rin, a.recipient);
    if (a.recipient.rfind("age1", 0) != 0) bench::die("age-keygen did not produce a recipient");
    bench::run_process({"age", "-r", a.recipient, a.plain.string()}, "", a.cipher.string());
    bench::run_process({a.cli.string(), "age", "encrypt", "-r", a.recipient, a.plain.string()}, "", a.ours_cipher.string());
    return a;
  }();
  return f;
}

void report_process(benchmark::State& state, const bench::ProcessRun& r) {
  if (r.exit_code != 0) bench::die("a benchmarked program failed");
  state.SetIterationTime(r.seconds);
  state.counters["max_rss_mib"] = r.max_rss_mib;
}

void BM_AgeEncrypt_Ours(benchmark::State& state) {
  const auto& f = age_files();
  for (auto _ : state) report_process(state, bench::run_process({f.cli.string(), "age", "encrypt", "-r", f.recipient, f.plain.string()}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kAgeBytes));
}
BENCHMARK(BM_AgeEncrypt_Ours)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

void BM_AgeEncrypt_AgeTool(benchmark::State& state) {
  const auto& f = age_files();
  for (auto _ : state) report_process(state, bench::run_process({"age", "-r", f.recipient, f.plain.string()}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kAgeBytes));
}
BENCHMARK(BM_AgeEncrypt_AgeTool)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

void BM_AgeDecrypt_Ours(benchmark::State& state) {
  const auto& f = age_files();
  for (auto _ : state)
    report_process(state, bench::run_process({f.cli.string(), "age", "decrypt", "-i", f.key.string(), f.cipher.string()}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kAgeBytes));
}
BENCHMARK(BM_AgeDecrypt_Ours)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

void BM_AgeDecrypt_AgeTool(benchmark::State& state) {
  const auto& f = age_files();
  for (auto _ : state) report_process(state, bench::run_process({"age", "-d", "-i", f.key.string(), f.ours_cipher.string()}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kAgeBytes));
}
BENCHMARK(BM_AgeDecrypt_AgeTool)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

// The ceiling: ChaCha20-Poly1305 (IETF) over the same number of bytes in 64 KiB chunks, in
// memory, no I/O, no process start.
void BM_AgeCeiling_RawChaCha20Poly1305(benchmark::State& state) {
  if (sodium_init() < 0) bench::die("sodium_init");
  std::vector<std::uint8_t> chunk(64 * 1024, 0x5a), out(64 * 1024 + 16);
  std::uint8_t key[32] = {1}, nonce[12] = {0};
  for (auto _ : state) {
    for (std::size_t done = 0; done < kAgeBytes; done += chunk.size()) {
      ++nonce[0];
      unsigned long long len = 0;
      crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &len, chunk.data(), chunk.size(), nullptr, 0, nullptr, nonce, key);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kAgeBytes));
}
BENCHMARK(BM_AgeCeiling_RawChaCha20Poly1305)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

// ---- whole-vault export and import ----

fs::path archive_path() { return bench::data_dir() / "vault-100k-archive.age"; }

void BM_Export_WholeVault(benchmark::State& state) {
  bench::ensure_data();
  static core::Vault v = bench::open_vault();
  double peak = 0;
  for (auto _ : state) {
    fs::remove(archive_path());
    std::ofstream("/proc/self/clear_refs") << "5";
    const long before = bench::status_kib("VmRSS:");
    std::FILE* f = std::fopen(archive_path().c_str(), "wb");
    core::ExportOptions o;
    o.recipients.emplace_back(crypto::age::X25519Recipient{core::vault_identity(v)->x25519});
    auto r = core::export_archive(v, o, [f](std::span<const std::uint8_t> b) -> Status {
      std::fwrite(b.data(), 1, b.size(), f);
      return {};
    });
    std::fflush(f);
    fsync(fileno(f));
    std::fclose(f);
    if (!r) bench::die(r.error().message);
    peak = static_cast<double>(bench::status_kib("VmHWM:") - before) / 1024.0;
    state.counters["notes"] = static_cast<double>(r->notes);
  }
  state.counters["peak_growth_mib"] = peak;
  state.counters["archive_mib"] = static_cast<double>(fs::file_size(archive_path())) / (1 << 20);
}
BENCHMARK(BM_Export_WholeVault)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

// A new, empty vault in the benchmark folder (replacing any left by an earlier run): where
// import and its storage floor write.
core::Vault empty_vault(const std::string& name) {
  const fs::path dir = bench::data_dir() / name;
  fs::remove_all(dir);
  auto c = core::Vault::create(dir, crypto::SecureBuffer::copy_of(std::string_view(name)), crypto::KdfProfile::interactive);
  if (!c) bench::die(c.error().message);
  return std::move(c->vault);
}

void BM_Import_WholeVault(benchmark::State& state) {
  bench::ensure_data();
  static core::Vault source = bench::open_vault();
  if (!fs::exists(archive_path())) bench::die("run the export benchmark first");
  double peak = 0;
  for (auto _ : state) {
    state.PauseTiming();
    core::Vault target = empty_vault("import-target");
    // The archive is encrypted to the source vault; give its identity to the importer.
    auto id = bc::core::vault_store(source).identity_x25519();
    core::ImportOptions o;
    o.trust_fingerprint = core::vault_identity(source)->fingerprint;
    o.identities.emplace_back(crypto::age::X25519Identity{std::move(id->secret_key)});
    std::FILE* f = std::fopen(archive_path().c_str(), "rb");
    std::ofstream("/proc/self/clear_refs") << "5";
    const long before = bench::status_kib("VmRSS:");
    state.ResumeTiming();
    auto r = core::import_archive(target, [f](std::span<std::uint8_t> b) -> Result<std::size_t> {
      return std::fread(b.data(), 1, b.size(), f);
    }, o);
    state.PauseTiming();
    std::fclose(f);
    if (!r) bench::die(r.error().message);
    peak = static_cast<double>(bench::status_kib("VmHWM:") - before) / 1024.0;
    state.counters["notes"] = static_cast<double>(r->notes_added);
    state.ResumeTiming();
  }
  state.counters["peak_growth_mib"] = peak;
}
BENCHMARK(BM_Import_WholeVault)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

// The storage floor of import: a new vault, created as the import's target is, receives the same
// rows by INSERT ... SELECT from the plaintext copy (one transaction, the search index filled at
// the end as import fills it). No archive is read, decrypted, parsed or checked: this is what
// SQLCipher alone needs to write these rows with this schema, the work import cannot avoid.
void BM_Reference_VaultInsertSelect(benchmark::State& state) {
  bench::ensure_data();
  for (auto _ : state) {
    state.PauseTiming();
    core::Vault target = empty_vault("copy-target");
    auto& db = bc::core::vault_store(target).db();
    if (auto e = db.exec("ATTACH DATABASE '" + bench::plain_db().string() + "' AS plaintext KEY ''"); !e) bench::die(e.error().message);
    state.ResumeTiming();
    {
      storage::ScopedCacheSize cache(db, 64 << 20);
      auto tx = storage::Transaction::begin(db);
      if (!tx) bench::die(tx.error().message);
      auto bulk = storage::NoteBulkLoad::begin(db);
      if (!bulk) bench::die(bulk.error().message);
      for (const char* t : {"series", "meetings", "participants", "participant_aliases", "attendance", "disclosure", "notes",
                            "note_revisions"})
        if (auto e = db.exec(std::string("INSERT INTO main.") + t + " SELECT * FROM plaintext." + t); !e) bench::die(e.error().message);
      if (auto e = bulk->finish(); !e) bench::die(e.error().message);
      if (auto e = tx->commit(); !e) bench::die(e.error().message);
    }
    state.PauseTiming();
    state.counters["notes"] = static_cast<double>(*db.query_int("SELECT count(*) FROM notes"));
    if (auto e = db.exec("DETACH DATABASE plaintext"); !e) bench::die(e.error().message);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Reference_VaultInsertSelect)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

void BM_Reference_SqliteDump(benchmark::State& state) {
  bench::ensure_data();
  for (auto _ : state) report_process(state, bench::run_process({"sqlite3", bench::plain_db().string(), ".dump"}));
}
BENCHMARK(BM_Reference_SqliteDump)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

// The counterpart of import: loading that dump into a new, empty, unencrypted database (one
// transaction, as the dump is written; its FTS5 index is copied as rows, not rebuilt).
void BM_Reference_SqliteRestore(benchmark::State& state) {
  bench::ensure_data();
  const fs::path dump = bench::data_dir() / "plain-100k.sql";
  const fs::path target = bench::data_dir() / "plain-100k-restored.db";
  if (!fs::exists(dump)) bench::run_process({"sqlite3", bench::plain_db().string(), ".dump"}, "", dump.string());
  for (auto _ : state) {
    fs::remove(target);
    report_process(state, bench::run_process({"sqlite3", target.string()}, dump.string()));
  }
  fs::remove(target);
}
BENCHMARK(BM_Reference_SqliteRestore)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly();

}  // namespace
