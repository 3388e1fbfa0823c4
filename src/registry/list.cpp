#include <unordered_set>

#include "clusterscope/registry.h"

namespace clusterscope {
namespace {

Status RequireExists(Store& store, Kind kind, const std::string& id) {
  Record key(Describe(kind).columns.size());
  key[0] = id;
  CS_ASSIGN_OR_RETURN(auto found, store.Get(kind, key));
  if (!found)
    return Status::NotFound(std::string(kind == Kind::kZones ? "zone" : "cluster") + " \"" + id +
                            "\" is not in the database");
  return Status::Ok();
}

}  // namespace

Result<std::vector<Record>> ListRecords(Store& store, Kind kind, const ListFilter& filter) {
  if (kind != Kind::kZones && kind != Kind::kClusters && kind != Kind::kFirms) {
    return Status::Usage("list takes zones, clusters or firms");
  }
  if (!filter.zone_id.empty()) CS_RETURN_IF_ERROR(RequireExists(store, Kind::kZones, filter.zone_id));
  if (!filter.cluster_id.empty()) CS_RETURN_IF_ERROR(RequireExists(store, Kind::kClusters, filter.cluster_id));
  const KindDef& def = Describe(kind);

  std::unordered_set<std::string> cluster_firms;
  if (kind == Kind::kFirms && !filter.cluster_id.empty()) {
    CS_RETURN_IF_ERROR(store.Scan(Kind::kMembers, [&](const Record& m) {
      if (std::get<std::string>(m[0]) == filter.cluster_id) cluster_firms.insert(std::get<std::string>(m[1]));
      return true;
    }));
  }
  int zone_col = def.ColumnIndex("zone_id");
  std::vector<Record> out;
  CS_RETURN_IF_ERROR(store.Scan(kind, [&](const Record& r) {
    if (!filter.zone_id.empty() && kind != Kind::kZones) {
      const auto* z = std::get_if<std::string>(&r[static_cast<size_t>(zone_col)]);
      if (z == nullptr || *z != filter.zone_id) return true;
    }
    if (kind == Kind::kZones && !filter.zone_id.empty() && std::get<std::string>(r[0]) != filter.zone_id) return true;
    if (!filter.cluster_id.empty()) {
      if (kind == Kind::kFirms && !cluster_firms.contains(std::get<std::string>(r[0]))) return true;
      if (kind == Kind::kClusters && std::get<std::string>(r[0]) != filter.cluster_id) return true;
    }
    out.push_back(r);
    return true;
  }));
  return out;
}

}  // namespace clusterscope
