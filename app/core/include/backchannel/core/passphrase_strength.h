// The passphrase strength rule, one for both programs: an estimate from Dropbox's zxcvbn (Debian
// libzxcvbn-dev, the C port), which finds dictionary words, names, keyboard patterns, dates,
// sequences and repeats, and the minimum a vault passphrase must reach.
#pragma once

#include <string_view>

#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/result.h"

namespace bc::core {

/// The least a vault passphrase must have: about 1e12 guesses, years of Argon2id at the
/// moderate cost on one machine.
inline constexpr double kMinimumPassphraseBits = 40.0;

/// An estimate of one passphrase.
struct PassphraseStrength {
  double bits = 0;    ///< log2 of the estimated number of guesses
  int score = 0;      ///< 0 (very weak) .. 4 (very strong)
  const char* label = "";
  const char* advice = "";
  /// What makes it guessable, in words (e.g. "a common word, a keyboard pattern"); names kinds
  /// of patterns, never a part of the passphrase. Empty when nothing stands out.
  std::string weakness;
  bool strong_enough() const { return bits >= kMinimumPassphraseBits; }
};

/// Estimates `passphrase`. The estimator copies parts of it into ordinary heap memory while it
/// works (freed right away; see docs/user-guide.md).
PassphraseStrength estimate_passphrase_strength(std::string_view passphrase);

/// ErrorCode::bad_input with one line saying what is weak, unless the passphrase reaches
/// kMinimumPassphraseBits. Used by every command that sets a passphrase.
Status require_strong_passphrase(const crypto::SecureBuffer& passphrase);

}  // namespace bc::core
