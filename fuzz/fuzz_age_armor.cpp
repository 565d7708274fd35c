// Fuzz target: the age ASCII armor decoder. Inputs that do not already start like armor (a dash
// or white space) get the BEGIN line put in front, so every input takes the armored path.
// Checked: no crash, no "system failure", the same outcome whatever the read sizes; and, with
// the input as plaintext, armored encryption round-trips, with LF and with CRLF line ends.
#include <cstring>
#include <optional>
#include <string>

#include "fuzz_support.h"

namespace {

using namespace bc;
using crypto::age::FailureClass;

constexpr std::string_view kBegin = "-----BEGIN AGE ENCRYPTED FILE-----\n";

struct Outcome {
  std::optional<Error> error;
  std::vector<std::uint8_t> released;
};

Outcome run(const std::vector<crypto::age::Identity>& ids, const std::vector<std::uint8_t>& file, std::size_t piece) {
  Outcome o;
  const crypto::age::WriteFn write = [&](std::span<const std::uint8_t> b) -> Status {
    o.released.insert(o.released.end(), b.begin(), b.end());
    return {};
  };
  if (auto st = crypto::age::decrypt(ids, fuzz::reader_of(file, piece), write); !st) o.error = st.error();
  return o;
}

bool is_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<crypto::age::Identity> ids = [] {
    std::vector<crypto::age::Identity> v;
    auto x = crypto::age::X25519Identity::parse(fuzz::kKitIdentity);
    BC_FUZZ_CHECK(x.ok(), "the kit identity does not parse");
    v.emplace_back(std::move(*x));
    return v;
  }();
  static const crypto::age::X25519Recipient recipient = std::get<crypto::age::X25519Identity>(ids[0]).recipient();

  // Sized once and filled with memcpy: g++ 12 misreads insert() after assign() here as an
  // over-read (-Wstringop-overread).
  const bool prefix = size == 0 || (data[0] != '-' && !is_space(data[0]));
  const std::size_t head = prefix ? kBegin.size() : 0;
  std::vector<std::uint8_t> file(head + size);
  if (prefix) std::memcpy(file.data(), kBegin.data(), head);
  if (size > 0) std::memcpy(file.data() + head, data, size);
  const Outcome whole = run(ids, file, file.size() + 1);
  if (whole.error) BC_FUZZ_CHECK(crypto::age::failure_class(*whole.error) != FailureClass::system, whole.error->message);
  const Outcome pieces = run(ids, file, 1 + (size % 67));
  BC_FUZZ_CHECK(whole.error.has_value() == pieces.error.has_value(), "the outcome depends on the read size");
  if (whole.error) BC_FUZZ_CHECK(crypto::age::failure_class(*whole.error) == crypto::age::failure_class(*pieces.error), "the failure class depends on the read size");
  BC_FUZZ_CHECK(whole.released == pieces.released, "the released plaintext depends on the read size");

  // Round trip of the input as plaintext.
  if (size <= 4096) {
    const std::vector<std::uint8_t> armored = fuzz::encrypt_to(recipient, fuzz::as_text(data, size), true);
    const Outcome back = run(ids, armored, armored.size() + 1);
    BC_FUZZ_CHECK(!back.error, back.error ? back.error->message : "");
    BC_FUZZ_CHECK(back.released == std::vector<std::uint8_t>(data, data + size), "armored round trip changed the data");
    std::vector<std::uint8_t> crlf;
    for (std::uint8_t c : armored) {
      if (c == '\n') crlf.push_back('\r');
      crlf.push_back(c);
    }
    const Outcome back_crlf = run(ids, crlf, 1 + (size % 67));
    BC_FUZZ_CHECK(!back_crlf.error, back_crlf.error ? back_crlf.error->message : "");
    BC_FUZZ_CHECK(back_crlf.released == back.released, "CRLF armor decoded differently");
  }
  return 0;
}
