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

#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clusterscope/schema.h"
#include "clusterscope/status.h"

namespace clusterscope {

// The schema version this build writes. Stores at an older version are upgraded by Init();
// newer ones are refused.
inline constexpr int kSchemaVersion = 4;  // 3: store_meta (the generation); name_en of zones, clusters and firms
                                          // 4: the access tables (users, credentials, submissions, audit)

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

// A column of integers as 32-bit multiples of one scale: value[r] = narrow[r] × scale, except the
// rows whose narrow value is kWide, whose value is in `wide` (ascending by row). Money in fen
// imported from 千元 has a scale of 100,000, so almost every value fits.
struct ScaledColumn {
  static constexpr int32_t kWide = INT32_MIN;
  std::vector<int32_t> narrow;
  int64_t scale = 1;  // the largest of 100,000, 1,000, 100 and 1 that divides every value
  std::vector<std::pair<size_t, int64_t>> wide;
};

// One year of the reports, column by column, from a store's columnar snapshot (ScanReportColumns).
struct ReportYearColumns {
  int year = 0;
  // Each row's firm: its position among the firms in key (uscc) order. Ascending.
  std::vector<int32_t> firm;
  // Bit i set when the row has a value for the i-th requested column.
  std::vector<uint64_t> present;
  // values[i][row]: the i-th requested column, 0 where the row has no value; or, when the
  // request asked for `scaled` columns, scaled[i] instead (values then empty).
  std::vector<std::vector<int64_t>> values;
  std::vector<ScaledColumn> scaled;
};

// Which part of the snapshot ScanReportColumns reads.
struct ReportColumnsRequest {
  std::vector<std::string> columns;
  // The caller's count of firms, which the snapshot must match: positions index the firms in
  // uscc order, so a snapshot of another set of firms would put rows on the wrong firms.
  int64_t firm_count = 0;
  int first_year = 0;  // years outside [first_year, last_year] are skipped; 0 = unbounded
  int last_year = 0;
  // Hand the columns out as ScaledColumn (4 bytes a value, the engine's own form) instead of
  // int64: a store that keeps them so decodes straight into it.
  bool scaled = false;
  // Only the reports of these firms (positions among the firms in uscc order, ascending): each
  // year then holds just their rows, as if the other firms had filed none (a scaled column's
  // scale then divides the values handed out, though it may not be the largest that does).
  // nullptr: every report. The whole snapshot is still
  // checked as an unrestricted read checks it.
  const std::vector<int32_t>* firms = nullptr;
};

// One zone's entry of ScanZoneTotals.
struct ZoneTotals {
  std::string_view zone;
  int64_t reports = 0;  // reports that year of the firms registered to the zone
  // Per column (`columns`: reports column ids, all integer columns but the key), Σ over those
  // reports that have it (INT64_MIN when the sum would leave int64) and how many have it.
  const std::vector<std::string>* columns = nullptr;
  std::vector<int64_t> sums;
  std::vector<int64_t> counts;
};

// One entry of ScanIndustryTotals.
struct IndustryTotal {
  int province = 0;
  std::string_view industry;
  int64_t total = 0;
};

// Every registered firm's industry and coordinates, by position (firms in uscc order): the sites
// of a localisation test (ScanFirmSites).
struct FirmSites {
  std::vector<int32_t> industry;  // index into `industries`
  std::vector<std::string> industries;
  std::vector<double> lat, lon;  // NaN: no coordinates
  size_t size() const { return industry.size(); }
};

// The register as the snapshot keeps it (ScanRegisterColumns), so a question about many clusters
// reads neither the firms nor the members table row by row: every firm's register fields by
// position (firms in uscc order; its industry and coordinates are FirmSites) and every membership
// in key order (cluster, uscc, from_year) with its firm's position.
struct RegisterColumns {
  // Strings by row in one buffer: row i is bytes[end[i - 1], end[i]), null where null[i].
  struct Texts {
    std::string bytes;
    std::vector<uint32_t> end;
    std::vector<uint8_t> null;
    size_t size() const { return end.size(); }
    bool IsNull(size_t i) const { return null[i] != 0; }
    std::string_view At(size_t i) const {
      const uint32_t from = i == 0 ? 0 : end[i - 1];
      return std::string_view(bytes).substr(from, end[i] - from);
    }
  };
  // By firm position (filled only when the firms are asked for).
  Texts uscc, name, name_en, founded, zone_id;
  std::vector<int32_t> region;     // region_code's leading digits as a number
  std::vector<int32_t> cert_year;  // high_tech_cert_year, 0: none
  std::vector<int8_t> listed;      // -1 unknown, 0 no, 1 yes
  size_t firms() const { return uscc.size(); }
  int64_t firm_count = 0;  // the firms the positions count (also when the firms were not asked for)
  // By membership, in key order.
  Texts member_cluster;
  std::vector<int32_t> member_firm;  // the firm's position, -1: a firm not registered
  std::vector<int32_t> from_year;
  std::vector<int32_t> to_year;   // INT32_MAX: still a member
  std::vector<uint8_t> backbone;  // role "backbone"
  size_t members() const { return member_cluster.size(); }
};

// What ScanRegisterColumns reads: the memberships, the firms' fields, or both. With `keep` (one
// byte a firm position, nonzero: kept) the firms' text fields are read only for the firms kept
// and the others read as null, so a question about every cluster's members (a third of the
// register) does not hold every firm's names; the other fields are read for every firm.
struct RegisterRead {
  bool members = true;
  bool firms = false;
  std::span<const uint8_t> keep;  // empty: every firm
};

// What ScanReportColumns found.
enum class SnapshotScan {
  kRead,     // every year was handed to the callback
  kAbsent,   // the store keeps no snapshot, or not of these firms: read the rows
  kDamaged,  // a snapshot is there but fails its checks (checksum, positions): read the rows, warn,
             // and `clusterscope init` rebuilds it
};

// The access tables (schema version 4) beside the data: who may use the server and what they did.
// Every column is text and the first is the key, so both SQL dialects store them alike and a store
// needs four small methods, not one per use; src/users/ gives the columns their meaning.
enum class AccessTable { kUsers, kCredentials, kSubmissions, kAudit };
inline constexpr AccessTable kAllAccessTables[] = {AccessTable::kUsers, AccessTable::kCredentials,
                                                   AccessTable::kSubmissions, AccessTable::kAudit};
// The table's SQL name ("users", "credentials", "submissions", "audit_log").
std::string_view AccessTableId(AccessTable table);
// Its column ids, key first.
std::span<const std::string_view> AccessColumns(AccessTable table);
// One row: a value per AccessColumns() entry, in that order.
using AccessRow = std::vector<std::string>;

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
  // The access tables inside this transaction (Store::PutAccess and GetAccess, as they are outside
  // one): a row put here is committed with the data or rolled back with it, and GetAccess sees what
  // this transaction put. What accepting a firm's submission needs: its reports and its new status
  // in one commit. An access row alone does not move Generation() (users are not data).
  virtual Status PutAccess(AccessTable table, const AccessRow& row) = 0;
  virtual Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) = 0;
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
  // As ScanRows, for a pass that wants some rows of a large table and where each lies among all
  // of them: `keep` sees every row in key order, with only the columns `keep_columns` (KindDef
  // indexes) readable, and `fn` gets the rows it keeps, whole, each with its position among all
  // the rows (0, 1, …: a firm's index in the register), until `fn` returns false. A store may
  // skip reading the other columns of the rows not kept (SQLite tests `keep` inside the query:
  // a pass keeping a third of a million firms costs a third of reading them all). kUsage for a
  // column the kind does not have.
  virtual Status ScanRowsKept(Kind kind, const std::vector<int>& keep_columns,
                              const std::function<bool(const RowView&)>& keep,
                              const std::function<bool(const RowView&, int64_t position)>& fn) = 0;
  // As ScanWhere, handing out views (a question about one zone reads its firms so).
  virtual Status ScanRowsWhere(Kind kind, int column, const std::vector<Value>& values,
                               const std::function<bool(const RowView&)>& fn) = 0;
  // The reports of the firms `usccs` in the years [first_year, last_year], as views, in (uscc,
  // year) order, until `fn` returns false: what a question about one cluster reads (the key
  // finds them; nothing else is read).
  virtual Status ScanReportsOf(const std::vector<std::string>& usccs, int first_year, int last_year,
                               const std::function<bool(const RowView&)>& fn) = 0;
  virtual Result<int64_t> Count(Kind kind) = 0;
  // Whether `kind` holds any row: what an import asks of a table before its first lookup, without
  // counting (a count of 9 million reports reads their whole index).
  virtual Result<bool> HasRows(Kind kind) = 0;
  // The reports as columns, one year at a time in ascending year, from a snapshot of the stored
  // rows kept by the store (SQLite from schema version 2): `request` says which columns (integer
  // columns of reports other than the key; at most 64), which years and which firms. Only reports
  // of registered firms are included. Every write transaction that changes reports or firms brings
  // the snapshot up to date in that same transaction (only the years it touched are rewritten), so
  // the snapshot is never stale and a reader never writes. Returns kAbsent, having called nothing,
  // when the store keeps no snapshot or (whole-store requests) it holds another number of firms
  // than `request.firm_count`, and kDamaged when a stored blob fails its checksum or holds
  // impossible firm positions (in both cases the caller reads the rows; after kDamaged `fn` may
  // have been called for earlier years, whose data the caller must discard). `fn` may move
  // vectors out of the year it is given; those it leaves may be reused.
  //
  // The snapshot is a capability a store declares by implementing these; one that keeps none
  // returns kAbsent and OK (the in-memory store).
  virtual Result<SnapshotScan> ScanReportColumns(const ReportColumnsRequest& request,
                                                 const std::function<Status(ReportYearColumns&)>& fn) = 0;
  // The whole store's columns (the form the full dataset load uses).
  Result<SnapshotScan> ScanReportColumns(const std::vector<std::string>& columns, int64_t firm_count,
                                         const std::function<Status(ReportYearColumns&)>& fn) {
    return ScanReportColumns(ReportColumnsRequest{.columns = columns, .firm_count = firm_count}, fn);
  }
  // Σ `measure` ("employees", "gross_output" or "value_added") in `year` over the reports of
  // registered firms that have a value, by province (the first two digits of the firm's region
  // code, as a number) and industry class, kept with the snapshot so a question about one cluster
  // need not read every report to compare its industries with the nation's (location quotients).
  // An industry appears only where some firm reported the measure; a total that would leave int64
  // is INT64_MIN. kAbsent when the store keeps no snapshot (the caller then loads every report).
  virtual Result<SnapshotScan> ScanIndustryTotals(std::string_view measure, int year,
                                                  const std::function<void(const IndustryTotal&)>& fn) = 0;
  // Each zone's totals in `year` (ZoneTotals), kept with the snapshot: what a question about a
  // cluster compares with its zone, without reading the zone's firms. kAbsent as above.
  virtual Result<SnapshotScan> ScanZoneTotals(int year, const std::function<void(const ZoneTotals&)>& fn) = 0;
  // Every firm's industry and coordinates (FirmSites), kept with the snapshot so a localisation
  // test need not pass over the register; `fn` may take the vectors. kAbsent as above (also for a
  // snapshot written before they were kept).
  virtual Result<SnapshotScan> ScanFirmSites(const std::function<void(FirmSites&)>& fn) = 0;
  // The memberships and the firms' register fields (RegisterColumns), as `what` asks, kept with
  // the snapshot so a question about many clusters need not pass over the firms and members
  // tables; `fn` may take the vectors. kAbsent as above (also for a snapshot written before they
  // were kept).
  virtual Result<SnapshotScan> ScanRegisterColumns(const RegisterRead& what,
                                                   const std::function<void(RegisterColumns&)>& fn) = 0;
  // Builds the snapshot if the store keeps one and it is missing or damaged, in a transaction of
  // its own (what `clusterscope init` does for a database written by an older build). A store that
  // cannot write now (a read-only file, another process writing) leaves it and returns OK: readers
  // then read the rows, which is slower but the same data.
  virtual Status RefreshReportColumns() = 0;
  // The years with reports of registered firms, ascending (a question without a year is about
  // the latest): from the snapshot where the store keeps one.
  virtual Result<std::vector<int>> ReportYears() = 0;
  virtual Result<std::vector<ImportLogEntry>> ImportLog() = 0;
  virtual Result<std::vector<HistoryEntry>> History(Kind kind) = 0;

  virtual Result<std::unique_ptr<WriteTransaction>> BeginWrite() = 0;

  // The access tables. Each call is a transaction of its own (not to be made while a
  // WriteTransaction is open on this store: the transaction has PutAccess and GetAccess for that)
  // and does not move Generation(): users and sessions are not data, and a login must not make
  // every reader reload the data set. kInvalidInput for a row with another
  // number of columns than AccessColumns(table); kEnvironment on a read-only store.
  //
  // Inserts `row` or overwrites the stored row with the same key (row[0]).
  virtual Status PutAccess(AccessTable table, const AccessRow& row) = 0;
  // The row whose key is `key`, or nullopt.
  virtual Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) = 0;
  // Calls `fn` for each row whose key is ≥ `from_key` (bytewise), in key order, until it returns false.
  virtual Status ScanAccess(AccessTable table, const std::string& from_key,
                            const std::function<bool(const AccessRow&)>& fn) = 0;
  // Removes the row whose key is `key`; OK when there is none.
  virtual Status DeleteAccess(AccessTable table, const std::string& key) = 0;

  // Changes with every committed write (see the contract above); starts at 0 in a new store.
  virtual Result<int64_t> Generation() = 0;

  // "sqlite:/path/to/file.db", "memory", … for messages.
  virtual std::string Location() const = 0;
};

struct OpenOptions {
  bool create = true;      // false: a missing database file is an error (for read-only commands)
  bool read_only = false;  // opened for reading only: nothing is written, not even the journal mode, so a
                           // database in a read-only directory (or on a read-only mount) can be read
  // How long taking the write lock (BeginWrite, Init) waits for another writer, an import or init
  // of another process, before failing with db.busy: a command queues behind an import, the server
  // answers sooner (SQLite; a PostgreSQL store waits on its advisory lock as the server's
  // lock_timeout says).
  int write_wait_ms = 10 * 60'000;
};

// Opens a store by URL: a file path (SQLite), or postgresql://… / postgres://… (PostgreSQL, any
// connection URI libpq accepts; docs/storage.md).
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options = {});

// `url` as a message or a log may show it: a PostgreSQL URL with its password (in the userinfo or a
// password= parameter) replaced by "***"; a file path as given. Every message that names a database
// by its URL goes through this.
std::string RedactedUrl(std::string_view url);

// Init() plus the built-in reference data (regions, industries) added where missing.
// `reference_rows_added`, if given, gets how many such rows this call wrote: none when a
// concurrent init got there first.
Status InitDatabase(Store& store, int64_t* reference_rows_added = nullptr);

}  // namespace clusterscope
