#include "backchannel/core/html_entities.h"

#include <algorithm>
#include <iterator>

namespace bc::core {
namespace {

struct Reference {
  std::string_view name;
  std::string_view text;
};

constexpr Reference kReferences[] = {
#include "html_entities_table.inc"
};

}  // namespace

std::string_view html_named_reference(std::string_view name) {
  const auto* it = std::lower_bound(std::begin(kReferences), std::end(kReferences), name,
                                    [](const Reference& r, std::string_view n) { return r.name < n; });
  if (it == std::end(kReferences) || it->name != name) return {};
  return it->text;
}

}  // namespace bc::core
