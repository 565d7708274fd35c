#include "backchannel/gui/password_strength.h"

#include <zxcvbn.h>

#include <cstring>

namespace bc::gui {

PassphraseStrength estimate_strength(const char* passphrase) {
  PassphraseStrength s;
  if (passphrase == nullptr || *passphrase == '\0') {
    s.label = "";
    s.advice = "Use four or more unrelated words, or a long sentence only you would write.";
    return s;
  }
  // The user dictionary: words that must not count, because everyone around the vault knows them.
  const char* user_words[] = {"backchannel", "vault", "dialogue", "track", "summit", nullptr};
  s.bits = ZxcvbnMatch(passphrase, user_words, nullptr);
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

}  // namespace bc::gui
