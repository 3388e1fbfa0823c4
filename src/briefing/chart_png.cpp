#include "briefing/chart_png.h"

#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "briefing/kd_chart.h"
#include "briefing/style.h"

namespace clusterscope::briefing {
namespace {

constexpr double kScale = 2.5;  // 2.5 device pixels a layout unit: about 240 dpi at 16 cm wide
constexpr const char* kFont = "WenQuanYi Zen Hei, Noto Sans CJK SC, Source Han Sans SC, sans-serif";

struct Rgb {
  double r, g, b;
};
constexpr Rgb kAccent{0xb3 / 255.0, 0x26 / 255.0, 0x1e / 255.0};
constexpr Rgb kMuted{0x9a / 255.0, 0xa4 / 255.0, 0xb1 / 255.0};
constexpr Rgb kInk{0x1d / 255.0, 0x1d / 255.0, 0x1f / 255.0};
constexpr Rgb kGrey{0x55 / 255.0, 0x55 / 255.0, 0x55 / 255.0};
constexpr Rgb kGreen{0x1b / 255.0, 0x6e / 255.0, 0x3a / 255.0};
constexpr Rgb kBand{0xd5 / 255.0, 0xdb / 255.0, 0xe3 / 255.0};
constexpr Rgb kGrid{0xe4 / 255.0, 0xe4 / 255.0, 0xe4 / 255.0};

// A canvas `w` × `h` layout units wide, white, scaled for print.
class Canvas {
 public:
  Canvas(int w, int h)
      : w_(w),
        h_(h),
        surface_(
            cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(w * kScale), static_cast<int>(h * kScale)),
            cairo_surface_destroy),
        cr_(cairo_create(surface_.get()), cairo_destroy) {
    cairo_scale(cr_.get(), kScale, kScale);
    cairo_set_source_rgb(cr_.get(), 1, 1, 1);
    cairo_paint(cr_.get());
  }

  void Rect(double x, double y, double w, double h, Rgb c) {
    cairo_set_source_rgb(cr_.get(), c.r, c.g, c.b);
    cairo_rectangle(cr_.get(), x, y, w, h);
    cairo_fill(cr_.get());
  }
  void Line(double x1, double y1, double x2, double y2, Rgb c, double width = 0.8) {
    cairo_set_source_rgb(cr_.get(), c.r, c.g, c.b);
    cairo_set_line_width(cr_.get(), width);
    cairo_move_to(cr_.get(), x1, y1);
    cairo_line_to(cr_.get(), x2, y2);
    cairo_stroke(cr_.get());
  }
  // A filled polygon, or (fill = false) an open polyline, through `points`.
  void Path(const std::vector<std::pair<double, double>>& points, Rgb c, bool fill, double width = 1.6) {
    if (points.empty()) return;
    cairo_set_source_rgb(cr_.get(), c.r, c.g, c.b);
    cairo_move_to(cr_.get(), points.front().first, points.front().second);
    for (size_t i = 1; i < points.size(); ++i) cairo_line_to(cr_.get(), points[i].first, points[i].second);
    if (fill) {
      cairo_close_path(cr_.get());
      cairo_fill(cr_.get());
    } else {
      cairo_set_line_width(cr_.get(), width);
      cairo_set_line_join(cr_.get(), CAIRO_LINE_JOIN_ROUND);
      cairo_stroke(cr_.get());
    }
  }
  enum class Align { kLeft, kCentre, kRight };
  // Text with its baseline-ish top at y; returns its width.
  using LayoutPtr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;
  // `text` laid out in the chart font at `size` px, and its pixel width and height.
  LayoutPtr Layout(const std::string& text, double size, int* tw, int* th) {
    LayoutPtr layout(pango_cairo_create_layout(cr_.get()), g_object_unref);
    PangoFontDescription* font = pango_font_description_from_string(kFont);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    pango_layout_get_pixel_size(layout.get(), tw, th);
    return layout;
  }
  double Text(const std::string& text, double x, double y, double size, Rgb c, Align align = Align::kLeft) {
    int tw = 0;
    int th = 0;
    LayoutPtr layout = Layout(text, size, &tw, &th);
    double left = x;
    if (align == Align::kCentre) left = x - tw / 2.0;
    if (align == Align::kRight) left = x - tw;
    cairo_set_source_rgb(cr_.get(), c.r, c.g, c.b);
    cairo_move_to(cr_.get(), left, y - th / 2.0);
    pango_cairo_show_layout(cr_.get(), layout.get());
    return tw;
  }
  double TextWidth(const std::string& text, double size) {
    int tw = 0;
    int th = 0;
    (void)Layout(text, size, &tw, &th);
    return tw;
  }

  Png Finish() {
    cairo_surface_flush(surface_.get());
    Png png;
    png.width_px = cairo_image_surface_get_width(surface_.get());
    png.height_px = cairo_image_surface_get_height(surface_.get());
    const auto write = [](void* closure, const unsigned char* data, unsigned int length) {
      static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
      return CAIRO_STATUS_SUCCESS;
    };
    if (cairo_surface_write_to_png_stream(surface_.get(), write, &png.bytes) != CAIRO_STATUS_SUCCESS) png.bytes.clear();
    return png;
  }

  int width() const { return w_; }
  int height() const { return h_; }

 private:
  int w_, h_;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface_;
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr_;
};

struct PairRow {
  std::string label;
  double a = 0, b = 0;  // drawn against the row's own scale (or `fixed_max`)
  std::string a_text, b_text;
  bool has_b = true;
};

// Horizontal pairs of bars with a legend: the cluster (accent) above its comparison (grey).
Png Pairs(const std::vector<PairRow>& rows, const std::string& legend_a, const std::string& legend_b,
          std::optional<double> fixed_max) {
  if (rows.empty()) return {};
  const int w = 640;
  const int row_h = 40;
  const int h = 34 + row_h * static_cast<int>(rows.size());
  Canvas c(w, h);
  double label_w = 0;
  for (const auto& r : rows) label_w = std::max(label_w, c.TextWidth(r.label, 12));
  label_w = std::min(260.0, label_w + 14);
  double value_w = 0;
  for (const auto& r : rows) value_w = std::max({value_w, c.TextWidth(r.a_text, 11), c.TextWidth(r.b_text, 11)});
  const double span = w - label_w - value_w - 20;
  c.Rect(label_w, 8, 10, 10, kAccent);
  const double lw = c.Text(legend_a, label_w + 14, 13, 11, kInk);
  c.Rect(label_w + 34 + lw, 8, 10, 10, kMuted);
  c.Text(legend_b, label_w + 48 + lw, 13, 11, kInk);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const double y = 28 + static_cast<double>(i) * row_h;
    const double max = fixed_max ? *fixed_max : std::max(std::fabs(r.a), std::fabs(r.b)) * 1.05;
    const double a = max > 0 ? std::fabs(r.a) / max * span : 0;
    const double b = max > 0 ? std::fabs(r.b) / max * span : 0;
    c.Text(r.label, label_w - 8, y + 16, 12, kInk, Canvas::Align::kRight);
    c.Rect(label_w, y + 3, a, 13, kAccent);
    c.Text(r.a_text, label_w + a + 4, y + 9.5, 11, kInk);
    if (r.has_b) {
      c.Rect(label_w, y + 18, b, 13, kMuted);
      c.Text(r.b_text, label_w + b + 4, y + 24.5, 11, kGrey);
    }
  }
  return c.Finish();
}

}  // namespace

Png OutputChartPng(const BriefCharts& charts, Lang lang) {
  double max = 0;
  for (const auto& y : charts.output) max = std::max(max, y.gross_output.value_or(0));
  if (max <= 0 || charts.output.empty()) return {};
  const bool zh = lang == Lang::kZh;
  const bool billions = max >= 1e9;
  const int w = 640;
  const int h = 260;
  const double left = 20;
  const double top = 40;
  const double bottom = 205;
  Canvas c(w, h);
  c.Text(zh ? "单位：亿元；下方为同比增长"
            : fmt::format("{} yuan; growth on the previous year below", billions ? "billion" : "million"),
         left, 14, 11, kGrey);
  c.Line(left, bottom, w - 10, bottom, kGrey);
  const double slot = (w - left - 10) / static_cast<double>(charts.output.size());
  for (size_t i = 0; i < charts.output.size(); ++i) {
    const auto& y = charts.output[i];
    const double x = left + slot * static_cast<double>(i) + slot * 0.2;
    const double bw = slot * 0.6;
    if (y.gross_output) {
      const double bh = *y.gross_output / max * (bottom - top);
      const bool highlighted = charts.year != 0 ? y.year == charts.year : i + 1 == charts.output.size();
      c.Rect(x, bottom - bh, bw, bh, highlighted ? kAccent : kMuted);
      const std::string label = zh         ? fmt::format("{:.1f}", *y.gross_output / 1e8)
                                : billions ? fmt::format("{:.2f}", *y.gross_output / 1e9)
                                           : fmt::format("{:.1f}", *y.gross_output / 1e6);
      c.Text(label, x + bw / 2, bottom - bh - 9, 11, kInk, Canvas::Align::kCentre);
    }
    c.Text(std::to_string(y.year), x + bw / 2, bottom + 13, 12, kInk, Canvas::Align::kCentre);
    if (y.growth) {
      c.Text(fmt::format("{:+.1f}%", *y.growth * 100), x + bw / 2, bottom + 31, 11, *y.growth >= 0 ? kGreen : kAccent,
             Canvas::Align::kCentre);
    }
  }
  return c.Finish();
}

Png PeerChartPng(const BriefCharts& charts, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<PairRow> rows;
  for (const auto& r : charts.peers) {
    if (!r.cluster || !r.median) continue;
    rows.push_back({zh ? r.zh : r.en, *r.cluster, *r.median, FormatRatio(*r.cluster, r.unit, lang),
                    FormatRatio(*r.median, r.unit, lang), true});
  }
  return Pairs(rows, zh ? "本集群" : "this cluster", zh ? "全部集群中位数" : "median of all clusters", std::nullopt);
}

Png DimensionChartPng(const BriefCharts& charts, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<PairRow> rows;
  for (const auto& d : charts.dimensions) {
    if (!d.score) continue;
    rows.push_back({zh ? d.zh : d.en, *d.score, d.average.value_or(0),
                    zh ? fmt::format("{:.1f}分", *d.score) : fmt::format("{:.1f}", *d.score),
                    d.average ? (zh ? fmt::format("{:.1f}分", *d.average) : fmt::format("{:.1f}", *d.average)) : "",
                    d.average.has_value()});
  }
  return Pairs(rows, zh ? "本集群" : "this cluster", zh ? "参评集群平均" : "average of ranked clusters", 100.0);
}

Png KdChartPng(const BriefCharts& charts, Lang lang) {
  if (!charts.localisation) return {};
  const auto layout = LayOutKdChart(*charts.localisation, lang);
  if (!layout) return {};
  const KdChartLayout& k = *layout;
  Canvas c(static_cast<int>(k.width), static_cast<int>(k.height));
  for (const auto& t : k.y_ticks) {
    c.Line(k.left, t.at, k.right, t.at, kGrid);
    c.Text(t.label, k.left - 4, t.at, 10, kGrey, Canvas::Align::kRight);
  }
  c.Path(k.band, kBand, true);
  c.Line(k.left, k.bottom, k.right, k.bottom, kGrey);
  c.Line(k.left, k.top, k.left, k.bottom, kGrey);
  for (const auto& t : k.x_ticks) c.Text(t.label, t.at, k.bottom + 12, 11, kInk, Canvas::Align::kCentre);
  c.Path(k.curve, kAccent, false);
  c.Line(k.left, 12, k.left + 16, 12, kAccent, 2);
  const double lw = c.Text(k.legend_curve, k.left + 20, 12, 11, kInk);
  c.Rect(k.left + 40 + lw, 7, 16, 10, kBand);
  c.Text(k.legend_band, k.left + 60 + lw, 12, 11, kInk);
  c.Text(k.x_title, (k.left + k.right) / 2, k.height - 12, 11, kGrey, Canvas::Align::kCentre);
  return c.Finish();
}

}  // namespace clusterscope::briefing
