// Two (or three) vaults and the plumbing to pass age files between them in memory.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include <nlohmann/json.hpp>

#include "backchannel/core/identity.h"
#include "backchannel/crypto/age.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/signature_stream.h"
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

/// The plaintext of an age file encrypted to `v`, as the `age` tool would give it to anyone
/// holding the vault's identity.
inline std::string decrypt_as(core::Vault& v, const Bytes& file) {
  auto kp = core::vault_store(v).identity_x25519();
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(crypto::age::X25519Identity{std::move(kp->secret_key)});
  auto plain = crypto::age::decrypt_from_memory(ids, file.data);
  EXPECT_TRUE(plain.ok()) << (plain.ok() ? "" : plain.error().message);
  return plain.ok() ? std::string(plain->begin(), plain->end()) : std::string();
}

/// `plaintext` encrypted to `v` (as `age -r` would).
inline Bytes encrypt_for(core::Vault& v, const std::string& plaintext) {
  std::vector<crypto::age::Recipient> to;
  to.emplace_back(recipient_of(v));
  auto file = crypto::age::encrypt_to_memory(to, {reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size()});
  EXPECT_TRUE(file.ok());
  Bytes b;
  if (file.ok()) b.data = std::move(*file);
  return b;
}

/// A signed stream's plaintext with its header changed by `edit` and signed again by `signer`'s
/// identity (a file as an older version, or another vault, would have written it).
inline std::string resign(const std::string& plaintext, core::Vault& signer,
                          const std::function<void(nlohmann::ordered_json&)>& edit) {
  std::string body = plaintext.substr(0, plaintext.rfind("{\"signature\""));
  const auto nl = body.find('\n');
  auto header = nlohmann::ordered_json::parse(body.substr(0, nl));
  edit(header);
  body = header.dump() + body.substr(nl);
  crypto::StreamSignature sig;
  sig.update({reinterpret_cast<const std::uint8_t*>(body.data()), body.size()});
  auto kp = core::vault_store(signer).identity_ed25519();
  return body + "{\"signature\":\"" + crypto::to_base64(sig.sign(kp->secret_key)) + "\"}\n";
}

}  // namespace bc::test
