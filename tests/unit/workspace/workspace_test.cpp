// The front door: a workspace loads its data once, reloads exactly when the store's generation
// moves on, and applies the request defaults the CLI used to apply itself.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "clusterscope/importer.h"
#include "clusterscope/workspace.h"
#include "support/import_dir.h"

namespace clusterscope {
namespace {

const std::string kGolden = std::string(CS_SOURCE_DIR) + "/tests/data/indicators/golden/";

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cs-ws-" + std::to_string(getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "w.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(WorkspaceTest, ReadModeRefusesAMissingDatabase) {
  auto ws = Workspace::Open(db_, WorkspaceMode::kRead);
  ASSERT_FALSE(ws.ok());
  EXPECT_EQ(ws.status().id(), "db.missing");
  EXPECT_FALSE(std::filesystem::exists(db_));
}

TEST_F(WorkspaceTest, DataReloadsExactlyWhenTheGenerationMoves) {
  {
    auto writer = Workspace::Open(db_, WorkspaceMode::kWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    testing::ImportDir((*writer)->store(), kGolden, {"zones", "clusters", "firms", "members"});
  }
  auto reader = Workspace::Open(db_, WorkspaceMode::kRead);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto first = (*reader)->Data();
  ASSERT_TRUE(first.ok());
  auto again = (*reader)->Data();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get()) << "no write in between: the same data, not a reload";
  EXPECT_TRUE(ReportYears(**first).empty());

  // Another connection (as another process would) imports the reports.
  {
    auto writer = Workspace::Open(db_, WorkspaceMode::kWrite);
    ASSERT_TRUE(writer.ok());
    testing::ImportDir((*writer)->store(), kGolden, {"reports"});
  }
  auto after = (*reader)->Data();
  ASSERT_TRUE(after.ok());
  EXPECT_NE(first->get(), after->get()) << "the generation moved: reloaded";
  EXPECT_FALSE(ReportYears(**after).empty());
}

TEST_F(WorkspaceTest, IndicatorDefaultsLatestYearCountryAndComparableTwins) {
  {
    auto writer = Workspace::Open(db_, WorkspaceMode::kWrite);
    ASSERT_TRUE(writer.ok());
    IndicatorQuery none;
    auto empty = (*writer)->Indicators(none);
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.status().id(), "data.no_reports");
    testing::ImportDir((*writer)->store(), kGolden, {"zones", "clusters", "firms", "members", "reports"});
  }
  auto ws = Workspace::Open(db_, WorkspaceMode::kRead);
  ASSERT_TRUE(ws.ok());
  auto data = (*ws)->Data();
  const int latest = ReportYears(**data).back();
  IndicatorQuery q;
  q.only = {"gross_output_growth", "firm_count"};
  q.comparable = true;
  auto values = (*ws)->Indicators(q);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ((*values)[0].entity.kind, EntityKind::kCountry);
  EXPECT_EQ((*values)[0].year, latest);
  EXPECT_EQ((*values)[0].indicator->id, "gross_output_growth_comparable");
  EXPECT_EQ((*values)[1].indicator->id, "firm_count");
  // Rendered once, three ways.
  const Answer a = IndicatorsAnswer(*values, Lang::kEn);
  EXPECT_NE(Render(a, Format::kCsv).find("entity,id,name,year,indicator,value,unit,coverage,reason"),
            std::string::npos);
  EXPECT_EQ(Render(a, Format::kJson).rfind("[\n{", 0), 0u);
  EXPECT_NE(Render(a, Format::kTable).find("China"), std::string::npos);
}

// An import waits for another process's write lock as long as it is told (the server's uploads
// wait less than the command line), then says db.busy and writes nothing.
TEST_F(WorkspaceTest, AnImportWaitsForAnotherWritersLockAsLongAsAskedThenSaysBusy) {
  auto first = ImportIntoDatabase(db_, {{Kind::kZones, kGolden + "zones.csv", ""}}, {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  ImportOptions options;
  options.write_wait_ms = 800;
  const auto start = std::chrono::steady_clock::now();
  auto busy = ImportIntoDatabase(db_, {{Kind::kClusters, kGolden + "clusters.csv", ""}}, options);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(holder);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.status().id(), "db.busy");
  EXPECT_NE(busy.status().message().find("0.8 seconds"), std::string::npos) << busy.status().message();
  EXPECT_EQ(busy.status().message().find(db_ + ": " + db_), std::string::npos) << "names the database once";
  EXPECT_GE(waited, std::chrono::milliseconds(800));
  auto ws = Workspace::Open(db_, WorkspaceMode::kRead);
  ASSERT_TRUE(ws.ok());
  auto clusters = (*ws)->store().Count(Kind::kClusters);
  ASSERT_TRUE(clusters.ok());
  EXPECT_EQ(*clusters, 0) << "nothing written";
  // Free again: the same import goes in.
  EXPECT_TRUE(ImportIntoDatabase(db_, {{Kind::kClusters, kGolden + "clusters.csv", ""}}, options).ok());
}

}  // namespace
}  // namespace clusterscope
