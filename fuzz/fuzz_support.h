// What the fuzz targets share: a vault in a temporary folder made once per process, the fixed
// keys the committed corpus is written for, and the steps that turn a fuzzed plaintext record
// stream into the signed, encrypted file the import functions read (docs/fuzzing.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/vault.h"
#include "backchannel/crypto/age.h"
#include "backchannel/crypto/identity_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace bc::fuzz {

/// Stops the process with a message when a property the target checks does not hold (libFuzzer
/// and the corpus replay both report an abort as a crash).
[[noreturn]] void check_failed(const char* condition, std::string_view detail, const char* file, int line);
#define BC_FUZZ_CHECK(condition, detail)                                                   \
  do {                                                                                     \
    if (!(condition)) ::bc::fuzz::check_failed(#condition, (detail), __FILE__, __LINE__); \
  } while (0)

/// The fuzzer's bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The Ed25519 key that signs every record stream of the corpus (derived from a fixed seed);
/// its text form is kSignerKeyText, which the corpus headers name.
const crypto::Ed25519KeyPair& signer();
inline constexpr std::string_view kSignerKeyText = "ed25519:CvCUd7Mqvv1Ck2Lxn8HWyivSpamD4FW9kEsNYCSxn5E=";
/// A valid age recipient for the `signer_recipient` header field (the CCTV kit's identity).
inline constexpr std::string_view kSignerRecipientText = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef";

/// The X25519 identity of the CCTV age test kit and its passphrase, so that the kit's files
/// open in the age targets.
inline constexpr std::string_view kKitIdentity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
inline constexpr std::string_view kKitPassphrase = "password";

/// A small archive (plaintext, without its signature line) signed by signer(): one series, one
/// meeting, three participants (one with a Persian alias, one whose signing key is signer()'s),
/// three notes, one of them with two revisions. The core targets import it when they start, so
/// that the corpus can refer to records that already exist (merging, responses, search); it is
/// also the archive target's first seed. Its uids are below.
extern const std::string_view kBaseArchive;
inline constexpr std::string_view kBaseMeetingUid = "3e000000000000000000000000000001";
inline constexpr std::string_view kBaseParticipant1Uid = "7a000000000000000000000000000001";
inline constexpr std::string_view kBaseParticipant2Uid = "7a000000000000000000000000000002";
/// Packages recorded as sent by the response target's vault, to participant 1 and 2, and the
/// reply token that both carry (32 bytes of 0x42, standard Base64).
inline constexpr std::string_view kPackage1Uid = "9a000000000000000000000000000001";
inline constexpr std::string_view kPackage2Uid = "9a000000000000000000000000000002";
inline constexpr std::string_view kReplyTokenBase64 = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";

/// A new vault (KdfProfile::interactive) in a new temporary folder that is removed when the
/// process exits normally.
core::Vault make_temp_vault();

/// Trusts signer() and imports kBaseArchive into `vault` (committed).
void import_base_archive(core::Vault& vault);

/// `plaintext` followed by a signature line by signer() over all of it, unless its last line
/// already is a signature line (so the fuzzer can also try its own).
std::string sign_stream(std::string_view plaintext);
/// The corpus signer's fingerprint (with kSignerRecipientText), as `--trust` takes it.
std::string signer_fingerprint();
/// `plaintext` with `"recipients":["<recipient>"]` put first in its header line when the header
/// names no recipients, so that seeds reach the records instead of stopping at the recipient
/// check (docs/archive-format.md, "Recipients"). Headers that name recipients are left as they are.
std::string addressed_to(const crypto::age::X25519Recipient& recipient, std::string_view plaintext);

/// `plaintext` encrypted with age to `recipient`.
std::vector<std::uint8_t> encrypt_to(const crypto::age::X25519Recipient& recipient, std::string_view plaintext,
                                     bool armor = false);

/// The vault's own age recipient.
crypto::age::X25519Recipient recipient_of(core::Vault& vault);

/// A ReadFn over `bytes` that hands them out in pieces of at most `piece` bytes (short reads
/// are legal and exercise the readers' buffering).
crypto::age::ReadFn reader_of(const std::vector<std::uint8_t>& bytes, std::size_t piece = 4096);

/// Aborts unless `e` is an error an import may legitimately return for a hostile file: never
/// ErrorCode::internal (a bug or an impossible state) or ErrorCode::io (nothing here does I/O
/// that can fail).
void check_import_error(const Error& e);

}  // namespace bc::fuzz
