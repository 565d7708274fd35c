// Tamper and corruption sweeps: single bytes flipped at hundreds of offsets of vault.db,
// vault.keys, the WAL, an archive (`export`) and a summary package (`package summary`); pages of
// vault.db swapped and zeroed; vault.db truncated; vault.keys restored to its copy from before a
// `passwd`; the whole vault rolled back.
//
// Each damaged file is read two ways: in-process at every offset (the database with its raw key,
// the key file with the real slot code, archives and packages by the core import functions on an
// open vault: fast, one Argon2id per sweep), and through the real backchannel-cli at every
// BC_TAMPER_CLI_EVERY-th offset (a clear error, exit 2, and every file byte-identical afterwards).
// Whatever reads without error must show exactly what was stored (or, for the WAL, exactly an
// earlier committed state): never altered plaintext.
//
// Counts: BC_TAMPER_OFFSETS (offsets per file; default 100), BC_TAMPER_KEY_OFFSETS (vault.keys;
// each costs an Argon2id; default 50, 0 = every byte), BC_TAMPER_STRUCTURE (cases per kind of
// page swap, copy, zeroing and truncation; default 8), BC_TAMPER_WAL_OFFSETS (default 60),
// BC_TAMPER_CLI_EVERY (default 40).
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "backchannel/core/archive.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/review.h"
#include "backchannel/core/vault.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/storage/recovery_code.h"
#include "cli_archive_helpers.h"
#include "security_support.h"
#include "vault_store_access.h"

namespace bc::test::security {
namespace {

constexpr std::size_t kPage = 4096;

long offsets_wanted() { return env_count("BC_TAMPER_OFFSETS", 100); }
long cli_every() { return std::max(1L, env_count("BC_TAMPER_CLI_EVERY", 40)); }
/// Cases of each kind in the structural sweep (page swaps, copies, zeroed pages, truncations).
long structure_cases() { return env_count("BC_TAMPER_STRUCTURE", 8); }

/// Up to `n` of [first, last), at random, in order.
std::vector<std::size_t> some_of(std::size_t first, std::size_t last, long n, std::mt19937_64& rng) {
  std::vector<std::size_t> all;
  for (std::size_t i = first; i < last; ++i) all.push_back(i);
  std::shuffle(all.begin(), all.end(), rng);
  if (all.size() > static_cast<std::size_t>(n)) all.resize(static_cast<std::size_t>(n));
  std::sort(all.begin(), all.end());
  return all;
}

/// `n` distinct offsets in [0, size): `fixed` first, then spread at random.
std::vector<std::size_t> pick_offsets(std::size_t size, std::size_t n, std::set<std::size_t> fixed, std::mt19937_64& rng) {
  std::set<std::size_t> s;
  for (std::size_t f : fixed)
    if (f < size) s.insert(f);
  n = std::min(n, size);
  while (s.size() < n) s.insert(static_cast<std::size_t>(rng() % size));
  std::vector<std::size_t> out(s.begin(), s.end());
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

std::uint8_t random_mask(std::mt19937_64& rng) { return static_cast<std::uint8_t>(1u << (rng() % 8)); }

crypto::age::ReadFn reader_of(const std::string& bytes) {
  auto pos = std::make_shared<std::size_t>(0);
  return [&bytes, pos](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    const std::size_t n = std::min(buf.size(), bytes.size() - *pos);
    std::memcpy(buf.data(), bytes.data() + *pos, n);
    *pos += n;
    return n;
  };
}

/// Row counts of every table an import could touch.
std::string table_counts(core::Vault& v) {
  std::string out;
  for (const char* t : {"series", "meetings", "participants", "participant_aliases", "attendance", "disclosure", "notes",
                        "note_revisions", "audit_log", "trusted_signers", "packages_sent", "responses", "inbox",
                        "review_items", "review_comments"}) {
    auto n = bc::core::vault_store(v).db().query_int(std::string("SELECT count(*) FROM ") + t);
    out += std::string(t) + "=" + (n ? std::to_string(*n) : "error") + " ";
  }
  return out;
}

class TamperSweep : public ::testing::Test {
 protected:
  void SetUp() override {
    code = sb.init();
    ASSERT_FALSE(code.empty());
    ASSERT_EQ(sb.import(sample_meeting()), 1);
    {
      // Padding notes (in-process: one Argon2id instead of one per note), so that the database
      // has a hundred pages; and an edit, so that there is a history.
      auto v = core::Vault::open(sb.vault(), secret(kPassphrase));
      ASSERT_TRUE(v.ok()) << v.error().message;
      for (int i = 0; i < 24; ++i) {
        core::NewNote n;
        n.meeting_id = 1;
        n.speaker_key = "b";
        n.text = "Padding note " + std::to_string(i) + " " + std::string(1500, static_cast<char>('k' + i % 8));
        ASSERT_TRUE(core::add_note(*v, n).ok());
      }
      ASSERT_TRUE(core::edit_note(*v, 2, "An edited note, so that there is a history.").ok());
    }
    master = master_key_of(sb.vault(), kPassphrase);
    pristine = read_database(sb.vault() / "vault.db", master);
    ASSERT_TRUE(pristine.ok) << pristine.error;
    ASSERT_EQ(pristine.integrity_error, "");
    const RunResult n = sb.run({"notes", "--meeting", "1", "--json"});
    ASSERT_EQ(n.exit_code, 0) << describe(n);
    pristine_notes = n.out;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    rng.seed(seed() ^ std::hash<std::string>{}(info->name()));
  }

  /// A fresh folder holding a copy of `files` from `from`.
  fs::path copy_of(const fs::path& from, const std::vector<std::string>& files) {
    const fs::path d = sb.root() / ("copy-" + std::to_string(copies++));
    fs::create_directory(d);
    fs::permissions(d, fs::perms::owner_all);
    for (const auto& f : files)
      if (fs::exists(from / f)) fs::copy_file(from / f, d / f);
    return d;
  }

  /// The CLI on a damaged vault folder: `check` and `notes` are refused (exit 2, one clear
  /// error) or, for `notes`, show exactly `expected_notes`; no file changes.
  void expect_cli_refuses(const fs::path& dir, const std::string& what, const std::set<std::string>& acceptable_notes) {
    SCOPED_TRACE(what);
    const auto before = snapshot(dir);
    const RunResult check = sb.run_on(dir, {"check"});
    EXPECT_EQ(check.exit_code, 2) << describe(check);
    EXPECT_TRUE(one_clear_error(check));
    EXPECT_EQ(check.out, "");
    EXPECT_EQ(snapshot_diff(before, snapshot(dir)), "") << "check changed the damaged vault";
    const RunResult notes = sb.run_on(dir, {"notes", "--meeting", "1", "--json"});
    if (notes.exit_code == 0) {
      EXPECT_TRUE(acceptable_notes.count(notes.out)) << "notes showed altered data\n" << describe(notes);
    } else {
      EXPECT_EQ(notes.exit_code, 2) << describe(notes);
      EXPECT_TRUE(one_clear_error(notes));
    }
    EXPECT_EQ(snapshot_diff(before, snapshot(dir)), "") << "notes changed the damaged vault";
    ++cli_cases;
  }

  Sandbox sb;
  std::string code;
  crypto::SecureBuffer master;
  DbRead pristine;
  std::string pristine_notes;
  std::mt19937_64 rng;
  int copies = 0;
  long cli_cases = 0;
};

// ---------------------------------------------------------------------------------------------
// vault.db

/// How one damaged database read went; fails the test on altered data or a passing check.
enum class DbOutcome { refused_on_open, read_failed, read_identical_check_failed };

TEST_F(TamperSweep, VaultDbFlippedBytesAreAlwaysDetectedAndNeverShowAlteredData) {
  const std::string db = read_file(sb.vault() / "vault.db");
  ASSERT_EQ(db.size() % kPage, 0u);
  const std::size_t pages = db.size() / kPage;
  ASSERT_GE(pages, 12u);
  std::set<std::size_t> fixed;
  for (std::size_t i = 0; i < 16; ++i) fixed.insert(i);  // the salt
  // Every page once, at one of: its start, its header, its middle, the IV, the HMAC, its last
  // byte (in turn); then random offsets.
  const std::size_t kAt[] = {0, 8, kPage / 2, kPage - 80, kPage - 64 - 1, kPage - 1};
  for (std::size_t p = 0; p < pages; ++p) fixed.insert(p * kPage + kAt[p % 6]);
  const auto offsets = pick_offsets(db.size(), std::max<std::size_t>(offsets_wanted(), fixed.size()), fixed, rng);
  std::map<DbOutcome, long> outcomes;
  long n = 0;
  for (const std::size_t off : offsets) {
    SCOPED_TRACE("vault.db byte " + std::to_string(off) + " (page " + std::to_string(off / kPage + 1) + ")");
    const fs::path d = copy_of(sb.vault(), {"vault.db", "vault.keys"});
    flip_byte(d / "vault.db", off, random_mask(rng));
    const std::string damaged = read_file(d / "vault.db");
    const DbRead r = read_database(d / "vault.db", master);
    if (!r.opened) ++outcomes[DbOutcome::refused_on_open];
    else if (!r.ok) ++outcomes[DbOutcome::read_failed];
    else ++outcomes[DbOutcome::read_identical_check_failed];
    if (!r.ok) {
      EXPECT_EQ(r.code, ErrorCode::integrity) << r.error;
    } else {
      EXPECT_EQ(r.contents, pristine.contents) << "the damaged database showed altered data";
      EXPECT_NE(r.integrity_error, "") << "PRAGMA integrity_check and cipher_integrity_check missed the damage";
    }
    EXPECT_EQ(read_file(d / "vault.db"), damaged) << "reading changed the damaged file";
    EXPECT_EQ(files_in(d), (std::set<std::string>{"vault.db", "vault.keys"}));
    if (n++ % cli_every() == 0) expect_cli_refuses(d, "CLI", {pristine_notes});
    fs::remove_all(d);
    if (HasFailure()) break;
  }
  report("tamper, vault.db: %zu flipped bytes over all %zu pages (salt, headers, IVs, HMACs, contents): all detected "
         "(%ld refused on opening, %ld failed while reading, %ld read unaltered rows then failed check), 0 altered rows "
         "shown; %ld also through the CLI (exit 2, files unchanged)",
         offsets.size(), pages, outcomes[DbOutcome::refused_on_open], outcomes[DbOutcome::read_failed],
         outcomes[DbOutcome::read_identical_check_failed], cli_cases);
}

TEST_F(TamperSweep, VaultDbSwappedZeroedOrTruncatedPagesAreDetected) {
  const std::string db = read_file(sb.vault() / "vault.db");
  const std::size_t pages = db.size() / kPage;
  auto page = [&](std::size_t p) { return db.substr(p * kPage, kPage); };
  std::vector<std::pair<std::string, std::string>> cases;
  const long k = structure_cases();
  // Swaps: page 1 with other pages, neighbours.
  for (std::size_t p : some_of(1, pages, k, rng)) {
    std::string s = db;
    s.replace(0, kPage, page(p));
    s.replace(p * kPage, kPage, page(0));
    cases.push_back({"pages 1 and " + std::to_string(p + 1) + " swapped", s});
  }
  for (std::size_t p : some_of(1, pages - 1, k, rng)) {
    std::string s = db;
    s.replace(p * kPage, kPage, page(p + 1));
    s.replace((p + 1) * kPage, kPage, page(p));
    cases.push_back({"pages " + std::to_string(p + 1) + " and " + std::to_string(p + 2) + " swapped", s});
  }
  // A page copied over the next one (the same page content at two places).
  for (std::size_t p : some_of(1, pages, k, rng)) {
    std::string s = db;
    s.replace(p * kPage, kPage, page(p - 1));
    cases.push_back({"page " + std::to_string(p) + " copied over page " + std::to_string(p + 1), s});
  }
  // Zeroed pages: SQLCipher accepts an all-zero page as an empty one, so only SQLite's own
  // structure checks can catch this.
  for (std::size_t p : some_of(0, pages, k, rng)) {
    std::string s = db;
    s.replace(p * kPage, kPage, std::string(kPage, '\0'));
    cases.push_back({"page " + std::to_string(p + 1) + " zeroed", s});
  }
  // Truncation: inside page 1, at page boundaries, inside the last page.
  std::set<std::size_t> cuts = {0, 1, 15, 16, 100, kPage - 1, kPage, kPage + 1, db.size() - 1, db.size() - 80};
  for (std::size_t p : some_of(2, pages, k, rng)) cuts.insert(p * kPage);
  for (std::size_t c : cuts) cases.push_back({"truncated to " + std::to_string(c) + " bytes", db.substr(0, c)});

  long refused = 0, zero_undetected = 0, n = 0;
  std::string undetected;
  for (const auto& [what, bytes] : cases) {
    SCOPED_TRACE(what);
    const fs::path d = copy_of(sb.vault(), {"vault.keys"});
    write_file(d / "vault.db", bytes);
    fs::permissions(d / "vault.db", fs::perms::owner_read | fs::perms::owner_write);
    const DbRead r = read_database(d / "vault.db", master);
    if (r.ok) {
      EXPECT_EQ(r.contents, pristine.contents) << "altered data shown";
      if (r.integrity_error.empty()) {
        // Only acceptable for a zeroed page that holds nothing (a free page): the data is intact.
        EXPECT_NE(what.find("zeroed"), std::string::npos) << "damage passed the integrity checks";
        ++zero_undetected;
        undetected += (undetected.empty() ? "" : ", ") + what;
      } else {
        ++refused;
      }
    } else {
      EXPECT_TRUE(r.code == ErrorCode::integrity) << r.error;
      ++refused;
    }
    EXPECT_EQ(read_file(d / "vault.db"), bytes) << "reading changed the damaged file";
    if (r.ok && r.integrity_error.empty()) {
      fs::remove_all(d);
      continue;
    }
    if (n++ % std::max(1L, cli_every() / 5) == 0) expect_cli_refuses(d, "CLI", {pristine_notes});
    fs::remove_all(d);
    if (HasFailure()) break;
  }
  report("tamper, vault.db structure (%zu pages): %zu cases (page swaps, copied pages, zeroed pages, %zu truncations): %ld detected, "
         "%ld zeroed free pages with no data undetected (%s); 0 altered rows shown; %ld through the CLI",
         pages, cases.size(), cuts.size(), refused, zero_undetected, undetected.empty() ? "none" : undetected.c_str(), cli_cases);
}

// ---------------------------------------------------------------------------------------------
// vault.keys

TEST_F(TamperSweep, VaultKeysFlippedBytesAreDetectedBySlotAuthentication) {
  const std::string keys = read_file(sb.vault() / "vault.keys");
  auto parsed = storage::parse_key_file(keys);
  ASSERT_TRUE(parsed.ok());
  const std::string canonical = storage::serialize(*parsed);
  const std::size_t recovery_at = keys.find("\"recovery\"");
  ASSERT_NE(recovery_at, std::string::npos);
  const long wanted = env_count("BC_TAMPER_KEY_OFFSETS", 50);
  const auto offsets = pick_offsets(keys.size(), wanted == 0 ? keys.size() : static_cast<std::size_t>(wanted), {}, rng);
  const auto code_secret = [&] {
    auto c = storage::parse_recovery_code(code);
    return std::move(*c);
  }();
  auto pass = secret(kPassphrase);
  long unparsable = 0, passphrase_refused = 0, recovery_refused = 0, equivalent = 0, n = 0;
  for (const std::size_t off : offsets) {
    std::string bad = keys;
    const std::uint8_t mask = random_mask(rng);
    bad[off] = static_cast<char>(bad[off] ^ mask);
    SCOPED_TRACE("vault.keys byte " + std::to_string(off) + " ('" + std::string(1, keys[off]) + "' ^ " + std::to_string(mask) + ")");
    auto kf = storage::parse_key_file(bad);
    std::string kind;
    if (!kf) {
      EXPECT_TRUE(kf.error().code == ErrorCode::integrity || kf.error().code == ErrorCode::unsupported) << kf.error().message;
      ++unparsable;
      kind = "unparsable";
    } else if (storage::serialize(*kf) == canonical) {
      // The same key file in another spelling (an upper-case hex digit in the vault id): it
      // means exactly what the original means.
      ++equivalent;
      kind = "equivalent";
    } else {
      auto m = storage::open_slot(*kf->find(storage::SlotType::passphrase), *kf, pass.span());
      if (!m) {
        EXPECT_EQ(m.error().code, ErrorCode::auth_failed) << m.error().message;
        ++passphrase_refused;
        kind = "passphrase";
      } else {
        // The passphrase slot is intact: the damage is in the recovery slot, which then refuses
        // the recovery code (and the master key is the right one).
        EXPECT_GT(off, recovery_at - 40) << "damage outside the recovery slot went unnoticed";
        EXPECT_EQ(crypto::to_hex(m->span()), crypto::to_hex(master.span()));
        const storage::KeySlot* rs = kf->find(storage::SlotType::recovery);
        if (rs != nullptr) {
          auto r = storage::open_slot(*rs, *kf, code_secret.span());
          EXPECT_FALSE(r.ok()) << "a damaged recovery slot still opened";
        }
        ++recovery_refused;
        kind = "recovery";
      }
    }
    if (n++ % cli_every() == 0) {
      const fs::path d = copy_of(sb.vault(), {"vault.db", "vault.keys"});
      write_file(d / "vault.keys", bad);
      if (kind == "unparsable" || kind == "passphrase") {
        expect_cli_refuses(d, "CLI", {});
      } else {
        const auto before = snapshot(d);
        const RunResult notes = sb.run_on(d, {"notes", "--meeting", "1", "--json"});
        EXPECT_EQ(notes.exit_code, 0) << describe(notes);
        EXPECT_EQ(notes.out, pristine_notes);
        if (kind == "recovery") {
          const RunResult rec = sb.run_on(d, {"recover"}, {{"BACKCHANNEL_RECOVERY_CODE", code},
                                                           {"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}});
          EXPECT_EQ(rec.exit_code, 2) << describe(rec);
          EXPECT_TRUE(one_clear_error(rec));
        }
        EXPECT_EQ(snapshot_diff(before, snapshot(d)), "");
        ++cli_cases;
      }
      fs::remove_all(d);
    }
    if (HasFailure()) break;
  }
  report("tamper, vault.keys: %zu of %zu bytes flipped: %ld refused as damaged before any key derivation, %ld refused "
         "by the passphrase slot's authentication, %ld in the recovery slot (passphrase still opens the same master key; "
         "the recovery code is refused), %ld equivalent spellings; %ld through the CLI",
         offsets.size(), keys.size(), unparsable, passphrase_refused, recovery_refused, equivalent, cli_cases);
}

TEST_F(TamperSweep, OlderVaultKeysRestoredAfterPasswdOpensWithTheOldPassphraseOnly) {
  const std::string old_keys = read_file(sb.vault() / "vault.keys");
  ASSERT_EQ(sb.run({"passwd"}, {{"BACKCHANNEL_NEW_PASSPHRASE", kNewPassphrase}}).exit_code, 0);
  write_file(sb.vault() / "vault.keys", old_keys);
  // This is not damage: it is a valid key file of this vault. The old passphrase opens it (the
  // master key never changes), the new one does not. See docs/security.md.
  const RunResult old_pass = sb.run({"notes", "--meeting", "1", "--json"});
  EXPECT_EQ(old_pass.exit_code, 0) << describe(old_pass);
  EXPECT_EQ(old_pass.out, pristine_notes);
  const RunResult new_pass = sb.run({"notes", "--meeting", "1", "--json"}, {{"BACKCHANNEL_PASSPHRASE", kNewPassphrase}});
  EXPECT_EQ(new_pass.exit_code, 2) << describe(new_pass);
  EXPECT_TRUE(one_clear_error(new_pass));

  // The same for a whole-vault rollback: an older copy of the folder put back is a consistent
  // vault and opens without complaint; the later notes are simply gone.
  const fs::path older = sb.root() / "older";
  copy_folder(sb.vault(), older);
  ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", "written after the copy"}).exit_code, 0);
  fs::remove_all(sb.vault());
  copy_folder(older, sb.vault());
  EXPECT_EQ(sb.run({"check"}).exit_code, 0);
  const RunResult rolled = sb.run({"notes", "--meeting", "1", "--json"});
  EXPECT_EQ(rolled.out, pristine_notes) << "a rollback is not detected: the vault shows its older state";
  report("tamper, rollback: vault.keys from before passwd put back -> old passphrase opens, new refused (exit 2); whole "
         "vault folder rolled back -> opens and passes check (not detectable, see docs/security.md)");
}

// ---------------------------------------------------------------------------------------------
// The WAL

TEST_F(TamperSweep, WalFlippedBytesShowAnEarlierCommittedStateOrAreRefusedButNeverAlteredData) {
  // Hold a connection (in-process) so that the CLI's commits stay in the WAL: only the last
  // connection to close checkpoints it.
  const crypto::SecureBuffer key = crypto::derive_subkey(master, crypto::SubkeyPurpose::database);
  auto holder = storage::Database::open(sb.vault() / "vault.db", key, storage::OpenMode::open_existing);
  ASSERT_TRUE(holder.ok()) << holder.error().message;
  std::vector<std::string> states = {read_database(sb.vault() / "vault.db", master).contents};
  std::set<std::string> cli_states = {pristine_notes};
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", "--speaker", "d",
                      "WAL note " + std::to_string(i) + " " + std::string(700, static_cast<char>('p' + i))})
                  .exit_code,
              0);
    states.push_back(read_database(sb.vault() / "vault.db", master).contents);
    const RunResult n = sb.run({"notes", "--meeting", "1", "--json"});
    ASSERT_EQ(n.exit_code, 0);
    cli_states.insert(n.out);
  }
  const fs::path snap = copy_of(sb.vault(), {"vault.db", "vault.db-wal", "vault.db-shm", "vault.keys"});
  holder->close();
  const std::string wal = read_file(snap / "vault.db-wal");
  ASSERT_GT(wal.size(), 32u + 8 * (24 + kPage)) << "the WAL should hold the 8 commits";
  const std::size_t frame = 24 + kPage, frames = (wal.size() - 32) / frame;
  {
    const DbRead whole = read_database(copy_of(snap, {"vault.db", "vault.db-wal", "vault.db-shm"}) / "vault.db", master);
    ASSERT_TRUE(whole.ok);
    ASSERT_EQ(whole.contents, states.back()) << "a copy with its WAL shows the last commit";
  }
  std::set<std::size_t> fixed;
  for (std::size_t i = 0; i < 32; ++i) fixed.insert(i);  // the WAL header
  // Every frame once, at one of: page number, commit size, salt, checksum, data (in turn).
  const std::size_t kAt[] = {0, 4, 8, 16, 23, 24, 24 + kPage / 2, frame - 1};
  const std::size_t wanted = static_cast<std::size_t>(env_count("BC_TAMPER_WAL_OFFSETS", 60));
  const std::size_t stride = std::max<std::size_t>(1, frames * 2 / std::max<std::size_t>(wanted, 1));
  for (std::size_t f = 0; f < frames; f += stride) fixed.insert(32 + f * frame + kAt[(f / stride) % 8]);
  const auto offsets = pick_offsets(wal.size(), std::max(wanted, fixed.size()), fixed, rng);
  std::map<std::size_t, long> by_state;  // which committed state a damaged WAL showed
  long refused = 0, n = 0;
  for (const std::size_t off : offsets) {
    SCOPED_TRACE("WAL byte " + std::to_string(off));
    const fs::path d = copy_of(snap, {"vault.db", "vault.db-wal", "vault.db-shm", "vault.keys"});
    flip_byte(d / "vault.db-wal", off, random_mask(rng));
    if (n++ % cli_every() == 0) {
      // The CLI first (the in-process read below checkpoints what it accepts).
      const fs::path c = copy_of(d, {"vault.db", "vault.db-wal", "vault.db-shm", "vault.keys"});
      const RunResult notes = sb.run_on(c, {"notes", "--meeting", "1", "--json"});
      if (notes.exit_code == 0) {
        EXPECT_TRUE(cli_states.count(notes.out)) << "the CLI showed altered data";
      } else {
        EXPECT_EQ(notes.exit_code, 2) << describe(notes);
        EXPECT_TRUE(one_clear_error(notes));
      }
      ++cli_cases;
      fs::remove_all(c);
    }
    const DbRead r = read_database(d / "vault.db", master);
    if (!r.ok) {
      EXPECT_EQ(r.code, ErrorCode::integrity) << r.error;
      ++refused;
    } else {
      const auto it = std::find(states.begin(), states.end(), r.contents);
      ASSERT_NE(it, states.end()) << "a damaged WAL showed data that was never committed";
      ++by_state[static_cast<std::size_t>(it - states.begin())];
      EXPECT_EQ(r.integrity_error, "");
    }
    fs::remove_all(d);
  }
  long rolled_back = 0;
  for (const auto& [s, count] : by_state)
    if (s + 1 < states.size()) rolled_back += count;
  report("tamper, WAL: %zu flipped bytes in a WAL of %zu frames holding 8 commits: %ld refused, %ld showed the last "
         "commit, %ld silently showed an earlier committed state (SQLite drops the WAL from the first frame whose "
         "checksum fails), 0 altered data; %ld through the CLI",
         offsets.size(), frames, refused, by_state[states.size() - 1], rolled_back, cli_cases);
}

// ---------------------------------------------------------------------------------------------
// Archives and packages

TEST_F(TamperSweep, ArchiveFlippedBytesAreRefusedAndImportNothing) {
  // An archive of several age chunks: add two notes of 60 KB (each also travels as a revision).
  for (int i = 0; i < 2; ++i) { ASSERT_EQ(sb.run({"note", "add", "--meeting", "1", std::string(60000, static_cast<char>('a' + i))}).exit_code, 0); }
  const fs::path b = sb.root() / "b";
  ASSERT_FALSE(sb.init_at(b).empty());
  const RunResult rid = sb.run_on(b, {"identity", "--recipient"});
  ASSERT_EQ(rid.exit_code, 0);
  const std::string recipient = rid.out.substr(0, rid.out.find('\n'));
  const fs::path file = sb.in() / "a.age";
  ASSERT_EQ(sb.run({"export", "--all", "-r", recipient, "-o", file.string()}).exit_code, 0);
  const std::string good = read_file(file);
  const RunResult fid = sb.run({"identity", "--fingerprint"});
  ASSERT_EQ(fid.exit_code, 0);
  const std::string signer_fp = fid.out.substr(0, fid.out.find('\n'));
  constexpr std::size_t kChunk = 65536 + 16;
  const std::size_t header_end = good.find("\n---");
  ASSERT_NE(header_end, std::string::npos);
  const std::size_t payload = good.find('\n', header_end + 1) + 1 + 16;
  ASSERT_GT(good.size(), payload + 3 * kChunk);
  std::set<std::size_t> fixed;
  for (std::size_t i = 0; i < payload; i += 7) fixed.insert(i);  // header, stanza, MAC, nonce
  for (std::size_t k = 0; payload + k * kChunk < good.size(); ++k) {
    const std::size_t s = payload + k * kChunk, e = std::min(good.size(), s + kChunk);
    for (std::size_t at : {s, s + 1, e - 17, e - 16, e - 1}) fixed.insert(at);
  }
  const auto offsets = pick_offsets(good.size(), std::max<std::size_t>(offsets_wanted(), fixed.size()), fixed, rng);

  // The CLI first, on B's files (exit 2, B byte-identical), then in-process on B held open.
  const auto b_before = snapshot(b);
  for (std::size_t i = 0; i < offsets.size(); i += static_cast<std::size_t>(cli_every())) {
    std::string bad = good;
    bad[offsets[i]] = static_cast<char>(bad[offsets[i]] ^ random_mask(rng));
    const fs::path f = sb.input("bad.age", bad);
    const RunResult r = sb.run_on(b, {"import-archive", "--trust", signer_fp, f.string()});
    EXPECT_EQ(r.exit_code, 2) << "byte " << offsets[i] << "\n" << describe(r);
    EXPECT_TRUE(one_clear_error(r)) << "byte " << offsets[i];
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(snapshot_diff(b_before, snapshot(b)), "") << "byte " << offsets[i];
    ++cli_cases;
  }
  auto vb = core::Vault::open(b, secret(kPassphrase));
  ASSERT_TRUE(vb.ok()) << vb.error().message;
  const std::string counts = table_counts(*vb);
  std::map<ErrorCode, long> codes;
  for (const std::size_t off : offsets) {
    std::string bad = good;
    bad[off] = static_cast<char>(bad[off] ^ random_mask(rng));
    core::ImportOptions o;
    o.trust_fingerprint = signer_fp;
    auto r = core::import_archive(*vb, reader_of(bad), o);
    ASSERT_FALSE(r.ok()) << "a damaged archive (byte " << off << ") was imported";
    EXPECT_TRUE(r.error().code == ErrorCode::integrity || r.error().code == ErrorCode::auth_failed)
        << "byte " << off << ": " << r.error().message;
    ++codes[r.error().code];
    ASSERT_EQ(table_counts(*vb), counts) << "byte " << off << ": the failed import left something behind";
  }
  // The undamaged archive imports.
  core::ImportOptions o;
  o.trust_fingerprint = signer_fp;
  auto ok = core::import_archive(*vb, reader_of(good), o);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_GT(ok->notes_added, 30u);
  report("tamper, archive (%zu bytes, %zu age chunks): %zu flipped bytes, every one refused (%ld no matching recipient "
         "stanza, %ld damaged: header MAC, STREAM tag or signature), nothing imported; %ld through the CLI import-archive "
         "(exit 2, vault files unchanged); the undamaged archive imports",
         good.size(), (good.size() - payload + kChunk - 1) / kChunk, offsets.size(), codes[ErrorCode::auth_failed],
         codes[ErrorCode::integrity], cli_cases);
}

TEST_F(TamperSweep, SummaryPackageFlippedBytesAreRefusedAndStoreNothing) {
  const fs::path p = sb.root() / "p";
  ASSERT_FALSE(sb.init_at(p).empty());
  const RunResult rid = sb.run_on(p, {"identity", "--recipient"});
  ASSERT_EQ(rid.exit_code, 0);
  const std::string recipient = rid.out.substr(0, rid.out.find('\n'));
  const fs::path out = sb.root() / "packages";
  const RunResult pk = sb.run({"package", "summary", "--meeting", "1", "--to", "b=" + recipient, "-o", out.string()});
  ASSERT_EQ(pk.exit_code, 0) << describe(pk);
  const auto names = files_in(out);
  ASSERT_EQ(names.size(), 1u);
  const std::string good = read_file(out / *names.begin());
  const RunResult fid = sb.run({"identity", "--fingerprint"});
  ASSERT_EQ(fid.exit_code, 0);
  const std::string signer_fp = fid.out.substr(0, fid.out.find('\n'));
  const auto offsets = pick_offsets(good.size(), static_cast<std::size_t>(offsets_wanted()), {0, 1, 2, good.size() - 1}, rng);

  const auto p_before = snapshot(p);
  for (std::size_t i = 0; i < offsets.size(); i += static_cast<std::size_t>(cli_every())) {
    std::string bad = good;
    bad[offsets[i]] = static_cast<char>(bad[offsets[i]] ^ random_mask(rng));
    const fs::path f = sb.input("bad-package.age", bad);
    const RunResult r = sb.run_on(p, {"inbox", "import", "--trust", signer_fp, f.string()});
    EXPECT_EQ(r.exit_code, 2) << "byte " << offsets[i] << "\n" << describe(r);
    EXPECT_TRUE(one_clear_error(r)) << "byte " << offsets[i];
    EXPECT_EQ(snapshot_diff(p_before, snapshot(p)), "") << "byte " << offsets[i];
    ++cli_cases;
  }
  auto vp = core::Vault::open(p, secret(kPassphrase));
  ASSERT_TRUE(vp.ok()) << vp.error().message;
  const std::string counts = table_counts(*vp);
  std::map<ErrorCode, long> codes;
  for (const std::size_t off : offsets) {
    std::string bad = good;
    bad[off] = static_cast<char>(bad[off] ^ random_mask(rng));
    auto r = core::import_package(*vp, reader_of(bad), signer_fp);
    ASSERT_FALSE(r.ok()) << "a damaged package (byte " << off << ") was stored";
    EXPECT_TRUE(r.error().code == ErrorCode::integrity || r.error().code == ErrorCode::auth_failed)
        << "byte " << off << ": " << r.error().message;
    ++codes[r.error().code];
    ASSERT_EQ(table_counts(*vp), counts) << "byte " << off;
  }
  auto ok = core::import_package(*vp, reader_of(good), signer_fp);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  report("tamper, summary package (%zu bytes): %zu flipped bytes, every one refused (%ld no matching recipient stanza, "
         "%ld damaged), nothing stored; %ld through the CLI inbox import (exit 2, vault files unchanged); the undamaged "
         "package imports",
         good.size(), offsets.size(), codes[ErrorCode::auth_failed], codes[ErrorCode::integrity], cli_cases);
}

}  // namespace
}  // namespace bc::test::security
