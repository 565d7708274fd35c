// Participants of the meeting and the disclosure matrix: one row per person with their level for
// each audience and a live preview, computed by the core, of how each audience will see them.
// Below, the form for a participant's details (name, affiliation, delegation, descriptors in
// English and Persian, aliases in any script, the short forms of the name and affiliation with the
// organizer's rulings, their age recipient for summary packages).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/participant_appearance.h"
#include "backchannel/core/short_forms.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class ParticipantsView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  // For the headless tests.
  /// Sets a participant's level for an audience, as the row's combo does.
  bool set_level(UiContext& ctx, const std::string& key, core::Audience audience, core::DisclosureLevel level);
  /// The preview shown for a participant and audience ("Participant C", ...).
  std::string preview(const std::string& key, core::Audience audience) const;
  /// Opens the form for a new participant and fills it.
  struct Form {
    std::string key, name, affiliation, delegation, descriptor, descriptor_fa, aliases, recipient;  ///< aliases: one per line
    int level[2] = {3, 3};
    std::vector<core::ShortFormRule> rulings;  ///< the organizer's rulings on short forms
    std::string new_short_form, new_affiliation_short_form;  ///< typed, not yet added
  };
  Form& form() { return form_; }
  /// Opens the form on an existing participant, as its row's Edit button does.
  bool edit_participant(const std::string& key);
  /// Rules on a short form in the form, as its combo does (no use: back to the derived rule).
  void set_short_form(core::ShortFormOf of, const std::string& form, std::optional<core::ShortFormUse> use);
  /// The short forms the form's fields give, with the rulings applied (what the form lists).
  std::vector<core::ShortForm> form_short_forms() const;
  /// Saves the form (adds or updates). Returns false with error() set on failure.
  bool save_form(UiContext& ctx);
  void new_participant();
  const std::string& error() const { return error_; }
  std::size_t size() const { return people_.size(); }

 private:
  void reload(UiContext& ctx);
  void edit(std::size_t index);
  void draw_form(UiContext& ctx);
  void draw_short_forms(UiContext& ctx, float label_w);

  std::int64_t meeting_ = 0;
  std::uint64_t revision_ = 0;
  std::vector<core::Participant> people_;
  core::AudienceAppearance appearance_[2];
  core::Rule rule_ = core::Rule::chatham_house;
  std::vector<std::string> public_terms_;
  Form form_;
  std::optional<std::string> editing_key_;  ///< the form edits this participant; none: a new one
  bool form_open_ = false;
  std::string error_;
};

}  // namespace bc::gui
