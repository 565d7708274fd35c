// notes, note add|edit|history|delete|purge, search.
#include <nlohmann/json.hpp>

#include <memory>

#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/search.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

Status run_notes(Context& ctx, std::int64_t meeting, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::Participant> ps, core::list_participants(vault, meeting));
  BC_ASSIGN(std::vector<core::Note> notes, core::list_notes(vault, meeting));
  auto speaker_key = [&](const std::optional<std::int64_t>& id) -> std::optional<std::string> {
    if (!id) return std::nullopt;
    for (const auto& p : ps)
      if (p.id == *id) return p.key;
    return std::nullopt;
  };
  if (as_json) {
    json out = json::array();
    for (const auto& n : notes)
      out.push_back({{"id", n.id}, {"uid", n.uid}, {"speaker", optional_json(speaker_key(n.speaker_id))},
                     {"kind", core::to_string(n.kind)}, {"at", optional_json(n.at)},
                     {"visibility", core::to_string(n.visibility)}, {"text", n.text}, {"revision", n.revision}});
    print_json(out);
    return {};
  }
  for (const auto& n : notes) {
    std::string line = "[" + std::to_string(n.id) + "] " + (n.at ? n.at->substr(11, 5) : std::string("--:--")) + " " +
                       std::string(core::to_string(n.kind)) + " " + speaker_key(n.speaker_id).value_or("(organizer)");
    if (n.visibility == core::Visibility::organizers) line += " [organizers only]";
    if (n.revision > 1) line += " (edited)";
    print_line(line + ": " + n.text);
  }
  return {};
}

struct NoteAddOptions {
  std::int64_t meeting = 0;
  std::optional<std::string> speaker;
  std::string kind = "statement";
  std::string visibility = "summary";
  std::optional<std::string> at;
  std::string text;
};

Status run_note_add(Context& ctx, const NoteAddOptions& o) {
  core::NewNote n;
  n.meeting_id = o.meeting;
  n.speaker_key = o.speaker;
  n.kind = *core::parse_note_kind(o.kind);
  n.visibility = *core::parse_visibility(o.visibility);
  n.at = o.at;
  n.text = o.text;
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::int64_t id, core::add_note(vault, n));
  // Printed only now: add_note returns after the commit is durable (synchronous=FULL).
  print_line("note " + std::to_string(id));
  return {};
}

Status run_note_edit(Context& ctx, std::int64_t id, const std::string& text) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::edit_note(vault, id, text));
  BC_ASSIGN(core::Note n, core::get_note(vault, id));
  print_line("note " + std::to_string(id) + " revision " + std::to_string(n.revision));
  return {};
}

Status run_note_history(Context& ctx, std::int64_t id, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::NoteRevision> revs, core::note_revisions(vault, id));
  if (as_json) {
    json out = json::array();
    for (const auto& r : revs) out.push_back({{"revision", r.revision}, {"created_at", r.created_at}, {"text", r.text}});
    print_json(out);
    return {};
  }
  for (const auto& r : revs) print_line("revision " + std::to_string(r.revision) + " (" + r.created_at + "): " + r.text);
  return {};
}

Status run_note_delete(Context& ctx, std::int64_t id) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::delete_note(vault, id));
  print_line("note " + std::to_string(id) + " deleted (run `backchannel-cli note purge` to erase its text for good)");
  return {};
}

Status run_note_purge(Context& ctx) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::int64_t n, core::purge_deleted_notes(vault));
  print_line("purged " + std::to_string(n) + " deleted notes");
  return {};
}

Status run_search(Context& ctx, const std::string& query, bool as_json, std::size_t limit) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::SearchHit> hits, core::search_notes(vault, query, limit));
  if (as_json) {
    json out = json::array();
    for (const auto& h : hits)
      out.push_back({{"note", h.note_id}, {"meeting", h.meeting_id}, {"meeting_title", h.meeting_title},
                     {"speaker", h.speaker.empty() ? json(nullptr) : json(h.speaker)}, {"snippet", h.snippet}});
    print_json(out);
    return {};
  }
  if (hits.empty()) print_line("no notes match");
  for (const auto& h : hits)
    print_line("note " + std::to_string(h.note_id) + "  [" + clip(h.meeting_title, 30) + "]  " +
               (h.speaker.empty() ? std::string("(organizer)") : h.speaker) + ": " + h.snippet);
  return {};
}

}  // namespace

void add_note_commands(CLI::App& app, Context& ctx) {
  {
    auto meeting = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("notes", "List a meeting's notes in order");
    cmd->add_option("--meeting", *meeting, "Meeting id")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    cmd->callback([&ctx, meeting, as_json] { ctx.action = [&ctx, meeting, as_json] { return run_notes(ctx, *meeting, *as_json); }; });
  }
  {
    auto* note = app.add_subcommand("note", "Take, edit, delete and purge notes");
    note->require_subcommand(1);
    {
      auto o = std::make_shared<NoteAddOptions>();
      auto* cmd = note->add_subcommand("add", "Add a note; prints `note ID` once it is durably stored");
      cmd->add_option("--meeting", o->meeting, "Meeting id")->required();
      cmd->add_option("--speaker", o->speaker, "Participant key of the speaker (none: an organizer's note)");
      cmd->add_option("--kind", o->kind, "statement (default), question, proposal, agreement, disagreement, action, observation")
          ->check(CLI::IsMember({"statement", "question", "proposal", "agreement", "disagreement", "action", "observation"}));
      cmd->add_option("--visibility", o->visibility, "summary (default) or organizers (never leaves the vault in a summary)")
          ->check(CLI::IsMember({"summary", "organizers"}));
      cmd->add_option("--at", o->at, "When it was said (RFC 3339); default now");
      cmd->add_option("TEXT", o->text, "The note")->required();
      cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_note_add(ctx, *o); }; });
    }
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto text = std::make_shared<std::string>();
      auto* cmd = note->add_subcommand("edit", "Replace a note's text; the previous text is kept as a revision");
      cmd->add_option("ID", *id, "Note id")->required();
      cmd->add_option("TEXT", *text, "The new text")->required();
      cmd->callback([&ctx, id, text] { ctx.action = [&ctx, id, text] { return run_note_edit(ctx, *id, *text); }; });
    }
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto as_json = std::make_shared<bool>(false);
      auto* cmd = note->add_subcommand("history", "Show every revision of a note");
      cmd->add_option("ID", *id, "Note id")->required();
      cmd->add_flag("--json", *as_json, "Print JSON");
      cmd->callback([&ctx, id, as_json] { ctx.action = [&ctx, id, as_json] { return run_note_history(ctx, *id, *as_json); }; });
    }
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto* cmd = note->add_subcommand("delete", "Delete a note (hidden everywhere; its text stays until `note purge`)");
      cmd->add_option("ID", *id, "Note id")->required();
      cmd->callback([&ctx, id] { ctx.action = [&ctx, id] { return run_note_delete(ctx, *id); }; });
    }
    {
      auto* cmd = note->add_subcommand("purge", "Erase deleted notes and their revisions from the vault for good");
      cmd->callback([&ctx] { ctx.action = [&ctx] { return run_note_purge(ctx); }; });
    }
  }
  {
    auto query = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto limit = std::make_shared<std::size_t>(50);
    auto* cmd = app.add_subcommand("search", "Search all notes (any script; case and diacritics ignored)");
    cmd->add_option("QUERY", *query, "Words to find (each must appear, as a word or the start of one)")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    cmd->add_option("--limit", *limit, "At most this many results (default 50)")->check(CLI::Range(1, 10000));
    cmd->callback([&ctx, query, as_json, limit] {
      ctx.action = [&ctx, query, as_json, limit] { return run_search(ctx, *query, *as_json, *limit); };
    });
  }
}

}  // namespace bc::cli
