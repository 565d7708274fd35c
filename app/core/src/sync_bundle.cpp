#include "sync_bundle.h"

#include "backchannel/core/identity.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/message_text.h"
#include "backchannel/storage/clock.h"
#include "record_fields.h"
#include "signed_records.h"

namespace bc::core::sync {

namespace {

using json = nlohmann::json;

constexpr std::string_view kHashLabel = "backchannel.team-bundle/1 content\n";
// {"signature":"<88 Base64 characters>"} and its line feed.
constexpr std::size_t kSignatureLine = 105;
constexpr std::size_t kMaxRecipients = 1000;
constexpr std::size_t kMaxDevices = 100000;

// Canonical text of a record: keys sorted (nlohmann::json is a std::map), no spaces, UTF-8 as
// is. The writer writes exactly this, so the reader's re-serialization of what it parsed gives
// the same bytes, and both hash the same content.
Result<std::string> canonical(const json& j) {
  try {
    return j.dump();
  } catch (const json::exception&) {
    return fail(ErrorCode::bad_input, "a bundle record holds text that is not valid UTF-8");
  }
}

class ContentHash {
 public:
  ContentHash() { h_.update(crypto::bytes_of(kHashLabel)); }
  void line(const std::string& l) {
    h_.update(crypto::bytes_of(l));
    h_.update(crypto::bytes_of("\n"));
  }
  Hash finish() { return h_.finish(); }

 private:
  crypto::Sha256 h_;
};

json header_json(const BundleHeader& h, const crypto::Ed25519KeyPair& signer, const std::string& signer_recipient) {
  json deps = json::object();
  for (const auto& [d, s] : h.deps) deps[d] = s;
  json j{{"format", kBundleFormat},
         {"signer", signing_key_text(signer.public_key)},
         {"signer_recipient", signer_recipient},
         {"created_at", h.created_at},
         {"series", h.series},
         {"device", h.device},
         {"seq", h.seq},
         {"epoch", h.epoch},
         {"prev", hash_hex(h.prev)},
         {"kind", h.snapshot ? "snapshot" : "changes"},
         {"recipients", h.recipients},
         {"deps", deps},
         {"hlc", h.hlc}};
  if (h.snapshot) {
    json covers = json::object();
    for (const auto& [d, link] : h.covers) covers[d] = {{"seq", link.seq}, {"hash", hash_hex(link.hash)}};
    j["covers"] = covers;
  }
  return j;
}

bool is_device(const std::string& s) { return is_uid(s); }

Result<std::int64_t> integer(const json& j, const char* key, std::int64_t min) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() < min)
    return fail(ErrorCode::bad_input, std::string("the bundle header's ") + key + " is not valid");
  return it->get<std::int64_t>();
}

Result<std::string> text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return fail(ErrorCode::bad_input, std::string("the bundle header has no ") + key);
  return it->get<std::string>();
}

Status parse_header(const json& j, BundleHeader& h) {
  BC_ASSIGN(std::string format, text(j, "format"));
  if (format != kBundleFormat) {
    if (format.rfind("backchannel.team-bundle/", 0) == 0)
      return fail(ErrorCode::unsupported, "this bundle was written by a newer version of Backchannel (" + quote_for_message(format) + ")");
    return fail(ErrorCode::bad_input, "this file is not a team bundle (it is a " + quote_for_message(format) + ")");
  }
  BC_ASSIGN(h.series, text(j, "series"));
  BC_ASSIGN(h.device, text(j, "device"));
  if (!is_uid(h.series) || !is_device(h.device)) return fail(ErrorCode::bad_input, "the bundle header names no valid series or device");
  BC_ASSIGN(h.seq, integer(j, "seq", 1));
  BC_ASSIGN(h.epoch, integer(j, "epoch", 1));
  BC_ASSIGN(h.hlc, integer(j, "hlc", 0));
  BC_ASSIGN(h.created_at, text(j, "created_at"));
  BC_ASSIGN(std::string prev, text(j, "prev"));
  if (!parse_hash(prev, h.prev)) return fail(ErrorCode::bad_input, "the bundle header's prev is not a hash");
  BC_ASSIGN(std::string kind, text(j, "kind"));
  if (kind != "changes" && kind != "snapshot") return fail(ErrorCode::bad_input, "the bundle header has an unknown kind");
  h.snapshot = kind == "snapshot";
  auto r = j.find("recipients");
  if (r == j.end() || !r->is_array() || r->empty() || r->size() > kMaxRecipients)
    return fail(ErrorCode::bad_input, "the bundle header names no recipients");
  for (const auto& x : *r) {
    if (!x.is_string() || !crypto::age::X25519Recipient::parse(x.get<std::string>()))
      return fail(ErrorCode::bad_input, "the bundle header names a recipient that is not an age1 recipient");
    h.recipients.push_back(x.get<std::string>());
  }
  auto d = j.find("deps");
  if (d == j.end() || !d->is_object() || d->size() > kMaxDevices) return fail(ErrorCode::bad_input, "the bundle header has no deps");
  for (const auto& [dev, seq] : d->items()) {
    if (!is_device(dev) || !seq.is_number_integer() || seq.get<std::int64_t>() < 1)
      return fail(ErrorCode::bad_input, "the bundle header's deps are not valid");
    h.deps[dev] = seq.get<std::int64_t>();
  }
  auto c = j.find("covers");
  if (h.snapshot) {
    if (c == j.end() || !c->is_object() || c->size() > kMaxDevices) return fail(ErrorCode::bad_input, "a snapshot names no covers");
    for (const auto& [dev, link] : c->items()) {
      ChainLink l;
      auto s = link.is_object() ? link.find("seq") : link.end();
      auto hh = link.is_object() ? link.find("hash") : link.end();
      if (!is_device(dev) || s == link.end() || hh == link.end() || !s->is_number_integer() || s->get<std::int64_t>() < 0 ||
          !hh->is_string() || !parse_hash(hh->get<std::string>(), l.hash))
        return fail(ErrorCode::bad_input, "the snapshot's covers are not valid");
      l.seq = s->get<std::int64_t>();
      h.covers[dev] = l;
    }
  } else if (c != j.end()) {
    return fail(ErrorCode::bad_input, "a changes bundle names covers");
  }
  return {};
}

}  // namespace

std::string hash_hex(const Hash& h) { return crypto::to_hex(h); }

bool parse_hash(std::string_view hex, Hash& out) {
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) return false;
  auto b = crypto::from_hex(hex);
  if (!b || b->size() != 32) return false;
  std::copy(b->begin(), b->end(), out.begin());
  return true;
}

std::size_t padded_size(std::size_t n) {
  constexpr std::size_t kMiB = 1u << 20;
  if (n > kMiB) return (n + kMiB - 1) / kMiB * kMiB;
  std::size_t b = 4096;
  while (b < n) b *= 2;
  return b;
}

Result<WrittenBundle> write_bundle(const BundleHeader& header, const std::vector<json>& records,
                                   const crypto::Ed25519KeyPair& signer, const std::string& signer_recipient,
                                   const std::vector<crypto::age::X25519Recipient>& recipients) {
  std::vector<std::string> lines;
  lines.reserve(records.size() + 3);
  BC_ASSIGN(std::string head, canonical(header_json(header, signer, signer_recipient)));
  lines.push_back(std::move(head));
  for (const auto& r : records) {
    BC_ASSIGN(std::string line, canonical(r));
    lines.push_back(std::move(line));
  }
  BC_ASSIGN(std::string end, canonical(json{{"type", "end"}, {"records", records.size()}}));
  // Pad (before the end record) so that the plaintext is exactly a bucket's size.
  const std::size_t pad_overhead = json{{"type", "pad"}, {"pad", ""}}.dump().size() + 1;
  std::size_t size = kSignatureLine + end.size() + 1 + pad_overhead;
  for (const auto& l : lines) size += l.size() + 1;
  lines.push_back(json{{"type", "pad"}, {"pad", std::string(padded_size(size) - size, '0')}}.dump());
  lines.push_back(std::move(end));

  ContentHash hash;
  for (const auto& l : lines) hash.line(l);
  WrittenBundle out;
  out.hash = hash.finish();

  std::vector<crypto::age::Recipient> to(recipients.begin(), recipients.end());
  std::size_t next = 0;
  BC_TRY(write_signed_stream(
      to, signer,
      [&]() -> Result<std::optional<std::string>> {
        if (next == lines.size()) return std::optional<std::string>();
        return std::optional<std::string>(lines[next++]);
      },
      [&](std::span<const std::uint8_t> b) -> Status {
        out.bytes.insert(out.bytes.end(), b.begin(), b.end());
        return {};
      },
      false, nullptr));
  return out;
}

Result<Bundle> read_bundle(const std::vector<crypto::age::Identity>& identities, std::span<const std::uint8_t> file) {
  const crypto::StackWipe stack_wipe;  // the parser's stack buffers held the bundle's text
  if (file.size() > kMaxBundleBytes) return fail(ErrorCode::bad_input, "the bundle is larger than 1 GiB");
  json header;
  crypto::Ed25519Public signer{};
  std::vector<json> lines;
  SignedStreamHandlers handlers;
  // Bundles are kept as ordinary JSON (freed memory is wiped all the same: wiping_delete.cpp).
  handlers.on_header = [&](const SecureJson& h, const crypto::Ed25519Public& s) -> Status {
    header = json(h);
    signer = s;
    return {};
  };
  handlers.on_record = [&](const SecureJson& r) -> Status {
    lines.emplace_back(r);
    return {};
  };
  std::size_t pos = 0;
  const crypto::age::ReadFn in = [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    const std::size_t n = std::min(buf.size(), file.size() - pos);
    std::copy_n(file.data() + pos, n, buf.data());
    pos += n;
    return n;
  };
  // Nothing below looks at the content before the signature has verified.
  BC_TRY(read_signed_stream(identities, in, handlers, nullptr));

  Bundle b;
  b.signer = signer;
  BC_TRY(parse_header(header, b.header));
  BC_ASSIGN(std::string recipient_text, text(header, "signer_recipient"));
  auto rec = crypto::age::X25519Recipient::parse(recipient_text);
  if (!rec) return fail(ErrorCode::bad_input, "the bundle header has a bad signer recipient");
  b.signer_x25519 = rec->public_key;
  b.signer_fingerprint = identity_fingerprint(b.signer, b.signer_x25519);

  ContentHash hash;
  BC_ASSIGN(std::string head, canonical(header));
  hash.line(head);
  bool ended = false;
  for (auto& r : lines) {
    BC_ASSIGN(std::string line, canonical(r));
    hash.line(line);
    if (ended) return fail(ErrorCode::bad_input, "a bundle record follows the end record");
    auto t = r.find("type");
    if (t == r.end() || !t->is_string()) return fail(ErrorCode::bad_input, "a bundle record has no type");
    const std::string& type = t->get_ref<const std::string&>();
    if (type == "pad") continue;
    if (type == "end") {
      auto n = r.find("records");
      if (n == r.end() || !n->is_number_unsigned() || n->get<std::size_t>() != b.records.size())
        return fail(ErrorCode::integrity, "the bundle's end record does not count its records");
      ended = true;
      continue;
    }
    b.records.push_back(std::move(r));
  }
  if (!ended) return fail(ErrorCode::integrity, "the bundle has no end record");
  b.hash = hash.finish();
  return b;
}

}  // namespace bc::core::sync
