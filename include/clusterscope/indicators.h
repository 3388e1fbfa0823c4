// The indicator catalogue and the engine that computes it for clusters, zones, regions and the
// whole country, from firm records (indicators.md is the prose form of the catalogue).
//
// Membership: a cluster's firms in year Y are the firms whose membership covers Y and that filed
// a report for Y; a zone's, the firms registered to it that filed a report for Y; a region's, the
// firms whose region code lies in it; the country's, every firm that filed. A total sums the
// firms that reported the field and carries its coverage; a ratio of totals uses only the firms
// that reported every part. A value that cannot be computed is null with a reason, never 0.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/lang.h"
#include "clusterscope/rules.h"
#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope {

enum class IndicatorUnit {
  kFirms,          // 家
  kPersons,        // 人
  kItems,          // 件/项
  kYuan,           // money, exact (computed in fen)
  kShare,          // a fraction of a whole, 0.625
  kGrowth,         // a rate of change, 0.307
  kYuanPerPerson,  // 元/人
  kYuanPerFirm,    // 元/家
  kPer1000,        // per thousand employees
  kPer10k,         // per ten thousand employees
  kIndex,          // a dimensionless index (location quotient)
};

// Which way is better (evaluation.md, "Direction everywhere"): labels such as 偏高/偏低, strengths
// and weaknesses, and evaluation directions read it.
enum class IndicatorDirection {
  kMore,     // more is better (越大越好)
  kLess,     // less is better (越小越好): debt ratio
  kNeutral,  // neither (export share: a profile, not a merit)
};
std::string_view DirectionId(IndicatorDirection direction);  // "more", "less", "neutral"

// "yuan", "share", … as the JSON output names units.
std::string_view UnitId(IndicatorUnit unit);

enum class EntityKind { kCluster, kZone, kRegion, kCountry };
std::string_view EntityKindId(EntityKind kind);  // "cluster", "zone", "region", "country"

struct IndicatorInfo {
  std::string_view id;
  std::string_view zh;
  std::string_view en;
  IndicatorUnit unit;
  IndicatorDirection direction;
  std::string_view group;          // "report" (the source report's figures), "jq01", "ratio", "growth", "place"
  std::string_view definition_zh;  // one line
  std::string_view definition_en;
  std::string_view formula;
  bool clusters_only = false;  // meaningful only for a cluster (null with a reason elsewhere)
};

// Every indicator, in catalogue order.
std::span<const IndicatorInfo> IndicatorCatalogue();
const IndicatorInfo* FindIndicator(std::string_view id);

struct EntityRef {
  EntityKind kind = EntityKind::kCountry;
  std::string id;  // cluster_id, zone_id, a GB/T 2260 code, or "" for the country
};

// Why a value is null.
enum class NullReason {
  kNone,
  kNoFirms,          // the entity has no firms that year
  kNotReported,      // no firm of the entity reported the fields needed
  kZeroDenominator,  // the denominator is zero
  kNoBaseYear,       // growth: nothing to compare with in the earlier year
  kNotApplicable,    // the indicator is defined for clusters only
  kNoRuleSet,        // no rule set in force that year (tech_sme_count before 2017); id "not_applicable"
  kOverflow,         // a total exceeds the range clusterscope adds exactly (±9.2 × 10^18 in its unit)
};
std::string_view NullReasonId(NullReason reason);  // "no_firms", …
std::string_view NullReasonText(NullReason reason, Lang lang);

struct IndicatorValue {
  EntityRef entity;
  std::string entity_name;
  int year = 0;
  const IndicatorInfo* indicator = nullptr;
  // Exactly one of these when the value exists: `integer` for counts and for money (in fen),
  // `real` for everything else.
  std::optional<int64_t> integer;
  std::optional<double> real;
  double coverage = 1.0;  // share of the entity's firms that reported what the value needs
  NullReason reason = NullReason::kNone;

  bool has_value() const { return integer.has_value() || real.has_value(); }
  // The value in output units: yuan for money (fen / 100), else as is.
  std::optional<double> AsDouble() const;
};

// The register and the annual reports, held in memory column by column for the engine.
class Dataset;

// Reads everything the engine needs from `store` (kEnvironment if the store fails).
Result<std::shared_ptr<const Dataset>> LoadDataset(Store& store);

// The most years before the asked one that any indicator reads (growth over three years).
inline constexpr int kLookbackYears = 3;

// Part of the data: the named clusters and zones, with their members and registered firms (and
// each cluster's zone), their reports in [first_year, last_year] (0 = unbounded), and the
// store's maintained totals for the location quotients. What the engine answers from it about
// those clusters and zones, for years from first_year + kLookbackYears on, equals what it answers
// from the whole data set.
struct DataScope {
  std::vector<std::string> clusters;
  std::vector<std::string> zones;
  int first_year = 0;
  int last_year = 0;
  // Also where every firm that filed in last_year is (its coordinates and industry, from the
  // same pass over the register): the sites a localisation test of a cluster's industry is
  // tested against (place::LoadFirmPoints, unweighted), without loading every firm.
  bool sites = false;
};
// Reads `scope` from `store`: a question about one cluster costs what its firms cost, not every
// report. nullptr (and OK) when the store keeps no totals to compare with (no columnar snapshot:
// the in-memory store, a database an older build wrote): load the whole data set instead.
// kNotFound naming a cluster or zone that is not in the store.
//
// `on_sites` is called as soon as the sites are read (DataScope::sites), on the loading thread,
// with the data set so far: its regions, zones and clusters (without their members) and sites,
// perhaps its firms, not its reports. So a localisation test can run while the rest is read.
// What the call keeps it copies: the data set is still being built, and is dropped if the load
// fails or falls back to the whole data set. Not called when no sites are read this way.
using SitesRead = std::function<void(const Dataset&)>;
Result<std::shared_ptr<const Dataset>> LoadDataset(Store& store, const DataScope& scope,
                                                   const SitesRead& on_sites = {});

// The data set a year at a time, for a question over years about every firm (the whole
// catalogue of every region, zone and cluster): the register once, then for each year of
// [first_year, last_year], ascending, `fn` with a data set that holds that year's reports and the
// kLookbackYears before it, no others — a few years in memory instead of every one. The data set
// answers about its year only (ComputeIndicators refuses others: indicators.outside_scope) and is
// valid during the call. Without a columnar snapshot, or after a damaged one, the rows are read
// whole and every year is handed out (again) from them: a later call for a year supersedes an
// earlier one.
Status ForEachYearWindow(Store& store, int first_year, int last_year,
                         const std::function<Status(const Dataset&, int year)>& fn);

// What the user should know about how `data` was read (e.g. a damaged snapshot was bypassed), in
// `lang`; empty when nothing is amiss. The CLI prints these on stderr.
std::vector<std::string> DatasetWarnings(const Dataset& data, Lang lang);

struct IndicatorRequest {
  std::vector<EntityRef> entities;
  int first_year = 0;
  int last_year = 0;
  std::vector<std::string> only;  // indicator ids; empty = the whole catalogue
  // Location quotients: employees by default; "gross_output" or "value_added" on request.
  std::string lq_measure = "employees";
};

// Values for every requested entity × year × indicator, in that order. An unknown entity or
// indicator id is kNotFound naming it. A question a scoped data set or a year window cannot
// answer exactly is refused (OutsideScope), never answered from part of the firms.
Result<std::vector<IndicatorValue>> ComputeIndicators(const Dataset& data, const IndicatorRequest& request);
// Whether `s` is that refusal (id indicators.outside_scope): the caller answers from the whole
// data set instead.
bool OutsideScope(const Status& s);

// The value for people: 亿元 / % / 家 in Chinese ("122.00亿元", "30.7%", "60家"), billion yuan / %
// / firms in English; the null reason in words when there is no value.
std::string FormatIndicatorValue(const IndicatorValue& value, Lang lang);
// The documented JSON object: entity, id, name, year, indicator, value (money in yuan, shares as
// fractions, counts as integers, null with "reason"), unit, coverage.
nlohmann::ordered_json IndicatorValueToJson(const IndicatorValue& value);

// Entities in the dataset, for "all clusters" style requests.
std::vector<EntityRef> AllEntities(const Dataset& data, EntityKind kind);  // kRegion: provinces
// The years that have reports, ascending.
std::vector<int> ReportYears(const Dataset& data);

// The rules' facts from the data set (rules.h): the register entries and the reports of
// `year − 2 … year` for the given firms (every firm that filed a report for `year`, in credit-code
// order, when `usccs` is empty). A malformed code is kInvalidInput (firm.bad_uscc), an unknown
// firm kNotFound (firm.unknown), each naming it.
Result<std::vector<FirmHistory>> LoadFirmHistories(const Dataset& data, const std::vector<std::string>& usccs,
                                                   int year);
// The firms that are members of `cluster_id` in `year`, by credit code, with their roles: true =
// backbone. kNotFound (cluster.unknown) for a cluster not in the register.
Result<std::vector<std::pair<std::string, bool>>> ClusterMembersIn(const Dataset& data, const std::string& cluster_id,
                                                                   int year);

}  // namespace clusterscope
