#include "backchannel/gui/review_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdlib>

#include "backchannel/gui/file_io.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/message_text.h"

namespace bc::gui {

void ReviewView::load(UiContext& ctx) {
  Clear();
  item_id_ = ctx.review_item;
  revision_ = ctx.revision;
  auto item = core::get_inbox_item(*ctx.vault, item_id_);
  if (!item) {
    error_ = describe(item.error());
    return;
  }
  item_ = std::make_unique<core::InboxItem>(std::move(*item));
  comment_ = item_->comment.value_or("");
}

void ReviewView::save(UiContext& ctx) {
  core::ReviewChanges c;
  for (const auto& [n, on] : approvals_)
    if (on) c.approve.push_back(std::to_string(n));
  for (const auto& [n, text] : corrections_)
    if (!text.empty()) c.correct.emplace_back(std::to_string(n), text);
  if (!comment_.empty() && comment_ != item_->comment.value_or("")) c.comment = comment_;
  if (c.approve.empty() && c.correct.empty() && !c.comment) {
    error_ = "Nothing new to record.";
    return;
  }
  // The changes live with the write and are wiped when the write and its answer are done.
  auto changes = std::shared_ptr<core::ReviewChanges>(new core::ReviewChanges(std::move(c)), [](core::ReviewChanges* p) {
    for (auto& [ref, text] : p->correct) wipe_string(text);
    if (p->comment) wipe_string(*p->comment);
    delete p;
  });
  for (auto& [ref, text] : c.correct) wipe_string(text);
  if (c.comment) wipe_string(*c.comment);
  const std::int64_t id = item_id_;
  const std::uint64_t session = ctx.session;
  saving_ = true;
  ctx.write([this, &ctx, changes, id, session](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<Status>(core::record_review(v, id, *changes));
    return [this, &ctx, id, session, st] {
      if (session != ctx.session) return;
      saving_ = false;
      if (!st->ok()) {
        error_ = describe(st->error());
        return;
      }
      ctx.post(Event::Kind::inbox_changed);
      ctx.toast("Review saved.");
      if (id != item_id_) return;  // another item is open by now
      approvals_.clear();
      for (auto& [n, t] : corrections_) wipe_string(t);
      corrections_.clear();
      load(ctx);
    };
  });
}

void ReviewView::start_export(UiContext& ctx, const std::filesystem::path& path) {
  auto sink = files::OutputFile::create(path, picker_.replace_confirmed(path) ? files::Overwrite::replace : files::Overwrite::refuse);
  if (!sink) {
    error_ = describe(sink.error());
    return;
  }
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    error_ = describe(conn.error());
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  auto out = std::make_shared<files::OutputFile>(std::move(*sink));
  const std::int64_t id = item_id_;
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("review export", [this, &ctx, vault, out, id, session, path](TaskProgress& progress) -> TaskRunner::Continuation {
    Status st = core::export_review(*vault, id, cancellable_writer(*out, progress));
    if (st) st = out->commit();
    vault->lock();
    auto s = std::make_shared<Status>(std::move(st));
    return [this, &ctx, s, session, path] {
      running_ = false;
      if (session != ctx.session) return;
      if (!s->ok()) error_ = describe(s->error());
      else ctx.toast("Response written to " + escape_for_message(path.filename().string()) + ", encrypted to the organizer.");
    };
  });
}

void ReviewView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::review);
  if (!open || !ctx.vault) return;
  if (item_id_ != ctx.review_item || revision_ != ctx.revision) load(ctx);
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 44, ImGui::GetFontSize() * 34));
  if (ctx.take_focus(Window::review)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Review a summary", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ui::ErrorText(error_);
    if (!item_) {
      ImGui::End();
      return;
    }
    const auto& e = item_->entry;
    ImGui::PushFont(ctx.fonts->bold);
    ui::Shaped(ctx.shaper, e.series + ": " + e.meeting);
    ImGui::PopFont();
    ImGui::TextDisabled("%s · from the organizer with fingerprint %s · %zu of %zu reviewed", e.date.c_str(),
                        e.sender_fingerprint.c_str(), e.reviewed, e.statements);
    ImGui::Separator();
    const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetTextLineHeight() * 3.5f;
    ImGui::BeginChild("##statements", ImVec2(0, -footer), false);
    const float w = ImGui::GetContentRegionAvail().x;
    for (const auto& s : item_->statements) {
      ImGui::PushID(static_cast<int>(s.number));
      ImGui::TextDisabled("%zu", s.number);
      ImGui::SameLine();
      ImGui::PushFont(ctx.fonts->bold);
      ui::ShapedColored(ctx.shaper, s.attribution, s.own ? palette::warn : palette::accent);
      ImGui::PopFont();
      if (s.own) {
        ImGui::SameLine();
        ui::Badge("yours", palette::warn);
      }
      if (s.action) {
        ImGui::SameLine();
        ImGui::TextColored(*s.action == "approve" ? palette::ok : palette::warn, "%s",
                           *s.action == "approve" ? "approved" : "corrected");
      }
      ui::Paragraph(ctx.shaper, s.text, w);
      if (s.correction) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette::warn);
        ui::Paragraph(ctx.shaper, "Your correction: " + *s.correction, w);
        ImGui::PopStyleColor();
      }
      bool& approve = approvals_[s.number];
      ImGui::Checkbox("Approve", &approve);
      ImGui::SameLine();
      auto it = corrections_.find(s.number);
      if (it == corrections_.end()) {
        if (ImGui::SmallButton("Correct…")) corrections_[s.number] = s.text;
      } else {
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextMultiline("##corr", &it->second, ImVec2(-1, ImGui::GetTextLineHeight() * 3));
        if (has_rtl(it->second)) ui::Paragraph(ctx.shaper, it->second, w);
      }
      ImGui::Spacing();
      ImGui::PopID();
    }
    ImGui::EndChild();
    ImGui::TextUnformatted("Comment on the whole summary");
    ImGui::InputTextMultiline("##comment", &comment_, ImVec2(-1, ImGui::GetTextLineHeight() * 2.5f));
    if (ui::PrimaryButton("Save review", !saving_, "Saving…")) save(ctx);
    ImGui::SameLine();
    if (running_) {
      ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
    } else if (ImGui::Button("Export response for the organizer…")) {
      picker_.open(FilePicker::Mode::save_file, "Save the response",
                   std::filesystem::path(std::getenv("HOME") ? std::getenv("HOME") : ".") / "response.age");
    }
    if (picker_.Draw()) start_export(ctx, picker_.chosen());
  }
  ImGui::End();
}

void ReviewView::Clear() {
  if (item_) {
    for (auto& s : item_->statements) {
      wipe_string(s.text);
      wipe_string(s.attribution);
      if (s.correction) wipe_string(*s.correction);
    }
    wipe_string(item_->summary_json);
    wipe_string(item_->entry.meeting);
    wipe_string(item_->entry.series);
  }
  item_.reset();
  for (auto& [n, t] : corrections_) wipe_string(t);
  corrections_.clear();
  approvals_.clear();
  wipe_string(comment_);
  picker_.clear();
  error_.clear();
  item_id_ = 0;
  revision_ = 0;
}

bool ReviewView::DebugContains(std::string_view needle) const {
  if (item_) {
    for (const auto& s : item_->statements)
      if (holds(s.text, needle) || holds(s.attribution, needle)) return true;
    if (holds(item_->summary_json, needle)) return true;
  }
  for (const auto& [n, t] : corrections_)
    if (holds(t, needle)) return true;
  return holds(comment_, needle) || holds(error_, needle);
}

}  // namespace bc::gui
