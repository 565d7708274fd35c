// The passphrase strength meter's estimate: the core's rule (backchannel/core/passphrase_strength.h),
// the same one the command line applies, taken from a SecretField's NUL-terminated text.
#pragma once

#include "backchannel/core/passphrase_strength.h"

namespace bc::gui {

using core::kMinimumPassphraseBits;
using core::PassphraseStrength;

/// Estimates `passphrase` (NUL-terminated, in secure memory).
inline PassphraseStrength estimate_strength(const char* passphrase) {
  return core::estimate_passphrase_strength(passphrase != nullptr ? passphrase : "");
}

}  // namespace bc::gui
