// clusterscope copy --to URL (issue 14): SQLite → PostgreSQL → SQLite gives every data table back
// byte for byte (as `sqlite3 .dump` writes it), the indicators read the same from all three, and
// a copy into a database that holds data is refused without writing.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "clusterscope/schema.h"
#include "e2e/cli_runner.h"
#include "support/pg_schema.h"

namespace clusterscope {
namespace {

using testing::RunCli;

std::string Quote(const std::string& s) { return "'" + s + "'"; }  // URLs hold & and ?

class Copy : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = testing::PgSchema::Create();
    if (!pg_) {
      if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
      return;
    }
    dir_ = std::filesystem::temp_directory_path() / ("cs-copy-" + std::to_string(getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Example(const std::string& name) { return std::string(CS_SOURCE_DIR) + "/examples/" + name; }

  // The examples, then a --replace import of a renamed zone and changed reports: history rows.
  void BuildSource(const std::string& db) {
    auto r = RunCli("--db " + db + " import zones " + Example("zones.csv") + " clusters " + Example("clusters.csv") +
                    " firms " + Example("firms.csv") + " members " + Example("members.csv") + " institutions " +
                    Example("institutions.csv") + " reports " + Example("reports.csv"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(Example("zones.csv"));
    std::string header, line, all;
    std::getline(in, header);
    all = header + "\n";
    while (std::getline(in, line)) all += line + "\n";
    const size_t comma = all.find(',', header.size() + 1);
    ASSERT_NE(comma, std::string::npos);
    all.insert(comma + 1, "新");  // the first zone's name changes
    std::ofstream(Path("zones2.csv")) << all;
    r = RunCli("--db " + db + " import --replace zones " + Path("zones2.csv"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // `sqlite3 .dump` of every data table: the kinds, the import log and the history.
  std::string SqliteDump(const std::string& db) const {
    std::string tables;
    for (Kind kind : kAllKinds) tables += fmt::format(" {}", KindId(kind));
    const std::string out = Path("dump.sql");
    const std::string cmd = fmt::format("sqlite3 {} '.dump{} import_log history' > {}", db, tables, out);
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return testing::ReadAll(out);
  }

  std::optional<testing::PgSchema> pg_;
  std::filesystem::path dir_;
};

TEST_F(Copy, SqliteToPostgresAndBackIsByteIdentical) {
  const std::string a = Path("a.db");
  const std::string b = Path("b.db");
  ASSERT_NO_FATAL_FAILURE(BuildSource(a));
  const std::string pg = Quote(pg_->url());

  auto there = RunCli("--db " + a + " copy --to " + pg);
  ASSERT_EQ(there.exit_code, 0) << there.err;
  EXPECT_NE(there.out.find("all match"), std::string::npos) << there.out;
  for (Kind kind : kAllKinds) EXPECT_NE(there.out.find(std::string(KindId(kind))), std::string::npos) << there.out;
  EXPECT_NE(there.out.find("history"), std::string::npos) << there.out;

  auto back = RunCli("--db " + pg + " copy --to " + b);
  ASSERT_EQ(back.exit_code, 0) << back.err;
  const std::string dump_a = SqliteDump(a);
  EXPECT_GT(dump_a.size(), 10000u);
  EXPECT_NE(dump_a.find("INSERT INTO history"), std::string::npos) << "the source should hold history";
  EXPECT_EQ(dump_a, SqliteDump(b));

  // The same answers from all three; the targets' snapshots were rebuilt by the copy.
  const std::string q = " indicators --all-clusters --years 2013-2014 --format csv";
  auto from_a = RunCli("--db " + a + q);
  ASSERT_EQ(from_a.exit_code, 0) << from_a.err;
  EXPECT_GT(from_a.out.size(), 1000u);
  EXPECT_EQ(RunCli("--db " + pg + q).out, from_a.out);
  EXPECT_EQ(RunCli("--db " + b + q).out, from_a.out);
  ASSERT_TRUE(
      pg_->Run(fmt::format("DO $$ BEGIN IF (SELECT count(*) FROM {}.report_columns) < 2 THEN "
                           "RAISE 'no snapshot'; END IF; END $$",
                           pg_->name())));
}

TEST_F(Copy, IntoADatabaseHoldingDataIsRefusedAndWritesNothing) {
  const std::string a = Path("a.db");
  ASSERT_NO_FATAL_FAILURE(BuildSource(a));
  const std::string pg = Quote(pg_->url());
  ASSERT_EQ(RunCli("--db " + a + " copy --to " + pg).exit_code, 0);
  auto again = RunCli("--lang en --db " + a + " copy --to " + pg);
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_NE(again.err.find("empty"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("csearch_path"), std::string::npos) << "the message names the target: " << again.err;
  // Still exactly one copy there: copying it back gives the source.
  const std::string b = Path("b.db");
  ASSERT_EQ(RunCli("--db " + pg + " copy --to " + b).exit_code, 0);
  EXPECT_EQ(SqliteDump(a), SqliteDump(b));
  // A missing source names itself.
  auto missing = RunCli("--lang en --db " + Path("nope.db") + " copy --to " + Path("c.db"));
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("nope.db"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace clusterscope
