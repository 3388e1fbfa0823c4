// The columnar snapshot of the reports in an SQLite file (table report_columns, docs/storage.md):
// each year's reports column by column, and per year the totals by province and industry that
// location quotients compare against. Kept current by the write transaction itself — only the
// years an import touched are rewritten — so no reader ever writes and the first read after an
// import costs what the second does.
//
// Rows of report_columns: (0, 'firms') holds the number of firms in `rows` and kSnapshotFormat in
// `data`; (Y, 'firm') each row's firm position (firms in uscc order); (Y, <column>) a reports
// column (column_codec.h); (Y, 'totals:<measure>') the totals of employees, gross_output and
// value_added as text lines "province<TAB>industry<TAB>total" (province 0 = the nation), and
// (Y, 'totals:zones') per zone "zone<TAB>reports" then "<TAB>sum<TAB>count" for every column,
// each with a checksum.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "clusterscope/store.h"

namespace clusterscope::store {

// The integer columns of reports other than the key (KindDef::columns indices): what the
// snapshot holds, in this order.
const std::vector<int>& SnapshotColumns();

// What a write transaction changed that the snapshot mirrors, noted as it writes.
class SnapshotDelta {
 public:
  void FirmInserted(const Record& firm);
  // Notes whether the firm moved to another region, industry or zone (the totals then change).
  void FirmReplaced(const Record& firm, const Record& previous);
  // A report inserted or replaced: the new values, kept compactly (about 100 bytes a report of
  // the bench data) until the commit.
  void Report(const Record& report);
  bool empty() const { return inserted_firms_.empty() && !places_changed_ && years_.empty(); }

 private:
  friend class SnapshotUpdate;
  static constexpr size_t kKeyBytes = 18;  // a unified social credit code
  struct YearRows {
    std::string keys;               // kKeyBytes a row
    std::vector<uint64_t> present;  // bit k: SnapshotColumns()[k] has a value
    std::vector<uint64_t> end;      // where each row's values end in `bytes`
    std::string bytes;              // the present values, varint-coded (sqlite_snapshot.cpp)
    size_t size() const { return present.size(); }
  };
  std::vector<std::string> inserted_firms_;
  bool places_changed_ = false;
  bool odd_key_ = false;  // a code not of kKeyBytes (the importer refuses those): rebuild instead
  std::map<int, YearRows> years_;
  static constexpr size_t kRecentYears = 48;
  std::vector<std::pair<int, YearRows*>> recent_;  // years seen lately (Report's lookup)
};

// Rewrites the whole snapshot from the reports and firms tables, inside the caller's transaction.
Status RebuildSnapshot(sqlite3* db, const std::string& path);
// Brings the snapshot up to date with `delta`, inside the caller's transaction: the years with
// changed reports are rewritten, the firm positions of the others renumbered when firms were
// added, their totals recomputed when a firm moved. A snapshot that is missing or in an older
// format is rebuilt whole.
Status UpdateSnapshot(sqlite3* db, const std::string& path, SnapshotDelta& delta);
// True when the snapshot is there in this build's format (not checked further).
Result<bool> SnapshotPresent(sqlite3* db, const std::string& path);

// Store::ScanReportColumns, Store::ScanIndustryTotals and Store::ReportYears over the snapshot.
Result<SnapshotScan> ReadSnapshot(sqlite3* db, const std::string& path, const ReportColumnsRequest& request,
                                  const std::function<Status(ReportYearColumns&)>& fn);
Result<SnapshotScan> ReadIndustryTotals(sqlite3* db, const std::string& path, std::string_view measure, int year,
                                        const std::function<void(const IndustryTotal&)>& fn);
Result<SnapshotScan> ReadZoneTotals(sqlite3* db, const std::string& path, int year,
                                    const std::function<void(const ZoneTotals&)>& fn);
// The years with reports, ascending, from the snapshot; nullopt when there is none.
Result<std::optional<std::vector<int>>> SnapshotYears(sqlite3* db, const std::string& path);

}  // namespace clusterscope::store
