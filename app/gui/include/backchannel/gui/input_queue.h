// Keyboard input from the window system, handed to Dear ImGui one frame at a time. ImGui 1.86
// keeps only the state of each key (io.KeysDown) and looks at it once per frame, so a key pressed
// and released between two frames (a remote desktop, a macro, a fast typist) never happened for
// it: Ctrl+3 did nothing. The window's callbacks queue every key and character here, and before
// each frame feed() applies as many of them, in order, as can share that frame.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bc::gui {

class InputQueue {
 public:
  InputQueue();
  ~InputQueue();
  InputQueue(const InputQueue&) = delete;
  InputQueue& operator=(const InputQueue&) = delete;

  /// A key (a GLFW key code, as io.KeysDown is indexed) went down or up.
  void key(int key, bool down);
  /// A character was typed (a Unicode code point).
  void character(unsigned int codepoint);

  /// Before ImGui::NewFrame(): applies the queued events to `io` in order, up to the first one
  /// that must wait for a later frame: a second change of a key already changed in this frame
  /// (its release after its press), or a character within a frame of a key that acts (Enter,
  /// Tab, Backspace, a shortcut). ImGui needs that frame to move the keyboard to the field that
  /// takes the text (the composer after Enter, the next field after Tab); characters arriving
  /// meanwhile were dropped. Returns how many events it applied.
  std::size_t feed(ImGuiIO& io);
  /// Events still wait: the program draws another frame at once.
  bool pending() const { return head_ < events_.size(); }

 private:
  enum class Type : std::uint8_t { key_down, key_up, character };
  struct Event {
    Type type;
    unsigned int value;  ///< the key code, or the code point
  };
  void push(Event e);
  void wipe_all();

  // Characters are what the user types (note text, passphrases): the storage is wiped as it is
  // consumed and when it grows, never left behind in freed memory.
  std::vector<Event> events_;
  std::size_t head_ = 0;
  int hold_characters_ = 0;  ///< frames in which characters still wait after a key that acted
};

}  // namespace bc::gui
