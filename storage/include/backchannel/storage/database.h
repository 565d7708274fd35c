// RAII access to one SQLCipher database: Database, Statement, Transaction.
// This header does not include sqlite3.h; only storage/ talks to SQLCipher directly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bc::storage {

class Database;

/// A prepared statement; finalized when destroyed. Bind indexes start at 1, columns at 0.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  /// Binds text; the statement keeps its own copy.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, std::span<const std::uint8_t> blob);
  Statement& bind_null(int index);
  /// Binds `value` or NULL.
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);

  /// Advances: true when a row is available, false when done.
  Result<bool> step();
  /// Runs a statement that returns no rows (or ignores them).
  Status run();
  /// Resets so the statement can run again with new bindings.
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int64(int column) const;
  double column_double(int column) const;
  /// Text of a column; valid until the next step/reset.
  std::string_view column_text(int column) const;
  std::string column_string(int column) const { return std::string(column_text(column)); }
  std::optional<std::string> column_optional_string(int column) const;
  std::optional<std::int64_t> column_optional_int64(int column) const;
  std::vector<std::uint8_t> column_blob(int column) const;
  /// The blob of a column copied straight into secure memory.
  crypto::SecureBuffer column_secret(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  int bind_error_ = 0;
};

/// How a database is opened.
enum class OpenMode {
  open_existing,  ///< a vault database, which must be in WAL mode
  create_new,     ///< a new file (0600), put in WAL mode
  switch_to_wal,  ///< an existing database written in rollback-journal mode (a rekey's copy), put in WAL mode
};

/// One connection to an encrypted vault database. Closing wipes SQLCipher's copy of the key.
class Database {
 public:
  Database() = default;
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Opens (or creates) an encrypted database with a raw 32-byte key (SQLCipher's PBKDF2 is
  /// not used) and applies the connection settings: WAL, synchronous=FULL, secure_delete,
  /// temp_store=MEMORY, foreign keys. A wrong key or a damaged first page gives
  /// ErrorCode::integrity without writing anything.
  static Result<Database> open(const std::filesystem::path& path, const crypto::SecureBuffer& raw_key,
                               OpenMode mode);
  /// Opens an unencrypted database with the same settings (benchmarks' plain-SQLite reference).
  static Result<Database> open_plain(const std::filesystem::path& path, OpenMode mode);

  bool is_open() const { return db_ != nullptr; }
  /// Closes the connection (checkpointing the WAL). Safe to call twice.
  void close();

  /// Runs one or more statements without results.
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  /// A statement prepared once per connection and reused on every call: for loops that run the
  /// same SQL thousands of times. The handle resets the statement when it goes out of scope (so
  /// no read stays open); do not hold two handles to the same SQL at once.
  Result<class CachedStatement> cached(const std::string& sql);
  /// Runs a query that yields one integer (e.g. PRAGMA user_version).
  Result<std::int64_t> query_int(std::string_view sql);
  Result<std::string> query_text(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  /// True inside an explicit transaction.
  bool in_transaction() const;
  int changes() const;

  /// `PRAGMA integrity_check` and `PRAGMA cipher_integrity_check`; both must report no problem.
  Status check_integrity();
  /// Moves the WAL into the database and truncates it to zero bytes.
  Status checkpoint_truncate();

  /// Attaches another encrypted database file as `schema`, keyed with a raw 32-byte key that is
  /// bound as a parameter (it never appears in SQL text). Used to copy a vault into a new file
  /// (`sqlcipher_export`) when it is re-keyed; the file must be new or empty (SQLCipher 4.5.5
  /// cannot export into an attached file already in WAL mode: "out of memory").
  Status attach_encrypted(const std::filesystem::path& path, std::string_view schema,
                          const crypto::SecureBuffer& raw_key);

  /// Converts the connection's last error into an Error; `what` says what was being done.
  Error last_error(std::string_view what) const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  static Result<Database> open_impl(const std::filesystem::path& path, const crypto::SecureBuffer* raw_key,
                                    OpenMode mode);
  sqlite3* db_ = nullptr;
  bool encrypted_ = false;
  std::unique_ptr<std::map<std::string, Statement>> cache_;
};

/// A borrowed, cached statement (Database::cached); reset when the handle is destroyed.
class CachedStatement {
 public:
  explicit CachedStatement(Statement* st) : st_(st) {}
  ~CachedStatement() {
    if (st_ != nullptr) st_->reset();
  }
  CachedStatement(CachedStatement&& o) noexcept : st_(o.st_) { o.st_ = nullptr; }
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  Statement* operator->() const { return st_; }
  Statement& operator*() const { return *st_; }

 private:
  Statement* st_;
};

/// A write transaction that rolls back unless commit() succeeds. Outermost it is
/// BEGIN IMMEDIATE (the write lock is taken at once, so it cannot fail half-way with BUSY);
/// inside another transaction it is a savepoint, so that functions that change several rows
/// are atomic whether they are called alone or as part of a larger change.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(other.db_), nested_(other.nested_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status commit();

 private:
  Transaction(Database* db, bool nested) : db_(db), nested_(nested) {}
  Database* db_ = nullptr;
  bool nested_ = false;
};

/// Raises the connection's page cache to `bytes` for its lifetime (bulk work), then restores it.
class ScopedCacheSize {
 public:
  ScopedCacheSize(Database& db, std::int64_t bytes);
  ~ScopedCacheSize();
  ScopedCacheSize(const ScopedCacheSize&) = delete;
  ScopedCacheSize& operator=(const ScopedCacheSize&) = delete;

 private:
  Database& db_;
  std::int64_t previous_ = -2000;
};

/// The SQLCipher version string of the linked library (e.g. "4.5.5 community"); fails when the
/// library is older than 4.0, which Backchannel refuses to use.
Result<std::string> check_sqlcipher_version();

}  // namespace bc::storage
