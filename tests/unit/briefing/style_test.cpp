// The briefing's number style and plain words for positions (src/briefing/style.h).
#include "briefing/style.h"

#include <gtest/gtest.h>

namespace clusterscope::briefing {
namespace {

TEST(BriefStyle, MoneyAsTheReportWritesIt) {
  EXPECT_EQ(MoneyZh(122e8), "122亿元");
  EXPECT_EQ(MoneyZh(12.2e8), "12.2亿元");
  EXPECT_EQ(MoneyZh(201.74e8), "201.7亿元");
  EXPECT_EQ(MoneyZh(1e8), "1亿元");
  EXPECT_EQ(MoneyZh(8.5e7), "8500万元");
  EXPECT_EQ(MoneyZh(3200), "3200元");
  EXPECT_EQ(MoneyEn(12.2e9), "12.2 billion yuan");
  EXPECT_EQ(MoneyEn(12e9), "12 billion yuan");
  EXPECT_EQ(MoneyEn(3.456e8), "345.6 million yuan");
  EXPECT_EQ(MoneyEn(8.5e7), "85 million yuan");
  EXPECT_EQ(MoneyEn(3.4e5), "0.34 million yuan");
  EXPECT_EQ(MoneyEn(3200), "3,200 yuan");
  EXPECT_EQ(Pct(0.625), "62.5%");
  EXPECT_EQ(Pct(-0.00001), "0.0%");
  EXPECT_EQ(FirmsEn(1), "one firm");
  EXPECT_EQ(FirmsEn(1234), "1,234 firms");
}

TEST(BriefStyle, PositionsInPlainWords) {
  EXPECT_EQ(Position(0.61, Lang::kZh), "处于全部集群中上水平（前39%）");
  EXPECT_EQ(Position(0.61, Lang::kEn), "in the upper middle of all clusters (top 39%)");
  EXPECT_EQ(Position(0.8, Lang::kZh), "处于全部集群前列（前20%）");
  EXPECT_EQ(Position(0.3, Lang::kZh), "处于全部集群中下水平（后30%）");
  EXPECT_EQ(Position(0.1, Lang::kEn), "near the bottom of all clusters (bottom 10%)");
  EXPECT_EQ(Position(1.0, Lang::kZh), "处于全部集群前列（前1%）");
  EXPECT_EQ(PositionShort(0.03, Lang::kZh), "全部集群后3%");
}

// Every catalogue indicator prints with its unit: no bare "13.2" for labour productivity, no
// "1 firms", no "0.000 bn yuan".
TEST(BriefStyle, EveryCatalogueValueCarriesItsUnit) {
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    IndicatorValue v;
    v.indicator = &info;
    const bool integral = info.unit == IndicatorUnit::kFirms || info.unit == IndicatorUnit::kPersons ||
                          info.unit == IndicatorUnit::kItems || info.unit == IndicatorUnit::kYuan;
    if (integral)
      v.integer = info.unit == IndicatorUnit::kYuan ? 12'345'678'900 : 1;
    else
      v.real = 132'000.0;
    for (Lang lang : {Lang::kZh, Lang::kEn}) {
      const std::string s = FormatValue(v, lang);
      if (info.unit == IndicatorUnit::kIndex) continue;
      const bool has_unit =
          s.find('%') != std::string::npos || s.find_first_not_of("0123456789.,-") != std::string::npos;
      EXPECT_TRUE(has_unit) << info.id << ": " << s;
      EXPECT_EQ(s.find("1 firms"), std::string::npos) << s;
      EXPECT_EQ(s.find("0.000"), std::string::npos) << s;
    }
  }
  IndicatorValue lp;
  lp.indicator = FindIndicator("labour_productivity");
  lp.real = 132'000.0;
  EXPECT_EQ(FormatValue(lp, Lang::kZh), "13.2万元/人");
  EXPECT_EQ(FormatValue(lp, Lang::kEn), "132,000 yuan per employee");
  IndicatorValue out;
  out.indicator = FindIndicator("gross_output");
  out.integer = 12'200'000'000 * 100LL;  // fen
  EXPECT_EQ(FormatValue(out, Lang::kZh), "122亿元");
  IndicatorValue pm;
  pm.indicator = FindIndicator("profit_margin");
  EXPECT_EQ(std::string(pm.indicator->zh), "营业收入净利率");  // net profit / revenue, not 营业利润率
}

}  // namespace
}  // namespace clusterscope::briefing
