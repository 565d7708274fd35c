// The demo vault: a fictional dialogue series for trying Backchannel out.
#pragma once

#include <filesystem>

#include "backchannel/core/vault.h"

namespace bc::core {

/// What the demo contains.
struct DemoSummary {
  std::size_t meetings = 0;
  std::size_t participants = 0;
  std::size_t notes = 0;
};

/// Fills an open, empty vault with the fictional "Caspian Futures Dialogue": several meetings,
/// a dozen participants across every disclosure level, English and Persian names, a few
/// hundred notes. Deterministic: the same content every time.
Result<DemoSummary> populate_demo(Vault& vault);

}  // namespace bc::core
