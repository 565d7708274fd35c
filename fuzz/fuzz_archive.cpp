// Fuzz target: the archive reader (signed record stream and merge by uid). Each input is the
// plaintext of an archive without its signature line; it is signed with the corpus signer,
// encrypted to the vault's own recipient and given to core::import_archive, so the fuzzer works
// on the JSON records and the merge rather than on age. The vault (made once per process)
// already holds the base archive, so records can name existing uids. Every input runs inside
// a transaction that is rolled back, so the vault does not grow.
// Checked: no crash; no internal or I/O error; importing the same file again changes nothing.
#include "backchannel/core/archive.h"
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
  auto first = core::import_archive(vault, fuzz::reader_of(file, 1 + size % 8191), {});
  if (!first) {
    fuzz::check_import_error(first.error());
    return 0;
  }
  auto again = core::import_archive(vault, fuzz::reader_of(file), {});
  BC_FUZZ_CHECK(again.ok(), again.ok() ? "" : "a second import failed: " + again.error().message);
  BC_FUZZ_CHECK(!again->changed(), "importing the same archive twice changed the vault");
  return 0;
}
