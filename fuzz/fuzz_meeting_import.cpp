// Fuzz target: the meeting import format (core::import_meeting, docs/meeting-import-v1.md) on a
// real vault that already holds the sample meeting, then a summary of what was imported (the
// anonymizer, rendering and leak scanner on fuzzed names and notes). Every input runs inside a
// transaction that is rolled back, so the vault does not grow.
// Checked: no crash; a refused file is bad_input (the format's only error); the imported counts
// match the vault; a summary is produced or blocked, nothing else.
#include <string>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/summary.h"
#include "backchannel/storage/database.h"
#include "fuzz_support.h"
#include "vault_store_access.h"

using namespace bc;

namespace {

constexpr std::string_view kSample = R"({
  "format": "backchannel.meeting/1",
  "series": {"title": "Gulf Security Dialogue", "rule": "chatham-house"},
  "meeting": {"title": "Round 6", "starts_at": "2005-03-01T09:00:00Z", "location": "Oslo",
              "location_disclosure": {"participants": "named", "public": "hidden"}, "public_terms": ["IAEA"]},
  "participants": [
    {"key": "p1", "name": "Katherine Holloway", "affiliation": "U.S. Department of State", "aliases": ["Kate"],
     "disclosure": {"participants": "role", "public": "anonymous"}},
    {"key": "p2", "name": "Mahmoud Rezaei", "aliases": ["محمود رضایی"], "disclosure": {"participants": "pseudonym"}}
  ],
  "notes": [{"speaker": "p1", "text": "Holloway's point: Kate and Rezaei agree."}]
})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static core::Vault vault = [] {
    core::Vault v = fuzz::make_temp_vault();
    auto r = core::import_meeting(v, kSample);
    BC_FUZZ_CHECK(r.ok(), r.ok() ? "" : r.error().message);
    return v;
  }();
  auto& db = bc::core::vault_store(vault).db();
  auto scope = storage::Transaction::begin(db);
  BC_FUZZ_CHECK(scope.ok(), scope.ok() ? "" : scope.error().message);

  auto imported = core::import_meeting(vault, fuzz::as_text(data, size));
  if (!imported) {
    BC_FUZZ_CHECK(imported.error().code == ErrorCode::bad_input, imported.error().message);
    return 0;
  }
  const std::string id = std::to_string(imported->meeting_id);
  BC_FUZZ_CHECK(*db.query_int("SELECT count(*) FROM notes WHERE meeting_id = " + id) ==
                    static_cast<std::int64_t>(imported->notes),
                "the note count differs from the report");
  BC_FUZZ_CHECK(*db.query_int("SELECT count(*) FROM attendance WHERE meeting_id = " + id) ==
                    static_cast<std::int64_t>(imported->participants),
                "the participant count differs from the report");

  core::SummaryOptions options;
  options.audience = size % 2 == 0 ? core::Audience::participants : core::Audience::public_;
  const auto format = static_cast<core::SummaryFormat>(size % 3);
  auto summary = core::produce_summary(vault, imported->meeting_id, options, format);
  if (!summary) BC_FUZZ_CHECK(summary.error().code == ErrorCode::blocked, summary.error().message);
  return 0;
}
