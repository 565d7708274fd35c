// VaultStore: create, open, wrong secrets, passphrase change, recovery, tampering.
#include "backchannel/storage/vault_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "backchannel/crypto/subkey.h"
#include "backchannel/crypto/sodium_init.h"
#include "backchannel/storage/recovery_code.h"
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


TEST_F(VaultStoreTest, CreateMakesAnExistingEmptyFolderPrivate) {
  // Issue 15, item 7: an empty folder given to create() kept its mode (0755 here).
  const fs::path empty = dir / "empty";
  ASSERT_EQ(::mkdir(empty.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(empty.c_str(), 0755), 0);
  auto c = VaultStore::create(empty, test::secret("p"), crypto::KdfProfile::interactive);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(fs::status(empty).permissions() & fs::perms::all, fs::perms::owner_all);
}

// ---- rekey ----

/// The master key behind a key file's passphrase slot, recomputed from the file's text.
crypto::SecureBuffer master_of(const std::string& keys_text, const std::string& passphrase) {
  auto keys = parse_key_file(keys_text);
  EXPECT_TRUE(keys.ok());
  auto m = open_slot(*keys->find(SlotType::passphrase), *keys, test::secret(passphrase).span());
  EXPECT_TRUE(m.ok());
  return m ? std::move(*m) : crypto::SecureBuffer(32);
}

/// Whether `code` opens the recovery slot of the vault's current key file (without changing it).
bool code_opens(const fs::path& vault, const std::string& code) {
  auto keys = load_key_file(vault / kKeysFile);
  auto parsed = parse_recovery_code(code);
  if (!keys || !parsed) return false;
  return open_slot(*keys->find(SlotType::recovery), *keys, parsed->span()).ok();
}

TEST_F(VaultStoreTest, RekeyReplacesEveryKeyAndKeepsTheDataTheIdentityAndThePseudonymKey) {
  const std::string old_keys = test::read_file(vault / kKeysFile);
  VaultIdentityPublic id_before;
  crypto::SecureBuffer pseudonym_before, audit_before;
  {
    auto s = VaultStore::open(vault, test::secret("first passphrase"));
    ASSERT_TRUE(s.ok());
    id_before = *s->identity_public();
    pseudonym_before = s->pseudonym_key().clone();
    audit_before = s->audit_key().clone();
  }
  RekeyOutcome out;
  std::vector<RekeyStep> steps;
  RekeyPlan plan;
  plan.progress = [&](RekeyStep st) { steps.push_back(st); };
  auto r = VaultStore::rekey(vault, test::secret("first passphrase"), plan, out);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(out.committed);
  EXPECT_EQ(steps.size(), 7u);
  EXPECT_EQ(*r->db().query_text("SELECT x FROM scratch"), "kept");
  // The identity is the same key pair, now wrapped under the new identity sub-key.
  auto id_after = r->identity_public();
  ASSERT_TRUE(id_after.ok());
  EXPECT_EQ(id_after->x25519, id_before.x25519);
  EXPECT_EQ(id_after->ed25519, id_before.ed25519);
  EXPECT_EQ(r->identity_x25519()->public_key, id_before.x25519);
  EXPECT_EQ(r->identity_ed25519()->public_key, id_before.ed25519);
  // The pseudonym key is carried; the audit key is new.
  EXPECT_TRUE(crypto::equal_ct(r->pseudonym_key().span(), pseudonym_before.span()));
  EXPECT_FALSE(crypto::equal_ct(r->audit_key().span(), audit_before.span()));
  r->lock();

  auto files = test::snapshot(vault);
  EXPECT_EQ(files.size(), 2u) << "only vault.db and vault.keys remain";
  // The old master key no longer decrypts the database: an old copy of vault.keys with the old
  // passphrase reads nothing written after the rekey.
  const crypto::SecureBuffer old_master = master_of(old_keys, "first passphrase");
  auto old_db = Database::open(vault / kDatabaseFile, crypto::derive_subkey(old_master, crypto::SubkeyPurpose::database),
                               OpenMode::open_existing);
  ASSERT_FALSE(old_db.ok());
  EXPECT_EQ(old_db.error().code, ErrorCode::integrity);
  // Put back, the old key file is refused without touching anything.
  test::TempDir copy;
  fs::copy(vault, copy / "v");
  test::write_file(copy / "v" / kKeysFile, old_keys);
  const auto before = test::snapshot(copy / "v");
  auto stale = VaultStore::open(copy / "v", test::secret("first passphrase"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::integrity);
  EXPECT_EQ(test::snapshot(copy / "v"), before);
  // The old recovery code stopped working; the new one works; the passphrase was kept.
  EXPECT_FALSE(code_opens(vault, code));
  EXPECT_TRUE(code_opens(vault, std::string(out.recovery_code.view())));
  EXPECT_TRUE(VaultStore::open(vault, test::secret("first passphrase")).ok());
  EXPECT_EQ(parse_key_file(test::read_file(vault / kKeysFile))->version, 2);
}

TEST_F(VaultStoreTest, RekeyWithANewPassphraseRefusesTheOldOne) {
  RekeyOutcome out;
  RekeyPlan plan;
  const crypto::SecureBuffer next = test::secret("second passphrase");
  plan.new_passphrase = &next;
  ASSERT_TRUE(VaultStore::rekey(vault, test::secret("first passphrase"), plan, out).ok());
  EXPECT_EQ(VaultStore::open(vault, test::secret("first passphrase")).error().code, ErrorCode::auth_failed);
  auto s = VaultStore::open(vault, test::secret("second passphrase"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(*s->db().query_text("SELECT x FROM scratch"), "kept");
}

TEST_F(VaultStoreTest, RekeyWithAWrongPassphraseChangesNothing) {
  const auto before = test::snapshot(vault);
  RekeyOutcome out;
  auto r = VaultStore::rekey(vault, test::secret("first passphrasE"), RekeyPlan{}, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_FALSE(out.committed);
  EXPECT_EQ(test::snapshot(vault), before);
}

TEST_F(VaultStoreTest, RekeyIsRefusedWhileTheVaultIsOpenElsewhere) {
  // Another open connection would go on writing to the replaced file: rekey needs the folder
  // to itself (flock on the folder), and leaves the vault as it was.
  auto held = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_TRUE(held.ok());
  const auto before = test::snapshot(vault);
  RekeyOutcome out;
  auto r = VaultStore::rekey(vault, test::secret("first passphrase"), RekeyPlan{}, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::io);
  EXPECT_NE(r.error().message.find("open in another"), std::string::npos) << r.error().message;
  EXPECT_EQ(test::snapshot(vault), before);
  EXPECT_EQ(*held->db().query_text("SELECT x FROM scratch"), "kept");
}

TEST_F(VaultStoreTest, RekeyThatFailsBeforeItsCommitLeavesTheOldVault) {
  RekeyOutcome out;
  RekeyPlan plan;
  plan.before_commit = [](const crypto::SecureBuffer&) -> Status { return fail(ErrorCode::io, "no room for the code"); };
  auto r = VaultStore::rekey(vault, test::secret("first passphrase"), plan, out);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(out.committed);
  EXPECT_EQ(test::snapshot(vault).size(), 2u) << "vault.db.next is removed";
  EXPECT_TRUE(code_opens(vault, code));
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(*s->db().query_text("SELECT x FROM scratch"), "kept");
}

TEST_F(VaultStoreTest, RekeyKilledAfterEveryStepLeavesOneVaultThatExactlyOnePassphraseOpens) {
  // A child process re-keys (with a new passphrase) and dies with _exit at the end of one step;
  // whatever it left, exactly one passphrase opens one consistent vault, with its own recovery
  // code, and the losing passphrase changes nothing.
  for (int target = 0; target <= static_cast<int>(RekeyStep::finished); ++target) {
    SCOPED_TRACE("killed after step " + std::to_string(target));
    test::TempDir work;
    const fs::path v = work / "v";
    fs::copy(vault, v);
    const fs::path code_file = work / "code";
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      RekeyOutcome out;
      RekeyPlan plan;
      const crypto::SecureBuffer next = test::secret("second passphrase");
      plan.new_passphrase = &next;
      plan.before_commit = [&](const crypto::SecureBuffer& c) -> Status {
        test::write_file(code_file, std::string(c.view()));
        return {};
      };
      plan.progress = [&](RekeyStep st) {
        if (static_cast<int>(st) == target) ::_exit(0);
      };
      (void)VaultStore::rekey(v, test::secret("first passphrase"), plan, out);
      ::_exit(3);  // finished without reaching the step
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const bool committed = target >= static_cast<int>(RekeyStep::committed);
    const char* winner = committed ? "second passphrase" : "first passphrase";
    const char* loser = committed ? "first passphrase" : "second passphrase";
    const auto before = test::snapshot(v);
    auto refused = VaultStore::open(v, test::secret(loser));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::auth_failed);
    EXPECT_EQ(test::snapshot(v), before) << "the losing passphrase changed the folder";
    {
      auto s = VaultStore::open(v, test::secret(winner));
      ASSERT_TRUE(s.ok()) << s.error().message;
      EXPECT_EQ(*s->db().query_text("SELECT x FROM scratch"), "kept");
      EXPECT_TRUE(s->db().check_integrity().ok());
    }
    std::set<std::string> names;
    for (const auto& [name, bytes] : test::snapshot(v)) names.insert(name);
    EXPECT_EQ(names, (std::set<std::string>{"vault.db", "vault.keys"})) << "what the rekey left was not settled";
    if (committed) {
      EXPECT_FALSE(code_opens(v, code));
      EXPECT_TRUE(code_opens(v, test::read_file(code_file)));
    } else {
      EXPECT_TRUE(code_opens(v, code));
    }
  }
}

TEST_F(VaultStoreTest, AVersionOneKeyFileStillOpensKeepsItsFormatAndRekeyMovesItToVersionTwo) {
  // Key files written before version 2 have no database salt.
  {
    const crypto::SecureBuffer master = master_of(test::read_file(vault / kKeysFile), "first passphrase");
    auto v2 = load_key_file(vault / kKeysFile);
    KeyFile v1;
    v1.version = 1;
    v1.vault_id = v2->vault_id;
    const auto cost = crypto::argon2id_params(crypto::KdfProfile::interactive);
    v1.slots.push_back(*make_slot(SlotType::passphrase, v1, test::secret("first passphrase").span(), master, cost));
    v1.slots.push_back(*make_slot(SlotType::recovery, v1, parse_recovery_code(code)->span(), master, cost));
    ASSERT_TRUE(save_key_file(vault / kKeysFile, v1).ok());
  }
  {
    auto s = VaultStore::open(vault, test::secret("first passphrase"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(s->change_passphrase(test::secret("second passphrase")).ok());
  }
  EXPECT_EQ(load_key_file(vault / kKeysFile)->version, 1);
  EXPECT_TRUE(code_opens(vault, code));
  RekeyOutcome out;
  ASSERT_TRUE(VaultStore::rekey(vault, test::secret("second passphrase"), RekeyPlan{}, out).ok());
  EXPECT_EQ(load_key_file(vault / kKeysFile)->version, 2);
  EXPECT_TRUE(VaultStore::open(vault, test::secret("second passphrase")).ok());
}

TEST_F(VaultStoreTest, NewRecoverySlotReplacesTheOldCode) {
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_TRUE(s.ok());
  auto made = s->make_recovery_slot();
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE(s->install_slot(std::move(made->first)).ok());
  EXPECT_FALSE(code_opens(vault, code));
  EXPECT_TRUE(code_opens(vault, std::string(made->second.view())));
  EXPECT_EQ(load_key_file(vault / kKeysFile)->slots.size(), 2u);
}

TEST_F(VaultStoreTest, ChangePassphraseCanRaiseTheArgon2idCost) {
  auto s = VaultStore::open(vault, test::secret("first passphrase"));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->change_passphrase(test::secret("first passphrase"), crypto::KdfProfile::moderate).ok());
  const auto moderate = crypto::argon2id_params(crypto::KdfProfile::moderate);
  EXPECT_EQ(s->passphrase_cost().memlimit, moderate.memlimit);
  auto keys = load_key_file(vault / kKeysFile);
  EXPECT_EQ(keys->find(SlotType::passphrase)->kdf.memlimit, moderate.memlimit);
  EXPECT_EQ(keys->find(SlotType::passphrase)->kdf.opslimit, moderate.opslimit);
  EXPECT_TRUE(VaultStore::open(vault, test::secret("first passphrase")).ok());
}

}  // namespace
}  // namespace bc::storage
