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
#include "store/sqlite_snapshot.h"
#include "store/sqlite_util.h"
#include "store/store_helpers.h"

namespace clusterscope::store {
namespace {

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

class SqliteStore;

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

// How long a statement waits for a lock another connection holds (SQLITE_BUSY): a reader of a WAL
// database only while a writer checkpoints or recovers. Taking the write lock waits as long as
// OpenOptions::write_wait_ms (BeginImmediate).
constexpr int kBusyWaitMs = 5'000;

// "10 minutes", "30 seconds": a wait in a message.
std::string WaitText(int ms) {
  if (ms >= 60'000 && ms % 60'000 == 0) return fmt::format("{} minute{}", ms / 60'000, ms == 60'000 ? "" : "s");
  return fmt::format("{:g} seconds", ms / 1000.0);
}

// ScanRowsKept's filter, run by SQLite inside the query as cs_keep(?1, column, …) for each row it
// scans: ?1 binds a KeptScan (sqlite3_bind_pointer), the other arguments are the columns `keep`
// reads. Rows it refuses are skipped before their other columns are read.
constexpr const char* kKeptScanPointer = "clusterscope.KeptScan";
struct KeptScan;

class ArgumentsView : public RowView {
 public:
  ArgumentsView(const std::vector<int>& argument_of, sqlite3_value** argv) : argument_of_(argument_of), argv_(argv) {}
  bool IsNull(int c) const override { return sqlite3_value_type(At(c)) == SQLITE_NULL; }
  int64_t Int(int c) const override { return sqlite3_value_int64(At(c)); }
  double Real(int c) const override { return sqlite3_value_double(At(c)); }
  std::string_view Text(int c) const override {
    sqlite3_value* v = At(c);
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return text == nullptr ? std::string_view() : std::string_view(text, static_cast<size_t>(sqlite3_value_bytes(v)));
  }

 private:
  // A column keep_columns did not name reads as null (the contract leaves it undefined).
  sqlite3_value* At(int c) const {
    const int a = c >= 0 && static_cast<size_t>(c) < argument_of_.size() ? argument_of_[static_cast<size_t>(c)] : -1;
    return a >= 0 ? argv_[a] : argv_[0];  // argv_[0] is the pointer, which reads as null
  }
  const std::vector<int>& argument_of_;
  sqlite3_value** argv_;
};

struct KeptScan {
  const std::function<bool(const RowView&)>* keep = nullptr;
  std::vector<int> argument_of;  // column → its cs_keep argument (-1: not passed)
  int64_t scanned = 0;           // rows cs_keep has seen: the next one's position
  bool failed = false;           // `keep` threw
};

void KeepFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto* scan = argc > 0 ? static_cast<KeptScan*>(sqlite3_value_pointer(argv[0], kKeptScanPointer)) : nullptr;
  if (scan == nullptr) {
    sqlite3_result_error(ctx, "cs_keep: only clusterscope's own scans call it", -1);
    return;
  }
  ++scan->scanned;
  try {
    sqlite3_result_int(ctx, (*scan->keep)(ArgumentsView(scan->argument_of, argv)) ? 1 : 0);
  } catch (...) {
    scan->failed = true;
    sqlite3_result_error(ctx, "cs_keep: the filter failed", -1);
  }
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
  Status PutAccess(AccessTable table, const AccessRow& row) override;
  Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) override;
  Status Commit() override;

 private:
  Result<sqlite3_stmt*> Prepared(Stmt& slot, const std::string& sql);

  SqliteStore& store_;
  sqlite3* db_;
  std::string path_;
  bool done_ = false;
  SnapshotDelta snapshot_;  // what the commit brings the columnar snapshot up to date with
  bool wrote_ = false;      // anything written: the generation moves on at commit
  std::array<Stmt, std::size(kAllKinds)> insert_;
  std::array<Stmt, std::size(kAllKinds)> replace_;
  Stmt history_;
  Stmt log_;
  Stmt log_update_;
};

class SqliteStore : public Store {
 public:
  SqliteStore(Db db, std::string path, int write_wait_ms)
      : db_(std::move(db)), path_(std::move(path)), write_wait_ms_(write_wait_ms) {}

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

  // The write lock, waiting for another writer as long as OpenOptions::write_wait_ms: an import
  // holds the lock from its first row to its commit (a national panel's for minutes), and a second
  // import or init queues behind it, as on PostgreSQL, instead of failing after a statement's 5 s.
  Status BeginImmediate() {
    sqlite3_busy_timeout(db_.get(), write_wait_ms_);
    const int rc = sqlite3_exec(db_.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db_.get(), kBusyWaitMs);
    if (rc == SQLITE_OK) return Status::Ok();
    if ((sqlite3_extended_errcode(db_.get()) & 0xFF) == SQLITE_BUSY) {
      return Status::Environment(fmt::format("{}: another process has been writing to it (an import or init) for {} "
                                             "and still holds the write lock; nothing was written",
                                             path_, WaitText(write_wait_ms_)))
          .WithId("db.busy");
    }
    return SqliteError(db_.get(), path_, "taking the write lock");
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
    CS_RETURN_IF_ERROR(BeginImmediate());
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
      // So is one in an older format (readers read the rows until then).
      CS_ASSIGN_OR_RETURN(int64_t firms, Count(Kind::kFirms));
      std::vector<std::string> ids;
      for (int c : SnapshotColumns()) ids.emplace_back(Describe(Kind::kReports).columns[static_cast<size_t>(c)].id);
      CS_ASSIGN_OR_RETURN(SnapshotScan scan,
                          ScanReportColumns(ids, firms, [](ReportYearColumns&) { return Status::Ok(); }));
      // And one without the firms' sites, or with damaged ones (readers then pass over the register).
      CS_ASSIGN_OR_RETURN(SnapshotScan sites, ReadFirmSites(db_.get(), path_, [](FirmSites&) {}));
      // And one without the register's columns, or with damaged ones.
      CS_ASSIGN_OR_RETURN(SnapshotScan kept,
                          ReadRegisterColumns(db_.get(), path_, RegisterRead{.firms = true}, [](RegisterColumns&) {}));
      if (scan != SnapshotScan::kRead || sites != SnapshotScan::kRead || kept != SnapshotScan::kRead) {
        CS_RETURN_IF_ERROR(RebuildSnapshot(db_.get(), path_));
      }
    }
    CS_RETURN_IF_ERROR(Exec(IndexesSql(SqlDialect::kSqlite)));
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
    const size_t ncols = Describe(kind).columns.size();
    return StepWhere(kind, column, values, [&](sqlite3_stmt* q) { return fn(ReadRow(q, ncols)); });
  }

  Status ScanRowsWhere(Kind kind, int column, const std::vector<Value>& values,
                       const std::function<bool(const RowView&)>& fn) override {
    return StepWhere(kind, column, values, [&](sqlite3_stmt* q) { return fn(StatementView(q)); });
  }

  Status ScanReportsOf(const std::vector<std::string>& usccs, int first_year, int last_year,
                       const std::function<bool(const RowView&)>& fn) override {
    std::vector<std::string> sorted = usccs;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    // One seek per firm on the (uscc, year) key: its years are adjacent in the table.
    const KindDef& def = Describe(Kind::kReports);
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * q,
                        Prepare(stmt, fmt::format("SELECT {} FROM reports WHERE uscc = ? AND year BETWEEN ? AND ? "
                                                  "ORDER BY year",
                                                  ColumnList(def))));
    StatementView view(q);
    for (const std::string& uscc : sorted) {
      sqlite3_bind_text(q, 1, uscc.data(), static_cast<int>(uscc.size()), SQLITE_STATIC);
      sqlite3_bind_int(q, 2, first_year);
      sqlite3_bind_int(q, 3, last_year);
      for (;;) {
        const int rc = sqlite3_step(q);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading reports");
        if (!fn(view)) {
          sqlite3_reset(q);
          return Status::Ok();
        }
      }
      sqlite3_reset(q);
    }
    return Status::Ok();
  }

  // Read on every request by the server (docs/performance.md, "serve"), so: statements prepared
  // once and reset after each step (a statement left stepped would hold its read snapshot open:
  // this connection would never see another process's commit, and WAL checkpoints would stall),
  // and the counter itself read only when something may have moved it. PRAGMA data_version moves
  // when another connection commits; sqlite3_total_changes64 moves with this connection's own
  // writes (committed or not), and every commit that moves the generation writes store_meta.
  Result<int64_t> Generation() override {
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * dv, Prepare(data_version_, "PRAGMA data_version"));
    const int rc = sqlite3_step(dv);
    const int64_t data_version = rc == SQLITE_ROW ? sqlite3_column_int64(dv, 0) : -1;
    sqlite3_reset(dv);
    if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading the data version");
    const int64_t changes = sqlite3_total_changes64(db_.get());
    if (generation_.known && generation_.data_version == data_version && generation_.changes == changes) {
      return generation_.value;
    }
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 3) return int64_t{0};  // before the counter existed (read before an upgrade); not kept
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * q,
                        Prepare(generation_stmt_, "SELECT value FROM store_meta WHERE key = 'generation'"));
    const int step = sqlite3_step(q);
    const int64_t value = step == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (step != SQLITE_ROW) return SqliteError(db_.get(), path_, "reading the generation");
    // Read after data_version: at least as new as what that version says, so never kept stale.
    generation_ = {.known = true, .data_version = data_version, .changes = changes, .value = value};
    return value;
  }

  // Prepared once per table (a session's touch and every audit line write one); reset after the
  // step, so the statement holds nothing between calls.
  Status PutAccess(AccessTable table, const AccessRow& row) override {
    CS_RETURN_IF_ERROR(CheckAccessRow(table, row));
    Stmt& slot = access_put_[static_cast<size_t>(table)];
    std::string sql;
    if (!slot) {
      std::string marks;
      std::string columns;
      for (std::string_view c : AccessColumns(table)) {
        marks += marks.empty() ? "?" : ", ?";
        columns += fmt::format("{}{}", columns.empty() ? "" : ", ", c);
      }
      sql = fmt::format("INSERT OR REPLACE INTO {} ({}) VALUES ({})", AccessTableId(table), columns, marks);
    }
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(slot, sql));
    for (size_t i = 0; i < row.size(); ++i) {
      sqlite3_bind_text(s, static_cast<int>(i) + 1, row[i].data(), static_cast<int>(row[i].size()), SQLITE_STATIC);
    }
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) return SqliteError(db_.get(), path_, fmt::format("writing {}", AccessTableId(table)));
    return Status::Ok();
  }

  // The authentication path (a credential, then its user) on every request whose principal is not
  // cached: a statement prepared once per table, reset after its one row.
  Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) override {
    Stmt& slot = access_get_[static_cast<size_t>(table)];
    std::string sql;
    if (!slot) {
      std::string columns;
      for (std::string_view c : AccessColumns(table)) columns += fmt::format("{}{}", columns.empty() ? "" : ", ", c);
      sql = fmt::format("SELECT {} FROM {} WHERE {} = ?", columns, AccessTableId(table), AccessColumns(table)[0]);
    }
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(slot, sql));
    sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(s);
    std::optional<AccessRow> found;
    if (rc == SQLITE_ROW) {
      const size_t n = AccessColumns(table).size();
      found.emplace(n);
      for (size_t i = 0; i < n; ++i) (*found)[i] = std::string(ColumnText(s, static_cast<int>(i)));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      return SqliteError(db_.get(), path_, fmt::format("reading {}", AccessTableId(table)));
    }
    return found;
  }

  Status ScanAccess(AccessTable table, const std::string& from_key,
                    const std::function<bool(const AccessRow&)>& fn) override {
    return ScanAccessWhere(table, ">= ?", from_key, fn);
  }

  Status DeleteAccess(AccessTable table, const std::string& key) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt, fmt::format("DELETE FROM {} WHERE {} = ?", AccessTableId(table),
                                                                    AccessColumns(table)[0])));
    sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
      return SqliteError(db_.get(), path_, fmt::format("deleting from {}", AccessTableId(table)));
    }
    return Status::Ok();
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

  Status ScanRowsKept(Kind kind, const std::vector<int>& keep_columns, const std::function<bool(const RowView&)>& keep,
                      const std::function<bool(const RowView&, int64_t position)>& fn) override {
    CS_RETURN_IF_ERROR(CheckColumns(kind, keep_columns));
    const KindDef& def = Describe(kind);
    KeptScan scan{.keep = &keep, .argument_of = std::vector<int>(def.columns.size(), -1)};
    std::string arguments = "?1";
    for (size_t a = 0; a < keep_columns.size(); ++a) {
      scan.argument_of[static_cast<size_t>(keep_columns[a])] = static_cast<int>(a) + 1;
      arguments += fmt::format(", {}", def.columns[static_cast<size_t>(keep_columns[a])].id);
    }
    // Every table is WITHOUT ROWID, so key order is the order of the scan itself: SQLite runs the
    // filter on each row as it reaches it and hands the row out before the next (no sorter), so
    // `scanned` is the row's position.
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt, fmt::format("SELECT {} FROM {} WHERE cs_keep({}) ORDER BY {}",
                                                                    ColumnList(def), def.id, arguments, KeyList(def))));
    sqlite3_bind_pointer(s, 1, &scan, kKeptScanPointer, nullptr);
    StatementView view(s);
    for (int64_t last = -1;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) {
        if (scan.failed) return Status::Internal(fmt::format("reading {}: the row filter failed", def.id));
        return SqliteError(db_.get(), path_, "reading " + std::string(def.id));
      }
      // A plan that filtered every row before handing any out would give them one position.
      if (scan.scanned - 1 <= last) return Status::Internal(fmt::format("reading {}: rows out of scan order", def.id));
      last = scan.scanned - 1;
      if (!fn(view, last)) return Status::Ok();
    }
  }

  Result<int64_t> Count(Kind kind) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt, fmt::format("SELECT count(*) FROM {}", KindId(kind))));
    if (sqlite3_step(s) != SQLITE_ROW) return SqliteError(db_.get(), path_, "counting");
    return static_cast<int64_t>(sqlite3_column_int64(s, 0));
  }

  Result<bool> HasRows(Kind kind) override {
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(stmt, fmt::format("SELECT EXISTS (SELECT 1 FROM {})", KindId(kind))));
    if (sqlite3_step(s) != SQLITE_ROW) return SqliteError(db_.get(), path_, fmt::format("reading {}", KindId(kind)));
    return sqlite3_column_int64(s, 0) != 0;
  }

  Status RefreshReportColumns() override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return Status::Ok();
    CS_ASSIGN_OR_RETURN(bool present, SnapshotPresent(db_.get(), path_));
    if (present) {
      CS_ASSIGN_OR_RETURN(int64_t firms, Count(Kind::kFirms));
      CS_ASSIGN_OR_RETURN(SnapshotScan scan, ScanReportColumns(ReportColumnsRequest{.columns = {}, .firm_count = firms},
                                                               [](ReportYearColumns&) { return Status::Ok(); }));
      if (scan == SnapshotScan::kRead) return Status::Ok();
    }
    // Another writer, or a read-only file: leave it to a later `init`.
    if (sqlite3_exec(db_.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return Status::Ok();
    Status s = RebuildSnapshot(db_.get(), path_);
    if (s.ok() && sqlite3_exec(db_.get(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) return Status::Ok();
    (void)Exec("ROLLBACK");
    return Status::Ok();
  }

  using Store::ScanReportColumns;
  Result<SnapshotScan> ScanReportColumns(const ReportColumnsRequest& request,
                                         const std::function<Status(ReportYearColumns&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return ReadSnapshot(db_.get(), path_, request, fn);
  }

  Result<SnapshotScan> ScanIndustryTotals(std::string_view measure, int year,
                                          const std::function<void(const IndustryTotal&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return ReadIndustryTotals(db_.get(), path_, measure, year, fn);
  }

  Result<SnapshotScan> ScanZoneTotals(int year, const std::function<void(const ZoneTotals&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return ReadZoneTotals(db_.get(), path_, year, fn);
  }

  Result<SnapshotScan> ScanFirmSites(const std::function<void(FirmSites&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    // Five rows read as of one commit (a read transaction, unless one is open already).
    const bool own = sqlite3_get_autocommit(db_.get()) != 0;
    if (own) CS_RETURN_IF_ERROR(Exec("BEGIN"));
    auto read = ReadFirmSites(db_.get(), path_, fn);
    if (own) sqlite3_exec(db_.get(), read.ok() ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
    return read;
  }

  Result<SnapshotScan> ScanRegisterColumns(const RegisterRead& what,
                                           const std::function<void(RegisterColumns&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    const bool own = sqlite3_get_autocommit(db_.get()) != 0;  // as of one commit, as ScanFirmSites
    if (own) CS_RETURN_IF_ERROR(Exec("BEGIN"));
    auto read = ReadRegisterColumns(db_.get(), path_, what, fn);
    if (own) sqlite3_exec(db_.get(), read.ok() ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
    return read;
  }

  Result<std::vector<int>> ReportYears() override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version >= 2) {
      CS_ASSIGN_OR_RETURN(auto years, SnapshotYears(db_.get(), path_));
      if (years) return std::move(*years);
    }
    // No snapshot: from the rows (a scan of the table), registered firms only, as the snapshot.
    Stmt stmt;
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                        Prepare(stmt,
                                "SELECT DISTINCT year FROM reports WHERE uscc IN (SELECT uscc FROM firms) "
                                "ORDER BY year"));
    std::vector<int> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back(sqlite3_column_int(s, 0));
    if (rc != SQLITE_DONE) return SqliteError(db_.get(), path_, "reading reports");
    return out;
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
    // IMMEDIATE takes the write lock now, so a concurrent writer waits here, not mid-import.
    CS_RETURN_IF_ERROR(BeginImmediate());
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
  // ScanWhere's query: calls `on_row` with the statement at each matching row.
  Status StepWhere(Kind kind, int column, const std::vector<Value>& values,
                   const std::function<bool(sqlite3_stmt*)>& on_row) {
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
        if (!on_row(q)) return Status::Ok();
      }
    }
    return Status::Ok();
  }

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

  // Rows of an access table whose key satisfies `condition` ("= ?", ">= ?") against `key`, in key order.
  Status ScanAccessWhere(AccessTable table, std::string_view condition, const std::string& key,
                         const std::function<bool(const AccessRow&)>& fn) {
    Stmt stmt;
    std::string columns;
    for (std::string_view c : AccessColumns(table)) columns += fmt::format("{}{}", columns.empty() ? "" : ", ", c);
    const std::string_view key_column = AccessColumns(table)[0];
    CS_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                        Prepare(stmt, fmt::format("SELECT {} FROM {} WHERE {} {} ORDER BY {}", columns,
                                                  AccessTableId(table), key_column, condition, key_column)));
    sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    const size_t n = AccessColumns(table).size();
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_.get(), path_, fmt::format("reading {}", AccessTableId(table)));
      AccessRow row(n);
      for (size_t i = 0; i < n; ++i) row[i] = std::string(ColumnText(s, static_cast<int>(i)));
      if (!fn(row)) return Status::Ok();
    }
  }

  Status Migrate(int from_version) {
    // Each step takes the schema from version v to v + 1; all run inside Init's transaction.
    if (from_version < 1) {
      CS_RETURN_IF_ERROR(Exec(SqliteSchemaSql()));
      CS_RETURN_IF_ERROR(RebuildSnapshot(db_.get(), path_));
    } else {
      if (from_version < 2) {
        // 1 → 2: the columnar snapshot of the reports, built from the rows already stored; and the
        // kinds that came after version 1 was written (expert scores).
        CS_RETURN_IF_ERROR(Exec(ReportColumnsSql(SqlDialect::kSqlite)));
        CS_RETURN_IF_ERROR(Exec(CreateMissingKindTablesSql()));
        CS_RETURN_IF_ERROR(RebuildSnapshot(db_.get(), path_));
      }
      // 2 → 3: the store's generation counter (Store::Generation), starting at 0; and optional
      // columns added to existing kinds (name_en of zones, clusters and firms), in place and empty.
      if (from_version < 3) CS_RETURN_IF_ERROR(Exec(StoreMetaSql(SqlDialect::kSqlite)));
      CS_RETURN_IF_ERROR(AddMissingColumns());
      // 3 → 4: the access tables (users, credentials, submissions, audit_log), empty; IF NOT
      // EXISTS, so a database whose version number was set back (the upgrade tests) upgrades too.
      if (from_version < 4) CS_RETURN_IF_ERROR(Exec(AccessTablesSql(SqlDialect::kSqlite, /*if_not_exists=*/true)));
    }
    return Exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion));
  }

  Db db_;
  std::string path_;
  int write_wait_ms_;
  Stmt version_;
  std::array<Stmt, std::size(kAllKinds)> get_;
  Stmt data_version_;
  Stmt generation_stmt_;
  std::array<Stmt, std::size(kAllAccessTables)> access_put_;
  std::array<Stmt, std::size(kAllAccessTables)> access_get_;
  struct {
    bool known = false;
    int64_t data_version = 0;  // PRAGMA data_version when `value` was read
    int64_t changes = 0;       // sqlite3_total_changes64 then
    int64_t value = 0;
  } generation_;
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
  if (kind == Kind::kReports) snapshot_.Report(record);
  if (kind == Kind::kFirms) snapshot_.FirmInserted(record);
  if (kind == Kind::kMembers) snapshot_.MemberWritten();
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
  if (kind == Kind::kReports) snapshot_.Report(record);
  if (kind == Kind::kFirms) snapshot_.FirmReplaced(record, previous);
  if (kind == Kind::kMembers) snapshot_.MemberWritten();
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

// The store's own statements, on this connection inside BEGIN IMMEDIATE: part of the transaction
// (each finalises its statement before returning, so COMMIT is not held up). Not `wrote_`: an
// access row is not data and does not move the generation.
Status SqliteTransaction::PutAccess(AccessTable table, const AccessRow& row) { return store_.PutAccess(table, row); }

Result<std::optional<AccessRow>> SqliteTransaction::GetAccess(AccessTable table, const std::string& key) {
  return store_.GetAccess(table, key);
}

Status SqliteTransaction::Commit() {
  // Statements must be finished before COMMIT can release the lock.
  for (auto& s : insert_) s.reset();
  for (auto& s : replace_) s.reset();
  history_.reset();
  log_.reset();
  log_update_.reset();
  // The snapshot follows the rows in this same transaction: never stale, and no reader has to
  // write to rebuild it (only the years this transaction touched are rewritten).
  CS_RETURN_IF_ERROR(UpdateSnapshot(db_, path_, snapshot_));
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
  sqlite3_busy_timeout(db.get(), kBusyWaitMs);
  // Not deterministic (it counts the rows it sees) and for our queries only (DIRECTONLY: never
  // from a view or trigger a database file might bring).
  if (sqlite3_create_function_v2(db.get(), "cs_keep", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, nullptr, KeepFunction,
                                 nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Status::Environment(fmt::format("{}: cannot set up the connection: {}", path, sqlite3_errmsg(db.get())));
  }
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
  auto store = std::make_unique<SqliteStore>(std::move(db), path, options.write_wait_ms);
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
      store = std::make_unique<SqliteStore>(std::move(ro), path, options.write_wait_ms);
      version = store->SchemaVersion();
    }
  }
  if (!version.ok()) return version.status();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace clusterscope::store
