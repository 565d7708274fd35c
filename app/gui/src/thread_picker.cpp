#include "backchannel/gui/thread_picker.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "backchannel/gui/error_text.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

void ThreadPicker::load(UiContext& ctx, std::string_view text) {
  wipe();
  error_.clear();
  selected_ = 0;
  if (!ctx.vault) return;
  auto all = core::list_threads(*ctx.vault, series_);
  if (!all) {
    error_ = describe(all.error());
    return;
  }
  threads_ = std::move(*all);
  auto s = note_ ? core::suggest_threads(*ctx.vault, *note_) : core::suggest_threads_for_text(*ctx.vault, series_, text);
  if (s) suggestions_ = std::move(*s);
  else error_ = describe(s.error());
}

void ThreadPicker::open_for_note(UiContext& ctx, std::int64_t series_id, std::int64_t note_id) {
  series_ = series_id;
  note_ = note_id;
  load(ctx, {});
  open_ = focus_ = true;
}

void ThreadPicker::open_for_text(UiContext& ctx, std::int64_t series_id, std::string_view text) {
  series_ = series_id;
  note_.reset();
  load(ctx, text);
  open_ = focus_ = true;
}

void ThreadPicker::choose(UiContext& ctx, std::int64_t thread_id) {
  open_ = false;
  if (!note_) {
    chosen_ = thread_id;
    return;
  }
  const std::int64_t note = *note_;
  const std::uint64_t session = ctx.session;
  ctx.write([&ctx, thread_id, note, session](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<Status>(core::link_note(v, thread_id, note));
    return [&ctx, session, st] {
      if (session != ctx.session) return;
      if (st->ok()) {
        ctx.post(Event::Kind::threads_changed);
        ctx.toast("The note was added to the thread.");
      } else {
        ctx.toast("The note could not be added to the thread: " + describe(st->error()), true);
      }
    };
  });
}

void ThreadPicker::create(UiContext& ctx, const std::string& title) {
  open_ = false;
  const std::int64_t series = series_;
  const std::optional<std::int64_t> note = note_;
  const std::uint64_t session = ctx.session;
  auto shared_title = shared_wiped(title);
  ctx.write([this, &ctx, series, note, session, shared_title](core::Vault& v) -> TaskRunner::Continuation {
    auto id = std::make_shared<Result<std::int64_t>>(core::add_thread(v, series, *shared_title));
    auto linked = std::make_shared<Status>();
    if (id->ok() && note) *linked = core::link_note(v, id->value(), *note);
    return [this, &ctx, session, id, linked, note] {
      if (session != ctx.session) return;
      if (!id->ok()) {
        ctx.toast("The thread could not be started: " + describe(id->error()), true);
        return;
      }
      ctx.post(Event::Kind::threads_changed);
      if (!note) chosen_ = id->value();
      if (!linked->ok()) ctx.toast("The note could not be added to the thread: " + describe(linked->error()), true);
      else ctx.toast(note ? "Thread started with this note." : "Thread started.");
    };
  });
}

std::optional<std::int64_t> ThreadPicker::Draw(UiContext& ctx) {
  std::optional<std::int64_t> out;
  std::swap(out, chosen_);
  if (!open_) return out;
  if (!ctx.vault) {
    close();
    return out;
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.2f), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(em * 30, em * 22), ImGuiCond_Appearing);
  if (focus_) ImGui::SetNextWindowFocus();
  bool open = true;
  if (ImGui::Begin(note_ ? "Add the note to a thread###threadpicker" : "Thread for this note###threadpicker", &open,
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    // One list: the suggestions first, then every other thread; Up/Down, Enter, or 1-9.
    std::vector<std::pair<std::int64_t, const std::string*>> items;
    for (const auto& s : suggestions_) items.push_back({s.thread_id, &s.title});
    for (const auto& t : threads_)
      if (std::none_of(suggestions_.begin(), suggestions_.end(), [&](const auto& s) { return s.thread_id == t.id; }))
        items.push_back({t.id, &t.title});
    if (keys::named(ImGuiKey_DownArrow, true) && !items.empty()) selected_ = std::min(selected_ + 1, static_cast<int>(items.size()) - 1);
    if (keys::named(ImGuiKey_UpArrow, true)) selected_ = std::max(selected_ - 1, 0);
    ui::ErrorText(error_);
    ui::Muted(suggestions_.empty() ? "No earlier thread shares this note's words." : "Suggested from the note's words:");
    ImGui::BeginChild("##threads", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 2.2f));
    for (int i = 0; i < static_cast<int>(items.size()); ++i) {
      if (i == static_cast<int>(suggestions_.size()) && i > 0) ImGui::Separator();
      ImGui::PushID(static_cast<int>(items[static_cast<std::size_t>(i)].first));
      const std::string number = i < 9 ? std::to_string(i + 1) + "  " : "   ";
      ImGui::TextColored(palette::faint, "%s", number.c_str());
      ImGui::SameLine();
      const ImVec2 at = ImGui::GetCursorPos();
      if (ImGui::Selectable("##pick", i == selected_, ImGuiSelectableFlags_AllowItemOverlap)) choose(ctx, items[static_cast<std::size_t>(i)].first);
      ImGui::SetCursorPos(at);
      ui::Shaped(ctx.shaper, *items[static_cast<std::size_t>(i)].second);
      ImGui::PopID();
      if (!open_) break;
    }
    ImGui::EndChild();
    if (open_ && !items.empty() && !ImGui::IsAnyItemActive()) {
      for (int d = 1; d <= 9 && d <= static_cast<int>(items.size()) && open_; ++d)
        if (keys::pressed(static_cast<char>('0' + d))) choose(ctx, items[static_cast<std::size_t>(d - 1)].first);
      if (open_ && (keys::named(ImGuiKey_Enter) || keys::named(ImGuiKey_KeyPadEnter)))
        choose(ctx, items[static_cast<std::size_t>(selected_)].first);
    }
    if (open_) {
      ImGui::SetNextItemWidth(-1);
      if (focus_) {
        ImGui::SetKeyboardFocusHere();
        focus_ = false;
      }
      const bool enter = ImGui::InputTextWithHint("##new", "…or a new thread's title, then Enter", &new_title_,
                                                  ImGuiInputTextFlags_EnterReturnsTrue);
      if (enter && new_title_.find_first_not_of(' ') != std::string::npos) create(ctx, new_title_);
      else if (enter && !items.empty()) choose(ctx, items[static_cast<std::size_t>(selected_)].first);
    }
  }
  ImGui::End();
  if (!open) open_ = false;
  if (!open_) wipe();
  return out;
}

void ThreadPicker::close() {
  open_ = false;
  wipe();
}

void ThreadPicker::wipe() {
  for (auto& s : suggestions_) wipe_string(s.title);
  suggestions_.clear();
  for (auto& t : threads_) wipe_string(t.title);
  threads_.clear();
  wipe_string(new_title_);
}

void ThreadPicker::Clear() {
  close();
  chosen_.reset();
  note_.reset();
  error_.clear();
}

bool ThreadPicker::DebugContains(std::string_view needle) const {
  for (const auto& s : suggestions_)
    if (holds(s.title, needle)) return true;
  for (const auto& t : threads_)
    if (holds(t.title, needle)) return true;
  return holds(new_title_, needle);
}

}  // namespace bc::gui
