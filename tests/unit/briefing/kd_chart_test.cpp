// The brief's Kd chart layout (src/briefing/kd_chart.h), shared by the HTML and Word charts.
#include "briefing/kd_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace clusterscope::briefing {
namespace {

TEST(BriefKdChart, CurveAndBandInsideThePlotWithTicksCoveringThem) {
  BriefCharts::Localisation kd{.industry = "2730", .r = {0, 50, 100, 150, 200}, .sims = 99};
  kd.kd = {0.003, 0.021, 0.0004, 0.0011, 0.0};
  kd.global_lo = {0.001, 0.0, 0.0, 0.0, 0.0};
  kd.global_hi = {0.004, 0.002, 0.001, 0.0012, 0.0003};
  const auto c = LayOutKdChart(kd, Lang::kEn);
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(c->curve.size(), 5u);
  ASSERT_EQ(c->band.size(), 10u);  // upper edge out, lower edge back
  EXPECT_DOUBLE_EQ(c->curve.front().first, c->left);
  EXPECT_DOUBLE_EQ(c->curve.back().first, c->right);
  EXPECT_DOUBLE_EQ(c->band.front().first, c->left);
  EXPECT_DOUBLE_EQ(c->band.back().first, c->left);
  for (const auto& [x, y] : c->curve) {
    EXPECT_GE(y, c->top);
    EXPECT_LE(y, c->bottom);
  }
  EXPECT_DOUBLE_EQ(c->curve.back().second, c->bottom);  // Kd 0 on the axis
  // 0.021 is the largest value: about four steps of 0.00525, rounded up to 0.01, so 0 … 0.03.
  ASSERT_EQ(c->y_ticks.size(), 4u);
  EXPECT_EQ(c->y_ticks.back().label, "0.03");
  EXPECT_DOUBLE_EQ(c->y_ticks.back().at, c->top);
  ASSERT_EQ(c->x_ticks.size(), 5u);
  EXPECT_EQ(c->x_ticks[2].label, "100");
  EXPECT_EQ(c->legend_band, "global band (99 random relabellings)");
  EXPECT_EQ(LayOutKdChart(kd, Lang::kZh)->x_title, "企业两两距离（公里）");
}

TEST(BriefKdChart, UndefinedValuesAreLeftOutAndNothingDefinedDrawsNothing) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  BriefCharts::Localisation kd{.industry = "27", .r = {0, 1, 2}, .kd = {nan, 0.2, 0.1}, .sims = 9};
  const auto c = LayOutKdChart(kd, Lang::kZh);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->curve.size(), 2u);
  EXPECT_TRUE(c->band.empty());  // no band without simulations
  kd.kd = {nan, nan, nan};
  EXPECT_FALSE(LayOutKdChart(kd, Lang::kZh).has_value());
}

}  // namespace
}  // namespace clusterscope::briefing
