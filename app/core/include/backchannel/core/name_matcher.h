// Finds every protected form in a text at once with an Aho-Corasick automaton over the
// normalized text, respects word boundaries, and maps each hit back to the original bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/protected_forms.h"
#include "backchannel/core/text_normalizer.h"

namespace bc::core {

/// What a match names.
enum class MatchKind { person, affiliation, location };

/// A protected form found in a text, as a byte range of the ORIGINAL text.
struct NameMatch {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  /// The participants the matched words may refer to (more than one when two participants
  /// share a form); -1 stands for the meeting location.
  std::vector<int> participants;
  /// A person unless every form matched there is an affiliation (or the location).
  MatchKind kind = MatchKind::person;
};

/// The automaton for one FormSet; build once per summary, then match every note.
class NameMatcher {
 public:
  explicit NameMatcher(const FormSet& forms);
  ~NameMatcher();
  NameMatcher(NameMatcher&&) noexcept;
  NameMatcher& operator=(NameMatcher&&) noexcept;

  /// Non-overlapping matches, leftmost-longest, in text order. A match ends only at a word
  /// boundary (or before a Persian suffix) and starts only at one; an allowed form that covers
  /// a protected hit wins. Titles ("Ambassador", "Dr.", "آقای") and initials just before a match
  /// are included in it; a match inside an e-mail address or @handle extends to the whole of it;
  /// adjacent matches of the same participant merge.
  std::vector<NameMatch> find(std::string_view original) const;
  /// The same on text already normalized by normalize_for_matching_with_offsets (reuses the
  /// caller's work).
  std::vector<NameMatch> find(std::string_view original, const NormalizedText& normalized) const;

  std::size_t pattern_count() const;
  std::size_t state_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bc::core
