#include "backchannel/gui/note_log_view.h"

#include <imgui.h>

#include <algorithm>
#include <ctime>

#include "backchannel/core/notes.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

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

std::size_t NoteLogView::RowKeyHash::operator()(const RowKey& k) const {
  std::size_t h = std::hash<std::int64_t>()(k.id);
  h = h * 31 + std::hash<int>()(k.revision);
  return h * 31 + std::hash<std::uint64_t>()(k.ticket);
}

void NoteLogView::measure(const MeetingModel& model, float width) {
  if (width != measured_width_) heights_.clear();
  const float line_h = ImGui::GetTextLineHeight();
  const float gap = ImGui::GetStyle().ItemSpacing.y;
  const auto& notes = model.notes();
  if (heights_.size() > notes.size() * 2 + 64) heights_.clear();  // edited and deleted notes pile up
  std::vector<float> heights;
  heights.reserve(notes.size());
  for (const auto& e : notes) {
    const RowKey key{e.note.id, e.note.revision, e.ticket};
    auto it = heights_.find(key);
    if (it == heights_.end())
      it = heights_.emplace(key, line_h + 2.0f + ui::ParagraphHeight(e.note.text, width) + gap * 1.6f).first;
    heights.push_back(it->second);
  }
  list_.set_heights(heights);
  measured_width_ = width;
  measured_version_ = model.notes_version();
}

void NoteLogView::Draw(UiContext& ctx, float height) {
  const MeetingModel& model = ctx.model();
  for (const Event& e : ctx.events()) {
    using K = Event::Kind;
    if (e.kind == K::show_note) {
      scroll_to_note_ = e.note_id;
      selected_ = e.note_id;
    }
  }
  if (model.id() != meeting_) {
    meeting_ = model.id();
    heights_.clear();
    measured_width_ = -1;
    stick_to_bottom_ = true;
    selected_.reset();
  } else if (model.notes_version() != measured_version_ && was_at_bottom_) {
    stick_to_bottom_ = true;  // stay with the newest note while notes arrive
  }
  if (!model.notes().empty() && model.notes().back().pending == MeetingModel::Pending::add &&
      model.notes().back().ticket != last_add_) {
    last_add_ = model.notes().back().ticket;
    stick_to_bottom_ = true;  // a note just typed here: show it, wherever the log was scrolled
  }

  if (ctx.vault && ctx.meeting && (model.notes_version() != origins_version_ || model.id() != origins_meeting_)) {
    origins_version_ = model.notes_version();
    origins_meeting_ = model.id();
    auto o = core::notes_from_other_devices(*ctx.vault, model.id());
    if (o) origins_ = std::move(*o);
    else origins_.clear();  // only a mark is lost; the notes themselves are the model's
  }

  (void)picker_.Draw(ctx);  // for a saved note: the picker links it itself
  ImGui::BeginChild("##log", ImVec2(0, height), false);
  if (!model.error().empty()) ui::ErrorText(model.error());
  if (!ctx.meeting) {
    ui::EmptyState("No meeting selected", "Choose a meeting on the left, or create one from the Vault menu.");
    ImGui::EndChild();
    return;
  }
  if (model.notes().empty()) {
    ui::EmptyState("No notes yet", "Pick a speaker with Ctrl+K (or their number with Ctrl+1…9), type, and press Enter.");
    list_.clear();
    measured_version_ = model.notes_version();
    ImGui::EndChild();
    return;
  }
  const float gutter = ImGui::GetFontSize() * kGutterEm;
  // The text column starts at gutter + padding (draw_row's SameLine) and ends at the content
  // edge, left of the scrollbar: a wider paragraph had its right-aligned Persian lines clipped
  // by a few pixels (their first letter vanished).
  const float width =
      std::max(50.0f, ImGui::GetWindowContentRegionMax().x - gutter - ImGui::GetStyle().WindowPadding.x - 1.0f);
  if (width != measured_width_ || model.notes_version() != measured_version_) measure(model, width);
  const float start_y = ImGui::GetCursorPosY();
  drawn_ = list_.Draw([&](std::size_t i) { draw_row(ctx, model, i, width); });
  if (scroll_to_note_) {
    for (std::size_t i = 0; i < model.notes().size(); ++i)
      if (model.notes()[i].note.id == *scroll_to_note_) list_.scroll_to(i, start_y);
    scroll_to_note_.reset();
    stick_to_bottom_ = false;
  } else if (stick_to_bottom_) {
    ImGui::SetScrollHereY(1.0f);
    stick_to_bottom_ = false;
  }
  was_at_bottom_ = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2.0f;
  ImGui::EndChild();
}

void NoteLogView::draw_row(UiContext& ctx, const MeetingModel& model, std::size_t i, float width) {
  const MeetingModel::Entry& entry = model.notes()[i];
  const core::Note& n = entry.note;
  const bool committed = entry.pending == MeetingModel::Pending::none;
  ImGui::PushID(static_cast<int>(n.id != 0 ? n.id : -static_cast<std::int64_t>(entry.ticket)));
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
  ImGui::TextUnformatted(local_time(n.at).c_str());
  ImGui::PopStyleColor();
  ImGui::SameLine(ImGui::GetFontSize() * kGutterEm + ImGui::GetStyle().WindowPadding.x);
  ImGui::BeginGroup();
  // Header: speaker, kind, marks.
  ImGui::PushFont(ctx.fonts->bold);
  std::string speaker = "Organizers";
  if (n.speaker_id) {
    const core::Participant* p = model.participant(*n.speaker_id);
    speaker = p ? std::to_string(p->position) + " · " + p->name : "(unknown speaker)";
  }
  ui::ShapedColored(ctx.shaper, speaker, n.speaker_id ? palette::accent : palette::muted);
  wipe_string(speaker);
  ImGui::PopFont();
  if (n.kind != core::NoteKind::statement) {
    ImGui::SameLine();
    ImGui::TextColored(kind_color(n.kind), "%s", std::string(core::to_string(n.kind)).c_str());
  }
  if (n.visibility == core::Visibility::organizers) {
    ImGui::SameLine();
    ImGui::TextColored(palette::warn, "organizers only");
  }
  if (auto o = origins_.find(n.id); o != origins_.end() && committed) {
    ImGui::SameLine();
    ImGui::TextColored(palette::accent_dim, "from the team");
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::Text("Arrived by sync from device %s", o->second.device.substr(0, 8).c_str());
      if (!o->second.member_fingerprint.empty()) ImGui::Text("Member %s", o->second.member_fingerprint.c_str());
      ImGui::EndTooltip();
    }
  }
  if (n.revision > 1 && committed) {
    ImGui::SameLine();
    ImGui::TextDisabled("edited");
  }
  if (!committed) {
    ImGui::SameLine();
    ImGui::TextColored(palette::faint, entry.pending == MeetingModel::Pending::remove ? "deleting…" : "saving…");
  }
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + 2.0f);
  ui::Paragraph(ctx.shaper, n.text, width, {}, ctx.settings.privacy_veil);
  ImGui::EndGroup();
  // Click selects; right click offers actions (once the vault has the note).
  if (hovered && ImGui::IsMouseClicked(0) && committed) selected_ = n.id;
  if (hovered && ImGui::IsMouseClicked(1) && committed) {
    selected_ = n.id;
    ImGui::OpenPopup("##note-menu");
  }
  if (ImGui::BeginPopup("##note-menu")) {
    if (ImGui::MenuItem("Edit")) ctx.post(Event::Kind::edit_note, meeting_, n.id);
    if (ImGui::MenuItem("History")) {
      ctx.post(Event::Kind::show_note, meeting_, n.id);
      ctx.show(Window::note_history);
    }
    if (ImGui::MenuItem("Add to thread…")) add_to_thread(ctx, n.id);
    if (ImGui::MenuItem("Copy text")) {
      ctx.clipboard.copy(n.text, ctx.now);
      ctx.toast("Copied. The clipboard is cleared in 30 seconds.");
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Delete")) remove(ctx, n.id);
    ImGui::EndPopup();
  }
  ImGui::PopID();
}

void NoteLogView::remove(UiContext& ctx, std::int64_t note_id) {
  const std::uint64_t ticket = ctx.model().begin_remove(note_id);
  const std::int64_t meeting = meeting_;
  const std::uint64_t session = ctx.session;
  ctx.write([&ctx, note_id, ticket, meeting, session](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<Status>(core::delete_note(v, note_id));
    return [&ctx, note_id, ticket, meeting, session, st] {
      if (session != ctx.session) return;
      if (st->ok()) {
        ctx.model().commit(ticket, note_id);
        ctx.post(Event::Kind::note_changed, meeting, note_id);
        ctx.toast("Note deleted. Vault ▸ Purge deleted notes erases it for good.");
      } else {
        ctx.model().fail(ctx, ticket);
        ctx.toast("The note could not be deleted: " + describe(st->error()), true);
      }
    };
  });
}

void NoteLogView::add_to_thread(UiContext& ctx, std::int64_t note_id) {
  const core::Meeting* m = ctx.model().meeting();
  if (!ctx.vault || m == nullptr) return;
  selected_ = note_id;
  picker_.open_for_note(ctx, m->series_id, note_id);
}

void NoteLogView::Clear() {
  picker_.Clear();
  heights_.clear();
  list_.clear();
  meeting_ = 0;
  measured_width_ = -1;
  measured_version_ = 0;
  stick_to_bottom_ = was_at_bottom_ = true;
  selected_.reset();
  scroll_to_note_.reset();
  origins_.clear();
  origins_version_ = 0;
  origins_meeting_ = 0;
}

bool NoteLogView::DebugContains(std::string_view needle) const {
  return picker_.DebugContains(needle);  // the notes are the meeting model's
}

}  // namespace bc::gui
