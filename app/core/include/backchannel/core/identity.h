// The vault's identity: an X25519 key (its age recipient) and an Ed25519 signing key, with a
// short fingerprint that people compare in person before trusting each other's files.
#pragma once

#include <string>

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

/// Adds `key` to the signers whose archives and packages this vault accepts.
Status trust_signer(Vault& vault, const crypto::Ed25519Public& key, std::string_view label);
/// The vault's own key, or one it was told to trust.
Result<bool> is_trusted_signer(Vault& vault, const crypto::Ed25519Public& key);

}  // namespace bc::core
