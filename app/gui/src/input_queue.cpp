#include "backchannel/gui/input_queue.h"

#include <algorithm>

#include "backchannel/gui/keys.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {

bool modifier(int key) { return key >= keys::kLeftShift && key <= keys::kRightSuper; }

// A key whose press does something in ImGui or in our shortcuts besides typing its character:
// every key but the printable ones (GLFW 32..162) pressed without Ctrl, Alt or Super.
bool acts(int key, const ImGuiIO& io) {
  if (modifier(key)) return false;
  const bool printable = key >= 32 && key <= 162;
  return !printable || io.KeyCtrl || io.KeyAlt || io.KeySuper;
}

}  // namespace

InputQueue::InputQueue() { events_.reserve(256); }

InputQueue::~InputQueue() { wipe_all(); }

void InputQueue::push(Event e) {
  if (events_.size() == events_.capacity()) {
    // Grow by hand: a reallocation would leave the old block, characters and all, unwiped.
    std::vector<Event> bigger;
    bigger.reserve(events_.capacity() * 2);
    bigger.assign(events_.begin() + static_cast<std::ptrdiff_t>(head_), events_.end());
    wipe_all();
    events_.swap(bigger);
    head_ = 0;
  }
  events_.push_back(e);
}

void InputQueue::key(int key, bool down) {
  if (key < 0 || key >= static_cast<int>(IM_ARRAYSIZE(ImGuiIO::KeysDown))) return;
  push({down ? Type::key_down : Type::key_up, static_cast<unsigned int>(key)});
}

void InputQueue::character(unsigned int codepoint) { push({Type::character, codepoint}); }

std::size_t InputQueue::feed(ImGuiIO& io) {
  std::vector<int> changed;  // keys whose state changed in this frame
  bool hold = hold_characters_ > 0;
  if (hold_characters_ > 0) --hold_characters_;
  std::size_t applied = 0;
  for (; head_ < events_.size(); ++head_, ++applied) {
    Event& e = events_[head_];
    if (e.type == Type::character) {
      if (hold) break;
      io.AddInputCharacter(e.value);
    } else {
      const int k = static_cast<int>(e.value);
      if (std::find(changed.begin(), changed.end(), k) != changed.end()) break;
      changed.push_back(k);
      io.KeysDown[k] = e.type == Type::key_down;
      // As ImGui's GLFW backend does: the modifiers follow the keys.
      io.KeyCtrl = io.KeysDown[keys::kLeftCtrl] || io.KeysDown[keys::kRightCtrl];
      io.KeyShift = io.KeysDown[keys::kLeftShift] || io.KeysDown[keys::kRightShift];
      io.KeyAlt = io.KeysDown[keys::kLeftAlt] || io.KeysDown[keys::kRightAlt];
      io.KeySuper = io.KeysDown[keys::kLeftSuper] || io.KeysDown[keys::kRightSuper];
      if (e.type == Type::key_down && acts(k, io)) {
        hold = true;  // this frame and the next
        hold_characters_ = 1;
      }
    }
    wipe_bytes(&e, sizeof e);
  }
  if (head_ == events_.size()) wipe_all();
  return applied;
}

void InputQueue::wipe_all() {
  if (!events_.empty()) wipe_bytes(events_.data(), events_.size() * sizeof(Event));
  events_.clear();
  head_ = 0;
}

}  // namespace bc::gui
