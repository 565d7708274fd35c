// Vault: the core entry point (create, open, lock, recover) and process hardening.
#include "backchannel/core/vault.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include "backchannel/core/meetings.h"
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
