// Issue 9, the command line and the database: each finding of the hostile-input probe that is not
// about reading a file, reproduced as the user ran it and named for its symptom.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "clusterscope/store.h"
#include "core/sha256.h"
#include "e2e/cli_runner.h"

namespace clusterscope {
namespace {

using testing::ReadAll;
using testing::RunCli;
namespace fs = std::filesystem;

class CliFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cs-faults-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  std::string Db() const { return "--db " + db_ + " "; }
  static std::string Example(const std::string& name) { return std::string(CS_SOURCE_DIR) + "/examples/" + name; }
  void ImportExamples() {
    auto r = RunCli(Db() + "import zones " + Example("zones.csv") + " clusters " + Example("clusters.csv") + " firms " +
                    Example("firms.csv") + " members " + Example("members.csv") + " institutions " +
                    Example("institutions.csv") + " reports " + Example("reports.csv"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // The database's bytes, with its companions: what "unchanged" means. (A reader of a WAL database
  // may leave an empty -wal file beside it: that holds no change.)
  std::string Fingerprint() const {
    std::string out;
    for (const char* suffix : {"", "-wal", "-journal"}) {
      const std::string f = db_ + suffix;
      const bool holds = fs::exists(f) && fs::file_size(f) > 0;
      out.append(suffix).append(":").append(holds ? sha256::Hex(ReadAll(f)) : "absent").append(";");
    }
    return out;
  }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  fs::path dir_;
  std::string db_;
};

// #1: huge years crashed (segfault, free(): invalid pointer, bad_alloc); now a usage error naming
// the flag, exit 2, for every command that takes a year.
TEST_F(CliFaults, HugeYearsAreUsageErrorsNotCrashes) {
  ImportExamples();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"indicators --cluster QH-BIO --years 2147483647-2147483647", "--years"},
      {"indicators --cluster QH-BIO --years 1-2000000000", "--years"},
      {"indicators --cluster QH-BIO --year 2147483647", "--year"},
      {"indicators --cluster QH-BIO --year 1899", "--year"},
      {"diagnose --cluster QH-BIO --year 2147483647", "--year"},
      {"brief --cluster QH-BIO --year 2147483647", "--year"},
      {"evaluate --scheme annual --year 2101", "--year"},
      {"qualify tech-sme --year 99999999999 --cluster QH-BIO", "--year"},
      {"export indicators --year -5 --xlsx " + (dir_ / "x.xlsx").string(), "--year"},
      {"generate --firms 1000 --years 1-2000000000 --out " + (dir_ / "g").string(), "--years"},
  };
  for (const auto& [args, flag] : cases) {
    auto r = RunCli(Db() + args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(flag), std::string::npos) << args << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "x.xlsx"));
}

// #18: an output named like the database or an input is refused before anything is written.
TEST_F(CliFaults, OutputsNeverReplaceTheDatabaseOrAnInput) {
  ImportExamples();
  const std::string before = Fingerprint();
  auto onto_db = RunCli(Db() + "export indicators --year 2014 --xlsx " + db_);
  EXPECT_EQ(onto_db.exit_code, 2) << onto_db.err;
  EXPECT_NE(onto_db.err.find("refusing"), std::string::npos) << onto_db.err;
  // The same file by another name.
  auto onto_db_dot = RunCli(Db() + "export indicators --year 2014 --xlsx " + (dir_ / "." / "t.db").string());
  EXPECT_EQ(onto_db_dot.exit_code, 2) << onto_db_dot.err;
  EXPECT_EQ(Fingerprint(), before);

  const std::string bad = Write("bad.csv", "zone_id,name,region_code,level\nZ1,,630100,national\n");
  const std::string bad_before = ReadAll(bad);
  auto onto_input = RunCli(Db() + "import zones " + bad + " --errors " + bad);
  EXPECT_EQ(onto_input.exit_code, 2) << onto_input.err;
  EXPECT_EQ(ReadAll(bad), bad_before);
  auto errors_onto_db = RunCli(Db() + "import zones " + bad + " --errors " + db_);
  EXPECT_EQ(errors_onto_db.exit_code, 2) << errors_onto_db.err;
  EXPECT_EQ(Fingerprint(), before);
  // A proper error list is still written, and no temporary file is left beside it.
  auto fine = RunCli(Db() + "import zones " + bad + " --errors " + (dir_ / "problems.csv").string());
  EXPECT_EQ(fine.exit_code, 1);
  EXPECT_TRUE(fs::exists(dir_ / "problems.csv"));
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

// #19: past the problems kept per file, the terminal and the file both say the list is cut.
TEST_F(CliFaults, TruncatedErrorListSaysSo) {
  std::string csv = "zone_id,name,region_code,level\n";
  for (int i = 0; i < 100'050; ++i) csv.append("Z").append(std::to_string(i)).append(",,630100,national\n");  // no name
  const std::string path = Write("many.csv", csv);
  auto r = RunCli(Db() + "import zones " + path + " --errors " + (dir_ / "p.csv").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find("lists them all"), std::string::npos) << "it does not";
  EXPECT_NE(r.err.find("lists the first 100000"), std::string::npos) << r.err.substr(0, 2000);
  const std::string list = ReadAll((dir_ / "p.csv").string());
  EXPECT_NE(list.find("problems.truncated"), std::string::npos);
  EXPECT_NE(list.find("50 more problems not listed"), std::string::npos);
}

// #20: text a spreadsheet would run as a formula is neutralised in CSV output; numbers stay.
TEST_F(CliFaults, CsvOutputNeutralisesFormulas) {
  const std::string zones = Write("zones.csv",
                                  "zone_id,name,region_code,level\n"
                                  "ZF,\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\",630100,national\n"
                                  "ZG,@SUM(A1),630100,national\n");
  auto imp = RunCli(Db() + "import zones " + zones);
  if (imp.exit_code == 0) {
    auto list = RunCli(Db() + "list zones --format csv");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("'=HYPERLINK"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("'@SUM(A1)"), std::string::npos) << list.out;
    EXPECT_EQ(list.out.find(",=HYPERLINK"), std::string::npos) << list.out;
  } else {
    // A deployment's text rules may refuse such names outright; then the error list shows them.
    EXPECT_EQ(imp.exit_code, 1) << imp.err;
  }
  const std::string bad = Write("bad.csv", "zone_id,name,region_code,level\n=1+1,,630100,national\n");
  auto r = RunCli(Db() + "import zones " + bad + " --errors " + (dir_ / "p.csv").string());
  EXPECT_EQ(r.exit_code, 1);
  const std::string list = ReadAll((dir_ / "p.csv").string());
  EXPECT_EQ(list.find(",=1+1"), std::string::npos) << list;
  auto ind = RunCli(Db() + "indicators --format csv --only gross_output_growth --year 2014");
  // Negative numbers are numbers: never prefixed.
  EXPECT_EQ(ind.out.find("'-"), std::string::npos) << ind.out;
}

// #21: a database in a directory the user cannot write can still be read. As root every directory
// is writable, so the reader runs as `nobody` (setpriv, util-linux); skipped where that is impossible.
TEST_F(CliFaults, ReadOnlyDirectoryCanBeRead) {
  ImportExamples();
  if (geteuid() != 0 || std::system("command -v setpriv >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "needs root and setpriv to read as another user";
  }
  // The binary must be reachable by nobody.
  if (std::system(("setpriv --reuid=65534 --regid=65534 --clear-groups test -x " + testing::CliPath()).c_str()) != 0) {
    GTEST_SKIP() << "the build directory is not readable by nobody";
  }
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  fs::permissions(db_, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  for (const char* companion : {"-wal", "-shm"}) fs::remove(db_ + companion);
  const std::string before = Fingerprint();
  const std::string out = (fs::temp_directory_path() / ("cs-ro-" + std::to_string(getpid()))).string();
  int rc = std::system(("setpriv --reuid=65534 --regid=65534 --clear-groups env LANG=C " + testing::CliPath() +
                        " --db " + db_ + " list clusters --format json >" + out + " 2>&1")
                           .c_str());
  const std::string text = ReadAll(out);
  fs::remove(out);
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 0) << text;
  EXPECT_NE(text.find("QH-BIO"), std::string::npos) << text;
  EXPECT_EQ(Fingerprint(), before);
}

// #22: init is one transaction (a kill leaves nothing or everything) and concurrent inits serialise.
TEST_F(CliFaults, InitIsAtomicAndSafeToRunConcurrently) {
  constexpr int kConcurrent = 8;
  std::vector<std::thread> threads;
  std::vector<int> codes(kConcurrent, -1);
  std::vector<std::string> errs(kConcurrent), outs(kConcurrent);
  for (int i = 0; i < kConcurrent; ++i) {
    threads.emplace_back([&, i] {
      auto r = RunCli("--lang en " + Db() + "init");
      codes[static_cast<size_t>(i)] = r.exit_code;
      errs[static_cast<size_t>(i)] = r.err;
      outs[static_cast<size_t>(i)] = r.out;
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kConcurrent; ++i) EXPECT_EQ(codes[static_cast<size_t>(i)], 0) << errs[static_cast<size_t>(i)];
  // One of them created it; the others, whichever first looked before it was created, found it current.
  const auto created = std::count_if(outs.begin(), outs.end(), [](const std::string& out) {
    return out.find("created database") != std::string::npos;
  });
  EXPECT_EQ(created, 1) << fmt::format("{}", fmt::join(outs, ""));

  auto count = [](const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    int64_t n = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        n = sqlite3_column_int64(s, 0);
      }
      sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return n;
  };
  const int64_t regions = count(db_, "SELECT count(*) FROM regions");
  const int64_t industries = count(db_, "SELECT count(*) FROM industries");
  ASSERT_GT(regions, 0);
  ASSERT_GT(industries, 0);

  // Kills at random moments of a fresh init: afterwards the file is either uninitialised or whole.
  std::mt19937 rng(9);
  int whole = 0;
  for (int round = 0; round < 20; ++round) {
    const std::string path = (dir_ / fmt::format("k{}.db", round)).string();
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int devnull = ::open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      execl(testing::CliPath().c_str(), "clusterscope", "--db", path.c_str(), "init", static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 40000));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const int64_t version = count(path, "PRAGMA user_version");
    if (version <= 0) continue;  // not initialised (or no file yet)
    EXPECT_EQ(version, kSchemaVersion) << "round " << round;
    EXPECT_EQ(count(path, "SELECT count(*) FROM regions"), regions) << "round " << round;
    EXPECT_EQ(count(path, "SELECT count(*) FROM industries"), industries) << "round " << round;
    ++whole;
  }
  RecordProperty("whole_after_kill", whole);
}

// #23: a dry run, or a refused import, into a database that does not exist creates no file.
// A second writer queues behind the first, as on PostgreSQL: an import started while another
// process holds the write lock for longer than a statement's 5 s busy wait still goes in, once
// the lock is free.
TEST_F(CliFaults, AnImportWaitsForAnotherWriterInsteadOfFailing) {
  ASSERT_EQ(RunCli(Db() + "init").exit_code, 0);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  testing::CliResult import;
  std::chrono::steady_clock::time_point finished;
  std::thread writer([&] {
    import = RunCli("--lang en " + Db() + "import zones " + Example("zones.csv"));
    finished = std::chrono::steady_clock::now();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(6'500));
  const auto released = std::chrono::steady_clock::now();
  EXPECT_EQ(sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(holder);
  writer.join();
  EXPECT_EQ(import.exit_code, 0) << import.err;
  EXPECT_NE(import.out.find("1 added"), std::string::npos) << import.out;
  EXPECT_GT(finished, released) << "it waited for the lock";
  auto zones = RunCli("--lang en " + Db() + "list zones --format csv");
  EXPECT_NE(zones.out.find("XNGX"), std::string::npos) << zones.out << zones.err;
}

TEST_F(CliFaults, DryRunAndRefusedImportCreateNoDatabase) {
  auto dry = RunCli(Db() + "import zones " + Example("zones.csv") + " --dry-run");
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  const std::string bad = Write("bad.csv", "zone_id,name,region_code,level\nZ1,,630100,national\n");
  auto refused = RunCli(Db() + "import zones " + bad);
  EXPECT_EQ(refused.exit_code, 1);
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().rfind("t.db", 0), std::string::npos) << "left behind: " << e.path();
  }
  auto real = RunCli(Db() + "import zones " + Example("zones.csv"));
  EXPECT_EQ(real.exit_code, 0) << real.err;
  EXPECT_TRUE(fs::exists(db_));
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".new-"), std::string::npos) << "left behind: " << e.path();
  }
  auto list = RunCli(Db() + "list zones --format json");
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("XNGX"), std::string::npos);
}

// #24: a database from a newer clusterscope stays byte for byte as it was (no switch to WAL), and
// no command tells the user to run the `init` that would refuse it.
TEST_F(CliFaults, NewerSchemaStaysByteIdenticalAndAdviceIsRight) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 99;", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const std::string before = Fingerprint();
  for (const std::string& args : std::vector<std::string>{"init", "list zones", "indicators --year 2014",
                                                          "import zones " + Example("zones.csv")}) {
    auto r = RunCli(Db() + args);
    EXPECT_EQ(r.exit_code, 3) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("newer clusterscope"), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.err.find("run `clusterscope init`"), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(Fingerprint(), before) << args;
    EXPECT_FALSE(fs::exists(db_ + "-wal")) << args;
  }
}

// #26: global options after the subcommand, as the README and --help examples write them.
TEST_F(CliFaults, GlobalOptionsAnywhere) {
  ImportExamples();
  auto zh = RunCli("list clusters --lang zh --format table " + Db());
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_NE(zh.out.find("共"), std::string::npos) << zh.out;
  auto before = RunCli("--lang en " + Db() + "indicators --cluster QH-BIO --year 2014 --only firm_count --format csv");
  auto after = RunCli("indicators --cluster QH-BIO --year 2014 --only firm_count --format csv --lang en " + Db());
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(before.out, after.out);
  auto nested = RunCli("qualify tech-sme --year 2014 --cluster QH-BIO --format json --lang zh " + Db());
  EXPECT_EQ(nested.exit_code, 0) << nested.err;
}

// #28: a scheme file that never ends (/dev/zero) is refused at a size limit, at once.
TEST_F(CliFaults, EndlessSchemeFileIsRefused) {
  ImportExamples();
  auto start = std::chrono::steady_clock::now();
  auto r = RunCli(Db() + "evaluate --scheme /dev/zero --year 2014");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("larger than"), std::string::npos) << r.err;
  EXPECT_LT(took, std::chrono::seconds(10));
}

}  // namespace
}  // namespace clusterscope
