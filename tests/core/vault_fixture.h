// A fresh vault in a temp folder for each test.
#pragma once

#include <gtest/gtest.h>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/vault.h"
#include "test_support.h"
#include "vault_store_access.h"

namespace bc::test {

class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = core::Vault::create(dir / "vault", secret("test passphrase"), crypto::KdfProfile::interactive);
    ASSERT_TRUE(c.ok()) << c.error().message;
    vault = std::move(c->vault);
  }
  /// Imports docs/examples/sample-meeting.json and returns the meeting id.
  std::int64_t import_sample() {
    auto r = core::import_meeting(vault, read_file(sample_meeting_file()));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->meeting_id : 0;
  }
  std::int64_t count(const std::string& table) {
    return *bc::core::vault_store(vault).db().query_int("SELECT count(*) FROM " + table);
  }
  TempDir dir;
  core::Vault vault;
};

}  // namespace bc::test
