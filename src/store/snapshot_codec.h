// The columnar snapshot of the reports (table report_columns, docs/storage.md), whatever the SQL
// dialect: each year's reports column by column, and per year the totals by province and
// industry that location quotients compare against and the totals of each zone. Kept current by
// the write transaction itself — only the years an import touched are rewritten — so no reader
// ever writes and the first read after an import costs what the second does. The SQLite store
// (sqlite_snapshot.cpp) and the PostgreSQL store (postgres_store.cpp) each give it their tables
// through SnapshotTables; the encoding, the upkeep and the reading are this file's alone, so the
// two stores hold byte-identical snapshots of the same rows.
//
// Rows of report_columns: (0, 'firms') holds the number of firms in `rows` and the format
// ("columns+totals+zones") in `data`; (Y, 'firm') each row's firm position (firms in uscc order);
// (Y, <column>) a reports column (column_codec.h); (Y, 'totals:<measure>') the totals of
// employees, gross_output and value_added as text lines "province<TAB>industry<TAB>total"
// (province 0 = the nation), and (Y, 'totals:zones') per zone "zone<TAB>reports" then
// "<TAB>sum<TAB>count" for every column, each with a checksum. (0, 'sites:industry'), (0,
// 'sites:lat') and (0, 'sites:lon') hold every firm's industry (an index into the lines of (0,
// 'sites:industries'), checksummed) and coordinates (the doubles' bits; null: none), by position:
// what a localisation test needs of every firm, without a pass over the register (written by
// builds from 2026-12 on; a snapshot without them still answers everything else). (0,
// 'register:<column>') hold the firms' other register fields by position (text columns:
// EncodeTexts) and (0, 'members:<column>') every membership in key order with its firm's position,
// (0, 'register') their count in `rows`, written last (builds from 2026-12-03 on).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clusterscope/store.h"

namespace clusterscope::store {

// The integer columns of reports other than the key (KindDef::columns indices): what the
// snapshot holds, in this order.
const std::vector<int>& SnapshotColumns();

// One row of report_columns.
struct SnapshotBlob {
  int64_t rows = 0;
  std::string data;
};

// report_columns and the two tables it mirrors, as one store reaches them: every call runs inside
// the caller's transaction (a write transaction for the writing ones), and an error names the
// database and what was being done.
class SnapshotTables {
 public:
  virtual ~SnapshotTables() = default;
  // Removes every row of report_columns.
  virtual Status Clear() = 0;
  // Writes the row (year, column), replacing one that is there.
  virtual Status Put(int year, std::string_view column, int64_t rows, std::string_view data) = 0;
  // The row (year, column), or nullopt.
  virtual Result<std::optional<SnapshotBlob>> Get(int year, std::string_view column) = 0;
  // The data of the rows `columns` of `year`, in that order, nullopt where a row is missing. One
  // Get each unless the store can do better (one round trip to a server).
  virtual Result<std::vector<std::optional<std::string>>> GetYear(int year,
                                                                  const std::vector<std::string_view>& columns);
  // GetYear into `out` (one string per column; `found[i]` false where the row is missing),
  // whose strings keep their memory from one call to the next: a read of year after year then
  // copies each blob once into memory it already has. GetYear unless the store can do better.
  // `on_read(i)` is called once out[i] is complete (or known missing), in order, so a reader can
  // decode a blob while the next ones are read; every i gets its call, even when the read fails.
  virtual Status GetYearInto(int year, const std::vector<std::string_view>& columns, std::vector<std::string>& out,
                             std::vector<char>& found, const std::function<void(size_t)>& on_read);
  // (year, rows) of every year's 'firm' row (year > 0), ascending.
  virtual Result<std::vector<std::pair<int, int64_t>>> Years() = 0;
  // Every firm in uscc order (bytewise): its code, region_code, industry_code, zone_id (nullopt
  // when it has none)
  // and coordinates (nullopt when it has none).
  using FirmFn =
      std::function<void(std::string_view uscc, std::string_view region, std::string_view industry,
                         std::optional<std::string_view> zone, std::optional<double> lat, std::optional<double> lon)>;
  virtual Status ForEachFirm(const FirmFn& fn) = 0;
  // Every firm in uscc order with every register field RegisterColumns keeps (nullopt: null).
  struct FirmRow {
    std::string_view uscc, name, region, industry;
    std::optional<std::string_view> zone, founded, name_en;
    std::optional<int64_t> cert_year, listed;
  };
  virtual Status ForEachFirmRow(const std::function<void(const FirmRow&)>& fn) = 0;
  // Every membership in key order (cluster_id, uscc, from_year; bytewise).
  struct MemberRow {
    std::string_view cluster, uscc;
    int64_t from_year = 0;
    std::optional<int64_t> to_year;
    std::optional<std::string_view> role;
  };
  virtual Status ForEachMember(const std::function<void(const MemberRow&)>& fn) = 0;
  // Every report in (uscc, year) order with its SnapshotColumns() values: values[k] is column k,
  // present where bit k of `present` is set (0 where not).
  using ReportFn = std::function<void(std::string_view uscc, int year, uint64_t present, const int64_t* values)>;
  virtual Status ForEachReport(const ReportFn& fn) = 0;
};

// What a write transaction changed that the snapshot mirrors, noted as it writes.
class SnapshotDelta {
 public:
  void FirmInserted(const Record& firm);
  // Notes whether the firm moved to another region, industry or zone (the totals then change).
  void FirmReplaced(const Record& firm, const Record& previous);
  // A report inserted or replaced: the new values, kept compactly (about 100 bytes a report of
  // the bench data) until the commit.
  void Report(const Record& report);
  // A membership inserted or replaced: the memberships kept with the snapshot are rewritten.
  void MemberWritten() { members_changed_ = true; }
  bool empty() const {
    return inserted_firms_.empty() && !places_changed_ && !sites_changed_ && !register_changed_ && !members_changed_ &&
           years_.empty();
  }

 private:
  friend class SnapshotUpdate;
  static constexpr size_t kKeyBytes = 18;  // a unified social credit code
  struct YearRows {
    std::string keys;               // kKeyBytes a row
    std::vector<uint64_t> present;  // bit k: SnapshotColumns()[k] has a value
    std::vector<uint64_t> end;      // where each row's values end in `bytes`
    std::string bytes;              // the present values, varint-coded (snapshot_codec.cpp)
    size_t size() const { return present.size(); }
  };
  std::vector<std::string> inserted_firms_;
  bool places_changed_ = false;
  bool sites_changed_ = false;     // a firm's industry or coordinates changed: the sites are rewritten
  bool register_changed_ = false;  // any field of a firm changed: the register columns are rewritten
  bool members_changed_ = false;
  bool odd_key_ = false;  // a code not of kKeyBytes (the importer refuses those): rebuild instead
  std::map<int, YearRows> years_;
  static constexpr size_t kRecentYears = 48;
  std::vector<std::pair<int, YearRows*>> recent_;  // years seen lately (Report's lookup)
};

// Rewrites the whole snapshot from the reports and firms tables.
Status RebuildSnapshot(SnapshotTables& tables);
// Brings the snapshot up to date with `delta`: the years with changed reports are rewritten, the
// firm positions of the others renumbered when firms were added, their totals recomputed when a
// firm moved. A snapshot that is missing or in an older format is rebuilt whole.
Status UpdateSnapshot(SnapshotTables& tables, SnapshotDelta& delta);
// True when the snapshot is there in this build's format (not checked further).
Result<bool> SnapshotPresent(SnapshotTables& tables);

// Store::ScanReportColumns, Store::ScanIndustryTotals and Store::ScanZoneTotals over the snapshot.
Result<SnapshotScan> ReadSnapshot(SnapshotTables& tables, const ReportColumnsRequest& request,
                                  const std::function<Status(ReportYearColumns&)>& fn);
Result<SnapshotScan> ReadIndustryTotals(SnapshotTables& tables, std::string_view measure, int year,
                                        const std::function<void(const IndustryTotal&)>& fn);
Result<SnapshotScan> ReadZoneTotals(SnapshotTables& tables, int year, const std::function<void(const ZoneTotals&)>& fn);
// Store::ScanFirmSites over the snapshot.
Result<SnapshotScan> ReadFirmSites(SnapshotTables& tables, const std::function<void(FirmSites&)>& fn);
// Store::ScanRegisterColumns over the snapshot.
Result<SnapshotScan> ReadRegisterColumns(SnapshotTables& tables, const RegisterRead& what,
                                         const std::function<void(RegisterColumns&)>& fn);
// The years with reports, ascending, from the snapshot; nullopt when there is none.
Result<std::optional<std::vector<int>>> SnapshotYears(SnapshotTables& tables);

}  // namespace clusterscope::store
