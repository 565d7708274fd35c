// inbox import|list|show, review, review export: the participant's side of the review loop.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "backchannel/core/review.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

Status run_inbox_import(Context& ctx, const std::string& file, const std::optional<std::string>& trust) {
  BC_ASSIGN(files::InputFile in, files::InputFile::open(file));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::ImportedPackage p, core::import_package(vault, in.reader(), trust));
  if (p.already_present) print_line("already in the inbox as " + std::to_string(p.inbox_id));
  else print_line("inbox " + std::to_string(p.inbox_id) + " (from the organizer with fingerprint " + p.sender_fingerprint + ")");
  return {};
}

Status run_inbox_list(Context& ctx, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::InboxEntry> entries, core::list_inbox(vault));
  if (as_json) {
    json out = json::array();
    for (const auto& e : entries)
      out.push_back({{"id", e.id}, {"series", e.series}, {"meeting", e.meeting}, {"date", e.date},
                     {"sender_fingerprint", e.sender_fingerprint}, {"received_at", e.received_at},
                     {"statements", e.statements}, {"reviewed", e.reviewed}});
    print_json(out);
    return {};
  }
  if (entries.empty()) print_line("The inbox is empty. Import a summary package with `backchannel-cli inbox import FILE`.");
  for (const auto& e : entries)
    print_line(pad(std::to_string(e.id), 5) + pad(clip(e.series + ": " + e.meeting, 50), 52) + pad(e.date, 12) +
               std::to_string(e.reviewed) + "/" + std::to_string(e.statements) + " reviewed");
  return {};
}

Status run_inbox_show(Context& ctx, std::int64_t id, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::InboxItem item, core::get_inbox_item(vault, id));
  if (as_json) {
    json out{{"id", id}, {"summary", json::parse(item.summary_json)}};
    json review = json::array();
    for (const auto& s : item.statements)
      if (s.action) review.push_back({{"statement", s.number}, {"note", s.note_uid}, {"action", *s.action},
                                      {"text", s.correction ? json(*s.correction) : json(nullptr)}});
    out["review"] = review;
    out["comment"] = item.comment ? json(*item.comment) : json(nullptr);
    print_json(out);
    return {};
  }
  print_line(item.entry.series + ": " + item.entry.meeting + " (" + item.entry.date + ")");
  print_line("from the organizer with fingerprint " + item.entry.sender_fingerprint);
  print_line("");
  for (const auto& s : item.statements) {
    print_line("[" + std::to_string(s.number) + "]" + (s.own ? " (yours)" : "") + " " + s.attribution + ": " + s.text);
    if (s.action && *s.action == "approve") print_line("      approved");
    if (s.action && *s.action == "correct") print_line("      correction: " + s.correction.value_or(""));
  }
  if (item.comment) {
    print_line("");
    print_line("comment: " + *item.comment);
  }
  return {};
}

struct ReviewCommand {
  std::int64_t id = 0;
  std::vector<std::string> approve;
  std::vector<std::string> correct;  // pairs: NOTE TEXT
  std::optional<std::string> comment;
};

Status run_review(Context& ctx, const ReviewCommand& o) {
  core::ReviewChanges c;
  c.approve = o.approve;
  if (o.correct.size() % 2 != 0) return fail(ErrorCode::usage, "--correct takes two values: NOTE TEXT");
  for (std::size_t i = 0; i < o.correct.size(); i += 2) c.correct.push_back({o.correct[i], o.correct[i + 1]});
  c.comment = o.comment;
  if (c.approve.empty() && c.correct.empty() && !c.comment)
    return fail(ErrorCode::usage, "nothing to record: give --approve NOTE, --correct NOTE TEXT or --comment TEXT");
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::record_review(vault, o.id, c));
  BC_ASSIGN(core::InboxItem item, core::get_inbox_item(vault, o.id));
  print_line("review of inbox " + std::to_string(o.id) + ": " + std::to_string(item.entry.reviewed) + " of " +
             std::to_string(item.entry.statements) + " statements reviewed");
  return {};
}

struct ReviewExportCommand {
  std::int64_t id = 0;
  std::optional<std::string> output;
  bool force = false;
  bool armor = false;
};

Status run_review_export(Context& ctx, const ReviewExportCommand& o) {
  BC_ASSIGN(files::OutputFile out, open_output(o.output, o.force));
  if (!o.armor) BC_TRY(refuse_binary_on_terminal(out, "a binary response", "-a (armor) or -o FILE"));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::export_review(vault, o.id, out.writer(), o.armor));
  BC_TRY(out.commit());
  std::fprintf(stderr, "review written to %s, encrypted to the organizer and signed by this vault\n", out.name().c_str());
  return {};
}

}  // namespace

void add_inbox_commands(CLI::App& app, Context& ctx) {
  {
    auto* inbox = app.add_subcommand("inbox", "Summaries sent to you for review");
    inbox->require_subcommand(1);
    {
      auto file = std::make_shared<std::string>();
      auto trust = std::make_shared<std::optional<std::string>>();
      auto* cmd = inbox->add_subcommand("import", "Verify and store a summary package");
      cmd->add_option("FILE", *file, "The package (.age)")->required();
      cmd->add_option("--trust", *trust,
                      "Accept an organizer this vault does not trust for packages yet if their fingerprint is "
                      "FINGERPRINT (compare it in person first), and trust them for packages from now on");
      cmd->callback([&ctx, file, trust] { ctx.action = [&ctx, file, trust] { return run_inbox_import(ctx, *file, *trust); }; });
    }
    {
      auto as_json = std::make_shared<bool>(false);
      auto* cmd = inbox->add_subcommand("list", "List received summaries");
      cmd->add_flag("--json", *as_json, "Print JSON");
      cmd->callback([&ctx, as_json] { ctx.action = [&ctx, as_json] { return run_inbox_list(ctx, *as_json); }; });
    }
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto as_json = std::make_shared<bool>(false);
      auto* cmd = inbox->add_subcommand("show", "Show a received summary with numbered statements and your review so far");
      cmd->add_option("ID", *id, "Inbox id")->required();
      cmd->add_flag("--json", *as_json, "Print JSON");
      cmd->callback([&ctx, id, as_json] { ctx.action = [&ctx, id, as_json] { return run_inbox_show(ctx, *id, *as_json); }; });
    }
  }
  {
    auto o = std::make_shared<ReviewCommand>();
    auto* review = app.add_subcommand("review", "Record your review of a received summary, or export it for the organizer");
    review->add_option("ID", o->id, "Inbox id");
    review->add_option("--approve", o->approve, "Approve statement NOTE (its number in `inbox show`, or its id); repeat");
    review->add_option("--correct", o->correct, "Correct statement NOTE with TEXT; repeat")->expected(2)->allow_extra_args(false);
    review->add_option("--comment", o->comment, "A comment on the whole summary");
    review->callback([&ctx, o, review] {
      if (review->get_subcommands().empty()) ctx.action = [&ctx, o] {
        if (o->id == 0) return Status(fail(ErrorCode::usage, "review needs the inbox ID"));
        return run_review(ctx, *o);
      };
    });
    auto e = std::make_shared<ReviewExportCommand>();
    auto* cmd = review->add_subcommand("export", "Write your review, encrypted to the organizer and signed by this vault");
    cmd->add_option("ID", e->id, "Inbox id")->required();
    add_output_options(cmd, e->output, e->force, "the response", true);
    cmd->add_flag("-a,--armor", e->armor, "Write ASCII-armored age");
    cmd->callback([&ctx, e] { ctx.action = [&ctx, e] { return run_review_export(ctx, *e); }; });
  }
}

}  // namespace bc::cli
