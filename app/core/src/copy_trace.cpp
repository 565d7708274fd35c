// Tracing a leaked text (see copy_trace.h; the method and its thresholds are written down in
// docs/paper.md, "How tracing decides").
//
// 1. The leaked text and the paper's fixed words are put in comparison form (trace_form.h).
// 2. Anchors: three consecutive leaked words that occur exactly once in the paper's fixed words.
// 3. Chains: anchors in the same sequence whose positions advance together, allowing for the
//    words of the gaps between them and a little noise. A chain of two anchors or more is a
//    stretch of the leak placed in the paper; a reordered excerpt gives several chains.
// 4. Inside a chain, the words between anchors are aligned word by word (edit distance over
//    words; a word matches a word within 40 % of its letters); leaked words inserted where the
//    paper has a gap are cheap, since that is where alternatives sit.
// 5. At a gap whose fixed neighbours are matched firmly, the leaked text from the left
//    neighbour to the right one is compared with each combination of the gap's alternatives
//    (character edit distance). The combinations farther than the nearest one by m edits get
//    the log-likelihood -log((1-e)/e) with e = max(0.25^m, 0.02): a difference of one character
//    is weak evidence (a comma or hyphen lost in OCR), three or more is strong but never more
//    than 50 to 1 (a word changed by a retyper). At the edge of a sequence only one neighbour
//    exists: e >= 0.1.
// 6. A list item directly followed by another (or by the text after the list) is evidence about
//    the list's order: 9 to 1 per observation, at most 50 to 1 per list, because cutting and
//    reordering quotations can put two items side by side.
// 7. Hypotheses: every copy, the paper as written, and "none of them" (every choice uniformly
//    random), with equal priors. A copy is named when its posterior reaches the threshold and
//    it is not clearly contradicted in more than 1 + 5 % of the readings.
#include "backchannel/core/copy_trace.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "natural_variants.h"
#include "trace_form.h"
#include "trace_index.h"

namespace bc::core {
namespace {

constexpr double kSolid = 0.4;        // a word matches within this share of its letters
constexpr int kExtend = 8;            // words aligned beyond a chain's outer anchors
constexpr double kGapInsert = 0.1;    // cost of a leaked word where the paper has a gap
constexpr double kListWeight = 2.1972245773362196;  // log(0.9 / 0.1)
constexpr double kListCap = 3.8918202981106265;     // log(0.98 / 0.02)
constexpr double kEdited = 0.1;  // prior that an editor rewrote a natural kind in one house style

// The evidence against a combination that is `margin` edits farther from the leaked text than
// the best one. `longer` compares the best combination's length with this one's: one edit that
// deletes a character (a comma or letter lost in OCR) is common, one that adds or changes a
// specific character is not.
double margin_weight(std::uint32_t margin, int longer, bool one_sided) {
  if (margin == 0) return 0;
  double e;
  if (margin == 1) {
    e = longer > 0 ? 0.05 : longer == 0 ? 0.1 : 0.25;
  } else {
    e = std::max(std::pow(0.25, static_cast<double>(margin)), 0.02);
  }
  if (one_sided) e = std::max(e, 0.1);
  return std::log((1 - e) / e);
}

double log_sum_exp(const std::vector<double>& v) {
  const double m = *std::max_element(v.begin(), v.end());
  double s = 0;
  for (const double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

struct Anchor {
  int s;
  int t;
  double score = 0;
  int prev = -1;
  bool used = false;
};

struct GapReading {
  std::uint32_t gap;
  std::vector<double> ll;  // per combination
  std::size_t best;
  std::uint32_t min_cost;
  std::uint32_t leak_begin, leak_end;
  bool one_sided;
};

struct ListObservation {
  std::size_t list;
  int from;  // item index, -1 for the text before the list
  int to;    // item index, -1 for the text after the list
  std::uint32_t leak_begin, leak_end;
};

class Tracer {
 public:
  Tracer(const VariantPaper& paper, std::string_view leak)
      : paper_(paper), ix_(build_trace_index(paper)), leak_(trace_form(leak, true)) {
    for (const auto& t : leak_.tokens) s_cps_.push_back(code_points(leak_.key(t)));
  }

  void read() {
    find_anchors();
    chain_anchors();
    first_at_.assign(ix_.seqs.size(), {});
    last_at_.assign(ix_.seqs.size(), {});
    for (const auto& chain : chains_) align_chain(chain);
    resolve_gap_readings();
    observe_lists();
  }

  TraceResult decide(std::span<const RegisteredCopy> copies, const TraceOptions& options) const;

 private:
  // ---- anchors and chains ----

  void find_anchors() {
    const auto& toks = leak_.tokens;
    for (std::size_t s = 0; s + 2 < toks.size(); ++s) {
      const auto it = ix_.trigrams.find(trigram_hash(toks[s].hash, toks[s + 1].hash, toks[s + 2].hash));
      if (it == ix_.trigrams.end() || it->second == TraceIndex::kDuplicate) continue;
      const auto t = static_cast<std::size_t>(it->second);
      // Hashes can collide: compare the words.
      bool same = true;
      for (std::size_t k = 0; k < 3; ++k)
        if (ix_.words[t + k].key != leak_.key(toks[s + k])) same = false;
      if (same) anchors_.push_back({static_cast<int>(s), static_cast<int>(t)});
    }
  }

  void chain_anchors() {
    const int n = static_cast<int>(anchors_.size());
    for (int j = 0; j < n; ++j) {
      Anchor& a = anchors_[static_cast<std::size_t>(j)];
      a.score = 3;
      for (int i = std::max(0, j - 64); i < j; ++i) {
        const Anchor& b = anchors_[static_cast<std::size_t>(i)];
        if (b.s >= a.s || b.t >= a.t) continue;
        if (ix_.words[static_cast<std::size_t>(b.t)].seq != ix_.words[static_cast<std::size_t>(a.t)].seq) continue;
        const int dt = a.t - b.t, ds = a.s - b.s;
        if (dt > 60 || ds > 90) continue;
        const int extra = static_cast<int>(ix_.gap_words_upto[static_cast<std::size_t>(a.t)] -
                                           ix_.gap_words_upto[static_cast<std::size_t>(b.t)]);
        const int slack = 3 + dt / 8;
        const int delta = ds - dt;
        if (delta < -slack || delta > extra + slack) continue;
        const double score = b.score + std::min(3, dt) - 0.05 * std::abs(delta);
        if (score > a.score) {
          a.score = score;
          a.prev = i;
        }
      }
    }
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
      return anchors_[static_cast<std::size_t>(x)].score > anchors_[static_cast<std::size_t>(y)].score;
    });
    for (const int top : order) {
      if (anchors_[static_cast<std::size_t>(top)].used) continue;
      std::vector<int> chain;
      for (int k = top; k >= 0 && !anchors_[static_cast<std::size_t>(k)].used; k = anchors_[static_cast<std::size_t>(k)].prev) {
        anchors_[static_cast<std::size_t>(k)].used = true;
        chain.push_back(k);
      }
      if (chain.size() < 2) continue;
      std::reverse(chain.begin(), chain.end());
      chains_.push_back(std::move(chain));
    }
  }

  // ---- alignment inside a chain ----

  double word_cost(std::size_t t, std::size_t s) const {
    const auto& w = ix_.words[t];
    if (w.hash == leak_.tokens[s].hash && w.key == leak_.key(leak_.tokens[s])) return 0;
    const std::u32string& a = w.cps;
    const std::u32string& b = s_cps_[s];
    const double longest = static_cast<double>(std::max(a.size(), b.size()));
    const double diff = static_cast<double>(a.size() > b.size() ? a.size() - b.size() : b.size() - a.size());
    if (diff / longest > kSolid) return 1;
    const double r = edit_distance(a, b) / longest;
    return r <= kSolid ? r : 1;
  }

  enum class Ends { fixed, free_start, free_end };

  // Word alignment of fixed words [t0, t1) with leaked words [s0, s1); writes matches into
  // s_of / cost_of (indexed from `base`).
  void align_box(int t0, int t1, int s0, int s1, Ends ends, int base, std::vector<int>& s_of,
                 std::vector<double>& cost_of) const {
    const int n = t1 - t0, m = s1 - s0;
    if (n <= 0 || m <= 0) return;
    const int w = m + 1;
    std::vector<double> d(static_cast<std::size_t>((n + 1) * w));
    std::vector<std::uint8_t> from(static_cast<std::size_t>((n + 1) * w));  // 0 diag, 1 up, 2 left, 3 start
    auto at = [&](int i, int j) -> std::size_t { return static_cast<std::size_t>(i * w + j); };
    auto ins = [&](int i) { return ix_.gap_at[static_cast<std::size_t>(t0 + i)] >= 0 ? kGapInsert : 1.0; };
    for (int i = 0; i <= n; ++i) {
      for (int j = 0; j <= m; ++j) {
        if (i == 0 && j == 0) {
          d[at(0, 0)] = 0;
          from[at(0, 0)] = 3;
          continue;
        }
        if (ends == Ends::free_start && (i == 0 || j == 0)) {
          d[at(i, j)] = 0;
          from[at(i, j)] = 3;
          continue;
        }
        double best = 1e18;
        std::uint8_t how = 3;
        if (i > 0 && j > 0) {
          best = d[at(i - 1, j - 1)] + word_cost(static_cast<std::size_t>(t0 + i - 1), static_cast<std::size_t>(s0 + j - 1));
          how = 0;
        }
        if (i > 0 && d[at(i - 1, j)] + 1 < best) {
          best = d[at(i - 1, j)] + 1;
          how = 1;
        }
        if (j > 0 && d[at(i, j - 1)] + ins(i) < best) {
          best = d[at(i, j - 1)] + ins(i);
          how = 2;
        }
        d[at(i, j)] = best;
        from[at(i, j)] = how;
      }
    }
    int i = n, j = m;
    if (ends == Ends::free_end) {
      double best = d[at(n, m)];
      for (int k = 0; k <= n; ++k)
        if (d[at(k, m)] < best) best = d[at(k, m)], i = k, j = m;
      for (int k = 0; k <= m; ++k)
        if (d[at(n, k)] < best) best = d[at(n, k)], i = n, j = k;
    }
    while (i > 0 || j > 0) {
      const std::uint8_t how = from[at(i, j)];
      if (how == 3) break;
      if (how == 0) {
        const double c = d[at(i, j)] - d[at(i - 1, j - 1)];
        const std::size_t slot = static_cast<std::size_t>(t0 + i - 1 - base);
        s_of[slot] = s0 + j - 1;
        cost_of[slot] = c;
        --i;
        --j;
      } else if (how == 1) {
        --i;
      } else {
        --j;
      }
    }
  }

  void align_chain(const std::vector<int>& chain) {
    // Anchors that overlap must lie on one diagonal.
    std::vector<Anchor> kept;
    for (const int k : chain) {
      const Anchor& a = anchors_[static_cast<std::size_t>(k)];
      if (!kept.empty()) {
        const Anchor& b = kept.back();
        if ((a.t < b.t + 3 || a.s < b.s + 3) && a.t - b.t != a.s - b.s) continue;
      }
      kept.push_back(a);
    }
    if (kept.size() < 2) return;
    const auto seq_index = ix_.words[static_cast<std::size_t>(kept.front().t)].seq;
    const TraceIndex::Seq& seq = ix_.seqs[seq_index];
    const int s_size = static_cast<int>(leak_.tokens.size());
    const int t_lo = std::max(static_cast<int>(seq.t_begin), kept.front().t - kExtend);
    const int t_hi = std::min(static_cast<int>(seq.t_end), kept.back().t + 3 + kExtend);
    std::vector<int> s_of(static_cast<std::size_t>(t_hi - t_lo), -1);
    std::vector<double> cost_of(static_cast<std::size_t>(t_hi - t_lo), 1.0);
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const Anchor& a = kept[k];
      for (int j = 0; j < 3; ++j) {
        s_of[static_cast<std::size_t>(a.t + j - t_lo)] = a.s + j;
        cost_of[static_cast<std::size_t>(a.t + j - t_lo)] = 0;
      }
      if (k + 1 < kept.size()) {
        const Anchor& b = kept[k + 1];
        align_box(a.t + 3, b.t, a.s + 3, b.s, Ends::fixed, t_lo, s_of, cost_of);
      }
    }
    const Anchor& first = kept.front();
    const Anchor& last = kept.back();
    const int left_words = first.t - t_lo;
    const int left_extra = static_cast<int>(ix_.gap_words_upto[static_cast<std::size_t>(first.t)] -
                                            ix_.gap_words_upto[static_cast<std::size_t>(t_lo)]);
    align_box(t_lo, first.t, std::max(0, first.s - left_words - left_extra - 3), first.s, Ends::free_start, t_lo,
              s_of, cost_of);
    const int right_words = t_hi - (last.t + 3);
    const int right_extra = static_cast<int>(ix_.gap_words_upto[static_cast<std::size_t>(t_hi)] -
                                             ix_.gap_words_upto[static_cast<std::size_t>(last.t + 3)]);
    align_box(last.t + 3, t_hi, last.s + 3, std::min(s_size, last.s + 3 + right_words + right_extra + 3),
              Ends::free_end, t_lo, s_of, cost_of);

    auto solid = [&](int t) {
      if (t < t_lo || t >= t_hi) return false;
      const auto k = static_cast<std::size_t>(t - t_lo);
      return s_of[k] >= 0 && cost_of[k] <= kSolid;
    };
    auto s_at = [&](int t) { return s_of[static_cast<std::size_t>(t - t_lo)]; };
    for (int t = t_lo; t < t_hi; ++t)
      if (solid(t)) ++located_;

    // Sequence edges, for list order.
    const int tb = static_cast<int>(seq.t_begin), te = static_cast<int>(seq.t_end);
    if (solid(tb) && (te - tb == 1 || (solid(tb + 1) && s_at(tb + 1) > s_at(tb))))
      first_at_[seq_index].push_back(s_at(tb));
    if (solid(te - 1) && (te - tb == 1 || (solid(te - 2) && s_at(te - 2) < s_at(te - 1))))
      last_at_[seq_index].push_back(s_at(te - 1));

    // Gaps.
    for (int t = std::max(t_lo, tb); t <= std::min(t_hi, te); ++t) {
      const std::int32_t g = ix_.gap_at[static_cast<std::size_t>(t)];
      if (g < 0) continue;
      const TraceIndex::Gap& gap = ix_.gaps[static_cast<std::size_t>(g)];
      if (!gap.readable || (gap.left_open && gap.right_open)) continue;
      read_gap(static_cast<std::uint32_t>(g), gap, t, tb, te, solid, s_at);
    }
  }

  template <class Solid, class SAt>
  void read_gap(std::uint32_t g, const TraceIndex::Gap& gap, int t, int tb, int te, const Solid& solid,
                const SAt& s_at) {
    const auto& toks = leak_.tokens;
    const std::size_t combos = gap.expected.size();
    std::vector<std::uint32_t> cost(combos);
    std::uint32_t first_tok = 0, last_tok = 0;
    bool one_sided = false;
    double allowance = 0;
    if (!gap.left_open && !gap.right_open) {
      // The fixed words that bound the gap in the leak: the neighbours, or (when one of them was
      // changed) the word beyond it, which then becomes part of what is compared.
      int left = t - 1, right = t;
      if (!solid(left) && left - 1 >= tb && solid(left - 1) && solid(right)) --left;
      if (!solid(right) && right + 1 < te && solid(right + 1) && left == t - 1) ++right;
      if (!solid(left) || !solid(right)) return;
      const int a = s_at(left), b = s_at(right);
      const int spanned = (t - 1 - left) + (right - t);
      if (b <= a || b - a - 1 > static_cast<int>(gap.max_words) + spanned + 2) return;
      if (spanned == 0) {
        // The neighbours' own neighbours, where they exist, confirm the place.
        int have = 0, firm = 0;
        for (const int u : {t - 2, t + 1}) {
          if (u < tb || u >= te) continue;
          ++have;
          if (solid(u)) ++firm;
        }
        if (firm < std::min(have, 1)) return;
      }
      first_tok = static_cast<std::uint32_t>(a);
      last_tok = static_cast<std::uint32_t>(b);
      const std::u32string seen = code_points(
          std::string_view(leak_.text).substr(toks[first_tok].begin, toks[last_tok].end - toks[first_tok].begin));
      std::u32string prefix, suffix;
      if (left < t - 1) {
        prefix = ix_.words[static_cast<std::size_t>(left)].full + U" ";
        allowance = static_cast<double>(ix_.words[static_cast<std::size_t>(t - 1)].full.size()) + 2;
      }
      if (right > t) {
        suffix = U" " + ix_.words[static_cast<std::size_t>(right)].full;
        allowance = static_cast<double>(ix_.words[static_cast<std::size_t>(t)].full.size()) + 2;
      }
      // A word inserted next to the alternative (a retyper's slip) is tried without, at the
      // price of two edits, so that it does not hide the reading.
      std::vector<std::u32string> dropped;
      const std::string_view text(leak_.text);
      auto piece = [&](int from, int to) {  // leaked words [from, to] with the spaces between them
        return code_points(text.substr(toks[static_cast<std::size_t>(from)].begin,
                                       toks[static_cast<std::size_t>(to)].end - toks[static_cast<std::size_t>(from)].begin));
      };
      if (b - a - 1 >= 1) {
        dropped.push_back(piece(a, a) + U" " + piece(a + 2, b));
        dropped.push_back(piece(a, b - 2) + U" " + piece(b, b));
      }
      for (std::size_t c = 0; c < combos; ++c) {
        const std::u32string want = prefix + gap.expected[c] + suffix;
        cost[c] = edit_distance(seen, want);
        for (const auto& d : dropped) cost[c] = std::min(cost[c], edit_distance(d, want) + 2);
      }
    } else {
      one_sided = true;
      if (gap.left_open) {
        if (!solid(t) || (t + 1 < te && (!solid(t + 1) || s_at(t + 1) <= s_at(t)))) return;
        const int b = s_at(t);
        last_tok = static_cast<std::uint32_t>(b);
        first_tok = last_tok;
        for (std::size_t c = 0; c < combos; ++c) {
          const int k = static_cast<int>(gap.words[c]);
          if (k == 0 || b - k < 0) return;
          first_tok = std::min(first_tok, static_cast<std::uint32_t>(b - k));
          const std::u32string seen = code_points(std::string_view(leak_.text).substr(
              toks[static_cast<std::size_t>(b - k)].begin, toks[static_cast<std::size_t>(b)].end - toks[static_cast<std::size_t>(b - k)].begin));
          cost[c] = edit_distance(seen, gap.expected[c]);
        }
      } else {
        if (!solid(t - 1) || (t - 2 >= tb && (!solid(t - 2) || s_at(t - 2) >= s_at(t - 1)))) return;
        const int a = s_at(t - 1);
        first_tok = static_cast<std::uint32_t>(a);
        last_tok = first_tok;
        for (std::size_t c = 0; c < combos; ++c) {
          const int k = static_cast<int>(gap.words[c]);
          if (k == 0 || a + k >= static_cast<int>(toks.size())) return;
          last_tok = std::max(last_tok, static_cast<std::uint32_t>(a + k));
          const std::u32string seen = code_points(std::string_view(leak_.text).substr(
              toks[static_cast<std::size_t>(a)].begin, toks[static_cast<std::size_t>(a + k)].end - toks[static_cast<std::size_t>(a)].begin));
          cost[c] = edit_distance(seen, gap.expected[c]);
        }
      }
    }
    const std::size_t best = static_cast<std::size_t>(std::min_element(cost.begin(), cost.end()) - cost.begin());
    // The text there must look like one of the alternatives, not like something else.
    if (cost[best] > 1.5 + 0.34 * gap.alone_length[best] + allowance) return;
    GapReading r{g, std::vector<double>(combos), best, cost[best], 0, 0, one_sided};
    bool informative = false;
    for (std::size_t c = 0; c < combos; ++c) {
      const int longer = static_cast<int>(gap.expected[best].size()) - static_cast<int>(gap.expected[c].size());
      r.ll[c] = -margin_weight(cost[c] - cost[best], longer, one_sided);
      if (r.ll[c] < 0) informative = true;
    }
    if (!informative) return;
    r.leak_begin = leak_.source_start[toks[first_tok].begin];
    r.leak_end = leak_.source_end[toks[last_tok].end - 1];
    gap_readings_.push_back(std::move(r));
  }

  // A gap read twice (a passage quoted twice, or two chains over one place) counts once, and
  // not at all when the two readings disagree.
  void resolve_gap_readings() {
    std::map<std::uint32_t, std::vector<std::size_t>> by_gap;
    for (std::size_t k = 0; k < gap_readings_.size(); ++k) by_gap[gap_readings_[k].gap].push_back(k);
    std::vector<GapReading> kept;
    for (const auto& [gap, list] : by_gap) {
      std::size_t pick = list[0];
      bool agree = true;
      for (const std::size_t k : list) {
        if (gap_readings_[k].best != gap_readings_[pick].best) agree = false;
        if (gap_readings_[k].min_cost < gap_readings_[pick].min_cost) pick = k;
      }
      if (agree) kept.push_back(std::move(gap_readings_[pick]));
    }
    gap_readings_ = std::move(kept);
  }

  std::uint32_t gap_words(std::int32_t g) const {
    return g < 0 ? 0 : ix_.gaps[static_cast<std::size_t>(g)].max_words;
  }

  void observe_lists() {
    auto unique_pos = [](const std::vector<int>& v) {
      if (v.empty()) return -1;
      for (const int x : v)
        if (x != v[0]) return -1;
      return v[0];
    };
    for (std::size_t l = 0; l < ix_.lists.size(); ++l) {
      const TraceIndex::List& list = ix_.lists[l];
      const int n = static_cast<int>(list.items.size());
      auto seq_of = [&](int item) { return item < 0 ? -1 : list.items[static_cast<std::size_t>(item)]; };
      for (int from = -1; from < n; ++from) {
        const std::int32_t xs = from < 0 ? list.lead : seq_of(from);
        if (xs < 0) continue;
        const int p = unique_pos(last_at_[static_cast<std::size_t>(xs)]);
        if (p < 0) continue;
        int found = 0;
        ListObservation obs{};
        for (int to = -1; to < n; ++to) {
          if (to == from || (from < 0 && to < 0)) continue;
          const std::int32_t ys = to < 0 ? list.trail : seq_of(to);
          if (ys < 0) continue;
          const int q = unique_pos(first_at_[static_cast<std::size_t>(ys)]);
          if (q <= p) continue;
          const auto allowed = static_cast<int>(gap_words(ix_.seqs[static_cast<std::size_t>(xs)].trail_gap) +
                                                gap_words(ix_.seqs[static_cast<std::size_t>(ys)].lead_gap)) + 1;
          if (q - p - 1 > allowed) continue;
          ++found;
          obs = {l, from, to, leak_.source_start[leak_.tokens[static_cast<std::size_t>(p)].begin],
                 leak_.source_end[leak_.tokens[static_cast<std::size_t>(q)].end - 1]};
        }
        if (found == 1) list_obs_.push_back(obs);
      }
    }
  }

  // How many of a list's observations an order contradicts.
  static int inconsistent(const std::vector<const ListObservation*>& obs, const std::vector<std::uint32_t>& order) {
    std::vector<int> pos(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) pos[order[k]] = static_cast<int>(k);
    const int n = static_cast<int>(order.size());
    int bad = 0;
    for (const ListObservation* o : obs) {
      bool ok;
      if (o->from < 0) {
        ok = pos[static_cast<std::size_t>(o->to)] == 0;
      } else if (o->to < 0) {
        ok = pos[static_cast<std::size_t>(o->from)] == n - 1;
      } else {
        ok = pos[static_cast<std::size_t>(o->to)] == pos[static_cast<std::size_t>(o->from)] + 1;
      }
      if (!ok) ++bad;
    }
    return bad;
  }

  static double list_ll(int bad) { return -std::min(kListCap, kListWeight * bad); }

  const VariantPaper& paper_;
  TraceIndex ix_;
  TraceForm leak_;
  std::vector<std::u32string> s_cps_;
  std::vector<Anchor> anchors_;
  std::vector<std::vector<int>> chains_;
  std::vector<std::vector<int>> first_at_, last_at_;
  std::vector<GapReading> gap_readings_;
  std::vector<ListObservation> list_obs_;
  std::size_t located_ = 0;
};

std::string describe_order(const std::vector<const ListObservation*>& obs) {
  std::string out;
  for (const ListObservation* o : obs) {
    if (!out.empty()) out += "; ";
    if (o->from < 0)
      out += "item " + std::to_string(o->to + 1) + " first";
    else if (o->to < 0)
      out += "item " + std::to_string(o->from + 1) + " last";
    else
      out += "item " + std::to_string(o->to + 1) + " right after item " + std::to_string(o->from + 1);
  }
  return out;
}

std::string describe_list_choice(std::uint64_t rank, std::size_t n) {
  std::string out = "items in the order";
  for (const std::uint32_t item : list_order(rank, n)) out += " " + std::to_string(item + 1);
  return out;
}

}  // namespace

TraceResult Tracer::decide(std::span<const RegisteredCopy> copies, const TraceOptions& options) const {
  TraceResult r;
  r.leak_words = leak_.tokens.size();
  r.located_words = std::min(located_, r.leak_words);

  // Readings as the caller sees them.
  for (const GapReading& g : gap_readings_) {
    const TraceIndex::Gap& gap = ix_.gaps[g.gap];
    TraceReading tr;
    tr.points.assign(gap.points.begin(), gap.points.end());
    tr.read = gap.shown[g.best];
    tr.leak_begin = g.leak_begin;
    tr.leak_end = g.leak_end;
    tr.one_sided = g.one_sided;
    r.readings.push_back(std::move(tr));
  }
  std::map<std::size_t, std::vector<const ListObservation*>> by_list;
  for (const auto& o : list_obs_) by_list[o.list].push_back(&o);
  std::vector<std::size_t> list_reading;  // reading index of each entry of by_list, in order
  for (const auto& [l, obs] : by_list) {
    TraceReading tr;
    tr.points = {ix_.lists[l].point};
    tr.read = describe_order(obs);
    tr.leak_begin = obs.front()->leak_begin;
    tr.leak_end = obs.front()->leak_end;
    for (const auto* o : obs) {
      tr.leak_begin = std::min(tr.leak_begin, o->leak_begin);
      tr.leak_end = std::max(tr.leak_end, o->leak_end);
    }
    list_reading.push_back(r.readings.size());
    r.readings.push_back(std::move(tr));
  }

  if (copies.empty()) {
    r.reason = TraceReason::no_copies;
    return r;
  }

  // Log-likelihood of one choice vector, reading by reading.
  auto contributions = [&](const std::vector<std::uint64_t>& values) {
    std::vector<double> c;
    for (const GapReading& g : gap_readings_) c.push_back(g.ll[ix_.combination(ix_.gaps[g.gap], values)]);
    for (const auto& [l, obs] : by_list) {
      const TraceIndex::List& list = ix_.lists[l];
      c.push_back(list_ll(inconsistent(obs, list_order(values[list.point], list.items.size()))));
    }
    return c;
  };
  // "None": every choice uniformly random.
  std::vector<double> none_c;
  for (const GapReading& g : gap_readings_)
    none_c.push_back(log_sum_exp(g.ll) - std::log(static_cast<double>(g.ll.size())));
  for (const auto& [l, obs] : by_list) {
    const std::size_t items = ix_.lists[l].items.size();
    std::vector<double> v;
    if (items <= 6) {
      for (std::uint64_t rank = 0; rank < factorial(items); ++rank) v.push_back(list_ll(inconsistent(obs, list_order(rank, items))));
    } else {
      std::uint64_t x = 0x2545F4914F6CDD1DULL;  // fixed: the same text always gives the same answer
      for (int k = 0; k < 720; ++k) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.push_back(list_ll(inconsistent(obs, list_order(x % factorial(items), items))));
      }
    }
    none_c.push_back(log_sum_exp(v) - std::log(static_cast<double>(v.size())));
  }

  // An editor may have rewritten every point of a natural kind in a house style (American
  // spelling, no serial comma, digits...): the readings of that kind then say nothing about the
  // copy. Each natural kind's readings are weighed as a mixture: as read, or (prior kEdited)
  // produced by one house style, whichever the copy.
  std::map<int, std::vector<std::size_t>> by_kind;
  for (std::size_t i = 0; i < gap_readings_.size(); ++i) {
    const TraceIndex::Gap& gap = ix_.gaps[gap_readings_[i].gap];
    if (gap.style_kind >= 0) by_kind[gap.style_kind].push_back(i);
  }
  std::map<int, double> house_style;  // log-likelihood of each kind's readings under some house style
  for (const auto& [kind, readings] : by_kind) {
    const int styles = natural_style_count(static_cast<VariantKind>(kind));
    std::vector<double> per_style;
    for (int st = 0; st < styles; ++st) {
      double sum = 0;
      for (const std::size_t i : readings) {
        const GapReading& g = gap_readings_[i];
        const TraceIndex::Gap& gap = ix_.gaps[g.gap];
        double best = -1e300;  // the combination that follows the style
        for (std::size_t c = 0; c < gap.styles.size(); ++c)
          if (gap.styles[c] & (1u << st)) best = std::max(best, g.ll[c]);
        sum += best;
      }
      per_style.push_back(sum);
    }
    house_style[kind] = log_sum_exp(per_style) - std::log(static_cast<double>(styles));
  }
  std::vector<bool> in_kind(gap_readings_.size() + by_list.size(), false);
  for (const auto& [kind, readings] : by_kind)
    for (const std::size_t i : readings) in_kind[i] = true;
  auto total_of = [&](const std::vector<double>& c) {
    double sum = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
      if (!in_kind[i]) sum += c[i];
    for (const auto& [kind, readings] : by_kind) {
      double as_read = 0;
      for (const std::size_t i : readings) as_read += c[i];
      sum += log_sum_exp({std::log(1 - kEdited) + as_read, std::log(kEdited) + house_style[kind]});
    }
    return sum;
  };

  const std::size_t n = copies.size();
  std::vector<std::vector<double>> per_copy;
  std::vector<double> ll;  // copies, then as written, then none
  for (const auto& copy : copies) {
    per_copy.push_back(contributions(copy.choices.values()));
    ll.push_back(total_of(per_copy.back()));
  }
  const std::vector<std::uint64_t> written(paper_.points().size(), 0);
  const std::vector<double> written_c = contributions(written);
  ll.push_back(total_of(written_c));
  ll.push_back(total_of(none_c));
  const double total = log_sum_exp(ll);
  std::vector<double> prob(ll.size());
  for (std::size_t k = 0; k < ll.size(); ++k) prob[k] = std::exp(ll[k] - total);
  r.as_written_probability = prob[n];
  r.none_probability = prob[n + 1];

  const double strong = -margin_weight(2, 0, false);
  for (std::size_t k = 0; k < n; ++k) {
    TraceCopyScore s;
    s.label = copies[k].label;
    s.log_likelihood = ll[k];
    s.probability = prob[k];
    for (std::size_t i = 0; i < per_copy[k].size(); ++i) {
      if (per_copy[k][i] == 0) ++s.agreements;
      else if (i < gap_readings_.size() && per_copy[k][i] <= strong + 1e-9) ++s.contradictions;
    }
    r.copies.push_back(std::move(s));
  }
  std::vector<std::size_t> rank(n);
  std::iota(rank.begin(), rank.end(), 0);
  std::stable_sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) { return ll[a] > ll[b]; });
  std::vector<TraceCopyScore> sorted;
  for (const std::size_t k : rank) sorted.push_back(r.copies[k]);
  r.copies = std::move(sorted);

  const std::size_t best = rank[0];
  for (const auto& [kind, readings] : by_kind) {
    double as_read = 0;
    for (const std::size_t i : readings) as_read += per_copy[best][i];
    if (readings.size() >= 2 && std::log(kEdited) + house_style[kind] > std::log(1 - kEdited) + as_read)
      r.house_style_kinds.push_back(static_cast<VariantKind>(kind));
  }
  r.label = copies[best].label;
  r.confidence = prob[best];
  const bool has_runner = n >= 2;
  if (has_runner) {
    r.runner_up = copies[rank[1]].label;
    r.runner_up_probability = prob[rank[1]];
  }

  // What separated the best copy from the runner-up (or from the text as written).
  const std::vector<double>& other = has_runner ? per_copy[rank[1]] : written_c;
  const std::vector<std::uint64_t>& best_values = copies[best].choices.values();
  const std::vector<std::uint64_t>& other_values = has_runner ? copies[rank[1]].choices.values() : written;
  for (std::size_t i = 0; i < per_copy[best].size(); ++i) {
    const double w = per_copy[best][i] - other[i];
    if (std::abs(w) < 1e-12) continue;
    TraceDecidingPoint d;
    d.reading = i;
    d.weight = w;
    if (i < gap_readings_.size()) {
      const TraceIndex::Gap& gap = ix_.gaps[gap_readings_[i].gap];
      d.named = gap.shown[ix_.combination(gap, best_values)];
      d.other = gap.shown[ix_.combination(gap, other_values)];
    } else {
      const auto& list = ix_.lists[std::next(by_list.begin(), static_cast<std::ptrdiff_t>(i - gap_readings_.size()))->first];
      d.named = describe_list_choice(best_values[list.point], list.items.size());
      d.other = describe_list_choice(other_values[list.point], list.items.size());
      d.reading = list_reading[i - gap_readings_.size()];
    }
    r.deciding.push_back(std::move(d));
  }
  std::stable_sort(r.deciding.begin(), r.deciding.end(),
                   [](const auto& a, const auto& b) { return a.weight > b.weight; });

  if (r.readings.empty()) {
    r.reason = TraceReason::nothing_read;
    return r;
  }
  const std::size_t contradictions = r.copies.front().contradictions;
  const std::size_t allowed = 1 + gap_readings_.size() / 20;
  if (prob[best] >= options.min_confidence && contradictions <= allowed) {
    r.verdict = TraceVerdict::copy;
    r.reason = TraceReason::decided;
    return r;
  }
  if (prob[n] > prob[best] && prob[n] >= 0.5) {
    r.reason = TraceReason::as_written;
  } else if (contradictions > allowed) {
    r.reason = TraceReason::inconsistent;
  } else if (has_runner && ll[rank[1]] >= ll[best] - std::log(10.0)) {
    r.reason = TraceReason::copies_alike;
  } else {
    r.reason = TraceReason::thin_evidence;
  }
  return r;
}

std::string_view trace_reason_text(TraceReason reason) {
  switch (reason) {
    case TraceReason::decided:
      return "one copy explains the text far better than every other copy, the paper as written, or none of them";
    case TraceReason::no_copies:
      return "no copy of this paper is registered";
    case TraceReason::nothing_read:
      return "no variant point of the paper could be read in the text";
    case TraceReason::thin_evidence:
      return "too few variant points could be read to tell the copies apart";
    case TraceReason::copies_alike:
      return "two or more copies are about equally consistent with the text";
    case TraceReason::as_written:
      return "the text matches the paper as written (a draft) better than any copy";
    case TraceReason::inconsistent:
      return "the text contradicts even the most likely copy in several points: it may mix copies or be edited";
  }
  return "";
}

Result<TraceResult> trace_copy(const VariantPaper& paper, std::span<const RegisteredCopy> copies,
                               std::string_view leaked_text, const TraceOptions& options) {
  if (leaked_text.size() > kMaxLeakBytes)
    return fail(ErrorCode::bad_input, "the text to trace is larger than " + std::to_string(kMaxLeakBytes >> 20) + " MiB");
  for (std::size_t k = 0; k < copies.size(); ++k) {
    auto ok = check_choices(paper, copies[k].choices);
    if (!ok) return fail(ErrorCode::bad_input, "copy " + std::to_string(k + 1) + " of the register: " + ok.error().message);
  }
  Tracer tracer(paper, leaked_text);
  tracer.read();
  return tracer.decide(copies, options);
}

}  // namespace bc::core
