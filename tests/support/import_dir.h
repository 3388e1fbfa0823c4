// Test support: import KIND.csv files from one folder into a store in one import, failing the
// test on any problem.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "clusterscope/importer.h"

namespace clusterscope::testing {

inline void ImportDir(Store& store, const std::string& dir, std::initializer_list<const char*> kinds) {
  std::vector<ImportInput> inputs;
  for (const char* kind : kinds) inputs.push_back({*ParseKind(kind), dir + kind + ".csv", ""});
  ImportOptions options;
  options.this_year = 2026;  // the golden files' years stay valid whatever today's date
  auto outcome = Import(store, inputs, options);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  for (const Problem& p : outcome->problems) ADD_FAILURE() << p.file << " row " << p.row << ": " << p.message_en;
  ASSERT_TRUE(outcome->written);
}

}  // namespace clusterscope::testing
