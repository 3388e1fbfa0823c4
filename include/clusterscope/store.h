// Storage: where validated records live. One interface, three implementations — SQLite (the
// embedded default), an in-memory store for tests, and a wrapper that injects write failures —
// so that PostgreSQL can follow behind the same contract. Wrappers derive from ForwardingStore
// (src/store/forwarding_store.h), which forwards every method, so none can be missed.
//
// Contract for every implementation (tests/unit/store/store_test.cpp, StoreContract, runs each
// method on every store):
// - A WriteTransaction is all-or-nothing: nothing it wrote is visible to a later reader unless
//   Commit() returned OK. Destroying it uncommitted rolls back. At most one is open per store.
// - After a crash or kill at any point, the store opens and holds the state of the last
//   committed transaction.
// - Generation() changes with every committed transaction that wrote, and only then, as seen by
//   any process; a reader that holds data from generation G knows it is current while G holds.
// - Scans and gets see committed data (and, inside a write transaction on the same store, what
//   that transaction wrote so far).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clusterscope/schema.h"
#include "clusterscope/status.h"

namespace clusterscope {

// The schema version this build writes. Stores at an older version are upgraded by Init();
// newer ones are refused.
inline constexpr int kSchemaVersion = 3;  // 3: store_meta (the generation); name_en of zones, clusters and firms

// One line of the import log, written in the same transaction as the data it describes.
struct ImportLogEntry {
  int64_t id = 0;      // assigned by the store
  std::string kind;    // "reports"
  std::string file;    // as given on the command line
  std::string sha256;  // of the file's bytes
  std::string at;      // UTC, ISO 8601
  int64_t rows = 0;    // data rows read
  int64_t added = 0;
  int64_t replaced = 0;
  int64_t unchanged = 0;
};

// A record that a later import replaced (--replace): the old values, kept.
struct HistoryEntry {
  std::string kind;
  std::string key;          // KeyOf() of the record
  std::string record_json;  // the replaced record as stored
  int64_t import_id = 0;    // the import that replaced it
  int64_t id = 0;           // assigned by the store, ascending (kept by CopyHistoryEntry)
};

// One stored row during a scan, read in place (no Record built): for bulk loads such as the
// indicator engine's. Valid only inside the scan callback. Columns are KindDef::columns indices.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;  // integer columns (counts, money in fen, years, 0/1)
  virtual double Real(int column) const = 0;
  virtual std::string_view Text(int column) const = 0;
};

// One year of the reports, column by column, from a store's columnar snapshot (ScanReportColumns).
struct ReportYearColumns {
  int year = 0;
  // Each row's firm: its position among the firms in key (uscc) order. Ascending.
  std::vector<int32_t> firm;
  // Bit i set when the row has a value for the i-th requested column.
  std::vector<uint64_t> present;
  // values[i][row]: the i-th requested column, 0 where the row has no value.
  std::vector<std::vector<int64_t>> values;
};

// What ScanReportColumns found.
enum class SnapshotScan {
  kRead,     // every year was handed to the callback
  kAbsent,   // the store keeps no snapshot, or not of these firms: read the rows
  kDamaged,  // a snapshot is there but fails its checks (checksum, positions): read the rows, warn,
             // and `clusterscope init` rebuilds it
};

class WriteTransaction {
 public:
  virtual ~WriteTransaction() = default;  // rolls back unless committed

  // Adds `record`, whose key must not be stored yet (kConflict otherwise).
  virtual Status Insert(Kind kind, const Record& record) = 0;
  // Overwrites the stored record with the same key as `record` and keeps `previous` in history.
  virtual Status Replace(Kind kind, const Record& record, const Record& previous, int64_t import_id) = 0;
  // Appends to the import log; returns the entry's id.
  virtual Result<int64_t> LogImport(const ImportLogEntry& entry) = 0;
  // Rewrites the counts of an entry LogImport returned (matched by id).
  virtual Status UpdateImportLog(const ImportLogEntry& entry) = 0;
  // Copying a whole database into an empty one (CopyDatabase, copy.h): a line of another store's
  // import log and a history entry, each with its id as it was there, in ascending id order. Not
  // for imports, which use LogImport and Replace.
  virtual Status CopyImportLogEntry(const ImportLogEntry& entry) = 0;
  virtual Status CopyHistoryEntry(const HistoryEntry& entry) = 0;
  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Rows a store is initialised with (the built-in reference data), written by the function in
  // Init's own transaction; it may read the store (Get) to add only what is missing.
  using InitSeed = std::function<Status(WriteTransaction& txn)>;
  // Creates the schema in an empty store or upgrades an older one in place, and runs `seed`, all
  // in one transaction: a kill at any point leaves the store as it was or fully initialised.
  // Concurrent Init()s of one store serialise; the later one finds it current. A store written
  // by a newer clusterscope is refused with kEnvironment and left byte for byte unchanged.
  virtual Status Init(const InitSeed& seed) = 0;
  Status Init() { return Init(nullptr); }
  // 0 for a store that was never initialised.
  virtual Result<int> SchemaVersion() = 0;

  // The stored record whose key columns equal those of `key_record`, or nullopt.
  virtual Result<std::optional<Record>> Get(Kind kind, const Record& key_record) = 0;
  // The stored records for `keys` (key records, as for Get), in the order of `keys`: nullopt
  // where a key is not stored. One call for many keys, so a store on a server makes one round trip.
  virtual Result<std::vector<std::optional<Record>>> GetMany(Kind kind, const std::vector<Record>& keys) = 0;
  // Calls `fn` for each record of `kind` in key order until it returns false.
  virtual Status Scan(Kind kind, const std::function<bool(const Record&)>& fn) = 0;
  // Calls `fn` for each record of `kind` whose column `column` (a KindDef::columns index) holds one
  // of `values`, ordered by that column's value, then by key, until it returns false. kUsage for
  // a column the kind does not have. The filter runs in the store (an index where there is one),
  // so a question about a few firms or one cluster does not read the whole table.
  virtual Status ScanWhere(Kind kind, int column, const std::vector<Value>& values,
                           const std::function<bool(const Record&)>& fn) = 0;
  // As Scan, but hands out views instead of records: several times faster for large tables.
  virtual Status ScanRows(Kind kind, const std::function<bool(const RowView&)>& fn) = 0;
  virtual Result<int64_t> Count(Kind kind) = 0;
  // The reports as columns, one year at a time in ascending year, for `columns` (integer columns
  // of reports other than the key; at most 64), from a snapshot of the stored rows (SQLite from
  // schema version 2). A write that changes reports or firms drops the snapshot in its own
  // transaction, so it is never stale; RefreshReportColumns builds it again. Only reports of registered firms are
  // included. Returns kAbsent, having called nothing, when the store keeps no snapshot or it holds another number of
  // firms than `firm_count`, and kDamaged when a stored blob fails its checksum or holds impossible firm positions
  // (in both cases the caller reads the rows with ScanRows; after kDamaged it may have been called for earlier
  // years, which it must discard). `fn` may move vectors out of the year it is given; those it leaves may be reused.
  //
  // The snapshot is a capability a store declares by implementing these two; one that keeps none
  // returns kAbsent and OK (the in-memory store).
  virtual Result<SnapshotScan> ScanReportColumns(const std::vector<std::string>& columns, int64_t firm_count,
                                                 const std::function<Status(ReportYearColumns&)>& fn) = 0;
  // Builds the columnar snapshot if the store keeps one and it is missing (after an import), in a
  // transaction of its own. A store that cannot write now (a read-only file, another process
  // writing) leaves it missing and returns OK: readers then read the rows, which is slower but the
  // same data.
  virtual Status RefreshReportColumns() = 0;
  virtual Result<std::vector<ImportLogEntry>> ImportLog() = 0;
  virtual Result<std::vector<HistoryEntry>> History(Kind kind) = 0;

  virtual Result<std::unique_ptr<WriteTransaction>> BeginWrite() = 0;

  // Changes with every committed write (see the contract above); starts at 0 in a new store.
  virtual Result<int64_t> Generation() = 0;

  // "sqlite:/path/to/file.db", "memory", … for messages.
  virtual std::string Location() const = 0;
};

struct OpenOptions {
  bool create = true;      // false: a missing database file is an error (for read-only commands)
  bool read_only = false;  // opened for reading only: nothing is written, not even the journal mode, so a
                           // database in a read-only directory (or on a read-only mount) can be read
};

// Opens a store by URL: a file path (SQLite), or postgresql://… / postgres://… (PostgreSQL, any
// connection URI libpq accepts; docs/storage.md).
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options = {});

// Init() plus the built-in reference data (regions, industries) added where missing.
Status InitDatabase(Store& store);

}  // namespace clusterscope
