// Vault benchmarks, each next to its reference in the same run:
//   unlock (Vault::open) vs Argon2id alone with the same parameters;
//   appending one durable note vs the same statements on plain SQLite (same schema, pragmas);
//   full-text search (20 typical queries) vs the same FTS5 query on plain SQLite.
// The data: the fixed-seed dataset (bench/dataset.cpp), 10 meetings x 10,000 notes, 250
// participants, in an encrypted vault with the default (moderate) Argon2id cost, and an
// unencrypted copy made with sqlcipher_export. Both are cached in $BC_BENCH_DATA.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "backchannel/core/notes.h"
#include "backchannel/core/search.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/vault.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/random.h"
#include "backchannel/storage/key_file.h"
#include "bench_data.h"

using namespace bc;

namespace {

using bench::die;
using bench::fts_query;
using bench::kQueries;
using bench::ensure_data;
using bench::kPassphrase;
using bench::open_plain;
using bench::open_vault;
using bench::plain_db;
using bench::vault_dir;

// ---- unlock ----

void BM_Unlock_Argon2idOnly(benchmark::State& state) {
  ensure_data();
  auto keys = storage::load_key_file(vault_dir() / "vault.keys");
  if (!keys) die(keys.error().message);
  const auto pass = crypto::SecureBuffer::copy_of(std::string_view(kPassphrase));
  for (auto _ : state) {
    auto k = crypto::argon2id_derive(pass.span(), keys->find(storage::SlotType::passphrase)->kdf);
    benchmark::DoNotOptimize(k.ok());
  }
}
BENCHMARK(BM_Unlock_Argon2idOnly)->Unit(benchmark::kMillisecond)->Iterations(5)->Repetitions(3)->ReportAggregatesOnly();

void BM_Unlock_VaultOpen(benchmark::State& state) {
  ensure_data();
  for (auto _ : state) {
    core::Vault v = open_vault();
    benchmark::DoNotOptimize(v.is_open());
    v.lock();
  }
}
BENCHMARK(BM_Unlock_VaultOpen)->Unit(benchmark::kMillisecond)->Iterations(5)->Repetitions(3)->ReportAggregatesOnly();

// The part of unlocking that is not Argon2id, measured as paired differences: each iteration
// times Argon2id alone and then a whole open, back to back, so both see the same machine state.
void BM_Unlock_BeyondArgon2id(benchmark::State& state) {
  ensure_data();
  auto keys = storage::load_key_file(vault_dir() / "vault.keys");
  if (!keys) die(keys.error().message);
  const auto pass = crypto::SecureBuffer::copy_of(std::string_view(kPassphrase));
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto k = crypto::argon2id_derive(pass.span(), keys->find(storage::SlotType::passphrase)->kdf);
    const auto t1 = std::chrono::steady_clock::now();
    core::Vault v = open_vault();
    const auto t2 = std::chrono::steady_clock::now();
    v.lock();
    const double diff = std::chrono::duration<double>((t2 - t1) - (t1 - t0)).count();
    state.SetIterationTime(std::max(diff, 0.0));
  }
}
BENCHMARK(BM_Unlock_BeyondArgon2id)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(4)->Repetitions(5)
    ->ReportAggregatesOnly();

// ---- append one durable note ----

// The append benchmarks write into copies: thousands of appended notes would otherwise pile up
// in meeting 1 of the shared vault run after run (it had grown to 44,000 notes, and the summary
// benchmark, which reads that meeting, measured four times the notes it claims).
std::filesystem::path fresh_copy(const std::filesystem::path& src, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dst = bench::data_dir() / name;
  fs::remove_all(dst);
  std::error_code ec;
  fs::copy(src, dst, fs::copy_options::recursive, ec);
  if (ec) die("copying " + src.string() + ": " + ec.message());
  return dst;
}

void BM_Append_Vault(benchmark::State& state) {
  ensure_data();
  auto opened = core::Vault::open(fresh_copy(vault_dir(), "vault-append"),
                                  crypto::SecureBuffer::copy_of(std::string_view(kPassphrase)));
  if (!opened) die(opened.error().message);
  core::Vault v = std::move(*opened);
  core::NewNote n;
  n.meeting_id = 1;
  n.speaker_key = "p7";
  n.kind = core::NoteKind::proposal;
  int i = 0;
  for (auto _ : state) {
    n.text = "A joint fact sheet on maritime incidents, draft " + std::to_string(++i) + ", before the next round.";
    auto id = core::add_note(v, n);
    if (!id) die(id.error().message);
  }
}
BENCHMARK(BM_Append_Vault)->Unit(benchmark::kMillisecond)->MinTime(3)->Repetitions(3)->ReportAggregatesOnly();

void BM_Append_PlainSqlite(benchmark::State& state) {
  ensure_data();
  auto plain = storage::Database::open_plain(fresh_copy(plain_db(), "plain-append.db"), storage::OpenMode::open_existing);
  if (!plain) die(plain.error().message);
  storage::Database db = std::move(*plain);
  const auto key = crypto::SecureBuffer(32);
  int i = 0;
  for (auto _ : state) {
    const std::string text = "A joint fact sheet on maritime incidents, draft " + std::to_string(++i) + ", before the next round.";
    // The same statements add_note runs, in one transaction.
    auto tx = storage::Transaction::begin(db);
    auto note = db.prepare("INSERT INTO notes(uid, meeting_id, speaker_id, kind, at, visibility, text, search_text, "
                           "revision, created_at, updated_at) VALUES (?,1,7,'proposal','2026-01-01T00:00:00Z','summary',?,?,1,"
                           "'2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')");
    note->bind(1, crypto::to_hex(crypto::random_bytes(16))).bind(2, text).bind(3, core::normalize(text));
    if (auto st = note->run(); !st) die(st.error().message);
    const auto id = db.last_insert_rowid();
    auto rev = db.prepare("INSERT INTO note_revisions(uid, note_id, revision, text, created_at) VALUES (?,?,1,?,'x')");
    rev->bind(1, crypto::to_hex(crypto::random_bytes(16))).bind(2, id).bind(3, text);
    if (!rev->run()) die("revision");
    auto last = db.prepare("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1");
    (void)last->step();
    const auto seq = last->column_int64(0) + 1;
    const auto mac = crypto::hmac_sha256(key.span(), crypto::bytes_of(text));
    auto audit = db.prepare("INSERT INTO audit_log(seq, at, action, subject, prev_mac, mac) VALUES (?,'x','note.add',?,?,?)");
    audit->bind(1, seq).bind(2, "note " + std::to_string(id)).bind_blob(3, mac).bind_blob(4, mac);
    if (!audit->run()) die("audit");
    if (!tx->commit()) die("commit");
  }
}
BENCHMARK(BM_Append_PlainSqlite)->Unit(benchmark::kMillisecond)->MinTime(3)->Repetitions(3)->ReportAggregatesOnly();

// ---- search ----


void BM_Search_Vault(benchmark::State& state) {
  ensure_data();
  static core::Vault v = open_vault();
  const char* q = kQueries[state.range(0)];
  std::size_t hits = 0;
  for (auto _ : state) {
    auto r = core::search_notes(v, q, 50);
    if (!r) die(r.error().message);
    hits = r->size();
  }
  state.counters["hits"] = static_cast<double>(hits);
}
BENCHMARK(BM_Search_Vault)->DenseRange(0, 19)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

void BM_Search_PlainSqlite(benchmark::State& state) {
  ensure_data();
  static storage::Database db = open_plain();
  const std::string q = fts_query(kQueries[state.range(0)]);
  std::size_t hits = 0;
  for (auto _ : state) {
    auto st = db.prepare("SELECT n.id, n.meeting_id, m.title, p.name, n.text FROM notes_fts f "
                         "JOIN notes n ON n.id = f.rowid JOIN meetings m ON m.id = n.meeting_id "
                         "LEFT JOIN participants p ON p.id = n.speaker_id "
                         "WHERE notes_fts MATCH ? AND n.deleted_at IS NULL ORDER BY f.rank LIMIT 50");
    st->bind(1, q);
    hits = 0;
    while (*st->step()) {
      benchmark::DoNotOptimize(st->column_text(4));
      ++hits;
    }
  }
  state.counters["hits"] = static_cast<double>(hits);
}
BENCHMARK(BM_Search_PlainSqlite)->DenseRange(0, 19)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly();

}  // namespace
