// Fuzz target: the summary package reader (core::import_package), then the inbox that shows
// what was imported. Each input is the plaintext of a package without its signature line; it
// is signed with the corpus signer (trusted by the vault) and encrypted to the vault's own
// recipient. Every input runs inside a transaction that is rolled back.
// Checked: no crash; no internal or I/O error; an imported package can be listed and shown;
// importing it again finds it already present.
#include "backchannel/core/review.h"
#include "backchannel/storage/database.h"
#include "fuzz_support.h"
#include "vault_store_access.h"

using namespace bc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static core::Vault vault = [] {
    core::Vault v = fuzz::make_temp_vault();
    fuzz::import_base_archive(v);
    return v;
  }();
  static const crypto::age::X25519Recipient recipient = fuzz::recipient_of(vault);

  const std::vector<std::uint8_t> file = fuzz::encrypt_to(recipient, fuzz::sign_stream(fuzz::addressed_to(recipient, fuzz::as_text(data, size))));
  auto scope = storage::Transaction::begin(bc::core::vault_store(vault).db());
  BC_FUZZ_CHECK(scope.ok(), scope.ok() ? "" : scope.error().message);
  auto imported = core::import_package(vault, fuzz::reader_of(file, 1 + size % 8191), std::nullopt);
  if (!imported) {
    fuzz::check_import_error(imported.error());
    return 0;
  }
  auto inbox = core::list_inbox(vault);
  BC_FUZZ_CHECK(inbox.ok(), inbox.ok() ? "" : inbox.error().message);
  auto item = core::get_inbox_item(vault, imported->inbox_id);
  BC_FUZZ_CHECK(item.ok(), item.ok() ? "" : item.error().message);
  auto again = core::import_package(vault, fuzz::reader_of(file), std::nullopt);
  BC_FUZZ_CHECK(again.ok() && again->already_present && again->inbox_id == imported->inbox_id,
                again.ok() ? "a second import did not find the package" : again.error().message);
  return 0;
}
