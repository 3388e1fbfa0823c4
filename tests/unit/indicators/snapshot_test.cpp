// The columnar snapshot of the reports (report_columns, schema version 2) loads exactly the data
// that the row scan loads: on the golden data, on the demo data, after a second import, and after
// upgrading a version-1 file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "clusterscope/demo.h"
#include "clusterscope/importer.h"
#include "clusterscope/indicators.h"
#include "indicators/dataset.h"
#include "store/forwarding_store.h"
#include "support/import_dir.h"

namespace clusterscope {
namespace {

const std::string kGolden = std::string(CS_SOURCE_DIR) + "/tests/data/indicators/golden/";

// Forwards everything but the snapshot, so that LoadDataset reads the rows.
class RowsOnly : public store::ForwardingStore {
 public:
  explicit RowsOnly(Store& base) : ForwardingStore(base) {}
  using Store::ScanReportColumns;
  Result<SnapshotScan> ScanReportColumns(const ReportColumnsRequest&,
                                         const std::function<Status(ReportYearColumns&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Result<SnapshotScan> ScanIndustryTotals(std::string_view, int,
                                          const std::function<void(const IndustryTotal&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Result<SnapshotScan> ScanZoneTotals(int, const std::function<void(const ZoneTotals&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Result<SnapshotScan> ScanFirmSites(const std::function<void(FirmSites&)>&) override { return SnapshotScan::kAbsent; }
  Result<SnapshotScan> ScanRegisterColumns(const RegisterRead&, const std::function<void(RegisterColumns&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Status RefreshReportColumns() override { return Status::Ok(); }
};

class Snapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cs_snapshot_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open() {
    auto store = OpenStore(path_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }

  void ImportGolden(Store& store, std::initializer_list<const char*> kinds) {
    testing::ImportDir(store, kGolden, kinds);
  }

  // The snapshot is current after every write — an import keeps it, an upgrade or a demo build
  // builds it — with no reader writing (issue 11 #5); and it loads what the rows load: the
  // tables, then every indicator.
  static void ExpectSnapshotMatchesRows(Store& store) {
    auto count = store.Count(Kind::kFirms);
    ASSERT_TRUE(count.ok());
    auto before = store.ScanReportColumns({"revenue"}, *count, [](ReportYearColumns&) { return Status::Ok(); });
    ASSERT_TRUE(before.ok());
    EXPECT_EQ(*before, SnapshotScan::kRead) << "every write keeps the snapshot current; no reader builds it";
    bool called = false;
    auto has = store.ScanReportColumns({"revenue"}, -1, [&](ReportYearColumns&) {
      called = true;
      return Status::Ok();
    });
    ASSERT_TRUE(has.ok());
    EXPECT_EQ(*has, SnapshotScan::kAbsent) << "a snapshot for another number of firms must not be used";
    EXPECT_FALSE(called);
    auto firms = store.Count(Kind::kFirms);
    ASSERT_TRUE(firms.ok());
    has = store.ScanReportColumns({"revenue"}, *firms, [](ReportYearColumns&) { return Status::Ok(); });
    ASSERT_TRUE(has.ok());
    ASSERT_EQ(*has, SnapshotScan::kRead) << "no snapshot";

    auto from_snapshot = LoadDataset(store);
    ASSERT_TRUE(from_snapshot.ok()) << from_snapshot.status().ToString();
    RowsOnly rows_only(store);
    auto from_rows = LoadDataset(rows_only);
    ASSERT_TRUE(from_rows.ok()) << from_rows.status().ToString();
    const Dataset& a = **from_snapshot;
    const Dataset& b = **from_rows;
    ASSERT_EQ(a.firms.size(), b.firms.size());
    ASSERT_EQ(a.years.size(), b.years.size());
    ASSERT_FALSE(a.years.empty());
    for (size_t y = 0; y < a.years.size(); ++y) {
      const YearTable& s = a.years[y];
      const YearTable& r = b.years[y];
      SCOPED_TRACE("year " + std::to_string(r.year));
      EXPECT_EQ(s.year, r.year);
      EXPECT_EQ(s.firm, r.firm);
      EXPECT_EQ(s.present, r.present);
      for (size_t f = 0; f < kFieldCount; ++f) EXPECT_EQ(s.column[f], r.column[f]) << kFieldIds[f];
    }
    EXPECT_EQ(a.row_of_firm, b.row_of_firm);

    IndicatorRequest req;
    for (EntityKind kind : {EntityKind::kCluster, EntityKind::kZone, EntityKind::kRegion, EntityKind::kCountry}) {
      for (EntityRef& e : AllEntities(a, kind)) req.entities.push_back(std::move(e));
    }
    std::vector<int> years = ReportYears(a);
    req.first_year = years.front();
    req.last_year = years.back();
    auto va = ComputeIndicators(a, req);
    auto vb = ComputeIndicators(b, req);
    ASSERT_TRUE(va.ok() && vb.ok());
    ASSERT_EQ(va->size(), vb->size());
    size_t with_value = 0;
    for (size_t i = 0; i < va->size(); ++i) {
      const IndicatorValue& x = (*va)[i];
      const IndicatorValue& z = (*vb)[i];
      SCOPED_TRACE(std::string(x.indicator->id) + " " + x.entity.id + " " + std::to_string(x.year));
      EXPECT_EQ(x.integer, z.integer);
      EXPECT_EQ(x.real, z.real);
      EXPECT_EQ(x.reason, z.reason);
      EXPECT_EQ(x.coverage, z.coverage);
      if (x.has_value()) ++with_value;
    }
    EXPECT_GT(with_value, va->size() / 4);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(Snapshot, GoldenDataInOneImport) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  ImportGolden(*store, {"zones", "clusters", "firms", "members", "reports"});
  ExpectSnapshotMatchesRows(*store);
}

TEST_F(Snapshot, KeptInStepByEveryImport) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  ImportGolden(*store, {"zones", "clusters", "firms", "members"});
  // Firms but no reports yet: the snapshot holds the firms and no year.
  auto firms = store->Count(Kind::kFirms);
  ASSERT_TRUE(firms.ok());
  int years = 0;
  auto has = store->ScanReportColumns({"revenue"}, *firms, [&](ReportYearColumns&) {
    ++years;
    return Status::Ok();
  });
  ASSERT_TRUE(has.ok() && *has == SnapshotScan::kRead);
  EXPECT_EQ(years, 0);
  ImportGolden(*store, {"reports"});
  ExpectSnapshotMatchesRows(*store);
}

TEST_F(Snapshot, UpgradeFromVersion1BuildsIt) {
  {
    auto store = Open();
    ASSERT_TRUE(InitDatabase(*store).ok());
    ImportGolden(*store, {"zones", "clusters", "firms", "members", "reports"});
  }
  // Make the file what version 1 wrote: no report_columns.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE report_columns; DROP TABLE store_meta; PRAGMA user_version = 1;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = Open();
  ASSERT_EQ(*store->SchemaVersion(), 1);
  auto none = store->ScanReportColumns({"revenue"}, 0, [](ReportYearColumns&) { return Status::Ok(); });
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, SnapshotScan::kAbsent);
  ASSERT_TRUE(store->Init().ok());
  EXPECT_EQ(*store->SchemaVersion(), kSchemaVersion);
  ExpectSnapshotMatchesRows(*store);
}

// Issue 9 #6: a blob changed in place (PRAGMA integrity_check still ok) must not reach the engine:
// the reader falls back to the rows, says so, and gives the same data; `init` rebuilds it.
TEST_F(Snapshot, CorruptedBlobFallsBackToRowsWithAWarning) {
  {
    auto store = Open();
    ASSERT_TRUE(InitDatabase(*store).ok());
    ImportGolden(*store, {"zones", "clusters", "firms", "members", "reports"});
    ASSERT_TRUE(store->RefreshReportColumns().ok());
  }
  auto corrupt = [&](const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
  };
  // Every byte of the firm-position blobs flipped: what the ASan finding wrote out of bounds with.
  for (const char* sql :
       {"UPDATE report_columns SET data = CAST(zeroblob(length(data)) AS BLOB) WHERE column_id = 'firm'",
        "UPDATE report_columns SET data = substr(data, 1, 20) || x'7f' || substr(data, 22) WHERE column_id = 'revenue'",
        "UPDATE report_columns SET rows = 2000000000 WHERE column_id = 'firm'"}) {
    {
      auto store = Open();
      ASSERT_TRUE(store->Init().ok());  // rebuilds a damaged snapshot from the rows
      auto firms = store->Count(Kind::kFirms);
      ASSERT_EQ(*store->ScanReportColumns({"revenue"}, *firms, [](ReportYearColumns&) { return Status::Ok(); }),
                SnapshotScan::kRead);
    }
    corrupt(sql);
    auto store = Open();
    auto firms = store->Count(Kind::kFirms);
    auto scan = store->ScanReportColumns({"revenue"}, *firms, [](ReportYearColumns&) { return Status::Ok(); });
    ASSERT_TRUE(scan.ok());
    EXPECT_EQ(*scan, SnapshotScan::kDamaged) << sql;
    auto damaged = LoadDataset(*store);
    ASSERT_TRUE(damaged.ok()) << damaged.status().ToString();
    ASSERT_EQ(DatasetWarnings(**damaged, Lang::kEn).size(), 1u) << sql;
    EXPECT_NE(DatasetWarnings(**damaged, Lang::kEn)[0].find("damaged"), std::string::npos);
    RowsOnly rows_only(*store);
    auto from_rows = LoadDataset(rows_only);
    ASSERT_TRUE(from_rows.ok());
    ASSERT_EQ((*damaged)->years.size(), (*from_rows)->years.size());
    for (size_t y = 0; y < (*damaged)->years.size(); ++y) {
      EXPECT_EQ((*damaged)->years[y].firm, (*from_rows)->years[y].firm);
    }
  }
}

TEST_F(Snapshot, DemoData) {
  auto store = Open();
  DemoOptions options;
  options.firms = 3000;
  auto demo = BuildDemo(*store, options);
  ASSERT_TRUE(demo.ok()) << demo.status().ToString();
  ExpectSnapshotMatchesRows(*store);  // the demo's figures loaded it
}

}  // namespace
}  // namespace clusterscope
