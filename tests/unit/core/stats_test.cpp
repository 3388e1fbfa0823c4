#include "clusterscope/stats.h"

#include <gtest/gtest.h>

#include <vector>

namespace clusterscope {
namespace {

// Expected values are R's: quantile(c(...), p) with the default type 7.
TEST(QuantileType7, MatchesR) {
  const std::vector<double> a{4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(*QuantileType7(a, 0.75), 3.25);  // h = 2.25
  EXPECT_DOUBLE_EQ(*QuantileType7(a, 0.25), 1.75);  // h = 0.75
  EXPECT_DOUBLE_EQ(*QuantileType7(a, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(*QuantileType7(a, 1.0), 4.0);
  const std::vector<double> b{1, 2, 3, 4, 10};
  EXPECT_DOUBLE_EQ(*QuantileType7(b, 0.9), 7.6);  // h = 3.6: 4 + 0.6 × 6
  EXPECT_DOUBLE_EQ(*QuantileType7(b, 0.5), 3.0);
  const std::vector<double> one{5};
  EXPECT_DOUBLE_EQ(*QuantileType7(one, 0.3), 5.0);
}

TEST(QuantileType7, RefusesEmptyAndOutOfRange) {
  EXPECT_FALSE(QuantileType7({}, 0.5).has_value());
  const std::vector<double> a{1, 2};
  EXPECT_FALSE(QuantileType7(a, -0.1).has_value());
  EXPECT_FALSE(QuantileType7(a, 1.1).has_value());
}

TEST(PercentileRank, MidRankForTies) {
  const std::vector<double> a{1, 2, 2, 3};
  EXPECT_DOUBLE_EQ(*PercentileRank(a, 2), (1 + 0.5 * 2) / 4);
  EXPECT_DOUBLE_EQ(*PercentileRank(a, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(*PercentileRank(a, 9), 1.0);
  EXPECT_DOUBLE_EQ(*PercentileRank(a, 1), 0.125);
  EXPECT_FALSE(PercentileRank({}, 1).has_value());
}

}  // namespace
}  // namespace clusterscope
