// A Store wrapper that makes writes fail on demand, as LevelDB's SpecialEnv does: tests use it
// to prove that a failed write leaves the store as it was.
#pragma once

#include <cstdint>
#include <memory>

#include "clusterscope/store.h"

namespace clusterscope::store {

class FaultInjectingStore : public Store {
 public:
  explicit FaultInjectingStore(std::unique_ptr<Store> base) : base_(std::move(base)) {}

  // The write operation numbered `n` (0-based, counting Insert, Replace, LogImport and Commit
  // across all transactions from now on) and every later one fail with
  // kEnvironment "simulated write error". Negative: never fail.
  void FailWritesFrom(int64_t n) {
    fail_from_ = n;
    writes_ = 0;
  }
  int64_t writes_seen() const { return writes_; }

  Status Init(const InitSeed& seed) override { return base_->Init(seed); }
  Result<int> SchemaVersion() override { return base_->SchemaVersion(); }
  Result<std::optional<Record>> Get(Kind kind, const Record& key_record) override {
    return base_->Get(kind, key_record);
  }
  Status Scan(Kind kind, const std::function<bool(const Record&)>& fn) override { return base_->Scan(kind, fn); }
  Status ScanRows(Kind kind, const std::function<bool(const RowView&)>& fn) override {
    return base_->ScanRows(kind, fn);
  }
  Result<int64_t> Count(Kind kind) override { return base_->Count(kind); }
  Result<SnapshotScan> ScanReportColumns(const std::vector<std::string>& columns, int64_t firm_count,
                                         const std::function<Status(ReportYearColumns&)>& fn) override {
    return base_->ScanReportColumns(columns, firm_count, fn);
  }
  Result<std::vector<ImportLogEntry>> ImportLog() override { return base_->ImportLog(); }
  Result<std::vector<HistoryEntry>> History(Kind kind) override { return base_->History(kind); }
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override;
  std::string Location() const override { return "fault-injecting(" + base_->Location() + ")"; }

  // Called by the transaction wrapper before each write; non-OK when this write must fail.
  Status CountWrite();

 private:
  std::unique_ptr<Store> base_;
  int64_t fail_from_ = -1;
  int64_t writes_ = 0;
};

}  // namespace clusterscope::store
