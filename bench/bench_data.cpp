#include "bench_data.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/storage/schema.h"
#include "dataset.h"
#include "vault_store_access.h"

namespace fs = std::filesystem;

namespace bc::bench {

fs::path data_dir() {
  const char* d = std::getenv("BC_BENCH_DATA");
  return d != nullptr ? fs::path(d) : fs::path("bench-data");
}
fs::path vault_dir() { return data_dir() / "vault-100k"; }
fs::path plain_db() { return data_dir() / "plain-100k.db"; }

const char* const kQueries[20] = {"sanctions",      "verification",  "hotline",          "Holloway",
                                  "Rezaei",         "رضایی",         "تحریم",            "joint fact sheet",
                                  "water management", "اعتمادسازی", "prisoner",         "aviation safety",
                                  "Ambassador",     "کارگروه فنی",   "enrich",           "Tavakoli",
                                  "trust",          "domestic politics", "Geneva Institute", "verified sites"};

std::string fts_query(const std::string& q) {
  std::string norm = core::normalize(q), out, word;
  norm += ' ';
  for (char c : norm) {
    if (c == ' ') {
      if (!word.empty()) out += (out.empty() ? "\"" : " \"") + word + "\"*";
      word.clear();
    } else {
      word += c;
    }
  }
  return out;
}

void die(const std::string& what) {
  std::cerr << "bench setup failed: " << what << "\n";
  std::exit(1);
}

namespace {
core::Vault open_at(const fs::path& dir) {
  auto v = core::Vault::open(dir, crypto::SecureBuffer::copy_of(std::string_view(kPassphrase)));
  if (!v) die(v.error().message);
  return std::move(*v);
}
}  // namespace

core::Vault open_vault() { return open_at(vault_dir()); }

fs::path name_dense_vault_dir() { return data_dir() / "vault-names"; }

void ensure_name_dense_data() {
  if (fs::exists(name_dense_vault_dir() / "vault.keys")) return;
  std::cerr << "generating the name-dense meeting (once)...\n";
  fs::create_directories(data_dir());
  // Built aside and renamed when complete, so that an interrupted run leaves no half vault.
  const fs::path building = data_dir() / "vault-names.building";
  fs::remove_all(building);
  fs::remove_all(name_dense_vault_dir());
  {
    auto c = core::Vault::create(building, crypto::SecureBuffer::copy_of(std::string_view(kPassphrase)),
                                 crypto::KdfProfile::interactive);
    if (!c) die(c.error().message);
    auto r = core::import_meeting(c->vault, generate_name_dense_meeting());
    if (!r) die(r.error().message);
  }
  fs::rename(building, name_dense_vault_dir());
}

core::Vault open_name_dense_vault() {
  ensure_name_dense_data();
  return open_at(name_dense_vault_dir());
}

void ensure_data() {
  static bool done = false;
  if (done) return;
  done = true;
  fs::create_directories(data_dir());
  if (!fs::exists(vault_dir() / "vault.keys")) {
    std::cerr << "generating the 100,000-note dataset (once)...\n";
    fs::remove_all(vault_dir());
    fs::remove(plain_db());
    auto c = core::Vault::create(vault_dir(), crypto::SecureBuffer::copy_of(std::string_view(kPassphrase)),
                                 crypto::KdfProfile::moderate);
    if (!c) die(c.error().message);
    DatasetSpec spec;
    for (const auto& doc : generate_meetings(spec)) {
      auto r = core::import_meeting(c->vault, doc);
      if (!r) die(r.error().message);
    }
  }
  // The plaintext copy is the reference for appends and the source of `.dump`: it must have the
  // schema the vault has now (opening the vault migrates it), or the comparison is not like for like.
  if (fs::exists(plain_db())) {
    const int vault_schema = storage::latest_schema_version();
    auto plain = storage::Database::open_plain(plain_db(), storage::OpenMode::open_existing);
    if (!plain) die(plain.error().message);
    auto v = storage::schema_version(*plain);
    if (!v) die(v.error().message);
    plain->close();
    if (*v != vault_schema) {
      std::cerr << "the plaintext copy has schema " << *v << ", the vault " << vault_schema << ": exporting it again\n";
      fs::remove(plain_db());
      fs::remove(data_dir() / "plain-100k.sql");
    }
  }
  if (!fs::exists(plain_db())) {
    core::Vault v = open_vault();
    auto& db = bc::core::vault_store(v).db();
    // ATTACH opens with the vault connection's flags, which do not include CREATE.
    std::ofstream(plain_db()).close();
    if (auto e = db.exec("ATTACH DATABASE '" + plain_db().string() + "' AS plaintext KEY ''"); !e) die(e.error().message);
    if (auto e = db.exec("SELECT sqlcipher_export('plaintext')"); !e) die(e.error().message);
    // sqlcipher_export copies tables and rows, not user_version, where the schema version lives.
    if (auto e = db.exec("PRAGMA plaintext.user_version = " + std::to_string(storage::latest_schema_version())); !e)
      die(e.error().message);
    if (auto e = db.exec("DETACH DATABASE plaintext"); !e) die(e.error().message);
  }
}

storage::Database open_plain() {
  auto db = storage::Database::open_plain(plain_db(), storage::OpenMode::open_existing);
  if (!db) die(db.error().message);
  return std::move(*db);
}

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  return -1;
}

}  // namespace bc::bench
