// Shared by the summary builder, renderer and producer; not part of the core's public API.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/leak_scanner.h"
#include "backchannel/core/pdf_document.h"
#include "backchannel/core/participant_appearance.h"
#include "backchannel/core/protected_forms.h"
#include "backchannel/core/summary.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// Everything a summary is built from, loaded once.
struct SummaryContext {
  Meeting meeting;
  std::vector<Participant> participants;
  std::vector<DisclosureLevel> levels;  ///< effective, per participant
  std::vector<AppearanceText> appearances;  ///< how each participant appears, per participant
  std::map<std::int64_t, std::string> pseudonyms;
  std::vector<Note> notes;
  std::optional<std::string> hidden_location;
  FormSet forms;
};

/// Everything a summary of `meeting_id` is built from. A failure other than "no such meeting" or
/// a usage error comes back as a block (ErrorCode::blocked): nothing half-built ever leaves.
Result<SummaryContext> prepare_summary(Vault& vault, std::int64_t meeting_id, const SummaryOptions& options);
Summary build_summary_from(const SummaryContext& ctx, const SummaryOptions& options);

/// The summary as a printed document, in the outline of the text formats, and for each block the
/// note it shows (so that a leak can be reported by note id).
struct SummaryDocument {
  PdfDocument document;
  std::vector<std::optional<std::int64_t>> block_notes;  ///< parallel to document.blocks
};
SummaryDocument summary_document(const Summary& summary);

/// Text for HTML: &, <, >, quotes escaped, line breaks as <br> (summaries and paper copies).
std::string html_escape(const std::string& s);

/// What the leak scanner looks for of one protected participant: their name, aliases and
/// affiliation, the transliterations of their family name and the short forms of their
/// affiliation, as the organizer ruled them (summaries and papers scan alike).
ScannedParticipant scanned_participant(const Participant& p, const std::vector<std::string>& public_terms);

}  // namespace bc::core
