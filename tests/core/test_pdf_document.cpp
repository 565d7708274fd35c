// PDF documents (pdf_document.h), checked with poppler's own tools on the real output: pdftotext
// gives back the text (Persian in logical order), pdfinfo the page count and metadata.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "backchannel/core/pdf_document.h"
#include "pdf_text.h"
#include "test_support.h"

using namespace bc;
using namespace bc::core;
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

namespace {

using bc::test::comparable_text;

// gMock's HasSubstr on comparable text: `expected` is made comparable the same way.
auto Shows(const std::string& expected) { return HasSubstr(comparable_text(expected)); }

class PdfDocumentTest : public ::testing::Test {
 protected:
  bc::test::TempDir dir_;

  fs::path write(const std::string& bytes, const std::string& name = "doc.pdf") {
    const fs::path p = dir_ / name;
    bc::test::write_file(p, bytes);
    return p;
  }
  // pdftotext of the whole file, or of pages [first, last], or of a region in points.
  static std::string text(const fs::path& pdf, std::vector<std::string> args = {}) {
    return bc::test::pdftotext(pdf, std::move(args));
  }
  static std::string page_text(const fs::path& pdf, int page) {
    return text(pdf, {"-f", std::to_string(page), "-l", std::to_string(page)});
  }
  static std::string info(const fs::path& pdf) { return bc::test::pdfinfo(pdf); }
  static int pages(const fs::path& pdf) {
    std::smatch m;
    const std::string i = info(pdf);
    static const std::regex kPages("\nPages: +([0-9]+)\n");
    return std::regex_search(i, m, kPages) ? std::stoi(m[1].str()) : -1;
  }
  std::string render(const PdfDocument& d, const PdfFontOptions& f = {}) {
    auto r = render_pdf(d, f);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::string();
  }
};

// A bilingual document: both languages of every block, Persian with ZWNJ inside words, digits
// and a Latin name inside the Persian, markup characters that must print as themselves.
PdfDocument bilingual(PdfLayout layout) {
  PdfDocument d;
  d.title = "Shared rivers: a joint paper";
  d.layout = layout;
  d.blocks = {
      {PdfBlockKind::heading, "", "Proposals", "پیشنهادها"},
      {PdfBlockKind::paragraph, "",
       "The participants proposed that satellite data on the Helmand basin be published jointly, and that experts "
       "from both countries review it together before the next round <in Vienna> & elsewhere.",
       "شرکت‌کنندگان پیشنهاد کردند که داده‌های ماهواره‌ای حوضه هیرمند به‌صورت مشترک منتشر شود و کارشناسان هر دو "
       "کشور پیش از دور بعدی آن را با هم بررسی کنند."},
      {PdfBlockKind::subheading, "", "Points of agreement", "نقاط توافق"},
      {PdfBlockKind::list_item, "Participant A:", "Dust storms over the Sistan region need a shared early warning.",
       "طوفان‌های گرد و غبار در منطقه سیستان به هشدار زودهنگام مشترک نیاز دارند."},
      {PdfBlockKind::list_item, "", "Water sharing follows the 1973 treaty.",
       "تقسیم آب از معاهده ۱۹۷۳ پیروی می‌کند و UNEP میزبان داده‌ها خواهد بود."},
  };
  return d;
}

TEST_F(PdfDocumentTest, ParallelColumnsRoundTripBothLanguagesInLogicalOrder) {
  const PdfDocument d = bilingual(PdfLayout::parallel_columns);
  const fs::path pdf = write(render(d));
  EXPECT_EQ(pages(pdf), 1);
  // Each column on its own: the left half of the page holds the English, the right half the
  // Persian (pdftotext's crop box is in points at its default 72 dpi).
  const std::string left = comparable_text(text(pdf, {"-x", "0", "-y", "105", "-W", "297", "-H", "690"}));
  const std::string right = comparable_text(text(pdf, {"-x", "298", "-y", "105", "-W", "297", "-H", "690"}));
  for (const auto& b : d.blocks) {
    const std::string english = comparable_text(b.lead.empty() ? b.english : b.lead + " " + b.english);
    EXPECT_THAT(left, HasSubstr(english));
    EXPECT_THAT(right, HasSubstr(comparable_text(b.persian)));
    EXPECT_THAT(left, Not(HasSubstr(comparable_text(b.persian))));
  }
  const std::string all = comparable_text(text(pdf));
  EXPECT_THAT(all, Shows(d.title));
  EXPECT_THAT(all, Shows("Not for publication"));
  EXPECT_THAT(all, Shows("Page 1 of 1"));
}

TEST_F(PdfDocumentTest, EnglishThenPersianPutsThePersianTextAfterTheEnglishFromANewPage) {
  const PdfDocument d = bilingual(PdfLayout::english_then_persian);
  const fs::path pdf = write(render(d));
  ASSERT_EQ(pages(pdf), 2);
  const std::string first = comparable_text(page_text(pdf, 1)), second = comparable_text(page_text(pdf, 2));
  std::size_t at = 0;
  for (const auto& b : d.blocks) {
    const std::string english = comparable_text(b.lead.empty() ? b.english : b.lead + " " + b.english);
    const std::size_t found = first.find(english, at);
    EXPECT_NE(found, std::string::npos) << english;
    if (found != std::string::npos) at = found;  // in document order
    EXPECT_THAT(first, Not(HasSubstr(comparable_text(b.persian))));
  }
  at = 0;
  for (const auto& b : d.blocks) {
    const std::string persian = comparable_text(b.persian);
    const std::size_t found = second.find(persian, at);
    EXPECT_NE(found, std::string::npos) << persian;
    if (found != std::string::npos) at = found;
  }
  EXPECT_THAT(second, Shows("Not for publication"));
  EXPECT_THAT(second, Shows("Page 2 of 2"));
}

TEST_F(PdfDocumentTest, ALongDocumentBreaksIntoNumberedPagesEachWithTheHeaderAndCopyLine) {
  PdfDocument d;
  d.title = "A long paper";
  d.classification = "Not for publication: for officials only";
  d.copy = PdfCopyNumber{3, 12};
  d.layout = PdfLayout::parallel_columns;
  for (int i = 0; i < 120; ++i) {
    if (i % 10 == 0) d.blocks.push_back({PdfBlockKind::heading, "", "Section " + std::to_string(i / 10 + 1), "بخش"});
    d.blocks.push_back({PdfBlockKind::paragraph, "",
                        "Paragraph " + std::to_string(i) +
                            " says that the two delegations discussed water, dust storms and data exchange at some "
                            "length, and agreed to meet again.",
                        "بند " + std::to_string(i) +
                            " می‌گوید که دو هیئت درباره آب، طوفان‌های گرد و غبار و تبادل داده‌ها به تفصیل گفتگو کردند."});
  }
  const fs::path pdf = write(render(d));
  const int n = pages(pdf);
  // 132 blocks of two to four lines each: far more than one page, far fewer than one a page.
  EXPECT_GT(n, 5);
  EXPECT_LT(n, 40);
  std::string left, right;
  for (int p = 1; p <= n; ++p) {
    const std::string t = comparable_text(page_text(pdf, p));
    EXPECT_THAT(t, Shows("Not for publication: for officials only")) << "page " << p;
    EXPECT_THAT(t, Shows("Copy 3 of 12")) << "page " << p;
    EXPECT_THAT(t, Shows("Page " + std::to_string(p) + " of " + std::to_string(n))) << "page " << p;
    const std::string page = std::to_string(p);
    left += comparable_text(text(pdf, {"-f", page, "-l", page, "-x", "0", "-y", "60", "-W", "297", "-H", "720"})) + " ";
    right += comparable_text(text(pdf, {"-f", page, "-l", page, "-x", "298", "-y", "60", "-W", "297", "-H", "720"})) + " ";
  }
  // No line lost or repeated at a page break: every paragraph once, in order, in each column.
  for (const bool persian : {false, true}) {
    const std::string& column = persian ? right : left;
    std::size_t at = 0;
    for (const auto& b : d.blocks) {
      if (b.kind != PdfBlockKind::paragraph) continue;
      const std::string p = comparable_text(persian ? b.persian : b.english);
      const std::size_t found = column.find(p, at);
      ASSERT_NE(found, std::string::npos) << p << " is missing or out of order";
      EXPECT_EQ(column.find(p, found + 1), std::string::npos) << p << " appears twice";
      at = found;
    }
  }
}

TEST_F(PdfDocumentTest, APersianTextAfterAnEnglishLeadKeepsItsOwnDirection) {
  // "Participant A:" then a Persian sentence: the sentence runs right to left on its own, so its
  // full stop is drawn at its left end, between the label and the Persian letters (and not at the
  // right, before the sentence's first word, as one left-to-right paragraph would put it).
  PdfDocument d;
  d.title = "Lead";
  d.layout = PdfLayout::english_then_persian;
  d.blocks = {{PdfBlockKind::list_item, "Participant A:", "پایان کار.", ""}};
  const std::string boxes = text(write(render(d)), {"-bbox"});
  static const std::regex kWord("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\"[^>]*>([^<]*)</word>");
  double label_end = -1, stop = -1, first_persian = 1e9;
  for (auto it = std::sregex_iterator(boxes.begin(), boxes.end(), kWord); it != std::sregex_iterator(); ++it) {
    const double x_min = std::stod((*it)[1].str()), x_max = std::stod((*it)[2].str());
    const std::string w = (*it)[3].str();
    if (w == "A:") label_end = x_max;
    else if (w == ".") stop = x_min;
    else if (static_cast<unsigned char>(w[0]) >= 0xD8 && static_cast<unsigned char>(w[0]) <= 0xDB)
      first_persian = std::min(first_persian, x_min);
  }
  ASSERT_GT(label_end, 0) << boxes;
  ASSERT_GT(stop, 0) << boxes;
  EXPECT_GT(stop, label_end) << boxes;
  EXPECT_LT(stop, first_persian) << boxes;
}

TEST_F(PdfDocumentTest, TheCopyLineAppearsOnlyWhenAsked) {
  PdfDocument d = bilingual(PdfLayout::parallel_columns);
  EXPECT_THAT(comparable_text(text(write(render(d)))), Not(HasSubstr("Copy")));
  d.copy = PdfCopyNumber{1, 5};
  EXPECT_THAT(comparable_text(text(write(render(d)))), Shows("Copy 1 of 5"));
  d.copy = PdfCopyNumber{6, 5};
  auto bad = render_pdf(d);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::bad_input);
}

TEST_F(PdfDocumentTest, PdfTextsListEverythingTheRendererDraws) {
  PdfDocument d = bilingual(PdfLayout::parallel_columns);
  d.copy = PdfCopyNumber{2, 3};
  const auto texts = pdf_texts(d);
  ASSERT_EQ(texts.size(), 3 + 2 * d.blocks.size());
  EXPECT_EQ(texts[0].text, d.title);
  EXPECT_EQ(texts[1].text, "Not for publication");
  EXPECT_EQ(texts[2].text, "Copy 2 of 3");
  EXPECT_EQ(texts[9].text, "Participant A: Dust storms over the Sistan region need a shared early warning.");
  EXPECT_EQ(texts[9].block, 3u);
  EXPECT_EQ(texts[10].text, d.blocks[3].persian);
  EXPECT_EQ(texts[10].block, 3u);
  // The PDF's text is exactly these (the header line and the copy line on each page), plus page
  // numbers and bullets.
  d.layout = PdfLayout::english_then_persian;
  std::string printed = comparable_text(text(write(render(d))));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string c = comparable_text(texts[i].text);
    auto at = printed.find(c);
    ASSERT_NE(at, std::string::npos) << texts[i].text;
    do {
      printed.replace(at, c.size(), " ");
    } while ((i == 1 || i == 2) && (at = printed.find(c)) != std::string::npos);
  }
  EXPECT_EQ(comparable_text(std::regex_replace(printed, std::regex("Page [12] of 2|\u2022"), " ")), "");
}

TEST_F(PdfDocumentTest, TwoRendersAreByteIdenticalAndTheMetadataNamesNobody) {
  PdfDocument d = bilingual(PdfLayout::parallel_columns);
  d.date = "2008-04-09";
  const std::string first = render(d);
  ::sleep(1);  // a clock in the metadata would show now
  const std::string second = render(d);
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(first == second) << "two renders of the same document differ";
  const fs::path pdf = write(first);
  const std::string i = info(pdf);
  EXPECT_THAT(i, HasSubstr("Title:           Shared rivers: a joint paper\n"));
  EXPECT_THAT(i, HasSubstr("Creator:         Backchannel\n"));
  EXPECT_THAT(i, HasSubstr("Producer:        cairo"));
  EXPECT_THAT(i, HasSubstr("CreationDate:    Wed Apr  9 00:00:00 2008"));
  EXPECT_THAT(i, HasSubstr("ModDate:         Wed Apr  9 00:00:00 2008"));
  EXPECT_THAT(i, Not(HasSubstr("Author:")));
  EXPECT_THAT(i, HasSubstr("Metadata Stream: no\n"));
  EXPECT_FALSE(std::regex_search(first, std::regex("/ID *\\[|/Author|/Subject|/Keywords")))
      << "a document ID or a field naming someone";
  // Nothing about who printed it, or where.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::vector<std::string> names = {host};
  for (const char* v : {"USER", "LOGNAME", "HOME"})
    if (const char* s = std::getenv(v); s && *s) names.emplace_back(s);
  names.push_back(fs::current_path().string());
  for (const auto& n : names) {
    if (n.size() < 3) continue;
    EXPECT_EQ(first.find(n), std::string::npos) << "the PDF bytes contain " << n;
    EXPECT_THAT(i, Not(HasSubstr(n)));
  }
  // Without a date of its own, the PDF has none at all (never the time of printing).
  d.date.reset();
  const std::string undated = info(write(render(d), "undated.pdf"));
  EXPECT_THAT(undated, Not(HasSubstr("CreationDate:")));
  EXPECT_THAT(undated, Not(HasSubstr("ModDate:")));
  d.date = "9 April 2008";
  auto bad = render_pdf(d);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::bad_input);
}

TEST_F(PdfDocumentTest, AMissingFontIsOneClearErrorNamingThePackage) {
  const PdfDocument d = bilingual(PdfLayout::parallel_columns);
  const fs::path empty = dir_ / "no-fonts";
  fs::create_directories(empty);
  auto none = render_pdf(d, {empty});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::io);
  EXPECT_EQ(none.error().message,
            "cannot draw the PDF: the font Noto Serif is not installed (install the Debian package fonts-noto-core)");

  // With the Latin font alone, the Persian one is named.
  const fs::path latin_only = dir_ / "latin-only";
  fs::create_directories(latin_only);
  const fs::path system_fonts = "/usr/share/fonts/truetype/noto";
  for (const char* f : {"NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"}) fs::copy_file(system_fonts / f, latin_only / f);
  auto no_persian = render_pdf(d, {latin_only});
  ASSERT_FALSE(no_persian.ok());
  EXPECT_EQ(no_persian.error().message,
            "cannot draw the PDF: the font Noto Naskh Arabic is not installed (install the Debian package fonts-noto-core)");

  // Both families in the folder are enough.
  for (const char* f : {"NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"})
    fs::copy_file(system_fonts / f, latin_only / f);
  auto both = render_pdf(d, {latin_only});
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_THAT(comparable_text(text(write(*both), {"-x", "298", "-y", "105", "-W", "297", "-H", "690"})),
              HasSubstr(comparable_text(d.blocks[1].persian)));
}

}  // namespace
