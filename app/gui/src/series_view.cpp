#include "backchannel/gui/series_view.h"

#include <imgui.h>

#include <algorithm>
#include <memory>

#include "backchannel/gui/error_text.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {

const ImVec4 kPseudonym{0.66f, 0.55f, 0.82f, 1.0f};

ImU32 u32(ImVec4 c, float alpha = 1.0f) {
  c.w *= alpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

const char* audience_label(core::Audience a) {
  return a == core::Audience::participants ? "As the participants see it" : "As the public sees it";
}

}  // namespace

ImVec4 status_colour(core::ThreadStatus s) {
  switch (s) {
    case core::ThreadStatus::raised: return {0.55f, 0.62f, 0.72f, 1.0f};
    case core::ThreadStatus::discussed: return {0.40f, 0.58f, 0.85f, 1.0f};
    case core::ThreadStatus::agreed: return palette::ok;
    case core::ThreadStatus::conveyed: return palette::warn;
    case core::ThreadStatus::taken_up: return palette::accent;
    case core::ThreadStatus::dropped: return palette::danger;
  }
  return palette::muted;
}

void SeriesView::reload(UiContext& ctx, std::int64_t series_id) {
  wipe();
  loaded_series_ = series_id;
  loaded_audience_ = audience_;
  loaded_revision_ = ctx.revision;
  auto tl = core::series_timeline(*ctx.vault, series_id, audience_);
  if (!tl) {
    error_ = describe(tl.error());
    return;
  }
  timeline_ = std::move(*tl);
  // The form records in the selected meeting unless another round of this series was chosen.
  const auto& rounds = timeline_->rounds;
  if (std::none_of(rounds.begin(), rounds.end(), [&](const core::TimelineRound& r) { return r.meeting_id == meeting_choice_; })) {
    const core::Meeting* m = ctx.model().meeting();
    meeting_choice_ = m != nullptr ? m->id : (rounds.empty() ? 0 : rounds.back().meeting_id);
  }
  if (selected_) {
    auto t = core::get_thread(*ctx.vault, *selected_);
    if (t && t->series_id == series_id) detail_ = std::move(*t);
    else selected_.reset();
  }
}

void SeriesView::select(UiContext& ctx, std::int64_t thread_id) {
  if (selected_ != thread_id) status_error_.clear();
  selected_ = thread_id;
  scroll_to_selected_ = true;
  auto t = core::get_thread(*ctx.vault, thread_id);
  if (!t) {
    error_ = describe(t.error());
    return;
  }
  if (detail_) wipe_string(detail_->title);
  detail_ = std::move(*t);
  status_choice_ = detail_->status;
}

void SeriesView::record_status(UiContext& ctx) {
  if (!detail_ || meeting_choice_ == 0) return;
  const std::int64_t thread = detail_->id, meeting = meeting_choice_;
  const core::ThreadStatus status = status_choice_;
  const std::uint64_t session = ctx.session;
  status_error_.clear();
  ctx.write([this, &ctx, thread, status, meeting, session](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<Status>(core::set_thread_status(v, thread, status, meeting));
    return [this, &ctx, session, st, status] {
      if (session != ctx.session) return;
      if (st->ok()) {
        ctx.post(Event::Kind::threads_changed);
        ctx.toast("Status recorded: " + std::string(core::to_string(status)) + ".");
        return;
      }
      // A team series where this vault is not a current member: say so plainly, in the form.
      status_error_ = st->error().code == ErrorCode::blocked
                          ? "This vault may not decide this thread's status: in a team series only a current member of the "
                            "team (an organizer) decides. Nothing was recorded."
                          : "The status could not be recorded: " + describe(st->error());
      ctx.toast(status_error_, true);
    };
  });
}

void SeriesView::handle_keys(UiContext& ctx) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeyShift || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
  // Not while another window (search, inbox, help) has the keyboard.
  if (ImGui::IsWindowFocused(ImGuiFocusedFlags_AnyWindow) && !ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) return;
  const auto& rows = timeline_->rows;
  if (rows.empty()) return;
  const bool down = keys::named(ImGuiKey_DownArrow, true), up = keys::named(ImGuiKey_UpArrow, true);
  if (down || up) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const core::TimelineRow& r) { return selected_ == r.thread_id; });
    std::size_t i = 0;
    if (it != rows.end()) {
      i = static_cast<std::size_t>(it - rows.begin());
      if (down && i + 1 < rows.size()) ++i;
      if (up && i > 0) --i;
    }
    select(ctx, rows[i].thread_id);
  }
  if (!detail_) return;
  for (std::size_t k = 0; k < std::size(core::kThreadStatuses); ++k)
    if (keys::pressed(static_cast<char>('1' + k))) status_choice_ = core::kThreadStatuses[k];
  const auto& rounds = timeline_->rounds;
  const bool left = keys::named(ImGuiKey_LeftArrow, true), right = keys::named(ImGuiKey_RightArrow, true);
  if ((left || right) && !rounds.empty()) {
    auto it = std::find_if(rounds.begin(), rounds.end(), [&](const core::TimelineRound& r) { return r.meeting_id == meeting_choice_; });
    std::size_t i = it == rounds.end() ? rounds.size() - 1 : static_cast<std::size_t>(it - rounds.begin());
    if (right && i + 1 < rounds.size()) ++i;
    if (left && i > 0) --i;
    meeting_choice_ = rounds[i].meeting_id;
  }
  if (keys::named(ImGuiKey_Enter) || keys::named(ImGuiKey_KeyPadEnter)) record_status(ctx);
}

void SeriesView::draw_header(UiContext& ctx, float label_w, float cell_w) {
  const auto& tl = *timeline_;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float em = ImGui::GetFontSize();
  // Row 1: the rounds.
  ImGui::TextColored(palette::muted, "Round");
  float x0 = ImGui::GetCursorScreenPos().x + label_w;
  ImGui::SameLine(label_w);
  for (std::size_t i = 0; i < tl.rounds.size(); ++i) {
    ImGui::SetCursorScreenPos(ImVec2(x0 + cell_w * static_cast<float>(i), ImGui::GetCursorScreenPos().y));
    // The round's month when there is room for it.
    if (cell_w > em * 6) ImGui::TextColored(palette::muted, "%zu  %.7s", i + 1, tl.rounds[i].date.c_str());
    else ImGui::TextColored(palette::muted, "%zu", i + 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s  %s", tl.rounds[i].date.c_str(), tl.rounds[i].title.c_str());
    if (i + 1 < tl.rounds.size()) ImGui::SameLine();
  }
  // Row 2: attendance as the audience sees it, as a stacked bar per round.
  int most = 1;
  for (const auto& r : tl.rounds)
    most = std::max(most, r.attendance.named + r.attendance.role + r.attendance.pseudonym + r.attendance.anonymous);
  const float bar_h = em * 2.2f;
  const ImVec2 top = ImVec2(x0, ImGui::GetCursorScreenPos().y);
  ImGui::TextColored(palette::muted, "Attendance");
  ImGui::TextColored(palette::faint, "as this audience sees it");
  for (std::size_t i = 0; i < tl.rounds.size(); ++i) {
    const auto& r = tl.rounds[i];
    const float left = top.x + cell_w * static_cast<float>(i) + 2, right = left + cell_w - 6;
    float bottom = top.y + bar_h;
    if (r.withheld) {
      dl->AddText(ImVec2(left, top.y + em * 0.5f), u32(palette::faint), "—");
    } else {
      auto stack = [&](int n, const ImVec4& c) {
        if (n == 0) return;
        const float h = bar_h * static_cast<float>(n) / static_cast<float>(most);
        dl->AddRectFilled(ImVec2(left, bottom - h), ImVec2(right, bottom), u32(c, 0.85f));
        bottom -= h;
      };
      stack(r.attendance.named, palette::ok);
      stack(r.attendance.role, palette::accent);
      stack(r.attendance.pseudonym, kPseudonym);
      stack(r.attendance.anonymous, palette::faint);
    }
    ImGui::SetCursorScreenPos(ImVec2(left, top.y));
    ImGui::PushID(static_cast<int>(i));
    ImGui::InvisibleButton("##att", ImVec2(cell_w - 4, bar_h));
    ImGui::PopID();
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::Text("%s  %s", r.date.c_str(), r.title.c_str());
      if (r.withheld) {
        ImGui::TextUnformatted("No summary of this meeting for this audience: nothing of its attendance is shown.");
      } else {
        ImGui::Text("%d named, %d by role, %d by pseudonym, %d others (hidden people are not counted)", r.attendance.named,
                    r.attendance.role, r.attendance.pseudonym, r.attendance.anonymous);
        for (const auto& e : r.attendance.entries) ui::Shaped(ctx.shaper, e);
      }
      ImGui::EndTooltip();
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(top.x - label_w, top.y + bar_h + ImGui::GetStyle().ItemSpacing.y));
  // Row 3: raised, agreed, conveyed in each round.
  ImGui::TextColored(palette::muted, "Raised · agreed · conveyed");
  ImGui::SameLine(label_w);
  const float y = ImGui::GetCursorScreenPos().y;
  for (std::size_t i = 0; i < tl.rounds.size(); ++i) {
    const auto& r = tl.rounds[i];
    const float left = x0 + cell_w * static_cast<float>(i);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d", r.raised);
    dl->AddText(ImVec2(left, y), u32(status_colour(core::ThreadStatus::raised)), buf);
    std::snprintf(buf, sizeof buf, "%d", r.agreed);
    dl->AddText(ImVec2(left + cell_w * 0.33f, y), u32(status_colour(core::ThreadStatus::agreed)), buf);
    std::snprintf(buf, sizeof buf, "%d", r.conveyed);
    dl->AddText(ImVec2(left + cell_w * 0.66f, y), u32(status_colour(core::ThreadStatus::conveyed)), buf);
  }
  ImGui::NewLine();
}

void SeriesView::draw_detail(UiContext& ctx) {
  if (!detail_) return;
  ImGui::Separator();
  ImGui::PushFont(ctx.fonts->bold);
  ui::Shaped(ctx.shaper, detail_->title);
  ImGui::PopFont();
  ImGui::SameLine();
  ui::Badge(std::string(core::to_string(detail_->status)).c_str(), status_colour(detail_->status));
  if (detail_->history.empty()) ui::Muted("No status decided yet.");
  for (const auto& c : detail_->history) {
    ImGui::TextColored(status_colour(c.status), "%-10s", std::string(core::to_string(c.status)).c_str());
    ImGui::SameLine();
    ImGui::TextColored(palette::muted, "%s", c.meeting_starts_at.substr(0, 10).c_str());
    ImGui::SameLine();
    ui::Shaped(ctx.shaper, c.meeting_title);
    ImGui::SameLine();
    ImGui::TextColored(palette::faint, "decided by %s", c.decided_by.c_str());
  }
  ImGui::TextColored(palette::muted, "%zu notes", detail_->note_ids.size());

  // A new status, decided in a chosen round of the series.
  const float em = ImGui::GetFontSize();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Set status");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em * 8);
  if (ImGui::BeginCombo("##status", std::string(core::to_string(status_choice_)).c_str())) {
    for (std::size_t k = 0; k < std::size(core::kThreadStatuses); ++k) {
      const core::ThreadStatus s = core::kThreadStatuses[k];
      const std::string label = std::to_string(k + 1) + "  " + std::string(core::to_string(s));
      if (ImGui::Selectable(label.c_str(), s == status_choice_)) status_choice_ = s;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::TextUnformatted("in");
  ImGui::SameLine();
  const auto& rounds = timeline_->rounds;
  auto round_label = [](const core::TimelineRound& r) { return r.date + "  " + r.title; };
  std::string current;
  for (const auto& r : rounds)
    if (r.meeting_id == meeting_choice_) current = round_label(r);
  ImGui::SetNextItemWidth(em * 16);
  if (ImGui::BeginCombo("##round", current.c_str())) {
    for (const auto& r : rounds) {
      ImGui::PushID(static_cast<int>(r.meeting_id));
      if (ImGui::Selectable(round_label(r).c_str(), r.meeting_id == meeting_choice_)) meeting_choice_ = r.meeting_id;
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  wipe_string(current);
  ImGui::SameLine();
  if (ImGui::Button("Record status")) record_status(ctx);
  ImGui::SameLine();
  ImGui::TextColored(palette::faint, "keys: Up/Down thread · 1-6 status · Left/Right round · Enter records");
  ui::ErrorText(status_error_);
}

void SeriesView::Draw(UiContext& ctx) {
  rows_drawn_ = 0;
  const core::Meeting* m = ctx.model().meeting();
  if (!ctx.vault || m == nullptr) return;
  for (const Event& e : ctx.events()) {
    if (e.kind == Event::Kind::threads_changed) loaded_revision_ = 0;
    if (e.kind == Event::Kind::meeting_selected) meeting_choice_ = e.meeting_id;  // decide in the meeting now open
  }
  if (!timeline_ || loaded_series_ != m->series_id || loaded_audience_ != audience_ || loaded_revision_ != ctx.revision)
    reload(ctx, m->series_id);
  ui::ErrorText(error_);
  if (!timeline_) return;
  const auto& tl = *timeline_;
  const float em = ImGui::GetFontSize();

  ImGui::PushFont(ctx.fonts->bold);
  ui::Shaped(ctx.shaper, tl.series_title);
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em * 14);
  if (ImGui::BeginCombo("##audience", audience_label(audience_))) {
    for (core::Audience a : {core::Audience::participants, core::Audience::public_})
      if (ImGui::Selectable(audience_label(a), a == audience_)) audience_ = a;
    ImGui::EndCombo();
  }
  // The legend, on its own line: solid is decided in that round, faint is carried over.
  for (std::size_t k = 0; k < std::size(core::kThreadStatuses); ++k) {
    if (k > 0) ImGui::SameLine();
    const core::ThreadStatus s = core::kThreadStatuses[k];
    ui::Badge(std::string(core::to_string(s)).c_str(), status_colour(s));
  }
  ImGui::SameLine();
  ImGui::TextColored(palette::faint, "solid: decided in that round · faint: carried over · dot: notes");
  if (tl.rows.empty()) {
    ui::EmptyState("No threads in this series yet",
                   "Follow a proposal across rounds: in the composer, Ctrl+T starts or picks a thread for the note; "
                   "in the log, right-click a note and choose \"Add to thread…\".");
    return;
  }

  const float avail = ImGui::GetContentRegionAvail().x;
  const float label_w = std::clamp(avail * 0.32f, em * 10, em * 22);
  const std::size_t n = std::max<std::size_t>(tl.rounds.size(), 1);
  const float cell_w = std::max(em * 1.6f, (avail - label_w - em) / static_cast<float>(n));
  draw_header(ctx, label_w, cell_w);
  ImGui::Separator();

  handle_keys(ctx);
  const float detail_h =
      detail_ ? em * 2.2f + ImGui::GetFrameHeightWithSpacing() * 2 +
                    ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(detail_->history.size() + 1)
              : 0;
  ImGui::BeginChild("##rows", ImVec2(0, ImGui::GetContentRegionAvail().y - detail_h), false);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  if (scroll_to_selected_ && selected_) {
    // Keep a row picked with the keyboard in view; the clipper draws only the visible ones.
    scroll_to_selected_ = false;
    for (std::size_t i = 0; i < tl.rows.size(); ++i) {
      if (tl.rows[i].thread_id != *selected_) continue;
      const float y = row_h * static_cast<float>(i);
      if (y < ImGui::GetScrollY()) ImGui::SetScrollY(y);
      else if (y + row_h > ImGui::GetScrollY() + ImGui::GetWindowHeight()) ImGui::SetScrollY(y + row_h - ImGui::GetWindowHeight());
    }
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(tl.rows.size()), row_h);
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& row = tl.rows[static_cast<std::size_t>(i)];
      ++rows_drawn_;
      ImGui::PushID(static_cast<int>(row.thread_id));
      const ImVec2 at = ImGui::GetCursorScreenPos();
      if (ImGui::Selectable("##row", selected_ == row.thread_id, 0, ImVec2(0, row_h - ImGui::GetStyle().ItemSpacing.y)))
        select(ctx, row.thread_id);
      // The title, cut to its column.
      ImGui::PushClipRect(at, ImVec2(at.x + label_w - em * 0.5f, at.y + row_h), true);
      dl->AddText(at, u32(palette::text), row.title.c_str());
      ImGui::PopClipRect();
      const float h = row_h - ImGui::GetStyle().ItemSpacing.y;
      for (std::size_t r = 0; r < row.cells.size(); ++r) {
        const auto& c = row.cells[r];
        if (!c.status) continue;
        const float left = at.x + label_w + cell_w * static_cast<float>(r);
        // A decision in this round is drawn solid; a status carried from an earlier round, faint.
        dl->AddRectFilled(ImVec2(left, at.y + 2), ImVec2(left + cell_w - 1, at.y + h - 2),
                          u32(status_colour(*c.status), c.decided_here ? 0.95f : 0.35f), 3.0f);
        if (c.notes > 0) dl->AddCircleFilled(ImVec2(left + cell_w * 0.5f, at.y + h * 0.5f), h * 0.16f, u32(palette::background));
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
  draw_detail(ctx);
}

void SeriesView::Clear() {
  wipe();
  selected_.reset();
  meeting_choice_ = 0;
  status_error_.clear();
}

void SeriesView::wipe() {
  if (timeline_) {
    for (auto& r : timeline_->rows) wipe_string(r.title);
    for (auto& r : timeline_->rounds) {
      wipe_string(r.title);
      wipe_strings(r.attendance.entries);
    }
    wipe_string(timeline_->series_title);
  }
  timeline_.reset();
  if (detail_) {
    wipe_string(detail_->title);
    for (auto& c : detail_->history) wipe_string(c.meeting_title);
  }
  detail_.reset();
  error_.clear();
  loaded_revision_ = 0;
}

bool SeriesView::DebugContains(std::string_view needle) const {
  if (timeline_) {
    for (const auto& r : timeline_->rows)
      if (holds(r.title, needle)) return true;
    for (const auto& r : timeline_->rounds)
      if (holds(r.title, needle) || holds(r.attendance.entries, needle)) return true;
    if (holds(timeline_->series_title, needle)) return true;
  }
  if (detail_) {
    if (holds(detail_->title, needle)) return true;
    for (const auto& c : detail_->history)
      if (holds(c.meeting_title, needle)) return true;
  }
  return false;
}

}  // namespace bc::gui
