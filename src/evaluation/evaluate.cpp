// The five methods over one year's matrix (docs/evaluation.md gives the formulas).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
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

// Who is rated (evaluation.md, "Who is rated"): the reason id and sentence when a subject is not.
struct NotRated {
  std::string id;
  std::string zh;
  std::string en;
};
std::optional<NotRated> Ineligible(const Scheme& scheme, const EvaluationSubject& s, int year) {
  if (s.recognised_year && *s.recognised_year > year) {
    return NotRated{"not_yet_recognised", fmt::format("不评价：{}年认定，{}年尚未认定", *s.recognised_year, year),
                    fmt::format("not rated: recognised in {}, after {}", *s.recognised_year, year)};
  }
  if (s.firm_count == 0) {
    return NotRated{"no_reporting_firms", fmt::format("不评价：{}年没有报送年报的成员企业", year),
                    fmt::format("not rated: no member firm reported for {}", year)};
  }
  if (s.firm_count < scheme.min_firms) {
    return NotRated{
        "too_few_firms",
        fmt::format("不评价：{}年报送年报的成员企业{}家，少于方案要求的{}家", year, s.firm_count, scheme.min_firms),
        fmt::format("not rated: {} member firm{} reported for {}, fewer than the scheme's {}", s.firm_count,
                    s.firm_count == 1 ? "" : "s", year, scheme.min_firms)};
  }
  return std::nullopt;
}

// Which subjects are rated and form the peer set.
std::vector<bool> PeerMask(const Scheme& scheme, const EvaluationInput& input) {
  std::vector<bool> peer(input.subjects.size());
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    peer[i] = !Ineligible(scheme, input.subjects[i], input.year).has_value();
  }
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

// Ranks the rated clusters with a score among all of them.
void RankAll(std::vector<ClusterEvaluation>& out) {
  std::vector<size_t> who;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].rated && out[i].score) who.push_back(i);
  }
  AssignRanks(out, who);
}

std::string Percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }

// The missing-indicator tail of a reason, in both languages.
void AppendNotes(const Scheme& scheme, ClusterEvaluation& e) {
  (void)scheme;
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
  e.rated = false;
  e.not_rated_reason = "no_data";
  e.rank.reset();
  e.grade = "not_rated";
  e.grade_zh = "不评价";
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
  e.rated = peer;
  return e;
}

// A cluster outside the rated set: listed with the reason, no score, no rank.
ClusterEvaluation NotRatedEntry(const Scheme& scheme, const EvaluationSubject& s, int year) {
  ClusterEvaluation e = Base(s, false);
  NotRated why = *Ineligible(scheme, s, year);
  e.small = why.id == "too_few_firms";
  e.not_rated_reason = why.id;
  e.grade = "not_rated";
  e.grade_zh = "不评价";
  e.grade_en = "not rated";
  e.reason_zh = why.zh;
  e.reason_en = why.en;
  return e;
}

// ---------------------------------------------------------------- weighted (annual)

// x_h or x_s for one indicator: a fixed value, or the type-7 percentile of the rated clusters'
// values counted in the indicator's direction.
std::optional<double> BoundValue(const EfficacyBound& b, const SchemeIndicator& ind, const std::vector<double>& v) {
  if (!b.percentile) return b.value;
  const double p = ind.direction == Direction::kBenefit ? b.value : 1.0 - b.value;
  return QuantileType7(v, p);
}

// The efficacy coefficient: d = 60 + 40 (x − x_s) / (x_h − x_s), capped to [0, 100]. The formula
// runs the right way for both directions (a less-is-better indicator has x_h < x_s). When x_h = x_s
// (no spread between the bounds) it is the formula's limit: 60 at the bound, 100 better, 0 worse.
double Efficacy(double x, double x_h, double x_s, Direction dir) {
  if (std::fabs(x_h - x_s) <= kScoreTolerance * std::max(1.0, std::fabs(x_h))) {
    if (std::fabs(x - x_h) <= kScoreTolerance * std::max(1.0, std::fabs(x_h))) return 60.0;
    const bool better = dir == Direction::kBenefit ? x > x_h : x < x_h;
    return better ? 100.0 : 0.0;
  }
  return std::clamp(60.0 + 40.0 * (x - x_s) / (x_h - x_s), 0.0, 100.0);
}

std::string OneDecimal(double x) { return fmt::format("{:.1f}", x); }

Result<EvaluationResult> EvaluateWeighted(const Scheme& scheme, const EvaluationInput& input, EvaluationResult r) {
  const auto peer = PeerMask(scheme, input);
  // Reference values per indicator: the rated clusters that have it.
  std::map<std::string, std::vector<double>> ref;
  std::map<std::string, std::pair<std::optional<double>, std::optional<double>>> bounds;  // x_h, x_s
  for (const SchemeDimension& d : scheme.dimensions) {
    for (const SchemeIndicator& ind : d.indicators) {
      auto& v = ref[ind.id];
      for (size_t i = 0; i < input.subjects.size(); ++i) {
        if (!peer[i]) continue;
        if (auto x = ValueOf(input.subjects[i], ind.id)) v.push_back(*x);
      }
      if (scheme.normalisation == Normalisation::kEfficacy && !v.empty()) {
        bounds[ind.id] = {BoundValue(ind.satisfactory, ind, v), BoundValue(ind.unacceptable, ind, v)};
      }
    }
  }
  auto normalise = [&](const SchemeIndicator& ind, double x) -> std::optional<double> {
    const std::vector<double>& v = ref[ind.id];
    if (v.empty()) return std::nullopt;
    double s = 0.0;
    if (scheme.normalisation == Normalisation::kEfficacy) {
      const auto& [x_h, x_s] = bounds[ind.id];
      if (!x_h || !x_s) return std::nullopt;
      return Efficacy(x, *x_h, *x_s, ind.direction);
    }
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

  const bool has_expert_part = scheme.expert_weight > 0.0;
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    if (!peer[i]) {
      r.clusters.push_back(NotRatedEntry(scheme, s, input.year));
      continue;
    }
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
        if (auto b = bounds.find(ind.id); b != bounds.end()) {
          is.satisfactory = b->second.first;
          is.unacceptable = b->second.second;
        }
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
      if (has_expert_part && s.expert_score) {
        e.expert_score = s.expert_score;
        e.expert_used = true;
        r.expert_scores_used = true;
        e.score = data * scheme.data_weight + *s.expert_score * scheme.expert_weight;
        e.score_kind = "composite";
      } else {
        e.score = data;
        e.score_kind = has_expert_part ? "preliminary" : "data";
      }
    }
    r.clusters.push_back(std::move(e));
  }
  // Ranks never mix score kinds: preliminary scores among themselves, complete ones among theirs.
  for (std::string_view kind : {"composite", "preliminary", "data"}) {
    std::vector<size_t> who;
    for (size_t i = 0; i < r.clusters.size(); ++i) {
      if (r.clusters[i].rated && r.clusters[i].score && r.clusters[i].score_kind == kind) who.push_back(i);
    }
    AssignRanks(r.clusters, who);
  }

  // Dimension percentiles among the rated clusters (data scores only, so comparable), then grades
  // and reasons.
  for (size_t d = 0; d < scheme.dimensions.size(); ++d) {
    std::vector<double> v;
    for (const ClusterEvaluation& e : r.clusters) {
      if (e.rated && !e.dimensions.empty() && e.dimensions[d].score) v.push_back(*e.dimensions[d].score);
    }
    for (ClusterEvaluation& e : r.clusters) {
      if (!e.dimensions.empty() && e.dimensions[d].score)
        e.dimensions[d].percentile = PercentileRank(v, *e.dimensions[d].score);
    }
  }
  for (ClusterEvaluation& e : r.clusters) {
    if (!e.rated) continue;
    if (!e.score) {
      MarkNotRated(scheme, e, "不评价：方案的指标均无数据", "not rated: none of the scheme's indicators has data");
      continue;
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
    if (e.score_kind == "preliminary") {
      // No grade on a data score alone: 初评 with its rank among the preliminary scores.
      e.grade.clear();
      e.grade_zh.clear();
      e.grade_en.clear();
      e.reason_zh = fmt::format("初评得分{}，待专家复评后定级{}", OneDecimal(*e.score), why_zh);
      e.reason_en = fmt::format("preliminary data score {}, to be graded after the expert review{}",
                                OneDecimal(*e.score), why_en);
      AppendNotes(scheme, e);
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
    const std::string label_zh = e.score_kind == "composite" ? "综合评分" : "得分";
    const std::string label_en = e.score_kind == "composite" ? "composite score" : "score";
    std::string score_zh;
    std::string score_en;
    if (next_up != nullptr) {
      const double gap = next_up->min_score - *e.score;
      score_zh = fmt::format("{}{}，距{}线{:g}分差{}分", label_zh, OneDecimal(*e.score), next_up->zh,
                             next_up->min_score, OneDecimal(gap));
      score_en = fmt::format("{} {}, {} short of {} ({:g})", label_en, OneDecimal(*e.score), OneDecimal(gap),
                             next_up->en, next_up->min_score);
    } else {
      score_zh = fmt::format("{}{}", label_zh, OneDecimal(*e.score));
      score_en = fmt::format("{} {}", label_en, OneDecimal(*e.score));
    }
    e.reason_zh = fmt::format("评为{}：{}{}", e.grade_zh, score_zh, why_zh);
    e.reason_en = fmt::format("rated {}: {}{}", e.grade_en, score_en, why_en);
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
    if (!peer[i]) {
      r.clusters.push_back(NotRatedEntry(scheme, s, input.year));
      continue;
    }
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
    if (!e.rated) continue;
    if (!e.score) {
      MarkNotRated(scheme, e, "不评价：没有可区分的指标数据",
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

// A peer group for the percentile-based methods (evaluation.md, "Peer groups large enough to
// compare"): the rated clusters of the same leading-industry division when there are at least
// min_peers of them; else those of the same GB/T 4754 section; else all rated clusters.
struct PeerGroup {
  std::string level;  // "division", "section", "all"
  std::string key;    // "27", "C", ""
  std::vector<size_t> members;
  std::string note_zh;  // why it was widened ("" when not)
  std::string note_en;
};

std::vector<PeerGroup> PeerGroups(const Scheme& scheme, const EvaluationInput& input, const std::vector<bool>& peer) {
  std::map<std::string, std::vector<size_t>> by_division;
  std::map<std::string, std::vector<size_t>> by_section;
  std::vector<size_t> all;
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    if (!peer[i]) continue;
    by_division[input.subjects[i].division].push_back(i);
    by_section[SectionOfDivision(input.subjects[i].division)].push_back(i);
    all.push_back(i);
  }
  const auto enough = [&](const std::vector<size_t>& v) { return static_cast<int>(v.size()) >= scheme.min_peers; };
  std::vector<PeerGroup> out(input.subjects.size());
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    if (!peer[i]) continue;
    const std::string& div = input.subjects[i].division;
    const std::string sec = SectionOfDivision(div);
    const auto& d = by_division[div];
    PeerGroup g;
    if (enough(d)) {
      g = {"division", div, d, "", ""};
    } else if (!sec.empty() && enough(by_section[sec])) {
      g = {"section", sec, by_section[sec],
           fmt::format("同大类{}仅{}个集群（少于{}个），比较范围扩大到门类{}（{}个）", div, d.size(), scheme.min_peers,
                       sec, by_section[sec].size()),
           fmt::format("division {} has {} cluster{} (fewer than {}): compared within section {} ({})", div, d.size(),
                       d.size() == 1 ? "" : "s", scheme.min_peers, sec, by_section[sec].size())};
    } else {
      g = {
          "all", "", all,
          fmt::format("同大类{}仅{}个集群、同门类{}个（均少于{}个），与全部{}个集群比较", div, d.size(),
                      sec.empty() ? d.size() : by_section[sec].size(), scheme.min_peers, all.size()),
          fmt::format("division {} has {} and its section {} cluster{} (fewer than {}): compared with all {} "
                      "clusters",
                      div, d.size(), sec.empty() ? d.size() : by_section[sec].size(),
                      (sec.empty() ? d.size() : by_section[sec].size()) == 1 ? "" : "s", scheme.min_peers, all.size())};
    }
    out[i] = std::move(g);
  }
  return out;
}

void NotePeerGroup(ClusterEvaluation& e, const PeerGroup& g) {
  e.peer_group = g.level;
  if (!g.note_zh.empty()) {
    e.reason_zh += "；" + g.note_zh;
    e.reason_en += "; " + g.note_en;
  }
}

// Competition rank of `key` (higher is better) among the group's members that have it.
void RankInGroup(const EvaluationInput& input, const PeerGroup& g, const std::string& id, ClusterEvaluation& e,
                 double mine) {
  int better = 0;
  int n = 0;
  for (size_t j : g.members) {
    auto it = input.subjects[j].values.find(id);
    if (it == input.subjects[j].values.end() || !std::isfinite(it->second)) continue;
    ++n;
    if (it->second > mine + kScoreTolerance) ++better;
  }
  e.rank = better + 1;
  e.peers = n;
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
  auto groups = PeerGroups(scheme, input, peer);
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    if (!peer[i]) {
      r.clusters.push_back(NotRatedEntry(scheme, s, input.year));
      continue;
    }
    ClusterEvaluation e = Base(s, peer[i]);
    const auto& group = groups[i].members;
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
      const std::string where_zh = groups[i].level == "division"  ? "同大类"
                                   : groups[i].level == "section" ? "同门类"
                                                                  : "全部集群";
      const std::string where_en = groups[i].level;
      std::string facts_zh = fmt::format(
          "区位商{}（{}{:g}分位{}），从业人员{:.0f}（{:g}分位{}），企业数{:.0f}（{:g}分位{}）", Num(*lq), where_zh,
          lq_p * 100, Num(*p_lq), *emp, size_p * 100, Num(*p_emp), *fc, size_p * 100, Num(*p_firms));
      std::string facts_en =
          fmt::format("LQ {} ({} p{:g} {}), employees {:.0f} (p{:g} {}), firms {:.0f} (p{:g} {})", Num(*lq), where_en,
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
      RankInGroup(input, groups[i], lq_id, e, *lq);  // by LQ within its peer group
    }
    NotePeerGroup(e, groups[i]);
    AppendNotes(scheme, e);
    r.clusters.push_back(std::move(e));
  }
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
  auto groups = PeerGroups(scheme, input, peer);
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    if (!peer[i]) {
      r.clusters.push_back(NotRatedEntry(scheme, s, input.year));
      continue;
    }
    ClusterEvaluation e = Base(s, peer[i]);
    const auto& group = groups[i].members;
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
    NotePeerGroup(e, groups[i]);
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
  // Growth is compared with the national growth of the same measure; growth_threshold is the
  // margin above it (0: above national growth).
  const double margin = scheme.params.at("growth_threshold");
  auto nat = input.national.find(growth_id);
  const bool has_national = nat != input.national.end();
  const double national_growth = has_national ? nat->second : 0.0;
  std::vector<size_t> all;
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    if (peer[i]) all.push_back(i);
  }
  auto lqs = Column(input, all, lq_id);
  auto growths = Column(input, all, growth_id);
  for (size_t i = 0; i < input.subjects.size(); ++i) {
    const EvaluationSubject& s = input.subjects[i];
    if (!peer[i]) {
      r.clusters.push_back(NotRatedEntry(scheme, s, input.year));
      continue;
    }
    ClusterEvaluation e = Base(s, peer[i]);
    e.indicators.push_back(RoleScore(s, lq_id, lqs));
    e.indicators.push_back(RoleScore(s, growth_id, growths));
    for (const IndicatorScore& is : e.indicators) {
      if (!is.raw) e.missing.push_back(is.id);
    }
    if (has_national) e.thresholds["national_growth"] = national_growth;
    auto lq = ValueOf(s, lq_id);
    auto g = ValueOf(s, growth_id);
    if (!lq || !g || !has_national) {
      SetClass(e, "undetermined", "无法判定", "undetermined");
      e.reason_zh = has_national ? "无法判定：缺少区位商或增长率" : "无法判定：全国同口径增长率未知";
      e.reason_en = has_national ? "undetermined: location quotient or growth missing"
                                 : "undetermined: national growth of the same measure unknown";
    } else {
      const double bar = national_growth + margin;
      bool specialised = *lq >= lq_t;
      bool growing = *g > bar + kScoreTolerance;
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
      const std::string margin_zh = margin != 0.0 ? fmt::format("+{}", Percent(margin)) : "";
      const std::string margin_en = margin != 0.0 ? fmt::format(" + {}", Percent(margin)) : "";
      e.reason_zh = fmt::format("{}：区位商{}{}{:g}，增长{}{}全国{}{}", e.grade_zh, Num(*lq), specialised ? "≥" : "<",
                                lq_t, Percent(*g), growing ? "高于" : "不高于", Percent(national_growth), margin_zh);
      e.reason_en = fmt::format("{}: LQ {} {} {:g}, growth {} {} the national {}{}", e.grade_en, Num(*lq),
                                specialised ? ">=" : "<", lq_t, Percent(*g), growing ? "above" : "not above",
                                Percent(national_growth), margin_en);
    }
    AppendNotes(scheme, e);
    r.clusters.push_back(std::move(e));
  }
  RankAll(r.clusters);
  return r;
}

}  // namespace

std::string SectionOfDivision(std::string_view division) {
  if (division.size() != 2 || !std::isdigit(static_cast<unsigned char>(division[0])) ||
      !std::isdigit(static_cast<unsigned char>(division[1]))) {
    return "";
  }
  const int d = (division[0] - '0') * 10 + (division[1] - '0');
  // GB/T 4754-2017 (rules.md §4): the last division of each section A … T.
  constexpr std::pair<int, char> kLast[] = {{5, 'A'},  {12, 'B'}, {43, 'C'}, {46, 'D'}, {50, 'E'}, {52, 'F'}, {60, 'G'},
                                            {62, 'H'}, {65, 'I'}, {69, 'J'}, {70, 'K'}, {72, 'L'}, {75, 'M'}, {79, 'N'},
                                            {82, 'O'}, {83, 'P'}, {85, 'Q'}, {90, 'R'}, {96, 'S'}, {97, 'T'}};
  if (d < 1) return "";
  for (const auto& [last, letter] : kLast) {
    if (d <= last) return std::string(1, letter);
  }
  return "";
}

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
  // Ranked clusters first (complete scores before preliminary ones for weighted; by division for
  // strong-cluster; then rank), unranked after, by id.
  const auto kind_order = [](const ClusterEvaluation& e) { return e.score_kind == "preliminary" ? 1 : 0; };
  std::stable_sort(result.clusters.begin(), result.clusters.end(),
                   [&](const ClusterEvaluation& a, const ClusterEvaluation& b) {
                     if (a.rank.has_value() != b.rank.has_value()) return a.rank.has_value();
                     if (kind_order(a) != kind_order(b)) return kind_order(a) < kind_order(b);
                     if (scheme.method == EvaluationMethod::kStrongCluster && a.division != b.division)
                       return a.division < b.division;
                     if (a.rank && b.rank && *a.rank != *b.rank) return *a.rank < *b.rank;
                     return a.cluster_id < b.cluster_id;
                   });
  return result;
}

}  // namespace clusterscope
