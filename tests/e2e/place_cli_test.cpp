// End-to-end: `specialisation` and `agglomeration` on the demo database and on a points CSV, and
// `mpirun -n 2 … --mpi` giving the bytes a single process gives for the same seed.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"
#include "io/table_reader.h"

namespace clusterscope::testing {
namespace {

namespace fs = std::filesystem;

class PlaceCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / fmt::format("cs-e2e-place-{}", getpid());
    fs::create_directories(dir_);
    db_ = (dir_ / "demo.db").string();
    auto r = testing::DemoDatabase(db_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string Db() { return "--db " + db_ + " "; }
  static fs::path dir_;
  static std::string db_;
};
fs::path PlaceCli::dir_;
std::string PlaceCli::db_;

TEST_F(PlaceCli, SpecialisationEveryIndexEveryFormat) {
  for (const char* what : {"lq", "krugman", "hoover", "gini", "hhi", "eg", "eg-coagglomeration"}) {
    auto r = RunCli(Db() + fmt::format("specialisation {} --year 2014 --industry 27 26 --format json", what));
    ASSERT_EQ(r.exit_code, 0) << what << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["year"], 2014);
    ASSERT_FALSE(j["values"].empty()) << what;
    for (const auto& v : j["values"]) EXPECT_TRUE(v["value"].is_number() || v.contains("reason")) << v.dump();
    auto csv = RunCli(Db() + fmt::format("specialisation {} --year 2014 --format csv --region-level prefecture", what));
    EXPECT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out.rfind("indicator,year,measure,region,industry,value", 0), 0u);
    auto zh =
        RunCli(Db() + fmt::format("--lang zh specialisation {} --year 2014 --format table --measure firms", what));
    EXPECT_EQ(zh.exit_code, 0) << zh.err;
    EXPECT_NE(zh.out.find("企业数"), std::string::npos);
  }
  auto bad = RunCli(Db() + "specialisation eg --year 1999");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("1999"), std::string::npos) << bad.err;
}

// --xlsx: the same values as --format json, as numbers, under headers in the chosen language,
// read back with the importer's own .xlsx reader.
TEST_F(PlaceCli, SpecialisationWorkbookHoldsTheJsonValues) {
  const std::string book = (dir_ / "lq.xlsx").string();
  const std::string query = "specialisation lq --year 2014 --industry 27 26 ";
  auto written = RunCli(Db() + "--lang zh " + query + "--xlsx " + book);
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_NE(written.err.find("已写出"), std::string::npos) << written.err;
  auto json = RunCli(Db() + query + "--format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto values = nlohmann::json::parse(json.out)["values"];
  auto reader = io::TableReader::Open(book);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const std::vector<std::string> want = {
      "指标", "年份", "口径", "地区代码", "地区", "行业代码", "值", "缺值原因", "企业赫芬达尔指数", "企业数", "地区数"};
  EXPECT_EQ((*reader)->header(), want);
  io::TableRow row;
  size_t i = 0;
  while (true) {
    auto more = (*reader)->Next(row);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ASSERT_LT(i, values.size());
    const auto& v = values[i++];
    SCOPED_TRACE(v.dump());
    EXPECT_EQ(row.cells[0], "lq");
    EXPECT_EQ(row.cells[1], "2014");
    EXPECT_EQ(row.cells[3], v.value("region", ""));
    EXPECT_EQ(row.cells[4], v.value("region_name", ""));
    EXPECT_EQ(row.cells[5], v.value("industry", ""));
    if (v["value"].is_number()) {
      EXPECT_NEAR(std::stod(row.cells[6]), v["value"].get<double>(), 1e-12 * std::abs(v["value"].get<double>()));
      EXPECT_TRUE(row.cells[7].empty());
    } else {
      EXPECT_TRUE(row.cells[6].empty()) << "a missing value is an empty cell, never 0";
      EXPECT_FALSE(row.cells[7].empty());
    }
    EXPECT_EQ(row.cells[9], std::to_string(v["firms"].get<int64_t>()));
  }
  EXPECT_EQ(i, values.size());
  EXPECT_GT(i, 0u);
}

TEST_F(PlaceCli, KdFromTheStoreWithBandsAndSvg) {
  const std::string svg = (dir_ / "kd.svg").string();
  auto r = RunCli(Db() +
                  "agglomeration kd --industry 27 --year 2014 --sims 39 --seed 3 --r 0:300:25 --format json "
                  "--svg " +
                  svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["header"]["function"], "kd");
  EXPECT_GT(j["header"]["n"].get<int>(), 10);
  EXPECT_GT(j["header"]["bandwidth"].get<double>(), 0);
  ASSERT_EQ(j["rows"].size(), 13u);
  EXPECT_TRUE(j["rows"][1].contains("global_hi"));
  EXPECT_TRUE(fs::exists(svg));
  EXPECT_FALSE(fs::exists(svg + ".tmp"));
  EXPECT_NE(ReadAll(svg).find("global band"), std::string::npos);
  auto zh = RunCli(
      Db() + "--lang zh agglomeration kd --industry 27 --year 2014 --sims 9 --r 0:100:50 --format table --svg " + svg);
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_NE(ReadAll(svg).find("全局置信带"), std::string::npos);
  EXPECT_NE(zh.out.find("结论"), std::string::npos);
}

TEST_F(PlaceCli, PointsCsvAndUsage) {
  const std::string pts = (dir_ / "pts.csv").string();
  {
    std::ofstream out(pts);
    out << "x,y,type,weight\n0,0,a,1\n1,0,a,2\n0,1,b,1\n5,5,b,4\n";
  }
  auto m = RunCli("agglomeration m --points " + pts + " --type a --r 1,2 --format csv");
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(m.out, "r,value\n1,2.25\n2,1.5\n");  // tests/data/place/README.md
  auto mw = RunCli("agglomeration m --points " + pts + " --type a --versus b --r 1 --format csv");
  EXPECT_EQ(mw.out, "r,value\n1,0.375\n");
  auto none = RunCli("agglomeration kd --points " + pts + " --type zz");
  EXPECT_EQ(none.exit_code, 1);
  auto both = RunCli("agglomeration kd --r 0:1:0.1");
  EXPECT_EQ(both.exit_code, 2);
}

TEST_F(PlaceCli, MpiTwoRanksGiveTheBytesOfOneProcess) {
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "mpirun not installed (openmpi-bin)";
  auto probe = RunCli("agglomeration kd --points /nonexistent --type a --mpi");
  if (probe.err.find("without MPI") != std::string::npos) GTEST_SKIP() << "clusterscope built without MPI";
  for (const char* f : {"kd --weighted", "m"}) {
    const std::string args =
        Db() +
        fmt::format("agglomeration {} --industry 27 --year 2014 --sims 40 --seed 11 --r 0:200:20 --format json", f);
    auto one = RunCli(args);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    const std::string out = (dir_ / "mpi.json").string();
    const std::string cmd = fmt::format(
        // OpenMPI's own allocations outlive MPI_Finalize: no leak report from an ASan build.
        "ASAN_OPTIONS=detect_leaks=0 LANG=C mpirun --allow-run-as-root --oversubscribe -n 2 {} {} --mpi > {} "
        "2>/dev/null",
        CliPath(), args, out);
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    EXPECT_EQ(ReadAll(out), one.out) << f;
  }
}

}  // namespace
}  // namespace clusterscope::testing
