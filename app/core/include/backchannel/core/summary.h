// Summaries: a meeting rendered for one audience, every participant disclosed only as far as
// they allowed, checked by an independent leak scanner before it may leave (docs/anonymization.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// How a summary is asked for.
struct SummaryOptions {
  Audience audience = Audience::participants;
  /// Keep pseudonym letters the same across the series (participants audience only).
  bool stable_pseudonyms = false;
  /// For a participant's own copy: their statements are marked as theirs.
  std::optional<std::int64_t> recipient_participant_id;
  /// A copy that leaves the organizers (a package): the identifiability warnings, which are
  /// notes to the organizer and name participant keys, are left out.
  bool for_distribution = false;
};

/// How a statement's speaker appears.
struct Attribution {
  DisclosureLevel level = DisclosureLevel::anonymous;  ///< effective level (organizer notes: named)
  std::string label;  ///< "Daniel Okonkwo", "A former senior U.S. diplomat", "Participant C", "A participant", "Organizers"
  bool organizer = false;
};

/// A span of a statement's text that replaced a protected form (for highlighting).
struct ReplacedSpan {
  std::size_t begin = 0;  ///< byte offsets in SummaryStatement::text
  std::size_t end = 0;
};

/// One note as it appears in the summary.
struct SummaryStatement {
  std::int64_t note_id = 0;
  std::string note_uid;
  NoteKind kind = NoteKind::statement;
  Attribution attribution;
  std::string text;  ///< with protected forms replaced
  std::vector<ReplacedSpan> replaced;
  bool own = false;  ///< the recipient's own statement (participant copies)
};

/// An identifiability warning: something the policy allows that may still identify someone.
struct SummaryWarning {
  std::string kind;                ///< "unique-descriptor", "own-affiliation", "small-count", "location-mentioned", "no-descriptor"
  std::string message;             ///< never contains a protected name
  std::optional<std::string> participant_key;
  std::optional<std::int64_t> note_id;
};

/// Attendance as disclosed.
struct SummaryAttendance {
  std::vector<std::string> named;        ///< "Name (Affiliation)"
  std::vector<std::string> roles;        ///< descriptors
  std::vector<std::string> pseudonyms;   ///< "Participant A", ...
  std::size_t anonymous_count = 0;       ///< hidden people are neither listed nor counted
};

/// A built summary, before rendering.
struct Summary {
  std::string series_title;
  std::string meeting_title;
  std::string date;  ///< YYYY-MM-DD
  std::optional<std::string> location;
  Rule rule = Rule::chatham_house;
  Audience audience = Audience::participants;
  SummaryAttendance attendance;
  std::vector<SummaryStatement> statements;  ///< in meeting order
  std::vector<SummaryWarning> warnings;
  std::optional<std::string> recipient_label;  ///< how the recipient appears, for own copies
};

/// Builds the summary. Fails with ErrorCode::blocked when the rule allows no summary for the
/// audience; any other failure is also reported as blocked (never a partial summary).
Result<Summary> build_summary(Vault& vault, std::int64_t meeting_id, const SummaryOptions& options);

/// Output formats. A PDF is drawn from the summary as a document (pdf_document.h), after the leak
/// scanner has read that document's text.
enum class SummaryFormat { markdown, html, json, pdf };
std::optional<SummaryFormat> parse_summary_format(std::string_view s);

/// A rendered summary with, for each statement, where its text sits in the output (so a leak
/// found by the scanner can be reported by note id).
struct RenderedSummary {
  std::string text;  ///< the output: text, or for a PDF the file's bytes
  SummaryFormat format = SummaryFormat::markdown;
  struct Region {
    std::size_t begin = 0, end = 0;
    std::int64_t note_id = 0;
  };
  std::vector<Region> statement_regions;  ///< text formats only (none for a PDF)
  /// The summary's identifiability warnings (none when it is for distribution), so that a caller
  /// can show them without building the summary a second time.
  std::vector<SummaryWarning> warnings;
};

/// Renders a text format (Markdown, HTML, JSON). Not for SummaryFormat::pdf, which needs fonts
/// and can fail: produce_summary draws it.
RenderedSummary render_summary(const Summary& summary, SummaryFormat format);

/// Builds, renders and scans: the text may leave only if it is returned. A leak is
/// ErrorCode::blocked with a message naming participant keys and note ids, never names. A PDF is
/// drawn only after its text passed the scanner; a missing font is ErrorCode::io.
Result<RenderedSummary> produce_summary(Vault& vault, std::int64_t meeting_id, const SummaryOptions& options,
                                        SummaryFormat format);

}  // namespace bc::core
