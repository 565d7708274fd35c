// The second, independent check of a finished summary. It shares nothing with the anonymizer's
// matcher: its own normalization (character references decoded, utf8proc's NFKC case folding,
// its own letter folding, UTS 39 skeletons from ICU), its own tokenizer, its own list of forms
// built straight from the participant records, and a plain token-sequence search. Any hit
// blocks the summary, and so does any word that mixes scripts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/domain.h"

namespace bc::core {

/// A participant whose forms must not appear, as the scanner sees it.
struct ScannedParticipant {
  std::string key;
  std::string name;
  std::optional<std::string> affiliation;
  std::vector<std::string> aliases;
  /// Further spellings to look for (transliteration variants); the scanner treats them like
  /// aliases.
  std::vector<std::string> extra_forms;
  /// The organizer's rulings on short forms of the name (`of` is name): the scanner applies them to
  /// the short forms it derives itself (the family name, the last word of each alias).
  std::vector<ShortFormRule> name_rulings;
  /// The short forms of the affiliation (derived and ruled by short_forms.h); each is looked for
  /// like the affiliation.
  std::vector<std::string> affiliation_forms;
};

/// What the scanner found.
enum class LeakKind {
  protected_form,  ///< a form of a protected participant, or the hidden location
  mixed_script,    ///< a word whose letters belong to no one script (a possible look-alike spelling)
};

/// One leak: which participant ("location" for the hidden location, empty for a mixed-script
/// word), and where (a note id, or nothing for header/attendance).
struct Leak {
  std::string participant_key;
  std::optional<std::int64_t> note_id;
  LeakKind kind = LeakKind::protected_form;
};

/// What the scanner is told about one scan.
struct LeakScanInput {
  std::vector<ScannedParticipant> protected_participants;
  /// Forms that a hit may be part of without being a leak: named participants' names and
  /// aliases, and the meeting's public terms.
  std::vector<std::string> allowed_forms;
  /// Public terms are never protected, even when equal to an affiliation.
  std::vector<std::string> public_terms;
  /// The hidden meeting location, if any (key "location" in reports).
  std::optional<std::string> hidden_location;
};

/// A text region to scan, with the note it came from (if any).
struct ScanRegion {
  std::string_view text;
  std::optional<std::int64_t> note_id;
};

/// Scans visible text (already decoded from HTML/JSON by the caller). Returns every leak.
std::vector<Leak> scan_for_leaks(const LeakScanInput& input, const std::vector<ScanRegion>& regions);

/// The scanner's own normalization and tokenization, exposed for tests: lower-case, folded
/// tokens of letters and digits (character references decoded first).
std::vector<std::string> leak_scan_tokens(std::string_view text);

}  // namespace bc::core
