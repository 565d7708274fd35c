// Participants of the meeting and the disclosure matrix: one row per person with their level for
// each audience and a live preview, computed by the core, of how each audience will see them.
// Below, the form for a participant's details (name, affiliation, delegation, descriptors in
// English and Persian, aliases in any script, the short forms of the name and affiliation with the
// organizer's rulings, their age recipient for summary packages).
#pragma once

#include <map>
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

  /// Why the last change could not be saved (tests read it too).
  const std::string& error() const { return error_; }

  /// The form for a participant's details.
  struct Form {
    std::string key, name, affiliation, delegation, descriptor, descriptor_fa, aliases, recipient;  ///< aliases: one per line
    int level[2] = {3, 3};
    std::vector<core::ShortFormRule> rulings;  ///< the organizer's rulings on short forms
    std::string new_short_form, new_affiliation_short_form;  ///< typed, not yet added
  };

  /// The short forms the open form's fields give, with its rulings applied (what the form lists).
  std::vector<core::ShortForm> form_short_forms(const std::vector<std::string>& public_terms) const;

 private:
  /// Sets a participant's level for an audience, as the row's combo does (through the writer).
  void set_level(UiContext& ctx, const std::string& key, core::Audience audience, core::DisclosureLevel level);
  /// Hands the form to the writer (adds or updates); the form closes once it is stored, or shows
  /// why not.
  void save_form(UiContext& ctx);
  void new_participant();
  void edit(const core::Participant& p);
  void draw_form(UiContext& ctx);
  /// The form's list of short forms, each with a combo for the ruling, and two fields to add one.
  void draw_short_forms(UiContext& ctx, float label_w);

  std::int64_t meeting_ = 0;
  Form form_;
  std::optional<std::string> editing_key_;  ///< the form edits this participant; none: a new one
  bool form_open_ = false;
  bool saving_ = false;  ///< the form is with the writer
  /// Levels chosen in the matrix and not yet stored: (key, audience) -> level, shown meanwhile.
  std::map<std::pair<std::string, int>, core::DisclosureLevel> levels_in_flight_;
  std::string error_;
};

}  // namespace bc::gui
