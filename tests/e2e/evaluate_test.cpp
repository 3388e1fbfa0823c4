// End to end: `clusterscope evaluate` on the demo database — every shipped scheme for 2014 in
// every format, expert scores imported and blended, refusals with their exit codes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "e2e/cli_runner.h"
#include "support/pg_schema.h"

namespace clusterscope {
namespace {

using testing::RunCli;

const char* const kSchemes[] = {"annual", "strong-cluster", "stars", "entropy-topsis", "lifecycle"};

class Evaluate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new std::filesystem::path(std::filesystem::temp_directory_path() / ("cs-eval-e2e-" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    db_ = new std::string((*dir_ / "demo.db").string());
    auto demo = testing::DemoDatabase(*db_);
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete db_;
  }
  static std::string Db() { return "--db " + *db_ + " "; }
  static std::string Path(const std::string& name) { return (*dir_ / name).string(); }

  static std::filesystem::path* dir_;
  static std::string* db_;
};
std::filesystem::path* Evaluate::dir_ = nullptr;
std::string* Evaluate::db_ = nullptr;

TEST_F(Evaluate, EveryShippedSchemeEveryFormat) {
  for (const char* scheme : kSchemes) {
    SCOPED_TRACE(scheme);
    auto json = RunCli(Db() + "evaluate --scheme " + scheme + " --year 2014 --format json");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    auto doc = nlohmann::json::parse(json.out);
    EXPECT_EQ(doc["scheme"], scheme);
    EXPECT_EQ(doc["year"], 2014);
    bool found = false;
    for (const auto& c : doc["clusters"]) {
      EXPECT_TRUE(c.contains("score"));
      EXPECT_TRUE(c.contains("rank"));
      EXPECT_FALSE(c["reason_zh"].get<std::string>().empty());
      EXPECT_FALSE(c["reason_en"].get<std::string>().empty());
      EXPECT_EQ(c["indicators"].empty(), !c["rated"].get<bool>()) << c.dump();
      if (c["cluster_id"] == "QH-BIO") {
        found = true;
        EXPECT_EQ(c["firm_count"], 60);
        EXPECT_EQ(c["rated"], true);
        if (std::string(scheme) == "annual") {
          // No expert score: a preliminary score, no grade.
          EXPECT_EQ(c["score_kind"], "preliminary");
          EXPECT_TRUE(c["grade"].is_null()) << c.dump();
        } else if (std::string(scheme) != "entropy-topsis") {
          // entropy-topsis ranks by closeness and has no grade; the others class.
          EXPECT_FALSE(c["grade"].get<std::string>().empty()) << c.dump();
        }
        EXPECT_TRUE(c["rank"].is_number()) << c.dump();
      }
    }
    EXPECT_TRUE(found) << json.out.substr(0, 2000);

    auto csv = RunCli(Db() + "evaluate --scheme " + scheme + " --year 2014 --format csv");
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out.rfind("scheme,version,year,cluster_id,name,", 0), 0u) << csv.out.substr(0, 200);
    EXPECT_NE(csv.out.find(std::string(scheme) + ",2,2014,QH-BIO,"), std::string::npos);

    auto table = RunCli(Db() + "evaluate --scheme " + scheme + " --year 2014 --format table");
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("QH-BIO"), std::string::npos);
    auto zh = RunCli(Db() + "--lang zh evaluate --scheme " + scheme + " --year 2014 --format table");
    ASSERT_EQ(zh.exit_code, 0) << zh.err;
    EXPECT_NE(zh.out.find("评价方案"), std::string::npos) << zh.out.substr(0, 300);
  }
}

TEST_F(Evaluate, AnnualSaysWhenNoExpertScoresThenBlendsImportedOnes) {
  auto before = RunCli(Db() + "evaluate --scheme annual --year 2014 --format json");
  ASSERT_EQ(before.exit_code, 0) << before.err;
  auto doc = nlohmann::json::parse(before.out);
  EXPECT_EQ(doc["expert_scores_used"], false);
  auto table = RunCli(Db() + "evaluate --scheme annual --year 2014 --format table");
  EXPECT_NE(table.out.find("no expert scores"), std::string::npos) << table.out.substr(0, 300);

  std::string file = Path("scores.csv");
  std::ofstream(file) << "集群代码,年份,专家评分\nQH-BIO,2014,90\n";
  auto imp = RunCli(Db() + "import expert " + file);
  ASSERT_EQ(imp.exit_code, 0) << imp.err << imp.out;
  auto after = RunCli(Db() + "evaluate --scheme annual --year 2014 --format json");
  ASSERT_EQ(after.exit_code, 0) << after.err;
  doc = nlohmann::json::parse(after.out);
  EXPECT_EQ(doc["expert_scores_used"], true);
  for (const auto& c : doc["clusters"]) {
    if (c["cluster_id"] != "QH-BIO") {
      EXPECT_EQ(c["expert_used"], false);
      continue;
    }
    EXPECT_EQ(c["expert_used"], true);
    EXPECT_DOUBLE_EQ(c["expert_score"].get<double>(), 90.0);
    EXPECT_NEAR(c["score"].get<double>(), 0.4 * c["data_score"].get<double>() + 0.6 * 90.0, 1e-9);
    // The composite is graded and ranked among composites only (here: alone).
    EXPECT_EQ(c["score_kind"], "composite");
    EXPECT_FALSE(c["grade"].is_null());
    EXPECT_EQ(c["rank"], 1);
    EXPECT_EQ(c["peers"], 1);
  }
  // The preliminary scores rank among themselves: 1 … n without a gap where QH-BIO was.
  std::vector<int> ranks;
  for (const auto& c : doc["clusters"]) {
    if (c["score_kind"] == "preliminary") {
      ranks.push_back(c["rank"].get<int>());
      EXPECT_TRUE(c["grade"].is_null()) << c.dump();
    }
  }
  std::sort(ranks.begin(), ranks.end());
  ASSERT_FALSE(ranks.empty());
  EXPECT_EQ(ranks.front(), 1);
  EXPECT_EQ(ranks.back(), static_cast<int>(ranks.size()));
  // An unknown cluster is refused.
  std::ofstream(file) << "cluster_id,year,score\nNO-SUCH,2014,70\n";
  EXPECT_EQ(RunCli(Db() + "import expert " + file).exit_code, 1);
}

// evaluation.md, "Who is rated", on the demo for every year it has: no cluster is rated in a year
// it had no reporting member firm or before its recognition; without expert scores no grade; ranks
// never mix score kinds.
TEST_F(Evaluate, DemoWhoIsRatedEveryYear) {
  auto list = RunCli(Db() + "list clusters --format json");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::map<std::string, int> recognised;
  for (const auto& c : nlohmann::json::parse(list.out)) {
    if (c.contains("recognised_year") && c["recognised_year"].is_number()) {
      recognised[c["cluster_id"]] = c["recognised_year"].get<int>();
    }
  }
  ASSERT_FALSE(recognised.empty());
  int not_rated = 0;
  for (int year = 2012; year <= 2016; ++year) {
    SCOPED_TRACE(year);
    for (const char* scheme : kSchemes) {
      auto r = RunCli(Db() + "evaluate --scheme " + scheme + " --year " + std::to_string(year) + " --format json");
      ASSERT_EQ(r.exit_code, 0) << r.err;
      std::map<std::string, std::vector<int>> ranks_by_kind;
      const auto doc = nlohmann::json::parse(r.out);
      for (const auto& c : doc["clusters"]) {
        const std::string id = c["cluster_id"];
        const bool early = recognised.contains(id) && recognised[id] > year;
        if (c["firm_count"].get<int>() == 0 || early || c["firm_count"].get<int>() < 5) {
          EXPECT_EQ(c["rated"], false) << scheme << " " << c.dump();
          EXPECT_TRUE(c["score"].is_null()) << scheme << " " << id;
          EXPECT_TRUE(c["rank"].is_null()) << scheme << " " << id;
          ++not_rated;
          continue;
        }
        if (std::string(scheme) == "annual") {
          EXPECT_EQ(c["score_kind"], "preliminary") << id;  // the demo has no expert scores
          EXPECT_TRUE(c["grade"].is_null()) << id;
          if (c["rank"].is_number()) ranks_by_kind[c["score_kind"]].push_back(c["rank"].get<int>());
        }
      }
      for (auto& [kind, ranks] : ranks_by_kind) {
        std::sort(ranks.begin(), ranks.end());
        EXPECT_EQ(ranks.back(), static_cast<int>(ranks.size())) << kind;  // no tie at the bottom in the demo
      }
    }
  }
  EXPECT_GT(not_rated, 0);  // QH-BIO 2012 (no member reported) and the clusters recognised in 2016
}

// Issue 9 #16: `brief` must not rate a cluster that `evaluate` cannot: a year without reports, or
// one without the cluster's reporting firms (QH-BIO 2012).
TEST_F(Evaluate, BriefNeverRatesWhatEvaluateCannot) {
  for (const char* year : {"1999", "2012"}) {
    SCOPED_TRACE(year);
    auto r = RunCli(Db() + "brief --cluster QH-BIO --year " + std::string(year) + " --format json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(nlohmann::json::parse(r.out)["facts"]["rating"].is_null()) << r.out.substr(0, 800);
    auto zh = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year " + std::string(year));
    EXPECT_EQ(zh.out.find("得分"), std::string::npos) << zh.out;
  }
  auto y2014 = RunCli(Db() + "--lang zh brief --cluster QH-BIO --year 2014");
  EXPECT_NE(y2014.out.find("初评得分"), std::string::npos) << y2014.out;
  EXPECT_NE(y2014.out.find("待专家复评后定级"), std::string::npos) << y2014.out;
  EXPECT_EQ(y2014.out.find("评为"), std::string::npos) << y2014.out;
  EXPECT_NE(y2014.out.find("青海康普生物科技股份有限公司"), std::string::npos) << y2014.out;
  EXPECT_NE(y2014.out.find("青海金诃藏药药业股份有限公司"), std::string::npos) << y2014.out;
}

// Issue 10 #9: name_original is the cluster's own name as written, never its alliance or body
// (the importer copied every name-typed column into it, so the last one won).
TEST_F(Evaluate, NameOriginalIsTheClustersOwnName) {
  const std::string db = Path("examples.db");
  const std::string ex = std::string(CS_SOURCE_DIR) + "/examples/";
  auto imp = RunCli("--db " + db + " import zones " + ex + "zones.csv clusters " + ex + "clusters.csv");
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  for (const std::string& which : {db, *db_}) {
    auto list = RunCli("--db " + which + " list clusters --format json");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    bool qh = false;
    for (const auto& c : nlohmann::json::parse(list.out)) {
      EXPECT_EQ(c["name_original"], c["name"]) << c.dump();
      if (c["cluster_id"] == "QH-BIO") {
        qh = true;
        EXPECT_EQ(c["name_original"], "青藏高原特色生物资源与中藏药产业集群");
        EXPECT_EQ(c["alliance"], "青海省中藏药产业技术创新战略联盟");
      }
    }
    EXPECT_TRUE(qh) << which;
  }
}

// Issue 14: the demo built into PostgreSQL (its own import path: COPY, the advisory lock, the
// snapshot rebuilt from BYTEA) evaluates exactly as the same demo built into SQLite, every shipped
// scheme and every year the demo rates, byte for byte in JSON.
TEST_F(Evaluate, PostgresEvaluatesExactlyAsSqlite) {
  auto schema = testing::PgSchema::Create();
  if (!schema) {
    if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
    return;
  }
  const std::string sqlite = Path("twin.db");
  const std::string pg = "'" + schema->url() + "'";
  for (const std::string& db : {sqlite, pg}) {
    auto demo = RunCli("--db " + db + " demo --firms 2000");
    ASSERT_EQ(demo.exit_code, 0) << db << ": " << demo.err;
  }
  int compared = 0;
  for (const char* scheme : kSchemes) {
    for (const char* year : {"2013", "2014"}) {
      SCOPED_TRACE(std::string(scheme) + " " + year);
      const std::string q = std::string(" evaluate --scheme ") + scheme + " --year " + year + " --format json";
      auto a = RunCli("--db " + sqlite + q);
      auto b = RunCli("--db " + pg + q);
      ASSERT_EQ(a.exit_code, 0) << a.err;
      ASSERT_EQ(b.exit_code, 0) << b.err;
      EXPECT_GT(a.out.size(), 1000u);
      EXPECT_EQ(a.out, b.out);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 10);
}

TEST_F(Evaluate, RefusalsAndUsage) {
  auto unknown = RunCli(Db() + "evaluate --scheme anual --year 2014");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no such scheme"), std::string::npos) << unknown.err;

  std::string bad = Path("bad.toml");
  std::ofstream(bad) << "id = \"x\"\nversion = 1\nmethod = \"lifecycle\"\nzh = \"x\"\nen = \"x\"\nmin_firms = 5\n"
                        "[roles]\nlq = \"location_quotient\"\ngrowth = \"no_such_indicator\"\n"
                        "[params]\nlq_threshold = 1.0\ngrowth_threshold = 0.0\n";
  auto refused = RunCli(Db() + "evaluate --scheme " + bad + " --year 2014");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find(bad + ": roles.growth: unknown indicator"), std::string::npos) << refused.err;

  std::string good = Path("mine.toml");
  std::ofstream(good) << "id = \"mine\"\nversion = 2\nmethod = \"lifecycle\"\nzh = \"x\"\nen = \"x\"\nmin_firms = 5\n"
                         "[roles]\nlq = \"location_quotient\"\ngrowth = \"revenue_growth\"\n"
                         "[params]\nlq_threshold = 1.0\ngrowth_threshold = 0.0\n";
  auto own = RunCli(Db() + "evaluate --scheme " + good + " --year 2014 --format json");
  ASSERT_EQ(own.exit_code, 0) << own.err;
  EXPECT_EQ(nlohmann::json::parse(own.out)["version"], 2);

  EXPECT_EQ(RunCli(Db() + "evaluate --scheme annual").exit_code, 2);
  EXPECT_EQ(RunCli(Db() + "evaluate --scheme annual --year 2014 --format xml").exit_code, 2);
  EXPECT_EQ(RunCli(Db() + "evaluate --scheme annual --year 1999").exit_code, 1);
  EXPECT_EQ(RunCli("--db " + Path("missing.db") + " evaluate --scheme annual --year 2014").exit_code, 3);

  auto list = RunCli("evaluate --list-schemes --format json");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto schemes = nlohmann::json::parse(list.out);
  ASSERT_EQ(schemes.size(), std::size(kSchemes));
  for (size_t i = 0; i < schemes.size(); ++i) EXPECT_EQ(schemes[i]["id"], kSchemes[i]);
}

TEST_F(Evaluate, InitAddsTheExpertTableToAnOlderDatabase) {
  std::string old = Path("old.db");
  ASSERT_EQ(RunCli("--db " + old + " init").exit_code, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(old.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE expert", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto init = RunCli("--db " + old + " init");
  EXPECT_EQ(init.exit_code, 0) << init.err;
  auto again = RunCli("--db " + old + " init");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  ASSERT_EQ(sqlite3_open(old.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "SELECT cluster_id, year, score FROM expert", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace
}  // namespace clusterscope
