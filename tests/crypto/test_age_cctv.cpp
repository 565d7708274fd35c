// Unit: crypto/age against the CCTV age test kit (C2SP CCTV, folder age/testdata, commit
// 1e3d2860d46e; copied to tests/data/age-cctv, see its README). Every vector is one test
// case: the result class must equal `expect`, and for `success` and `payload failure` the SHA-256
// of everything decrypt() released must equal `payload`. Vectors that need a post-quantum
// (AGE-SECRET-KEY-PQ-1) identity are skipped, counted and listed.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "backchannel/crypto/age.h"
#include "backchannel/crypto/hmac.h"
#include "crypto_test_support.h"
#include "test_support.h"

namespace bc::crypto::age {
namespace {

namespace fs = std::filesystem;
using test::hex_of;

constexpr std::size_t kKitSize = 143;

fs::path kit_dir() { return bc::test::age_cctv_dir(); }

std::vector<std::string> vector_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kit_dir(), ec))
    if (e.is_regular_file()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

struct Vector {
  std::multimap<std::string, std::string> meta;
  std::string file;
  std::string get(const std::string& key) const {
    auto it = meta.find(key);
    return it == meta.end() ? std::string() : it->second;
  }
};

std::string inflate_all(const std::string& in) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return {};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  EXPECT_EQ(rc, Z_STREAM_END) << "a compressed vector does not inflate";
  return out;
}

Vector load(const std::string& name) {
  Vector v;
  const std::string raw = bc::test::read_file(kit_dir() / name);
  const std::size_t split = raw.find("\n\n");
  EXPECT_NE(split, std::string::npos) << name << ": no empty line after the metadata";
  std::size_t pos = 0;
  while (pos < split) {
    const std::size_t eol = raw.find('\n', pos);
    const std::string line = raw.substr(pos, std::min(eol, split) - pos);
    const std::size_t colon = line.find(": ");
    EXPECT_NE(colon, std::string::npos) << name << ": bad metadata line " << line;
    if (colon != std::string::npos) v.meta.emplace(line.substr(0, colon), line.substr(colon + 2));
    pos = std::min(eol, split) + 1;
  }
  v.file = raw.substr(split + 2);
  if (v.get("compressed") == "zlib") v.file = inflate_all(v.file);
  return v;
}

std::string expected_class_name(const Vector& v) { return v.get("expect"); }

struct Outcome {
  bool skipped = false;
  bool passed = false;
  std::string explanation;
};

Outcome run_vector(const std::string& name) {
  const Vector v = load(name);
  Outcome o;
  std::vector<Identity> identities;
  auto [first, last] = v.meta.equal_range("identity");
  for (auto it = first; it != last; ++it) {
    if (it->second.rfind("AGE-SECRET-KEY-PQ-1", 0) == 0) {
      o.skipped = true;
      o.explanation = "needs a post-quantum (mlkem768x25519) identity, which this implementation does not support";
      return o;
    }
    Result<X25519Identity> id = X25519Identity::parse(it->second);
    if (!id.ok()) {
      o.explanation = "the vector's identity does not parse: " + id.error().message;
      return o;
    }
    identities.emplace_back(std::move(id.value()));
  }
  auto [pfirst, plast] = v.meta.equal_range("passphrase");
  for (auto it = pfirst; it != plast; ++it) {
    ScryptPassphrase p;
    p.passphrase = SecureBuffer::copy_of(it->second);
    identities.emplace_back(std::move(p));
  }

  std::vector<std::uint8_t> released;
  auto result = decrypt_from_memory(
      identities, std::span(reinterpret_cast<const std::uint8_t*>(v.file.data()), v.file.size()), &released);
  std::string got_class = "success";
  std::string detail;
  if (!result.ok()) {
    got_class = std::string(to_string(failure_class(result.error())));
    detail = result.error().message;
  } else {
    released = *result;
  }
  const std::string want = expected_class_name(v);
  o.explanation = "expected \"" + want + "\", got \"" + got_class + "\"" + (detail.empty() ? "" : " (" + detail + ")");
  if (got_class != want) return o;
  if (want == "success" || want == "payload failure") {
    const std::string digest = hex_of(sha256(released));
    if (digest != v.get("payload")) {
      o.explanation += "; released " + std::to_string(released.size()) + " bytes with SHA-256 " + digest +
                       ", expected " + v.get("payload");
      return o;
    }
  }
  o.passed = true;
  return o;
}

class AgeCctv : public ::testing::TestWithParam<std::string> {};

TEST_P(AgeCctv, Vector) {
  const Outcome o = run_vector(GetParam());
  if (o.skipped) GTEST_SKIP() << GetParam() << ": " << o.explanation;
  EXPECT_TRUE(o.passed) << GetParam() << ": " << o.explanation;
}

INSTANTIATE_TEST_SUITE_P(Kit, AgeCctv, ::testing::ValuesIn(vector_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(AgeCctvSummary, EverySupportedVectorPassesAndSkippedOnesAreListed) {
  const std::vector<std::string> names = vector_names();
  ASSERT_EQ(names.size(), kKitSize) << "the kit in " << kit_dir() << " should hold 143 vectors";
  std::vector<std::string> skipped, failed;
  std::size_t passed = 0;
  for (const std::string& name : names) {
    const Outcome o = run_vector(name);
    if (o.skipped) skipped.push_back(name);
    else if (o.passed) ++passed;
    else failed.push_back(name + ": " + o.explanation);
  }
  const std::size_t supported = names.size() - skipped.size();
  std::cout << "CCTV age kit: " << names.size() << " vectors, " << supported << " supported, " << passed
            << " passed, " << skipped.size() << " skipped (post-quantum identities):\n";
  for (const std::string& s : skipped) std::cout << "  skipped: " << s << "\n";
  for (const std::string& f : failed) std::cout << "  FAILED: " << f << "\n";
  EXPECT_EQ(passed, supported);
  // Only the post-quantum vectors may be skipped.
  for (const std::string& s : skipped) EXPECT_NE(s.find("hybrid"), std::string::npos) << s;
}

}  // namespace
}  // namespace bc::crypto::age
