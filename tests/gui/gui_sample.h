// What the headless GUI tests share: the sample "Round Three" meeting of the "Northern Sea
// Dialogue" with two participants, p1 protected (role / anonymous) and p2 named (named /
// pseudonym), and typing a passphrase on the start screen.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/vault.h"
#include "backchannel/gui/keys.h"
#include "gui_harness.h"

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

/// Types `pass` into the start screen's passphrase field, presses Enter and waits until Argon2id
/// has finished (whether or not the vault opened).
inline void submit_passphrase(GuiHarness& h, const char* pass) {
  h.frames(3);
  ASSERT_TRUE(h.shows("Open a vault")) << h.screen_text();
  ASSERT_TRUE(h.click_field_below("Passphrase")) << h.screen_text();
  h.type(pass);
  h.press(gui::keys::kEnter);
  ASSERT_TRUE(h.pump_until([&] { return !h.app().start_view().working(); }));
}

/// Opens a menu of the menu bar and clicks one of its items (a prefix of its label).
inline void click_menu_item(GuiHarness& h, const char* name, const char* item) {
  ASSERT_TRUE(h.click_in("##main", name)) << h.screen_text();
  h.frames(1);
  std::optional<Found> f;
  for (const Found& x : h.find_all(item))
    if (x.run->window.rfind("##Menu", 0) == 0) {
      f = x;
      break;
    }
  ASSERT_TRUE(f) << item << " is not in the " << name << " menu:\n" << h.screen_text();
  ASSERT_TRUE(h.click_found(*f));
  h.frames(2);
}

}  // namespace bc::test
