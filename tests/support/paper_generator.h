// Fictional joint papers and leaked excerpts of them, generated from a fixed seed, for the copy
// tracing tests and benchmark: English prose on track II dialogue topics with the author's
// alternates (`{{a | b}}`), small numbers, dates, `+` lists, serial-comma lists and British
// spellings, about one variant point every 20 to 30 words; a short Persian text with
// alternates; and leaks made the way a journalist's source would make them (an excerpt,
// possibly reordered, with words changed and OCR-like character noise).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bc::test {

/// A small deterministic generator (xorshift64*): the same seed gives the same text on every
/// machine, unlike the standard library's distributions.
class PaperRng {
 public:
  explicit PaperRng(std::uint64_t seed) : x_(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {}
  std::uint64_t next() {
    x_ ^= x_ >> 12;
    x_ ^= x_ << 25;
    x_ ^= x_ >> 27;
    return x_ * 0x2545F4914F6CDD1DULL;
  }
  /// Uniform in [0, n).
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  /// True with probability p.
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

 private:
  std::uint64_t x_;
};

/// English paper text (author's markup) of about `words` words, in sections with headings.
std::vector<std::string> generate_english_sections(std::uint64_t seed, std::size_t words);

/// A Persian text with the author's alternates and a `+` list (no natural variants apply).
std::string generate_persian_section(std::uint64_t seed, std::size_t sentences);

/// How a leak is made from a copy's text.
struct LeakSpec {
  double fraction = 0.25;        ///< share of the copy's words in the excerpt
  bool reorder = false;          ///< several passages from anywhere, in shuffled order
  double word_changes = 0.05;    ///< share of words replaced, deleted or inserted
  double char_noise = 0.01;      ///< OCR-like errors per character (confusions, drops, case)
};

/// A leaked excerpt of `copy_text`: words joined by single spaces and hard line breaks, as
/// pasted or OCR'd text comes.
std::string make_leak(std::string_view copy_text, std::uint64_t seed, const LeakSpec& spec);

/// Number of words (runs of non-space characters) in `text`.
std::size_t count_words(std::string_view text);

/// Number of words of author's markup as a copy renders it (one choice per alternate).
std::size_t rendered_words(std::string_view markup);

}  // namespace bc::test
