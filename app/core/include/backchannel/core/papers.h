// Joint papers (docs/paper.md, "Papers in the vault"): a paper of a dialogue series, its sections
// in English and Persian side by side with every text ever written kept, its authors and their
// sign-off per version, citations from sections to notes and threads, and the register of the
// copies that left the vault, each made unique by its choice vector (copy_choices.h) and traced
// back by copy_trace.h. The tracing key lives in the vault and in secure memory only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/copy_trace.h"
#include "backchannel/core/copy_variants.h"
#include "backchannel/core/domain.h"
#include "backchannel/core/pdf_document.h"
#include "backchannel/core/vault.h"
#include "backchannel/crypto/age.h"
#include "backchannel/files/file_streams.h"
#include "backchannel/result.h"

namespace bc::core {

/// What a section cites: a note of the series, or a thread (by uid).
enum class CitationKind : std::uint8_t { note, thread };
/// "note", "thread".
std::string_view to_string(CitationKind kind);

/// One citation of a section. The organizer sees it; no copy carries it.
struct PaperCitation {
  CitationKind kind = CitationKind::note;
  std::string target_uid;
  std::optional<std::int64_t> note_id;  ///< the note's local id, when the target is a note held here
};

/// One text of a section in one language, as it was at one revision.
struct PaperTextRevision {
  int revision = 0;
  std::int64_t paper_version = 0;  ///< the paper version this edit made
  std::string text;
  std::string created_at;
};

/// A section with its current texts.
struct PaperSection {
  std::int64_t id = 0;
  std::string uid;
  int position = 0;  ///< 1-based order in the paper
  std::string english;
  std::string persian;  ///< empty when not translated yet
  int english_revision = 0;
  int persian_revision = 0;  ///< 0: no Persian text yet
  std::int64_t english_version = 0;  ///< paper version of the last English edit
  std::int64_t persian_version = 0;  ///< paper version of the last Persian edit (0: none)
  /// The language that may no longer translate the other, if any: the Persian while missing; the
  /// other language after one was edited alone (until that one is edited too, or both at once).
  std::optional<TextLanguage> stale;
  std::vector<PaperCitation> citations;
};

/// One author's approval of one version.
struct PaperApproval {
  std::int64_t version = 0;
  std::string fingerprint;
  std::string approved_at;
};

/// A paper as the organizer sees it.
struct Paper {
  std::int64_t id = 0;
  std::string uid;
  std::int64_t series_id = 0;
  std::string title;
  std::int64_t version = 1;  ///< every edit makes a new version
  std::vector<std::string> authors;  ///< vault fingerprints, in the order added
  std::vector<PaperSection> sections;
  std::vector<PaperApproval> approvals;  ///< every version's, oldest first
  /// Authors who have not approved the current version.
  std::vector<std::string> missing_approvals;
  std::string created_at;
  std::string updated_at;

  /// Whether every author approved the current version (the copy commands need it).
  bool approved() const { return missing_approvals.empty(); }
};

/// Creates a paper of a series at version 1, with a new tracing key and this vault's identity
/// as its author.
Result<std::int64_t> create_paper(Vault& vault, std::int64_t series_id, std::string_view title);
/// Appends a section (a new version). `english` must not be empty; `persian` may be.
/// Broken alternate markup is `bad_input` with its place (docs/paper.md, "Broken markup").
Result<std::int64_t> add_paper_section(Vault& vault, std::int64_t paper_id, std::string_view english,
                                       std::optional<std::string_view> persian);
/// Replaces a section's English and/or Persian text (a new version when anything changed); the
/// earlier texts stay as revisions.
Status set_paper_section(Vault& vault, std::int64_t section_id, std::optional<std::string_view> english,
                         std::optional<std::string_view> persian);
/// Adds an organizer (by vault fingerprint) as an author; their approval is then needed too.
Status add_paper_author(Vault& vault, std::int64_t paper_id, std::string_view fingerprint);
/// Records that a section cites a note (its id, checked: a note of the paper's series) or a
/// thread (its 32-digit uid, kept as given: threads are checked where they live).
Status cite_in_section(Vault& vault, std::int64_t section_id, CitationKind kind, std::string_view target);

Result<Paper> get_paper(Vault& vault, std::int64_t paper_id);
/// Every paper, or those of one series, by id.
Result<std::vector<Paper>> list_papers(Vault& vault, std::optional<std::int64_t> series_id = std::nullopt);
/// The paper a section belongs to.
Result<std::int64_t> paper_of_section(Vault& vault, std::int64_t section_id);
/// Every text a section had in one language, oldest first.
Result<std::vector<PaperTextRevision>> paper_section_history(Vault& vault, std::int64_t section_id, TextLanguage language);
/// The variant points of the paper's current version (the organizer's preview).
Result<VariantPaper> paper_variants(Vault& vault, std::int64_t paper_id);

/// Records this vault's author approval of the current version. `bad_input` when this vault is
/// not an author. Returns the paper after the approval.
Result<Paper> approve_paper(Vault& vault, std::int64_t paper_id);

/// How a copy leaves: an age file to a recipient, a passphrase-encrypted age file, or a PDF to
/// print.
enum class CopyChannel : std::uint8_t { age, passphrase, print };
std::string_view to_string(CopyChannel channel);
/// The document inside a copy.
enum class PaperFormat : std::uint8_t { pdf, markdown, html };
std::string_view to_string(PaperFormat format);
std::optional<PaperFormat> parse_paper_format(std::string_view text);

/// What `paper copy` asks for.
struct PaperCopyRequest {
  std::string label;
  CopyChannel channel = CopyChannel::print;
  std::optional<std::string> recipient;  ///< the age1... recipient (channel age)
  Audience audience = Audience::public_;
  PaperFormat format = PaperFormat::pdf;
  PdfLayout layout = PdfLayout::parallel_columns;
  /// A visible "Copy N of M" line (PDF only).
  std::optional<PdfCopyNumber> copy_number;
};

/// One copy of the register.
struct PaperCopy {
  std::int64_t id = 0;
  std::string label;
  std::int64_t version = 0;  ///< the paper version it carries
  CopyChannel channel = CopyChannel::print;
  std::optional<std::string> recipient;
  Audience audience = Audience::public_;
  PaperFormat format = PaperFormat::pdf;
  std::string choices;      ///< the choice vector (cv1:...)
  std::string fingerprint;  ///< 16 hex digits over the choice vector
  std::string created_at;
};

/// Hands the finished document (PDF, Markdown or HTML bytes) to the channel: the CLI encrypts it
/// and writes the file. Called inside the transaction that registers the copy: a failure
/// registers nothing.
using CopyDelivery = std::function<Status(const std::string& document)>;

/// Makes one registered copy of the current version: refuses (ErrorCode::blocked) a version that
/// not every author approved and any copy in which the leak scanner finds a protected form of
/// anyone who attended a meeting of the series (at the most protective level they had in any of
/// them, for the audience) in either language, or in any alternative of a variant point; then
/// derives the copy's choices from the tracing key and its label, renders it, delivers it and
/// registers it. `conflict` when the label is taken.
Result<PaperCopy> make_paper_copy(Vault& vault, std::int64_t paper_id, const PaperCopyRequest& request,
                                  const CopyDelivery& deliver);
/// Writes a copy's document to `out` as its channel wants it (an age file to `recipients`, or
/// with none the document itself, to print) and makes the file appear: the CopyDelivery of the
/// CLI and the GUI.
Status write_copy_file(const std::string& document, const std::vector<crypto::age::Recipient>& recipients,
                       files::OutputFile& out);

/// The register, in the order the copies were made.
Result<std::vector<PaperCopy>> list_paper_copies(Vault& vault, std::int64_t paper_id);

/// What paper trace found, with the paper the readings refer to.
struct PaperTrace {
  TraceResult result;
  /// The version of the paper whose points `result` refers to.
  std::int64_t version = 0;
  /// One line per deciding point: where it is and what each copy has there.
  std::vector<std::string> explanation;
};

/// Traces a leaked text against the register (every version that has copies).
Result<PaperTrace> trace_paper(Vault& vault, std::int64_t paper_id, std::string_view leaked_text);

}  // namespace bc::core
