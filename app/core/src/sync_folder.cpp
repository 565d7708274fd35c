#include "backchannel/core/sync_folder.h"

#include "backchannel/message_text.h"
#include "vault_store_access.h"

namespace bc::core {

namespace fs = std::filesystem;

Result<std::optional<fs::path>> sync_folder(Vault& vault) {
  BC_ASSIGN(storage::CachedStatement st, vault_store(vault).db().cached("SELECT value FROM vault_meta WHERE key = 'sync_folder'"));
  BC_ASSIGN(bool row, st->step());
  if (!row) return std::optional<fs::path>();
  return std::optional<fs::path>(fs::path(st->column_string(0)));
}

Status set_sync_folder(Vault& vault, const fs::path& folder) {
  auto& db = vault_store(vault).db();
  if (folder.empty()) {
    BC_ASSIGN(storage::CachedStatement st, db.cached("DELETE FROM vault_meta WHERE key = 'sync_folder'"));
    return st->run();
  }
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return fail(ErrorCode::bad_input, quote_for_message(folder.string()) + " is not a folder");
  const fs::path absolute = fs::absolute(folder, ec);
  BC_ASSIGN(storage::CachedStatement st, db.cached("INSERT INTO vault_meta(key, value) VALUES ('sync_folder', ?) "
                                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return st->bind(1, (ec ? folder : absolute).lexically_normal().string()).run();
}

}  // namespace bc::core
