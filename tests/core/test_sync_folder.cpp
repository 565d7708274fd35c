// The vault's team sync folder (sync_folder.h): kept inside the vault, an existing folder only.
#include <gtest/gtest.h>

#include <filesystem>

#include "backchannel/core/sync_folder.h"
#include "vault_fixture.h"

namespace bc::test {
namespace {

namespace fs = std::filesystem;

using SyncFolderTest = VaultTest;

TEST_F(SyncFolderTest, UnsetUntilChosenThenKeptAcrossReopeningAndUnsetAgain) {
  auto none = core::sync_folder(vault);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  fs::create_directories(dir / "team");
  ASSERT_TRUE(core::set_sync_folder(vault, dir / "team" / ".." / "team").ok());
  vault.lock();
  auto reopened = core::Vault::open(dir / "vault", secret("test passphrase"));
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  auto kept = core::sync_folder(*reopened);
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ(**kept, (dir / "team").lexically_normal());
  ASSERT_TRUE(core::set_sync_folder(*reopened, {}).ok());
  auto unset = core::sync_folder(*reopened);
  ASSERT_TRUE(unset.ok());
  EXPECT_FALSE(unset->has_value());
}

TEST_F(SyncFolderTest, AFileOrAMissingFolderIsRefusedAndTheChosenOneStays) {
  fs::create_directories(dir / "team");
  ASSERT_TRUE(core::set_sync_folder(vault, dir / "team").ok());
  write_file(dir / "a-file", "x");
  for (const fs::path& bad : {dir / "a-file", dir / "missing"}) {
    auto st = core::set_sync_folder(vault, bad);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().code, ErrorCode::bad_input);
  }
  auto kept = core::sync_folder(vault);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ(**kept, dir / "team");
}

TEST_F(SyncFolderTest, TheFolderIsNotInTheVaultFolderInPlaintext) {
  fs::create_directories(dir / "team-folder-marker-5521");
  ASSERT_TRUE(core::set_sync_folder(vault, dir / "team-folder-marker-5521").ok());
  vault.lock();
  EXPECT_FALSE(any_file_contains(dir / "vault", "team-folder-marker-5521"));
}

}  // namespace
}  // namespace bc::test
