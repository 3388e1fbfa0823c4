// GatherBriefFacts: the numbers a briefing states, from the indicator engine, the annual
// evaluation and the diagnosis; and BriefFacts ↔ JSON.
#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <tuple>

#include "briefing/style.h"
#include "clusterscope/briefing.h"
#include "clusterscope/diagnosis.h"
#include "clusterscope/evaluation.h"
#include "clusterscope/stats.h"
#include "indicators/dataset.h"
#include "refdata/builtin.h"

namespace clusterscope {
namespace {

// The annual scheme's evaluation of every cluster in `year`: the rating in the prose, the
// dimension chart and the workbook's 评价 sheet all come from it.
Result<std::pair<Scheme, EvaluationResult>> AnnualEvaluation(const Dataset& data, int year) {
  CS_ASSIGN_OR_RETURN(Scheme scheme, LoadScheme("annual", Lang::kEn));
  CS_ASSIGN_OR_RETURN(EvaluationInput input, GatherEvaluationInput(data, scheme, year));
  CS_ASSIGN_OR_RETURN(EvaluationResult result, Evaluate(scheme, input));
  return std::pair{std::move(scheme), std::move(result)};
}

// Whether the cluster's first leading industry is localised across the country (the facts'
// Localisation; its curve and bands stay in the sources for the chart): the test already run for
// it when `tests` has one, else run now.
Status GatherLocalisation(const Dataset& data, const ClusterInfo& cluster, int year, const LocalisationTests* tests,
                          BriefSources& sources) {
  if (cluster.leading.empty()) return Status::Ok();
  const std::string& industry = cluster.leading.front();
  const auto ran = tests != nullptr ? tests->find(industry) : LocalisationTests::const_iterator();
  Result<std::optional<LocalisationTest>> test =
      tests != nullptr && ran != tests->end() ? ran->second.get() : TestLocalisation(data, industry, year);
  CS_RETURN_IF_ERROR(test.status());
  if (!test->has_value()) return Status::Ok();
  sources.facts.localisation = (*test)->facts;
  sources.localisation = (*test)->kd;
  return Status::Ok();
}

}  // namespace

Result<std::optional<LocalisationTest>> TestLocalisation(const Dataset& data, const std::string& industry, int year) {
  // A scoped data set holds only some clusters' firms: the country's sites are there only when
  // the load was asked for them (DataScope::sites).
  if (data.scope && (!data.sites || data.sites->year != year)) return std::optional<LocalisationTest>();
  using Localisation = BriefFacts::Localisation;
  LocalisationTest test;
  Localisation& loc = test.facts;
  loc.industry = industry;
  for (const refdata::IndustryEntry& e : refdata::BuiltinIndustries()) {
    if (e.code == loc.industry) loc.industry_name = std::string(e.name);
  }
  place::AgglomerationOptions options = BriefLocalisationOptions();
  loc.r_max_km = options.r.back();
  loc.sims = options.sims;
  loc.seed = options.seed;
  loc.level = options.level;
  auto points = place::LoadFirmPoints(data, year, loc.industry, "", false);
  if (!points.ok()) {
    if (points.status().code() != StatusCode::kNotFound) return points.status();
    loc.status = Localisation::Status::kNoCoordinates;
    return std::optional<LocalisationTest>(std::move(test));
  }
  loc.sites = static_cast<int64_t>(points->size());
  loc.firms = std::count(points->type.begin(), points->type.end(), 1);  // LoadFirmPoints: 1 = the industry
  if (loc.firms < Localisation::kMinFirms) {
    loc.status = Localisation::Status::kTooFewFirms;
    return std::optional<LocalisationTest>(std::move(test));
  }
  loc.tested = place::SampleType(*points, 1, Localisation::kMaxTestedFirms, options.seed);
  options.reference = options.neighbour = 1;
  CS_ASSIGN_OR_RETURN(place::AgglomerationResult kd, place::RunAgglomeration(*points, options));
  loc.verdict = kd.verdict.verdict;
  loc.localised_at = kd.verdict.above;
  loc.dispersed_at = kd.verdict.below;
  loc.bandwidth_km = kd.observed.curve.bandwidth;
  test.kd = std::move(kd);
  return std::optional<LocalisationTest>(std::move(test));
}

void StartLocalisationTests(const Dataset& data, const std::vector<std::string>& cluster_ids, int year,
                            LocalisationTests& tests) {
  if (!data.sites || data.sites->year != year) return;  // the tests run later, on the whole data set
  auto sites = std::make_shared<Dataset>();
  sites->scope = data.scope;
  sites->sites = data.sites;
  for (const std::string& id : cluster_ids) {
    const auto c = data.cluster_index.find(id);
    if (c == data.cluster_index.end()) continue;
    const std::vector<std::string>& leading = data.clusters[static_cast<size_t>(c->second)].leading;
    if (leading.empty() || tests.contains(leading.front())) continue;
    tests.emplace(leading.front(), std::async(std::launch::async, [sites, industry = leading.front(), year] {
                                     return TestLocalisation(*sites, industry, year);
                                   }).share());
  }
}

place::AgglomerationOptions BriefLocalisationOptions() {
  place::AgglomerationOptions o;
  o.function = place::Function::kKd;
  for (int km = 0; km <= 200; ++km) o.r.push_back(km);
  o.sims = 99;
  o.seed = 1;
  o.level = 0.05;
  return o;
}

Result<BriefFacts> GatherBriefFacts(const Dataset& data, const std::string& cluster_id, int year) {
  CS_ASSIGN_OR_RETURN(BriefSources sources, GatherBrief(data, cluster_id, year));
  return std::move(sources.facts);
}

Result<BriefSources> GatherBrief(const Dataset& data, const std::string& cluster_id, int year,
                                 const LocalisationTests* tests) {
  BriefSources sources;
  BriefFacts& f = sources.facts;
  f.cluster_id = cluster_id;
  f.year = year;

  auto found = data.cluster_index.find(cluster_id);
  if (found == data.cluster_index.end()) {
    return Status::NotFound(fmt::format("cluster {} is not in the register", cluster_id)).WithId("cluster.unknown");
  }
  const ClusterInfo& cluster = data.clusters[static_cast<size_t>(found->second)];
  f.cluster_name = cluster.name;
  f.cluster_name_en = cluster.name_en;
  // The construction body and the alliance as the register has them, whatever the year's reports.
  f.has_construction_body = !cluster.construction_body.empty();
  f.has_alliance = !cluster.alliance.empty();
  if (cluster.zone >= 0) {
    f.zone_name = data.zones[static_cast<size_t>(cluster.zone)].name;
    f.zone_name_en = data.zones[static_cast<size_t>(cluster.zone)].name_en;
  }
  if (const auto years = data.scope ? data.stored_years : ReportYears(data); !years.empty()) {
    f.latest_year = years.back();
  }

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
  auto evaluation = AnnualEvaluation(data, year);
  if (!evaluation.ok() &&
      (evaluation.status().code() == StatusCode::kEnvironment || OutsideScope(evaluation.status()))) {
    return evaluation.status();  // the caller reads the whole data set instead
  }
  if (!evaluation.ok()) sources.evaluation_error = evaluation.status().message();
  if (evaluation.ok()) {
    const Scheme& scheme = evaluation->first;
    sources.evaluation = evaluation->second;
    for (const ClusterEvaluation& c : evaluation->second.clusters) {
      if (c.cluster_id == cluster_id && !c.rated) {
        // The bare reason: the prose says "not rated" in its own words.
        const auto bare = [](const std::string& text, std::string_view prefix) {
          return text.starts_with(prefix) ? text.substr(prefix.size()) : text;
        };
        f.not_rated_zh = bare(c.reason_zh, "不评价：");
        f.not_rated_en = bare(c.reason_en, "not rated: ");
      }
      if (c.cluster_id != cluster_id || !c.score) continue;
      f.rating = BriefFacts::Rating{.scheme = scheme.id,
                                    .scheme_zh = scheme.zh,
                                    .scheme_en = scheme.en,
                                    .score = *c.score,
                                    .grade = c.grade_zh,
                                    .grade_en = c.grade_en,
                                    .rank = c.rank.value_or(0),
                                    .of = c.peers,
                                    .expert_included = c.expert_used};
    }
  }

  CS_RETURN_IF_ERROR(GatherLocalisation(data, cluster, year, tests, sources));

  // The diagnosis.
  auto diagnosis = Diagnose(data, cluster_id, year);
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
        // The briefing's number style, every value with its unit (0.6人/千人, 34万元/家).
        const auto value = [&](Lang lang) {
          return ind.value ? briefing::FormatRatio(*ind.value, ind.unit, lang) : FormatDiagnosisValue(ind, lang);
        };
        out.behind.push_back({ind.zh, ind.en, value(Lang::kZh), value(Lang::kEn), *ind.percentile_all,
                              ind.direction == IndicatorDirection::kLess});
      }
    }
    f.dimensions.push_back(std::move(out));
  }
  const auto english_name = [&](const std::string& uscc) -> Result<std::string> {
    const int32_t firm = FindFirm(data, uscc);
    return firm >= 0 ? data.firms[static_cast<size_t>(firm)].name_en : std::string();
  };
  for (const BackboneFirm& b : d.backbone) {
    if (!b.gross_output) continue;
    f.backbone_names.push_back(b.name);
    CS_ASSIGN_OR_RETURN(std::string en, english_name(b.uscc));
    f.backbone_names_en.push_back(std::move(en));
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
    CS_ASSIGN_OR_RETURN(f.nearly_name_en, english_name(best->uscc));
    for (const Gap& g : best->qualification.gaps) {
      if (g.reaches_bar) {  // a step that reaches the pass mark (rules.h kTechSmePassMark)
        f.nearly_gap_zh = g.text.zh;
        f.nearly_gap_en = g.text.en;
        break;
      }
    }
  }
  f.high_tech_candidates = static_cast<int>(d.high_tech_candidates.size());
  for (const auto& [category, n] : d.institutions) f.institutions += n;
  return sources;
}

Result<BriefCharts> GatherBriefCharts(const Dataset& data, const BriefSources& sources) {
  const std::string& cluster_id = sources.facts.cluster_id;
  const int year = sources.facts.year;
  BriefCharts charts;
  // Output over every year with reports (the brief's year highlighted where the chart is drawn).
  charts.year = year;
  const std::vector<int> years = ReportYears(data);
  const int first = years.empty() ? year : std::min(year, years.front());
  const int last = years.empty() ? year : std::max(year, years.back());
  IndicatorRequest series;
  series.entities = {{EntityKind::kCluster, cluster_id}};
  series.first_year = first;
  series.last_year = last;
  series.only = {"gross_output", "gross_output_growth"};
  CS_ASSIGN_OR_RETURN(auto values, ComputeIndicators(data, series));
  for (int y = first; y <= last; ++y) charts.output.push_back({y, std::nullopt, std::nullopt});
  for (const IndicatorValue& v : values) {
    auto& slot = charts.output[static_cast<size_t>(v.year - first)];
    if (v.indicator->id == "gross_output") slot.gross_output = v.AsDouble();
    if (v.indicator->id == "gross_output_growth") slot.growth = v.AsDouble();
  }
  while (!charts.output.empty() && !charts.output.front().gross_output) charts.output.erase(charts.output.begin());
  while (!charts.output.empty() && !charts.output.back().gross_output) charts.output.pop_back();

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

  if (sources.localisation && sources.facts.localisation) {
    const place::AgglomerationResult& kd = *sources.localisation;
    BriefCharts::Localisation loc{.industry = sources.facts.localisation->industry,
                                  .r = kd.options.r,
                                  .kd = kd.observed.curve.value,
                                  .sims = kd.options.sims};
    if (kd.bands) {
      loc.global_lo = kd.bands->global_lo;
      loc.global_hi = kd.bands->global_hi;
    }
    charts.localisation = std::move(loc);
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

using Localisation = BriefFacts::Localisation;

constexpr std::pair<Localisation::Status, std::string_view> kLocalisationStatus[] = {
    {Localisation::Status::kTested, "tested"},
    {Localisation::Status::kNoCoordinates, "no_coordinates"},
    {Localisation::Status::kTooFewFirms, "too_few_firms"}};

nlohmann::ordered_json Intervals(const std::vector<place::Interval>& v) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const place::Interval& i : v) a.push_back({i.from, i.to});
  return a;
}

nlohmann::ordered_json LocalisationToJson(const Localisation& l) {
  nlohmann::ordered_json j;
  for (const auto& [status, id] : kLocalisationStatus) {
    if (status == l.status) j["status"] = id;
  }
  j["industry"] = l.industry;
  j["industry_name"] = l.industry_name;
  j["firms"] = l.firms;
  j["sites"] = l.sites;
  j["tested"] = l.tested;
  j["verdict"] = place::VerdictId(l.verdict);
  j["localised_at_km"] = Intervals(l.localised_at);
  j["dispersed_at_km"] = Intervals(l.dispersed_at);
  j["r_max_km"] = l.r_max_km;
  j["sims"] = l.sims;
  j["seed"] = l.seed;
  j["level"] = l.level;
  j["bandwidth_km"] = l.bandwidth_km;
  return j;
}

Result<Localisation> LocalisationFromJson(const nlohmann::json& j) {
  Localisation l;
  const std::string status = j.value("status", "tested");
  bool known = false;
  for (const auto& [s, id] : kLocalisationStatus) {
    if (id == status) {
      l.status = s;
      known = true;
    }
  }
  if (!known) return Status::InvalidInput(fmt::format("brief facts: localisation status \"{}\"", status));
  l.industry = j.value("industry", "");
  l.industry_name = j.value("industry_name", "");
  l.firms = j.value("firms", int64_t{0});
  l.sites = j.value("sites", int64_t{0});
  l.tested = j.value("tested", l.firms);  // facts written before sampling: every firm was tested
  const std::string verdict = j.value("verdict", "not_tested");
  for (place::Verdict v :
       {place::Verdict::kLocalised, place::Verdict::kDispersed, place::Verdict::kNeither, place::Verdict::kNotTested}) {
    if (place::VerdictId(v) == verdict) l.verdict = v;
  }
  for (const auto& [key, out] :
       {std::pair{"localised_at_km", &l.localised_at}, std::pair{"dispersed_at_km", &l.dispersed_at}}) {
    for (const auto& i : j.value(key, nlohmann::json::array()))
      out->push_back({i.at(0).get<double>(), i.at(1).get<double>()});
  }
  l.r_max_km = j.value("r_max_km", 0.0);
  l.sims = j.value("sims", 0);
  l.seed = j.value("seed", uint64_t{0});
  l.level = j.value("level", 0.05);
  l.bandwidth_km = j.value("bandwidth_km", 0.0);
  return l;
}

}  // namespace

nlohmann::ordered_json BriefFactsToJson(const BriefFacts& f) {
  nlohmann::ordered_json j;
  j["cluster_id"] = f.cluster_id;
  j["cluster_name"] = f.cluster_name;
  j["cluster_name_en"] = f.cluster_name_en;
  j["zone_name"] = f.zone_name;
  j["zone_name_en"] = f.zone_name_en;
  j["year"] = f.year;
  j["latest_year"] = f.latest_year;
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
                   {"grade_en", f.rating->grade_en},
                   {"rank", f.rating->rank},
                   {"of", f.rating->of},
                   {"expert_included", f.rating->expert_included}};
  } else {
    j["rating"] = nullptr;
  }
  j["not_rated_zh"] = f.not_rated_zh;
  j["not_rated_en"] = f.not_rated_en;
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
  j["backbone_names_en"] = f.backbone_names_en;
  j["top3_share"] = Opt(f.top3_share);
  j["largest_share"] = Opt(f.largest_share);
  j["depends_on_one"] = f.depends_on_one;
  if (!f.sme_applicable) j["sme_applicable"] = false;
  if (!f.not_rated_zh.empty()) j["not_rated"] = {{"zh", f.not_rated_zh}, {"en", f.not_rated_en}};
  j["sme_qualifying"] = f.sme_qualifying;
  j["sme_nearly"] = f.sme_nearly;
  j["nearly_name"] = Opt(f.nearly_name);
  j["nearly_name_en"] = f.nearly_name_en;
  j["nearly_gap_zh"] = f.nearly_gap_zh;
  j["nearly_gap_en"] = f.nearly_gap_en;
  j["high_tech_candidates"] = f.high_tech_candidates;
  j["has_construction_body"] = f.has_construction_body;
  j["has_alliance"] = f.has_alliance;
  j["institutions"] = f.institutions;
  if (f.localisation) j["localisation"] = LocalisationToJson(*f.localisation);
  return j;
}

Result<BriefFacts> BriefFactsFromJson(const nlohmann::json& j) {
  try {
    BriefFacts f;
    f.cluster_id = j.at("cluster_id").get<std::string>();
    f.cluster_name = j.value("cluster_name", "");
    f.cluster_name_en = j.value("cluster_name_en", "");
    f.zone_name = j.value("zone_name", "");
    f.zone_name_en = j.value("zone_name_en", "");
    f.year = j.at("year").get<int>();
    f.latest_year = j.value("latest_year", 0);
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
                                    .grade_en = r.value("grade_en", ""),
                                    .rank = r.value("rank", 0),
                                    .of = r.value("of", 0),
                                    .expert_included = r.value("expert_included", false)};
    }
    f.not_rated_zh = j.value("not_rated_zh", "");
    f.not_rated_en = j.value("not_rated_en", "");
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
    f.backbone_names_en = j.value("backbone_names_en", std::vector<std::string>{});
    f.backbone_names_en.resize(f.backbone_names.size());
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
    f.nearly_name_en = j.value("nearly_name_en", "");
    f.nearly_gap_zh = j.value("nearly_gap_zh", "");
    f.nearly_gap_en = j.value("nearly_gap_en", "");
    f.high_tech_candidates = j.value("high_tech_candidates", 0);
    f.has_construction_body = j.value("has_construction_body", false);
    f.has_alliance = j.value("has_alliance", false);
    f.institutions = j.value("institutions", 0);
    if (j.contains("localisation") && !j["localisation"].is_null()) {
      CS_ASSIGN_OR_RETURN(f.localisation, LocalisationFromJson(j["localisation"]));
    }
    return f;
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidInput(fmt::format("brief facts: {}", e.what()));
  }
}

namespace {

// Provinces' English names by the first two digits of their GB/T 2260 code.
std::string ProvinceEn(std::string_view two) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"11", "Beijing"},  {"12", "Tianjin"},   {"13", "Hebei"},        {"14", "Shanxi"},    {"15", "Inner Mongolia"},
      {"21", "Liaoning"}, {"22", "Jilin"},     {"23", "Heilongjiang"}, {"31", "Shanghai"},  {"32", "Jiangsu"},
      {"33", "Zhejiang"}, {"34", "Anhui"},     {"35", "Fujian"},       {"36", "Jiangxi"},   {"37", "Shandong"},
      {"41", "Henan"},    {"42", "Hubei"},     {"43", "Hunan"},        {"44", "Guangdong"}, {"45", "Guangxi"},
      {"46", "Hainan"},   {"50", "Chongqing"}, {"51", "Sichuan"},      {"52", "Guizhou"},   {"53", "Yunnan"},
      {"54", "Tibet"},    {"61", "Shaanxi"},   {"62", "Gansu"},        {"63", "Qinghai"},   {"64", "Ningxia"},
      {"65", "Xinjiang"}, {"71", "Taiwan"},    {"81", "Hong Kong"},    {"82", "Macao"}};
  for (const auto& [code, name] : kNames) {
    if (code == two) return std::string(name);
  }
  return "";
}

}  // namespace

Result<std::pair<std::vector<std::string>, SurveyScope>> RegionSurvey(const Dataset& data, const std::string& code,
                                                                      int year) {
  if (code.empty() || code.size() > 6 || code.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidInput(fmt::format("--region {}: not a GB/T 2260 code (two to six digits)", code));
  }
  // "630000" and "63" both mean the province; "630100" and "6301" the prefecture.
  std::string prefix = code;
  while (prefix.size() > 2 && prefix.ends_with("00")) prefix.resize(prefix.size() - 2);
  std::string full = prefix;
  full.resize(6, '0');
  SurveyScope scope;
  scope.year = year;
  if (auto region = data.region_names.find(full); region != data.region_names.end()) scope.region_zh = region->second;
  if (prefix.size() == 2) scope.region_en = ProvinceEn(prefix);
  if (scope.region_en.empty()) scope.region_en = scope.region_zh;

  struct Found {
    std::string region, id, name, name_en;
    int recognised = 0;
  };
  std::vector<Found> found;
  for (const ClusterInfo& c : data.clusters) {
    // A zone's region as the register writes it: six digits.
    const std::string region_code =
        c.zone >= 0 ? fmt::format("{:06d}", data.zones[static_cast<size_t>(c.zone)].region) : std::string();
    if (region_code.starts_with(prefix)) found.push_back({region_code, c.id, c.name, c.name_en, c.recognised_year});
  }
  if (found.empty()) return Status::NotFound(fmt::format("--region {}: no cluster has its zone in that region", code));
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return std::tie(a.region, a.id) < std::tie(b.region, b.id); });
  std::vector<std::string> ids;
  for (const Found& c : found) {
    if (c.recognised > 0 && c.recognised <= year) {
      ids.push_back(c.id);
    } else {
      scope.left_out_zh.push_back(c.name);
      scope.left_out_en.push_back(c.name_en.empty() ? c.name : "the " + c.name_en);
    }
  }
  if (ids.empty()) {
    return Status::NotFound(fmt::format(
        "--region {}: no cluster there was recognised as an innovation-oriented cluster by {}", code, year));
  }
  return std::pair{std::move(ids), std::move(scope)};
}

nlohmann::ordered_json SurveyToJson(const std::vector<BriefFacts>& clusters, const SurveyScope& scope) {
  nlohmann::ordered_json j;
  j["region_zh"] = scope.region_zh;
  j["region_en"] = scope.region_en;
  j["year"] = scope.year;
  j["left_out_zh"] = scope.left_out_zh;
  j["left_out_en"] = scope.left_out_en;
  j["clusters"] = nlohmann::ordered_json::array();
  for (const BriefFacts& f : clusters) j["clusters"].push_back(BriefFactsToJson(f));
  return j;
}

Result<std::pair<std::vector<BriefFacts>, SurveyScope>> SurveyFromJson(const nlohmann::json& j) {
  try {
    SurveyScope scope;
    scope.region_zh = j.value("region_zh", "");
    scope.region_en = j.value("region_en", "");
    scope.year = j.value("year", 0);
    scope.left_out_zh = j.value("left_out_zh", std::vector<std::string>{});
    scope.left_out_en = j.value("left_out_en", std::vector<std::string>{});
    std::vector<BriefFacts> clusters;
    for (const auto& c : j.at("clusters")) {
      CS_ASSIGN_OR_RETURN(BriefFacts f, BriefFactsFromJson(c));
      clusters.push_back(std::move(f));
    }
    return std::pair{std::move(clusters), std::move(scope)};
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidInput(fmt::format("survey facts: {}", e.what()));
  }
}

}  // namespace clusterscope
