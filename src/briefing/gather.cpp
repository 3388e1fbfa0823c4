// GatherBriefFacts: the numbers a briefing states, from the indicator engine, the annual
// evaluation and the diagnosis; and BriefFacts ↔ JSON.
#include <fmt/format.h>

#include "clusterscope/briefing.h"
#include "clusterscope/diagnosis.h"
#include "clusterscope/evaluation.h"
#include "clusterscope/schema.h"
#include "clusterscope/stats.h"

namespace clusterscope {
namespace {

// The annual scheme's evaluation of every cluster in `year`: the rating in the prose, the
// dimension chart and the workbook's 评价 sheet all come from it.
Result<std::pair<Scheme, EvaluationResult>> AnnualEvaluation(Store& store, const Dataset& data, int year) {
  CS_ASSIGN_OR_RETURN(Scheme scheme, LoadScheme("annual", Lang::kEn));
  CS_ASSIGN_OR_RETURN(EvaluationInput input, GatherEvaluationInput(store, data, scheme, year, Lang::kEn));
  CS_ASSIGN_OR_RETURN(EvaluationResult result, Evaluate(scheme, input));
  return std::pair{std::move(scheme), std::move(result)};
}

}  // namespace

Result<BriefFacts> GatherBriefFacts(Store& store, const Dataset& data, const std::string& cluster_id, int year) {
  CS_ASSIGN_OR_RETURN(BriefSources sources, GatherBrief(store, data, cluster_id, year));
  return std::move(sources.facts);
}

Result<BriefSources> GatherBrief(Store& store, const Dataset& data, const std::string& cluster_id, int year) {
  BriefSources sources;
  BriefFacts& f = sources.facts;
  f.cluster_id = cluster_id;
  f.year = year;

  const KindDef& cdef = Describe(Kind::kClusters);
  const Record ckey = KeyRecord(Kind::kClusters, {cluster_id});
  CS_ASSIGN_OR_RETURN(auto cluster, store.Get(Kind::kClusters, ckey));
  if (!cluster) return Status::NotFound(fmt::format("cluster {} is not in the register", cluster_id));
  f.cluster_name = TextOf(*cluster, cdef, "name");
  const KindDef& zdef = Describe(Kind::kZones);
  const Record zkey = KeyRecord(Kind::kZones, {TextOf(*cluster, cdef, "zone_id")});
  CS_ASSIGN_OR_RETURN(auto zone, store.Get(Kind::kZones, zkey));
  if (zone) f.zone_name = TextOf(*zone, zdef, "name");

  // The report's seven figures.
  IndicatorRequest req;
  req.entities = {{EntityKind::kCluster, cluster_id}};
  req.first_year = req.last_year = year;
  req.only = {"firm_count",
              "zone_producing_firm_share",
              "gross_output",
              "gross_output_growth",
              "zone_gross_output_share",
              "leading_industry_va_share",
              "firms_output_over_100m"};
  CS_ASSIGN_OR_RETURN(auto values, ComputeIndicators(data, req));
  for (const IndicatorValue& v : values) {
    if (!v.has_value()) continue;
    const std::string_view id = v.indicator->id;
    if (id == "firm_count") f.firm_count = v.integer;
    if (id == "zone_producing_firm_share") f.zone_producing_share = v.real;
    if (id == "gross_output") f.gross_output = v.integer;
    if (id == "gross_output_growth") f.gross_output_growth = v.real;
    if (id == "zone_gross_output_share") f.zone_output_share = v.real;
    if (id == "leading_industry_va_share") f.leading_va_share = v.real;
    if (id == "firms_output_over_100m") f.firms_over_100m = v.integer;
  }

  // The annual rating.
  auto evaluation = AnnualEvaluation(store, data, year);
  if (!evaluation.ok() && evaluation.status().code() == StatusCode::kEnvironment) return evaluation.status();
  if (!evaluation.ok()) sources.evaluation_error = evaluation.status().message();
  if (evaluation.ok()) {
    const Scheme& scheme = evaluation->first;
    sources.evaluation = evaluation->second;
    for (const ClusterEvaluation& c : evaluation->second.clusters) {
      if (c.cluster_id == cluster_id && !c.rated) {
        f.not_rated_zh = c.reason_zh;
        f.not_rated_en = c.reason_en;
      }
      if (c.cluster_id != cluster_id || !c.score) continue;
      f.rating = BriefFacts::Rating{.scheme = scheme.id,
                                    .scheme_zh = scheme.zh,
                                    .scheme_en = scheme.en,
                                    .score = *c.score,
                                    .grade = c.grade_zh,
                                    .rank = c.rank.value_or(0),
                                    .of = c.peers,
                                    .expert_included = c.expert_used};
    }
  }

  // The diagnosis.
  auto diagnosis = Diagnose(store, data, cluster_id, year);
  if (!diagnosis.ok()) {
    if (diagnosis.status().code() != StatusCode::kInvalidInput) return diagnosis.status();
    sources.diagnosis_error = diagnosis.status().message();  // no members that year
    return sources;
  }
  sources.diagnosis = std::move(*diagnosis);
  const Diagnosis& d = *sources.diagnosis;
  f.weakest = d.weakest;
  for (const DiagnosisDimension& dim : d.dimensions) {
    if (!dim.percentile_all) continue;
    BriefFacts::Dimension out{
        .id = dim.id, .zh = dim.zh, .en = dim.en, .percentile = *dim.percentile_all, .flagged = dim.flagged};
    for (const std::string& id : dim.behind) {
      for (const DiagnosisIndicator& ind : dim.indicators) {
        if (ind.id != id || !ind.percentile_all) continue;
        out.behind.push_back({ind.zh, ind.en, FormatDiagnosisValue(ind, Lang::kZh),
                              FormatDiagnosisValue(ind, Lang::kEn), *ind.percentile_all,
                              ind.direction == IndicatorDirection::kLess});
      }
    }
    f.dimensions.push_back(std::move(out));
  }
  for (const BackboneFirm& b : d.backbone) {
    if (b.gross_output) f.backbone_names.push_back(b.name);
  }
  f.top3_share = d.top3_share;
  f.largest_share = d.largest_share;
  f.depends_on_one = d.depends_on_one;
  f.sme_applicable = d.sme_applicable;
  f.sme_qualifying = static_cast<int>(d.sme_qualifying.size());
  f.sme_nearly = static_cast<int>(d.sme_nearly.size());
  if (!d.sme_nearly.empty()) {
    // The firm nearest the bar, and the step that gets it there.
    const PipelineEntry* best = &d.sme_nearly.front();
    for (const auto& e : d.sme_nearly) {
      if (e.qualification.score.min > best->qualification.score.min) best = &e;
    }
    f.nearly_name = best->name;
    for (const Gap& g : best->qualification.gaps) {
      if (g.reaches_bar) {  // a step that reaches the pass mark (rules.h kTechSmePassMark)
        f.nearly_gap_zh = g.text.zh;
        f.nearly_gap_en = g.text.en;
        break;
      }
    }
  }
  f.high_tech_candidates = static_cast<int>(d.high_tech_candidates.size());
  f.has_construction_body = !d.construction_body.empty();
  f.has_alliance = !d.alliance.empty();
  for (const auto& [category, n] : d.institutions) f.institutions += n;
  return sources;
}

Result<BriefCharts> GatherBriefCharts(const Dataset& data, const BriefSources& sources) {
  const std::string& cluster_id = sources.facts.cluster_id;
  const int year = sources.facts.year;
  BriefCharts charts;
  // Output over up to seven years ending with `year`.
  IndicatorRequest series;
  series.entities = {{EntityKind::kCluster, cluster_id}};
  series.first_year = year - 6;
  series.last_year = year;
  series.only = {"gross_output", "gross_output_growth"};
  CS_ASSIGN_OR_RETURN(auto values, ComputeIndicators(data, series));
  for (int y = year - 6; y <= year; ++y) charts.output.push_back({y, std::nullopt, std::nullopt});
  for (const IndicatorValue& v : values) {
    auto& slot = charts.output[static_cast<size_t>(v.year - (year - 6))];
    if (v.indicator->id == "gross_output") slot.gross_output = v.AsDouble();
    if (v.indicator->id == "gross_output_growth") slot.growth = v.AsDouble();
  }
  while (!charts.output.empty() && !charts.output.front().gross_output) charts.output.erase(charts.output.begin());

  // Key ratios against every cluster's median.
  IndicatorRequest peers;
  peers.entities = AllEntities(data, EntityKind::kCluster);
  peers.first_year = peers.last_year = year;
  peers.only = {"rd_intensity",  "high_tech_firm_share", "college_share", "invention_patents_per_10k",
                "vc_firm_share", "labour_productivity"};
  CS_ASSIGN_OR_RETURN(auto all, ComputeIndicators(data, peers));
  for (const std::string& id : peers.only) {
    const IndicatorInfo* info = FindIndicator(id);
    BriefCharts::PeerRatio r{
        .id = id, .zh = std::string(info->zh), .en = std::string(info->en), .unit = std::string(UnitId(info->unit))};
    std::vector<double> xs;
    for (const IndicatorValue& v : all) {
      if (v.indicator->id != id || !v.has_value()) continue;
      xs.push_back(*v.AsDouble());
      if (v.entity.id == cluster_id) r.cluster = v.AsDouble();
    }
    r.clusters = static_cast<int>(xs.size());
    r.median = QuantileType7(xs, 0.5);
    charts.peers.push_back(std::move(r));
  }

  // Evaluation dimensions.
  if (sources.evaluation) {
    const auto& clusters = sources.evaluation->clusters;
    for (const ClusterEvaluation& c : clusters) {
      if (c.cluster_id != cluster_id) continue;
      for (const DimensionScore& d : c.dimensions) {
        BriefCharts::Dimension dim{.zh = d.zh, .en = d.en, .score = d.score};
        double sum = 0;
        int n = 0;
        for (const ClusterEvaluation& other : clusters) {
          if (!other.rank) continue;
          for (const DimensionScore& od : other.dimensions) {
            if (od.id == d.id && od.score) {
              sum += *od.score;
              ++n;
            }
          }
        }
        if (n > 0) dim.average = sum / n;
        charts.dimensions.push_back(std::move(dim));
      }
    }
  }

  // The whole catalogue for the year.
  IndicatorRequest full;
  full.entities = {{EntityKind::kCluster, cluster_id}};
  full.first_year = full.last_year = year;
  CS_ASSIGN_OR_RETURN(charts.catalogue, ComputeIndicators(data, full));
  return charts;
}

namespace {

template <typename T>
nlohmann::ordered_json Opt(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

template <typename T>
std::optional<T> Get(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<T>();
}

}  // namespace

nlohmann::ordered_json BriefFactsToJson(const BriefFacts& f) {
  nlohmann::ordered_json j;
  j["cluster_id"] = f.cluster_id;
  j["cluster_name"] = f.cluster_name;
  j["zone_name"] = f.zone_name;
  j["year"] = f.year;
  j["firm_count"] = Opt(f.firm_count);
  j["zone_producing_share"] = Opt(f.zone_producing_share);
  j["gross_output_yuan"] = f.gross_output ? nlohmann::ordered_json(static_cast<double>(*f.gross_output) / 100)
                                          : nlohmann::ordered_json(nullptr);
  j["gross_output_growth"] = Opt(f.gross_output_growth);
  j["zone_output_share"] = Opt(f.zone_output_share);
  j["leading_va_share"] = Opt(f.leading_va_share);
  j["firms_over_100m"] = Opt(f.firms_over_100m);
  if (f.rating) {
    j["rating"] = {{"scheme", f.rating->scheme},
                   {"scheme_zh", f.rating->scheme_zh},
                   {"scheme_en", f.rating->scheme_en},
                   {"score", f.rating->score},
                   {"grade", f.rating->grade},
                   {"rank", f.rating->rank},
                   {"of", f.rating->of},
                   {"expert_included", f.rating->expert_included}};
  } else {
    j["rating"] = nullptr;
  }
  nlohmann::ordered_json dims = nlohmann::ordered_json::array();
  for (const auto& d : f.dimensions) {
    nlohmann::ordered_json behind = nlohmann::ordered_json::array();
    for (const auto& i : d.behind) {
      behind.push_back({{"zh", i.zh},
                        {"en", i.en},
                        {"value_zh", i.value_zh},
                        {"value_en", i.value_en},
                        {"percentile", i.percentile}});
      if (i.less_is_better) behind.back()["less_is_better"] = true;
    }
    dims.push_back({{"id", d.id},
                    {"zh", d.zh},
                    {"en", d.en},
                    {"percentile", d.percentile},
                    {"flagged", d.flagged},
                    {"behind", behind}});
  }
  j["dimensions"] = dims;
  j["weakest"] = f.weakest;
  j["backbone_names"] = f.backbone_names;
  j["top3_share"] = Opt(f.top3_share);
  j["largest_share"] = Opt(f.largest_share);
  j["depends_on_one"] = f.depends_on_one;
  if (!f.sme_applicable) j["sme_applicable"] = false;
  if (!f.not_rated_zh.empty()) j["not_rated"] = {{"zh", f.not_rated_zh}, {"en", f.not_rated_en}};
  j["sme_qualifying"] = f.sme_qualifying;
  j["sme_nearly"] = f.sme_nearly;
  j["nearly_name"] = Opt(f.nearly_name);
  j["nearly_gap_zh"] = f.nearly_gap_zh;
  j["nearly_gap_en"] = f.nearly_gap_en;
  j["high_tech_candidates"] = f.high_tech_candidates;
  j["has_construction_body"] = f.has_construction_body;
  j["has_alliance"] = f.has_alliance;
  j["institutions"] = f.institutions;
  return j;
}

Result<BriefFacts> BriefFactsFromJson(const nlohmann::json& j) {
  try {
    BriefFacts f;
    f.cluster_id = j.at("cluster_id").get<std::string>();
    f.cluster_name = j.value("cluster_name", "");
    f.zone_name = j.value("zone_name", "");
    f.year = j.at("year").get<int>();
    f.firm_count = Get<int64_t>(j, "firm_count");
    f.zone_producing_share = Get<double>(j, "zone_producing_share");
    if (auto yuan = Get<double>(j, "gross_output_yuan")) f.gross_output = std::llround(*yuan * 100);
    f.gross_output_growth = Get<double>(j, "gross_output_growth");
    f.zone_output_share = Get<double>(j, "zone_output_share");
    f.leading_va_share = Get<double>(j, "leading_va_share");
    f.firms_over_100m = Get<int64_t>(j, "firms_over_100m");
    if (j.contains("rating") && !j["rating"].is_null()) {
      const auto& r = j["rating"];
      f.rating = BriefFacts::Rating{.scheme = r.value("scheme", ""),
                                    .scheme_zh = r.value("scheme_zh", ""),
                                    .scheme_en = r.value("scheme_en", ""),
                                    .score = r.value("score", 0.0),
                                    .grade = r.value("grade", ""),
                                    .rank = r.value("rank", 0),
                                    .of = r.value("of", 0),
                                    .expert_included = r.value("expert_included", false)};
    }
    for (const auto& d : j.value("dimensions", nlohmann::json::array())) {
      BriefFacts::Dimension dim{.id = d.at("id"),
                                .zh = d.value("zh", ""),
                                .en = d.value("en", ""),
                                .percentile = d.at("percentile"),
                                .flagged = d.value("flagged", false)};
      for (const auto& i : d.value("behind", nlohmann::json::array())) {
        dim.behind.push_back({i.value("zh", ""), i.value("en", ""), i.value("value_zh", ""), i.value("value_en", ""),
                              i.value("percentile", 0.0), i.value("less_is_better", false)});
      }
      f.dimensions.push_back(std::move(dim));
    }
    f.weakest = j.value("weakest", "");
    f.backbone_names = j.value("backbone_names", std::vector<std::string>{});
    f.top3_share = Get<double>(j, "top3_share");
    f.largest_share = Get<double>(j, "largest_share");
    f.depends_on_one = j.value("depends_on_one", false);
    f.sme_applicable = j.value("sme_applicable", true);
    if (j.contains("not_rated")) {
      f.not_rated_zh = j["not_rated"].value("zh", "");
      f.not_rated_en = j["not_rated"].value("en", "");
    }
    f.sme_qualifying = j.value("sme_qualifying", 0);
    f.sme_nearly = j.value("sme_nearly", 0);
    f.nearly_name = Get<std::string>(j, "nearly_name");
    f.nearly_gap_zh = j.value("nearly_gap_zh", "");
    f.nearly_gap_en = j.value("nearly_gap_en", "");
    f.high_tech_candidates = j.value("high_tech_candidates", 0);
    f.has_construction_body = j.value("has_construction_body", false);
    f.has_alliance = j.value("has_alliance", false);
    f.institutions = j.value("institutions", 0);
    return f;
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidInput(fmt::format("brief facts: {}", e.what()));
  }
}

}  // namespace clusterscope
