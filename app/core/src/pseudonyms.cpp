#include "backchannel/core/pseudonyms.h"

#include <algorithm>

#include "backchannel/core/text_normalizer.h"
#include "backchannel/crypto/hmac.h"
#include "vault_store_access.h"

namespace bc::core {

using storage::Statement;

std::string pseudonym_letters(std::size_t index) {
  // Bijective base 26: A..Z, AA..AZ, BA..
  std::string out;
  std::size_t n = index + 1;
  while (n > 0) {
    --n;
    out.insert(out.begin(), static_cast<char>('A' + n % 26));
    n /= 26;
  }
  return out;
}

namespace {

crypto::Sha256Digest keyed(Vault& vault, const std::string& message) {
  return crypto::hmac_sha256(vault_store(vault).pseudonym_key().span(), crypto::bytes_of(message));
}

}  // namespace

std::map<std::int64_t, std::string> summary_pseudonyms(Vault& vault, const Meeting& meeting, Audience audience,
                                                       const std::vector<const Participant*>& pseudonymous) {
  std::vector<std::pair<crypto::Sha256Digest, std::int64_t>> order;
  for (const Participant* p : pseudonymous)
    order.push_back({keyed(vault, "summary\n" + meeting.uid + "\n" + std::string(to_string(audience)) + "\n" + p->uid), p->id});
  std::sort(order.begin(), order.end());
  std::map<std::int64_t, std::string> out;
  for (std::size_t i = 0; i < order.size(); ++i) out[order[i].second] = pseudonym_letters(i);
  return out;
}

Result<std::map<std::int64_t, std::string>> series_pseudonyms(Vault& vault, const Meeting& meeting,
                                                              const std::vector<const Participant*>& pseudonymous) {
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  std::map<std::int64_t, std::string> out;
  std::vector<std::pair<crypto::Sha256Digest, const Participant*>> newcomers;
  BC_ASSIGN(Statement find, db.prepare("SELECT letter_index FROM series_pseudonyms WHERE series_id = ? AND person = ?"));
  for (const Participant* p : pseudonymous) {
    // The person is identified across meetings by their normalized name, stored only as a
    // keyed hash.
    const auto person = keyed(vault, "person\n" + normalize(p->name));
    find.reset();
    find.bind(1, meeting.series_id).bind_blob(2, person);
    BC_ASSIGN(bool row, find.step());
    if (row) {
      out[p->id] = pseudonym_letters(static_cast<std::size_t>(find.column_int64(0)));
    } else {
      newcomers.push_back({keyed(vault, "series\n" + std::to_string(meeting.series_id) + "\n" + normalize(p->name)), p});
    }
  }
  if (!newcomers.empty()) {
    std::sort(newcomers.begin(), newcomers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    BC_ASSIGN(std::int64_t next, db.query_int("SELECT coalesce(max(letter_index) + 1, 0) FROM series_pseudonyms WHERE series_id = " +
                                              std::to_string(meeting.series_id)));
    BC_ASSIGN(Statement ins, db.prepare("INSERT INTO series_pseudonyms(series_id, person, letter_index) VALUES (?,?,?)"));
    // Two attendees with the same name are one person to this table, so they share a letter.
    std::map<crypto::Sha256Digest, std::string> assigned;
    for (const auto& [h, p] : newcomers) {
      const auto person = keyed(vault, "person\n" + normalize(p->name));
      if (auto it = assigned.find(person); it != assigned.end()) {
        out[p->id] = it->second;
        continue;
      }
      ins.reset();
      BC_TRY(ins.bind(1, meeting.series_id).bind_blob(2, person).bind(3, next).run());
      out[p->id] = assigned[person] = pseudonym_letters(static_cast<std::size_t>(next));
      ++next;
    }
  }
  BC_TRY(tx.commit());
  return out;
}

}  // namespace bc::core
