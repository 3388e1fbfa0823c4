// End to end: the import error corpus (tests/data/import_errors/cases.tsv) run through the CLI
// against the example register (examples/). Every refused file must name file, row, column, value and rule in
// --errors OUT.csv and leave the database byte-for-byte as it was; every accepted file (warnings,
// valid edge cases) must change it. Also: a 1,000-row reports file with 50 planted errors reports
// exactly those 50, every rule id has a case, and docs/import-rules.md lists exactly the rule ids.
// The corpus runs on SQLite and on PostgreSQL (issue 14): the same problems, the same refusals.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "clusterscope/copy.h"
#include "clusterscope/importer.h"
#include "e2e/cli_runner.h"
#include "support/pg_schema.h"

namespace {

namespace fs = std::filesystem;

const std::string kSourceDir = CS_SOURCE_DIR;
const std::string kCli = CS_CLI_EXE;
const std::string kCorpusDir = kSourceDir + "/tests/data/import_errors";
const std::string kManifest = kCorpusDir + "/cases.tsv";

// Rules that only ever warn: a file breaking them is accepted. (header.unknown is an error, or a
// warning with --ignore-unknown-columns; it needs a case of each.)
const std::set<std::string> kWarningOnlyRules = {"region.unlisted", "industry.unlisted"};
const std::set<std::string> kErrorAndWarningRules = {"header.unknown"};
// Rule ids no corpus file can trigger, with the reason: their limits need inputs of many MB, which
// the tests generate when they run instead of keeping them in the repository.
const std::map<std::string, std::string> kUntriggerableRules = {
    {"limit.file_bytes", "needs a 2 GiB input; io_test Input.LargerThanTheLimitIsRefused reads past a lower cap"},
    {"limit.row_bytes", "needs a 16 MiB row; io_test Csv.HundredMebibyteLineIsRefusedQuickly generates one"},
    {"limit.part_bytes", "needs a 16 MiB part; io_test XlsxReader.OversizedWorkbookPartIsRefused generates one"},
};

// ---------------------------------------------------------------- small helpers

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

std::vector<std::string> SplitSpaces(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// A private directory under the system temp dir, removed with its contents at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cs_import_errors_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  bool ok() const { return !path_.empty(); }
  std::string Path(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the CLI with `args`, stdout and stderr captured into files of `dir`.
CliRun RunCli(const TempDir& dir, const std::vector<std::string>& args) {
  std::string out = dir.Path("stdout.txt");
  std::string err = dir.Path("stderr.txt");
  std::string cmd = ShellQuote(kCli);
  // fmt, not "x" + …: g++ 12 warns falsely (-Wrestrict) on the latter once this is inlined.
  for (const std::string& a : args) cmd += fmt::format(" {}", ShellQuote(a));
  cmd += fmt::format(" >{} 2>{} </dev/null", ShellQuote(out), ShellQuote(err));
  int status = std::system(cmd.c_str());
  CliRun run;
  run.exit_code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadFile(out);
  run.err = ReadFile(err);
  return run;
}

// ---------------------------------------------------------------- the demo database

// The example register (examples/*.csv), imported once per build of the CLI (KeptDatabase: ctest
// runs each case in a process of its own) and named by the examples' contents; each case works on
// a fresh copy. (Not `clusterscope demo`: that generates a 20,000-firm national data set.)
const std::string& PristineDemo() {
  static TempDir dir;
  static std::string db = [] {
    std::string path = dir.Path("demo.db");
    const std::string ex = std::string(CS_SOURCE_DIR) + "/examples/";
    const std::vector<std::string> files = {"zones", "clusters", "firms", "members", "institutions", "reports"};
    std::string contents;
    for (const std::string& f : files) contents += ReadFile(ex + f + ".csv");
    const std::string key = fmt::format("examples-{:016x}", std::hash<std::string>{}(contents));
    auto made = clusterscope::testing::KeptDatabase(path, key, [&](const std::string& to) {
      std::vector<std::string> args = {"--db", to, "--lang", "en", "import"};
      for (const std::string& f : files) args.insert(args.end(), {f, ex + f + ".csv"});
      CliRun run = RunCli(dir, args);
      return clusterscope::testing::CliResult{run.exit_code, run.out, run.err};
    });
    if (made.exit_code != 0) {
      ADD_FAILURE() << "importing the examples failed (" << made.exit_code << "): " << made.err;
      return std::string();
    }
    return path;
  }();
  return db;
}

void CopyDemo(const std::string& to) {
  const std::string& from = PristineDemo();
  ASSERT_FALSE(from.empty());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  for (std::string_view suffix : {"-wal", "-shm"}) {  // normally gone once the CLI has closed it
    if (fs::exists(from + std::string(suffix))) {
      fs::copy_file(from + std::string(suffix), to + std::string(suffix), fs::copy_options::overwrite_existing);
    }
  }
}

// ---------------------------------------------------------------- dumping a database

std::string Quoted(std::string_view text) {
  std::string q = "'";
  for (char c : text) {
    if (c == '\'') q += '\'';
    q += c;
  }
  return q + "'";
}

std::string ColumnText(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return fmt::format("{:.17g}", sqlite3_column_double(stmt, i));
    case SQLITE_BLOB: {
      const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, i));
      std::string hex = "X'";
      for (int k = 0; k < sqlite3_column_bytes(stmt, i); ++k) hex += fmt::format("{:02X}", p[k]);
      return hex + "'";
    }
    default: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return Quoted(std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
    }
  }
}

// Every row of `sql`, one line per row; "ERROR …" if it cannot run.
std::string Query(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return "ERROR " + sql + ": " + sqlite3_errmsg(db) + "\n";
  }
  std::string out;
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      if (i > 0) out += '|';
      out += ColumnText(stmt, i);
    }
    out += "\n";
  }
  if (rc != SQLITE_DONE) out += "ERROR " + sql + ": " + sqlite3_errmsg(db) + "\n";
  sqlite3_finalize(stmt);
  return out;
}

std::string QuoteIdent(std::string_view name) {
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

// The whole content of a database as text: the schema, then every table's rows in key order
// (primary-key columns first, then all the others, so the order is total).
std::string Dump(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string e = std::string("ERROR open: ") + sqlite3_errmsg(db);
    sqlite3_close(db);
    return e;
  }
  std::string dump =
      "-- schema\n" + Query(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
  std::vector<std::string> tables;
  {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW)
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
  }
  for (const std::string& table : tables) {
    std::vector<std::pair<int, std::string>> keys;  // (position in the key, column)
    std::vector<std::string> others;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, ("PRAGMA table_info(" + QuoteIdent(table) + ")").c_str(), -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string column = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
      int pk = sqlite3_column_int(stmt, 5);
      if (pk > 0) {
        keys.emplace_back(pk, column);
      } else {
        others.push_back(column);
      }
    }
    sqlite3_finalize(stmt);
    std::sort(keys.begin(), keys.end());
    std::string order;
    for (const auto& [pos, column] : keys) order += (order.empty() ? "" : ", ") + QuoteIdent(column);
    for (const std::string& column : others) order += (order.empty() ? "" : ", ") + QuoteIdent(column);
    dump += "-- table " + table + "\n";
    dump += Query(db, "SELECT * FROM " + QuoteIdent(table) + (order.empty() ? "" : " ORDER BY " + order));
  }
  sqlite3_close(db);
  return dump;
}

// The same for a PostgreSQL schema (the URL's search_path): its columns with their types and
// collations, then every table's rows ordered by all their columns.
std::string PgDump(const std::string& url) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) return std::string("ERROR connect: ") + PQerrorMessage(conn.get());
  auto query = [&](const std::string& sql, std::vector<std::string>* first_column = nullptr) {
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) return "ERROR " + sql + ": " + PQerrorMessage(conn.get());
    std::string out;
    for (int r = 0; r < PQntuples(res.get()); ++r) {
      for (int c = 0; c < PQnfields(res.get()); ++c) {
        if (c > 0) out += '|';
        out += PQgetisnull(res.get(), r, c) != 0 ? "NULL" : PQgetvalue(res.get(), r, c);
      }
      out += "\n";
      if (first_column != nullptr) first_column->emplace_back(PQgetvalue(res.get(), r, 0));
    }
    return out;
  };
  std::string dump = "-- schema\n" + query(
                                         "SELECT table_name, column_name, data_type, is_nullable, collation_name "
                                         "FROM information_schema.columns WHERE table_schema = current_schema() "
                                         "ORDER BY table_name, ordinal_position");
  std::vector<std::string> tables;
  dump += query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "ORDER BY table_name",
      &tables);
  for (const std::string& table : tables) {
    std::vector<std::string> columns;
    (void)query(
        "SELECT ordinal_position FROM information_schema.columns WHERE table_schema = current_schema() AND "
        "table_name = '" +
            table + "'",
        &columns);
    std::string order;
    for (size_t i = 1; i <= columns.size(); ++i) order += fmt::format("{}{}", i == 1 ? "" : ", ", i);
    dump += "-- table " + table + "\n" + query("SELECT * FROM " + table + " ORDER BY " + order);
  }
  return dump;
}

// The example register in a schema of the PostgreSQL test cluster, imported once per test process;
// each case works on a fresh copy (CopyDatabase into a schema of its own). Empty without a cluster.
const std::string& PristinePg() {
  static std::optional<clusterscope::testing::PgSchema> schema = clusterscope::testing::PgSchema::Create();
  static std::string url = [] {
    if (!schema) return std::string();
    const std::string ex = std::string(CS_SOURCE_DIR) + "/examples/";
    TempDir dir;
    CliRun run = RunCli(dir, {"--db", schema->url(), "--lang", "en", "import", "zones", ex + "zones.csv", "clusters",
                              ex + "clusters.csv", "firms", ex + "firms.csv", "members", ex + "members.csv",
                              "institutions", ex + "institutions.csv", "reports", ex + "reports.csv"});
    if (run.exit_code != 0) {
      ADD_FAILURE() << "importing the examples into PostgreSQL failed (" << run.exit_code << "): " << run.err;
      return std::string();
    }
    return schema->url();
  }();
  return url;
}

// A readable pointer to where two dumps first differ.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a);
  std::istringstream sb(b);
  std::string la;
  std::string lb;
  for (int line = 1;; ++line) {
    bool ga = static_cast<bool>(std::getline(sa, la));
    bool gb = static_cast<bool>(std::getline(sb, lb));
    if (!ga && !gb) return "identical";
    if (!ga || !gb || la != lb) {
      return fmt::format("dump line {}:\n  before: {}\n  after:  {}", line, ga ? la : "<end>", gb ? lb : "<end>");
    }
  }
}

// ---------------------------------------------------------------- the --errors CSV

// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    any = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (any || !field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

struct Reported {
  std::string file;
  int64_t row = 0;  // 0: the file as a whole (an empty cell in the CSV)
  std::string column;
  std::string value;
  std::string rule;
  std::string severity;
  std::string message;
};

std::string Describe(const Reported& p) {
  return fmt::format("{} row {} column \"{}\" value \"{}\" [{}] {}: {}", p.file, p.row, p.column, p.value, p.rule,
                     p.severity, p.message);
}

std::string DescribeAll(const std::vector<Reported>& problems) {
  std::string s;
  for (const Reported& p : problems) s += "\n  " + Describe(p);
  return s.empty() ? " (none)" : s;
}

// Reads OUT.csv as --lang en writes it; a malformed file fails the current test.
std::vector<Reported> ReadErrorsCsv(const std::string& path) {
  std::string text = ReadFile(path);
  EXPECT_TRUE(text.starts_with("\xEF\xBB\xBF")) << path << ": no UTF-8 BOM";
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  auto records = ParseCsv(text);
  std::vector<Reported> problems;
  if (records.empty()) {
    ADD_FAILURE() << path << ": empty";
    return problems;
  }
  EXPECT_EQ(records[0], (std::vector<std::string>{"file", "row", "column", "value", "rule", "severity", "message"}));
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.size() != 7) {
      ADD_FAILURE() << path << ": record " << i + 1 << " has " << r.size() << " fields";
      continue;
    }
    problems.push_back(Reported{r[0], r[1].empty() ? 0 : std::stoll(r[1]), r[2], r[3], r[4], r[5], r[6]});
  }
  return problems;
}

// ---------------------------------------------------------------- the manifest

struct Case {
  std::string file;
  std::string kind;
  int exit_code = 0;
  std::string rule;
  int64_t row = 0;
  std::string column;
  std::string value;
  std::string flags;
  std::string note;
  int line = 0;  // in cases.tsv
};

// gtest names the case by its file when it prints a parameter.
void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

const std::vector<std::string> kManifestHeader = {"file",   "kind",  "exit",  "rule", "row",
                                                  "column", "value", "flags", "note"};

// Lines starting with '#' are comments; the first other line is the header. Problems with the
// manifest itself are collected in `errors`.
std::vector<Case> LoadCases(std::vector<std::string>* errors = nullptr) {
  std::vector<Case> cases;
  auto complain = [&](std::string e) {
    if (errors != nullptr) errors->push_back(std::move(e));
  };
  std::ifstream in(kManifest, std::ios::binary);
  if (!in) {
    complain(kManifest + ": cannot read");
    return cases;
  }
  bool header_seen = false;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = SplitTabs(line);
    if (!header_seen) {
      header_seen = true;
      if (f != kManifestHeader)
        complain(fmt::format("cases.tsv line {}: header is not {}", line_no, fmt::join(kManifestHeader, "\\t")));
      continue;
    }
    if (f.size() != kManifestHeader.size()) {
      complain(fmt::format("cases.tsv line {}: {} fields, not {}", line_no, f.size(), kManifestHeader.size()));
      continue;
    }
    Case c;
    c.file = f[0];
    c.kind = f[1];
    c.rule = f[3];
    c.column = f[5];
    c.value = f[6];
    c.flags = f[7];
    c.note = f[8];
    c.line = line_no;
    try {
      c.exit_code = std::stoi(f[2]);
      c.row = std::stoll(f[4]);
    } catch (const std::exception&) {
      complain(fmt::format("cases.tsv line {}: exit and row must be numbers", line_no));
      continue;
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<std::tuple<Case, std::string>>& info) {
  std::string name;
  for (char c : std::get<0>(info.param).file) name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  return name + "_" + std::get<1>(info.param);
}

// ---------------------------------------------------------------- one case per manifest line

class ImportErrorCase : public ::testing::TestWithParam<std::tuple<Case, std::string>> {};

TEST_P(ImportErrorCase, RefusedOrAcceptedAsExpected) {
  const Case& c = std::get<0>(GetParam());
  const bool pg = std::get<1>(GetParam()) == "postgres";
  SCOPED_TRACE(fmt::format("cases.tsv line {}: {} ({})", c.line, c.file, c.note));
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string db = dir.Path("case.db");
  std::optional<clusterscope::testing::PgSchema> schema;
  if (pg) {
    schema = clusterscope::testing::PgSchema::Create();
    if (!schema) {
      if (!HasFailure()) GTEST_SKIP() << clusterscope::testing::kNoPostgres;
      return;
    }
    ASSERT_FALSE(PristinePg().empty());
    db = schema->url();
    auto copied = clusterscope::CopyDatabase(PristinePg(), db);
    ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  } else {
    ASSERT_NO_FATAL_FAILURE(CopyDemo(db));
  }
  auto dump = [&] { return pg ? PgDump(db) : Dump(db); };
  const std::string input = kCorpusDir + "/" + c.file;
  ASSERT_TRUE(fs::exists(input)) << input;
  const std::string errors_csv = dir.Path("errors.csv");

  const std::string before = dump();
  ASSERT_EQ(before.find("ERROR"), std::string::npos) << before;

  std::vector<std::string> args = {"--db", db, "--lang", "en", "import", c.kind, input, "--errors", errors_csv};
  for (const std::string& flag : SplitSpaces(c.flags)) args.push_back(flag);
  CliRun run = RunCli(dir, args);
  ASSERT_EQ(run.exit_code, c.exit_code) << "stdout:\n" << run.out << "stderr:\n" << run.err;

  std::vector<Reported> problems = ReadErrorsCsv(errors_csv);
  int errors = 0;
  for (const Reported& p : problems) {
    EXPECT_EQ(p.file, input) << Describe(p);
    EXPECT_TRUE(p.severity == "error" || p.severity == "warning") << Describe(p);
    EXPECT_FALSE(p.message.empty()) << Describe(p);
    if (p.severity == "error") ++errors;
  }
  if (!c.rule.empty()) {
    const std::string severity = c.exit_code == 0 ? "warning" : "error";
    bool found = std::any_of(problems.begin(), problems.end(), [&](const Reported& p) {
      return p.row == c.row && p.column == c.column && p.value == c.value && p.rule == c.rule && p.severity == severity;
    });
    EXPECT_TRUE(found) << "expected " << severity << " row " << c.row << " column \"" << c.column << "\" value \""
                       << c.value << "\" [" << c.rule << "]; reported:" << DescribeAll(problems);
  } else {
    EXPECT_TRUE(problems.empty()) << "expected no problem; reported:" << DescribeAll(problems);
  }

  const std::string after = dump();
  if (c.exit_code == 1) {
    EXPECT_EQ(errors, 1) << "expected exactly one error; reported:" << DescribeAll(problems);
    std::string first_line = run.err.substr(0, run.err.find('\n'));
    EXPECT_NE(first_line.find(input), std::string::npos)
        << "stderr's first line does not name the file: " << first_line;
    EXPECT_TRUE(before == after) << "a refused import changed the database: " << FirstDifference(before, after);
  } else {
    EXPECT_EQ(errors, 0) << DescribeAll(problems);
    EXPECT_TRUE(before != after) << "an accepted import left the database unchanged";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ImportErrorCase,
                         ::testing::Combine(::testing::ValuesIn(LoadCases()), ::testing::Values("sqlite", "postgres")),
                         CaseName);

// ---------------------------------------------------------------- the manifest against the catalogue

TEST(ImportErrorsManifest, IsWellFormedAndMatchesTheFiles) {
  std::vector<std::string> errors;
  std::vector<Case> cases = LoadCases(&errors);
  for (const std::string& e : errors) ADD_FAILURE() << e;
  ASSERT_FALSE(cases.empty());
  std::set<std::string> listed;
  std::set<std::string> known_rules;
  for (const auto& r : clusterscope::ImportRules()) known_rules.emplace(r.id);
  for (const Case& c : cases) {
    SCOPED_TRACE(fmt::format("cases.tsv line {}", c.line));
    EXPECT_TRUE(listed.insert(c.file).second) << c.file << " is listed twice";
    EXPECT_TRUE(fs::is_regular_file(kCorpusDir + "/" + c.file)) << c.file << " does not exist";
    EXPECT_TRUE(clusterscope::ParseKind(c.kind).has_value()) << c.kind;
    EXPECT_TRUE(c.exit_code == 0 || c.exit_code == 1) << c.exit_code;
    EXPECT_TRUE(c.rule.empty() || known_rules.contains(c.rule)) << c.rule << " is not in ImportRules()";
    EXPECT_TRUE(c.exit_code == 0 || !c.rule.empty()) << "a refused case names its rule";
    EXPECT_GE(c.row, 0);
    // <rule-id>[-variant].<kind>.<ext>
    std::string stem = c.file.substr(0, c.file.rfind('.'));
    EXPECT_TRUE(stem.ends_with("." + c.kind)) << c.file << " is not named …." << c.kind << ".EXT";
    std::string rule_part = stem.substr(0, stem.size() - c.kind.size() - 1);
    rule_part = rule_part.substr(0, rule_part.find('-'));
    EXPECT_TRUE(c.rule.empty() ? rule_part == "ok" : rule_part == c.rule) << c.file << " is not named after " << c.rule;
  }
  for (const auto& entry : fs::directory_iterator(kCorpusDir)) {
    std::string name = entry.path().filename().string();
    if (name == "cases.tsv") continue;
    EXPECT_TRUE(listed.contains(name)) << name << " is in " << kCorpusDir << " but not in cases.tsv";
  }
}

// Adding a rule to the catalogue without a case here fails the suite.
TEST(ImportErrorsManifest, EveryRuleHasACase) {
  std::vector<Case> cases = LoadCases();
  ASSERT_FALSE(cases.empty());
  std::set<std::string> known_rules;
  for (const auto& r : clusterscope::ImportRules()) known_rules.emplace(r.id);
  for (const auto& [id, reason] : kUntriggerableRules) {
    EXPECT_TRUE(known_rules.contains(id)) << id << " is listed as untriggerable but is no longer a rule";
  }
  for (const std::string& id : kWarningOnlyRules) EXPECT_TRUE(known_rules.contains(id)) << id;
  for (const std::string& id : kErrorAndWarningRules) EXPECT_TRUE(known_rules.contains(id)) << id;
  for (const std::string& id : known_rules) {
    if (kUntriggerableRules.contains(id)) continue;
    auto has = [&](int exit_code) {
      return std::any_of(cases.begin(), cases.end(),
                         [&](const Case& c) { return c.rule == id && c.exit_code == exit_code; });
    };
    bool warns = kWarningOnlyRules.contains(id) || kErrorAndWarningRules.contains(id);
    bool refuses = !kWarningOnlyRules.contains(id);
    if (refuses) {
      EXPECT_TRUE(has(1)) << "no refused case for rule " << id << " in " << kManifest;
    }
    if (warns) {
      EXPECT_TRUE(has(0)) << "no accepted-with-warning case for rule " << id << " in " << kManifest;
    }
  }
}

// ---------------------------------------------------------------- docs/import-rules.md

TEST(ImportRulesDoc, ListsExactlyTheCatalogue) {
  const std::string doc_path = kSourceDir + "/docs/import-rules.md";
  std::ifstream in(doc_path);
  ASSERT_TRUE(in) << doc_path;
  std::multiset<std::string> documented;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("| `")) continue;
    size_t end = line.find('`', 3);
    ASSERT_NE(end, std::string::npos) << line;
    documented.insert(line.substr(3, end - 3));
  }
  std::set<std::string> known;
  for (const auto& r : clusterscope::ImportRules()) {
    EXPECT_TRUE(known.emplace(r.id).second) << r.id << " is twice in ImportRules()";
    EXPECT_EQ(documented.count(std::string(r.id)), 1U) << r.id << " should be listed once in " << doc_path;
  }
  for (const std::string& id : documented) EXPECT_TRUE(known.contains(id)) << id << " is documented but not a rule";
}

// ---------------------------------------------------------------- 1,000 rows, 50 errors

// GB 32100-2015 check character for the first 17 characters (rules.md §1).
std::string WithCheck(const std::string& first17) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(first17[i])) * kWeights[i];
  int c = 31 - sum % 31;
  return first17 + kAlphabet[static_cast<size_t>(c == 31 ? 0 : c)];
}

TEST(ImportErrorsScale, FiftyScatteredErrorsInAThousandRows) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string db = dir.Path("scale.db");
  ASSERT_NO_FATAL_FAILURE(CopyDemo(db));
  constexpr int kRows = 1000;

  // 1,000 synthetic firms (positions 9–10 "XY" mark synthetic codes) in the demo zone.
  std::vector<std::string> uscc(kRows);
  std::string firms = "uscc,name,region_code,zone_id,industry_code,founded\n";
  for (int i = 0; i < kRows; ++i) {
    uscc[static_cast<size_t>(i)] = WithCheck(fmt::format("91630105XY9{:06}", i + 1));
    firms += fmt::format("{},西宁高新区样本企业{:04}有限公司,630105,XNGX,{},{}\n", uscc[static_cast<size_t>(i)], i + 1,
                         i % 3 == 0   ? "2740"
                         : i % 3 == 1 ? "2730"
                                      : "1492",
                         2000 + i % 14);
  }
  const std::string firms_csv = dir.Path("firms.csv");
  ASSERT_NO_FATAL_FAILURE(WriteFile(firms_csv, firms));
  CliRun firms_run = RunCli(dir, {"--db", db, "--lang", "en", "import", "firms", firms_csv});
  ASSERT_EQ(firms_run.exit_code, 0) << firms_run.err;

  // 50 error rows, scattered: 383 is prime to 1,000, so these are 50 distinct data rows.
  constexpr int kErrors = 50;
  std::map<int64_t, int> planted;  // spreadsheet row → which fault
  for (int k = 0; k < kErrors; ++k) planted[2 + (k * 383 + 17) % kRows] = k;
  ASSERT_EQ(planted.size(), static_cast<size_t>(kErrors));
  ASSERT_FALSE(planted.contains(2)) << "row 2 is the duplicate's original and must be clean";

  const std::vector<std::string> columns = {"uscc",
                                            "year",
                                            "revenue",
                                            "gross_output",
                                            "value_added",
                                            "employees",
                                            "tech_staff",
                                            "rd_staff",
                                            "college_staff",
                                            "masters",
                                            "phds",
                                            "rd_expense",
                                            "rd_expense_domestic",
                                            "patent_applications",
                                            "invention_applications",
                                            "major_incident"};
  std::string reports = fmt::format("{}\n", fmt::join(columns, ","));
  using Expected = std::tuple<int64_t, std::string, std::string>;  // row, column, rule
  std::vector<Expected> expected;
  for (int i = 0; i < kRows; ++i) {
    const int64_t row = i + 2;
    std::vector<std::string> cells = {uscc[static_cast<size_t>(i)],   "2014",
                                      std::to_string(50000 + i * 37), std::to_string(60000 + i * 41),
                                      std::to_string(15000 + i * 7),  std::to_string(80 + i % 400),
                                      std::to_string(10 + i % 50),    std::to_string(5 + i % 30),
                                      std::to_string(40 + i % 40),    std::to_string(i % 20),
                                      std::to_string(i % 5),          std::to_string(2000 + i * 3),
                                      std::to_string(1500 + i),       std::to_string(i % 12),
                                      std::to_string(i % 6),          i % 2 == 0 ? "否" : "0"};
    std::string extra;
    if (auto it = planted.find(row); it != planted.end()) {
      auto set = [&](int column, std::string value, std::string rule) {
        cells[static_cast<size_t>(column)] = std::move(value);
        expected.emplace_back(row, columns[static_cast<size_t>(column)], std::move(rule));
      };
      switch (it->second % 14) {
        case 0:
          set(2, "12万", "cell.number");
          break;
        case 1:
          set(2, "-5000", "cell.negative");
          break;
        case 2:
          set(5, "120.5", "cell.integer");
          break;
        case 3:
          set(2, "1.234567", "cell.money_precision");
          break;
        case 4:
          set(15, "有", "cell.bool");
          break;
        case 5: {
          std::string wrong = uscc[static_cast<size_t>(i)];
          wrong.back() = wrong.back() == '0' ? '1' : '0';
          set(0, wrong, "uscc.check");
          break;
        }
        case 6:
          set(0, WithCheck(fmt::format("91630105XY8{:06}", i + 1)), "ref.firms");
          break;
        case 7:
          set(4, std::to_string(60000 + i * 41 + 1), "consistency.value_added");
          break;
        case 8:
          set(6, std::to_string(80 + i % 400 + 1), "consistency.tech_staff");
          break;
        case 9:
          set(9, std::to_string(40 + i % 40), "consistency.postgraduates");  // masters = college_staff
          cells[10] = "1";                                                   // and one PhD: one over
          break;
        case 10:
          set(1, "2014年", "cell.year");
          break;
        case 11:
          set(0, uscc[0], "key.duplicate");
          break;
        case 12:
          extra = ",待核实";
          expected.emplace_back(row, "#17", "cell.extra");
          break;
        case 13:
          set(12, std::to_string(2000 + i * 3 + 1), "consistency.rd_expense_domestic");
          break;
      }
    }
    std::string line;
    for (size_t k = 0; k < cells.size(); ++k) line += (k == 0 ? "" : ",") + cells[k];
    reports += line + extra + "\n";
  }
  ASSERT_EQ(expected.size(), static_cast<size_t>(kErrors));
  const std::string reports_csv = dir.Path("reports.csv");
  ASSERT_NO_FATAL_FAILURE(WriteFile(reports_csv, reports));

  const std::string before = Dump(db);
  const std::string errors_csv = dir.Path("errors.csv");
  CliRun run = RunCli(dir, {"--db", db, "--lang", "en", "import", "reports", reports_csv, "--errors", errors_csv});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.substr(0, run.err.find('\n')).find(reports_csv), std::string::npos) << run.err;

  std::vector<Reported> problems = ReadErrorsCsv(errors_csv);
  std::vector<Expected> got;
  for (const Reported& p : problems) {
    EXPECT_EQ(p.severity, "error") << Describe(p);
    EXPECT_EQ(p.file, reports_csv);
    got.emplace_back(p.row, p.column, p.rule);
  }
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got.size(), static_cast<size_t>(kErrors)) << DescribeAll(problems);
  EXPECT_EQ(got, expected) << DescribeAll(problems);
  const std::string after = Dump(db);
  EXPECT_TRUE(before == after) << "a refused import changed the database: " << FirstDifference(before, after);
}

}  // namespace
