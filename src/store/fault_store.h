// A Store wrapper that makes writes fail on demand, as LevelDB's SpecialEnv does: tests use it
// to prove that a failed write leaves the store as it was.
#pragma once

#include <cstdint>
#include <memory>

#include "store/forwarding_store.h"

namespace clusterscope::store {

class FaultInjectingStore : public ForwardingStore {
 public:
  explicit FaultInjectingStore(std::unique_ptr<Store> base) : ForwardingStore(std::move(base)) {}

  // The write operation numbered `n` (0-based, counting Insert, Replace, LogImport, the Copy… writes, PutAccess and
  // Commit across all transactions from now on) and every later one fail with kEnvironment "simulated write error".
  // Negative: never fail.
  void FailWritesFrom(int64_t n) {
    fail_from_ = n;
    writes_ = 0;
  }
  int64_t writes_seen() const { return writes_; }

  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override;
  std::string Location() const override { return "fault-injecting(" + ForwardingStore::Location() + ")"; }

  // Called by the transaction wrapper before each write; non-OK when this write must fail.
  Status CountWrite();

 private:
  int64_t fail_from_ = -1;
  int64_t writes_ = 0;
};

}  // namespace clusterscope::store
