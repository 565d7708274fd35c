// Fuzz target: the review response reader (core::import_response), then the organizer's view
// of the responses. The vault holds the base archive and two packages recorded as sent (to
// participants 1 and 2, see fuzz_support.h), so inputs that name them reach the records. Each
// input is the plaintext of a response without its signature line; it is signed with the
// corpus signer and encrypted to the vault's own recipient. Every input runs inside a
// transaction that is rolled back.
// Checked: no crash; no internal or I/O error; an imported response shows in
// meeting_responses; importing it again finds it already present.
#include <string>

#include "backchannel/core/review.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/storage/database.h"
#include "fuzz_support.h"
#include "vault_store_access.h"

using namespace bc;

namespace {

core::Vault setup() {
  core::Vault v = fuzz::make_temp_vault();
  fuzz::import_base_archive(v);
  auto& db = bc::core::vault_store(v).db();
  const auto token = crypto::from_base64(fuzz::kReplyTokenBase64);
  BC_FUZZ_CHECK(token.ok(), "reply token");
  const std::string hash = crypto::to_hex(crypto::sha256(*token));
  for (const auto& [package, participant] : {std::pair{fuzz::kPackage1Uid, fuzz::kBaseParticipant1Uid},
                                             std::pair{fuzz::kPackage2Uid, fuzz::kBaseParticipant2Uid}}) {
    auto st = db.exec("INSERT INTO packages_sent(package_uid, meeting_id, participant_id, recipient, reply_token_hash, sent_at) "
                      "SELECT '" + std::string(package) + "', m.id, p.id, '" + std::string(fuzz::kSignerRecipientText) +
                      "', x'" + hash + "', '2024-05-02T10:00:00Z' FROM meetings m, participants p WHERE m.uid = '" +
                      std::string(fuzz::kBaseMeetingUid) + "' AND p.uid = '" + std::string(participant) + "'");
    BC_FUZZ_CHECK(st.ok() && db.changes() == 1, st.ok() ? "no package row" : st.error().message);
  }
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static core::Vault vault = setup();
  static const crypto::age::X25519Recipient recipient = fuzz::recipient_of(vault);
  static const std::int64_t meeting_id = *bc::core::vault_store(vault).db().query_int(
      "SELECT id FROM meetings WHERE uid = '" + std::string(fuzz::kBaseMeetingUid) + "'");

  const std::vector<std::uint8_t> file = fuzz::encrypt_to(recipient, fuzz::sign_stream(fuzz::addressed_to(recipient, fuzz::as_text(data, size))));
  auto scope = storage::Transaction::begin(bc::core::vault_store(vault).db());
  BC_FUZZ_CHECK(scope.ok(), scope.ok() ? "" : scope.error().message);
  auto imported = core::import_response(vault, fuzz::reader_of(file, 1 + size % 8191), fuzz::signer_fingerprint());
  if (!imported) {
    fuzz::check_import_error(imported.error());
    return 0;
  }
  BC_FUZZ_CHECK(imported->meeting_id == meeting_id, "a response was filed under another meeting");
  auto responses = core::meeting_responses(vault, meeting_id);
  BC_FUZZ_CHECK(responses.ok(), responses.ok() ? "" : responses.error().message);
  bool seen = false;
  for (const auto& r : *responses) seen = seen || (r.key == imported->participant_key && r.responded);
  BC_FUZZ_CHECK(seen, "an imported response does not show in meeting_responses");
  auto again = core::import_response(vault, fuzz::reader_of(file), fuzz::signer_fingerprint());
  BC_FUZZ_CHECK(again.ok() && again->already_present,
                again.ok() ? "a second import did not find the response" : again.error().message);
  return 0;
}
