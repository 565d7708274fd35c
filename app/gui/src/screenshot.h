// Reading the window's pixels into a PNG (for the Xvfb smoke test and the documentation's
// screenshots). Only `backchannel --screenshot` uses it.
#pragma once

#include <filesystem>

#include "backchannel/result.h"

namespace bc::gui {

/// Reads the current OpenGL framebuffer (`width` x `height`) and writes it as an RGB PNG.
Status write_screenshot(const std::filesystem::path& path, int width, int height);

}  // namespace bc::gui
