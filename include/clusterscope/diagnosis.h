// Diagnosis of one cluster in one year — the survey report's recommendations made measurable
// (evaluation.md, "Diagnosis"): talent, financing and innovation capability as percentiles among
// all clusters and among clusters of the same leading industry, flagged in the bottom quarter;
// backbone firms and the dependence on the largest; the cultivation pipeline of technology-based
// SMEs and high-tech candidates; coordination facts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/rules.h"
#include "clusterscope/status.h"

namespace clusterscope {

struct DiagnosisIndicator {
  std::string id;  // a catalogue id, or returnees_per_1000 / new_loans_per_firm (derived here)
  std::string zh, en;
  std::string unit;                                          // "share", "per1000", "yuan_per_firm", …
  bool higher_is_better = true;                              // direction != kLess (kept for the JSON field)
  IndicatorDirection direction = IndicatorDirection::kMore;  // from the indicator registry
  std::optional<double> value;                               // in output units (yuan, fractions)
  std::optional<double> percentile_all;                      // 0 … 1, direction-adjusted: 1 = best
  std::optional<double> percentile_industry;                 // among clusters of the same leading division
  bool low = false;                                          // in the bottom quarter among all clusters
};

struct DiagnosisDimension {
  std::string id;  // talent, financing, innovation
  std::string zh, en;
  std::vector<DiagnosisIndicator> indicators;
  std::optional<double> percentile_all;  // mean of its indicators' percentiles
  std::optional<double> percentile_industry;
  bool flagged = false;  // percentile_all < 0.25
  // The indicators that pull the dimension down: those at or below its mean percentile, lowest first.
  std::vector<std::string> behind;
  Reason text;
};

struct BackboneFirm {
  std::string uscc, name;
  bool marked_backbone = false;        // role = backbone in the members file
  std::optional<double> gross_output;  // yuan
  std::optional<double> output_share;  // of the cluster's reporting members
  std::optional<double> rd_expense;
  std::optional<double> rd_share;
  std::optional<int64_t> ip;  // class I + class II rights
  std::optional<double> ip_share;
  std::vector<std::string> leads_on;  // "output", "rd", "ip"
};

struct PipelineEntry {
  std::string uscc, name;
  Qualification qualification;
};

struct Diagnosis {
  std::string cluster_id, name;
  int year = 0;
  std::string leading_division;  // 2-digit division of the first leading industry
  int peers_all = 0;             // clusters with values that year
  int peers_industry = 0;
  int member_firms = 0;
  std::vector<DiagnosisDimension> dimensions;
  std::string weakest;  // id of the dimension with the lowest percentile among all clusters
  std::vector<BackboneFirm> backbone;
  std::optional<double> largest_share;  // largest firm's share of output
  std::optional<double> top3_share;
  bool depends_on_one = false;  // largest share ≥ kDependenceShare
  Reason backbone_text;
  // The pipeline's rule sets (rules.md, by assessment year unless asked for: then a what-if).
  std::string sme_rule_set, high_tech_rule_set;
  bool sme_what_if = false, high_tech_what_if = false;
  bool sme_applicable = true;  // false before 2017: no tech-SME lists, sme_not_applicable says why
  bool high_tech_applicable = true;
  Reason sme_not_applicable;
  // sme_qualifying: qualify; sme_nearly: below the bar, one tier step on one indicator reaches it
  // (never a firm at or over the bar); sme_reaching_undetermined: the known figures reach the bar
  // but missing cells (Qualification::missing_cells) leave the result undetermined;
  // high_tech_candidates: every criterion statistics can check passes; high_tech_nearly: exactly
  // one figure criterion fails; high_tech_reaching_undetermined: nothing fails but missing cells
  // leave criteria statistics could check undetermined (Qualification::missing_cells).
  std::vector<PipelineEntry> sme_qualifying, sme_nearly, sme_reaching_undetermined, high_tech_candidates,
      high_tech_nearly, high_tech_reaching_undetermined;
  int sme_undetermined = 0;  // other undetermined firms
  std::string construction_body, alliance;
  std::vector<std::pair<std::string, int>> institutions;  // category → count (all four, 0 included)
  int national_institutions = 0;
  Reason coordination_text;
};

// A cluster depends on one firm when that firm makes at least this share of its output.
inline constexpr double kDependenceShare = 0.30;

struct DiagnoseOptions {
  std::string tech_sme_rule_set;   // "" = in force for the year; else a what-if
  std::string high_tech_rule_set;  // "" = in force for the year
};

// From the data set alone. kNotFound (cluster.unknown) for an unknown cluster; kInvalidInput when
// it has no members that year.
Result<Diagnosis> Diagnose(const Dataset& data, const std::string& cluster_id, int year,
                           const DiagnoseOptions& options = {});

// The word for a weak indicator that reads the way its direction runs: 偏低/low when more is
// better, 偏高/high when less is better (a debt ratio at the top of all clusters is 偏高).
std::string_view WeakWord(const DiagnosisIndicator& indicator, Lang lang);

// An indicator's value with its unit: "48.8%", "31.4", "34.0万元" / "0.34 million yuan".
std::string FormatDiagnosisValue(const DiagnosisIndicator& indicator, Lang lang);

nlohmann::ordered_json DiagnosisToJson(const Diagnosis& d, Lang lang);

}  // namespace clusterscope
