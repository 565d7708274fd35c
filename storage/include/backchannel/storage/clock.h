// Timestamps as stored in the vault: RFC 3339, UTC, second precision ("2026-11-28T20:15:00Z").
#pragma once

#include <string>

namespace bc::storage {

/// The current time as an RFC 3339 UTC timestamp.
std::string utc_now_rfc3339();

}  // namespace bc::storage
