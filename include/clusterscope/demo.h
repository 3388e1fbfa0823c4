// The demo: a synthetic national data set (synth.h) with the source report's two Qinghai clusters
// calibrated, imported into a database, and the report's seven figures computed from it by the
// indicator engine, side by side with the numbers the report prints.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "clusterscope/importer.h"
#include "clusterscope/indicators.h"
#include "clusterscope/store.h"

namespace clusterscope {

// The report's cluster and year.
inline constexpr std::string_view kDemoCluster = "QH-BIO";
inline constexpr int kDemoYear = 2014;

// One of the seven figures: what the report says, what the engine computed, and whether they agree
// (to the report's own precision: counts exactly, shares and growth to 0.1 point, output to 0.1亿元;
// "over 60%" as a bound).
struct DemoFigure {
  std::string_view indicator;
  std::string_view report_zh;  // as printed in the report: "60家", "62.5%", "122亿元", "超过60%"
  std::string_view report_en;
  IndicatorValue computed;
  bool matches = false;
};

struct DemoResult {
  ImportOutcome import;  // empty files list when the database already held the demo
  bool already_built = false;
  std::vector<DemoFigure> figures;
};

struct DemoOptions {
  bool force = false;     // add the demo to a database that holds other data
  int64_t firms = 20000;  // size of the national backdrop (the calibrated clusters are always whole)
  std::function<void(std::string_view stage, int64_t done, int64_t total)> progress;
};

// Generates the demo data set, imports it into `store` (initialising it first), and computes the
// seven figures. A store that already holds exactly the demo is not written again. A store holding
// other data is refused (kConflict) unless options.force.
Result<DemoResult> BuildDemo(Store& store, const DemoOptions& options);

}  // namespace clusterscope
