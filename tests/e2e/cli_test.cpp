// End-to-end: the clusterscope binary as a user runs it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace clusterscope {
namespace {

using testing::RunCli;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cs-e2e-" + std::to_string(getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Db() const { return "--db " + db_ + " "; }
  static std::string Example(const std::string& name) { return std::string(CS_SOURCE_DIR) + "/examples/" + name; }
  std::string ImportAllExamples() const {
    return Db() + "import zones " + Example("zones.csv") + " clusters " + Example("clusters.csv") + " firms " +
           Example("firms.csv") + " members " + Example("members.csv") + " institutions " +
           Example("institutions.csv") + " reports " + Example("reports.csv");
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(Cli, InitCreatesThenReportsCurrent) {
  auto first = RunCli(Db() + "init");
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("created"), std::string::npos);
  auto second = RunCli(Db() + "init");
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.out.find("current"), std::string::npos);
  auto zh = RunCli(Db() + "--lang zh init");
  EXPECT_NE(zh.out.find("数据库已是最新"), std::string::npos) << zh.out;
}

TEST_F(Cli, ExamplesImportOnceThenChangeNothing) {
  auto first = RunCli(ImportAllExamples());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("written to"), std::string::npos);
  EXPECT_NE(first.out.find("reports.csv (reports, utf-8): 48 rows read, 48 added"), std::string::npos) << first.out;
  auto again = RunCli(ImportAllExamples());
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing changed"), std::string::npos) << again.out;
  // The Traditional-character twin of the firms file names the same firms.
  auto traditional = RunCli(Db() + "import firms " + Example("firms_traditional.csv"));
  EXPECT_EQ(traditional.exit_code, 0) << traditional.err;
  EXPECT_NE(traditional.out.find("24 unchanged"), std::string::npos) << traditional.out;
}

TEST_F(Cli, ListFormats) {
  ASSERT_EQ(RunCli(ImportAllExamples()).exit_code, 0);
  auto json = RunCli(Db() + "list firms --cluster QH-BIO --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto rows = nlohmann::json::parse(json.out);
  ASSERT_TRUE(rows.is_array());
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    EXPECT_TRUE(row.contains("uscc"));
    EXPECT_TRUE(row.contains("name"));
    EXPECT_TRUE(row["listed"].is_boolean() || row["listed"].is_null());
  }
  auto csv = RunCli(Db() + "list zones --format csv");
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "zone_id,name,region_code,level,name_en");
  auto table = RunCli(Db() + "--lang zh list clusters --format table");
  EXPECT_NE(table.out.find("集群代码"), std::string::npos);
  EXPECT_NE(table.out.find("共2条"), std::string::npos) << table.out;
}

TEST_F(Cli, ListCsvImportsBackUnchanged) {
  ASSERT_EQ(RunCli(ImportAllExamples()).exit_code, 0);
  auto csv = RunCli(Db() + "list firms --format csv");
  std::string path = (dir_ / "firms_out.csv").string();
  std::ofstream(path) << csv.out;
  auto back = RunCli(Db() + "import firms " + path);
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.out.find("24 unchanged"), std::string::npos) << back.out;
}

TEST_F(Cli, ExitCodes) {
  EXPECT_EQ(RunCli("").exit_code, 2);
  EXPECT_EQ(RunCli(Db() + "import firms").exit_code, 2);
  EXPECT_EQ(RunCli(Db() + "import nonsense x.csv").exit_code, 2);
  EXPECT_EQ(RunCli(Db() + "list firms --format yaml").exit_code, 2);
  auto missing = RunCli(Db() + "list firms");
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find(db_), std::string::npos) << missing.err;
  ASSERT_EQ(RunCli(ImportAllExamples()).exit_code, 0);
  auto unknown = RunCli(Db() + "list firms --cluster NOPE");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("NOPE"), std::string::npos);
  EXPECT_EQ(RunCli(Db() + "import firms " + (dir_ / "absent.csv").string()).exit_code, 1);
  EXPECT_EQ(RunCli("--db postgresql://localhost/x list firms").exit_code, 3);
  EXPECT_EQ(RunCli("import --help").exit_code, 0);
}

TEST_F(Cli, NewerSchemaIsRefusedAndUntouched) {
  ASSERT_EQ(RunCli(Db() + "init").exit_code, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto init = RunCli(Db() + "init");
  EXPECT_EQ(init.exit_code, 3);
  EXPECT_NE(init.err.find("newer"), std::string::npos) << init.err;
  auto imp = RunCli(Db() + "import zones " + Example("zones.csv"));
  EXPECT_EQ(imp.exit_code, 3);
}

TEST_F(Cli, DemoIsIdempotentAndGuardsOtherData) {
  auto first = RunCli(Db() + "demo --firms 2000");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("7 of 7 figures match the report"), std::string::npos) << first.out;
  auto again = RunCli(Db() + "demo --firms 2000");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already built"), std::string::npos) << again.out;
  std::string other = (dir_ / "other.db").string();
  std::string zone = (dir_ / "z.csv").string();
  std::ofstream(zone) << "zone_id,name,region_code,level\nOTHER,别的园区,630100,provincial\n";
  ASSERT_EQ(RunCli("--db " + other + " import zones " + zone).exit_code, 0);
  auto refused = RunCli("--db " + other + " demo --firms 2000");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(RunCli("--db " + other + " demo --firms 2000 --force").exit_code, 0);
}

TEST_F(Cli, GenerateIsDeterministicAndImports) {
  std::string a = (dir_ / "a").string();
  std::string b = (dir_ / "b").string();
  auto first = RunCli("generate --firms 1500 --years 2013-2015 --seed 5 --out " + a);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(RunCli("generate --firms 1500 --years 2013-2015 --seed 5 --out " + b).exit_code, 0);
  for (const char* f : {"zones.csv", "clusters.csv", "firms.csv", "members.csv", "institutions.csv", "reports.csv"}) {
    EXPECT_EQ(testing::ReadAll(a + "/" + f), testing::ReadAll(b + "/" + f)) << f;
  }
  auto other_seed = RunCli("generate --firms 1500 --years 2013-2015 --seed 6 --out " + b);
  EXPECT_NE(testing::ReadAll(a + "/reports.csv"), testing::ReadAll(b + "/reports.csv"));
  // The printed import command works as printed.
  std::string import = first.out.substr(first.out.find("clusterscope import") + 13);
  import = import.substr(0, import.find('\n'));
  auto imported = RunCli(Db() + import);
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(RunCli("generate --firms 1500 --years 2013-2099 --out " + a).exit_code, 2);
  EXPECT_EQ(RunCli("generate --firms 10 --years 2013-2015 --out " + a).exit_code, 2);
}

}  // namespace
}  // namespace clusterscope
