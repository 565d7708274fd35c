// Choice vectors: derivation, serialization, checks (see copy_choices.h).
#include "backchannel/core/copy_choices.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <numeric>

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/random.h"

namespace bc::core {
namespace {

constexpr std::string_view kPrefix = "cv1:";
constexpr std::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";

void put_u32(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int k = 3; k >= 0; --k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

std::string base36(std::uint64_t v) {
  std::string s;
  do {
    s.push_back(kDigits[v % 36]);
    v /= 36;
  } while (v);
  std::reverse(s.begin(), s.end());
  return s;
}

}  // namespace

std::string ChoiceVector::serialize() const {
  std::string out(kPrefix);
  out += structure_id_;
  out += ':';
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (i) out += '.';
    out += base36(values_[i]);
  }
  return out;
}

Result<ChoiceVector> ChoiceVector::parse(std::string_view text) {
  auto bad = [] { return fail(ErrorCode::bad_input, "not a choice vector (cv1:STRUCTURE:VALUES)"); };
  if (text.substr(0, kPrefix.size()) != kPrefix) return bad();
  text.remove_prefix(kPrefix.size());
  const std::size_t colon = text.find(':');
  if (colon != 16) return bad();
  const std::string_view id = text.substr(0, 16);
  if (!std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    return bad();
  text.remove_prefix(17);
  std::vector<std::uint64_t> values;
  if (!text.empty()) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = text.find('.', start);
      const std::string_view v = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      if (v.empty() || v.size() > 13 || (v.size() > 1 && v[0] == '0')) return bad();
      std::uint64_t x = 0;
      for (const char c : v) {
        const std::size_t d = kDigits.find(c);
        if (d == std::string_view::npos) return bad();
        if (x > (std::numeric_limits<std::uint64_t>::max() - d) / 36) return bad();
        x = x * 36 + d;
      }
      values.push_back(x);
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  return ChoiceVector(std::string(id), std::move(values));
}

std::string ChoiceVector::fingerprint() const {
  const auto d = crypto::sha256(crypto::bytes_of(serialize()));
  return crypto::to_hex(std::span<const std::uint8_t>(d.data(), 8));
}

crypto::SecureBuffer new_paper_key() { return crypto::random_secret(32); }

std::uint64_t factorial(std::size_t n) {
  std::uint64_t f = 1;
  for (std::size_t k = 2; k <= n; ++k) {
    if (f > std::numeric_limits<std::uint64_t>::max() / k) return std::numeric_limits<std::uint64_t>::max();
    f *= k;
  }
  return f;
}

std::vector<std::uint32_t> list_order(std::uint64_t rank, std::size_t n) {
  std::vector<std::uint32_t> pool(n);
  std::iota(pool.begin(), pool.end(), 0u);
  std::vector<std::uint32_t> order;
  order.reserve(n);
  for (std::size_t k = n; k > 0; --k) {
    const std::uint64_t f = factorial(k - 1);
    const std::size_t idx = static_cast<std::size_t>(std::min<std::uint64_t>(rank / f, k - 1));
    rank -= idx * f;
    order.push_back(pool[idx]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(idx));
  }
  return order;
}

std::uint64_t list_order_rank(std::span<const std::uint32_t> order) {
  std::uint64_t rank = 0;
  const std::size_t n = order.size();
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t smaller = 0;
    for (std::size_t j = k + 1; j < n; ++j)
      if (order[j] < order[k]) ++smaller;
    rank += smaller * factorial(n - 1 - k);
  }
  return rank;
}

namespace {

// One keyed candidate for a copy's choices.
std::vector<std::uint64_t> candidate_choices(const VariantPaper& paper, const crypto::SecureBuffer& paper_key,
                                             std::string_view copy_label, std::uint32_t candidate) {
  std::vector<std::uint8_t> prefix;
  const auto domain = crypto::bytes_of("backchannel copy choice v1");
  prefix.assign(domain.begin(), domain.end());
  prefix.push_back(0);
  prefix.insert(prefix.end(), paper.structure_id().begin(), paper.structure_id().end());
  put_u32(prefix, copy_label.size());
  prefix.insert(prefix.end(), copy_label.begin(), copy_label.end());
  put_u32(prefix, candidate);
  std::vector<std::uint64_t> values;
  values.reserve(paper.points().size());
  for (std::size_t i = 0; i < paper.points().size(); ++i) {
    const std::uint64_t count = paper.points()[i].choice_count;
    // Rejection sampling over 64-bit draws: uniform over [0, count).
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % count;
    for (std::uint32_t attempt = 0;; ++attempt) {
      std::vector<std::uint8_t> msg = prefix;
      put_u32(msg, i);
      put_u32(msg, attempt);
      const auto d = crypto::hmac_sha256(paper_key.span(), msg);
      std::uint64_t draw = 0;
      for (int k = 0; k < 8; ++k) draw = (draw << 8) | d[static_cast<std::size_t>(k)];
      if (draw < limit) {
        values.push_back(draw % count);
        break;
      }
    }
  }
  return values;
}

// How strongly a point tells copies apart once read: a comma or one letter (serial comma,
// spelling) counts half as much as a word, a date, a number or a list's order.
int point_strength(const VariantPoint& p) {
  return p.kind == VariantKind::spelling || p.kind == VariantKind::serial_comma ? 1 : 2;
}

struct WindowScore {
  int min = 0;             // the smallest distance to another vector in any window
  std::size_t at_min = 0;  // how many (vector, window) pairs have it
};

WindowScore window_score(const std::vector<std::uint64_t>& cand, const std::vector<const std::vector<std::uint64_t>*>& others,
                         const std::vector<int>& strength) {
  WindowScore score{std::numeric_limits<int>::max(), 0};
  const std::size_t n = cand.size();
  const std::size_t w = std::min(kChoiceWindow, n);
  for (const auto* o : others) {
    int sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (cand[i] != (*o)[i]) sum += strength[i];
      if (i >= w && cand[i - w] != (*o)[i - w]) sum -= strength[i - w];
      if (i + 1 < w) continue;
      if (sum < score.min) {
        score.min = sum;
        score.at_min = 0;
      }
      if (sum == score.min) ++score.at_min;
    }
  }
  return score;
}

}  // namespace

ChoiceVector derive_copy_choices(const VariantPaper& paper, const crypto::SecureBuffer& paper_key,
                                 std::string_view copy_label, std::span<const ChoiceVector> earlier) {
  const std::size_t n = paper.points().size();
  std::vector<int> strength;
  for (const auto& p : paper.points()) strength.push_back(point_strength(p));
  const std::vector<std::uint64_t> as_written(n, 0);
  std::vector<const std::vector<std::uint64_t>*> others = {&as_written};
  for (const auto& e : earlier)
    if (e.structure_id() == paper.structure_id() && e.values().size() == n) others.push_back(&e.values());
  std::vector<std::uint64_t> best;
  WindowScore best_score{-1, 0};
  for (std::uint32_t c = 0; c < kChoiceCandidates; ++c) {
    std::vector<std::uint64_t> cand = candidate_choices(paper, paper_key, copy_label, c);
    if (n == 0) return ChoiceVector(paper.structure_id(), std::move(cand));
    const WindowScore s = window_score(cand, others, strength);
    if (s.min > best_score.min || (s.min == best_score.min && s.at_min < best_score.at_min)) {
      best_score = s;
      best = std::move(cand);
    }
  }
  return ChoiceVector(paper.structure_id(), std::move(best));
}

ChoiceVector choices_as_written(const VariantPaper& paper) {
  return ChoiceVector(paper.structure_id(), std::vector<std::uint64_t>(paper.points().size(), 0));
}

Status check_choices(const VariantPaper& paper, const ChoiceVector& choices) {
  if (choices.structure_id() != paper.structure_id())
    return fail(ErrorCode::bad_input, "the choice vector belongs to another version of the paper's variant points");
  if (choices.values().size() != paper.points().size())
    return fail(ErrorCode::bad_input, "the choice vector has " + std::to_string(choices.values().size()) +
                                          " values for " + std::to_string(paper.points().size()) + " variant points");
  for (std::size_t i = 0; i < choices.values().size(); ++i)
    if (choices.values()[i] >= paper.points()[i].choice_count)
      return fail(ErrorCode::bad_input, "value " + std::to_string(i + 1) + " of the choice vector is out of range");
  return {};
}

std::size_t choice_distance(const ChoiceVector& a, const ChoiceVector& b) {
  const std::size_t n = std::min(a.values().size(), b.values().size());
  std::size_t d = std::max(a.values().size(), b.values().size()) - n;
  for (std::size_t i = 0; i < n; ++i)
    if (a.values()[i] != b.values()[i]) ++d;
  return d;
}

}  // namespace bc::core
