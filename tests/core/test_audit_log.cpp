// The hash-chained audit log.
#include "backchannel/core/audit_log.h"

#include "backchannel/core/notes.h"
#include "vault_fixture.h"
#include "vault_store_access.h"

namespace bc::core {
namespace {

class AuditTest : public test::VaultTest {
 protected:
  void SetUp() override {
    VaultTest::SetUp();
    meeting = import_sample();
    NewNote n;
    n.meeting_id = meeting;
    n.text = "AUDIT-CANARY note text";
    note = *add_note(vault, n);
    ASSERT_TRUE(edit_note(vault, note, "edited").ok());
  }
  std::int64_t meeting = 0, note = 0;
};

TEST_F(AuditTest, ChangesAreRecordedAndVerify) {
  auto report = verify_audit_log(vault);
  ASSERT_TRUE(report.ok()) << report.error().message;
  auto entries = recent_audit_entries(vault, 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(static_cast<std::int64_t>(entries->size()), report->entries);
  std::vector<std::string> actions;
  for (auto it = entries->rbegin(); it != entries->rend(); ++it) actions.push_back(it->action);
  EXPECT_EQ(actions.front(), "vault.create");
  EXPECT_EQ(actions.back(), "note.edit");
  EXPECT_NE(std::find(actions.begin(), actions.end(), "meeting.import"), actions.end());
  EXPECT_EQ((*entries)[0].subject, "note " + std::to_string(note));
}

TEST_F(AuditTest, EntriesNeverContainNamesOrText) {
  auto entries = recent_audit_entries(vault, 100);
  for (const auto& e : *entries) {
    for (const char* secret : {"AUDIT-CANARY", "Hashemi", "Okonkwo", "Vienna", "edited"}) {
      EXPECT_EQ(e.subject.find(secret), std::string::npos);
      EXPECT_EQ(e.action.find(secret), std::string::npos);
    }
  }
}

TEST_F(AuditTest, AlteredEntryIsDetected) {
  ASSERT_TRUE(bc::core::vault_store(vault).db().exec("UPDATE audit_log SET subject = 'note 1' WHERE seq = 3").ok());
  auto r = verify_audit_log(vault);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::integrity);
  EXPECT_NE(r.error().message.find("entry 3"), std::string::npos) << r.error().message;
}

TEST_F(AuditTest, RemovedEntryIsDetected) {
  ASSERT_TRUE(bc::core::vault_store(vault).db().exec("DELETE FROM audit_log WHERE seq = 2").ok());
  auto r = verify_audit_log(vault);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("entry 2"), std::string::npos) << r.error().message;
}

TEST_F(AuditTest, ReorderedEntriesAreDetected) {
  auto& db = bc::core::vault_store(vault).db();
  ASSERT_TRUE(db.exec("UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3;"
                      "UPDATE audit_log SET seq = 3 WHERE seq = -1;").ok());
  EXPECT_FALSE(verify_audit_log(vault).ok());
}

TEST_F(AuditTest, ForgedEntryWithoutTheKeyIsDetected) {
  auto& db = bc::core::vault_store(vault).db();
  ASSERT_TRUE(db.exec("INSERT INTO audit_log(seq, at, action, subject, prev_mac, mac) SELECT seq + 1, at, 'note.delete', "
                      "subject, mac, zeroblob(32) FROM audit_log ORDER BY seq DESC LIMIT 1").ok());
  auto r = verify_audit_log(vault);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("altered"), std::string::npos);
}

}  // namespace
}  // namespace bc::core
