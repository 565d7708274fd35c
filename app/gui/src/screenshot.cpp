#include "screenshot.h"

#include <GL/gl.h>
#include <stb_image_write.h>

#include <vector>

namespace bc::gui {

Status write_screenshot(const std::filesystem::path& path, int width, int height) {
  if (width <= 0 || height <= 0) return fail(ErrorCode::internal, "the window has no size");
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);
  if (stbi_write_png(path.c_str(), width, height, 3, pixels.data(), width * 3) == 0)
    return fail(ErrorCode::io, "cannot write " + path.string());
  return {};
}

}  // namespace bc::gui
