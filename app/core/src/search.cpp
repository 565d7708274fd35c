#include "backchannel/core/search.h"

#include "backchannel/crypto/secure_buffer.h"

#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/text_validation.h"
#include "vault_store_access.h"

namespace bc::core {

using storage::Statement;

namespace {

// Each word becomes a quoted FTS5 string with a prefix star: the user's text is never parsed
// as FTS5 syntax (no operators, no column filters, no NEAR), and "holloway" finds "holloway's".
std::string fts_query(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) {
    if (!q.empty()) q += ' ';
    q += '"';
    for (char c : w) {
      if (c == '"') q += '"';
      q += c;
    }
    q += "\"*";
  }
  return q;
}

std::vector<std::string> split_words(const std::string& normalized) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < normalized.size()) {
    std::size_t end = normalized.find(' ', start);
    if (end == std::string::npos) end = normalized.size();
    if (end > start) words.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// About `radius` bytes of the original text on each side of the first match of `word`.
std::string make_snippet(std::string_view text, const std::string& word, std::size_t radius = 60) {
  NormalizedText n = normalize_with_offsets(text);
  // The folded copy of the whole note is wiped on the way out (tests/secrets, SecretsMemory).
  struct Wipe {
    std::string& s;
    ~Wipe() { crypto::wipe(s.data(), s.size()); }
  } wipe_folded{n.text};
  std::size_t pos = n.text.find(word);
  std::size_t from = 0, to = text.size();
  if (pos != std::string::npos && !word.empty()) {
    const auto [s, e] = n.source_range(pos, pos + word.size());
    from = s > radius ? s - radius : 0;
    to = std::min<std::size_t>(text.size(), e + radius);
  } else {
    to = std::min<std::size_t>(text.size(), 2 * radius);
  }
  while (from > 0 && is_continuation(text[from])) --from;
  while (to < text.size() && is_continuation(text[to])) ++to;
  std::string out;
  // Sized once: growing it byte by byte would leave partial copies of the note text in freed
  // heap blocks (tests/secrets/test_secrets_memory.cpp).
  out.reserve(to - from + 2 * std::string_view("…").size());
  if (from > 0) out += "…";
  for (char c : text.substr(from, to - from)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (to < text.size()) out += "…";
  return out;
}

}  // namespace

Result<std::vector<SearchHit>> search_notes(Vault& vault, std::string_view query, std::size_t limit) {
  BC_TRY(validate_text("query", query, TextField::short_text));
  const auto words = split_words(normalize(query));
  if (words.empty()) return fail(ErrorCode::usage, "the search has no words in it");
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare(
      "SELECT n.id, n.meeting_id, m.title, p.name, n.text FROM notes_fts f "
      "JOIN notes n ON n.id = f.rowid JOIN meetings m ON m.id = n.meeting_id "
      "LEFT JOIN participants p ON p.id = n.speaker_id "
      "WHERE notes_fts MATCH ? AND n.deleted_at IS NULL ORDER BY f.rank LIMIT ?"));
  st.bind(1, fts_query(words)).bind(2, static_cast<std::int64_t>(limit));
  std::vector<SearchHit> hits;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    SearchHit h;
    h.note_id = st.column_int64(0);
    h.meeting_id = st.column_int64(1);
    h.meeting_title = st.column_string(2);
    h.speaker = st.is_null(3) ? std::string() : st.column_string(3);
    h.snippet = make_snippet(st.column_text(4), words.front());
    hits.push_back(std::move(h));
  }
  return hits;
}

}  // namespace bc::core
