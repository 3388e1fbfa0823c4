#include "store/postgres_store.h"

#include <libpq-fe.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "schema/record_json.h"
#include "store/ddl.h"
#include "store/snapshot_codec.h"
#include "store/store_helpers.h"

namespace clusterscope::store {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;
struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConn = std::unique_ptr<PGconn, ConnDeleter>;

// Queued inserts go to the server in pieces of about this many bytes, into a COPY kept open until
// another statement needs the connection, so that the server can store rows while the importer
// parses the next ones where there is a core to spare. On the busy 2-vCPU benchmark machine it
// made no measurable difference against one COPY per 8 MB batch, ended and waited for each time
// (17.9 s against 18.9 s, one run each; docs/performance.md), but holds less in the client.
constexpr size_t kCopySendBytes = size_t{256} << 10;
// The snapshot's blobs are stored as they are: TOAST would otherwise try pglz on each (about
// 225 KB a column-year of the benchmark panel, already packed, so hardly smaller), which made the
// commit of a 1,000,000-report import spend 3.3 s in 381 writes instead of 0.3 s
// (docs/performance.md). Only the column's setting: rows already stored are left as they are.
constexpr std::string_view kSnapshotStorage = "ALTER TABLE report_columns ALTER COLUMN data SET STORAGE EXTERNAL";
// Rows a scan fetches from its cursor at a time.
constexpr int kFetchRows = 20000;
// GetMany sends keys in chunks of this many.
constexpr size_t kGetManyChunk = 5000;
// Replacements are sent in libpq's pipeline mode, this many before their answers are read: one
// round trip for them all instead of one each. Their answers are a few bytes each, so the server
// never blocks on a full socket while the client is still sending (which could deadlock a
// blocking connection).
constexpr int kPipelineDepth = 256;

// Writers and Init serialise on this advisory lock: one per schema, so that several clusterscope
// databases may live as schemas of one PostgreSQL database.
constexpr std::string_view kLockKey = "hashtextextended('clusterscope:' || coalesce(current_schema(), ''), 0)";

std::string KeyList(const KindDef& def) {
  std::string out;
  for (int k : def.KeyColumns()) {
    if (!out.empty()) out += ", ";
    out += def.columns[static_cast<size_t>(k)].id;
  }
  return out;
}

std::string ColumnList(const KindDef& def, std::string_view prefix = "") {
  std::string out;
  for (const ColumnDef& c : def.columns) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += c.id;
  }
  return out;
}

std::string TrimmedError(const char* msg) {
  std::string s = msg != nullptr ? msg : "unknown error";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A failed statement as a Status naming the database and what was being done; the SQLSTATE
// decides the code and id.
Status PgError(const std::string& location, std::string_view what, const PGresult* res, PGconn* conn) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* detail = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  std::string msg = primary != nullptr ? std::string(primary) : TrimmedError(PQerrorMessage(conn));
  if (detail != nullptr) msg += fmt::format(" ({})", detail);
  std::string full = fmt::format("{}: {}: {}", location, what, msg);
  std::string_view code = state != nullptr ? state : "";
  if (code == "23505") return Status::Conflict(full).WithId("db.conflict");
  if (code == "25006") return Status::Environment(full).WithId("db.read_only");
  if (code == "42501") return Status::Environment(full).WithId("db.permission");  // a role without the grant
  if (code == "42P01") {
    return Status::Environment(full + "; create the tables with `clusterscope init`").WithId("db.not_initialised");
  }
  if (code.starts_with("08") || PQstatus(conn) != CONNECTION_OK) {
    return Status::Environment(full).WithId("db.connection");
  }
  return Status::Environment(full).WithId("db.postgres");
}

// Query parameters, in text form (bytea in binary).
class Params {
 public:
  Params& Add(const Value& v) {
    if (IsNull(v)) {
      values_.emplace_back();
      binary_.push_back(0);
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      Text(fmt::format("{}", *n));
    } else if (const auto* d = std::get_if<double>(&v)) {
      Text(fmt::format("{}", *d));  // shortest text that reads back as the same double
    } else {
      Text(std::get<std::string>(v));
    }
    return *this;
  }
  Params& Text(std::string s) {
    values_.emplace_back(std::move(s));
    binary_.push_back(0);
    return *this;
  }
  Params& Int(int64_t n) { return Text(fmt::format("{}", n)); }
  Params& Binary(std::string bytes) {
    values_.emplace_back(std::move(bytes));
    binary_.push_back(1);
    return *this;
  }
  int size() const { return static_cast<int>(values_.size()); }
  // Arrays for libpq, valid while this object is unchanged.
  void Build() {
    ptrs_.clear();
    lengths_.clear();
    for (const auto& v : values_) {
      ptrs_.push_back(v ? v->data() : nullptr);
      lengths_.push_back(v ? static_cast<int>(v->size()) : 0);
    }
  }
  const char* const* values() const { return ptrs_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return binary_.data(); }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> binary_;
  std::vector<const char*> ptrs_;
  std::vector<int> lengths_;
};

// A PostgreSQL array literal of `values` ('{"a","b"}'), for `= ANY($1::text[])` and unnest.
std::string ArrayLiteral(const std::vector<Value>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    const Value& v = values[i];
    if (IsNull(v)) {
      out += "NULL";
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      out += fmt::format("{}", *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      out += fmt::format("{}", *d);
    } else {
      out += '"';
      for (char c : std::get<std::string>(v)) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    }
  }
  return out + "}";
}

std::string_view ArrayType(ColumnType type) {
  if (IsIntegerColumn(type)) return "bigint[]";
  if (SqlType(type, SqlDialect::kPostgres) == "TEXT") return "text[]";
  return "float8[]";
}

// `v` when it can equal a value of a column of `type`, else null (it matches nothing).
Value ForColumn(ColumnType type, const Value& v) {
  if (IsIntegerColumn(type)) return std::holds_alternative<int64_t>(v) ? v : Value{};
  if (SqlType(type, SqlDialect::kPostgres) == "TEXT") return std::holds_alternative<std::string>(v) ? v : Value{};
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  return std::holds_alternative<double>(v) ? v : Value{};
}

int64_t ParseInt(const char* text, int length) {
  int64_t v = 0;
  std::from_chars(text, text + length, v);
  return v;
}

double ParseReal(const char* text, int length) {
  double v = 0;
  std::from_chars(text, text + length, v);
  return v;
}

// COPY's binary format (the PostgreSQL manual, "COPY", "Binary Format"): the server reads each
// value as it is stored, not as text to be parsed (33 integers a report), and the client formats
// no numbers. Signature, flags and header extension length.
constexpr std::string_view kBinaryCopyHeader{"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", 19};

void AppendBigEndian(std::string& out, uint64_t v, int bytes) {
  char buf[8];
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) buf[i] = static_cast<char>(v & 0xFF);
  out.append(buf, static_cast<size_t>(bytes));
}

// A field of 8 bytes: its length and its value in one append (33 of them a report).
void AppendEightByteField(std::string& out, uint64_t v) {
  char buf[12] = {0, 0, 0, 8};
  for (int i = 11; i >= 4; --i, v >>= 8) buf[i] = static_cast<char>(v & 0xFF);
  out.append(buf, sizeof buf);
}

// One tuple of `record` in the binary format, each value as its column's SQL type (SqlType:
// BIGINT, DOUBLE PRECISION or TEXT) wants it. The index of the first column whose value its type
// cannot hold (never from the importer, whose records are typed), after which `out` is unusable;
// -1 when all fit.
int AppendBinaryRow(std::string& out, const KindDef& def, const Record& record) {
  AppendBigEndian(out, record.size(), 2);
  for (size_t i = 0; i < record.size(); ++i) {
    const Value& v = record[i];
    const ColumnType type = def.columns[i].type;
    if (IsNull(v)) {
      AppendBigEndian(out, 0xFFFFFFFFu, 4);  // -1: null
    } else if (IsIntegerColumn(type) && std::holds_alternative<int64_t>(v)) {
      AppendEightByteField(out, static_cast<uint64_t>(std::get<int64_t>(v)));
    } else if (IsIntegerColumn(type)) {
      return static_cast<int>(i);
    } else if (SqlType(type, SqlDialect::kPostgres) != "TEXT") {
      if (std::holds_alternative<std::string>(v)) return static_cast<int>(i);
      const double d =
          std::holds_alternative<double>(v) ? std::get<double>(v) : static_cast<double>(std::get<int64_t>(v));
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      AppendEightByteField(out, bits);
    } else if (const auto* str = std::get_if<std::string>(&v)) {
      AppendBigEndian(out, str->size(), 4);
      out += *str;
    } else {  // a number in a text column: as the text format wrote it
      const std::string text = std::holds_alternative<int64_t>(v) ? fmt::format("{}", std::get<int64_t>(v))
                                                                  : fmt::format("{}", std::get<double>(v));
      AppendBigEndian(out, text.size(), 4);
      out += text;
    }
  }
  return -1;
}

Value ReadValue(const PGresult* res, int row, int col, ColumnType type) {
  if (PQgetisnull(res, row, col) != 0) return Value{};
  const char* text = PQgetvalue(res, row, col);
  const int length = PQgetlength(res, row, col);
  if (IsIntegerColumn(type)) return ParseInt(text, length);
  if (SqlType(type, SqlDialect::kPostgres) != "TEXT") return ParseReal(text, length);
  return std::string(text, static_cast<size_t>(length));
}

// Columns `offset`… of a result row as a record of `def`.
Record ReadRecord(const PGresult* res, int row, const KindDef& def, int offset = 0) {
  Record r(def.columns.size());
  for (size_t i = 0; i < def.columns.size(); ++i) {
    r[i] = ReadValue(res, row, offset + static_cast<int>(i), def.columns[i].type);
  }
  return r;
}

// A row of a fetched batch, read in place.
class ResultRowView : public RowView {
 public:
  void Point(const PGresult* res, int row) {
    res_ = res;
    row_ = row;
  }
  bool IsNull(int c) const override { return PQgetisnull(res_, row_, c) != 0; }
  int64_t Int(int c) const override { return ParseInt(PQgetvalue(res_, row_, c), PQgetlength(res_, row_, c)); }
  double Real(int c) const override { return ParseReal(PQgetvalue(res_, row_, c), PQgetlength(res_, row_, c)); }
  std::string_view Text(int c) const override {
    return {PQgetvalue(res_, row_, c), static_cast<size_t>(PQgetlength(res_, row_, c))};
  }

 private:
  const PGresult* res_ = nullptr;
  int row_ = 0;
};

// A set of 64-bit key hashes, open addressing (0 marks an empty slot): a million-row import adds a
// million keys, which a node-based set allocates one by one (12% of the client's time).
class KeyHashes {
 public:
  bool Contains(uint64_t h) const {
    if (h == 0) h = 1;
    if (slots_.empty()) return false;
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }
  void Clear() {
    std::fill(slots_.begin(), slots_.end(), 0);
    size_ = 0;
  }
  // True when `h` was there already; adds it otherwise.
  bool Insert(uint64_t h) {
    if (h == 0) h = 1;
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return false;
      }
    }
  }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    size_ = 0;
    for (uint64_t h : old) {
      if (h != 0) (void)Insert(h);
    }
  }
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

// The hash of a record's key (its `key_columns`) and kind, mixed so that the low bits, which
// KeyHashes probes by, depend on every bit.
uint64_t KeyHash(Kind kind, const Record& record, const std::vector<int>& key_columns) {
  uint64_t h = static_cast<uint64_t>(kind) + 1;
  for (int k : key_columns) {
    const Value& v = record[static_cast<size_t>(k)];
    uint64_t x = 0x51ED27;
    if (const auto* str = std::get_if<std::string>(&v)) {
      x = std::hash<std::string_view>{}(*str);
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      x = static_cast<uint64_t>(*n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      x = std::hash<double>{}(*d);
    }
    h ^= x + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
    h ^= h >> 33;  // MurmurHash3's finaliser
    h *= 0xFF51AFD7ED558CCDu;
    h ^= h >> 33;
  }
  return h;
}

const std::vector<int>& KeyColumnsOf(Kind kind) {
  static const auto all = [] {
    std::array<std::vector<int>, std::size(kAllKinds)> out;
    for (Kind k : kAllKinds) out[static_cast<size_t>(k)] = Describe(k).KeyColumns();
    return out;
  }();
  return all[static_cast<size_t>(kind)];
}

class PostgresStore;

// report_columns, firms and reports on the store's connection, for snapshot_codec.cpp.
class PgSnapshotTables : public SnapshotTables {
 public:
  explicit PgSnapshotTables(PostgresStore& store) : store_(store) {}
  Status Clear() override;
  Status Put(int year, std::string_view column, int64_t rows, std::string_view data) override;
  Result<std::optional<SnapshotBlob>> Get(int year, std::string_view column) override;
  Result<std::vector<std::optional<std::string>>> GetYear(int year,
                                                          const std::vector<std::string_view>& columns) override;
  Result<std::vector<std::pair<int, int64_t>>> Years() override;
  Status ForEachFirm(const FirmFn& fn) override;
  Status ForEachFirmRow(const std::function<void(const FirmRow&)>& fn) override;
  Status ForEachMember(const std::function<void(const MemberRow&)>& fn) override;
  Status ForEachReport(const ReportFn& fn) override;

 private:
  PostgresStore& store_;
};

class PostgresTransaction : public WriteTransaction {
 public:
  explicit PostgresTransaction(PostgresStore& store) : store_(store) {}
  ~PostgresTransaction() override;
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;

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
  // Notes that `record`'s key is written in this transaction; true when it was already.
  bool Seen(Kind kind, const Record& record) { return keys_.Insert(KeyHash(kind, record, KeyColumnsOf(kind))); }

  PostgresStore& store_;
  bool done_ = false;
  SnapshotDelta snapshot_;       // what the commit brings the columnar snapshot up to date with
  bool wrote_ = false;           // anything written: the generation moves on at commit
  bool log_ids_copied_ = false;  // import_log ids given: the identity sequence moves past them
  bool history_ids_copied_ = false;
  // Hashes of the keys written so far: a second Insert of one key is found without a round trip
  // (a hash seen twice is checked against the table, so a collision costs a query, never a row).
  KeyHashes keys_;
};

class PostgresStore : public Store {
 public:
  PostgresStore(PgConn conn, std::string location, bool read_only)
      : conn_(std::move(conn)), location_(std::move(location)), read_only_(read_only) {}

  // ---- statements ----

  // Runs `sql` (one or more statements, no parameters).
  Status Exec(const std::string& sql, std::string_view what) {
    CS_RETURN_IF_ERROR(EndPipeline());
    CS_RETURN_IF_ERROR(Flush());
    PgResult res(PQexec(conn_.get(), sql.c_str()));
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PgError(location_, what, res.get(), conn_.get());
    return Status::Ok();
  }

  Result<PgResult> Query(const std::string& sql, Params& params, std::string_view what, int result_format = 0) {
    CS_RETURN_IF_ERROR(EndPipeline());
    CS_RETURN_IF_ERROR(Flush());
    params.Build();
    PgResult res(PQexecParams(conn_.get(), sql.c_str(), params.size(), nullptr, params.values(), params.lengths(),
                              params.formats(), result_format));
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PgError(location_, what, res.get(), conn_.get());
    return res;
  }
  Result<PgResult> Query(const std::string& sql, std::string_view what) {
    Params none;
    return Query(sql, none, what);
  }

  // As Query, through a statement prepared once per connection under `name`: the per-row
  // statements of imports and lookups are parsed and planned once.
  // `flush` false: the queued inserts are known not to change the answer, and no COPY is open.
  Result<PgResult> QueryPrepared(const std::string& name, const std::function<std::string()>& sql, Params& params,
                                 std::string_view what, bool flush = true) {
    CS_RETURN_IF_ERROR(EndPipeline());
    if (flush) CS_RETURN_IF_ERROR(Flush());
    if (!copy_error_.ok()) return copy_error_;
    CS_RETURN_IF_ERROR(Prepare(name, sql, what));
    params.Build();
    PgResult res(PQexecPrepared(conn_.get(), name.c_str(), params.size(), params.values(), params.lengths(),
                                params.formats(), 0));
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PgError(location_, what, res.get(), conn_.get());
    return res;
  }

  // Prepares `name` once per connection (never inside a pipeline: PQprepare waits for its answer).
  Status Prepare(const std::string& name, const std::function<std::string()>& sql, std::string_view what) {
    if (prepared_.contains(name)) return Status::Ok();
    CS_RETURN_IF_ERROR(EndPipeline());
    PgResult prep(PQprepare(conn_.get(), name.c_str(), sql().c_str(), 0, nullptr));
    if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK) return PgError(location_, what, prep.get(), conn_.get());
    prepared_.insert(name);
    return Status::Ok();
  }

  // Sends prepared statement `name` without waiting for its answer (a write whose result is only
  // its success): up to kPipelineDepth go before their answers are read (EndPipeline). A failure
  // aborts the transaction on the server; it is kept, as a failed COPY is, and returned by every
  // later write and by Commit.
  Status SendPipelined(const std::string& name, const std::function<std::string()>& sql, Params& params,
                       std::string_view what) {
    CS_RETURN_IF_ERROR(Flush());  // queued inserts go first (a COPY cannot run in a pipeline)
    if (!copy_error_.ok()) return copy_error_;
    CS_RETURN_IF_ERROR(Prepare(name, sql, what));
    if (pipelined_ == kPipelineDepth) CS_RETURN_IF_ERROR(EndPipeline());
    if (!in_pipeline_) {
      if (PQenterPipelineMode(conn_.get()) != 1) return PgError(location_, what, nullptr, conn_.get());
      in_pipeline_ = true;
    }
    params.Build();
    if (PQsendQueryPrepared(conn_.get(), name.c_str(), params.size(), params.values(), params.lengths(),
                            params.formats(), 0) != 1) {
      copy_error_ = PgError(location_, what, nullptr, conn_.get());
      return copy_error_;
    }
    ++pipelined_;
    pipeline_what_ = std::string(what);
    return Status::Ok();
  }

  // Reads the answers of the statements sent in the pipeline and leaves pipeline mode; the first
  // failure among them is kept (copy_error_) and returned.
  Status EndPipeline() {
    if (!in_pipeline_) return Status::Ok();
    in_pipeline_ = false;
    pipelined_ = 0;
    PGconn* conn = conn_.get();
    if (PQpipelineSync(conn) != 1) {
      if (copy_error_.ok()) copy_error_ = PgError(location_, pipeline_what_, nullptr, conn);
    } else {
      // Each statement's result, then a null; the sync's own result last. Two nulls in a row
      // mean the connection went before the sync was answered.
      for (int nulls = 0; nulls < 2;) {
        PGresult* r = PQgetResult(conn);
        if (r == nullptr) {
          ++nulls;
          continue;
        }
        nulls = 0;
        const PgResult res(r);
        const ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) break;
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_ABORTED && copy_error_.ok()) {
          copy_error_ = PgError(location_, pipeline_what_, r, conn);
        }
      }
      if (PQstatus(conn) != CONNECTION_OK && copy_error_.ok()) {
        copy_error_ = PgError(location_, pipeline_what_, nullptr, conn);
      }
    }
    // Leaves pipeline mode only when every answer is in; a lost connection stays in it, and
    // every later statement on it fails.
    (void)PQexitPipelineMode(conn);
    return copy_error_;
  }

  // Calls `fn` for each row of `sql`, fetched through a cursor in batches, until it returns false.
  // Outside a write transaction the scan has a read-only transaction of its own, so it reads one
  // snapshot however long it takes.
  Status ForEachRow(const std::string& sql, Params& params, std::string_view what,
                    const std::function<bool(const PGresult*, int)>& fn) {
    CS_RETURN_IF_ERROR(EndPipeline());
    CS_RETURN_IF_ERROR(Flush());
    const bool own = PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
    if (own) CS_RETURN_IF_ERROR(Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what));
    const std::string cursor = fmt::format("cs_scan_{}", ++cursors_);
    Status s = [&]() -> Status {
      CS_RETURN_IF_ERROR(Query(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", cursor, sql), params, what).status());
      const std::string fetch = fmt::format("FETCH {} FROM {}", kFetchRows, cursor);
      for (;;) {
        CS_ASSIGN_OR_RETURN(PgResult batch, Query(fetch, what));
        const int n = PQntuples(batch.get());
        for (int r = 0; r < n; ++r) {
          if (!fn(batch.get(), r)) return Exec(fmt::format("CLOSE {}", cursor), what);
        }
        if (n < kFetchRows) return Exec(fmt::format("CLOSE {}", cursor), what);
      }
    }();
    if (own) {
      if (s.ok()) return Exec("COMMIT", what);
      RollBack();
    }
    return s;
  }

  // ---- the write path: inserts are batched and sent with COPY ----

  Status QueueInsert(Kind kind, const Record& record) {
    if (!copy_error_.ok()) return copy_error_;
    if (pending_rows_ > 0 && pending_kind_ != kind) CS_RETURN_IF_ERROR(Flush());
    pending_kind_ = kind;
    if (pending_rows_ == 0) pending_.append(kBinaryCopyHeader.data(), kBinaryCopyHeader.size());
    // Until the COPY opens, the keys queued: Get answers a key not among them without ending it.
    if (!copy_open_) unsent_keys_.Insert(KeyHash(kind, record, KeyColumnsOf(kind)));
    const KindDef& def = Describe(kind);
    if (const int bad = AppendBinaryRow(pending_, def, record); bad >= 0) {
      copy_error_ =
          Status::InvalidInput(fmt::format("{}: {} {}: column {} holds a value of another type than {}", location_,
                                           def.id, KeyOf(def, record), def.columns[static_cast<size_t>(bad)].id,
                                           SqlType(def.columns[static_cast<size_t>(bad)].type, SqlDialect::kPostgres)))
              .WithId("db.value_type");
      return copy_error_;
    }
    ++pending_rows_;
    if (pending_.size() < kCopySendBytes) return Status::Ok();
    // Blocks only while the server is behind (the socket is full).
    if (!copy_open_) CS_RETURN_IF_ERROR(StartCopy());
    if (PQputCopyData(conn_.get(), pending_.data(), static_cast<int>(pending_.size())) != 1) {
      copy_error_ = PgError(location_, fmt::format("writing {}", KindId(pending_kind_)), nullptr, conn_.get());
    }
    pending_.clear();
    return copy_error_;
  }

  Status StartCopy() {
    if (Status s = EndPipeline(); !s.ok()) {
      pending_.clear();
      pending_rows_ = 0;
      return s;
    }
    const KindDef& def = Describe(pending_kind_);
    PgResult start(PQexec(
        conn_.get(), fmt::format("COPY {} ({}) FROM STDIN WITH (FORMAT binary)", def.id, ColumnList(def)).c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) {
      copy_error_ = PgError(location_, fmt::format("writing {}", def.id), start.get(), conn_.get());
      pending_.clear();
      pending_rows_ = 0;
      return copy_error_;
    }
    copy_open_ = true;
    unsent_keys_.Clear();
    return Status::Ok();
  }

  // Sends the queued inserts and ends the COPY. A failure (a key stored before the transaction,
  // the connection) aborts the transaction on the server: it is kept and returned by every later
  // write and Commit.
  Status Flush() {
    if (pending_rows_ == 0) return copy_error_;
    pending_rows_ = 0;
    unsent_keys_.Clear();
    const std::string what = fmt::format("writing {}", KindId(pending_kind_));
    if (!copy_open_ && !StartCopy().ok()) return copy_error_;
    copy_open_ = false;
    pending_ += "\xff\xff";  // the binary format's trailer: a field count of -1
    const bool sent =
        (pending_.empty() || PQputCopyData(conn_.get(), pending_.data(), static_cast<int>(pending_.size())) == 1) &&
        PQputCopyEnd(conn_.get(), nullptr) == 1;
    PgResult end(PQgetResult(conn_.get()));
    if ((!sent || PQresultStatus(end.get()) != PGRES_COMMAND_OK) && copy_error_.ok()) {
      copy_error_ = PgError(location_, what, end.get(), conn_.get());
    }
    while (PGresult* more = PQgetResult(conn_.get())) PQclear(more);
    pending_.clear();
    return copy_error_;
  }

  void EndTransaction(bool committed) {
    (void)EndPipeline();
    if (copy_open_) {
      // Abandoned mid-COPY (an error, an early return): the server discards what it had.
      (void)PQputCopyEnd(conn_.get(), "transaction abandoned");
      while (PGresult* more = PQgetResult(conn_.get())) PQclear(more);
      copy_open_ = false;
    }
    pending_.clear();
    pending_rows_ = 0;
    unsent_keys_.Clear();
    copy_error_ = Status::Ok();
    if (!committed) RollBack();
    in_write_ = false;
  }

  Status BeginTransactionLocked() {
    if (in_write_) {
      return Status::Environment(fmt::format("{}: a write transaction is already open on this connection", location_))
          .WithId("db.busy");
    }
    if (read_only_) {
      return Status::Environment(fmt::format("{}: opened for reading only; nothing can be written", location_))
          .WithId("db.read_only");
    }
    CS_RETURN_IF_ERROR(Exec("BEGIN", "starting a transaction"));
    // Waits for another writer to finish: imports queue rather than fail half-way.
    Status s = Exec(fmt::format("SELECT pg_advisory_xact_lock({})", kLockKey), "waiting for the write lock");
    if (!s.ok()) {
      RollBack();
      return s;
    }
    in_write_ = true;
    return Status::Ok();
  }

  // ---- Store ----

  Status NewerSchema(int version) const {
    return Status::Environment(
               fmt::format(
                   "{}: the database has schema version {}, written by a newer clusterscope; this build understands "
                   "versions up to {}. Upgrade clusterscope; the database was not changed",
                   location_, version, kSchemaVersion))
        .WithId("db.newer_schema");
  }

  Result<int> SchemaVersion() override {
    // pg_class through the statement's snapshot, not to_regclass: that reads the catalog caches,
    // which may not yet show a table another Init committed while this one waited for the lock.
    CS_ASSIGN_OR_RETURN(PgResult exists, Query("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relname = "
                                               "'store_meta' AND relnamespace = current_schema()::regnamespace)",
                                               "reading the schema version"));
    if (std::string_view(PQgetvalue(exists.get(), 0, 0)) != "t") return 0;
    CS_ASSIGN_OR_RETURN(
        PgResult v, Query("SELECT value FROM store_meta WHERE key = 'schema_version'", "reading the schema version"));
    if (PQntuples(v.get()) == 0) return 0;
    return static_cast<int>(ParseInt(PQgetvalue(v.get(), 0, 0), PQgetlength(v.get(), 0, 0)));
  }

  Status Init(const InitSeed& seed) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version > kSchemaVersion) return NewerSchema(version);
    CS_RETURN_IF_ERROR(BeginTransactionLocked());
    PostgresTransaction txn(*this);  // rolls back unless committed
    // Read again under the lock: a concurrent init may have got there first.
    CS_ASSIGN_OR_RETURN(version, SchemaVersion());
    if (version > kSchemaVersion) return NewerSchema(version);
    if (version == 0) {
      CS_RETURN_IF_ERROR(Exec(SchemaSql(SqlDialect::kPostgres), "creating the tables"));
      CS_RETURN_IF_ERROR(Exec(std::string(kSnapshotStorage), "creating the tables"));
      CS_RETURN_IF_ERROR(
          Exec(fmt::format("INSERT INTO store_meta (key, value) VALUES ('schema_version', {})", kSchemaVersion),
               "writing the schema version"));
      PgSnapshotTables tables(*this);
      CS_RETURN_IF_ERROR(RebuildSnapshot(tables));
    } else {
      // PostgreSQL stores begin at version 3; later versions' steps go here, as in the SQLite
      // store. Kinds and optional columns added without a version bump are created where missing.
      std::string create;
      for (Kind kind : kAllKinds) create += CreateTableSql(Describe(kind), SqlDialect::kPostgres, true);
      create += AccessTablesSql(SqlDialect::kPostgres, /*if_not_exists=*/true);  // 3 → 4
      create += IndexesSql(SqlDialect::kPostgres);
      CS_RETURN_IF_ERROR(Exec(create, "creating missing tables"));
      CS_RETURN_IF_ERROR(AddMissingColumns());
      CS_RETURN_IF_ERROR(CollateAccessTables());
      // Altered only when not yet so: ALTER TABLE would hold readers of the snapshot for a moment.
      CS_ASSIGN_OR_RETURN(PgResult storage, Query("SELECT attstorage FROM pg_catalog.pg_attribute WHERE attrelid = "
                                                  "'report_columns'::regclass AND attname = 'data'",
                                                  "reading report_columns' storage"));
      if (PQntuples(storage.get()) == 1 && std::string_view(PQgetvalue(storage.get(), 0, 0)) != "e") {
        CS_RETURN_IF_ERROR(Exec(std::string(kSnapshotStorage), "storing report_columns uncompressed"));
      }
      if (version < kSchemaVersion) {
        CS_RETURN_IF_ERROR(
            Exec(fmt::format("UPDATE store_meta SET value = {} WHERE key = 'schema_version'", kSchemaVersion),
                 "writing the schema version"));
      }
      // A snapshot that is missing, in an older format (before this build kept totals on
      // PostgreSQL: "checksummed") or fails its checks (readers warn and read the rows) is built
      // again here.
      CS_ASSIGN_OR_RETURN(int64_t firms, Count(Kind::kFirms));
      std::vector<std::string> ids;
      for (int c : SnapshotColumns()) ids.emplace_back(Describe(Kind::kReports).columns[static_cast<size_t>(c)].id);
      CS_ASSIGN_OR_RETURN(SnapshotScan scan,
                          ScanReportColumns(ids, firms, [](ReportYearColumns&) { return Status::Ok(); }));
      // And one without the firms' sites, or with damaged ones (readers then pass over the register).
      PgSnapshotTables tables(*this);
      CS_ASSIGN_OR_RETURN(SnapshotScan sites, ReadFirmSites(tables, [](FirmSites&) {}));
      CS_ASSIGN_OR_RETURN(SnapshotScan kept,
                          ReadRegisterColumns(tables, RegisterRead{.firms = true}, [](RegisterColumns&) {}));
      if (scan != SnapshotScan::kRead || sites != SnapshotScan::kRead || kept != SnapshotScan::kRead) {
        CS_RETURN_IF_ERROR(RebuildSnapshot(tables));
      }
    }
    if (seed) CS_RETURN_IF_ERROR(seed(txn));
    return txn.Commit();
  }

  Result<std::optional<Record>> Get(Kind kind, const Record& key_record) override {
    const KindDef& def = Describe(kind);
    Params p;
    for (int k : def.KeyColumns())
      p.Add(ForColumn(def.columns[static_cast<size_t>(k)].type, key_record[static_cast<size_t>(k)]));
    // An import into a table that holds rows looks up every key before queuing its insert: ending
    // the COPY for each lookup would make one COPY a row. A key not among the queued rows reads
    // the same from the table, so the queue stays until it is sent (256 KB) or a key is in it.
    const bool flush = copy_open_ || (pending_rows_ > 0 && pending_kind_ == kind &&
                                      unsent_keys_.Contains(KeyHash(kind, key_record, KeyColumnsOf(kind))));
    CS_ASSIGN_OR_RETURN(PgResult res, QueryPrepared(
                                          fmt::format("cs_get_{}", def.id),
                                          [&] {
                                            std::string where;
                                            int n = 0;
                                            for (int k : def.KeyColumns()) {
                                              where += fmt::format("{}{} = ${}", n == 0 ? "" : " AND ",
                                                                   def.columns[static_cast<size_t>(k)].id, n + 1);
                                              ++n;
                                            }
                                            return fmt::format("SELECT {} FROM {} WHERE {}", ColumnList(def), def.id,
                                                               where);
                                          },
                                          p, fmt::format("reading {}", def.id), flush));
    if (PQntuples(res.get()) == 0) return std::optional<Record>();
    return std::optional<Record>(ReadRecord(res.get(), 0, def));
  }

  // One query per chunk of keys: the keys as arrays, joined to the table.
  Result<std::vector<std::optional<Record>>> GetMany(Kind kind, const std::vector<Record>& keys) override {
    const KindDef& def = Describe(kind);
    const std::vector<int> key_cols = def.KeyColumns();
    std::vector<std::optional<Record>> out(keys.size());
    std::string unnest;
    std::string names;
    std::string join;
    for (size_t k = 0; k < key_cols.size(); ++k) {
      const ColumnDef& c = def.columns[static_cast<size_t>(key_cols[k])];
      unnest += fmt::format("{}${}::{}", k == 0 ? "" : ", ", k + 1, ArrayType(c.type));
      names += fmt::format("k{}, ", k);
      join += fmt::format("{}t.{} = k.k{}", k == 0 ? "" : " AND ", c.id, k);
    }
    const std::string sql = fmt::format("SELECT k.ord, {} FROM unnest({}) WITH ORDINALITY AS k({}ord) JOIN {} t ON {}",
                                        ColumnList(def, "t."), unnest, names, def.id, join);
    for (size_t at = 0; at < keys.size(); at += kGetManyChunk) {
      const size_t n = std::min(kGetManyChunk, keys.size() - at);
      Params p;
      for (int col : key_cols) {
        std::vector<Value> column;
        for (size_t i = 0; i < n; ++i) {
          column.push_back(
              ForColumn(def.columns[static_cast<size_t>(col)].type, keys[at + i][static_cast<size_t>(col)]));
        }
        p.Text(ArrayLiteral(column));
      }
      CS_ASSIGN_OR_RETURN(PgResult res, Query(sql, p, fmt::format("reading {}", def.id)));
      for (int r = 0; r < PQntuples(res.get()); ++r) {
        const int64_t ord = ParseInt(PQgetvalue(res.get(), r, 0), PQgetlength(res.get(), r, 0));
        out[at + static_cast<size_t>(ord - 1)] = ReadRecord(res.get(), r, def, 1);
      }
    }
    return out;
  }

  Status Scan(Kind kind, const std::function<bool(const Record&)>& fn) override {
    const KindDef& def = Describe(kind);
    Params none;
    return ForEachRow(fmt::format("SELECT {} FROM {} ORDER BY {}", ColumnList(def), def.id, KeyList(def)), none,
                      fmt::format("reading {}", def.id),
                      [&](const PGresult* res, int row) { return fn(ReadRecord(res, row, def)); });
  }

  Status ScanWhere(Kind kind, int column, const std::vector<Value>& values,
                   const std::function<bool(const Record&)>& fn) override {
    const KindDef& def = Describe(kind);
    return StepWhere(kind, column, values, [&](const PGresult* res, int row) { return fn(ReadRecord(res, row, def)); });
  }

  // ScanWhere's query: calls `on_row` at each matching row.
  Status StepWhere(Kind kind, int column, const std::vector<Value>& values,
                   const std::function<bool(const PGresult*, int)>& on_row) {
    const KindDef& def = Describe(kind);
    if (column < 0 || static_cast<size_t>(column) >= def.columns.size()) {
      return Status::Usage(fmt::format("{}: no column {}", def.id, column));
    }
    const ColumnDef& col = def.columns[static_cast<size_t>(column)];
    std::vector<Value> wanted;
    for (const Value& v : SortedDistinct(values)) {
      Value w = ForColumn(col.type, v);
      if (!IsNull(w)) wanted.push_back(std::move(w));
    }
    if (wanted.empty()) return Status::Ok();
    Params p;
    p.Text(ArrayLiteral(wanted));
    return ForEachRow(fmt::format("SELECT {} FROM {} WHERE {} = ANY($1::{}) ORDER BY {}, {}", ColumnList(def), def.id,
                                  col.id, ArrayType(col.type), col.id, KeyList(def)),
                      p, fmt::format("reading {}", def.id), on_row);
  }

  Status ScanRows(Kind kind, const std::function<bool(const RowView&)>& fn) override {
    const KindDef& def = Describe(kind);
    ResultRowView view;
    Params none;
    return ForEachRow(fmt::format("SELECT {} FROM {} ORDER BY {}", ColumnList(def), def.id, KeyList(def)), none,
                      fmt::format("reading {}", def.id), [&](const PGresult* res, int row) {
                        view.Point(res, row);
                        return fn(view);
                      });
  }

  // The rows arrive whole from the server anyway: the filter runs here.
  Status ScanRowsKept(Kind kind, const std::vector<int>& keep_columns, const std::function<bool(const RowView&)>& keep,
                      const std::function<bool(const RowView&, int64_t position)>& fn) override {
    return ScanRowsKeptByScan(*this, kind, keep_columns, keep, fn);
  }

  Result<int64_t> Count(Kind kind) override {
    CS_ASSIGN_OR_RETURN(PgResult res, Query(fmt::format("SELECT count(*) FROM {}", KindId(kind)),
                                            fmt::format("counting {}", KindId(kind))));
    return ParseInt(PQgetvalue(res.get(), 0, 0), PQgetlength(res.get(), 0, 0));
  }

  Result<bool> HasRows(Kind kind) override {
    CS_ASSIGN_OR_RETURN(PgResult res, Query(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", KindId(kind)),
                                            fmt::format("reading {}", KindId(kind))));
    return std::string_view(PQgetvalue(res.get(), 0, 0)) == "t";
  }

  Result<int64_t> Generation() override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 3) return int64_t{0};
    CS_ASSIGN_OR_RETURN(PgResult res,
                        Query("SELECT value FROM store_meta WHERE key = 'generation'", "reading the generation"));
    if (PQntuples(res.get()) != 1) {
      return Status::Environment(fmt::format("{}: store_meta holds no generation", location_)).WithId("db.postgres");
    }
    return ParseInt(PQgetvalue(res.get(), 0, 0), PQgetlength(res.get(), 0, 0));
  }

  Status RefreshReportColumns() override {
    if (read_only_ || in_write_) return Status::Ok();
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return Status::Ok();
    CS_ASSIGN_OR_RETURN(int64_t firms, Count(Kind::kFirms));
    CS_ASSIGN_OR_RETURN(SnapshotScan scan, ScanReportColumns(ReportColumnsRequest{.columns = {}, .firm_count = firms},
                                                             [](ReportYearColumns&) { return Status::Ok(); }));
    if (scan == SnapshotScan::kRead) return Status::Ok();
    // Another writer holds the lock: leave it to a later reader rather than wait.
    if (!Exec("BEGIN", "rebuilding report_columns").ok()) return Status::Ok();
    auto locked = Query(fmt::format("SELECT pg_try_advisory_xact_lock({})", kLockKey), "rebuilding report_columns");
    PgSnapshotTables tables(*this);
    if (locked.ok() && std::string_view(PQgetvalue(locked->get(), 0, 0)) == "t" && RebuildSnapshot(tables).ok() &&
        Exec("COMMIT", "rebuilding report_columns").ok()) {
      return Status::Ok();
    }
    RollBack();
    return Status::Ok();
  }

  // Runs `read` in one REPEATABLE READ transaction unless the connection is in one already: the
  // snapshot is several rows read by several statements, and a writer may commit between them.
  template <typename T>
  Result<T> InOneSnapshot(std::string_view what, const std::function<Result<T>()>& read) {
    CS_RETURN_IF_ERROR(Flush());
    const bool own = PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
    if (own) CS_RETURN_IF_ERROR(Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what));
    Result<T> out = read();
    if (own) {
      if (out.ok()) CS_RETURN_IF_ERROR(Exec("COMMIT", what));
      if (!out.ok()) RollBack();
    }
    return out;
  }

  using Store::ScanReportColumns;
  // The snapshot as the SQLite store keeps it (snapshot_codec.h), read in one transaction.
  Result<SnapshotScan> ScanReportColumns(const ReportColumnsRequest& request,
                                         const std::function<Status(ReportYearColumns&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return InOneSnapshot<SnapshotScan>("reading report_columns", [&] {
      PgSnapshotTables tables(*this);
      return ReadSnapshot(tables, request, fn);
    });
  }

  Result<SnapshotScan> ScanIndustryTotals(std::string_view measure, int year,
                                          const std::function<void(const IndustryTotal&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return InOneSnapshot<SnapshotScan>("reading report_columns", [&] {
      PgSnapshotTables tables(*this);
      return ReadIndustryTotals(tables, measure, year, fn);
    });
  }

  Result<SnapshotScan> ScanZoneTotals(int year, const std::function<void(const ZoneTotals&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return InOneSnapshot<SnapshotScan>("reading report_columns", [&] {
      PgSnapshotTables tables(*this);
      return ReadZoneTotals(tables, year, fn);
    });
  }

  Result<SnapshotScan> ScanFirmSites(const std::function<void(FirmSites&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return InOneSnapshot<SnapshotScan>("reading report_columns", [&] {
      PgSnapshotTables tables(*this);
      return ReadFirmSites(tables, fn);
    });
  }

  Result<SnapshotScan> ScanRegisterColumns(const RegisterRead& what,
                                           const std::function<void(RegisterColumns&)>& fn) override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version < 2) return SnapshotScan::kAbsent;
    return InOneSnapshot<SnapshotScan>("reading report_columns", [&] {
      PgSnapshotTables tables(*this);
      return ReadRegisterColumns(tables, what, fn);
    });
  }

  Result<std::vector<int>> ReportYears() override {
    CS_ASSIGN_OR_RETURN(int version, SchemaVersion());
    if (version >= 2) {
      PgSnapshotTables tables(*this);
      CS_ASSIGN_OR_RETURN(auto years, SnapshotYears(tables));
      if (years) return std::move(*years);
    }
    // No snapshot: from the rows, registered firms only, as the snapshot.
    CS_ASSIGN_OR_RETURN(PgResult res, Query("SELECT DISTINCT r.year FROM reports r JOIN firms f ON f.uscc = r.uscc "
                                            "ORDER BY r.year",
                                            "reading reports"));
    std::vector<int> out;
    out.reserve(static_cast<size_t>(PQntuples(res.get())));
    for (int r = 0; r < PQntuples(res.get()); ++r) {
      out.push_back(static_cast<int>(ParseInt(PQgetvalue(res.get(), r, 0), PQgetlength(res.get(), r, 0))));
    }
    return out;
  }

  Status ScanRowsWhere(Kind kind, int column, const std::vector<Value>& values,
                       const std::function<bool(const RowView&)>& fn) override {
    ResultRowView view;
    return StepWhere(kind, column, values, [&](const PGresult* res, int row) {
      view.Point(res, row);
      return fn(view);
    });
  }

  Status ScanReportsOf(const std::vector<std::string>& usccs, int first_year, int last_year,
                       const std::function<bool(const RowView&)>& fn) override {
    const KindDef& def = Describe(Kind::kReports);
    std::vector<Value> wanted(usccs.begin(), usccs.end());
    wanted = SortedDistinct(std::move(wanted));
    if (wanted.empty()) return Status::Ok();
    Params p;
    p.Text(ArrayLiteral(wanted)).Int(first_year).Int(last_year);
    ResultRowView view;
    return ForEachRow(fmt::format("SELECT {} FROM reports WHERE uscc = ANY($1::text[]) AND year BETWEEN $2 AND $3 "
                                  "ORDER BY uscc, year",
                                  ColumnList(def)),
                      p, "reading reports", [&](const PGresult* res, int row) {
                        view.Point(res, row);
                        return fn(view);
                      });
  }

  Status PutAccess(AccessTable table, const AccessRow& row) override {
    CS_RETURN_IF_ERROR(CheckAccessRow(table, row));
    std::string columns;
    std::string marks;
    std::string updates;
    const auto cols = AccessColumns(table);
    Params p;
    for (size_t i = 0; i < cols.size(); ++i) {
      columns += fmt::format("{}{}", i == 0 ? "" : ", ", cols[i]);
      marks += fmt::format("{}${}", i == 0 ? "" : ", ", i + 1);
      if (i > 0) updates += fmt::format("{}{} = EXCLUDED.{}", i == 1 ? "" : ", ", cols[i], cols[i]);
      p.Text(row[i]);
    }
    const std::string sql =
        fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO {}", AccessTableId(table), columns, marks,
                    cols[0], updates.empty() ? std::string("NOTHING") : "UPDATE SET " + updates);
    CS_ASSIGN_OR_RETURN(PgResult res, Query(sql, p, fmt::format("writing {}", AccessTableId(table))));
    return Status::Ok();
  }

  Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) override {
    std::optional<AccessRow> found;
    CS_RETURN_IF_ERROR(ScanAccessWhere(table, "=", key, [&](const AccessRow& r) {
      found = r;
      return false;
    }));
    return found;
  }

  Status ScanAccess(AccessTable table, const std::string& from_key,
                    const std::function<bool(const AccessRow&)>& fn) override {
    return ScanAccessWhere(table, ">=", from_key, fn);
  }

  Status DeleteAccess(AccessTable table, const std::string& key) override {
    Params p;
    p.Text(key);
    CS_ASSIGN_OR_RETURN(
        PgResult res, Query(fmt::format("DELETE FROM {} WHERE {} = $1", AccessTableId(table), AccessColumns(table)[0]),
                            p, fmt::format("deleting from {}", AccessTableId(table))));
    return Status::Ok();
  }

  Result<std::vector<ImportLogEntry>> ImportLog() override {
    CS_ASSIGN_OR_RETURN(PgResult res, Query("SELECT id, kind, file, sha256, at, rows, added, replaced, unchanged "
                                            "FROM import_log ORDER BY id",
                                            "reading the import log"));
    std::vector<ImportLogEntry> out;
    out.reserve(static_cast<size_t>(PQntuples(res.get())));
    auto text = [&](int r, int c) {
      return std::string(PQgetvalue(res.get(), r, c), static_cast<size_t>(PQgetlength(res.get(), r, c)));
    };
    auto num = [&](int r, int c) { return ParseInt(PQgetvalue(res.get(), r, c), PQgetlength(res.get(), r, c)); };
    for (int r = 0; r < PQntuples(res.get()); ++r) {
      out.push_back(
          {num(r, 0), text(r, 1), text(r, 2), text(r, 3), text(r, 4), num(r, 5), num(r, 6), num(r, 7), num(r, 8)});
    }
    return out;
  }

  Result<std::vector<HistoryEntry>> History(Kind kind) override {
    Params p;
    p.Text(std::string(KindId(kind)));
    CS_ASSIGN_OR_RETURN(PgResult res, Query("SELECT kind, record_key, record_json, import_id, id FROM history "
                                            "WHERE kind = $1 ORDER BY id",
                                            p, "reading history"));
    std::vector<HistoryEntry> out;
    out.reserve(static_cast<size_t>(PQntuples(res.get())));
    auto text = [&](int r, int c) {
      return std::string(PQgetvalue(res.get(), r, c), static_cast<size_t>(PQgetlength(res.get(), r, c)));
    };
    for (int r = 0; r < PQntuples(res.get()); ++r) {
      out.push_back({text(r, 0), text(r, 1), text(r, 2),
                     ParseInt(PQgetvalue(res.get(), r, 3), PQgetlength(res.get(), r, 3)),
                     ParseInt(PQgetvalue(res.get(), r, 4), PQgetlength(res.get(), r, 4))});
    }
    return out;
  }

  // The access rows whose key compares with `key` as `op` says, in key order.
  Status ScanAccessWhere(AccessTable table, std::string_view op, const std::string& key,
                         const std::function<bool(const AccessRow&)>& fn) {
    std::string columns;
    const auto cols = AccessColumns(table);
    for (size_t i = 0; i < cols.size(); ++i) columns += fmt::format("{}{}", i == 0 ? "" : ", ", cols[i]);
    Params p;
    p.Text(key);
    return ForEachRow(fmt::format("SELECT {} FROM {} WHERE {} {} $1 ORDER BY {}", columns, AccessTableId(table),
                                  cols[0], op, cols[0]),
                      p, fmt::format("reading {}", AccessTableId(table)), [&](const PGresult* res, int row) {
                        AccessRow r;
                        for (size_t i = 0; i < cols.size(); ++i) {
                          const int c = static_cast<int>(i);
                          r.emplace_back(PQgetvalue(res, row, c), static_cast<size_t>(PQgetlength(res, row, c)));
                        }
                        return fn(r);
                      });
  }

  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override {
    CS_RETURN_IF_ERROR(BeginTransactionLocked());
    return std::unique_ptr<WriteTransaction>(std::make_unique<PostgresTransaction>(*this));
  }

  std::string Location() const override { return location_; }
  const std::string& location() const { return location_; }

 private:
  // Ends the open transaction; what the server answers is of no use (it fails only when the
  // connection is gone, which the next statement reports).
  void RollBack() {
    (void)EndPipeline();
    const PgResult done(PQexec(conn_.get(), "ROLLBACK"));
  }

  // The access tables of a database an earlier build created took the database's collation: each
  // column that is not in byte order is altered to COLLATE "C" (its key index is rebuilt with it),
  // in Init's transaction. Nothing to do, and no statement sent but the look, once done.
  Status CollateAccessTables() {
    std::vector<Value> tables;
    for (AccessTable t : kAllAccessTables) tables.emplace_back(std::string(AccessTableId(t)));
    Params p;
    p.Text(ArrayLiteral(tables));
    CS_ASSIGN_OR_RETURN(PgResult res, Query("SELECT table_name, column_name FROM information_schema.columns "
                                            "WHERE table_schema = current_schema() AND table_name = ANY($1::text[]) "
                                            "AND collation_name IS DISTINCT FROM 'C' ORDER BY table_name, column_name",
                                            p, "reading the access tables' collations"));
    std::string alter;
    for (int r = 0; r < PQntuples(res.get()); ++r) {
      alter += fmt::format("ALTER TABLE {} ALTER COLUMN {} TYPE TEXT COLLATE \"C\";\n", PQgetvalue(res.get(), r, 0),
                           PQgetvalue(res.get(), r, 1));
    }
    return alter.empty() ? Status::Ok() : Exec(alter, "putting the access tables in byte order");
  }

  // ALTER TABLE … ADD COLUMN for every registry column a stored table lacks.
  Status AddMissingColumns() {
    CS_ASSIGN_OR_RETURN(PgResult res, Query("SELECT table_name, column_name FROM information_schema.columns "
                                            "WHERE table_schema = current_schema()",
                                            "reading the tables' columns"));
    std::set<std::pair<std::string, std::string>> have;
    for (int r = 0; r < PQntuples(res.get()); ++r)
      have.emplace(PQgetvalue(res.get(), r, 0), PQgetvalue(res.get(), r, 1));
    std::string alter;
    for (Kind kind : kAllKinds) {
      const KindDef& def = Describe(kind);
      for (const ColumnDef& c : def.columns) {
        if (have.contains({std::string(def.id), std::string(c.id)}) || c.required || c.key) continue;
        const bool text = SqlType(c.type, SqlDialect::kPostgres) == "TEXT";
        alter += fmt::format("ALTER TABLE {} ADD COLUMN {} {}{};\n", def.id, c.id,
                             SqlType(c.type, SqlDialect::kPostgres), text ? " COLLATE \"C\"" : "");
      }
    }
    return alter.empty() ? Status::Ok() : Exec(alter, "adding columns");
  }

  PgConn conn_;
  std::string location_;
  bool read_only_;
  bool in_write_ = false;
  int64_t cursors_ = 0;
  std::set<std::string> prepared_;
  // Inserts not yet sent: COPY binary-format tuples of one kind (the header first when a COPY begins).
  Kind pending_kind_ = Kind::kRegions;
  std::string pending_;
  int64_t pending_rows_ = 0;  // since the COPY began (sent or not)
  bool copy_open_ = false;    // a COPY … FROM STDIN is in progress on the connection
  bool in_pipeline_ = false;  // in libpq's pipeline mode, with pipelined_ statements unanswered
  int pipelined_ = 0;
  std::string pipeline_what_;  // what the pipelined statements were doing, for an error
  KeyHashes unsent_keys_;      // the keys queued while no COPY is open (cleared when one opens)
  Status copy_error_;

  friend class PostgresTransaction;
  friend class PgSnapshotTables;
};

Status PgSnapshotTables::Clear() { return store_.Exec("DELETE FROM report_columns", "clearing report_columns"); }

Status PgSnapshotTables::Put(int year, std::string_view column, int64_t rows, std::string_view data) {
  Params p;
  p.Int(year).Text(std::string(column)).Int(rows).Binary(std::string(data));
  return store_
      .QueryPrepared(
          "cs_snapshot_put",
          [] {
            return std::string(
                "INSERT INTO report_columns (year, column_id, rows, data) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (year, column_id) DO UPDATE SET rows = EXCLUDED.rows, data = EXCLUDED.data");
          },
          p, "writing report_columns")
      .status();
}

Result<std::optional<SnapshotBlob>> PgSnapshotTables::Get(int year, std::string_view column) {
  Params p;
  p.Int(year).Text(std::string(column));
  // Binary results, so the blob arrives as bytes (not hex); rows as text, which binary leaves as is.
  CS_ASSIGN_OR_RETURN(PgResult res,
                      store_.Query("SELECT rows::text, data FROM report_columns WHERE year = $1 AND column_id = $2", p,
                                   "reading report_columns", 1));
  if (PQntuples(res.get()) == 0) return std::optional<SnapshotBlob>();
  return std::optional<SnapshotBlob>(
      SnapshotBlob{ParseInt(PQgetvalue(res.get(), 0, 0), PQgetlength(res.get(), 0, 0)),
                   std::string(PQgetvalue(res.get(), 0, 1), static_cast<size_t>(PQgetlength(res.get(), 0, 1)))});
}

// One query for the year's blobs: a store on a server pays a round trip per statement.
Result<std::vector<std::optional<std::string>>> PgSnapshotTables::GetYear(
    int year, const std::vector<std::string_view>& columns) {
  std::vector<Value> ids;
  ids.reserve(columns.size());
  for (std::string_view c : columns) ids.emplace_back(std::string(c));
  Params p;
  p.Int(year).Text(ArrayLiteral(ids));
  CS_ASSIGN_OR_RETURN(
      PgResult res,
      store_.Query("SELECT column_id, data FROM report_columns WHERE year = $1 AND column_id = ANY($2::text[])", p,
                   "reading report_columns", 1));
  std::map<std::string_view, int> row_of;
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    row_of[std::string_view(PQgetvalue(res.get(), r, 0), static_cast<size_t>(PQgetlength(res.get(), r, 0)))] = r;
  }
  std::vector<std::optional<std::string>> out(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    auto it = row_of.find(columns[i]);
    if (it != row_of.end()) {
      out[i] =
          std::string(PQgetvalue(res.get(), it->second, 1), static_cast<size_t>(PQgetlength(res.get(), it->second, 1)));
    }
  }
  return out;
}

Result<std::vector<std::pair<int, int64_t>>> PgSnapshotTables::Years() {
  CS_ASSIGN_OR_RETURN(PgResult res, store_.Query("SELECT year, rows FROM report_columns WHERE column_id = 'firm' AND "
                                                 "year > 0 ORDER BY year",
                                                 "reading report_columns"));
  std::vector<std::pair<int, int64_t>> out;
  out.reserve(static_cast<size_t>(PQntuples(res.get())));
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    out.emplace_back(static_cast<int>(ParseInt(PQgetvalue(res.get(), r, 0), PQgetlength(res.get(), r, 0))),
                     ParseInt(PQgetvalue(res.get(), r, 1), PQgetlength(res.get(), r, 1)));
  }
  return out;
}

Status PgSnapshotTables::ForEachFirm(const FirmFn& fn) {
  Params none;
  return store_.ForEachRow(
      "SELECT uscc, region_code, industry_code, zone_id, lat, lon FROM firms ORDER BY uscc", none, "reading firms",
      [&](const PGresult* res, int row) {
        auto text = [&](int c) {
          return std::string_view(PQgetvalue(res, row, c), static_cast<size_t>(PQgetlength(res, row, c)));
        };
        auto real = [&](int c) {
          return PQgetisnull(res, row, c) != 0 ? std::optional<double>()
                                               : ParseReal(PQgetvalue(res, row, c), PQgetlength(res, row, c));
        };
        std::optional<std::string_view> zone;
        if (PQgetisnull(res, row, 3) == 0) zone = text(3);
        fn(text(0), text(1), text(2), zone, real(4), real(5));
        return true;
      });
}

Status PgSnapshotTables::ForEachFirmRow(const std::function<void(const FirmRow&)>& fn) {
  Params none;
  return store_.ForEachRow(
      "SELECT uscc, name, region_code, industry_code, zone_id, founded, name_en, high_tech_cert_year, listed "
      "FROM firms ORDER BY uscc",
      none, "reading firms", [&](const PGresult* res, int row) {
        const auto text = [&](int c) {
          return std::string_view(PQgetvalue(res, row, c), static_cast<size_t>(PQgetlength(res, row, c)));
        };
        const auto nullable = [&](int c) {
          return PQgetisnull(res, row, c) != 0 ? std::optional<std::string_view>() : text(c);
        };
        const auto integer = [&](int c) {
          return PQgetisnull(res, row, c) != 0 ? std::optional<int64_t>()
                                               : ParseInt(PQgetvalue(res, row, c), PQgetlength(res, row, c));
        };
        fn(FirmRow{.uscc = text(0),
                   .name = text(1),
                   .region = text(2),
                   .industry = text(3),
                   .zone = nullable(4),
                   .founded = nullable(5),
                   .name_en = nullable(6),
                   .cert_year = integer(7),
                   .listed = integer(8)});
        return true;
      });
}

Status PgSnapshotTables::ForEachMember(const std::function<void(const MemberRow&)>& fn) {
  Params none;
  return store_.ForEachRow(
      "SELECT cluster_id, uscc, from_year, to_year, role FROM members ORDER BY cluster_id, uscc, from_year", none,
      "reading members", [&](const PGresult* res, int row) {
        const auto text = [&](int c) {
          return std::string_view(PQgetvalue(res, row, c), static_cast<size_t>(PQgetlength(res, row, c)));
        };
        MemberRow m{.cluster = text(0),
                    .uscc = text(1),
                    .from_year = ParseInt(PQgetvalue(res, row, 2), PQgetlength(res, row, 2))};
        if (PQgetisnull(res, row, 3) == 0) m.to_year = ParseInt(PQgetvalue(res, row, 3), PQgetlength(res, row, 3));
        if (PQgetisnull(res, row, 4) == 0) m.role = text(4);
        fn(m);
        return true;
      });
}

Status PgSnapshotTables::ForEachReport(const ReportFn& fn) {
  const KindDef& def = Describe(Kind::kReports);
  const std::vector<int>& cols = SnapshotColumns();
  std::string list;
  for (int c : cols) list += fmt::format(", {}", def.columns[static_cast<size_t>(c)].id);
  std::array<int64_t, 64> values{};
  Params none;
  return store_.ForEachRow(
      fmt::format("SELECT uscc, year{} FROM reports ORDER BY uscc, year", list), none, "reading reports",
      [&](const PGresult* res, int row) {
        uint64_t present = 0;
        for (size_t k = 0; k < cols.size(); ++k) {
          const int c = static_cast<int>(k) + 2;
          values[k] = 0;
          if (PQgetisnull(res, row, c) != 0) continue;
          values[k] = ParseInt(PQgetvalue(res, row, c), PQgetlength(res, row, c));
          present |= uint64_t{1} << k;
        }
        fn(std::string_view(PQgetvalue(res, row, 0), static_cast<size_t>(PQgetlength(res, row, 0))),
           static_cast<int>(ParseInt(PQgetvalue(res, row, 1), PQgetlength(res, row, 1))), present, values.data());
        return true;
      });
}

PostgresTransaction::~PostgresTransaction() { store_.EndTransaction(done_); }

Status PostgresTransaction::Insert(Kind kind, const Record& record) {
  wrote_ = true;
  if (Seen(kind, record)) {
    CS_ASSIGN_OR_RETURN(auto stored, store_.Get(kind, record));
    if (stored) {
      return Status::Conflict(fmt::format("{}: {}: key {} already written", store_.location(), KindId(kind),
                                          KeyOf(Describe(kind), record)))
          .WithId("db.conflict");
    }
  }
  CS_RETURN_IF_ERROR(store_.QueueInsert(kind, record));
  if (kind == Kind::kReports) snapshot_.Report(record);
  if (kind == Kind::kFirms) snapshot_.FirmInserted(record);
  if (kind == Kind::kMembers) snapshot_.MemberWritten();
  return Status::Ok();
}

Status PostgresTransaction::Replace(Kind kind, const Record& record, const Record& previous, int64_t import_id) {
  wrote_ = true;
  (void)Seen(kind, record);
  if (kind == Kind::kReports) snapshot_.Report(record);
  if (kind == Kind::kFirms) snapshot_.FirmReplaced(record, previous);
  if (kind == Kind::kMembers) snapshot_.MemberWritten();
  const KindDef& def = Describe(kind);
  Params p;
  for (const Value& v : record) p.Add(v);
  p.Text(std::string(def.id)).Text(KeyOf(def, previous)).Text(schema::RecordToStoredJson(def, previous)).Int(import_id);
  // The record and the history entry of the one it replaces in one statement, pipelined: a round
  // trip for many replacements, not one each.
  return store_.SendPipelined(
      fmt::format("cs_replace_{}", def.id),
      [&] {
        std::string marks;
        std::string set;
        for (size_t i = 0; i < def.columns.size(); ++i) {
          marks += fmt::format("{}${}", i == 0 ? "" : ", ", i + 1);
          if (!def.columns[i].key) {
            set += fmt::format("{}{} = EXCLUDED.{}", set.empty() ? "" : ", ", def.columns[i].id, def.columns[i].id);
          }
        }
        const size_t n = def.columns.size();
        return fmt::format(
            "WITH written AS (INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO {}) "
            "INSERT INTO history (kind, record_key, record_json, import_id) VALUES (${}, ${}, ${}, ${})",
            def.id, ColumnList(def), marks, KeyList(def), set.empty() ? "NOTHING" : "UPDATE SET " + set, n + 1, n + 2,
            n + 3, n + 4);
      },
      p, fmt::format("writing {}", def.id));
}

Result<int64_t> PostgresTransaction::LogImport(const ImportLogEntry& e) {
  wrote_ = true;
  Params p;
  p.Text(e.kind).Text(e.file).Text(e.sha256).Text(e.at).Int(e.rows).Int(e.added).Int(e.replaced).Int(e.unchanged);
  CS_ASSIGN_OR_RETURN(PgResult res,
                      store_.Query("INSERT INTO import_log (kind, file, sha256, at, rows, added, replaced, unchanged) "
                                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                                   p, "writing the import log"));
  return ParseInt(PQgetvalue(res.get(), 0, 0), PQgetlength(res.get(), 0, 0));
}

Status PostgresTransaction::UpdateImportLog(const ImportLogEntry& e) {
  Params p;
  p.Int(e.rows).Int(e.added).Int(e.replaced).Int(e.unchanged).Int(e.id);
  return store_
      .Query("UPDATE import_log SET rows = $1, added = $2, replaced = $3, unchanged = $4 WHERE id = $5", p,
             "writing the import log")
      .status();
}

Status PostgresTransaction::CopyImportLogEntry(const ImportLogEntry& e) {
  wrote_ = true;
  log_ids_copied_ = true;
  Params p;
  p.Int(e.id)
      .Text(e.kind)
      .Text(e.file)
      .Text(e.sha256)
      .Text(e.at)
      .Int(e.rows)
      .Int(e.added)
      .Int(e.replaced)
      .Int(e.unchanged);
  return store_
      .Query(
          "INSERT INTO import_log (id, kind, file, sha256, at, rows, added, replaced, unchanged) "
          "OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          p, "writing the import log")
      .status();
}

Status PostgresTransaction::CopyHistoryEntry(const HistoryEntry& e) {
  wrote_ = true;
  history_ids_copied_ = true;
  Params p;
  p.Int(e.id).Text(e.kind).Text(e.key).Text(e.record_json).Int(e.import_id);
  return store_
      .Query(
          "INSERT INTO history (id, kind, record_key, record_json, import_id) OVERRIDING SYSTEM VALUE "
          "VALUES ($1, $2, $3, $4, $5)",
          p, "writing history")
      .status();
}

// The store's own statements on this connection, inside the transaction BeginWrite opened: they end
// any open COPY first (a read sees what was queued) and commit or roll back with the rest. Not
// `wrote_`: an access row is not data and does not move the generation.
Status PostgresTransaction::PutAccess(AccessTable table, const AccessRow& row) { return store_.PutAccess(table, row); }

Result<std::optional<AccessRow>> PostgresTransaction::GetAccess(AccessTable table, const std::string& key) {
  return store_.GetAccess(table, key);
}

Status PostgresTransaction::Commit() {
  CS_RETURN_IF_ERROR(store_.Flush());
  // The snapshot follows the rows in this same transaction, as in the SQLite store: never stale,
  // and no reader has to write to rebuild it (only the years this transaction touched are rewritten).
  if (!snapshot_.empty()) {
    PgSnapshotTables tables(store_);
    CS_RETURN_IF_ERROR(UpdateSnapshot(tables, snapshot_));
  }
  for (const auto& [copied, table] :
       {std::pair{log_ids_copied_, "import_log"}, std::pair{history_ids_copied_, "history"}}) {
    if (!copied) continue;
    CS_RETURN_IF_ERROR(
        store_.Exec(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', 'id'), max(id)) FROM {0}", table),
                    fmt::format("moving the ids of {} on", table)));
  }
  // In the same transaction as the data: a reader that saw generation G saw exactly its data.
  if (wrote_) {
    CS_RETURN_IF_ERROR(
        store_.Exec("UPDATE store_meta SET value = value + 1 WHERE key = 'generation'", "advancing the generation"));
  }
  CS_RETURN_IF_ERROR(store_.EndPipeline());
  PgResult res(PQexec(store_.conn_.get(), "COMMIT"));
  // COMMIT of a transaction that failed earlier "succeeds" as a ROLLBACK: check the tag.
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK || std::string_view(PQcmdStatus(res.get())) != "COMMIT") {
    return PgError(store_.location(), "committing", res.get(), store_.conn_.get());
  }
  done_ = true;
  return Status::Ok();
}

}  // namespace

bool IsPostgresUrl(std::string_view url) { return url.starts_with("postgresql://") || url.starts_with("postgres://"); }

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // postgresql://user:secret@host/…: the userinfo ends at the last '@' before the path.
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t end = std::min(out.find_first_of("/?", start), out.size());
    const size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // …?password=secret&…
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const size_t value = p + 9;
    const size_t end = std::min(out.find('&', value), out.size());
    out.replace(value, end - value, "***");
  }
  return out;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const OpenOptions& options) {
  const std::string location = RedactUrl(url);
  PgConn conn(PQconnectdb(url.c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::Environment(fmt::format("{}: cannot connect to PostgreSQL: {}", location,
                                           TrimmedError(conn ? PQerrorMessage(conn.get()) : "out of memory")))
        .WithId("db.connect");
  }
  // Notices (CREATE TABLE IF NOT EXISTS of a table that exists) are not the user's business.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  // Shortest exact text for doubles whatever the server's default; UTF-8 as the records are.
  std::string settings =
      "SET client_encoding = 'UTF8'; SET extra_float_digits = 1; SET client_min_messages = warning; "
      "SET standard_conforming_strings = on;";
  if (options.read_only) settings += " SET default_transaction_read_only = on;";
  PgResult res(PQexec(conn.get(), settings.c_str()));
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    return PgError(location, "setting up the connection", res.get(), conn.get());
  }
  auto store = std::make_unique<PostgresStore>(std::move(conn), location, options.read_only);
  if (!options.create || options.read_only) {
    CS_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
    if (version == 0) {
      return Status::Environment(
                 fmt::format("{}: no clusterscope database here; create it with `clusterscope init` or an import",
                             location))
          .WithId("db.missing");
    }
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace clusterscope::store
