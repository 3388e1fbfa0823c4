// Evaluation schemes and the evaluation of clusters under them (evaluation.md; docs/evaluation.md).
//
// A scheme is a versioned TOML file: id, version, method, indicator tree (dimensions → indicators
// with direction and weight), normalisation and the method's rules (grade cut-offs, star rules,
// class rules). The shipped schemes (schemes/*.toml) are compiled into the binary; any other
// file is loaded by path. Every scheme is validated on load; an invalid one is refused with
// kInvalidInput naming the file, the key and the rule.
//
// Evaluation is split in two so that the arithmetic can be tested on a hand-made matrix:
// GatherEvaluationInput reads one year's matrix (indicator values, institutions, expert scores)
// from the store and the indicator engine; Evaluate scores that matrix under a scheme.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/status.h"

namespace clusterscope {

enum class EvaluationMethod {
  kWeighted,       // "weighted": normalised indicators, weighted dimensions, grades (annual)
  kStrongCluster,  // "strong-cluster": R type-7 percentiles among clusters of the same division
  kStars,          // "stars": 0–3 stars for size, specialisation and focus
  kEntropyTopsis,  // "entropy-topsis": entropy weights, then TOPSIS closeness
  kLifecycle,      // "lifecycle": star / mature / emerging / transforming
};
std::string_view MethodId(EvaluationMethod method);

enum class Direction { kBenefit, kCost };  // "benefit": more is better; "cost": less is better
// kEfficacy: the efficacy coefficient method (功效系数法), d = 60 + 40 × (x − x_s) / (x_h − x_s)
// capped to [0, 100]; kPercentile: mid-rank percentile × 100; kMinMax: (x − min) / (max − min) × 100.
enum class Normalisation { kMinMax, kPercentile, kEfficacy };

// A satisfactory (x_h) or unacceptable (x_s) value of the efficacy coefficient method: a fixed
// number in the indicator's own unit, or a percentile of that year's rated clusters counted in the
// indicator's direction (p90 of a less-is-better indicator is the 10th percentile of its values).
struct EfficacyBound {
  bool percentile = true;
  double value = 0.9;  // 0–1 when a percentile, else the fixed value
};

struct SchemeIndicator {
  std::string id;  // a catalogue id or one of EvaluationExtraIndicators()
  Direction direction = Direction::kBenefit;
  double weight = 0.0;                    // within its dimension (weighted); unused by the other methods
  EfficacyBound satisfactory{true, 0.9};  // x_h (efficacy); the scheme's default unless given
  EfficacyBound unacceptable{true, 0.1};  // x_s
};

struct SchemeDimension {
  std::string id;
  std::string zh;
  std::string en;
  double weight = 0.0;  // among dimensions (weighted)
  std::vector<SchemeIndicator> indicators;
};

// A grade: a score ≥ min_score (and below the next grade up) earns it.
struct GradeRule {
  std::string id;
  std::string zh;
  std::string en;
  double min_score = 0.0;
};

struct Scheme {
  std::string id;  // "annual"
  int version = 0;
  EvaluationMethod method = EvaluationMethod::kWeighted;
  std::string zh;
  std::string en;
  std::string source;  // where it came from: "builtin:annual" or the file path
  // Who is rated (evaluation.md, "Who is rated"): a cluster with fewer reporting member firms that
  // year, none, or recognised after the year is listed as not rated, with the reason, and stays out
  // of the set that normalisation, percentiles and entropy weights are computed from.
  int min_firms = 5;
  // strong-cluster, stars: the fewest peers a leading-industry division must have; below it the
  // peer group widens to the section, then to all rated clusters.
  int min_peers = 5;
  Normalisation normalisation = Normalisation::kEfficacy;
  // efficacy: the default x_h and x_s of every indicator ([efficacy] in the file): p90 and p10.
  EfficacyBound default_satisfactory{true, 0.9};
  EfficacyBound default_unacceptable{true, 0.1};
  std::vector<SchemeDimension> dimensions;
  // weighted: final = data × data_weight + expert × expert_weight where an expert score exists.
  double data_weight = 1.0;
  double expert_weight = 0.0;
  std::vector<GradeRule> grades;  // weighted: descending min_score
  // strong-cluster, stars, lifecycle: the indicator each rule reads ("lq" → "location_quotient").
  std::map<std::string, std::string> roles;
  // The method's numeric parameters ("lq_floor", "top_share", …); see docs/evaluation.md.
  std::map<std::string, double> params;
};

// Indicator ids the evaluation computes itself (not in the catalogue): institutions by category
// per cluster (from the store's institutions records) and the cluster's share of its zone's
// employment.
std::span<const std::string_view> EvaluationExtraIndicators();

// The shipped schemes' ids, in order: annual, strong-cluster, stars, entropy-topsis, lifecycle.
std::vector<std::string> BuiltinSchemeIds();

// Parses and validates a scheme from TOML text; `source` names it in messages. kInvalidInput
// naming source, key and rule on any problem.
Result<Scheme> ParseScheme(std::string_view toml_text, const std::string& source, Lang lang);
// A shipped scheme by id, or else a file by path (a name containing '/' or ending in ".toml" is
// always a path). kNotFound for an unknown name or a missing file; kInvalidInput for a bad one.
Result<Scheme> LoadScheme(const std::string& name_or_path, Lang lang);

// One cluster's row of the matrix.
struct EvaluationSubject {
  std::string cluster_id;
  std::string name;
  std::string division;  // the two-digit GB/T 4754 division of its first leading industry
  int firm_count = 0;    // member firms that reported for the year
  std::optional<int> recognised_year;
  std::map<std::string, double> values;                // indicator id → value; absent = missing
  std::map<std::string, std::string> missing_reasons;  // indicator id → null reason id
  std::optional<double> expert_score;                  // 0–100
};

struct EvaluationInput {
  int year = 0;
  std::vector<EvaluationSubject> subjects;
  // National values of indicators the method compares against (lifecycle: the growth role's
  // indicator for the whole country), by indicator id; absent = unknown.
  std::map<std::string, double> national;
};

// The GB/T 4754 section letter of a two-digit division ("27" → "C"); "" when it is none.
std::string SectionOfDivision(std::string_view division);

// Reads the matrix for `year` from the data set: every cluster, the scheme's indicators (plus
// firm_count), institutions by category and the year's expert scores.
Result<EvaluationInput> GatherEvaluationInput(const Dataset& data, const Scheme& scheme, int year);

struct IndicatorScore {
  std::string id;
  std::string dimension;               // dimension id ("" for role-based methods)
  std::optional<double> raw;           // the value as the engine gives it (yuan, fractions, counts)
  std::optional<double> score;         // normalised, 0–100 (percentile rank × 100 for role-based methods)
  double weight = 0.0;                 // the weight actually applied (after renormalisation), overall
  std::optional<double> contribution;  // points this indicator adds to the score
  std::string missing_reason;          // null reason id when raw is missing
  std::optional<double> satisfactory;  // efficacy: x_h and x_s applied (raw units)
  std::optional<double> unacceptable;
};

struct DimensionScore {
  std::string id;
  std::string zh;
  std::string en;
  std::optional<double> score;       // 0–100
  double weight = 0.0;               // applied, after renormalisation
  std::optional<double> percentile;  // among ranked clusters, 0–1 (PercentileRank)
};

struct ClusterEvaluation {
  std::string cluster_id;
  std::string name;
  std::string division;
  int firm_count = 0;
  std::optional<double> score;       // annual: final 0–100; topsis: closeness 0–1; stars: 0–3; …
  std::optional<double> data_score;  // weighted: the data part
  std::optional<double> expert_score;
  bool expert_used = false;
  // weighted: "composite" (data and expert score: graded), "preliminary" (初评, data score only
  // where the scheme has an expert part: no grade), "data" (a scheme without an expert part: the
  // data score is complete and graded); "" for the other methods and clusters not rated.
  std::string score_kind;
  // weighted: grade id (优秀…) only on a complete score, "" on a preliminary one;
  // strong-cluster/lifecycle: class id; stars: "2"; "not_rated" when not rated.
  std::string grade;
  std::string grade_zh;
  std::string grade_en;
  std::optional<int> stars;
  // 1 = best; ties share the best rank (1, 2, 2, 4); none when not ranked. Ranked only among
  // clusters of the same score kind (weighted) or the same peer group (strong-cluster).
  std::optional<int> rank;
  int peers = 0;                     // clusters this one is ranked among
  bool rated = true;                 // false: not rated (not_rated_reason says why)
  std::string not_rated_reason;      // no_reporting_firms, not_yet_recognised, too_few_firms, no_data
  bool small = false;                // fewer than min_firms reporting firms (then not rated)
  std::string peer_group;            // strong-cluster, stars: "division", "section" or "all"
  bool renormalised = false;         // some indicators missing, weights renormalised among the rest
  std::vector<std::string> missing;  // ids of missing indicators
  std::vector<DimensionScore> dimensions;
  std::vector<IndicatorScore> indicators;
  std::map<std::string, double> thresholds;  // percentiles used (strong-cluster, stars)
  std::string reason_zh;                     // one line
  std::string reason_en;
};

struct EvaluationResult {
  std::string scheme_id;
  int scheme_version = 0;
  EvaluationMethod method = EvaluationMethod::kWeighted;
  int year = 0;
  bool expert_scores_used = false;          // weighted: any cluster had an expert score
  std::map<std::string, double> weights;    // entropy-topsis: the entropy weight per indicator
  std::vector<ClusterEvaluation> clusters;  // ranked first by rank, then unranked by id
};

// Scores `input` under `scheme`. kInvalidInput when the matrix has no clusters at all. Clusters
// that cannot be rated (evaluation.md, "Who is rated") are listed, not rated, with the reason.
Result<EvaluationResult> Evaluate(const Scheme& scheme, const EvaluationInput& input);

// The documented JSON shape (docs/evaluation.md).
nlohmann::ordered_json EvaluationToJson(const EvaluationResult& result);

}  // namespace clusterscope
