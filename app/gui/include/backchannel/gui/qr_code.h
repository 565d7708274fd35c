// QR codes (libqrencode) of the vault's recipient and fingerprint, for exchange in person.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "backchannel/result.h"

namespace bc::gui {

struct QrCode {
  int size = 0;                        ///< modules per side
  std::vector<std::uint8_t> modules;   ///< size*size, 1 = dark
  bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y * size + x)] != 0; }
};

/// Encodes `text` (8-bit mode, error correction level M).
Result<QrCode> make_qr(std::string_view text);

}  // namespace bc::gui
