// Matching a file's header row to a kind's columns: English id or Chinese name, after trimming
// and unifying widths and brackets; money units read from the header ("revenue(万元)").
#pragma once

#include <string>
#include <vector>

#include "clusterscope/importer.h"
#include "importer/cell_parser.h"

namespace clusterscope::importer {

struct HeaderMap {
  // For each column of the file: the index of the kind's column it fills, or -1 (ignored).
  std::vector<int> target_of_file_column;
  // For each column of the kind: the file column that fills it, or -1 (absent).
  std::vector<int> file_column_of_target;
  // For each column of the kind: how to parse it (unit from the header).
  std::vector<CellSpec> specs;
  bool fatal = false;  // a required column is missing: rows cannot form records
};

// Maps `header` (on row `header_row` of the sheet) for `def`. Problems (on that row) are appended
// to `problems` with `file` as their file.
HeaderMap MapHeader(const KindDef& def, const std::vector<std::string>& header, bool ignore_unknown,
                    const std::string& file, int64_t header_row, int this_year, std::vector<Problem>& problems);

}  // namespace clusterscope::importer
