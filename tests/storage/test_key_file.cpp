// vault.keys: serialisation, strict parsing, and the binding of every slot field.
#include "backchannel/storage/key_file.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/random.h"
#include "backchannel/crypto/sodium_init.h"
#include "test_support.h"

namespace bc::storage {
namespace {

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize().ok());
    crypto::random_fill(file.vault_id);
    crypto::random_fill(file.database_salt);
    auto s = make_slot(SlotType::passphrase, file, test::secret("pass").span(), master,
                       crypto::argon2id_params(crypto::KdfProfile::interactive));
    ASSERT_TRUE(s.ok());
    file.slots.push_back(std::move(*s));
    auto r = make_slot(SlotType::recovery, file, test::secret("CODE").span(), master,
                       crypto::argon2id_params(crypto::KdfProfile::interactive));
    ASSERT_TRUE(r.ok());
    file.slots.push_back(std::move(*r));
  }
  crypto::SecureBuffer master = crypto::random_secret(32);
  KeyFile file;
};

TEST_F(KeyFileTest, EachSlotOpensWithItsOwnSecretOnly) {
  auto m1 = open_slot(*file.find(SlotType::passphrase), file, test::secret("pass").span());
  ASSERT_TRUE(m1.ok());
  EXPECT_TRUE(crypto::equal_ct(m1->span(), master.span()));
  auto m2 = open_slot(*file.find(SlotType::recovery), file, test::secret("CODE").span());
  ASSERT_TRUE(m2.ok());
  EXPECT_TRUE(crypto::equal_ct(m2->span(), master.span()));
  auto wrong = open_slot(*file.find(SlotType::passphrase), file, test::secret("CODE").span());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::auth_failed);
}

TEST_F(KeyFileTest, SerializeParseRoundTrip) {
  const std::string text = serialize(file);
  auto parsed = parse_key_file(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->vault_id, file.vault_id);
  ASSERT_EQ(parsed->slots.size(), 2u);
  EXPECT_EQ(serialize(*parsed), text);
  auto m = open_slot(*parsed->find(SlotType::passphrase), *parsed, test::secret("pass").span());
  EXPECT_TRUE(m.ok());
}

TEST_F(KeyFileTest, SlotIsBoundToItsVault) {
  KeyFile other = file;
  other.vault_id[0] ^= 1;
  auto m = open_slot(*file.find(SlotType::passphrase), other, test::secret("pass").span());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::auth_failed);
}

TEST_F(KeyFileTest, SlotIsBoundToTheDatabaseItOpens) {
  // The rekey commit point: a key file names its database by salt, and its slots cannot be
  // moved to a key file naming another one.
  KeyFile other = file;
  other.database_salt[15] ^= 0x40;
  auto m = open_slot(*file.find(SlotType::passphrase), other, test::secret("pass").span());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::auth_failed);
  auto j = nlohmann::json::parse(serialize(file));
  EXPECT_EQ(j["format"], "backchannel.keys/2");
  EXPECT_EQ(j["database_salt"], crypto::to_hex(file.database_salt));
}

TEST_F(KeyFileTest, VersionOneFilesAreStillReadAndKeepTheirFormat) {
  // A key file written before version 2 (no database salt, "backchannel.keys/1" in the
  // associated data) opens, and a slot added to it is made the same way.
  KeyFile v1;
  v1.version = 1;
  v1.vault_id = file.vault_id;
  auto s = make_slot(SlotType::passphrase, v1, test::secret("pass").span(), master,
                     crypto::argon2id_params(crypto::KdfProfile::interactive));
  ASSERT_TRUE(s.ok());
  v1.slots.push_back(std::move(*s));
  const std::string text = serialize(v1);
  EXPECT_EQ(text.find("database_salt"), std::string::npos);
  auto parsed = parse_key_file(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->version, 1);
  EXPECT_EQ(serialize(*parsed), text);
  EXPECT_TRUE(open_slot(*parsed->find(SlotType::passphrase), *parsed, test::secret("pass").span()).ok());
  // The same slot read as version 2 does not open: the version is bound.
  KeyFile as_v2 = *parsed;
  as_v2.version = 2;
  EXPECT_FALSE(open_slot(*as_v2.find(SlotType::passphrase), as_v2, test::secret("pass").span()).ok());
  // Version 1 has no salt; one there is damage.
  auto j = nlohmann::json::parse(text);
  j["database_salt"] = crypto::to_hex(file.database_salt);
  EXPECT_EQ(parse_key_file(j.dump()).error().code, ErrorCode::integrity);
}

TEST_F(KeyFileTest, VersionTwoTakesOnlyCanonicalHex) {
  for (const char* field : {"vault_id", "database_salt"}) {
    auto j = nlohmann::json::parse(serialize(file));
    std::string v = j[field];
    const auto at = v.find_first_of("abcdef");
    if (at == std::string::npos) continue;
    v[at] = static_cast<char>(v[at] - 'a' + 'A');
    j[field] = v;
    auto r = parse_key_file(j.dump());
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.error().code, ErrorCode::integrity) << field;
  }
  auto j = nlohmann::json::parse(serialize(file));
  j.erase("database_salt");
  EXPECT_FALSE(parse_key_file(j.dump()).ok());
  j["database_salt"] = "00";
  EXPECT_FALSE(parse_key_file(j.dump()).ok());
}

TEST_F(KeyFileTest, SlotIsBoundToItsTypeAndParameters) {
  KeySlot relabelled = *file.find(SlotType::recovery);
  relabelled.type = SlotType::passphrase;
  EXPECT_FALSE(open_slot(relabelled, file, test::secret("CODE").span()).ok());

  KeySlot cheaper = *file.find(SlotType::passphrase);
  cheaper.kdf.opslimit += 1;  // still in range, but not what was bound
  EXPECT_FALSE(open_slot(cheaper, file, test::secret("pass").span()).ok());

  KeySlot resalted = *file.find(SlotType::passphrase);
  resalted.kdf.salt[3] ^= 0x80;
  EXPECT_FALSE(open_slot(resalted, file, test::secret("pass").span()).ok());
}

TEST_F(KeyFileTest, WeakOrAbsurdParametersAreRefusedBeforeDerivation) {
  auto j = nlohmann::json::parse(serialize(file));
  j["slots"][0]["opslimit"] = 1;
  auto weak = parse_key_file(j.dump());
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, ErrorCode::integrity);
  j = nlohmann::json::parse(serialize(file));
  j["slots"][0]["memlimit"] = 1ull << 42;
  EXPECT_FALSE(parse_key_file(j.dump()).ok());
}

TEST_F(KeyFileTest, BrokenFilesAreIntegrityErrors) {
  const std::string good = serialize(file);
  const std::vector<std::string> broken = {
      "", "{", "[]", "null", good.substr(0, good.size() / 2),
      R"({"format":"backchannel.keys/1"})",
      R"({"format":"something-else","vault_id":"00","slots":[]})",
  };
  for (const auto& b : broken) {
    auto r = parse_key_file(b);
    ASSERT_FALSE(r.ok()) << b;
    EXPECT_EQ(r.error().code, ErrorCode::integrity) << b;
  }
  auto j = nlohmann::json::parse(good);
  j["slots"].push_back(j["slots"][0]);
  EXPECT_FALSE(parse_key_file(j.dump()).ok()) << "duplicate slot";
  j = nlohmann::json::parse(good);
  j["slots"][0]["salt"] = "not base64!";
  EXPECT_FALSE(parse_key_file(j.dump()).ok());
  j = nlohmann::json::parse(good);
  j["slots"].erase(0);
  EXPECT_FALSE(parse_key_file(j.dump()).ok()) << "no passphrase slot";
}

TEST_F(KeyFileTest, NewerFormatIsUnsupported) {
  auto j = nlohmann::json::parse(serialize(file));
  j["format"] = "backchannel.keys/3";
  auto r = parse_key_file(j.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::unsupported);
  for (const char* damaged : {"backchannel.keys/0", "backchannel.keys/", "backchannel.keys/2x", "backchannel.keys/02"}) {
    j["format"] = damaged;
    auto d = parse_key_file(j.dump());
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::integrity) << damaged;
  }
}

TEST_F(KeyFileTest, EveryByteFlipIsRejected) {
  // Flipping any byte either breaks the structure (integrity), or changes a bound value so that
  // the slot it belongs to no longer opens. A slot that still opens must be the unchanged one.
  const std::string good = serialize(file);
  auto slot_json = [](const KeyFile& f, SlotType t) {
    KeyFile one = f;
    one.slots.clear();
    one.slots.push_back(*f.find(t));
    return serialize(one);
  };
  int rejected = 0;
  // Every 9th byte (each flip that still parses costs an Argon2id derivation); the stride is
  // coprime with the field lengths, so every field is hit several times.
  for (std::size_t i = 0; i < good.size(); i += 9) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x02);
    auto parsed = parse_key_file(bad);
    if (!parsed.ok()) {
      ++rejected;
      continue;
    }
    for (auto [type, secret] : {std::pair{SlotType::passphrase, "pass"}, std::pair{SlotType::recovery, "CODE"}}) {
      if (parsed->find(type) == nullptr) continue;
      auto m = open_slot(*parsed->find(type), *parsed, test::secret(secret).span());
      if (m.ok()) EXPECT_EQ(slot_json(*parsed, type), slot_json(file, type)) << "offset " << i;
      else ++rejected;
    }
  }
  EXPECT_GT(rejected, static_cast<int>(good.size() / 9) / 2);
}

TEST_F(KeyFileTest, SaveAndLoad) {
  test::TempDir dir;
  ASSERT_TRUE(save_key_file(dir / "vault.keys", file).ok());
  auto loaded = load_key_file(dir / "vault.keys");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(serialize(*loaded), serialize(file));
  auto missing = load_key_file(dir / "nothing" / "vault.keys");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace bc::storage
