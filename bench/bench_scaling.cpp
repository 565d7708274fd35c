// Scaling: search and summary time against vault size, 1,000 to 1,000,000 notes (fixed-seed
// dataset, 250 participants; meetings of at most 100,000 notes, the import limit per file).
// For each size: the 20 typical queries through core::search_notes and the same FTS5 query on an
// unencrypted copy (p50 and p95 over 3 rounds of the 20 queries), and a participants-audience
// summary of the vault's largest meeting. Writes CSV to stdout; scripts/bench plots it.
// usage: bench_scaling [MAX_NOTES]     (vaults are cached under $BC_BENCH_DATA/scaling-N)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/search.h"
#include "backchannel/core/summary.h"
#include "backchannel/core/text_normalizer.h"
#include "bench_data.h"
#include "dataset.h"
#include "vault_store_access.h"

using namespace bc;
namespace fs = std::filesystem;

namespace {

using bench::fts_query;
using bench::kQueries;

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct Sized {
  fs::path vault, plain;
  std::size_t notes_per_meeting = 0, meetings = 0;
};

Sized ensure(std::size_t notes) {
  Sized s;
  s.vault = bench::data_dir() / ("scaling-" + std::to_string(notes));
  s.plain = bench::data_dir() / ("scaling-" + std::to_string(notes) + "-plain.db");
  s.notes_per_meeting = std::min<std::size_t>(notes, 100000);
  s.meetings = notes / s.notes_per_meeting;
  const auto pass = [] { return crypto::SecureBuffer::copy_of(std::string_view(bench::kPassphrase)); };
  if (!fs::exists(s.vault / "vault.keys")) {
    std::cerr << "generating the " << notes << "-note vault (once)...\n";
    fs::remove_all(s.vault);
    fs::remove(s.plain);
    // The cheapest Argon2id profile: unlocking is not what this measures.
    auto c = core::Vault::create(s.vault, pass(), crypto::KdfProfile::interactive);
    if (!c) bench::die(c.error().message);
    bench::DatasetSpec spec;
    spec.notes_per_meeting = s.notes_per_meeting;
    spec.meetings = s.meetings;
    for (const auto& doc : bench::generate_meetings(spec)) {
      auto r = core::import_meeting(c->vault, doc);
      if (!r) bench::die(r.error().message);
    }
  }
  if (!fs::exists(s.plain)) {
    auto v = core::Vault::open(s.vault, pass());
    if (!v) bench::die(v.error().message);
    auto& db = bc::core::vault_store(*v).db();
    std::ofstream(s.plain).close();
    if (auto e = db.exec("ATTACH DATABASE '" + s.plain.string() + "' AS plaintext KEY ''"); !e) bench::die(e.error().message);
    if (auto e = db.exec("SELECT sqlcipher_export('plaintext')"); !e) bench::die(e.error().message);
    if (auto e = db.exec("DETACH DATABASE plaintext"); !e) bench::die(e.error().message);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (!core::Vault::initialize_libraries()) return 1;
  const std::size_t max_notes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::printf("notes,search_p50_ms,search_p95_ms,plain_search_p50_ms,plain_search_p95_ms,summary_meeting_notes,summary_ms\n");
  for (std::size_t n = 1000; n <= max_notes; n *= 10) {
    const Sized s = ensure(n);
    auto v = core::Vault::open(s.vault, crypto::SecureBuffer::copy_of(std::string_view(bench::kPassphrase)));
    if (!v) bench::die(v.error().message);
    auto plain = storage::Database::open_plain(s.plain, storage::OpenMode::open_existing);
    if (!plain) bench::die(plain.error().message);

    std::vector<double> ours, ref;
    for (int round = 0; round < 4; ++round) {  // round 0 warms the page cache, not counted
      for (const char* q : kQueries) {
        auto t0 = std::chrono::steady_clock::now();
        auto r = core::search_notes(*v, q, 50);
        if (!r) bench::die(r.error().message);
        if (round > 0) ours.push_back(ms_since(t0));

        t0 = std::chrono::steady_clock::now();
        auto st = plain->prepare(
            "SELECT n.id, n.meeting_id, m.title, p.name, n.text FROM notes_fts f "
            "JOIN notes n ON n.id = f.rowid JOIN meetings m ON m.id = n.meeting_id "
            "LEFT JOIN participants p ON p.id = n.speaker_id "
            "WHERE notes_fts MATCH ? AND n.deleted_at IS NULL ORDER BY f.rank LIMIT 50");
        if (!st) bench::die(st.error().message);
        st->bind(1, fts_query(q));
        std::size_t chars = 0;
        while (*st->step()) chars += st->column_text(4).size();
        if (round > 0) ref.push_back(ms_since(t0));
        if (chars == static_cast<std::size_t>(-1)) std::puts("");  // keeps the reads
      }
    }

    core::SummaryOptions opts;
    opts.audience = core::Audience::participants;
    std::vector<double> sums;
    for (int i = 0; i < 3; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto r = core::produce_summary(*v, 1, opts, core::SummaryFormat::markdown);
      if (!r) bench::die(r.error().message);
      sums.push_back(ms_since(t0));
    }
    std::printf("%zu,%.3f,%.3f,%.3f,%.3f,%zu,%.1f\n", n, percentile(ours, 0.5), percentile(ours, 0.95),
                percentile(ref, 0.5), percentile(ref, 0.95), s.notes_per_meeting, percentile(sums, 0.5));
    std::fflush(stdout);
  }
  return 0;
}
