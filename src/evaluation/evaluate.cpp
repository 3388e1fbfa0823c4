// The five methods over one year's matrix (docs/evaluation.md gives the formulas).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "clusterscope/evaluation.h"
#include "clusterscope/stats.h"

namespace clusterscope {
namespace {

// Scores closer than this are equal: they share a rank, and a score this close below a cut-off
// still earns the grade (so 85 reached through floating-point arithmetic is 85).
constexpr double kScoreTolerance = 1e-9;

std::string Label(const std::string& id) {
  if (const IndicatorInfo* info = FindIndicator(id)) return std::string(info->en);
  return id;
}
std::string LabelZh(const std::string& id) {
  if (const IndicatorInfo* info = FindIndicator(id)) return std::string(info->zh);
  static const std::map<std::string, std::string> kZh = {
      {"institutions_innovation_service", "创新服务机构数"},
      {"institutions_rd", "研发机构数"},
      {"institutions_finance", "金融服务机构数"},
      {"institutions_other", "其他服务机构数"},
      {"institutions_total", "服务机构总数"},
      {"institutions_national", "国家级服务机构数"},
      {"zone_employment_share", "占园区从业人员比重"},
  };
  auto it = kZh.find(id);
  return it == kZh.end() ? id : it->second;
}

std::optional<double> ValueOf(const EvaluationSubject& s, const std::string& id) {
  auto it = s.values.find(id);
  if (it == s.values.end() || !std::isfinite(it->second)) return std::nullopt;
  return it->second;
}

std::string MissingReason(const EvaluationSubject& s, const std::string& id) {
  auto it = s.missing_reasons.find(id);
  return it == s.missing_reasons.end() ? "not_reported" : it->second;
}

// Which subjects form the peer set: those with at least min_firms firms (all when none has).
std::vector<bool> PeerMask(const Scheme& scheme, const EvaluationInput& input) {
  std::vector<bool> peer(input.subjects.size());
  bool any = false;
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    peer[i] = input.subjects[i].firm_count >= scheme.min_firms;
    any = any || peer[i];
  }
  if (!any) std::fill(peer.begin(), peer.end(), true);
  return peer;
}

// Competition ranking ("1, 2, 2, 4") of `score` (higher is better) over the indices in `who`.
void AssignRanks(std::vector<ClusterEvaluation>& out, const std::vector<size_t>& who) {
  std::vector<size_t> order = who;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return *out[a].score > *out[b].score; });
  for (size_t k = 0; k < order.size(); ++k) {
    ClusterEvaluation& e = out[order[k]];
    if (k > 0 && std::fabs(*out[order[k - 1]].score - *e.score) <= kScoreTolerance) {
      e.rank = out[order[k - 1]].rank;
    } else {
      e.rank = static_cast<int>(k) + 1;
    }
    e.peers = static_cast<int>(order.size());
  }
}

// Ranks the ranked clusters (not small, with a score) among all of them.
void RankAll(std::vector<ClusterEvaluation>& out) {
  std::vector<size_t> who;
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].small && out[i].score) who.push_back(i);
  }
  AssignRanks(out, who);
}

std::string Percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }

// The small-cluster / missing-indicator tail of a reason, in both languages.
void AppendNotes(const Scheme& scheme, ClusterEvaluation& e) {
  if (e.small) {
    e.reason_zh += fmt::format("；企业数{}家，少于{}家，不参与排名", e.firm_count, scheme.min_firms);
    e.reason_en += fmt::format("; {} firms, fewer than {}: not ranked", e.firm_count, scheme.min_firms);
  }
  if (!e.missing.empty()) {
    std::string zh, en;
    for (const std::string& id : e.missing) {
      zh += (zh.empty() ? "" : "、") + LabelZh(id);
      en += (en.empty() ? "" : ", ") + Label(id);
    }
    if (e.renormalised) {
      e.reason_zh += fmt::format("；缺少{}，权重已在其余指标间重新分配", zh);
      e.reason_en += fmt::format("; missing {}: weights renormalised among the rest", en);
    } else {
      e.reason_zh += fmt::format("；缺少{}", zh);
      e.reason_en += fmt::format("; missing {}", en);
    }
  }
}

// A cluster the method could not score: no grade, and why.
void MarkNotRated(const Scheme& scheme, ClusterEvaluation& e, std::string_view reason_zh, std::string_view reason_en) {
  e.grade = "none";
  e.grade_zh = "无法评价";
  e.grade_en = "not rated";
  e.reason_zh = reason_zh;
  e.reason_en = reason_en;
  AppendNotes(scheme, e);
}

ClusterEvaluation Base(const EvaluationSubject& s, bool peer) {
  ClusterEvaluation e;
  e.cluster_id = s.cluster_id;
  e.name = s.name;
  e.division = s.division;
  e.firm_count = s.firm_count;
  e.small = !peer;
  return e;
}

// ---------------------------------------------------------------- weighted (annual)

Result<EvaluationResult> EvaluateWeighted(const Scheme& scheme, const EvaluationInput& input, EvaluationResult r) {
  const auto peer = PeerMask(scheme, input);
  // Reference values per indicator: the peers that have it.
  std::map<std::string, std::vector<double>> ref;
  for (const SchemeDimension& d : scheme.dimensions) {
    for (const SchemeIndicator& ind : d.indicators) {
      auto& v = ref[ind.id];
      for (size_t i = 0; i < input.subjects.size(); ++i) {
        if (!peer[i]) continue;
        if (auto x = ValueOf(input.subjects[i], ind.id)) v.push_back(*x);
      }
    }
  }
  auto normalise = [&](const SchemeIndicator& ind, double x) -> std::optional<double> {
    const std::vector<double>& v = ref[ind.id];
    if (v.empty()) return std::nullopt;
    double s = 0.0;
    if (scheme.normalisation == Normalisation::kPercentile) {
      s = *PercentileRank(v, x);
      if (ind.direction == Direction::kCost) s = 1.0 - s;
    } else {
      auto [lo, hi] = std::minmax_element(v.begin(), v.end());
      if (*hi == *lo) return 50.0;  // the indicator does not separate the clusters: neutral
      s = ind.direction == Direction::kBenefit ? (x - *lo) / (*hi - *lo) : (*hi - x) / (*hi - *lo);
    }
    return std::clamp(s, 0.0, 1.0) * 100.0;
  };

  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    ClusterEvaluation e = Base(s, peer[i]);
    double dim_weight_present = 0.0;
    std::vector<double> ind_weight_present(scheme.dimensions.size(), 0.0);
    std::vector<std::vector<std::optional<double>>> scores(scheme.dimensions.size());
    for (size_t d = 0; d < scheme.dimensions.size(); ++d) {
      for (const SchemeIndicator& ind : scheme.dimensions[d].indicators) {
        std::optional<double> sc;
        if (auto x = ValueOf(s, ind.id)) sc = normalise(ind, *x);
        scores[d].push_back(sc);
        if (sc) {
          ind_weight_present[d] += ind.weight;
        } else {
          e.missing.push_back(ind.id);
        }
      }
      if (ind_weight_present[d] > 0.0) dim_weight_present += scheme.dimensions[d].weight;
    }
    e.renormalised = !e.missing.empty();
    double data = 0.0;
    for (size_t d = 0; d < scheme.dimensions.size(); ++d) {
      const SchemeDimension& dim = scheme.dimensions[d];
      DimensionScore ds{dim.id, dim.zh, dim.en, std::nullopt, 0.0, std::nullopt};
      double dim_score = 0.0;
      if (ind_weight_present[d] > 0.0) ds.weight = dim.weight / dim_weight_present;
      for (size_t k = 0; k < dim.indicators.size(); ++k) {
        const SchemeIndicator& ind = dim.indicators[k];
        IndicatorScore is;
        is.id = ind.id;
        is.dimension = dim.id;
        is.raw = ValueOf(s, ind.id);
        is.score = scores[d][k];
        if (!is.raw) is.missing_reason = MissingReason(s, ind.id);
        if (is.score) {
          double within = ind.weight / ind_weight_present[d];
          is.weight = ds.weight * within;
          is.contribution = is.weight * *is.score;
          dim_score += within * *is.score;
          data += *is.contribution;
        }
        e.indicators.push_back(std::move(is));
      }
      if (ind_weight_present[d] > 0.0) ds.score = dim_score;
      e.dimensions.push_back(std::move(ds));
    }
    if (dim_weight_present > 0.0) {
      e.data_score = data;
      if (s.expert_score) {
        e.expert_score = s.expert_score;
        e.expert_used = true;
        r.expert_scores_used = true;
        e.score = data * scheme.data_weight + *s.expert_score * scheme.expert_weight;
      } else {
        e.score = data;
      }
    }
    r.clusters.push_back(std::move(e));
  }
  RankAll(r.clusters);

  // Dimension percentiles among the ranked clusters, then grades and reasons.
  for (size_t d = 0; d < scheme.dimensions.size(); ++d) {
    std::vector<double> v;
    for (const ClusterEvaluation& e : r.clusters) {
      if (e.rank && e.dimensions[d].score) v.push_back(*e.dimensions[d].score);
    }
    for (ClusterEvaluation& e : r.clusters) {
      if (e.dimensions[d].score) e.dimensions[d].percentile = PercentileRank(v, *e.dimensions[d].score);
    }
  }
  for (ClusterEvaluation& e : r.clusters) {
    if (!e.score) {
      MarkNotRated(scheme, e, "无法评价：方案的指标均无数据", "not rated: none of the scheme's indicators has data");
      continue;
    }
    // The grade, and how far the score is from the next one up (grades run from the highest down).
    const GradeRule* next_up = nullptr;
    for (const GradeRule& g : scheme.grades) {
      if (*e.score + kScoreTolerance >= g.min_score) {
        e.grade = g.id;
        e.grade_zh = g.zh;
        e.grade_en = g.en;
        break;
      }
      next_up = &g;
    }
    std::string score_zh;
    std::string score_en;
    if (next_up != nullptr) {
      const double gap = next_up->min_score - *e.score;
      score_zh = fmt::format("得分{:.1f}，距{}线{:g}分差{:.1f}分", *e.score, next_up->zh, next_up->min_score, gap);
      score_en = fmt::format("score {:.1f}, {:.1f} short of {} ({:g})", *e.score, gap, next_up->en, next_up->min_score);
    } else {
      score_zh = fmt::format("得分{:.1f}", *e.score);
      score_en = fmt::format("score {:.1f}", *e.score);
    }
    std::string low_zh, low_en, high_zh, high_en;
    for (const DimensionScore& ds : e.dimensions) {
      if (!ds.percentile) continue;
      if (*ds.percentile < 0.25) {
        low_zh += (low_zh.empty() ? "" : "、") + ds.zh;
        low_en += (low_en.empty() ? "" : ", ") + ds.en;
      } else if (*ds.percentile >= 0.75) {
        high_zh += (high_zh.empty() ? "" : "、") + ds.zh;
        high_en += (high_en.empty() ? "" : ", ") + ds.en;
      }
    }
    std::string why_zh;
    std::string why_en;
    if (!low_zh.empty()) {
      why_zh += "；短板：" + low_zh + "处于后四分之一";
      why_en += "; weak: " + low_en + " in the bottom quarter";
    }
    if (!high_zh.empty()) {
      why_zh += "；优势：" + high_zh + "处于前四分之一";
      why_en += "; strong: " + high_en + " in the top quarter";
    }
    if (why_zh.empty()) {
      why_zh = "；各维度均处于中间水平";
      why_en = "; every dimension in the middle half";
    }
    e.reason_zh = fmt::format("评为{}：{}{}", e.grade_zh, score_zh, why_zh);
    e.reason_en = fmt::format("rated {} ({}): {}{}", e.grade_zh, e.grade_en, score_en, why_en);
    if (scheme.expert_weight > 0.0 && !e.expert_used) {
      e.reason_zh += "；无专家评分，仅数据得分";
      e.reason_en += "; no expert score: data score only";
    }
    AppendNotes(scheme, e);
  }
  return r;
}

// ---------------------------------------------------------------- entropy-topsis

Result<EvaluationResult> EvaluateEntropyTopsis(const Scheme& scheme, const EvaluationInput& input, EvaluationResult r) {
  const auto peer = PeerMask(scheme, input);
  std::vector<std::pair<const SchemeIndicator*, std::string>> inds;  // indicator, dimension id
  for (const SchemeDimension& d : scheme.dimensions) {
    for (const SchemeIndicator& ind : d.indicators) inds.emplace_back(&ind, d.id);
  }
  const size_t m = inds.size();
  const size_t n = input.subjects.size();
  // Min-max standardisation against the peers: x' in [0, 1], 1 = best.
  std::vector<double> lo(m), hi(m), best(m, 0.0), worst(m, 0.0);
  std::vector<bool> usable(m, false);
  std::vector<std::vector<std::optional<double>>> xs(n, std::vector<std::optional<double>>(m));
  for (size_t j = 0; j < m; ++j) {
    std::vector<double> v;
    for (size_t i = 0; i < n; ++i) {
      if (!peer[i]) continue;
      if (auto x = ValueOf(input.subjects[i], inds[j].first->id)) v.push_back(*x);
    }
    if (v.empty()) continue;
    usable[j] = true;
    lo[j] = *std::min_element(v.begin(), v.end());
    hi[j] = *std::max_element(v.begin(), v.end());
    for (size_t i = 0; i < n; ++i) {
      auto x = ValueOf(input.subjects[i], inds[j].first->id);
      if (!x) continue;
      double s = 1.0;  // no spread among the peers: every cluster is at the ideal
      if (hi[j] > lo[j]) {
        s = inds[j].first->direction == Direction::kBenefit ? (*x - lo[j]) / (hi[j] - lo[j])
                                                            : (hi[j] - *x) / (hi[j] - lo[j]);
      }
      xs[i][j] = std::clamp(s, 0.0, 1.0);
    }
  }
  // Entropy weights over the peers: p = x'/Σx', e = −Σ p ln p / ln k, d = 1 − e, w = d / Σd.
  std::vector<double> dvals(m, 0.0);
  for (size_t j = 0; j < m; ++j) {
    std::vector<double> col;
    for (size_t i = 0; i < n; ++i) {
      if (peer[i] && xs[i][j]) col.push_back(*xs[i][j]);
    }
    double sum = 0.0;
    for (double x : col) sum += x;
    if (col.size() < 2 || sum <= 0.0) continue;  // no information: e = 1
    double h = 0.0;
    for (double x : col) {
      double p = x / sum;
      if (p > 0.0) h -= p * std::log(p);
    }
    double e = h / std::log(static_cast<double>(col.size()));
    dvals[j] = std::max(0.0, 1.0 - e);
  }
  double dsum = 0.0;
  for (double d : dvals) dsum += d;
  std::vector<double> w(m, 0.0);
  size_t usable_count = static_cast<size_t>(std::count(usable.begin(), usable.end(), true));
  for (size_t j = 0; j < m; ++j) {
    if (!usable[j]) continue;
    w[j] = dsum > 0.0 ? dvals[j] / dsum : 1.0 / static_cast<double>(usable_count);
    r.weights[inds[j].first->id] = w[j];
  }
  // Ideal and anti-ideal per indicator: the best and worst x' among the peers.
  for (size_t j = 0; j < m; ++j) {
    bool first = true;
    for (size_t i = 0; i < n; ++i) {
      if (!peer[i] || !xs[i][j]) continue;
      best[j] = first ? *xs[i][j] : std::max(best[j], *xs[i][j]);
      worst[j] = first ? *xs[i][j] : std::min(worst[j], *xs[i][j]);
      first = false;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const EvaluationSubject& s = input.subjects[i];
    ClusterEvaluation e = Base(s, peer[i]);
    double wsum = 0.0;
    for (size_t j = 0; j < m; ++j) {
      if (xs[i][j]) {
        wsum += w[j];
      } else {
        e.missing.push_back(inds[j].first->id);
      }
    }
    e.renormalised = !e.missing.empty();
    double dplus = 0.0, dminus = 0.0;
    for (size_t j = 0; j < m; ++j) {
      IndicatorScore is;
      is.id = inds[j].first->id;
      is.dimension = inds[j].second;
      is.raw = ValueOf(s, is.id);
      if (!is.raw) is.missing_reason = MissingReason(s, is.id);
      if (xs[i][j] && wsum > 0.0) {
        is.weight = w[j] / wsum;
        is.score = *xs[i][j] * 100.0;
        is.contribution = is.weight * *xs[i][j];
        dplus += std::pow(is.weight * (best[j] - *xs[i][j]), 2);
        dminus += std::pow(is.weight * (*xs[i][j] - worst[j]), 2);
      } else if (xs[i][j]) {
        is.score = *xs[i][j] * 100.0;
      }
      e.indicators.push_back(std::move(is));
    }
    dplus = std::sqrt(dplus);
    dminus = std::sqrt(dminus);
    if (dplus + dminus > 0.0) e.score = dminus / (dplus + dminus);
    r.clusters.push_back(std::move(e));
  }
  RankAll(r.clusters);
  for (ClusterEvaluation& e : r.clusters) {
    if (!e.score) {
      MarkNotRated(scheme, e, "无法评价：没有可区分的指标数据",
                   "not rated: no indicator data that separates the clusters");
      continue;
    }
    const IndicatorScore* strong = nullptr;
    const IndicatorScore* weak = nullptr;
    for (const IndicatorScore& is : e.indicators) {
      if (!is.contribution || is.weight <= 0.0) continue;
      if (strong == nullptr || *is.score > *strong->score) strong = &is;
      if (weak == nullptr || *is.score < *weak->score) weak = &is;
    }
    e.reason_zh = fmt::format("贴近度{:.3f}", *e.score);
    e.reason_en = fmt::format("closeness {:.3f}", *e.score);
    if (strong != nullptr && weak != nullptr) {
      e.reason_zh += fmt::format("：最强{}，最弱{}", LabelZh(strong->id), LabelZh(weak->id));
      e.reason_en += fmt::format(": strongest {}, weakest {}", Label(strong->id), Label(weak->id));
    }
    AppendNotes(scheme, e);
  }
  return r;
}

// ---------------------------------------------------------------- role-based methods

// A peer group: the peers of the same division (all of the division when it has no peers).
std::map<std::string, std::vector<size_t>> DivisionGroups(const EvaluationInput& input, const std::vector<bool>& peer) {
  std::map<std::string, std::vector<size_t>> peers_of;
  std::map<std::string, std::vector<size_t>> all_of;
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    all_of[input.subjects[i].division].push_back(i);
    if (peer[i]) peers_of[input.subjects[i].division].push_back(i);
  }
  for (auto& [div, members] : all_of) {
    if (peers_of.contains(div)) members = peers_of[div];
  }
  return all_of;
}

std::vector<double> Column(const EvaluationInput& input, const std::vector<size_t>& who, const std::string& id) {
  std::vector<double> v;
  for (size_t i : who) {
    if (auto x = ValueOf(input.subjects[i], id)) v.push_back(*x);
  }
  return v;
}

IndicatorScore RoleScore(const EvaluationSubject& s, const std::string& id, const std::vector<double>& group) {
  IndicatorScore is;
  is.id = id;
  is.raw = ValueOf(s, id);
  if (!is.raw) {
    is.missing_reason = MissingReason(s, id);
  } else if (auto pr = PercentileRank(group, *is.raw)) {
    is.score = *pr * 100.0;
  }
  return is;
}

void SetClass(ClusterEvaluation& e, std::string id, std::string zh, std::string en) {
  e.grade = std::move(id);
  e.grade_zh = std::move(zh);
  e.grade_en = std::move(en);
}

std::string Num(double x) { return fmt::format("{:.2f}", x); }

Result<EvaluationResult> EvaluateStrongCluster(const Scheme& scheme, const EvaluationInput& input, EvaluationResult r) {
  const auto peer = PeerMask(scheme, input);
  const std::string& lq_id = scheme.roles.at("lq");
  const std::string& emp_id = scheme.roles.at("employees");
  const std::string& firms_id = scheme.roles.at("firms");
  const double lq_p = scheme.params.at("lq_percentile");
  const double floor = scheme.params.at("lq_floor");
  const double size_p = scheme.params.at("size_percentile");
  auto groups = DivisionGroups(input, peer);
  std::map<std::string, std::vector<size_t>> ranked_in;  // division → indices ranked there
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    ClusterEvaluation e = Base(s, peer[i]);
    const auto& group = groups[s.division];
    auto lqs = Column(input, group, lq_id);
    auto emps = Column(input, group, emp_id);
    auto firms = Column(input, group, firms_id);
    e.indicators.push_back(RoleScore(s, lq_id, lqs));
    e.indicators.push_back(RoleScore(s, emp_id, emps));
    e.indicators.push_back(RoleScore(s, firms_id, firms));
    for (const IndicatorScore& is : e.indicators) {
      if (!is.raw) e.missing.push_back(is.id);
    }
    auto p_lq = QuantileType7(lqs, lq_p);
    auto p_emp = QuantileType7(emps, size_p);
    auto p_firms = QuantileType7(firms, size_p);
    if (p_lq) e.thresholds["lq_p" + fmt::format("{:g}", lq_p * 100)] = *p_lq;
    if (p_emp) e.thresholds["employees_p" + fmt::format("{:g}", size_p * 100)] = *p_emp;
    if (p_firms) e.thresholds["firms_p" + fmt::format("{:g}", size_p * 100)] = *p_firms;
    e.peers = static_cast<int>(group.size());
    auto lq = ValueOf(s, lq_id);
    auto emp = ValueOf(s, emp_id);
    auto fc = ValueOf(s, firms_id);
    if (!lq || !emp || !fc || !p_lq || !p_emp || !p_firms) {
      SetClass(e, "undetermined", "无法判定", "undetermined");
      e.reason_zh = "无法判定：缺少区位商、从业人员或企业数";
      e.reason_en = "undetermined: location quotient, employees or firm count missing";
    } else {
      bool specialised = *lq >= *p_lq && *lq >= floor;
      bool sized = *emp > *p_emp && *fc > *p_firms;
      e.score = e.indicators[0].score;
      std::string facts_zh =
          fmt::format("区位商{}（同大类{:g}分位{}），从业人员{:.0f}（25分位{}），企业数{:.0f}（25分位{}）", Num(*lq),
                      lq_p * 100, Num(*p_lq), *emp, Num(*p_emp), *fc, Num(*p_firms));
      std::string facts_en =
          fmt::format("LQ {} (division p{:g} {}), employees {:.0f} (p{:g} {}), firms {:.0f} (p{:g} {})", Num(*lq),
                      lq_p * 100, Num(*p_lq), *emp, size_p * 100, Num(*p_emp), *fc, size_p * 100, Num(*p_firms));
      if (specialised && sized) {
        SetClass(e, "strong", "强集群", "strong");
      } else if (*lq >= floor && (specialised || sized)) {
        SetClass(e, "significant", "显著集群", "significant");
      } else if (*lq >= floor) {
        SetClass(e, "qualifying", "合格集群", "qualifying");
      } else {
        SetClass(e, "below", "未达标", "below");
      }
      e.reason_zh = fmt::format("{}：{}", e.grade_zh, facts_zh);
      e.reason_en = fmt::format("{}: {}", e.grade_en, facts_en);
      if (!e.small) ranked_in[s.division].push_back(r.clusters.size());
    }
    AppendNotes(scheme, e);
    r.clusters.push_back(std::move(e));
  }
  for (auto& [div, who] : ranked_in) AssignRanks(r.clusters, who);
  return r;
}

Result<EvaluationResult> EvaluateStars(const Scheme& scheme, const EvaluationInput& input, EvaluationResult r) {
  const auto peer = PeerMask(scheme, input);
  const std::string& size_id = scheme.roles.at("size");
  const std::string& spec_id = scheme.roles.at("specialisation");
  const std::string& focus_id = scheme.roles.at("focus");
  const double size_top = scheme.params.at("size_top_share");
  const double lq_min = scheme.params.at("lq_min");
  const double focus_top = scheme.params.at("focus_top_share");
  auto groups = DivisionGroups(input, peer);
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    ClusterEvaluation e = Base(s, peer[i]);
    const auto& group = groups[s.division];
    auto sizes = Column(input, group, size_id);
    auto focuses = Column(input, group, focus_id);
    auto specs = Column(input, group, spec_id);
    e.indicators.push_back(RoleScore(s, size_id, sizes));
    e.indicators.push_back(RoleScore(s, spec_id, specs));
    e.indicators.push_back(RoleScore(s, focus_id, focuses));
    for (const IndicatorScore& is : e.indicators) {
      if (!is.raw) e.missing.push_back(is.id);
    }
    // "Top x%": at or above the (1 − x) quantile of the division's peers.
    auto p_size = QuantileType7(sizes, 1.0 - size_top);
    auto p_focus = QuantileType7(focuses, 1.0 - focus_top);
    if (p_size) e.thresholds[size_id + "_threshold"] = *p_size;
    if (p_focus) e.thresholds[focus_id + "_threshold"] = *p_focus;
    e.thresholds["lq_min"] = lq_min;
    auto size = ValueOf(s, size_id);
    auto spec = ValueOf(s, spec_id);
    auto focus = ValueOf(s, focus_id);
    int stars = 0;
    std::string got_zh, got_en, not_zh, not_en;
    auto note = [&](bool ok, std::string_view zh, std::string_view en) {
      std::string& z = ok ? got_zh : not_zh;
      std::string& n = ok ? got_en : not_en;
      z += (z.empty() ? "" : "、") + std::string(zh);
      n += (n.empty() ? "" : ", ") + std::string(en);
      if (ok) ++stars;
    };
    bool complete = size && spec && focus && p_size && p_focus;
    if (size && p_size) note(*size + kScoreTolerance >= *p_size, "规模", "size");
    if (spec) note(*spec + kScoreTolerance >= lq_min, "专业化", "specialisation");
    if (focus && p_focus) note(*focus + kScoreTolerance >= *p_focus, "集中度", "focus");
    e.stars = stars;
    e.score = stars;
    e.grade = std::to_string(stars);
    e.grade_zh = fmt::format("{}星", stars);
    e.grade_en = fmt::format("{} star{}", stars, stars == 1 ? "" : "s");
    e.reason_zh = fmt::format("{}：{}", e.grade_zh, got_zh.empty() ? "无" : got_zh);
    e.reason_en = fmt::format("{}: {}", e.grade_en, got_en.empty() ? "none" : got_en);
    if (!not_zh.empty()) {
      e.reason_zh += fmt::format("；未达：{}", not_zh);
      e.reason_en += fmt::format("; not: {}", not_en);
    }
    if (!complete) {
      e.reason_zh += "（数据不全，星数为下限）";
      e.reason_en += " (data incomplete: a lower bound)";
    }
    AppendNotes(scheme, e);
    r.clusters.push_back(std::move(e));
  }
  RankAll(r.clusters);
  return r;
}

Result<EvaluationResult> EvaluateLifecycle(const Scheme& scheme, const EvaluationInput& input, EvaluationResult r) {
  const auto peer = PeerMask(scheme, input);
  const std::string& lq_id = scheme.roles.at("lq");
  const std::string& growth_id = scheme.roles.at("growth");
  const double lq_t = scheme.params.at("lq_threshold");
  const double g_t = scheme.params.at("growth_threshold");
  std::vector<size_t> all;
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    if (peer[i]) all.push_back(i);
  }
  auto lqs = Column(input, all, lq_id);
  auto growths = Column(input, all, growth_id);
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    ClusterEvaluation e = Base(s, peer[i]);
    e.indicators.push_back(RoleScore(s, lq_id, lqs));
    e.indicators.push_back(RoleScore(s, growth_id, growths));
    for (const IndicatorScore& is : e.indicators) {
      if (!is.raw) e.missing.push_back(is.id);
    }
    auto lq = ValueOf(s, lq_id);
    auto g = ValueOf(s, growth_id);
    if (!lq || !g) {
      SetClass(e, "undetermined", "无法判定", "undetermined");
      e.reason_zh = "无法判定：缺少区位商或增长率";
      e.reason_en = "undetermined: location quotient or growth missing";
    } else {
      bool specialised = *lq >= lq_t;
      bool growing = *g > g_t;
      if (specialised && growing) {
        SetClass(e, "star", "明星", "star");
      } else if (specialised) {
        SetClass(e, "mature", "成熟", "mature");
      } else if (growing) {
        SetClass(e, "emerging", "新兴", "emerging");
      } else {
        SetClass(e, "transforming", "转型", "transforming");
      }
      e.score = *lq;
      e.reason_zh = fmt::format("{}：区位商{}{}{:g}，增长{}{}{}", e.grade_zh, Num(*lq), specialised ? "≥" : "<", lq_t,
                                Percent(*g), growing ? ">" : "≤", Percent(g_t));
      e.reason_en = fmt::format("{}: LQ {} {} {:g}, growth {} {} {}", e.grade_en, Num(*lq), specialised ? ">=" : "<",
                                lq_t, Percent(*g), growing ? ">" : "<=", Percent(g_t));
    }
    AppendNotes(scheme, e);
    r.clusters.push_back(std::move(e));
  }
  RankAll(r.clusters);
  return r;
}

}  // namespace

Result<EvaluationResult> Evaluate(const Scheme& scheme, const EvaluationInput& input) {
  if (input.subjects.empty()) {
    return Status::InvalidInput(
        fmt::format("{}: {}年没有可评价的集群 / no clusters to evaluate in {}", scheme.id, input.year, input.year));
  }
  EvaluationResult r;
  r.scheme_id = scheme.id;
  r.scheme_version = scheme.version;
  r.method = scheme.method;
  r.year = input.year;
  Result<EvaluationResult> out = Status::Internal("unknown method");
  switch (scheme.method) {
    case EvaluationMethod::kWeighted:
      out = EvaluateWeighted(scheme, input, std::move(r));
      break;
    case EvaluationMethod::kEntropyTopsis:
      out = EvaluateEntropyTopsis(scheme, input, std::move(r));
      break;
    case EvaluationMethod::kStrongCluster:
      out = EvaluateStrongCluster(scheme, input, std::move(r));
      break;
    case EvaluationMethod::kStars:
      out = EvaluateStars(scheme, input, std::move(r));
      break;
    case EvaluationMethod::kLifecycle:
      out = EvaluateLifecycle(scheme, input, std::move(r));
      break;
  }
  if (!out.ok()) return out;
  EvaluationResult result = std::move(out).value();
  // Ranked clusters first (by division for strong-cluster, then rank), unranked after, by id.
  std::stable_sort(result.clusters.begin(), result.clusters.end(),
                   [&](const ClusterEvaluation& a, const ClusterEvaluation& b) {
                     if (a.rank.has_value() != b.rank.has_value()) return a.rank.has_value();
                     if (scheme.method == EvaluationMethod::kStrongCluster && a.division != b.division)
                       return a.division < b.division;
                     if (a.rank && b.rank && *a.rank != *b.rank) return *a.rank < *b.rank;
                     return a.cluster_id < b.cluster_id;
                   });
  return result;
}

}  // namespace clusterscope
