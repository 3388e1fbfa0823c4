// Issue 9 #4: totals that leave int64 are null with reason "overflow", never a wrapped number. The
// importer's plausibility bounds keep such values out of a real database, so the rows are written
// straight into the store here, past the importer.
#include <gtest/gtest.h>

#include <climits>

#include "clusterscope/indicators.h"
#include "store/memory_store.h"
#include "support/import_dir.h"
#include "support/records.h"

namespace clusterscope {
namespace {

const std::string kDir = std::string(CS_SOURCE_DIR) + "/tests/data/indicators/golden/";

int Column(Kind kind, std::string_view id) {
  const KindDef& def = Describe(kind);
  for (size_t i = 0; i < def.columns.size(); ++i) {
    if (def.columns[i].id == id) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no column " << id;
  return 0;
}

TEST(Overflow, HugeTotalsAreNullWithReasonNeverWrapped) {
  auto store = store::NewMemoryStore();
  ASSERT_TRUE(InitDatabase(*store).ok());
  testing::ImportDir(*store, kDir, {"zones", "clusters", "firms", "members", "reports"});
  // Two reports of one year with the values the hostile-input probe used: 92233720368547 千元 of
  // output (≈ INT64_MAX fen) and INT64_MAX employees.
  const std::vector<Record> reports = testing::AllRecords(*store, Kind::kReports);
  const int year_col = Column(Kind::kReports, "year");
  const int64_t year = std::get<int64_t>(reports.front()[static_cast<size_t>(year_col)]);
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  int changed = 0;
  for (const Record& r : reports) {
    if (std::get<int64_t>(r[static_cast<size_t>(year_col)]) != year || changed == 2) continue;
    Record huge = r;
    huge[static_cast<size_t>(Column(Kind::kReports, "gross_output"))] = int64_t{92233720368547} * 100000;
    huge[static_cast<size_t>(Column(Kind::kReports, "employees"))] = INT64_MAX;
    ASSERT_TRUE((*txn)->Replace(Kind::kReports, huge, r, 0).ok());
    ++changed;
  }
  ASSERT_EQ(changed, 2);
  ASSERT_TRUE((*txn)->Commit().ok());

  auto data = LoadDataset(*store);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  IndicatorRequest req;
  req.entities = {EntityRef{EntityKind::kCountry, ""}};
  req.first_year = req.last_year = static_cast<int>(year);
  req.only = {"gross_output", "employees", "firm_count"};
  auto values = ComputeIndicators(**data, req);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  for (const IndicatorValue& v : *values) {
    const std::string id(v.indicator->id);
    if (id == "firm_count") {
      EXPECT_TRUE(v.has_value()) << "a count unaffected by the overflow stays";
      continue;
    }
    EXPECT_FALSE(v.has_value()) << id << " = " << (v.integer ? *v.integer : 0) << " must not be a wrapped total";
    EXPECT_EQ(v.reason, NullReason::kOverflow) << id;
    EXPECT_EQ(NullReasonId(v.reason), "overflow");
  }
}

TEST(Overflow, YearsOutsideTheRangeAreRefusedNotLooped) {
  auto store = store::NewMemoryStore();
  ASSERT_TRUE(InitDatabase(*store).ok());
  auto data = LoadDataset(*store);
  ASSERT_TRUE(data.ok());
  IndicatorRequest req;
  req.entities = {EntityRef{EntityKind::kCountry, ""}};
  for (auto [from, to] :
       {std::pair{2147483647, 2147483647}, std::pair{1, 2000000000}, std::pair{1899, 2000}, std::pair{2000, 2101}}) {
    req.first_year = from;
    req.last_year = to;
    auto values = ComputeIndicators(**data, req);
    ASSERT_FALSE(values.ok()) << from << "-" << to;
    EXPECT_EQ(values.status().code(), StatusCode::kUsage);
  }
}

}  // namespace
}  // namespace clusterscope
