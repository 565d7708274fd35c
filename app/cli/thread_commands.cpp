// threads, thread add|link|set-status|show|suggest.
#include <nlohmann/json.hpp>

#include <memory>

#include "backchannel/core/threads.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

json thread_json(const core::Thread& t) {
  json history = json::array();
  for (const auto& c : t.history)
    history.push_back({{"status", core::to_string(c.status)}, {"meeting", c.meeting_id}, {"meeting_title", c.meeting_title},
                       {"decided_by", c.decided_by}, {"decided_at", c.decided_at}});
  return {{"id", t.id},           {"uid", t.uid},        {"series", t.series_id}, {"title", t.title},
          {"status", core::to_string(t.status)}, {"notes", t.note_ids}, {"history", history}};
}

Status run_threads(Context& ctx, std::int64_t series, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::Thread> all, core::list_threads(vault, series));
  if (as_json) {
    json out = json::array();
    for (const auto& t : all) out.push_back(thread_json(t));
    print_json(out);
    return {};
  }
  if (all.empty()) print_line("No threads in this series yet (`backchannel-cli thread add --series " + std::to_string(series) +
                              " --title TEXT`).");
  else print_line(pad("ID", 5) + pad("STATUS", 11) + pad("NOTES", 7) + "TITLE");
  for (const auto& t : all)
    print_line(pad(std::to_string(t.id), 5) + pad(std::string(core::to_string(t.status)), 11) +
               pad(std::to_string(t.note_ids.size()), 7) + t.title);
  return {};
}

Status run_thread_add(Context& ctx, std::int64_t series, const std::string& title) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::int64_t id, core::add_thread(vault, series, title));
  print_line("thread " + std::to_string(id));
  return {};
}

Status run_thread_link(Context& ctx, std::int64_t thread, std::int64_t note) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::link_note(vault, thread, note));
  print_line("thread " + std::to_string(thread) + " note " + std::to_string(note));
  return {};
}

Status run_thread_status(Context& ctx, std::int64_t thread, const std::string& status, std::int64_t meeting) {
  // The parser checked the spelling (IsMember); a wrong one is a usage error, exit 1.
  const auto s = core::parse_thread_status(status);
  if (!s) return fail(ErrorCode::usage, "unknown status");
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::set_thread_status(vault, thread, *s, meeting));
  print_line("thread " + std::to_string(thread) + " " + status);
  return {};
}

Status run_thread_show(Context& ctx, std::int64_t thread, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::Thread t, core::get_thread(vault, thread));
  if (as_json) {
    print_json(thread_json(t));
    return {};
  }
  print_line("thread " + std::to_string(t.id) + ": " + t.title);
  print_line("status: " + std::string(core::to_string(t.status)));
  for (const auto& c : t.history)
    print_line("  " + c.decided_at + "  " + pad(std::string(core::to_string(c.status)), 10) + " in meeting " +
               std::to_string(c.meeting_id) + " (" + c.meeting_title + "), decided by " + c.decided_by);
  std::string notes;
  for (auto n : t.note_ids) notes += (notes.empty() ? "" : " ") + std::to_string(n);
  print_line("notes: " + (notes.empty() ? std::string("none") : notes));
  return {};
}

Status run_thread_suggest(Context& ctx, std::int64_t note, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::ThreadSuggestion> found, core::suggest_threads(vault, note));
  if (as_json) {
    json out = json::array();
    for (const auto& s : found) out.push_back({{"thread", s.thread_id}, {"title", s.title}, {"score", s.score}});
    print_json(out);
    return {};
  }
  if (found.empty()) print_line("no thread matches");
  for (const auto& s : found) print_line("thread " + std::to_string(s.thread_id) + ": " + s.title);
  return {};
}

}  // namespace

void add_thread_commands(CLI::App& app, Context& ctx) {
  {
    auto series = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("threads", "List a series' threads (proposals followed across meetings) with their status");
    cmd->add_option("--series", *series, "Series id (`backchannel-cli series` lists them)")->required();
    cmd->add_flag("--json", *as_json, "Print a JSON array of threads with id, uid, title, status, notes and history");
    cmd->callback([&ctx, series, as_json] { ctx.action = [&ctx, series, as_json] { return run_threads(ctx, *series, *as_json); }; });
  }
  auto* thread = app.add_subcommand("thread", "Follow a proposal, agreement or open question across a series' meetings");
  thread->require_subcommand(1);
  {
    auto series = std::make_shared<std::int64_t>(0);
    auto title = std::make_shared<std::string>();
    auto* cmd = thread->add_subcommand("add", "Start a thread in a series; prints `thread ID`");
    cmd->add_option("--series", *series, "Series id")->required();
    cmd->add_option("--title", *title, "What the thread is about")->required();
    cmd->callback([&ctx, series, title] { ctx.action = [&ctx, series, title] { return run_thread_add(ctx, *series, *title); }; });
  }
  {
    auto id = std::make_shared<std::int64_t>(0);
    auto note = std::make_shared<std::int64_t>(0);
    auto* cmd = thread->add_subcommand("link", "Link a note (of any meeting of the series) to a thread");
    cmd->add_option("ID", *id, "Thread id")->required();
    cmd->add_option("--note", *note, "Note id")->required();
    cmd->callback([&ctx, id, note] { ctx.action = [&ctx, id, note] { return run_thread_link(ctx, *id, *note); }; });
  }
  {
    auto id = std::make_shared<std::int64_t>(0);
    auto status = std::make_shared<std::string>();
    auto meeting = std::make_shared<std::int64_t>(0);
    auto* cmd = thread->add_subcommand("set-status", "Record a thread's new status, decided in a meeting (organizers only)");
    cmd->add_option("ID", *id, "Thread id")->required();
    cmd->add_option("STATUS", *status, "raised, discussed, agreed, conveyed, taken-up or dropped")
        ->required()
        ->check(CLI::IsMember({"raised", "discussed", "agreed", "conveyed", "taken-up", "dropped"}));
    cmd->add_option("--meeting", *meeting, "The meeting in which it was decided")->required();
    cmd->callback([&ctx, id, status, meeting] {
      ctx.action = [&ctx, id, status, meeting] { return run_thread_status(ctx, *id, *status, *meeting); };
    });
  }
  {
    auto id = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = thread->add_subcommand("show", "Show a thread: its status history and notes");
    cmd->add_option("ID", *id, "Thread id")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    cmd->callback([&ctx, id, as_json] { ctx.action = [&ctx, id, as_json] { return run_thread_show(ctx, *id, *as_json); }; });
  }
  {
    auto note = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = thread->add_subcommand("suggest", "Suggest threads a note belongs to, by searching earlier threads for its words");
    cmd->add_option("--note", *note, "Note id")->required();
    cmd->add_flag("--json", *as_json, "Print JSON");
    cmd->callback([&ctx, note, as_json] { ctx.action = [&ctx, note, as_json] { return run_thread_suggest(ctx, *note, *as_json); }; });
  }
}

}  // namespace bc::cli
