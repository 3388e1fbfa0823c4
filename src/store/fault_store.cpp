#include "store/fault_store.h"

namespace clusterscope::store {
namespace {

class FaultInjectingTransaction : public ForwardingTransaction {
 public:
  FaultInjectingTransaction(std::unique_ptr<WriteTransaction> base, FaultInjectingStore& owner)
      : ForwardingTransaction(std::move(base)), owner_(owner) {}

  Status Insert(Kind kind, const Record& record) override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::Insert(kind, record);
  }
  Status Replace(Kind kind, const Record& record, const Record& previous, int64_t import_id) override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::Replace(kind, record, previous, import_id);
  }
  Result<int64_t> LogImport(const ImportLogEntry& entry) override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::LogImport(entry);
  }
  Status UpdateImportLog(const ImportLogEntry& entry) override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::UpdateImportLog(entry);
  }
  Status CopyImportLogEntry(const ImportLogEntry& entry) override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::CopyImportLogEntry(entry);
  }
  Status CopyHistoryEntry(const HistoryEntry& entry) override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::CopyHistoryEntry(entry);
  }
  Status PutAccess(AccessTable table, const AccessRow& row) override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::PutAccess(table, row);
  }
  Status Commit() override {
    CS_RETURN_IF_ERROR(owner_.CountWrite());
    return ForwardingTransaction::Commit();
  }

 private:
  FaultInjectingStore& owner_;
};

}  // namespace

Status FaultInjectingStore::CountWrite() {
  int64_t n = writes_++;
  if (fail_from_ >= 0 && n >= fail_from_) return Status::Environment("simulated write error");
  return Status::Ok();
}

Result<std::unique_ptr<WriteTransaction>> FaultInjectingStore::BeginWrite() {
  CS_ASSIGN_OR_RETURN(auto base_txn, ForwardingStore::BeginWrite());
  return std::unique_ptr<WriteTransaction>(std::make_unique<FaultInjectingTransaction>(std::move(base_txn), *this));
}

}  // namespace clusterscope::store
