// Pseudonym letters ("Participant C") from a keyed permutation, so that the order in which
// people first speak does not reveal who is who.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backchannel/core/domain.h"
#include "backchannel/core/vault.h"

namespace bc::core {

/// "A".."Z", then "AA", "AB", ...
std::string pseudonym_letters(std::size_t index);

/// Letters for one summary: the pseudonymous participants (by participant id) ordered by
/// HMAC-SHA-256(pseudonym key, meeting uid || audience || participant uid). Deterministic for a
/// meeting and audience; unrelated to attendance or speaking order.
std::map<std::int64_t, std::string> summary_pseudonyms(Vault& vault, const Meeting& meeting, Audience audience,
                                                       const std::vector<const Participant*>& pseudonymous);

/// Letters that stay the same across every meeting of the series (participants audience,
/// --stable-pseudonyms): a person (by normalized name) keeps the letter first assigned to them;
/// newcomers get the next free letters in keyed order. Assignments are stored in the vault.
Result<std::map<std::int64_t, std::string>> series_pseudonyms(Vault& vault, const Meeting& meeting,
                                                              const std::vector<const Participant*>& pseudonymous);

}  // namespace bc::core
