// Golden indicator values: a small data set (tests/data/indicators/golden) whose expected values
// were worked out by hand, one line each in expected.tsv, with the arithmetic beside them. Run on
// each store (in memory, SQLite, PostgreSQL): the engine must read the same data from all of them.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "clusterscope/indicators.h"
#include "store/memory_store.h"
#include "support/import_dir.h"
#include "support/pg_schema.h"

namespace clusterscope {
namespace {

const std::string kDir = std::string(CS_SOURCE_DIR) + "/tests/data/indicators/golden/";

struct Case {
  int line = 0;
  EntityKind kind = EntityKind::kCountry;
  std::string id;
  int year = 0;
  std::string indicator;
  std::string expected;  // a number, or null:<reason>
  std::string coverage;  // a number or "-"
  std::string note;
};

std::vector<Case> LoadCases() {
  std::ifstream in(kDir + "expected.tsv");
  std::vector<Case> cases;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    f.resize(7);
    Case c;
    c.line = n;
    c.kind = f[0] == "cluster"  ? EntityKind::kCluster
             : f[0] == "zone"   ? EntityKind::kZone
             : f[0] == "region" ? EntityKind::kRegion
                                : EntityKind::kCountry;
    c.id = f[1];
    c.year = std::stoi(f[2]);
    c.indicator = f[3];
    c.expected = f[4];
    c.coverage = f[5];
    c.note = f[6];
    cases.push_back(c);
  }
  return cases;
}

// The golden data set imported once per store and test process.
struct Loaded {
  std::optional<testing::PgSchema> pg;
  std::unique_ptr<Store> store;
  std::shared_ptr<const Dataset> data;
};

class GoldenIndicators : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto& loaded = (*cache_)[GetParam()];
    if (!loaded.data) {
      std::string url = (std::filesystem::temp_directory_path() / fmt::format("cs-golden-{}.db", getpid())).string();
      if (GetParam() == "memory") {
        loaded.store = store::NewMemoryStore();
      } else {
        if (GetParam() == "postgres") {
          loaded.pg = testing::PgSchema::Create();
          if (!loaded.pg) {
            if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
            return;
          }
          url = loaded.pg->url();
        } else {
          std::filesystem::remove(url);
        }
        auto s = OpenStore(url);
        ASSERT_TRUE(s.ok()) << s.status().ToString();
        loaded.store = std::move(s).value();
      }
      ASSERT_TRUE(InitDatabase(*loaded.store).ok());
      testing::ImportDir(*loaded.store, kDir, {"zones", "clusters", "firms", "members", "reports"});
      if (::testing::Test::HasFatalFailure()) return;
      // Through the snapshot where the store keeps one (the rows, where it does not).
      ASSERT_TRUE(loaded.store->RefreshReportColumns().ok());
      auto data = LoadDataset(*loaded.store);
      ASSERT_TRUE(data.ok()) << data.status().ToString();
      loaded.data = *data;
    }
    data_ = &loaded.data;
  }
  static void SetUpTestSuite() { cache_ = new std::map<std::string, Loaded>(); }
  static void TearDownTestSuite() {
    delete cache_;
    cache_ = nullptr;
  }
  static std::map<std::string, Loaded>* cache_;
  const std::shared_ptr<const Dataset>* data_ = nullptr;
};
std::map<std::string, Loaded>* GoldenIndicators::cache_ = nullptr;

TEST_P(GoldenIndicators, EveryHandWorkedValue) {
  auto cases = LoadCases();
  ASSERT_GT(cases.size(), 80u);
  for (const Case& c : cases) {
    SCOPED_TRACE("expected.tsv line " + std::to_string(c.line) + ": " + c.indicator + " (" + c.note + ")");
    IndicatorRequest req;
    req.entities = {{c.kind, c.id}};
    req.first_year = req.last_year = c.year;
    req.only = {c.indicator};
    auto values = ComputeIndicators(**data_, req);
    ASSERT_TRUE(values.ok()) << values.status().ToString();
    ASSERT_EQ(values->size(), 1u);
    const IndicatorValue& v = (*values)[0];
    if (c.expected.starts_with("null:")) {
      EXPECT_FALSE(v.has_value()) << "got " << v.AsDouble().value_or(0);
      EXPECT_EQ(NullReasonId(v.reason), c.expected.substr(5));
    } else {
      ASSERT_TRUE(v.has_value()) << "null: " << NullReasonId(v.reason);
      double want = std::stod(c.expected);
      double got = *v.AsDouble();
      EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::fabs(want)));
      // Counts and money come out exact.
      if (v.indicator->unit == IndicatorUnit::kFirms || v.indicator->unit == IndicatorUnit::kPersons ||
          v.indicator->unit == IndicatorUnit::kItems || v.indicator->unit == IndicatorUnit::kYuan) {
        EXPECT_TRUE(v.integer.has_value());
      }
    }
    if (c.coverage != "-") {
      EXPECT_NEAR(v.coverage, std::stod(c.coverage), 1e-12);
    }
  }
}

TEST_P(GoldenIndicators, EveryCatalogueIndicatorHasAGoldenCase) {
  std::set<std::string> covered;
  for (const Case& c : LoadCases()) covered.insert(c.indicator);
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    EXPECT_TRUE(covered.contains(std::string(info.id))) << info.id << " has no line in expected.tsv";
  }
}

TEST_P(GoldenIndicators, UnknownEntityAndIndicatorAreNamed) {
  IndicatorRequest req;
  req.first_year = req.last_year = 2014;
  req.entities = {{EntityKind::kCluster, "NOPE"}};
  auto r = ComputeIndicators(**data_, req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("NOPE"), std::string::npos);
  req.entities = {{EntityKind::kCluster, "C1"}};
  req.only = {"gross_outptu"};
  r = ComputeIndicators(**data_, req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("gross_outptu"), std::string::npos);
}

TEST_P(GoldenIndicators, JsonShapeAsDocumented) {
  IndicatorRequest req;
  req.entities = {{EntityKind::kCluster, "C1"}};
  req.first_year = req.last_year = 2014;
  req.only = {"gross_output", "zone_producing_firm_share", "firm_count", "taxes_paid"};
  auto values = ComputeIndicators(**data_, req);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(
      IndicatorValueToJson((*values)[0]).dump(),
      R"({"entity":"cluster","id":"C1","name":"甲医药集群","year":2014,"indicator":"gross_output","value":155000000,"unit":"yuan","coverage":1.0})");
  EXPECT_EQ(IndicatorValueToJson((*values)[1])["value"], 0.5);
  EXPECT_EQ(IndicatorValueToJson((*values)[2])["value"], 2);
  auto null_json = IndicatorValueToJson((*values)[3]);
  EXPECT_TRUE(null_json["value"].is_null());
  EXPECT_EQ(null_json["reason"], "not_reported");
}

TEST_P(GoldenIndicators, TableFormatUsesChineseUnits) {
  IndicatorRequest req;
  req.entities = {{EntityKind::kCluster, "C1"}};
  req.first_year = req.last_year = 2014;
  req.only = {"gross_output", "zone_producing_firm_share", "firm_count"};
  auto values = ComputeIndicators(**data_, req);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(FormatIndicatorValue((*values)[0], Lang::kZh), "1.55亿元");
  EXPECT_EQ(FormatIndicatorValue((*values)[1], Lang::kZh), "50.0%");
  EXPECT_EQ(FormatIndicatorValue((*values)[2], Lang::kZh), "2家");
  EXPECT_EQ(FormatIndicatorValue((*values)[2], Lang::kEn), "2 firms");
}

INSTANTIATE_TEST_SUITE_P(AllStores, GoldenIndicators, ::testing::Values("memory", "sqlite", "postgres"));

}  // namespace
}  // namespace clusterscope
