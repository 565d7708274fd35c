// Lays a PdfDocument out with Pango (HarfBuzz shapes, the bidi algorithm orders) and writes it
// through Cairo's PDF surface. Every block is laid out first, then cut into pages line by line,
// so that the page count is known when each page's "Page N of M" is drawn.
#include "backchannel/core/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <algorithm>
#include <memory>
#include <string_view>

namespace bc::core {

namespace {

// ---- Page geometry, in points (A4) ----
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMarginX = 62;
constexpr double kContentTop = 76;
constexpr double kContentBottom = kPageHeight - 64;
constexpr double kHeaderTop = 34;
constexpr double kFooterTop = kPageHeight - 44;
constexpr double kGutter = 22;
constexpr double kBulletIndent = 14;
constexpr double kContentWidth = kPageWidth - 2 * kMarginX;

struct Style {
  double size;  // points
  bool bold;
  double before;  // space above the block (not at the top of a page)
  double after;
};

Style style_of(PdfBlockKind kind) {
  switch (kind) {
    case PdfBlockKind::heading: return {13.5, true, 14, 5};
    case PdfBlockKind::subheading: return {11.5, true, 9, 4};
    case PdfBlockKind::paragraph: return {10.5, false, 0, 7};
    case PdfBlockKind::list_item: return {10.5, false, 0, 4};
  }
  return {10.5, false, 0, 7};
}
constexpr Style kTitleStyle{17, true, 0, 14};
constexpr double kHeaderSize = 8.5;
// Naskh letters are small for their body height: Persian is set a little larger to read alike.
constexpr double kPersianScale = 1.15;

struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;
struct FontDescriptionFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using FontDescription = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
struct AttrListUnref {
  void operator()(PangoAttrList* a) const { pango_attr_list_unref(a); }
};
struct CairoDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct FontOptionsDestroy {
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};

std::string english_text(const PdfBlock& b) {
  if (b.lead.empty()) return b.english;
  if (b.english.empty()) return b.lead;
  return b.lead + " " + b.english;
}

// As laid out: the text after a lead is a bidi isolate (FSI ... PDI, which draw nothing), so that
// a Persian text after an English label keeps its own direction and its full stop at its end.
std::string english_layout_text(const PdfBlock& b) {
  if (b.lead.empty() || b.english.empty()) return english_text(b);
  return b.lead + " \u2068" + b.english + "\u2069";
}

std::string copy_line(const PdfCopyNumber& c) {
  return "Copy " + std::to_string(c.number) + " of " + std::to_string(c.total);
}

// Latin text may contain Arabic-script words (names, quotations) and the other way round: each
// family list puts the other script's font second.
FontDescription font(bool persian, double size, bool bold) {
  FontDescription d(pango_font_description_new());
  const std::string families = persian ? std::string(kPdfPersianFont) + "," + kPdfLatinFont
                                       : std::string(kPdfLatinFont) + "," + kPdfPersianFont;
  pango_font_description_set_family(d.get(), families.c_str());
  pango_font_description_set_weight(d.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(d.get(), size * (persian ? kPersianScale : 1.0) * PANGO_SCALE);
  return d;
}

// A fresh font map per document: no state shared between threads or between documents, and
// fonts from a chosen folder when asked.
Result<GPtr<PangoFontMap>> make_font_map(const PdfFontOptions& options) {
  GPtr<PangoFontMap> map(pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT));
  if (!map) return fail(ErrorCode::internal, "cannot draw the PDF: Pango has no fontconfig font map");
  if (options.font_dir) {
    FcConfig* config = FcConfigCreate();
    if (!config) return fail(ErrorCode::internal, "cannot draw the PDF: fontconfig failed");
    // File by file: adding the folder would make fontconfig try to write a cache for it.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(*options.font_dir, ec)) {
      const std::string file = entry.path().string();
      if (entry.is_regular_file(ec)) FcConfigAppFontAddFile(config, reinterpret_cast<const FcChar8*>(file.c_str()));
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map.get()), config);  // holds its own reference
    FcConfigDestroy(config);
  }
  return map;
}

// Both fonts must really be there: fontconfig would otherwise substitute whatever it has, and
// the PDF would silently show other letters (or empty boxes for Persian).
Status check_fonts(PangoFontMap* map, PangoContext* context) {
  for (const char* family : {kPdfLatinFont, kPdfPersianFont}) {
    FontDescription want(pango_font_description_new());
    pango_font_description_set_family(want.get(), family);
    pango_font_description_set_absolute_size(want.get(), 10 * PANGO_SCALE);
    GPtr<PangoFont> loaded(pango_font_map_load_font(map, context, want.get()));
    bool found = false;
    if (loaded) {
      FontDescription got(pango_font_describe(loaded.get()));
      const char* name = pango_font_description_get_family(got.get());
      found = name && g_ascii_strcasecmp(name, family) == 0;
    }
    if (!found)
      return fail(ErrorCode::io, std::string("cannot draw the PDF: the font ") + family +
                                     " is not installed (install the Debian package " + kPdfFontPackage + ")");
  }
  return {};
}

struct Contexts {
  GPtr<PangoContext> ltr, rtl;
};

GPtr<PangoContext> make_context(PangoFontMap* map, bool rtl) {
  GPtr<PangoContext> c(pango_font_map_create_context(map));
  // Unrounded glyph positions and unhinted metrics: otherwise, at some sizes, the PDF's glyph
  // advances drift from the text's and pdftotext (and copy-paste) split Persian words.
  pango_context_set_round_glyph_positions(c.get(), FALSE);
  std::unique_ptr<cairo_font_options_t, FontOptionsDestroy> fo(cairo_font_options_create());
  cairo_font_options_set_hint_metrics(fo.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo.get(), CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(c.get(), fo.get());
  pango_cairo_context_set_resolution(c.get(), 72);  // one point per PDF unit
  pango_context_set_base_dir(c.get(), rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
  pango_context_set_language(c.get(), pango_language_from_string(rtl ? "fa" : "en"));
  return c;
}

// One laid-out line, in points, relative to its layout's top-left corner.
struct Line {
  PangoLayoutLine* line;
  double x;         // where the line's origin sits (alignment included)
  double top;
  double height;
  double baseline;  // from the layout's top
};

// A block's text in one language, laid out to its column.
struct Piece {
  GPtr<PangoLayout> layout;
  double x = 0;  // the text's left edge on the page
  bool bullet = false;
  bool rtl = false;
  double bullet_x = 0;
  std::vector<Line> lines;
};

// What is placed at one vertical position: one piece, or two side by side.
struct Row {
  std::vector<Piece> pieces;
  Style style{};
  bool keep_with_next = false;
  bool starts_page = false;
};

std::vector<Line> lines_of(PangoLayout* layout) {
  std::vector<Line> out;
  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical, own;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
    pango_layout_line_get_extents(line, nullptr, &own);
    out.push_back({line, static_cast<double>(logical.x - own.x) / PANGO_SCALE,
                   static_cast<double>(logical.y) / PANGO_SCALE, static_cast<double>(logical.height) / PANGO_SCALE,
                   static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE});
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  return out;
}

GPtr<PangoLayout> layout_text(PangoContext* context, const std::string& text, std::size_t bold_bytes, bool rtl,
                              double size, bool bold, double width) {
  GPtr<PangoLayout> layout(pango_layout_new(context));
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  pango_layout_set_font_description(layout.get(), font(rtl, size, bold).get());
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  if (rtl) {
    // The Persian column is right to left throughout, even where a paragraph starts with a
    // Latin word; without auto-direction Pango does not mirror the alignment itself.
    pango_layout_set_auto_dir(layout.get(), FALSE);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_RIGHT);
  }
  std::unique_ptr<PangoAttrList, AttrListUnref> attrs(pango_attr_list_new());
  // A word too long for the line is broken without adding a hyphen: the PDF shows exactly the
  // characters that were scanned.
  pango_attr_list_insert(attrs.get(), pango_attr_insert_hyphens_new(FALSE));
  if (bold_bytes > 0) {
    PangoAttribute* b = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    b->start_index = 0;
    b->end_index = static_cast<guint>(bold_bytes);
    pango_attr_list_insert(attrs.get(), b);
  }
  pango_layout_set_attributes(layout.get(), attrs.get());
  return layout;
}

Piece make_piece(const Contexts& ctx, const std::string& text, std::size_t bold_bytes, bool rtl, const Style& st,
                 bool bullet, double x, double width) {
  Piece p;
  p.rtl = rtl;
  p.bullet = bullet;
  const double indent = bullet ? kBulletIndent : 0;
  p.x = rtl ? x : x + indent;
  p.bullet_x = rtl ? x + width - indent + 4 : x + 2;
  p.layout = layout_text(rtl ? ctx.rtl.get() : ctx.ltr.get(), text, bold_bytes, rtl, st.size, st.bold, width - indent);
  p.lines = lines_of(p.layout.get());
  return p;
}

// Where each line lands: pages of (line, x, baseline).
struct Placed {
  PangoLayoutLine* line;
  double x, baseline;
};

class Paginator {
 public:
  std::vector<std::vector<Placed>> pages{1};

  void place(std::vector<Row>& rows, PangoLayout* bullet) {
    for (std::size_t r = 0; r < rows.size(); ++r) {
      Row& row = rows[r];
      if (row.starts_page && y_ > kContentTop) new_page();
      if (y_ > kContentTop) y_ += row.style.before;
      // A heading moves to the next page rather than end one.
      if (row.keep_with_next && r + 1 < rows.size() && y_ > kContentTop &&
          y_ + height_of_first_lines(row) + rows[r + 1].style.before + height_of_first_lines(rows[r + 1]) > kContentBottom)
        new_page();
      std::vector<std::size_t> next(row.pieces.size(), 0);
      for (;;) {
        double used = 0;
        bool remaining = false;
        for (std::size_t i = 0; i < row.pieces.size(); ++i) {
          Piece& p = row.pieces[i];
          const std::size_t begin = next[i];
          std::size_t end = begin;
          while (end < p.lines.size() &&
                 (y_ + p.lines[end].top + p.lines[end].height - p.lines[begin].top <= kContentBottom ||
                  (end == begin && y_ == kContentTop)))  // a line taller than a page still goes somewhere
            ++end;
          for (std::size_t l = begin; l < end; ++l) {
            const Line& line = p.lines[l];
            const double baseline = y_ + line.baseline - p.lines[begin].top;
            pages.back().push_back({line.line, p.x + line.x, baseline});
            if (l == 0 && p.bullet) pages.back().push_back({pango_layout_get_line_readonly(bullet, 0), p.bullet_x, baseline});
          }
          if (end > begin) used = std::max(used, p.lines[end - 1].top + p.lines[end - 1].height - p.lines[begin].top);
          next[i] = end;
          remaining = remaining || end < p.lines.size();
        }
        y_ += used;
        if (!remaining) break;
        new_page();  // the rest of the row, every column at the top of the next page
      }
      y_ += row.style.after;
    }
  }

 private:
  double y_ = kContentTop;

  void new_page() {
    pages.emplace_back();
    y_ = kContentTop;
  }
  static double height_of_first_lines(const Row& row) {
    double h = 0;
    for (const auto& p : row.pieces)
      if (!p.lines.empty()) h = std::max(h, p.lines.front().height);
    return h;
  }
};

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (d[i] < '0' || d[i] > '9') return false;
  const int month = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

std::vector<PdfText> pdf_texts(const PdfDocument& document) {
  std::vector<PdfText> out;
  out.push_back({document.title, std::nullopt});
  out.push_back({document.classification, std::nullopt});
  if (document.copy) out.push_back({copy_line(*document.copy), std::nullopt});
  for (std::size_t i = 0; i < document.blocks.size(); ++i) {
    const PdfBlock& b = document.blocks[i];
    if (std::string e = english_text(b); !e.empty()) out.push_back({std::move(e), i});
    if (!b.persian.empty()) out.push_back({b.persian, i});
  }
  return out;
}

Result<std::string> render_pdf(const PdfDocument& document, const PdfFontOptions& fonts) {
  if (document.date && !valid_date(*document.date))
    return fail(ErrorCode::bad_input, "a document's date must be written YYYY-MM-DD");
  if (document.copy && (document.copy->number < 1 || document.copy->number > document.copy->total))
    return fail(ErrorCode::bad_input, "a copy number must be between 1 and the number of copies");

  BC_ASSIGN(GPtr<PangoFontMap> map, make_font_map(fonts));
  Contexts ctx{make_context(map.get(), false), make_context(map.get(), true)};
  BC_TRY(check_fonts(map.get(), ctx.ltr.get()));

  // ---- Lay every block out ----
  std::vector<Row> rows;
  {
    Row title;
    title.style = kTitleStyle;
    title.pieces.push_back(make_piece(ctx, document.title, 0, false, kTitleStyle, false, kMarginX, kContentWidth));
    rows.push_back(std::move(title));
  }
  const bool parallel = document.layout == PdfLayout::parallel_columns;
  const double column = (kContentWidth - kGutter) / 2;
  auto english_row = [&](const PdfBlock& b, bool with_persian) {
    Row row;
    row.style = style_of(b.kind);
    row.keep_with_next = b.kind == PdfBlockKind::heading || b.kind == PdfBlockKind::subheading;
    const bool bullet = b.kind == PdfBlockKind::list_item;
    const std::string text = english_layout_text(b);
    const double width = with_persian ? column : kContentWidth;
    if (!text.empty()) row.pieces.push_back(make_piece(ctx, text, b.lead.size(), false, row.style, bullet, kMarginX, width));
    if (with_persian)
      row.pieces.push_back(make_piece(ctx, b.persian, 0, true, row.style, bullet, kMarginX + column + kGutter, column));
    return row;
  };
  for (const PdfBlock& b : document.blocks) {
    Row row = english_row(b, parallel && !b.persian.empty());
    if (!row.pieces.empty()) rows.push_back(std::move(row));
  }
  if (!parallel) {
    bool first = true;
    for (const PdfBlock& b : document.blocks) {
      if (b.persian.empty()) continue;
      Row row;
      row.style = style_of(b.kind);
      row.keep_with_next = b.kind == PdfBlockKind::heading || b.kind == PdfBlockKind::subheading;
      row.starts_page = first;
      first = false;
      row.pieces.push_back(make_piece(ctx, b.persian, 0, true, row.style, b.kind == PdfBlockKind::list_item, kMarginX, kContentWidth));
      rows.push_back(std::move(row));
    }
  }

  // ---- Cut into pages ----
  GPtr<PangoLayout> bullet_ltr = layout_text(ctx.ltr.get(), "\u2022", 0, false, style_of(PdfBlockKind::list_item).size, false, 20);
  Paginator pager;
  pager.place(rows, bullet_ltr.get());
  const std::size_t page_count = pager.pages.size();

  // ---- Draw ----
  std::string out;
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(
      cairo_pdf_surface_create_for_stream(append_bytes, &out, kPageWidth, kPageHeight));
  // Metadata that is the same for every copy and names nobody: the title (part of the text), a
  // fixed creator, Cairo's producer string, and the document's own date or none (Cairo would
  // otherwise write the time of printing).
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Backchannel");
  const std::string date = document.date.value_or("");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));

  const Style header_style{kHeaderSize, false, 0, 0};
  GPtr<PangoLayout> classification =
      layout_text(ctx.ltr.get(), document.classification, document.classification.size(), false, header_style.size, true, kContentWidth);
  GPtr<PangoLayout> copy;
  if (document.copy) {
    copy = layout_text(ctx.ltr.get(), copy_line(*document.copy), 0, false, header_style.size, false, kContentWidth);
    pango_layout_set_alignment(copy.get(), PANGO_ALIGN_RIGHT);
  }
  for (std::size_t page = 0; page < page_count; ++page) {
    cairo_set_source_rgb(cr.get(), 0.25, 0.25, 0.25);
    cairo_move_to(cr.get(), kMarginX, kHeaderTop);
    pango_cairo_show_layout(cr.get(), classification.get());
    if (copy) {
      cairo_move_to(cr.get(), kMarginX, kHeaderTop);
      pango_cairo_show_layout(cr.get(), copy.get());
    }
    cairo_set_line_width(cr.get(), 0.5);
    cairo_move_to(cr.get(), kMarginX, kHeaderTop + 16);
    cairo_line_to(cr.get(), kPageWidth - kMarginX, kHeaderTop + 16);
    cairo_stroke(cr.get());
    GPtr<PangoLayout> number = layout_text(ctx.ltr.get(),
                                           "Page " + std::to_string(page + 1) + " of " + std::to_string(page_count), 0,
                                           false, header_style.size, false, kContentWidth);
    pango_layout_set_alignment(number.get(), PANGO_ALIGN_CENTER);
    cairo_move_to(cr.get(), kMarginX, kFooterTop);
    pango_cairo_show_layout(cr.get(), number.get());

    cairo_set_source_rgb(cr.get(), 0, 0, 0);
    for (const Placed& p : pager.pages[page]) {
      cairo_move_to(cr.get(), p.x, p.baseline);
      pango_cairo_show_layout_line(cr.get(), p.line);
    }
    cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return fail(ErrorCode::internal, std::string("cannot draw the PDF: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  return out;
}

}  // namespace bc::core
