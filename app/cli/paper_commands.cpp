// papers, paper create|show|approve|copy|copies|trace|cite, paper section add|set|history,
// paper author add.
#include <cmath>
#include <cstdio>
#include <memory>

#include "backchannel/core/copy_variants.h"
#include "backchannel/core/papers.h"
#include "backchannel/message_text.h"
#include "cli_context.h"
#include "secret_input.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;
namespace age = crypto::age;

// A text given inline or as a file ("-" is standard input), at most `limit` bytes.
Result<std::optional<std::string>> text_option(const std::optional<std::string>& inline_text,
                                               const std::optional<std::string>& file, const char* option,
                                               std::size_t limit) {
  if (inline_text && file)
    return fail(ErrorCode::usage, std::string("--") + option + " and --" + option + "-file cannot be combined");
  if (inline_text) return std::optional<std::string>(*inline_text);
  if (!file) return std::optional<std::string>();
  BC_ASSIGN(files::InputFile in, files::InputFile::open(*file));
  std::string text;
  std::uint8_t buf[65536];
  while (true) {
    BC_ASSIGN(std::size_t n, in.read(buf));
    if (n == 0) break;
    text.append(reinterpret_cast<const char*>(buf), n);
    if (text.size() > limit)
      return fail(ErrorCode::bad_input, std::string("--") + option + "-file: the file is larger than " + std::to_string(limit) +
                                            " bytes");
  }
  return std::optional<std::string>(std::move(text));
}

std::string stale_name(const core::PaperSection& s) {
  if (!s.stale) return {};
  return *s.stale == core::TextLanguage::english ? "en" : "fa";
}

json paper_json(const core::Paper& p, const core::VariantPaper* variants) {
  json sections = json::array();
  for (const auto& s : p.sections) {
    json cites = json::array();
    for (const auto& c : s.citations) {
      json cj{{"kind", core::to_string(c.kind)}, {"target", c.target_uid}};
      cj["note_id"] = c.note_id ? json(*c.note_id) : json(nullptr);
      cites.push_back(cj);
    }
    sections.push_back({{"id", s.id}, {"uid", s.uid}, {"position", s.position},
                        {"en", {{"text", s.english}, {"revision", s.english_revision}, {"version", s.english_version}}},
                        {"fa", {{"text", s.persian}, {"revision", s.persian_revision}, {"version", s.persian_version}}},
                        {"stale", s.stale ? json(stale_name(s)) : json(nullptr)}, {"citations", cites}});
  }
  json approvals = json::array();
  for (const auto& a : p.approvals)
    approvals.push_back({{"version", a.version}, {"author", a.fingerprint}, {"approved_at", a.approved_at}});
  json out{{"id", p.id}, {"uid", p.uid}, {"series", p.series_id}, {"title", p.title}, {"version", p.version},
           {"authors", p.authors}, {"approved", p.approved()}, {"missing_approvals", p.missing_approvals},
           {"approvals", approvals}, {"sections", sections}};
  if (variants != nullptr) {
    json points = json::array();
    for (const auto& pt : variants->points())
      points.push_back({{"text", variants->text_label(pt.text)}, {"kind", core::variant_kind_name(pt.kind)},
                        {"line", pt.line}, {"column", pt.column}, {"description", core::describe_variant_point(pt)}});
    out["structure"] = variants->structure_id();
    out["variant_points"] = points;
  }
  out["created_at"] = p.created_at;
  out["updated_at"] = p.updated_at;
  return out;
}

Status run_papers(Context& ctx, std::optional<std::int64_t> series, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::Paper> papers, core::list_papers(vault, series));
  if (as_json) {
    json out = json::array();
    for (const auto& p : papers)
      out.push_back({{"id", p.id}, {"uid", p.uid}, {"series", p.series_id}, {"title", p.title}, {"version", p.version},
                     {"sections", p.sections.size()}, {"approved", p.approved()}});
    print_json(out);
    return {};
  }
  for (const auto& p : papers)
    print_line("[" + std::to_string(p.id) + "] " + p.title + " (series " + std::to_string(p.series_id) + ", version " +
               std::to_string(p.version) + (p.approved() ? ", approved)" : ")"));
  return {};
}

Status run_show(Context& ctx, std::int64_t paper, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::Paper p, core::get_paper(vault, paper));
  BC_ASSIGN(core::VariantPaper variants, core::paper_variants(vault, paper));
  if (as_json) {
    print_json(paper_json(p, &variants));
    return {};
  }
  print_line("paper " + std::to_string(p.id) + ": " + p.title);
  print_line("series " + std::to_string(p.series_id) + ", version " + std::to_string(p.version) +
             (p.approved() ? ", approved by every author"
                           : ", waiting for " + std::to_string(p.missing_approvals.size()) + " author approval(s)"));
  for (const auto& a : p.authors) print_line("author " + a);
  for (const auto& s : p.sections) {
    std::string head = "section " + std::to_string(s.id) + " (position " + std::to_string(s.position) + ")";
    if (s.stale) head += *s.stale == core::TextLanguage::persian ? " [Persian older than the English]" : " [English older than the Persian]";
    print_line("");
    print_line(head);
    print_line("  en (revision " + std::to_string(s.english_revision) + "): " + s.english);
    print_line("  fa (revision " + std::to_string(s.persian_revision) + "): " + s.persian);
    for (const auto& c : s.citations)
      print_line("  cites " + std::string(core::to_string(c.kind)) + " " +
                 (c.note_id ? std::to_string(*c.note_id) : c.target_uid));
  }
  print_line("");
  print_line(std::to_string(variants.points().size()) + " variant points (copies differ here):");
  for (const auto& pt : variants.points())
    print_line("  " + variants.text_label(pt.text) + ", " + core::describe_variant_point(pt));
  return {};
}

struct SectionTextOptions {
  std::optional<std::string> en, en_file, fa, fa_file;
};

Status run_section_add(Context& ctx, std::int64_t paper, const SectionTextOptions& o) {
  BC_ASSIGN(std::optional<std::string> en, text_option(o.en, o.en_file, "en", core::Limits::kMaxNoteText));
  BC_ASSIGN(std::optional<std::string> fa, text_option(o.fa, o.fa_file, "fa", core::Limits::kMaxNoteText));
  if (!en) return fail(ErrorCode::usage, "a section needs its English text: --en TEXT or --en-file FILE");
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  std::optional<std::string_view> fa_view;
  if (fa) fa_view = *fa;
  BC_ASSIGN(std::int64_t id, core::add_paper_section(vault, paper, *en, fa_view));
  print_line("section " + std::to_string(id));
  return {};
}

Status run_section_set(Context& ctx, std::int64_t section, const SectionTextOptions& o) {
  BC_ASSIGN(std::optional<std::string> en, text_option(o.en, o.en_file, "en", core::Limits::kMaxNoteText));
  BC_ASSIGN(std::optional<std::string> fa, text_option(o.fa, o.fa_file, "fa", core::Limits::kMaxNoteText));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  std::optional<std::string_view> en_view, fa_view;
  if (en) en_view = *en;
  if (fa) fa_view = *fa;
  BC_TRY(core::set_paper_section(vault, section, en_view, fa_view));
  BC_ASSIGN(std::int64_t paper, core::paper_of_section(vault, section));
  BC_ASSIGN(core::Paper p, core::get_paper(vault, paper));
  print_line("section " + std::to_string(section) + " paper version " + std::to_string(p.version));
  return {};
}

Status run_section_history(Context& ctx, std::int64_t section, const std::string& language, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  const auto lang = language == "fa" ? core::TextLanguage::persian : core::TextLanguage::english;
  BC_ASSIGN(std::vector<core::PaperTextRevision> revs, core::paper_section_history(vault, section, lang));
  if (as_json) {
    json out = json::array();
    for (const auto& r : revs)
      out.push_back({{"revision", r.revision}, {"paper_version", r.paper_version}, {"text", r.text}, {"created_at", r.created_at}});
    print_json(out);
    return {};
  }
  for (const auto& r : revs)
    print_line("revision " + std::to_string(r.revision) + " (paper version " + std::to_string(r.paper_version) + ", " +
               r.created_at + "): " + r.text);
  return {};
}

Status run_approve(Context& ctx, std::int64_t paper) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::Paper p, core::approve_paper(vault, paper));
  if (p.approved())
    print_line("paper " + std::to_string(paper) + " version " + std::to_string(p.version) + " approved by every author");
  else
    print_line("paper " + std::to_string(paper) + " version " + std::to_string(p.version) + " approved; waiting for " +
               std::to_string(p.missing_approvals.size()) + " more author(s)");
  return {};
}

struct CopyOptions {
  std::int64_t paper = 0;
  std::string label;
  std::optional<std::string> recipient;
  std::optional<std::string> passphrase_file;
  bool print = false;
  std::optional<std::string> output;
  bool force = false;
  std::string audience = "public";
  std::string format = "pdf";
  std::string layout = "columns";
  std::optional<std::string> copy_number;
};

Result<core::PdfCopyNumber> parse_copy_number(const std::string& text) {
  const auto slash = text.find('/');
  auto number = [](std::string_view s) -> int {
    if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string_view::npos) return 0;
    return std::stoi(std::string(s));
  };
  if (slash != std::string::npos) {
    const int n = number(std::string_view(text).substr(0, slash));
    const int m = number(std::string_view(text).substr(slash + 1));
    if (n >= 1 && m >= n) return core::PdfCopyNumber{n, m};
  }
  return fail(ErrorCode::usage, "--copy-number: write N/M, e.g. 3/12 (1 <= N <= M)");
}

Status run_copy(Context& ctx, const CopyOptions& o) {
  const int channels = (o.recipient ? 1 : 0) + (o.passphrase_file ? 1 : 0) + (o.print ? 1 : 0);
  if (channels != 1) return fail(ErrorCode::usage, "give exactly one of --recipient age1..., --passphrase-file FILE or --print");
  core::PaperCopyRequest req;
  req.label = o.label;
  req.audience = *core::parse_audience(o.audience);
  req.format = *core::parse_paper_format(o.format);
  req.layout = o.layout == "sequential" ? core::PdfLayout::english_then_persian : core::PdfLayout::parallel_columns;
  if (o.copy_number) {
    BC_ASSIGN(core::PdfCopyNumber n, parse_copy_number(*o.copy_number));
    req.copy_number = n;
  }
  std::vector<age::Recipient> recipients;
  if (o.recipient) {
    Result<age::X25519Recipient> parsed = age::X25519Recipient::parse(*o.recipient);
    if (!parsed.ok()) return fail(ErrorCode::usage, "--recipient: " + parsed.error().message);
    recipients.emplace_back(*parsed);
    req.channel = core::CopyChannel::age;
    req.recipient = *o.recipient;
  } else if (o.passphrase_file) {
    BC_ASSIGN(crypto::SecureBuffer pass, read_secret({*o.passphrase_file, nullptr, "Passphrase for the copy: ", false, "passphrase"}));
    age::ScryptPassphrase p;
    p.passphrase = std::move(pass);
    recipients.emplace_back(std::move(p));
    req.channel = core::CopyChannel::passphrase;
  } else {
    req.channel = core::CopyChannel::print;
  }
  // Refused before any work when the file exists and --force was not given.
  BC_ASSIGN(files::OutputFile out, open_output(o.output, o.force));
  BC_TRY(refuse_binary_on_terminal(out, req.channel == core::CopyChannel::print ? "a PDF" : "an encrypted copy", "-o FILE"));
  if (req.channel == core::CopyChannel::print && req.format != core::PaperFormat::pdf)
    return fail(ErrorCode::usage, "--print writes a PDF: leave out --format or give --format pdf");
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  auto deliver = [&](const std::string& document) { return core::write_copy_file(document, recipients, out); };
  BC_ASSIGN(core::PaperCopy copy, core::make_paper_copy(vault, o.paper, req, deliver));
  print_line("copy " + copy.label + " fingerprint " + copy.fingerprint);
  if (req.channel == core::CopyChannel::print && !out.is_standard_output())
    std::fprintf(stderr, "printable copy written to %s (plaintext: print it, then delete the file)\n",
                 printable_line(out.name()).c_str());
  return {};
}

Status run_copies(Context& ctx, std::int64_t paper, bool as_json) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::PaperCopy> copies, core::list_paper_copies(vault, paper));
  if (as_json) {
    json out = json::array();
    for (const auto& c : copies)
      out.push_back({{"label", c.label}, {"version", c.version}, {"channel", core::to_string(c.channel)},
                     {"recipient", optional_json(c.recipient)}, {"audience", core::to_string(c.audience)},
                     {"format", core::to_string(c.format)}, {"fingerprint", c.fingerprint}, {"choices", c.choices},
                     {"created_at", c.created_at}});
    print_json(out);
    return {};
  }
  for (const auto& c : copies)
    print_fields({c.label, std::string(core::to_string(c.channel)), c.recipient.value_or("-"), std::string(core::to_string(c.audience)),
                  std::string(core::to_string(c.format)), "version " + std::to_string(c.version), c.fingerprint, c.created_at});
  return {};
}

// Rounded down, so that a copy is never shown more certain than it is.
std::string probability_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", std::floor(p * 10000.0) / 10000.0);
  return buf;
}

Status run_trace(Context& ctx, std::int64_t paper, const std::string& file, bool as_json) {
  BC_ASSIGN(std::optional<std::string> text, text_option(std::nullopt, file, "leaked", core::kMaxLeakBytes));
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(core::PaperTrace t, core::trace_paper(vault, paper, *text));
  const core::TraceResult& r = t.result;
  const bool named = r.verdict == core::TraceVerdict::copy;
  if (as_json) {
    json copies = json::array();
    for (const auto& c : r.copies)
      copies.push_back({{"label", c.label}, {"probability", c.probability}, {"agreements", c.agreements},
                        {"contradictions", c.contradictions}});
    json out{{"verdict", named ? "copy" : "cannot tell"},
             {"label", named ? json(r.label) : json(nullptr)},
             {"confidence", named ? json(r.confidence) : json(nullptr)},
             {"most_likely", r.label.empty() ? json(nullptr) : json(r.label)},
             {"most_likely_probability", r.confidence},
             {"reason", core::trace_reason_text(r.reason)},
             {"version", t.version},
             {"points_read", r.readings.size()},
             {"leak_words", r.leak_words},
             {"located_words", r.located_words},
             {"as_written_probability", r.as_written_probability},
             {"none_probability", r.none_probability},
             {"copies", copies},
             {"deciding", t.explanation}};
    print_json(out);
    return {};
  }
  print_line(named ? "copy " + r.label + " confidence " + probability_text(r.confidence) : std::string("cannot tell"));
  // The explanation goes to standard error: standard output is the one-line answer.
  std::fprintf(stderr, "%s; %zu variant points read in %zu of %zu words placed\n",
               printable_line(std::string(core::trace_reason_text(r.reason))).c_str(), r.readings.size(), r.located_words,
               r.leak_words);
  for (const auto& line : t.explanation) std::fprintf(stderr, "  %s\n", printable_line(line).c_str());
  return {};
}

}  // namespace

void add_paper_commands(CLI::App& app, Context& ctx) {
  {
    auto series = std::make_shared<std::optional<std::int64_t>>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("papers", "List the joint papers (of one series with --series)");
    cmd->add_option("--series", *series, "Series id");
    cmd->add_flag("--json", *as_json, "JSON array of {id, uid, series, title, version, sections, approved}");
    cmd->callback([&ctx, series, as_json] { ctx.action = [&ctx, series, as_json] { return run_papers(ctx, *series, *as_json); }; });
  }
  auto* paper = app.add_subcommand("paper", "A joint paper: bilingual sections, sign-off, registered copies, tracing");
  paper->require_subcommand(1);
  {
    struct Opts {
      std::int64_t series = 0;
      std::string title;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = paper->add_subcommand("create", "Create a paper of a series (you are its author); prints `paper <id>`");
    cmd->add_option("--series", o->series, "Series id")->required();
    cmd->add_option("--title", o->title, "Title")->required();
    cmd->callback([&ctx, o] {
      ctx.action = [&ctx, o]() -> Status {
        BC_ASSIGN(core::Vault vault, ctx.open_vault());
        BC_ASSIGN(std::int64_t id, core::create_paper(vault, o->series, o->title));
        print_line("paper " + std::to_string(id));
        return {};
      };
    });
  }
  {
    auto* section = paper->add_subcommand("section", "Add, edit or show the history of a section");
    section->require_subcommand(1);
    auto add_text_options = [](CLI::App* cmd, SectionTextOptions& o) {
      cmd->add_option("--en", o.en, "English text; alternates inline as {{first | second}}");
      cmd->add_option("--en-file", o.en_file, "Read the English text from FILE (- for standard input)");
      cmd->add_option("--fa", o.fa, "Persian text");
      cmd->add_option("--fa-file", o.fa_file, "Read the Persian text from FILE");
    };
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto o = std::make_shared<SectionTextOptions>();
      auto* cmd = section->add_subcommand("add", "Append a section; prints `section <id>`");
      cmd->add_option("paper", *id, "Paper id")->required();
      add_text_options(cmd, *o);
      cmd->callback([&ctx, id, o] { ctx.action = [&ctx, id, o] { return run_section_add(ctx, *id, *o); }; });
    }
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto o = std::make_shared<SectionTextOptions>();
      auto* cmd = section->add_subcommand("set", "Replace a section's English and/or Persian text (earlier texts are kept); "
                                                 "prints `section <id> paper version <v>`");
      cmd->add_option("section", *id, "Section id")->required();
      add_text_options(cmd, *o);
      cmd->callback([&ctx, id, o] { ctx.action = [&ctx, id, o] { return run_section_set(ctx, *id, *o); }; });
    }
    {
      auto id = std::make_shared<std::int64_t>(0);
      auto language = std::make_shared<std::string>("en");
      auto as_json = std::make_shared<bool>(false);
      auto* cmd = section->add_subcommand("history", "Every text a section had in one language, oldest first");
      cmd->add_option("section", *id, "Section id")->required();
      cmd->add_option("--language", *language, "en (default) or fa")->check(CLI::IsMember({"en", "fa"}));
      cmd->add_flag("--json", *as_json, "JSON array of {revision, paper_version, text, created_at}");
      cmd->callback([&ctx, id, language, as_json] {
        ctx.action = [&ctx, id, language, as_json] { return run_section_history(ctx, *id, *language, *as_json); };
      });
    }
  }
  {
    struct Opts {
      std::int64_t section = 0;
      std::optional<std::string> note, thread;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = paper->add_subcommand("cite", "Record that a section cites a note or a thread (organizers see it, copies never)");
    cmd->add_option("section", o->section, "Section id")->required();
    cmd->add_option("--note", o->note, "Note id (a note of the paper's series)");
    cmd->add_option("--thread", o->thread, "Thread uid");
    cmd->callback([&ctx, o] {
      ctx.action = [&ctx, o]() -> Status {
        if (o->note.has_value() == o->thread.has_value()) return fail(ErrorCode::usage, "give --note ID or --thread UID");
        BC_ASSIGN(core::Vault vault, ctx.open_vault());
        if (o->note) BC_TRY(core::cite_in_section(vault, o->section, core::CitationKind::note, *o->note));
        else BC_TRY(core::cite_in_section(vault, o->section, core::CitationKind::thread, *o->thread));
        return {};
      };
    });
  }
  {
    auto* author = paper->add_subcommand("author", "Authors of a paper");
    author->require_subcommand(1);
    auto id = std::make_shared<std::int64_t>(0);
    auto fp = std::make_shared<std::string>();
    auto* cmd = author->add_subcommand("add", "Add an organizer (by vault fingerprint) whose approval is needed too");
    cmd->add_option("paper", *id, "Paper id")->required();
    cmd->add_option("fingerprint", *fp, "Their vault fingerprint (see `identity`)")->required();
    cmd->callback([&ctx, id, fp] {
      ctx.action = [&ctx, id, fp]() -> Status {
        BC_ASSIGN(core::Vault vault, ctx.open_vault());
        return core::add_paper_author(vault, *id, *fp);
      };
    });
  }
  {
    auto id = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = paper->add_subcommand("show", "Show a paper with its sections, sources, approvals and variant points");
    cmd->add_option("paper", *id, "Paper id")->required();
    cmd->add_flag("--json", *as_json, "JSON object (docs/cli.md)");
    cmd->callback([&ctx, id, as_json] { ctx.action = [&ctx, id, as_json] { return run_show(ctx, *id, *as_json); }; });
  }
  {
    auto id = std::make_shared<std::int64_t>(0);
    auto* cmd = paper->add_subcommand("approve", "Record your approval of the paper's current version");
    cmd->add_option("paper", *id, "Paper id")->required();
    cmd->callback([&ctx, id] { ctx.action = [&ctx, id] { return run_approve(ctx, *id); }; });
  }
  {
    auto o = std::make_shared<CopyOptions>();
    auto* cmd = paper->add_subcommand(
        "copy", "Make one registered, uniquely marked copy of the approved version; exit 3 (nothing written) when it is not "
                "approved or the leak scanner finds a protected form");
    cmd->add_option("paper", o->paper, "Paper id")->required();
    cmd->add_option("--label", o->label, "The copy's name in the register (e.g. the recipient)")->required();
    cmd->add_option("--recipient", o->recipient, "Encrypt to this age recipient (age1...)");
    cmd->add_option("--passphrase-file", o->passphrase_file, "Encrypt with the passphrase in FILE (age scrypt)");
    cmd->add_flag("--print", o->print, "Write the PDF itself, to print");
    add_output_options(cmd, o->output, o->force, "the copy", true);
    cmd->add_option("--audience", o->audience, "public (default) or participants")->check(CLI::IsMember({"participants", "public"}));
    cmd->add_option("--format", o->format, "pdf (default), markdown or html: the document inside")
        ->check(CLI::IsMember({"pdf", "markdown", "html"}));
    cmd->add_option("--layout", o->layout, "columns (default: English and Persian side by side) or sequential")
        ->check(CLI::IsMember({"columns", "sequential"}));
    cmd->add_option("--copy-number", o->copy_number, "Print a visible \"Copy N of M\" line (N/M, PDF only)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_copy(ctx, *o); }; });
  }
  {
    auto id = std::make_shared<std::int64_t>(0);
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = paper->add_subcommand("copies", "The register: every copy made, to whom, by which channel, when");
    cmd->add_option("paper", *id, "Paper id")->required();
    cmd->add_flag("--json", *as_json, "JSON array of {label, version, channel, recipient, audience, format, fingerprint, choices, created_at}");
    cmd->callback([&ctx, id, as_json] { ctx.action = [&ctx, id, as_json] { return run_copies(ctx, *id, *as_json); }; });
  }
  {
    auto id = std::make_shared<std::int64_t>(0);
    auto file = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = paper->add_subcommand("trace", "Name the copy a leaked text came from (`copy LABEL confidence P`) or say "
                                               "`cannot tell`; exit 0 either way");
    cmd->add_option("paper", *id, "Paper id")->required();
    cmd->add_option("file", *file, "The leaked text (- for standard input)")->required();
    cmd->add_flag("--json", *as_json, "JSON object (docs/cli.md)");
    cmd->callback([&ctx, id, file, as_json] { ctx.action = [&ctx, id, file, as_json] { return run_trace(ctx, *id, *file, *as_json); }; });
  }
}

}  // namespace bc::cli
