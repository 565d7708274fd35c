#include "backchannel/core/domain.h"

namespace bc::core {

namespace {
template <class E, std::size_t N>
std::optional<E> lookup(const std::pair<E, std::string_view> (&table)[N], std::string_view s) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}
template <class E, std::size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&table)[N], E e) {
  for (const auto& [v, name] : table)
    if (v == e) return name;
  return "?";
}

constexpr std::pair<Audience, std::string_view> kAudienceNames[] = {{Audience::participants, "participants"},
                                                                    {Audience::public_, "public"}};
constexpr std::pair<DisclosureLevel, std::string_view> kLevelNames[] = {
    {DisclosureLevel::named, "named"},         {DisclosureLevel::role, "role"},
    {DisclosureLevel::pseudonym, "pseudonym"}, {DisclosureLevel::anonymous, "anonymous"},
    {DisclosureLevel::hidden, "hidden"}};
constexpr std::pair<Rule, std::string_view> kRuleNames[] = {{Rule::chatham_house, "chatham-house"},
                                                            {Rule::off_the_record, "off-the-record"},
                                                            {Rule::on_background, "on-background"}};
constexpr std::pair<NoteKind, std::string_view> kKindNames[] = {
    {NoteKind::statement, "statement"},       {NoteKind::question, "question"},
    {NoteKind::proposal, "proposal"},         {NoteKind::agreement, "agreement"},
    {NoteKind::disagreement, "disagreement"}, {NoteKind::action, "action"},
    {NoteKind::observation, "observation"}};
constexpr std::pair<Visibility, std::string_view> kVisibilityNames[] = {{Visibility::summary, "summary"},
                                                                        {Visibility::organizers, "organizers"}};
constexpr std::pair<ShortFormOf, std::string_view> kShortFormOfNames[] = {{ShortFormOf::name, "name"},
                                                                         {ShortFormOf::affiliation, "affiliation"}};
constexpr std::pair<ShortFormUse, std::string_view> kShortFormUseNames[] = {{ShortFormUse::alone, "alone"},
                                                                           {ShortFormUse::not_alone, "not-alone"}};
}  // namespace

std::string_view to_string(Audience a) { return name_of(kAudienceNames, a); }
std::string_view to_string(DisclosureLevel l) { return name_of(kLevelNames, l); }
std::string_view to_string(Rule r) { return name_of(kRuleNames, r); }
std::string_view to_string(NoteKind k) { return name_of(kKindNames, k); }
std::string_view to_string(Visibility v) { return name_of(kVisibilityNames, v); }
std::string_view to_string(ShortFormOf o) { return name_of(kShortFormOfNames, o); }
std::string_view to_string(ShortFormUse u) { return name_of(kShortFormUseNames, u); }
std::optional<ShortFormOf> parse_short_form_of(std::string_view s) { return lookup(kShortFormOfNames, s); }
std::optional<ShortFormUse> parse_short_form_use(std::string_view s) { return lookup(kShortFormUseNames, s); }
std::optional<Audience> parse_audience(std::string_view s) { return lookup(kAudienceNames, s); }
std::optional<DisclosureLevel> parse_disclosure_level(std::string_view s) { return lookup(kLevelNames, s); }
std::optional<Rule> parse_rule(std::string_view s) { return lookup(kRuleNames, s); }
std::optional<NoteKind> parse_note_kind(std::string_view s) { return lookup(kKindNames, s); }
std::optional<Visibility> parse_visibility(std::string_view s) { return lookup(kVisibilityNames, s); }

}  // namespace bc::core
