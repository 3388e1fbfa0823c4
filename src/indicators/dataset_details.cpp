// LoadRegisterDetails: the register fields diagnosis, evaluation, briefing, exports and place read
// besides the engine's, so that none of them goes back to the store once the data set is loaded.
// Kept apart from LoadDataset's scans: those carry the engine's hot path and its snapshot logic.
#include <algorithm>

#include "clusterscope/schema.h"
#include "indicators/dataset.h"

namespace clusterscope {

Status LoadRegisterDetails(Store& store, Dataset& data) {
  const KindDef& zdef = Describe(Kind::kZones);
  const int z_id = zdef.ColumnIndex("zone_id"), z_name_en = zdef.ColumnIndex("name_en");
  CS_RETURN_IF_ERROR(store.ScanRows(Kind::kZones, [&](const RowView& r) {
    auto it = data.zone_index.find(std::string(r.Text(z_id)));
    if (it != data.zone_index.end() && !r.IsNull(z_name_en)) {
      data.zones[static_cast<size_t>(it->second)].name_en = std::string(r.Text(z_name_en));
    }
    return true;
  }));

  const KindDef& cdef = Describe(Kind::kClusters);
  const int c_id = cdef.ColumnIndex("cluster_id"), c_name_en = cdef.ColumnIndex("name_en");
  CS_RETURN_IF_ERROR(store.ScanRows(Kind::kClusters, [&](const RowView& r) {
    auto it = data.cluster_index.find(std::string(r.Text(c_id)));
    if (it != data.cluster_index.end() && !r.IsNull(c_name_en)) {
      data.clusters[static_cast<size_t>(it->second)].name_en = std::string(r.Text(c_name_en));
    }
    return true;
  }));

  const KindDef& edef = Describe(Kind::kExpert);
  const int e_cluster = edef.ColumnIndex("cluster_id"), e_year = edef.ColumnIndex("year"),
            e_score = edef.ColumnIndex("score");
  CS_RETURN_IF_ERROR(store.Scan(Kind::kExpert, [&](const Record& r) {
    const auto* id = std::get_if<std::string>(&r[static_cast<size_t>(e_cluster)]);
    const auto* year = std::get_if<int64_t>(&r[static_cast<size_t>(e_year)]);
    if (id == nullptr || year == nullptr) return true;
    auto it = data.cluster_index.find(*id);
    if (it == data.cluster_index.end()) return true;
    const Value& v = r[static_cast<size_t>(e_score)];
    std::optional<double> score;
    if (const auto* d = std::get_if<double>(&v)) score = *d;
    if (const auto* n = std::get_if<int64_t>(&v)) score = static_cast<double>(*n);
    if (score)
      data.clusters[static_cast<size_t>(it->second)].expert_scores.emplace_back(static_cast<int>(*year), *score);
    return true;
  }));

  // Firms arrive in uscc order, as LoadDataset indexed them: a cursor walks alongside.
  const KindDef& fdef = Describe(Kind::kFirms);
  const int f_uscc = fdef.ColumnIndex("uscc"), f_name_en = fdef.ColumnIndex("name_en"),
            f_founded = fdef.ColumnIndex("founded"), f_lat = fdef.ColumnIndex("lat"), f_lon = fdef.ColumnIndex("lon");
  size_t cursor = 0;
  return store.ScanRows(Kind::kFirms, [&](const RowView& r) {
    const std::string_view uscc = r.Text(f_uscc);
    while (cursor < data.firms.size() && data.firms[cursor].uscc < uscc) ++cursor;
    if (cursor == data.firms.size() || data.firms[cursor].uscc != uscc) return true;
    FirmInfo& f = data.firms[cursor];
    if (!r.IsNull(f_name_en)) f.name_en = std::string(r.Text(f_name_en));
    if (!r.IsNull(f_founded)) f.founded = std::string(r.Text(f_founded));
    if (!r.IsNull(f_lat)) f.lat = r.Real(f_lat);
    if (!r.IsNull(f_lon)) f.lon = r.Real(f_lon);
    return true;
  });
}

}  // namespace clusterscope
