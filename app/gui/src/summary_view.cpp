#include "backchannel/gui/summary_view.h"

#include <imgui.h>

#include <algorithm>

#include "backchannel/gui/file_io.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/message_text.h"

namespace bc::gui {

namespace {
// In the order of core::SummaryFormat.
const char* kFormats[] = {"Markdown", "HTML", "JSON", "PDF"};
const char* kExtensions[] = {".md", ".html", ".json", ".pdf"};

void wipe_data(SummaryView::Data& d) {
  for (auto& s : d.summary.statements) {
    wipe_string(s.text);
    wipe_string(s.attribution.label);
  }
  d.summary.statements.clear();
  wipe_string(d.summary.meeting_title);
  wipe_string(d.summary.series_title);
  wipe_strings(d.summary.attendance.named);
  wipe_strings(d.summary.attendance.roles);
  for (auto& w : d.summary.warnings) wipe_string(w.message);
  d.summary.warnings.clear();
}
}  // namespace

void SummaryView::start(UiContext& ctx) {
  if (!ctx.vault || !ctx.meeting) return;
  if (computing_) {
    again_ = true;
    return;
  }
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    ctx.toast(describe(conn.error()), true);
    return;
  }
  computing_ = true;
  again_ = false;
  meeting_ = *ctx.meeting;
  revision_ = ctx.revision;
  built_for_ = audience_;
  built_stable_ = stable_;
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  const std::int64_t meeting = meeting_;
  core::SummaryOptions opts;
  opts.audience = audience_;
  opts.stable_pseudonyms = stable_ && audience_ == core::Audience::participants;
  const std::uint64_t session = ctx.session;
  ctx.tasks.run("summary", [this, &ctx, vault, meeting, opts, session](TaskProgress&) -> TaskRunner::Continuation {
    auto d = std::make_shared<Data>();
    auto built = core::build_summary(*vault, meeting, opts);
    if (!built) {
      d->blocked = describe(built.error());
      if (built.error().code != ErrorCode::blocked) d->error = describe(built.error());
    } else {
      d->summary = std::move(*built);
      for (const auto& st : d->summary.statements) d->replacements += st.replaced.size();
      // The independent scanner's verdict on the rendered text: export only if it passes.
      auto produced = core::produce_summary(*vault, meeting, opts, core::SummaryFormat::markdown);
      if (!produced) d->blocked = describe(produced.error());
      else wipe_string(produced->text);
    }
    vault->lock();
    return [this, &ctx, d, session] {
      computing_ = false;
      if (session != ctx.session) {
        wipe_data(*d);
        return;
      }
      if (data_) wipe_data(*data_);
      data_ = std::make_unique<Data>(std::move(*d));
      measured_width_ = -1;
      if (again_) start(ctx);
    };
  });
}

void SummaryView::start_export(UiContext& ctx, const std::filesystem::path& path) {
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    ctx.toast(describe(conn.error()), true);
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  core::SummaryOptions opts;
  opts.audience = audience_;
  opts.stable_pseudonyms = stable_ && audience_ == core::Audience::participants;
  const auto format = static_cast<core::SummaryFormat>(format_);
  const std::int64_t meeting = meeting_;
  const std::uint64_t session = ctx.session;
  const auto overwrite = picker_.replace_confirmed(path) ? files::Overwrite::replace : files::Overwrite::refuse;
  export_ = ctx.tasks.run("export summary", [&ctx, vault, meeting, opts, format, path, session, overwrite](TaskProgress&) -> TaskRunner::Continuation {
    Status st;
    auto produced = core::produce_summary(*vault, meeting, opts, format);
    if (!produced) st = std::move(produced).error();
    else {
      st = files::write_output_file(path, produced->text, overwrite);
      wipe_string(produced->text);
    }
    vault->lock();
    auto result = std::make_shared<Status>(std::move(st));
    return [&ctx, result, path, session] {
      if (session != ctx.session) return;
      if (!result->ok()) ctx.toast(describe(result->error()), true);
      else
        ctx.toast("Summary written to " + escape_for_message(path.filename().string()) +
                  ". It is plaintext: keep it as carefully as the vault.");
    };
  });
}

void SummaryView::measure(const MeetingModel& model, float width) {
  std::vector<float> heights;
  const float line = ImGui::GetTextLineHeight();
  const float gap = ImGui::GetStyle().ItemSpacing.y * 2;
  for (std::size_t i = 0; data_ && i < data_->summary.statements.size(); ++i) {
    const auto& st = data_->summary.statements[i];
    const MeetingModel::Entry* raw = model.note(st.note_id);
    const float left = raw ? ui::ParagraphHeight(raw->note.text, width) : 0.0f;
    const float right = ui::ParagraphHeight(st.text, width);
    heights.push_back(line + std::max(left, right) + gap);
  }
  list_.set_heights(heights);
  measured_width_ = width;
  measured_notes_ = model.notes_version();
}

void SummaryView::Draw(UiContext& ctx) {
  if (!ctx.meeting) return;
  const MeetingModel& model = ctx.model();
  const bool stale = !data_ || meeting_ != *ctx.meeting || revision_ != ctx.revision || built_for_ != audience_ ||
                     built_stable_ != stable_;
  if (stale && !computing_) start(ctx);
  else if (stale && computing_ && (meeting_ != *ctx.meeting || revision_ != ctx.revision || built_for_ != audience_ || built_stable_ != stable_))
    again_ = true;

  // Toolbar: audience, options, export.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Summary for");
  ImGui::SameLine();
  for (core::Audience a : core::kAudiences) {
    const bool on = audience_ == a;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    if (ImGui::Button(a == core::Audience::participants ? "Other participants" : "The public")) audience_ = a;
    if (on) ImGui::PopStyleColor();
    ImGui::SameLine();
  }
  if (audience_ == core::Audience::participants) {
    ImGui::Checkbox("Same pseudonyms across the series", &stable_);
    ImGui::SameLine();
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ImGui::Combo("##format", &format_, kFormats, IM_ARRAYSIZE(kFormats));
  ImGui::SameLine();
  const bool exporting = export_ && ctx.tasks.busy() && !export_->cancelled;
  if (ui::PrimaryButton("Export…", can_export() && !computing_ && !exporting,
                        computing_ ? "Checking…" : "Export is disabled while the leak scanner blocks this summary")) {
    picker_.open(FilePicker::Mode::save_file, "Save the summary (plaintext)",
                 std::filesystem::path(std::getenv("HOME") ? std::getenv("HOME") : ".") /
                     (std::string("summary") + kExtensions[format_]));
  }
  if (picker_.Draw()) start_export(ctx, picker_.chosen());
  if (computing_) {
    ImGui::SameLine();
    ui::Spinner(ImGui::GetFontSize() * 0.45f, palette::accent);
  }

  // The verdict bar.
  if (data_) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImVec4 col = data_->blocked ? palette::danger : palette::ok;
    ImVec4 bg = col;
    bg.w = 0.12f;
    const std::size_t nwarn = data_->summary.warnings.size();
    const float h = ImGui::GetTextLineHeightWithSpacing() * (1.0f + static_cast<float>(std::min<std::size_t>(nwarn, 6))) + 10;
    ImGui::GetWindowDrawList()->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), ImGui::GetColorU32(bg), 5.0f);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + 10, pos.y + 5));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(pos.x + w - 10 - ImGui::GetWindowPos().x);
    if (data_->blocked) {
      ImGui::TextColored(col, "Blocked: %s. Export is disabled.", data_->blocked->c_str());
    } else {
      const bool organizers_only = std::any_of(model.notes().begin(), model.notes().end(), [](const MeetingModel::Entry& e) {
        return e.note.visibility == core::Visibility::organizers;
      });
      ImGui::TextColored(col, "Leak scanner: clear. %zu statements, %zu protected mentions replaced%s.",
                         data_->summary.statements.size(), data_->replacements,
                         organizers_only ? ", organizers-only notes left out" : "");
    }
    for (std::size_t i = 0; i < nwarn && i < 6; ++i)
      ImGui::TextColored(palette::warn, "Warning: %s", printable_line(data_->summary.warnings[i].message).c_str());
    if (nwarn > 6) ImGui::TextColored(palette::warn, "… and %zu more warnings", nwarn - 6);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + h + 6));
  }
  if (!data_) {
    ui::EmptyState("Building the summary…", "");
    return;
  }
  if (!data_->error.empty() || data_->summary.statements.empty()) {
    if (!data_->error.empty()) ui::EmptyState("No summary", data_->error.c_str());
    else if (data_->blocked && data_->summary.statements.empty()) ui::EmptyState("No summary for this audience", data_->blocked->c_str());
    else ui::EmptyState("Nothing to summarize yet", "Notes that may enter a summary will appear here.");
    return;
  }

  // Side by side: the notes as taken, and as this audience will read them.
  const float total_w = ImGui::GetContentRegionAvail().x;
  const float col_w = (total_w - ImGui::GetStyle().ItemSpacing.x * 3) * 0.5f;
  ImGui::TextDisabled("As taken (never leaves the vault)");
  ImGui::SameLine(col_w + ImGui::GetStyle().ItemSpacing.x * 3);
  ImGui::TextDisabled("%s", audience_ == core::Audience::participants ? "As the other participants read it" : "As the public reads it");
  ImGui::BeginChild("##summary-rows", ImVec2(0, 0), false);
  const float inner = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 3) * 0.5f;
  if (inner != measured_width_ || model.notes_version() != measured_notes_) measure(model, inner);
  list_.Draw([&](std::size_t i) {
    const auto& st = data_->summary.statements[i];
    const float y = ImGui::GetCursorPosY();
    const float x = ImGui::GetCursorPosX();
    ImGui::PushID(static_cast<int>(i));
    // The note as taken, from the model: the summary names statements by note id.
    const MeetingModel::Entry* raw = model.note(st.note_id);
    const core::Participant* speaker = raw && raw->note.speaker_id ? model.participant(*raw->note.speaker_id) : nullptr;
    ImGui::PushFont(ctx.fonts->bold);
    ui::ShapedColored(ctx.shaper, speaker ? std::string_view(speaker->name) : std::string_view("Organizers"), palette::muted);
    ImGui::PopFont();
    ImGui::SetCursorPosX(x);
    if (raw) ui::Paragraph(ctx.shaper, raw->note.text, inner, {}, ctx.settings.privacy_veil);
    const float right_x = x + inner + ImGui::GetStyle().ItemSpacing.x * 3;
    ImGui::SetCursorPos(ImVec2(right_x, y));
    ImGui::PushFont(ctx.fonts->bold);
    ui::ShapedColored(ctx.shaper, st.attribution.label, st.attribution.organizer ? palette::muted : palette::accent);
    ImGui::PopFont();
    if (st.kind != core::NoteKind::statement) {
      ImGui::SameLine();
      ImGui::TextColored(kind_color(st.kind), "%s", std::string(core::to_string(st.kind)).c_str());
    }
    ImGui::SetCursorPosX(right_x);
    std::vector<ui::Span> spans;
    for (const auto& r : st.replaced) spans.push_back({r.begin, r.end});
    ui::Paragraph(ctx.shaper, st.text, inner, spans, ctx.settings.privacy_veil);
    ImGui::PopID();
  });
  ImGui::EndChild();
}

void SummaryView::Clear() {
  if (data_) wipe_data(*data_);
  data_.reset();
  list_.clear();
  measured_width_ = -1;
  meeting_ = 0;
  revision_ = 0;
  picker_.clear();
  export_.reset();
  again_ = false;
}

bool SummaryView::DebugContains(std::string_view needle) const {
  if (!data_) return false;
  for (const auto& s : data_->summary.statements)
    if (holds(s.text, needle) || holds(s.attribution.label, needle)) return true;
  return holds(data_->summary.meeting_title, needle) || holds(data_->summary.series_title, needle) ||
         holds(data_->summary.attendance.named, needle) || holds(data_->summary.attendance.roles, needle);
}

}  // namespace bc::gui
