#include "backchannel/gui/participants_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "backchannel/core/participants.h"
#include "backchannel/core/short_forms.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/speakers_panel.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

namespace {

const char* kLevels[] = {"named", "role", "pseudonym", "anonymous", "hidden"};
const char* kLevelHelp =
    "named: their name and affiliation.\n"
    "role: their descriptor, e.g. \"a former senior U.S. diplomat\".\n"
    "pseudonym: \"Participant C\", the same letter throughout the summary.\n"
    "anonymous: \"a participant\", counted among the others.\n"
    "hidden: \"a participant\", neither listed nor counted.";

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::string line;
  for (char c : s + "\n") {
    if (c == '\n') {
      const auto b = line.find_first_not_of(" \t\r");
      if (b != std::string::npos) out.push_back(line.substr(b, line.find_last_not_of(" \t\r") - b + 1));
      line.clear();
    } else {
      line.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> opt(const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); }

void wipe_form(ParticipantsView::Form& f) {
  for (std::string* s : {&f.key, &f.name, &f.affiliation, &f.delegation, &f.descriptor, &f.descriptor_fa, &f.aliases,
                         &f.recipient, &f.new_short_form, &f.new_affiliation_short_form})
    wipe_string(*s);
  for (auto& r : f.rulings) wipe_string(r.form);
  f.rulings.clear();
  f.level[0] = f.level[1] = 3;
}

void wipe_rulings(std::vector<core::ShortFormRule>& rulings) {
  for (auto& r : rulings) wipe_string(r.form);
}

const char* kShortFormUses[] = {"as derived", "used alone", "not used alone"};

const char* reach_text(core::ShortFormReach r) {
  switch (r) {
    case core::ShortFormReach::everywhere: return "found on its own";
    case core::ShortFormReach::given_name: return "found on its own, not before a capitalized word";
    case core::ShortFormReach::none: return "not found on its own";
  }
  return "";
}

// Adds the participant of the form (its key none), or updates participant `editing`.
Status store_participant(core::Vault& vault, std::int64_t meeting, const ParticipantsView::Form& form,
                         const std::optional<std::string>& editing) {
  auto aliases = lines_of(form.aliases);
  Status st;
  if (editing) {
    core::ParticipantUpdate u;
    u.name = form.name;
    u.affiliation = form.affiliation;
    u.delegation = form.delegation;
    u.descriptor = form.descriptor;
    u.descriptor_fa = form.descriptor_fa;
    u.aliases = aliases;
    u.short_forms = form.rulings;
    if (!form.recipient.empty()) u.recipient = form.recipient;
    u.disclosure[0] = static_cast<core::DisclosureLevel>(form.level[0]);
    u.disclosure[1] = static_cast<core::DisclosureLevel>(form.level[1]);
    st = core::update_participant(vault, meeting, *editing, u);
    for (auto* f : {&u.name, &u.affiliation, &u.delegation, &u.descriptor, &u.descriptor_fa})
      if (*f) wipe_string(**f);
    if (u.aliases) wipe_strings(*u.aliases);
    if (u.short_forms) wipe_rulings(*u.short_forms);
  } else {
    core::NewParticipant n;
    n.key = form.key;
    n.name = form.name;
    n.affiliation = opt(form.affiliation);
    n.delegation = opt(form.delegation);
    n.descriptor = opt(form.descriptor);
    n.descriptor_fa = opt(form.descriptor_fa);
    n.aliases = aliases;
    n.short_forms = form.rulings;
    n.disclosure[0] = static_cast<core::DisclosureLevel>(form.level[0]);
    n.disclosure[1] = static_cast<core::DisclosureLevel>(form.level[1]);
    auto added = core::add_participant(vault, meeting, n);
    if (!added) st = std::move(added).error();
    else if (!form.recipient.empty()) {
      core::ParticipantUpdate u;
      u.recipient = form.recipient;
      st = core::update_participant(vault, meeting, n.key, u);
    }
    wipe_string(n.name);
    for (auto* f : {&n.affiliation, &n.delegation, &n.descriptor, &n.descriptor_fa})
      if (*f) wipe_string(**f);
    wipe_strings(n.aliases);
    wipe_rulings(n.short_forms);
  }
  wipe_strings(aliases);
  return st;
}

}  // namespace

void ParticipantsView::set_level(UiContext& ctx, const std::string& key, core::Audience audience, core::DisclosureLevel level) {
  const int a = static_cast<int>(audience);
  levels_in_flight_[{key, a}] = level;
  const std::int64_t meeting = meeting_;
  const std::uint64_t session = ctx.session;
  ctx.write([this, &ctx, key, a, level, meeting, session](core::Vault& v) -> TaskRunner::Continuation {
    core::ParticipantUpdate u;
    u.disclosure[a] = level;
    auto st = std::make_shared<Status>(core::update_participant(v, meeting, key, u));
    return [this, &ctx, key, a, level, meeting, session, st] {
      if (session != ctx.session) return;
      // A later choice for the same cell may still be on its way: it keeps showing.
      if (auto it = levels_in_flight_.find({key, a}); it != levels_in_flight_.end() && it->second == level)
        levels_in_flight_.erase(it);
      if (!st->ok()) {
        error_ = describe(st->error());
        return;
      }
      ctx.post(Event::Kind::participants_changed, meeting);
    };
  });
}

void ParticipantsView::new_participant() {
  wipe_form(form_);
  editing_key_.reset();
  form_open_ = true;
  error_.clear();
}

void ParticipantsView::edit(const core::Participant& p) {
  wipe_form(form_);
  form_.key = p.key;
  form_.name = p.name;
  form_.affiliation = p.affiliation.value_or("");
  form_.delegation = p.delegation.value_or("");
  form_.descriptor = p.descriptor.value_or("");
  form_.descriptor_fa = p.descriptor_fa.value_or("");
  for (const auto& a : p.aliases) form_.aliases += a + "\n";
  form_.rulings = p.short_forms;
  form_.recipient = p.recipient.value_or("");
  form_.level[0] = static_cast<int>(p.disclosure[0]);
  form_.level[1] = static_cast<int>(p.disclosure[1]);
  editing_key_ = p.key;
  form_open_ = true;
  error_.clear();
}

std::vector<core::ShortForm> ParticipantsView::form_short_forms(const std::vector<std::string>& public_terms) const {
  core::Participant p;
  p.name = form_.name;
  if (!form_.affiliation.empty()) p.affiliation = form_.affiliation;
  p.aliases = lines_of(form_.aliases);
  p.short_forms = form_.rulings;
  auto out = core::short_forms(p, public_terms);
  wipe_string(p.name);
  if (p.affiliation) wipe_string(*p.affiliation);
  wipe_strings(p.aliases);
  wipe_rulings(p.short_forms);
  return out;
}

void ParticipantsView::save_form(UiContext& ctx) {
  error_.clear();
  if (!ctx.vault || !ctx.meeting || saving_) return;
  // The writer works on a copy of the form, wiped when the write and its answer are done.
  const auto form = std::shared_ptr<Form>(new Form(form_), [](Form* f) {
    wipe_form(*f);
    delete f;
  });
  const std::optional<std::string> editing = editing_key_;
  const std::int64_t meeting = meeting_;
  const std::uint64_t session = ctx.session;
  saving_ = true;
  ctx.write([this, &ctx, form, editing, meeting, session](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<Status>(store_participant(v, meeting, *form, editing));
    return [this, &ctx, editing, meeting, session, st] {
      if (session != ctx.session) return;
      if (st->ok()) ctx.post(Event::Kind::participants_changed, meeting);
      if (meeting != meeting_) return;  // the form is about another meeting by now
      saving_ = false;
      if (!st->ok()) {
        error_ = describe(st->error());
        return;
      }
      ctx.toast(editing ? "Participant saved." : "Participant added.");
      wipe_form(form_);
      editing_key_.reset();
      form_open_ = false;
    };
  });
}

void ParticipantsView::Draw(UiContext& ctx) {
  const MeetingModel& model = ctx.model();
  if (model.id() != meeting_) {
    Clear();  // another meeting: a form left open was about the previous one
    meeting_ = model.id();
  }
  const auto& people = model.participants();
  ImGui::BeginChild("##participants", ImVec2(0, 0), false);
  if (model.meeting() && model.meeting()->effective_rule() == core::Rule::on_background)
    ImGui::TextColored(palette::warn, "On background: nobody is named to the public (named shows as role).");
  if (model.appearance(core::Audience::public_).no_summary)
    ImGui::TextColored(palette::warn, "Off the record: there is no public summary at all.");
  ui::ErrorText(model.error());
  ui::ErrorText(error_);
  if (people.empty() && !form_open_) {
    ui::EmptyState("No participants yet",
                   "Add each participant with their name (in any script), and choose how far each audience may identify them.");
    ImGui::SetCursorPosX((ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 10) * 0.5f);
    if (ui::PrimaryButton("Add a participant", true, nullptr, ImVec2(ImGui::GetFontSize() * 10, 0))) new_participant();
    ImGui::EndChild();
    return;
  }
  if (ui::PrimaryButton("Add a participant")) new_participant();
  ImGui::SameLine();
  ui::Muted("Levels: how far each audience may identify them.");
  ImGui::SameLine();
  ui::HelpMarker(kLevelHelp);

  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp |
                                ImGuiTableFlags_PadOuterX;
  struct PendingLevel {
    std::string key;
    core::Audience audience;
    core::DisclosureLevel level;
  };
  std::optional<PendingLevel> pending_level;
  if (ImGui::BeginTable("##matrix", 5, flags)) {
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 1.6f);
    ImGui::TableSetupColumn("Participant", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Other participants see", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("The public sees", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3.2f);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < people.size(); ++i) {
      const core::Participant& p = people[i];
      ImGui::PushID(static_cast<int>(p.id));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextDisabled("%d", p.position);
      ImGui::TableSetColumnIndex(1);
      ui::Shaped(ctx.shaper, p.name);
      std::string sub = p.affiliation.value_or("");
      if (p.delegation) sub += (sub.empty() ? "" : " · ") + *p.delegation;
      if (!sub.empty()) ui::ShapedColored(ctx.shaper, sub, palette::muted);
      if (!p.aliases.empty()) {
        std::string al;
        for (const auto& a : p.aliases) al += (al.empty() ? "aka " : ", ") + std::string(ctx.shaper.line(a));
        ImGui::TextDisabled("%s", al.c_str());
        wipe_string(al);
      }
      wipe_string(sub);
      for (core::Audience a : core::kAudiences) {
        const int ai = static_cast<int>(a);
        ImGui::TableSetColumnIndex(2 + ai);
        ImGui::PushID(ai);
        const auto in_flight = levels_in_flight_.find({p.key, ai});
        int level = static_cast<int>(in_flight != levels_in_flight_.end() ? in_flight->second
                                                                          : p.disclosure[static_cast<std::size_t>(ai)]);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        ImGui::PushStyleColor(ImGuiCol_Text, level_color(static_cast<core::DisclosureLevel>(level)));
        const bool changed = ImGui::Combo("##level", &level, kLevels, 5);
        ImGui::PopStyleColor();
        // Applied after the table, once the row is drawn.
        if (changed) pending_level = PendingLevel{p.key, a, static_cast<core::DisclosureLevel>(level)};
        // The preview, as the summary for this audience will show them.
        const auto& ap = model.appearance(a);
        if (ap.no_summary) {
          ImGui::TextDisabled("no summary");
        } else if (i < ap.participants.size()) {
          const auto& me = ap.participants[i];
          ImGui::PushStyleColor(ImGuiCol_Text, palette::text);
          ImGui::TextUnformatted("“");
          ImGui::SameLine(0, 0);
          ui::Shaped(ctx.shaper, me.attribution);
          ImGui::SameLine(0, 0);
          ImGui::TextUnformatted("”");
          ImGui::PopStyleColor();
          if (me.level != p.disclosure[static_cast<std::size_t>(ai)]) ImGui::TextColored(palette::warn, "(%s by the rule)", level_label(me.level));
          ImGui::PushStyleColor(ImGuiCol_Text, palette::faint);
          ImGui::PushTextWrapPos(0);
          std::string att = "attendance: " + std::string(ctx.shaper.line(me.attendance));
          ImGui::TextUnformatted(att.c_str());
          wipe_string(att);
          ImGui::PopTextWrapPos();
          ImGui::PopStyleColor();
        }
        ImGui::PopID();
      }
      ImGui::TableSetColumnIndex(4);
      if (ImGui::SmallButton("Edit")) edit(p);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (pending_level) set_level(ctx, pending_level->key, pending_level->audience, pending_level->level);
  if (form_open_) draw_form(ctx);
  ImGui::EndChild();
}

void ParticipantsView::draw_form(UiContext& ctx) {
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::PushFont(ctx.fonts->bold);
  ImGui::TextUnformatted(editing_key_ ? "Edit participant" : "New participant");
  ImGui::PopFont();
  const float label_w = ImGui::GetFontSize() * 8;
  ImGui::BeginDisabled(saving_);
  auto field = [&](const char* label, std::string& value, const char* hint, bool rtl_preview = true) {
    ImGui::TextUnformatted(label);
    ImGui::SameLine(label_w);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint((std::string("##") + label).c_str(), hint, &value);
    if (rtl_preview && has_rtl(value)) {
      ImGui::SetCursorPosX(label_w);
      ui::ShapedColored(ctx.shaper, value, palette::muted);
    }
  };
  if (!editing_key_) field("Key", form_.key, "short and neutral, e.g. us-3 (appears in warnings, never a name)", false);
  field("Name", form_.name, "full name, any script");
  field("Affiliation", form_.affiliation, "e.g. University of Tehran");
  field("Delegation", form_.delegation, "e.g. Iran");
  field("Descriptor", form_.descriptor, "for the role level, e.g. a former senior U.S. diplomat");
  field("In Persian", form_.descriptor_fa, "the descriptor in Persian, for sentences in Persian (optional)");
  ImGui::TextUnformatted("Aliases");
  ImGui::SameLine(label_w);
  ImGui::InputTextMultiline("##aliases", &form_.aliases, ImVec2(-1, ImGui::GetTextLineHeight() * 3.4f));
  if (has_rtl(form_.aliases)) {
    ImGui::SetCursorPosX(label_w);
    ImGui::BeginGroup();
    for (const auto& a : lines_of(form_.aliases)) ui::ShapedColored(ctx.shaper, a, palette::muted);
    ImGui::EndGroup();
  }
  ImGui::SetCursorPosX(label_w);
  ui::Muted("One per line: nicknames, titles with the name, the name in Persian or Arabic script.");
  draw_short_forms(ctx, label_w);
  field("Recipient", form_.recipient, "their age1… key, for summary packages (optional)", false);
  for (int a = 0; a < 2; ++a) {
    ImGui::TextUnformatted(a == 0 ? "To participants" : "To the public");
    ImGui::SameLine(label_w);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    ImGui::PushID(a);
    ImGui::Combo("##form-level", &form_.level[a], kLevels, 5);
    ImGui::PopID();
  }
  ui::ErrorText(error_);
  const bool ready = !form_.name.empty() && (editing_key_ || !form_.key.empty());
  if (ui::PrimaryButton(editing_key_ ? "Save" : "Add", ready, "A key and a name are needed")) save_form(ctx);
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) {
    wipe_form(form_);
    editing_key_.reset();
    form_open_ = false;
    error_.clear();
  }
  ImGui::EndDisabled();
  if (saving_) {
    ImGui::SameLine();
    ui::Muted("Saving…");
  }
}

void ParticipantsView::draw_short_forms(UiContext& ctx, float label_w) {
  ImGui::TextUnformatted("Short forms");
  ImGui::SameLine(label_w);
  ImGui::BeginGroup();
  const core::Meeting* meeting = ctx.model().meeting();
  auto forms = form_short_forms(meeting ? meeting->public_terms : std::vector<std::string>{});
  if (forms.empty()) ui::Muted("None: the name and affiliation give no word that stands for them alone.");
  std::optional<core::ShortFormChange> change;
  for (std::size_t i = 0; i < forms.size(); ++i) {
    const core::ShortForm& f = forms[i];
    ImGui::PushID(static_cast<int>(i));
    int use = !f.ruling ? 0 : *f.ruling == core::ShortFormUse::alone ? 1 : 2;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::Combo("##use", &use, kShortFormUses, 3))
      change = core::ShortFormChange{f.of, f.form, use == 0 ? std::nullopt
                                                   : std::optional<core::ShortFormUse>(use == 1 ? core::ShortFormUse::alone
                                                                                                : core::ShortFormUse::not_alone)};
    ImGui::SameLine();
    ui::Shaped(ctx.shaper, f.form);
    ImGui::SameLine();
    std::string what = std::string(f.of == core::ShortFormOf::name ? "of the name" : "of the affiliation") +
                       (f.derived ? "" : ", added") + ": " + reach_text(f.reach);
    ui::Muted(what.c_str());
    ImGui::PopID();
  }
  for (auto& f : forms) wipe_string(f.form);
  auto add_row = [&](const char* id, std::string& text, const char* hint, core::ShortFormOf of) {
    ImGui::PushID(id);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    ImGui::InputTextWithHint("##new", hint, &text);
    ImGui::SameLine();
    if (ui::PrimaryButton("Add form", !text.empty(), "Type a short form first") && !text.empty()) {
      change = core::ShortFormChange{of, text, core::ShortFormUse::alone};
      wipe_string(text);
    }
    ImGui::PopID();
  };
  add_row("name-form", form_.new_short_form, "another short form of the name", core::ShortFormOf::name);
  add_row("affiliation-form", form_.new_affiliation_short_form, "another short form of the affiliation",
          core::ShortFormOf::affiliation);
  ImGui::EndGroup();
  if (change) {
    form_.rulings = core::apply_short_form_changes(std::move(form_.rulings), {{change->of, change->form, change->use}});
    wipe_string(change->form);
  }
}

void ParticipantsView::Clear() {
  wipe_form(form_);
  editing_key_.reset();
  form_open_ = false;
  saving_ = false;
  levels_in_flight_.clear();
  error_.clear();
  meeting_ = 0;
}

bool ParticipantsView::DebugContains(std::string_view needle) const {
  for (const std::string* s : {&form_.key, &form_.name, &form_.affiliation, &form_.delegation, &form_.descriptor,
                               &form_.descriptor_fa, &form_.aliases, &form_.recipient, &form_.new_short_form,
                               &form_.new_affiliation_short_form})
    if (holds(*s, needle)) return true;
  for (const auto& r : form_.rulings)
    if (holds(r.form, needle)) return true;
  return holds(error_, needle);
}

}  // namespace bc::gui
