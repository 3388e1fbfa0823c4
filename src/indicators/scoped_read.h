// How a scoped load (LoadDataset(store, scope), indicators.h) reads its firms and their reports.
#pragma once

#include "clusterscope/indicators.h"

namespace clusterscope {

enum class ScopedRead {
  kAuto,     // by key for a few thousand firms, from the snapshot's columns for more
  kByKey,    // the firms and their reports by key (cheap for one cluster's firms)
  kColumns,  // one pass over the firm register, then only the scope's rows of the snapshot's
             // columns (cheap for many firms: all clusters' members); needs the snapshot
};

// LoadDataset(store, scope) read as `how` says (the same data set either way; tests compare them).
Result<std::shared_ptr<const Dataset>> LoadDataset(Store& store, const DataScope& scope, ScopedRead how,
                                                   const SitesRead& on_sites = {});

// Above this many memberships kAuto reads from the columns.
inline constexpr size_t kScopedByKeyFirms = 20000;

}  // namespace clusterscope
