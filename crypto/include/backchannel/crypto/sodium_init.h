// Library initialisation with a known-answer self-test.
#pragma once

#include "backchannel/result.h"


namespace bc::crypto {

/// Initialises libsodium once (thread-safe; later calls return the first result) and runs
/// known-answer tests of every primitive Backchannel uses. A failure means this build or this
/// machine cannot be trusted with secrets; callers must stop.
Status initialize();

/// The libsodium version string, e.g. "1.0.18".
const char* sodium_version();

}  // namespace bc::crypto
