// ICU's UTS 39 confusable data, shared by the normalizer and the leak scanner. A failure to load
// it (or to use it) never throws: it is recorded, the callers fall back to the letter itself, and
// every summary is blocked while it lasts (summary.cpp asks confusable_data_failed()).
#pragma once

#include <unicode/uspoof.h>

#include <string>


namespace bc::core {

/// The process's spoof checker, opened on first use (ICU allows concurrent reads of an opened
/// checker). Null when ICU's data could not be loaded; the failure is then recorded.
const USpoofChecker* spoof_checker();

/// The UTS 39 skeleton of one code point as UTF-16, or the code point itself when ICU cannot
/// give one (recorded as a failure).
std::u16string confusable_skeleton(UChar32 cp);

/// Records a failure of ICU's confusable data (or of anything the scan needs from ICU).
void record_confusable_failure();

/// Whether any use of ICU's confusable data has failed in this process: matching and scanning
/// would then miss look-alike spellings.
bool confusable_data_failed();

/// Tests: makes spoof_checker() fail as if ICU's data could not be loaded (true), or restores it
/// and forgets recorded failures (false).
void simulate_confusable_data_failure_for_tests(bool fail);

}  // namespace bc::core
