// Survey briefings: a cluster's figures, rating, diagnosis, backbone firms and pipeline as formal
// prose in the style of the Torch Center's survey reports, in Chinese and in English.
//
// Two steps, so the prose can be tested on hand-made facts: GatherBriefFacts reads the numbers
// (indicator engine, diagnosis) into BriefFacts; BriefParagraphs writes sentences from them. A
// figure that is missing is left out of the prose, never printed as null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/diagnosis.h"
#include "clusterscope/evaluation.h"
#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope {

struct BriefFacts {
  std::string cluster_id;
  std::string cluster_name;
  std::string zone_name;
  int year = 0;

  // The report's figures.
  std::optional<int64_t> firm_count;
  std::optional<double> zone_producing_share;  // of the zone's producing firms
  std::optional<int64_t> gross_output;         // fen
  std::optional<double> gross_output_growth;
  std::optional<double> zone_output_share;
  std::optional<double> leading_va_share;
  std::optional<int64_t> firms_over_100m;

  // The rating (absent until a scheme has been run).
  struct Rating {
    std::string scheme;  // id, "annual"
    std::string scheme_zh, scheme_en;
    double score = 0;
    std::string grade;  // 优秀 / 良好 / 合格 / 不合格, or "" for schemes without grades
    int rank = 0;
    int of = 0;
    bool expert_included = false;
  };
  std::optional<Rating> rating;
  std::string not_rated_zh, not_rated_en;  // the annual scheme's reason when the cluster is not rated

  // The diagnosis, in words.
  struct Indicator {
    std::string zh, en;
    std::string value_zh, value_en;  // formatted with its unit
    double percentile = 0;
    bool less_is_better = false;  // the registry's direction: a weak value is 偏高, not 偏低
  };
  struct Dimension {
    std::string id, zh, en;
    double percentile = 0;
    bool flagged = false;
    std::vector<Indicator> behind;  // the indicators holding it down, lowest first
  };
  std::vector<Dimension> dimensions;
  std::string weakest;  // a dimension id

  std::vector<std::string> backbone_names;  // by output, largest first (at most three used)
  std::optional<double> top3_share;
  std::optional<double> largest_share;
  bool depends_on_one = false;

  bool sme_applicable = true;  // false before 2017: the tech-SME evaluation scheme did not exist yet
  int sme_qualifying = 0;
  int sme_nearly = 0;
  std::optional<std::string> nearly_name;  // one firm one tier short, and its step
  std::string nearly_gap_zh, nearly_gap_en;
  int high_tech_candidates = 0;

  bool has_construction_body = false;
  bool has_alliance = false;
  int institutions = 0;
};

// Everything a briefing is made from, computed once and shared by the prose, the HTML and the
// workbook: the `annual` evaluation of every cluster, the cluster's diagnosis, and the facts.
struct BriefSources {
  BriefFacts facts;
  std::optional<EvaluationResult> evaluation;  // absent when the scheme could not run …
  std::string evaluation_error;                // … and why
  std::optional<Diagnosis> diagnosis;          // absent when the cluster has no members that year …
  std::string diagnosis_error;                 // … and why
};

// kNotFound for an unknown cluster; kEnvironment when the store fails.
Result<BriefSources> GatherBrief(Store& store, const Dataset& data, const std::string& cluster_id, int year);
// The facts alone (GatherBrief(…).facts).
Result<BriefFacts> GatherBriefFacts(Store& store, const Dataset& data, const std::string& cluster_id, int year);

// The briefing as paragraphs: figures, rating (when present), diagnosis, backbone firms and
// pipeline, recommendations. Number style: 亿元 to one decimal, % to one decimal, counts as
// integers (English: billion yuan to one decimal, million below a billion).
std::vector<std::string> BriefParagraphs(const BriefFacts& facts, Lang lang);

// What the HTML and workbook show beside the prose: output over the years, the cluster against
// all clusters on key ratios, its evaluation dimensions, and the whole catalogue for the year.
struct BriefCharts {
  struct YearOutput {
    int year = 0;
    std::optional<double> gross_output;  // yuan
    std::optional<double> growth;
  };
  std::vector<YearOutput> output;  // up to seven years ending with the brief's year
  struct PeerRatio {
    std::string id, zh, en, unit;   // unit as UnitId: share, per10k, yuan_per_person
    std::optional<double> cluster;  // the cluster's value
    std::optional<double> median;   // the median over every cluster with a value (R type 7)
    int clusters = 0;
  };
  std::vector<PeerRatio> peers;
  struct Dimension {
    std::string zh, en;
    std::optional<double> score;    // 0–100, the annual scheme
    std::optional<double> average;  // over the ranked clusters
  };
  std::vector<Dimension> dimensions;
  std::vector<IndicatorValue> catalogue;  // every indicator for the cluster in the year
};

Result<BriefCharts> GatherBriefCharts(const Dataset& data, const BriefSources& sources);

// One self-contained HTML file (no network needed): title, prose, charts as inline SVG, the
// indicator table; A4 print styles; CJK fonts named for Chinese text.
std::string BriefHtml(const BriefFacts& facts, const BriefCharts& charts, Lang lang);

// Facts ↔ JSON, for golden tests and `brief --format json`.
nlohmann::ordered_json BriefFactsToJson(const BriefFacts& facts);
Result<BriefFacts> BriefFactsFromJson(const nlohmann::json& j);

}  // namespace clusterscope
