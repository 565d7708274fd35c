#include "backchannel/storage/database.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/secure_buffer.h"

namespace bc::storage {

namespace {

Error error_from(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string msg = std::string(what) + ": ";
  switch (primary) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return fail(ErrorCode::integrity,
                  msg + "the vault database is damaged or was tampered with (it failed authentication)");
    case SQLITE_FULL:
      return fail(ErrorCode::io, msg + "the disk is full; nothing was changed (free some space and try again)");
    case SQLITE_IOERR:
      // A failed write or sync: say what to do, not only what the system said.
      return fail(ErrorCode::io,
                  msg + detail + " (the system could not read or write the vault: check the disk and its free space, "
                                 "then try again)",
                  Remedy::check_vault);
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return fail(ErrorCode::io, msg + detail + " (check that the vault folder and its files are yours and writable, "
                                               "then try again)");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return fail(ErrorCode::io, msg + "the vault is busy (another Backchannel process is writing); try again");
    case SQLITE_CONSTRAINT:
      return fail(ErrorCode::conflict, msg + detail);
    case SQLITE_TOOBIG:
      return fail(ErrorCode::bad_input, msg + "a value is too large");
    case SQLITE_NOMEM:
      return fail(ErrorCode::io, msg + "out of memory");
    default:
      return fail(ErrorCode::internal, msg + detail);
  }
}

// SQLCipher's raw-key form x'<64 hex digits>', built in locked memory.
crypto::SecureBuffer raw_keyspec(const crypto::SecureBuffer& raw_key) {
  crypto::SecureBuffer keyspec(3 + 64);
  keyspec.data()[0] = 'x';
  keyspec.data()[1] = '\'';
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < 32; ++i) {
    keyspec.data()[2 + 2 * i] = static_cast<std::uint8_t>(kHex[raw_key.data()[i] >> 4]);
    keyspec.data()[3 + 2 * i] = static_cast<std::uint8_t>(kHex[raw_key.data()[i] & 15]);
  }
  keyspec.data()[66] = '\'';
  return keyspec;
}

}  // namespace

// ---- Statement ----

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_), db_(other.db_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    db_ = other.db_;
    bind_error_ = other.bind_error_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> blob) {
  // A zero-length blob must still be a blob, not NULL.
  static const std::uint8_t kEmpty = 0;
  const int rc = sqlite3_bind_blob64(stmt_, index, blob.empty() ? &kEmpty : blob.data(), blob.size(),
                                     SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Result<bool> Statement::step() {
  if (bind_error_ != 0) return error_from(db_, bind_error_, "binding a value");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error_from(db_, rc, "database statement");
}

Status Statement::run() {
  BC_ASSIGN(bool row, step());
  (void)row;
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::column_int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string_view Statement::column_text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<std::string> Statement::column_optional_string(int column) const {
  if (is_null(column)) return std::nullopt;
  return std::string(column_text(column));
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int64(column);
}

std::vector<std::uint8_t> Statement::column_blob(int column) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr || n <= 0) return {};
  return {p, p + n};
}

crypto::SecureBuffer Statement::column_secret(int column) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr || n <= 0) return crypto::SecureBuffer(0);
  return crypto::SecureBuffer::copy_of(std::span<const std::uint8_t>(p, static_cast<std::size_t>(n)));
}

// ---- Database ----

Database::~Database() { close(); }

Database::Database(Database&& other) noexcept
    : db_(other.db_), encrypted_(other.encrypted_), cache_(std::move(other.cache_)) {
  other.db_ = nullptr;
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = other.db_;
    encrypted_ = other.encrypted_;
    cache_ = std::move(other.cache_);
    other.db_ = nullptr;
  }
  return *this;
}

void Database::close() {
  cache_.reset();  // statements are finalized before the connection closes
  if (db_ != nullptr) {
    // sqlite3_close_v2 defers the close until outstanding statements are finalized; every
    // Statement is owned, so in practice it closes here, wiping SQLCipher's key copies.
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

Result<Database> Database::open(const std::filesystem::path& path, const crypto::SecureBuffer& raw_key,
                                OpenMode mode) {
  return open_impl(path, &raw_key, mode);
}

Result<Database> Database::open_plain(const std::filesystem::path& path, OpenMode mode) {
  return open_impl(path, nullptr, mode);
}

Result<Database> Database::open_impl(const std::filesystem::path& path, const crypto::SecureBuffer* raw_key,
                                     OpenMode mode) {
  BC_TRY(check_sqlcipher_version());
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if ((mode == OpenMode::open_existing || mode == OpenMode::switch_to_wal) && !exists)
    return fail(ErrorCode::not_found, "vault database " + path.string() + " does not exist");
  if (mode == OpenMode::create_new && exists)
    return fail(ErrorCode::conflict, "vault database " + path.string() + " already exists");

  if (mode == OpenMode::create_new) {
    // Create the file ourselves so that it (and the -wal and -shm files SQLite derives from
    // it) is readable by the owner only, whatever the umask.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return fail(ErrorCode::io, "cannot create " + path.string() + ": " + std::strerror(errno));
    ::close(fd);
  }
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOFOLLOW;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);  // owns `raw` even when the open failed
  db.encrypted_ = raw_key != nullptr;
  if (rc != SQLITE_OK) return error_from(raw, rc, "opening the vault database");

  if (raw_key != nullptr) {
    if (raw_key->size() != 32) return fail(ErrorCode::internal, "database key has the wrong length");
    const crypto::SecureBuffer keyspec = raw_keyspec(*raw_key);
    rc = sqlite3_key(raw, keyspec.data(), static_cast<int>(keyspec.size()));
    if (rc != SQLITE_OK) return error_from(raw, rc, "setting the vault key");
    // Pin the on-disk format to SQLCipher 4 whatever library version reads it later.
    BC_TRY(db.exec("PRAGMA cipher_compatibility = 4"));
  }
  sqlite3_busy_timeout(raw, 5000);
  // The first read authenticates page 1: a wrong key or a tampered header fails here, before
  // anything is written.
  auto probe = db.query_int("SELECT count(*) FROM sqlite_master");
  if (!probe) return std::move(probe).error();

  // A plain database (the benchmarks' reference) is put in WAL mode too, so that both run with
  // the same settings; an existing vault must already be in WAL mode.
  if (mode != OpenMode::open_existing || raw_key == nullptr) {
    BC_ASSIGN(std::string jm, db.query_text("PRAGMA journal_mode = WAL"));
    if (jm != "wal") return fail(ErrorCode::io, "the file system does not support the WAL journal");
  } else {
    BC_ASSIGN(std::string jm, db.query_text("PRAGMA journal_mode"));
    if (jm != "wal") return fail(ErrorCode::integrity, "the vault database is not in WAL mode");
  }
  // trusted_schema stays on: the search index is kept in step by triggers that write to an FTS5
  // table, which SQLite only allows from a trusted schema. The schema cannot be altered
  // without the key (every page is authenticated), so there is no untrusted schema to fear.
  BC_TRY(db.exec("PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;"
                 "PRAGMA foreign_keys = ON;"));
  return db;
}

Status Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return error_from(db_, rc, "database command");
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt != nullptr) sqlite3_finalize(stmt);
    return error_from(db_, rc, "preparing a database statement");
  }
  return Statement(stmt, db_);
}

Result<CachedStatement> Database::cached(const std::string& sql) {
  if (!cache_) cache_ = std::make_unique<std::map<std::string, Statement>>();
  auto it = cache_->find(sql);
  if (it == cache_->end()) {
    BC_ASSIGN(Statement st, prepare(sql));
    it = cache_->emplace(sql, std::move(st)).first;
  } else {
    it->second.reset();
  }
  return CachedStatement(&it->second);
}

Result<std::int64_t> Database::query_int(std::string_view sql) {
  BC_ASSIGN(Statement st, prepare(sql));
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::internal, "query returned no row");
  return st.column_int64(0);
}

Result<std::string> Database::query_text(std::string_view sql) {
  BC_ASSIGN(Statement st, prepare(sql));
  BC_ASSIGN(bool row, st.step());
  if (!row) return std::string();
  return st.column_string(0);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }
bool Database::in_transaction() const { return db_ != nullptr && sqlite3_get_autocommit(db_) == 0; }

Error Database::last_error(std::string_view what) const { return error_from(db_, sqlite3_errcode(db_), what); }

Status Database::check_integrity() {
  {
    BC_ASSIGN(Statement st, prepare("PRAGMA integrity_check"));
    BC_ASSIGN(bool row, st.step());
    if (!row || st.column_text(0) != "ok")
      return fail(ErrorCode::integrity, "the vault database failed SQLite's integrity check");
  }
  // SQLite's integrity_check (3.42, under SQLCipher 4.5.5) does not look inside FTS5 indexes;
  // FTS5's own check compares each index with the rows it was built from.
  std::vector<std::string> fts;
  {
    BC_ASSIGN(Statement st, prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'"));
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      fts.push_back(st.column_string(0));
    }
  }
  for (const auto& name : fts) {
    const std::string quoted = "\"" + name + "\"";
    if (!exec("INSERT INTO " + quoted + "(" + quoted + ", rank) VALUES ('integrity-check', 1)"))
      return fail(ErrorCode::integrity, "the vault's search index (" + name + ") does not match its notes");
  }
  if (encrypted_) {
    BC_ASSIGN(Statement st, prepare("PRAGMA cipher_integrity_check"));
    BC_ASSIGN(bool row, st.step());
    if (row) return fail(ErrorCode::integrity, "the vault database failed SQLCipher's page authentication check");
  }
  return {};
}

Status Database::checkpoint_truncate() {
  int log = 0, ckpt = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &ckpt);
  if (rc != SQLITE_OK) return error_from(db_, rc, "checkpointing the vault journal");
  return {};
}

Status Database::attach_encrypted(const std::filesystem::path& path, std::string_view schema,
                                  const crypto::SecureBuffer& raw_key) {
  if (raw_key.size() != 32) return fail(ErrorCode::internal, "database key has the wrong length");
  const crypto::SecureBuffer keyspec = raw_keyspec(raw_key);
  BC_ASSIGN(Statement st, prepare("ATTACH DATABASE ? AS " + std::string(schema) + " KEY ?"));
  st.bind(1, path.string());
  // SQLITE_TRANSIENT: SQLite copies the key into its own memory, which the wiping allocator
  // zeroes when it is freed.
  st.bind(2, std::string_view(reinterpret_cast<const char*>(keyspec.data()), keyspec.size()));
  BC_TRY(st.run());
  return exec("PRAGMA " + std::string(schema) + ".cipher_compatibility = 4");
}

// ---- Transaction ----

Result<Transaction> Transaction::begin(Database& db) {
  if (db.in_transaction()) {
    BC_TRY(db.exec("SAVEPOINT bc_nested"));
    return Transaction(&db, true);
  }
  BC_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db, false);
}

Transaction::~Transaction() {
  if (db_ == nullptr) return;
  if (nested_) {
    (void)db_->exec("ROLLBACK TO bc_nested");
    (void)db_->exec("RELEASE bc_nested");
  } else {
    (void)db_->exec("ROLLBACK");
  }
}

Status Transaction::commit() {
  if (db_ == nullptr) return fail(ErrorCode::internal, "transaction already finished");
  auto st = db_->exec(nested_ ? "RELEASE bc_nested" : "COMMIT");
  if (!st) return st;  // the destructor rolls back
  db_ = nullptr;
  return {};
}

// ---- ScopedCacheSize ----

ScopedCacheSize::ScopedCacheSize(Database& db, std::int64_t bytes) : db_(db) {
  if (auto v = db_.query_int("PRAGMA cache_size"); v) previous_ = *v;
  (void)db_.exec("PRAGMA cache_size = -" + std::to_string(bytes / 1024));
}

ScopedCacheSize::~ScopedCacheSize() { (void)db_.exec("PRAGMA cache_size = " + std::to_string(previous_)); }

// ---- version check ----

Result<std::string> probe_sqlcipher_version();

// ---- SQLite's memory ----
// Decrypted pages, rows and statements live in memory SQLite allocates; freed without wiping,
// note text stays readable in the heap after the vault is locked (tests/secrets,
// SecretsMemory). SQLCipher's own answer, PRAGMA cipher_memory_security, also mlock()s and
// munlock()s every single allocation: two system calls per malloc made imports 20 times and
// searches 10 times slower (docs/performance.md). This allocator only wipes: every block is
// zeroed when it is freed or moved by a realloc. It is installed before SQLite initializes, and
// SQLCipher wraps it with its own (pass-through) allocator.
namespace {

constexpr std::size_t kHeader = 16;  // keeps the 16-byte alignment malloc gives

void* wiping_malloc(int n) {
  if (n <= 0) return nullptr;
  auto* p = static_cast<unsigned char*>(std::malloc(static_cast<std::size_t>(n) + kHeader));
  if (p == nullptr) return nullptr;
  const auto size = static_cast<std::size_t>(n);
  std::memcpy(p, &size, sizeof size);
  return p + kHeader;
}

std::size_t block_size(void* p) {
  std::size_t size = 0;
  std::memcpy(&size, static_cast<unsigned char*>(p) - kHeader, sizeof size);
  return size;
}

void wiping_free(void* p) {
  if (p == nullptr) return;
  crypto::wipe(p, block_size(p));
  std::free(static_cast<unsigned char*>(p) - kHeader);
}

void* wiping_realloc(void* p, int n) {
  if (p == nullptr) return wiping_malloc(n);
  void* q = wiping_malloc(n);
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, std::min(block_size(p), static_cast<std::size_t>(n)));
  wiping_free(p);
  return q;
}

int wiping_size(void* p) { return p == nullptr ? 0 : static_cast<int>(block_size(p)); }
int wiping_roundup(int n) { return (n + 15) & ~15; }
int wiping_init(void*) { return SQLITE_OK; }
void wiping_shutdown(void*) {}

Status install_wiping_allocator() {
  static const sqlite3_mem_methods methods = {wiping_malloc, wiping_free,    wiping_realloc,  wiping_size,
                                              wiping_roundup, wiping_init, wiping_shutdown, nullptr};
  // Must come before anything initializes SQLite; check_sqlcipher_version() is the first call
  // into SQLite anywhere in Backchannel.
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK)
    return fail(ErrorCode::internal, "SQLite was initialized before Backchannel could install its wiping allocator");
  return {};
}

}  // namespace

Result<std::string> check_sqlcipher_version() {
  static const Result<std::string> cached = []() -> Result<std::string> {
    BC_TRY(install_wiping_allocator());
    return probe_sqlcipher_version();
  }();
  return cached;
}

Result<std::string> probe_sqlcipher_version() {
  sqlite3* mem = nullptr;
  if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(mem);
    return fail(ErrorCode::internal, "SQLCipher cannot open an in-memory database");
  }
  sqlite3_stmt* st = nullptr;
  std::string version;
  if (sqlite3_prepare_v2(mem, "PRAGMA cipher_version", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    if (t != nullptr) version = t;
  }
  sqlite3_finalize(st);
  sqlite3_close(mem);
  if (version.empty()) return fail(ErrorCode::unsupported, "the linked SQLite library is not SQLCipher");
  int major = 0;
  for (char c : version) {
    if (c < '0' || c > '9') break;
    major = major * 10 + (c - '0');
    if (major > 1000) break;
  }
  if (major < 4)
    return fail(ErrorCode::unsupported, "SQLCipher " + version + " is too old; Backchannel needs 4.0 or newer");
  return version;
}

}  // namespace bc::storage
