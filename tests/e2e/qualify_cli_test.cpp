// End-to-end: `qualify` (and, below, `diagnose`) on the demo database, as a user runs them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <png.h>
#include <zip.h>

#include <nlohmann/json.hpp>
#include <set>

#include "e2e/cli_runner.h"
#include "io/table_reader.h"

namespace clusterscope {
namespace {

using testing::RunCli;

class DemoDb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("cs-e2e-demo-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "demo.db").string();
    auto r = testing::DemoDatabase(db_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string Db() { return "--db " + db_ + " "; }
  static inline std::filesystem::path dir_;
  static inline std::string db_;
};

TEST_F(DemoDb, QualifyTechSmeBefore2017IsNotApplicable) {
  auto r = RunCli(Db() + "qualify tech-sme --year 2014 --cluster QH-BIO --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 60u);
  for (const auto& q : j) {
    EXPECT_EQ(q["rule_set"], "tech-sme-2017");
    EXPECT_EQ(q["result"], "not_applicable");
    EXPECT_EQ(q["verdict"], "the evaluation scheme began in 2017");
    EXPECT_FALSE(q.contains("score"));
  }
  auto table = RunCli(Db() + "--lang zh qualify tech-sme --year 2014 --cluster QH-BIO --format table");
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("不适用60家"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("规则集：tech-sme-2017"), std::string::npos) << table.out;
}

TEST_F(DemoDb, QualifyTechSmeForTheReportCluster) {
  // The 2017 scheme applied to 2014: a what-if, said so.
  auto r = RunCli(Db() + "qualify tech-sme --year 2014 --cluster QH-BIO --rule-set tech-sme-2017 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("what-if"), std::string::npos) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 60u);  // the report's 60 member firms
  std::set<std::string> results;
  for (const auto& q : j) {
    EXPECT_EQ(q["rule_set"], "tech-sme-2017");
    EXPECT_EQ(q["what_if"], true);
    EXPECT_EQ(q["year"], 2014);
    // One tier short only below the bar, and with a step that reaches it.
    if (q["nearly"] == true) {
      const auto& score = q["score"];
      const int lo = score.is_array() ? score[0].get<int>() : score.get<int>();
      EXPECT_LT(lo, 60) << q.dump();
      bool reaches = false;
      for (const auto& g : q["gaps"]) {
        if (g["reaches_bar"] == true) {
          reaches = true;
          EXPECT_GE(lo + g["points"].get<int>(), 60) << q.dump();
        }
      }
      EXPECT_TRUE(reaches) << q.dump();
    }
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

  auto csv = RunCli(Db() + "qualify tech-sme --year 2014 --cluster QH-BIO --rule-set tech-sme-2017 --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("uscc,name,year,rule_set,result,route,score_min,score_max", 0), 0u);
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 61);

  auto table =
      RunCli(Db() + "--lang zh qualify tech-sme --year 2014 --cluster QH-BIO --rule-set tech-sme-2017 --format table");
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("共60家：符合"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("（假设分析）"), std::string::npos) << table.out;
  // A rule set of the other kind is a usage error.
  EXPECT_EQ(RunCli(Db() + "qualify tech-sme --year 2014 --rule-set high-tech-2016").exit_code, 2);
}

TEST_F(DemoDb, QualifyHighTechListsEveryCriterion) {
  auto r = RunCli(Db() + "qualify high-tech --year 2014 --cluster QH-BIO --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 60u);
  for (const auto& q : j) {
    EXPECT_EQ(q["rule_set"], "high-tech-2008");  // the rules in force in 2014
    ASSERT_EQ(q["criteria"].size(), 9u);
    std::set<std::string> ids;
    for (const auto& c : q["criteria"]) ids.insert(c["id"].get<std::string>());
    EXPECT_TRUE(ids.count("rd_staff_share") && !ids.count("registered_one_year")) << q.dump();
    EXPECT_NE(q["result"], "qualifies");  // the technology field is never in the statistics
    EXPECT_EQ(q["scores"]["sales_growth"].size(), 2u);
  }
  auto en = RunCli(Db() + "--lang en qualify high-tech --year 2014 --cluster QH-BIO --format table");
  EXPECT_NE(en.out.find("60 firms:"), std::string::npos) << en.out;
  auto y2016 = nlohmann::json::parse(RunCli(Db() + "qualify high-tech --year 2016 --cluster QH-BIO --format json").out);
  ASSERT_FALSE(y2016.empty());
  EXPECT_EQ(y2016[0]["rule_set"], "high-tech-2016");
  // Fewer QH-BIO firms pass what statistics can check under the 2008 rules in force than under
  // the 2016 rules applied to 2014.
  auto what_if = nlohmann::json::parse(
      RunCli(Db() + "qualify high-tech --year 2014 --cluster QH-BIO --rule-set high-tech-2016 --format json").out);
  int c2008 = 0;
  int c2016 = 0;
  for (const auto& q : j) c2008 += q["candidate"].get<bool>() ? 1 : 0;
  for (const auto& q : what_if) c2016 += q["candidate"].get<bool>() ? 1 : 0;
  EXPECT_LT(c2008, c2016);
}

TEST_F(DemoDb, QualifyOneFirmShowsEveryReason) {
  auto all = nlohmann::json::parse(
      RunCli(Db() + "qualify tech-sme --year 2014 --cluster QH-BIO --rule-set tech-sme-2017 --format json").out);
  std::string uscc = all[0]["uscc"];
  std::string lower = uscc;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto one = RunCli(Db() + "qualify tech-sme --year 2014 --rule-set tech-sme-2017 --firm " + lower + " --format json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)[0], all[0]);  // lower-case accepted, same result
  auto table =
      RunCli(Db() + "qualify tech-sme --year 2014 --rule-set tech-sme-2017 --firm " + uscc + " --format table");
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
  // 2014: no tech-SME scheme yet; the 2008 high-tech rules.
  EXPECT_EQ(j["pipeline"]["tech_sme_applicable"], false);
  EXPECT_TRUE(j["pipeline"]["tech_sme_nearly"].empty());
  EXPECT_EQ(j["pipeline"]["high_tech_rule_set"], "high-tech-2008");
  // The 2017 scheme as a what-if: nobody at or over the bar is one tier short, and every suggested
  // step reaches the bar.
  auto w = nlohmann::json::parse(
      RunCli(Db() + "diagnose --cluster QH-BIO --year 2014 --rule-set tech-sme-2017 --format json").out);
  EXPECT_EQ(w["pipeline"]["tech_sme_what_if"], true);
  EXPECT_FALSE(w["pipeline"]["tech_sme_qualifying"].empty());
  EXPECT_FALSE(w["pipeline"]["tech_sme_nearly"].empty());
  for (const auto& e : w["pipeline"]["tech_sme_nearly"]) {
    EXPECT_FALSE(e["gaps"].empty()) << e.dump();
    EXPECT_LT(e["score"][1].get<int>(), 60) << e.dump();
  }
  for (const auto& e : w["pipeline"]["tech_sme_reaching_undetermined"]) {
    EXPECT_GE(e["score"][0].get<int>(), 60) << e.dump();
    EXPECT_FALSE(e["missing_cells"].empty()) << e.dump();
  }
  // The registered backbone firms come first: 金诃 and 康普 (role = backbone in the members file).
  const auto& firms = j["backbone"]["firms"];
  ASSERT_GE(firms.size(), 2u);
  std::set<std::string> first_two = {firms[0]["name"], firms[1]["name"]};
  EXPECT_TRUE(first_two.count("青海金诃藏药药业股份有限公司")) << j["backbone"].dump();
  EXPECT_TRUE(first_two.count("青海康普生物科技股份有限公司")) << j["backbone"].dump();
  EXPECT_EQ(firms[0]["marked_backbone"], true);
  EXPECT_EQ(firms[1]["marked_backbone"], true);

  auto zh = RunCli(Db() + "--lang zh diagnose --cluster QH-BIO --year 2014 --format table");
  ASSERT_EQ(zh.exit_code, 0);
  EXPECT_NE(zh.out.find("最薄弱："), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("培育科技型中小企业（tech-sme-2017）：不适用"), std::string::npos) << zh.out;
  auto csv = RunCli(Db() + "diagnose --cluster QH-BIO --year 2014 --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("section,id,name,value,percentile_all", 0), 0u);
  EXPECT_EQ(RunCli(Db() + "diagnose --cluster NOPE --year 2014").exit_code, 1);
}

TEST_F(DemoDb, BriefStatesTheSevenFiguresInBothLanguages) {
  auto zh = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014");
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* figure :
       {"共有企业60家", "投产企业总数的62.5%", "工业总产值122亿元", "同比增长30.7%", "工业总产值的58.6%",
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
  EXPECT_NE(page.find("122亿元"), std::string::npos);

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

// Every row of one sheet, header first, read with the project's own .xlsx reader.
std::vector<std::vector<std::string>> Sheet(const std::string& path, const std::string& name) {
  auto reader = io::TableReader::Open(path, {.sheet = name});
  EXPECT_TRUE(reader.ok()) << name << ": " << reader.status().message();
  if (!reader.ok()) return {};
  std::vector<std::vector<std::string>> rows{(*reader)->header()};
  io::TableRow row;
  while (true) {
    auto more = (*reader)->Next(row);
    if (!more.ok() || !*more) break;
    rows.push_back(row.cells);
  }
  return rows;
}

std::string ZipEntry(const std::string& path, const char* entry) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr) return {};
  std::string out;
  if (zip_file_t* f = zip_fopen(z, entry, 0)) {
    char buf[4096];
    zip_int64_t n = 0;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(z);
  return out;
}

TEST_F(DemoDb, BriefWorkbookReadsBackIntact) {
  const std::string xlsx = (dir_ / "brief.xlsx").string();
  auto r = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014 --xlsx " + xlsx);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // 概况: the report's figures as numbers, not text.
  std::map<std::string, std::string> summary;
  for (const auto& row : Sheet(xlsx, "概况")) {
    if (row.size() >= 2) summary.emplace(row[0], row[1]);  // the first of repeated keys (the prose)
  }
  EXPECT_EQ(summary["集群"], "青藏高原特色生物资源与中藏药产业集群");
  EXPECT_EQ(summary["集群企业数（家）"], "60");
  EXPECT_DOUBLE_EQ(std::stod(summary["工业总产值（亿元）"]), 122.0);
  EXPECT_DOUBLE_EQ(std::stod(summary["占园区投产企业比重"]), 0.625);
  EXPECT_NEAR(std::stod(summary["工业总产值同比增长"]), 0.307, 0.0005);
  EXPECT_EQ(summary["产值过亿元企业数（家）"], "23");
  EXPECT_NE(summary["简报"].find("截至2014年底，青藏高原特色生物资源与中藏药产业集群共有企业60家"), std::string::npos);

  // 指标: every catalogue indicator, one column per year.
  const auto ind = Sheet(xlsx, "指标");
  EXPECT_GE(ind.size(), 57u);  // header + 56 or more indicators
  EXPECT_EQ(ind[0].back(), "2014");
  bool firm_count = false;
  for (const auto& row : ind) firm_count = firm_count || (row[0] == "firm_count" && row.back() == "60");
  EXPECT_TRUE(firm_count);

  // 企业: the 60 members with Chinese names and their qualification.
  const auto firms = Sheet(xlsx, "企业");
  ASSERT_EQ(firms.size(), 61u);
  EXPECT_EQ(firms[0][0], "统一社会信用代码");
  bool jinhe = false;
  for (const auto& row : firms) jinhe = jinhe || row[1] == "青海金诃藏药药业股份有限公司";
  EXPECT_TRUE(jinhe);

  const auto eval = Sheet(xlsx, "评价");
  bool rated = false;
  for (const auto& row : eval) rated = rated || row[1] == "QH-BIO";
  EXPECT_TRUE(rated);
  const auto diag = Sheet(xlsx, "诊断");
  EXPECT_GT(diag.size(), 10u);
  EXPECT_EQ(diag[1][0], "维度");

  // Number formats and frozen headers are in the file.
  const std::string styles = ZipEntry(xlsx, "xl/styles.xml");
  for (const char* code : {"0.0%", "#,##0.00", "#,##0"}) EXPECT_NE(styles.find(code), std::string::npos) << code;
  EXPECT_NE(ZipEntry(xlsx, "xl/worksheets/sheet1.xml").find("state=\"frozen\""), std::string::npos);
}

TEST_F(DemoDb, ExportsForAnySetOfClustersOrZones) {
  const std::string ind = (dir_ / "ind.xlsx").string();
  ASSERT_EQ(RunCli(Db() + "export indicators --year 2014 --cluster QH-BIO --cluster HX-SALT --zone XNGX --xlsx " + ind)
                .exit_code,
            0);
  const auto rows = Sheet(ind, "指标");
  ASSERT_EQ(rows.size(), 4u);  // header + three entities
  EXPECT_EQ(rows[1][1], "QH-BIO");
  const std::string firms = (dir_ / "firms.xlsx").string();
  ASSERT_EQ(RunCli(Db() + "export firms --year 2014 --cluster QH-BIO --xlsx " + firms).exit_code, 0);
  EXPECT_EQ(Sheet(firms, "企业").size(), 61u);
  const std::string eval = (dir_ / "eval.xlsx").string();
  ASSERT_EQ(RunCli(Db() + "export evaluation --year 2014 --xlsx " + eval).exit_code, 0);
  EXPECT_GT(Sheet(eval, "评价").size(), 5u);
  EXPECT_EQ(RunCli(Db() + "export firms --year 2014 --cluster NOPE --xlsx " + firms).exit_code, 1);
  EXPECT_EQ(RunCli(Db() + "export nonsense --year 2014 --xlsx " + firms).exit_code, 2);
}

}  // namespace
}  // namespace clusterscope
