#include "backchannel/core/identity.h"

#include "backchannel/core/audit_log.h"
#include "backchannel/crypto/age.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/storage/clock.h"
#include "vault_store_access.h"

namespace bc::core {

std::string identity_fingerprint(const crypto::Ed25519Public& ed25519, const crypto::X25519Public& x25519) {
  crypto::Sha256 h;
  h.update(crypto::bytes_of("backchannel fingerprint v1"));
  h.update(ed25519);
  h.update(x25519);
  const auto digest = h.finish();
  const std::string chars = crypto::to_crockford_base32(digest, 20);
  return chars.substr(0, 5) + "-" + chars.substr(5, 5) + "-" + chars.substr(10, 5) + "-" + chars.substr(15, 5);
}

std::string signing_key_text(const crypto::Ed25519Public& key) { return "ed25519:" + crypto::to_base64(key); }

Result<crypto::Ed25519Public> parse_signing_key(std::string_view text) {
  constexpr std::string_view prefix = "ed25519:";
  if (text.substr(0, prefix.size()) != prefix) return fail(ErrorCode::bad_input, "a signing key starts with \"ed25519:\"");
  auto bytes = crypto::from_base64(text.substr(prefix.size()));
  if (!bytes || bytes->size() != 32) return fail(ErrorCode::bad_input, "not a valid ed25519 signing key");
  crypto::Ed25519Public key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

Result<VaultIdentity> vault_identity(Vault& vault) {
  BC_ASSIGN(storage::VaultIdentityPublic pub, vault_store(vault).identity_public());
  VaultIdentity id;
  id.x25519 = pub.x25519;
  id.ed25519 = pub.ed25519;
  id.recipient = crypto::age::X25519Recipient{pub.x25519}.to_string();
  id.signing_key = signing_key_text(pub.ed25519);
  id.fingerprint = identity_fingerprint(pub.ed25519, pub.x25519);
  return id;
}

Status trust_signer(Vault& vault, const crypto::Ed25519Public& key, std::string_view label) {
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(storage::Statement st, db.prepare("INSERT INTO trusted_signers(ed25519_public, label, added_at) VALUES (?,?,?) "
                                              "ON CONFLICT(ed25519_public) DO NOTHING"));
  st.bind_blob(1, key).bind(2, label).bind(3, storage::utc_now_rfc3339());
  BC_TRY(st.run());
  if (db.changes() > 0) BC_TRY(append_audit(vault, "signer.trust", "signer " + crypto::to_hex(key).substr(0, 16)));
  return tx.commit();
}

Result<bool> is_trusted_signer(Vault& vault, const crypto::Ed25519Public& key) {
  BC_ASSIGN(VaultIdentity own, vault_identity(vault));
  if (own.ed25519 == key) return true;
  BC_ASSIGN(storage::Statement st, vault_store(vault).db().prepare("SELECT 1 FROM trusted_signers WHERE ed25519_public = ?"));
  st.bind_blob(1, key);
  BC_ASSIGN(bool row, st.step());
  return row;
}

}  // namespace bc::core
