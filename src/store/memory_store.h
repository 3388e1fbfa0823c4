// An in-memory Store for tests: same contract as SQLite, nothing on disk.
#pragma once

#include <memory>

#include "clusterscope/store.h"

namespace clusterscope::store {

std::unique_ptr<Store> NewMemoryStore();

}  // namespace clusterscope::store
