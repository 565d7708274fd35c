// Fuzz target: the anonymizer's matcher and the independent leak scanner. The input is text:
//
//   LEVEL|name|affiliation|alias|alias...   one participant per line; LEVEL is n, r, p, a or h
//                                           (named, role, pseudonym, anonymous, hidden)
//   +term                                   a public term
//   @place                                  the hidden meeting location
//   (an empty line)
//   the note text, to the end
//
// Fields that the vault would refuse (invalid UTF-8, control characters, too long) are left
// out, as the import would never store them; the note text is used as it is.
// Checked: NameMatcher::find returns matches in order, not overlapping, inside the text, on
// UTF-8 boundaries when the text is valid UTF-8, naming participants that exist, and the same
// with the caller's normalization; scan_for_leaks on the same text does not crash and reports
// keys only for forms; normalize_for_matching (character references, Latin letters, dashes and
// spaces, confusable skeletons) keeps its offsets in the text and in order, is idempotent (once
// no '&' is left), and agrees with itself after normalize().
#include <optional>
#include <string>

#include "backchannel/core/leak_scanner.h"
#include "backchannel/core/name_matcher.h"
#include "backchannel/core/protected_forms.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/text_validation.h"
#include "fuzz_support.h"

using namespace bc;

namespace {

constexpr std::size_t kMaxParticipants = 24;
constexpr std::size_t kMaxAliases = 8;

bool storable(std::string_view s) { return !s.empty() && core::validate_text("field", s, core::TextField::short_text).ok(); }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) return out;
    s.remove_prefix(p + 1);
  }
}

core::DisclosureLevel level_of(std::string_view s) {
  if (s == "n") return core::DisclosureLevel::named;
  if (s == "r") return core::DisclosureLevel::role;
  if (s == "p") return core::DisclosureLevel::pseudonym;
  if (s == "h") return core::DisclosureLevel::hidden;
  return core::DisclosureLevel::anonymous;
}

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t blank = input.find("\n\n");
  const std::string_view head = blank == std::string_view::npos ? std::string_view() : input.substr(0, blank);
  const std::string_view text = blank == std::string_view::npos ? input : input.substr(blank + 2);

  std::vector<core::Participant> participants;
  std::vector<core::DisclosureLevel> levels;
  std::vector<std::string> public_terms;
  std::optional<std::string> location;
  for (std::string_view line : split(head, '\n')) {
    if (line.empty()) continue;
    if (line[0] == '+' || line[0] == '@') {
      if (!storable(line.substr(1))) continue;
      if (line[0] == '+') public_terms.emplace_back(line.substr(1));
      else location = std::string(line.substr(1));
      continue;
    }
    if (participants.size() == kMaxParticipants) continue;
    const auto f = split(line, '|');
    if (f.size() < 2 || !storable(f[1])) continue;
    core::Participant p;
    p.id = static_cast<std::int64_t>(participants.size() + 1);
    p.key = "p" + std::to_string(participants.size() + 1);
    p.name = std::string(f[1]);
    if (f.size() > 2 && storable(f[2])) p.affiliation = std::string(f[2]);
    for (std::size_t i = 3; i < f.size() && p.aliases.size() < kMaxAliases; ++i)
      if (storable(f[i])) p.aliases.emplace_back(f[i]);
    p.disclosure = {level_of(f[0]), level_of(f[0])};
    levels.push_back(level_of(f[0]));
    participants.push_back(std::move(p));
  }

  const core::FormSet forms = core::build_forms(participants, levels, public_terms, location);
  const core::NameMatcher matcher(forms);
  const std::vector<core::NameMatch> matches = matcher.find(text);
  const bool valid = core::is_valid_utf8(text);
  std::uint32_t previous_end = 0;
  for (const auto& m : matches) {
    const std::string where = "match [" + std::to_string(m.begin) + ", " + std::to_string(m.end) + ") in " +
                              std::to_string(text.size()) + " bytes";
    BC_FUZZ_CHECK(m.begin < m.end && m.end <= text.size(), where + ": outside the text or empty");
    BC_FUZZ_CHECK(m.begin >= previous_end, where + ": out of order or overlapping the one before");
    if (valid) {
      BC_FUZZ_CHECK(!continuation(text[m.begin]), where + ": starts inside a character");
      BC_FUZZ_CHECK(m.end == text.size() || !continuation(text[m.end]), where + ": ends inside a character");
    }
    for (int p : m.participants)
      BC_FUZZ_CHECK(p == -1 || (p >= 0 && static_cast<std::size_t>(p) < participants.size()), where + ": no such participant");
    previous_end = m.end;
  }
  const core::NormalizedText normalized = core::normalize_for_matching_with_offsets(text);
  const std::vector<core::NameMatch> again = matcher.find(text, normalized);
  BC_FUZZ_CHECK(again.size() == matches.size(), "find() with the caller's normalization differs");
  for (std::size_t i = 0; i < again.size(); ++i)
    BC_FUZZ_CHECK(again[i].begin == matches[i].begin && again[i].end == matches[i].end,
                  "find() with the caller's normalization differs");

  core::LeakScanInput scan;
  for (std::size_t i = 0; i < participants.size(); ++i) {
    const auto& p = participants[i];
    if (levels[i] == core::DisclosureLevel::named) {
      scan.allowed_forms.push_back(p.name);
      for (const auto& a : p.aliases) scan.allowed_forms.push_back(a);
      continue;
    }
    scan.protected_participants.push_back({p.key, p.name, p.affiliation, p.aliases, {}, p.short_forms, {}});
  }
  for (const auto& t : public_terms) scan.allowed_forms.push_back(t);
  scan.public_terms = public_terms;
  scan.hidden_location = location;
  const auto leaks = core::scan_for_leaks(scan, {{text, std::int64_t{1}}, {head, std::nullopt}});
  for (const auto& l : leaks)
    BC_FUZZ_CHECK(l.kind == core::LeakKind::mixed_script ? l.participant_key.empty() : !l.participant_key.empty(),
                  "a leak names no participant, or a mixed-script word names one");

  // The matching normalization: offsets inside the text and in order, the same text with and
  // without offsets, stable when applied again, and (text without '&') the same after search
  // normalization; the scanner's tokens are stable too.
  const std::string plain = core::normalize_for_matching(text);
  BC_FUZZ_CHECK(plain == normalized.text, "normalize_for_matching differs from its offsets variant");
  if (plain.find('&') == std::string::npos)  // "&amp;shy;" decodes to "&shy;": references are read once
    BC_FUZZ_CHECK(core::normalize_for_matching(plain) == plain, "normalize_for_matching is not idempotent");
  if (valid && text.find('&') == std::string_view::npos)
    BC_FUZZ_CHECK(core::normalize_for_matching(core::normalize(text)) == plain,
                  "normalize_for_matching after normalize differs");
  for (std::size_t i = 0; i < normalized.text.size(); ++i) {
    BC_FUZZ_CHECK(normalized.source_start[i] < normalized.source_end[i] && normalized.source_end[i] <= text.size(),
                  "an offset outside the text");
    BC_FUZZ_CHECK(i == 0 || normalized.source_start[i - 1] <= normalized.source_start[i], "offsets out of order");
  }
  return 0;
}
