// diagnose: see include/clusterscope/diagnosis.h and docs/diagnosis.md.
#include "clusterscope/diagnosis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "clusterscope/stats.h"
#include "indicators/dataset.h"

namespace clusterscope {
namespace {

// What each dimension is measured by (evaluation.md, "Diagnosis"): ids only. Labels, units and
// directions come from the one indicator registry (FindIndicator); the two derived measures are a
// registry indicator per 1,000 employees or per reporting firm and take its labels and direction.
struct DimensionSpec {
  const char* id;
  const char* zh;
  const char* en;
  std::vector<const char*> indicators;
};

const std::vector<DimensionSpec>& Dimensions() {
  static const std::vector<DimensionSpec> kDims = {
      {"talent", "人才", "talent", {"college_share", "rd_staff_share", "postgrad_per_1000", "returnees_per_1000"}},
      {"financing", "融资", "financing", {"vc_firm_share", "vc_per_firm", "new_loans_per_firm", "debt_ratio"}},
      {"innovation",
       "创新能力",
       "innovation capability",
       {"rd_intensity", "invention_patents_per_10k", "high_tech_firm_share"}},
  };
  return kDims;
}

// Derived measures: the registry indicator they are built from, and how.
struct Derived {
  const char* id;
  const char* base;
  bool per_1000_employees;  // else per reporting firm
};
constexpr Derived kDerived[] = {{"returnees_per_1000", "returnees", true}, {"new_loans_per_firm", "new_loans", false}};

struct IndicatorSpec {
  std::string id, zh, en, unit;
  IndicatorDirection direction = IndicatorDirection::kMore;
};

std::string UnitOf(IndicatorUnit u) {
  switch (u) {
    case IndicatorUnit::kShare:
    case IndicatorUnit::kGrowth:
      return "share";
    case IndicatorUnit::kYuanPerFirm:
      return "yuan_per_firm";
    case IndicatorUnit::kPer1000:
      return "per1000";
    case IndicatorUnit::kPer10k:
      return "per10k";
    default:
      return std::string(UnitId(u));
  }
}

IndicatorSpec SpecOf(const std::string& id) {
  for (const Derived& d : kDerived) {
    if (id != d.id) continue;
    const IndicatorInfo& base = *FindIndicator(d.base);
    if (d.per_1000_employees) {
      return {id, "每千人" + std::string(base.zh), std::string(base.en) + " per 1,000 employees", "per1000",
              base.direction};
    }
    return {id, "户均" + std::string(base.zh), std::string(base.en) + " per firm", "yuan_per_firm", base.direction};
  }
  const IndicatorInfo& info = *FindIndicator(id);
  return {id, std::string(info.zh), std::string(info.en), UnitOf(info.unit), info.direction};
}

constexpr double kBottomQuarter = 0.25;

Reason R(std::string zh, std::string en) { return Reason{std::move(zh), std::move(en)}; }

std::string FormatValue(double v, const std::string& unit, Lang lang) {
  if (unit == "share") return fmt::format("{:.1f}%", v * 100);
  if (unit == "yuan_per_firm") {
    return lang == Lang::kZh ? fmt::format("{:.1f}万元", v / 1e4) : fmt::format("{:.2f} million yuan", v / 1e6);
  }
  return fmt::format("{:.1f}", v);
}

int Pct(double p) { return static_cast<int>(std::lround(p * 100)); }

std::string Division(const std::string& leading) {
  return leading.size() >= 2 ? leading.substr(0, 2) : leading;  // first code's division
}

// Every cluster's value of every diagnosis indicator in `year`, derived ones included.
using ValueTable = std::unordered_map<std::string, std::unordered_map<std::string, double>>;  // cluster → id → v

Result<ValueTable> ClusterValues(const Dataset& data, int year) {
  IndicatorRequest req;
  req.entities = AllEntities(data, EntityKind::kCluster);
  req.first_year = req.last_year = year;
  // The registry indicators the dimensions name, a derived measure's base and denominator in its place.
  for (const DimensionSpec& spec : Dimensions()) {
    for (const char* id : spec.indicators) {
      const Derived* derived = nullptr;
      for (const Derived& d : kDerived) {
        if (std::string_view(id) == d.id) derived = &d;
      }
      if (derived == nullptr) {
        req.only.emplace_back(id);
        continue;
      }
      req.only.emplace_back(derived->base);
      req.only.emplace_back(derived->per_1000_employees ? "employees" : "firm_count");
    }
  }
  CS_ASSIGN_OR_RETURN(auto values, ComputeIndicators(data, req));
  ValueTable table;
  std::unordered_map<std::string, std::unordered_map<std::string, const IndicatorValue*>> raw;
  for (const IndicatorValue& v : values) {
    if (v.has_value()) raw[v.entity.id][std::string(v.indicator->id)] = &v;
  }
  for (auto& [cluster, by_id] : raw) {
    auto& row = table[cluster];
    for (auto& [id, v] : by_id) row[id] = *v->AsDouble();
    // Derived: totals over the firms that reported each part.
    if (by_id.count("returnees") && by_id.count("employees") && row["employees"] > 0) {
      row["returnees_per_1000"] = row["returnees"] / row["employees"] * 1000;
    }
    if (by_id.count("new_loans") && by_id.count("firm_count")) {
      const double reporting = by_id["new_loans"]->coverage * row["firm_count"];
      if (reporting > 0) row["new_loans_per_firm"] = row["new_loans"] / reporting;
    }
  }
  return table;
}

}  // namespace

std::string_view WeakWord(const DiagnosisIndicator& indicator, Lang lang) {
  return indicator.direction == IndicatorDirection::kLess ? Pick(lang, "偏高", "high") : Pick(lang, "偏低", "low");
}

std::string FormatDiagnosisValue(const DiagnosisIndicator& indicator, Lang lang) {
  if (!indicator.value) return "—";
  return FormatValue(*indicator.value, indicator.unit, lang);
}

Result<Diagnosis> Diagnose(const Dataset& data, const std::string& cluster_id, int year,
                           const DiagnoseOptions& options) {
  Diagnosis d;
  d.cluster_id = cluster_id;
  d.year = year;

  // The register: every cluster's leading division; this cluster's coordination facts.
  std::unordered_map<std::string, std::string> division_of;
  for (const ClusterInfo& c : data.clusters) division_of[c.id] = c.leading.empty() ? "" : Division(c.leading.front());
  auto found = data.cluster_index.find(cluster_id);
  if (found == data.cluster_index.end()) {
    return Status::NotFound(fmt::format("cluster {} is not in the register", cluster_id)).WithId("cluster.unknown");
  }
  const ClusterInfo& cluster = data.clusters[static_cast<size_t>(found->second)];
  d.name = cluster.name;
  d.construction_body = cluster.construction_body;
  d.alliance = cluster.alliance;
  d.leading_division = division_of[cluster_id];

  CS_ASSIGN_OR_RETURN(auto members, ClusterMembersIn(data, cluster_id, year));
  if (members.empty()) {
    return Status::InvalidInput(fmt::format("cluster {} has no member firms in {}", cluster_id, year));
  }
  d.member_firms = static_cast<int>(members.size());

  // 1. Talent, financing, innovation capability as percentiles.
  CS_ASSIGN_OR_RETURN(ValueTable values, ClusterValues(data, year));
  const auto& mine = values[cluster_id];
  std::vector<std::string> same_industry;
  for (const auto& [id, row] : values) {
    if (division_of[id] == d.leading_division) same_industry.push_back(id);
  }
  d.peers_all = static_cast<int>(values.size());
  d.peers_industry = static_cast<int>(same_industry.size());

  double weakest = 2;
  for (const DimensionSpec& spec : Dimensions()) {
    DiagnosisDimension dim{.id = spec.id, .zh = spec.zh, .en = spec.en};
    double sum_all = 0;
    double sum_ind = 0;
    int n_all = 0;
    int n_ind = 0;
    for (const char* indicator_id : spec.indicators) {
      const IndicatorSpec is = SpecOf(indicator_id);
      DiagnosisIndicator ind{.id = is.id,
                             .zh = is.zh,
                             .en = is.en,
                             .unit = is.unit,
                             .higher_is_better = is.direction != IndicatorDirection::kLess,
                             .direction = is.direction};
      auto it = mine.find(is.id);
      if (it != mine.end()) {
        ind.value = it->second;
        std::vector<double> all;
        std::vector<double> peers;
        for (const auto& [id, row] : values) {
          auto v = row.find(is.id);
          if (v == row.end()) continue;
          all.push_back(v->second);
          if (division_of[id] == d.leading_division) peers.push_back(v->second);
        }
        // Direction-adjusted: 1 = best. A neutral measure has no better end, so it is shown but
        // neither flagged nor counted in the dimension's mean.
        const auto adjust = [&](std::optional<double> p) -> std::optional<double> {
          if (!p) return p;
          return is.direction == IndicatorDirection::kLess ? 1 - *p : *p;
        };
        ind.percentile_all = adjust(PercentileRank(all, *ind.value));
        if (peers.size() >= 2) ind.percentile_industry = adjust(PercentileRank(peers, *ind.value));
        if (is.direction == IndicatorDirection::kNeutral) {
          dim.indicators.push_back(std::move(ind));
          continue;
        }
        ind.low = *ind.percentile_all < kBottomQuarter;
        sum_all += *ind.percentile_all;
        ++n_all;
        if (ind.percentile_industry) {
          sum_ind += *ind.percentile_industry;
          ++n_ind;
        }
      }
      dim.indicators.push_back(std::move(ind));
    }
    if (n_all > 0) dim.percentile_all = sum_all / n_all;
    if (n_ind > 0) dim.percentile_industry = sum_ind / n_ind;
    dim.flagged = dim.percentile_all && *dim.percentile_all < kBottomQuarter;
    if (dim.percentile_all && *dim.percentile_all < weakest) {
      weakest = *dim.percentile_all;
      d.weakest = dim.id;
    }
    d.dimensions.push_back(std::move(dim));
  }

  // 2. Backbone firms: who leads on output, R&D and IP, and how much rests on the largest.
  // One read of the members' register entries and reports serves the backbone and the pipeline.
  std::vector<std::string> usccs;
  for (const auto& [uscc, backbone] : members) usccs.push_back(uscc);
  CS_ASSIGN_OR_RETURN(auto histories, LoadFirmHistories(data, usccs, year));
  struct FirmFigures {
    BackboneFirm firm;
    std::optional<int64_t> output, rd, ip;
  };
  std::vector<FirmFigures> figures;
  int64_t total_output = 0;
  int64_t total_rd = 0;
  int64_t total_ip = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    FirmFigures f;
    f.firm.uscc = members[i].first;
    f.firm.marked_backbone = members[i].second;
    f.firm.name = histories[i].name;
    if (const YearFacts* y = histories[i].At(year)) {
      f.output = y->gross_output ? y->gross_output : y->revenue;  // non-industrial firms report revenue only
      f.rd = y->rd_expense;
      if (y->ip_class1 || y->ip_class2) f.ip = y->ip_class1.value_or(0) + y->ip_class2.value_or(0);
    }
    total_output += f.output.value_or(0);
    total_rd += f.rd.value_or(0);
    total_ip += f.ip.value_or(0);
    figures.push_back(std::move(f));
  }
  const auto top = [&](auto key, size_t n, const char* label) {
    std::vector<FirmFigures*> order;
    for (auto& f : figures) {
      if ((f.*key).value_or(0) > 0) order.push_back(&f);
    }
    std::sort(order.begin(), order.end(), [&](auto* a, auto* b) { return *(a->*key) > *(b->*key); });
    for (size_t i = 0; i < order.size() && i < n; ++i) order[i]->firm.leads_on.emplace_back(label);
  };
  top(&FirmFigures::output, 5, "output");
  top(&FirmFigures::rd, 3, "rd");
  top(&FirmFigures::ip, 3, "ip");
  std::vector<int64_t> outputs;
  for (auto& f : figures) {
    if (f.output) outputs.push_back(*f.output);
    if (f.firm.leads_on.empty() && !f.firm.marked_backbone) continue;
    BackboneFirm b = f.firm;
    if (f.output) {
      b.gross_output = static_cast<double>(*f.output) / 100;
      if (total_output > 0) b.output_share = static_cast<double>(*f.output) / static_cast<double>(total_output);
    }
    if (f.rd) {
      b.rd_expense = static_cast<double>(*f.rd) / 100;
      if (total_rd > 0) b.rd_share = static_cast<double>(*f.rd) / static_cast<double>(total_rd);
    }
    if (f.ip) {
      b.ip = f.ip;
      if (total_ip > 0) b.ip_share = static_cast<double>(*f.ip) / static_cast<double>(total_ip);
    }
    d.backbone.push_back(std::move(b));
  }
  // Registered backbone firms (role = backbone in the members file) first, then the leaders; each
  // group by output.
  std::stable_sort(d.backbone.begin(), d.backbone.end(), [](const BackboneFirm& a, const BackboneFirm& b) {
    if (a.marked_backbone != b.marked_backbone) return a.marked_backbone;
    return a.gross_output > b.gross_output;
  });
  if (total_output > 0 && !outputs.empty()) {
    std::sort(outputs.rbegin(), outputs.rend());
    d.largest_share = static_cast<double>(outputs[0]) / static_cast<double>(total_output);
    int64_t top3 = 0;
    for (size_t i = 0; i < outputs.size() && i < 3; ++i) top3 += outputs[i];
    d.top3_share = static_cast<double>(top3) / static_cast<double>(total_output);
    d.depends_on_one = *d.largest_share >= kDependenceShare;
    std::string largest;
    for (const FirmFigures& f : figures) {
      if (f.output && *f.output == outputs[0]) {
        largest = f.firm.name;
        break;
      }
    }
    d.backbone_text =
        d.depends_on_one
            ? R(fmt::format("集群依赖单一企业：{}占集群产值{:.1f}%（≥{:.0f}%）", largest, *d.largest_share * 100,
                            kDependenceShare * 100),
                fmt::format("the cluster depends on one firm: {} makes {:.1f}% of its output (≥ {:.0f}%)", largest,
                            *d.largest_share * 100, kDependenceShare * 100))
            : R(fmt::format("最大企业占集群产值{:.1f}%，前三家占{:.1f}%，不存在对单一企业的依赖",
                            *d.largest_share * 100, *d.top3_share * 100),
                fmt::format("the largest firm makes {:.1f}% of output and the top three {:.1f}%: no dependence on one "
                            "firm",
                            *d.largest_share * 100, *d.top3_share * 100));
  } else {
    d.backbone_text = R("成员企业未报产值，无法判断对骨干企业的依赖", "members reported no output: dependence unknown");
  }

  // 3. The cultivation pipeline, under the rule sets in force in `year` (or the ones asked for).
  {
    Qualification probe_sme = EvaluateTechSme(FirmHistory{}, year, options.tech_sme_rule_set);
    d.sme_rule_set = probe_sme.rule_set;
    d.sme_what_if = probe_sme.what_if;
    d.sme_applicable = probe_sme.result != Outcome::kNotApplicable;
    if (!d.sme_applicable) d.sme_not_applicable = probe_sme.verdict;
    Qualification probe_ht = EvaluateHighTech(FirmHistory{}, year, options.high_tech_rule_set);
    d.high_tech_rule_set = probe_ht.rule_set;
    d.high_tech_what_if = probe_ht.what_if;
    d.high_tech_applicable = probe_ht.result != Outcome::kNotApplicable;
  }
  for (const FirmHistory& h : histories) {
    if (d.sme_applicable) {
      Qualification sme = EvaluateTechSme(h, year, options.tech_sme_rule_set);
      const Band& tech = sme.scores.size() == 3 ? sme.scores[0].band : Band{};
      if (sme.result == Outcome::kQualifies) {
        d.sme_qualifying.push_back({h.uscc, h.name, sme});
      } else if (sme.nearly) {
        d.sme_nearly.push_back({h.uscc, h.name, sme});
      } else if (sme.result == Outcome::kUndetermined && sme.score.min >= kTechSmePassMark && tech.min > 0) {
        // The known figures reach the bar; only missing cells keep it undetermined.
        d.sme_reaching_undetermined.push_back({h.uscc, h.name, sme});
      } else if (sme.result == Outcome::kUndetermined) {
        ++d.sme_undetermined;
      }
    }
    const bool certified = h.CertificateValidIn(year);
    if (certified || !d.high_tech_applicable) continue;  // already a high-tech enterprise
    Qualification ht = EvaluateHighTech(h, year, options.high_tech_rule_set);
    if (ht.candidate) {
      d.high_tech_candidates.push_back({h.uscc, h.name, ht});
    } else if (ht.nearly) {
      d.high_tech_nearly.push_back({h.uscc, h.name, ht});
    } else if (ht.result == Outcome::kUndetermined && !ht.missing_cells.empty()) {
      // Nothing fails, but missing cells keep criteria statistics could check undetermined.
      d.high_tech_reaching_undetermined.push_back({h.uscc, h.name, ht});
    }
  }

  // 4. Coordination.
  std::map<std::string, int> by_category{{"innovation_service", 0}, {"rd", 0}, {"finance", 0}, {"other", 0}};
  for (const InstitutionInfo& inst : cluster.institutions) {
    ++by_category[inst.category];
    if (inst.national > 0) ++d.national_institutions;
  }
  int institutions = 0;
  for (const char* c : {"innovation_service", "rd", "finance", "other"}) {
    d.institutions.emplace_back(c, by_category[c]);
    institutions += by_category[c];
  }
  const std::string body_zh = d.construction_body.empty() ? "未登记建设主体" : "建设主体：" + d.construction_body;
  const std::string body_en =
      d.construction_body.empty() ? "no construction body recorded" : "construction body: " + d.construction_body;
  const std::string alliance_zh = d.alliance.empty() ? "未登记产业联盟" : "产业联盟：" + d.alliance;
  const std::string alliance_en = d.alliance.empty() ? "no industry alliance recorded" : "alliance: " + d.alliance;
  d.coordination_text =
      R(fmt::format("{}；{}；服务机构{}家（创新服务{}、研发{}、金融{}、其他{}），其中国家级{}家", body_zh, alliance_zh,
                    institutions, by_category["innovation_service"], by_category["rd"], by_category["finance"],
                    by_category["other"], d.national_institutions),
        fmt::format("{}; {}; {} service institutions (innovation services {}, R&D {}, finance {}, other {}), {} "
                    "national-level",
                    body_en, alliance_en, institutions, by_category["innovation_service"], by_category["rd"],
                    by_category["finance"], by_category["other"], d.national_institutions));

  // Dimension sentences, now that the peers are known.
  for (DiagnosisDimension& dim : d.dimensions) {
    if (!dim.percentile_all) {
      dim.text = R(fmt::format("{}：指标数据未报", dim.zh), fmt::format("{}: no figures reported", dim.en));
      continue;
    }
    std::vector<const DiagnosisIndicator*> order;
    for (const auto& ind : dim.indicators) {
      if (ind.direction == IndicatorDirection::kNeutral) continue;
      if (ind.percentile_all && *ind.percentile_all <= *dim.percentile_all) order.push_back(&ind);
    }
    std::sort(order.begin(), order.end(),
              [](const auto* a, const auto* b) { return *a->percentile_all < *b->percentile_all; });
    std::string low_zh;
    std::string low_en;
    for (const DiagnosisIndicator* ind : order) {
      dim.behind.push_back(ind->id);
      low_zh += fmt::format("{}{}{}（第{}百分位）", low_zh.empty() ? "" : "、", ind->zh,
                            FormatValue(*ind->value, ind->unit, Lang::kZh), Pct(*ind->percentile_all));
      low_en += fmt::format("{}{} {} ({} percentile)", low_en.empty() ? "" : ", ", ind->en,
                            FormatValue(*ind->value, ind->unit, Lang::kEn), EnglishOrdinal(Pct(*ind->percentile_all)));
    }
    const int p = Pct(*dim.percentile_all);
    std::string zh = fmt::format("{}：在{}个集群中处于第{}百分位", dim.zh, d.peers_all, p);
    std::string en = fmt::format("{}: {} percentile among {} clusters", dim.en, EnglishOrdinal(p), d.peers_all);
    if (dim.percentile_industry) {
      zh += fmt::format("，同行业{}个集群中第{}百分位", d.peers_industry, Pct(*dim.percentile_industry));
      en += fmt::format(", {} among the {} of its industry", EnglishOrdinal(Pct(*dim.percentile_industry)),
                        d.peers_industry);
    }
    if (dim.flagged) {
      zh += "，处于后四分之一";
      en += ", in the bottom quarter";
    }
    if (!low_zh.empty()) {
      zh += "；拉低的指标：" + low_zh;
      en += "; held down by " + low_en;
    }
    dim.text = R(std::move(zh), std::move(en));
  }
  return d;
}

namespace {

nlohmann::ordered_json Opt(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(std::round(*v * 1e9) / 1e9) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json PipelineJson(const std::vector<PipelineEntry>& entries, Lang lang) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& e : entries) {
    // The suggested steps: for a firm one tier short, only the steps that reach the bar.
    nlohmann::ordered_json gaps = nlohmann::ordered_json::array();
    for (const Gap& g : e.qualification.gaps) {
      if (!e.qualification.nearly || g.reaches_bar) gaps.push_back(g.text.In(lang));
    }
    for (const Criterion& c : e.qualification.criteria) {
      if (c.result == Outcome::kFails) gaps.push_back(c.text.In(lang));
    }
    out.push_back({{"uscc", e.uscc},
                   {"name", e.name},
                   {"result", OutcomeId(e.qualification.result)},
                   {"score", {e.qualification.score.min, e.qualification.score.max}},
                   {"verdict", e.qualification.verdict.In(lang)},
                   {"gaps", gaps},
                   {"missing_cells", e.qualification.missing_cells}});
  }
  return out;
}

}  // namespace

nlohmann::ordered_json DiagnosisToJson(const Diagnosis& d, Lang lang) {
  nlohmann::ordered_json j;
  j["cluster_id"] = d.cluster_id;
  j["name"] = d.name;
  j["year"] = d.year;
  j["leading_division"] = d.leading_division;
  j["member_firms"] = d.member_firms;
  j["peers"] = {{"all", d.peers_all}, {"same_industry", d.peers_industry}};
  nlohmann::ordered_json dims = nlohmann::ordered_json::array();
  for (const auto& dim : d.dimensions) {
    nlohmann::ordered_json inds = nlohmann::ordered_json::array();
    for (const auto& i : dim.indicators) {
      inds.push_back({{"id", i.id},
                      {"name", lang == Lang::kZh ? i.zh : i.en},
                      {"unit", i.unit},
                      {"higher_is_better", i.higher_is_better},
                      {"direction", DirectionId(i.direction)},
                      {"value", Opt(i.value)},
                      {"percentile_all", Opt(i.percentile_all)},
                      {"percentile_industry", Opt(i.percentile_industry)},
                      {"low", i.low}});
    }
    dims.push_back({{"id", dim.id},
                    {"name", lang == Lang::kZh ? dim.zh : dim.en},
                    {"percentile_all", Opt(dim.percentile_all)},
                    {"percentile_industry", Opt(dim.percentile_industry)},
                    {"flagged", dim.flagged},
                    {"behind", dim.behind},
                    {"text", dim.text.In(lang)},
                    {"indicators", inds}});
  }
  j["dimensions"] = dims;
  j["weakest"] = d.weakest;
  nlohmann::ordered_json firms = nlohmann::ordered_json::array();
  for (const auto& b : d.backbone) {
    firms.push_back({{"uscc", b.uscc},
                     {"name", b.name},
                     {"marked_backbone", b.marked_backbone},
                     {"leads_on", b.leads_on},
                     {"gross_output", Opt(b.gross_output)},
                     {"output_share", Opt(b.output_share)},
                     {"rd_expense", Opt(b.rd_expense)},
                     {"rd_share", Opt(b.rd_share)},
                     {"ip", b.ip ? nlohmann::ordered_json(*b.ip) : nlohmann::ordered_json(nullptr)},
                     {"ip_share", Opt(b.ip_share)}});
  }
  j["backbone"] = {{"firms", firms},
                   {"largest_share", Opt(d.largest_share)},
                   {"top3_share", Opt(d.top3_share)},
                   {"depends_on_one", d.depends_on_one},
                   {"text", d.backbone_text.In(lang)}};
  j["pipeline"] = {
      {"tech_sme_rule_set", d.sme_rule_set},
      {"tech_sme_what_if", d.sme_what_if},
      {"tech_sme_applicable", d.sme_applicable},
      {"tech_sme_not_applicable_reason",
       d.sme_applicable ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.sme_not_applicable.In(lang))},
      {"high_tech_rule_set", d.high_tech_rule_set},
      {"high_tech_what_if", d.high_tech_what_if},
      {"tech_sme_qualifying", PipelineJson(d.sme_qualifying, lang)},
      {"tech_sme_nearly", PipelineJson(d.sme_nearly, lang)},
      {"tech_sme_reaching_undetermined", PipelineJson(d.sme_reaching_undetermined, lang)},
      {"tech_sme_undetermined", d.sme_undetermined},
      {"high_tech_candidates", PipelineJson(d.high_tech_candidates, lang)},
      {"high_tech_nearly", PipelineJson(d.high_tech_nearly, lang)}};
  nlohmann::ordered_json inst = nlohmann::ordered_json::object();
  for (const auto& [k, n] : d.institutions) inst[k] = n;
  j["coordination"] = {
      {"construction_body",
       d.construction_body.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.construction_body)},
      {"alliance", d.alliance.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.alliance)},
      {"institutions", inst},
      {"national_institutions", d.national_institutions},
      {"text", d.coordination_text.In(lang)}};
  return j;
}

}  // namespace clusterscope
