// The columnar snapshot of the reports in an SQLite file (table report_columns, docs/storage.md):
// the SQLite side of snapshot_codec.h, which holds the format, the upkeep and the reading.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clusterscope/store.h"
#include "store/snapshot_codec.h"

namespace clusterscope::store {

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
Result<SnapshotScan> ReadFirmSites(sqlite3* db, const std::string& path, const std::function<void(FirmSites&)>& fn);
Result<SnapshotScan> ReadRegisterColumns(sqlite3* db, const std::string& path, const RegisterRead& what,
                                         const std::function<void(RegisterColumns&)>& fn);
// The years with reports, ascending, from the snapshot; nullopt when there is none.
Result<std::optional<std::vector<int>>> SnapshotYears(sqlite3* db, const std::string& path);

}  // namespace clusterscope::store
