// VaultStore: create, open, wrong secrets, passphrase change, recovery, tampering.
#include "backchannel/storage/vault_store.h"

#include <gtest/gtest.h>

#include "backchannel/crypto/sodium_init.h"
#include "test_support.h"

namespace bc::storage {
namespace {

namespace fs = std::filesystem;

class VaultStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize().ok());
    auto c = VaultStore::create(vault, test::secret("first passphrase"), crypto::KdfProfile::interactive);
    ASSERT_TRUE(c.ok()) << c.error().message;
    code = std::string(c->recovery_code.view());
    ASSERT_TRUE(c->store.db().exec("CREATE TABLE scratch(x TEXT); INSERT INTO scratch VALUES ('kept');").ok());
  }
  test::TempDir dir;
  fs::path vault = dir / "v";
  std::string code;
};

TEST_F(VaultStoreTest, CreatesAFolderWithTwoFilesOnly) {
  auto files = test::snapshot(vault);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(files.count("vault.db"));
  EXPECT_TRUE(files.count("vault.keys"));
  EXPECT_EQ(fs::status(vault).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST_F(VaultStoreTest, OpensWithThePassphrase) {
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(*s->db().query_text("SELECT x FROM scratch"), "kept");
  auto pub = s->identity_public();
  ASSERT_TRUE(pub.ok());
  auto x = s->identity_x25519();
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->public_key, pub->x25519);
  auto e = s->identity_ed25519();
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->public_key, pub->ed25519);
}

TEST_F(VaultStoreTest, WrongPassphraseChangesNothing) {
  const auto before = test::snapshot(vault);
  auto s = VaultStore::open(vault, test::secret("first passphrasE"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(test::snapshot(vault), before);
}

TEST_F(VaultStoreTest, ChangePassphraseRewritesOnlyTheKeyFile) {
  const auto before = test::snapshot(vault);
  {
    auto s = VaultStore::open(vault, test::secret("first passphrase"));
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(s->change_passphrase(test::secret("second passphrase")).ok());
  }
  const auto after = test::snapshot(vault);
  EXPECT_EQ(after.at("vault.db"), before.at("vault.db"));
  EXPECT_NE(after.at("vault.keys"), before.at("vault.keys"));
  EXPECT_FALSE(VaultStore::open(vault, test::secret("first passphrase")).ok());
  EXPECT_TRUE(VaultStore::open(vault, test::secret("second passphrase")).ok());
}

TEST_F(VaultStoreTest, ChangePassphraseRemovesKeyFilesLeftByAnInterruptedChange) {
  // A passwd killed between writing its temporary key file and renaming it leaves the file; the
  // next change removes it (and nothing else).
  test::write_file(vault / ".vault.keys.tmp-0123456789ab", "{\"format\": \"backchannel.keys/1\"");
  test::write_file(vault / ".vault.keys.tmp-ba9876543210", "");
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE(s->change_passphrase(test::secret("second passphrase")).ok());
  s->lock();
  auto files = test::snapshot(vault);
  EXPECT_EQ(files.size(), 2u);
  EXPECT_TRUE(files.count("vault.db"));
  EXPECT_TRUE(files.count("vault.keys"));
}

TEST_F(VaultStoreTest, RecoverSetsANewPassphraseAndKeepsTheCode) {
  {
    auto s = VaultStore::recover(vault, code, test::secret("after recovery"));
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  EXPECT_FALSE(VaultStore::open(vault, test::secret("first passphrase")).ok());
  EXPECT_TRUE(VaultStore::open(vault, test::secret("after recovery")).ok());
  EXPECT_TRUE(VaultStore::recover(vault, code, test::secret("third")).ok());
}

TEST_F(VaultStoreTest, WrongRecoveryCodeChangesNothing) {
  const auto before = test::snapshot(vault);
  // A well-formed code (valid check characters) from another vault.
  test::TempDir other;
  auto c = VaultStore::create(other / "v", test::secret("x"), crypto::KdfProfile::interactive);
  ASSERT_TRUE(c.ok());
  auto s = VaultStore::recover(vault, c->recovery_code.view(), test::secret("new"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(test::snapshot(vault), before);
}

TEST_F(VaultStoreTest, TamperedKeyFileChangesNothing) {
  const std::string keys = test::read_file(vault / kKeysFile);
  const auto salt = keys.find("\"salt\"");
  const auto wrapped = keys.find("\"wrapped_key\"");
  for (std::size_t offset : {salt + 12, wrapped + 20, keys.find("vault_id") + 15}) {
    test::TempDir copy;
    fs::copy(vault, copy / "v");
    test::flip_byte(copy / "v" / kKeysFile, offset, 0x01);
    const auto before = test::snapshot(copy / "v");
    auto s = VaultStore::open(copy / "v", test::secret("first passphrase"));
    ASSERT_FALSE(s.ok()) << offset;
    EXPECT_TRUE(s.error().code == ErrorCode::auth_failed || s.error().code == ErrorCode::integrity);
    EXPECT_EQ(test::snapshot(copy / "v"), before);
  }
}

TEST_F(VaultStoreTest, TamperedDatabaseHeaderChangesNothing) {
  test::flip_byte(vault / kDatabaseFile, 100);
  const auto before = test::snapshot(vault);
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::integrity);
  EXPECT_EQ(test::snapshot(vault), before);
}

TEST_F(VaultStoreTest, KeysOfAnotherVaultAreRefused) {
  test::TempDir other;
  auto c = VaultStore::create(other / "v", test::secret("first passphrase"), crypto::KdfProfile::interactive);
  ASSERT_TRUE(c.ok());
  c->store.lock();
  fs::copy_file(other / "v" / kKeysFile, vault / kKeysFile, fs::copy_options::overwrite_existing);
  const auto before = test::snapshot(vault);
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::integrity);
  EXPECT_EQ(test::snapshot(vault), before);
}

TEST_F(VaultStoreTest, CreateRefusesANonEmptyFolder) {
  test::write_file(dir / "occupied", "");
  auto c = VaultStore::create(dir.path(), test::secret("p"), crypto::KdfProfile::interactive);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::conflict);
  auto again = VaultStore::create(vault, test::secret("p"), crypto::KdfProfile::interactive);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(VaultStore::open(vault, test::secret("first passphrase")).ok()) << "existing vault untouched";
}

TEST_F(VaultStoreTest, MissingKeyFileIsNotFoundAndNotRecreated) {
  fs::remove(vault / kKeysFile);
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::not_found);
  EXPECT_FALSE(fs::exists(vault / kKeysFile));
}

TEST_F(VaultStoreTest, LockClosesTheDatabase) {
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->is_open());
  s->lock();
  EXPECT_FALSE(s->is_open());
  EXPECT_TRUE(s->audit_key().empty());
  EXPECT_TRUE(s->pseudonym_key().empty());
}

}  // namespace
}  // namespace bc::storage
