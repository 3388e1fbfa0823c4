// Charts as PNG images for the Word document, drawn with cairo and laid out with pango in a CJK
// font (WenQuanYi Zen Hei, with the usual fallbacks), at print resolution.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clusterscope/briefing.h"
#include "clusterscope/lang.h"

namespace clusterscope::briefing {

struct Png {
  std::string bytes;  // empty when there was nothing to draw
  int width_px = 0, height_px = 0;
};

// Gross output over the years, the brief's year highlighted, growth under each year.
Png OutputChartPng(const BriefCharts& charts, Lang lang);
// Key ratios: the cluster against the median of all clusters, one pair of bars per ratio.
Png PeerChartPng(const BriefCharts& charts, Lang lang);
// The annual evaluation's dimension scores against the average of ranked clusters.
Png DimensionChartPng(const BriefCharts& charts, Lang lang);
// The leading industry's Kd over distance with its global band (empty when not tested).
Png KdChartPng(const BriefCharts& charts, Lang lang);

}  // namespace clusterscope::briefing
