#include "backchannel/storage/vault_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/key_wrap.h"
#include "backchannel/crypto/random.h"
#include "backchannel/crypto/subkey.h"
#include "backchannel/files/atomic_file.h"
#include "backchannel/storage/clock.h"
#include "backchannel/storage/recovery_code.h"
#include "backchannel/storage/schema.h"

namespace bc::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kIdentityAd = "backchannel.identity/1\n";
constexpr std::string_view kPseudonymKeyAd = "backchannel.pseudonym-key/1\n";
// The vault_meta row that carries the pseudonym key across a rekey (absent: sub-key 3).
constexpr const char* kPseudonymKeyRow = "pseudonym_key";

std::string identity_ad(const VaultId& id) { return std::string(kIdentityAd) + crypto::to_hex(id); }
std::string pseudonym_key_ad(const VaultId& id) { return std::string(kPseudonymKeyAd) + crypto::to_hex(id); }

fs::path with_suffix(const fs::path& p, const char* suffix) { return fs::path(p.string() + suffix); }

// A database file and what SQLite keeps beside it.
void remove_database_files(const fs::path& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(with_suffix(db, suffix), ec);
}

// The salt in the first 16 bytes of a SQLCipher file; nullopt when the file is missing or shorter.
std::optional<DatabaseSalt> read_database_salt(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  DatabaseSalt salt{};
  std::size_t got = 0;
  while (got < salt.size()) {
    const ssize_t n = ::read(fd, salt.data() + got, salt.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != salt.size()) return std::nullopt;
  return salt;
}

Error keys_do_not_match() {
  return fail(ErrorCode::integrity,
              "vault.keys and vault.db do not belong together (vault.keys names another database file)",
              Remedy::check_vault);
}

// Removes what a failed create() made, and nothing else. Armed only once the folder is known to
// have been empty (or made by us): a refused create() must never touch an existing vault.
struct CreateCleanup {
  fs::path dir;
  bool made_dir = false;
  bool armed = false;
  ~CreateCleanup() {
    if (!armed) return;
    std::error_code ec;
    for (const char* f : {"vault.db", "vault.db-wal", "vault.db-shm", "vault.db-journal", "vault.keys"})
      fs::remove(dir / f, ec);
    if (made_dir) fs::remove(dir, ec);
  }
};

// Removes vault.db.next (and its side files) unless disarmed: a rekey that fails before its
// commit leaves the old vault as it was.
struct NextCleanup {
  fs::path next;
  bool armed = true;
  ~NextCleanup() {
    if (armed) remove_database_files(next);
  }
};

Status insert_identity(Database& db, const crypto::SecureBuffer& identity_key, const VaultId& vault_id) {
  crypto::X25519KeyPair x = crypto::generate_x25519();
  crypto::Ed25519KeyPair e = crypto::generate_ed25519();
  crypto::SecureBuffer secrets(64);
  std::memcpy(secrets.data(), x.secret_key.data(), 32);
  std::memcpy(secrets.data() + 32, e.secret_key.data(), 32);  // the Ed25519 seed
  crypto::WrappedKey w = crypto::wrap_key(identity_key, secrets.span(), crypto::bytes_of(identity_ad(vault_id)));
  BC_ASSIGN(Statement st, db.prepare("INSERT INTO vault_identity(id, x25519_public, ed25519_public, wrap_nonce, "
                                     "wrapped_secrets, created_at) VALUES (1, ?, ?, ?, ?, ?)"));
  st.bind_blob(1, x.public_key).bind_blob(2, e.public_key).bind_blob(3, w.nonce).bind_blob(4, w.ciphertext);
  st.bind(5, utc_now_rfc3339());
  return st.run();
}

Result<crypto::SecureBuffer> unwrap_identity(Database& db, const crypto::SecureBuffer& identity_key, const VaultId& id) {
  BC_ASSIGN(Statement st, db.prepare("SELECT wrap_nonce, wrapped_secrets FROM vault_identity WHERE id = 1"));
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::integrity, "the vault has no identity");
  crypto::WrappedKey w{st.column_blob(0), st.column_blob(1)};
  auto secrets = crypto::unwrap_key(identity_key, w, crypto::bytes_of(identity_ad(id)));
  if (!secrets || secrets->size() != 64) return fail(ErrorCode::integrity, "the vault identity is damaged");
  return std::move(*secrets);
}

// The pseudonym key: carried in vault_meta (wrapped under the identity sub-key) once the vault
// has been re-keyed, else sub-key 3 of the master key. It must survive a rekey because the
// pseudonym letters it orders have left the vault in summaries.
Result<crypto::SecureBuffer> load_pseudonym_key(Database& db, const crypto::SecureBuffer& master,
                                                const crypto::SecureBuffer& identity_key, const VaultId& id) {
  BC_ASSIGN(Statement st, db.prepare("SELECT value FROM vault_meta WHERE key = ?"));
  st.bind(1, kPseudonymKeyRow);
  BC_ASSIGN(bool row, st.step());
  if (!row) return crypto::derive_subkey(master, crypto::SubkeyPurpose::pseudonym);
  auto bytes = crypto::from_hex(st.column_text(0));
  if (!bytes || bytes->size() != 24 + 32 + 16) return fail(ErrorCode::integrity, "the vault's pseudonym key is damaged");
  crypto::WrappedKey w{{bytes->begin(), bytes->begin() + 24}, {bytes->begin() + 24, bytes->end()}};
  auto key = crypto::unwrap_key(identity_key, w, crypto::bytes_of(pseudonym_key_ad(id)));
  if (!key || key->size() != 32) return fail(ErrorCode::integrity, "the vault's pseudonym key is damaged");
  return std::move(*key);
}

// Moves the identity and the pseudonym key of a vault under a new identity sub-key (rekey).
Status rewrap_secrets(Database& next, crypto::SecureBuffer identity_secrets, const crypto::SecureBuffer& pseudonym_key,
                      const crypto::SecureBuffer& new_identity_key, const VaultId& id) {
  crypto::WrappedKey w = crypto::wrap_key(new_identity_key, identity_secrets.span(), crypto::bytes_of(identity_ad(id)));
  BC_ASSIGN(Statement up, next.prepare("UPDATE vault_identity SET wrap_nonce = ?, wrapped_secrets = ? WHERE id = 1"));
  BC_TRY(up.bind_blob(1, w.nonce).bind_blob(2, w.ciphertext).run());
  if (next.changes() != 1) return fail(ErrorCode::integrity, "the vault has no identity");
  crypto::WrappedKey p = crypto::wrap_key(new_identity_key, pseudonym_key.span(), crypto::bytes_of(pseudonym_key_ad(id)));
  std::vector<std::uint8_t> blob = p.nonce;
  blob.insert(blob.end(), p.ciphertext.begin(), p.ciphertext.end());
  BC_ASSIGN(Statement put, next.prepare("INSERT OR REPLACE INTO vault_meta(key, value) VALUES (?, ?)"));
  return put.bind(1, kPseudonymKeyRow).bind(2, crypto::to_hex(blob)).run();
}

}  // namespace

Result<VaultStore::Created> VaultStore::create(const fs::path& dir, const crypto::SecureBuffer& passphrase,
                                               crypto::KdfProfile profile) {
  if (passphrase.empty()) return fail(ErrorCode::usage, "the passphrase must not be empty");
  CreateCleanup cleanup{dir};
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return fail(ErrorCode::conflict, dir.string() + " exists and is not a folder");
    if (!fs::is_empty(dir, ec))
      return fail(ErrorCode::conflict, dir.string() + " is not empty; choose a new folder for the vault");
    // An existing folder keeps whatever mode it had (0755 from mkdir under a usual umask):
    // the vault's folder is the owner's alone, or there is no vault.
    struct stat st {};
    if (::chmod(dir.c_str(), 0700) != 0 || ::stat(dir.c_str(), &st) != 0 || (st.st_mode & 07777) != 0700)
      return fail(ErrorCode::io, "cannot make the folder " + dir.string() +
                                     " private (mode 0700): " + std::strerror(errno) +
                                     "; choose a folder of your own");
  } else {
    if (::mkdir(dir.c_str(), 0700) != 0)
      return fail(ErrorCode::io, "cannot create folder " + dir.string() + ": " + std::strerror(errno));
    cleanup.made_dir = true;
  }
  cleanup.armed = true;
  BC_ASSIGN(FolderLock lock, FolderLock::acquire(dir, LockMode::exclusive, 0));

  KeyFile keys;
  crypto::random_fill(keys.vault_id);
  crypto::SecureBuffer master = crypto::random_secret(32);
  {
    crypto::SecureBuffer db_key = crypto::derive_subkey(master, crypto::SubkeyPurpose::database);
    BC_ASSIGN(Database db, Database::open(dir / kDatabaseFile, db_key, OpenMode::create_new));
    BC_TRY(migrate(db));
    BC_ASSIGN(Transaction tx, Transaction::begin(db));
    BC_ASSIGN(Statement st, db.prepare("INSERT INTO vault_meta(key, value) VALUES ('vault_id', ?), ('created_at', ?)"));
    BC_TRY(st.bind(1, crypto::to_hex(keys.vault_id)).bind(2, utc_now_rfc3339()).run());
    crypto::SecureBuffer identity_key = crypto::derive_subkey(master, crypto::SubkeyPurpose::identity);
    BC_TRY(insert_identity(db, identity_key, keys.vault_id));
    BC_TRY(tx.commit());
    BC_TRY(db.checkpoint_truncate());
  }
  auto salt = read_database_salt(dir / kDatabaseFile);
  if (!salt) return fail(ErrorCode::io, "cannot read back the new vault database in " + dir.string());
  keys.database_salt = *salt;

  crypto::SecureBuffer code = generate_recovery_code();
  const crypto::Argon2idParams cost = crypto::argon2id_params(profile);
  BC_ASSIGN(KeySlot pass_slot, make_slot(SlotType::passphrase, keys, passphrase.span(), master, cost));
  BC_ASSIGN(KeySlot rec_slot, make_slot(SlotType::recovery, keys, code.span(), master, cost));
  keys.slots.push_back(std::move(pass_slot));
  keys.slots.push_back(std::move(rec_slot));
  // vault.keys last: a folder without it is an interrupted creation, never a half-usable vault.
  BC_TRY(save_key_file(dir / kKeysFile, keys));

  BC_TRY(lock.convert(LockMode::shared));
  BC_ASSIGN(VaultStore store, open_with_master(dir, std::move(keys), std::move(master), std::move(lock), false));
  cleanup.armed = false;
  return Created{std::move(store), std::move(code)};
}

Result<std::pair<FolderLock, KeyFile>> VaultStore::lock_and_load(const fs::path& dir, LockMode mode) {
  // Read once before locking, so that a folder that is no vault gets that message.
  BC_TRY(load_key_file(dir / kKeysFile));
  BC_ASSIGN(FolderLock lock, FolderLock::acquire(dir, mode));
  // Again under the lock: a rekey that finished while we waited has replaced the key file.
  BC_ASSIGN(KeyFile keys, load_key_file(dir / kKeysFile));
  return std::pair{std::move(lock), std::move(keys)};
}

Result<VaultStore> VaultStore::open(const fs::path& dir, const crypto::SecureBuffer& passphrase) {
  BC_ASSIGN(auto locked, lock_and_load(dir, LockMode::shared));
  KeyFile& keys = locked.second;
  const KeySlot* slot = keys.find(SlotType::passphrase);
  BC_ASSIGN(crypto::SecureBuffer master, open_slot(*slot, keys, passphrase.span()));
  return open_with_master(dir, std::move(keys), std::move(master), std::move(locked.first), true);
}

Result<VaultStore> VaultStore::recover(const fs::path& dir, std::string_view recovery_code,
                                       const crypto::SecureBuffer& new_passphrase) {
  if (new_passphrase.empty()) return fail(ErrorCode::usage, "the new passphrase must not be empty");
  BC_ASSIGN(auto locked, lock_and_load(dir, LockMode::shared));
  KeyFile& keys = locked.second;
  const KeySlot* slot = keys.find(SlotType::recovery);
  if (slot == nullptr) return fail(ErrorCode::auth_failed, "this vault has no recovery slot");
  BC_ASSIGN(crypto::SecureBuffer code, parse_recovery_code(recovery_code));
  BC_ASSIGN(crypto::SecureBuffer master, open_slot(*slot, keys, code.span()));
  // Open the database first: a recovery code for a vault whose database is damaged must not
  // rewrite the key file.
  BC_ASSIGN(VaultStore store, open_with_master(dir, std::move(keys), std::move(master), std::move(locked.first), true));
  BC_TRY(store.change_passphrase(new_passphrase));
  return store;
}

Result<VaultStore> VaultStore::open_with_master(const fs::path& dir, KeyFile keys, crypto::SecureBuffer master,
                                                FolderLock lock, bool settle) {
  VaultStore s;
  s.dir_ = dir;
  s.keys_ = std::move(keys);
  s.lock_ = std::move(lock);
  const fs::path db_file = dir / kDatabaseFile;
  const fs::path next = dir / kNextDatabaseFile;
  crypto::SecureBuffer db_key = crypto::derive_subkey(master, crypto::SubkeyPurpose::database);
  bool discard_next = false;
  if (settle && fs::exists(next)) {
    // A rekey was interrupted. It committed if and only if vault.keys names vault.db.next: then
    // finish it (the old vault.db is dead), else vault.db.next is an abandoned copy, removed
    // below once vault.db has opened. Only reached after the slot opened: a wrong passphrase
    // changes nothing.
    const bool committed = s.keys_.version >= 2 && read_database_salt(next) == s.keys_.database_salt;
    if (committed) {
      const LockMode held = s.lock_.mode();
      BC_TRY(s.lock_.convert(LockMode::exclusive));
      if (fs::exists(next)) {  // another program may have finished it while we waited
        {
          BC_ASSIGN(Database db, Database::open(next, db_key, OpenMode::open_existing));
          BC_ASSIGN(std::string id, db.query_text("SELECT value FROM vault_meta WHERE key = 'vault_id'"));
          if (id != crypto::to_hex(s.keys_.vault_id)) return keys_do_not_match();
          BC_TRY(db.checkpoint_truncate());
        }
        std::error_code ec;
        fs::remove(with_suffix(db_file, "-wal"), ec);
        fs::remove(with_suffix(db_file, "-shm"), ec);
        if (::rename(next.c_str(), db_file.c_str()) != 0)
          return fail(ErrorCode::io, "cannot finish the interrupted rekey (renaming " + next.string() +
                                         "): " + std::strerror(errno));
        BC_TRY(files::sync_directory(dir));
      }
      BC_TRY(s.lock_.convert(held));
    } else {
      discard_next = true;
    }
  }
  if (s.keys_.version >= 2 && read_database_salt(db_file) != s.keys_.database_salt) {
    if (!fs::exists(db_file))
      return fail(ErrorCode::not_found, "vault database " + db_file.string() + " does not exist");
    return keys_do_not_match();
  }
  {
    BC_ASSIGN(Database db, Database::open(db_file, db_key, OpenMode::open_existing));
    s.db_ = std::move(db);
  }
  BC_TRY(migrate(s.db_));
  BC_ASSIGN(std::string stored_id, s.db_.query_text("SELECT value FROM vault_meta WHERE key = 'vault_id'"));
  if (stored_id != crypto::to_hex(s.keys_.vault_id))
    return fail(ErrorCode::integrity, "vault.keys and vault.db belong to different vaults");
  s.master_ = std::move(master);
  s.audit_key_ = crypto::derive_subkey(s.master_, crypto::SubkeyPurpose::audit_mac);
  s.identity_key_ = crypto::derive_subkey(s.master_, crypto::SubkeyPurpose::identity);
  BC_ASSIGN(crypto::SecureBuffer pseudonym_key, load_pseudonym_key(s.db_, s.master_, s.identity_key_, s.keys_.vault_id));
  s.pseudonym_key_ = std::move(pseudonym_key);
  if (discard_next) remove_database_files(next);
  return s;
}

Result<VaultStore> VaultStore::rekey(const fs::path& dir, const crypto::SecureBuffer& passphrase, const RekeyPlan& plan,
                                     RekeyOutcome& outcome) {
  auto step = [&](RekeyStep st) {
    if (plan.progress) plan.progress(st);
  };
  if (plan.new_passphrase != nullptr && plan.new_passphrase->empty())
    return fail(ErrorCode::usage, "the new passphrase must not be empty");
  // Exclusive for the whole rekey: every other connection would keep writing to the old file.
  BC_ASSIGN(auto locked, lock_and_load(dir, LockMode::exclusive));
  const KeyFile old_keys = locked.second;
  BC_ASSIGN(crypto::SecureBuffer old_master,
            open_slot(*old_keys.find(SlotType::passphrase), old_keys, passphrase.span()));
  BC_ASSIGN(VaultStore old, open_with_master(dir, old_keys, std::move(old_master), std::move(locked.first), true));
  step(RekeyStep::unlocked);

  const fs::path next = dir / kNextDatabaseFile;
  remove_database_files(next);
  NextCleanup cleanup{next};
  crypto::SecureBuffer master = crypto::random_secret(32);
  const crypto::SecureBuffer db_key = crypto::derive_subkey(master, crypto::SubkeyPurpose::database);
  const crypto::SecureBuffer audit_key = crypto::derive_subkey(master, crypto::SubkeyPurpose::audit_mac);
  const crypto::SecureBuffer identity_key = crypto::derive_subkey(master, crypto::SubkeyPurpose::identity);
  {
    // Created empty here so that it is the owner's alone whatever the umask, then filled through
    // the old connection, which decrypts each page with the old key and writes it with the new one.
    const int fd = ::open(next.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return fail(ErrorCode::io, "cannot create " + next.string() + ": " + std::strerror(errno));
    ::close(fd);
  }
  BC_TRY(old.db_.attach_encrypted(next, "rekey_target", db_key));
  Status copied = [&]() -> Status {
    BC_TRY(old.db_.exec("SELECT sqlcipher_export('rekey_target')"));
    // sqlcipher_export copies the schema and rows, not the header's user_version.
    BC_ASSIGN(std::int64_t version, old.db_.query_int("PRAGMA main.user_version"));
    return old.db_.exec("PRAGMA rekey_target.user_version = " + std::to_string(version));
  }();
  BC_TRY(old.db_.exec("DETACH DATABASE rekey_target"));
  BC_TRY(copied);
  step(RekeyStep::database_copied);
  {
    BC_ASSIGN(Database db, Database::open(next, db_key, OpenMode::switch_to_wal));
    BC_ASSIGN(Transaction tx, Transaction::begin(db));
    BC_ASSIGN(crypto::SecureBuffer identity, unwrap_identity(old.db_, old.identity_key_, old_keys.vault_id));
    BC_TRY(rewrap_secrets(db, std::move(identity), old.pseudonym_key_, identity_key, old_keys.vault_id));
    if (plan.rewrite) BC_TRY(plan.rewrite(db, old.audit_key_, audit_key));
    BC_TRY(tx.commit());
    // Every page of the copy read back under the new key before the old database is let go.
    BC_TRY(db.check_integrity());
    BC_TRY(db.checkpoint_truncate());
  }
  step(RekeyStep::database_ready);

  KeyFile keys;
  keys.vault_id = old_keys.vault_id;
  auto salt = read_database_salt(next);
  if (!salt) return fail(ErrorCode::io, "cannot read back " + next.string());
  keys.database_salt = *salt;
  const crypto::Argon2idParams cost = old.passphrase_cost();
  const crypto::SecureBuffer& pass = plan.new_passphrase != nullptr ? *plan.new_passphrase : passphrase;
  BC_ASSIGN(KeySlot pass_slot, make_slot(SlotType::passphrase, keys, pass.span(), master, cost));
  crypto::SecureBuffer code = generate_recovery_code();
  BC_ASSIGN(KeySlot rec_slot, make_slot(SlotType::recovery, keys, code.span(), master, cost));
  keys.slots.push_back(std::move(pass_slot));
  keys.slots.push_back(std::move(rec_slot));
  step(RekeyStep::slots_made);

  // From here nothing may write the old database: close it (the last connection checkpoints
  // and removes its WAL, so no journal of the old file can later be mistaken for the new one's).
  FolderLock lock = std::move(old.lock_);
  old.lock();
  if (fs::exists(dir / (std::string(kDatabaseFile) + "-wal")))
    return fail(ErrorCode::io, "the old vault database could not be closed cleanly (its journal is still there); "
                               "nothing was changed");
  BC_TRY(files::sync_directory(dir));
  outcome.recovery_code = code.clone();
  if (plan.before_commit) BC_TRY(plan.before_commit(code));
  step(RekeyStep::ready_to_commit);

  old.remove_stale_key_temporaries();
  // The commit point: vault.keys now names vault.db.next by its salt.
  BC_TRY(save_key_file(dir / kKeysFile, keys));
  cleanup.armed = false;
  outcome.committed = true;
  step(RekeyStep::committed);

  const fs::path db_file = dir / kDatabaseFile;
  std::error_code ec;
  fs::remove(with_suffix(db_file, "-wal"), ec);
  fs::remove(with_suffix(db_file, "-shm"), ec);
  if (::rename(next.c_str(), db_file.c_str()) != 0)
    return fail(ErrorCode::io, "the vault was re-keyed, but " + next.string() + " could not be renamed to " +
                                   kDatabaseFile + " (" + std::strerror(errno) +
                                   "); opening the vault again finishes this");
  BC_TRY(files::sync_directory(dir));
  step(RekeyStep::finished);
  BC_TRY(lock.convert(LockMode::shared));
  return open_with_master(dir, std::move(keys), std::move(master), std::move(lock), false);
}

Result<VaultStore> VaultStore::another_connection() const {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  BC_ASSIGN(FolderLock lock, FolderLock::acquire(dir_, LockMode::shared));
  return open_with_master(dir_, keys_, master_.clone(), std::move(lock), false);
}

crypto::Argon2idParams VaultStore::passphrase_cost() const {
  const KeySlot* slot = keys_.find(SlotType::passphrase);
  return slot != nullptr ? slot->kdf : crypto::argon2id_params(crypto::KdfProfile::moderate);
}

Result<KeySlot> VaultStore::make_passphrase_slot(const crypto::SecureBuffer& new_passphrase,
                                                 std::optional<crypto::KdfProfile> cost) const {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  if (new_passphrase.empty()) return fail(ErrorCode::usage, "the new passphrase must not be empty");
  return make_slot(SlotType::passphrase, keys_, new_passphrase.span(), master_,
                   cost ? crypto::argon2id_params(*cost) : passphrase_cost());
}

Result<std::pair<KeySlot, crypto::SecureBuffer>> VaultStore::make_recovery_slot() const {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  crypto::SecureBuffer code = generate_recovery_code();
  BC_ASSIGN(KeySlot slot, make_slot(SlotType::recovery, keys_, code.span(), master_, passphrase_cost()));
  return std::pair{std::move(slot), std::move(code)};
}

Status VaultStore::install_slot(KeySlot slot) {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  KeyFile next = keys_;
  bool replaced = false;
  for (auto& s : next.slots)
    if (s.type == slot.type) {
      s = slot;
      replaced = true;
    }
  if (!replaced) next.slots.push_back(std::move(slot));
  remove_stale_key_temporaries();
  BC_TRY(save_key_file(dir_ / kKeysFile, next));
  keys_ = std::move(next);
  return {};
}

Status VaultStore::change_passphrase(const crypto::SecureBuffer& new_passphrase, std::optional<crypto::KdfProfile> cost) {
  BC_ASSIGN(KeySlot slot, make_passphrase_slot(new_passphrase, cost));
  return install_slot(std::move(slot));
}

void VaultStore::remove_stale_key_temporaries() const {
  // A passwd or recover killed between writing its temporary key file and renaming it over
  // vault.keys leaves that file behind (".vault.keys.tmp-<random>"): a complete or partial key
  // file with a slot for a passphrase that never took effect. Nothing else in the folder starts
  // with this prefix. A passphrase change running at this moment in another process would lose
  // its temporary file and fail cleanly at its rename (two simultaneous changes cannot both win).
  const std::string prefix = std::string(".") + kKeysFile + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0 && it->is_regular_file(ec)) fs::remove(it->path(), ec);
  }
}

void VaultStore::lock() {
  db_.close();
  lock_.release();
  master_ = crypto::SecureBuffer();
  audit_key_ = crypto::SecureBuffer();
  pseudonym_key_ = crypto::SecureBuffer();
  identity_key_ = crypto::SecureBuffer();
}

Result<VaultIdentityPublic> VaultStore::identity_public() {
  BC_ASSIGN(Statement st, db_.prepare("SELECT x25519_public, ed25519_public FROM vault_identity WHERE id = 1"));
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::integrity, "the vault has no identity");
  VaultIdentityPublic pub;
  auto x = st.column_blob(0);
  auto e = st.column_blob(1);
  if (x.size() != 32 || e.size() != 32) return fail(ErrorCode::integrity, "the vault identity is damaged");
  std::copy(x.begin(), x.end(), pub.x25519.begin());
  std::copy(e.begin(), e.end(), pub.ed25519.begin());
  return pub;
}


Result<crypto::X25519KeyPair> VaultStore::identity_x25519() {
  BC_ASSIGN(crypto::SecureBuffer secrets, unwrap_identity(db_, identity_key_, keys_.vault_id));
  crypto::X25519KeyPair kp;
  kp.secret_key = crypto::SecureBuffer::copy_of(secrets.span().subspan(0, 32));
  kp.public_key = crypto::x25519_public_of(kp.secret_key);
  return kp;
}

Result<crypto::Ed25519KeyPair> VaultStore::identity_ed25519() {
  BC_ASSIGN(crypto::SecureBuffer secrets, unwrap_identity(db_, identity_key_, keys_.vault_id));
  crypto::SecureBuffer seed = crypto::SecureBuffer::copy_of(secrets.span().subspan(32, 32));
  return crypto::ed25519_from_secret(seed);
}

}  // namespace bc::storage
