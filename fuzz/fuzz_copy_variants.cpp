// Fuzz target: the copy-variant markup (core::VariantText::parse, VariantPaper) and rendering.
// The input's first byte picks the language (odd: Persian) and seeds the choices; the rest is
// the author's text.
// Checked: parsing succeeds or is bad_input, whose message never quotes the text; points are in
// order inside the text with 1-based positions and at least two choices; rendering with any
// valid choices gives valid UTF-8 and the same number of points when the paper renders it; the
// tracer reads a rendering back without an error and with a probability in [0, 1].
#include <string>
#include <vector>

#include "backchannel/core/copy_trace.h"
#include "backchannel/core/text_normalizer.h"
#include "fuzz_support.h"

using namespace bc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const core::TextLanguage lang = (data[0] & 1) ? core::TextLanguage::persian : core::TextLanguage::english;
  const std::uint8_t seed = data[0];
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  auto parsed = core::VariantText::parse(text, lang);
  if (!parsed) {
    BC_FUZZ_CHECK(parsed.error().code == ErrorCode::bad_input, parsed.error().message);
    // Error messages name places, never the text: a long input never shows up in one.
    if (text.size() >= 24) BC_FUZZ_CHECK(parsed.error().message.find(text) == std::string::npos, "message quotes the text");
    return 0;
  }
  const auto& points = parsed->points();
  std::vector<std::uint64_t> choices;
  std::uint32_t last_begin = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    BC_FUZZ_CHECK(p.begin < p.end && p.end <= text.size(), "a point outside the text");
    BC_FUZZ_CHECK(p.begin >= last_begin, "points out of order");
    BC_FUZZ_CHECK(p.line >= 1 && p.column >= 1, "a position is not 1-based");
    BC_FUZZ_CHECK(p.choice_count >= 2, "a point with fewer than two choices");
    if (p.kind != core::VariantKind::unordered_list)
      BC_FUZZ_CHECK(p.choice_count == p.alternatives.size(), "choice count and alternatives disagree");
    last_begin = p.begin;
    choices.push_back((seed * 2654435761u + i * 40503u) % p.choice_count);
  }
  const std::string written = parsed->render_as_written();
  const std::string rendered = parsed->render(choices);
  BC_FUZZ_CHECK(core::is_valid_utf8(written), "the text as written is not valid UTF-8");
  BC_FUZZ_CHECK(core::is_valid_utf8(rendered), "a rendering is not valid UTF-8");

  const std::vector<core::PaperTextSource> sources = {{"section 1", lang, text}};
  auto paper = core::VariantPaper::parse(sources);
  BC_FUZZ_CHECK(paper.ok(), "a text that parses alone does not parse as a paper");
  BC_FUZZ_CHECK(paper->points().size() == points.size(), "the paper numbers another count of points");
  const core::ChoiceVector vector(paper->structure_id(), choices);
  auto texts = paper->render(vector);
  BC_FUZZ_CHECK(texts.ok() && texts->size() == 1 && (*texts)[0] == rendered, "the paper renders differently");
  if (text.size() <= 4096) {
    const std::vector<core::RegisteredCopy> copies = {{"a", vector}, {"b", core::choices_as_written(*paper)}};
    auto traced = core::trace_copy(*paper, copies, rendered);
    BC_FUZZ_CHECK(traced.ok(), traced.ok() ? "" : traced.error().message);
    BC_FUZZ_CHECK(traced->confidence >= 0 && traced->confidence <= 1, "a probability outside [0, 1]");
  }
  return 0;
}
