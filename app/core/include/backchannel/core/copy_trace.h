// Tracing a leaked text back to a registered copy (docs/paper.md, "How tracing decides"). The
// text (pasted, retyped or OCR'd; whole or excerpted, in any order) is aligned against the
// paper's fixed text; at every variant point whose surroundings are found, the alternative
// present is read where the evidence is clear; every registered copy, the paper as written and
// "none of them" are scored by likelihood; a copy is named only when it is far more likely than
// everything else. Otherwise the answer is "cannot tell": naming the wrong person is far worse
// than naming nobody. Pure function: no vault, no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/copy_choices.h"
#include "backchannel/core/copy_variants.h"
#include "backchannel/result.h"

namespace bc::core {

/// One copy of the register: its label and its choices.
struct RegisteredCopy {
  std::string label;
  ChoiceVector choices;
};

/// The answer.
enum class TraceVerdict : std::uint8_t { copy, cannot_tell };

/// Why the answer is what it is.
enum class TraceReason : std::uint8_t {
  decided,        ///< one copy explains the text far better than any other copy, the text as written, or none
  no_copies,      ///< the register is empty
  nothing_read,   ///< no variant point of the paper could be read in the text
  thin_evidence,  ///< too few points read to tell the copies (and the text as written) apart
  copies_alike,   ///< two or more copies explain the text about equally well
  as_written,     ///< the text matches the paper as written (a draft) better than any copy
  inconsistent,   ///< the text contradicts even the most likely copy in several points (mixed or edited copies)
};

/// One sentence saying what a reason means, for the CLI and the GUI.
std::string_view trace_reason_text(TraceReason reason);

/// One place of the leaked text where a variant was read.
struct TraceReading {
  /// The paper's points read there (neighbouring points are read together), indices into
  /// VariantPaper::points().
  std::vector<std::size_t> points;
  /// What the text shows there, as the paper writes it (for a list: the order seen).
  std::string read;
  /// Bytes [begin, end) of the leaked text.
  std::uint32_t leak_begin = 0;
  std::uint32_t leak_end = 0;
  /// Read with the paper's text on one side only (at the start or end of a list item or text):
  /// counted with less weight.
  bool one_sided = false;
};

/// A hypothesis's score.
struct TraceCopyScore {
  std::string label;
  double log_likelihood = 0;  ///< natural log, up to a constant shared by all hypotheses
  double probability = 0;     ///< posterior with equal priors over copies, "as written" and "none"
  std::size_t agreements = 0;      ///< readings that show this copy's alternative
  std::size_t contradictions = 0;  ///< readings that clearly show another alternative
};

/// A reading that separated the most likely copy from the runner-up.
struct TraceDecidingPoint {
  std::size_t reading = 0;  ///< index into TraceResult::readings
  std::string named;        ///< what the most likely copy has there
  std::string other;        ///< what the runner-up has there
  double weight = 0;        ///< log-likelihood ratio (nats) for the most likely copy; negative = against it
};

/// What trace_copy found.
struct TraceResult {
  TraceVerdict verdict = TraceVerdict::cannot_tell;
  TraceReason reason = TraceReason::nothing_read;
  /// The named copy (verdict copy), or the most likely copy (cannot tell; empty without copies).
  std::string label;
  /// The posterior probability of `label`, in [0, 1].
  double confidence = 0;
  /// The runner-up copy and its probability (empty / 0 with fewer than two copies).
  std::string runner_up;
  double runner_up_probability = 0;
  double as_written_probability = 0;
  double none_probability = 0;
  std::size_t leak_words = 0;     ///< words in the leaked text
  std::size_t located_words = 0;  ///< of them, placed in the paper
  std::vector<TraceReading> readings;
  std::vector<TraceCopyScore> copies;        ///< most likely first
  std::vector<TraceDecidingPoint> deciding;  ///< strongest first
  /// Natural kinds (numbers, dates, serial comma, spelling) whose readings all follow one house
  /// style, as an editor's rewriting would leave them: weighed as possibly edited, so that they
  /// decide little.
  std::vector<VariantKind> house_style_kinds;
};

/// How sure trace_copy must be to name a copy.
struct TraceOptions {
  /// The posterior a copy needs to be named (against every other copy, the text as written and
  /// none). 0.999 is at least 1000 to 1 against the sum of all alternatives.
  double min_confidence = 0.999;
};

/// The largest leaked text trace_copy reads.
inline constexpr std::size_t kMaxLeakBytes = 8u << 20;

/// Traces `leaked_text` against the register. `bad_input` when a copy's choices do not belong to
/// `paper` (the message names the copy by its position in `copies`, never by label) or the text
/// is larger than kMaxLeakBytes; any other text, however garbled, gives a result.
Result<TraceResult> trace_copy(const VariantPaper& paper, std::span<const RegisteredCopy> copies,
                               std::string_view leaked_text, const TraceOptions& options = {});

}  // namespace bc::core
