#include "backchannel/gui/note_log_view.h"

#include <imgui.h>

#include <algorithm>
#include <ctime>

#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {

constexpr float kGutterEm = 3.6f;

// "2025-03-14T10:42:05Z" -> "10:42" in local time; "--:--" when unknown.
std::string local_time(const std::optional<std::string>& at) {
  if (!at || at->size() < 19) return "--:--";
  std::tm tm{};
  if (::strptime(at->c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return at->substr(11, 5);
  const std::time_t t = ::timegm(&tm);
  std::tm local{};
  ::localtime_r(&t, &local);
  char buf[8];
  std::strftime(buf, sizeof buf, "%H:%M", &local);
  return buf;
}

}  // namespace

const ImVec4& kind_color(core::NoteKind k) {
  static const ImVec4 colors[] = {palette::muted,                            // statement
                                  ImVec4(0.55f, 0.68f, 0.88f, 1.0f),         // question
                                  palette::accent,                           // proposal
                                  palette::ok,                               // agreement
                                  palette::danger,                           // disagreement
                                  palette::warn,                             // action
                                  ImVec4(0.66f, 0.60f, 0.80f, 1.0f)};        // observation
  return colors[static_cast<int>(k)];
}

NoteLogView::Row NoteLogView::make_row(core::Note note) const {
  Row r;
  r.time = local_time(note.at);
  if (note.speaker_id) {
    auto it = speakers_.find(*note.speaker_id);
    r.speaker = it != speakers_.end() ? std::to_string(it->second.first) + " · " + it->second.second : "(unknown speaker)";
  } else {
    r.speaker = "Organizers";
  }
  r.note = std::move(note);
  return r;
}

void NoteLogView::reload(UiContext& ctx) {
  Clear();
  if (!ctx.vault || !ctx.meeting) return;
  meeting_ = *ctx.meeting;
  auto ps = core::list_participants(*ctx.vault, meeting_);
  if (ps) {
    for (const auto& p : *ps) speakers_[p.id] = {p.position, p.name};
  }
  auto notes = core::list_notes(*ctx.vault, meeting_);
  if (!notes) {
    error_ = notes.error().message;
    return;
  }
  rows_.reserve(notes->size());
  for (auto& n : *notes) rows_.push_back(make_row(std::move(n)));
  measured_width_ = -1;
  stick_to_bottom_ = true;
}

void NoteLogView::reload_note(UiContext& ctx, std::int64_t note_id) {
  auto it = std::find_if(rows_.begin(), rows_.end(), [&](const Row& r) { return r.note.id == note_id; });
  auto note = core::get_note(*ctx.vault, note_id);
  if (!note) {  // deleted
    if (it != rows_.end()) {
      wipe_string(it->note.text);
      rows_.erase(it);
    }
  } else if (it != rows_.end()) {
    wipe_string(it->note.text);
    *it = make_row(std::move(*note));
  } else {
    // New notes are ordered by time then id, as the core lists them.
    Row r = make_row(std::move(*note));
    auto pos = std::upper_bound(rows_.begin(), rows_.end(), r, [](const Row& a, const Row& b) {
      const std::string& at_a = a.note.at ? *a.note.at : a.note.created_at;
      const std::string& at_b = b.note.at ? *b.note.at : b.note.created_at;
      return at_a != at_b ? at_a < at_b : a.note.id < b.note.id;
    });
    rows_.insert(pos, std::move(r));
  }
  measured_width_ = -1;
}

void NoteLogView::measure(float width) {
  const float line_h = ImGui::GetTextLineHeight();
  const float gap = ImGui::GetStyle().ItemSpacing.y;
  std::vector<float> heights;
  heights.reserve(rows_.size());
  for (const Row& r : rows_) heights.push_back(line_h + 2.0f + ui::ParagraphHeight(r.note.text, width) + gap * 1.6f);
  list_.set_heights(heights);
  measured_width_ = width;
}

void NoteLogView::Draw(UiContext& ctx, float height) {
  for (const Event& e : ctx.events()) {
    using K = Event::Kind;
    switch (e.kind) {
      case K::meeting_selected:
      case K::notes_reloaded:
      case K::participants_changed: reload(ctx); break;
      case K::note_added:
      case K::note_changed:
        if (ctx.vault && e.meeting_id == meeting_) {
          reload_note(ctx, e.note_id);
          if (e.kind == K::note_added) stick_to_bottom_ = true;
        }
        break;
      case K::show_note: scroll_to_note_ = e.note_id; selected_ = e.note_id; break;
      default: break;
    }
  }
  if (ctx.vault && ctx.meeting && *ctx.meeting != meeting_) reload(ctx);

  ImGui::BeginChild("##log", ImVec2(0, height), false);
  if (!error_.empty()) ui::ErrorText(error_);
  if (!ctx.meeting) {
    ui::EmptyState("No meeting selected", "Choose a meeting on the left, or create one from the Vault menu.");
    ImGui::EndChild();
    return;
  }
  if (rows_.empty()) {
    ui::EmptyState("No notes yet", "Pick a speaker with Ctrl+K (or their number with Ctrl+1…9), type, and press Enter.");
    ImGui::EndChild();
    return;
  }
  const float gutter = ImGui::GetFontSize() * kGutterEm;
  // The text column starts at gutter + padding (draw_row's SameLine) and ends at the content
  // edge, left of the scrollbar: a wider paragraph had its right-aligned Persian lines clipped
  // by a few pixels (their first letter vanished).
  const float width =
      std::max(50.0f, ImGui::GetWindowContentRegionMax().x - gutter - ImGui::GetStyle().WindowPadding.x - 1.0f);
  if (width != measured_width_) measure(width);
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2.0f;
  const float start_y = ImGui::GetCursorPosY();
  drawn_ = list_.Draw([&](std::size_t i) { draw_row(ctx, i, width); });
  if (scroll_to_note_) {
    for (std::size_t i = 0; i < rows_.size(); ++i)
      if (rows_[i].note.id == *scroll_to_note_) list_.scroll_to(i, start_y);
    scroll_to_note_.reset();
    stick_to_bottom_ = false;
  } else if (stick_to_bottom_) {
    ImGui::SetScrollHereY(1.0f);
    stick_to_bottom_ = false;
  } else if (at_bottom && ImGui::GetScrollMaxY() > 0) {
    // Stay pinned to the newest note while notes arrive.
    stick_to_bottom_ = false;
  }
  ImGui::EndChild();
}

void NoteLogView::draw_row(UiContext& ctx, std::size_t i, float width) {
  Row& r = rows_[i];
  const core::Note& n = r.note;
  ImGui::PushID(static_cast<int>(n.id));
  const ImVec2 row_min = ImGui::GetCursorScreenPos();
  const float row_h = list_.height(i);
  const float full_w = ImGui::GetContentRegionAvail().x;
  const ImVec2 row_max(row_min.x + full_w, row_min.y + row_h - ImGui::GetStyle().ItemSpacing.y * 0.6f);
  const bool hovered = ImGui::IsMouseHoveringRect(row_min, row_max) && ImGui::IsWindowHovered();
  if (selected_ && *selected_ == n.id)
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(row_min.x - 4, row_min.y - 2), row_max,
                                              ImGui::GetColorU32(ImGuiCol_Header, 0.5f), 4.0f);
  else if (hovered)
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(row_min.x - 4, row_min.y - 2), row_max,
                                              ImGui::GetColorU32(ImVec4(1, 1, 1, 0.025f)), 4.0f);
  // Gutter: the time.
  ImGui::PushStyleColor(ImGuiCol_Text, palette::faint);
  ImGui::TextUnformatted(r.time.c_str());
  ImGui::PopStyleColor();
  ImGui::SameLine(ImGui::GetFontSize() * kGutterEm + ImGui::GetStyle().WindowPadding.x);
  ImGui::BeginGroup();
  // Header: speaker, kind, marks.
  ImGui::PushFont(ctx.fonts->bold);
  ui::ShapedColored(ctx.shaper, r.speaker, n.speaker_id ? palette::accent : palette::muted);
  ImGui::PopFont();
  if (n.kind != core::NoteKind::statement) {
    ImGui::SameLine();
    ImGui::TextColored(kind_color(n.kind), "%s", std::string(core::to_string(n.kind)).c_str());
  }
  if (n.visibility == core::Visibility::organizers) {
    ImGui::SameLine();
    ImGui::TextColored(palette::warn, "organizers only");
  }
  if (n.revision > 1) {
    ImGui::SameLine();
    ImGui::TextDisabled("edited");
  }
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + 2.0f);
  ui::Paragraph(ctx.shaper, n.text, width, {}, ctx.settings.privacy_veil);
  ImGui::EndGroup();
  // Click selects; right click offers actions.
  if (hovered && ImGui::IsMouseClicked(0)) selected_ = n.id;
  if (hovered && ImGui::IsMouseClicked(1)) {
    selected_ = n.id;
    ImGui::OpenPopup("##note-menu");
  }
  if (ImGui::BeginPopup("##note-menu")) {
    if (ImGui::MenuItem("Edit")) ctx.post(Event::Kind::edit_note, meeting_, n.id);
    if (ImGui::MenuItem("History")) {
      ctx.post(Event::Kind::show_note, meeting_, n.id);
      ctx.show(Window::note_history);
    }
    if (ImGui::MenuItem("Copy text")) {
      ctx.clipboard.copy(n.text, ctx.now);
      ctx.toast("Copied. The clipboard is cleared in 30 seconds.");
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Delete")) {
      if (auto st = core::delete_note(*ctx.vault, n.id); st) {
        ctx.post(Event::Kind::note_changed, meeting_, n.id);
        ctx.toast("Note deleted. Vault ▸ Purge deleted notes erases it for good.");
      } else {
        ctx.toast(st.error().message, true);
      }
    }
    ImGui::EndPopup();
  }
  ImGui::PopID();
}

void NoteLogView::Clear() {
  for (auto& r : rows_) {
    wipe_string(r.note.text);
    wipe_string(r.speaker);
  }
  rows_.clear();
  rows_.shrink_to_fit();
  for (auto& [id, s] : speakers_) wipe_string(s.second);
  speakers_.clear();
  list_.clear();
  meeting_ = 0;
  measured_width_ = -1;
  error_.clear();
  selected_.reset();
  scroll_to_note_.reset();
}

bool NoteLogView::DebugContains(std::string_view needle) const {
  for (const auto& r : rows_)
    if (holds(r.note.text, needle) || holds(r.speaker, needle)) return true;
  for (const auto& [id, s] : speakers_)
    if (holds(s.second, needle)) return true;
  return holds(error_, needle);
}

}  // namespace bc::gui
