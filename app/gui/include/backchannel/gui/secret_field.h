// Passphrase and recovery-code fields. The characters live only in a SecureBuffer (sodium_malloc:
// locked, guarded, wiped on free), never in a std::string; the copy ImGui keeps of the text being
// edited (and its undo stack) is wiped as soon as the field is left or the vault locks.
#pragma once

#include <cstddef>
#include <string_view>

#include "backchannel/crypto/secure_buffer.h"

namespace bc::gui {

class SecretField {
 public:
  explicit SecretField(std::size_t capacity = 1024);
  SecretField(SecretField&&) noexcept = default;
  SecretField& operator=(SecretField&&) noexcept = default;

  /// Draws the field (`width` 0: the rest of the line). Masked unless `reveal` (recovery codes
  /// may be shown while typed). Returns true when Enter was pressed in it.
  bool Draw(const char* id, float width, const char* hint = nullptr, bool reveal = false);
  /// The contents as a new SecureBuffer sized to the text.
  crypto::SecureBuffer copy() const;
  /// The contents (NUL-terminated inside the buffer). Never copy this into a std::string.
  std::string_view view() const;
  const char* c_str() const { return reinterpret_cast<const char*>(buf_.data()); }
  std::size_t size() const { return view().size(); }
  bool empty() const { return buf_.capacity() == 0 || buf_.data()[0] == 0; }
  /// Wipes the contents (and ImGui's copy, if this field was being edited).
  void clear();
  /// Puts keyboard focus into the field on the next Draw().
  void focus() { focus_ = true; }
  /// Whether the contents equal `other`'s, in constant time.
  bool equals(const SecretField& other) const;
  /// Whether the text changed in the last Draw().
  bool edited() const { return edited_; }
  /// Sets the contents (tests type into the field through ImGui; this is for pasting codes).
  void assign(std::string_view text);

 private:
  crypto::SecureBuffer buf_;
  bool focus_ = false;
  bool was_active_ = false;
  bool edited_ = false;
};

/// Wipes Dear ImGui's internal copy of the text being edited (its UTF-16 and UTF-8 buffers, the
/// text at activation and the undo stack) and deactivates the field. Called when a secret
/// field is left and when the vault locks (note text is plaintext too).
void scrub_imgui_text_state();

/// Whether ImGui's internal text-edit state holds `needle` (lock tests).
bool imgui_text_state_contains(std::string_view needle);

}  // namespace bc::gui
