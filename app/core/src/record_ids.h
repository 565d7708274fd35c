// Record uids: random 128-bit identifiers, the same in every vault a record travels to.
#pragma once

#include <string>

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/random.h"

namespace bc::core {

/// A new uid: 32 lower-case hex digits.
inline std::string new_uid() { return crypto::to_hex(crypto::random_bytes(16)); }

}  // namespace bc::core
