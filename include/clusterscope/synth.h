// Synthetic data sets: a seeded national backdrop of high-tech zones, innovation-oriented
// clusters, firms, memberships, service institutions and firm annual reports, written as the
// import files of docs/formats.md — with the source report's two Qinghai clusters calibrated so
// that the report's seven figures come out of the data (indicators.md). For the demo, tests,
// benchmarks and anyone who wants realistic data without real firms' accounts.
//
// Contract:
// - Deterministic: the same options give the same files, byte for byte, on every platform (own
//   generator and distributions, no libm transcendental functions, no std::*_distribution).
//   Another seed gives other data.
// - Streaming: memory does not grow with the number of report rows; each firm's attributes are
//   derived from (seed, firm index), so nothing per firm is kept after it is written.
// - Every file imports with neither errors nor warnings into a database holding the built-in
//   reference tables: only built-in GB/T 4754-2017 classes and GB/T 2260 codes are used.
// - Credit codes are valid GB 32100-2015 codes that mark themselves as synthetic ("XY" at
//   positions 9–10, examples/README.md), unique per firm index.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clusterscope/status.h"

namespace clusterscope {

struct SynthOptions {
  // Firms in total, the calibrated demo firms included (1,000 … 3,100,000). Zones and clusters
  // scale with it: about 180 zones and 200 clusters at 500,000 firms, at least 20 and 15.
  int64_t firms = 20000;
  int first_year = 2010;  // report years first_year … last_year (≥ 1990; at most 40 years)
  int last_year = 2016;
  uint64_t seed = 20140817;
  // Include zones XNGX and HXXH with clusters QH-BIO, XN-LIB and HX-SALT, the firms the report
  // names, and QH-BIO calibrated to the report's 2014 figures. Needs 2013 and 2014 in the years.
  bool demo_calibration = true;
  // Called about every 1% of firms with (firms written, firms in all), and once at the end.
  std::function<void(int64_t done, int64_t total)> progress;
};

struct SynthSummary {
  int64_t zones = 0;
  int64_t clusters = 0;
  int64_t firms = 0;
  int64_t members = 0;  // rows of members.csv (a firm that left and rejoined has two)
  int64_t institutions = 0;
  int64_t reports = 0;
  std::vector<std::string> files;  // paths written, in import (dependency) order
};

// Writes zones.csv, clusters.csv, firms.csv, members.csv, institutions.csv and reports.csv into
// `dir` (created if missing): UTF-8 without BOM, English column ids, money in 千元 with at most
// three decimals, empty cells for missing values. Existing files of those names are overwritten.
// Fails with kInvalidInput for options out of range, kEnvironment (naming the path) when a file
// cannot be written; files already written are then left as they are.
Result<SynthSummary> GenerateDataset(const std::string& dir, const SynthOptions& options);

}  // namespace clusterscope
