// Choice vectors: which alternative of every variant point a copy of a paper carries
// (docs/paper.md, "Choice vectors"). A copy's choices come from HMAC-SHA-256 under a per-paper
// secret key and the copy's label (each point of a candidate drawn uniformly and independently;
// the candidate kept is the one farthest from the register), so that any two copies differ in
// about half of the points or more, and a recipient who knows their own copy cannot render a
// colleague's copy to frame them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/copy_variants.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::core {

/// One value per variant point of a paper: the index of the alternative, or for an unordered
/// list the rank of the order of its items (list_order). Belongs to one variant structure.
class ChoiceVector {
 public:
  ChoiceVector() = default;
  ChoiceVector(std::string structure_id, std::vector<std::uint64_t> values)
      : structure_id_(std::move(structure_id)), values_(std::move(values)) {}

  const std::string& structure_id() const { return structure_id_; }
  const std::vector<std::uint64_t>& values() const { return values_; }

  /// The register's form: `cv1:` structure id `:` the values in base 36, separated by `.`
  /// (e.g. `cv1:3f09a2c4b1d07e55:0.1.2.0.1g3`).
  std::string serialize() const;
  /// Reads serialize()'s form strictly (`bad_input` otherwise).
  static Result<ChoiceVector> parse(std::string_view text);
  /// A short fingerprint for the register and the GUI: 16 hex digits of SHA-256 over
  /// serialize(). Two copies with the same fingerprint carry the same marks.
  std::string fingerprint() const;

  friend bool operator==(const ChoiceVector&, const ChoiceVector&) = default;

 private:
  std::string structure_id_;
  std::vector<std::uint64_t> values_;
};

/// The secret of one paper that copies' choices derive from: 32 random bytes in secure memory.
/// The caller stores it in the vault.
crypto::SecureBuffer new_paper_key();

/// How many keyed candidates derive_copy_choices draws for one copy.
inline constexpr std::uint32_t kChoiceCandidates = 64;
/// The run of consecutive points (about a quarter of a three-page paper) in which copies are
/// kept apart.
inline constexpr std::size_t kChoiceWindow = 24;

/// The choices of the copy labelled `copy_label`. Candidate c draws every point's value
/// uniformly from its choices by HMAC-SHA-256(paper_key, domain, structure id, label, c, point
/// index) with rejection sampling; of kChoiceCandidates candidates, the one kept is the one
/// farthest from the `earlier` copies of the register and from the text as written in every
/// run of kChoiceWindow consecutive points (a comma or a spelling counting half), so that no
/// two copies agree almost everywhere in any passage. The same key, structure, label and
/// earlier copies always give the same copy; a copy reveals at most log2(64) = 6 bits about
/// the others.
ChoiceVector derive_copy_choices(const VariantPaper& paper, const crypto::SecureBuffer& paper_key,
                                 std::string_view copy_label, std::span<const ChoiceVector> earlier = {});

/// The choices that render the text as written (alternative 0, lists in written order).
ChoiceVector choices_as_written(const VariantPaper& paper);

/// `ok` when `choices` belong to `paper`'s structure and every value is in range; `bad_input`
/// otherwise.
Status check_choices(const VariantPaper& paper, const ChoiceVector& choices);

/// How many points two choice vectors of the same structure differ in.
std::size_t choice_distance(const ChoiceVector& a, const ChoiceVector& b);

/// n! saturated at UINT64_MAX (n <= 20 fits).
std::uint64_t factorial(std::size_t n);
/// The order of a list of `n` items with rank `rank` < n!: order[position] = item (the rank of
/// the written order 0, 1, ..., n-1 is 0; Lehmer code, lexicographic).
std::vector<std::uint32_t> list_order(std::uint64_t rank, std::size_t n);
/// The rank of an order (inverse of list_order).
std::uint64_t list_order_rank(std::span<const std::uint32_t> order);

}  // namespace bc::core
