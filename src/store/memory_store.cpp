#include "store/memory_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "schema/record_json.h"
#include "store/store_helpers.h"

namespace clusterscope::store {
namespace {

using Table = std::map<std::string, Record>;

struct State {
  int version = 0;
  int64_t generation = 0;
  std::array<Table, std::size(kAllKinds)> tables;
  std::vector<ImportLogEntry> log;
  std::vector<HistoryEntry> history;
};

class MemoryStore;

// The access tables: outside State, as the data's transactions do not take them along unless asked
// (store.h: only a transaction's own PutAccess is rolled back with it).
using AccessTables = std::array<std::map<std::string, AccessRow>, std::size(kAllAccessTables)>;

struct RecordView : RowView {
  const Record* record = nullptr;
  bool IsNull(int c) const override { return clusterscope::IsNull((*record)[static_cast<size_t>(c)]); }
  int64_t Int(int c) const override {
    const auto* n = std::get_if<int64_t>(&(*record)[static_cast<size_t>(c)]);
    return n != nullptr ? *n : 0;
  }
  double Real(int c) const override {
    const Value& v = (*record)[static_cast<size_t>(c)];
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
    return 0;
  }
  std::string_view Text(int c) const override {
    const auto* t = std::get_if<std::string>(&(*record)[static_cast<size_t>(c)]);
    return t != nullptr ? std::string_view(*t) : std::string_view();
  }
};

std::optional<AccessRow> FindAccess(const AccessTables& tables, AccessTable table, const std::string& key) {
  const auto& t = tables[static_cast<size_t>(table)];
  auto it = t.find(key);
  if (it == t.end()) return std::nullopt;
  return it->second;
}

class MemoryTransaction : public WriteTransaction {
 public:
  MemoryTransaction(State& live, AccessTables& access, bool& open)
      : live_(live), access_(access), open_(open), snapshot_(live) {
    open_ = true;
  }
  ~MemoryTransaction() override {
    if (!committed_) {
      live_ = std::move(snapshot_);
      if (access_snapshot_) access_ = std::move(*access_snapshot_);
    }
    open_ = false;
  }
  MemoryTransaction(const MemoryTransaction&) = delete;
  MemoryTransaction& operator=(const MemoryTransaction&) = delete;

  Status Insert(Kind kind, const Record& record) override {
    wrote_ = true;
    const KindDef& def = Describe(kind);
    auto [it, inserted] = live_.tables[static_cast<size_t>(kind)].emplace(KeyOf(def, record), record);
    if (!inserted) return Status::Conflict(std::string(def.id) + ": key already stored: " + it->first);
    return Status::Ok();
  }
  Status Replace(Kind kind, const Record& record, const Record& previous, int64_t import_id) override {
    wrote_ = true;
    const KindDef& def = Describe(kind);
    std::string key = KeyOf(def, record);
    auto it = live_.tables[static_cast<size_t>(kind)].find(key);
    if (it == live_.tables[static_cast<size_t>(kind)].end()) {
      return Status::NotFound(std::string(def.id) + ": no stored record to replace: " + key);
    }
    live_.history.push_back({std::string(def.id), key, schema::RecordToStoredJson(def, previous), import_id,
                             live_.history.empty() ? 1 : live_.history.back().id + 1});
    it->second = record;
    return Status::Ok();
  }
  Result<int64_t> LogImport(const ImportLogEntry& entry) override {
    wrote_ = true;
    ImportLogEntry e = entry;
    e.id = live_.log.empty() ? 1 : live_.log.back().id + 1;  // past copied ids too
    live_.log.push_back(e);
    return e.id;
  }
  Status UpdateImportLog(const ImportLogEntry& entry) override {
    for (ImportLogEntry& e : live_.log) {
      if (e.id == entry.id) {
        e = entry;
        return Status::Ok();
      }
    }
    return Status::NotFound("memory store: no import log entry " + std::to_string(entry.id));
  }
  Status CopyImportLogEntry(const ImportLogEntry& entry) override {
    wrote_ = true;
    if (!live_.log.empty() && live_.log.back().id >= entry.id) {
      return Status::Conflict(fmt::format("memory store: import log entry {} is not past the last one", entry.id));
    }
    live_.log.push_back(entry);
    return Status::Ok();
  }
  Status CopyHistoryEntry(const HistoryEntry& entry) override {
    wrote_ = true;
    live_.history.push_back(entry);
    return Status::Ok();
  }
  Status PutAccess(AccessTable table, const AccessRow& row) override {
    CS_RETURN_IF_ERROR(CheckAccessRow(table, row));
    if (!access_snapshot_) access_snapshot_ = access_;  // restored on rollback; not wrote_ (not data)
    access_[static_cast<size_t>(table)][row[0]] = row;
    return Status::Ok();
  }
  Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) override {
    return FindAccess(access_, table, key);
  }
  Status Commit() override {
    if (wrote_) ++live_.generation;
    committed_ = true;
    return Status::Ok();
  }

 private:
  State& live_;
  AccessTables& access_;
  bool& open_;
  State snapshot_;                               // the state to restore on rollback; copying is fine at test sizes
  std::optional<AccessTables> access_snapshot_;  // taken at the first PutAccess
  bool committed_ = false;
  bool wrote_ = false;
};

class MemoryStore : public Store {
 public:
  Status Init(const InitSeed& seed) override {
    if (state_.version > kSchemaVersion)
      return Status::Environment("memory store: schema version is newer than this build");
    const int before = state_.version;
    state_.version = kSchemaVersion;
    if (!seed) return Status::Ok();
    auto txn = BeginWrite();
    Status s = txn.ok() ? seed(**txn) : txn.status();
    if (s.ok()) s = (*txn)->Commit();
    if (!s.ok()) state_.version = before;  // the transaction rolled the rows back
    return s;
  }
  Result<int> SchemaVersion() override { return state_.version; }
  Result<std::optional<Record>> Get(Kind kind, const Record& key_record) override {
    const Table& table = state_.tables[static_cast<size_t>(kind)];
    auto it = table.find(KeyOf(Describe(kind), key_record));
    if (it == table.end()) return std::optional<Record>();
    return std::optional<Record>(it->second);
  }
  Result<std::vector<std::optional<Record>>> GetMany(Kind kind, const std::vector<Record>& keys) override {
    return GetEachKey(*this, kind, keys);
  }
  Status Scan(Kind kind, const std::function<bool(const Record&)>& fn) override {
    for (const auto& [key, record] : state_.tables[static_cast<size_t>(kind)]) {
      if (!fn(record)) break;
    }
    return Status::Ok();
  }
  Status ScanWhere(Kind kind, int column, const std::vector<Value>& values,
                   const std::function<bool(const Record&)>& fn) override {
    const KindDef& def = Describe(kind);
    if (column < 0 || static_cast<size_t>(column) >= def.columns.size()) {
      return Status::Usage(std::string(def.id) + ": no column " + std::to_string(column));
    }
    const std::vector<Value> wanted = SortedDistinct(values);
    const auto c = static_cast<size_t>(column);
    std::vector<const Record*> hits;  // in key order, then stably by the column's value
    for (const auto& [key, record] : state_.tables[static_cast<size_t>(kind)]) {
      if (std::binary_search(wanted.begin(), wanted.end(), record[c])) hits.push_back(&record);
    }
    std::stable_sort(hits.begin(), hits.end(), [c](const Record* a, const Record* b) { return (*a)[c] < (*b)[c]; });
    for (const Record* r : hits) {
      if (!fn(*r)) break;
    }
    return Status::Ok();
  }
  Status ScanRows(Kind kind, const std::function<bool(const RowView&)>& fn) override {
    RecordView view;
    for (const auto& [key, record] : state_.tables[static_cast<size_t>(kind)]) {
      view.record = &record;
      if (!fn(view)) break;
    }
    return Status::Ok();
  }
  Status ScanRowsKept(Kind kind, const std::vector<int>& keep_columns, const std::function<bool(const RowView&)>& keep,
                      const std::function<bool(const RowView&, int64_t position)>& fn) override {
    return ScanRowsKeptByScan(*this, kind, keep_columns, keep, fn);
  }
  Status ScanRowsWhere(Kind kind, int column, const std::vector<Value>& values,
                       const std::function<bool(const RowView&)>& fn) override {
    RecordView view;
    return ScanWhere(kind, column, values, [&](const Record& r) {
      view.record = &r;
      return fn(view);
    });
  }
  Status ScanReportsOf(const std::vector<std::string>& usccs, int first_year, int last_year,
                       const std::function<bool(const RowView&)>& fn) override {
    std::vector<Value> keys(usccs.begin(), usccs.end());
    return ScanRowsWhere(Kind::kReports, 0, keys, [&](const RowView& r) {
      const int64_t year = r.Int(1);
      return year < first_year || year > last_year || fn(r);
    });
  }
  Result<int64_t> Count(Kind kind) override {
    return static_cast<int64_t>(state_.tables[static_cast<size_t>(kind)].size());
  }
  Result<bool> HasRows(Kind kind) override { return !state_.tables[static_cast<size_t>(kind)].empty(); }
  Result<std::vector<ImportLogEntry>> ImportLog() override { return state_.log; }
  Result<std::vector<HistoryEntry>> History(Kind kind) override {
    std::vector<HistoryEntry> out;
    for (const HistoryEntry& h : state_.history) {
      if (h.kind == KindId(kind)) out.push_back(h);
    }
    return out;
  }
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override {
    if (write_open_) return Status::Internal("memory store: a write transaction is already open");
    return std::unique_ptr<WriteTransaction>(std::make_unique<MemoryTransaction>(state_, access_, write_open_));
  }
  std::string Location() const override { return "memory"; }
  // No columnar snapshot: readers read the records.
  using Store::ScanReportColumns;
  Result<SnapshotScan> ScanReportColumns(const ReportColumnsRequest&,
                                         const std::function<Status(ReportYearColumns&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Result<SnapshotScan> ScanIndustryTotals(std::string_view, int,
                                          const std::function<void(const IndustryTotal&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Result<SnapshotScan> ScanZoneTotals(int, const std::function<void(const ZoneTotals&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Result<SnapshotScan> ScanFirmSites(const std::function<void(FirmSites&)>&) override { return SnapshotScan::kAbsent; }
  Result<SnapshotScan> ScanRegisterColumns(const RegisterRead&, const std::function<void(RegisterColumns&)>&) override {
    return SnapshotScan::kAbsent;
  }
  Status RefreshReportColumns() override { return Status::Ok(); }
  Result<std::vector<int>> ReportYears() override {
    std::set<std::string> firms;
    for (const auto& [key, record] : state_.tables[static_cast<size_t>(Kind::kFirms)]) {
      firms.insert(std::get<std::string>(record[0]));
    }
    std::set<int> years;
    for (const auto& [key, record] : state_.tables[static_cast<size_t>(Kind::kReports)]) {
      if (firms.contains(std::get<std::string>(record[0])))
        years.insert(static_cast<int>(std::get<int64_t>(record[1])));
    }
    return std::vector<int>(years.begin(), years.end());
  }
  Result<int64_t> Generation() override { return state_.generation; }

  Status PutAccess(AccessTable table, const AccessRow& row) override {
    CS_RETURN_IF_ERROR(CheckAccessRow(table, row));
    access_[static_cast<size_t>(table)][row[0]] = row;
    return Status::Ok();
  }
  Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) override {
    return FindAccess(access_, table, key);
  }
  Status ScanAccess(AccessTable table, const std::string& from_key,
                    const std::function<bool(const AccessRow&)>& fn) override {
    const auto& t = access_[static_cast<size_t>(table)];
    for (auto it = t.lower_bound(from_key); it != t.end(); ++it) {
      if (!fn(it->second)) break;
    }
    return Status::Ok();
  }
  Status DeleteAccess(AccessTable table, const std::string& key) override {
    access_[static_cast<size_t>(table)].erase(key);
    return Status::Ok();
  }

 private:
  State state_;
  // Outside State: a transaction takes them along only when it writes one (its PutAccess).
  AccessTables access_;
  bool write_open_ = false;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace clusterscope::store
