// Inside core (and white-box tests) only: what a Vault holds.
#pragma once

#include <functional>

#include "backchannel/core/vault.h"
#include "backchannel/storage/vault_store.h"

namespace bc::core {

struct RecordChange;

/// The state behind a Vault: its open store and the observer its record writes report to.
struct VaultState {
  storage::VaultStore store;
  std::function<Status(Vault&, const RecordChange&)> change_observer;
  int unreported_writes = 0;  ///< UnreportedWrites nesting depth
};

/// The state of `vault`; asserts that the vault was opened (a default-constructed Vault has none).
VaultState& vault_state(Vault& vault);

/// The open store of `vault`. A locked store refuses every statement itself.
inline storage::VaultStore& vault_store(Vault& vault) { return vault_state(vault).store; }

}  // namespace bc::core
