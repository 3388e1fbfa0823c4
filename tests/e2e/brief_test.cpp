// End-to-end: `brief` on the demo database — the several-cluster survey (--cluster A --cluster B,
// --region), and the Word document, opened and converted by LibreOffice headless (a test-only
// dependency) and read back with poppler's pdftotext / pdfimages.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "e2e/cli_runner.h"

namespace clusterscope {
namespace {

using testing::RunCli;

class BriefDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Under ASan, fontconfig's process-lifetime caches (charts laid out by pango) are not leaks of ours.
    if (std::getenv("LSAN_OPTIONS") == nullptr) {
      setenv("LSAN_OPTIONS", ("suppressions=" + std::string(CS_SOURCE_DIR) + "/tests/lsan.supp").c_str(), 0);
    }
    dir_ = std::filesystem::temp_directory_path() / ("cs-e2e-brief-" + std::to_string(getpid()));
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

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
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

TEST_F(BriefDemo, RegionSurveyCoversTheRecognisedClustersInOrder) {
  auto zh = RunCli(Db() + "--lang zh brief --region 63 --year 2014");
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  const size_t bio = zh.out.find("一、青藏高原特色生物资源与中藏药产业集群");
  const size_t salt = zh.out.find("二、海西盐湖化工特色循环经济产业集群");
  ASSERT_NE(bio, std::string::npos) << zh.out;
  ASSERT_NE(salt, std::string::npos) << zh.out;
  EXPECT_LT(bio, salt);
  EXPECT_EQ(zh.out.rfind("青海省创新型产业集群2014年调研简报", 0), 0u) << zh.out;
  EXPECT_NE(zh.out.find("本简报涉及青海省的两个创新型产业集群"), std::string::npos);
  EXPECT_NE(zh.out.find("西宁锂电新材料产业集群尚未认定"), std::string::npos);  // XN-LIB: not recognised
  EXPECT_NE(zh.out.find("、存在的主要问题"), std::string::npos);
  EXPECT_NE(zh.out.find("点工作建议：一是"), std::string::npos);
  EXPECT_NE(zh.out.find("二是"), std::string::npos);
  for (const char* bad : {"QH-BIO", "HX-SALT", "百分位", ".0亿元"})
    EXPECT_EQ(zh.out.find(bad), std::string::npos) << bad;

  // The same clusters named one by one: the same sections, without the region in the opening.
  auto named = RunCli(Db() + "--lang zh brief --cluster QH-BIO --cluster HX-SALT --year 2014");
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_NE(named.out.find("两个创新型产业集群2014年调研简报"), std::string::npos) << named.out;
  EXPECT_EQ(named.out.substr(named.out.find("一、")), zh.out.substr(zh.out.find("一、")));

  auto en = RunCli(Db() + "--lang en brief --region 630000 --year 2014");
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("in Qinghai"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("3. Common problems"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("4. Recommendations"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("first, "), std::string::npos);

  auto json = RunCli(Db() + "brief --region 63 --year 2014 --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  ASSERT_EQ(j["facts"]["clusters"].size(), 2u);
  EXPECT_EQ(j["facts"]["clusters"][0]["cluster_id"], "QH-BIO");
  EXPECT_EQ(j["sections"].size(), 5u);  // opening, two clusters, problems, recommendations
}

TEST_F(BriefDemo, BriefFormsAreCheckedAsUsage) {
  EXPECT_EQ(RunCli(Db() + "brief --year 2014").exit_code, 2);
  EXPECT_EQ(RunCli(Db() + "brief --cluster QH-BIO --region 63 --year 2014").exit_code, 2);
  EXPECT_EQ(RunCli(Db() + "brief --cluster QH-BIO --cluster HX-SALT --year 2014 --xlsx " + (dir_ / "x.xlsx").string())
                .exit_code,
            2);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.xlsx"));
  EXPECT_EQ(RunCli(Db() + "brief --region 99 --year 2014").exit_code, 1);
  EXPECT_EQ(RunCli(Db() + "brief --region 6x --year 2014").exit_code, 1);
  EXPECT_EQ(RunCli(Db() + "brief --cluster QH-BIO --cluster NOPE --year 2014").exit_code, 1);
}

TEST_F(BriefDemo, NoReportingFirmAndTheRegisterOnRecord) {
  auto r = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2012");  // members join in 2013
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("共有企业0家"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("明确集群建设主体"), std::string::npos) << r.out;  // 西宁高新区管委会 is on record
  EXPECT_EQ(r.out.find("组建产业技术创新战略联盟"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("目前"), std::string::npos) << r.out;  // 2012 is a past year
}

TEST_F(BriefDemo, DocxIsWordprocessingMlOnA4WithChartsAndOpensInLibreOffice) {
  const std::string docx = (dir_ / "qinghai.docx").string();
  auto r = RunCli(Db() + "--lang zh brief --region 63 --year 2014 --docx " + docx);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(docx));
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << "temporary file left: " << e.path();
  }
  // The package: a document that parses, on A4, with headings, tables and embedded PNG charts.
  const std::string xml = ZipEntry(docx, "word/document.xml");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << "word/document.xml does not parse";
  const pugi::xml_node size = doc.select_node("//w:sectPr/w:pgSz").node();
  EXPECT_STREQ(size.attribute("w:w").value(), "11906");
  EXPECT_STREQ(size.attribute("w:h").value(), "16838");
  EXPECT_GE(doc.select_nodes("//w:pStyle[@w:val='Heading1']").size(), 4u);
  EXPECT_GE(doc.select_nodes("//w:tbl").size(), 4u);  // figures and ratios for each cluster
  const size_t drawings = doc.select_nodes("//w:drawing").size();
  EXPECT_GE(drawings, 4u);
  const std::string chart = ZipEntry(docx, "word/media/chart1.png");
  ASSERT_GT(chart.size(), 1000u);
  EXPECT_EQ(chart.substr(1, 3), "PNG");
  EXPECT_FALSE(ZipEntry(docx, "word/styles.xml").empty());
  EXPECT_NE(ZipEntry(docx, "[Content_Types].xml").find("image/png"), std::string::npos);

  const std::string soffice = Shell("command -v soffice 2>/dev/null");
  if (soffice.empty()) {
    GTEST_SKIP() << "soffice (LibreOffice) is not installed — scripts/install-deps.sh installs "
                    "libreoffice-writer-nogui: the .docx was checked as a package but not opened";
  }
  const std::filesystem::path out = dir_ / "pdf";
  std::filesystem::create_directories(out);
  const std::string profile = "file://" + (dir_ / "lo-profile").string();
  const std::string convert = "soffice -env:UserInstallation=" + profile + " --headless --convert-to pdf --outdir " +
                              out.string() + " " + docx + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(convert.c_str()), 0) << convert;
  const std::string pdf = (out / "qinghai.pdf").string();
  ASSERT_TRUE(std::filesystem::exists(pdf)) << "LibreOffice did not convert " << docx;
  // pdftotext may set spaces between CJK and digits: compare without them.
  std::string text = Shell("pdftotext -layout " + pdf + " -");
  std::erase(text, ' ');
  for (const char* want : {"青海省创新型产业集群2014年调研简报", "一、青藏高原特色生物资源与中藏药产业集群",
                           "二、海西盐湖化工特色循环经济产业集群", "存在的主要问题", "工作建议", "122亿元", "表1",
                           "图1", "集群企业数", "全员劳动生产率"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << " not in the PDF text";
  }
  // The charts came through as images.
  const std::string images = Shell("pdfimages -list " + pdf + " | tail -n +3 | wc -l");
  EXPECT_GE(std::stoi(images), static_cast<int>(drawings)) << Shell("pdfimages -list " + pdf);
  const std::string pages = Shell("pdfinfo " + pdf + " | grep 'Page size'");
  EXPECT_NE(pages.find("595"), std::string::npos) << pages;  // A4: 595 × 842 pt
}

// The examples carry English names (name_en): English briefs use them, Chinese ones do not.
TEST_F(BriefDemo, EnglishBriefUsesTheRegistersEnglishNames) {
  const std::string db = (dir_ / "examples.db").string();
  const std::string ex = std::string(CS_SOURCE_DIR) + "/examples/";
  std::string args = "--db " + db + " import";
  for (const char* kind : {"zones", "clusters", "firms", "members", "institutions", "reports"}) {
    args += std::string(" ") + kind + " " + ex + kind + ".csv";
  }
  auto imported = RunCli(args);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto en = RunCli("--db " + db + " --lang en brief --cluster QH-BIO --year 2014");
  ASSERT_EQ(en.exit_code, 0) << en.err;
  for (const char* name :
       {"Qinghai–Tibet Plateau Biological Resources and Chinese and Tibetan Medicine Cluster: briefing",
        "The Qinghai–Tibet Plateau", "the Xining High-tech Zone",
        "Qinghai Jinhe Tibetan Medicine Pharmaceutical Co., Ltd.", "Qinghai Kangpu Biotechnology Co., Ltd."}) {
    EXPECT_NE(en.out.find(name), std::string::npos) << name << "\n" << en.out;
  }
  EXPECT_EQ(en.out.find("青藏高原"), std::string::npos) << en.out;
  auto zh = RunCli("--db " + db + " --lang zh brief --cluster QH-BIO --year 2014");
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_EQ(zh.out.find("Qinghai"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("目前，青藏高原特色生物资源与中藏药产业集群"), std::string::npos)
      << zh.out;  // 2014 is the latest
}

// The HTML trend chart shows every year with output, not just two.
TEST_F(BriefDemo, HtmlTrendChartCoversEveryYear) {
  const std::string html = (dir_ / "hx.html").string();
  auto r = RunCli(Db() + "--lang zh brief --cluster HX-SALT --year 2014 --html " + html);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = testing::ReadAll(html);
  const std::string chart = page.substr(0, page.find("</svg>"));
  int shown = 0;
  for (int y = 2000; y <= 2030; ++y) {
    std::string label = ">";
    label += std::to_string(y);
    label += "</text>";
    if (chart.find(label) != std::string::npos) ++shown;
  }
  auto out = RunCli(Db() + "indicators --cluster HX-SALT --years 2000-2030 --only gross_output --format json");
  ASSERT_EQ(out.exit_code, 0) << out.err;
  int with_output = 0;
  for (const auto& v : nlohmann::json::parse(out.out)) with_output += v["value"].is_null() ? 0 : 1;
  EXPECT_GT(with_output, 2);
  EXPECT_EQ(shown, with_output) << chart;
}

// The brief states whether the cluster's leading industry is localised, with the distances: the
// verdict of `agglomeration kd` over the same firms with the brief's options, in both languages,
// with the Kd chart in the HTML page and the Word document.
TEST_F(BriefDemo, BriefStatesWhetherTheLeadingIndustryIsLocalised) {
  auto brief = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014 --format json");
  ASSERT_EQ(brief.exit_code, 0) << brief.err;
  const auto loc = nlohmann::json::parse(brief.out)["facts"]["localisation"];
  ASSERT_EQ(loc["status"], "tested") << loc;
  EXPECT_EQ(loc["industry"], "2730");  // QH-BIO's first leading industry in the register
  EXPECT_EQ(loc["sims"], 99);
  EXPECT_EQ(loc["seed"], 1);
  auto kd = RunCli(Db() + "agglomeration kd --industry 2730 --year 2014 --r 0:200:1 --sims 99 --seed 1 --format json");
  ASSERT_EQ(kd.exit_code, 0) << kd.err;
  const auto head = nlohmann::json::parse(kd.out)["header"];
  EXPECT_EQ(loc["firms"], head["n"]);
  EXPECT_EQ(loc["sites"], head["sites"]);
  EXPECT_EQ(loc["verdict"], head["verdict"]["verdict"]);
  EXPECT_EQ(loc["localised_at_km"], head["verdict"]["localised_at"]);
  EXPECT_EQ(loc["dispersed_at_km"], head["verdict"]["dispersed_at"]);
  // The demo puts the industry's firms in a few zones: localised, from 0 km up.
  ASSERT_EQ(loc["verdict"], "localised");
  const double from = loc["localised_at_km"][0][0], to = loc["localised_at_km"][0][1];
  EXPECT_LE(from, 5);
  const auto km = [](double v) { return fmt::format("{:.6g}", v); };
  auto zh = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014");
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_NE(zh.out.find(fmt::format("集群主导产业中药饮片加工（2730）企业{}家，呈集聚分布", loc["firms"].get<int>())),
            std::string::npos)
      << zh.out;
  EXPECT_NE(zh.out.find(km(from) + "–" + km(to) + "公里"), std::string::npos) << zh.out;
  auto en = RunCli(Db() + "--lang en brief --cluster QH-BIO --year 2014");
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("(GB/T 4754 class 2730), and they were localised"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find(km(from) + "–" + km(to) + " km"), std::string::npos) << en.out;
  // Same seed, same bytes.
  EXPECT_EQ(RunCli(Db() + "--lang en brief --cluster QH-BIO --year 2014").out, en.out);

  const std::string html = (dir_ / "kd.html").string();
  const std::string docx = (dir_ / "kd.docx").string();
  auto files = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014 --html " + html + " --docx " + docx);
  ASSERT_EQ(files.exit_code, 0) << files.err;
  const std::string page = testing::ReadAll(html);
  const size_t caption = page.find("主导产业企业两两距离的核密度（Kd）与全局置信带");
  ASSERT_NE(caption, std::string::npos);
  const std::string chart = page.substr(page.rfind("<svg", caption), caption - page.rfind("<svg", caption));
  EXPECT_NE(chart.find("<polygon points="), std::string::npos) << "no band";
  EXPECT_NE(chart.find("<polyline points="), std::string::npos) << "no curve";
  EXPECT_NE(chart.find("全局置信带（99次随机标记模拟）"), std::string::npos);
  const std::string xml = ZipEntry(docx, "word/document.xml");
  EXPECT_NE(xml.find("主导产业企业两两距离的核密度（Kd）与全局置信带"), std::string::npos);
  EXPECT_EQ(ZipEntry(docx, "word/media/chart4.png").substr(1, 3), "PNG");  // output, ratios, dimensions, Kd
}

// Too few firms of the industry, or no coordinates at all: the brief says so and draws no Kd chart.
TEST_F(BriefDemo, LocalisationSaysPlainlyWhenItCannotBeTested) {
  const std::string ex = std::string(CS_SOURCE_DIR) + "/examples/";
  const auto import = [&](const std::string& db, const std::string& firms) {
    std::string args =
        "--db " + db + " import zones " + ex + "zones.csv clusters " + ex + "clusters.csv firms " + firms;
    for (const char* kind : {"members", "institutions", "reports"})
      args += std::string(" ") + kind + " " + ex + kind + ".csv";
    return RunCli(args);
  };
  // The examples' few firms with coordinates: too few of class 2730.
  const std::string few = (dir_ / "few.db").string();
  auto imported = import(few, ex + "firms.csv");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto zh = RunCli("--db " + few + " --lang zh brief --cluster QH-BIO --year 2014 --format json");
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  const auto j = nlohmann::json::parse(zh.out);
  const auto loc = j["facts"]["localisation"];
  ASSERT_EQ(loc["status"], "too_few_firms") << loc;
  EXPECT_LT(loc["firms"].get<int>(), 10);
  bool said = false;
  for (const auto& p : j["paragraphs"])
    said = said || p.get<std::string>().find("无法检验其是否集聚") != std::string::npos;
  EXPECT_TRUE(said) << j["paragraphs"];
  const std::string html = (dir_ / "few.html").string();
  ASSERT_EQ(RunCli("--db " + few + " --lang zh brief --cluster QH-BIO --year 2014 --html " + html).exit_code, 0);
  EXPECT_EQ(testing::ReadAll(html).find("核密度（Kd）与全局置信带"), std::string::npos);

  // The same firms without coordinates (the lat and lon cells emptied).
  std::ifstream in(ex + "firms.csv");
  std::ofstream out(dir_ / "firms-nocoord.csv");
  std::string line;
  std::getline(in, line);
  out << line
      << "\n";  // uscc,name,region_code,zone_id,industry_code,founded,high_tech_cert_year,listed,lat,lon,name_en
  while (std::getline(in, line)) {
    size_t at = 0;
    for (int comma = 0; comma < 8; ++comma) at = line.find(',', at) + 1;
    const size_t lon_end = line.find(',', line.find(',', at) + 1);
    out << line.substr(0, at) << "," << line.substr(lon_end) << "\n";
  }
  out.close();
  const std::string none = (dir_ / "nocoord.db").string();
  imported = import(none, (dir_ / "firms-nocoord.csv").string());
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto en = RunCli("--db " + none + " --lang en brief --cluster QH-BIO --year 2014 --format json");
  ASSERT_EQ(en.exit_code, 0) << en.err;
  const auto k = nlohmann::json::parse(en.out);
  EXPECT_EQ(k["facts"]["localisation"]["status"], "no_coordinates") << k["facts"];
  EXPECT_NE(k.dump().find("No firm that reported for 2014 has coordinates"), std::string::npos) << k["paragraphs"];
}

TEST_F(BriefDemo, DocxThatCannotBeWrittenLeavesNothing) {
  const std::string bad = (dir_ / "no-such-dir" / "b.docx").string();
  auto r = RunCli(Db() + "--lang en brief --cluster QH-BIO --year 2014 --docx " + bad);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(std::filesystem::exists(bad));
}

}  // namespace
}  // namespace clusterscope
