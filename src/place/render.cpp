// The agglomeration result as JSON, CSV, a table and an SVG chart with its bands (zh / en).
#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "clusterscope/format.h"
#include "clusterscope/place.h"
#include "core/text.h"

namespace clusterscope::place {
namespace {

std::string_view FunctionId(Function f) { return f == Function::kKd ? "kd" : "m"; }

nlohmann::ordered_json NumOrNull(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}

std::string Cell(double v) { return std::isfinite(v) ? fmt::format("{:.10g}", v) : std::string(); }

std::string Method(const AgglomerationResult& r) {
  const auto& o = r.options;
  if (o.function == Function::kKd) {
    return fmt::format(
        "Duranton-Overman Kd (dbmss Kdhat, Original): Gaussian kernel, bw.nrd0 over pair distances "
        "<= 2 r_max{}{}",
        o.reflect ? ", reflection below 4h, renormalised" : ", no reflection",
        o.weighted ? ", weighted (Kemp: w_i w_j)" : "");
  }
  return fmt::format("Marcon-Puech M (dbmss Mhat){}", o.weighted ? ", weighted" : ", unweighted");
}

}  // namespace

nlohmann::ordered_json AgglomerationJsonValue(const AgglomerationResult& r) {
  const auto& o = r.options;
  nlohmann::ordered_json head;
  head["function"] = FunctionId(o.function);
  head["method"] = Method(r);
  head["reference"] = r.reference_name;
  head["neighbour"] = r.neighbour_name;
  head["n"] = r.observed.n_reference;
  head["n_neighbour"] = r.observed.n_neighbour;
  head["sites"] = r.observed.sites;
  head["distance_unit"] = r.geodesic ? "km (great circle)" : "planar (the file's unit)";
  if (o.function == Function::kKd) head["bandwidth"] = NumOrNull(r.observed.curve.bandwidth);
  head["weighted"] = o.weighted;
  if (o.function == Function::kKd) head["reflect"] = o.reflect;
  head["sims"] = o.sims;
  head["seed"] = o.seed;
  head["level"] = o.level;
  if (r.bands) {
    head["global_band_quantiles"] = {r.bands->global_level_lo, r.bands->global_level_hi};
  }
  nlohmann::ordered_json verdict;
  verdict["verdict"] = VerdictId(r.verdict.verdict);
  const auto intervals = [](const std::vector<Interval>& v) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const Interval& i : v) a.push_back({i.from, i.to});
    return a;
  };
  verdict["localised_at"] = intervals(r.verdict.above);
  verdict["dispersed_at"] = intervals(r.verdict.below);
  verdict["zh"] = VerdictText(r.verdict, r.geodesic, Lang::kZh);
  verdict["en"] = VerdictText(r.verdict, r.geodesic, Lang::kEn);
  head["verdict"] = verdict;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t k = 0; k < o.r.size(); ++k) {
    nlohmann::ordered_json row;
    row["r"] = o.r[k];
    row["value"] = NumOrNull(r.observed.curve.value[k]);
    if (r.bands) {
      row["local_lo"] = NumOrNull(r.bands->local_lo[k]);
      row["local_hi"] = NumOrNull(r.bands->local_hi[k]);
      row["global_lo"] = NumOrNull(r.bands->global_lo[k]);
      row["global_hi"] = NumOrNull(r.bands->global_hi[k]);
    }
    rows.push_back(row);
  }
  nlohmann::ordered_json out;
  out["header"] = head;
  out["rows"] = rows;
  return out;
}

std::string AgglomerationJson(const AgglomerationResult& r) { return AgglomerationJsonValue(r).dump(1) + "\n"; }

std::vector<std::vector<std::string>> AgglomerationCsvRows(const AgglomerationResult& r) {
  std::vector<std::vector<std::string>> out;
  out.push_back(r.bands ? std::vector<std::string>{"r", "value", "local_lo", "local_hi", "global_lo", "global_hi"}
                        : std::vector<std::string>{"r", "value"});
  for (size_t k = 0; k < r.options.r.size(); ++k) {
    std::vector<std::string> row = {Cell(r.options.r[k]), Cell(r.observed.curve.value[k])};
    if (r.bands) {
      for (const auto* v : {&r.bands->local_lo, &r.bands->local_hi, &r.bands->global_lo, &r.bands->global_hi}) {
        row.push_back(Cell((*v)[k]));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::string AgglomerationCsv(const AgglomerationResult& r) {
  std::string out;
  for (const auto& row : AgglomerationCsvRows(r)) out += ToCsvLine(row);
  return out;
}

std::string AgglomerationTable(const AgglomerationResult& r, Lang lang) {
  const auto& o = r.options;
  std::string out = fmt::format(
      "{} {}{}{}: n = {}{}, {} {}{}\n", o.function == Function::kKd ? "Kd" : "M", r.reference_name,
      o.reference != o.neighbour ? " × " : "", o.reference != o.neighbour ? r.neighbour_name : "",
      r.observed.n_reference, o.reference != o.neighbour ? fmt::format(" × {}", r.observed.n_neighbour) : "",
      r.observed.sites, Pick(lang, "个位置", "sites"),
      o.function == Function::kKd
          ? fmt::format(", {} h = {:.6g}", Pick(lang, "带宽", "bandwidth"), r.observed.curve.bandwidth)
          : "");
  std::vector<std::string> header = {std::string(Pick(lang, "距离", "r")), std::string(Pick(lang, "值", "value"))};
  if (r.bands) {
    for (auto* h : {Pick(lang, "局部下限", "local lo").data(), Pick(lang, "局部上限", "local hi").data(),
                    Pick(lang, "全局下限", "global lo").data(), Pick(lang, "全局上限", "global hi").data()}) {
      header.emplace_back(h);
    }
  }
  // Columns separated by two spaces, right-aligned numbers.
  std::vector<std::vector<std::string>> rows;
  for (size_t k = 0; k < o.r.size(); ++k) {
    std::vector<std::string> row = {fmt::format("{:.6g}", o.r[k]), Cell(r.observed.curve.value[k])};
    if (r.bands) {
      for (const auto* v : {&r.bands->local_lo, &r.bands->local_hi, &r.bands->global_lo, &r.bands->global_hi}) {
        row.push_back(Cell((*v)[k]));
      }
    }
    rows.push_back(row);
  }
  std::vector<size_t> width(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) s += "  ";
      s += std::string(width[c] > cells[c].size() ? width[c] - cells[c].size() : 0, ' ') + cells[c];
    }
    return s + "\n";
  };
  out += line(header);
  for (const auto& row : rows) out += line(row);
  out += std::string(Pick(lang, "结论：", "Verdict: ")) + VerdictText(r.verdict, r.geodesic, lang) + "\n";
  return out;
}

std::string AgglomerationSvg(const AgglomerationResult& r, Lang lang) {
  const auto& o = r.options;
  constexpr double kW = 720, kH = 440, kL = 70, kR = 20, kT = 40, kB = 60;
  double ymin = 0, ymax = 0;
  const auto extend = [&](const std::vector<double>& v) {
    for (double x : v) {
      if (std::isfinite(x)) {
        ymin = std::min(ymin, x);
        ymax = std::max(ymax, x);
      }
    }
  };
  extend(r.observed.curve.value);
  if (r.bands) {
    extend(r.bands->global_hi);
    extend(r.bands->global_lo);
    extend(r.bands->local_hi);
  }
  if (o.function == Function::kM) ymin = 0;
  if (!(ymax > ymin)) ymax = ymin + 1;
  const double xmax = o.r.back();
  const auto px = [&](double x) { return kL + (kW - kL - kR) * x / xmax; };
  const auto py = [&](double y) { return kH - kB - (kH - kT - kB) * (y - ymin) / (ymax - ymin); };
  const auto path = [&](const std::vector<double>& v) {
    std::string d;
    for (size_t k = 0; k < v.size(); ++k) {
      if (!std::isfinite(v[k])) continue;
      d += fmt::format("{}{:.2f},{:.2f}", d.empty() ? "M" : " L", px(o.r[k]), py(v[k]));
    }
    return d;
  };
  const auto area = [&](const std::vector<double>& lo, const std::vector<double>& hi) {
    std::string d;
    for (size_t k = 0; k < hi.size(); ++k) {
      if (std::isfinite(hi[k])) d += fmt::format("{}{:.2f},{:.2f}", d.empty() ? "M" : " L", px(o.r[k]), py(hi[k]));
    }
    for (size_t k = lo.size(); k-- > 0;) {
      if (std::isfinite(lo[k])) d += fmt::format(" L{:.2f},{:.2f}", px(o.r[k]), py(lo[k]));
    }
    return d.empty() ? d : d + " Z";
  };
  const std::string name = o.function == Function::kKd ? "Kd" : "M";
  const std::string title = text::XmlEscape(
      fmt::format("{} — {}{}", name, r.reference_name, o.reference != o.neighbour ? " × " + r.neighbour_name : ""));
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif, WenQuanYi Zen Hei\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{}\" y=\"24\" font-size=\"15\">{}</text>\n",
      kW, kH, kW, kH, kL, title);
  if (r.bands) {
    s += fmt::format("<path d=\"{}\" fill=\"#dbe7f3\" stroke=\"none\"/>\n",
                     area(r.bands->global_lo, r.bands->global_hi));
    s += fmt::format("<path d=\"{}\" fill=\"#a9c6e3\" stroke=\"none\"/>\n", area(r.bands->local_lo, r.bands->local_hi));
  }
  s += fmt::format("<line x1=\"{}\" y1=\"{:.2f}\" x2=\"{}\" y2=\"{:.2f}\" stroke=\"black\"/>\n", kL, kH - kB, kW - kR,
                   kH - kB);
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{:.2f}\" stroke=\"black\"/>\n", kL, kT, kL, kH - kB);
  for (int t = 0; t <= 5; ++t) {
    const double x = xmax * t / 5, y = ymin + (ymax - ymin) * t / 5;
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{:.4g}</text>\n", px(x), kH - kB + 16, x);
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\">{:.3g}</text>\n", kL - 6, py(y) + 4, y);
  }
  if (o.function == Function::kM) {
    s += fmt::format(
        "<line x1=\"{}\" y1=\"{:.2f}\" x2=\"{}\" y2=\"{:.2f}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n", kL, py(1),
        kW - kR, py(1));
  }
  s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n",
                   path(r.observed.curve.value));
  const std::string unit = r.geodesic ? std::string(Pick(lang, "（公里）", " (km)")) : "";
  s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{}{}</text>\n", (kL + kW - kR) / 2, kH - 22,
                   Pick(lang, "距离", "distance"), unit);
  s += fmt::format("<text x=\"16\" y=\"{:.2f}\" transform=\"rotate(-90 16 {:.2f})\" text-anchor=\"middle\">{}</text>\n",
                   (kT + kH - kB) / 2, (kT + kH - kB) / 2, name);
  // Legend.
  double lx = kW - kR - 250, ly = kT + 8;
  s += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#c0392b\" stroke-width=\"2\"/><text x=\"{}\" "
      "y=\"{}\">{}</text>\n",
      lx, ly, lx + 20, ly, lx + 26, ly + 4, Pick(lang, "观测值", "observed"));
  if (r.bands) {
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"20\" height=\"10\" fill=\"#a9c6e3\"/><text x=\"{}\" y=\"{}\">{}</text>\n", lx,
        ly + 12, lx + 26, ly + 21, Pick(lang, "局部置信带", "local band"));
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"20\" height=\"10\" fill=\"#dbe7f3\"/><text x=\"{}\" y=\"{}\">{}</text>\n", lx,
        ly + 28, lx + 26, ly + 37, Pick(lang, "全局置信带（Duranton–Overman）", "global band (Duranton–Overman)"));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", kL, kH - 4,
                   text::XmlEscape(VerdictText(r.verdict, r.geodesic, lang)));
  s += "</svg>\n";
  return s;
}

}  // namespace clusterscope::place
