// One year's matrix for a scheme: indicator values from the engine, institutions by category and
// expert scores from the store.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "clusterscope/evaluation.h"

namespace clusterscope {
namespace {

const std::string* Text(const Value& v) { return std::get_if<std::string>(&v); }

// Every indicator id the scheme reads.
std::set<std::string> SchemeIndicatorIds(const Scheme& scheme) {
  std::set<std::string> ids;
  for (const SchemeDimension& d : scheme.dimensions) {
    for (const SchemeIndicator& i : d.indicators) ids.insert(i.id);
  }
  for (const auto& [role, id] : scheme.roles) ids.insert(id);
  return ids;
}

}  // namespace

Result<EvaluationInput> GatherEvaluationInput(Store& store, const Dataset& data, const Scheme& scheme, int year,
                                              Lang lang) {
  EvaluationInput input;
  input.year = year;
  const std::set<std::string> wanted = SchemeIndicatorIds(scheme);

  // Catalogue indicators, plus firm_count (small clusters) and employees (zone shares).
  IndicatorRequest req;
  req.entities = AllEntities(data, EntityKind::kCluster);
  req.first_year = req.last_year = year;
  std::set<std::string> catalogue_ids = {"firm_count"};
  const bool zone_share = wanted.contains("zone_employment_share");
  if (zone_share) catalogue_ids.insert("employees");
  for (const std::string& id : wanted) {
    if (FindIndicator(id) != nullptr) catalogue_ids.insert(id);
  }
  req.only.assign(catalogue_ids.begin(), catalogue_ids.end());
  CS_ASSIGN_OR_RETURN(std::vector<IndicatorValue> values, ComputeIndicators(data, req));

  std::map<std::string, size_t> index;
  for (const EntityRef& ref : req.entities) {
    index[ref.id] = input.subjects.size();
    EvaluationSubject s;
    s.cluster_id = ref.id;
    input.subjects.push_back(std::move(s));
  }
  for (const IndicatorValue& v : values) {
    EvaluationSubject& s = input.subjects[index.at(v.entity.id)];
    s.name = v.entity_name;
    std::string id(v.indicator->id);
    if (id == "firm_count" && v.integer) s.firm_count = static_cast<int>(*v.integer);
    if (auto d = v.AsDouble()) {
      s.values[id] = *d;
    } else {
      s.missing_reasons[id] = std::string(NullReasonId(v.reason));
    }
  }

  // The register: division of the first leading industry, and the zone.
  const KindDef& cdef = Describe(Kind::kClusters);
  const int c_id = cdef.ColumnIndex("cluster_id");
  const int c_zone = cdef.ColumnIndex("zone_id");
  const int c_lead = cdef.ColumnIndex("leading_industries");
  const int c_recognised = cdef.ColumnIndex("recognised_year");
  std::map<std::string, std::string> zone_of;
  CS_RETURN_IF_ERROR(store.Scan(Kind::kClusters, [&](const Record& r) {
    const std::string* id = Text(r[static_cast<size_t>(c_id)]);
    if (id == nullptr || !index.contains(*id)) return true;
    EvaluationSubject& s = input.subjects[index.at(*id)];
    if (const std::string* lead = Text(r[static_cast<size_t>(c_lead)])) s.division = lead->substr(0, 2);
    if (const std::string* zone = Text(r[static_cast<size_t>(c_zone)])) zone_of[*id] = *zone;
    if (const auto* y = std::get_if<int64_t>(&r[static_cast<size_t>(c_recognised)])) {
      s.recognised_year = static_cast<int>(*y);
    }
    return true;
  }));

  // Institutions by category (the register has no years: the current list counts for every year).
  if (std::any_of(wanted.begin(), wanted.end(),
                  [](const std::string& id) { return id.starts_with("institutions_"); })) {
    const KindDef& idef = Describe(Kind::kInstitutions);
    const int i_cluster = idef.ColumnIndex("cluster_id");
    const int i_category = idef.ColumnIndex("category");
    const int i_national = idef.ColumnIndex("national_level");
    for (EvaluationSubject& s : input.subjects) {
      for (std::string_view cat : {"innovation_service", "rd", "finance", "other", "total", "national"}) {
        s.values[fmt::format("institutions_{}", cat)] = 0.0;
      }
    }
    CS_RETURN_IF_ERROR(store.Scan(Kind::kInstitutions, [&](const Record& r) {
      const std::string* id = Text(r[static_cast<size_t>(i_cluster)]);
      if (id == nullptr || !index.contains(*id)) return true;
      EvaluationSubject& s = input.subjects[index.at(*id)];
      if (const std::string* cat = Text(r[static_cast<size_t>(i_category)])) s.values["institutions_" + *cat] += 1.0;
      s.values["institutions_total"] += 1.0;
      if (const auto* n = std::get_if<int64_t>(&r[static_cast<size_t>(i_national)]); n != nullptr && *n != 0) {
        s.values["institutions_national"] += 1.0;
      }
      return true;
    }));
  }

  // The cluster's share of its zone's employees.
  if (zone_share) {
    IndicatorRequest zreq;
    zreq.first_year = zreq.last_year = year;
    zreq.only = {"employees"};
    std::set<std::string> zones;
    for (const auto& [cluster, zone] : zone_of) zones.insert(zone);
    for (const std::string& z : zones) zreq.entities.push_back({EntityKind::kZone, z});
    std::map<std::string, double> zone_employees;
    if (!zreq.entities.empty()) {
      CS_ASSIGN_OR_RETURN(std::vector<IndicatorValue> zv, ComputeIndicators(data, zreq));
      for (const IndicatorValue& v : zv) {
        if (auto d = v.AsDouble()) zone_employees[v.entity.id] = *d;
      }
    }
    for (EvaluationSubject& s : input.subjects) {
      auto emp = s.values.find("employees");
      auto zone = zone_of.find(s.cluster_id);
      auto zemp = zone == zone_of.end() ? zone_employees.end() : zone_employees.find(zone->second);
      if (emp == s.values.end() || zemp == zone_employees.end()) {
        s.missing_reasons["zone_employment_share"] = "not_reported";
      } else if (zemp->second <= 0.0) {
        s.missing_reasons["zone_employment_share"] = "zero_denominator";
      } else {
        s.values["zone_employment_share"] = emp->second / zemp->second;
      }
    }
  }

  // National values of the lifecycle's growth measure (compared with national growth).
  if (scheme.method == EvaluationMethod::kLifecycle) {
    const std::string& growth_id = scheme.roles.at("growth");
    if (FindIndicator(growth_id) != nullptr) {
      IndicatorRequest nreq;
      nreq.first_year = nreq.last_year = year;
      nreq.only = {growth_id};
      nreq.entities.push_back({EntityKind::kCountry, ""});
      CS_ASSIGN_OR_RETURN(std::vector<IndicatorValue> nv, ComputeIndicators(data, nreq));
      for (const IndicatorValue& v : nv) {
        if (auto d = v.AsDouble()) input.national[growth_id] = *d;
      }
    }
  }

  // Expert scores for the year.
  const KindDef& edef = Describe(Kind::kExpert);
  const int e_cluster = edef.ColumnIndex("cluster_id");
  const int e_year = edef.ColumnIndex("year");
  const int e_score = edef.ColumnIndex("score");
  Status expert = store.Scan(Kind::kExpert, [&](const Record& r) {
    const std::string* id = Text(r[static_cast<size_t>(e_cluster)]);
    const auto* y = std::get_if<int64_t>(&r[static_cast<size_t>(e_year)]);
    if (id == nullptr || y == nullptr || *y != year || !index.contains(*id)) return true;
    const Value& v = r[static_cast<size_t>(e_score)];
    if (const auto* d = std::get_if<double>(&v)) {
      input.subjects[index.at(*id)].expert_score = *d;
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      input.subjects[index.at(*id)].expert_score = static_cast<double>(*n);
    }
    return true;
  });
  if (!expert.ok()) {
    return Status::Environment(
        fmt::format("{} ({})", expert.message(),
                    Pick(lang, "旧数据库请先运行 `clusterscope init` 以添加专家评分表",
                         "run `clusterscope init` to add the expert table to an older database")));
  }
  return input;
}

}  // namespace clusterscope
