// Records for people and programs: JSON objects, CSV/table cells, header labels.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/lang.h"
#include "clusterscope/schema.h"

namespace clusterscope {

// One object keyed by column id (the import ids): money in yuan, booleans true/false, NULL null,
// years and counts as integers.
nlohmann::ordered_json RecordToJson(const KindDef& def, const Record& record);

enum class CellStyle {
  kMachine,  // CSV: re-importable — money as plain yuan decimals, booleans 1/0, NULL empty
  kHuman,    // table: money in 万元 with separators, booleans 是/否 or yes/no
};
std::string FormatCell(const ColumnDef& column, const Value& value, CellStyle style, Lang lang);

// Header for a column: machine style gives the id with its unit, "revenue(元)", so the CSV can
// be imported back exactly; human style gives the label in `lang` with the unit shown.
std::string ColumnHeader(const ColumnDef& column, CellStyle style, Lang lang);

// One CSV record (RFC 4180, quoting only where needed), ending in "\n"; a cell a spreadsheet would
// run as a formula (=, +, -, @ not starting a number; control characters) gets a leading `'`.
std::string ToCsvLine(const std::vector<std::string>& cells);

// True if `bytes` is entirely well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code
// points past U+10FFFF): the importer's own check, for writers that must not pass bad text on.
bool IsValidUtf8(std::string_view bytes);

}  // namespace clusterscope
