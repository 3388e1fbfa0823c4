// The register of zones, clusters and firms, as the `list` command and the API read it.
#pragma once

#include <string>
#include <vector>

#include "clusterscope/schema.h"
#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope {

struct ListFilter {
  std::string zone_id;     // only records in this zone (clusters, firms)
  std::string cluster_id;  // only this cluster / its member firms in any year
};

// Zones, clusters or firms in key order, filtered. A filter naming a zone or cluster that does
// not exist is kNotFound (naming it), not an empty list: a typo must not look like "no data".
Result<std::vector<Record>> ListRecords(Store& store, Kind kind, const ListFilter& filter);

}  // namespace clusterscope
