#include <unistd.h>

#include <cstdio>

#include "backchannel/message_text.h"
#include "cli_context.h"

namespace bc::cli {

namespace {
void write_line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}
}  // namespace

void print_json(const nlohmann::ordered_json& j) {
  write_line(json_for_terminal(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::strict)));
}

nlohmann::ordered_json optional_json(const std::optional<std::string>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

void print_line(const std::string& text) { write_line(printable_line(text)); }

void print_fields(std::initializer_list<std::string_view> fields) {
  std::string line;
  for (std::string_view f : fields) {
    if (!line.empty()) line += '\t';
    line += escape_for_message(f);
  }
  write_line(line);
}

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t n = code_points(s);
  return n >= width ? s : s + std::string(width - n, ' ');
}

std::string clip(const std::string& s, std::size_t width) {
  if (code_points(s) <= width) return s;
  std::size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == width - 1) break;
      ++n;
    }
  }
  return s.substr(0, i) + "…";
}

Status parse_audience_assignment(const std::string& s, core::Audience& audience, std::string& value) {
  const auto eq = s.find('=');
  if (eq == std::string::npos)
    return fail(ErrorCode::usage, "expected AUDIENCE=LEVEL, e.g. public=anonymous, not " + quote_for_message(s));
  auto a = core::parse_audience(s.substr(0, eq));
  if (!a) return fail(ErrorCode::usage, "unknown audience " + quote_for_message(s.substr(0, eq)) + " (use participants or public)");
  audience = *a;
  value = s.substr(eq + 1);
  return {};
}

void add_output_options(CLI::App* cmd, std::optional<std::string>& output, bool& force, const std::string& what,
                        bool required) {
  auto* o = cmd->add_option("-o,--output", output,
                            "Write " + what + " to FILE" +
                                (required ? " (\"-\": standard output)" : " (\"-\" or none: standard output)") +
                                "; an existing FILE is refused unless --force; the file appears only when complete");
  if (required) o->required();
  cmd->add_flag("--force", force, "Replace FILE if it exists (still atomically)");
}

Result<files::OutputFile> open_output(const std::optional<std::string>& output, bool force) {
  if (!output || *output == "-") return files::OutputFile::standard_output();
  return files::OutputFile::create(*output, force ? files::Overwrite::replace : files::Overwrite::refuse);
}

Status refuse_binary_on_terminal(const files::OutputFile& out, const std::string& what, const std::string& how) {
  if (out.is_standard_output() && ::isatty(STDOUT_FILENO))
    return fail(ErrorCode::usage, "refusing to write " + what + " to a terminal: use " + how);
  return {};
}

std::function<void(std::uint64_t)> progress_printer(const char* what) {
  if (!::isatty(STDERR_FILENO)) return nullptr;
  return [what](std::uint64_t done) {
    std::fprintf(stderr, "\r%s %.1f MB", what, static_cast<double>(done) / 1e6);
    std::fflush(stderr);
  };
}

void end_progress() {
  if (::isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
}

}  // namespace bc::cli
