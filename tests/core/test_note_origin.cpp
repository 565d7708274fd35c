// Which notes of a shared series another device wrote (note_origin.h): two vaults in one team
// share a folder; each sees the other's notes as arriving from the other's device and member,
// and none of its own.
#include <gtest/gtest.h>

#include <algorithm>

#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/note_origin.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/sync.h"
#include "backchannel/core/team.h"
#include "vault_fixture.h"

namespace bc::test {
namespace {

class NoteOriginTest : public VaultTest {
 protected:
  void SetUp() override {
    VaultTest::SetUp();
    std::filesystem::create_directories(dir / "folder");
    auto c = core::Vault::create(dir / "member", secret("member passphrase"), crypto::KdfProfile::interactive);
    ASSERT_TRUE(c.ok());
    member = std::move(c->vault);
    meeting = import_sample();
    auto m = core::get_meeting(vault, meeting);
    ASSERT_TRUE(m.ok());
    auto ida = core::vault_identity(vault);
    auto idb = core::vault_identity(member);
    ASSERT_TRUE(ida.ok() && idb.ok());
    convenor_fp = ida->fingerprint;
    member_fp = idb->fingerprint;
    ASSERT_TRUE(core::create_team(vault, m->series_id).ok());
    ASSERT_TRUE(core::add_team_member(vault, m->series_id, {idb->recipient, idb->signing_key, idb->fingerprint}, member_fp).ok());
    ASSERT_TRUE(core::sync_once(vault, dir / "folder").ok());
    ASSERT_TRUE(core::sync_once(member, dir / "folder").ok());
    ASSERT_TRUE(core::accept_team_signer(member, convenor_fp).ok());
    ASSERT_TRUE(core::sync_once(member, dir / "folder").ok());
    auto ms = core::list_meetings(member);
    ASSERT_TRUE(ms.ok() && ms->size() == 1);
    member_meeting = ms->front().id;
  }

  std::int64_t note_id(core::Vault& v, std::int64_t m, const std::string& text) {
    auto ns = core::list_notes(v, m);
    if (!ns) return 0;
    auto it = std::find_if(ns->begin(), ns->end(), [&](const core::Note& n) { return n.text == text; });
    return it == ns->end() ? 0 : it->id;
  }

  core::Vault member;
  std::int64_t meeting = 0, member_meeting = 0;
  std::string convenor_fp, member_fp;
};

TEST_F(NoteOriginTest, EachVaultSeesTheOthersNotesWithDeviceAndMemberAndNoneOfItsOwn) {
  core::NewNote n;
  n.meeting_id = member_meeting;
  n.text = "Written by the member.";
  ASSERT_TRUE(core::add_note(member, n).ok());
  ASSERT_TRUE(core::sync_once(member, dir / "folder").ok());
  ASSERT_TRUE(core::sync_once(vault, dir / "folder").ok());

  auto here = core::notes_from_other_devices(vault, meeting);
  ASSERT_TRUE(here.ok()) << here.error().message;
  const std::int64_t from_member = note_id(vault, meeting, "Written by the member.");
  ASSERT_NE(from_member, 0);
  ASSERT_EQ(here->size(), 1u) << "the sample's own notes were written here";
  ASSERT_TRUE(here->count(from_member));
  EXPECT_EQ(here->at(from_member).member_fingerprint, member_fp);
  EXPECT_EQ(here->at(from_member).device.size(), 32u);

  // In the member's vault: every note of the sample came from the convenor, theirs did not.
  auto there = core::notes_from_other_devices(member, member_meeting);
  ASSERT_TRUE(there.ok());
  auto notes = core::list_notes(member, member_meeting);
  ASSERT_TRUE(notes.ok());
  EXPECT_EQ(there->size(), notes->size() - 1);
  EXPECT_FALSE(there->count(note_id(member, member_meeting, "Written by the member.")));
  for (const auto& [id, origin] : *there) EXPECT_EQ(origin.member_fingerprint, convenor_fp) << id;
}

TEST_F(NoteOriginTest, AnEditFromTheOtherDeviceDoesNotMakeANoteTheirs) {
  core::NewNote n;
  n.meeting_id = meeting;
  n.text = "Written by the convenor.";
  auto id = core::add_note(vault, n);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(core::sync_once(vault, dir / "folder").ok());
  ASSERT_TRUE(core::sync_once(member, dir / "folder").ok());
  const std::int64_t theirs = note_id(member, member_meeting, "Written by the convenor.");
  ASSERT_NE(theirs, 0);
  ASSERT_TRUE(core::edit_note(member, theirs, "Written by the convenor, corrected by the member.").ok());
  ASSERT_TRUE(core::sync_once(member, dir / "folder").ok());
  ASSERT_TRUE(core::sync_once(vault, dir / "folder").ok());
  auto here = core::notes_from_other_devices(vault, meeting);
  ASSERT_TRUE(here.ok());
  EXPECT_FALSE(here->count(*id));
}

}  // namespace
}  // namespace bc::test
