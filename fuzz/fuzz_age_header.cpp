// Fuzz target: age decryption of any input (version line, recipient stanzas, header MAC, and
// whatever payload follows) with the CCTV kit's X25519 identity, alone and together with the
// kit's passphrase. Checked: no crash; no "system failure" (our reader and writer never fail);
// nothing released unless the header verified; the same outcome whatever the read sizes.
#include <optional>

#include "fuzz_support.h"

namespace {

using namespace bc;
using crypto::age::FailureClass;

struct Outcome {
  std::optional<Error> error;
  std::vector<std::uint8_t> released;
};

Outcome run(const std::vector<crypto::age::Identity>& ids, const std::vector<std::uint8_t>& file, std::size_t piece) {
  Outcome o;
  const crypto::age::WriteFn write = [&](std::span<const std::uint8_t> b) -> Status {
    o.released.insert(o.released.end(), b.begin(), b.end());
    return {};
  };
  if (auto st = crypto::age::decrypt(ids, fuzz::reader_of(file, piece), write); !st) o.error = st.error();
  return o;
}

std::vector<crypto::age::Identity> identities(bool with_passphrase) {
  std::vector<crypto::age::Identity> ids;
  auto x = crypto::age::X25519Identity::parse(fuzz::kKitIdentity);
  BC_FUZZ_CHECK(x.ok(), "the kit identity does not parse");
  ids.emplace_back(std::move(*x));
  if (with_passphrase) {
    // Work factor 10 is what the kit uses; a higher limit would let the fuzzer spend its time
    // in scrypt.
    ids.emplace_back(crypto::age::ScryptPassphrase{crypto::SecureBuffer::copy_of(fuzz::kKitPassphrase), 10, 10});
  }
  return ids;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<crypto::age::Identity> x25519_only = identities(false);
  static const std::vector<crypto::age::Identity> both = identities(true);
  const std::vector<std::uint8_t> file(data, data + size);
  for (const auto* ids : {&x25519_only, &both}) {
    const Outcome whole = run(*ids, file, file.size() + 1);
    if (whole.error) {
      const FailureClass c = crypto::age::failure_class(*whole.error);
      BC_FUZZ_CHECK(c != FailureClass::system, whole.error->message);
      if (c == FailureClass::no_match || c == FailureClass::hmac || c == FailureClass::header)
        BC_FUZZ_CHECK(whole.released.empty(), "plaintext released before the header verified: " + whole.error->message);
    }
    // Short reads must not change anything (the buffered reader's line and chunk logic).
    const Outcome pieces = run(*ids, file, 1 + (size % 61));
    BC_FUZZ_CHECK(whole.error.has_value() == pieces.error.has_value(), "the outcome depends on the read size");
    if (whole.error) BC_FUZZ_CHECK(crypto::age::failure_class(*whole.error) == crypto::age::failure_class(*pieces.error), "the failure class depends on the read size");
    BC_FUZZ_CHECK(whole.released == pieces.released, "the released plaintext depends on the read size");
  }
  return 0;
}
