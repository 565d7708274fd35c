// The parsed records of decrypted files (archives, summary packages, responses, team bundles).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <vector>

#include "backchannel/crypto/secure_arena.h"

namespace bc::core {

/// nlohmann::json whose strings, arrays and objects all live in crypto::SecureArena: locked,
/// and wiped as each is freed. Text taken out of it stays in the arena as crypto::SecureString.
using SecureJson = nlohmann::basic_json<std::map, std::vector, crypto::SecureString, bool, std::int64_t, std::uint64_t,
                                        double, crypto::WipingAllocator>;

}  // namespace bc::core
