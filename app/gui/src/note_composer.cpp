#include "backchannel/gui/note_composer.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>

#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

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
  (void)ctx;
  return h;
}

void NoteComposer::reload_participants(UiContext& ctx) {
  for (auto& s : speakers_) {
    wipe_string(s.name);
    wipe_strings(s.search);
  }
  speakers_.clear();
  const std::string previous_key = speaker_ >= 0 && speaker_ < static_cast<int>(speakers_.size()) ? "" : "";
  (void)previous_key;
  speaker_ = -1;
  meeting_ = ctx.meeting.value_or(0);
  if (!ctx.vault || !ctx.meeting) return;
  auto ps = core::list_participants(*ctx.vault, *ctx.meeting);
  if (!ps) return;
  for (const auto& p : *ps) {
    Speaker s;
    s.id = p.id;
    s.number = p.position;
    s.key = p.key;
    s.name = p.name;
    s.search = words_of(p.name);
    s.search.push_back(lower(p.key));
    for (const auto& a : p.aliases)
      for (auto& w : words_of(a)) s.search.push_back(std::move(w));
    speakers_.push_back(std::move(s));
  }
}

std::vector<int> NoteComposer::matches(std::string_view query) const {
  std::vector<int> out;
  const std::string q = lower(query);
  if (q.empty()) {
    for (int i = 0; i < static_cast<int>(speakers_.size()); ++i) out.push_back(i);
    return out;
  }
  if (std::all_of(q.begin(), q.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    const int n = std::atoi(q.c_str());
    for (int i = 0; i < static_cast<int>(speakers_.size()); ++i)
      if (speakers_[static_cast<std::size_t>(i)].number == n) out.push_back(i);
    return out;
  }
  for (int i = 0; i < static_cast<int>(speakers_.size()); ++i) {
    const auto& s = speakers_[static_cast<std::size_t>(i)];
    if (std::any_of(s.search.begin(), s.search.end(), [&](const std::string& w) { return w.rfind(q, 0) == 0; }))
      out.push_back(i);
  }
  return out;
}

bool NoteComposer::pick_speaker_number(int number) {
  if (number == 0) {
    speaker_ = -1;
    return true;
  }
  for (int i = 0; i < static_cast<int>(speakers_.size()); ++i)
    if (speakers_[static_cast<std::size_t>(i)].number == number) {
      speaker_ = i;
      return true;
    }
  return false;
}

std::optional<std::string> NoteComposer::speaker_key() const {
  if (speaker_ < 0 || speaker_ >= static_cast<int>(speakers_.size())) return std::nullopt;
  return speakers_[static_cast<std::size_t>(speaker_)].key;
}

std::optional<std::int64_t> NoteComposer::commit(UiContext& ctx) {
  error_.clear();
  if (!ctx.vault || !ctx.meeting) return std::nullopt;
  std::string text = trimmed(text_);
  if (text.empty()) return std::nullopt;
  std::optional<std::int64_t> id;
  if (editing_) {
    if (auto st = core::edit_note(*ctx.vault, *editing_, text); !st) {
      error_ = st.error().message;
      wipe_string(text);
      return std::nullopt;
    }
    id = editing_;
    ctx.post(Event::Kind::note_changed, *ctx.meeting, *id);
    editing_.reset();
  } else {
    core::NewNote n;
    n.meeting_id = *ctx.meeting;
    n.speaker_key = speaker_key();
    n.kind = kind_;
    n.visibility = visibility_;
    n.text = text;
    auto added = core::add_note(*ctx.vault, n);
    wipe_string(n.text);
    if (!added) {
      error_ = added.error().message;
      wipe_string(text);
      return std::nullopt;
    }
    id = *added;
    last_note_ = id;
    ctx.post(Event::Kind::note_added, *ctx.meeting, *id);
    // The kind and visibility are for one note; the speaker usually goes on talking.
    kind_ = core::NoteKind::statement;
    visibility_ = core::Visibility::summary;
  }
  wipe_string(text);
  wipe_string(text_);
  focus_text_ = true;
  return id;
}

void NoteComposer::load_for_edit(UiContext& ctx, std::int64_t note_id) {
  auto note = core::get_note(*ctx.vault, note_id);
  if (!note) {
    error_ = note.error().message;
    return;
  }
  // ImGui keeps its own copy of an active field's text: drop it so the field shows the note.
  scrub_imgui_text_state();
  wipe_string(text_);
  text_ = note->text;
  wipe_string(note->text);
  editing_ = note_id;
  focus_text_ = true;
}

bool NoteComposer::edit_last(UiContext& ctx) {
  if (!ctx.vault || !ctx.meeting) return false;
  std::optional<std::int64_t> id = last_note_;
  if (id && !core::get_note(*ctx.vault, *id)) id.reset();
  if (!id) {
    auto notes = core::list_notes(*ctx.vault, *ctx.meeting);
    if (!notes || notes->empty()) return false;
    id = notes->back().id;
    for (auto& n : *notes) wipe_string(n.text);
  }
  load_for_edit(ctx, *id);
  return editing_.has_value();
}

void NoteComposer::handle_shortcuts(UiContext& ctx) {
  const ImGuiIO& io = ImGui::GetIO();
  // Ctrl+0..9: speaker by number; Alt+1..7: kind; Alt+O: organizers only.
  for (int d = 0; d <= 9; ++d) {
    const char key = static_cast<char>('0' + d);
    if (keys::ctrl() && !io.KeyShift && keys::pressed(key)) {
      if (!pick_speaker_number(d)) ctx.toast("No participant number " + std::to_string(d), true);
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
}

void NoteComposer::Draw(UiContext& ctx) {
  for (const Event& e : ctx.events()) {
    using K = Event::Kind;
    if (e.kind == K::meeting_selected || (e.kind == K::participants_changed && e.meeting_id == meeting_)) {
      const auto key = speaker_key();
      if (e.kind == K::meeting_selected) {
        wipe_string(text_);
        editing_.reset();
        last_note_.reset();
      }
      reload_participants(ctx);
      if (key && e.kind == K::participants_changed)
        for (int i = 0; i < static_cast<int>(speakers_.size()); ++i)
          if (speakers_[static_cast<std::size_t>(i)].key == *key) speaker_ = i;
    }
    if (e.kind == K::focus_composer) focus_text_ = true;
    if (e.kind == K::edit_note && ctx.vault) load_for_edit(ctx, e.note_id);
  }
  if (ctx.meeting.value_or(0) != meeting_) reload_participants(ctx);
  if (!ctx.meeting) return;
  handle_shortcuts(ctx);

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
    const auto m = matches(query_);
    if (ImGui::IsItemEdited()) {
      highlighted_ = 0;
      // A number that names exactly one participant picks them at once.
      if (!query_.empty() && std::isdigit(static_cast<unsigned char>(query_[0])) && m.size() == 1 &&
          std::to_string(speakers_[static_cast<std::size_t>(m[0])].number) == query_ &&
          std::none_of(speakers_.begin(), speakers_.end(), [&](const Speaker& s) {
            return s.number > 9 && std::to_string(s.number).rfind(query_, 0) == 0 && std::to_string(s.number) != query_;
          })) {
        speaker_ = m[0];
        picking_ = false;
        focus_text_ = true;
      } else if (query_ == "0") {
        speaker_ = -1;
        picking_ = false;
        focus_text_ = true;
      }
    }
    if (ImGui::IsItemActive()) {
      if (keys::named(ImGuiKey_DownArrow, true)) highlighted_ = std::min(highlighted_ + 1, static_cast<int>(m.size()) - 1);
      if (keys::named(ImGuiKey_UpArrow, true)) highlighted_ = std::max(highlighted_ - 1, 0);
    }
    if (enter) {
      if (!m.empty()) speaker_ = m[static_cast<std::size_t>(std::clamp(highlighted_, 0, static_cast<int>(m.size()) - 1))];
      picking_ = false;
      focus_text_ = true;
    }
    if (keys::named(ImGuiKey_Escape)) {
      picking_ = false;
      focus_text_ = true;
    }
  } else {
    std::string label = speaker_ >= 0 ? std::to_string(speakers_[static_cast<std::size_t>(speaker_)].number) + " · " +
                                             speakers_[static_cast<std::size_t>(speaker_)].name
                                       : std::string("0 · Organizers");
    ImGui::PushStyleColor(ImGuiCol_Text, speaker_ >= 0 ? palette::accent : palette::muted);
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
    const auto m = matches(query_);
    if (m.empty()) ui::Muted("No participant matches.");
    for (std::size_t j = 0; j < m.size() && j < 12; ++j) {
      if (j > 0) ImGui::SameLine();
      const Speaker& s = speakers_[static_cast<std::size_t>(m[j])];
      std::string chip = std::to_string(s.number) + " " + std::string(ctx.shaper.line(s.name));
      ImGui::PushID(static_cast<int>(s.id));
      if (ImGui::Selectable(chip.c_str(), static_cast<int>(j) == highlighted_, 0, ImVec2(ImGui::CalcTextSize(chip.c_str()).x, 0))) {
        speaker_ = m[j];
        picking_ = false;
        focus_text_ = true;
      }
      ImGui::PopID();
      wipe_string(chip);
    }
  }

  // Row 2: the text. Enter commits; Ctrl+Enter starts a new line.
  if (focus_text_) {
    ImGui::SetKeyboardFocusHere();
    focus_text_ = false;
  }
  const float line = ImGui::GetTextLineHeight();
  const bool enter = ImGui::InputTextMultiline("##note", &text_, ImVec2(-1, line * 3.6f + ImGui::GetStyle().FramePadding.y * 2),
                                               ImGuiInputTextFlags_CtrlEnterForNewLine | ImGuiInputTextFlags_EnterReturnsTrue);
  const bool active = ImGui::IsItemActive();
  // Esc is handled by InputText itself: it restores the text the field had when it was
  // activated and deactivates the field within the call, so the item is no longer active here.
  const bool escaped = ImGui::IsItemDeactivated() && keys::named(ImGuiKey_Escape);
  if (text_.empty() && !ImGui::IsItemActive()) {
    // A hint (InputTextMultiline has none in 1.86).
    const ImVec2 min = ImGui::GetItemRectMin();
    ImGui::GetWindowDrawList()->AddText(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y + ImGui::GetStyle().FramePadding.y),
                                        ImGui::GetColorU32(palette::faint),
                                        "Type the note. Enter saves it; Ctrl+Enter starts a new line; Up edits the last note.");
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
  if (editing_) ImGui::TextColored(palette::warn, "Editing note %lld: Enter saves a new revision, Esc cancels.", static_cast<long long>(*editing_));
  if (!error_.empty()) ui::ErrorText(error_);
}

void NoteComposer::Clear() {
  wipe_string(text_);
  wipe_string(query_);
  for (auto& s : speakers_) {
    wipe_string(s.name);
    wipe_string(s.key);
    wipe_strings(s.search);
  }
  speakers_.clear();
  speaker_ = -1;
  meeting_ = 0;
  editing_.reset();
  last_note_.reset();
  error_.clear();
  picking_ = false;
}

bool NoteComposer::DebugContains(std::string_view needle) const {
  if (holds(text_, needle) || holds(query_, needle) || holds(error_, needle)) return true;
  for (const auto& s : speakers_)
    if (holds(s.name, needle) || holds(s.search, needle)) return true;
  return false;
}

}  // namespace bc::gui
