// The container inside every file Backchannel exports: one JSON record per line, the first a
// header naming the signer, then the records, then a line with an Ed25519ph signature over
// every byte before it; all of it encrypted with age (docs/archive-format.md).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/crypto/age.h"
#include "backchannel/crypto/identity_keys.h"
#include "backchannel/result.h"
#include "secure_json.h"

namespace bc::core {

/// Produces the next line (without its newline), or nothing at the end.
using NextLine = std::function<Result<std::optional<std::string>>()>;

/// Encrypts to `recipients` the lines from `next` (the first must be the header), followed by
/// the signature line made with `signer`.
Status write_signed_stream(const std::vector<crypto::age::Recipient>& recipients, const crypto::Ed25519KeyPair& signer,
                           const NextLine& next, const crypto::age::WriteFn& out, bool armor,
                           const crypto::age::ProgressFn& progress);

/// What read_signed_stream does with the lines it reads, on the calling thread.
struct SignedStreamHandlers {
  /// The header line, with the signer's key already parsed. Returning an error stops the read.
  std::function<Status(const SecureJson& header, const crypto::Ed25519Public& signer)> on_header;
  /// Each record line after the header.
  std::function<Status(const SecureJson& record)> on_record;
};

/// Decrypts a signed stream into one locked, wiped buffer, verifies its signature, and only then
/// hands the header and each record, parsed into the locked arena (SecureJson), to the handlers, in order: no handler ever sees a line the
/// signature does not cover. The first error (theirs or the stream's) stops the read and is the
/// one returned. Memory: the whole plaintext (at most 4 GiB).
Status read_signed_stream(const std::vector<crypto::age::Identity>& identities, const crypto::age::ReadFn& in,
                          const SignedStreamHandlers& handlers, const crypto::age::ProgressFn& progress);

/// The signed `recipients` header field for a file encrypted to `recipients`: each X25519
/// recipient as its "age1..." text, a passphrase as "passphrase" (docs/archive-format.md,
/// "Recipients").
nlohmann::json recipients_field(const std::vector<crypto::age::Recipient>& recipients);

/// Whom a verified header says its file is for.
enum class Addressee {
  this_vault,  ///< it names this vault's recipient, or a passphrase and one was given to open it
  another,     ///< it names only others: the file was re-encrypted after it was signed
  unnamed,     ///< no `recipients` field: written before files named their recipients
};

/// Reads the `recipients` of `header` against `own_recipients` (this vault's, and those of any
/// identity the user gave to open the file). A malformed field is an integrity error.
Result<Addressee> addressee(const SecureJson& header, const std::vector<std::string>& own_recipients,
                            bool opened_with_passphrase);

/// An age failure (crypto::age::age_failure) with a word on what it means for an imported file.
Error age_error(Error age_failure);

}  // namespace bc::core
