// One year's matrix for a scheme: indicator values from the engine, institutions by category and
// expert scores from the data set's register.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "clusterscope/evaluation.h"
#include "indicators/dataset.h"

namespace clusterscope {
namespace {

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

Result<EvaluationInput> GatherEvaluationInput(const Dataset& data, const Scheme& scheme, int year) {
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

  // The register: division of the first leading industry, the zone, the institutions by category
  // (the register has no years: the current list counts for every year) and the expert scores.
  const bool institutions =
      std::any_of(wanted.begin(), wanted.end(), [](const std::string& id) { return id.starts_with("institutions_"); });
  std::map<std::string, std::string> zone_of;
  for (EvaluationSubject& s : input.subjects) {
    const ClusterInfo& c = data.clusters[static_cast<size_t>(data.cluster_index.at(s.cluster_id))];
    if (!c.leading.empty()) s.division = c.leading.front().substr(0, 2);
    if (c.zone >= 0) zone_of[s.cluster_id] = data.zones[static_cast<size_t>(c.zone)].id;
    if (c.recognised_year > 0) s.recognised_year = c.recognised_year;
    for (const auto& [y, score] : c.expert_scores) {
      if (y == year) s.expert_score = score;
    }
    if (!institutions) continue;
    for (std::string_view cat : {"innovation_service", "rd", "finance", "other", "total", "national"}) {
      s.values[fmt::format("institutions_{}", cat)] = 0.0;
    }
    for (const InstitutionInfo& inst : c.institutions) {
      s.values["institutions_" + inst.category] += 1.0;
      s.values["institutions_total"] += 1.0;
      if (inst.national > 0) s.values["institutions_national"] += 1.0;
    }
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

  return input;
}

}  // namespace clusterscope
