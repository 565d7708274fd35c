// summary.
#include <cstdio>
#include <memory>

#include "backchannel/core/series_summary.h"
#include "backchannel/core/summary.h"
#include "backchannel/message_text.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

struct SummaryCommandOptions {
  std::optional<std::int64_t> meeting;
  std::optional<std::int64_t> series;
  std::string audience = "participants";
  std::string format = "markdown";
  std::optional<std::string> output;
  bool force = false;
  bool stable_pseudonyms = false;
};

Status run_summary(Context& ctx, const SummaryCommandOptions& o) {
  if (o.meeting.has_value() == o.series.has_value()) return fail(ErrorCode::usage, "give either --meeting ID or --series ID");
  if (o.series && o.stable_pseudonyms) return fail(ErrorCode::usage, "--stable-pseudonyms is for a meeting's summary");
  core::SummaryOptions opts;
  opts.audience = *core::parse_audience(o.audience);
  opts.stable_pseudonyms = o.stable_pseudonyms;
  const core::SummaryFormat format = *core::parse_summary_format(o.format);
  // Refused before any work when the file exists and --force was not given.
  BC_ASSIGN(files::OutputFile out, open_output(o.output, o.force));
  if (format == core::SummaryFormat::pdf) BC_TRY(refuse_binary_on_terminal(out, "a PDF", "-o FILE"));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  core::RenderedSummary r;
  if (o.series) {
    BC_ASSIGN(r, core::produce_series_summary(vault, *o.series, opts.audience, format));
  } else {
    BC_ASSIGN(r, core::produce_summary(vault, *o.meeting, opts, format));
  }
  for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", printable_line(w.message).c_str());
  BC_TRY(out.write(r.text));
  BC_TRY(out.commit());
  if (!out.is_standard_output())
    std::fprintf(stderr, "summary written to %s (plaintext: keep it as carefully as the vault)\n", out.name().c_str());
  return {};
}

}  // namespace

void add_summary_commands(CLI::App& app, Context& ctx) {
  {
    auto o = std::make_shared<SummaryCommandOptions>();
    auto* cmd = app.add_subcommand("summary",
                                   "Write a meeting's summary (or a series': what each thread became) for an audience, "
                                   "anonymized as each participant allows; exit 3 (and nothing written) if the leak "
                                   "scanner finds a protected name");
    auto* meeting = cmd->add_option("--meeting", o->meeting, "Meeting id");
    cmd->add_option("--series", o->series, "Series id: the series summary, thread by thread across its meetings")
        ->excludes(meeting);
    cmd->add_option("--audience", o->audience, "participants (default) or public")
        ->check(CLI::IsMember({"participants", "public"}));
    cmd->add_option("--format", o->format, "markdown (default), html, json or pdf (A4, to print)")
        ->check(CLI::IsMember({"markdown", "html", "json", "pdf"}));
    add_output_options(cmd, o->output, o->force, "the summary", false);
    cmd->add_flag("--stable-pseudonyms", o->stable_pseudonyms,
                  "Keep pseudonym letters the same across the series (participants audience)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_summary(ctx, *o); }; });
  }
}

}  // namespace bc::cli
