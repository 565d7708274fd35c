// PDF benchmarks: a meeting summary that prints on about 30 pages, as a PDF next to the same
// summary as Markdown (the reference, same vault, same run); and a 30-page bilingual document in
// parallel columns (the joint paper's shape), from the same notes. Both beyond unlocking: the
// vault is opened once, before timing.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "backchannel/core/meeting_import.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/pdf_document.h"
#include "backchannel/core/summary.h"
#include "bench_data.h"
#include "dataset.h"

using namespace bc;
namespace fs = std::filesystem;

namespace {

// One meeting of this many notes gives a participants' summary of about 30 A4 pages (the
// benchmark reports the page count it measured).
constexpr std::size_t kNotes = 665;
constexpr std::int64_t kMeeting = 1;

// Pages of a PDF written by Cairo: one "/Type /Page" object per page ("/Type /Pages" is the tree).
int page_count(std::string_view pdf) {
  int n = 0;
  for (std::size_t at = 0; (at = pdf.find("/Type /Page", at)) != std::string_view::npos; at += 11)
    if (at + 11 < pdf.size() && pdf[at + 11] != 's') ++n;
  return n;
}

// The machine's 1-minute load average at the end of the run: the wall-clock times mean little on
// a machine that other work keeps busy, and the report says so.
void record_load(benchmark::State& state) {
  double load[1] = {0};
  if (getloadavg(load, 1) == 1) state.counters["load_1min"] = load[0];
}

core::Vault& pdf_vault() {
  static core::Vault v = [] {
    const fs::path dir = bench::data_dir() / ("vault-pdf-" + std::to_string(kNotes));
    if (!fs::exists(dir / "vault.keys")) {
      fs::create_directories(bench::data_dir());
      fs::remove_all(dir);
      auto c = core::Vault::create(dir, crypto::SecureBuffer::copy_of(std::string_view(bench::kPassphrase)),
                                   crypto::KdfProfile::interactive);
      if (!c) bench::die(c.error().message);
      bench::DatasetSpec spec;
      spec.participants = 40;
      spec.notes_per_meeting = kNotes;
      spec.meetings = 1;
      for (const auto& doc : bench::generate_meetings(spec)) {
        auto r = core::import_meeting(c->vault, doc);
        if (!r) bench::die(r.error().message);
      }
    }
    auto opened = core::Vault::open(dir, crypto::SecureBuffer::copy_of(std::string_view(bench::kPassphrase)));
    if (!opened) bench::die(opened.error().message);
    return std::move(*opened);
  }();
  return v;
}

void summarize(benchmark::State& state, core::SummaryFormat format) {
  core::Vault& v = pdf_vault();
  core::SummaryOptions opts;
  std::size_t bytes = 0;
  int pages = 0;
  for (auto _ : state) {
    auto r = core::produce_summary(v, kMeeting, opts, format);
    if (!r) bench::die(r.error().message);
    bytes = r->text.size();
    if (format == core::SummaryFormat::pdf) pages = page_count(r->text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["notes"] = static_cast<double>(kNotes);
  if (format == core::SummaryFormat::pdf) state.counters["pages"] = pages;
  record_load(state);
}

// CPU time is the whole process's (MeasureProcessCPUTime), in case a library starts a thread.
// produce_summary as a PDF: load, anonymize, leak scan of the document's texts, shape and draw.
void BM_Pdf_Summary(benchmark::State& state) { summarize(state, core::SummaryFormat::pdf); }
BENCHMARK(BM_Pdf_Summary)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly();

// The reference: the same summary as Markdown.
void BM_Pdf_SummaryMarkdownReference(benchmark::State& state) { summarize(state, core::SummaryFormat::markdown); }
BENCHMARK(BM_Pdf_SummaryMarkdownReference)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly();

// A bilingual document of 30 pages in parallel columns: English notes of the meeting on the left,
// Persian notes on the right, three to a paragraph, a heading every eight paragraphs. The number
// of paragraphs is found once, before timing, by rendering until the document has 30 pages.
const core::PdfDocument& paper() {
  static core::PdfDocument d = [] {
    auto notes = core::list_notes(pdf_vault(), kMeeting);
    if (!notes) bench::die(notes.error().message);
    std::vector<std::string> english, persian;
    for (const auto& n : *notes) {
      const bool arabic = n.text.find("\xD8") != std::string::npos || n.text.find("\xDB") != std::string::npos;
      (arabic ? persian : english).push_back(n.text);
    }
    if (english.empty() || persian.empty()) bench::die("the dataset has no English or no Persian notes");
    auto make = [&](std::size_t paragraphs) {
      core::PdfDocument doc;
      doc.title = "Joint paper (benchmark)";
      doc.date = "2026-01-15";
      doc.layout = core::PdfLayout::parallel_columns;
      for (std::size_t i = 0; i < paragraphs; ++i) {
        if (i % 8 == 0)
          doc.blocks.push_back({core::PdfBlockKind::heading, "", "Section " + std::to_string(i / 8 + 1), "بخش"});
        std::string en, fa;
        for (std::size_t k = 0; k < 3; ++k) {
          en += (k ? " " : "") + english[(3 * i + k) % english.size()];
          fa += (k ? " " : "") + persian[(3 * i + k) % persian.size()];
        }
        doc.blocks.push_back({core::PdfBlockKind::paragraph, "", std::move(en), std::move(fa)});
      }
      return doc;
    };
    std::size_t paragraphs = 60;
    for (int attempt = 0; attempt < 12; ++attempt) {
      auto pdf = core::render_pdf(make(paragraphs));
      if (!pdf) bench::die(pdf.error().message);
      const int pages = page_count(*pdf);
      if (pages == 30) return make(paragraphs);
      const std::size_t next = std::max<std::size_t>(1, paragraphs * 30 / static_cast<std::size_t>(pages));
      paragraphs = next != paragraphs ? next : paragraphs + (pages < 30 ? 1 : -1);
    }
    bench::die("could not size the bilingual document to 30 pages");
  }();
  return d;
}

void BM_Pdf_BilingualPaper30Pages(benchmark::State& state) {
  const core::PdfDocument& d = paper();
  int pages = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = core::render_pdf(d);
    if (!pdf) bench::die(pdf.error().message);
    pages = page_count(*pdf);
    bytes = pdf->size();
  }
  state.counters["pages"] = pages;
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["blocks"] = static_cast<double>(d.blocks.size());
  record_load(state);
}
BENCHMARK(BM_Pdf_BilingualPaper30Pages)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly();

}  // namespace
