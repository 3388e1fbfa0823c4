// The workspace's reads for the server (workspace.h, "reads for the server"): point reads and the
// store's generation, so that src/server never touches the store.
#include "clusterscope/workspace.h"

namespace clusterscope {

Result<int64_t> Workspace::Generation() { return store_->Generation(); }

Result<std::optional<Record>> Workspace::Find(Kind kind, const std::vector<Value>& key) {
  return store_->Get(kind, KeyRecord(kind, key));
}

Result<std::vector<Record>> Workspace::FirmReports(const std::string& uscc) {
  std::vector<Record> rows;
  const int column = Describe(Kind::kReports).ColumnIndex("uscc");
  CS_RETURN_IF_ERROR(store_->ScanWhere(Kind::kReports, column, {Value(uscc)}, [&](const Record& r) {
    rows.push_back(r);
    return true;
  }));
  return rows;
}

Result<std::vector<Record>> Workspace::Memberships() {
  std::vector<Record> rows;
  CS_RETURN_IF_ERROR(store_->Scan(Kind::kMembers, [&](const Record& r) {
    rows.push_back(r);
    return true;
  }));
  return rows;
}

void Workspace::ShareData(std::shared_ptr<const Dataset> data, int64_t generation) {
  data_ = std::move(data);
  data_generation_ = generation;
  policy_ = LoadPolicy::kWhole;
  scoped_.clear();
}

}  // namespace clusterscope
