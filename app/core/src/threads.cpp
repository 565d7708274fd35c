#include "backchannel/core/threads.h"

#include <algorithm>
#include <map>
#include <set>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/text_normalizer.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/crypto/secure_buffer.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "sync_state.h"
#include "vault_store_access.h"

namespace bc::core {

using storage::Statement;

namespace {

constexpr std::pair<ThreadStatus, std::string_view> kNames[] = {
    {ThreadStatus::raised, "raised"},     {ThreadStatus::discussed, "discussed"}, {ThreadStatus::agreed, "agreed"},
    {ThreadStatus::conveyed, "conveyed"}, {ThreadStatus::taken_up, "taken-up"},   {ThreadStatus::dropped, "dropped"},
};

storage::Database& db_of(Vault& v) { return vault_store(v).db(); }

Error no_such_thread(std::int64_t id) { return fail(ErrorCode::not_found, "there is no thread " + std::to_string(id)); }

Result<std::int64_t> series_of_thread(Vault& vault, std::int64_t thread_id) {
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT series_id FROM threads WHERE id = ?"));
  st.bind(1, thread_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return no_such_thread(thread_id);
  return st.column_int64(0);
}

// The series of a meeting or note, or not_found.
Result<std::int64_t> series_of(Vault& vault, const char* sql, const char* what, std::int64_t id) {
  BC_ASSIGN(Statement st, db_of(vault).prepare(sql));
  st.bind(1, id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::not_found, std::string("there is no ") + what + " " + std::to_string(id));
  return st.column_int64(0);
}

Status require_series(Vault& vault, std::int64_t series_id) {
  BC_ASSIGN(std::int64_t n, db_of(vault).query_int("SELECT count(*) FROM series WHERE id = " + std::to_string(series_id)));
  if (n == 0) return fail(ErrorCode::not_found, "there is no series " + std::to_string(series_id));
  return {};
}

// Fills history and notes, and the status that follows from the history.
Status complete(Vault& vault, Thread& t) {
  auto& db = db_of(vault);
  BC_ASSIGN(Statement h, db.prepare("SELECT c.uid, c.status, c.meeting_id, m.title, m.starts_at, c.decided_by, c.decided_at "
                                    "FROM thread_status c JOIN meetings m ON m.id = c.meeting_id WHERE c.thread_id = ? "
                                    "ORDER BY m.starts_at, m.id, c.decided_at, c.id"));
  h.bind(1, t.id);
  while (true) {
    BC_ASSIGN(bool row, h.step());
    if (!row) break;
    StatusChange c;
    c.uid = h.column_string(0);
    c.status = parse_thread_status(h.column_text(1)).value_or(ThreadStatus::raised);
    c.meeting_id = h.column_int64(2);
    c.meeting_title = h.column_string(3);
    c.meeting_starts_at = h.column_string(4);
    c.decided_by = h.column_string(5);
    c.decided_at = h.column_string(6);
    t.history.push_back(std::move(c));
  }
  t.status = t.history.empty() ? ThreadStatus::raised : t.history.back().status;
  BC_ASSIGN(Statement n, db.prepare("SELECT n.id FROM thread_notes l JOIN notes n ON n.id = l.note_id "
                                    "JOIN meetings m ON m.id = n.meeting_id WHERE l.thread_id = ? AND n.deleted_at IS NULL "
                                    "ORDER BY m.starts_at, m.id, n.at, n.id"));
  n.bind(1, t.id);
  while (true) {
    BC_ASSIGN(bool row, n.step());
    if (!row) break;
    t.note_ids.push_back(n.column_int64(0));
  }
  return {};
}

Thread read_thread(const Statement& st) {
  Thread t;
  t.id = st.column_int64(0);
  t.uid = st.column_string(1);
  t.series_id = st.column_int64(2);
  t.title = st.column_string(3);
  t.created_at = st.column_string(4);
  return t;
}

// Words short enough to be in any text say nothing about what a note is about.
bool is_stop_word(const std::string& w) {
  static const std::set<std::string> kStop = {
      "about", "after", "again", "also",  "been",  "before", "being", "both",  "could", "does",  "each",  "from",
      "have",  "here",  "into",  "just",  "more",  "most",   "much",  "must",  "only",  "other", "over",  "said",
      "same",  "should", "some", "such",  "than",  "that",   "their", "them",  "then",  "there", "these", "they",
      "this",  "those", "very",  "were",  "what",  "when",   "where", "which", "while", "will",  "with",  "would",
      "your",  "said",  "says",  "well",  "like",  "make",   "made",  "many",  "need",  "because"};
  return kStop.count(w) != 0;
}

// An FTS5 query matching any of the text's telling words (each quoted: never parsed as syntax).
std::string any_word_query(const std::string& normalized) {
  std::vector<std::string> seen;
  std::string q;
  std::size_t start = 0;
  while (start < normalized.size() && seen.size() < 32) {
    std::size_t end = normalized.find(' ', start);
    if (end == std::string::npos) end = normalized.size();
    std::string w = normalized.substr(start, end - start);
    start = end + 1;
    // Four bytes: two Arabic-script letters or four Latin ones.
    if (w.size() < 4 || is_stop_word(w) || std::find(seen.begin(), seen.end(), w) != seen.end()) {
      crypto::wipe(w.data(), w.size());
      continue;
    }
    if (!q.empty()) q += " OR ";
    q += '"';
    for (char c : w) {
      if (c == '"') q += '"';
      q += c;
    }
    q += '"';
    seen.push_back(std::move(w));
  }
  for (auto& w : seen) crypto::wipe(w.data(), w.size());
  return q;
}

Result<std::vector<ThreadSuggestion>> suggest(Vault& vault, std::int64_t series_id, std::string_view text,
                                              std::int64_t note_id, std::size_t limit) {
  auto& db = db_of(vault);
  std::string normalized = normalize(text);
  std::string query = any_word_query(normalized);
  crypto::wipe(normalized.data(), normalized.size());
  struct WipeQuery {
    std::string& s;
    ~WipeQuery() { crypto::wipe(s.data(), s.size()); }
  } wipe_query{query};
  std::vector<ThreadSuggestion> out;
  if (query.empty()) return out;
  std::map<std::int64_t, double> score;
  {
    // A title that shares the note's words counts twice as much as a note of the thread.
    BC_ASSIGN(Statement st, db.prepare("SELECT t.id, -bm25(threads_fts) FROM threads_fts JOIN threads t ON t.id = threads_fts.rowid "
                                       "WHERE threads_fts MATCH ? AND t.series_id = ?"));
    st.bind(1, query).bind(2, series_id);
    while (true) {
      BC_ASSIGN(bool row, st.step());
      if (!row) break;
      score[st.column_int64(0)] += 2 * st.column_double(1);
    }
  }
  {
    BC_ASSIGN(Statement hits, db.prepare("SELECT rowid, -bm25(notes_fts) FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rank LIMIT 500"));
    hits.bind(1, query);
    BC_ASSIGN(Statement links, db.prepare("SELECT l.thread_id FROM thread_notes l JOIN threads t ON t.id = l.thread_id "
                                          "JOIN notes n ON n.id = l.note_id WHERE l.note_id = ? AND t.series_id = ? "
                                          "AND n.deleted_at IS NULL"));
    while (true) {
      BC_ASSIGN(bool row, hits.step());
      if (!row) break;
      if (hits.column_int64(0) == note_id) continue;
      links.reset();
      links.bind(1, hits.column_int64(0)).bind(2, series_id);
      while (true) {
        BC_ASSIGN(bool l, links.step());
        if (!l) break;
        score[links.column_int64(0)] += hits.column_double(1);
      }
    }
  }
  if (note_id != 0) {
    BC_ASSIGN(Statement linked, db.prepare("SELECT thread_id FROM thread_notes WHERE note_id = ?"));
    linked.bind(1, note_id);
    while (true) {
      BC_ASSIGN(bool row, linked.step());
      if (!row) break;
      score.erase(linked.column_int64(0));
    }
  }
  for (const auto& [id, s] : score) out.push_back({id, {}, s});
  std::sort(out.begin(), out.end(), [](const ThreadSuggestion& a, const ThreadSuggestion& b) {
    return a.score != b.score ? a.score > b.score : a.thread_id < b.thread_id;
  });
  if (out.size() > limit) out.resize(limit);
  BC_ASSIGN(Statement title, db.prepare("SELECT title FROM threads WHERE id = ?"));
  for (auto& s : out) {
    title.reset();
    title.bind(1, s.thread_id);
    BC_ASSIGN(bool row, title.step());
    if (row) s.title = title.column_string(0);
  }
  return out;
}

}  // namespace

std::string_view to_string(ThreadStatus status) {
  for (const auto& [s, name] : kNames)
    if (s == status) return name;
  return "raised";
}

std::optional<ThreadStatus> parse_thread_status(std::string_view text) {
  for (const auto& [s, name] : kNames)
    if (name == text) return s;
  return std::nullopt;
}

Result<std::int64_t> add_thread(Vault& vault, std::int64_t series_id, std::string_view title) {
  BC_TRY(validate_text("title", title, TextField::short_text));
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db_of(vault)));
  BC_TRY(require_series(vault, series_id));
  BC_ASSIGN(std::optional<std::int64_t> id,
            RecordWriter(vault).insert_thread({new_uid(), series_id, std::string(title), storage::utc_now_rfc3339()}));
  if (!id) return fail(ErrorCode::internal, "a new thread uid was already taken");
  BC_TRY(append_audit(vault, "thread.add", "thread " + std::to_string(*id)));
  BC_TRY(tx.commit());
  return *id;
}

Status link_note(Vault& vault, std::int64_t thread_id, std::int64_t note_id) {
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db_of(vault)));
  BC_ASSIGN(std::int64_t series, series_of_thread(vault, thread_id));
  BC_ASSIGN(std::int64_t note_series,
            series_of(vault, "SELECT m.series_id FROM notes n JOIN meetings m ON m.id = n.meeting_id WHERE n.id = ? AND n.deleted_at IS NULL",
                      "note", note_id));
  if (note_series != series)
    return fail(ErrorCode::bad_input, "note " + std::to_string(note_id) + " belongs to another series than thread " +
                                          std::to_string(thread_id));
  BC_ASSIGN(bool linked, RecordWriter(vault).link_thread_note(thread_id, note_id, storage::utc_now_rfc3339()));
  if (linked) BC_TRY(append_audit(vault, "thread.link", "thread " + std::to_string(thread_id) + " note " + std::to_string(note_id)));
  return tx.commit();
}

Status set_thread_status(Vault& vault, std::int64_t thread_id, ThreadStatus status, std::int64_t meeting_id) {
  BC_ASSIGN(VaultIdentity me, vault_identity(vault));
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db_of(vault)));
  BC_ASSIGN(std::int64_t series, series_of_thread(vault, thread_id));
  BC_ASSIGN(std::int64_t meeting_series, series_of(vault, "SELECT series_id FROM meetings WHERE id = ?", "meeting", meeting_id));
  if (meeting_series != series)
    return fail(ErrorCode::bad_input, "meeting " + std::to_string(meeting_id) + " belongs to another series than thread " +
                                          std::to_string(thread_id));
  BC_ASSIGN(std::string series_uid, db_of(vault).query_text("SELECT uid FROM series WHERE id = " + std::to_string(series)));
  BC_ASSIGN(std::optional<sync::Team> team, sync::load_team(vault, series_uid));
  if (team) {
    const sync::Member* m = team->member_by_fingerprint(me.fingerprint);
    if (m == nullptr || m->removed_epoch)
      return fail(ErrorCode::blocked, "only an organizer of this series' team decides a thread's status");
  }
  BC_ASSIGN(bool added, RecordWriter(vault).insert_thread_status({new_uid(), thread_id, std::string(to_string(status)), meeting_id,
                                                                  me.fingerprint, storage::utc_now_rfc3339()}));
  if (!added) return fail(ErrorCode::internal, "a new status uid was already taken");
  BC_TRY(append_audit(vault, "thread.status", "thread " + std::to_string(thread_id) + " " + std::string(to_string(status))));
  return tx.commit();
}

Result<std::vector<Thread>> list_threads(Vault& vault, std::int64_t series_id) {
  BC_TRY(require_series(vault, series_id));
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT id, uid, series_id, title, created_at FROM threads WHERE series_id = ? ORDER BY id"));
  st.bind(1, series_id);
  std::vector<Thread> out;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    out.push_back(read_thread(st));
  }
  for (auto& t : out) BC_TRY(complete(vault, t));
  return out;
}

Result<Thread> get_thread(Vault& vault, std::int64_t thread_id) {
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT id, uid, series_id, title, created_at FROM threads WHERE id = ?"));
  st.bind(1, thread_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return no_such_thread(thread_id);
  Thread t = read_thread(st);
  BC_TRY(complete(vault, t));
  return t;
}

Result<std::vector<ThreadSuggestion>> suggest_threads(Vault& vault, std::int64_t note_id, std::size_t limit) {
  BC_ASSIGN(Statement st, db_of(vault).prepare("SELECT m.series_id, n.text FROM notes n JOIN meetings m ON m.id = n.meeting_id "
                                               "WHERE n.id = ? AND n.deleted_at IS NULL"));
  st.bind(1, note_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::not_found, "there is no note " + std::to_string(note_id));
  return suggest(vault, st.column_int64(0), st.column_text(1), note_id, limit);
}

Result<std::vector<ThreadSuggestion>> suggest_threads_for_text(Vault& vault, std::int64_t series_id, std::string_view text,
                                                               std::size_t limit) {
  BC_TRY(require_series(vault, series_id));
  return suggest(vault, series_id, text, 0, limit);
}

}  // namespace bc::core
