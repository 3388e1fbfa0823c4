// Importing files: every check of formats.md and rules.md §1, all-or-nothing.
//
// Contract: Import() reads and checks every input completely and reports every problem found
// (not only the first). If any input has an error, nothing of any input is written. Otherwise
// all inputs are written in one transaction, so a crash or kill leaves the store as before.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clusterscope/lang.h"
#include "clusterscope/schema.h"
#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope {

enum class Severity { kError, kWarning };

// One thing wrong with an input, located as a spreadsheet user would look for it.
struct Problem {
  Severity severity = Severity::kError;
  std::string file;
  int64_t row = 0;     // spreadsheet row: header = 1; 0 = the file as a whole
  std::string column;  // the column's header as written in the file ("" = not one column)
  std::string value;   // the cell as given
  std::string rule;    // stable rule id, e.g. "uscc.check" (docs/import-rules.md lists them all)
  std::string message_zh;
  std::string message_en;

  const std::string& Message(Lang lang) const { return lang == Lang::kZh ? message_zh : message_en; }
};

struct ImportInput {
  Kind kind;
  std::string path;
  std::string sheet;  // .xlsx: sheet name; empty = first sheet
};

struct ImportOutcome;

struct ImportOptions {
  bool dry_run = false;                 // check everything, write nothing
  bool replace = false;                 // a stored record with the same key is replaced (old kept in history)
  bool ignore_unknown_columns = false;  // unknown columns become warnings instead of errors
  int this_year = 0;                    // upper bound for years; 0 = the current year
  // Called with each record that passed every check, before it is written; a non-OK status
  // abandons the whole import (nothing is written) and is returned by Import(). The server uses it
  // to refuse rows outside the caller's scope (a zone user's import naming another zone's firm).
  std::function<Status(Kind kind, const Record& record, int64_t row)> check_record;
  // Called now and then with (bytes read, bytes in all) of the file being read.
  std::function<void(const ImportInput&, uint64_t done, uint64_t total)> progress;
  // Called inside the import's write transaction once every input has been read, checked without
  // an error and written, just before COMMIT (never in a dry run or a refused import): what it
  // writes through `txn` (access rows, store.h) commits with the records or not at all. A non-OK
  // status rolls everything back and is returned by Import(). When set, the transaction commits
  // even if no record changed (what it wrote, and the import-log entry, are kept);
  // ImportOutcome::written still says whether records changed. The server marks a submission
  // accepted so: its reports and its status in one transaction.
  std::function<Status(WriteTransaction& txn, const ImportOutcome& outcome)> before_commit;
  // ImportIntoDatabase: how long to wait for another writer's lock (OpenOptions::write_wait_ms,
  // the command line's 10 minutes). The server waits less: a request should not hold a request
  // thread for minutes.
  int write_wait_ms = OpenOptions{}.write_wait_ms;
};

struct FileOutcome {
  ImportInput input;
  std::string encoding;  // "utf-8", "gb18030", "xlsx", …
  int64_t rows = 0;      // data rows read
  int64_t added = 0;
  int64_t replaced = 0;
  int64_t unchanged = 0;
  int64_t errors = 0;
  int64_t warnings = 0;
};

struct ImportOutcome {
  std::vector<FileOutcome> files;
  std::vector<Problem> problems;  // errors and warnings, in file and row order
  bool written = false;           // true when the store was changed
  int64_t errors() const;
};

// Imports `inputs` into `store` (which must be initialised; see InitDatabase). Inputs are
// processed in dependency order (regions, industries, zones, clusters, firms, members,
// institutions, reports), each seeing the records of those before it. Returns a non-OK Status
// only when the store fails (kEnvironment); refused input is reported in the outcome.
Result<ImportOutcome> Import(Store& store, std::vector<ImportInput> inputs, const ImportOptions& options);

// `problems` as a CSV (UTF-8 with BOM, so Excel opens it correctly) with the columns file, row,
// column, value, rule, severity, message — messages in `lang`. When `total` (errors + warnings
// found) exceeds the problems kept, a last line (rule problems.truncated) says how many are missing.
std::string ProblemsCsv(const std::vector<Problem>& problems, int64_t total, Lang lang);

// Every rule id the importer can report, with a one-line description in each language.
struct RuleInfo {
  std::string_view id;
  std::string_view zh;
  std::string_view en;
};
std::span<const RuleInfo> ImportRules();

}  // namespace clusterscope
