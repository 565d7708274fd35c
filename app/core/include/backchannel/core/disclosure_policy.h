// What a participant's disclosure level means for one audience of one meeting, after the
// meeting's rule is applied (docs/anonymization.md).
#pragma once

#include <string>

#include "backchannel/core/domain.h"
#include "backchannel/result.h"

namespace bc::core {

/// The level that applies: the participant's own level, except that an `on-background`
/// meeting never names anyone to the public (`named` becomes `role`).
DisclosureLevel effective_level(const Meeting& meeting, const Participant& p, Audience audience);

/// Whether a summary for `audience` may exist at all: an `off-the-record` meeting has none for
/// the public (ErrorCode::blocked, saying why).
Status summary_allowed(const Meeting& meeting, Audience audience);

/// Whether the meeting's location may appear for `audience`.
bool location_disclosed(const Meeting& meeting, Audience audience);

/// True for the levels whose names, aliases and affiliation must not appear: everything
/// below `named`.
inline bool is_protected(DisclosureLevel level) { return level != DisclosureLevel::named; }

}  // namespace bc::core
