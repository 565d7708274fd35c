// The folder a vault syncs its shared series through, chosen by the user of the desktop client.
// It is kept inside the (encrypted) vault, so that the settings file never ties a vault to the
// folder its team shares.
#pragma once

#include <filesystem>
#include <optional>

#include "backchannel/core/vault.h"

namespace bc::core {

/// The sync folder set for this vault, if any.
Result<std::optional<std::filesystem::path>> sync_folder(Vault& vault);

/// Sets the sync folder (an existing folder, or ErrorCode::bad_input); an empty path unsets it.
Status set_sync_folder(Vault& vault, const std::filesystem::path& folder);

}  // namespace bc::core
