// Excel workbooks officials exchange: the briefing workbook of one cluster and exports of
// indicators, member firms and evaluations for any set of clusters or zones. Proper number
// formats (#,##0 / #,##0.00 / 0.0%), a frozen bold header row on every sheet, column widths from
// the content, Chinese sheet names. Money is in 万元 (the header says so); missing values are
// empty cells, never 0.
#pragma once

#include <string>
#include <vector>

#include "clusterscope/briefing.h"
#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/status.h"

namespace clusterscope {

// Sheets 概况 (summary and the brief's prose), 指标 (the catalogue by year), 企业 (member firms
// with key figures and qualification), 评价 (the annual evaluation of every cluster), 诊断
// (diagnosis), from what GatherBrief computed.
Status WriteBriefWorkbook(const Dataset& data, const BriefSources& sources, Lang lang, const std::string& path);

enum class ExportKind { kIndicators, kFirms, kEvaluation };

struct ExportRequest {
  ExportKind kind = ExportKind::kIndicators;
  int year = 0;
  // Clusters and/or zones; empty = every cluster. Zones apply to indicators (a zone row) and
  // firms (the firms registered to the zone).
  std::vector<EntityRef> entities;
  std::string scheme = "annual";  // evaluation: a scheme name or file
};

// indicators: one row per entity, one column per indicator (sheet 指标); firms: one row per firm
// (sheet 企业); evaluation: one row per cluster (sheet 评价).
Status ExportWorkbook(const Dataset& data, const ExportRequest& request, Lang lang, const std::string& path);

}  // namespace clusterscope
