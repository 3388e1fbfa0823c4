#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "schema/record_json.h"
#include "store/column_codec.h"
#include "store/ddl.h"
#include "store/store_helpers.h"

namespace clusterscope::store {
namespace {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;
struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbDeleter>;

std::string KeyList(const KindDef& def) {
  std::string out;
  for (int k : def.KeyColumns()) {
    if (!out.empty()) out += ", ";
    out += def.columns[static_cast<size_t>(k)].id;
  }
  return out;
}

std::string ColumnList(const KindDef& def) {
  std::string out;
  for (const ColumnDef& c : def.columns) {
    if (!out.empty()) out += ", ";
    out += c.id;
  }
  return out;
}

// "INSERT INTO zones (zone_id, name, …) VALUES (?, ?, …)", with `verb` for "INSERT".
std::string InsertSql(std::string_view verb, const KindDef& def) {
  std::string marks;
  for (size_t i = 0; i < def.columns.size(); ++i) marks += i == 0 ? "?" : ", ?";
  return fmt::format("{} INTO {} ({}) VALUES ({})", verb, def.id, ColumnList(def), marks);
}

// report_columns (schema version 2, ddl.cpp) is the columnar snapshot of the reports, dropped by
// every write transaction that changes reports or firms and rebuilt by the next reader. One row
// per year and column: column_id "firm" holds each row's firm position (firms in uscc order), the
// others a reports column; the row (0, 'firms') holds the number of firms in `rows` and
// kSnapshotFormat in `data` (a snapshot without it predates blob checksums and is rebuilt).
constexpr std::string_view kSnapshotFormat = "checksummed";

// The integer columns of reports other than the key: what the snapshot holds.
std::vector<int> SnapshotColumns() {
  const KindDef& def = Describe(Kind::kReports);
  std::vector<int> out;
  for (size_t i = 0; i < def.columns.size(); ++i) {
    if (!def.columns[i].key && IsIntegerColumn(def.columns[i].type)) out.push_back(static_cast<int>(i));
  }
  return out;
}

class SqliteStore;

Status SqliteError(sqlite3* db, const std::string& path, const std::string& what) {
  int code = sqlite3_extended_errcode(db);
  std::string msg = fmt::format("{}: {}: {}", path, what, sqlite3_errmsg(db));
  if ((code & 0xFF) == SQLITE_CONSTRAINT) return Status::Conflict(msg);
  return Status::Environment(msg);
}

void Bind(sqlite3_stmt* stmt, int index, const Value& v) {
  if (IsNull(v)) {
    sqlite3_bind_null(stmt, index);
  } else if (const auto* n = std::get_if<int64_t>(&v)) {
    sqlite3_bind_int64(stmt, index, *n);
  } else if (const auto* d = std::get_if<double>(&v)) {
    sqlite3_bind_double(stmt, index, *d);
  } else {
    const auto& s = std::get<std::string>(v);
    // The record outlives the step that reads this binding.
    sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
}

std::string_view ColumnText(sqlite3_stmt* stmt, int col) {
  const void* p = sqlite3_column_blob(stmt, col);
  return p == nullptr
             ? std::string_view()
             : std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
}

Record ReadRow(sqlite3_stmt* stmt, size_t ncols) {
  Record r(ncols);
  for (size_t i = 0; i < ncols; ++i) {
    int col = static_cast<int>(i);
    switch (sqlite3_column_type(stmt, col)) {
      case SQLITE_INTEGER:
        r[i] = static_cast<int64_t>(sqlite3_column_int64(stmt, col));
        break;
      case SQLITE_FLOAT:
        r[i] = sqlite3_column_double(stmt, col);
        break;
      case SQLITE_TEXT:
        r[i] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, col)),
                           static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
        break;
      default:
        break;
    }
  }
  return r;
}

// The current row of a stepped statement, read in place.
class StatementView : public RowView {
 public:
  explicit StatementView(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Real(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string_view Text(int c) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return text == nullptr ? std::string_view()
                           : std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, c)));
  }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteTransaction : public WriteTransaction {
 public:
  SqliteTransaction(SqliteStore& store, sqlite3* db, std::string path)
      : store_(store), db_(db), path_(std::move(path)) {}
  ~SqliteTransaction() override;
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  Status Insert(Kind kind, const Record& record) override;
  Status Replace(Kind kind, const Record& record, const Record& previous, int64_t import_id) override;
  Result<int64_t> LogImport(const ImportLogEntry& entry) override;
  Status UpdateImportLog(const ImportLogEntry& entry) override;
  Status CopyImportLogEntry(const ImportLogEntry& entry) override;
  Status CopyHistoryEntry(const HistoryEntry& entry) override;
  Status Commit() override;

 private:
  Result<sqlite3_stmt*> Prepared(Stmt& slot, const std::string& sql);

  SqliteStore& store_;
  sqlite3* db_;
  std::string path_;
  bool done_ = false;
  bool reports_changed_ = false;  // reports or firms written: the snapshot must be rebuilt
  bool wrote_ = false;            // anything written: the generation moves on at commit
  std::array<Stmt, std::size(kAllKinds)> insert_;
  std::array<Stmt, std::size(kAllKinds)> replace_;
  Stmt history_;
  Stmt log_;
  Stmt log_update_;
};

class SqliteStore : public Store {
 public:
  SqliteStore(Db db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Status Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err != nullptr ? err : "unknown error";
      sqlite3_free(err);
      int code = sqlite3_extended_errcode(db_.get());
      std::string full = fmt::format("{}: {}", path_, msg);
      return (code & 0xFF) == SQLITE_CONSTRAINT ? Status::Conflict(full) : Status::Environment(full);
    }
    return Status::Ok();
  }

  Status NewerSchema(int version) const {
    return Status::Environment(
               fmt::format(
                   "{}: the database has schema version {}, written by a newer clusterscope; this build understands "
                   "versions up to {}. Upgrade clusterscope; the database was not changed",
                   path_, version, kSchemaVersion))
        .WithId("db.newer_schema");
  }

  Result<int> SchemaVersion() override {
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(version_, "PRAGMA user_version"));
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading the schema version");
    int v = sqlite3_column_int(stmt, 0);
    sqlite3_reset(stmt);
    return v;
  }

  Status Init(const InitSeed& seed) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version > kSchemaVersion) return NewerSchema(version);
    // WAL: readers (the server) never block the importer. Set here, on the write path, and not
    // on open: a reader must not change the file, and the mode cannot change inside a transaction.
    CS_RETURN_IF_ERROR(Exec("PRAGMA journal_mode = WAL"));
    CS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    SqliteTransaction txn(*this, db_.get(), path_);  // rolls back unless committed
    // Read again under the write lock: a concurrent init may have got there first.
    CS_ASSIGN_OR_RETURN(version, SchemaVersion());
    if (version > kSchemaVersion) return NewerSchema(version);
    if (version < kSchemaVersion) {
      CS_RETURN_IF_ERROR(Migrate(version));
    } else {
      // Tables added to the registry without a version bump (expert scores) are created where
      // missing, so `init` brings an older database of the same version up to date; idempotent.
      CS_RETURN_IF_ERROR(Exec(CreateMissingKindTablesSql()));
      // A snapshot that fails its checks (readers warn and read the rows) is built again here.
      CS_ASSIGN_OR_RETURN(int64_t firms, Count(Kind::kFirms));
      std::vector<std::string> ids;
      for (int c : SnapshotColumns()) ids.emplace_back(Describe(Kind::kReports).columns[static_cast<size_t>(c)].id);
      CS_ASSIGN_OR_RETURN(SnapshotScan scan,
                          ScanReportColumns(ids, firms, [](ReportYearColumns&) { return Status::Ok(); }));
      if (scan == SnapshotScan::kDamaged) CS_RETURN_IF_ERROR(RebuildReportColumns());
    }
    if (seed) CS_RETURN_IF_ERROR(seed(txn));
    return txn.Commit();
  }

  Result<std::optional<Record>> Get(Kind kind, const Record& key_record) override {
    const KindDef& def = Describe(kind);
    auto& slot = get_[static_cast<size_t>(kind)];
    if (!slot) {
      std::string where;
      for (int k : def.KeyColumns()) {
        where += fmt::format("{}{} = ?", where.empty() ? "" : " AND ", def.columns[static_cast<size_t>(k)].id);
      }
      CS_RETURN_IF_ERROR(
          Prepare(slot, fmt::format("SELECT {} FROM {} WHERE {}", ColumnList(def), def.id, where)).status());
    }
    sqlite3_stmt* stmt = slot.get();
    int index = 1;
    for (size_t i = 0; i < def.columns.size(); ++i) {
      if (def.columns[i].key) Bind(stmt, index++, key_record[i]);
    }
    int rc = sqlite3_step(stmt);
    std::optional<Record> out;
    if (rc == SQLITE_ROW) out = ReadRow(stmt, def.columns.size());
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_.get(), path_, "reading " + std::string(def.id));
    return out;
  }

  Status Scan(Kind kind, const std::function<bool(const Record&)>& fn) override {
    const KindDef& def = Describe(kind);
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt, fmt::format("SELECT {} FROM {} ORDER BY {}", ColumnList(def),
                                                                    def.id, KeyList(def))));
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading " + std::string(def.id));
      if (!fn(ReadRow(s, def.columns.size()))) return Status::Ok();
    }
  }

  Result<std::vector<std::optional<Record>>> GetMany(Kind kind, const std::vector<Record>& keys) override {
    return GetEachKey(*this, kind, keys);
  }

  Status ScanWhere(Kind kind, int column, const std::vector<Value>& values,
                   const std::function<bool(const Record&)>& fn) override {
    const KindDef& def = Describe(kind);
    if (column < 0 || static_cast<size_t>(column) >= def.columns.size()) {
      return Status::Usage(fmt::format("{}: no column {}", def.id, column));
    }
    const std::string_view col = def.columns[static_cast<size_t>(column)].id;
    const std::vector<Value> wanted = SortedDistinct(values);
    // In ascending chunks of values, each ordered by (value, key): the whole scan is in that order.
    constexpr size_t kChunk = 500;
    for (size_t at = 0; at < wanted.size(); at += kChunk) {
      const size_t n = std::min(kChunk, wanted.size() - at);
      std::string marks;
      for (size_t i = 0; i < n; ++i) marks += i == 0 ? "?" : ", ?";
      Stmt stmt;
      CS_ASSIGN_OR_RETURN(sqlite3_stmt * q,
                          Prepare(stmt, fmt::format("SELECT {} FROM {} WHERE {} IN ({}) ORDER BY {}, {}",
                                                    ColumnList(def), def.id, col, marks, col, KeyList(def))));
      for (size_t i = 0; i < n; ++i) Bind(q, static_cast<int>(i) + 1, wanted[at + i]);
      for (;;) {
        int rc = sqlite3_step(q);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading " + std::string(def.id));
        if (!fn(ReadRow(q, def.columns.size()))) return Status::Ok();
      }
    }
    return Status::Ok();
  }

  Result<int64_t> Generation() override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 3) return int64_t{0};  // before the counter existed (read before an upgrade)
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * q, Prepare(stmt, "SELECT value FROM store_meta WHERE key = 'generation'"));
    if (sqlite3_step(q) != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading the generation");
    return static_cast<int64_t>(sqlite3_column_int64(q, 0));
  }

  Status ScanRows(Kind kind, const std::function<bool(const RowView&)>& fn) override {
    const KindDef& def = Describe(kind);
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt, fmt::format("SELECT {} FROM {} ORDER BY {}", ColumnList(def),
                                                                    def.id, KeyList(def))));
    StatementView view(s);
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading " + std::string(def.id));
      if (!fn(view)) return Status::Ok();
    }
  }

  Result<int64_t> Count(Kind kind) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt, fmt::format("SELECT count(*) FROM {}", KindId(kind))));
    if (sqlite3_step(s) != SQLITE_ROW) return SqliteError(db_.get(), path_, "counting");
    return static_cast<int64_t>(sqlite3_column_int64(s, 0));
  }

  Status RefreshReportColumns() override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return Status::Ok();
    {
      Stmt meta;
      CS_ASSIGN_OR_RETURN(sqlite3_stmt * m,
                          Prepare(meta, "SELECT data FROM report_columns WHERE year = 0 AND column_id = 'firms'"));
      const int rc = sqlite3_step(m);
      if (rc == SQLITE_ROW && ColumnText(m, 0) == kSnapshotFormat) return Status::Ok();  // present
      if (rc != SQLITE_DONE) return SqliteError(db_.get(), path_, "reading report_columns");
    }
    // Another writer, or a read-only file: leave it to a later reader.
    if (sqlite3_exec(db_.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return Status::Ok();
    Status s = RebuildReportColumns();
    if (s.ok() && sqlite3_exec(db_.get(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) return Status::Ok();
    (void)Exec("ROLLBACK");
    return Status::Ok();
  }

  // Rewrites report_columns from the reports and firms tables; inside the caller's transaction.
  Status RebuildReportColumns() {
    CS_RETURN_IF_ERROR(Exec("DELETE FROM report_columns"));
    const KindDef& def = Describe(Kind::kReports);
    const std::vector<int> cols = SnapshotColumns();
    Stmt firms_stmt;
    Stmt reports_stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * fs, Prepare(firms_stmt, "SELECT uscc FROM firms ORDER BY uscc"));
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * rs, Prepare(reports_stmt, fmt::format("SELECT {} FROM reports ORDER BY {}",
                                                                             ColumnList(def), KeyList(def))));
    struct YearColumns {
      ColumnBuilder firm;
      std::vector<ColumnBuilder> columns;
    };
    std::map<int, YearColumns> years;
    int64_t firm_pos = -1;
    std::string firm_uscc;
    bool firms_done = false;
    auto next_firm = [&]() -> Status {
      int rc = sqlite3_step(fs);
      if (rc == SQLITE_DONE) {
        firms_done = true;
      } else if (rc == SQLITE_ROW) {
        ++firm_pos;
        firm_uscc.assign(reinterpret_cast<const char*>(sqlite3_column_text(fs, 0)),
                         static_cast<size_t>(sqlite3_column_bytes(fs, 0)));
      } else {
        return SqliteError(db_.get(), path_, "reading firms");
      }
      return Status::Ok();
    };
    CS_RETURN_IF_ERROR(next_firm());
    int last_year = 0;
    YearColumns* y = nullptr;
    for (;;) {
      int rc = sqlite3_step(rs);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading reports");
      std::string_view uscc(reinterpret_cast<const char*>(sqlite3_column_text(rs, 0)),
                            static_cast<size_t>(sqlite3_column_bytes(rs, 0)));
      while (!firms_done && std::string_view(firm_uscc) < uscc) CS_RETURN_IF_ERROR(next_firm());
      if (firms_done || firm_uscc != uscc) continue;  // not a registered firm
      int year = sqlite3_column_int(rs, 1);
      if (y == nullptr || year != last_year) {
        y = &years[year];
        if (y->columns.empty()) y->columns.resize(cols.size());
        last_year = year;
      }
      y->firm.Append(firm_pos);
      for (size_t k = 0; k < cols.size(); ++k) {
        // NULL reads as 0: only a 0 needs the second call that tells them apart.
        int64_t v = sqlite3_column_int64(rs, cols[k]);
        if (v == 0 && sqlite3_column_type(rs, cols[k]) == SQLITE_NULL) {
          y->columns[k].AppendNull();
        } else {
          y->columns[k].Append(v);
        }
      }
    }
    while (!firms_done) CS_RETURN_IF_ERROR(next_firm());
    Stmt insert_stmt;
    CS_ASSIGN_OR_RETURN(
        sqlite3_stmt * ins,
        Prepare(insert_stmt, "INSERT INTO report_columns (year, column_id, rows, data) VALUES (?, ?, ?, ?)"));
    auto put = [&](int year, std::string_view column, int64_t rows, const std::string& blob) -> Status {
      sqlite3_bind_int(ins, 1, year);
      sqlite3_bind_text(ins, 2, column.data(), static_cast<int>(column.size()), SQLITE_STATIC);
      sqlite3_bind_int64(ins, 3, rows);
      sqlite3_bind_blob64(ins, 4, blob.data(), blob.size(), SQLITE_STATIC);
      int rc = sqlite3_step(ins);
      sqlite3_reset(ins);
      if (rc != SQLITE_DONE) return SqliteError(db_.get(), path_, "writing report_columns");
      return Status::Ok();
    };
    CS_RETURN_IF_ERROR(put(0, "firms", firm_pos + 1, std::string(kSnapshotFormat)));
    for (auto& [year, yc] : years) {
      auto rows = static_cast<int64_t>(yc.firm.size());
      CS_RETURN_IF_ERROR(put(year, "firm", rows, yc.firm.Finish()));
      for (size_t k = 0; k < cols.size(); ++k) {
        CS_RETURN_IF_ERROR(put(year, def.columns[static_cast<size_t>(cols[k])].id, rows, yc.columns[k].Finish()));
        yc.columns[k] = ColumnBuilder();  // free as we go
      }
    }
    return Status::Ok();
  }

  Result<SnapshotScan> ScanReportColumns(const std::vector<std::string>& columns, int64_t firm_count,
                                         const std::function<Status(ReportYearColumns&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2 || columns.size() > 64) return SnapshotScan::kAbsent;
    Stmt meta;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * m,
                        Prepare(meta, "SELECT rows, data FROM report_columns WHERE year = 0 AND column_id = 'firms'"));
    int rc = sqlite3_step(m);
    if (rc == SQLITE_DONE) return SnapshotScan::kAbsent;
    if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading report_columns");
    if (sqlite3_column_int64(m, 0) != firm_count || ColumnText(m, 1) != kSnapshotFormat) return SnapshotScan::kAbsent;
    std::vector<std::pair<int, int64_t>> years;
    Stmt list;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * l, Prepare(list,
                                                  "SELECT year, rows FROM report_columns WHERE column_id = 'firm' "
                                                  "AND year > 0 ORDER BY year"));
    while ((rc = sqlite3_step(l)) == SQLITE_ROW)
      years.emplace_back(sqlite3_column_int(l, 0), sqlite3_column_int64(l, 1));
    if (rc != SQLITE_DONE) return SqliteError(db_.get(), path_, "reading report_columns");
    Stmt blob_stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * b,
                        Prepare(blob_stmt, "SELECT data FROM report_columns WHERE year = ? AND column_id = ?"));
    std::vector<int64_t> firm;
    std::vector<std::string> blobs(columns.size() + 1);
    const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
    ReportYearColumns y;  // reused from year to year: its value vectors keep their memory
    for (const auto& [year, rows64] : years) {
      if (rows64 < 0 || rows64 > firm_count) return SnapshotScan::kDamaged;  // at most one report per firm a year
      auto rows = static_cast<size_t>(rows64);
      // Read this year's blobs (SQLite: one thread), then decode them on every core.
      for (size_t i = 0; i <= columns.size(); ++i) {
        std::string_view id = i == 0 ? std::string_view("firm") : std::string_view(columns[i - 1]);
        sqlite3_bind_int(b, 1, year);
        sqlite3_bind_text(b, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        int step = sqlite3_step(b);
        if (step == SQLITE_ROW) {
          blobs[i].assign(static_cast<const char*>(sqlite3_column_blob(b, 0)),
                          static_cast<size_t>(sqlite3_column_bytes(b, 0)));
        }
        sqlite3_reset(b);
        if (step == SQLITE_DONE) return SnapshotScan::kDamaged;  // a column of the year is missing
        if (step != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading report_columns");
      }
      y.year = year;
      y.values.resize(columns.size());
      firm.resize(rows);
      // Each thread sets presence bits in its own array; they are OR-ed together after.
      std::vector<std::vector<uint64_t>> present(threads, std::vector<uint64_t>(rows, 0));
      std::vector<Status> failed(threads, Status::Ok());
      std::atomic<size_t> next{0};
      auto work = [&](size_t me) {
        for (size_t i; (i = next.fetch_add(1)) <= columns.size();) {
          Status s = Status::Ok();
          if (i == 0) {
            std::vector<uint64_t> ignored(rows);
            s = DecodeColumn(blobs[0], rows, firm.data(), ignored.data(), 1);
          } else {
            y.values[i - 1].resize(rows);
            s = DecodeColumn(blobs[i], rows, y.values[i - 1].data(), present[me].data(), uint64_t{1} << (i - 1));
          }
          if (!s.ok()) failed[me] = s;
        }
      };
      {
        std::vector<std::jthread> pool;
        for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
        work(0);
      }
      for (const Status& s : failed) {
        if (!s.ok()) return SnapshotScan::kDamaged;  // a blob fails its checksum or does not decode
      }
      // Positions index the firms: each must be one, in ascending order (the engine relies on it).
      for (size_t r = 0; r < rows; ++r) {
        if (firm[r] < 0 || firm[r] >= firm_count || (r > 0 && firm[r] < firm[r - 1])) return SnapshotScan::kDamaged;
      }
      y.present = std::move(present[0]);
      for (size_t t = 1; t < threads; ++t) {
        for (size_t r = 0; r < rows; ++r) y.present[r] |= present[t][r];
      }
      y.firm.resize(rows);
      for (size_t r = 0; r < rows; ++r) y.firm[r] = static_cast<int32_t>(firm[r]);
      CS_RETURN_IF_ERROR(fn(y));
    }
    return SnapshotScan::kRead;
  }

  Result<std::vector<ImportLogEntry>> ImportLog() override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt,
                                                  "SELECT id, kind, file, sha256, at, rows, added, replaced, unchanged "
                                                  "FROM import_log ORDER BY id"));
    std::vector<ImportLogEntry> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      ImportLogEntry e;
      e.id = sqlite3_column_int64(s, 0);
      e.kind = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
      e.file = reinterpret_cast<const char*>(sqlite3_column_text(s, 2));
      e.sha256 = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
      e.at = reinterpret_cast<const char*>(sqlite3_column_text(s, 4));
      e.rows = sqlite3_column_int64(s, 5);
      e.added = sqlite3_column_int64(s, 6);
      e.replaced = sqlite3_column_int64(s, 7);
      e.unchanged = sqlite3_column_int64(s, 8);
      out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_.get(), path_, "reading the import log");
    return out;
  }

  Result<std::vector<HistoryEntry>> History(Kind kind) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(
        sqlite3_stmt * s,
        Prepare(stmt, "SELECT kind, record_key, record_json, import_id, id FROM history WHERE kind = ? ORDER BY id"));
    std::string kind_id(KindId(kind));
    sqlite3_bind_text(s, 1, kind_id.data(), static_cast<int>(kind_id.size()), SQLITE_STATIC);
    std::vector<HistoryEntry> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                     reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                     reinterpret_cast<const char*>(sqlite3_column_text(s, 2)), sqlite3_column_int64(s, 3),
                     sqlite3_column_int64(s, 4)});
    }
    if (rc != SQLITE_DONE) return SqliteError(db_.get(), path_, "reading history");
    return out;
  }

  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override {
    // IMMEDIATE takes the write lock now, so a concurrent writer fails here, not mid-import.
    CS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    return std::unique_ptr<WriteTransaction>(std::make_unique<SqliteTransaction>(*this, db_.get(), path_));
  }

  std::string Location() const override { return "sqlite:" + path_; }

  Result<sqlite3_stmt*> Prepare(Stmt& slot, const std::string& sql) {
    if (!slot) {
      sqlite3_stmt* raw = nullptr;
      if (sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw,
                             nullptr) != SQLITE_OK) {
        return SqliteError(db_.get(), path_, "preparing \"" + sql + "\"");
      }
      slot.reset(raw);
    }
    return slot.get();
  }

 private:
  static std::string CreateMissingKindTablesSql() {
    std::string sql;
    for (Kind kind : kAllKinds) sql += CreateTableSql(Describe(kind), SqlDialect::kSqlite, /*if_not_exists=*/true);
    return sql;
  }

  // ALTER TABLE … ADD COLUMN for every registry column a stored table lacks; idempotent.
  Status AddMissingColumns() {
    for (Kind kind : kAllKinds) {
      const KindDef& def = Describe(kind);
      std::set<std::string> have;
      Stmt info;
      CS_ASSIGN_OR_RETURN(sqlite3_stmt * st, Prepare(info, fmt::format("PRAGMA table_info({})", def.id)));
      for (int rc = sqlite3_step(st); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        have.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
      }
      for (const ColumnDef& c : def.columns) {
        if (have.contains(std::string(c.id)) || c.required || c.key) continue;
        CS_RETURN_IF_ERROR(
            Exec(fmt::format("ALTER TABLE {} ADD COLUMN {} {}", def.id, c.id, SqlType(c.type, SqlDialect::kSqlite))));
      }
    }
    return Status::Ok();
  }

  Status Migrate(int from_version) {
    // Each step takes the schema from version v to v + 1; all run inside Init's transaction.
    if (from_version < 1) {
      CS_RETURN_IF_ERROR(Exec(SqliteSchemaSql()));
      CS_RETURN_IF_ERROR(RebuildReportColumns());
    } else {
      if (from_version < 2) {
        // 1 → 2: the columnar snapshot of the reports, built from the rows already stored; and the
        // kinds that came after version 1 was written (expert scores).
        CS_RETURN_IF_ERROR(Exec(ReportColumnsSql(SqlDialect::kSqlite)));
        CS_RETURN_IF_ERROR(Exec(CreateMissingKindTablesSql()));
        CS_RETURN_IF_ERROR(RebuildReportColumns());
      }
      // 2 → 3: the store's generation counter (Store::Generation), starting at 0; and optional
      // columns added to existing kinds (name_en of zones, clusters and firms), in place and empty.
      if (from_version < 3) CS_RETURN_IF_ERROR(Exec(StoreMetaSql(SqlDialect::kSqlite)));
      CS_RETURN_IF_ERROR(AddMissingColumns());
    }
    return Exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion));
  }

  Db db_;
  std::string path_;
  Stmt version_;
  std::array<Stmt, std::size(kAllKinds)> get_;
};

SqliteTransaction::~SqliteTransaction() {
  if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<sqlite3_stmt*> SqliteTransaction::Prepared(Stmt& slot, const std::string& sql) {
  return store_.Prepare(slot, sql);
}

Status SqliteTransaction::Insert(Kind kind, const Record& record) {
  wrote_ = true;
  const KindDef& def = Describe(kind);
  if (kind == Kind::kReports || kind == Kind::kFirms) reports_changed_ = true;
  Stmt& slot = insert_[static_cast<size_t>(kind)];
  // The SQL is built only to prepare the statement once: a million-row import calls this a
  // million times.
  CS_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepared(slot, slot ? std::string() : InsertSql("INSERT", def)));
  for (size_t i = 0; i < def.columns.size(); ++i) Bind(stmt, static_cast<int>(i) + 1, record[i]);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "writing " + std::string(def.id));
  return Status::Ok();
}

Status SqliteTransaction::Replace(Kind kind, const Record& record, const Record& previous, int64_t import_id) {
  wrote_ = true;
  const KindDef& def = Describe(kind);
  if (kind == Kind::kReports || kind == Kind::kFirms) reports_changed_ = true;
  Stmt& slot = replace_[static_cast<size_t>(kind)];
  CS_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepared(slot, slot ? std::string() : InsertSql("INSERT OR REPLACE", def)));
  for (size_t i = 0; i < def.columns.size(); ++i) Bind(stmt, static_cast<int>(i) + 1, record[i]);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "writing " + std::string(def.id));

  CS_ASSIGN_OR_RETURN(
      sqlite3_stmt * hist,
      Prepared(history_, "INSERT INTO history (kind, record_key, record_json, import_id) VALUES (?, ?, ?, ?)"));
  std::string key = KeyOf(def, previous);
  std::string json = schema::RecordToStoredJson(def, previous);
  sqlite3_bind_text(hist, 1, def.id.data(), static_cast<int>(def.id.size()), SQLITE_STATIC);
  sqlite3_bind_text(hist, 2, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_text(hist, 3, json.data(), static_cast<int>(json.size()), SQLITE_STATIC);
  sqlite3_bind_int64(hist, 4, import_id);
  rc = sqlite3_step(hist);
  sqlite3_reset(hist);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "writing history");
  return Status::Ok();
}

Result<int64_t> SqliteTransaction::LogImport(const ImportLogEntry& e) {
  wrote_ = true;
  CS_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                      Prepared(log_,
                               "INSERT INTO import_log (kind, file, sha256, at, rows, added, replaced, unchanged) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  sqlite3_bind_text(s, 1, e.kind.data(), static_cast<int>(e.kind.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 2, e.file.data(), static_cast<int>(e.file.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 3, e.sha256.data(), static_cast<int>(e.sha256.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 4, e.at.data(), static_cast<int>(e.at.size()), SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, e.rows);
  sqlite3_bind_int64(s, 6, e.added);
  sqlite3_bind_int64(s, 7, e.replaced);
  sqlite3_bind_int64(s, 8, e.unchanged);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "writing the import log");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status SqliteTransaction::UpdateImportLog(const ImportLogEntry& e) {
  CS_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                      Prepared(log_update_,
                               "UPDATE import_log SET rows = ?, added = ?, replaced = ?, unchanged = ? "
                               "WHERE id = ?"));
  sqlite3_bind_int64(s, 1, e.rows);
  sqlite3_bind_int64(s, 2, e.added);
  sqlite3_bind_int64(s, 3, e.replaced);
  sqlite3_bind_int64(s, 4, e.unchanged);
  sqlite3_bind_int64(s, 5, e.id);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "writing the import log");
  return Status::Ok();
}

Status SqliteTransaction::CopyImportLogEntry(const ImportLogEntry& e) {
  wrote_ = true;
  Stmt stmt;
  CS_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                      Prepared(stmt,
                               "INSERT INTO import_log (id, kind, file, sha256, at, rows, added, replaced, unchanged) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  sqlite3_bind_int64(s, 1, e.id);
  sqlite3_bind_text(s, 2, e.kind.data(), static_cast<int>(e.kind.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 3, e.file.data(), static_cast<int>(e.file.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 4, e.sha256.data(), static_cast<int>(e.sha256.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 5, e.at.data(), static_cast<int>(e.at.size()), SQLITE_STATIC);
  sqlite3_bind_int64(s, 6, e.rows);
  sqlite3_bind_int64(s, 7, e.added);
  sqlite3_bind_int64(s, 8, e.replaced);
  sqlite3_bind_int64(s, 9, e.unchanged);
  if (sqlite3_step(s) != SQLITE_DONE) return SqliteError(db_, path_, "writing the import log");
  return Status::Ok();
}

Status SqliteTransaction::CopyHistoryEntry(const HistoryEntry& e) {
  wrote_ = true;
  Stmt stmt;
  CS_ASSIGN_OR_RETURN(
      sqlite3_stmt * hist,
      Prepared(stmt, "INSERT INTO history (id, kind, record_key, record_json, import_id) VALUES (?, ?, ?, ?, ?)"));
  sqlite3_bind_int64(hist, 1, e.id);
  sqlite3_bind_text(hist, 2, e.kind.data(), static_cast<int>(e.kind.size()), SQLITE_STATIC);
  sqlite3_bind_text(hist, 3, e.key.data(), static_cast<int>(e.key.size()), SQLITE_STATIC);
  sqlite3_bind_text(hist, 4, e.record_json.data(), static_cast<int>(e.record_json.size()), SQLITE_STATIC);
  sqlite3_bind_int64(hist, 5, e.import_id);
  int rc = sqlite3_step(hist);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "writing history");
  return Status::Ok();
}

Status SqliteTransaction::Commit() {
  // Statements must be finished before COMMIT can release the lock.
  for (auto& s : insert_) s.reset();
  for (auto& s : replace_) s.reset();
  history_.reset();
  log_.reset();
  log_update_.reset();
  // The snapshot no longer mirrors the rows: it goes in this transaction (so it can never be stale)
  // and the next reader rebuilds it (RefreshReportColumns). Rebuilding here instead cost every
  // import about 3 s per million stored report rows (docs/performance.md).
  if (reports_changed_) {
    if (sqlite3_exec(db_, "DELETE FROM report_columns", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return SqliteError(db_, path_, "dropping the report snapshot");
    }
  }
  // In the same transaction as the data: a reader that saw generation G saw exactly its data.
  if (wrote_ && sqlite3_exec(db_, "UPDATE store_meta SET value = value + 1 WHERE key = 'generation'", nullptr, nullptr,
                             nullptr) != SQLITE_OK) {
    return SqliteError(db_, path_, "advancing the generation");
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqliteError(db_, path_, "committing");
  }
  done_ = true;
  return Status::Ok();
}

}  // namespace

std::string SqliteSchemaSql() { return SchemaSql(SqlDialect::kSqlite); }

namespace {

// A file path as an SQLite URI path ("file:" + this): the characters URIs reserve are escaped.
std::string UriPath(const std::string& path) {
  std::string out;
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20) {
      out += fmt::format("%{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

Result<Db> OpenDb(const std::string& name, int flags, const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return Status::Environment(
        fmt::format("{}: cannot open database: {}", path, raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const OpenOptions& options) {
  std::error_code ec;
  if ((!options.create || options.read_only) && !std::filesystem::exists(path, ec)) {
    return Status::Environment(
               fmt::format("{}: no such database; create it with `clusterscope init` or an import", path))
        .WithId("db.missing");
  }
  // NOMUTEX (SQLite's multi-thread mode): no mutex around every API call — a million-row import
  // makes 35 million bind calls. A store was never safe to use from two threads at once (its
  // statement cache is unguarded); the importer hands the connection between its threads.
  int flags = SQLITE_OPEN_NOMUTEX;
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  }
  CS_ASSIGN_OR_RETURN(Db db, OpenDb(path, flags, path));
  auto store = std::make_unique<SqliteStore>(std::move(db), path);
  // NORMAL sync is safe against process crashes, which is the failure the import contract covers.
  // Both are settings of this connection only; nothing is written to the file.
  if (!options.read_only) {
    Status s = store->Exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    if (!s.ok()) {
      return Status::Environment(fmt::format("{}: not a usable SQLite database ({})", path, s.message()));
    }
  }
  // Reading the version fails on a file that is not a database at all — and on a WAL database in
  // a directory this process cannot write (SQLite cannot create the -shm file beside it). Nobody
  // can write there, so nobody can change the file under us: read it as immutable.
  auto version = store->SchemaVersion();
  if (!version.ok() && options.read_only) {
    const std::string dir = std::filesystem::path(std::filesystem::absolute(path)).parent_path().string();
    if (::access(dir.c_str(), W_OK) != 0) {
      CS_ASSIGN_OR_RETURN(Db ro, OpenDb("file:" + UriPath(path) + "?immutable=1",
                                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, path));
      store = std::make_unique<SqliteStore>(std::move(ro), path);
      version = store->SchemaVersion();
    }
  }
  if (!version.ok()) return version.status();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace clusterscope::store
