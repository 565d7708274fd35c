// The short forms of a participant's name and affiliation: single words and phrases that stand
// for them on their own ("Holloway", "Abbas" of "Haj Abbas", "Stimson" of "Stimson Center"),
// derived from the record, with the rule each follows and the organizer's rulings applied
// (docs/anonymization.md, "Short forms").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/domain.h"

namespace bc::core {

/// Where a short form is found once the derived rule and the organizer's ruling are applied.
enum class ShortFormReach {
  everywhere,  ///< on its own, anywhere
  given_name,  ///< on its own, except (Latin script) just before a capitalized word: "Abbas Kiarostami"
  none,        ///< not on its own (ruled "not used alone")
};

/// One short form of a participant.
struct ShortForm {
  ShortFormOf of = ShortFormOf::name;
  std::string form;        ///< as written in the record or the ruling ("Abbas", "Stimson")
  std::string normalized;  ///< core::normalize(form)
  bool derived = true;     ///< false: it is one only by the organizer's ruling
  bool family = false;     ///< a name's short form that is the family name (or a spelling of it)
  std::optional<ShortFormUse> ruling;  ///< the organizer's, if any
  ShortFormReach reach = ShortFormReach::everywhere;
  /// Further spellings found with it (normalized): transliteration variants of a Latin name word,
  /// the word with its zero-width non-joiner typed as a space. They follow the same reach.
  std::vector<std::string> spellings;
};

/// The demonyms and other names of a common delegation, normalized ("iran" gives "iranian" and
/// "persian"; "united states" gives "u.s.", "american" ...); empty for one not listed.
const std::vector<std::string>& demonyms_of(const std::string& normalized_delegation);

/// Every short form of `p` for a meeting with `public_terms`, name forms first, in record order:
/// - name: the family name (last word of a full name of two words or more), and the last word of
///   each alias of two words or more. The family name reaches everywhere; another word (a given
///   name after an honorific, "Haj Abbas") reaches everywhere in a script without case and as a
///   given name in Latin script.
/// - affiliation: derive_affiliation_short_forms, each reaching everywhere.
/// Rulings then apply: `alone` makes a form reach everywhere (a form not derived is added),
/// `not_alone` makes it reach nowhere. An affiliation short form that is a public term, the
/// participant's delegation, or a demonym of either ("Omani" of "Omani Ministry of Foreign Affairs"
/// for the delegation Oman) is dropped, ruled or not.
std::vector<ShortForm> short_forms(const Participant& p, const std::vector<std::string>& public_terms);

/// The short forms derived from an affiliation, as written: nothing when the whole affiliation is a
/// public term. Otherwise the generic words (Center, Institute, University, Ministry, Council, of,
/// for, the ...) are dropped and the affiliation is cut there and at brackets and commas; each run
/// of two words or more that remains is a short form, and so is each remaining word that is a
/// proper noun (is_proper_noun). The whole affiliation and public terms are not listed.
std::vector<std::string> derive_affiliation_short_forms(const std::string& affiliation,
                                                        const std::vector<std::string>& public_terms);

/// The given and family name of a normalized full name: "katherine holloway" and
/// "holloway, katherine" give {katherine, holloway}; generational suffixes are skipped ("mahmoud
/// rezaei jr."). Empty strings for an empty name; a one-word name is both.
std::pair<std::string, std::string> given_and_family_name(const std::string& normalized_name);

/// A proper noun, by the rule affiliations use: a word of Latin letters (three or more) that starts
/// with a capital letter and is not a lower-case word of the English word list compiled into the
/// program (Debian's wamerican): "Stimson", "Sharif", "IAEA"; not "Strategic", "Harbor", "of".
bool is_proper_noun(std::string_view word);

}  // namespace bc::core
