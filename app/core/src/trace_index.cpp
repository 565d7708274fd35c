// The tracer's view of a paper (see trace_index.h).
#include "trace_index.h"

#include <algorithm>

#include "natural_variants.h"
#include "trace_form.h"
#include "variant_text_impl.h"

namespace bc::core {
namespace {

using Segment = VariantText::Impl::Segment;

std::string trim_space(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

class Builder {
 public:
  explicit Builder(const VariantPaper& paper) : paper_(paper) {}

  TraceIndex run() {
    for (std::size_t ti = 0; ti < paper_.text_count(); ++ti) add_text(ti);
    const std::size_t n = ix_.words.size();
    ix_.gap_at.assign(n + 1, -1);
    ix_.gap_words_upto.assign(n + 1, 0);
    for (std::size_t g = 0; g < ix_.gaps.size(); ++g) ix_.gap_at[ix_.gaps[g].t] = static_cast<std::int32_t>(g);
    std::uint32_t sum = 0;
    for (std::size_t t = 0; t <= n; ++t) {
      if (ix_.gap_at[t] >= 0) sum += ix_.gaps[static_cast<std::size_t>(ix_.gap_at[t])].max_words;
      ix_.gap_words_upto[t] = sum;
    }
    // Trigrams inside a sequence with no gap between their words.
    for (std::size_t t = 0; t + 2 < n; ++t) {
      const auto& w = ix_.words;
      if (w[t].seq != w[t + 2].seq || ix_.gap_at[t + 1] >= 0 || ix_.gap_at[t + 2] >= 0) continue;
      const std::uint64_t h = trigram_hash(w[t].hash, w[t + 1].hash, w[t + 2].hash);
      auto [it, inserted] = ix_.trigrams.emplace(h, static_cast<std::int32_t>(t));
      if (!inserted) it->second = TraceIndex::kDuplicate;
    }
    return std::move(ix_);
  }

 private:
  void add_text(std::size_t ti) {
    const VariantText::Impl& impl = paper_.text(ti).impl();
    const auto base = static_cast<std::uint32_t>(paper_.first_point(ti));
    std::vector<Segment> cur;
    std::int32_t waiting_trail = -1;  // a list whose trail is the next body sequence
    auto flush_body = [&] {
      const std::int32_t seq = add_seq(impl, base, cur);
      cur.clear();
      if (waiting_trail >= 0) ix_.lists[static_cast<std::size_t>(waiting_trail)].trail = seq;
      waiting_trail = -1;
      return seq;
    };
    for (const Segment& s : impl.body) {
      if (s.type != Segment::Type::list) {
        cur.push_back(s);
        continue;
      }
      const std::int32_t lead = flush_body();
      const auto& list = impl.lists[s.ref];
      if (list.point == VariantText::Impl::List::kNoPoint) {
        for (const auto& item : list.items) add_seq(impl, base, item);
        continue;
      }
      TraceIndex::List info;
      info.point = base + list.point;
      info.lead = lead;
      for (const auto& item : list.items) info.items.push_back(add_seq(impl, base, item));
      ix_.lists.push_back(std::move(info));
      waiting_trail = static_cast<std::int32_t>(ix_.lists.size() - 1);
    }
    flush_body();
  }

  // One sequence: its fixed words and gaps. Returns its index, or -1 when it has no fixed word.
  std::int32_t add_seq(const VariantText::Impl& impl, std::uint32_t base, const std::vector<Segment>& segments) {
    std::string raw;
    std::vector<RenderedPoint> where;
    render_segments(impl, segments, [](std::uint32_t) { return std::uint64_t{0}; }, raw, &where);
    const TraceForm form = trace_form(raw, true);
    struct Tok {
      std::uint32_t b, e;  // raw bytes
      bool fixed;
    };
    std::vector<Tok> toks;
    for (const auto& t : form.tokens) {
      Tok k{form.source_start[t.begin], form.source_end[t.end - 1], true};
      for (const auto& w : where)
        if (w.begin <= k.e && k.b <= w.end) k.fixed = false;
      toks.push_back(k);
    }
    std::vector<std::size_t> fixed;
    for (std::size_t k = 0; k < toks.size(); ++k)
      if (toks[k].fixed) fixed.push_back(k);
    if (fixed.empty()) return -1;

    const auto seq_index = static_cast<std::uint32_t>(ix_.seqs.size());
    TraceIndex::Seq seq;
    seq.t_begin = static_cast<std::uint32_t>(ix_.words.size());
    for (const std::size_t k : fixed) {
      const TraceToken& t = form.tokens[k];
      ix_.words.push_back(
          {std::string(form.key(t)), code_points(form.key(t)), code_points(form.word(t)), t.hash, seq_index});
    }
    seq.t_end = static_cast<std::uint32_t>(ix_.words.size());

    // Points in the same slot (the same number of fixed words before them) form one gap.
    std::vector<std::vector<const RenderedPoint*>> slots(fixed.size() + 1);
    for (const auto& w : where) {
      std::size_t slot = 0;
      while (slot < fixed.size() && toks[fixed[slot]].e <= w.begin) ++slot;
      slots[slot].push_back(&w);
    }
    for (std::size_t slot = 0; slot <= fixed.size(); ++slot) {
      if (slots[slot].empty()) continue;
      TraceIndex::Gap gap;
      gap.t = seq.t_begin + static_cast<std::uint32_t>(slot);
      gap.seq = seq_index;
      gap.left_open = slot == 0;
      gap.right_open = slot == fixed.size();
      const std::uint32_t full_b = gap.left_open ? 0 : toks[fixed[slot - 1]].b;
      const std::uint32_t alone_b = gap.left_open ? 0 : toks[fixed[slot - 1]].e;
      const auto full_e = gap.right_open ? static_cast<std::uint32_t>(raw.size()) : toks[fixed[slot]].e;
      const auto alone_e = gap.right_open ? static_cast<std::uint32_t>(raw.size()) : toks[fixed[slot]].b;
      std::size_t combos = 1;
      for (const RenderedPoint* w : slots[slot]) {
        const VariantPoint& p = impl.points[w->point];
        gap.points.push_back(base + w->point);
        gap.radix.push_back(p.choice_count);
        combos *= p.choice_count;
        if (combos > TraceIndex::kMaxCombinations) gap.readable = false;
        if (!gap.readable) break;
      }
      if (gap.readable) {
        for (std::size_t c = 0; c < combos; ++c) {
          // The raw text with this combination's alternatives, from right to left so that
          // earlier offsets stay valid.
          std::string full = raw.substr(full_b, full_e - full_b);
          std::string alone = raw.substr(alone_b, alone_e - alone_b);
          std::vector<std::uint64_t> digit(slots[slot].size());
          std::size_t rest = c;
          for (std::size_t k = 0; k < digit.size(); ++k) {
            digit[k] = rest % gap.radix[k];
            rest /= gap.radix[k];
          }
          for (std::size_t k = slots[slot].size(); k-- > 0;) {
            const RenderedPoint& w = *slots[slot][k];
            const std::string& alt = impl.points[w.point].alternatives[digit[k]];
            full.replace(w.begin - full_b, w.end - w.begin, alt);
            alone.replace(w.begin - alone_b, w.end - w.begin, alt);
          }
          gap.expected.push_back(code_points(trace_text(full)));
          const TraceForm alone_form = trace_form(alone, false);
          const auto words = static_cast<std::uint32_t>(alone_form.tokens.size());
          gap.alone_length.push_back(static_cast<std::uint32_t>(code_points(alone_form.text).size()));
          gap.words.push_back(words);
          gap.max_words = std::max(gap.max_words, words);
          gap.shown.push_back(trim_space(alone));
        }
      }
      if (gap.readable && gap.points.size() == 1) {
        const VariantPoint& p = impl.points[slots[slot][0]->point];
        if (natural_style_count(p.kind) > 0) {
          gap.style_kind = static_cast<int>(p.kind);
          for (const auto& alt : p.alternatives) gap.styles.push_back(natural_styles(p.kind, alt));
        }
      }
      const auto g = static_cast<std::int32_t>(ix_.gaps.size());
      if (gap.left_open) seq.lead_gap = g;
      if (gap.right_open) seq.trail_gap = g;
      ix_.gaps.push_back(std::move(gap));
    }
    ix_.seqs.push_back(seq);
    return static_cast<std::int32_t>(seq_index);
  }

  const VariantPaper& paper_;
  TraceIndex ix_;
};

}  // namespace

std::uint64_t trigram_hash(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  std::uint64_t h = a * 0x9E3779B97F4A7C15ULL;
  h ^= b + 0x7F4A7C159E3779B9ULL + (h << 6) + (h >> 2);
  h ^= c * 0xC2B2AE3D27D4EB4FULL + (h << 6) + (h >> 2);
  return h;
}

std::size_t TraceIndex::combination(const Gap& gap, const std::vector<std::uint64_t>& choices) const {
  std::size_t c = 0;
  std::size_t scale = 1;
  for (std::size_t k = 0; k < gap.points.size(); ++k) {
    c += static_cast<std::size_t>(choices[gap.points[k]]) * scale;
    scale *= gap.radix[k];
  }
  return c;
}

TraceIndex build_trace_index(const VariantPaper& paper) { return Builder(paper).run(); }

}  // namespace bc::core
