// How the desktop client shows a failure: the core's neutral message with the remedy said in
// the client's own terms (a menu, a button), made safe to display as one line.
#pragma once

#include <string>

#include "backchannel/result.h"

namespace bc::gui {

/// `error`'s message plus the desktop client's phrasing of its remedy.
std::string describe(const Error& error);

}  // namespace bc::gui
