// The demo data set, carried inside the binary. Until the indicator engine lands (issue 3), the
// demo is the example register of examples/: one zone, two clusters, their firms, institutions
// and two years of reports.
#pragma once

#include "clusterscope/importer.h"
#include "clusterscope/store.h"

namespace clusterscope {

// Imports the embedded demo files into `store` (initialising it first). A store that already
// holds exactly the demo is left as it is. A store holding other data is refused (kConflict)
// unless `force`, which replaces conflicting records (their old values kept in history).
Result<ImportOutcome> BuildDemo(Store& store, bool force);

}  // namespace clusterscope
