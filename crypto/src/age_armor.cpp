// ASCII armor: strict PEM (RFC 7468) with the label "AGE ENCRYPTED FILE", 64-column padded
// base64, no headers. Both directions stream one line at a time.
#include <algorithm>
#include <cstring>

#include "age_internal.h"

namespace bc::crypto::age::detail {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kColumns = 64;
constexpr std::size_t kLineBytes = 48;
constexpr std::size_t kFlushAt = 64 * 1024;

struct DecodeTable {
  std::uint8_t v[256];
  constexpr DecodeTable() : v() {
    for (auto& x : v) x = 0xff;
    for (std::uint8_t i = 0; i < 64; ++i) v[static_cast<unsigned char>(kAlphabet[i])] = i;
  }
};
constexpr DecodeTable kDecode;

void encode_group(const std::uint8_t* in, std::size_t n, std::string& out) {
  const std::uint32_t b = (std::uint32_t{in[0]} << 16) | (n > 1 ? std::uint32_t{in[1]} << 8 : 0) | (n > 2 ? in[2] : 0);
  out.push_back(kAlphabet[(b >> 18) & 63]);
  out.push_back(kAlphabet[(b >> 12) & 63]);
  out.push_back(n > 1 ? kAlphabet[(b >> 6) & 63] : '=');
  out.push_back(n > 2 ? kAlphabet[b & 63] : '=');
}

void encode_line(const std::uint8_t* in, std::size_t n, std::string& out) {
  for (std::size_t i = 0; i < n; i += 3) encode_group(in + i, std::min<std::size_t>(3, n - i), out);
  out.push_back('\n');
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

Error armor_fail(std::string detail) { return age_fail(FailureClass::armor, std::move(detail)); }

}  // namespace

bool decode_armor_line(std::string_view text, std::uint8_t* out, std::size_t& out_len) {
  if (text.empty() || text.size() > kColumns || text.size() % 4 != 0) return false;
  std::size_t pad = 0;
  while (pad < 2 && text[text.size() - 1 - pad] == '=') ++pad;
  std::size_t o = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool final_group = i + 4 == text.size();
    const std::size_t chars = final_group ? 4 - pad : 4;
    std::uint32_t acc = 0;
    for (std::size_t j = 0; j < chars; ++j) {
      const std::uint8_t v = kDecode.v[static_cast<unsigned char>(text[i + j])];
      if (v == 0xff) return false;
      acc = (acc << 6) | v;
    }
    if (chars == 4) {
      out[o++] = static_cast<std::uint8_t>(acc >> 16);
      out[o++] = static_cast<std::uint8_t>(acc >> 8);
      out[o++] = static_cast<std::uint8_t>(acc);
    } else if (chars == 3) {
      // Canonical: the 2 bits that do not fit a byte are zero.
      if ((acc & 3) != 0) return false;
      out[o++] = static_cast<std::uint8_t>(acc >> 10);
      out[o++] = static_cast<std::uint8_t>(acc >> 2);
    } else {
      if ((acc & 15) != 0) return false;
      out[o++] = static_cast<std::uint8_t>(acc >> 4);
    }
  }
  out_len = o;
  return true;
}

// --- Encoder --------------------------------------------------------------------------------

ArmorWriter::ArmorWriter(const WriteFn& out) : out_(out) { lines_.reserve(kFlushAt + 2 * kColumns); }

Status ArmorWriter::flush_lines() {
  if (lines_.empty()) return {};
  Status st = out_(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(lines_.data()), lines_.size()));
  lines_.clear();
  return st;
}

Status ArmorWriter::write(std::span<const std::uint8_t> bytes) {
  if (!started_) {
    lines_.append(kArmorBegin).push_back('\n');
    started_ = true;
  }
  while (!bytes.empty()) {
    if (npending_ == 0 && bytes.size() >= kLineBytes) {
      encode_line(bytes.data(), kLineBytes, lines_);
      bytes = bytes.subspan(kLineBytes);
    } else {
      const std::size_t n = std::min(kLineBytes - npending_, bytes.size());
      std::memcpy(pending_.data() + npending_, bytes.data(), n);
      npending_ += n;
      bytes = bytes.subspan(n);
      if (npending_ == kLineBytes) {
        encode_line(pending_.data(), kLineBytes, lines_);
        npending_ = 0;
      }
    }
    if (lines_.size() >= kFlushAt) BC_TRY(flush_lines());
  }
  return {};
}

Status ArmorWriter::finish() {
  if (!started_) {
    lines_.append(kArmorBegin).push_back('\n');
    started_ = true;
  }
  if (npending_ > 0) encode_line(pending_.data(), npending_, lines_);
  npending_ = 0;
  lines_.append(kArmorEnd).push_back('\n');
  return flush_lines();
}

// --- Decoder --------------------------------------------------------------------------------

Status ArmorSource::begin() {
  std::size_t skipped = 0;
  while (true) {
    Result<LineView> line = in_.next_line(kMaxArmorWhitespace);
    if (!line.ok()) return std::move(line.error());
    if (line.value().too_long) return armor_fail("the first line is not the armor BEGIN line");
    std::string_view text = line.value().text;
    if (!line.value().terminated && text.empty()) return armor_fail("the armored file has no BEGIN line");
    if (std::all_of(text.begin(), text.end(), is_space)) {
      skipped += text.size() + 1;
      if (skipped > kMaxArmorWhitespace) return armor_fail("too much whitespace before the BEGIN line");
      continue;
    }
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text != kArmorBegin) return armor_fail("the first line is not \"" + std::string(kArmorBegin) + "\"");
    if (!line.value().terminated) return armor_fail("the armored file ends after its BEGIN line");
    started_ = true;
    return {};
  }
}

Status ArmorSource::check_trailer(bool end_line_terminated) {
  if (!end_line_terminated) return {};  // the input ended with the END line
  Result<std::span<const std::uint8_t>> rest = in_.peek(kMaxArmorWhitespace + 1);
  if (!rest.ok()) return std::move(rest.error());
  for (std::uint8_t c : rest.value())
    if (!is_space(static_cast<char>(c))) return armor_fail("there is data after the END line");
  if (rest.value().size() > kMaxArmorWhitespace) return armor_fail("too much whitespace after the END line");
  return {};
}

Result<std::size_t> ArmorSource::next_line(std::uint8_t* out) {
  // Room for 64 columns and the CR of a CRLF line end; anything longer is refused unread.
  Result<LineView> line = in_.next_line(kColumns + 1);
  if (!line.ok()) return std::move(line.error());
  if (line.value().too_long) return armor_fail("a line is longer than 64 columns");
  std::string_view text = line.value().text;
  const bool terminated = line.value().terminated;
  if (!terminated && text.empty()) return armor_fail("the END line is missing");
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text == kArmorEnd) {
    if (Status o = check_trailer(terminated); !o.ok()) return std::move(o).error();
    done_ = true;
    return std::size_t{0};
  }
  if (last_line_seen_) return armor_fail("a line follows the last base64 line instead of the END line");
  if (!terminated) return armor_fail("the END line is missing");
  if (text.empty()) return armor_fail("an empty line inside the armor");
  if (text.size() > kColumns) return armor_fail("a line is longer than 64 columns");
  std::size_t n = 0;
  if (!decode_armor_line(text, out, n)) return armor_fail("a line is not canonical padded base64");
  if (n < kLineBytes) last_line_seen_ = true;
  return n;
}

Result<std::size_t> ArmorSource::read(std::span<std::uint8_t> out) {
  if (!started_) {
    if (Status o = begin(); !o.ok()) return std::move(o).error();
  }
  std::size_t done = 0;
  while (done < out.size()) {
    if (line_pos_ < line_len_) {
      const std::size_t n = std::min(line_len_ - line_pos_, out.size() - done);
      std::memcpy(out.data() + done, line_.data() + line_pos_, n);
      line_pos_ += n;
      done += n;
      continue;
    }
    if (done_) break;
    if (out.size() - done >= kLineBytes) {
      Result<std::size_t> n = next_line(out.data() + done);
      if (!n.ok()) return std::move(n.error());
      done += n.value();
    } else {
      Result<std::size_t> n = next_line(line_.data());
      if (!n.ok()) return std::move(n.error());
      line_pos_ = 0;
      line_len_ = n.value();
    }
  }
  return done;
}

}  // namespace bc::crypto::age::detail
