// The sample the headless GUI tests share: the "Round Three" meeting of the "Northern Sea
// Dialogue" with two participants, p1 protected (role / anonymous) and p2 named (named /
// pseudonym).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/vault.h"

namespace bc::test {

inline constexpr const char* kSampleName1 = "Aurelio Vantongeren";
inline constexpr const char* kSampleName2 = "Bexley Marchetti";

/// Adds the sample meeting and its two participants to `v`; `meeting` receives its id.
inline void add_sample_meeting(core::Vault& v, std::int64_t& meeting) {
  auto series = core::ensure_series(v, "Northern Sea Dialogue", core::Rule::chatham_house);
  ASSERT_TRUE(series.ok()) << series.error().message;
  core::NewMeeting m;
  m.series_id = *series;
  m.title = "Round Three";
  m.starts_at = "2024-05-02T09:00:00Z";
  auto id = core::create_meeting(v, m);
  ASSERT_TRUE(id.ok()) << id.error().message;
  meeting = *id;
  core::NewParticipant p1;
  p1.key = "p1";
  p1.name = kSampleName1;
  p1.descriptor = "a retired admiral";
  p1.disclosure = {core::DisclosureLevel::role, core::DisclosureLevel::anonymous};
  ASSERT_TRUE(core::add_participant(v, meeting, p1).ok());
  core::NewParticipant p2;
  p2.key = "p2";
  p2.name = kSampleName2;
  p2.disclosure = {core::DisclosureLevel::named, core::DisclosureLevel::pseudonym};
  ASSERT_TRUE(core::add_participant(v, meeting, p2).ok());
}

}  // namespace bc::test
