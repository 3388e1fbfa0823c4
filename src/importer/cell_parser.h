// One cell of an input file → one stored Value, or the rule it breaks. Reference checks (does
// this zone exist?) happen later, in the importer; this is only about the cell itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "clusterscope/importer.h"
#include "clusterscope/schema.h"

namespace clusterscope::importer {

struct CellIssue {
  std::string rule;
  std::string zh;
  std::string en;
};

struct CellSpec {
  const ColumnDef* column = nullptr;
  int money_exponent = 5;  // fen per unit as a power of ten: 元 2, 千元 5 (default), 万元 6, 亿元 10
  int min_year = 1900;
  int max_year = 9999;
};

struct ParsedCell {
  Value value;                     // NULL for an empty cell
  std::optional<CellIssue> issue;  // set when the cell breaks a rule (value is then NULL)
};

ParsedCell ParseCell(const CellSpec& spec, std::string_view raw);

// "2003-05-12", "2003/5/12", "2003.5.12", "2003年5月12日", "2003" or an Excel serial date
// (a number above 3000) → "2003-05-12" / "2003"; nullopt if not a real date.
std::optional<std::string> ParseDateOrYear(std::string_view s);

}  // namespace clusterscope::importer
