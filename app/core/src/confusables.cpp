#include "confusables.h"

#include <atomic>

namespace bc::core {

namespace {
std::atomic<bool> g_failed{false};
std::atomic<bool> g_simulated{false};
}  // namespace

const USpoofChecker* spoof_checker() {
  static USpoofChecker* const checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* c = uspoof_open(&status);
    if (U_FAILURE(status)) {
      if (c != nullptr) uspoof_close(c);
      return static_cast<USpoofChecker*>(nullptr);
    }
    return c;
  }();
  if (checker == nullptr || g_simulated.load()) {
    record_confusable_failure();
    return nullptr;
  }
  return checker;
}

std::u16string confusable_skeleton(UChar32 cp) {
  UChar in[2];
  int32_t in_len = 0;
  U16_APPEND_UNSAFE(in, in_len, cp);
  const std::u16string itself(reinterpret_cast<const char16_t*>(in), static_cast<std::size_t>(in_len));
  const USpoofChecker* checker = spoof_checker();
  if (checker == nullptr) return itself;
  UChar out[64];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n = uspoof_getSkeleton(checker, 0, in, in_len, out, 64, &status);
  if (U_FAILURE(status) || n < 0 || n > 64) {
    record_confusable_failure();
    return itself;
  }
  return std::u16string(reinterpret_cast<const char16_t*>(out), static_cast<std::size_t>(n));
}

void record_confusable_failure() { g_failed.store(true); }

bool confusable_data_failed() { return g_failed.load(); }

void simulate_confusable_data_failure_for_tests(bool fail) {
  g_simulated.store(fail);
  if (!fail) g_failed.store(false);
}

}  // namespace bc::core
