// Team bundles (docs/sync.md, "Bundle format"): one file per publication of one device,
// `<folder>/<series uid>/<device id>/<seq>.age`, a signed record stream encrypted with age to
// every member of the team. This file holds the format only: building a bundle from records,
// and reading one back with every check that needs no vault (decryption, signature, header
// shape, end record, padding). Whether to apply it (membership, chain, causal order) is the
// engine's business (sync.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/crypto/age.h"
#include "backchannel/crypto/identity_keys.h"
#include "backchannel/result.h"

namespace bc::core::sync {

inline constexpr std::string_view kBundleFormat = "backchannel.team-bundle/1";
/// The largest bundle file a reader accepts (checked before reading it).
inline constexpr std::uint64_t kMaxBundleBytes = 1ull << 30;

using Hash = std::array<std::uint8_t, 32>;

/// One device's place in its chain: the last bundle's sequence number and content hash.
struct ChainLink {
  std::int64_t seq = 0;
  Hash hash{};
};

/// What a bundle's header says besides its signer.
struct BundleHeader {
  std::string series;  ///< series uid
  std::string device;  ///< device id (32 hex digits)
  std::int64_t seq = 0;
  std::int64_t epoch = 0;
  Hash prev{};  ///< content hash of the device's previous bundle (zeros before the first)
  bool snapshot = false;
  std::vector<std::string> recipients;  ///< every age1 recipient the file is encrypted to
  /// Changes bundles: the bundles of other devices the writer had applied (device -> seq).
  std::map<std::string, std::int64_t> deps;
  /// Snapshots: every device whose bundles the snapshot's state includes, up to which one.
  std::map<std::string, ChainLink> covers;
  std::int64_t hlc = 0;  ///< the greatest hybrid clock of any record inside
  std::string created_at;
};

/// A bundle read back and verified.
struct Bundle {
  BundleHeader header;
  crypto::Ed25519Public signer{};
  crypto::X25519Public signer_x25519{};
  std::string signer_fingerprint;
  std::vector<nlohmann::json> records;  ///< between the header and the end record, padding left out
  Hash hash{};                          ///< the content hash the next bundle's `prev` names
};

struct WrittenBundle {
  std::vector<std::uint8_t> bytes;  ///< the age file
  Hash hash{};
};

/// Builds, pads, signs and encrypts a bundle (in memory).
Result<WrittenBundle> write_bundle(const BundleHeader& header, const std::vector<nlohmann::json>& records,
                                   const crypto::Ed25519KeyPair& signer, const std::string& signer_recipient,
                                   const std::vector<crypto::age::X25519Recipient>& recipients);

/// Decrypts with `identities`, verifies the signature, then checks the header and the end
/// record. Nothing of the content is returned unless the whole file verified. An age "no match"
/// keeps its error (ErrorCode::auth_failed): the file is not for this vault.
Result<Bundle> read_bundle(const std::vector<crypto::age::Identity>& identities, std::span<const std::uint8_t> file);

/// The plaintext size a bundle of `n` bytes is padded to: 4 KiB, then the next power of two up
/// to 1 MiB, then the next multiple of 1 MiB.
std::size_t padded_size(std::size_t n);

/// Hex of a hash, and back (64 lower-case digits).
std::string hash_hex(const Hash& h);
bool parse_hash(std::string_view hex, Hash& out);

}  // namespace bc::core::sync
