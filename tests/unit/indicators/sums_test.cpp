// The engine's fast sums (narrow values summed branch-free over a run of rows or a row list, the
// few values too large for 4 bytes put in place of their sentinels after) equal the same sums
// taken row by row through YearTable::Get, for every kind of entity: the country and the provinces
// (runs of rows), zones and clusters (row lists). One year has a few wide values among narrow
// ones (the fast path), one has wide values in the year before too (comparable growth corrects
// both years), one has so many that the engine takes the row-by-row loop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <tuple>

#include "clusterscope/indicators.h"
#include "clusterscope/synth.h"
#include "indicators/dataset.h"
#include "store/memory_store.h"
#include "support/import_dir.h"
#include "support/records.h"

namespace clusterscope {
namespace {

int Column(std::string_view id) { return Describe(Kind::kReports).ColumnIndex(id); }

// Rows of `t` that belong to entity `e` in `year`, ascending.
std::vector<size_t> RowsOf(const Dataset& data, const YearTable& t, const EntityRef& e, int year) {
  std::vector<size_t> rows;
  const ClusterInfo* cluster = nullptr;
  if (e.kind == EntityKind::kCluster) cluster = &data.clusters[static_cast<size_t>(data.cluster_index.at(e.id))];
  for (size_t r = 0; r < t.size(); ++r) {
    const auto firm = static_cast<size_t>(t.firm[r]);
    bool in = false;
    switch (e.kind) {
      case EntityKind::kCountry:
        in = true;
        break;
      case EntityKind::kRegion:
        in = data.firm_region[firm] / 10000 == std::stoi(e.id) / 10000;
        break;
      case EntityKind::kZone:
        in = data.firms[firm].zone == data.zone_index.at(e.id);
        break;
      case EntityKind::kCluster:
        for (const Membership& m : cluster->members) {
          in = in || (static_cast<size_t>(m.firm) == firm && m.from_year <= year && year <= m.to_year);
        }
        break;
    }
    if (in) rows.push_back(r);
  }
  return rows;
}

TEST(FastSums, EqualTheSumsTakenRowByRowWithWideValuesAmongNarrowOnes) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("cs_sums_{}", ::getpid());
  std::filesystem::remove_all(dir);
  SynthOptions options;
  options.firms = 3000;
  options.first_year = 2011;
  options.last_year = 2016;
  options.seed = 11;
  ASSERT_TRUE(GenerateDataset(dir.string(), options).ok());
  auto store = store::NewMemoryStore();
  ASSERT_TRUE(InitDatabase(*store).ok());
  testing::ImportDir(*store, dir.string() + "/", {"zones", "clusters", "firms", "members", "reports"});
  std::filesystem::remove_all(dir);

  // Wide values: every 300th report of 2014 and 2015, every other one of 2016. Multiples of
  // 100,000 fen, so the columns keep their scale and these alone need 8 bytes.
  const std::vector<Record> reports = testing::AllRecords(*store, Kind::kReports);
  const auto year_col = static_cast<size_t>(Column("year"));
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  std::map<int64_t, int> seen;
  int changed = 0;
  for (const Record& r : reports) {
    const int64_t year = std::get<int64_t>(r[year_col]);
    const int every = year == 2016 ? 2 : year >= 2014 ? 300 : 0;
    if (every == 0 || seen[year]++ % every != 0) continue;
    Record wide = r;
    const int64_t big = (int64_t{3'000'000'000} + seen[year]) * 100'000;  // 3亿亿 fen and more
    for (const char* field : {"gross_output", "value_added", "revenue"}) {
      wide[static_cast<size_t>(Column(field))] = big + (field[0] == 'r' ? 700'000 : 0);
    }
    ASSERT_TRUE((*txn)->Replace(Kind::kReports, wide, r, 0).ok());
    ++changed;
  }
  ASSERT_TRUE((*txn)->Commit().ok());
  ASSERT_GT(changed, 100);

  auto loaded = LoadDataset(*store);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Dataset& data = **loaded;
  size_t with_wide = 0;
  for (const YearTable& t : data.years) with_wide += t.column[kGrossOutput].wide().empty() ? 0 : 1;
  ASSERT_EQ(with_wide, 3u) << "2014, 2015 and 2016 hold wide values";

  IndicatorRequest req;
  for (EntityKind kind : {EntityKind::kCountry, EntityKind::kRegion, EntityKind::kZone, EntityKind::kCluster}) {
    for (const EntityRef& e : AllEntities(data, kind)) req.entities.push_back(e);
  }
  req.first_year = 2014;
  req.last_year = 2016;
  // The ratios: (numerators, denominator, scale); each with wide values in some part or none.
  const std::map<std::string, std::tuple<std::vector<int>, int, double>> kRatios = {
      {"value_added_rate", {{kValueAdded}, kGrossOutput, 1.0}},
      {"rd_intensity", {{kRdExpense}, kRevenue, 1.0}},
      {"labour_productivity", {{kValueAdded}, kEmployees, 1.0}},
      {"postgrad_per_1000", {{kMasters, kPhds}, kEmployees, 1000.0}},
  };
  const std::map<std::string, int> kComparable = {{"gross_output_growth_comparable", kGrossOutput},
                                                  {"revenue_growth_comparable", kRevenue},
                                                  {"employees_growth_comparable", kEmployees}};
  req.only = {"gross_output"};
  for (const auto& [id, field] : kComparable) req.only.push_back(id);
  for (const auto& [id, ratio] : kRatios) req.only.push_back(id);
  auto values = ComputeIndicators(data, req);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  size_t compared = 0;
  for (const IndicatorValue& v : *values) {
    SCOPED_TRACE(fmt::format("{} {} {} {}", EntityKindId(v.entity.kind), v.entity.id, v.year, v.indicator->id));
    const YearTable& t = *data.Year(v.year);
    const std::vector<size_t> rows = RowsOf(data, t, v.entity, v.year);
    if (rows.empty()) continue;
    const std::string id(v.indicator->id);
    if (id == "gross_output") {
      int64_t sum = 0;
      for (size_t r : rows) sum += t.Get(r, kGrossOutput);
      ASSERT_TRUE(v.integer.has_value());
      EXPECT_EQ(*v.integer, sum);
    } else if (auto q = kRatios.find(id); q != kRatios.end()) {
      const auto& [numerators, denominator, scale] = q->second;
      int64_t num = 0;
      int64_t den = 0;
      for (size_t r : rows) {
        bool all = t.Has(r, denominator);
        for (int f : numerators) all = all && t.Has(r, f);
        if (!all) continue;
        for (int f : numerators) num += t.Get(r, f);
        den += t.Get(r, denominator);
      }
      if (den == 0) {
        EXPECT_FALSE(v.has_value());
        continue;
      }
      ASSERT_TRUE(v.real.has_value());
      // Money in yuan on both sides (fen / 100), as the catalogue divides.
      const double yuan = numerators.front() == kValueAdded || numerators.front() == kRdExpense ? 100 : 1;
      const double den_yuan = denominator == kEmployees ? 1 : 100;
      EXPECT_EQ(*v.real, static_cast<double>(num) / yuan / (static_cast<double>(den) / den_yuan) * scale);
    } else {
      const int field = kComparable.at(id);
      const YearTable& prev = *data.Year(v.year - 1);
      const std::vector<size_t> prev_rows = RowsOf(data, prev, v.entity, v.year - 1);
      int64_t now = 0;
      int64_t before = 0;
      for (size_t r : rows) {
        for (size_t p : prev_rows) {
          if (prev.firm[p] != t.firm[r] || !t.Has(r, field) || !prev.Has(p, field)) continue;
          now += t.Get(r, field);
          before += prev.Get(p, field);
        }
      }
      if (before == 0) {
        EXPECT_FALSE(v.has_value());
        continue;
      }
      ASSERT_TRUE(v.real.has_value());
      EXPECT_EQ(*v.real, static_cast<double>(now) / static_cast<double>(before) - 1.0);
    }
    ++compared;
  }
  EXPECT_GT(compared, req.entities.size() * 6);
}

}  // namespace
}  // namespace clusterscope
