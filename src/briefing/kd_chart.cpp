#include "briefing/kd_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace clusterscope::briefing {
namespace {

// A round step (1, 2 or 5 × 10^k) giving about `ticks` intervals up to `max`.
double NiceStep(double max, int ticks) {
  const double raw = max / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (raw <= m * mag) return m * mag;
  }
  return 10 * mag;
}

}  // namespace

std::optional<KdChartLayout> LayOutKdChart(const BriefCharts::Localisation& kd, Lang lang) {
  const size_t n = std::min(kd.r.size(), kd.kd.size());
  const bool band = kd.global_lo.size() == n && kd.global_hi.size() == n;
  double ymax = 0;
  for (size_t k = 0; k < n; ++k) {
    if (std::isfinite(kd.kd[k])) ymax = std::max(ymax, kd.kd[k]);
    if (band && std::isfinite(kd.global_hi[k])) ymax = std::max(ymax, kd.global_hi[k]);
  }
  if (n < 2 || !(ymax > 0) || !(kd.r.back() > kd.r.front())) return std::nullopt;
  KdChartLayout c;
  c.left = 56;
  c.right = c.width - 14;
  c.top = 34;
  c.bottom = c.height - 44;
  const double ystep = NiceStep(ymax, 4);
  const double ytop = std::ceil(ymax / ystep) * ystep;
  const double x0 = kd.r.front(), x1 = kd.r.back();
  const auto px = [&](double r) { return c.left + (c.right - c.left) * (r - x0) / (x1 - x0); };
  const auto py = [&](double v) { return c.bottom - (c.bottom - c.top) * v / ytop; };
  for (size_t k = 0; k < n; ++k) {
    if (std::isfinite(kd.kd[k])) c.curve.emplace_back(px(kd.r[k]), py(kd.kd[k]));
  }
  if (band) {
    for (size_t k = 0; k < n; ++k) {
      if (std::isfinite(kd.global_hi[k])) c.band.emplace_back(px(kd.r[k]), py(kd.global_hi[k]));
    }
    for (size_t k = n; k-- > 0;) {
      if (std::isfinite(kd.global_lo[k])) c.band.emplace_back(px(kd.r[k]), py(kd.global_lo[k]));
    }
  }
  const double xstep = NiceStep(x1 - x0, 4);
  for (double x = std::ceil(x0 / xstep) * xstep; x <= x1 + 1e-9 * xstep; x += xstep) {
    c.x_ticks.push_back({px(x), fmt::format("{:.6g}", x)});
  }
  for (int t = 0; t * ystep <= ytop * (1 + 1e-9); ++t)
    c.y_ticks.push_back({py(t * ystep), fmt::format("{:.3g}", t * ystep)});
  const bool zh = lang == Lang::kZh;
  c.x_title = zh ? "企业两两距离（公里）" : "distance between firms (km)";
  c.legend_curve =
      zh ? fmt::format("主导产业（{}）的Kd", kd.industry) : fmt::format("Kd of the leading industry ({})", kd.industry);
  c.legend_band = zh ? fmt::format("全局置信带（{}次随机标记模拟）", kd.sims)
                     : fmt::format("global band ({} random relabellings)", kd.sims);
  return c;
}

}  // namespace clusterscope::briefing
