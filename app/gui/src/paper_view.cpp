#include "backchannel/gui/paper_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cmath>

#include "backchannel/core/meetings.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/message_text.h"

namespace bc::gui {

namespace {

constexpr std::size_t kNewSection = static_cast<std::size_t>(-1);
// A section just added: selected once the list has it.
constexpr std::size_t kAddedSection = static_cast<std::size_t>(-2);

std::string stale_text(const core::PaperSection& s) {
  if (!s.stale) return {};
  return *s.stale == core::TextLanguage::persian ? "Persian older than the English" : "English older than the Persian";
}

}  // namespace

void PaperView::wipe_papers() {
  for (auto& p : papers_) {
    wipe_string(p.title);
    for (auto& s : p.sections) {
      wipe_string(s.english);
      wipe_string(s.persian);
    }
  }
  papers_.clear();
}

const core::Paper* PaperView::current() const {
  for (const auto& p : papers_)
    if (p.id == paper_) return &p;
  return nullptr;
}

void PaperView::reload(UiContext& ctx) {
  revision_ = ctx.revision;
  error_.clear();
  series_ = 0;
  series_title_.clear();
  if (ctx.meeting) {
    auto m = core::get_meeting(*ctx.vault, *ctx.meeting);
    if (m) {
      series_ = m->series_id;
      series_title_ = m->series_title;
    }
  }
  if (series_ == 0) {
    auto all = core::list_series(*ctx.vault);
    if (all && !all->empty()) {
      series_ = all->front().id;
      series_title_ = all->front().title;
    }
  }
  wipe_papers();
  copies_.clear();
  points_ = 0;
  if (series_ == 0) return;
  auto papers = core::list_papers(*ctx.vault, series_);
  if (!papers) {
    error_ = describe(papers.error());
    return;
  }
  papers_ = std::move(*papers);
  if (!current()) paper_ = papers_.empty() ? 0 : papers_.back().id;
  if (paper_ == 0) return;
  auto copies = core::list_paper_copies(*ctx.vault, paper_);
  if (copies) copies_ = std::move(*copies);
  auto variants = core::paper_variants(*ctx.vault, paper_);
  if (variants) points_ = variants->points().size();
  else error_ = describe(variants.error());
  const core::Paper* p = current();
  if (section_ != kNewSection && section_ != kAddedSection && (p == nullptr || section_ >= p->sections.size()))
    section_ = kNewSection;
  // A paper shown for the first time opens on its first section.
  if (p != nullptr && shown_paper_ != paper_) {
    shown_paper_ = paper_;
    load_section(p->sections.empty() ? kNewSection : 0);
  }
}

void PaperView::load_section(std::size_t index) {
  wipe_string(en_);
  wipe_string(fa_);
  section_ = index;
  const core::Paper* p = current();
  if (p != nullptr && index < p->sections.size()) {
    en_ = p->sections[index].english;
    fa_ = p->sections[index].persian;
  }
}

void PaperView::save_section(UiContext& ctx) {
  const core::Paper* p = current();
  if (p == nullptr) return;
  auto en = std::make_shared<std::string>(en_);
  auto fa = std::make_shared<std::string>(fa_);
  const std::int64_t paper = paper_;
  const std::optional<std::int64_t> section =
      section_ == kNewSection ? std::nullopt : std::optional<std::int64_t>(p->sections[section_].id);
  const std::uint64_t session = ctx.session;
  ctx.write([this, &ctx, en, fa, paper, section, session](core::Vault& v) -> TaskRunner::Continuation {
    Status st;
    std::optional<std::string_view> fa_view;
    if (!fa->empty() || section) fa_view = *fa;
    if (section) {
      st = core::set_paper_section(v, *section, std::string_view(*en), fa_view);
    } else {
      auto added = core::add_paper_section(v, paper, *en, fa_view);
      if (!added) st = std::move(added).error();
    }
    wipe_string(*en);
    wipe_string(*fa);
    auto result = std::make_shared<Status>(std::move(st));
    return [this, &ctx, result, session, section] {
      if (session != ctx.session) return;
      if (!result->ok()) {
        error_ = describe(result->error());
        return;
      }
      ctx.post(Event::Kind::meetings_changed);
      ctx.toast(section ? "Section saved as a new revision." : "Section added.");
      // A new section: keep editing it once the list has it.
      if (!section) section_ = kAddedSection;
    };
  });
}

void PaperView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::paper);
  if (!open || !ctx.vault) {
    if (!open && !papers_.empty()) Clear();
    return;
  }
  if (revision_ != ctx.revision) {
    reload(ctx);
    const core::Paper* p = current();
    if (section_ == kAddedSection && p != nullptr && !p->sections.empty()) load_section(p->sections.size() - 1);
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 62, ImGui::GetFontSize() * 40));
  if (ctx.take_focus(Window::paper)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Joint paper", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    if (series_ == 0) {
      ui::EmptyState("No series yet", "Import or create a meeting first: a paper belongs to a series.");
      ImGui::End();
      return;
    }
    ImGui::TextDisabled("Series");
    ImGui::SameLine();
    ui::Shaped(ctx.shaper, series_title_);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    const core::Paper* p = current();
    if (ImGui::BeginCombo("##paper", p ? p->title.c_str() : "(no paper yet)")) {
      for (const auto& q : papers_)
        if (ImGui::Selectable((q.title + "##" + std::to_string(q.id)).c_str(), q.id == paper_)) {
          paper_ = q.id;
          revision_ = 0;
          section_ = kNewSection;
          wipe_string(en_);
          wipe_string(fa_);
        }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    ImGui::InputTextWithHint("##newtitle", "Title of a new paper", &new_title_);
    ImGui::SameLine();
    if (ui::Button("Create paper", !new_title_.empty(), "Type a title first")) {
      auto title = std::make_shared<std::string>(new_title_);
      const std::int64_t series = series_;
      const std::uint64_t session = ctx.session;
      ctx.write([this, &ctx, title, series, session](core::Vault& v) -> TaskRunner::Continuation {
        auto id = std::make_shared<Result<std::int64_t>>(core::create_paper(v, series, *title));
        return [this, &ctx, id, session] {
          if (session != ctx.session) return;
          if (!*id) {
            error_ = describe(id->error());
            return;
          }
          paper_ = **id;
          wipe_string(new_title_);
          section_ = kNewSection;
          ctx.post(Event::Kind::meetings_changed);
          ctx.toast("Paper created; you are its author.");
        };
      });
    }
    ui::ErrorText(error_);
    p = current();
    if (p != nullptr) {
      ImGui::Separator();
      ImGui::Text("Version %lld", static_cast<long long>(p->version));
      ImGui::SameLine();
      if (p->approved()) ui::Badge("approved by every author", palette::ok);
      else
        ui::Badge(("waiting for " + std::to_string(p->missing_approvals.size()) + " approval(s)").c_str(), palette::warn);
      ImGui::SameLine();
      ImGui::TextDisabled("%zu sections, %zu variant points, %zu copies", p->sections.size(), points_, copies_.size());
      ImGui::SameLine();
      if (ui::Button("Approve this version", !p->approved() && !p->sections.empty(), "Nothing to approve")) {
        const std::int64_t paper = paper_;
        const std::uint64_t session = ctx.session;
        ctx.write([&ctx, paper, session](core::Vault& v) -> TaskRunner::Continuation {
          auto r = std::make_shared<Result<core::Paper>>(core::approve_paper(v, paper));
          return [&ctx, r, session] {
            if (session != ctx.session) return;
            if (!*r) ctx.toast(describe(r->error()), true);
            else {
              ctx.post(Event::Kind::meetings_changed);
              ctx.toast("Approval recorded.");
            }
          };
        });
      }
      if (ImGui::BeginTabBar("##papertabs")) {
        if (ImGui::BeginTabItem("Sections")) {
          draw_sections(ctx);
          ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Copies and register")) {
          draw_copies(ctx);
          ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Trace a leak")) {
          draw_trace(ctx);
          ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
      }
    }
  }
  ImGui::End();
  if (picker_.Draw()) start_copy(ctx, picker_.chosen());
}

void PaperView::draw_sections(UiContext& ctx) {
  const core::Paper* p = current();
  const float list_w = ImGui::GetFontSize() * 13;
  ImGui::BeginChild("##sectionlist", ImVec2(list_w, 0), true);
  for (std::size_t i = 0; i < p->sections.size(); ++i) {
    const auto& s = p->sections[i];
    if (ImGui::Selectable(("Section " + std::to_string(s.position) + "##s" + std::to_string(s.id)).c_str(), section_ == i))
      load_section(i);
    if (s.stale) {
      ImGui::SameLine();
      ImGui::TextColored(palette::warn, s.stale == core::TextLanguage::persian ? "fa stale" : "en stale");
    }
  }
  if (ImGui::Selectable("+ New section", section_ == kNewSection)) load_section(kNewSection);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##sectionedit", ImVec2(0, 0), false);
  const float line = ImGui::GetTextLineHeight();
  if (section_ != kNewSection && section_ < p->sections.size()) {
    const auto& s = p->sections[section_];
    ImGui::Text("Section %d: English revision %d, Persian revision %d", s.position, s.english_revision, s.persian_revision);
    if (s.stale) {
      ImGui::SameLine();
      ImGui::TextColored(palette::warn, "%s", stale_text(s).c_str());
    }
    for (const auto& c : s.citations) {
      ImGui::TextDisabled("cites %s %s", std::string(core::to_string(c.kind)).c_str(),
                         c.note_id ? std::to_string(*c.note_id).c_str() : c.target_uid.c_str());
    }
  } else {
    ImGui::TextUnformatted("A new section");
  }
  ImGui::TextDisabled("English. Alternates: {{first | second}}; lists of \"+ \" lines are unordered.");
  ImGui::InputTextMultiline("##en", &en_, ImVec2(-1, line * 7));
  ImGui::TextDisabled("Persian (the field shows it unshaped; the preview beside it as it will print)");
  const float half = ImGui::GetContentRegionAvail().x * 0.5f;
  ImGui::InputTextMultiline("##fa", &fa_, ImVec2(half - ImGui::GetStyle().ItemSpacing.x, line * 7));
  ImGui::SameLine();
  ImGui::BeginChild("##fapreview", ImVec2(0, line * 7 + ImGui::GetStyle().FramePadding.y * 2), true);
  if (!fa_.empty()) ui::Paragraph(ctx.shaper, fa_, ImGui::GetContentRegionAvail().x);
  else ImGui::TextDisabled("(no Persian text yet)");
  ImGui::EndChild();
  if (ui::PrimaryButton(section_ == kNewSection ? "Add section" : "Save section", !en_.empty(), "The English text is needed"))
    save_section(ctx);
  ImGui::EndChild();
}

void PaperView::draw_copies(UiContext& ctx) {
  const core::Paper* p = current();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  ImGui::InputTextWithHint("##label", "Label (e.g. the official's name)", &label_);
  ImGui::TextUnformatted("Channel");
  ImGui::SameLine();
  ImGui::RadioButton("age file to a recipient", &channel_, 0);
  ImGui::SameLine();
  ImGui::RadioButton("passphrase-encrypted file", &channel_, 1);
  ImGui::SameLine();
  ImGui::RadioButton("PDF to print", &channel_, 2);
  if (channel_ == 0) {
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##recipient", "age1...", &recipient_);
  } else if (channel_ == 1) {
    passphrase_.Draw("##copypass", ImGui::GetFontSize() * 20, "Passphrase for the copy");
  }
  ImGui::TextUnformatted("Audience");
  ImGui::SameLine();
  ImGui::RadioButton("public (officials)", &audience_, 1);
  ImGui::SameLine();
  ImGui::RadioButton("participants", &audience_, 0);
  if (channel_ != 2) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    const char* formats[] = {"PDF", "Markdown", "HTML"};
    ImGui::Combo("##format", &format_, formats, 3);
  }
  if (channel_ == 2 || format_ == 0) {
    ImGui::Checkbox("Print \"Copy N of M\"", &numbered_);
    if (numbered_) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
      ImGui::InputInt("of##n", &copy_n_, 0);
      ImGui::SameLine();
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
      ImGui::InputInt("##m", &copy_m_, 0);
    }
  }
  const bool busy = copying_ != nullptr;
  const bool ready = !label_.empty() && p->approved() && (channel_ != 0 || recipient_.rfind("age1", 0) == 0) &&
                     (channel_ != 1 || passphrase_.size() > 0);
  if (ui::PrimaryButton("Make a copy…", ready && !busy,
                        !p->approved() ? "Every author must approve this version first" : "Give a label and the channel's key"))
    // Not named after the label: a file name must not say who received the paper.
    picker_.open(FilePicker::Mode::save_file, "Save the copy",
                 ctx.vault_dir.parent_path() / (channel_ == 2 ? "paper-copy.pdf" : "paper-copy.age"));
  if (busy) {
    ImGui::SameLine();
    ui::Spinner(ImGui::GetFontSize() * 0.45f, palette::accent);
  }
  ImGui::TextDisabled("The leak scanner reads both languages first; a copy that names a protected person is not written.");
  ImGui::Separator();
  ImGui::TextUnformatted("Register");
  if (ImGui::BeginTable("##register", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
    for (const char* h : {"Label", "Channel", "Recipient", "Audience", "Version", "Fingerprint"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (const auto& c : copies_) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui::Shaped(ctx.shaper, c.label);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(core::to_string(c.channel)).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.recipient ? (c.recipient->substr(0, 16) + "…").c_str() : "-");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(core::to_string(c.audience)).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(c.version));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.fingerprint.c_str());
    }
    ImGui::EndTable();
  }
}

void PaperView::start_copy(UiContext& ctx, const std::filesystem::path& path) {
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    ctx.toast(describe(conn.error()), true);
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  core::PaperCopyRequest req;
  req.label = label_;
  req.channel = static_cast<core::CopyChannel>(channel_);
  req.audience = static_cast<core::Audience>(audience_);
  req.format = channel_ == 2 ? core::PaperFormat::pdf : static_cast<core::PaperFormat>(format_);
  if (numbered_ && req.format == core::PaperFormat::pdf) req.copy_number = core::PdfCopyNumber{copy_n_, copy_m_};
  auto recipients = std::make_shared<std::vector<crypto::age::Recipient>>();
  if (channel_ == 0) {
    auto r = crypto::age::X25519Recipient::parse(recipient_);
    if (!r) {
      error_ = "recipient: " + r.error().message;
      return;
    }
    recipients->emplace_back(*r);
    req.recipient = recipient_;
  } else if (channel_ == 1) {
    crypto::age::ScryptPassphrase pass;
    pass.passphrase = passphrase_.copy();
    recipients->emplace_back(std::move(pass));
  }
  const std::int64_t paper = paper_;
  const std::uint64_t session = ctx.session;
  const auto overwrite = picker_.replace_confirmed(path) ? files::Overwrite::replace : files::Overwrite::refuse;
  copying_ = ctx.tasks.run("paper copy", [this, &ctx, vault, req, recipients, paper, path, overwrite, session](TaskProgress&) -> TaskRunner::Continuation {
    Status st;
    auto out = files::OutputFile::create(path, overwrite);
    std::optional<core::PaperCopy> made;
    if (!out) st = std::move(out).error();
    else {
      auto copy = core::make_paper_copy(*vault, paper, req, [&](const std::string& doc) {
        return core::write_copy_file(doc, *recipients, *out);
      });
      if (!copy) st = std::move(copy).error();
      else made = std::move(*copy);
    }
    vault->lock();
    auto result = std::make_shared<Status>(std::move(st));
    return [this, &ctx, result, made, path, session] {
      if (session != ctx.session) return;
      copying_.reset();
      if (!result->ok()) {
        error_ = describe(result->error());
        ctx.toast(error_, true);
        return;
      }
      error_.clear();
      ctx.post(Event::Kind::meetings_changed);
      ctx.toast("Copy " + escape_for_message(made->label) + " written to " + escape_for_message(path.filename().string()) +
                " and registered.");
    };
  });
}

void PaperView::draw_trace(UiContext& ctx) {
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(palette::warn,
                     "Tracing names the copy a leaked text most likely came from, or says \"cannot tell\". Two recipients "
                     "who compare their copies can see where they differ and remove the marks: then it names one of them "
                     "or cannot tell, never a third person.");
  ImGui::PopTextWrapPos();
  ImGui::TextDisabled("Paste the leaked text (retyped or OCR'd is fine):");
  ImGui::InputTextMultiline("##leak", &leak_, ImVec2(-1, ImGui::GetTextLineHeight() * 8));
  if (ui::PrimaryButton("Trace", !leak_.empty() && tracing_ == nullptr, "Paste a text first")) start_trace(ctx);
  if (!trace_verdict_.empty()) {
    ImGui::TextColored(trace_verdict_ == "cannot tell" ? palette::muted : palette::accent, "%s", trace_verdict_.c_str());
    ImGui::PushTextWrapPos(0);
    for (const auto& l : trace_lines_) ImGui::BulletText("%s", l.c_str());
    ImGui::PopTextWrapPos();
  }
}

void PaperView::start_trace(UiContext& ctx) {
  auto conn = ctx.vault->another_connection();
  if (!conn) {
    ctx.toast(describe(conn.error()), true);
    return;
  }
  auto vault = std::make_shared<core::Vault>(std::move(*conn));
  auto text = std::make_shared<std::string>(leak_);
  const std::int64_t paper = paper_;
  const std::uint64_t session = ctx.session;
  tracing_ = ctx.tasks.run("paper trace", [this, &ctx, vault, text, paper, session](TaskProgress&) -> TaskRunner::Continuation {
    auto r = std::make_shared<Result<core::PaperTrace>>(core::trace_paper(*vault, paper, *text));
    wipe_string(*text);
    vault->lock();
    return [this, &ctx, r, session] {
      if (session != ctx.session) return;
      tracing_.reset();
      wipe_strings(trace_lines_);
      if (!*r) {
        trace_verdict_.clear();
        error_ = describe(r->error());
        return;
      }
      const core::TraceResult& t = (*r)->result;
      if (t.verdict == core::TraceVerdict::copy) {
        char p[32];
        std::snprintf(p, sizeof p, "%.4f", std::floor(t.confidence * 10000.0) / 10000.0);
        trace_verdict_ = "copy " + t.label + " confidence " + p;
      } else {
        trace_verdict_ = "cannot tell";
      }
      trace_lines_.push_back(std::string(core::trace_reason_text(t.reason)));
      for (auto& l : (*r)->explanation) trace_lines_.push_back(std::move(l));
    };
  });
}

void PaperView::Clear() {
  wipe_papers();
  copies_.clear();
  wipe_string(en_);
  wipe_string(fa_);
  wipe_string(leak_);
  wipe_string(new_title_);
  wipe_string(series_title_);
  wipe_string(trace_verdict_);
  wipe_strings(trace_lines_);
  passphrase_.clear();
  picker_.clear();
  error_.clear();
  paper_ = 0;
  shown_paper_ = 0;
  series_ = 0;
  revision_ = 0;
  section_ = kNewSection;
}

bool PaperView::DebugContains(std::string_view needle) const {
  for (const auto& p : papers_) {
    if (holds(p.title, needle)) return true;
    for (const auto& s : p.sections)
      if (holds(s.english, needle) || holds(s.persian, needle)) return true;
  }
  return holds(en_, needle) || holds(fa_, needle) || holds(leak_, needle) || holds(trace_lines_, needle) ||
         holds(trace_verdict_, needle);
}

}  // namespace bc::gui
