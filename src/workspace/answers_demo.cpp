// The demo's answer (workspace.h): the survey report's seven figures beside the computed ones.
#include <fmt/format.h>

#include "clusterscope/workspace.h"

namespace clusterscope {

Answer DemoAnswer(const DemoResult& result, const std::string& url, Lang L) {
  Answer a;
  a.header = {"指标", "indicator", "报告", "report", "计算", "computed", std::string(Pick(L, "一致", "match"))};
  a.csv_header = {"indicator", "report_zh", "report_en", "computed", "matches"};
  a.json = nlohmann::ordered_json::array();
  int matched = 0;
  for (const DemoFigure& f : result.figures) {
    matched += f.matches ? 1 : 0;
    a.rows.push_back({std::string(f.computed.indicator->zh), std::string(f.computed.indicator->en),
                      std::string(f.report_zh), std::string(f.report_en), FormatIndicatorValue(f.computed, Lang::kZh),
                      FormatIndicatorValue(f.computed, Lang::kEn), f.matches ? "✓" : "✗"});
    const auto value = IndicatorValueToJson(f.computed);
    a.csv_rows.push_back({std::string(f.indicator), std::string(f.report_zh), std::string(f.report_en),
                          value["value"].is_null() ? "" : value["value"].dump(), f.matches ? "1" : "0"});
    a.json.push_back({{"indicator", f.indicator},
                      {"report_zh", f.report_zh},
                      {"report_en", f.report_en},
                      {"computed", value},
                      {"matches", f.matches}});
  }
  a.footer = fmt::format(fmt::runtime(L == Lang::kZh ? "{}/{}项与报告一致。" : "{} of {} figures match the report."),
                         matched, result.figures.size());
  std::string& out = a.text;
  out = fmt::format("{} {}", Pick(L, "演示数据库：", "demo database:"), url);
  if (result.already_built) {
    out += Pick(L, "（已建好，未改动）", " (already built; unchanged)");
  } else {
    int64_t rows = 0;
    for (const auto& f : result.import.files) rows += f.added + f.replaced;
    out += fmt::format(fmt::runtime(L == Lang::kZh ? "（写入{}条记录）" : " ({} records written)"), rows);
  }
  out += "\n\n";
  out += Pick(L, "青藏高原特色生物资源与中藏药产业集群，2014年：调研报告数值与由企业数据计算的结果\n",
              "Qinghai-Tibet Plateau bio-resources and Chinese/Tibetan medicine cluster, 2014: the survey report's "
              "figures beside those computed from firm records\n");
  out += RenderTable(a.header, a.rows) + a.footer + "\n";
  return a;
}

}  // namespace clusterscope
