#include "backchannel/crypto/subkey.h"

#include <sodium.h>

#include <cassert>

namespace bc::crypto {

SecureBuffer derive_subkey(const SecureBuffer& master_key, SubkeyPurpose purpose) {
  assert(master_key.size() == crypto_kdf_KEYBYTES);
  static constexpr char kContext[crypto_kdf_CONTEXTBYTES + 1] = "bcvault1";
  SecureBuffer sub(32);
  crypto_kdf_derive_from_key(sub.data(), sub.size(), static_cast<std::uint64_t>(purpose), kContext,
                             master_key.data());
  return sub;
}

}  // namespace bc::crypto
