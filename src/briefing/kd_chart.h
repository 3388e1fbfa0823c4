// The leading industry's Kd chart (BriefCharts::Localisation), laid out once in chart
// coordinates so that the HTML page (SVG) and the Word document (PNG) draw the same picture.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clusterscope/briefing.h"
#include "clusterscope/lang.h"

namespace clusterscope::briefing {

struct KdChartLayout {
  double width = 640, height = 250;
  double left = 0, right = 0, top = 0, bottom = 0;  // the plot area
  using Point = std::pair<double, double>;
  std::vector<Point> curve;  // the observed Kd, left to right (distances where it is defined)
  std::vector<Point> band;   // the global band as one polygon: its upper edge, then its lower edge back
  struct Tick {
    double at = 0;  // x for the distance axis, y for the density axis
    std::string label;
  };
  std::vector<Tick> x_ticks, y_ticks;
  std::string x_title, legend_curve, legend_band;
};

// Nothing to draw (no defined value) gives nullopt.
std::optional<KdChartLayout> LayOutKdChart(const BriefCharts::Localisation& kd, Lang lang);

}  // namespace clusterscope::briefing
