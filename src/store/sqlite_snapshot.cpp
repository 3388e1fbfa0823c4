#include "store/sqlite_snapshot.h"

#include <array>

#include "store/sqlite_util.h"

namespace clusterscope::store {
namespace {

// report_columns, firms and reports of one SQLite file, for snapshot_codec.cpp.
class SqliteSnapshotTables : public SnapshotTables {
 public:
  SqliteSnapshotTables(sqlite3* db, const std::string& path) : db_(db), path_(path) {}

  Status Clear() override {
    if (sqlite3_exec(db_, "DELETE FROM report_columns", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return SqliteError(db_, path_, "clearing report_columns");
    }
    return Status::Ok();
  }

  Status Put(int year, std::string_view column, int64_t rows, std::string_view data) override {
    CS_ASSIGN_OR_RETURN(
        sqlite3_stmt * s,
        PrepareInto(db_, path_, put_,
                    "INSERT OR REPLACE INTO report_columns (year, column_id, rows, data) VALUES (?, ?, ?, ?)"));
    sqlite3_bind_int(s, 1, year);
    sqlite3_bind_text(s, 2, column.data(), static_cast<int>(column.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, rows);
    sqlite3_bind_blob64(s, 4, data.data(), data.size(), SQLITE_STATIC);
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return SqliteError(db_, path_, "writing report_columns");
    return Status::Ok();
  }

  Result<std::optional<SnapshotBlob>> Get(int year, std::string_view column) override {
    sqlite3_blob* blob = nullptr;
    SnapshotBlob out;
    auto rows = ReadBlobInto(year, column, blob, out.data);
    sqlite3_blob_close(blob);  // a no-op on nullptr
    CS_RETURN_IF_ERROR(rows.status());
    if (!*rows) return std::optional<SnapshotBlob>();
    out.rows = **rows;
    return std::optional<SnapshotBlob>(std::move(out));
  }

  Status GetYearInto(int year, const std::vector<std::string_view>& columns, std::vector<std::string>& out,
                     std::vector<char>& found, const std::function<void(size_t)>& on_read) override {
    out.resize(columns.size());
    found.assign(columns.size(), 0);
    sqlite3_blob* blob = nullptr;
    Status status = Status::Ok();
    size_t i = 0;
    for (; i < columns.size() && status.ok(); ++i) {
      auto rows = ReadBlobInto(year, columns[i], blob, out[i]);
      status = rows.status();
      if (rows.ok() && *rows) found[i] = 1;
      on_read(i);
    }
    for (; i < columns.size(); ++i) on_read(i);  // after a failure: nothing more is read
    sqlite3_blob_close(blob);
    return status;
  }

  Result<std::vector<std::pair<int, int64_t>>> Years() override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * l, PrepareInto(db_, path_, stmt,
                                                      "SELECT year, rows FROM report_columns WHERE column_id = 'firm' "
                                                      "AND year > 0 ORDER BY year"));
    std::vector<std::pair<int, int64_t>> years;
    int rc;
    while ((rc = sqlite3_step(l)) == SQLITE_ROW)
      years.emplace_back(sqlite3_column_int(l, 0), sqlite3_column_int64(l, 1));
    if (rc != SQLITE_DONE) return SqliteError(db_, path_, "reading report_columns");
    return years;
  }

  Status ForEachFirm(const FirmFn& fn) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(
        sqlite3_stmt * s,
        PrepareInto(db_, path_, stmt,
                    "SELECT uscc, region_code, industry_code, zone_id, lat, lon FROM firms ORDER BY uscc"));
    const auto real = [&](int c) {
      return sqlite3_column_type(s, c) == SQLITE_NULL ? std::optional<double>() : sqlite3_column_double(s, c);
    };
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_, path_, "reading firms");
      std::optional<std::string_view> zone;
      if (sqlite3_column_type(s, 3) != SQLITE_NULL) zone = ColumnText(s, 3);
      fn(ColumnText(s, 0), ColumnText(s, 1), ColumnText(s, 2), zone, real(4), real(5));
    }
  }

  Status ForEachFirmRow(const std::function<void(const FirmRow&)>& fn) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                        PrepareInto(db_, path_, stmt,
                                    "SELECT uscc, name, region_code, industry_code, zone_id, founded, name_en, "
                                    "high_tech_cert_year, listed FROM firms ORDER BY uscc"));
    const auto text = [&](int c) {
      return sqlite3_column_type(s, c) == SQLITE_NULL ? std::optional<std::string_view>() : ColumnText(s, c);
    };
    const auto integer = [&](int c) {
      return sqlite3_column_type(s, c) == SQLITE_NULL ? std::optional<int64_t>() : sqlite3_column_int64(s, c);
    };
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_, path_, "reading firms");
      fn(FirmRow{.uscc = ColumnText(s, 0),
                 .name = ColumnText(s, 1),
                 .region = ColumnText(s, 2),
                 .industry = ColumnText(s, 3),
                 .zone = text(4),
                 .founded = text(5),
                 .name_en = text(6),
                 .cert_year = integer(7),
                 .listed = integer(8)});
    }
  }

  Status ForEachMember(const std::function<void(const MemberRow&)>& fn) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, PrepareInto(db_, path_, stmt,
                                                      "SELECT cluster_id, uscc, from_year, to_year, role FROM members "
                                                      "ORDER BY cluster_id, uscc, from_year"));
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_, path_, "reading members");
      MemberRow m{.cluster = ColumnText(s, 0), .uscc = ColumnText(s, 1), .from_year = sqlite3_column_int64(s, 2)};
      if (sqlite3_column_type(s, 3) != SQLITE_NULL) m.to_year = sqlite3_column_int64(s, 3);
      if (sqlite3_column_type(s, 4) != SQLITE_NULL) m.role = ColumnText(s, 4);
      fn(m);
    }
  }

  Status ForEachReport(const ReportFn& fn) override {
    const KindDef& def = Describe(Kind::kReports);
    const std::vector<int>& cols = SnapshotColumns();
    std::string list;
    for (int c : cols) list += fmt::format(", {}", def.columns[static_cast<size_t>(c)].id);
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(
        sqlite3_stmt * rs,
        PrepareInto(db_, path_, stmt, fmt::format("SELECT uscc, year{} FROM reports ORDER BY uscc, year", list)));
    std::array<int64_t, 64> values{};
    for (;;) {
      const int rc = sqlite3_step(rs);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_, path_, "reading reports");
      uint64_t present = 0;
      for (size_t k = 0; k < cols.size(); ++k) {
        // NULL reads as 0: only a 0 needs the second call that tells them apart.
        const int c = static_cast<int>(k) + 2;
        values[k] = sqlite3_column_int64(rs, c);
        if (values[k] != 0 || sqlite3_column_type(rs, c) != SQLITE_NULL) present |= uint64_t{1} << k;
      }
      fn(ColumnText(rs, 0), sqlite3_column_int(rs, 1), present, values.data());
    }
  }

 private:
  // The blob of (year, column) read straight from its pages into `out` (incremental blob I/O),
  // not first into a buffer of SQLite's and then a new string: a register column is tens of
  // megabytes. `blob` is the handle, opened on first use and moved to each later row (the
  // caller closes it). The row's `rows`, or nullopt when there is no such row.
  Result<std::optional<int64_t>> ReadBlobInto(int year, std::string_view column, sqlite3_blob*& blob,
                                              std::string& out) {
    CS_ASSIGN_OR_RETURN(
        sqlite3_stmt * s,
        PrepareInto(db_, path_, locate_,
                    "SELECT rowid, rows, length(data) FROM report_columns WHERE year = ? AND column_id = ?"));
    sqlite3_bind_int(s, 1, year);
    sqlite3_bind_text(s, 2, column.data(), static_cast<int>(column.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(s);
    std::optional<int64_t> rows;
    sqlite3_int64 rowid = 0;
    int bytes = 0;
    if (rc == SQLITE_ROW) {
      rowid = sqlite3_column_int64(s, 0);
      rows = sqlite3_column_int64(s, 1);
      bytes = sqlite3_column_int(s, 2);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, path_, "reading report_columns");
    if (!rows) return rows;
    const int opened = blob == nullptr ? sqlite3_blob_open(db_, "main", "report_columns", "data", rowid, 0, &blob)
                                       : sqlite3_blob_reopen(blob, rowid);
    // Room to grow: next year's blob is usually a little larger, and a reallocation would take
    // fresh pages (zeroed by the kernel) for all of it.
    if (out.capacity() < static_cast<size_t>(bytes)) out.reserve(static_cast<size_t>(bytes) * 9 / 8);
    out.resize(static_cast<size_t>(bytes));
    if (opened != SQLITE_OK || sqlite3_blob_read(blob, out.data(), bytes, 0) != SQLITE_OK) {
      return SqliteError(db_, path_, "reading report_columns");
    }
    return rows;
  }

  sqlite3* db_;
  const std::string& path_;
  Stmt put_;
  Stmt locate_;
};

}  // namespace

Status RebuildSnapshot(sqlite3* db, const std::string& path) {
  SqliteSnapshotTables tables(db, path);
  return RebuildSnapshot(tables);
}

Status UpdateSnapshot(sqlite3* db, const std::string& path, SnapshotDelta& delta) {
  SqliteSnapshotTables tables(db, path);
  return UpdateSnapshot(tables, delta);
}

Result<bool> SnapshotPresent(sqlite3* db, const std::string& path) {
  SqliteSnapshotTables tables(db, path);
  return SnapshotPresent(tables);
}

Result<SnapshotScan> ReadSnapshot(sqlite3* db, const std::string& path, const ReportColumnsRequest& request,
                                  const std::function<Status(ReportYearColumns&)>& fn) {
  SqliteSnapshotTables tables(db, path);
  return ReadSnapshot(tables, request, fn);
}

Result<SnapshotScan> ReadIndustryTotals(sqlite3* db, const std::string& path, std::string_view measure, int year,
                                        const std::function<void(const IndustryTotal&)>& fn) {
  SqliteSnapshotTables tables(db, path);
  return ReadIndustryTotals(tables, measure, year, fn);
}

Result<SnapshotScan> ReadZoneTotals(sqlite3* db, const std::string& path, int year,
                                    const std::function<void(const ZoneTotals&)>& fn) {
  SqliteSnapshotTables tables(db, path);
  return ReadZoneTotals(tables, year, fn);
}

Result<SnapshotScan> ReadFirmSites(sqlite3* db, const std::string& path, const std::function<void(FirmSites&)>& fn) {
  SqliteSnapshotTables tables(db, path);
  return ReadFirmSites(tables, fn);
}

Result<SnapshotScan> ReadRegisterColumns(sqlite3* db, const std::string& path, const RegisterRead& what,
                                         const std::function<void(RegisterColumns&)>& fn) {
  SqliteSnapshotTables tables(db, path);
  return ReadRegisterColumns(tables, what, fn);
}

Result<std::optional<std::vector<int>>> SnapshotYears(sqlite3* db, const std::string& path) {
  SqliteSnapshotTables tables(db, path);
  return SnapshotYears(tables);
}

}  // namespace clusterscope::store
