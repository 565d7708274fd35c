// The age v1 header: strict parsing of the version line, the recipient stanzas and the MAC line,
// serialization for encryption, and the header MAC.
#include <cstring>

#include "age_internal.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"

namespace bc::crypto::age::detail {

namespace {

constexpr std::size_t kColumns = 64;

Error header_fail(std::string detail) { return age_fail(FailureClass::header, std::move(detail)); }

bool is_vchar(char c) { return c >= 0x21 && c <= 0x7e; }

// "-> " followed by one or more arguments of VCHARs separated by single spaces.
Result<std::vector<std::string>> parse_arguments(std::string_view line) {
  std::vector<std::string> args;
  std::string_view rest = line.substr(3);
  while (true) {
    const std::size_t sp = rest.find(' ');
    const std::string_view arg = rest.substr(0, sp);
    if (arg.empty()) return header_fail("a stanza has an empty argument");
    for (char c : arg)
      if (!is_vchar(c)) return header_fail("a stanza argument has a character outside printable ASCII");
    args.emplace_back(arg);
    if (sp == std::string_view::npos) break;
    rest = rest.substr(sp + 1);
  }
  return args;
}

}  // namespace

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

Result<Header> read_header(BufferedReader& in) {
  Header h;
  // Every line counts against the header limit before it is kept.
  auto next = [&]() -> Result<LineView> {
    // Room for the line and its '\n' within the header limit.
    const std::size_t used = h.mac_input.size() + 1;
    const std::size_t budget = used < kMaxHeaderSize ? kMaxHeaderSize - used : 0;
    Result<LineView> line = in.next_line(std::min(budget, kMaxHeaderLine));
    if (!line.ok()) return line;
    if (line.value().too_long) {
      return header_fail(budget <= kMaxHeaderLine ? "the header is longer than the limit" : "a header line is too long");
    }
    if (!line.value().terminated) {
      return header_fail(h.mac_input.empty() && line.value().text.empty() ? "the file is empty"
                                                                          : "the header is truncated");
    }
    return line;
  };

  {
    Result<LineView> first = next();
    if (!first.ok()) return std::move(first.error());
    const std::string_view text = first.value().text;
    if (text != kVersionLine) {
      if (text.substr(0, kIntro.size()) == kIntro) return header_fail("unsupported age format version");
      return header_fail("not an age file (the first line is not the age version line)");
    }
    h.mac_input.append(text).push_back('\n');
  }

  while (true) {
    Result<LineView> line_or = next();
    if (!line_or.ok()) return std::move(line_or.error());
    const std::string_view line = line_or.value().text;

    if (line.substr(0, 3) == "---") {
      if (h.stanzas.empty()) return header_fail("the header has no recipient stanzas");
      // "--- " and exactly 43 characters of canonical unpadded base64 (32 bytes).
      if (line.size() != 4 + 43 || line[3] != ' ') return header_fail("the header MAC line is malformed");
      const std::string_view mac_text = line.substr(4);
      for (char c : mac_text)
        if (!is_base64_char(c)) return header_fail("the header MAC line is malformed");
      Result<std::vector<std::uint8_t>> mac = from_base64(mac_text, false);
      if (!mac.ok() || mac->size() != h.mac.size()) return header_fail("the header MAC is not canonical base64");
      std::memcpy(h.mac.data(), mac->data(), h.mac.size());
      h.mac_input.append("---");
      return h;
    }

    if (line.substr(0, 3) != "-> ") return header_fail("a header line is neither a stanza nor the MAC line");
    Result<std::vector<std::string>> args = parse_arguments(line);
    if (!args.ok()) return std::move(args.error());
    h.mac_input.append(line).push_back('\n');

    // Body: full 64-column lines, ended by the first shorter line (possibly empty).
    std::string body_b64;
    while (true) {
      Result<LineView> body_line = next();
      if (!body_line.ok()) return std::move(body_line.error());
      const std::string_view text = body_line.value().text;
      if (text.size() > kColumns) return header_fail("a stanza body line is longer than 64 columns");
      for (char c : text)
        if (!is_base64_char(c)) return header_fail("a stanza body has a character outside unpadded base64");
      h.mac_input.append(text).push_back('\n');
      body_b64.append(text);
      if (text.size() < kColumns) break;
    }
    Stanza s;
    s.args = std::move(args.value());
    if (!body_b64.empty()) {
      Result<std::vector<std::uint8_t>> body = from_base64(body_b64, false);
      if (!body.ok()) return header_fail("a stanza body is not canonical base64");
      s.body = std::move(body.value());
    }
    h.stanzas.push_back(std::move(s));
  }
}

std::string serialize_header_for_mac(const std::vector<Stanza>& stanzas) {
  std::string out(kVersionLine);
  out.push_back('\n');
  for (const Stanza& s : stanzas) {
    out.append("->");
    for (const std::string& a : s.args) out.append(" ").append(a);
    out.push_back('\n');
    const std::string b64 = to_base64(s.body, false);
    for (std::size_t i = 0; i < b64.size(); i += kColumns) out.append(b64, i, kColumns).push_back('\n');
    // A body that fills its last line (or is empty) still needs the short final line.
    if (b64.size() % kColumns == 0) out.push_back('\n');
  }
  out.append("---");
  return out;
}

std::array<std::uint8_t, 32> header_mac(const SecureBuffer& file_key, std::string_view mac_input) {
  const SecureBuffer hmac_key = hkdf_sha256(file_key.span(), {}, bytes_of("header"), kKeySize);
  return hmac_sha256(hmac_key.span(), bytes_of(mac_input));
}

}  // namespace bc::crypto::age::detail
