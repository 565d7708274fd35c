#include "backchannel/core/disclosure_policy.h"

namespace bc::core {

DisclosureLevel effective_level(const Meeting& meeting, const Participant& p, Audience audience) {
  const DisclosureLevel level = p.level_for(audience);
  if (meeting.effective_rule() == Rule::on_background && audience == Audience::public_ && level == DisclosureLevel::named)
    return DisclosureLevel::role;
  return level;
}

Status summary_allowed(const Meeting& meeting, Audience audience) {
  if (meeting.effective_rule() == Rule::off_the_record && audience == Audience::public_)
    return fail(ErrorCode::blocked, "meeting " + std::to_string(meeting.id) +
                                        " was held off the record: there is no summary for the public audience "
                                        "(only for its participants)");
  return {};
}

bool location_disclosed(const Meeting& meeting, Audience audience) {
  return meeting.location.has_value() &&
         meeting.location_disclosure[static_cast<int>(audience)] == DisclosureLevel::named;
}

}  // namespace bc::core
