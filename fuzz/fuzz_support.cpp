#include "fuzz_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>

#include "backchannel/core/archive.h"
#include "backchannel/core/identity.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/signature_stream.h"
#include "backchannel/crypto/sodium_init.h"
#include "backchannel/message_text.h"

namespace bc::fuzz {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path>& temp_dirs() {
  static std::vector<fs::path> dirs;
  return dirs;
}

void remove_temp_dirs() {
  for (const auto& d : temp_dirs()) {
    std::error_code ec;
    fs::remove_all(d, ec);
  }
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz setup failed: %s\n", what.c_str());
  std::abort();
}

}  // namespace

const std::string_view kBaseArchive =
    R"({"format":"backchannel.archive/1","created_at":"2024-05-01T10:00:00Z","signer":"ed25519:CvCUd7Mqvv1Ck2Lxn8HWyivSpamD4FW9kEsNYCSxn5E=","signer_recipient":"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef","scope":"all"}
{"type":"series","uid":"5e000000000000000000000000000001","title":"Fuzz Dialogue","rule":"chatham-house","created_at":"2024-05-01T10:00:00Z"}
{"type":"meeting","uid":"3e000000000000000000000000000001","series":"5e000000000000000000000000000001","title":"Round 1","starts_at":"2024-05-01T09:00:00Z","location":"Geneva","location_disclosure":{"participants":"named","public":"hidden"},"rule":null,"public_terms":["IAEA","United States"],"created_at":"2024-05-01T10:00:00Z"}
{"type":"participant","uid":"7a000000000000000000000000000001","name":"Katherine Holloway","affiliation":"U.S. Department of State","delegation":"United States","descriptor":"a former senior U.S. diplomat","aliases":["Kate","Ambassador Holloway"],"recipient":null,"signing_key":null,"created_at":"2024-05-01T10:00:00Z"}
{"type":"participant","uid":"7a000000000000000000000000000002","name":"Mahmoud Rezaei","affiliation":"Institute for Political and International Studies","delegation":"Iran","descriptor":"an Iranian academic","aliases":["محمود رضایی","Dr. Rezaei"],"recipient":"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef","signing_key":"ed25519:CvCUd7Mqvv1Ck2Lxn8HWyivSpamD4FW9kEsNYCSxn5E=","created_at":"2024-05-01T10:00:00Z"}
{"type":"participant","uid":"7a000000000000000000000000000003","name":"Anna Lindqvist","affiliation":null,"delegation":"Sweden","descriptor":null,"aliases":[],"recipient":null,"signing_key":null,"created_at":"2024-05-01T10:00:00Z"}
{"type":"attendance","meeting":"3e000000000000000000000000000001","participant":"7a000000000000000000000000000001","key":"p1","position":1,"disclosure":{"participants":"role","public":"anonymous"}}
{"type":"attendance","meeting":"3e000000000000000000000000000001","participant":"7a000000000000000000000000000002","key":"p2","position":2,"disclosure":{"participants":"pseudonym","public":"hidden"}}
{"type":"attendance","meeting":"3e000000000000000000000000000001","participant":"7a000000000000000000000000000003","key":"p3","position":3,"disclosure":{"participants":"named","public":"named"}}
{"type":"note","uid":"40000000000000000000000000000001","meeting":"3e000000000000000000000000000001","speaker":"7a000000000000000000000000000001","kind":"statement","at":"2024-05-01T09:10:00Z","visibility":"summary","text":"Holloway's view: the IAEA must verify first. Kate said so twice.","created_at":"2024-05-01T10:00:00Z","updated_at":"2024-05-01T10:00:00Z","revisions":[{"uid":"4f000000000000000000000000000001","revision":1,"text":"Holloway's view: the IAEA must verify first. Kate said so twice.","created_at":"2024-05-01T10:00:00Z"}]}
{"type":"note","uid":"40000000000000000000000000000002","meeting":"3e000000000000000000000000000001","speaker":"7a000000000000000000000000000002","kind":"proposal","at":null,"visibility":"summary","text":"رضایی پیشنهاد کرد: a joint technical group, with Dr. Rezaei's institute hosting.","created_at":"2024-05-01T10:00:00Z","updated_at":"2024-05-01T10:05:00Z","revisions":[{"uid":"4f000000000000000000000000000002","revision":1,"text":"A joint technical group.","created_at":"2024-05-01T10:00:00Z"},{"uid":"4f000000000000000000000000000003","revision":2,"text":"رضایی پیشنهاد کرد: a joint technical group, with Dr. Rezaei's institute hosting.","created_at":"2024-05-01T10:05:00Z"}]}
{"type":"note","uid":"40000000000000000000000000000003","meeting":"3e000000000000000000000000000001","speaker":null,"kind":"observation","at":"2024-05-01T09:30:00Z","visibility":"organizers","text":"Organizers only: Lindqvist left early.","created_at":"2024-05-01T10:00:00Z","updated_at":"2024-05-01T10:00:00Z","revisions":[{"uid":"4f000000000000000000000000000004","revision":1,"text":"Organizers only: Lindqvist left early.","created_at":"2024-05-01T10:00:00Z"}]}
{"type":"end","counts":{"series":1,"meetings":1,"participants":3,"notes":3,"revisions":4}}
)";

void check_failed(const char* condition, std::string_view detail, const char* file, int line) {
  std::fprintf(stderr, "\n%s:%d: property violated: %s\n  %.*s\n", file, line, condition, static_cast<int>(detail.size()),
               detail.data());
  std::fflush(stderr);
  std::abort();
}

const crypto::Ed25519KeyPair& signer() {
  static const crypto::Ed25519KeyPair kp = [] {
    if (!crypto::initialize()) die("libsodium");
    auto k = crypto::ed25519_from_secret(crypto::SecureBuffer::copy_of(std::string_view("backchannel-fuzz-signer-seed-v1!")));
    if (!k) die(k.error().message);
    // The corpus names this key in its headers; a change here would silently turn every seed
    // into an "unknown signer" file.
    if (core::signing_key_text(k->public_key) != kSignerKeyText)
      die("the fuzz signer's key is " + core::signing_key_text(k->public_key) + ", not kSignerKeyText");
    return std::move(*k);
  }();
  return kp;
}

core::Vault make_temp_vault() {
  const char* tmp = std::getenv("TMPDIR");
  const fs::path base = tmp != nullptr && *tmp != '\0' ? fs::path(tmp) : fs::path("/tmp");
  std::random_device rd;
  fs::path dir;
  for (int i = 0; i < 100 && dir.empty(); ++i) {
    fs::path p = base / ("bc-fuzz-" + std::to_string(rd()) + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) dir = p;
  }
  if (dir.empty()) die("cannot create a temporary folder");
  if (temp_dirs().empty()) std::atexit(remove_temp_dirs);
  temp_dirs().push_back(dir);
  auto created = core::Vault::create(dir / "vault", crypto::SecureBuffer::copy_of(std::string_view("fuzz passphrase")),
                                     crypto::KdfProfile::interactive);
  if (!created) die(created.error().message);
  return std::move(created->vault);
}

void import_base_archive(core::Vault& vault) {
  auto x = crypto::age::X25519Recipient::parse(kSignerRecipientText);
  if (!x) die(x.error().message);
  for (auto purpose : {core::TrustPurpose::archives, core::TrustPurpose::packages})
    if (auto t = core::trust_signer(vault, signer().public_key, x->public_key, purpose, "fuzz signer"); !t) die(t.error().message);
  const std::vector<std::uint8_t> file = encrypt_to(recipient_of(vault), sign_stream(addressed_to(recipient_of(vault), kBaseArchive)));
  auto r = core::import_archive(vault, reader_of(file), {});
  if (!r) die("the base archive does not import: " + r.error().message);
}

std::string addressed_to(const crypto::age::X25519Recipient& recipient, std::string_view plaintext) {
  const std::string_view header = plaintext.substr(0, plaintext.find('\n'));
  if (header.empty() || header.front() != '{' || header.find("\"recipients\"") != std::string_view::npos)
    return std::string(plaintext);
  const std::string field = "\"recipients\":[\"" + recipient.to_string() + "\"]";
  return "{" + field + (header.size() > 1 && header[1] == '}' ? "" : ",") + std::string(plaintext.substr(1));
}

std::string signer_fingerprint() {
  auto x = crypto::age::X25519Recipient::parse(kSignerRecipientText);
  if (!x) die(x.error().message);
  return core::identity_fingerprint(signer().public_key, x->public_key);
}

std::string sign_stream(std::string_view plaintext) {
  // The last line, ignoring a final line feed.
  std::string_view body = plaintext;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  const std::size_t nl = body.rfind('\n');
  const std::string_view last = nl == std::string_view::npos ? body : body.substr(nl + 1);
  std::string out(plaintext);
  if (last.rfind("{\"signature\"", 0) == 0) return out;
  crypto::StreamSignature sig;
  sig.update({reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size()});
  out += "{\"signature\":\"" + crypto::to_base64(sig.sign(signer().secret_key)) + "\"}\n";
  return out;
}

std::vector<std::uint8_t> encrypt_to(const crypto::age::X25519Recipient& recipient, std::string_view plaintext, bool armor) {
  std::vector<crypto::age::Recipient> to;
  to.emplace_back(recipient);
  auto file = crypto::age::encrypt_to_memory(
      to, {reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size()}, armor);
  if (!file) die(file.error().message);
  return std::move(*file);
}

crypto::age::X25519Recipient recipient_of(core::Vault& vault) {
  auto id = core::vault_identity(vault);
  if (!id) die(id.error().message);
  return crypto::age::X25519Recipient{id->x25519};
}

crypto::age::ReadFn reader_of(const std::vector<std::uint8_t>& bytes, std::size_t piece) {
  auto pos = std::make_shared<std::size_t>(0);
  return [&bytes, pos, piece](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    const std::size_t n = std::min({buf.size(), bytes.size() - *pos, piece});
    if (n > 0) std::memcpy(buf.data(), bytes.data() + *pos, n);
    *pos += n;
    return n;
  };
}

void check_import_error(const Error& e) {
  BC_FUZZ_CHECK(e.code != ErrorCode::internal && e.code != ErrorCode::io, e.message);
  // Outside text reaches a message only escaped (quote_for_message): nothing is left for the
  // front ends' last pass to change.
  BC_FUZZ_CHECK(printable_line(e.message) == e.message, "a raw control character in: " + printable_line(e.message));
}

}  // namespace bc::fuzz
