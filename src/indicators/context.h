// What an indicator's compute function sees: the entity, the year, and the entity's firms in that
// year (and earlier years, and its zone's, for the indicators that compare).
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <unordered_map>

#include "indicators/dataset.h"

namespace clusterscope::indicators {

// One entity in one year: its report rows, and the per-field totals of one pass over them.
struct Accumulator {
  const YearTable* table = nullptr;  // null when the dataset has no reports that year
  std::vector<int32_t> rows;         // rows of `table`, ascending (so firm order)
  std::array<int64_t, kFieldCount> sum{};
  std::array<int64_t, kFieldCount> count{};  // rows that reported the field

  int64_t firms() const { return static_cast<int64_t>(rows.size()); }
};

class Context {
 public:
  // Supplied by the engine.
  const Dataset* data = nullptr;
  EntityKind kind = EntityKind::kCountry;
  const ClusterInfo* cluster = nullptr;  // for clusters
  int zone = -1;                         // the entity's zone, or a cluster's zone
  int year = 0;
  std::string lq_measure = "employees";
  // The accumulator of this entity in `year + offset` (offset ≤ 0).
  std::function<const Accumulator&(int offset)> at;
  // The accumulator of the cluster's zone in `year` (clusters only).
  std::function<const Accumulator&()> zone_acc;
  // Σ measure over firms reporting it in `year`, by GB/T 4754 class, for the province with this
  // 2-digit prefix (0 = the whole country).
  std::function<const std::unordered_map<std::string, int64_t>&(int province)> measure_by_industry;

  const Accumulator& now() const { return at(0); }
};

using ComputeFn = void (*)(const Context&, IndicatorValue&);

struct Entry {
  IndicatorInfo info;
  ComputeFn compute;
};

std::span<const Entry> Entries();

}  // namespace clusterscope::indicators
