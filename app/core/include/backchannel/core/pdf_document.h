// A printed document (a summary, a joint paper) and its PDF: English text with, optionally, the
// same text in Persian, shaped and laid out by Pango (HarfBuzz, the bidi algorithm) and written
// by Cairo. The PDF carries nothing outside the document's own text that could tell two copies
// apart (docs/pdf-documents.md).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/result.h"

namespace bc::core {

/// What a block is, which decides its type size and spacing.
enum class PdfBlockKind { heading, subheading, paragraph, list_item };

/// One block of text in English and, optionally, the same text in Persian.
struct PdfBlock {
  PdfBlockKind kind = PdfBlockKind::paragraph;
  /// Printed in bold before `english`, separated by a space ("Participant A:"); may be empty.
  std::string lead;
  /// The main text. Any script: each paragraph runs in the direction of its first strong letter.
  std::string english;
  /// The same text in Persian, right to left; empty when the block has none.
  std::string persian;
};

/// How the two languages share the page. Blocks without Persian use the whole width either way.
enum class PdfLayout {
  parallel_columns,      ///< English on the left, Persian on the right, each block side by side
  english_then_persian,  ///< every block in English, then (from a new page) every block in Persian
};

/// A visible "Copy N of M" line, as paper distribution lists use.
struct PdfCopyNumber {
  int number = 1;
  int total = 1;
};

/// A document as it will be printed.
struct PdfDocument {
  std::string title;
  /// The header line on every page.
  std::string classification = "Not for publication";
  /// Printed at the right of the header line on every page when present.
  std::optional<PdfCopyNumber> copy;
  /// The document's own date (YYYY-MM-DD, e.g. the meeting's), written as the PDF's creation and
  /// modification dates. Without it the PDF has no dates at all; it never has the time of printing.
  std::optional<std::string> date;
  PdfLayout layout = PdfLayout::parallel_columns;
  std::vector<PdfBlock> blocks;
};

/// One text the PDF shows, and the block it belongs to (none for the title, the header line and
/// the copy line).
struct PdfText {
  std::string text;
  std::optional<std::size_t> block;
};

/// Every text render_pdf draws, in document order: what a leak scanner must read before the PDF
/// may leave. The only other marks on the pages are page numbers ("Page 2 of 9") and bullets.
std::vector<PdfText> pdf_texts(const PdfDocument& document);

/// Where the fonts come from.
struct PdfFontOptions {
  /// Only the fonts in this folder instead of the system's (fontconfig's configuration); for
  /// tests, and to pin exact font files.
  std::optional<std::filesystem::path> font_dir;
};

/// The fonts a PDF is drawn with, and the Debian package that has them.
inline constexpr const char* kPdfLatinFont = "Noto Serif";
inline constexpr const char* kPdfPersianFont = "Noto Naskh Arabic";
inline constexpr const char* kPdfFontPackage = "fonts-noto-core";

/// Draws the document as an A4 PDF and returns its bytes. The same document always gives the
/// same bytes. Fails with ErrorCode::io (one line naming the font and the package to install)
/// when a font is missing, and ErrorCode::bad_input for a malformed date or copy number.
Result<std::string> render_pdf(const PdfDocument& document, const PdfFontOptions& fonts = {});

}  // namespace bc::core
