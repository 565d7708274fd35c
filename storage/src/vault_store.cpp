#include "backchannel/storage/vault_store.h"

#include <sys/stat.h>
#include <unistd.h>

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

std::string identity_ad(const VaultId& id) { return std::string(kIdentityAd) + crypto::to_hex(id); }

// Removes what a failed create() made, and nothing else. Armed only once the folder is known to
// have been empty (or made by us): a refused create() must never touch an existing vault.
struct CreateCleanup {
  fs::path dir;
  bool made_dir = false;
  bool armed = false;
  ~CreateCleanup() {
    if (!armed) return;
    std::error_code ec;
    for (const char* f : {"vault.db", "vault.db-wal", "vault.db-shm", "vault.keys"}) fs::remove(dir / f, ec);
    if (made_dir) fs::remove(dir, ec);
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
  } else {
    if (::mkdir(dir.c_str(), 0700) != 0)
      return fail(ErrorCode::io, "cannot create folder " + dir.string() + ": " + std::strerror(errno));
    cleanup.made_dir = true;
  }
  cleanup.armed = true;

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

  crypto::SecureBuffer code = generate_recovery_code();
  const crypto::Argon2idParams cost = crypto::argon2id_params(profile);
  BC_ASSIGN(KeySlot pass_slot, make_slot(SlotType::passphrase, keys.vault_id, passphrase.span(), master, cost));
  BC_ASSIGN(KeySlot rec_slot, make_slot(SlotType::recovery, keys.vault_id, code.span(), master, cost));
  keys.slots.push_back(std::move(pass_slot));
  keys.slots.push_back(std::move(rec_slot));
  // vault.keys last: a folder without it is an interrupted creation, never a half-usable vault.
  BC_TRY(save_key_file(dir / kKeysFile, keys));

  BC_ASSIGN(VaultStore store, open_with_master(dir, std::move(keys), std::move(master)));
  cleanup.armed = false;
  return Created{std::move(store), std::move(code)};
}

Result<VaultStore> VaultStore::open(const fs::path& dir, const crypto::SecureBuffer& passphrase) {
  BC_ASSIGN(KeyFile keys, load_key_file(dir / kKeysFile));
  const KeySlot* slot = keys.find(SlotType::passphrase);
  BC_ASSIGN(crypto::SecureBuffer master, open_slot(*slot, keys.vault_id, passphrase.span()));
  return open_with_master(dir, std::move(keys), std::move(master));
}

Result<VaultStore> VaultStore::recover(const fs::path& dir, std::string_view recovery_code,
                                       const crypto::SecureBuffer& new_passphrase) {
  if (new_passphrase.empty()) return fail(ErrorCode::usage, "the new passphrase must not be empty");
  BC_ASSIGN(KeyFile keys, load_key_file(dir / kKeysFile));
  const KeySlot* slot = keys.find(SlotType::recovery);
  if (slot == nullptr) return fail(ErrorCode::auth_failed, "this vault has no recovery slot");
  BC_ASSIGN(crypto::SecureBuffer code, parse_recovery_code(recovery_code));
  BC_ASSIGN(crypto::SecureBuffer master, open_slot(*slot, keys.vault_id, code.span()));
  // Open the database first: a recovery code for a vault whose database is damaged must not
  // rewrite the key file.
  BC_ASSIGN(VaultStore store, open_with_master(dir, std::move(keys), std::move(master)));
  BC_TRY(store.change_passphrase(new_passphrase));
  return store;
}

Result<VaultStore> VaultStore::open_with_master(const fs::path& dir, KeyFile keys, crypto::SecureBuffer master) {
  VaultStore s;
  s.dir_ = dir;
  s.keys_ = std::move(keys);
  {
    crypto::SecureBuffer db_key = crypto::derive_subkey(master, crypto::SubkeyPurpose::database);
    BC_ASSIGN(Database db, Database::open(dir / kDatabaseFile, db_key, OpenMode::open_existing));
    s.db_ = std::move(db);
  }
  BC_TRY(migrate(s.db_));
  BC_ASSIGN(std::string stored_id, s.db_.query_text("SELECT value FROM vault_meta WHERE key = 'vault_id'"));
  if (stored_id != crypto::to_hex(s.keys_.vault_id))
    return fail(ErrorCode::integrity, "vault.keys and vault.db belong to different vaults");
  s.master_ = std::move(master);
  s.audit_key_ = crypto::derive_subkey(s.master_, crypto::SubkeyPurpose::audit_mac);
  s.pseudonym_key_ = crypto::derive_subkey(s.master_, crypto::SubkeyPurpose::pseudonym);
  s.identity_key_ = crypto::derive_subkey(s.master_, crypto::SubkeyPurpose::identity);
  return s;
}

Result<VaultStore> VaultStore::another_connection() const {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  return open_with_master(dir_, keys_, master_.clone());
}

Status VaultStore::change_passphrase(const crypto::SecureBuffer& new_passphrase) {
  if (!is_open()) return fail(ErrorCode::usage, "the vault is locked");
  if (new_passphrase.empty()) return fail(ErrorCode::usage, "the new passphrase must not be empty");
  const KeySlot* old = keys_.find(SlotType::passphrase);
  BC_ASSIGN(KeySlot slot, make_slot(SlotType::passphrase, keys_.vault_id, new_passphrase.span(), master_, old->kdf));
  KeyFile next = keys_;
  for (auto& s : next.slots)
    if (s.type == SlotType::passphrase) s = std::move(slot);
  remove_stale_key_temporaries();
  BC_TRY(save_key_file(dir_ / kKeysFile, next));
  keys_ = std::move(next);
  return {};
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

namespace {
Result<crypto::SecureBuffer> unwrap_identity(Database& db, const crypto::SecureBuffer& identity_key, const VaultId& id) {
  BC_ASSIGN(Statement st, db.prepare("SELECT wrap_nonce, wrapped_secrets FROM vault_identity WHERE id = 1"));
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::integrity, "the vault has no identity");
  crypto::WrappedKey w{st.column_blob(0), st.column_blob(1)};
  auto secrets = crypto::unwrap_key(identity_key, w, crypto::bytes_of(identity_ad(id)));
  if (!secrets || secrets->size() != 64) return fail(ErrorCode::integrity, "the vault identity is damaged");
  return std::move(*secrets);
}
}  // namespace

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
