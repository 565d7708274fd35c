// Builds a Summary: attendance, attribution and text replacement as each participant's
// disclosure level allows, and the identifiability warnings.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "backchannel/core/disclosure_policy.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/name_matcher.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participant_appearance.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/protected_forms.h"
#include "backchannel/core/pseudonyms.h"
#include "backchannel/core/short_forms.h"
#include "backchannel/core/summary.h"
#include "backchannel/core/text_normalizer.h"
#include "summary_internal.h"

namespace bc::core {

namespace {

constexpr const char* kPersianParticipant = "یکی از شرکت‌کنندگان";

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 32);
  return s;
}

// Is `pos` the start of a sentence in `text` (start, or after ". ", "! ", "? ", a line break)?
bool sentence_start(const std::string& text, std::size_t pos) {
  std::size_t i = pos;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '"' || text[i - 1] == '(')) --i;
  if (i == 0) return true;
  const char c = text[i - 1];
  return c == '.' || c == '!' || c == '?' || c == '\n' || c == ':';
}

bool contains_word(const std::string& normalized_text, const std::string& word) {
  for (std::size_t pos = normalized_text.find(word); pos != std::string::npos; pos = normalized_text.find(word, pos + 1)) {
    const bool left = pos == 0 || normalized_text[pos - 1] == ' ';
    const std::size_t e = pos + word.size();
    const bool right = e == normalized_text.size() || normalized_text[e] == ' ' || normalized_text[e] == ',';
    if (left && right) return true;
  }
  return false;
}

bool descriptor_names_delegation(const std::string& descriptor, const std::string& delegation) {
  const std::string d = normalize(descriptor);
  const std::string del = normalize(delegation);
  if (contains_word(d, del)) return true;
  for (const auto& w : demonyms_of(del))
    if (contains_word(d, w)) return true;
  return false;
}

// Letters of `text` in [begin, end) outside every match: Arabic-script and Latin (by their bytes:
// lead bytes 0xD8..0xDB are U+0600..U+06FF).
std::pair<std::size_t, std::size_t> letters_outside(const std::string& text, std::size_t begin, std::size_t end,
                                                    const std::vector<NameMatch>& matches) {
  std::size_t arabic = 0, latin = 0;
  auto m = matches.begin();
  for (std::size_t i = begin; i < end; ++i) {
    while (m != matches.end() && m->end <= i) ++m;
    if (m != matches.end() && m->begin <= i) {
      i = m->end - 1;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xD8 && c <= 0xDB) ++arabic;
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++latin;
  }
  return {arabic, latin};
}

bool is_sentence_end(const std::string& text, std::size_t i) {
  const char c = text[i];
  if (c == '.' || c == '!' || c == '?' || c == '\n') return true;
  // ؟ (U+061F) and ۔ (U+06D4), by their last byte after the lead byte.
  return i >= 1 && ((text[i - 1] == '\xD8' && text[i] == '\x9F') || (text[i - 1] == '\xDB' && text[i] == '\x94'));
}

// Is the sentence around `match` written in Arabic script (most of its letters, the names replaced
// in it left out)? Then the replacement is written in Persian. A sentence with no other letters
// goes by the whole note.
bool persian_sentence(const std::string& text, const NameMatch& match, const std::vector<NameMatch>& matches) {
  std::size_t b = match.begin, e = match.end;
  while (b > 0 && !is_sentence_end(text, b - 1)) --b;
  while (e < text.size() && !is_sentence_end(text, e)) ++e;
  auto [arabic, latin] = letters_outside(text, b, e, matches);
  if (arabic == 0 && latin == 0) std::tie(arabic, latin) = letters_outside(text, 0, text.size(), matches);
  return arabic > latin;
}

Result<SummaryContext> load_summary_context(Vault& vault, std::int64_t meeting_id, const SummaryOptions& options) {
  SummaryContext ctx;
  BC_ASSIGN(ctx.meeting, get_meeting(vault, meeting_id));
  BC_TRY(summary_allowed(ctx.meeting, options.audience));
  if (options.stable_pseudonyms && options.audience != Audience::participants)
    return fail(ErrorCode::usage, "stable pseudonyms are for the participants audience only");
  BC_ASSIGN(ctx.participants, list_participants(vault, meeting_id));
  BC_ASSIGN(ctx.notes, list_notes(vault, meeting_id));
  for (const auto& p : ctx.participants) ctx.levels.push_back(effective_level(ctx.meeting, p, options.audience));
  std::vector<const Participant*> pseudonymous;
  for (std::size_t i = 0; i < ctx.participants.size(); ++i)
    if (ctx.levels[i] == DisclosureLevel::pseudonym) pseudonymous.push_back(&ctx.participants[i]);
  if (options.stable_pseudonyms) {
    BC_ASSIGN(ctx.pseudonyms, series_pseudonyms(vault, ctx.meeting, pseudonymous));
  } else {
    ctx.pseudonyms = summary_pseudonyms(vault, ctx.meeting, options.audience, pseudonymous);
  }
  for (std::size_t i = 0; i < ctx.participants.size(); ++i) {
    const auto letter = ctx.pseudonyms.find(ctx.participants[i].id);
    ctx.appearances.push_back(appearance_text(ctx.participants[i], ctx.levels[i],
                                              letter == ctx.pseudonyms.end() ? std::string() : letter->second));
  }
  if (ctx.meeting.location && !location_disclosed(ctx.meeting, options.audience)) ctx.hidden_location = ctx.meeting.location;
  ctx.forms = build_forms(ctx.participants, ctx.levels, ctx.meeting.public_terms, ctx.hidden_location);
  return ctx;
}

}  // namespace

Result<SummaryContext> prepare_summary(Vault& vault, std::int64_t meeting_id, const SummaryOptions& options) {
  auto prepared = load_summary_context(vault, meeting_id, options);
  if (!prepared) {
    auto e = std::move(prepared).error();
    // Nothing half-built ever leaves: a failure other than "no such meeting" or a usage error
    // is a block.
    if (e.code != ErrorCode::not_found && e.code != ErrorCode::usage && e.code != ErrorCode::blocked) {
      e.message = "summary blocked: " + e.message;
      e.code = ErrorCode::blocked;
    }
    return e;
  }
  return prepared;
}

Result<Summary> build_summary(Vault& vault, std::int64_t meeting_id, const SummaryOptions& options) {
  BC_ASSIGN(const SummaryContext prepared, prepare_summary(vault, meeting_id, options));
  return build_summary_from(prepared, options);
}

Summary build_summary_from(const SummaryContext& ctx, const SummaryOptions& options) {
  Summary s;
  const Meeting& m = ctx.meeting;
  s.series_title = m.series_title;
  s.meeting_title = m.title;
  s.date = m.starts_at.substr(0, 10);
  if (location_disclosed(m, options.audience)) s.location = m.location;
  s.rule = m.effective_rule();
  s.audience = options.audience;

  std::map<std::int64_t, std::size_t> index_of;
  for (std::size_t i = 0; i < ctx.participants.size(); ++i) index_of[ctx.participants[i].id] = i;

  // Attendance, in attendance order; pseudonyms by letter.
  for (std::size_t i = 0; i < ctx.participants.size(); ++i) {
    const AppearanceText& a = ctx.appearances[i];
    if (a.counted) ++s.attendance.anonymous_count;
    if (!a.attendance_entry) continue;
    switch (ctx.levels[i]) {
      case DisclosureLevel::named: s.attendance.named.push_back(*a.attendance_entry); break;
      case DisclosureLevel::role: s.attendance.roles.push_back(*a.attendance_entry); break;
      case DisclosureLevel::pseudonym: s.attendance.pseudonyms.push_back(*a.attendance_entry); break;
      default: break;
    }
  }
  std::sort(s.attendance.pseudonyms.begin(), s.attendance.pseudonyms.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  if (options.recipient_participant_id) {
    auto it = index_of.find(*options.recipient_participant_id);
    if (it != index_of.end()) s.recipient_label = ctx.appearances[it->second].label;
  }

  const NameMatcher matcher(ctx.forms);
  std::set<std::string> warned;
  auto warn = [&](SummaryWarning w) {
    const std::string id = w.kind + "|" + w.participant_key.value_or("") + "|" + std::to_string(w.note_id.value_or(0));
    if (warned.insert(id).second) s.warnings.push_back(std::move(w));
  };

  for (const Note& n : ctx.notes) {
    if (n.visibility != Visibility::summary) continue;
    SummaryStatement st;
    st.note_id = n.id;
    st.note_uid = n.uid;
    st.kind = n.kind;
    std::optional<std::size_t> speaker;
    if (n.speaker_id) {
      auto it = index_of.find(*n.speaker_id);
      if (it != index_of.end()) speaker = it->second;
    }
    if (speaker) {
      st.attribution.level = ctx.levels[*speaker];
      st.attribution.label = ctx.appearances[*speaker].attribution;
      st.own = options.recipient_participant_id && ctx.participants[*speaker].id == *options.recipient_participant_id;
    } else {
      st.attribution.level = DisclosureLevel::named;
      st.attribution.label = "Organizers";
      st.attribution.organizer = true;
    }
    // Replace every protected form, keeping the text between matches byte for byte.
    const auto matches = matcher.find(n.text);
    std::size_t pos = 0;
    for (const auto& mt : matches) {
      const bool persian = persian_sentence(n.text, mt, matches);
      st.text.append(n.text, pos, mt.begin - pos);
      std::string replacement;
      if (mt.kind == MatchKind::location) {
        replacement = "[location withheld]";
        warn({"location-mentioned", "note " + std::to_string(n.id) + " mentions the meeting's location, which is hidden for this audience; it was replaced", std::nullopt, n.id});
      } else if (mt.kind == MatchKind::affiliation) {
        replacement = "[affiliation withheld]";
      } else {
        std::set<std::string> labels;
        for (int p : mt.participants)
          if (p >= 0) {
            const AppearanceText& a = ctx.appearances[static_cast<std::size_t>(p)];
            labels.insert(persian ? a.persian_label : a.label);
          }
        // Two people share these words: say no more than is true of both.
        replacement = labels.size() == 1 ? *labels.begin() : (persian ? kPersianParticipant : "a participant");
      }
      if (sentence_start(st.text, st.text.size())) replacement = capitalized(replacement);
      st.replaced.push_back({st.text.size(), st.text.size() + replacement.size()});
      st.text += replacement;
      pos = mt.end;
      // A Persian suffix left on a replacement that ends in Latin ("Participant C" + "ها") would
      // make one word of two scripts, which the leak scanner refuses: a zero-width non-joiner
      // keeps them apart, as Persian writes a suffix on a foreign word.
      if (pos < n.text.size() && static_cast<unsigned char>(replacement.back()) < 0x80 &&
          static_cast<unsigned char>(n.text[pos]) >= 0xD8 && static_cast<unsigned char>(n.text[pos]) <= 0xDB)
        st.text += "\u200c";
      // A pseudonymous speaker naming their own affiliation.
      if (speaker && ctx.levels[*speaker] == DisclosureLevel::pseudonym && mt.kind == MatchKind::affiliation &&
          std::find(mt.participants.begin(), mt.participants.end(), static_cast<int>(*speaker)) != mt.participants.end())
        warn({"own-affiliation", ctx.appearances[*speaker].label + " names their own affiliation in note " + std::to_string(n.id) +
                                     "; it was replaced, but what they said about it may still identify them",
              ctx.participants[*speaker].key, n.id});
    }
    st.text.append(n.text, pos, std::string::npos);
    s.statements.push_back(std::move(st));
  }

  // Identifiability warnings about the attendance as a whole.
  for (std::size_t i = 0; i < ctx.participants.size(); ++i) {
    const Participant& p = ctx.participants[i];
    if (ctx.levels[i] != DisclosureLevel::role) continue;
    if (!p.descriptor) {
      warn({"no-descriptor", "participant " + p.key + " is disclosed by role but has no descriptor; they appear as \"a participant\"",
            p.key, std::nullopt});
      continue;
    }
    if (p.delegation) {
      std::size_t same = 0;
      for (std::size_t j = 0; j < ctx.participants.size(); ++j)
        if (ctx.participants[j].delegation && normalize(*ctx.participants[j].delegation) == normalize(*p.delegation)) ++same;
      if (same == 1 && descriptor_names_delegation(*p.descriptor, *p.delegation))
        warn({"unique-descriptor", "participant " + p.key + "'s descriptor fits only one attendee: nobody else came from their delegation",
              p.key, std::nullopt});
    }
  }
  const std::size_t listed = s.attendance.named.size() + s.attendance.roles.size() + s.attendance.pseudonyms.size();
  if (s.attendance.anonymous_count == 1)
    warn({"small-count", "the attendance shows exactly one unnamed participant, which may identify them", std::nullopt, std::nullopt});
  else if (s.attendance.anonymous_count > 0 && listed + s.attendance.anonymous_count <= 3)
    warn({"small-count", "the attendance is so small (" + std::to_string(listed + s.attendance.anonymous_count) +
                             " people) that unnamed participants may be identified", std::nullopt, std::nullopt});
  return s;
}

}  // namespace bc::core
