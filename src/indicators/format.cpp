#include <fmt/format.h>
#include <cmath>

#include "clusterscope/indicators.h"
#include "schema/record_json.h"

namespace clusterscope {

std::string FormatIndicatorValue(const IndicatorValue& v, Lang lang) {
  if (!v.has_value()) return std::string(NullReasonText(v.reason, lang));
  bool zh = lang == Lang::kZh;
  double x = *v.AsDouble();
  switch (v.indicator->unit) {
    case IndicatorUnit::kFirms:
      return zh ? fmt::format("{}家", *v.integer) : fmt::format("{} firms", *v.integer);
    case IndicatorUnit::kPersons:
      return zh ? fmt::format("{}人", *v.integer) : fmt::format("{} persons", *v.integer);
    case IndicatorUnit::kItems:
      return zh ? fmt::format("{}件", *v.integer) : fmt::format("{} items", *v.integer);
    case IndicatorUnit::kYuan:
      // 1亿元 = 10^8 yuan; English readers count in billions.
      return zh ? fmt::format("{:.2f}亿元", x / 1e8) : fmt::format("{:.3f} bn yuan", x / 1e9);
    case IndicatorUnit::kShare:
    case IndicatorUnit::kGrowth:
      return fmt::format("{:.1f}%", x * 100);
    case IndicatorUnit::kYuanPerPerson:
      return zh ? fmt::format("{:.2f}万元/人", x / 1e4) : fmt::format("{:.0f} yuan per person", x);
    case IndicatorUnit::kYuanPerFirm:
      return zh ? fmt::format("{:.2f}万元/家", x / 1e4) : fmt::format("{:.0f} yuan per firm", x);
    case IndicatorUnit::kPer1000:
      return zh ? fmt::format("{:.1f}人/千人", x) : fmt::format("{:.1f} per 1,000 employees", x);
    case IndicatorUnit::kPer10k:
      return zh ? fmt::format("{:.1f}件/万人", x) : fmt::format("{:.1f} per 10,000 employees", x);
    case IndicatorUnit::kIndex:
      return fmt::format("{:.2f}", x);
  }
  return "";
}

nlohmann::ordered_json IndicatorValueToJson(const IndicatorValue& v) {
  nlohmann::ordered_json j;
  j["entity"] = std::string(EntityKindId(v.entity.kind));
  j["id"] = v.entity.id;
  j["name"] = v.entity_name;
  j["year"] = v.year;
  j["indicator"] = std::string(v.indicator->id);
  if (v.integer) {
    j["value"] =
        v.indicator->unit == IndicatorUnit::kYuan ? schema::YuanJson(*v.integer) : nlohmann::ordered_json(*v.integer);
  } else if (v.real) {
    j["value"] = *v.real;
  } else {
    j["value"] = nullptr;
    j["reason"] = std::string(NullReasonId(v.reason));
  }
  j["unit"] = std::string(UnitId(v.indicator->unit));
  j["coverage"] = v.coverage;
  return j;
}

}  // namespace clusterscope
