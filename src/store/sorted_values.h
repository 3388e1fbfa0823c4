// The values of a filtered scan (Store::ScanWhere) in the order the scan hands records out.
#pragma once

#include <algorithm>
#include <vector>

#include "clusterscope/schema.h"

namespace clusterscope::store {

// Ascending (std::variant's order: null, integers, reals, text), each value once; nulls dropped,
// since no stored value equals null.
inline std::vector<Value> SortedDistinct(std::vector<Value> values) {
  std::erase_if(values, [](const Value& v) { return IsNull(v); });
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

}  // namespace clusterscope::store
