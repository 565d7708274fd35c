// The series summary: for one audience, what each thread of a series became across its meetings,
// anonymized by the meeting summaries' rules and checked by the same leak scanner
// (docs/anonymization.md, "Series summaries").
#pragma once

#include <cstdint>

#include "backchannel/core/summary.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// Builds, renders and scans the series summary for `audience`. A note appears as its meeting's
/// summary shows it (the levels of the meeting it came from); text that spans meetings (thread
/// titles, the series title) protects each person at the most protective level they had in any
/// meeting of the series, a person being the same participant record or the same normalized
/// name. A meeting whose rule allows no summary for the audience gives no notes, and its
/// attendees count as hidden. A leak is ErrorCode::blocked (nothing returned); ErrorCode::not_found
/// for an unknown series.
Result<RenderedSummary> produce_series_summary(Vault& vault, std::int64_t series_id, Audience audience, SummaryFormat format);

}  // namespace bc::core
