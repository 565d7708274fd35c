#include "backchannel/gui/qr_code.h"

#include <qrencode.h>

#include <string>

namespace bc::gui {

Result<QrCode> make_qr(std::string_view text) {
  const std::string s(text);
  QRcode* q = QRcode_encodeData(static_cast<int>(s.size()), reinterpret_cast<const unsigned char*>(s.data()), 0, QR_ECLEVEL_M);
  if (q == nullptr) return fail(ErrorCode::internal, "the QR code could not be made");
  QrCode out;
  out.size = q->width;
  out.modules.resize(static_cast<std::size_t>(q->width) * static_cast<std::size_t>(q->width));
  for (std::size_t i = 0; i < out.modules.size(); ++i) out.modules[i] = q->data[i] & 1;
  QRcode_free(q);
  return out;
}

}  // namespace bc::gui
