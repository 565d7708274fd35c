// Import of one meeting from the meeting import format (docs/meeting-import-v1.md).
#pragma once

#include <cstdint>
#include <string_view>

#include "backchannel/core/vault.h"

namespace bc::core {

/// What an import created.
struct ImportedMeeting {
  std::int64_t meeting_id = 0;
  std::int64_t series_id = 0;
  std::size_t participants = 0;
  std::size_t notes = 0;
};

/// Validates the whole document first, then imports it in one transaction: all or nothing.
/// Errors are ErrorCode::bad_input with the JSON path of the first problem, e.g.
/// `participants[3].disclosure.public: unknown level "secret"`.
Result<ImportedMeeting> import_meeting(Vault& vault, std::string_view json_text);

}  // namespace bc::core
