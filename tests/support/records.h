// Test support: every stored record of one kind, in key order (failing the test if the scan does).
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "clusterscope/store.h"

namespace clusterscope::testing {

inline std::vector<Record> AllRecords(Store& store, Kind kind) {
  std::vector<Record> out;
  const Status scanned = store.Scan(kind, [&](const Record& r) {
    out.push_back(r);
    return true;
  });
  EXPECT_TRUE(scanned.ok()) << scanned.ToString();
  return out;
}

}  // namespace clusterscope::testing
