#include "backchannel/core/identity.h"

#include "backchannel/core/audit_log.h"
#include "backchannel/crypto/age.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/storage/clock.h"
#include "record_writer.h"
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

std::string_view to_string(TrustPurpose purpose) { return purpose == TrustPurpose::archives ? "archives" : "packages"; }

Status trust_signer(Vault& vault, const crypto::Ed25519Public& ed25519, const crypto::X25519Public& x25519,
                    TrustPurpose purpose, std::string_view label) {
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(storage::Statement st, db.prepare("INSERT INTO trusted_keys(ed25519_public, x25519_public, purpose, label, added_at) "
                                              "VALUES (?,?,?,?,?) ON CONFLICT(ed25519_public, purpose) DO UPDATE SET "
                                              "x25519_public = excluded.x25519_public WHERE x25519_public IS NULL"));
  st.bind_blob(1, ed25519).bind_blob(2, x25519).bind(3, to_string(purpose)).bind(4, label).bind(5, storage::utc_now_rfc3339());
  BC_TRY(st.run());
  if (db.changes() > 0)
    BC_TRY(append_audit(vault, "signer.trust", std::string(to_string(purpose)) + ": " + identity_fingerprint(ed25519, x25519)));
  return tx.commit();
}

Result<bool> is_trusted_signer(Vault& vault, const crypto::Ed25519Public& key, TrustPurpose purpose) {
  BC_ASSIGN(VaultIdentity own, vault_identity(vault));
  if (own.ed25519 == key) return true;
  BC_ASSIGN(storage::Statement st,
            vault_store(vault).db().prepare("SELECT 1 FROM trusted_keys WHERE ed25519_public = ? AND purpose = ?"));
  st.bind_blob(1, key).bind(2, to_string(purpose));
  BC_ASSIGN(bool row, st.step());
  return row;
}

Result<std::string> normalize_fingerprint(std::string_view text) {
  std::string chars;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    chars += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  static constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  bool valid = chars.size() == 20;
  for (char c : chars) valid = valid && kCrockford.find(c) != std::string_view::npos;
  if (!valid) return fail(ErrorCode::usage, "not a fingerprint (four groups of five letters and digits, as `identity` shows)");
  return chars.substr(0, 5) + "-" + chars.substr(5, 5) + "-" + chars.substr(10, 5) + "-" + chars.substr(15, 5);
}

Status confirm_new_signer(const std::string& signer_fingerprint, const std::optional<std::string>& trust_fingerprint,
                          std::string_view refusal) {
  if (!trust_fingerprint)
    return fail(ErrorCode::auth_failed, std::string(refusal) + " (fingerprint " + signer_fingerprint +
                                            "); nothing was imported. Compare the fingerprint with its sender in person, "
                                            "then import again trusting it",
                Remedy::trust_signer, signer_fingerprint);
  BC_ASSIGN(std::string wanted, normalize_fingerprint(*trust_fingerprint));
  if (wanted != signer_fingerprint)
    return fail(ErrorCode::auth_failed, "the file is signed by fingerprint " + signer_fingerprint + ", not by " + wanted +
                                            " that you were told to trust; nothing was imported");
  return {};
}

Result<std::vector<TrustedKey>> list_trusted_keys(Vault& vault) {
  auto& db = vault_store(vault).db();
  std::vector<TrustedKey> out;
  BC_ASSIGN(storage::Statement st, db.prepare("SELECT ed25519_public, x25519_public, purpose, coalesce(label, ''), added_at "
                                              "FROM trusted_keys ORDER BY added_at, purpose"));
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    crypto::Ed25519Public ed{};
    const auto e = st.column_blob(0);
    if (e.size() != ed.size()) return fail(ErrorCode::integrity, "a trusted key is damaged", Remedy::check_vault);
    std::copy(e.begin(), e.end(), ed.begin());
    TrustedKey k;
    k.signing_key = signing_key_text(ed);
    const auto x = st.column_blob(1);
    if (x.size() == 32) {
      crypto::X25519Public xp{};
      std::copy(x.begin(), x.end(), xp.begin());
      k.fingerprint = identity_fingerprint(ed, xp);
    }
    k.purpose = st.column_string(2);
    k.label = st.column_string(3);
    k.added_at = st.column_string(4);
    out.push_back(std::move(k));
  }
  // A pin's X25519 half: the participant's stored recipient, else the one their packages went to
  // (a response is accepted only from that recipient).
  BC_ASSIGN(storage::Statement pins,
            db.prepare("SELECT p.id, p.signing_key, coalesce(p.recipient, (SELECT s.recipient FROM packages_sent s WHERE "
                       "s.participant_id = p.id ORDER BY s.sent_at DESC LIMIT 1)) FROM participants p "
                       "WHERE p.signing_key IS NOT NULL ORDER BY p.id"));
  while (true) {
    BC_ASSIGN(bool row, pins.step());
    if (!row) break;
    const auto e = pins.column_blob(1);
    if (e.size() != 32) continue;
    crypto::Ed25519Public ed{};
    std::copy(e.begin(), e.end(), ed.begin());
    TrustedKey k;
    k.signing_key = signing_key_text(ed);
    if (!pins.is_null(2))
      if (auto r = crypto::age::X25519Recipient::parse(pins.column_text(2))) k.fingerprint = identity_fingerprint(ed, r->public_key);
    k.purpose = "responses";
    k.label = "participant " + std::to_string(pins.column_int64(0));
    out.push_back(std::move(k));
  }
  // Team signers accepted with `team accept` (their bundles may start a series' team here).
  BC_ASSIGN(storage::Statement team, db.prepare("SELECT signing_key, fingerprint, added_at FROM sync_trust ORDER BY added_at, fingerprint"));
  while (true) {
    BC_ASSIGN(bool row, team.step());
    if (!row) break;
    const auto e = team.column_blob(0);
    if (e.size() != 32) return fail(ErrorCode::integrity, "an accepted team signer is damaged", Remedy::check_vault);
    crypto::Ed25519Public ed{};
    std::copy(e.begin(), e.end(), ed.begin());
    TrustedKey k;
    k.signing_key = signing_key_text(ed);
    k.fingerprint = team.column_string(1);
    k.purpose = "team";
    k.label = "team signer";
    k.added_at = team.column_string(2);
    out.push_back(std::move(k));
  }
  return out;
}

Result<std::size_t> remove_trusted_key(Vault& vault, std::string_view fingerprint_or_key) {
  std::optional<crypto::Ed25519Public> by_key;
  std::string fingerprint;
  if (fingerprint_or_key.rfind("ed25519:", 0) == 0) {
    BC_ASSIGN(by_key, parse_signing_key(fingerprint_or_key));
  } else {
    BC_ASSIGN(fingerprint, normalize_fingerprint(fingerprint_or_key));
  }
  BC_ASSIGN(std::vector<TrustedKey> all, list_trusted_keys(vault));
  std::vector<std::string> keys;
  for (const auto& k : all)
    if (by_key ? k.signing_key == signing_key_text(*by_key) : k.fingerprint == fingerprint) keys.push_back(k.signing_key);
  if (keys.empty())
    return fail(ErrorCode::not_found, "no trusted key has this fingerprint (`trust list` shows them)");
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  std::size_t removed = 0;
  for (const auto& text : keys) {
    BC_ASSIGN(crypto::Ed25519Public key, parse_signing_key(text));
    BC_ASSIGN(storage::Statement del, db.prepare("DELETE FROM trusted_keys WHERE ed25519_public = ?"));
    del.bind_blob(1, key);
    BC_TRY(del.run());
    removed += static_cast<std::size_t>(db.changes());
    BC_ASSIGN(storage::Statement team, db.prepare("DELETE FROM sync_trust WHERE signing_key = ?"));
    team.bind_blob(1, key);
    BC_TRY(team.run());
    removed += static_cast<std::size_t>(db.changes());
    BC_ASSIGN(const std::size_t unpinned, RecordWriter(vault).unpin_signing_key(key));
    removed += unpinned;
  }
  BC_TRY(append_audit(vault, "signer.untrust", by_key ? "signing key " + crypto::to_hex(*by_key).substr(0, 16) : fingerprint));
  BC_TRY(tx.commit());
  return removed;
}

}  // namespace bc::core
