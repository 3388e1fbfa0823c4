// End-to-end: `qualify` (and, below, `diagnose`) on the demo database, as a user runs them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <png.h>

#include <nlohmann/json.hpp>
#include <set>

#include "e2e/cli_runner.h"

namespace clusterscope {
namespace {

using testing::RunCli;

class DemoDb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("cs-e2e-demo-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "demo.db").string();
    auto r = RunCli("--db " + db_ + " demo --firms 2000");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string Db() { return "--db " + db_ + " "; }
  static inline std::filesystem::path dir_;
  static inline std::string db_;
};

TEST_F(DemoDb, QualifyTechSmeForTheReportCluster) {
  auto r = RunCli(Db() + "qualify tech-sme --year 2014 --cluster QH-BIO --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 60u);  // the report's 60 member firms
  std::set<std::string> results;
  for (const auto& q : j) {
    EXPECT_EQ(q["rule_set"], "tech-sme-2022");
    EXPECT_EQ(q["year"], 2014);
    results.insert(q["result"].get<std::string>());
    if (q["result"] == "qualifies") {
      ASSERT_FALSE(q["route"].is_null());
      if (q["route"] == "score") {
        // A band [min, max] qualifies only when even its minimum reaches 60.
        const auto& score = q["score"];
        EXPECT_GE(score.is_array() ? score[0].get<int>() : score.get<int>(), 60) << q.dump();
      }
    }
    EXPECT_FALSE(q["verdict"].get<std::string>().empty());
    for (const auto& g : q["gaps"]) EXPECT_GT(g["points"].get<int>(), 0);
  }
  EXPECT_TRUE(results.count("qualifies") && results.count("fails")) << r.out.substr(0, 500);

  auto csv = RunCli(Db() + "qualify tech-sme --year 2014 --cluster QH-BIO --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("uscc,name,year,rule_set,result,route,score_min,score_max", 0), 0u);
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 61);

  auto table = RunCli(Db() + "--lang zh qualify tech-sme --year 2014 --cluster QH-BIO --format table");
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("共60家：符合"), std::string::npos) << table.out;
}

TEST_F(DemoDb, QualifyHighTechListsEveryCriterion) {
  auto r = RunCli(Db() + "qualify high-tech --year 2014 --cluster QH-BIO --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 60u);
  for (const auto& q : j) {
    EXPECT_EQ(q["rule_set"], "high-tech-2016");
    ASSERT_EQ(q["criteria"].size(), 9u);
    EXPECT_NE(q["result"], "qualifies");  // the technology field is never in the statistics
    EXPECT_EQ(q["scores"]["sales_growth"].size(), 2u);
  }
  auto en = RunCli(Db() + "--lang en qualify high-tech --year 2014 --cluster QH-BIO --format table");
  EXPECT_NE(en.out.find("60 firms:"), std::string::npos) << en.out;
}

TEST_F(DemoDb, QualifyOneFirmShowsEveryReason) {
  auto all = nlohmann::json::parse(RunCli(Db() + "qualify tech-sme --year 2014 --cluster QH-BIO --format json").out);
  std::string uscc = all[0]["uscc"];
  std::string lower = uscc;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto one = RunCli(Db() + "qualify tech-sme --year 2014 --firm " + lower + " --format json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)[0], all[0]);  // lower-case accepted, same result
  auto table = RunCli(Db() + "qualify tech-sme --year 2014 --firm " + uscc + " --format table");
  EXPECT_NE(table.out.find("condition 1 (resident enterprise)"), std::string::npos) << table.out;
}

TEST_F(DemoDb, QualifyRefusesUnknownsWithExitOne) {
  auto bad = RunCli(Db() + "qualify tech-sme --year 2014 --firm 914403001922038217");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("914403001922038217"), std::string::npos) << bad.err;
  auto unknown = RunCli(Db() + "qualify tech-sme --year 2014 --firm 914403001922038216");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("not in the register"), std::string::npos) << unknown.err;
  auto cluster = RunCli(Db() + "qualify high-tech --year 2014 --cluster NO-SUCH");
  EXPECT_EQ(cluster.exit_code, 1);
  EXPECT_NE(cluster.err.find("NO-SUCH"), std::string::npos) << cluster.err;
  EXPECT_EQ(RunCli(Db() + "qualify nonsense --year 2014").exit_code, 2);
}

TEST_F(DemoDb, DiagnoseTheReportClusterNamesItsWeakestDimensionAndPipeline) {
  auto r = RunCli(Db() + "diagnose --cluster QH-BIO --year 2014 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["member_firms"], 60);
  ASSERT_EQ(j["dimensions"].size(), 3u);
  const std::string weakest = j["weakest"];
  bool named = false;
  for (const auto& dim : j["dimensions"]) {
    if (dim["id"] != weakest) continue;
    named = true;
    EXPECT_FALSE(dim["behind"].empty()) << dim.dump();  // the indicators behind it
    for (const auto& id : dim["behind"]) {
      for (const auto& ind : dim["indicators"]) {
        if (ind["id"] == id) {
          EXPECT_NE(dim["text"].get<std::string>().find(ind["name"].get<std::string>()), std::string::npos)
              << dim["text"];
        }
      }
    }
  }
  EXPECT_TRUE(named) << weakest;
  EXPECT_FALSE(j["pipeline"]["tech_sme_qualifying"].empty());
  EXPECT_FALSE(j["pipeline"]["tech_sme_nearly"].empty());
  for (const auto& e : j["pipeline"]["tech_sme_nearly"]) EXPECT_FALSE(e["gaps"].empty());
  // The report's backbone firms lead.
  bool jinhe = false;
  for (const auto& f : j["backbone"]["firms"]) jinhe = jinhe || f["name"] == "青海金诃藏药药业股份有限公司";
  EXPECT_TRUE(jinhe) << j["backbone"].dump();

  auto zh = RunCli(Db() + "--lang zh diagnose --cluster QH-BIO --year 2014 --format table");
  ASSERT_EQ(zh.exit_code, 0);
  EXPECT_NE(zh.out.find("最薄弱："), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("培育科技型中小企业："), std::string::npos);
  auto csv = RunCli(Db() + "diagnose --cluster QH-BIO --year 2014 --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("section,id,name,value,percentile_all", 0), 0u);
  EXPECT_EQ(RunCli(Db() + "diagnose --cluster NOPE --year 2014").exit_code, 1);
}

TEST_F(DemoDb, BriefStatesTheSevenFiguresInBothLanguages) {
  auto zh = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014");
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* figure :
       {"共有企业60家", "投产企业总数的62.5%", "工业总产值122.0亿元", "同比增长30.7%", "工业总产值的58.6%",
        "主导产业工业增加值占集群的6", "有23家集群企业实现工业总产值过亿元"}) {
    EXPECT_NE(zh.out.find(figure), std::string::npos) << figure << "\n" << zh.out;
  }
  auto en = RunCli(Db() + "--lang en brief --cluster QH-BIO --year 2014");
  ASSERT_EQ(en.exit_code, 0) << en.err;
  for (const char* figure : {"60 firms", "62.5% of the producing firms", "12.2 billion yuan", "up 30.7%", "58.6%",
                             "leading industries accounted for 6", "23 firms had output of 100 million yuan"}) {
    EXPECT_NE(en.out.find(figure), std::string::npos) << figure << "\n" << en.out;
  }
  auto json = RunCli(Db() + "brief --cluster QH-BIO --year 2014 --format json");
  ASSERT_EQ(json.exit_code, 0);
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["facts"]["firm_count"], 60);
  EXPECT_EQ(j["facts"]["firms_over_100m"], 23);
  EXPECT_EQ(RunCli(Db() + "brief --cluster NOPE --year 2014").exit_code, 1);
}

// Reads a PNG as RGBA; empty on failure.
std::vector<uint8_t> ReadPng(const std::string& path, uint32_t& width, uint32_t& height) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0) return {};
  image.format = PNG_FORMAT_RGBA;
  std::vector<uint8_t> pixels(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) return {};
  width = image.width;
  height = image.height;
  return pixels;
}

TEST_F(DemoDb, BriefHtmlRendersInHeadlessChromium) {
  const char* chromium = std::getenv("CHROMIUM");
  const std::string browser = chromium != nullptr ? chromium : "/usr/bin/chromium";
  if (!std::filesystem::exists(browser)) {
    GTEST_SKIP() << browser << " is not installed (scripts/install-deps.sh installs it): the HTML is not rendered";
  }
  const std::string html = (dir_ / "brief.html").string();
  auto r = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014 --html " + html);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = testing::ReadAll(html);
  EXPECT_EQ(page.find("http"), std::string::npos) << "the page must not need the network";
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("122.0亿元"), std::string::npos);

  const std::string png = (dir_ / "brief.png").string();
  const std::string cmd = browser +
                          " --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1600 "
                          "--screenshot=" +
                          png + " file://" + html + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  uint32_t w = 0;
  uint32_t h = 0;
  const auto px = ReadPng(png, w, h);
  ASSERT_FALSE(px.empty()) << png;
  ASSERT_EQ(w, 1000u);
  // Not blank: ink (dark pixels) for the text, and the cluster's red in the charts.
  size_t dark = 0;
  size_t red = 0;
  size_t dark_top = 0;
  for (uint32_t y = 0; y < h; ++y) {
    for (uint32_t x = 0; x < w; ++x) {
      const uint8_t* p = &px[(static_cast<size_t>(y) * w + x) * 4];
      if (p[0] + p[1] + p[2] < 3 * 100) {
        ++dark;
        if (y < 200) ++dark_top;
      }
      if (p[0] > 150 && p[1] < 80 && p[2] < 80) ++red;
    }
  }
  const double total = static_cast<double>(w) * h;
  EXPECT_GT(static_cast<double>(dark) / total, 0.01) << "too little text on the page";
  EXPECT_GT(dark_top, 2000u) << "no title in the first 200 rows";
  EXPECT_GT(red, 5000u) << "no chart bars";
}

}  // namespace
}  // namespace clusterscope
