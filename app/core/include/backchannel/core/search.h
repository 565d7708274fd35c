// Full-text search over all notes, inside the encrypted database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backchannel/core/vault.h"

namespace bc::core {

/// One matching note.
struct SearchHit {
  std::int64_t note_id = 0;
  std::int64_t meeting_id = 0;
  std::string meeting_title;
  std::string speaker;  ///< the speaker's name, or empty for an organizer's note
  std::string snippet;  ///< a short excerpt of the original text around the first match
};

/// Finds notes containing every word of `query` (as a word or word prefix), comparing
/// normalized text: case, diacritics, Persian/Arabic letter variants and zero-width
/// characters are ignored. Best matches first.
Result<std::vector<SearchHit>> search_notes(Vault& vault, std::string_view query, std::size_t limit = 50);

}  // namespace bc::core
