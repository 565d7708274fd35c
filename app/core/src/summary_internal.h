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

/// What the leak scanner must look for in a summary built from `ctx`: the protected participants
/// with their forms, what is allowed, the public terms and the hidden location.
LeakScanInput summary_scan_input(const SummaryContext& ctx);
/// The text a reader sees in a fragment of output in `format` (Markdown as is, HTML without tags
/// and with entities decoded, JSON string literals decoded).
std::string summary_visible(std::string_view fragment, SummaryFormat format);
/// Escaping as the Markdown renderer escapes (backslashes); HTML escaping is html_escape below.
std::string summary_md_escape(std::string_view s);
/// The blocker's one-line message for `leaks` (participant keys and note ids, never names).
std::string leak_message(const std::vector<Leak>& leaks, bool& outside_notes);
/// Text for HTML: &, <, >, quotes escaped, line breaks as <br> (summaries and paper copies).
std::string html_escape(const std::string& s);

/// What the leak scanner looks for of one protected participant: their name, aliases and
/// affiliation, the transliterations of their family name and the short forms of their
/// affiliation, as the organizer ruled them (summaries and papers scan alike).
ScannedParticipant scanned_participant(const Participant& p, const std::vector<std::string>& public_terms);

}  // namespace bc::core
