// Place: is a region specialised in an industry, and are an industry's firms closer together than
// chance would put them? (place.md is the prose form.)
//
// Two halves, both pure functions over plain inputs so that any front door can call them:
// - specialisation and concentration over a region × industry matrix (LQ, Krugman, Hoover,
//   locational Gini, HHI, Ellison–Glaeser γ and coagglomeration γ^c);
// - distance-based agglomeration over points (Duranton–Overman Kd as dbmss computes it,
//   Marcon–Puech M) with random-labelling Monte Carlo bands.
// Thin loaders build those inputs from the data set (the firms' regions, industries, coordinates
// and one year's reports) or from a points CSV.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/lang.h"
#include "clusterscope/status.h"

namespace clusterscope {
class Dataset;  // indicators.h
}  // namespace clusterscope

namespace clusterscope::place {

// ---------------------------------------------------------------- areal measures

enum class RegionLevel { kProvince, kPrefecture, kZone };
enum class IndustryLevel { kDivision, kGroup, kClass };
enum class Measure { kEmployees, kGrossOutput, kValueAdded, kFirms };

std::optional<RegionLevel> ParseRegionLevel(std::string_view s);      // "province", "prefecture", "zone"
std::optional<IndustryLevel> ParseIndustryLevel(std::string_view s);  // "division", "group", "class"
std::optional<Measure> ParseMeasure(std::string_view s);  // "employees", "gross_output", "value_added", "firms"
std::string_view RegionLevelId(RegionLevel level);
std::string_view IndustryLevelId(IndustryLevel level);
std::string_view MeasureId(Measure measure);

// One plant (firm) of the matrix: its region and industry (indices into AreaMatrix) and its value.
struct Plant {
  int32_t region = 0;
  int32_t industry = 0;
  double value = 0;
};

// E_ri for regions r and industries i, built from plants (E_ri = Σ of the plants' values).
struct AreaMatrix {
  std::vector<std::string> regions;       // codes (GB/T 2260, or zone ids)
  std::vector<std::string> region_names;  // for people; may be empty strings
  std::vector<std::string> industries;    // GB/T 4754 codes at the chosen level
  std::vector<Plant> plants;

  // E[r][i], row sums E_r, column sums E_i and the total E.
  std::vector<std::vector<double>> Cells() const;
};

// Why a value is null.
enum class PlaceNull {
  kNone,
  kZeroTotal,    // the region's, the industry's or the whole total is 0
  kSinglePlant,  // Ellison–Glaeser: H = 1 (one plant holds the whole industry)
  kOneRegion,    // Σ x_r² = 1: every unit lies in one region
  kOneIndustry,  // coagglomeration needs at least two industries with a γ
  kNoGamma,      // coagglomeration: an industry's own γ is null
};
std::string_view PlaceNullId(PlaceNull reason);
std::string_view PlaceNullText(PlaceNull reason, Lang lang);

// One value: for a region (krugman), an industry (hoover, gini, hhi, eg), a region × industry cell
// (lq) or a set of industries (eg_coagglomeration, `industry` joined with "+").
struct AreaValue {
  std::string region;    // empty when the value is an industry's
  std::string industry;  // empty when the value is a region's
  std::optional<double> value;
  PlaceNull reason = PlaceNull::kNone;
  int64_t firms = 0;                // plants that entered the value
  int64_t regions = 0;              // regions that entered the value
  std::optional<double> plant_hhi;  // hhi: Σ_j z_j² over the industry's plants beside the regional value
};

std::vector<AreaValue> LocationQuotients(const AreaMatrix& m);  // every region × industry, row-major
std::vector<AreaValue> Krugman(const AreaMatrix& m);            // one per region
std::vector<AreaValue> Hoover(const AreaMatrix& m);             // one per industry
std::vector<AreaValue> LocationalGini(const AreaMatrix& m);     // one per industry
std::vector<AreaValue> Herfindahl(const AreaMatrix& m);         // one per industry (value regional, plant_hhi)
std::vector<AreaValue> EllisonGlaeser(const AreaMatrix& m);     // one per industry
// γ^c for `groups` (each a list of industry indices); an empty `groups` means every pair.
std::vector<AreaValue> Coagglomeration(const AreaMatrix& m, const std::vector<std::vector<int32_t>>& groups = {});

struct AreaRequest {
  int year = 0;
  Measure measure = Measure::kEmployees;
  RegionLevel region_level = RegionLevel::kProvince;
  IndustryLevel industry_level = IndustryLevel::kDivision;
  // Industries (codes at any level; a firm counts when its class starts with the code). Empty = all.
  std::vector<std::string> industries;
};

// The matrix of `request.year` from the data set: every firm that filed a report for the year and
// reported the measure (any firm that filed, for kFirms), at the chosen levels; zone level keeps
// only firms registered to a zone. Firms outside `industries` still count in the regions' totals.
// Returns the matrix and, in `keep`, the industry indices that were asked for (all when none).
struct AreaInputs {
  AreaMatrix matrix;
  std::vector<int32_t> keep;  // industries to report
};
Result<AreaInputs> LoadAreaMatrix(const Dataset& data, const AreaRequest& request);

enum class AreaIndex { kLq, kKrugman, kHoover, kGini, kHhi, kEg, kCoagglomeration };
// "lq", "krugman", "hoover", "gini", "hhi", "eg", "eg-coagglomeration" (or "eg_coagglomeration").
std::optional<AreaIndex> ParseAreaIndex(std::string_view s);
std::string_view AreaIndexId(AreaIndex index);  // "lq", …, "eg_coagglomeration"
// One index over `in`: the industries of `in.keep` (Krugman: every region); coagglomeration for
// every pair of them, or for all of them as one group. kUsage when γ^c has fewer than two.
Result<std::vector<AreaValue>> ComputeAreaIndex(const AreaInputs& in, AreaIndex index, bool as_one_group = false);

// ---------------------------------------------------------------- distance-based measures

// Sites with a type and a weight. `geodesic`: x = longitude, y = latitude in degrees, distances
// great-circle km on a sphere of radius 6371.0088 km; otherwise planar in the file's unit.
struct PointSet {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<int32_t> type;  // index into `type_names`
  std::vector<double> weight;
  std::vector<std::string> type_names;
  bool geodesic = false;

  size_t size() const { return x.size(); }
};

enum class Function { kKd, kM };

struct AgglomerationOptions {
  Function function = Function::kKd;
  int32_t reference = 0;  // the type of interest
  int32_t neighbour = 0;  // = reference for the univariate function
  bool weighted = false;  // Kd: Kemp (pairs weighted by w_i·w_j); M: weights (else every weight 1)
  bool reflect = true;    // Kd: mirror distances below 4h
  std::vector<double> r;  // distances, ascending, ≥ 0; empty = 0 … median pair distance in 64 steps
  int sims = 0;           // random-labelling simulations; 0 = none
  uint64_t seed = 1;
  double level = 0.05;  // bands: level / 1 − level quantiles; global band leaves level of simulations
  int threads = 0;      // 0 = every core
};

// The result of one curve (observed or simulated).
struct Curve {
  std::vector<double> value;
  double bandwidth = 0;  // Kd only
};

// The observed curve and the inputs that shaped it.
struct Observation {
  std::vector<double> r;
  Curve curve;
  int64_t n_reference = 0;
  int64_t n_neighbour = 0;
  int64_t sites = 0;
  double pairs = 0;  // Kd: number (or weight) of pairs the density is over
};

// Checks the options against the points and fills in a default r; kInvalidInput naming what is wrong.
Result<AgglomerationOptions> ResolveOptions(const PointSet& points, AgglomerationOptions options);

// The engine: one spatial index over all sites, built once and reused by every simulation.
class Agglomeration {
 public:
  // `options` must come from ResolveOptions.
  Agglomeration(const PointSet& points, const AgglomerationOptions& options);
  ~Agglomeration();
  Agglomeration(const Agglomeration&) = delete;
  Agglomeration& operator=(const Agglomeration&) = delete;

  Observation Observed() const;
  // Simulation `index` (0-based): the labels and weights permuted over the sites by a generator
  // seeded by (seed, index), so a simulation's curve depends on nothing else.
  Curve Simulate(int64_t index) const;
  // Simulations first … last−1 on `threads` threads (0 = every core), curve values only,
  // concatenated (sim-major: (index − first) × r.size() + k).
  std::vector<double> SimulateRange(int64_t first, int64_t last, int threads) const;

 private:
  friend std::vector<double> RipleyK(const PointSet& points, const std::vector<double>& r, double area);
  struct Impl;
  Impl* impl_;
};

// Bands and verdict from the observed curve and `sims` simulated curves (sim-major).
struct Bands {
  std::vector<double> local_lo, local_hi, global_lo, global_hi;
  double global_level_hi = 0;  // the pointwise quantile the global band uses, e.g. 0.997
  double global_level_lo = 0;
};
Bands ComputeBands(const std::vector<double>& simulated, size_t n_r, double level);

enum class Verdict { kLocalised, kDispersed, kNeither, kNotTested };
std::string_view VerdictId(Verdict v);  // "localised", "dispersed", "neither", "not_tested"
struct Interval {
  double from = 0;
  double to = 0;
};
struct VerdictResult {
  Verdict verdict = Verdict::kNotTested;
  std::vector<Interval> above;  // observed above the global band (localisation)
  std::vector<Interval> below;  // below it (dispersion)
};
VerdictResult Judge(const std::vector<double>& r, const std::vector<double>& observed, const Bands& bands);
// "localised at 0–12 km", "集聚（0–12公里）" …
std::string VerdictText(const VerdictResult& v, bool geodesic, Lang lang);

struct AgglomerationResult {
  AgglomerationOptions options;
  Observation observed;
  std::optional<Bands> bands;
  VerdictResult verdict;
  bool geodesic = false;
  std::string reference_name, neighbour_name;
};

// Observed curve, then simulations and bands when options.sims > 0 (in this process).
Result<AgglomerationResult> RunAgglomeration(const PointSet& points, AgglomerationOptions options);
// The result from an observation and simulated curves gathered elsewhere (MPI).
AgglomerationResult Assemble(const PointSet& points, const AgglomerationOptions& options, Observation observed,
                             const std::vector<double>& simulated);

// Points from a CSV with header x,y,type[,weight] (planar). kInvalidInput names the row.
Result<PointSet> LoadPointsCsv(const std::string& path);
// The firms of the data set with coordinates that filed a report for `year` (sites); their type is
// 0 (the other firms), 1 (`industry`), 2 (`versus`, if given) by GB/T 4754 prefix; weights are
// the year's employees (firms without employees get weight 0 when `need_weight`… excluded). A
// scoped data set answers from its sites (DataScope::sites) when they are of `year` and no
// weight is needed: the same points, weights 0.
Result<PointSet> LoadFirmPoints(const Dataset& data, int year, const std::string& industry, const std::string& versus,
                                bool need_weight);

// Keeps at most `most` of the points of `type` as that type, chosen uniformly at random by a
// generator seeded with `seed` (a partial Fisher–Yates over their indices: the same choice on every
// platform); the others become type 0, sites like any other. Returns how many keep `type`. For a
// test of a large industry on a sample of its firms among all the sites (random labelling then
// relabels that many).
int64_t SampleType(PointSet& points, int32_t type, int64_t most, uint64_t seed);

// Brute force for tests: Kd at r from every pair distance with the exact kernel (no binning),
// bandwidth from the exact distances.
Curve KdExact(const PointSet& points, const AgglomerationOptions& options);
// Great-circle km between two (lon, lat) points in degrees.
double GreatCircleKm(double lon1, double lat1, double lon2, double lat2);
// Ripley's K and L for all points of `points` in a rectangular window (area `area`), no edge
// correction, from the same binned pair counts as Kd: K(r) = area / (n(n−1)) · #ordered pairs ≤ r.
std::vector<double> RipleyK(const PointSet& points, const std::vector<double>& r, double area);

// JSON / CSV / table / SVG renderings for the CLI.
std::string AgglomerationJson(const AgglomerationResult& result);
nlohmann::ordered_json AgglomerationJsonValue(const AgglomerationResult& result);  // what AgglomerationJson writes
std::string AgglomerationCsv(const AgglomerationResult& result);
std::vector<std::vector<std::string>> AgglomerationCsvRows(const AgglomerationResult& result);  // header first
std::string AgglomerationTable(const AgglomerationResult& result, Lang lang);
std::string AgglomerationSvg(const AgglomerationResult& result, Lang lang);

}  // namespace clusterscope::place
