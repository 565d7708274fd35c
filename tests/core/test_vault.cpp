// Vault: the core entry point (create, open, lock, recover) and process hardening.
#include "backchannel/core/vault.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/passphrase_strength.h"
#include "backchannel/core/summary.h"
#include "vault_fixture.h"
#include "vault_store_access.h"

namespace bc::core {
namespace {

class CoreVaultTest : public test::VaultTest {};

TEST_F(CoreVaultTest, LockRefusesFurtherWork) {
  import_sample();
  EXPECT_TRUE(vault.is_open());
  vault.lock();
  EXPECT_FALSE(vault.is_open());
  EXPECT_TRUE(bc::core::vault_store(vault).audit_key().empty());
  auto reopened = Vault::open(dir / "vault", test::secret("test passphrase"));
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(list_meetings(*reopened)->size(), 1u);
}

TEST_F(CoreVaultTest, WrongPassphraseIsAuthFailed) {
  vault.lock();
  auto v = Vault::open(dir / "vault", test::secret("test passphrasf"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::auth_failed);
}

TEST_F(CoreVaultTest, ChangePassphraseOnALockedVaultIsRefused) {
  vault.lock();
  EXPECT_EQ(vault.change_passphrase(test::secret("x")).error().code, ErrorCode::usage);
}

TEST(ProcessHardening, DisablesCoreDumpsAndDumpability) {
  ASSERT_TRUE(harden_process().ok());
  struct rlimit rl;
  ASSERT_EQ(getrlimit(RLIMIT_CORE, &rl), 0);
  EXPECT_EQ(rl.rlim_cur, 0u);
  EXPECT_EQ(rl.rlim_max, 0u);
  EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

}  // namespace
}  // namespace bc::core

namespace bc::core {
namespace {

TEST_F(CoreVaultTest, AnotherConnectionSeesTheSameVaultAndLocksIndependently) {
  import_sample();
  auto second = vault.another_connection();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(list_meetings(*second)->size(), 1u);
  second->lock();
  EXPECT_TRUE(vault.is_open());
  vault.lock();
  EXPECT_FALSE(vault.another_connection().ok());
}

}  // namespace
}  // namespace bc::core

namespace bc::core {
namespace {

/// Every attribution label and pseudonym of a meeting's summary (per-meeting and stable letters).
std::string pseudonym_view(Vault& v, std::int64_t meeting) {
  std::string out;
  for (bool stable : {false, true}) {
    SummaryOptions o;
    o.stable_pseudonyms = stable;
    auto s = build_summary(v, meeting, o);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    if (!s) return out;
    for (const auto& p : s->attendance.pseudonyms) out += p + "\n";
    for (const auto& st : s->statements) out += st.attribution.label + "\n";
  }
  return out;
}

std::vector<std::string> audit_actions(Vault& v) {
  std::vector<std::string> out;
  for (const auto& e : *recent_audit_entries(v, 1000)) out.insert(out.begin(), e.action);
  return out;
}

TEST_F(CoreVaultTest, RekeyKeepsIdentityPseudonymsAndAnIntactAuditChain) {
  const std::int64_t meeting = import_sample();
  const std::string letters = pseudonym_view(vault, meeting);
  ASSERT_NE(letters.find("Participant"), std::string::npos) << "the sample should have a pseudonymous participant";
  const std::string fingerprint = vault_identity(vault)->fingerprint;
  const auto entries = verify_audit_log(vault)->entries;
  vault.lock();

  RekeyOutcome out;
  std::vector<RekeyStep> steps;
  RekeyOptions o;
  o.progress = [&](RekeyStep st) { steps.push_back(st); };
  auto v = Vault::rekey(dir / "vault", test::secret("test passphrase"), o, out);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(out.committed);
  EXPECT_EQ(steps.back(), RekeyStep::finished);
  EXPECT_EQ(out.recovery_code.size(), 35u);
  EXPECT_EQ(vault_identity(*v)->fingerprint, fingerprint) << "fingerprints and pins must stay valid";
  EXPECT_EQ(pseudonym_view(*v, meeting), letters) << "pseudonym letters already sent out must not change";
  auto report = verify_audit_log(*v);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->entries, entries + 1);
  EXPECT_EQ(audit_actions(*v).back(), "vault.rekey");
  auto check = check_vault(*v);
  EXPECT_TRUE(check.ok()) << check.error().message;
}

TEST_F(CoreVaultTest, RekeyRefusesABrokenAuditChainAndChangesNothing) {
  import_sample();
  ASSERT_TRUE(vault_store(vault).db().exec("UPDATE audit_log SET subject = 'meeting 9' WHERE seq = 2").ok());
  vault.lock();
  const auto before = test::snapshot(dir / "vault");
  RekeyOutcome out;
  auto v = Vault::rekey(dir / "vault", test::secret("test passphrase"), {}, out);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::integrity);
  EXPECT_FALSE(out.committed);
  EXPECT_EQ(test::snapshot(dir / "vault"), before) << "re-sealing would have laundered the altered entry";
}

TEST_F(CoreVaultTest, PasswdRecoverAndNewRecoveryCodeAreAudited) {
  ASSERT_TRUE(vault.change_passphrase(test::secret("second test passphrase"), KdfProfile::interactive).ok());
  auto code = vault.new_recovery_code();
  ASSERT_TRUE(code.ok()) << code.error().message;
  vault.lock();
  auto r = Vault::recover(dir / "vault", code->view(), test::secret("third test passphrase"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto actions = audit_actions(*r);
  ASSERT_GE(actions.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(actions.end() - 3, actions.end()),
            (std::vector<std::string>{"vault.passwd", "vault.recovery_code", "vault.recover"}));
  EXPECT_TRUE(verify_audit_log(*r).ok());
  for (const auto& e : *recent_audit_entries(*r, 3)) EXPECT_EQ(e.subject, "vault") << "entries name actions only";
}

TEST_F(CoreVaultTest, ANewRecoveryCodeThatCannotBeSavedChangesNothing) {
  const auto keys = test::read_file(dir / "vault" / "vault.keys");
  auto code = vault.new_recovery_code([](const crypto::SecureBuffer&) -> Status { return fail(ErrorCode::io, "full"); });
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(test::read_file(dir / "vault" / "vault.keys"), keys);
  EXPECT_EQ(audit_actions(vault).back(), "vault.create");
}

TEST_F(CoreVaultTest, PassphraseCostNamesItsProfile) {
  auto c = vault.passphrase_cost();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->profile, KdfProfile::interactive);
  ASSERT_TRUE(vault.change_passphrase(test::secret("test passphrase"), KdfProfile::moderate).ok());
  EXPECT_EQ(vault.passphrase_cost()->profile, KdfProfile::moderate);
  EXPECT_EQ(vault.passphrase_cost()->memlimit, 256u << 20);
}

TEST(PassphraseStrength, TheRuleSaysWhatIsWeakWithoutRepeatingThePassphrase) {
  for (const char* weak : {"password123", "zxcvbnm,./", "1234567890", "Summer2024!", "test passphrase"}) {
    const Status st = require_strong_passphrase(test::secret(weak));
    ASSERT_FALSE(st.ok()) << weak;
    EXPECT_EQ(st.error().code, ErrorCode::bad_input);
    EXPECT_EQ(st.error().remedy, Remedy::allow_weak_passphrase);
    EXPECT_EQ(st.error().message.find(weak), std::string::npos) << st.error().message;
    EXPECT_EQ(st.error().message.find('\n'), std::string::npos);
    EXPECT_NE(st.error().message.find("too weak"), std::string::npos);
  }
  EXPECT_NE(require_strong_passphrase(test::secret("zxcvbnm,./")).error().message.find("keyboard pattern"), std::string::npos);
  EXPECT_NE(require_strong_passphrase(test::secret("password123")).error().message.find("common words"), std::string::npos);
  for (const char* strong : {"correct horse battery staple", "Tr4ck-II passphrase zq81x vellum", "walnut ferry Hormuz quiet 41"})
    EXPECT_TRUE(require_strong_passphrase(test::secret(strong)).ok()) << strong;
  EXPECT_FALSE(require_strong_passphrase(test::secret("a")).ok());
  EXPECT_EQ(estimate_passphrase_strength("").score, 0);
  EXPECT_GE(estimate_passphrase_strength("correct horse battery staple").score, 3);
}

}  // namespace
}  // namespace bc::core
