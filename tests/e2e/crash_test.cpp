// The kill test: SIGKILL the clusterscope binary at random points of a large import, many times.
// After every kill the database must open, pass PRAGMA integrity_check, and hold either all of
// the file or none of it — for a first import, and for a --replace re-import of changed values
// (old values or new ones, never a mix).
//
// Iterations: 25 per variant, or $CS_CRASH_ITERATIONS; the file: 2,000 firms × 10 years, or
// $CS_CRASH_FIRMS firms. Kill times are spread evenly (one random point per slice) over [0, T],
// where T is 1.3 × what an uninterrupted import takes on this machine (measured first), so that
// kills land before, during and after the commit. If one outcome never came up (a busy machine
// slows the runs), up to six more kills aim at it; the test fails if it still never came up,
// since then the timing, not the importer, decided the result. Each variant prints its counts.
//
// Run on SQLite and on PostgreSQL (issue 14), one parameterised suite. On PostgreSQL each database is
// a schema of the test cluster, laid anew for each kill by CopyDatabase from the prepared one, and
// after each kill the test waits until the server has ended the killed client's session, so
// that what it reads is final (a COMMIT the client sent before dying may still land).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "clusterscope/copy.h"
#include "support/pg_schema.h"

namespace clusterscope {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kFirstYear = 2005;
constexpr int kYears = 10;  // 2005–2014

// 2,000 firms (20,000 report rows), or $CS_CRASH_FIRMS (at least 40): the ASan/UBSan suite takes
// fewer, since there the kills check that the importer's paths are memory-clean, not durability.
int Firms() {
  static const int firms = [] {
    const char* env = std::getenv("CS_CRASH_FIRMS");
    const int n = env != nullptr ? std::atoi(env) : 0;
    return n >= 40 ? n : 2000;
  }();
  return firms;
}
int Rows() { return Firms() * kYears; }
// The --replace test re-imports changed values for the first quarter of the firms (replacing
// costs a lookup and a history entry per row, so fewer rows keep the runs as long as the others).
int ReplacedFirms() { return Firms() / 4; }
int ReplacedRows() { return ReplacedFirms() * kYears; }

const char* const kCli = CS_BINARY_DIR "/clusterscope";

// ---------------------------------------------------------------- synthetic input

// A GB 32100 code for firm `i`: 91 + region 630100, then "XY" and six digits (the project's mark
// of a synthetic code, examples/README.md) with their GB 11714 check, then the GB 32100 check.
std::string Uscc(int i) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char body[32];
  std::snprintf(body, sizeof body, "XY%06d", i);
  static constexpr int kOrgWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int org = 0;
  for (size_t k = 0; k < 8; ++k) {
    char c = body[k];
    org += (c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10) * kOrgWeights[k];
  }
  int org_check = 11 - org % 11;
  std::string code = std::string("91630100") + body;
  code += org_check == 11 ? '0' : org_check == 10 ? 'X' : static_cast<char>('0' + org_check);
  int sum = 0;
  for (size_t k = 0; k < 17; ++k) sum += static_cast<int>(kAlphabet.find(code[k])) * kWeights[k];
  int check = 31 - sum % 31;
  code += kAlphabet[static_cast<size_t>(check == 31 ? 0 : check)];
  return code;
}

// Hundredths of 千元 as written in a cell: "1234.56".
std::string Money(int64_t hundredths) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", hundredths < 0 ? "-" : "",
                static_cast<long long>(std::llabs(hundredths) / 100),
                static_cast<long long>(std::llabs(hundredths) % 100));
  return buf;
}

// One row's values, kept for the spot checks (money in hundredths of 千元).
struct Expected {
  std::string uscc;
  int year = 0;
  int64_t revenue = 0;
  int64_t net_profit = 0;
  int64_t employees = 0;
};

// Fen stored for `hundredths` of 千元: × 1000 yuan × 100 fen / 100.
int64_t Fen(int64_t hundredths) { return hundredths * 1000; }

struct Files {
  std::vector<Expected> samples;  // a few rows, for spot checks
};

// Writes the firms file and a reports file with the reports of the first `report_firms` firms
// (-1: every firm); `variant` 1 changes revenue, gross output, net profit and head count of every
// row (still consistent), for the --replace test.
Files WriteInputs(const fs::path& firms_path, const fs::path& reports_path, int variant, int report_firms = -1) {
  if (report_firms < 0) report_firms = Firms();
  std::mt19937_64 rng(20240521);  // the engine's output is fixed by the standard
  auto below = [&rng](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  std::ofstream firms(firms_path, std::ios::binary);
  std::ofstream reports(reports_path, std::ios::binary);
  firms << "uscc,name,region_code,zone_id,industry_code,founded,high_tech_cert_year,listed,lat,lon\n";
  reports << "uscc,year,producing,revenue,gross_output,value_added,net_profit,taxes_paid,exports,total_assets,"
             "total_liabilities,employees,tech_staff,rd_staff,college_staff,masters,phds,returnees,rd_expense,"
             "rd_expense_domestic,total_cost,high_tech_revenue,patent_applications,invention_applications,"
             "patent_grants,invention_grants,valid_invention_patents,ip_class1,ip_class2,vc_investment,new_loans,"
             "provincial_rd_institution,major_incident,national_award_5y,standard_lead_5y\n";
  static constexpr const char* kIndustries[] = {"2740", "2730", "2761", "1492", "3841", "3239"};
  static constexpr const char* kYes[] = {"1", "是", "yes"};
  static constexpr const char* kNo[] = {"0", "否", "no"};
  Files files;
  std::ostringstream discard;
  for (int i = 0; i < Firms(); ++i) {
    const std::string code = Uscc(i);
    firms << code << ",合成测试企业" << i << "有限公司,630100,," << kIndustries[below(6)] << ',' << 1990 + below(15)
          << ",," << kNo[below(3)] << ',' << Money(3655 + below(10)) << ',' << Money(10165 + below(20)) << '\n';
    const int64_t base = 1000 + below(5000000);  // revenue in hundredths of 千元
    for (int y = 0; y < kYears; ++y) {
      const int64_t revenue = base * (10 + y) / 10 + below(1000) + variant * 7;
      const int64_t gross = revenue + below(1000) + variant * 3;
      const int64_t value_added = gross * (20 + below(20)) / 100;
      const int64_t profit = revenue * (below(30) - 5) / 100 - variant * 11;
      const int64_t employees = 10 + revenue / 50000 + below(20) + variant;
      const int64_t tech = employees * below(40) / 100;
      const int64_t college = employees * (20 + below(50)) / 100;
      const int64_t masters = college * below(10) / 100;
      const int64_t phds = (college - masters) * below(3) / 100;
      const int64_t rd = revenue * below(8) / 100;
      const int64_t patents = below(20);
      const int64_t grants = below(patents + 1);
      // Rows past `report_firms` are drawn all the same (so the values before them do not
      // depend on it) but not written.
      discard.str("");
      std::ostream& out = i < report_firms ? static_cast<std::ostream&>(reports) : discard;
      out << code << ',' << kFirstYear + y << ',' << kYes[below(3)] << ',' << Money(revenue) << ',' << Money(gross)
          << ',' << Money(value_added) << ',' << Money(profit) << ',' << Money(revenue * 5 / 100) << ','
          << Money(revenue * below(30) / 100) << ',' << Money(revenue + below(100000)) << ','
          << Money(revenue * below(60) / 100) << ',' << employees << ',' << tech << ',' << tech * below(80) / 100 << ','
          << college << ',' << masters << ',' << phds << ',' << employees * below(3) / 100 << ',' << Money(rd) << ','
          << Money(rd * below(100) / 100) << ',' << Money(revenue * 9 / 10) << ',' << Money(revenue * below(80) / 100)
          << ',' << patents << ',' << below(patents + 1) << ',' << grants << ',' << below(grants + 1) << ','
          << below(30) << ',' << below(10) << ',' << below(10) << ',' << Money(below(3) == 0 ? revenue / 10 : 0) << ','
          << Money(revenue * below(20) / 100) << ',' << (below(2) ? kYes : kNo)[below(3)] << ',' << kNo[below(3)] << ','
          << (below(5) == 0 ? kYes : kNo)[below(3)] << ',' << (below(4) == 0 ? kYes : kNo)[below(3)] << '\n';
      const int row = i * kYears + y;
      const int rows = report_firms * kYears;
      if (i < report_firms && (row == 0 || row == rows / 2 + 3 || row == rows - 1 || row % 4999 == 17)) {
        files.samples.push_back({code, kFirstYear + y, revenue, profit, employees});
      }
    }
  }
  firms.close();
  reports.close();
  EXPECT_TRUE(firms && reports) << "cannot write the test inputs";
  return files;
}

// ---------------------------------------------------------------- the database, read back

bool IsPg(const std::string& location) { return location.starts_with("postgresql://"); }

// A database read back directly: a SQLite file, or a PostgreSQL URL (its search_path the schema).
class Db {
 public:
  explicit Db(const std::string& location) {
    if (IsPg(location)) {
      pg_ = PQconnectdb(location.c_str());
      if (PQstatus(pg_) != CONNECTION_OK) error_ = PQerrorMessage(pg_);
      return;
    }
    if (sqlite3_open_v2(location.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      error_ = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    }
  }
  ~Db() {
    sqlite3_close_v2(db_);
    if (pg_ != nullptr) PQfinish(pg_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  const std::string& error() const { return error_; }

  // The store's own check: SQLite's integrity check; on PostgreSQL (whose server keeps its
  // files consistent) that the schema opens at its version with its counter.
  std::vector<std::string> Integrity() {
    if (pg_ == nullptr) return Rows("PRAGMA integrity_check");
    auto meta = Rows("SELECT key, value FROM store_meta WHERE key IN ('generation', 'schema_version') ORDER BY key");
    return meta.size() == 2 && meta[1] == fmt::format("schema_version|{}", kSchemaVersion)
               ? std::vector<std::string>{"ok"}
               : meta;
  }

  // Every row of the result, every column as text ("NULL" for NULL), joined by '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> out;
    if (pg_ != nullptr) {
      PGresult* res = PQexec(pg_, sql.c_str());
      if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        ADD_FAILURE() << sql << ": " << PQerrorMessage(pg_);
      } else {
        for (int r = 0; r < PQntuples(res); ++r) {
          std::string line;
          for (int c = 0; c < PQnfields(res); ++c) {
            if (c > 0) line += '|';
            line += PQgetisnull(res, r, c) != 0 ? "NULL" : PQgetvalue(res, r, c);
          }
          out.push_back(std::move(line));
        }
      }
      PQclear(res);
      return out;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::string line;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        if (c > 0) line += '|';
        const auto* text = sqlite3_column_text(stmt, c);
        line += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
      }
      out.push_back(std::move(line));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return out;
  }

  int64_t Number(const std::string& sql) {
    auto rows = Rows(sql);
    return rows.size() == 1 ? std::stoll(rows[0]) : -1;
  }

  // FNV-1a over every row of `table` in key order, every column.
  uint64_t Checksum(const std::string& table, const std::string& order) {
    uint64_t h = 1469598103934665603ULL;
    // Keys in byte order on PostgreSQL too (its text keys are COLLATE "C").
    for (const std::string& row : Rows("SELECT * FROM " + table + " ORDER BY " + order)) {
      for (char c : row) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
      h = (h ^ '\n') * 1099511628211ULL;
    }
    return h;
  }

 private:
  sqlite3* db_ = nullptr;
  PGconn* pg_ = nullptr;
  std::string error_;
};

// ---------------------------------------------------------------- running and killing the CLI

struct RunResult {
  bool killed = false;  // died of our SIGKILL (rather than exiting first)
  int exit_code = -1;   // when it exited
  double seconds = 0;
};

// Runs the CLI with `args`; when `kill_after` is set, SIGKILLs it that long after the start.
RunResult RunCli(const std::vector<std::string>& args, std::optional<std::chrono::microseconds> kill_after) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(kCli));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execv(kCli, argv.data());
    _exit(127);
  }
  RunResult r;
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return r;
  }
  if (kill_after) {
    std::this_thread::sleep_for(*kill_after);
    kill(pid, SIGKILL);  // also fine when it has already exited (a zombie until waited for)
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

int Iterations() {
  const char* env = std::getenv("CS_CRASH_ITERATIONS");
  int n = env != nullptr ? std::atoi(env) : 0;
  return n > 0 ? n : 25;
}

// Kill delays spread evenly over [0, t] (one random point in each of n equal slices), shuffled.
std::vector<std::chrono::microseconds> KillDelays(int n, double t, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::chrono::microseconds> delays;
  for (int i = 0; i < n; ++i) {
    delays.emplace_back(static_cast<int64_t>((i + unit(rng)) / n * t * 1e6));
  }
  std::shuffle(delays.begin(), delays.end(), rng);
  return delays;
}

class CrashTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kCli)) << kCli << " is not built";
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("cs-crash-" + std::to_string(getpid()) + "-" + name);
    if (GetParam() == "postgres" && std::getenv("CS_TEST_PG_URL") == nullptr) GTEST_SKIP() << testing::kNoPostgres;
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    files_ = WriteInputs(dir_ / "firms.csv", dir_ / "reports.csv", 0);
    base_ = Loc("base");
    RunResult r = RunCli({"--db", Cli(base_), "import", "firms", (dir_ / "firms.csv").string()}, std::nullopt);
    ASSERT_EQ(r.exit_code, 0) << "importing the firms failed";
    Db db(base_);
    firms_checksum_ = db.Checksum("firms", "uscc");
    ASSERT_EQ(db.Number("SELECT count(*) FROM firms"), Firms());
  }
  void TearDown() override {
    if (HasFailure()) {
      std::fprintf(stderr, "kept %s for inspection\n", dir_.c_str());
    } else {
      fs::remove_all(dir_);
    }
  }

  // The database called `name`: a file of dir_ (SQLite), or a schema of the test cluster.
  std::string Loc(const std::string& name) {
    if (GetParam() != "postgres") return (dir_ / (name + ".db")).string();
    auto it = schemas_.find(name);
    if (it == schemas_.end()) {
      auto schema = testing::PgSchema::Create();
      if (!schema) return "postgresql://no-schema";
      it = schemas_.emplace(name, std::move(*schema)).first;
    }
    return it->second.url();
  }
  // `location` as the CLI is given it: on PostgreSQL its sessions carry a name, so that the test
  // can wait for the server to end them (Settle).
  std::string Cli(const std::string& location) const {
    return IsPg(location) ? location + "&application_name=" + AppName() : location;
  }
  std::string AppName() const { return fmt::format("cs-crash-{}", getpid()); }

  // `to` made a copy of `from`.
  void CopyDb(const std::string& from, const std::string& to) {
    if (!IsPg(to)) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(to + suffix);
      fs::copy_file(from, to);
      return;
    }
    for (auto& [name, schema] : schemas_) {
      if (to.starts_with(schema.url())) {
        ASSERT_TRUE(schema.Run(fmt::format("DROP SCHEMA {0} CASCADE; CREATE SCHEMA {0}", schema.name())));
      }
    }
    auto copied = CopyDatabase(from, to);
    ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  }

  // PostgreSQL: waits until the server has ended every session of the CLI, killed or not, so that
  // a transaction it was still finishing has committed or rolled back.
  void Settle() {
    if (GetParam() != "postgres") return;
    Db db(std::getenv("CS_TEST_PG_URL"));
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (db.Number("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + AppName() + "'") != 0) {
      ASSERT_LT(Clock::now(), deadline) << "the server did not end the killed client's session";
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // The checks every database must pass after a kill; returns the reports checksum.
  uint64_t CheckIntact(const std::string& path, int iteration) {
    Settle();
    Db db(path);
    EXPECT_EQ(db.error(), "") << "iteration " << iteration << ": the database does not open";
    auto integrity = db.Integrity();
    EXPECT_EQ(integrity, std::vector<std::string>{"ok"}) << "iteration " << iteration;
    EXPECT_EQ(db.Checksum("firms", "uscc"), firms_checksum_) << "iteration " << iteration << ": firms changed";
    return db.Checksum("reports", "uscc, year");
  }

  void SpotCheck(Db& db, const std::vector<Expected>& samples, int iteration) {
    ASSERT_GE(samples.size(), 3u);
    for (const Expected& e : samples) {
      auto row = db.Rows("SELECT revenue, net_profit, employees FROM reports WHERE uscc = '" + e.uscc +
                         "' AND year = " + std::to_string(e.year));
      EXPECT_EQ(row, std::vector<std::string>{std::to_string(Fen(e.revenue)) + "|" + std::to_string(Fen(e.net_profit)) +
                                              "|" + std::to_string(e.employees)})
          << "iteration " << iteration << ": " << e.uscc << " " << e.year;
    }
  }

  fs::path dir_;
  std::map<std::string, testing::PgSchema> schemas_;
  std::string base_;
  Files files_;
  uint64_t firms_checksum_ = 0;
};

TEST_P(CrashTest, KilledFirstImportLeavesAllOrNothing) {
  const fs::path reports = dir_ / "reports.csv";
  const std::string db_path = Loc("kill");
  const std::vector<std::string> args = {"--db", Cli(db_path), "import", "reports", reports.string()};

  // An uninterrupted import: how long it takes, and what "all" looks like.
  CopyDb(base_, db_path);
  RunResult full = RunCli(args, std::nullopt);
  ASSERT_EQ(full.exit_code, 0) << "the reports file does not import";
  {
    // Timed twice (the slower counts): a busy machine makes single timings wander.
    const std::string again = Loc("again");
    CopyDb(base_, again);
    full.seconds = std::max(full.seconds,
                            RunCli({"--db", Cli(again), "import", "reports", reports.string()}, std::nullopt).seconds);
  }
  uint64_t all_checksum = 0;
  int64_t base_log = 0;
  {
    Db db(db_path);
    ASSERT_EQ(db.Number("SELECT count(*) FROM reports"), Rows());
    SpotCheck(db, files_.samples, -1);
    all_checksum = db.Checksum("reports", "uscc, year");
    Db base(base_);
    base_log = base.Number("SELECT count(*) FROM import_log");
  }
  const double t = full.seconds * 1.3;
  std::printf("uninterrupted import of %d rows: %.2f s; killing within [0, %.2f s]\n", Rows(), full.seconds, t);

  std::mt19937_64 rng(7);
  int none = 0;
  int all = 0;
  int other = 0;
  int killed = 0;
  auto delays = KillDelays(Iterations(), t, rng);
  for (size_t i = 0; i < delays.size(); ++i) {
    const int iteration = static_cast<int>(i);
    CopyDb(base_, db_path);
    RunResult r = RunCli(args, delays[i]);
    killed += r.killed ? 1 : 0;
    if (!r.killed) {
      EXPECT_EQ(r.exit_code, 0) << "iteration " << iteration;
    }
    uint64_t checksum = CheckIntact(db_path, iteration);
    Db db(db_path);
    int64_t rows = db.Number("SELECT count(*) FROM reports");
    int64_t log = db.Number("SELECT count(*) FROM import_log");
    if (rows == 0) {
      ++none;
      EXPECT_EQ(log, base_log) << "iteration " << iteration << ": an import was logged but no rows are stored";
    } else if (rows == Rows()) {
      ++all;
      EXPECT_EQ(checksum, all_checksum) << "iteration " << iteration
                                        << ": the rows differ from an uninterrupted import";
      EXPECT_EQ(log, base_log + 1) << "iteration " << iteration;
      SpotCheck(db, files_.samples, iteration);
    } else {
      ++other;
      ADD_FAILURE() << "iteration " << iteration << " (killed after " << delays[i].count() << " µs): " << rows << " of "
                    << Rows() << " rows stored";
    }
    if (i + 1 == delays.size() && delays.size() < static_cast<size_t>(Iterations()) + 6) {
      if (all == 0) delays.emplace_back(static_cast<int64_t>(t * 2e6));
      if (none == 0) delays.emplace_back(static_cast<int64_t>(full.seconds * 0.3e6));
    }
    if (HasFailure()) break;
  }
  std::printf("kill test, first import: %zu kills (%d while it ran): none %d, all %d, partial %d\n", delays.size(),
              killed, none, all, other);
  EXPECT_GT(none, 0) << "no kill landed before the commit: the timing proves nothing";
  EXPECT_GT(all, 0) << "no kill landed after the commit: the timing proves nothing";
}

TEST_P(CrashTest, KilledReplaceImportLeavesOldOrNew) {
  const fs::path reports = dir_ / "reports.csv";
  const fs::path changed = dir_ / "reports_changed.csv";
  Files changed_files = WriteInputs(dir_ / "firms_again.csv", changed, 1, ReplacedFirms());

  // The database before: base + the original reports.
  const std::string before = Loc("before");
  CopyDb(base_, before);
  ASSERT_EQ(RunCli({"--db", Cli(before), "import", "reports", reports.string()}, std::nullopt).exit_code, 0);

  const std::string db_path = Loc("kill");
  const std::vector<std::string> args = {"--db", Cli(db_path), "import", "--replace", "reports", changed.string()};
  CopyDb(before, db_path);
  RunResult full = RunCli(args, std::nullopt);
  ASSERT_EQ(full.exit_code, 0) << "the changed reports file does not import with --replace";
  {
    const std::string again = Loc("again");
    CopyDb(before, again);
    full.seconds = std::max(
        full.seconds,
        RunCli({"--db", Cli(again), "import", "--replace", "reports", changed.string()}, std::nullopt).seconds);
  }
  uint64_t old_checksum = 0;
  uint64_t new_checksum = 0;
  int64_t old_log = 0;
  {
    Db db_old(before);
    old_checksum = db_old.Checksum("reports", "uscc, year");
    old_log = db_old.Number("SELECT count(*) FROM import_log");
    Db db_new(db_path);
    new_checksum = db_new.Checksum("reports", "uscc, year");
    ASSERT_EQ(db_new.Number("SELECT count(*) FROM history"), ReplacedRows()) << "every row should have been replaced";
    SpotCheck(db_new, changed_files.samples, -1);
  }
  ASSERT_NE(old_checksum, new_checksum);
  const double t = full.seconds * 1.3;
  std::printf("uninterrupted --replace import of %d rows (of %d stored): %.2f s; killing within [0, %.2f s]\n",
              ReplacedRows(), Rows(), full.seconds, t);

  std::mt19937_64 rng(11);
  int old_values = 0;
  int new_values = 0;
  int mixed = 0;
  int killed = 0;
  auto delays = KillDelays(Iterations(), t, rng);
  for (size_t i = 0; i < delays.size(); ++i) {
    const int iteration = static_cast<int>(i);
    CopyDb(before, db_path);
    RunResult r = RunCli(args, delays[i]);
    killed += r.killed ? 1 : 0;
    if (!r.killed) {
      EXPECT_EQ(r.exit_code, 0) << "iteration " << iteration;
    }
    uint64_t checksum = CheckIntact(db_path, iteration);
    Db db(db_path);
    EXPECT_EQ(db.Number("SELECT count(*) FROM reports"), Rows()) << "iteration " << iteration;
    int64_t history = db.Number("SELECT count(*) FROM history");
    int64_t log = db.Number("SELECT count(*) FROM import_log");
    if (checksum == old_checksum) {
      ++old_values;
      EXPECT_EQ(history, 0) << "iteration " << iteration;
      EXPECT_EQ(log, old_log) << "iteration " << iteration;
      SpotCheck(db, files_.samples, iteration);
    } else if (checksum == new_checksum) {
      ++new_values;
      EXPECT_EQ(history, ReplacedRows()) << "iteration " << iteration;
      EXPECT_EQ(log, old_log + 1) << "iteration " << iteration;
      SpotCheck(db, changed_files.samples, iteration);
    } else {
      ++mixed;
      ADD_FAILURE() << "iteration " << iteration << " (killed after " << delays[i].count()
                    << " µs): the reports are neither the old values nor the new ones";
    }
    if (i + 1 == delays.size() && delays.size() < static_cast<size_t>(Iterations()) + 6) {
      if (new_values == 0) delays.emplace_back(static_cast<int64_t>(t * 2e6));
      if (old_values == 0) delays.emplace_back(static_cast<int64_t>(full.seconds * 0.3e6));
    }
    if (HasFailure()) break;
  }
  std::printf("kill test, --replace import: %zu kills (%d while it ran): old %d, new %d, mixed %d\n", delays.size(),
              killed, old_values, new_values, mixed);
  EXPECT_GT(old_values, 0) << "no kill landed before the commit: the timing proves nothing";
  EXPECT_GT(new_values, 0) << "no kill landed after the commit: the timing proves nothing";
}

INSTANTIATE_TEST_SUITE_P(AllStores, CrashTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace clusterscope
