// Importer behaviour on small hand-made files, against each store: in memory, SQLite, PostgreSQL.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include <optional>
#include <thread>

#include "clusterscope/importer.h"
#include "clusterscope/store.h"
#include "core/sha256.h"
#include "core/uscc.h"
#include "importer/cell_parser.h"
#include "store/memory_store.h"
#include "support/pg_schema.h"

namespace clusterscope {
namespace {

class ImporterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = std::filesystem::temp_directory_path() / ("cs-importer-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::create_directories(dir_);
    if (GetParam() == "memory") {
      store_ = store::NewMemoryStore();
    } else {
      std::string url = (dir_ / "store.db").string();
      if (GetParam() == "postgres") {
        pg_ = testing::PgSchema::Create();
        if (!pg_) {
          if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
          return;
        }
        url = pg_->url();
      }
      auto s = OpenStore(url);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      store_ = std::move(s).value();
    }
    ASSERT_TRUE(InitDatabase(*store_).ok());
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

  std::optional<testing::PgSchema> pg_;  // before store_: the schema outlives the connection
  std::unique_ptr<Store> store_;
  std::filesystem::path dir_;
};

constexpr const char* kSaltLake = "91632801XY0009519A";  // synthetic, valid under GB 32100

TEST_P(ImporterTest, TraditionalAndSimplifiedNamesResolveToOneStoredName) {
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

TEST_P(ImporterTest, MoneyUnitsFromHeadersAreExact) {
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

TEST_P(ImporterTest, EmptyCellIsNullNeverZero) {
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

TEST_P(ImporterTest, EveryProblemIsReportedAndNothingIsWritten) {
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

TEST_P(ImporterTest, StoredKeyWithOtherValuesNeedsReplaceWhichKeepsHistory) {
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

TEST_P(ImporterTest, DryRunChecksEverythingAndWritesNothing) {
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

// ImportOptions::before_commit: called once inside the transaction with the counts, what it writes
// there commits with the records; a failure rolls both back; never called for a dry run or a refused
// import; with nothing to change, the transaction still commits what it wrote (written stays false).
TEST_P(ImporterTest, BeforeCommitWritesInTheImportsTransaction) {
  LoadZoneAndCluster();
  const std::string firm =
      File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n");
  const auto row = [](const std::string& status) {
    AccessRow r(AccessColumns(AccessTable::kSubmissions).size(), "x");
    r[0] = "s1";
    r[3] = status;
    return r;
  };
  const auto status = [&] {
    auto got = store_->GetAccess(AccessTable::kSubmissions, "s1");
    return got.ok() && got->has_value() ? (**got)[3] : std::string("none");
  };
  int calls = 0;
  ImportOptions options;
  options.before_commit = [&](WriteTransaction& txn, const ImportOutcome& o) -> Status {
    ++calls;
    EXPECT_EQ(o.files.size(), 1u);
    EXPECT_EQ(o.errors(), 0);
    auto seen = txn.GetAccess(AccessTable::kSubmissions, "s1");
    EXPECT_TRUE(seen.ok());
    return txn.PutAccess(AccessTable::kSubmissions, row(o.files[0].added > 0 ? "added" : "unchanged"));
  };
  ImportOptions dry = options;
  dry.dry_run = true;
  EXPECT_FALSE(Run({{Kind::kFirms, firm, ""}}, dry).written);
  const std::string bad =
      File("b.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,999999,2623\n");
  EXPECT_GT(Run({{Kind::kFirms, bad, ""}}, options).errors(), 0);
  EXPECT_EQ(calls, 0) << "neither a dry run nor a refused import gets there";
  EXPECT_EQ(status(), "none");

  ImportOptions failing = options;
  failing.before_commit = [&](WriteTransaction& txn, const ImportOutcome&) -> Status {
    EXPECT_TRUE(txn.PutAccess(AccessTable::kSubmissions, row("half")).ok());
    return Status::Conflict("refused by the caller");
  };
  auto refused = Import(*store_, {{Kind::kFirms, firm, ""}}, failing);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(status(), "none");
  EXPECT_EQ(*store_->Count(Kind::kFirms), 0);

  auto out = Run({{Kind::kFirms, firm, ""}}, options);
  EXPECT_TRUE(out.written);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(status(), "added");
  EXPECT_EQ(*store_->Count(Kind::kFirms), 1);

  // The same file again: no record changes, the callback's row is committed all the same.
  const int64_t generation = *store_->Generation();
  auto again = Run({{Kind::kFirms, firm, ""}}, options);
  EXPECT_FALSE(again.written);
  EXPECT_EQ(again.files[0].unchanged, 1);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(status(), "unchanged");
  EXPECT_GE(*store_->Generation(), generation);
}

TEST_P(ImporterTest, UnknownColumnRefusesUnlessIgnored) {
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

TEST_P(ImporterTest, HeadersMatchChineseNamesWithAnyBracketStyle) {
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

TEST_P(ImporterTest, MembershipYearsMustNotOverlap) {
  LoadZoneAndCluster();
  std::string firms =
      File("f.csv", std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n");
  std::string members = File("m.csv", std::string("cluster_id,uscc,from_year,to_year,role\n") + "QH-BIO," + kSaltLake +
                                          ",2010,2014,骨干\nQH-BIO," + kSaltLake + ",2013,,member\n");
  auto out = Run({{Kind::kFirms, firms, ""}, {Kind::kMembers, members, ""}});
  EXPECT_EQ(Rules(out), std::vector<std::string>{"members.overlap"});
  EXPECT_EQ(out.problems[0].row, 3);
}

TEST_P(ImporterTest, ReferenceTablesMergeAndCheckParents) {
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

TEST_P(ImporterTest, UnlistedCountyIsAWarningUnknownProvinceAnError) {
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

// Rows into a table that holds rows wait for their lookup in batches (Store::GetMany): the
// problems still come in row order, and a row with only a warning after a refused one still counts.
TEST_P(ImporterTest, RowsLookedUpInBatchesKeepTheirProblemsInRowOrder) {
  LoadZoneAndCluster();
  const std::string header = "uscc,name,region_code,industry_code\n";
  ASSERT_EQ(Run({{Kind::kFirms, File("f1.csv", header + kSaltLake + ",盐湖,632801,2623\n"), ""}}).errors(), 0);
  const auto code = [](int i) {
    const std::string first17 = fmt::format("916301000{:08}", i);
    return first17 + *uscc::CheckCharacter(first17);
  };
  auto out = Run({{Kind::kFirms,
                   File("f2.csv", header + kSaltLake + ",盐湖,632801,2613\n" +  // stored with other values
                                      code(1) + ",甲,632823,2623\n" +           // a county not in the table
                                      code(2) + ",乙,632801,2623\n" +           // new
                                      code(3) + ",,632801,2623\n"),             // no name
                   ""}});
  EXPECT_EQ(Rules(out), (std::vector<std::string>{"key.stored", "region.unlisted", "cell.required"}));
  ASSERT_EQ(out.problems.size(), 3u);
  EXPECT_EQ(out.problems[0].row, 2);
  EXPECT_EQ(out.problems[0].value, kSaltLake);
  EXPECT_EQ(out.problems[1].row, 3);
  EXPECT_EQ(out.problems[2].row, 5);
  EXPECT_EQ(out.files[0].added, 2);
  EXPECT_FALSE(out.written);
  EXPECT_EQ(*store_->Count(Kind::kFirms), 1);

  // More rows than two batches, every one stored already: each is looked up and left alone; one
  // changed firm among them is refused at its own row.
  std::string many = header;
  std::string changed = header;
  for (int i = 0; i < 5000; ++i) {
    many += code(10 + i) + ",企业" + std::to_string(i) + ",632801,2623\n";
    changed += code(10 + i) + ",企业" + std::to_string(i) + ",632801," + (i == 3000 ? "2613" : "2623") + "\n";
  }
  auto first = Run({{Kind::kFirms, File("many.csv", many), ""}});
  ASSERT_EQ(first.errors(), 0);
  auto same = Run({{Kind::kFirms, File("many2.csv", many), ""}});
  EXPECT_EQ(same.errors(), 0);
  EXPECT_EQ(same.files[0].unchanged, 5000);
  EXPECT_EQ(same.files[0].added, 0);
  auto refused = Run({{Kind::kFirms, File("changed.csv", changed), ""}});
  EXPECT_EQ(Rules(refused), std::vector<std::string>{"key.stored"});
  ASSERT_EQ(refused.problems.size(), 1u);
  EXPECT_EQ(refused.problems[0].row, 3002);
  EXPECT_EQ(refused.files[0].unchanged, 4999);
}

// References are checked against what is stored and what earlier files of the import give,
// written or not (a dry run writes nothing): the first few hundred firms are looked up one by one,
// the rest against every stored key read once; the answers are the same either way.
TEST_P(ImporterTest, ReferencesToEarlierFilesHoldInADryRunAcrossTheLookupsAndTheKeySet) {
  LoadZoneAndCluster();
  const auto code = [](int i) {
    const std::string first17 = fmt::format("916301000{:08}", i);
    return first17 + *uscc::CheckCharacter(first17);
  };
  ImportOptions dry;
  dry.dry_run = true;
  auto together =
      Run({{Kind::kFirms, File("f1.csv", "uscc,name,region_code,industry_code\n" + code(1) + ",甲,632801,2623\n"), ""},
           {Kind::kReports, File("r1.csv", "uscc,year,revenue\n" + code(1) + ",2014,100\n"), ""}},
          dry);
  EXPECT_TRUE(together.problems.empty()) << "a dry run of a firm and its report together: " << Rules(together)[0];

  std::string stored = "uscc,name,region_code,industry_code\n";
  for (int i = 10; i < 310; ++i) stored += code(i) + ",企业,632801,2623\n";  // more than are looked up one by one
  ASSERT_EQ(Run({{Kind::kFirms, File("stored.csv", stored), ""}}).errors(), 0);
  std::string reports = "uscc,year,revenue\n";
  for (int i = 10; i < 310; ++i) reports += code(i) + ",2014,100\n";
  reports += code(2) + ",2014,100\n";     // given by this import's firms file: found after the switch to the key set
  reports += code(9999) + ",2014,100\n";  // neither stored nor given
  auto out =
      Run({{Kind::kFirms, File("f.csv", "uscc,name,region_code,industry_code\n" + code(2) + ",乙,632801,2623\n"), ""},
           {Kind::kReports, File("r.csv", reports), ""}},
          dry);
  EXPECT_EQ(Rules(out), std::vector<std::string>{"ref.firms"});
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].row, 303);
  EXPECT_EQ(out.problems[0].value, code(9999));
  EXPECT_EQ(out.files[1].added, 301);
  EXPECT_EQ(*store_->Count(Kind::kFirms), 300);
}

// ---------------------------------------------------------------- issue 9: hostile input

std::optional<std::string> RuleOf(Kind kind, std::string_view column, std::string_view raw, int exponent = 5) {
  const KindDef& def = Describe(kind);
  const int c = def.ColumnIndex(column);
  EXPECT_GE(c, 0) << column;
  importer::CellSpec spec{&def.columns[static_cast<size_t>(c)], exponent, 1900, 2026};
  importer::ParsedCell parsed = importer::ParseCell(spec, raw);
  if (!parsed.issue) return std::nullopt;
  return parsed.issue->rule;
}

TEST(Cell, NulAndControlCharactersRefused) {
  using namespace std::string_literals;
  EXPECT_EQ(RuleOf(Kind::kFirms, "name", "青海\0公司"s), "text.control");
  EXPECT_EQ(RuleOf(Kind::kFirms, "name", "青海\x1B[31m公司"), "text.control");
  EXPECT_EQ(RuleOf(Kind::kFirms, "name", "青海\xC2\x85公司"), "text.control");  // C1 NEL
  EXPECT_EQ(RuleOf(Kind::kReports, "employees", "12\x07"), "text.control");
  EXPECT_EQ(RuleOf(Kind::kFirms, "name", "青海\t公司"), std::nullopt);  // whitespace in a name is normalised
}

TEST(Cell, SuperscriptAndCircledDigitsRefused) {
  EXPECT_EQ(RuleOf(Kind::kReports, "employees", "10²"), "cell.digit");
  EXPECT_EQ(RuleOf(Kind::kReports, "employees", "⑤"), "cell.digit");
  EXPECT_EQ(RuleOf(Kind::kReports, "year", "２０１２"), std::nullopt);  // full-width digits are fine
  EXPECT_EQ(RuleOf(Kind::kReports, "employees", "１２３"), std::nullopt);
  EXPECT_EQ(RuleOf(Kind::kFirms, "region_code", "63010⑤"), "cell.digit");
  EXPECT_EQ(RuleOf(Kind::kFirms, "name", "第⑤分公司"), std::nullopt);  // free text may hold them
}

TEST(Cell, FoundedBefore1900Refused) {
  for (const char* date : {"0000", "0001", "1850-01-01", "1899"}) {
    EXPECT_EQ(RuleOf(Kind::kFirms, "founded", date), "cell.date") << date;
  }
  EXPECT_EQ(RuleOf(Kind::kFirms, "founded", "1900-01-01"), std::nullopt);
  EXPECT_EQ(RuleOf(Kind::kFirms, "founded", "2015"), std::nullopt);
}

TEST(Cell, IdsWithControlsSpacesOrTenThousandCharactersRefused) {
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", "QH\tBIO"), "text.control");
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", "QH\nBIO"), "text.control");
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", "QH\x1B"), "text.control");
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", "QH BIO"), "id.syntax");
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", std::string(10000, 'Q')), "id.syntax");
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", std::string(64, 'Q')), std::nullopt);
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", "QH-BIO_2.0"), std::nullopt);
  EXPECT_EQ(RuleOf(Kind::kClusters, "cluster_id", "西宁生物"), std::nullopt);
}

TEST(Cell, TotalsThatWouldOverflowAreImplausible) {
  EXPECT_EQ(RuleOf(Kind::kReports, "gross_output", "92233720368547"), "cell.implausible");  // 千元
  EXPECT_EQ(RuleOf(Kind::kReports, "employees", "9223372036854775807"), "cell.implausible");
  EXPECT_EQ(RuleOf(Kind::kReports, "employees", "10000001"), "cell.implausible");
  EXPECT_EQ(RuleOf(Kind::kReports, "employees", "10000000"), std::nullopt);
  EXPECT_EQ(RuleOf(Kind::kReports, "net_profit", "-100000000000000.01", 2), "cell.implausible");  // 元
  EXPECT_EQ(RuleOf(Kind::kReports, "net_profit", "-100000000000000", 2), std::nullopt);
}

TEST_P(ImporterTest, HeaderUnitsAreCheckedAgainstTheColumnKind) {
  LoadZoneAndCluster();
  auto out = Run({{Kind::kReports, File("r.csv", "uscc(人),year(%),revenue,employees(%)\n"), ""}});
  std::vector<std::string> columns;
  for (const Problem& p : out.problems) {
    if (p.rule == "header.unit") columns.push_back(p.column);
  }
  EXPECT_EQ(columns, (std::vector<std::string>{"uscc(人)", "year(%)", "employees(%)"}));
  auto fine = Run({{Kind::kReports, File("r2.csv", "uscc,year(年),revenue(万元),employees(人)\n"), ""}});
  EXPECT_EQ(fine.errors(), 0) << (fine.problems.empty() ? "" : fine.problems[0].message_en);
}

TEST_P(ImporterTest, HeaderProblemsGiveTheHeadersRealRow) {
  LoadZoneAndCluster();
  auto out = Run({{Kind::kReports, File("r.csv", "\n\n\nuscc,year,revenu\n"), ""}});
  ASSERT_FALSE(out.problems.empty());
  EXPECT_EQ(out.problems[0].rule, "header.unknown");
  EXPECT_EQ(out.problems[0].row, 4);
}

TEST_P(ImporterTest, SameKeyInTwoFilesNamesBoth) {
  LoadZoneAndCluster();
  const std::string firms = std::string("uscc,name,region_code,industry_code\n") + kSaltLake + ",盐湖,632801,2623\n";
  const std::string a = File("a.csv", firms);
  const std::string b =
      File("b.csv", "uscc,name,region_code,industry_code\n" + std::string(kSaltLake) + ",盐湖股份,632801,2623\n");
  auto out = Run({{Kind::kFirms, a, ""}, {Kind::kFirms, b, ""}});
  ASSERT_EQ(out.errors(), 1);
  const Problem& p = out.problems[0];
  EXPECT_EQ(p.rule, "key.duplicate");
  EXPECT_EQ(p.file, b);
  EXPECT_EQ(p.row, 2);
  EXPECT_NE(p.message_en.find(a + " row 2"), std::string::npos) << p.message_en;
  EXPECT_FALSE(out.written);
}

TEST_P(ImporterTest, ReplaceWithSameKeyInTwoFilesIsRefusedAndHistoryUntouched) {
  LoadZoneAndCluster();
  const std::string head = "uscc,name,region_code,industry_code\n";
  ASSERT_EQ(Run({{Kind::kFirms, File("f.csv", head + kSaltLake + ",盐湖,632801,2623\n"), ""}}).errors(), 0);
  ImportOptions replace;
  replace.replace = true;
  auto out = Run({{Kind::kFirms, File("a.csv", head + kSaltLake + ",盐湖甲,632801,2623\n"), ""},
                  {Kind::kFirms, File("b.csv", head + kSaltLake + ",盐湖乙,632801,2623\n"), ""}},
                 replace);
  EXPECT_EQ(Rules(out), (std::vector<std::string>{"key.duplicate"}));
  EXPECT_FALSE(out.written);
  EXPECT_EQ(std::get<std::string>(Firm(kSaltLake)[1]), "盐湖");
  auto history = store_->History(Kind::kFirms);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());
}

TEST_P(ImporterTest, IdsDifferingOnlyInCaseAreRefused) {
  LoadZoneAndCluster();
  auto out = Run(
      {{Kind::kClusters,
        File("c.csv", "cluster_id,name,zone_id,leading_industries\nxn-lib,锂电,XNGX,3841\nXN-LIB,锂电二,XNGX,3841\n"),
        ""}});
  EXPECT_EQ(Rules(out), (std::vector<std::string>{"id.case"}));
  EXPECT_EQ(out.problems[0].row, 3);
  auto stored =
      Run({{Kind::kClusters, File("d.csv", "cluster_id,name,zone_id,leading_industries\nqh-bio,x,XNGX,2730\n"), ""}});
  EXPECT_EQ(Rules(stored), (std::vector<std::string>{"id.case"}));
}

TEST_P(ImporterTest, PipedInputLogsTheHashOfTheBytesRead) {
  LoadZoneAndCluster();
  const std::string content = "uscc,name,region_code,industry_code\n" + std::string(kSaltLake) + ",盐湖,632801,2623\n";
  const std::string fifo = (dir_ / "pipe.csv").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << content; });
  auto out = Run({{Kind::kFirms, fifo, ""}});
  writer.join();
  ASSERT_EQ(out.errors(), 0);
  EXPECT_TRUE(out.written);
  auto log = store_->ImportLog();
  ASSERT_TRUE(log.ok());
  ASSERT_FALSE(log->empty());
  EXPECT_EQ(log->back().sha256, sha256::Hex(content));
  EXPECT_NE(log->back().sha256, sha256::Hex(""));
}

INSTANTIATE_TEST_SUITE_P(AllStores, ImporterTest, ::testing::Values("memory", "sqlite", "postgres"));

}  // namespace
}  // namespace clusterscope
