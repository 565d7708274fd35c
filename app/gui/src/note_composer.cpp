#include "backchannel/gui/note_composer.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "backchannel/core/notes.h"
#include "backchannel/core/threads.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

namespace {

const char* kKindLabels[] = {"Statement", "Question", "Proposal", "Agreement", "Disagreement", "Action", "Observation"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ' || c == '.' || c == '-' || c == ',' || c == '(' || c == ')') {
      if (!w.empty()) out.push_back(lower(w));
      w.clear();
    } else {
      w.push_back(c);
    }
  }
  if (!w.empty()) out.push_back(lower(w));
  return out;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Now as RFC 3339 UTC, to the second.
std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[24];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

float NoteComposer::height(const UiContext& ctx) const {
  const float line = ImGui::GetTextLineHeight();
  const float frame = ImGui::GetFrameHeightWithSpacing();
  float h = frame * 1.2f + line * 3.6f + ImGui::GetStyle().FramePadding.y * 2 + ImGui::GetStyle().ItemSpacing.y * 2;
  if (picking_) h += frame;
  if (has_rtl(text_)) h += line * 2.2f;
  if (editing_ || !error_.empty()) h += line + 4;
  if (thread_) h += line + 4;
  (void)ctx;
  return h;
}

std::vector<const core::Participant*> NoteComposer::matches(const MeetingModel& model, std::string_view query) const {
  std::vector<const core::Participant*> out;
  const auto& people = model.participants();
  const std::string q = lower(query);
  if (q.empty()) {
    for (const auto& p : people) out.push_back(&p);
    return out;
  }
  if (std::all_of(q.begin(), q.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    const int n = std::atoi(q.c_str());
    for (const auto& p : people)
      if (p.position == n) out.push_back(&p);
    return out;
  }
  auto starts = [&](const std::string& s) {
    std::vector<std::string> words = words_of(s);
    const bool hit = std::any_of(words.begin(), words.end(), [&](const std::string& w) { return w.rfind(q, 0) == 0; });
    wipe_strings(words);
    return hit;
  };
  for (const auto& p : people) {
    bool hit = starts(p.name) || lower(p.key).rfind(q, 0) == 0;
    for (const auto& a : p.aliases) hit = hit || starts(a);
    if (hit) out.push_back(&p);
  }
  return out;
}

const core::Participant* NoteComposer::speaker(const MeetingModel& model) const {
  return speaker_ ? model.participant(*speaker_) : nullptr;
}

bool NoteComposer::pick_speaker_number(const MeetingModel& model, int number) {
  if (number == 0) {
    speaker_.reset();
    return true;
  }
  for (const auto& p : model.participants())
    if (p.position == number) {
      speaker_ = p.id;
      return true;
    }
  return false;
}

void NoteComposer::commit(UiContext& ctx) {
  error_.clear();
  if (!ctx.vault || !ctx.meeting) return;
  MeetingModel& model = ctx.model();
  std::string typed = trimmed(text_);
  if (typed.empty()) return;
  const Draft draft{shared_wiped(typed), editing_, speaker_, kind_, visibility_, editing_ ? std::nullopt : thread_};
  wipe_string(typed);
  const std::int64_t meeting = model.id();
  const std::uint64_t session = ctx.session;
  if (editing_) {
    const std::int64_t note_id = *editing_;
    const std::uint64_t ticket = model.begin_edit(note_id, *draft.text);
    ctx.write([this, &ctx, draft, note_id, ticket, meeting, session](core::Vault& v) -> TaskRunner::Continuation {
      auto st = std::make_shared<Status>(core::edit_note(v, note_id, *draft.text));
      return [this, &ctx, draft, note_id, ticket, meeting, session, st] {
        if (session != ctx.session) return;
        if (st->ok()) {
          ctx.model().commit(ticket, note_id);
          ctx.post(Event::Kind::note_changed, meeting, note_id);
        } else {
          ctx.model().fail(ctx, ticket);
          restore(draft, "The edit could not be saved: " + describe(st->error()) + ".");
        }
      };
    });
    editing_.reset();
  } else {
    // Shown in the log at once, with the time Enter was pressed (which is also the time stored).
    core::Note shown;
    shown.meeting_id = meeting;
    shown.speaker_id = speaker_;
    shown.kind = kind_;
    shown.visibility = visibility_;
    shown.at = utc_now();
    shown.text = *draft.text;
    const std::optional<std::string> at = shown.at;
    const core::Participant* who = speaker(model);
    const std::optional<std::string> key = who ? std::optional<std::string>(who->key) : std::nullopt;
    const std::uint64_t ticket = model.begin_add(std::move(shown));
    ctx.write([this, &ctx, draft, key, at, ticket, meeting, session](core::Vault& v) -> TaskRunner::Continuation {
      core::NewNote n;
      n.meeting_id = meeting;
      n.speaker_key = key;
      n.kind = draft.kind;
      n.visibility = draft.visibility;
      n.at = at;
      n.text = *draft.text;
      auto added = std::make_shared<Result<std::int64_t>>(core::add_note(v, n));
      wipe_string(n.text);
      // The note is stored whatever happens to the link; a failed link is said, not hidden.
      auto linked = std::make_shared<Status>();
      if (added->ok() && draft.thread) *linked = core::link_note(v, *draft.thread, added->value());
      return [this, &ctx, draft, ticket, meeting, session, added, linked] {
        if (session != ctx.session) return;
        if (added->ok()) {
          ctx.model().commit(ticket, added->value());
          ctx.post(Event::Kind::note_added, meeting, added->value());
          if (draft.thread) ctx.post(Event::Kind::threads_changed, meeting, added->value());
          if (!linked->ok()) ctx.toast("The note was saved but not added to its thread: " + describe(linked->error()), true);
        } else {
          ctx.model().fail(ctx, ticket);
          restore(draft, "The note could not be saved: " + describe(added->error()) + ".");
        }
      };
    });
    // The kind, visibility and thread are for one note; the speaker usually goes on talking.
    kind_ = core::NoteKind::statement;
    visibility_ = core::Visibility::summary;
    thread_.reset();
    wipe_string(thread_title_);
  }
  wipe_string(text_);
}

void NoteComposer::restore(const Draft& draft, std::string why) {
  // ImGui keeps its own copy of an active field's text: drop it so the field shows ours.
  scrub_imgui_text_state();
  if (blank(text_) && !editing_) {
    // Nothing typed since: the composer is as it was when Enter was pressed.
    wipe_string(text_);
    text_ = *draft.text;
    editing_ = draft.editing;
    speaker_ = draft.speaker;
    kind_ = draft.kind;
    visibility_ = draft.visibility;
    thread_ = draft.thread;
  } else {
    // What was typed since stays, after the text that was not saved.
    std::string both = *draft.text + "\n" + text_;
    wipe_string(text_);
    text_ = both;
    wipe_string(both);
  }
  error_ = std::move(why) + " Its text is back in the composer.";
  focus_text_ = true;
}

void NoteComposer::load_for_edit(UiContext& ctx, std::int64_t note_id) {
  const MeetingModel::Entry* e = ctx.model().note(note_id);
  if (e == nullptr || e->pending != MeetingModel::Pending::none) {
    error_ = e == nullptr ? "That note is no longer in this meeting." : "That note is still being saved.";
    return;
  }
  // ImGui keeps its own copy of an active field's text: drop it so the field shows the note.
  scrub_imgui_text_state();
  wipe_string(text_);
  text_ = e->note.text;
  editing_ = note_id;
  focus_text_ = true;
}

bool NoteComposer::edit_last(UiContext& ctx) {
  if (!ctx.vault || !ctx.meeting) return false;
  const auto& notes = ctx.model().notes();
  if (notes.empty()) return false;
  if (notes.back().pending != MeetingModel::Pending::none) {
    error_ = "The last note is still being saved.";
    return false;
  }
  load_for_edit(ctx, notes.back().note.id);
  return editing_.has_value();
}

void NoteComposer::handle_shortcuts(UiContext& ctx) {
  const ImGuiIO& io = ImGui::GetIO();
  // Ctrl+0..9: speaker by number; Alt+1..7: kind; Alt+O: organizers only.
  for (int d = 0; d <= 9; ++d) {
    const char key = static_cast<char>('0' + d);
    if (keys::ctrl() && !io.KeyShift && keys::pressed(key)) {
      if (!pick_speaker_number(ctx.model(), d)) ctx.toast("No participant number " + std::to_string(d), true);
      picking_ = false;
      focus_text_ = true;
    }
    if (keys::alt() && d >= 1 && d <= 7 && keys::pressed(key)) kind_ = core::kNoteKinds[static_cast<std::size_t>(d - 1)];
  }
  if (keys::alt() && keys::pressed('O'))
    visibility_ = visibility_ == core::Visibility::summary ? core::Visibility::organizers : core::Visibility::summary;
  if (keys::ctrl_pressed('K')) {
    picking_ = true;
    focus_picker_ = true;
    wipe_string(query_);
    highlighted_ = 0;
  }
  if (keys::ctrl_pressed('N')) focus_text_ = true;
  if (keys::ctrl_pressed('T')) pick_thread(ctx);
}

void NoteComposer::pick_thread(UiContext& ctx) {
  const core::Meeting* m = ctx.model().meeting();
  if (!ctx.vault || m == nullptr) return;
  if (!blank(text_) && !editing_) {
    picker_.open_for_text(ctx, m->series_id, text_);
    return;
  }
  const auto& notes = ctx.model().notes();
  const std::int64_t note = editing_ ? *editing_ : notes.empty() ? 0 : notes.back().note.id;
  if (note == 0 || (!editing_ && notes.back().pending != MeetingModel::Pending::none)) {
    ctx.toast(note == 0 ? "Type a note first: Ctrl+T then picks its thread." : "The last note is still being saved.", true);
    return;
  }
  picker_.open_for_note(ctx, m->series_id, note);
}

void NoteComposer::Draw(UiContext& ctx) {
  const MeetingModel& model = ctx.model();
  if (model.id() != meeting_) {
    // Another meeting: the draft, the edit and the speaker were about the previous one.
    scrub_imgui_text_state();
    wipe_string(text_);
    editing_.reset();
    speaker_.reset();
    error_.clear();
    thread_.reset();
    wipe_string(thread_title_);
    picker_.Clear();
    meeting_ = model.id();
  }
  for (const Event& e : ctx.events()) {
    using K = Event::Kind;
    if (e.kind == K::focus_composer) focus_text_ = true;
    if (e.kind == K::edit_note && ctx.vault) load_for_edit(ctx, e.note_id);
  }
  if (speaker_ && speaker(model) == nullptr) speaker_.reset();  // removed from the meeting
  if (!ctx.meeting) return;
  handle_shortcuts(ctx);
  if (auto chosen = picker_.Draw(ctx)) {
    thread_ = *chosen;
    wipe_string(thread_title_);
    if (auto t = core::get_thread(*ctx.vault, *chosen)) thread_title_ = t->title;
    focus_text_ = true;
  }

  ImGui::Separator();
  // Row 1: speaker, kind, visibility.
  const bool locked_fields = editing_.has_value();
  ImGui::BeginDisabled(locked_fields);
  const float picker_w = ImGui::GetFontSize() * 15;
  if (picking_) {
    if (focus_picker_) {
      ImGui::SetKeyboardFocusHere();
      focus_picker_ = false;
    }
    ImGui::SetNextItemWidth(picker_w);
    const bool enter =
        ImGui::InputTextWithHint("##who", "name or number…", &query_, ImGuiInputTextFlags_EnterReturnsTrue);
    const auto m = matches(model, query_);
    if (ImGui::IsItemEdited()) {
      highlighted_ = 0;
      // A number that names exactly one participant picks them at once.
      const auto& people = model.participants();
      if (!query_.empty() && std::isdigit(static_cast<unsigned char>(query_[0])) && m.size() == 1 &&
          std::to_string(m[0]->position) == query_ &&
          std::none_of(people.begin(), people.end(), [&](const core::Participant& p) {
            return p.position > 9 && std::to_string(p.position).rfind(query_, 0) == 0 && std::to_string(p.position) != query_;
          })) {
        speaker_ = m[0]->id;
        picking_ = false;
        focus_text_ = true;
      } else if (query_ == "0") {
        speaker_.reset();
        picking_ = false;
        focus_text_ = true;
      }
    }
    if (ImGui::IsItemActive()) {
      if (keys::named(ImGuiKey_DownArrow, true)) highlighted_ = std::min(highlighted_ + 1, static_cast<int>(m.size()) - 1);
      if (keys::named(ImGuiKey_UpArrow, true)) highlighted_ = std::max(highlighted_ - 1, 0);
    }
    if (enter) {
      if (!m.empty()) speaker_ = m[static_cast<std::size_t>(std::clamp(highlighted_, 0, static_cast<int>(m.size()) - 1))]->id;
      picking_ = false;
      focus_text_ = true;
    }
    if (keys::named(ImGuiKey_Escape)) {
      picking_ = false;
      focus_text_ = true;
    }
  } else {
    const core::Participant* who = speaker(model);
    std::string label = who ? std::to_string(who->position) + " · " + who->name : std::string("0 · Organizers");
    ImGui::PushStyleColor(ImGuiCol_Text, who ? palette::accent : palette::muted);
    if (ImGui::Button((std::string(ctx.shaper.line(label)) + "##speaker").c_str(), ImVec2(picker_w, 0))) {
      picking_ = true;
      focus_picker_ = true;
      wipe_string(query_);
    }
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Speaker: Ctrl+K to pick by name, Ctrl+1…9 by number, Ctrl+0 for organizers");
    wipe_string(label);
  }
  for (int k = 0; k < 7; ++k) {
    ImGui::SameLine();
    const bool on = static_cast<int>(kind_) == k;
    ImGui::PushStyleColor(ImGuiCol_Text, on ? kind_color(core::kNoteKinds[static_cast<std::size_t>(k)]) : palette::faint);
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_FrameBgActive));
    else ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    if (ImGui::SmallButton(kKindLabels[k])) kind_ = core::kNoteKinds[static_cast<std::size_t>(k)];
    ImGui::PopStyleColor(2);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Alt+%d", k + 1);
  }
  ImGui::SameLine();
  bool organizers = visibility_ == core::Visibility::organizers;
  if (ImGui::Checkbox("Organizers only", &organizers))
    visibility_ = organizers ? core::Visibility::organizers : core::Visibility::summary;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Alt+O. Never enters a summary.");
  ImGui::EndDisabled();

  if (picking_) {
    // The matching participants, numbered; the highlighted one is taken by Enter.
    const auto m = matches(model, query_);
    if (m.empty()) ui::Muted("No participant matches.");
    for (std::size_t j = 0; j < m.size() && j < 12; ++j) {
      if (j > 0) ImGui::SameLine();
      const core::Participant& p = *m[j];
      std::string chip = std::to_string(p.position) + " " + std::string(ctx.shaper.line(p.name));
      ImGui::PushID(static_cast<int>(p.id));
      if (ImGui::Selectable(chip.c_str(), static_cast<int>(j) == highlighted_, 0, ImVec2(ImGui::CalcTextSize(chip.c_str()).x, 0))) {
        speaker_ = p.id;
        picking_ = false;
        focus_text_ = true;
      }
      ImGui::PopID();
      wipe_string(chip);
    }
  }

  // Row 2: the text. Enter commits; Ctrl+Enter starts a new line.
  // Enter also lets go of the field (ImGui 1.86 has no flag against it), and a focus request
  // takes a frame to arrive: asked for only after the commit, the field came back two frames
  // later and dropped what was typed meanwhile. Asked for now, before the field sees the Enter,
  // it is back for the next frame.
  const ImGuiIO& io = ImGui::GetIO();
  if (text_active_ && !io.KeyCtrl && (keys::named(ImGuiKey_Enter) || keys::named(ImGuiKey_KeyPadEnter))) focus_text_ = true;
  if (focus_text_) {
    ImGui::SetKeyboardFocusHere();
    focus_text_ = false;
  }
  const float line = ImGui::GetTextLineHeight();
  const bool enter = ImGui::InputTextMultiline("##note", &text_, ImVec2(-1, line * 3.6f + ImGui::GetStyle().FramePadding.y * 2),
                                               ImGuiInputTextFlags_CtrlEnterForNewLine | ImGuiInputTextFlags_EnterReturnsTrue);
  const bool active = ImGui::IsItemActive();
  text_active_ = active;
  // Esc is handled by InputText itself: it restores the text the field had when it was
  // activated and deactivates the field within the call, so the item is no longer active here.
  const bool escaped = ImGui::IsItemDeactivated() && keys::named(ImGuiKey_Escape);
  if (text_.empty() && !ImGui::IsItemActive()) {
    // A hint (InputTextMultiline has none in 1.86).
    const ImVec2 min = ImGui::GetItemRectMin();
    ImGui::GetWindowDrawList()->AddText(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y + ImGui::GetStyle().FramePadding.y),
                                        ImGui::GetColorU32(palette::faint),
                                        "Type the note. Enter saves it; Ctrl+Enter a new line; Up edits the last note; Ctrl+T its thread.");
  }
  if (enter) commit(ctx);
  if (active && text_.empty() && !editing_ && keys::named(ImGuiKey_UpArrow)) edit_last(ctx);
  if (editing_ && (escaped || (active && keys::named(ImGuiKey_Escape)))) {
    editing_.reset();
    scrub_imgui_text_state();
    wipe_string(text_);
    focus_text_ = true;
  }
  // Persian and Arabic as they will look (the field itself shows them unshaped).
  if (has_rtl(text_)) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::muted);
    ui::Paragraph(ctx.shaper, text_, ImGui::GetContentRegionAvail().x);
    ImGui::PopStyleColor();
  }
  if (thread_) {
    // Under the text, where the row above has no room left on narrow windows.
    ImGui::TextColored(palette::accent, "Thread:");
    ImGui::SameLine();
    ui::ShapedColored(ctx.shaper, thread_title_, palette::accent);
    ImGui::SameLine();
    ImGui::TextColored(palette::faint, "(the note joins it when saved; Ctrl+T changes it)");
  }
  if (editing_) ImGui::TextColored(palette::warn, "Editing note %lld: Enter saves a new revision, Esc cancels.", static_cast<long long>(*editing_));
  if (!error_.empty()) ui::ErrorText(error_);
}

void NoteComposer::Clear() {
  wipe_string(text_);
  wipe_string(query_);
  speaker_.reset();
  meeting_ = 0;
  editing_.reset();
  error_.clear();
  picking_ = false;
  text_active_ = false;
  picker_.Clear();
  thread_.reset();
  wipe_string(thread_title_);
}

bool NoteComposer::DebugContains(std::string_view needle) const {
  return holds(text_, needle) || holds(query_, needle) || holds(error_, needle) || holds(thread_title_, needle) ||
         picker_.DebugContains(needle);
}

}  // namespace bc::gui
