// The workspace's use cases (workspace.h, "use cases"): each request's defaults and composition,
// done here once for the CLI and the server alike. Each reads the data set once, through Data()
// (evaluate and diagnose: through DataFor, every cluster's members for the year and its
// look-back), and nothing else from the store but the list of years and of clusters.
#include <fmt/format.h>

#include <algorithm>

#include "clusterscope/workspace.h"

namespace clusterscope {
namespace {

// The year asked for, else the latest with reports.
Result<int> YearOrLatest(const Dataset& data, const std::optional<int>& year, const std::string& url) {
  if (year) return *year;
  const std::vector<int> have = ReportYears(data);
  if (have.empty()) return Status::NotFound(url + " holds no reports; import some first").WithId("data.no_reports");
  return have.back();
}

// The year asked for, else the latest with reports, from the store's list of years (nothing loaded).
Result<int> YearOrLatest(const std::vector<int>& have, const std::optional<int>& year, const std::string& url) {
  if (year) return *year;
  if (have.empty()) return Status::NotFound(url + " holds no reports; import some first").WithId("data.no_reports");
  return have.back();
}

// What evaluate and diagnose read: every cluster, ranked among all clusters, in `year` (and the
// years its growth indicators look back on). Loading as needed (the CLI), that is every
// cluster's members only (DataFor; a third of the national panel's firms), for those years only;
// a workspace holding the whole data set answers from it.
Result<std::shared_ptr<const Dataset>> AllClustersData(Workspace& ws, int year, bool sites = false,
                                                       const SitesRead& on_sites = {}) {
  DataScope scope{.first_year = year - kLookbackYears, .last_year = year, .sites = sites};
  CS_RETURN_IF_ERROR(ws.store().Scan(Kind::kClusters, [&](const Record& r) {
    scope.clusters.push_back(std::get<std::string>(r[0]));
    return true;
  }));
  return ws.DataFor(scope, on_sites);
}

std::string_view RuleKindId(RuleKind kind) { return kind == RuleKind::kTechSme ? "tech-sme" : "high-tech"; }

// The engine's options of a query, before the types are resolved.
place::AgglomerationOptions OptionsOf(const AgglomerationQuery& q) {
  place::AgglomerationOptions o;
  o.function = q.function;
  o.r = q.r;
  o.weighted = q.weighted;
  o.reflect = q.reflect;
  o.sims = q.sims;
  o.seed = q.seed;
  o.level = q.level;
  o.threads = q.threads;
  return o;
}

}  // namespace

Result<DemoResult> BuildDemoAt(const std::string& url, const DemoOptions& options) {
  CS_ASSIGN_OR_RETURN(auto store, OpenStore(url));
  return BuildDemo(*store, options);
}

Status CheckAgglomeration(const AgglomerationQuery& q) {
  if (q.points.empty() == q.industry.empty()) {
    return Status::Usage("agglomeration takes either --industry CODE --year Y or --points FILE --type T")
        .WithId("agglomeration.input");
  }
  if (!q.points.empty() && q.type.empty()) return Status::Usage("--points needs --type").WithId("agglomeration.input");
  return Status::Ok();
}

Result<QualifyResult> Workspace::Qualify(const QualifyQuery& query) {
  CS_ASSIGN_OR_RETURN(auto data, Data());
  CS_ASSIGN_OR_RETURN(const int year, YearOrLatest(*data, query.year, url_));
  const Lang lang = query.lang;
  QualifyResult out;
  out.kind = query.kind;
  out.year = year;
  std::vector<std::string> firms = query.firms;
  if (!query.cluster.empty()) {
    CS_ASSIGN_OR_RETURN(auto members, ClusterMembersIn(*data, query.cluster, year));
    for (const auto& [uscc, backbone] : members) firms.push_back(uscc);
    if (firms.empty()) {
      out.notes.push_back(
          fmt::format(fmt::runtime(Pick(lang, "集群{}在{}年没有成员企业", "cluster {} has no members in {}")),
                      query.cluster, year));
    }
  }
  // A cluster without members that year: nobody to assess (not every firm, as no --cluster means).
  std::vector<FirmHistory> histories;
  if (!firms.empty() || query.cluster.empty()) {
    CS_ASSIGN_OR_RETURN(histories, LoadFirmHistories(*data, firms, year));
  }
  const RuleSet* in_force = RuleSetInForce(query.kind, year);
  if (!query.rule_set.empty()) {
    const RuleSet* asked = FindRuleSet(query.rule_set);
    if (asked == nullptr || asked->kind != query.kind) {
      std::string ids;
      for (const RuleSet& r : RuleSets()) {
        if (r.kind == query.kind) ids += (ids.empty() ? "" : ", ") + std::string(r.id);
      }
      const std::string_view kind = RuleKindId(query.kind);
      return Status::Usage(fmt::format("--rule-set {}: {}", query.rule_set,
                                       Pick(lang, fmt::format("不是{}的规则集（可选：{}）", kind, ids),
                                            fmt::format("not a {} rule set (one of: {})", kind, ids))))
          .WithId("rules.unknown_rule_set");
    }
    if (asked != in_force && in_force != nullptr) {
      out.notes.push_back(
          fmt::format(fmt::runtime(Pick(lang, "假设分析：{}年适用的规则集为{}，此处按{}计算",
                                        "what-if: {} was assessed under {}; computed under {} instead")),
                      year, in_force->id, asked->id));
    } else if (asked != in_force) {
      out.notes.push_back(fmt::format(fmt::runtime(Pick(lang, "假设分析：{}年尚无适用的规则集，此处按{}计算",
                                                        "what-if: no rule set of this kind was in force in {}; "
                                                        "computed under {}")),
                                      year, asked->id));
    }
  }
  out.firms.reserve(histories.size());
  for (const FirmHistory& h : histories) {
    out.firms.push_back(query.kind == RuleKind::kTechSme ? EvaluateTechSme(h, year, query.rule_set)
                                                         : EvaluateHighTech(h, year, query.rule_set));
  }
  out.rule_set = !out.firms.empty()    ? out.firms.front().rule_set
                 : in_force != nullptr ? std::string(in_force->id)
                                       : std::string(FirstRuleSet(query.kind));
  out.what_if = !out.firms.empty() && out.firms.front().what_if;
  return out;
}

Result<EvaluateResult> Workspace::Evaluate(const EvaluateQuery& query) {
  // The scheme first: a bad scheme file is the user's to fix before any data are read.
  CS_ASSIGN_OR_RETURN(Scheme scheme, LoadScheme(query.scheme, query.lang));
  CS_ASSIGN_OR_RETURN(const std::vector<int> years, ReportYears());
  CS_ASSIGN_OR_RETURN(const int year, YearOrLatest(years, query.year, url_));
  if (std::find(years.begin(), years.end(), year) == years.end()) {
    return Status::NotFound(fmt::format("{}: {}", url_,
                                        Pick(query.lang, fmt::format("没有{}年的年报", year),
                                             fmt::format("no reports for {}", year))))
        .WithId("data.no_reports");
  }
  CS_ASSIGN_OR_RETURN(auto data, AllClustersData(*this, year));
  auto input = GatherEvaluationInput(*data, scheme, year);
  if (!input.ok() && OutsideScope(input.status())) {
    CS_ASSIGN_OR_RETURN(data, Data());
    input = GatherEvaluationInput(*data, scheme, year);
  }
  if (!input.ok()) return input.status();
  CS_ASSIGN_OR_RETURN(EvaluationResult result, clusterscope::Evaluate(scheme, *input));
  return EvaluateResult{std::move(scheme), std::move(result)};
}

Result<Diagnosis> Workspace::Diagnose(const DiagnoseQuery& query) {
  CS_ASSIGN_OR_RETURN(const std::vector<int> years, ReportYears());
  CS_ASSIGN_OR_RETURN(const int year, YearOrLatest(years, query.year, url_));
  CS_ASSIGN_OR_RETURN(auto data, AllClustersData(*this, year));
  DiagnoseOptions options;
  for (const std::string& id : query.rule_sets) {
    const RuleSet* rs = FindRuleSet(id);
    if (rs == nullptr) {
      return Status::Usage(fmt::format("--rule-set {}: {}", id,
                                       Pick(query.lang, "未知规则集（tech-sme-2017、high-tech-2008、high-tech-2016）",
                                            "unknown rule set (tech-sme-2017, high-tech-2008, high-tech-2016)")))
          .WithId("rules.unknown_rule_set");
    }
    (rs->kind == RuleKind::kTechSme ? options.tech_sme_rule_set : options.high_tech_rule_set) = id;
  }
  auto diagnosis = clusterscope::Diagnose(*data, query.cluster, year, options);
  if (!diagnosis.ok() && OutsideScope(diagnosis.status())) {
    CS_ASSIGN_OR_RETURN(data, Data());
    diagnosis = clusterscope::Diagnose(*data, query.cluster, year, options);
  }
  return diagnosis;
}

Result<BriefResult> Workspace::Brief(const BriefQuery& query) {
  if (query.clusters.empty() == query.region.empty()) {
    return Status::Usage("brief: give --cluster ID (once or more) or --region CODE").WithId("brief.scope");
  }
  // A cluster's brief (prose and facts) reads what its rating and diagnosis read, every cluster's
  // members over the year and its look-back years, and the year's sites for the localisation
  // test; a region's survey, the charts (every year) and the workbook read the whole data set.
  std::shared_ptr<const Dataset> data;
  int year = 0;
  const bool scoped = query.region.empty() && !query.charts && !query.workbook;
  // The clusters' localisation tests, started on other threads as soon as the scoped load has
  // read the sites, so that they run while the rest of the data set is read (most of that read
  // is one thread's pass over the register). Each test gets its own copy of the sites.
  LocalisationTests tests;
  const auto start_tests = [&](const Dataset& partial) {
    StartLocalisationTests(partial, query.clusters, year, tests);
  };
  if (scoped) {
    CS_ASSIGN_OR_RETURN(const std::vector<int> years, ReportYears());
    CS_ASSIGN_OR_RETURN(year, YearOrLatest(years, query.year, url_));
    CS_ASSIGN_OR_RETURN(data, AllClustersData(*this, year, true, start_tests));
  } else {
    CS_ASSIGN_OR_RETURN(data, Data());
    CS_ASSIGN_OR_RETURN(year, YearOrLatest(*data, query.year, url_));
  }
  BriefResult out;
  std::vector<std::string> ids = query.clusters;
  out.scope.year = year;
  if (!query.region.empty()) {
    CS_ASSIGN_OR_RETURN(auto region, RegionSurvey(*data, query.region, year));
    ids = std::move(region.first);
    out.scope = std::move(region.second);
  }
  out.survey = !query.region.empty() || ids.size() > 1;
  if (out.survey && query.workbook) {
    return Status::Usage("brief --xlsx takes one cluster; write one workbook per --cluster").WithId("brief.scope");
  }
  // Evaluation and diagnosis run once per cluster here, for the prose, the HTML, the Word
  // document and the workbook alike. What the scoped data set cannot answer (a scheme that
  // compares with zones or the nation) the whole data set answers, for every cluster.
  const auto gather = [&](const Dataset& d) -> Result<std::vector<BriefSources>> {
    std::vector<BriefSources> all;
    for (const std::string& id : ids) {
      CS_ASSIGN_OR_RETURN(BriefSources s, GatherBrief(d, id, year, &tests));
      all.push_back(std::move(s));
    }
    return all;
  };
  auto gathered = gather(*data);
  if (!gathered.ok() && scoped && OutsideScope(gathered.status())) {
    CS_ASSIGN_OR_RETURN(data, Data());
    gathered = gather(*data);
  }
  CS_RETURN_IF_ERROR(gathered.status());
  for (BriefSources& s : *gathered) {
    out.facts.push_back(s.facts);
    out.sources.push_back(std::move(s));
  }
  if (query.charts) {
    for (const BriefSources& s : out.sources) {
      CS_ASSIGN_OR_RETURN(BriefCharts c, GatherBriefCharts(*data, s));
      out.charts.push_back(std::move(c));
    }
  }
  out.data = std::move(data);
  return out;
}

Status Workspace::Export(const ExportRequest& request, Lang lang, const std::string& path) {
  CS_ASSIGN_OR_RETURN(auto data, Data());
  return ExportWorkbook(*data, request, lang, path);
}

Result<SpecialisationResult> Workspace::Specialisation(const SpecialisationQuery& query) {
  CS_ASSIGN_OR_RETURN(auto data, Data());
  CS_ASSIGN_OR_RETURN(const int year, YearOrLatest(*data, query.year, url_));
  place::AreaRequest req;
  req.year = year;
  req.measure = query.measure;
  req.region_level = query.region_level;
  req.industry_level = query.industry_level;
  req.industries = query.industries;
  CS_ASSIGN_OR_RETURN(place::AreaInputs in, place::LoadAreaMatrix(*data, req));
  CS_ASSIGN_OR_RETURN(auto values, place::ComputeAreaIndex(in, query.index, query.group));
  SpecialisationResult out{.query = query, .matrix = std::move(in.matrix), .values = std::move(values)};
  out.query.year = year;
  return out;
}

Result<AgglomerationSetup> AgglomerationFromPoints(const AgglomerationQuery& query) {
  CS_RETURN_IF_ERROR(CheckAgglomeration(query));
  if (query.points.empty()) {
    return Status::Usage("agglomeration over a points file needs --points FILE").WithId("agglomeration.input");
  }
  AgglomerationSetup setup;
  CS_ASSIGN_OR_RETURN(setup.points, place::LoadPointsCsv(query.points));
  const auto find = [&](const std::string& t) {
    for (size_t i = 0; i < setup.points.type_names.size(); ++i) {
      if (setup.points.type_names[i] == t) return static_cast<int32_t>(i);
    }
    return int32_t{-1};
  };
  setup.options = OptionsOf(query);
  setup.options.reference = find(query.type);
  setup.options.neighbour = query.versus.empty() ? setup.options.reference : find(query.versus);
  if (setup.options.reference < 0 || setup.options.neighbour < 0) {
    return Status::NotFound(fmt::format("{}: no point of type \"{}\"", query.points,
                                        setup.options.reference < 0 ? query.type : query.versus));
  }
  return setup;
}

Result<AgglomerationSetup> Workspace::PrepareAgglomeration(const AgglomerationQuery& query) {
  CS_RETURN_IF_ERROR(CheckAgglomeration(query));
  if (!query.points.empty()) return AgglomerationFromPoints(query);
  CS_ASSIGN_OR_RETURN(auto data, Data());
  CS_ASSIGN_OR_RETURN(const int year, YearOrLatest(*data, query.year, url_));
  AgglomerationSetup setup;
  CS_ASSIGN_OR_RETURN(setup.points, place::LoadFirmPoints(*data, year, query.industry, query.versus, query.weighted));
  setup.options = OptionsOf(query);
  // LoadFirmPoints' types: 0 the other firms, 1 the industry, 2 the one it is compared with.
  setup.options.reference = 1;
  setup.options.neighbour = query.versus.empty() ? 1 : 2;
  return setup;
}

Result<place::AgglomerationResult> Workspace::Agglomeration(const AgglomerationQuery& query) {
  CS_ASSIGN_OR_RETURN(AgglomerationSetup setup, PrepareAgglomeration(query));
  return place::RunAgglomeration(setup.points, setup.options);
}

}  // namespace clusterscope
