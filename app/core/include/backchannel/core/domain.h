// The domain vocabulary: series, meetings, participants, notes, and the enums that describe them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bc::core {

/// Who a summary is for. `participants`: the other attendees; `public_`: anyone else.
enum class Audience { participants = 0, public_ = 1 };
inline constexpr std::array<Audience, 2> kAudiences = {Audience::participants, Audience::public_};

/// How far a participant may be identified, from most to least revealing.
enum class DisclosureLevel { named = 0, role = 1, pseudonym = 2, anonymous = 3, hidden = 4 };

/// The rule a meeting is held under.
enum class Rule { chatham_house, off_the_record, on_background };

/// What a note records.
enum class NoteKind { statement, question, proposal, agreement, disagreement, action, observation };
inline constexpr std::array<NoteKind, 7> kNoteKinds = {NoteKind::statement, NoteKind::question,
                                                       NoteKind::proposal,  NoteKind::agreement,
                                                       NoteKind::disagreement, NoteKind::action,
                                                       NoteKind::observation};

/// Whether a note may enter a summary (`summary`) or stays with the organizers.
enum class Visibility { summary, organizers };

/// What a short form is short for: the person's name (with its aliases) or their affiliation.
enum class ShortFormOf { name, affiliation };

/// How an organizer has ruled on one short form (docs/anonymization.md, "Short forms").
/// `alone`: the form stands for the person on its own, everywhere (for a name also just before a
/// capitalized word; for an affiliation: it is one of its short forms, derived or not).
/// `not_alone`: on its own it does not stand for them (it is not a protected form).
enum class ShortFormUse { alone, not_alone };

/// An organizer's ruling on one short form; without one, the derived rule applies.
struct ShortFormRule {
  ShortFormOf of = ShortFormOf::name;
  std::string form;  ///< as the organizer wrote it
  ShortFormUse use = ShortFormUse::alone;

  bool operator==(const ShortFormRule&) const = default;
};

std::string_view to_string(Audience a);
std::string_view to_string(DisclosureLevel l);
std::string_view to_string(Rule r);
std::string_view to_string(NoteKind k);
std::string_view to_string(Visibility v);
std::string_view to_string(ShortFormOf o);
std::string_view to_string(ShortFormUse u);
std::optional<Audience> parse_audience(std::string_view s);
std::optional<DisclosureLevel> parse_disclosure_level(std::string_view s);
std::optional<Rule> parse_rule(std::string_view s);
std::optional<NoteKind> parse_note_kind(std::string_view s);
std::optional<Visibility> parse_visibility(std::string_view s);
std::optional<ShortFormOf> parse_short_form_of(std::string_view s);
std::optional<ShortFormUse> parse_short_form_use(std::string_view s);

/// A dialogue series: meetings held under one name and default rule.
struct Series {
  std::int64_t id = 0;
  std::string uid;
  std::string title;
  Rule rule = Rule::chatham_house;
};

/// One meeting of a series.
struct Meeting {
  std::int64_t id = 0;
  std::string uid;
  std::int64_t series_id = 0;
  std::string series_title;
  Rule series_rule = Rule::chatham_house;
  std::string title;
  std::string starts_at;  ///< RFC 3339
  std::optional<std::string> location;
  /// Location disclosure per audience: `named` or `hidden`.
  std::array<DisclosureLevel, 2> location_disclosure{DisclosureLevel::hidden, DisclosureLevel::hidden};
  std::optional<Rule> rule;  ///< the meeting's own rule, if it overrides the series
  std::vector<std::string> public_terms;
  std::int64_t note_count = 0;

  /// The rule in force: the meeting's own, else the series'.
  Rule effective_rule() const { return rule.value_or(series_rule); }
};

/// A participant as attending one meeting (key and disclosure are per meeting).
struct Participant {
  std::int64_t id = 0;
  std::string uid;
  std::string key;  ///< unique within the meeting
  std::string name;
  std::optional<std::string> affiliation;
  std::optional<std::string> delegation;
  std::optional<std::string> descriptor;  ///< the descriptor in English (text in any script but Arabic)
  std::vector<std::string> aliases;
  std::array<DisclosureLevel, 2> disclosure{DisclosureLevel::anonymous, DisclosureLevel::anonymous};
  std::optional<std::string> recipient;  ///< the participant's age1... recipient, if known
  int position = 0;                      ///< order within the meeting (1-based)
  std::optional<std::string> descriptor_fa;  ///< the descriptor in Persian (text in Arabic script)
  std::vector<ShortFormRule> short_forms;    ///< the organizer's rulings, in the order given

  DisclosureLevel level_for(Audience a) const { return disclosure[static_cast<int>(a)]; }
};

/// A note taken during a meeting.
struct Note {
  std::int64_t id = 0;
  std::string uid;
  std::int64_t meeting_id = 0;
  std::optional<std::int64_t> speaker_id;
  NoteKind kind = NoteKind::statement;
  std::optional<std::string> at;  ///< when it was said (RFC 3339), if known
  Visibility visibility = Visibility::summary;
  std::string text;
  int revision = 1;
  std::string created_at;
  std::string updated_at;
};

/// An earlier (or the current) text of a note.
struct NoteRevision {
  std::string uid;
  int revision = 0;
  std::string text;
  std::string created_at;
};

/// Limits on what the vault accepts, checked before anything is stored.
struct Limits {
  static constexpr std::size_t kMaxShortText = 1000;        ///< names, titles, keys, aliases (bytes)
  static constexpr std::size_t kMaxNoteText = 100 * 1000;   ///< one note (bytes)
  static constexpr std::size_t kMaxImportFile = 64u << 20;  ///< one meeting import file (bytes)
  static constexpr std::size_t kMaxParticipants = 10000;    ///< per meeting
  static constexpr std::size_t kMaxAliases = 64;            ///< per participant
  static constexpr std::size_t kMaxShortForms = 64;         ///< rulings on short forms, per participant
  static constexpr std::size_t kMaxNotes = 1000000;         ///< per import
  static constexpr std::size_t kMaxPublicTerms = 1000;
};

}  // namespace bc::core
