// Fuzz target: full-text search (core::search_notes) on a small vault holding the base archive.
// The input's first line is the query; anything after it is a note added to the base meeting
// first (when the vault would store it), so the snippet code meets fuzzed text too. Every input
// runs inside a transaction that is rolled back.
// Checked: the search succeeds or says usage / bad_input, never internal or I/O; at most
// `limit` hits, each naming a note that exists, with a snippet that is valid UTF-8.
#include <string>

#include "backchannel/core/notes.h"
#include "backchannel/core/search.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/storage/database.h"
#include "fuzz_support.h"
#include "vault_store_access.h"

using namespace bc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static core::Vault vault = [] {
    core::Vault v = fuzz::make_temp_vault();
    fuzz::import_base_archive(v);
    return v;
  }();
  static const std::int64_t meeting_id = *bc::core::vault_store(vault).db().query_int(
      "SELECT id FROM meetings WHERE uid = '" + std::string(fuzz::kBaseMeetingUid) + "'");
  auto& db = bc::core::vault_store(vault).db();
  auto scope = storage::Transaction::begin(db);
  BC_FUZZ_CHECK(scope.ok(), scope.ok() ? "" : scope.error().message);

  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t nl = input.find('\n');
  const std::string_view query = input.substr(0, nl);
  if (nl != std::string_view::npos) {
    core::NewNote note;
    note.meeting_id = meeting_id;
    note.text = std::string(input.substr(nl + 1));
    auto added = core::add_note(vault, note);
    if (!added) BC_FUZZ_CHECK(added.error().code == ErrorCode::bad_input, added.error().message);
  }
  for (const std::size_t limit : {std::size_t{50}, std::size_t{1}}) {
    auto hits = core::search_notes(vault, query, limit);
    if (!hits) {
      const ErrorCode c = hits.error().code;
      BC_FUZZ_CHECK(c == ErrorCode::usage || c == ErrorCode::bad_input, hits.error().message);
      continue;
    }
    BC_FUZZ_CHECK(hits->size() <= limit, "more hits than the limit");
    for (const auto& h : *hits) {
      BC_FUZZ_CHECK(h.meeting_id == meeting_id, "a hit in a meeting that does not exist");
      BC_FUZZ_CHECK(core::is_valid_utf8(h.snippet), "a snippet is not valid UTF-8");
    }
  }
  return 0;
}
