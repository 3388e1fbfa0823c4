// The answers of specialisation and agglomeration (workspace.h), as cli.md and place.md document.
#include <fmt/format.h>

#include <unordered_map>

#include "clusterscope/format.h"
#include "clusterscope/workspace.h"
#include "exports/xlsx_book.h"

namespace clusterscope {
namespace {

std::string ValueCell(const std::optional<double>& v) { return v ? fmt::format("{:.6g}", *v) : "—"; }

// Region code → name, for the rows of the index (which name only the code).
std::unordered_map<std::string, std::string> RegionNames(const place::AreaMatrix& m) {
  std::unordered_map<std::string, std::string> names;
  for (size_t r = 0; r < m.regions.size(); ++r) names[m.regions[r]] = m.region_names[r];
  return names;
}

}  // namespace

Answer SpecialisationAnswer(const SpecialisationResult& result, Lang L) {
  namespace pl = place;
  const pl::AreaMatrix& m = result.matrix;
  const SpecialisationQuery& q = result.query;
  const int year = q.year.value_or(0);
  const std::string id(pl::AreaIndexId(q.index));
  const std::string measure(pl::MeasureId(q.measure));
  const std::string region_level(pl::RegionLevelId(q.region_level));
  const std::string industry_level(pl::IndustryLevelId(q.industry_level));
  std::unordered_map<std::string, std::string> region_name = RegionNames(m);

  Answer a;
  nlohmann::ordered_json& out = a.json;
  out["indicator"] = id;
  out["year"] = year;
  out["measure"] = measure;
  out["region_level"] = region_level;
  out["industry_level"] = industry_level;
  out["regions"] = m.regions.size();
  out["firms"] = m.plants.size();
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& v : result.values) {
    nlohmann::ordered_json row;
    if (!v.region.empty()) {
      row["region"] = v.region;
      row["region_name"] = region_name[v.region];
    }
    if (!v.industry.empty()) row["industry"] = v.industry;
    row["value"] = v.value ? nlohmann::ordered_json(*v.value) : nlohmann::ordered_json(nullptr);
    if (!v.value) row["reason"] = pl::PlaceNullId(v.reason);
    if (v.plant_hhi) row["plant_hhi"] = *v.plant_hhi;
    row["firms"] = v.firms;
    row["regions"] = v.regions;
    rows.push_back(row);
  }
  out["values"] = rows;

  a.csv_header = {"indicator", "year",   "measure",   "region", "industry",
                  "value",     "reason", "plant_hhi", "firms",  "regions"};
  for (const auto& v : result.values) {
    a.csv_rows.push_back({id, std::to_string(year), measure, v.region, v.industry,
                          v.value ? fmt::format("{}", *v.value) : "", std::string(pl::PlaceNullId(v.reason)),
                          v.plant_hhi ? fmt::format("{}", *v.plant_hhi) : "", std::to_string(v.firms),
                          std::to_string(v.regions)});
  }

  a.header = {std::string(Pick(L, "地区", "region")), std::string(Pick(L, "行业", "industry")),
              std::string(Pick(L, "值", "value")), std::string(Pick(L, "企业赫芬达尔", "plant HHI")),
              std::string(Pick(L, "企业数", "firms"))};
  for (const auto& v : result.values) {
    std::string region = v.region;
    if (!region_name[v.region].empty()) region += " " + region_name[v.region];
    a.rows.push_back({region, v.industry, v.value ? ValueCell(v.value) : std::string(pl::PlaceNullText(v.reason, L)),
                      v.plant_hhi ? ValueCell(v.plant_hhi) : "", std::to_string(v.firms)});
  }
  a.text = fmt::format(fmt::runtime(Pick(L, "{} · {}年 · 指标 {} · 地区层级 {} · 行业层级 {} · {}个地区，{}家企业\n",
                                         "{} · {} · measure {} · regions by {} · industries by {} · {} regions, {} "
                                         "firms\n")),
                       id, year, measure, region_level, industry_level, m.regions.size(), m.plants.size()) +
           RenderTable(a.header, a.rows);
  return a;
}

Status WriteSpecialisationWorkbook(const SpecialisationResult& result, Lang L, const std::string& path) {
  namespace pl = place;
  using exports::NumberStyle;
  const pl::AreaMatrix& m = result.matrix;
  std::unordered_map<std::string, std::string> region_name = RegionNames(m);
  CS_ASSIGN_OR_RETURN(exports::Book book, exports::Book::Create(path));
  exports::Sheet& sheet = book.AddSheet(std::string(Pick(L, "专业化指数", "specialisation")));
  sheet.Header({std::string(Pick(L, "指标", "index")), std::string(Pick(L, "年份", "year")),
                std::string(Pick(L, "口径", "measure")), std::string(Pick(L, "地区代码", "region code")),
                std::string(Pick(L, "地区", "region")), std::string(Pick(L, "行业代码", "industry code")),
                std::string(Pick(L, "值", "value")), std::string(Pick(L, "缺值原因", "why missing")),
                std::string(Pick(L, "企业赫芬达尔指数", "plant HHI")), std::string(Pick(L, "企业数", "firms")),
                std::string(Pick(L, "地区数", "regions"))});
  const std::string id(pl::AreaIndexId(result.query.index));
  const std::string measure(pl::MeasureId(result.query.measure));
  uint32_t row = 1;
  for (const auto& v : result.values) {
    sheet.Text(row, 0, id);
    sheet.Number(row, 1, result.query.year.value_or(0), NumberStyle::kYear);
    sheet.Text(row, 2, measure);
    sheet.Text(row, 3, v.region);
    sheet.Text(row, 4, region_name[v.region]);
    sheet.Text(row, 5, v.industry);
    sheet.Number(row, 6, v.value, NumberStyle::kGeneral);
    if (!v.value) sheet.Text(row, 7, pl::PlaceNullText(v.reason, L));
    sheet.Number(row, 8, v.plant_hhi, NumberStyle::kGeneral);
    sheet.Number(row, 9, static_cast<double>(v.firms), NumberStyle::kInteger);
    sheet.Number(row, 10, static_cast<double>(v.regions), NumberStyle::kInteger);
    ++row;
  }
  return book.Close();
}

Answer AgglomerationAnswer(const place::AgglomerationResult& result, Lang lang) {
  Answer a;
  a.json = place::AgglomerationJsonValue(result);
  auto rows = place::AgglomerationCsvRows(result);
  a.csv_header = std::move(rows.front());
  a.csv_rows.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
  a.text = place::AgglomerationTable(result, lang);
  return a;
}

}  // namespace clusterscope
