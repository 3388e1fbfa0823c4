// LoadExpertScores: the expert scores of the loaded clusters (evaluation.md), so that evaluation
// never goes back to the store once the data set is loaded.
#include <algorithm>

#include "clusterscope/schema.h"
#include "indicators/dataset.h"

namespace clusterscope {

Status LoadExpertScores(Store& store, Dataset& data) {
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

  return Status::Ok();
}

}  // namespace clusterscope
