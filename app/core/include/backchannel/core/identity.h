// The vault's identity: an X25519 key (its age recipient) and an Ed25519 signing key, with a
// short fingerprint that people compare in person before trusting each other's files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backchannel/crypto/identity_keys.h"
#include "backchannel/core/vault.h"

namespace bc::core {

struct VaultIdentity {
  crypto::X25519Public x25519{};
  crypto::Ed25519Public ed25519{};
  std::string recipient;    ///< "age1..."
  std::string signing_key;  ///< "ed25519:" + Base64 of the public key
  std::string fingerprint;  ///< "7K2QF-M9XTA-R4C8W-HZ8RA"
};

Result<VaultIdentity> vault_identity(Vault& vault);

/// The fingerprint of a pair of public keys: the first 100 bits of
/// SHA-256("backchannel fingerprint v1" || ed25519 || x25519), in Crockford Base32, four groups of five.
std::string identity_fingerprint(const crypto::Ed25519Public& ed25519, const crypto::X25519Public& x25519);

/// "ed25519:<Base64>" and back.
std::string signing_key_text(const crypto::Ed25519Public& key);
Result<crypto::Ed25519Public> parse_signing_key(std::string_view text);

/// What a trusted key may do: sign archives merged into this vault, or summary packages sent
/// to it for review. Trust for one purpose gives nothing for the other.
enum class TrustPurpose { archives, packages };
std::string_view to_string(TrustPurpose purpose);

/// Adds the key pair to those whose files this vault accepts for `purpose`.
Status trust_signer(Vault& vault, const crypto::Ed25519Public& ed25519, const crypto::X25519Public& x25519,
                    TrustPurpose purpose, std::string_view label);
/// The vault's own key, or one it was told to trust for `purpose`.
Result<bool> is_trusted_signer(Vault& vault, const crypto::Ed25519Public& key, TrustPurpose purpose);

/// "7K2QF-M9XTA-R4C8W-HZ8RA" as the user typed it (any case, with or without dashes or spaces),
/// or a usage error when it is not a fingerprint.
Result<std::string> normalize_fingerprint(std::string_view text);

/// One entry of the trust list.
struct TrustedKey {
  std::string fingerprint;  ///< empty for keys trusted before the list kept their X25519 half
  std::string signing_key;  ///< "ed25519:..."
  /// "archives", "packages", "responses" (a participant's pinned key) or "team" (a team signer
  /// accepted with `team accept`)
  std::string purpose;
  std::string label;
  std::string added_at;     ///< empty for pinned participant keys
};
/// Every trusted signer, every participant key pinned by a response, and every accepted team
/// signer, in the order added (within each kind).
Result<std::vector<TrustedKey>> list_trusted_keys(Vault& vault);
/// Forgets every trust given to the key with this fingerprint (or "ed25519:..." signing key):
/// its archive, package and team trust, and any participant pin (that participant's next response is
/// then a first contact again). Returns how many entries were removed; not_found when none.
Result<std::size_t> remove_trusted_key(Vault& vault, std::string_view fingerprint_or_key);

/// Checks a signer that is not trusted yet against the fingerprint the user gave (after
/// comparing it in person). `what` names the file ("archive", "package") for messages.
/// Without a fingerprint: refused with the verified signer's fingerprint (Remedy::trust_signer).
Status confirm_new_signer(const std::string& signer_fingerprint, const std::optional<std::string>& trust_fingerprint,
                          std::string_view refusal);

}  // namespace bc::core
