// Reading a PDF back as its reader would, with poppler's tools (Debian package poppler-utils):
// pdftotext for the text, pdfinfo for the page count and metadata. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"
#include "tty_runner.h"

namespace bc::test {

/// Runs a poppler tool on `pdf` with `args` before the file name; its stdout ("" and a test
/// failure when the tool is missing or fails).
inline std::string run_poppler(const std::string& tool, const std::filesystem::path& pdf, std::vector<std::string> args) {
  const std::string path = find_on_path(tool);
  EXPECT_FALSE(path.empty()) << tool << " is not installed (Debian package poppler-utils)";
  if (path.empty()) return {};
  args.push_back(pdf.string());
  if (tool == "pdftotext") args.push_back("-");
  const RunResult r = run_program(path, args);
  EXPECT_EQ(r.exit_code, 0) << tool << ": " << r.err;
  return r.out;
}

/// pdftotext's text of `pdf`; `args` choose pages (-f N -l N) or a region in points (-x -y -W -H).
inline std::string pdftotext(const std::filesystem::path& pdf, std::vector<std::string> args = {}) {
  return run_poppler("pdftotext", pdf, std::move(args));
}

/// pdfinfo's report on `pdf` ("Pages:", "Title:", "CreationDate:" ...).
inline std::string pdfinfo(const std::filesystem::path& pdf) { return run_poppler("pdfinfo", pdf, {}); }

/// The text a reader of PDF bytes gets: pdftotext's output without the bidi embedding controls it
/// adds around right-to-left lines, with every run of white space (a line's end included) as one
/// space. pdftotext also drops the zero-width non-joiner.
inline std::string pdf_visible_text(const std::string& pdf_bytes) {
  TempDir dir;
  write_file(dir / "read.pdf", pdf_bytes);
  std::string t = pdftotext(dir / "read.pdf");
  for (const char* control : {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e"})
    for (std::size_t at; (at = t.find(control)) != std::string::npos;) t.erase(at, 3);
  std::string out;
  for (char c : t) {
    if (c == '\n' || c == '\f' || c == ' ') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

/// Text as words, for comparing a document's text with pdftotext's. pdftotext drops the ZWNJ and
/// wraps right-to-left lines, and the left-to-right runs inside them, in bidi controls; where it
/// puts the spaces around such a run varies ("معاهده  ۱۹۷۳پیروی"), it places a full stop at the
/// edge of a right-to-left run by its own guess, and its lines end where the PDF's lines end. So
/// both sides are compared as their words in order: without those controls, the ZWNJ and
/// punctuation, split at white space and where Arabic letters meet Latin letters or digits. A
/// Persian word broken apart in the PDF, or words out of order, still fail the comparison.
inline std::string comparable_text(const std::string& s) {
  enum Kind { space, punct, arabic, other };
  auto kind = [](char32_t c) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') return space;
    if ((c < 0x80 && !std::isalnum(static_cast<int>(c))) || c == 0xAB || c == 0xBB || c == 0x2022 || c == 0x060C ||
        c == 0x061B || c == 0x061F || c == 0x06D4)
      return punct;
    if (c >= 0x0600 && c <= 0x06FF && !(c >= 0x0660 && c <= 0x0669) && !(c >= 0x06F0 && c <= 0x06F9)) return arabic;
    return other;
  };
  std::string out;
  int last = space;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : b & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    const std::string bytes = s.substr(i, n);
    i += n;
    if (c == 0x200C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
      continue;
    const int k = kind(c);
    if (k == space || k == punct) {
      last = space;
      continue;
    }
    if (!out.empty() && (last == space || k != last)) out += ' ';
    out += bytes;
    last = k;
  }
  return out;
}

}  // namespace bc::test
