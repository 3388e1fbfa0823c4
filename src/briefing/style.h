// The survey report's number style and plain words for positions, shared by the prose, the HTML
// page and the Word document (private to src/briefing).
#pragma once

#include <string>

#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"

namespace clusterscope::briefing {

// "12.2%": percentages to one decimal.
std::string Pct(double fraction);
// "122亿元", "12.2亿元", "8500万元", "3200元": 亿元 with at most one decimal (no trailing .0), whole
// 万元 below 1亿元.
std::string MoneyZh(double yuan);
// "12.2 billion yuan", "12 billion yuan", "85 million yuan", "0.34 million yuan", "3,200 yuan".
std::string MoneyEn(double yuan);
std::string Money(double yuan, Lang lang);
// "one firm", "2 firms".
std::string FirmsEn(int64_t n);
// A count with thousands separators: 12,345.
std::string Thousands(int64_t n);

// Where a percentile (0…1, 1 = best) places a cluster among all clusters, in plain words:
// "处于全部集群中上水平（前39%）" / "in the upper middle of all clusters (top 39%)".
std::string Position(double percentile, Lang lang);
// The short form for an indicator: "全部集群后20%" / "bottom 20% of all clusters".
std::string PositionShort(double percentile, Lang lang);

// A catalogue value in the briefing's style, always with its unit: "122亿元" / "12.2 billion
// yuan", "1家" / "one firm", "34.5万元/人" / "345,000 yuan per employee"; the null reason when
// there is no value.
std::string FormatValue(const IndicatorValue& v, Lang lang);
// The same for a ratio by its unit id (UnitId): share, growth, per10k, yuan_per_person, …
std::string FormatRatio(double v, const std::string& unit, Lang lang);

// Upper-cases the first letter ("the Xining zone" → "The Xining zone").
std::string Capitalised(std::string s);

}  // namespace clusterscope::briefing
