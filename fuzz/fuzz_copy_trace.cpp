// Fuzz target: tracing a leaked text (core::trace_copy) against a fixed short paper with three
// registered copies. The input is the leaked text, any bytes.
// Checked: an answer, never an error; probabilities in [0, 1]; a named copy is one of the
// register's with at least the required confidence; every reading lies inside the text and
// names points that exist.
#include <string>
#include <vector>

#include "backchannel/core/copy_trace.h"
#include "fuzz_support.h"

using namespace bc;

namespace {

constexpr std::string_view kPaper =
    "The participants agreed that the channel {{shall remain | will remain}} open through the winter. "
    "Three former ministers attended the meeting on 14 June 2005 in Geneva, and the group discussed "
    "energy, trade and security in {{some detail | considerable detail}}.\n\n"
    "The organisation of the next round relies on co-operation between the two hosts, who "
    "{{proposed | suggested}} that the delegations meet again in the spring.\n\n"
    "The group proposed:\n\n"
    "+ a hotline between the two navies in the Gulf\n"
    "+ visas for scholars who attend the meetings\n"
    "+ joint work on earthquake preparedness in the region\n";

struct Fixture {
  core::VariantPaper paper;
  std::vector<core::RegisteredCopy> copies;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    const std::vector<core::PaperTextSource> sources = {{"section 1", core::TextLanguage::english, kPaper}};
    auto parsed = core::VariantPaper::parse(sources);
    BC_FUZZ_CHECK(parsed.ok(), "the fixed paper does not parse");
    x.paper = std::move(parsed).value();
    crypto::SecureBuffer key(32);
    for (std::size_t i = 0; i < 32; ++i) key.data()[i] = static_cast<std::uint8_t>(i);
    std::vector<core::ChoiceVector> earlier;
    for (const char* label : {"first", "second", "third"}) {
      x.copies.push_back({label, core::derive_copy_choices(x.paper, key, label, earlier)});
      earlier.push_back(x.copies.back().choices);
    }
    return x;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& f = fixture();
  const std::string_view text = fuzz::as_text(data, size);
  auto r = core::trace_copy(f.paper, f.copies, text);
  BC_FUZZ_CHECK(r.ok(), r.ok() ? "" : r.error().message);
  BC_FUZZ_CHECK(r->confidence >= 0 && r->confidence <= 1, "confidence outside [0, 1]");
  BC_FUZZ_CHECK(r->none_probability >= 0 && r->none_probability <= 1, "probability outside [0, 1]");
  if (r->verdict == core::TraceVerdict::copy) {
    BC_FUZZ_CHECK(r->confidence >= core::TraceOptions{}.min_confidence, "a copy named below the threshold");
    bool known = false;
    for (const auto& c : f.copies) known = known || c.label == r->label;
    BC_FUZZ_CHECK(known, "named a copy that is not registered");
  }
  for (const auto& reading : r->readings) {
    BC_FUZZ_CHECK(reading.leak_begin <= reading.leak_end && reading.leak_end <= size, "a reading outside the text");
    for (const std::size_t p : reading.points) BC_FUZZ_CHECK(p < f.paper.points().size(), "a reading of no point");
  }
  return 0;
}
