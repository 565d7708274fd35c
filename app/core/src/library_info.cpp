#include "backchannel/core/library_info.h"

#include "backchannel/crypto/sodium_init.h"
#include "backchannel/storage/database.h"

namespace bc::core {

std::string library_versions() {
  auto sqlcipher = storage::check_sqlcipher_version();
  return std::string(BACKCHANNEL_VERSION) + " (SQLCipher " + (sqlcipher ? *sqlcipher : "unavailable") +
         ", libsodium " + crypto::sodium_version() + ")";
}

}  // namespace bc::core
