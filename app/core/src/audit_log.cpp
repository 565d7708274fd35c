#include "backchannel/core/audit_log.h"

#include "audit_chain.h"

#include <cstring>

#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/storage/clock.h"
#include "vault_store_access.h"

namespace bc::core {

namespace {

using storage::Statement;

// MAC input: every field length-prefixed so that no two entries serialise alike.
crypto::Sha256Digest entry_mac(const crypto::SecureBuffer& key, std::span<const std::uint8_t> prev_mac,
                               std::int64_t seq, std::string_view at, std::string_view action,
                               std::string_view subject) {
  std::string msg = "backchannel.audit/1";
  auto put = [&](std::string_view s) {
    msg += std::to_string(s.size());
    msg += ':';
    msg += s;
  };
  put(std::string_view(reinterpret_cast<const char*>(prev_mac.data()), prev_mac.size()));
  put(std::to_string(seq));
  put(at);
  put(action);
  put(subject);
  return crypto::hmac_sha256(key.span(), crypto::bytes_of(msg));
}

}  // namespace

Status append_audit_entry(storage::Database& db, const crypto::SecureBuffer& key, std::string_view action,
                          std::string_view subject) {
  std::int64_t seq = 1;
  std::vector<std::uint8_t> prev(32, 0);
  {
    BC_ASSIGN(Statement st, db.prepare("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1"));
    BC_ASSIGN(bool row, st.step());
    if (row) {
      seq = st.column_int64(0) + 1;
      prev = st.column_blob(1);
    }
  }
  const std::string at = storage::utc_now_rfc3339();
  const auto mac = entry_mac(key, prev, seq, at, action, subject);
  BC_ASSIGN(Statement ins, db.prepare("INSERT INTO audit_log(seq, at, action, subject, prev_mac, mac) VALUES (?,?,?,?,?,?)"));
  ins.bind(1, seq).bind(2, at).bind(3, action).bind(4, subject).bind_blob(5, prev).bind_blob(6, mac);
  return ins.run();
}

Status append_audit(Vault& vault, std::string_view action, std::string_view subject) {
  return append_audit_entry(vault_store(vault).db(), vault_store(vault).audit_key(), action, subject);
}

Result<std::vector<AuditEntry>> recent_audit_entries(Vault& vault, std::size_t limit) {
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare(
                              "SELECT seq, at, action, subject FROM audit_log ORDER BY seq DESC LIMIT ?"));
  st.bind(1, static_cast<std::int64_t>(limit));
  std::vector<AuditEntry> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back({st.column_int64(0), st.column_string(1), st.column_string(2), st.column_string(3)});
  }
  return out;
}

Result<AuditReport> verify_audit_chain(storage::Database& db, const crypto::SecureBuffer& key) {
  BC_ASSIGN(Statement st, db.prepare("SELECT seq, at, action, subject, prev_mac, mac FROM audit_log ORDER BY seq"));
  AuditReport report;
  std::vector<std::uint8_t> expected_prev(32, 0);
  std::int64_t expected_seq = 1;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    const std::int64_t seq = st.column_int64(0);
    if (seq != expected_seq)
      return fail(ErrorCode::integrity, "audit log: entry " + std::to_string(expected_seq) + " is missing");
    const auto prev = st.column_blob(4);
    const auto mac = st.column_blob(5);
    if (!crypto::equal_ct(prev, expected_prev))
      return fail(ErrorCode::integrity, "audit log: entry " + std::to_string(seq) + " does not follow entry " +
                                            std::to_string(seq - 1));
    const auto want = entry_mac(key, prev, seq, st.column_text(1), st.column_text(2), st.column_text(3));
    if (!crypto::equal_ct(mac, want))
      return fail(ErrorCode::integrity, "audit log: entry " + std::to_string(seq) + " was altered");
    expected_prev = mac;
    ++expected_seq;
    ++report.entries;
  }
  return report;
}

Result<AuditReport> verify_audit_log(Vault& vault) {
  return verify_audit_chain(vault_store(vault).db(), vault_store(vault).audit_key());
}

Status reseal_audit_chain(storage::Database& db, const crypto::SecureBuffer& old_key, const crypto::SecureBuffer& new_key) {
  BC_TRY(verify_audit_chain(db, old_key));
  BC_ASSIGN(Statement read, db.prepare("SELECT seq, at, action, subject FROM audit_log ORDER BY seq"));
  BC_ASSIGN(Statement write, db.prepare("UPDATE audit_log SET prev_mac = ?, mac = ? WHERE seq = ?"));
  std::vector<std::uint8_t> prev(32, 0);
  while (true) {
    BC_ASSIGN(bool row, read.step());
    if (!row) break;
    const std::int64_t seq = read.column_int64(0);
    const auto mac = entry_mac(new_key, prev, seq, read.column_text(1), read.column_text(2), read.column_text(3));
    write.reset();
    BC_TRY(write.bind_blob(1, prev).bind_blob(2, mac).bind(3, seq).run());
    prev.assign(mac.begin(), mac.end());
  }
  return {};
}

}  // namespace bc::core
