// Fuzz target: the team bundle reader (sync::read_bundle) and, for a bundle that verifies, the
// record applier (sync::apply_records) in a transaction that is rolled back. Each input is the
// plaintext of a bundle without its signature line; it is signed with the corpus signer and
// encrypted to the vault's own recipient.
// Checked: no crash; no internal or I/O error from either.
#include "backchannel/core/vault.h"
#include "backchannel/storage/database.h"
#include "fuzz_support.h"
#include "record_writer.h"
#include "sync_apply.h"
#include "sync_bundle.h"
#include "vault_store_access.h"

using namespace bc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static core::Vault vault = [] {
    core::Vault v = fuzz::make_temp_vault();
    fuzz::import_base_archive(v);
    return v;
  }();
  static const crypto::age::X25519Recipient recipient = fuzz::recipient_of(vault);
  static const std::vector<crypto::age::Identity> identities = [] {
    std::vector<crypto::age::Identity> ids;
    auto own = core::vault_store(vault).identity_x25519();
    BC_FUZZ_CHECK(own.ok(), own.ok() ? "" : own.error().message);
    ids.push_back(crypto::age::X25519Identity{std::move(own->secret_key)});
    return ids;
  }();

  const std::vector<std::uint8_t> file = fuzz::encrypt_to(recipient, fuzz::sign_stream(fuzz::as_text(data, size)));
  auto bundle = core::sync::read_bundle(identities, file);
  if (!bundle) {
    fuzz::check_import_error(bundle.error());
    return 0;
  }
  auto scope = storage::Transaction::begin(core::vault_store(vault).db());
  BC_FUZZ_CHECK(scope.ok(), scope.ok() ? "" : scope.error().message);
  core::sync::ApplyContext ctx;
  ctx.series = bundle->header.series;
  ctx.device = bundle->header.device;
  ctx.seq = bundle->header.seq;
  ctx.signer = bundle->signer;
  ctx.author = bundle->signer_fingerprint;
  ctx.snapshot = bundle->header.snapshot;
  ctx.covers = bundle->header.covers;
  core::UnreportedWrites quiet(vault);
  Status applied = core::sync::apply_records(vault, bundle->records, ctx);
  if (!applied) fuzz::check_import_error(applied.error());
  return 0;
}
