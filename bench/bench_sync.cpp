// Team sync benchmarks (docs/sync.md), each next to its reference in the same run. Prints one
// JSON object.
//
//   bench_sync join [NOTES]
//     A device joining a series of NOTES notes (default 100,000: the fixed-seed dataset of 10
//     meetings, 250 participants) against an export of the same series to an archive plus its
//     import into an empty vault. Join = the convenor's first sync (the snapshot bundle) + the
//     newcomer's two syncs (the first lists the signer, the second applies the snapshot after
//     `team accept`). Also bytes per note: the snapshot bundle, a changes bundle of 50 notes, a
//     changes bundle of one note, and the archive.
//
//   bench_sync latency FOLDER_A FOLDER_B [NOTES]
//     Two vaults, A syncing through FOLDER_A and B through FOLDER_B, which a real engine (two
//     Syncthing daemons on loopback, started by scripts/bench) keeps equal. For each of NOTES
//     notes (default 50): from `add_note` returning on A, A publishes (ours), the engine carries
//     the bundle to FOLDER_B (polled every 2 ms), B applies it (ours) and the note is readable in B.
//     Both vaults stay unlocked, as in the desktop client, which publishes after each change and
//     watches the folder.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "backchannel/core/archive.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meeting_import.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/sync.h"
#include "backchannel/core/team.h"
#include "backchannel/crypto/age.h"
#include "bench_data.h"
#include "dataset.h"
#include "sync_state.h"
#include "vault_store_access.h"

using namespace bc;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r) bench::die(std::string(what) + ": " + r.error().message);
  return std::move(r).value();
}
void must(const Status& s, const char* what) {
  if (!s) bench::die(std::string(what) + ": " + s.error().message);
}

const crypto::SecureBuffer& passphrase() {
  static const crypto::SecureBuffer p = crypto::SecureBuffer::copy_of(std::string_view(bench::kPassphrase));
  return p;
}

core::Vault fresh_vault(const fs::path& dir) {
  fs::remove_all(dir);
  return must(core::Vault::create(dir, passphrase(), crypto::KdfProfile::interactive), "create a vault").vault;
}

std::uint64_t folder_bytes(const fs::path& dir) {
  std::uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

core::NewNote note_in(std::int64_t meeting, std::string text) {
  core::NewNote n;
  n.meeting_id = meeting;
  n.text = std::move(text);
  return n;
}

core::MemberIdentity member_identity(core::Vault& v) {
  const auto id = must(core::vault_identity(v), "identity");
  return {id.recipient, id.signing_key, id.fingerprint};
}

// A team of `convenor` (series 1) and `member`, with `member` caught up through `folder`.
void join(core::Vault& convenor, core::Vault& member, const fs::path& folder, double* publish_ms, double* join_ms) {
  const auto series = must(core::list_series(convenor), "series").front();
  must(core::create_team(convenor, series.id), "team create");
  const auto id = member_identity(member);
  must(core::add_team_member(convenor, series.id, id, id.fingerprint), "team add");
  auto t0 = Clock::now();
  must(core::sync_once(convenor, folder), "the convenor's sync");
  if (publish_ms) *publish_ms = ms_since(t0);
  t0 = Clock::now();
  must(core::sync_once(member, folder), "the newcomer's first sync");
  must(core::accept_team_signer(member, must(core::vault_identity(convenor), "identity").fingerprint), "team accept");
  const auto r = must(core::sync_once(member, folder), "the newcomer's second sync");
  if (join_ms) *join_ms = ms_since(t0);
  if (r.applied < 1 || r.pending != 0) bench::die("the newcomer did not apply the snapshot");
}

int run_join(std::size_t notes) {
  const fs::path work = bench::data_dir() / "sync-join";
  const fs::path cached = bench::data_dir() / ("sync-series-" + std::to_string(notes));
  if (!fs::exists(cached / "vault.keys")) {
    std::cerr << "generating the " << notes << "-note series (once)...\n";
    core::Vault v = fresh_vault(cached);
    bench::DatasetSpec spec;
    spec.meetings = std::max<std::size_t>(1, notes / 10000);
    spec.notes_per_meeting = notes / spec.meetings;
    for (const auto& doc : bench::generate_meetings(spec)) must(core::import_meeting(v, doc), "import");
  }
  fs::remove_all(work);
  fs::create_directories(work);
  fs::copy(cached, work / "convenor", fs::copy_options::recursive);
  core::Vault convenor = must(core::Vault::open(work / "convenor", passphrase()), "open");
  const std::size_t in_series = static_cast<std::size_t>(
      must(core::vault_store(convenor).db().query_int("SELECT count(*) FROM notes WHERE deleted_at IS NULL"), "count"));

  // Reference: export the series to an archive for the newcomer, and import it there.
  core::Vault importer = fresh_vault(work / "importer");
  const fs::path archive = work / "series.age";
  auto t0 = Clock::now();
  {
    std::FILE* f = std::fopen(archive.c_str(), "wb");
    core::ExportOptions o;
    o.recipients.emplace_back(crypto::age::X25519Recipient{must(core::vault_identity(importer), "identity").x25519});
    must(core::export_archive(convenor, o, [f](std::span<const std::uint8_t> b) -> Status {
           std::fwrite(b.data(), 1, b.size(), f);
           return {};
         }),
         "export");
    std::fflush(f);
    fsync(fileno(f));
    std::fclose(f);
  }
  const double export_ms = ms_since(t0);
  t0 = Clock::now();
  {
    core::ImportOptions o;
    o.trust_fingerprint = must(core::vault_identity(convenor), "identity").fingerprint;
    auto key = must(core::vault_store(importer).identity_x25519(), "key");
    o.identities.emplace_back(crypto::age::X25519Identity{std::move(key.secret_key)});
    std::FILE* f = std::fopen(archive.c_str(), "rb");
    auto r = core::import_archive(importer, [f](std::span<std::uint8_t> b) -> Result<std::size_t> {
      return std::fread(b.data(), 1, b.size(), f);
    }, o);
    std::fclose(f);
    if (!r) bench::die("import: " + r.error().message);
  }
  const double import_ms = ms_since(t0);

  // Join through a folder.
  core::Vault member = fresh_vault(work / "member");
  const fs::path folder = work / "folder";
  fs::create_directories(folder);
  double publish_ms = 0, join_ms = 0;
  join(convenor, member, folder, &publish_ms, &join_ms);
  const std::uint64_t snapshot_bytes = folder_bytes(folder);
  const std::size_t joined = static_cast<std::size_t>(
      must(core::vault_store(member).db().query_int("SELECT count(*) FROM notes WHERE deleted_at IS NULL"), "count"));
  if (joined != in_series) bench::die("the newcomer holds " + std::to_string(joined) + " notes of " + std::to_string(in_series));

  // Changes bundles: one of 50 notes, then one of a single note (the member publishes them).
  const auto meetings = must(core::list_meetings(member), "meetings");
  const std::int64_t meeting = meetings.back().id;
  const std::uint64_t before50 = folder_bytes(folder);
  for (int i = 0; i < 50; ++i)
    must(core::add_note(member, note_in(meeting, "A note of typical length, typed by the rapporteur during the session, about the "
                                                  "joint survey of the shared river basin, number " + std::to_string(i) + ".")),
         "note");
  must(core::sync_once(member, folder), "publish 50");
  const std::uint64_t bundle50 = folder_bytes(folder) - before50;
  const std::uint64_t before1 = folder_bytes(folder);
  must(core::add_note(member, note_in(meeting, "One more note.")), "note");
  must(core::sync_once(member, folder), "publish 1");
  const std::uint64_t bundle1 = folder_bytes(folder) - before1;

  const double reference_ms = export_ms + import_ms;
  json out{{"notes", in_series},
           {"export_ms", export_ms},
           {"import_ms", import_ms},
           {"export_plus_import_ms", reference_ms},
           {"convenor_snapshot_publish_ms", publish_ms},
           {"newcomer_join_ms", join_ms},
           {"join_total_ms", publish_ms + join_ms},
           {"ratio_join_total_to_export_import", (publish_ms + join_ms) / reference_ms},
           {"ratio_newcomer_to_import", join_ms / import_ms},
           {"archive_bytes", fs::file_size(archive)},
           {"archive_bytes_per_note", static_cast<double>(fs::file_size(archive)) / static_cast<double>(in_series)},
           {"snapshot_bytes", snapshot_bytes},
           {"snapshot_bytes_per_note", static_cast<double>(snapshot_bytes) / static_cast<double>(in_series)},
           {"changes_bundle_50_notes_bytes", bundle50},
           {"changes_bundle_50_bytes_per_note", static_cast<double>(bundle50) / 50.0},
           {"changes_bundle_1_note_bytes", bundle1}};
  std::cout << out.dump(2) << "\n";
  fs::remove_all(work);
  return 0;
}

fs::path bundle_file(const fs::path& folder, const std::string& series, const std::string& device, std::int64_t seq) {
  return folder / series / device / (std::to_string(seq) + ".age");
}

// Waits until `p` exists (the engine renames a finished file into place); false after `ms`.
bool wait_for_file(const fs::path& p, int ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
  while (Clock::now() < deadline) {
    std::error_code ec;
    if (fs::exists(p, ec)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

int run_latency(const fs::path& fa, const fs::path& fb, std::size_t count) {
  const fs::path work = fa.parent_path() / "latency-vaults";
  fs::create_directories(work);
  core::Vault a = fresh_vault(work / "a");
  core::Vault b = fresh_vault(work / "b");
  const fs::path sample = fs::path(BC_SAMPLE_MEETING);
  {
    std::FILE* f = std::fopen(sample.c_str(), "rb");
    if (!f) bench::die("cannot read the sample meeting");
    std::string doc;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) doc.append(buf, n);
    std::fclose(f);
    must(core::import_meeting(a, doc), "import");
  }
  const auto series = must(core::list_series(a), "series").front();
  must(core::create_team(a, series.id), "team create");
  const auto id = member_identity(b);
  must(core::add_team_member(a, series.id, id, id.fingerprint), "team add");
  must(core::sync_once(a, fa), "first sync");
  const std::string dev_a = must(core::sync::device_id(a), "device");
  if (!wait_for_file(bundle_file(fb, series.uid, dev_a, 1), 60000)) bench::die("the engine did not carry the first bundle");
  must(core::sync_once(b, fb), "b lists the signer");
  must(core::accept_team_signer(b, must(core::vault_identity(a), "identity").fingerprint), "accept");
  if (must(core::sync_once(b, fb), "b joins").applied < 1) bench::die("b did not join");
  // Whatever b published on joining goes back to a before the measurements start.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  must(core::sync_once(a, fa), "a catches up");

  std::vector<double> total, publish, delivery, apply;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string text = "Latency note " + std::to_string(i) + ": the rapporteur types, the other organizer reads.";
    const std::int64_t note = must(core::add_note(a, note_in(1, text)), "note add");
    const std::string uid = must(core::get_note(a, note), "note").uid;
    const auto t0 = Clock::now();  // `note add` has returned
    const auto rep = must(core::sync_once(a, fa), "publish");
    publish.push_back(ms_since(t0));
    if (rep.published != 1) bench::die("a published " + std::to_string(rep.published) + " bundles for one note");
    const std::int64_t seq = must(core::sync::chains(a, series.uid), "chains").at(dev_a).seq;
    const auto t1 = Clock::now();
    if (!wait_for_file(bundle_file(fb, series.uid, dev_a, seq), 30000)) bench::die("the engine did not carry a bundle in 30 s");
    delivery.push_back(ms_since(t1));
    const auto t2 = Clock::now();
    must(core::sync_once(b, fb), "apply");
    bool readable = false;
    for (const auto& n : must(core::list_notes(b, 1), "notes")) readable = readable || (n.uid == uid && n.text == text);
    apply.push_back(ms_since(t2));
    if (!readable) bench::die("the note is not readable in b after its bundle was applied");
    total.push_back(ms_since(t0));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // notes a few moments apart, as typed
  }
  auto stats = [](const std::vector<double>& v) { return json{{"p50_ms", percentile(v, 0.5)}, {"p95_ms", percentile(v, 0.95)}}; };
  std::vector<double> ours;
  for (std::size_t i = 0; i < total.size(); ++i) ours.push_back(publish[i] + apply[i]);
  double sum_ours = 0, sum_total = 0;
  for (std::size_t i = 0; i < total.size(); ++i) sum_ours += ours[i], sum_total += total[i];
  json out{{"notes", count},
           {"total", stats(total)},
           {"ours_publish", stats(publish)},
           {"engine_delivery", stats(delivery)},
           {"ours_apply_and_read", stats(apply)},
           {"ours_publish_plus_apply", stats(ours)},
           {"ours_share_of_total", sum_ours / sum_total}};
  std::cout << out.dump(2) << "\n";
  fs::remove_all(work);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  must(core::Vault::initialize_libraries(), "initialize");
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "join") return run_join(argc > 2 ? std::stoul(argv[2]) : 100000);
  if (mode == "latency" && argc >= 4) return run_latency(argv[2], argv[3], argc > 4 ? std::stoul(argv[4]) : 50);
  std::fprintf(stderr, "usage: bench_sync join [NOTES] | bench_sync latency FOLDER_A FOLDER_B [NOTES]\n");
  return 1;
}
