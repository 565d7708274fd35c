// One write path per record (app/core/src/record_writer.h): every public write reports each
// record it writes to the change observer, and the three ways a meeting enters a vault (typed in,
// imported from a meeting file, merged from an archive) write the same records the same way.
#include "record_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "archive_fixture.h"
#include "backchannel/core/archive.h"
#include "backchannel/core/meeting_import.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "vault_store_access.h"

namespace bc::core {
namespace {

std::string name(RecordKind k) {
  switch (k) {
    case RecordKind::series: return "series";
    case RecordKind::meeting: return "meeting";
    case RecordKind::participant: return "participant";
    case RecordKind::attendance: return "attendance";
    case RecordKind::disclosure: return "disclosure";
    case RecordKind::note: return "note";
    case RecordKind::note_revision: return "revision";
    case RecordKind::thread: return "thread";
    case RecordKind::thread_link: return "thread-link";
    case RecordKind::thread_status: return "thread-status";
    case RecordKind::paper: return "paper";
    case RecordKind::paper_author: return "paper-author";
    case RecordKind::paper_section: return "paper-section";
    case RecordKind::paper_text: return "paper-text";
    case RecordKind::paper_citation: return "paper-citation";
    case RecordKind::paper_approval: return "paper-approval";
    case RecordKind::paper_copy: return "paper-copy";
  }
  return "?";
}

std::string name(ChangeOp op) {
  switch (op) {
    case ChangeOp::created: return "created";
    case ChangeOp::updated: return "updated";
    case ChangeOp::deleted: return "deleted";
    case ChangeOp::purged: return "purged";
  }
  return "?";
}

// "kind op [field]" for each change, in order.
struct Recorder {
  std::vector<RecordChange> changes;
  void attach(Vault& v) {
    set_change_observer(v, [this](Vault&, const RecordChange& c) -> Status {
      changes.push_back(c);
      return {};
    });
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& c : changes) out.push_back(name(c.kind) + " " + name(c.op) + (c.field.empty() ? "" : " " + c.field));
    return out;
  }
  // How many changes of each "kind op", ignoring order.
  std::map<std::string, int> histogram() const {
    std::map<std::string, int> out;
    for (const auto& c : changes) ++out[name(c.kind) + " " + name(c.op)];
    return out;
  }
  void clear() { changes.clear(); }
};

class RecordWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a = test::make_vault(dir / "a");
    recorder.attach(a);
  }
  test::TempDir dir;
  Vault a;
  Recorder recorder;
};

TEST_F(RecordWriterTest, EveryManualWriteReportsTheRecordsItWrites) {
  auto series = ensure_series(a, "Gulf Waters", Rule::chatham_house);
  ASSERT_TRUE(series.ok());
  EXPECT_EQ(recorder.lines(), std::vector<std::string>{"series created"});
  ASSERT_EQ(recorder.changes[0].id, *series);
  EXPECT_EQ(recorder.changes[0].uid.size(), 32u);

  recorder.clear();
  NewMeeting nm;
  nm.series_id = *series;
  nm.title = "Round 1";
  nm.starts_at = "2026-03-01T09:00:00Z";
  auto meeting = create_meeting(a, nm);
  ASSERT_TRUE(meeting.ok());
  EXPECT_EQ(recorder.lines(), std::vector<std::string>{"meeting created"});

  recorder.clear();
  NewParticipant np;
  np.key = "k";
  np.name = "Katherine Holloway";
  np.aliases = {"Kate"};
  ASSERT_TRUE(add_participant(a, *meeting, np).ok());
  EXPECT_EQ(recorder.lines(), (std::vector<std::string>{"participant created", "attendance created"}));

  recorder.clear();
  ParticipantUpdate pu;
  pu.aliases = std::vector<std::string>{"Kate", "K. Holloway"};
  pu.disclosure[1] = DisclosureLevel::hidden;
  ASSERT_TRUE(update_participant(a, *meeting, "k", pu).ok());
  EXPECT_EQ(recorder.lines(), (std::vector<std::string>{"participant updated aliases", "disclosure updated public"}));

  // The fields of vault schema 6 are reported like the others.
  recorder.clear();
  ParticipantUpdate forms;
  forms.descriptor_fa = "یک دیپلمات";
  forms.short_forms = std::vector<ShortFormRule>{{ShortFormOf::name, "Holloway", ShortFormUse::alone}};
  ASSERT_TRUE(update_participant(a, *meeting, "k", forms).ok());
  EXPECT_EQ(recorder.lines(), (std::vector<std::string>{"participant updated descriptor_fa", "participant updated short_forms"}));

  recorder.clear();
  MeetingUpdate mu;
  mu.location = "Muscat";
  ASSERT_TRUE(update_meeting(a, *meeting, mu).ok());
  EXPECT_EQ(recorder.lines(), std::vector<std::string>{"meeting updated location"});

  recorder.clear();
  NewNote nn;
  nn.meeting_id = *meeting;
  nn.speaker_key = "k";
  nn.text = "A hotline between the navies.";
  auto note = add_note(a, nn);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(recorder.lines(), (std::vector<std::string>{"note created", "revision created"}));
  EXPECT_EQ(recorder.changes[0].meeting_id, *meeting);

  recorder.clear();
  ASSERT_TRUE(edit_note(a, *note, "A hotline between the two navies.").ok());
  EXPECT_EQ(recorder.lines(), (std::vector<std::string>{"revision created", "note updated text"}));
  ASSERT_TRUE(edit_note(a, *note, "A hotline between the two navies.").ok());
  EXPECT_EQ(recorder.changes.size(), 2u) << "an edit that changes nothing writes nothing";

  recorder.clear();
  ASSERT_TRUE(delete_note(a, *note).ok());
  ASSERT_TRUE(purge_deleted_notes(a).ok());
  EXPECT_EQ(recorder.lines(), (std::vector<std::string>{"note deleted", "note purged"}));

  // A failed write reports nothing that stays: the observer saw what was attempted, and the
  // transaction rolled back; team sync records changes inside the same transaction.
  recorder.clear();
  nn.speaker_key = "nobody";
  EXPECT_FALSE(add_note(a, nn).ok());
  EXPECT_TRUE(recorder.changes.empty());
}

TEST_F(RecordWriterTest, AnObserverThatFailsFailsTheWriteAndNothingOfItStays) {
  const std::int64_t meeting = test::import_sample_into(a);
  const std::int64_t notes_before = *vault_store(a).db().query_int("SELECT count(*) FROM notes");
  set_change_observer(a, [](Vault&, const RecordChange& c) -> Status {
    if (c.kind == RecordKind::note_revision) return fail(ErrorCode::io, "the change log is full");
    return {};
  });
  NewNote nn;
  nn.meeting_id = meeting;
  nn.text = "A hotline between the two navies.";
  auto added = add_note(a, nn);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().message, "the change log is full");
  EXPECT_EQ(*vault_store(a).db().query_int("SELECT count(*) FROM notes"), notes_before) << "no change escapes the log";
}

TEST_F(RecordWriterTest, WritesMadeUnderUnreportedWritesAreNotReported) {
  const std::int64_t meeting = test::import_sample_into(a);
  auto notes = list_notes(a, meeting);
  ASSERT_TRUE(notes.ok() && !notes->empty());
  recorder.clear();
  {
    UnreportedWrites quiet(a);
    {
      UnreportedWrites nested(a);
      ASSERT_TRUE(edit_note(a, notes->front().id, "first quiet edit").ok());
    }
    ASSERT_TRUE(edit_note(a, notes->front().id, "second quiet edit").ok());
  }
  EXPECT_TRUE(recorder.changes.empty());
  ASSERT_TRUE(edit_note(a, notes->front().id, "a reported edit").ok());
  EXPECT_EQ(recorder.lines(), (std::vector<std::string>{"revision created", "note updated text"}));
}

TEST_F(RecordWriterTest, PurgeNotesErasesOnlyTheNamedNotesAndTombstonesUidsNeverHeld) {
  const std::int64_t meeting = test::import_sample_into(a);
  auto notes = list_notes(a, meeting);
  ASSERT_TRUE(notes.ok() && notes->size() >= 3);
  ASSERT_TRUE(delete_note(a, (*notes)[0].id).ok());
  ASSERT_TRUE(delete_note(a, (*notes)[1].id).ok());
  const std::string never_held(32, 'e');
  recorder.clear();
  auto& db = vault_store(a).db();
  {
    auto tx = storage::Transaction::begin(db);
    ASSERT_TRUE(tx.ok());
    auto n = RecordWriter(a).purge_notes({(*notes)[1].uid, (*notes)[2].uid, never_held});
    ASSERT_TRUE(n.ok()) << n.error().message;
    EXPECT_EQ(*n, 2) << "a deleted note and a live one; the third uid was never here";
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(recorder.histogram(), (std::map<std::string, int>{{"note purged", 2}}));
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM notes WHERE uid = '" + (*notes)[0].uid + "'"), 1)
      << "the other deleted note waits for its own purge";
  for (const auto& uid : {(*notes)[1].uid, (*notes)[2].uid, never_held})
    EXPECT_EQ(*db.query_text("SELECT kind FROM note_tombstones WHERE uid = '" + uid + "'"), "purged");
  EXPECT_FALSE(RecordWriter(a).purge_notes({"'; DROP TABLE notes; --"}).ok());
}

TEST_F(RecordWriterTest, TheRevisionsOfAnEditedNoteAreNumberedInOrderAndTheLastIsCurrent) {
  const std::int64_t meeting = test::import_sample_into(a);
  auto notes = list_notes(a, meeting);
  ASSERT_TRUE(notes.ok() && !notes->empty());
  const std::int64_t id = notes->front().id;
  for (const char* text : {"second", "third", "fourth"}) ASSERT_TRUE(edit_note(a, id, text).ok());
  auto revs = note_revisions(a, id);
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 4u);
  for (std::size_t i = 0; i < revs->size(); ++i) EXPECT_EQ((*revs)[i].revision, static_cast<int>(i + 1));
  EXPECT_EQ(revs->back().text, "fourth");
  EXPECT_EQ(get_note(a, id)->text, "fourth");
  EXPECT_EQ(get_note(a, id)->revision, 4);
  // The search text follows the current text (one function computes it).
  EXPECT_EQ(*vault_store(a).db().query_int("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'fourth'"), 1);
  EXPECT_EQ(*vault_store(a).db().query_int("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'third'"), 0);
}

// The sample meeting typed in by hand, imported from its file, and merged from an archive of the
// first vault: the same records, reported the same way.
TEST_F(RecordWriterTest, ManualEntryMeetingImportAndArchiveImportWriteTheSameRecords) {
  const std::int64_t meeting = test::import_sample_into(a);
  const auto imported = recorder.histogram();
  auto participants = list_participants(a, meeting);
  auto notes = list_notes(a, meeting);
  ASSERT_TRUE(participants.ok() && notes.ok());
  const int n_participants = static_cast<int>(participants->size());
  const int n_notes = static_cast<int>(notes->size());
  EXPECT_EQ(imported.at("participant created"), n_participants);
  EXPECT_EQ(imported.at("attendance created"), n_participants);
  EXPECT_EQ(imported.at("note created"), n_notes);
  EXPECT_EQ(imported.at("revision created"), n_notes);

  // By hand, in a second vault, through the public API.
  Vault b = test::make_vault(dir / "b");
  Recorder by_hand;
  by_hand.attach(b);
  auto m = get_meeting(a, meeting);
  ASSERT_TRUE(m.ok());
  auto s = ensure_series(b, m->series_title, m->series_rule);
  ASSERT_TRUE(s.ok());
  NewMeeting nm{*s, m->title, m->starts_at, m->location, m->location_disclosure, m->rule, m->public_terms};
  auto mb = create_meeting(b, nm);
  ASSERT_TRUE(mb.ok());
  for (const auto& p : *participants) {
    NewParticipant np{p.key, p.name, p.affiliation, p.delegation, p.descriptor, p.aliases, p.disclosure, p.descriptor_fa,
                      p.short_forms};
    ASSERT_TRUE(add_participant(b, *mb, np).ok());
  }
  std::map<std::int64_t, std::string> key_of;
  for (const auto& p : *participants) key_of[p.id] = p.key;
  for (const auto& n : *notes) {
    NewNote nn;
    nn.meeting_id = *mb;
    if (n.speaker_id) nn.speaker_key = key_of[*n.speaker_id];
    nn.kind = n.kind;
    nn.at = n.at;
    nn.visibility = n.visibility;
    nn.text = n.text;
    ASSERT_TRUE(add_note(b, nn).ok());
  }
  EXPECT_EQ(by_hand.histogram(), imported);

  // From an archive of vault a, into a third vault.
  Vault c = test::make_vault(dir / "c");
  Recorder from_archive;
  from_archive.attach(c);
  ExportOptions eo;
  eo.recipients.emplace_back(test::recipient_of(c));
  test::Bytes file;
  ASSERT_TRUE(export_archive(a, eo, file.writer()).ok());
  ImportOptions io;
  io.trust_fingerprint = vault_identity(a)->fingerprint;
  auto r = import_archive(c, file.reader(), io);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(from_archive.histogram(), imported);
  // The same uids, too: an archive carries the records themselves.
  std::set<std::string> uids_a, uids_c;
  for (const auto& ch : recorder.changes) uids_a.insert(ch.uid);
  for (const auto& ch : from_archive.changes) uids_c.insert(ch.uid);
  EXPECT_EQ(uids_a, uids_c);

  // Merging the same archive again writes nothing at all.
  from_archive.clear();
  auto again = import_archive(c, file.reader(), io);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(from_archive.changes.empty());
}

}  // namespace
}  // namespace bc::core
