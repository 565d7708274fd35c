// Copy variants: the places where the registered copies of a paper differ without changing its
// meaning (docs/paper.md, "Copy variants"). A text is parsed into fixed text and variant points:
// alternates the author marked (`{{shall remain | will remain}}`), lists written with `+`
// bullets (declared unordered), and, in English only, numbers, dates, the serial comma and
// spelling variants found by conservative rules. A copy is the text rendered with one choice
// per point (copy_choices.h); copy_trace.h reads the choices back from a leaked text.
// Pure functions of the text: no vault, no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/result.h"

namespace bc::core {

class ChoiceVector;  // copy_choices.h

/// The language of a text: natural variant points are found in English only.
enum class TextLanguage : std::uint8_t { english, persian };

/// What kind of place a variant point is.
enum class VariantKind : std::uint8_t {
  alternate,       ///< `{{a | b}}` written by the author
  unordered_list,  ///< the order of the items of a `+` list
  number,          ///< a small number as digits or as a word ("3" / "three")
  date,            ///< a full date in one of three formats ("14 June 2005" / "June 14, 2005" / "14th June 2005")
  serial_comma,    ///< "A, B and C" / "A, B, and C" (the point covers the word before "and")
  spelling,        ///< a pair from the curated spelling table ("co-operation" / "cooperation")
};

/// "alternate", "unordered-list", "number", "date", "serial-comma", "spelling".
std::string_view variant_kind_name(VariantKind kind);

/// One place where copies may differ.
struct VariantPoint {
  VariantKind kind = VariantKind::alternate;
  /// Which text of the paper it is in (VariantPaper); 0 for a lone VariantText.
  std::uint32_t text = 0;
  /// Source bytes [begin, end) of the text as the author wrote it (markup included).
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  /// 1-based line and column (in code points) of `begin`.
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  /// The alternatives as they render, [0] as written. For a list: its items as written.
  std::vector<std::string> alternatives;
  /// How many choices the point offers: alternatives.size(), or n! for a list of n items.
  std::uint64_t choice_count = 0;
};

/// Limits that keep parsing, rendering and tracing bounded.
struct VariantLimits {
  static constexpr std::size_t kMaxTextBytes = 1u << 20;  ///< one text (a section in one language)
  static constexpr std::size_t kMaxAlternatives = 16;     ///< per `{{...}}`
  static constexpr std::size_t kMaxListItems = 20;        ///< per `+` list (20! fits 64 bits)
  static constexpr std::size_t kMaxPointsPerPaper = 100000;
};

/// One text (a section in one language) parsed into fixed text and variant points. Immutable and
/// cheap to copy.
class VariantText {
 public:
  /// Parses `source`. Broken markup is `bad_input` with the line and column in the message
  /// (never the text itself): an unterminated or nested `{{`, fewer than two choices, two
  /// choices that read the same once case, spacing and punctuation are ignored, a `+` list
  /// of more than kMaxListItems items, invalid UTF-8.
  static Result<VariantText> parse(std::string_view source, TextLanguage language);

  TextLanguage language() const;
  /// Every variant point, in text order (a list comes before the points inside its items).
  const std::vector<VariantPoint>& points() const;
  /// The text with choice `choices[i]` at point i: an alternative's index, or for a list the
  /// rank of its order (list_order in copy_choices.h). `choices` must have one valid value per
  /// point (VariantPaper::render checks). `+` bullets render as `- `, so that a copy does not
  /// show which lists were shuffled; `\{{` renders as `{{`.
  std::string render(std::span<const std::uint64_t> choices) const;
  /// The text with every point as written.
  std::string render_as_written() const;

  struct Impl;
  /// The parsed structure (for the tracer inside core).
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

/// One text of a paper, as given to VariantPaper::parse.
struct PaperTextSource {
  /// Names the text in errors and the preview, e.g. "section 2 (Persian)"; never the text.
  std::string label;
  TextLanguage language = TextLanguage::english;
  std::string_view source;
};

/// All the texts of one paper revision (each section in each language, in paper order) with
/// one numbering of their variant points: what a copy's choice vector indexes.
class VariantPaper {
 public:
  /// Parses every text; the first failure is returned with the text's label in front.
  static Result<VariantPaper> parse(std::span<const PaperTextSource> texts);

  std::size_t text_count() const { return texts_.size(); }
  const VariantText& text(std::size_t i) const { return texts_[i]; }
  const std::string& text_label(std::size_t i) const { return labels_[i]; }
  /// The preview: every point of the paper in order; VariantPoint::text says which text.
  const std::vector<VariantPoint>& points() const { return points_; }
  /// The index of text `i`'s first point in points().
  std::size_t first_point(std::size_t i) const { return first_point_[i]; }
  /// 16 hex digits naming the variant structure (kinds and alternatives of every point, in
  /// order). A choice vector belongs to one structure; a revision that changes no variant point
  /// keeps it.
  const std::string& structure_id() const { return structure_id_; }

  /// One rendered text per text of the paper. `bad_input` when the choices belong to another
  /// structure or a value is out of range.
  Result<std::vector<std::string>> render(const ChoiceVector& choices) const;
  /// Every text with each point as written.
  std::vector<std::string> render_as_written() const;

 private:
  std::vector<VariantText> texts_;
  std::vector<std::string> labels_;
  std::vector<VariantPoint> points_;
  std::vector<std::size_t> first_point_;
  std::string structure_id_;
};

/// One line for the organizer's preview (`paper show`, the GUI):
/// `line 3, column 14, number: "three" | "3"`; a list shows its item count and first words.
std::string describe_variant_point(const VariantPoint& point);

}  // namespace bc::core
