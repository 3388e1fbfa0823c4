#include "clusterscope/stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace clusterscope {

std::optional<double> QuantileType7(std::span<const double> values, double p) {
  if (values.empty() || !(p >= 0.0 && p <= 1.0)) return std::nullopt;
  std::vector<double> x(values.begin(), values.end());
  std::sort(x.begin(), x.end());
  const double h = static_cast<double>(x.size() - 1) * p;
  const double lo = std::floor(h);
  const auto i = static_cast<size_t>(lo);
  if (i + 1 >= x.size()) return x.back();
  return x[i] + (h - lo) * (x[i + 1] - x[i]);
}

std::optional<double> PercentileRank(std::span<const double> values, double x) {
  if (values.empty()) return std::nullopt;
  double below = 0;
  double equal = 0;
  for (double v : values) {
    if (v < x) {
      below += 1;
    } else if (v == x) {
      equal += 1;
    }
  }
  return (below + 0.5 * equal) / static_cast<double>(values.size());
}

}  // namespace clusterscope
