// Importer behaviour on small hand-made files, against the in-memory store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "clusterscope/importer.h"
#include "clusterscope/store.h"
#include "store/memory_store.h"

namespace clusterscope {
namespace {

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::NewMemoryStore();
    ASSERT_TRUE(InitDatabase(*store_).ok());
    dir_ = std::filesystem::temp_directory_path() / ("cs-importer-" + std::to_string(getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string File(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  ImportOutcome Run(std::vector<ImportInput> inputs, ImportOptions options = {}) {
    options.this_year = 2026;
    auto r = Import(*store_, std::move(inputs), options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : ImportOutcome{};
  }
  void LoadZoneAndCluster() {
    auto out =
        Run({{Kind::kZones, File("z.csv", "zone_id,name,region_code,level\nXNGX,西宁高新区,630100,国家级\n"), ""},
             {Kind::kClusters,
              File("c.csv",
                   "cluster_id,name,zone_id,leading_industries\nQH-BIO,青藏高原特色生物资源与中藏药产业集群,XNGX,2730;"
                   "2740\n"),
              ""}});
    ASSERT_EQ(out.errors(), 0);
  }
  Record Firm(const std::string& uscc) {
    auto r = store_->Get(Kind::kFirms, Record{uscc});
    EXPECT_TRUE(r.ok() && r->has_value()) << uscc;
    return r.ok() && r->has_value() ? **r : Record{};
  }
  Record Report(const std::string& uscc, int64_t year) {
    auto r = store_->Get(Kind::kReports, Record{uscc, year});
    EXPECT_TRUE(r.ok() && r->has_value()) << uscc << " " << year;
    return r.ok() && r->has_value() ? **r : Record{};
  }
  static std::vector<std::string> Rules(const ImportOutcome& o) {
    std::vector<std::string> rules;
    for (const Problem& p : o.problems) rules.push_back(p.rule);
    return rules;
  }

  std::unique_ptr<Store> store_;
  std::filesystem::path dir_;
};

constexpr const char* kSaltLake = "91632801XY0009519A";  // synthetic, valid under GB 32100

TEST_F(ImporterTest, TraditionalAndSimplifiedNamesResolveToOneStoredName) {
  LoadZoneAndCluster();
  auto first = Run({{Kind::kFirms,
                     File("f1.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake +
                                        ",青海鹽湖工業股份有限公司,632801,2623\n"),
                     ""}});
  ASSERT_EQ(first.errors(), 0);
  EXPECT_EQ(std::get<std::string>(Firm(kSaltLake)[1]), "青海盐湖工业股份有限公司");
  EXPECT_EQ(std::get<std::string>(Firm(kSaltLake)[10]), "青海鹽湖工業股份有限公司");  // name_original
  auto second = Run({{Kind::kFirms,
                      File("f2.csv", std::string("统一社会信用代码,企业名称,行政区划代码,行业代码\n") + kSaltLake +
                                         ",青海盐湖工业股份有限公司,632801,C2623\n"),
                      ""}});
  EXPECT_EQ(second.errors(), 0);
  EXPECT_EQ(second.files[0].unchanged, 1);
  EXPECT_FALSE(second.written);
  EXPECT_EQ(*store_->Count(Kind::kFirms), 1);
}

TEST_F(ImporterTest, MoneyUnitsFromHeadersAreExact) {
  LoadZoneAndCluster();
  std::string firms =
      File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n");
  std::string reports =
      File("r.csv", std::string("uscc,year,revenue,gross_output（万元）,value_added[元],net_profit(亿元)\n") +
                        kSaltLake + ",2014,0.1,1.5,0.01,-0.5\n");
  auto out = Run({{Kind::kReports, reports, ""}, {Kind::kFirms, firms, ""}});  // order on the command line is free
  ASSERT_EQ(out.errors(), 0) << (out.problems.empty() ? "" : out.problems[0].message_en);
  Record r = Report(kSaltLake, 2014);
  EXPECT_EQ(std::get<int64_t>(r[3]), 10000);          // 0.1 千元 = 100 yuan = 10,000 fen
  EXPECT_EQ(std::get<int64_t>(r[4]), 1500000);        // 1.5 万元 = 15,000 yuan
  EXPECT_EQ(std::get<int64_t>(r[5]), 1);              // 0.01 元 = 1 fen
  EXPECT_EQ(std::get<int64_t>(r[6]), -5000000000LL);  // −0.5 亿元
  EXPECT_EQ(std::get<int64_t>(r[2]), 1);              // producing defaults to yes
  EXPECT_TRUE(IsNull(r[7]));                          // absent column: NULL, not zero
}

TEST_F(ImporterTest, EmptyCellIsNullNeverZero) {
  LoadZoneAndCluster();
  auto out = Run(
      {{Kind::kFirms,
        File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n"), ""},
       {Kind::kReports, File("r.csv", std::string("uscc,year,revenue,employees\n") + kSaltLake + ",2014,,\n"), ""}});
  ASSERT_EQ(out.errors(), 0);
  Record r = Report(kSaltLake, 2014);
  EXPECT_TRUE(IsNull(r[3]));
  EXPECT_TRUE(IsNull(r[11]));
}

TEST_F(ImporterTest, EveryProblemIsReportedAndNothingIsWritten) {
  LoadZoneAndCluster();
  std::string firms =
      File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n");
  std::string reports =
      File("r.csv", std::string("uscc,year,revenue,employees,tech_staff\n") + kSaltLake + ",2012,12a,10,5\n" +
                        kSaltLake + ",2013,100,10,11\n" + kSaltLake + ",2014,100,-3,\n");
  auto out = Run({{Kind::kFirms, firms, ""}, {Kind::kReports, reports, ""}});
  EXPECT_EQ(out.errors(), 3);
  EXPECT_EQ(Rules(out), (std::vector<std::string>{"cell.number", "consistency.tech_staff", "cell.negative"}));
  EXPECT_EQ(out.problems[0].row, 2);
  EXPECT_EQ(out.problems[0].column, "revenue");
  EXPECT_EQ(out.problems[0].value, "12a");
  EXPECT_EQ(out.problems[1].row, 3);
  EXPECT_EQ(out.problems[2].row, 4);
  EXPECT_FALSE(out.written);
  EXPECT_EQ(*store_->Count(Kind::kFirms), 0);  // the valid firms file of the same import is not written either
  EXPECT_EQ(*store_->Count(Kind::kReports), 0);
}

TEST_F(ImporterTest, StoredKeyWithOtherValuesNeedsReplaceWhichKeepsHistory) {
  LoadZoneAndCluster();
  std::string v1 =
      File("f1.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n");
  std::string v2 =
      File("f2.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2613\n");
  ASSERT_EQ(Run({{Kind::kFirms, v1, ""}}).errors(), 0);
  auto refused = Run({{Kind::kFirms, v2, ""}});
  EXPECT_EQ(Rules(refused), std::vector<std::string>{"key.stored"});
  EXPECT_NE(refused.problems[0].message_en.find("industry_code"), std::string::npos);
  EXPECT_EQ(std::get<std::string>(Firm(kSaltLake)[4]), "2623");

  ImportOptions replace;
  replace.replace = true;
  auto replaced = Run({{Kind::kFirms, v2, ""}}, replace);
  EXPECT_EQ(replaced.errors(), 0);
  EXPECT_EQ(replaced.files[0].replaced, 1);
  EXPECT_EQ(std::get<std::string>(Firm(kSaltLake)[4]), "2613");
  auto history = store_->History(Kind::kFirms);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_NE((*history)[0].record_json.find("2623"), std::string::npos);
  auto log = store_->ImportLog();
  ASSERT_FALSE(log->empty());
  EXPECT_EQ(log->back().replaced, 1);
  EXPECT_EQ(log->back().sha256.size(), 64u);
}

TEST_F(ImporterTest, DryRunChecksEverythingAndWritesNothing) {
  LoadZoneAndCluster();
  ImportOptions dry;
  dry.dry_run = true;
  auto out = Run(
      {{Kind::kFirms,
        File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n"), ""}},
      dry);
  EXPECT_EQ(out.errors(), 0);
  EXPECT_EQ(out.files[0].added, 1);
  EXPECT_FALSE(out.written);
  EXPECT_EQ(*store_->Count(Kind::kFirms), 0);
}

TEST_F(ImporterTest, UnknownColumnRefusesUnlessIgnored) {
  LoadZoneAndCluster();
  std::string f =
      File("f.csv", std::string("uscc,name,region_code,industry_code,revenu\n") + kSaltLake + ",盐湖,632801,2623,5\n");
  auto refused = Run({{Kind::kFirms, f, ""}});
  EXPECT_EQ(Rules(refused), std::vector<std::string>{"header.unknown"});
  EXPECT_EQ(refused.problems[0].row, 1);
  ImportOptions ignore;
  ignore.ignore_unknown_columns = true;
  auto accepted = Run({{Kind::kFirms, f, ""}}, ignore);
  EXPECT_EQ(accepted.errors(), 0);
  ASSERT_EQ(accepted.problems.size(), 1u);
  EXPECT_EQ(accepted.problems[0].severity, Severity::kWarning);
  EXPECT_TRUE(accepted.written);
}

TEST_F(ImporterTest, HeadersMatchChineseNamesWithAnyBracketStyle) {
  LoadZoneAndCluster();
  std::string firms =
      File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n");
  std::string reports = File(
      "r.csv", std::string(" 统一社会信用代码 ,年份,高新技术产品（服务）收入,营业收入（万元）,年末从业人员(人)\n") +
                   kSaltLake + ",2014,１２,2.5,３\n");
  auto out = Run({{Kind::kFirms, firms, ""}, {Kind::kReports, reports, ""}});
  ASSERT_EQ(out.errors(), 0) << out.problems[0].message_en;
  Record r = Report(kSaltLake, 2014);
  EXPECT_EQ(std::get<int64_t>(r[21]), 1200000);  // 12 千元
  EXPECT_EQ(std::get<int64_t>(r[3]), 2500000);   // 2.5 万元 = 25,000 yuan
  EXPECT_EQ(std::get<int64_t>(r[11]), 3);
}

TEST_F(ImporterTest, MembershipYearsMustNotOverlap) {
  LoadZoneAndCluster();
  std::string firms =
      File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n");
  std::string members = File("m.csv", std::string("cluster_id,uscc,from_year,to_year,role\n") + "QH-BIO," + kSaltLake +
                                          ",2010,2014,骨干\nQH-BIO," + kSaltLake + ",2013,,member\n");
  auto out = Run({{Kind::kFirms, firms, ""}, {Kind::kMembers, members, ""}});
  EXPECT_EQ(Rules(out), std::vector<std::string>{"members.overlap"});
  EXPECT_EQ(out.problems[0].row, 3);
}

TEST_F(ImporterTest, ReferenceTablesMergeAndCheckParents) {
  auto ok = Run({{Kind::kIndustries, File("i.csv", "code,name\n2741,测试小类甲\n274,中成药生产\n"), ""}});
  // 274 is built in with this name (unchanged); 2741's parent 274 exists.
  EXPECT_EQ(ok.errors(), 0) << (ok.problems.empty() ? "" : ok.problems[0].message_en);
  EXPECT_EQ(ok.files[0].added, 1);
  auto orphan = Run({{Kind::kIndustries, File("i2.csv", "code,name\n2799,无上级\n"), ""}});
  EXPECT_EQ(Rules(orphan), std::vector<std::string>{"industry.parent"});
  auto renamed = Run({{Kind::kIndustries, File("i3.csv", "code,name\n27,别的名字\n"), ""}});
  EXPECT_EQ(Rules(renamed), std::vector<std::string>{"refdata.name"});
  auto regions = Run({{Kind::kRegions, File("r.csv", "code,name\n630121,大通回族土族自治县\n"), ""}});
  EXPECT_EQ(regions.errors(), 0);
  auto county = store_->Get(Kind::kRegions, Record{std::string("630121")});
  ASSERT_TRUE(county.ok() && county->has_value());
  EXPECT_EQ(std::get<std::string>((**county)[2]), "630100");  // parent derived: the known prefecture
  EXPECT_EQ(std::get<std::string>((**county)[3]), "county");
}

TEST_F(ImporterTest, UnlistedCountyIsAWarningUnknownProvinceAnError) {
  LoadZoneAndCluster();
  auto warn = Run(
      {{Kind::kFirms,
        File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632823,2623\n"), ""}});
  EXPECT_EQ(warn.errors(), 0);
  EXPECT_EQ(Rules(warn), std::vector<std::string>{"region.unlisted"});
  auto err = Run(
      {{Kind::kFirms,
        File("f2.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,990000,2623\n"), ""}});
  EXPECT_EQ(Rules(err), std::vector<std::string>{"region.unknown"});
}

}  // namespace
}  // namespace clusterscope
