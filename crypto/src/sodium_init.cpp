#include "backchannel/crypto/sodium_init.h"

#include <sodium.h>

#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace bc::crypto {

namespace {

std::vector<std::uint8_t> hex(std::string_view h) {
  std::vector<std::uint8_t> out(h.size() / 2);
  sodium_hex2bin(out.data(), out.size(), h.data(), h.size(), nullptr, nullptr, nullptr);
  return out;
}

bool same(const std::uint8_t* a, const std::vector<std::uint8_t>& b) { return std::memcmp(a, b.data(), b.size()) == 0; }

// Each check uses a published vector; a mismatch means a broken build or library.
bool check_sha256_hmac() {
  // FIPS 180-2, appendix B.1: SHA-256("abc").
  std::uint8_t d[32];
  crypto_hash_sha256(d, reinterpret_cast<const std::uint8_t*>("abc"), 3);
  if (!same(d, hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))) return false;
  // RFC 4231, test case 2.
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const std::uint8_t*>("Jefe"), 4);
  const std::string_view msg = "what do ya want for nothing?";
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size());
  crypto_auth_hmacsha256_final(&st, d);
  return same(d, hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

bool check_x25519() {
  // RFC 7748, section 6.1 (Alice's key pair).
  const auto a = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  std::uint8_t pub[32];
  crypto_scalarmult_base(pub, a.data());
  return same(pub, hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
}

bool check_ed25519() {
  // RFC 8032, section 7.1, TEST 1 (empty message).
  const auto seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  std::uint8_t pk[32], sk[64], sig[64];
  crypto_sign_seed_keypair(pk, sk, seed.data());
  if (!same(pk, hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))) return false;
  crypto_sign_detached(sig, nullptr, nullptr, 0, sk);
  sodium_memzero(sk, sizeof sk);
  return same(sig, hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                       "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
}

bool check_chacha20poly1305() {
  // RFC 8439, section 2.8.2 (AEAD_CHACHA20_POLY1305), checked through the tag: it covers the
  // whole ciphertext and the associated data.
  const std::string_view pt =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would be it.";
  const auto key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const auto nonce = hex("070000004041424344454647");
  const auto aad = hex("50515253c0c1c2c3c4c5c6c7");
  std::vector<std::uint8_t> ct(pt.size() + 16);
  unsigned long long clen = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(ct.data(), &clen, reinterpret_cast<const std::uint8_t*>(pt.data()),
                                            pt.size(), aad.data(), aad.size(), nullptr, nonce.data(), key.data());
  if (!same(ct.data(), hex("d31a8d34648e60db7b86afbc53ef7ec2"))) return false;
  return same(ct.data() + pt.size(), hex("1ae10b594f09e26a7e902ecbd0600691"));
}

bool check_xchacha20poly1305() {
  // draft-irtf-cfrg-xchacha-03, appendix A.3.1.
  const std::string_view pt =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would be it.";
  const auto key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const auto nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
  const auto aad = hex("50515253c0c1c2c3c4c5c6c7");
  std::vector<std::uint8_t> ct(pt.size() + 16);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(ct.data(), &clen, reinterpret_cast<const std::uint8_t*>(pt.data()),
                                             pt.size(), aad.data(), aad.size(), nullptr, nonce.data(), key.data());
  if (!same(ct.data(), hex("bd6d179d3e83d43b9576579493c0e939"))) return false;
  return same(ct.data() + pt.size(), hex("c0875924c1c7987947deafd8780acf49"));
}

bool check_argon2id() {
  // Reference value from the Argon2 reference implementation (Debian's `argon2` tool:
  // echo -n password | argon2 somesaltsomesalt -id -t 2 -k 64 -p 1 -l 32 -r).
  const std::string_view pw = "password";
  const std::uint8_t salt[16] = {'s', 'o', 'm', 'e', 's', 'a', 'l', 't', 's', 'o', 'm', 'e', 's', 'a', 'l', 't'};
  std::uint8_t out[32];
  if (crypto_pwhash(out, sizeof out, pw.data(), pw.size(), salt, 2, 64 * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return false;
  return same(out, hex("1a98fba8e6394425c9bdc333a9c750aaf811df070f5fb4a5788e1cf4db5793a1"));
}

Status run_self_test() {
  if (sodium_init() < 0) return fail(ErrorCode::internal, "libsodium could not be initialised");
  struct Check {
    const char* name;
    bool (*fn)();
  };
  static constexpr Check kChecks[] = {
      {"SHA-256/HMAC-SHA-256", check_sha256_hmac}, {"X25519", check_x25519},
      {"Ed25519", check_ed25519},                  {"ChaCha20-Poly1305", check_chacha20poly1305},
      {"XChaCha20-Poly1305", check_xchacha20poly1305}, {"Argon2id", check_argon2id},
  };
  for (const auto& c : kChecks) {
    if (!c.fn()) return fail(ErrorCode::internal, std::string("cryptographic self-test failed: ") + c.name);
  }
  return {};
}

}  // namespace

const char* sodium_version() { return sodium_version_string(); }

Status initialize() {
  static std::once_flag once;
  static Status result;
  std::call_once(once, [] { result = run_self_test(); });
  return result;
}

}  // namespace bc::crypto
