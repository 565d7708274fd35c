#include "backchannel/core/passphrase_strength.h"

#include <zxcvbn.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>

namespace bc::core {

namespace {

// What a kind of match means to a person choosing a passphrase.
const char* describe_match(ZxcTypeMatch_t type) {
  switch (static_cast<int>(type) & ~MULTIPLE_MATCH) {
    case DICTIONARY_MATCH: return "common words";
    case DICT_LEET_MATCH: return "common words with look-alike substitutions";
    case USER_MATCH:
    case USER_LEET_MATCH: return "words anyone near the vault would guess";
    case REPEATS_MATCH: return "repeated characters";
    case SEQUENCE_MATCH: return "a sequence (abc, 123)";
    case SPATIAL_MATCH: return "a keyboard pattern";
    case DATE_MATCH: return "a date";
    case YEAR_MATCH: return "a year";
    default: return nullptr;
  }
}

}  // namespace

PassphraseStrength estimate_passphrase_strength(std::string_view passphrase) {
  PassphraseStrength s;
  if (passphrase.empty()) {
    s.advice = "Use four or more unrelated words, or a long sentence only you would write.";
    return s;
  }
  // zxcvbn reads a NUL-terminated string: the copy stays in secure memory.
  crypto::SecureBuffer text(passphrase.size() + 1);
  std::memcpy(text.data(), passphrase.data(), passphrase.size());
  text.data()[passphrase.size()] = 0;
  // The user dictionary: words that must not count, because everyone around the vault knows them.
  const char* user_words[] = {"backchannel", "vault", "dialogue", "track", "summit", nullptr};
  ZxcMatch_t* info = nullptr;
  s.bits = ZxcvbnMatch(reinterpret_cast<const char*>(text.data()), user_words, &info);
  std::set<std::string> kinds;
  std::string weakness;
  for (const ZxcMatch_t* m = info; m != nullptr; m = m->Next) {
    const char* what = describe_match(m->Type);
    if (what != nullptr && kinds.insert(what).second) weakness += (weakness.empty() ? "" : ", ") + std::string(what);
  }
  ZxcvbnFreeInfo(info);
  s.weakness = std::move(weakness);
  if (s.bits < 28) {
    s.score = 0;
    s.label = "Very weak";
    s.advice = "Guessable in moments. Add more unrelated words.";
  } else if (s.bits < kMinimumPassphraseBits) {
    s.score = 1;
    s.label = "Weak";
    s.advice = "Too easy to guess for a vault like this. Add another word or two.";
  } else if (s.bits < 60) {
    s.score = 2;
    s.label = "Fair";
    s.advice = "Acceptable. One more unrelated word makes it much stronger.";
  } else if (s.bits < 80) {
    s.score = 3;
    s.label = "Strong";
    s.advice = "Good.";
  } else {
    s.score = 4;
    s.label = "Very strong";
    s.advice = "Excellent.";
  }
  return s;
}

Status require_strong_passphrase(const crypto::SecureBuffer& passphrase) {
  const PassphraseStrength s = estimate_passphrase_strength(passphrase.view());
  if (s.strong_enough()) return {};
  std::string msg = "the passphrase is too weak: about 2^" + std::to_string(static_cast<int>(std::floor(s.bits))) +
                    " guesses where 2^" + std::to_string(static_cast<int>(kMinimumPassphraseBits)) + " are needed";
  if (!s.weakness.empty()) msg += " (it is made of " + s.weakness + ")";
  msg += "; use four or more unrelated words, or a long sentence only you would write";
  return fail(ErrorCode::bad_input, msg, Remedy::allow_weak_passphrase);
}

}  // namespace bc::core
