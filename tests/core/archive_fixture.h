// Two (or three) vaults and the plumbing to pass age files between them in memory.
#pragma once

#include <gtest/gtest.h>

#include <cstring>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/age.h"
#include "backchannel/core/meeting_import.h"
#include "backchannel/core/vault.h"
#include "test_support.h"
#include "vault_store_access.h"

namespace bc::test {

/// A byte sink and a byte source for the age functions.
struct Bytes {
  std::vector<std::uint8_t> data;
  crypto::age::WriteFn writer() {
    return [this](std::span<const std::uint8_t> b) -> Status {
      data.insert(data.end(), b.begin(), b.end());
      return {};
    };
  }
  crypto::age::ReadFn reader() {
    auto pos = std::make_shared<std::size_t>(0);
    return [this, pos](std::span<std::uint8_t> buf) -> Result<std::size_t> {
      const std::size_t n = std::min(buf.size(), data.size() - *pos);
      if (n > 0) std::memcpy(buf.data(), data.data() + *pos, n);
      *pos += n;
      return n;
    };
  }
};

inline core::Vault make_vault(const std::filesystem::path& dir) {
  auto c = core::Vault::create(dir, secret("pass"), crypto::KdfProfile::interactive);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return std::move(c->vault);
}

inline crypto::age::X25519Recipient recipient_of(core::Vault& v) {
  auto id = core::vault_identity(v);
  return crypto::age::X25519Recipient{id->x25519};
}

inline std::int64_t import_sample_into(core::Vault& v) {
  auto r = core::import_meeting(v, read_file(sample_meeting_file()));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r->meeting_id : 0;
}

inline std::int64_t rows(core::Vault& v, const std::string& table) {
  return *bc::core::vault_store(v).db().query_int("SELECT count(*) FROM " + table);
}

}  // namespace bc::test
