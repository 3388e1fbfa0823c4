// Small statistics shared by evaluation and diagnosis: quantiles as R computes them by default
// (type 7) and percentile ranks among peers.
#pragma once

#include <optional>
#include <span>

namespace clusterscope {

// The p-quantile (0 ≤ p ≤ 1) of `values`, linear interpolation between order statistics as R's
// quantile(type = 7): h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]). Empty input or a p
// outside [0, 1] gives nullopt. NaNs are not allowed (the caller drops missing values first).
std::optional<double> QuantileType7(std::span<const double> values, double p);

// Where `x` stands among `values`, 0 … 1: the share of values below it plus half the share equal
// to it (the mid-rank convention, so ties share a rank and the result does not depend on order).
// `x` need not be one of the values. Empty input gives nullopt.
std::optional<double> PercentileRank(std::span<const double> values, double x);

}  // namespace clusterscope
