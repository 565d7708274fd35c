// A passphrase strength meter from a real estimator: Dropbox's zxcvbn (Debian libzxcvbn-dev,
// the C port), which finds dictionary words, names, keyboard patterns, dates and repeats.
#pragma once

namespace bc::gui {

struct PassphraseStrength {
  double bits = 0;   ///< log2 of the estimated guesses
  int score = 0;     ///< 0 (very weak) .. 4 (very strong)
  const char* label = "";
  const char* advice = "";
};

/// Estimates `passphrase` (NUL-terminated, in secure memory). The estimator copies parts of it
/// into ordinary heap memory while it works (freed right away); see docs/user-guide.md.
PassphraseStrength estimate_strength(const char* passphrase);

/// The least a new vault passphrase must have (about 1e12 guesses: years of Argon2id at the
/// moderate cost on one machine).
inline constexpr double kMinimumPassphraseBits = 40.0;

}  // namespace bc::gui
