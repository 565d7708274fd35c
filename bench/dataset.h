// A realistic, fictional dialogue series for benchmarks, generated from a fixed seed:
// participants with English and Persian names, aliases and affiliations (about eight protected
// forms each), and notes in English and Persian that mention them now and then.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bc::bench {

struct DatasetSpec {
  std::size_t participants = 250;
  std::size_t notes_per_meeting = 10000;
  std::size_t meetings = 10;
  std::uint64_t seed = 20261128;
};

/// One meeting-import document (docs/meeting-import-v1.md) per meeting, in order.
std::vector<std::string> generate_meetings(const DatasetSpec& spec);

/// A name-dense meeting (one meeting-import document): 40 participants, half with English and
/// half with Persian names, each with several aliases in both scripts; most of the `notes` notes
/// (English and Persian) name one to three of them by name, family name or alias. Fixed seed.
std::string generate_name_dense_meeting(std::size_t notes = 10000, std::uint64_t seed = 20261203);

/// Every protected form of the dataset (names, family names, aliases,
/// affiliations), one per entry: the pattern list for `grep -F -i -f`.
std::vector<std::string> protected_forms(const DatasetSpec& spec);

}  // namespace bc::bench
