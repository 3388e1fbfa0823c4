// The JSON shape of an evaluation (docs/evaluation.md, "Output").
#include "clusterscope/evaluation.h"

namespace clusterscope {
namespace {

nlohmann::ordered_json Opt(const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v) : nullptr; }

}  // namespace

nlohmann::ordered_json EvaluationToJson(const EvaluationResult& result) {
  nlohmann::ordered_json out;
  out["scheme"] = result.scheme_id;
  out["version"] = result.scheme_version;
  out["method"] = MethodId(result.method);
  out["year"] = result.year;
  if (result.method == EvaluationMethod::kWeighted) out["expert_scores_used"] = result.expert_scores_used;
  if (!result.weights.empty()) {
    nlohmann::ordered_json w = nlohmann::ordered_json::object();
    for (const auto& [id, weight] : result.weights) w[id] = weight;
    out["entropy_weights"] = w;
  }
  nlohmann::ordered_json clusters = nlohmann::ordered_json::array();
  for (const ClusterEvaluation& e : result.clusters) {
    nlohmann::ordered_json c;
    c["cluster_id"] = e.cluster_id;
    c["name"] = e.name;
    c["division"] = e.division;
    c["firm_count"] = e.firm_count;
    c["score"] = Opt(e.score);
    if (result.method == EvaluationMethod::kWeighted) {
      c["data_score"] = Opt(e.data_score);
      c["expert_score"] = Opt(e.expert_score);
      c["expert_used"] = e.expert_used;
      c["score_kind"] = e.score_kind.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.score_kind);
    }
    c["rated"] = e.rated;
    if (!e.rated) c["not_rated_reason"] = e.not_rated_reason;
    // No grade on a preliminary score: null, never a guess.
    c["grade"] = e.grade.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.grade);
    c["grade_zh"] = e.grade_zh.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.grade_zh);
    c["grade_en"] = e.grade_en.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.grade_en);
    if (e.stars) c["stars"] = *e.stars;
    c["rank"] = e.rank ? nlohmann::ordered_json(*e.rank) : nullptr;
    c["peers"] = e.peers;
    c["small"] = e.small;
    if (!e.peer_group.empty()) c["peer_group"] = e.peer_group;
    c["renormalised"] = e.renormalised;
    c["missing"] = e.missing;
    if (!e.thresholds.empty()) {
      nlohmann::ordered_json t = nlohmann::ordered_json::object();
      for (const auto& [k, v] : e.thresholds) t[k] = v;
      c["thresholds"] = t;
    }
    if (!e.dimensions.empty()) {
      nlohmann::ordered_json dims = nlohmann::ordered_json::array();
      for (const DimensionScore& d : e.dimensions) {
        dims.push_back({{"id", d.id},
                        {"zh", d.zh},
                        {"en", d.en},
                        {"score", Opt(d.score)},
                        {"weight", d.weight},
                        {"percentile", Opt(d.percentile)}});
      }
      c["dimensions"] = dims;
    }
    nlohmann::ordered_json inds = nlohmann::ordered_json::array();
    for (const IndicatorScore& i : e.indicators) {
      nlohmann::ordered_json j;
      j["id"] = i.id;
      if (!i.dimension.empty()) j["dimension"] = i.dimension;
      j["raw"] = Opt(i.raw);
      j["score"] = Opt(i.score);
      j["weight"] = i.weight;
      j["contribution"] = Opt(i.contribution);
      if (!i.missing_reason.empty()) j["reason"] = i.missing_reason;
      if (i.satisfactory) j["satisfactory"] = *i.satisfactory;
      if (i.unacceptable) j["unacceptable"] = *i.unacceptable;
      inds.push_back(std::move(j));
    }
    c["indicators"] = inds;
    c["reason_zh"] = e.reason_zh;
    c["reason_en"] = e.reason_en;
    clusters.push_back(std::move(c));
  }
  out["clusters"] = clusters;
  return out;
}

}  // namespace clusterscope
