// Notes: add, edit with revisions, delete, purge.
#include "backchannel/core/notes.h"

#include "backchannel/core/search.h"
#include "vault_fixture.h"
#include "vault_store_access.h"

namespace bc::core {
namespace {

class NotesTest : public test::VaultTest {
 protected:
  void SetUp() override {
    VaultTest::SetUp();
    meeting = import_sample();
  }
  std::int64_t add(const std::string& text, std::optional<std::string> speaker = "a") {
    NewNote n;
    n.meeting_id = meeting;
    n.speaker_key = std::move(speaker);
    n.text = text;
    auto r = add_note(vault, n);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : 0;
  }
  std::int64_t meeting = 0;
};

TEST_F(NotesTest, AddStoresEverything) {
  NewNote n;
  n.meeting_id = meeting;
  n.speaker_key = "c";
  n.kind = NoteKind::proposal;
  n.at = "2008-04-09T15:00:00+01:00";
  n.visibility = Visibility::organizers;
  n.text = "A joint dust-storm early-warning system.\nSecond line.";
  auto id = add_note(vault, n);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto got = get_note(vault, *id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->text, n.text);
  EXPECT_EQ(got->kind, NoteKind::proposal);
  EXPECT_EQ(got->visibility, Visibility::organizers);
  EXPECT_EQ(*got->at, "2008-04-09T14:00:00Z");
  EXPECT_EQ(got->revision, 1);
  EXPECT_EQ(got->uid.size(), 32u);
}

TEST_F(NotesTest, DefaultTimeIsNow) {
  auto id = add("now");
  auto got = get_note(vault, id);
  ASSERT_TRUE(got->at.has_value());
  EXPECT_EQ(got->at->substr(0, 2), "20");
  EXPECT_EQ(got->at->back(), 'Z');
}

TEST_F(NotesTest, UnknownSpeakerOrMeetingIsNotFoundAndAddsNothing) {
  const auto before = count("notes");
  NewNote n;
  n.meeting_id = meeting;
  n.speaker_key = "nobody";
  n.text = "x";
  auto r = add_note(vault, n);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  n.speaker_key.reset();
  n.meeting_id = 999;
  EXPECT_EQ(add_note(vault, n).error().code, ErrorCode::not_found);
  EXPECT_EQ(count("notes"), before);
}

TEST_F(NotesTest, InvalidTextIsRejected) {
  NewNote n;
  n.meeting_id = meeting;
  for (const std::string& bad : {std::string("\xff\xfe"), std::string("a\0b", 3), std::string("x\xE2\x80\xAEy"),
                                 std::string(Limits::kMaxNoteText + 1, 'x'), std::string("   "), std::string()}) {
    n.text = bad;
    auto r = add_note(vault, n);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  }
  n.text = "tabs\tand\nnewlines are fine";
  EXPECT_TRUE(add_note(vault, n).ok());
}

TEST_F(NotesTest, EditKeepsEveryRevision) {
  const auto id = add("first text");
  ASSERT_TRUE(edit_note(vault, id, "second text").ok());
  ASSERT_TRUE(edit_note(vault, id, "third text").ok());
  ASSERT_TRUE(edit_note(vault, id, "third text").ok()) << "no-op edit";
  auto revs = note_revisions(vault, id);
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 3u);
  EXPECT_EQ((*revs)[0].text, "first text");
  EXPECT_EQ((*revs)[1].text, "second text");
  EXPECT_EQ((*revs)[2].text, "third text");
  EXPECT_EQ((*revs)[2].revision, 3);
  auto n = get_note(vault, id);
  EXPECT_EQ(n->text, "third text");
  EXPECT_EQ(n->revision, 3);
  EXPECT_EQ(edit_note(vault, 12345, "x").error().code, ErrorCode::not_found);
}

TEST_F(NotesTest, EditUpdatesTheSearchIndex) {
  const auto id = add("zanzibar is mentioned");
  ASSERT_EQ(search_notes(vault, "zanzibar")->size(), 1u);
  ASSERT_TRUE(edit_note(vault, id, "now about kathmandu").ok());
  EXPECT_EQ(search_notes(vault, "zanzibar")->size(), 0u);
  EXPECT_EQ(search_notes(vault, "kathmandu")->size(), 1u);
}

TEST_F(NotesTest, DeleteHidesAndPurgeErases) {
  const auto keep = add("keep this one");
  const auto gone = add("PURGE-CANARY-5521 secret remark");
  ASSERT_TRUE(delete_note(vault, gone).ok());
  EXPECT_EQ(get_note(vault, gone).error().code, ErrorCode::not_found);
  EXPECT_EQ(search_notes(vault, "PURGE-CANARY-5521")->size(), 0u);
  for (const auto& n : *list_notes(vault, meeting)) EXPECT_NE(n.id, gone);
  EXPECT_EQ(*bc::core::vault_store(vault).db().query_int("SELECT count(*) FROM note_revisions WHERE note_id = " + std::to_string(gone)), 1)
      << "text stays until purge";
  auto purged = purge_deleted_notes(vault);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(*bc::core::vault_store(vault).db().query_int("SELECT count(*) FROM note_revisions WHERE note_id = " + std::to_string(gone)), 0);
  EXPECT_EQ(*bc::core::vault_store(vault).db().query_int("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH '\"canary\"'"), 0);
  EXPECT_TRUE(get_note(vault, keep).ok());
  EXPECT_EQ(std::filesystem::file_size(dir / "vault" / "vault.db-wal"), 0u) << "journal truncated after purge";
}

TEST_F(NotesTest, NotesAreListedInTimeOrder) {
  auto notes = list_notes(vault, meeting);
  ASSERT_TRUE(notes.ok());
  for (std::size_t i = 1; i < notes->size(); ++i) EXPECT_LE(*(*notes)[i - 1].at, *(*notes)[i].at);
}

}  // namespace
}  // namespace bc::core
