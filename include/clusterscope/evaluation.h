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
#include "clusterscope/store.h"

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
enum class Normalisation { kMinMax, kPercentile };

struct SchemeIndicator {
  std::string id;  // a catalogue id or one of EvaluationExtraIndicators()
  Direction direction = Direction::kBenefit;
  double weight = 0.0;  // within its dimension (weighted); unused by the other methods
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
  // Clusters with fewer member firms that year are listed and marked but not ranked, and stay
  // out of the peer set that normalisation, percentiles and entropy weights are computed from.
  int min_firms = 0;
  Normalisation normalisation = Normalisation::kMinMax;
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
  int firm_count = 0;
  std::map<std::string, double> values;                // indicator id → value; absent = missing
  std::map<std::string, std::string> missing_reasons;  // indicator id → null reason id
  std::optional<double> expert_score;                  // 0–100
};

struct EvaluationInput {
  int year = 0;
  std::vector<EvaluationSubject> subjects;
};

// Reads the matrix for `year`: every cluster in the dataset, the scheme's indicators (plus
// firm_count), institutions by category and expert scores from `store`. kEnvironment when the
// store fails (an older database without the expert table: the message says to run `init`).
Result<EvaluationInput> GatherEvaluationInput(Store& store, const Dataset& data, const Scheme& scheme, int year,
                                              Lang lang);

struct IndicatorScore {
  std::string id;
  std::string dimension;               // dimension id ("" for role-based methods)
  std::optional<double> raw;           // the value as the engine gives it (yuan, fractions, counts)
  std::optional<double> score;         // normalised, 0–100 (percentile rank × 100 for role-based methods)
  double weight = 0.0;                 // the weight actually applied (after renormalisation), overall
  std::optional<double> contribution;  // points this indicator adds to the score
  std::string missing_reason;          // null reason id when raw is missing
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
  std::string grade;  // weighted: grade id (优秀…); strong-cluster/lifecycle: class id; stars: "★★"
  std::string grade_zh;
  std::string grade_en;
  std::optional<int> stars;
  std::optional<int> rank;           // 1 = best; ties share the best rank (1, 2, 2, 4); none when not ranked
  int peers = 0;                     // clusters this one is ranked among
  bool small = false;                // fewer than min_firms firms: listed, not ranked
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

// Scores `input` under `scheme`. kInvalidInput when the matrix has no clusters at all.
Result<EvaluationResult> Evaluate(const Scheme& scheme, const EvaluationInput& input);

// The documented JSON shape (docs/evaluation.md).
nlohmann::ordered_json EvaluationToJson(const EvaluationResult& result);

}  // namespace clusterscope
