// The benchmarks' shared data: the fixed-seed 100,000-note vault and its plaintext twin,
// built once into $BC_BENCH_DATA and reused.
#pragma once

#include <filesystem>
#include <string>

#include "backchannel/core/vault.h"
#include "backchannel/storage/database.h"

namespace bc::bench {

inline constexpr const char* kPassphrase = "benchmark passphrase, not a secret";

std::filesystem::path data_dir();
std::filesystem::path vault_dir();
std::filesystem::path plain_db();

/// The 20 typical search queries (English and Persian) of the search benchmarks.
extern const char* const kQueries[20];
/// The FTS5 query core::search_notes builds from `q`: each normalized word quoted, with a prefix
/// star (the plain-SQLite reference runs exactly this).
std::string fts_query(const std::string& q);

/// A "Name:   N kB" field of /proc/self/status (VmRSS:, VmHWM:) in KiB, or -1.
long status_kib(const char* field);

/// Prints the problem and exits: a benchmark without its data measures nothing.
[[noreturn]] void die(const std::string& what);

/// Builds the vault (10 meetings x 10,000 notes, 250 participants, moderate Argon2id) and an
/// unencrypted sqlcipher_export copy, unless they exist.
void ensure_data();
core::Vault open_vault();

/// The name-dense meeting (generate_name_dense_meeting) alone in a vault of its own, as meeting
/// 1, built once; the interactive Argon2id cost, as unlocking is not what its benchmarks time.
std::filesystem::path name_dense_vault_dir();
void ensure_name_dense_data();
core::Vault open_name_dense_vault();
storage::Database open_plain();

}  // namespace bc::bench
