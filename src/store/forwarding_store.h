// A Store that forwards every method to another one: the base of every wrapper (the
// fault-injecting store, test wrappers), so that a method added to Store is forwarded by all of
// them at once instead of silently falling back to a default in one. Override what changes.
#pragma once

#include <memory>

#include "clusterscope/store.h"

namespace clusterscope::store {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& base) : base_(&base) {}
  explicit ForwardingStore(std::unique_ptr<Store> owned) : owned_(std::move(owned)), base_(owned_.get()) {}

  Status Init(const InitSeed& seed) override { return base_->Init(seed); }
  Result<int> SchemaVersion() override { return base_->SchemaVersion(); }
  Result<std::optional<Record>> Get(Kind kind, const Record& key_record) override {
    return base_->Get(kind, key_record);
  }
  Result<std::vector<std::optional<Record>>> GetMany(Kind kind, const std::vector<Record>& keys) override {
    return base_->GetMany(kind, keys);
  }
  Status Scan(Kind kind, const std::function<bool(const Record&)>& fn) override { return base_->Scan(kind, fn); }
  Status ScanWhere(Kind kind, int column, const std::vector<Value>& values,
                   const std::function<bool(const Record&)>& fn) override {
    return base_->ScanWhere(kind, column, values, fn);
  }
  Status ScanRows(Kind kind, const std::function<bool(const RowView&)>& fn) override {
    return base_->ScanRows(kind, fn);
  }
  Status ScanRowsKept(Kind kind, const std::vector<int>& keep_columns, const std::function<bool(const RowView&)>& keep,
                      const std::function<bool(const RowView&, int64_t position)>& fn) override {
    return base_->ScanRowsKept(kind, keep_columns, keep, fn);
  }
  Status ScanRowsWhere(Kind kind, int column, const std::vector<Value>& values,
                       const std::function<bool(const RowView&)>& fn) override {
    return base_->ScanRowsWhere(kind, column, values, fn);
  }
  Status ScanReportsOf(const std::vector<std::string>& usccs, int first_year, int last_year,
                       const std::function<bool(const RowView&)>& fn) override {
    return base_->ScanReportsOf(usccs, first_year, last_year, fn);
  }
  Result<int64_t> Count(Kind kind) override { return base_->Count(kind); }
  Result<bool> HasRows(Kind kind) override { return base_->HasRows(kind); }
  using Store::ScanReportColumns;
  Result<SnapshotScan> ScanReportColumns(const ReportColumnsRequest& request,
                                         const std::function<Status(ReportYearColumns&)>& fn) override {
    return base_->ScanReportColumns(request, fn);
  }
  Result<SnapshotScan> ScanIndustryTotals(std::string_view measure, int year,
                                          const std::function<void(const IndustryTotal&)>& fn) override {
    return base_->ScanIndustryTotals(measure, year, fn);
  }
  Result<SnapshotScan> ScanZoneTotals(int year, const std::function<void(const ZoneTotals&)>& fn) override {
    return base_->ScanZoneTotals(year, fn);
  }
  Result<SnapshotScan> ScanFirmSites(const std::function<void(FirmSites&)>& fn) override {
    return base_->ScanFirmSites(fn);
  }
  Result<SnapshotScan> ScanRegisterColumns(const RegisterRead& what,
                                           const std::function<void(RegisterColumns&)>& fn) override {
    return base_->ScanRegisterColumns(what, fn);
  }
  Status RefreshReportColumns() override { return base_->RefreshReportColumns(); }
  Result<std::vector<int>> ReportYears() override { return base_->ReportYears(); }
  Result<std::vector<ImportLogEntry>> ImportLog() override { return base_->ImportLog(); }
  Result<std::vector<HistoryEntry>> History(Kind kind) override { return base_->History(kind); }
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override { return base_->BeginWrite(); }
  Result<int64_t> Generation() override { return base_->Generation(); }
  Status PutAccess(AccessTable table, const AccessRow& row) override { return base_->PutAccess(table, row); }
  Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) override {
    return base_->GetAccess(table, key);
  }
  Status ScanAccess(AccessTable table, const std::string& from_key,
                    const std::function<bool(const AccessRow&)>& fn) override {
    return base_->ScanAccess(table, from_key, fn);
  }
  Status DeleteAccess(AccessTable table, const std::string& key) override { return base_->DeleteAccess(table, key); }
  std::string Location() const override { return base_->Location(); }

 protected:
  Store& base() { return *base_; }

 private:
  std::unique_ptr<Store> owned_;
  Store* base_;
};

// The same for a transaction.
class ForwardingTransaction : public WriteTransaction {
 public:
  explicit ForwardingTransaction(std::unique_ptr<WriteTransaction> base) : base_(std::move(base)) {}
  Status Insert(Kind kind, const Record& record) override { return base_->Insert(kind, record); }
  Status Replace(Kind kind, const Record& record, const Record& previous, int64_t import_id) override {
    return base_->Replace(kind, record, previous, import_id);
  }
  Result<int64_t> LogImport(const ImportLogEntry& entry) override { return base_->LogImport(entry); }
  Status UpdateImportLog(const ImportLogEntry& entry) override { return base_->UpdateImportLog(entry); }
  Status CopyImportLogEntry(const ImportLogEntry& entry) override { return base_->CopyImportLogEntry(entry); }
  Status CopyHistoryEntry(const HistoryEntry& entry) override { return base_->CopyHistoryEntry(entry); }
  Status PutAccess(AccessTable table, const AccessRow& row) override { return base_->PutAccess(table, row); }
  Result<std::optional<AccessRow>> GetAccess(AccessTable table, const std::string& key) override {
    return base_->GetAccess(table, key);
  }
  Status Commit() override { return base_->Commit(); }

 private:
  std::unique_ptr<WriteTransaction> base_;
};

}  // namespace clusterscope::store
