// The protected forms of a meeting's participants for one audience: what the anonymizer must
// replace, and what it must leave alone (named participants' own forms, public terms).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"

namespace bc::core {

/// Why a form is protected (for tests and diagnostics; never shown with the form itself).
enum class FormKind { full_name, family_name, alias, affiliation, variant, handle, location };

/// One string to find in note text (normalized with core::normalize).
struct ProtectedForm {
  std::string normalized;
  int participant = -1;  ///< index into the participants given, or -1 for the meeting location
  FormKind kind = FormKind::full_name;
  /// A short form that reaches as a given name (ShortFormReach::given_name): in Latin script it is
  /// not found where the next word (after white space only) starts with a capital letter, which
  /// makes it part of someone else's full name ("Abbas Kiarostami").
  bool given_name = false;
};

/// Strings that win over protected forms they contain or overlap ("Ulysses Grant", a named
/// participant, is not a mention of a protected "Grant"; public terms are never replaced).
struct AllowedForm {
  std::string normalized;
};

/// The forms for one summary.
struct FormSet {
  std::vector<ProtectedForm> protected_forms;
  std::vector<AllowedForm> allowed;
  /// Per protected participant (same index as the participants given): the words of their names
  /// and the spelling variants of those words. A match is extended over such a word just before
  /// it ("Mahmud" + "Rezaei"), so that no part of a name is left behind.
  std::vector<std::vector<std::string>> name_words;
  /// Per protected participant: their given names (first words) and variants; a match extends
  /// over one just after it too (family name first, as Persian writes it).
  std::vector<std::vector<std::string>> given_names;
};

/// Builds the forms for `participants` given each one's effective level for the audience
/// (`levels[i]` for `participants[i]`): full name, every alias, the short forms of the name and
/// the affiliation with their reach (short_forms.h), the affiliation unless it is a public term,
/// transliteration variants of Latin names, and e-mail-style handles built from the name. Named
/// participants contribute allowed forms.
/// `hidden_location`, when set, is protected too.
FormSet build_forms(const std::vector<Participant>& participants, const std::vector<DisclosureLevel>& levels,
                    const std::vector<std::string>& public_terms, const std::optional<std::string>& hidden_location);

/// Words that may stand before a name and go with it when it is replaced ("Ambassador",
/// "Dr.", "آقای"), normalized.
const std::vector<std::string>& name_titles();

/// Persian suffixes that may follow a name directly or after a zero-width non-joiner
/// (plural ها, ezafe/indefinite ی, possessive pronouns ...), normalized.
const std::vector<std::string>& persian_suffixes();

}  // namespace bc::core
