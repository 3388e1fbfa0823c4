// BriefHtml: one self-contained page — prose, three inline SVG charts and the indicator table —
// that opens without a network and prints on A4. Charts are drawn here as SVG rather than with a
// JavaScript library so the file stays small, prints as vectors and needs no script to show.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "briefing/kd_chart.h"
#include "briefing/style.h"
#include "clusterscope/briefing.h"
#include "core/text.h"

namespace clusterscope {
namespace {

constexpr const char* kAccent = "#b3261e";  // the cluster
constexpr const char* kMuted = "#9aa4b1";   // peers

// Bar labels in one unit for the whole chart: 亿元 (Chinese), billion or million yuan (English).
bool InBillions(double max_yuan) { return max_yuan >= 1e9; }
std::string MoneyLabel(double yuan, Lang lang, bool billions) {
  if (lang == Lang::kZh) return fmt::format("{:.1f}", yuan / 1e8);
  return billions ? fmt::format("{:.2f}", yuan / 1e9) : fmt::format("{:.1f}", yuan / 1e6);
}

// Gross output over the years: bars with values, growth under the years.
std::string OutputChart(const BriefCharts& c, Lang lang) {
  const int w = 640;
  const int h = 250;
  const int left = 40;
  const int bottom = 200;
  const int top = 30;
  double max = 0;
  for (const auto& y : c.output) max = std::max(max, y.gross_output.value_or(0));
  if (max <= 0 || c.output.empty()) return "";
  const double slot = static_cast<double>(w - left - 10) / static_cast<double>(c.output.size());
  std::string svg = fmt::format(
      R"(<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#444"/>)",
      w, h, text::XmlEscape(Pick(lang, "工业总产值", "gross output")), left, bottom, w - 10, bottom);
  for (size_t i = 0; i < c.output.size(); ++i) {
    const auto& y = c.output[i];
    const double x = left + slot * static_cast<double>(i) + slot * 0.2;
    const double bw = slot * 0.6;
    if (y.gross_output) {
      const double bh = (*y.gross_output / max) * (bottom - top);
      const bool last = c.year != 0 ? y.year == c.year : i + 1 == c.output.size();
      svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)", x, bottom - bh,
                         bw, bh, last ? kAccent : kMuted);
      svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle">{}</text>)", x + bw / 2,
                         bottom - bh - 5, MoneyLabel(*y.gross_output, lang, InBillions(max)));
    }
    svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="12" text-anchor="middle">{}</text>)", x + bw / 2,
                       bottom + 16, y.year);
    if (y.growth) {
      svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle" fill="{}">{:+.1f}%</text>)",
                         x + bw / 2, bottom + 32, *y.growth >= 0 ? "#1b6e3a" : kAccent, *y.growth * 100);
    }
  }
  svg += fmt::format(R"(<text x="{}" y="16" font-size="12" fill="#444">{}</text></svg>)", left,
                     text::XmlEscape(lang == Lang::kZh ? std::string("单位：亿元；下方为同比增长")
                                                       : fmt::format("{} yuan; growth on the previous year below",
                                                                     InBillions(max) ? "billion" : "million")));
  return svg;
}

// The cluster against the median of all clusters, one pair of bars per ratio (each row on its
// own scale, since the units differ).
std::string PeerChart(const BriefCharts& c, Lang lang) {
  std::vector<const BriefCharts::PeerRatio*> rows;
  for (const auto& r : c.peers) {
    if (r.cluster && r.median) rows.push_back(&r);
  }
  if (rows.empty()) return "";
  const int w = 640;
  const int row_h = 34;
  // Room for the longest label: about 12 px a CJK character and 6.5 px a Latin one at 12 px.
  double longest = 0;
  for (const auto* r : rows) {
    const std::string& label = lang == Lang::kZh ? r->zh : r->en;
    double px = 0;
    for (size_t i = 0; i < label.size();) {
      const auto lead = static_cast<unsigned char>(label[i]);
      const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      px += len >= 3 ? 12.0 : 6.5;
      i += len;
    }
    longest = std::max(longest, px);
  }
  const int label_w = static_cast<int>(std::min(300.0, longest + 14));
  const int h = 30 + row_h * static_cast<int>(rows.size());
  std::string svg =
      fmt::format(R"(<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">)", w, h,
                  text::XmlEscape(Pick(lang, "与全部集群中位数比较", "against the median of all clusters")));
  svg += fmt::format(
      R"(<rect x="{}" y="4" width="10" height="10" fill="{}"/><text x="{}" y="13" font-size="11">{}</text>)"
      R"(<rect x="{}" y="4" width="10" height="10" fill="{}"/><text x="{}" y="13" font-size="11">{}</text>)",
      label_w, kAccent, label_w + 14, text::XmlEscape(Pick(lang, "本集群", "this cluster")), label_w + 110, kMuted,
      label_w + 124, text::XmlEscape(Pick(lang, "全部集群中位数", "median of all clusters")));
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = *rows[i];
    const double y = 24 + static_cast<double>(i) * row_h;
    const double max = std::max(std::fabs(*r.cluster), std::fabs(*r.median)) * 1.15;
    const double span = w - label_w - 150;  // room for the value with its unit
    const double a = max > 0 ? std::fabs(*r.cluster) / max * span : 0;
    const double b = max > 0 ? std::fabs(*r.median) / max * span : 0;
    svg += fmt::format(R"(<text x="{}" y="{:.1f}" font-size="12" text-anchor="end">{}</text>)", label_w - 8, y + 17,
                       text::XmlEscape(lang == Lang::kZh ? r.zh : r.en));
    svg += fmt::format(R"(<rect x="{}" y="{:.1f}" width="{:.1f}" height="12" fill="{}"/>)", label_w, y + 2, a, kAccent);
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11">{}</text>)", label_w + a + 4, y + 12,
                       briefing::FormatRatio(*r.cluster, r.unit, lang));
    svg += fmt::format(R"(<rect x="{}" y="{:.1f}" width="{:.1f}" height="12" fill="{}"/>)", label_w, y + 16, b, kMuted);
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" fill="#555">{}</text>)", label_w + b + 4, y + 26,
                       briefing::FormatRatio(*r.median, r.unit, lang));
  }
  return svg + "</svg>";
}

// Evaluation dimensions, 0–100, against the average of the ranked clusters.
std::string DimensionChart(const BriefCharts& c, Lang lang) {
  if (c.dimensions.empty()) return "";
  const int w = 640;
  const int h = 220;
  const int bottom = 180;
  const int left = 40;
  const double slot = static_cast<double>(w - left - 10) / static_cast<double>(c.dimensions.size());
  std::string svg = fmt::format(R"(<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">)", w, h,
                                text::XmlEscape(Pick(lang, "评价维度得分", "evaluation dimensions")));
  for (int g = 0; g <= 100; g += 25) {
    const double y = bottom - g * 1.5;
    svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#ddd"/><text x="{}" y="{:.1f}" )"
                       R"(font-size="10" text-anchor="end" fill="#666">{}</text>)",
                       left, y, w - 10, y, left - 4, y + 3, g);
  }
  for (size_t i = 0; i < c.dimensions.size(); ++i) {
    const auto& d = c.dimensions[i];
    const double x = left + slot * static_cast<double>(i) + slot * 0.15;
    const double bw = slot * 0.3;
    if (d.score) {
      svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)", x,
                         bottom - *d.score * 1.5, bw, *d.score * 1.5, kAccent);
      svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{:.0f}</text>)", x + bw / 2,
                         bottom - *d.score * 1.5 - 4, *d.score);
    }
    if (d.average) {
      svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)", x + bw,
                         bottom - *d.average * 1.5, bw, *d.average * 1.5, kMuted);
    }
    svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="12" text-anchor="middle">{}</text>)", x + bw, bottom + 18,
                       text::XmlEscape(lang == Lang::kZh ? d.zh : d.en));
  }
  svg += fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="#444">{}</text></svg>)", left, h - 6,
                     text::XmlEscape(Pick(lang, "红：本集群；灰：参评集群平均",
                                          "red: this cluster; grey: average of ranked clusters")));
  return svg;
}

// The leading industry's Kd over distance with its global band (laid out by kd_chart.h).
std::string KdChart(const BriefCharts& c, Lang lang) {
  if (!c.localisation) return "";
  const auto layout = briefing::LayOutKdChart(*c.localisation, lang);
  if (!layout) return "";
  const briefing::KdChartLayout& k = *layout;
  const auto points = [](const std::vector<briefing::KdChartLayout::Point>& v) {
    std::string out;
    for (const auto& [x, y] : v) out += fmt::format("{}{:.1f},{:.1f}", out.empty() ? "" : " ", x, y);
    return out;
  };
  std::string svg = fmt::format(R"(<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">)", k.width,
                                k.height, text::XmlEscape(k.legend_curve));
  for (const auto& t : k.y_ticks) {
    svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#e4e4e4"/><text x="{}" y="{:.1f}" )"
                       R"(font-size="10" text-anchor="end" fill="#666">{}</text>)",
                       k.left, t.at, k.right, t.at, k.left - 4, t.at + 3, t.label);
  }
  if (!k.band.empty()) svg += fmt::format(R"(<polygon points="{}" fill="#d5dbe3"/>)", points(k.band));
  svg += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#444"/><line x1="{0}" y1="{3}" x2="{0}" )"
                     R"(y2="{1}" stroke="#444"/>)",
                     k.left, k.bottom, k.right, k.top);
  for (const auto& t : k.x_ticks) {
    svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle">{}</text>)", t.at, k.bottom + 15,
                       t.label);
  }
  svg += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="1.6"/>)", points(k.curve), kAccent);
  svg += fmt::format(
      R"(<line x1="{0}" y1="12" x2="{1}" y2="12" stroke="{2}" stroke-width="2"/>)"
      R"(<text x="{3}" y="16" font-size="11">{4}</text>)"
      R"(<rect x="{5}" y="7" width="16" height="10" fill="#d5dbe3"/><text x="{6}" y="16" font-size="11">{7}</text>)",
      k.left, k.left + 16, kAccent, k.left + 20, text::XmlEscape(k.legend_curve), k.left + 260, k.left + 280,
      text::XmlEscape(k.legend_band));
  svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle" fill="#444">{}</text></svg>)",
                     (k.left + k.right) / 2, k.height - 8, text::XmlEscape(k.x_title));
  return svg;
}

}  // namespace

std::string BriefHtml(const BriefFacts& facts, const BriefCharts& charts, Lang lang) {
  return BriefHtml(BriefDocumentFor(facts, lang), {facts}, {charts}, lang);
}

std::string BriefHtml(const BriefDocument& doc, const std::vector<BriefFacts>& facts,
                      const std::vector<BriefCharts>& charts, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const bool single = facts.size() == 1;
  std::string meta;
  if (single) {
    const BriefFacts& f = facts.front();
    const std::string zone = zh || f.zone_name_en.empty() ? f.zone_name : f.zone_name_en;
    meta = zh ? fmt::format("所在园区 {}　数据年份 {}", zone, f.year)
              : fmt::format("zone {} · data year {}", zone, f.year);
  } else if (!facts.empty()) {
    meta = zh ? fmt::format("{}个集群　数据年份 {}", facts.size(), facts.front().year)
              : fmt::format("{} clusters · data year {}", facts.size(), facts.front().year);
  }
  std::string html = fmt::format(
      R"(<!DOCTYPE html>
<html lang="{}"><head><meta charset="utf-8"><title>{}</title>
<style>
@page {{ size: A4; margin: 18mm 16mm; }}
body {{ font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  color: #1d1d1f; max-width: 180mm; margin: 0 auto; padding: 8mm 0; line-height: 1.7; font-size: 11pt; }}
h1 {{ font-size: 17pt; margin: 0 0 2mm; }} h2 {{ font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #ccc; }}
h3 {{ font-size: 11pt; margin: 4mm 0 2mm; }}
p {{ margin: 0 0 3mm; {} }} .meta {{ color: #555; font-size: 9.5pt; margin-bottom: 5mm; }}
figure {{ margin: 2mm 0 4mm; break-inside: avoid; }} figcaption {{ font-size: 10pt; color: #333; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }} th, td {{ border-bottom: 1px solid #e2e2e2; padding: 1.2mm 2mm; text-align: left; }}
td.v {{ text-align: right; white-space: nowrap; }} tr {{ break-inside: avoid; }} thead {{ display: table-header-group; }}
</style></head><body>
<h1>{}</h1><div class="meta">{}</div>
)",
      zh ? "zh-CN" : "en", text::XmlEscape(doc.title), zh ? "text-indent: 2em;" : "", text::XmlEscape(doc.title),
      text::XmlEscape(meta));

  int figure_no = 0;
  const auto figure = [&](const std::string& svg, std::string_view zh_caption, std::string_view en_caption) {
    if (svg.empty()) return;
    ++figure_no;
    html += "<figure>" + svg + "<figcaption>" +
            text::XmlEscape(zh ? fmt::format("图{} {}", figure_no, zh_caption)
                               : fmt::format("Figure {}. {}", figure_no, en_caption)) +
            "</figcaption></figure>\n";
  };
  const auto cluster_charts = [&](size_t i) {
    const BriefCharts& c = charts[i];
    // In a survey each caption names its cluster.
    std::string zh_name;
    std::string en_name;
    if (!single && i < facts.size()) {
      zh_name = facts[i].cluster_name + "：";
      en_name = (facts[i].cluster_name_en.empty() ? facts[i].cluster_name : facts[i].cluster_name_en) + ": ";
    }
    figure(OutputChart(c, lang), zh_name + "工业总产值", en_name + "Gross industrial output");
    figure(PeerChart(c, lang), zh_name + "主要比率与全部集群中位数比较",
           en_name + "Key ratios against the median of all clusters");
    figure(DimensionChart(c, lang), zh_name + "年度评价各维度得分", en_name + "Annual evaluation, score by dimension");
    figure(KdChart(c, lang), zh_name + "主导产业企业两两距离的核密度（Kd）与全局置信带",
           en_name + "Density of the distances between the leading industry's firms (Kd), with the global band");
  };
  for (const BriefSection& sec : doc.sections) {
    if (!sec.heading.empty()) html += fmt::format("<h2>{}</h2>\n", text::XmlEscape(sec.heading));
    for (const std::string& p : sec.paragraphs) html += "<p>" + text::XmlEscape(p) + "</p>\n";
    if (!single && sec.cluster >= 0 && static_cast<size_t>(sec.cluster) < charts.size()) {
      cluster_charts(static_cast<size_t>(sec.cluster));
    }
  }
  if (single && !charts.empty()) {
    html += fmt::format("<h2>{}</h2>\n", text::XmlEscape(Pick(lang, "图表", "Charts")));
    cluster_charts(0);
    html +=
        fmt::format("<h2>{}</h2>\n<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
                    text::XmlEscape(Pick(lang, "指标", "Indicators")), text::XmlEscape(Pick(lang, "指标", "indicator")),
                    text::XmlEscape(Pick(lang, "数值", "value")), text::XmlEscape(Pick(lang, "覆盖率", "coverage")));
    for (const IndicatorValue& v : charts.front().catalogue) {
      html += fmt::format("<tr><td>{}</td><td class=\"v\">{}</td><td class=\"v\">{}</td></tr>\n",
                          text::XmlEscape(zh ? v.indicator->zh : v.indicator->en),
                          text::XmlEscape(briefing::FormatValue(v, lang)),
                          v.has_value() ? fmt::format("{:.0f}%", v.coverage * 100) : "");
    }
    html += "</tbody></table>\n";
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace clusterscope
